"""A command keeps its event ids across retries."""

from __future__ import annotations

from pathlib import Path

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import CloseItem, OpenItem
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
