"""A command keeps its event ids across retries; event times are read under the store's lock."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from sessiontui.core.clock import FakeClock, SystemClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem
from sessiontui.service import SessionService, command_ids
from sessiontui.store.file import FileStore

from .conftest import START, make_log


def _types(log: Path) -> list[str]:
    with FileStore(log, read_only=True) as store:
        return [event.type for event in store.read()]


def test_the_same_key_records_once(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    first = service.run(OpenItem("1"), key="attempt-1")
    again = service.run(OpenItem("1"), key="attempt-1")  # would be refused: 1 is on the floor
    assert [e.id for e in again] == [e.id for e in first]
    closed = service.run(CloseItem("1"), key="attempt-2")
    assert service.run(CloseItem("1"), key="attempt-2") == closed
    assert _types(log) == ["sitting.open", "item.open", "item.close"]
    # Another process retrying with the key (an outbox entry, a CLI retry) is recognised too.
    other = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    assert other.run(CloseItem("1"), key="attempt-2") == closed
    assert len(_types(log)) == 3
    service.close()
    other.close()


def test_ids_follow_from_the_key() -> None:
    one, two = command_ids("k"), command_ids("k")
    assert [one() for _ in range(3)] == [two() for _ in range(3)]
    assert command_ids("k")() != command_ids("l")()
    assert len(command_ids("k")()) == 32


def test_concurrent_writers_append_in_time_order(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    SessionService(FileStore(log), actor="chair").run(OpenItem("1"))

    def write(name: str) -> None:
        service = SessionService(FileStore(log), actor=name, clock=SystemClock())
        for n in range(40):
            service.run(AddNote("1", f"{name} {n}"))
        service.close()

    writers = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    with FileStore(log, read_only=True) as store:
        events = list(store.read())
    assert len(events) == 2 + 160
    times = [event.at for event in events]
    assert times == sorted(times), "an event was stamped before the lock"


def test_a_clock_a_little_behind_keeps_its_own_time(tmp_path: Path) -> None:
    """An event is stamped with its writer's clock, never moved up to the last event's time
    (which may be a correction, or another clock ahead): the fold places it by its time."""
    log = make_log(tmp_path / "s.jsonl")
    ahead = SessionService(
        FileStore(log), actor="ana", clock=FakeClock(START + dt.timedelta(seconds=2))
    )
    behind = SessionService(FileStore(log), actor="raj", clock=FakeClock(START))
    ahead.run(OpenItem("1"))
    (note,) = behind.run(AddNote("1", "From the laptop whose clock is 2 s behind."))
    assert note.at == START
    assert len(behind.state.items["1"].notes) == 1
    # Far behind (a clock an hour off) is not papered over: the event keeps its own time.
    late = SessionService(
        FileStore(log), actor="li", clock=FakeClock(START - dt.timedelta(hours=1))
    )
    (far,) = late.run(AddNote("1", "An hour behind."))
    assert far.at == START - dt.timedelta(hours=1)
    for service in (ahead, behind, late):
        service.close()
