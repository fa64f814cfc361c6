"""Times given by hand (`--at`, `@`) are never ahead of the clock, and an ordinary event keeps
its own time whatever the event before it carries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, CloseItem, OpenItem, Refused
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log


def _events(log: Path) -> list[tuple[str, str, str | None]]:
    with FileStore(log, read_only=True) as store:
        return [(e.actor, e.type, e.item) for e in store.read()]


def test_a_time_ahead_of_the_clock_is_refused(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START + dt.timedelta(minutes=5, seconds=15))
    service = SessionService(FileStore(log), actor="c", clock=clock)
    service.run(OpenItem("2a"))
    ahead = clock.now() + dt.timedelta(seconds=50)
    with pytest.raises(Refused, match=r"\d\d:06:05 .* is in the future; --at is for times"):
        service.run(AddSpeaker("2a", "Kenya", start=True), at=ahead)
    assert [kind for _, kind, _ in _events(log)] == ["sitting.open", "item.open"]


def test_the_minute_under_way_is_recorded_as_now(tmp_path: Path) -> None:
    """ "10:06" at 10:05:40 names the minute under way: recorded at 10:05:40, corrected, so the
    next ordinary event (at its own time) does not come before it."""
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START + dt.timedelta(minutes=5, seconds=40))
    c = SessionService(FileStore(log), actor="c", clock=clock)
    d = SessionService(FileStore(log), actor="d", clock=clock)
    c.run(OpenItem("2a"))
    (started,) = c.run(AddSpeaker("2a", "Kenya", start=True), at=START + dt.timedelta(minutes=6))[
        -1:
    ]
    assert started.at == clock.now() and started.data.corrected
    clock.advance(1)
    closed = [e for e in d.run(CloseItem("2a")) if e.type == "item.close"]
    assert closed[0].at == clock.now() == closed[0].recorded
    assert not closed[0].data.corrected


def test_an_ordinary_event_keeps_its_own_time_after_a_correction(tmp_path: Path) -> None:
    """The last event recorded a little ahead (another writer's clock): the next ordinary one
    is stamped with its own time, not moved up to follow it, and folded in time order."""
    log = make_log(tmp_path / "s.jsonl")
    ahead = SessionService(
        FileStore(log), actor="ana", clock=FakeClock(START + dt.timedelta(seconds=50))
    )
    behind = SessionService(FileStore(log), actor="raj", clock=FakeClock(START))
    ahead.run(OpenItem("1"))
    (note,) = behind.run(AddNote("1", "From the laptop whose clock is behind."))
    assert note.at == START
    assert len(behind.state.items["1"].notes) == 1
    assert behind.state.last_at == START + dt.timedelta(seconds=50)
