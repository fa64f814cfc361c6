"""The clock view for a projector or the chair: the item on the floor and the speaker's countdown."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from sessiontui.core.state import SessionState
from sessiontui.ui.format import clock, safe


class ClockScreen(Screen[None]):
    """Large digits: the speaker's remaining time (negative when over), else the item's time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,t", "app.pop_screen", "Back", id="clock.back"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="clock-box"):
            yield Static(id="clock-item")
            yield Digits("0:00", id="clock-item-time")
            yield Static(id="clock-speaker")
            yield Digits("", id="clock-speaker-time")
            yield Static(id="clock-speaker-note")

    def tick(self, state: SessionState, now: dt.datetime) -> None:
        """Repaint for the instant ``now``."""
        item_label = self.query_one("#clock-item", Static)
        item_time = self.query_one("#clock-item-time", Digits)
        if state.floor is None:
            item_label.update(Text("No item on the floor"))
            item_time.update("")
        else:
            item_label.update(
                Text(safe(state.display(state.floor)), no_wrap=True, overflow="ellipsis")
            )
            used = state.used_seconds(state.floor, now)
            planned = state.agenda.planned_seconds_of(state.floor)
            item_time.update(clock(used) + (f"/{clock(planned)}" if planned else ""))
            item_time.set_class(planned is not None and used > planned, "over")
        speaker_label = self.query_one("#clock-speaker", Static)
        speaker_time = self.query_one("#clock-speaker-time", Digits)
        speaker_note = self.query_one("#clock-speaker-note", Static)
        speaking = state.speaking
        speaker = state.speaker(*speaking) if speaking is not None else None
        if speaking is None or speaker is None:
            speaker_label.update(Text("No speaker"))
            speaker_time.update("")
            speaker_note.update(Text())
            speaker_time.set_class(False, "over")
            return
        speaker_label.update(Text(safe(speaker.name), style="bold"))
        seconds = state.speaker_seconds(speaking[0], speaker, now)
        if speaker.limit_seconds:
            left = speaker.limit_seconds - seconds
            speaker_time.update(clock(left))
            speaker_time.set_class(left < 0, "over")
            speaker_note.update(
                Text(
                    f"OVER THE {clock(speaker.limit_seconds)} LIMIT"
                    if left < 0
                    else f"of {clock(speaker.limit_seconds)}"
                )
            )
        else:
            speaker_time.update(clock(seconds))
            speaker_time.set_class(False, "over")
            speaker_note.update(Text("no limit"))
