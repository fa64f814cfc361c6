"""Ask when the next action happened (a correction, the CLI's ``--at``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sessiontui.ui.widgets.text_field import TextField


class TimeDialog(ModalScreen[dt.datetime | None]):
    """The moment typed, read and checked as the CLI reads ``--at``.

    ``check(text)`` gives the moment, or why it cannot be: then the reason is said here and the
    dialog stays open with the text to correct (once closed, a corrected time would be typed
    into the tracker's keys).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="time.cancel"),
    ]

    def __init__(self, check: Callable[[str], dt.datetime | str]) -> None:
        super().__init__()
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="time-dialog", classes="dialog"):
            yield Static(Text("When did the next action happen?", style="bold"))
            yield TextField(placeholder="HH:MM, YYYY-MM-DD HH:MM or ISO 8601", id="time-at")
            yield Static(Text("enter set · escape cancel"), classes="hint", id="time-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#time-at", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.dismiss(None)
            return
        found = self.check(event.value)
        if isinstance(found, str):
            self.query_one("#time-hint", Static).update(
                Text(f"Refused: {found}. Correct it, or escape.")
            )
            return
        self.dismiss(found)

    def action_cancel(self) -> None:
        """Set no time."""
        self.dismiss(None)
