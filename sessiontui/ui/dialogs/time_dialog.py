"""Ask when the next action happened (a correction, the CLI's ``--at``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TimeDialog(ModalScreen[str | None]):
    """The time as typed; the app reads and checks it as the CLI reads ``--at``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="time.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="time-dialog", classes="dialog"):
            yield Static(Text("When did the next action happen?", style="bold"))
            yield Input(placeholder="HH:MM, YYYY-MM-DD HH:MM or ISO 8601", id="time-at")
            yield Static(Text("enter set · escape cancel"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#time-at", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Set no time."""
        self.dismiss(None)
