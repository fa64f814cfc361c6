"""A checkpoint's snapshot is made and staged a chunk at a time: never whole in memory beside the
state it encodes, yet the same bytes as encoding it whole."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest

from sessiontui import service as service_module
from sessiontui.core import snapshot
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, NextItem, OpenItem
from sessiontui.core.replay import replay
from sessiontui.core.state import SessionState
from sessiontui.service import SessionService, open_session
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few entries, so that a short session is made of many."""
    monkeypatch.setattr(snapshot, "ITEMS_PER_CHUNK", 2)
    monkeypatch.setattr(snapshot, "NOTES_PER_CHUNK", 3)
    monkeypatch.setattr(snapshot, "INTERVALS_PER_CHUNK", 4)
    monkeypatch.setattr(snapshot, "ENTRIES_PER_CHUNK", 5)
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)


def whole(state: SessionState) -> tuple[bytes, bytes, bytes]:
    """The snapshot's three pieces encoded whole, as a checkpoint held them before."""
    encoder = msgspec.json.Encoder()
    rest = encoder.encode(snapshot._snapshot(state, False, msgspec.Raw(b"{}"), msgspec.Raw(b"[]")))
    return rest, encoder.encode(state.stored_notes()), encoder.encode(state.floor_log)


def record(log: Path, rounds: int, clock: FakeClock) -> None:
    """The agenda's items taken up in turn (again and again), each with a note and a speaker
    given the floor."""
    writer = SessionService(FileStore(log), actor="ana", clock=clock)
    items = list(writer.state.agenda.nodes)
    for n in range(rounds):
        clock.advance(60)
        item = items[n % len(items)]
        writer.run(OpenItem(item))
        writer.run(AddNote(item, f'note {n} with "quotes", commas, {{braces}} and ünïcode'))
        writer.run(AddSpeaker(item, f"Delegation {n}", start=True))
        clock.advance(30)
    writer.store.close()


@pytest.mark.parametrize("rounds", [0, 1, 5, 13])
def test_the_chunks_join_into_the_whole_encoding(tmp_path: Path, rounds: int) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, rounds, FakeClock(START))
    with FileStore(log, read_only=True) as store:
        state = replay(store.header, list(store.read()))
    rest, notes, floor = snapshot.dump_chunks(state, needs_sort=False)
    made = [list(rest), list(notes), list(floor)]
    assert tuple(b"".join(chunks) for chunks in made) == whole(state)
    if rounds == 13:
        # Many chunks, each a few entries: no piece is made whole at once.
        rest_chunks, *others = made
        for chunks, piece in zip(others, whole(state)[1:], strict=True):
            assert len(chunks) > 3
            assert max(len(chunk) for chunk in chunks) < len(piece) / 2
        # The items (each with its speakers and notes) come a few at a time too.
        keys = [msgspec.json.encode(item) + b":{" for item in state.items]
        assert not any(all(key in chunk for key in keys) for chunk in rest_chunks)


def test_a_loaded_state_with_notes_since_joins_into_the_whole_encoding(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, 6, clock)
    open_session(str(log)).close()  # leaves a checkpoint: notes and floor log kept as JSON
    service = open_session(str(log), actor="ana", clock=clock)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    clock.advance(60)
    service.run(AddNote(service.state.floor or "1", "written after the checkpoint"))
    service.run(NextItem())
    assert service.state.held_notes_json()[0] is not None  # still the checkpoint's JSON
    rest, notes, floor = snapshot.dump_chunks(service.state, needs_sort=False)
    joined = b"".join(rest), b"".join(notes), b"".join(floor)
    with FileStore(log, read_only=True) as store:
        folded = replay(store.header, list(store.read()))
    assert msgspec.json.decode(joined[1]) == msgspec.json.decode(whole(folded)[1])
    assert msgspec.json.decode(joined[2]) == msgspec.json.decode(whole(folded)[2])
    service.close()


def test_a_staged_checkpoint_reads_back_as_the_fold(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, 9, FakeClock(START))
    open_session(str(log)).close()
    assert checkpoints.path_for(log).exists()
    # No staging file is left beside the log.
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "s.jsonl",
        "s.jsonl.checkpoint",
    ]
    with FileStore(log, read_only=True) as store:
        folded = replay(store.header, list(store.read()))
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    assert whole(service.state) == whole(folded)
    service.close()


def test_a_staging_file_that_cannot_be_written_leaves_no_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, 9, FakeClock(START))

    def full_disk(fd: int, chunk: object) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(checkpoints, "write_all", full_disk)
    service = open_session(str(log), read_only=True)
    assert service.save_checkpoint() is False
    service.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["s.jsonl"]


class RecordingEncoder:
    """The snapshot's encoder, noting the most entries of a list or mapping it was given."""

    def __init__(self) -> None:
        self.encoder = msgspec.json.Encoder()
        self.most = 0

    def encode(self, value: object) -> bytes:
        if isinstance(value, dict | list):
            self.most = max(self.most, len(value))
        return self.encoder.encode(value)


def test_a_checkpoint_never_encodes_its_snapshot_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, 40, FakeClock(START))
    recording = RecordingEncoder()
    monkeypatch.setattr(snapshot, "_encoder", recording)
    service = open_session(str(log), read_only=True)
    assert len(service.state.notes) == 40
    recording.most = 0
    assert service.save_checkpoint(every=0)
    service.close()
    # Never the notes, the floor log, the items or any other list whole: a few at a time.
    assert 0 < recording.most <= 5
    assert checkpoints.load(log) is not None


def test_a_floor_log_read_then_grown_joins_into_the_whole_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intervals made when the floor log was read, then more ended since, held as fields."""
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, 7, clock)
    service = open_session(str(log), actor="ana", clock=clock)
    read = len(service.state.floor_log)  # made now, and kept
    assert read > 4
    for item in list(service.state.agenda.nodes)[:6]:
        clock.advance(60)
        service.run(OpenItem(item))
    held, made, tail = service.state.floor_log_held()
    assert held is None and len(made) == read and len(tail) > 4
    floor = b"".join(snapshot.dump_chunks(service.state, needs_sort=False)[2])
    assert floor == msgspec.json.encode(service.state.floor_log)
    service.close()
