"""The cold path: a log verified, decoded and folded in one pass; late events placed in time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, NextItem, OpenItem
from sessiontui.core.events import Event
from sessiontui.core.replay import REORDER_WINDOW, Replayer, Stream, replay
from sessiontui.core.report import build_report
from sessiontui.core.state import SessionState
from sessiontui.service import SessionService, open_session
from sessiontui.store import checkpoints
from sessiontui.store import file as file_store
from sessiontui.store.file import READ_BLOCK, FileStore

from .conftest import START, make_log


@pytest.fixture(autouse=True)
def no_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")


def writer(log: Path, clock: FakeClock, actor: str = "ana") -> SessionService:
    return SessionService(FileStore(log), actor=actor, clock=clock)


def sorted_report(log: Path) -> dict[str, object]:
    """The report of the whole log folded the slow, sure way: every event, sorted."""
    with FileStore(log, read_only=True) as store:
        return build_report(replay(store.header, list(store.read())), None)


def a_session(log: Path, clock: FakeClock, visits: int) -> None:
    service = writer(log, clock)
    service.run(OpenItem("1"))
    for visit in range(visits):
        clock.advance(60)
        if visit < 3:
            service.run(NextItem())
        clock.advance(30)
        service.run(AddNote(service.state.floor or "1", f"note {visit}"))
    service.store.close()


def test_a_cold_open_reads_the_log_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    a_session(log, clock, visits=8)
    expected = sorted_report(log)

    def second_read(self: FileStore, after_seq: int = 0) -> Iterator[Event]:
        raise AssertionError("the log was read a second time")

    monkeypatch.setattr(FileStore, "read", second_read)
    for read_only in (True, False):
        service = open_session(str(log), read_only=read_only)
        assert build_report(service.state, None) == expected
        assert service.state.last_seq == service.store.last_seq
        service.close()


def test_events_recorded_a_little_late_are_placed_in_time_without_a_refold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    ahead = FakeClock(START)
    a_session(log, ahead, visits=3)
    # Another writer records two corrections back-dated by 45 s: they come later in the log
    # than events that happened after them.
    late = writer(log, ahead, actor="ben")
    back = ahead.now() - dt.timedelta(seconds=45)
    late.run(AddNote(late.state.floor or "1", "said a moment ago"), at=back)
    late.run(AddNote(late.state.floor or "1", "and this"), at=back + dt.timedelta(seconds=1))
    late.store.close()
    on_time = writer(log, ahead)
    ahead.advance(60)
    on_time.run(CloseItem(on_time.state.floor or "1"))
    on_time.store.close()
    with FileStore(log, read_only=True) as store:
        ats = [event.at for event in store.read()]
    assert ats != sorted(ats)  # the log really is out of time order
    expected = sorted_report(log)
    monkeypatch.setattr(FileStore, "read", None)  # placed in the one pass: never read again
    service = open_session(str(log), read_only=True)
    assert build_report(service.state, None) == expected
    assert not service.replayer.needs_sort
    service.close()


@pytest.mark.parametrize("block", [READ_BLOCK, 512])
def test_an_event_later_than_its_run_and_the_window_falls_back_to_the_sorted_fold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    a_session(log, clock, visits=REORDER_WINDOW)
    service = writer(log, clock)
    service.run(AddNote("1", "back-dated by an hour"), at=START)
    service.store.close()
    # The scan hands on the records of each block it reads together: an event that came
    # before everything is placed among the events of its own block, else sorted.
    monkeypatch.setattr(file_store, "READ_BLOCK", block)
    opened = open_session(str(log), read_only=True)
    assert build_report(opened.state, None) == sorted_report(log)
    assert opened.replayer.needs_sort == (block != READ_BLOCK)
    opened.close()


@pytest.mark.parametrize("seed", range(12))
def test_a_stream_fed_in_runs_gives_the_sorted_fold_or_gives_up(tmp_path: Path, seed: int) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    a_session(log, clock, visits=20)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    # Some events recorded a few places late: within a window or beyond it, depending on its
    # size (numbered in the order they were recorded, as a log numbers them).
    rng = random.Random(seed)
    late = list(events)
    for i in range(len(late)):
        j = min(len(late) - 1, i + rng.choice((0,) * 8 + (1, 2, 3, 6)))
        late[i], late[j] = late[j], late[i]
    late = [msgspec.structs.replace(event, seq=seq) for seq, event in enumerate(late, 1)]
    expected_state = replay(header, late)
    expected = (build_report(expected_state, None), expected_state.floor_log)
    placed = []
    for window in (0, 1, 2, 4, 8):
        for run in (1, 3, 64, len(late)):
            stream = Stream(SessionState(header), window=window)
            pushed = all(stream.push_run(late[i : i + run]) for i in range(0, len(late), run))
            done = stream.finish()
            assert done == pushed
            if done:
                placed.append((window, run))
                # Whatever the window and the runs, what a stream folds is the sorted fold.
                assert (build_report(stream.state, None), stream.state.floor_log) == expected
    # A run the size of the log holds every late event; events one at a time need the window.
    assert (0, len(late)) in placed
    ats = [event.at for event in late]
    assert ((0, 1) in placed) == (ats == sorted(ats))


def test_a_stream_gives_the_sorted_fold_for_any_order_within_its_window(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    a_session(log, clock, visits=6)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    expected = build_report(replay(header, events), None)
    # Swap neighbours: every event at most one place away from its place in time.
    shuffled = list(events)
    for i in range(0, len(shuffled) - 1, 2):
        shuffled[i], shuffled[i + 1] = shuffled[i + 1], shuffled[i]
    for window in (1, 2, REORDER_WINDOW):
        stream = Stream(SessionState(header), window=window)
        assert all(stream.push(event) for event in shuffled)
        assert stream.finish()
        assert build_report(stream.state, None) == expected
    # With no window, the first swapped pair makes it give up; the replayer sorts instead.
    stream = Stream(SessionState(header), window=0)
    assert not all(stream.push(event) for event in shuffled)
    replayer = Replayer(header, lambda: iter(shuffled))
    assert not replayer.adopt(stream)
    replayer.rebuild()
    assert build_report(replayer.state, None) == expected
