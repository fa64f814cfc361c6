"""Ask who is using the tracker (browser sessions): nothing is recorded anonymously."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from sessiontui.core.commands import ROLES
from sessiontui.core.text import clean_text


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's name and role."""

    name: str
    role: str


class IdentityDialog(ModalScreen[Identity | None]):
    """Name and role; escape leaves the tracker read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "View only", id="identity.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="identity-dialog", classes="dialog"):
            yield Static(Text("Who are you? Your name is recorded with what you do.", style="bold"))
            yield Input(placeholder="Your name", id="identity-name")
            yield Select(
                [(role, role) for role in ROLES],
                value="rapporteur",
                allow_blank=False,
                id="identity-role",
            )
            yield Static(Text("tab name/role · enter continue · escape view only"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#identity-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_text(event.value, multiline=False)
        if not name:
            self.notify("Your name, please.", severity="warning", markup=False)
            return
        role = str(self.query_one("#identity-role", Select).value)
        self.dismiss(Identity(name, role))

    def action_cancel(self) -> None:
        """Continue without an identity: nothing can be recorded."""
        self.dismiss(None)
