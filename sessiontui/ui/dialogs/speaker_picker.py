"""The speakers waiting on an item: move one up or down, or take one off the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.core.state import Speaker
from sessiontui.ui.format import safe, speech_tag

SpeakerAct = Callable[[str, str], str | None]
"""``act(what, speaker_id)`` with what "up", "down" or "remove": None when recorded, else why not."""


class SpeakerPicker(ModalScreen[None]):
    """The waiting speakers in order; each change is recorded at once, escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up,K", "act('up')", "Move the speaker up", id="speakers.up"),
        Binding("shift+down,J", "act('down')", "Move the speaker down", id="speakers.down"),
        Binding("minus,delete", "act('remove')", "Take the speaker off the list", id="speakers.remove"),
        Binding("escape", "close", "Close", id="speakers.close"),
    ]  # fmt: skip

    def __init__(self, heading: str, waiting: Callable[[], list[Speaker]], act: SpeakerAct) -> None:
        """Make the list.

        Args:
            heading: Which item, e.g. "Speakers waiting on 2(b)".
            waiting: The speakers waiting now, in list order (asked again after each change).
            act: Records a move or a removal.
        """
        super().__init__()
        self.heading = heading
        self.waiting = waiting
        self.act = act

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            yield OptionList(id="picker-list")
            yield Static(
                Text("↑↓ choose · shift+↑/↓ (K/J) move · - take off the list · escape close"),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill(0)
        self.set_focus(self.query_one(OptionList))

    def _fill(self, highlight: int) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        speakers = self.waiting()
        options.add_options(
            Option(Text(f"{number}. {safe(sp.who())}{speech_tag(sp.kind)}", no_wrap=True), id=sp.id)
            for number, sp in enumerate(speakers, 1)
        )
        options.highlighted = min(highlight, len(speakers) - 1) if speakers else None

    def action_act(self, what: str) -> None:
        """Move or remove the highlighted speaker; the list follows."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        option = options.get_option_at_index(index)
        if option.id is None or self.act(what, option.id) is not None:
            return  # refused: the app said why
        moved = {"up": index - 1, "down": index + 1}.get(what, index)
        self._fill(max(moved, 0))

    def action_close(self) -> None:
        """Back to the tracker."""
        self.dismiss(None)
