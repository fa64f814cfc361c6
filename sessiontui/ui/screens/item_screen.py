"""The selected item on the whole screen: its speakers, decisions, notes and journal.

At 80x24 the item panel under the agenda has room for a few lines; this view shows all of it,
scrolled with the arrow and page keys, and follows the session as it changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sessiontui.core.state import SessionState
from sessiontui.ui.widgets.item_panel import ItemPanel

if TYPE_CHECKING:
    from sessiontui.store.outbox import Entry

HINT = "↑/↓ pgup/pgdn scroll · escape or i back"


class ItemScreen(ModalScreen[None]):
    """One agenda item in full, repainted by the app on every change and clock tick."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q", "close", "Back", id="item.back"),
    ]

    def __init__(self, item_id: str) -> None:
        """Make the view.

        Args:
            item_id: The item to show (the one selected when the view was opened).
        """
        super().__init__()
        self.item_id = item_id

    def compose(self) -> ComposeResult:
        with Vertical(id="item-box"):
            yield ItemPanel(id="item-full")
            yield Static(Text(HINT), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(ItemPanel))  # the arrow and page keys scroll it

    def show(
        self,
        state: SessionState,
        now: dt.datetime,
        journal: Sequence[str],
        waiting: Sequence[Entry] = (),
    ) -> None:
        """Repaint the item for the instant ``now`` with its latest journal lines (and what
        waits in the outbox for it)."""
        self.query_one(ItemPanel).show(state, self.item_id, now, journal, waiting)

    def action_close(self) -> None:
        """Back to the agenda."""
        self.dismiss(None)
