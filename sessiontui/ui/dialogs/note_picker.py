"""Pick one of an item's notes (to edit or delete it)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.core.state import Note
from sessiontui.core.vocabulary import note_kind
from sessiontui.ui.format import safe
from sessiontui.ui.widgets.item_panel import WAITING_MARK


class NotePicker(ModalScreen[str | None]):
    """A list of notes; Enter picks one (its id), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        notes: list[Note],
        numbers: dict[str, int],
        *,
        waiting: set[str] | None = None,
    ) -> None:
        """Make the picker.

        Args:
            heading: What the pick is for, e.g. "Edit which note on 2(a)?".
            notes: The notes to choose from, in order.
            numbers: Each note's number within its kind, as the item panel shows it.
            waiting: The ids of those still in the outbox (marked as the item panel does).
        """
        super().__init__()
        self.heading = heading
        self.notes = notes
        self.numbers = numbers
        self.waiting = waiting or set()

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            options = []
            for note in self.notes:
                mark = f"{WAITING_MARK} " if note.id in self.waiting else ""
                # Named as the item panel lists it ("Decision 2."): the number said aloud.
                name = f"{note_kind(note.kind).heading} {self.numbers[note.id]}."
                prompt = Text(f"{mark}{name} ", no_wrap=True, overflow="ellipsis")
                prompt.append(safe(note.text).replace("\n", " "))
                options.append(Option(prompt, id=note.id))
            yield OptionList(*options, id="picker-list")
            yield Static(Text("enter choose · escape cancel"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = len(self.notes) - 1 if self.notes else None
        self.set_focus(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
