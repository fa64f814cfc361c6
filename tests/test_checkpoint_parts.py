"""A checkpoint's notes and floor log are parts of their own, read only when the state needs
them: a report from a long session's checkpoint never reads them."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from sessiontui import service as service_module
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, NextItem, OpenItem
from sessiontui.core.replay import replay
from sessiontui.core.report import report_table
from sessiontui.service import SessionService, open_session
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log


@pytest.fixture(autouse=True)
def often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)


def checkpointed_log(
    tmp_path: Path, rounds: int, *, notes: bool = True, move_on: bool = False
) -> tuple[Path, FakeClock]:
    """A log with item 1 taken up, then ``rounds`` minutes each with a note on the item on the
    floor and/or the next item taken up, closed and opened again so that it has a checkpoint."""
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    writer = SessionService(FileStore(log), actor="ana", clock=clock)
    writer.run(OpenItem("1"))
    for n in range(rounds):
        clock.advance(60)
        if notes:
            writer.run(AddNote(writer.state.floor or "1", f"note {n}"))
        if move_on:
            writer.run(NextItem())
    writer.store.close()
    open_session(str(log)).close()  # leaves the checkpoint
    return log, clock


def test_parts_are_read_only_when_needed_and_give_the_same_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log, _clock = checkpointed_log(tmp_path, 4, move_on=True)
    with FileStore(log, read_only=True) as store:
        whole = replay(store.header, list(store.read()))
    read: list[str] = []
    part = checkpoints.Saved.part

    def noted(self: checkpoints.Saved, name: str) -> bytes | None:
        read.append(name)
        return part(self, name)

    monkeypatch.setattr(checkpoints.Saved, "part", noted)
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    assert report_table(service.state, None) == report_table(whole, None)
    assert read == []
    assert msgspec.json.encode(service.state.floor_log) == msgspec.json.encode(whole.floor_log)
    assert read == [checkpoints.FLOOR]
    assert msgspec.json.encode(service.state.notes) == msgspec.json.encode(whole.notes)
    assert read == [checkpoints.FLOOR, checkpoints.NOTES]
    service.close()


def test_a_part_changed_after_loading_is_a_clear_error(tmp_path: Path) -> None:
    log, _clock = checkpointed_log(tmp_path, 4)
    service = open_session(str(log), read_only=True)
    path = checkpoints.path_for(log)
    data = bytearray(path.read_bytes())
    data[-10] ^= 1  # in the notes (the last part but an empty floor log), changed in place
    with path.open("r+b") as changed:
        changed.write(bytes(data))
    with pytest.raises(ValueError, match=r"delete the \.checkpoint file"):
        _ = service.state.notes
    service.close()


def test_block_digests_find_a_change_in_any_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessiontui.store import file as filestore

    monkeypatch.setattr(filestore, "BLOCK", 512)  # many blocks, checked side by side
    log, _clock = checkpointed_log(tmp_path, 6)
    saved = checkpoints.load(log)
    assert saved is not None and len(saved.checkpoint.blocks) > 4
    with FileStore(log, read_only=True, checkpoint=saved.checkpoint) as store:
        assert store.checkpoint_used is not None
        # A later checkpoint keeps the whole blocks it was given and hashes only the rest.
        again = store.checkpoint()
        assert again.blocks == saved.checkpoint.blocks
    data = bytearray(log.read_bytes())
    middle = (data.index(b"\n") + len(data)) // 2  # inside an event, blocks after the first
    assert middle // 512 > 0
    data[middle] = ord("X") if data[middle] != ord("X") else ord("Y")
    log.write_bytes(bytes(data))
    with FileStore(log, read_only=True, checkpoint=saved.checkpoint) as store:
        assert store.checkpoint_used is None  # the changed block is found: verified from the top
        assert store.damage


def test_blocks_hold_checks_every_block_and_says_why_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from sessiontui.store import file as filestore

    monkeypatch.setattr(filestore, "BLOCK", 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})  # three threads
    path = tmp_path / "bytes"
    data = bytes(range(256)) * 3 + b"tail"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        blocks = filestore.block_digests(fd, len(data))
        assert blocks is not None and len(blocks) == 13
        assert filestore.blocks_hold(fd, len(data), blocks)
        for index in range(len(blocks)):  # the first, a middle and the last, shorter one
            wrong = (*blocks[:index], "0" * 64, *blocks[index + 1 :])
            assert not filestore.blocks_hold(fd, len(data), wrong)
        assert not filestore.blocks_hold(fd, len(data) + 1, blocks)  # shorter than they say
    finally:
        os.close(fd)
    # A read that fails is raised in the caller, not lost in a thread.
    with pytest.raises(OSError):
        filestore.blocks_hold(fd, len(data), blocks)


def test_blocks_hold_only_with_what_runs_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkpoint's seal is checked while its prefix is hashed: both must hold."""
    import os
    import threading

    from sessiontui.store import file as filestore

    monkeypatch.setattr(filestore, "BLOCK", 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    path = tmp_path / "bytes"
    data = bytes(range(256)) * 3
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        blocks = filestore.block_digests(fd, len(data))
        assert blocks is not None
        callers: list[threading.Thread] = []

        def sealed() -> bool:
            callers.append(threading.current_thread())
            return True

        assert filestore.blocks_hold(fd, len(data), blocks, sealed)
        assert callers == [threading.current_thread()]  # in the caller's thread, once
        assert not filestore.blocks_hold(fd, len(data), blocks, lambda: False)
        wrong = ("0" * 64, *blocks[1:])
        assert not filestore.blocks_hold(fd, len(data), wrong, sealed)

        def broken() -> bool:
            raise OSError("the checkpoint could not be read")

        with pytest.raises(OSError):
            filestore.blocks_hold(fd, len(data), blocks, broken)
    finally:
        os.close(fd)


def test_a_checkpoint_is_taken_only_once_its_seal_is_checked(tmp_path: Path) -> None:
    log, _ = checkpointed_log(tmp_path, 3, move_on=True)
    found = checkpoints.read(log)
    assert found is not None
    with FileStore(
        log, read_only=True, checkpoint=found.claims, checkpoint_sealed=lambda: False
    ) as store:
        assert store.checkpoint_used is None  # verified from the top
        assert not store.damage
    with FileStore(
        log, read_only=True, checkpoint=found.claims, checkpoint_sealed=found.sealed
    ) as store:
        assert store.checkpoint_used == found.claims
    saved = found.check()
    assert saved is not None and saved.checkpoint == found.claims


def test_a_new_checkpoint_copies_an_unread_floor_log_on(tmp_path: Path) -> None:
    log, clock = checkpointed_log(tmp_path, 3, notes=False, move_on=True)
    service = open_session(str(log))
    for _ in range(4):  # intervals that end after the checkpoint's
        clock.advance(60)
        service.clock = clock
        service.run(NextItem())
    held, _, tail = service.state.floor_log_held()
    assert held is not None and tail
    service.close()  # leaves a new checkpoint without decoding the floor log
    assert service.state.floor_log_held()[0] is not None
    with FileStore(log, read_only=True) as store:
        whole = replay(store.header, list(store.read()))
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.last_seq == whole.last_seq
    assert saved.part(checkpoints.FLOOR) == msgspec.json.encode(whole.floor_log)


def test_the_replaced_checkpoint_parts_are_copied_on_as_earlier_ones(tmp_path: Path) -> None:
    log, clock = checkpointed_log(tmp_path, 3, move_on=True)
    first = checkpoints.load(log)
    assert first is not None
    before = {name: first.part(name) for name in (checkpoints.NOTES, checkpoints.FLOOR)}
    assert first.copy_part(checkpoints.NOTES, "elsewhere") is not None
    assert first.copy_part("no such part", "elsewhere") is None
    service = open_session(str(log))
    for _ in range(3):
        clock.advance(60)
        service.clock = clock
        service.run(NextItem())
    service.close()
    second = checkpoints.load(log)
    assert second is not None and second.checkpoint.last_seq > first.checkpoint.last_seq
    assert bytes(second.part(checkpoints.EARLIER + "state") or b"") == bytes(first.state)
    for name, data in before.items():
        assert data is not None and second.part(checkpoints.EARLIER + name) == data


def test_a_part_failing_its_seal_is_not_copied(tmp_path: Path) -> None:
    log, _clock = checkpointed_log(tmp_path, 3)
    path = checkpoints.path_for(log)
    data = bytearray(path.read_bytes())
    data[-2] ^= 1  # inside the last part (the floor log)
    path.write_bytes(bytes(data))
    saved = checkpoints.load(log)  # the state is intact: only a part's own seal fails
    assert saved is not None
    assert saved.copy_part(checkpoints.FLOOR, checkpoints.EARLIER + checkpoints.FLOOR) is None
    assert saved.copy_part(checkpoints.NOTES, checkpoints.EARLIER + checkpoints.NOTES) is not None


def test_a_new_checkpoint_copies_unread_notes_on(tmp_path: Path) -> None:
    log, clock = checkpointed_log(tmp_path, 3)
    service = open_session(str(log))
    for n in range(4):  # notes written after the checkpoint's
        clock.advance(60)
        service.clock = clock
        service.run(AddNote("1", f"later {n}"))
    held, since = service.state.held_notes_json()
    assert held is not None and len(since) == 4
    service.close()  # leaves a new checkpoint without reading the notes
    assert service.state.held_notes_json()[0] is not None
    with FileStore(log, read_only=True) as store:
        whole = replay(store.header, list(store.read()))
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.last_seq == whole.last_seq
    assert saved.part(checkpoints.NOTES) == msgspec.json.encode(whole.notes)


def test_every_note_read_at_once_is_each_read_alone(tmp_path: Path) -> None:
    log, clock = checkpointed_log(tmp_path, 5, move_on=True)
    writer = open_session(str(log))
    for n in range(3):  # notes written after the checkpoint's, one on an item with others
        clock.advance(60)
        writer.clock = clock
        writer.run(AddNote("1", f"later {n}"))
    at_once, alone = writer.state, open_session(str(log), read_only=True).state
    assert at_once.held_notes_json()[0] is not None  # the checkpoint's notes not read yet
    at_once.read_every_note()
    assert at_once.held_notes_json()[0] is None
    assert not any(isinstance(note, msgspec.Raw) for note in at_once.stored_notes().values())
    for item_id in at_once.agenda.nodes:
        assert at_once.notes_of(item_id) == alone.notes_of(item_id)
    assert list(at_once.notes) == list(alone.notes) and at_once.notes == alone.notes
    writer.close()


def test_notes_that_fail_at_once_fail_as_when_read_alone(tmp_path: Path) -> None:
    log, _clock = checkpointed_log(tmp_path, 2)
    state = open_session(str(log), read_only=True).state
    state.set_notes_source(lambda: b'{"n1": {"id": "n1", "item": 7}}')
    state.read_every_note()  # nothing decoded: which note fails is said when it is read
    with pytest.raises(ValueError, match="a note in the session's checkpoint cannot be read"):
        state.note("n1")
