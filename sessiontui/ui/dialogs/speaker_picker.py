"""Pick one of an item's waiting speakers (to take them off the list)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.core.state import Speaker
from sessiontui.ui.format import safe


class SpeakerPicker(ModalScreen[str | None]):
    """The waiting speakers in order; Enter picks one (its id), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="speaker-picker.cancel"),
    ]

    def __init__(self, heading: str, speakers: list[Speaker]) -> None:
        """Make the picker.

        Args:
            heading: What the pick is for.
            speakers: The speakers to choose from, in list order.
        """
        super().__init__()
        self.heading = heading
        self.speakers = speakers

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            options = [
                Option(Text(f"{number}. {safe(sp.who())}", no_wrap=True), id=sp.id)
                for number, sp in enumerate(self.speakers, 1)
            ]
            yield OptionList(*options, id="picker-list")
            yield Static(
                Text("↑↓ choose · enter take off the list · escape cancel"), classes="hint"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.speakers else None
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Pick nobody."""
        self.dismiss(None)
