"""The undo memory a fold leaves: the same whether the log streamed in or was folded sorted."""

from __future__ import annotations

from sessiontui.core.commands import AddSpeaker, OpenItem, SittingCommand, StartSpeaker
from sessiontui.core.events import Event, Header
from sessiontui.core.replay import Replayer, Stream
from sessiontui.core.state import SessionState

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
