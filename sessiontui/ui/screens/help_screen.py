"""The help screen: every key of the tracker, generated from the bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HINT = "↑/↓ pgup/pgdn scroll · escape, ? or q close"


class HelpScreen(ModalScreen[None]):
    """A table of keys and what they do; any of escape, ``?`` or ``q`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Make the screen.

        Args:
            rows: ``(where, key, description)`` for each binding.
        """
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", no_wrap=True)
        table.add_column("Action")
        table.add_column("Where", no_wrap=True)
        for where, key, description in self.rows:
            table.add_row(Text(key, style="bold"), Text(description), Text(where))
        with Vertical(id="help-box"):
            # Above the table, so it shows whatever the height: the table scrolls under it.
            yield Static(Text(HINT), classes="hint")
            with VerticalScroll(id="help-keys"):
                yield Static(table)
                yield Static(
                    Text(
                        "ctrl+p opens the command palette: every action, and any item by label"
                        " or title."
                    )
                )

    def on_mount(self) -> None:
        self.set_focus(self.query_one(VerticalScroll))  # the arrow and page keys scroll the table

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)
