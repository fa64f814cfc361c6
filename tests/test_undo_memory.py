"""The undo memory a fold leaves: the same whether the log streamed in or was folded sorted."""

from __future__ import annotations

import datetime as dt
import random

import msgspec
import pytest

from sessiontui.core import replay as replay_module
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.commands import AddSpeaker, OpenItem, SittingCommand, StartSpeaker
from sessiontui.core.events import (
    Event,
    Header,
    NoteAddData,
    NoteAdded,
    Payload,
    SittingClosed,
    SpeakerStartData,
    SpeakerStarted,
    SpeakerStopData,
    SpeakerStopped,
    new_header,
)
from sessiontui.core.fold import UNDO_MEMORY
from sessiontui.core.replay import REORDER_WINDOW, UNDO_LOOKBACK, Replayer, Stream
from sessiontui.core.state import SessionState

from .conftest import COSP, START
from .memory import MemorySession


def sorted_fold(header: Header, events: list[Event]) -> SessionState:
    """The fold that sorts every event first (the one a log with an undo needs)."""
    replayer = Replayer(header, lambda: iter(events))
    replayer.needs_sort = True
    replayer.rebuild()
    return replayer.state


def streamed(header: Header, events: list[Event], run: int, window: int = 2) -> SessionState:
    """The fold of a cold open: the log handed to a stream ``run`` events at a time."""
    stream = Stream(SessionState(header), window=window)
    for start in range(0, len(events), run):
        assert stream.push_run(events[start : start + run])
    assert stream.finish()
    return stream.state


def memory_of(state: SessionState) -> dict[str, list[tuple[str, Event]]]:
    return {actor: list(memory) for actor, memory in state.undoable.items()}


def test_a_streamed_fold_names_a_command_by_what_it_did() -> None:
    """A command that ended a speech on the way is remembered by what it did after a cold
    open too, not by that speech's end (the stream saw only each batch's first event)."""
    m = MemorySession()
    m.run(OpenItem("2"), "10:00")
    m.run(AddSpeaker("2", "Germany", start=True), "10:01")
    m.run(AddSpeaker("2", "Brazil"), "10:02")
    m.run(StartSpeaker("2", "Brazil"), "10:05")
    m.run(SittingCommand("close"), "10:07")
    live = memory_of(m.state)
    assert [event.type for _, event in live["ana"][-2:]] == ["speaker.start", "sitting.close"]
    assert memory_of(sorted_fold(m.header, m.events)) == live
    for run in (1, 2, 3, len(m.events)):
        assert memory_of(streamed(m.header, m.events, run)) == live


def a_long_log(seed: int) -> list[Event]:
    """Commands by actors who act often (more batches than the memory holds), seldom, or once
    at the start; some commands end a speech on the way, some events carry no batch, and now
    and then another actor's event falls within a command's."""
    rng = random.Random(seed)
    events: list[Event] = []
    at = START

    def add(cls: type[Event], actor: str, batch: str | None, data: Payload) -> None:
        number = len(events) + 1
        event = cls(seq=number, id=f"e{number}", at=at, recorded=at, actor=actor, data=data)
        events.append(msgspec.structs.replace(event, item="1", batch=batch))

    def note(actor: str, batch: str | None) -> None:
        add(NoteAdded, actor, batch, NoteAddData(note=f"n{len(events)}", kind="note", text="t"))

    note("once", "first")
    for number in range(5000):
        at += dt.timedelta(seconds=rng.choice((0, 0, 1, 7)))
        actor = rng.choices(("officer", "rapporteur", "ben"), (5, 3, 1))[0]
        batch = None if rng.random() < 0.02 else f"b{number}"
        shape = rng.random()
        if shape < 0.1:  # the sitting closed during a speech
            add(SpeakerStopped, actor, batch, SpeakerStopData(speaker="s", implicit=True))
            add(SittingClosed, actor, batch, Payload())
        elif shape < 0.2:  # the next speaker given the floor (or the one interrupted resuming)
            add(SpeakerStopped, actor, batch, SpeakerStopData(speaker="s"))
            if rng.random() < 0.5:
                note(rng.choice(("officer", "ben")), f"other{number}")
            add(SpeakerStarted, actor, batch, SpeakerStartData(speaker="t", resumes=shape < 0.13))
        else:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                note(actor, batch)
    return events


@pytest.mark.parametrize("lookback", [97, 1000, 4096, UNDO_LOOKBACK])
def test_a_streamed_fold_remembers_as_the_sorted_fold(
    monkeypatch: pytest.MonkeyPatch, lookback: int
) -> None:
    """Whatever the runs and however many events the stream holds before it notes them: each
    actor's last batches, as the sorted fold remembers them; the actors in the order of the
    first event of the oldest batch each one can still undo."""
    monkeypatch.setattr(replay_module, "UNDO_LOOKBACK", lookback)
    header = new_header(load_agenda_file(COSP), created=START, session_id="undo")
    for seed in range(2):
        events = a_long_log(seed)
        expected = memory_of(sorted_fold(header, events))
        assert len(expected["officer"]) == len(expected["rapporteur"]) == UNDO_MEMORY
        assert 0 < len(expected["ben"]) < UNDO_MEMORY
        assert len(expected["once"]) == 1
        first: dict[tuple[str, str | None], int] = {}
        for event in events:
            first.setdefault((event.actor, event.batch), event.seq)
        order = sorted(expected, key=lambda actor: first[actor, expected[actor][0][0]])
        for run in (1, 7, 500, len(events)):
            state = streamed(header, events, run, window=REORDER_WINDOW)
            assert memory_of(state) == expected
            assert list(state.undoable) == order


def test_a_streamed_fold_remembers_the_batches_of_records_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An actor whose every event the fold leaves out as invalid (a name past the bounds) has
    no last time in the state, from which the stream reads who acted since it last noted the
    batches: that actor's batches are remembered all the same, as by the sorted fold."""
    monkeypatch.setattr(replay_module, "UNDO_LOOKBACK", 500)
    header = new_header(load_agenda_file(COSP), created=START, session_id="undo")
    events = a_long_log(0)
    outsider = "x" * 2000  # longer than any name may be
    for index in range(3000, 3100, 7):
        events[index] = msgspec.structs.replace(events[index], actor=outsider, batch=f"o{index}")
    expected = memory_of(sorted_fold(header, events))
    assert len(expected[outsider]) == len(range(3000, 3100, 7))
    for run in (1, 7, 500):
        state = streamed(header, events, run, window=REORDER_WINDOW)
        assert outsider not in state.actors and state.invalid
        assert memory_of(state) == expected
