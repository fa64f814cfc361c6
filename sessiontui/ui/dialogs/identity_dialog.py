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
from sessiontui.ui.dialogs.fields import FIELD_KEYS
from sessiontui.ui.widgets.text_field import TextField


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's name and role."""

    name: str
    role: str | None


class IdentityDialog(ModalScreen[Identity | None]):
    """Name (and role, in a browser); escape leaves the tracker read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "View only", id="identity.cancel"),
        *FIELD_KEYS,
    ]

    def __init__(self, *, ask_role: bool = True, remembered: bool = False) -> None:
        """Make the dialog.

        Args:
            ask_role: Ask the role too (a browser); else only the name (every right).
            remembered: Say that the name is remembered on this machine.
        """
        super().__init__()
        self.ask_role = ask_role
        self.remembered = remembered

    def compose(self) -> ComposeResult:
        with Vertical(id="identity-dialog", classes="dialog"):
            yield Static(Text("Who are you? Your name is recorded with what you do.", style="bold"))
            yield TextField(placeholder="Your name", id="identity-name")
            if self.ask_role:
                yield Select(
                    [(role, role) for role in ROLES],
                    value="rapporteur",
                    allow_blank=False,
                    id="identity-role",
                )
                hint = "tab name/role · enter continue · escape view only"
            else:
                hint = "enter continue · escape view only"
            if self.remembered:
                hint = "Remembered on this machine (--actor overrides). " + hint
            yield Static(Text(hint), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#identity-name", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_text(event.value, multiline=False)
        if not name:
            self.notify("Your name, please.", severity="warning", markup=False)
            return
        role = str(self.query_one("#identity-role", Select).value) if self.ask_role else None
        self.dismiss(Identity(name, role))

    def action_cancel(self) -> None:
        """Continue without an identity: nothing can be recorded."""
        self.dismiss(None)
