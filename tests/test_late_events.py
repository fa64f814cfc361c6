"""Checkpoints that survive late events: a back-dated or lagging event is placed from a
checkpointed state, folding only what follows it, never the whole log again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessiontui import service as service_module
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem, Undo
from sessiontui.core.events import Event
from sessiontui.core.replay import replay
from sessiontui.core.report import build_report
from sessiontui.service import SessionService, open_session
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log


@pytest.fixture(autouse=True)
def often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)


def notes(log: Path, clock: FakeClock, count: int, actor: str = "ana") -> None:
    service = SessionService(FileStore(log), actor=actor, clock=clock)
    if service.state.floor is None:
        service.run(OpenItem("1"))
    for n in range(count):
        clock.advance(60)
        service.run(AddNote("1", f"{actor} {n}"))
    service.store.close()  # no checkpoint from these writers


def sorted_report(log: Path) -> dict[str, object]:
    with FileStore(log, read_only=True) as store:
        return build_report(replay(store.header, list(store.read())), None)


def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From here on, every read of the log from its start is noted (by the log's name)."""
    read = FileStore.read
    seen: list[str] = []

    def noted(self: FileStore, after_seq: int = 0) -> Iterator[Event]:
        if after_seq == 0:
            seen.append(self.path.name)
        return read(self, after_seq)

    monkeypatch.setattr(FileStore, "read", noted)
    return seen


def two_checkpoints(log: Path, clock: FakeClock) -> dt.datetime:
    """A log with a checkpoint that keeps the one before it; returns a time between the two."""
    notes(log, clock, 5)
    open_session(str(log)).close()
    between = clock.advance(30)
    notes(log, clock, 5)
    open_session(str(log)).close()
    saved = checkpoints.load(log)
    assert saved is not None and saved.part(checkpoints.EARLIER + "state") is not None
    return between


def test_an_event_before_the_checkpoint_is_placed_from_the_earlier_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    between = two_checkpoints(log, clock)
    # A writer whose clock lags behind the checkpoint's last event records after it.
    lagging = FakeClock(between)
    late = SessionService(FileStore(log), actor="ben", clock=lagging)
    late.run(AddSpeaker("1", "Peru", start=True))
    late.store.close()
    expected = sorted_report(log)
    seen = whole_reads(monkeypatch)
    service = open_session(str(log), read_only=True)
    assert build_report(service.state, None) == expected
    assert seen == []
    service.close()


def test_a_late_event_seen_live_is_placed_without_folding_the_whole_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    between = two_checkpoints(log, clock)
    seen = whole_reads(monkeypatch)
    watching = open_session(str(log), read_only=True)
    corrector = SessionService(FileStore(log), actor="ben", clock=clock)
    corrector.run(AddNote("1", "said earlier"), at=between)  # a back-dated correction
    corrector.store.close()
    seen.clear()  # the corrector decided against the session as it stood then
    assert watching.refresh()
    assert seen == []
    assert build_report(watching.state, None) == sorted_report(log)
    watching.close()


def test_an_undo_of_a_batch_inside_a_checkpoint_folds_the_whole_log(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    notes(log, clock, 5)
    open_session(str(log)).close()
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(Undo())  # reverts the last note, which the checkpoint's state holds
    service.store.close()
    opened = open_session(str(log), read_only=True)
    assert build_report(opened.state, None) == sorted_report(log)
    opened.close()


def test_an_edited_earlier_state_is_not_used(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    between = two_checkpoints(log, clock)
    path = checkpoints.path_for(log)
    data = bytearray(path.read_bytes())
    parts = json.loads(data[: data.index(b"\n")])["parts"]
    names = [name for name, _, _ in parts]
    start = len(data) - sum(length for _, length, _ in parts[names.index("earlier.state") :])
    data[start + 5] ^= 1  # inside the earlier state, which only its own seal covers
    path.write_bytes(bytes(data))
    saved = checkpoints.load(log)
    assert saved is not None and saved.part(checkpoints.EARLIER + "state") is None
    late = SessionService(FileStore(log), actor="ben", clock=FakeClock(between))
    late.run(AddNote("1", "late"))
    late.store.close()
    opened = open_session(str(log), read_only=True)
    assert build_report(opened.state, None) == sorted_report(log)
    opened.close()
