"""Put a speaker on the list: a name that completes from names already used, and the kind of speech."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from sessiontui.ui.format import SPEECH_KINDS, safe


@dataclass(frozen=True, slots=True)
class SpeakerRequest:
    """What the dialog asks for: who, for which delegation, and whether they speak now."""

    name: str
    delegation: str | None
    start: bool
    kind: str = "statement"


class SpeakerDialog(ModalScreen[SpeakerRequest | None]):
    """Ask for a speaker's name (Enter adds, escape cancels)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="speaker.cancel"),
    ]

    def __init__(self, heading: str, names: Iterable[str], *, can_start: bool) -> None:
        """Make the dialog.

        Args:
            heading: Which item, e.g. "Speaker on 2(a)".
            names: Names used before in the session, offered as completions.
            can_start: Whether the item is on the floor (then "give the floor now" is offered).
        """
        super().__init__()
        self.heading = heading
        self.names = [safe(name) for name in names]
        self.can_start = can_start

    def compose(self) -> ComposeResult:
        with Vertical(id="speaker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            yield Input(
                placeholder="Name (→ completes)",
                suggester=SuggestFromList(self.names, case_sensitive=False),
                id="speaker-name",
            )
            yield Input(placeholder="Delegation or group (optional)", id="speaker-delegation")
            yield RadioSet(
                *(
                    RadioButton(label, value=index == 0, id=f"speaker-kind-{kind}")
                    for index, (kind, label) in enumerate(SPEECH_KINDS)
                ),
                id="speaker-kind",
            )
            yield Checkbox(
                "Give the floor now",
                value=self.can_start,
                id="speaker-start",
                disabled=not self.can_start,
            )
            yield Static(Text("enter add · escape cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#speaker-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#speaker-name", Input).value.strip()
        if not name:
            self.notify("Whose name?", severity="warning", markup=False)
            self.query_one("#speaker-name", Input).focus()
            return
        delegation = self.query_one("#speaker-delegation", Input).value.strip() or None
        start = self.query_one("#speaker-start", Checkbox).value and self.can_start
        chosen = self.query_one("#speaker-kind", RadioSet).pressed_index
        kind = SPEECH_KINDS[chosen][0] if chosen >= 0 else "statement"
        self.dismiss(SpeakerRequest(name, delegation, start, kind))

    def action_cancel(self) -> None:
        """Close without adding anyone."""
        self.dismiss(None)
