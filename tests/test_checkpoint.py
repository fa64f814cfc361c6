"""Checkpoints beside the log: a cache that gives the same state as folding the whole log."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from sessiontui import service as service_module
from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    Amend,
    CloseItem,
    Command,
    NextItem,
    OpenItem,
    Undo,
)
from sessiontui.core.replay import REORDER_WINDOW, replay
from sessiontui.core.report import build_report
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import ItemState
from sessiontui.service import SessionService, open_session
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, count_hashing, make_log


@pytest.fixture(autouse=True)
def every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)


def record(log: Path, clock: FakeClock, *commands: Command, actor: str = "ana") -> None:
    service = SessionService(FileStore(log), actor=actor, clock=clock)
    for command in commands:
        clock.advance(60)
        service.run(command)
    service.store.close()  # no checkpoint from these writers


def full_replay_report(log: Path) -> dict[str, object]:
    with FileStore(log, read_only=True) as store:
        return build_report(replay(store.header, list(store.read())), None)


def test_a_checkpoint_gives_the_same_state_as_the_whole_log(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("2a"), AddNote("2a", "x"), AddSpeaker("2a", "Peru", start=True))
    open_session(str(log), read_only=True).close()
    saved = checkpoints.path_for(log)
    assert saved.exists() and stat.S_IMODE(saved.stat().st_mode) == 0o600
    record(log, clock, NextItem(), AddNote("2b", "y"))
    service = open_session(str(log), read_only=True)
    assert isinstance(service.store, FileStore) and service.store.checkpoint_used is not None
    assert build_report(service.state, None) == full_replay_report(log)
    service.close()


def test_an_undo_or_a_correction_after_the_checkpoint_folds_again(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), CloseItem("1"), OpenItem("2a"))
    open_session(str(log)).close()
    record(log, clock, Undo())
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(OpenItem("3"), at=START + dt.timedelta(minutes=1, seconds=30))  # back-dated
    service.store.close()
    with_checkpoint = open_session(str(log), read_only=True)
    assert with_checkpoint.store.checkpoint_used is not None  # type: ignore[attr-defined]
    assert build_report(with_checkpoint.state, None) == full_replay_report(log)
    with_checkpoint.close()


def test_damage_in_the_prefix_is_still_found(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), AddNote("1", "n2"))
    open_session(str(log)).close()
    data = bytearray(log.read_bytes())
    data[data.index(b"n1")] ^= 0x02
    log.write_bytes(bytes(data))
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert service.store.damage and service.store.damage[0].line == 4
    service.close()


@pytest.mark.parametrize("content", [b"", b"garbage\n{}", b'{"format":"sessiontui-checkpoint"}\n'])
def test_a_broken_checkpoint_is_ignored(tmp_path: Path, content: bytes) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), CloseItem("1"))
    checkpoints.path_for(log).write_bytes(content)
    service = open_session(str(log), read_only=True)
    assert build_report(service.state, None) == full_replay_report(log)
    service.close()


def test_a_checkpoint_of_another_session_is_ignored(tmp_path: Path) -> None:
    one = make_log(tmp_path / "one.jsonl", session_id="one")
    two = make_log(tmp_path / "two.jsonl", session_id="two")
    record(one, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), CloseItem("1"))
    open_session(str(one)).close()
    checkpoints.path_for(two).write_bytes(checkpoints.path_for(one).read_bytes())
    service = open_session(str(two), read_only=True)
    assert service.state.items["1"].status == "pending"
    service.close()


def test_repair_makes_the_old_checkpoint_unusable(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), AddNote("1", "n2"))
    open_session(str(log)).close()
    data = bytearray(log.read_bytes())
    data[data.index(b"n1")] ^= 0x02
    log.write_bytes(bytes(data))
    assert CliRunner().invoke(cli, ["repair", str(log)]).exit_code == 0
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert len(service.state.notes) == 1
    service.close()


def test_checkpoints_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), CloseItem("1"))
    open_session(str(log)).close()
    assert not checkpoints.path_for(log).exists()


def test_snapshot_round_trip(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("2a"), AddSpeaker("2a", "Peru", start=True), Undo())
    with FileStore(log, read_only=True) as store:
        state = replay(store.header, list(store.read()))
        again, needs_sort = load_state(store.header, dump_state(state, needs_sort=True))
    assert needs_sort
    assert dump_state(again, needs_sort=True) == dump_state(state, needs_sort=True)


def test_a_loaded_agenda_is_the_amended_one_and_keeps_the_written_ids_reserved(
    tmp_path: Path,
) -> None:
    agenda_file = tmp_path / "a.toml"
    agenda_file.write_text(
        '[meeting]\ntitle = "M"\n[[items]]\nid = "opening"\ntitle = "Opening"\n'
        '[[items]]\ntitle = "Business"\n[[items.items]]\nid = "2c"\ntitle = "Sub"\n'
    )
    log = make_log(tmp_path / "s.jsonl", agenda_file)
    record(log, FakeClock(START), Amend("add", None, title="Any other business", number="4"))
    with FileStore(log, read_only=True) as store:
        state = replay(store.header, list(store.read()))
        again, _ = load_state(store.header, dump_state(state, needs_sort=False))
    agenda, loaded = state.agenda, again.agenda
    assert loaded.order() == agenda.order() and "Any other business" in {
        node.title for node in loaded.nodes.values()
    }
    assert [n.label for n in loaded] == [n.label for n in agenda]
    assert loaded.meeting == agenda.meeting and loaded.sittings == agenda.sittings
    assert loaded._reserved == agenda._reserved
    assert loaded._reserved == {"opening", "2c"}
    assert loaded.resolve("2a").id == agenda.resolve("2a").id == "2c"


def test_a_flipped_bit_in_the_checkpoint_makes_it_unused(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), CloseItem("1"))
    open_session(str(log)).close()
    saved = checkpoints.path_for(log)
    data = bytearray(saved.read_bytes())
    at = data.index(b'"used_seconds":') + len(b'"used_seconds":')
    data[at] ^= 0x01  # a digit of a figure: still valid JSON, a different number
    saved.write_bytes(bytes(data))
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert build_report(service.state, None) == full_replay_report(log)
    service.close()


def test_a_changed_meta_line_makes_the_checkpoint_unused_not_the_log_damaged(
    tmp_path: Path,
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), CloseItem("1"))
    open_session(str(log)).close()
    saved = checkpoints.path_for(log)
    data = saved.read_bytes()
    assert b'"last_seq":4,' in data  # the implicit sitting, then the three commands
    saved.write_bytes(data.replace(b'"last_seq":4,', b'"last_seq":3,', 1))
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert not service.store.damage
    assert build_report(service.state, None) == full_replay_report(log)
    service.close()


def test_the_floor_log_after_a_checkpoint_holds_the_intervals_before_and_after_it(
    tmp_path: Path,
) -> None:
    """The loaded floor log stays JSON until read; intervals ending meanwhile are not lost."""
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), NextItem(), NextItem())
    open_session(str(log), read_only=True).close()
    record(log, clock, NextItem(), NextItem())  # folded on top of the checkpoint
    service = open_session(str(log), actor="ana", clock=clock)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    clock.advance(60)
    service.run(NextItem())  # one more interval ends in the live session
    with FileStore(log, read_only=True) as store:
        expected = replay(store.header, list(store.read())).floor_log
    assert len(expected) >= 4
    assert service.state.floor_log == expected
    service.close()


def test_the_digest_of_a_store_opened_from_a_checkpoint_is_the_files(tmp_path: Path) -> None:
    import hashlib

    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    open_session(str(log), read_only=True).close()
    record(log, clock, OpenItem("2a"))  # a tail after the checkpoint
    service = open_session(str(log), actor="ana", clock=clock)
    store = service.store
    assert isinstance(store, FileStore) and store.checkpoint_used is not None
    assert store.checkpoint().sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    clock.advance(60)
    service.run(AddNote("2a", "b"))  # the digest goes on from the one taken before
    assert store.checkpoint().sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    service.close()


@pytest.mark.usefixtures("unsettled_logs")
def test_a_log_ending_at_its_checkpoint_is_not_hashed_again_for_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm export names the log's digest: when nothing follows the checkpoint the store
    opened from, that is the checkpoint's, its blocks checked at open; the bytes are not
    hashed a second time. The digest is the file's, and goes on correctly after an append."""
    import hashlib

    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    open_session(str(log), read_only=True).close()  # leaves the checkpoint at the log's end
    hashed = count_hashing(monkeypatch)
    service = open_session(str(log), actor="ana", clock=clock)
    store = service.store
    assert isinstance(store, FileStore) and store.checkpoint_used is not None
    assert store.checkpoint_used.offset == log.stat().st_size
    opened = sum(hashed)
    assert opened == log.stat().st_size  # its blocks, checked at open
    assert (
        store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    )
    assert sum(hashed) == opened  # not hashed again
    clock.advance(60)
    service.run(AddNote("1", "b"))
    assert store.checkpoint().sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    service.close()


def test_a_log_far_past_its_checkpoint_gets_a_new_one_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More new events than the opening stream ever holds back: the opening scan folds them
    # into the checkpoint's own state, which must not be taken for what the checkpoint held.
    every = REORDER_WINDOW + 1
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", every)
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, *[AddNote("2a", f"note {n}") for n in range(every)])
    open_session(str(log), read_only=True).close()
    first = checkpoints.load(log)
    assert first is not None and first.checkpoint.last_seq == every
    record(log, clock, *[AddNote("2a", f"later {n}") for n in range(every + 5)])
    service = open_session(str(log), read_only=True)
    assert isinstance(service.store, FileStore) and service.store.checkpoint_used is not None
    service.close()
    again = checkpoints.load(log)
    assert again is not None and again.checkpoint.last_seq == 2 * every + 5
    assert build_report(service.state, None) == full_replay_report(log)


def test_an_item_state_keeps_the_layout_checkpoints_were_written_with() -> None:
    """Each item's state encodes and decodes as it did when it was a ``msgspec.Struct``:
    every field, in this order, the defaults filled in when read (a new field changes
    ``SNAPSHOT_VERSION``)."""
    item = ItemState(status="open", used_seconds=90.5, reopened=1, sittings=[1, 2])
    encoded = msgspec.json.encode(item)
    assert encoded == (
        b'{"status":"open","used_seconds":90.5,"first_opened":null,"last_closed":null,'
        b'"changed_by":null,"changed_at":null,"reopened":1,"taken_up_as":"first",'
        b'"taken_up_seq":0,"sittings":[1,2],"speakers":[],"notes":[]}'
    )
    assert msgspec.json.decode(encoded, type=ItemState) == item
    assert msgspec.json.decode(b'{"status":"closed"}', type=ItemState) == ItemState("closed")
    assert ItemState().sittings is not ItemState().sittings


def _settle() -> None:
    """Let the log's last change fall behind the coarse clock that stamps it, as it has by
    the time anyone reads a log again (``settled_identity``)."""
    import time

    time.sleep(0.2)


def test_a_log_is_settled_once_its_stamps_are_behind_the_clocks_grain() -> None:
    import os

    from sessiontui.store.file import file_identity, settled_identity

    second = 1_000_000_000
    fine = os.stat_result((0,) * 10, {"st_mtime_ns": 5 * second + 7, "st_ctime_ns": 6 * second + 9})
    assert settled_identity(fine, 6 * second + 9) == ()  # changed just now
    assert settled_identity(fine, 6 * second + 50_000_000) == ()  # within a tick or so
    assert settled_identity(fine, 7 * second) == file_identity(fine)
    # A file system that keeps whole seconds (or two) stamps a change seconds apart at most.
    whole = os.stat_result((0,) * 10, {"st_mtime_ns": 5 * second, "st_ctime_ns": 6 * second})
    assert settled_identity(whole, 8 * second) == ()
    assert settled_identity(whole, 9 * second + 1) == file_identity(whole)


def test_a_settled_log_opens_from_its_checkpoint_without_hashing_its_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from sessiontui.store.file import file_identity

    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    _settle()
    open_session(str(log), read_only=True).close()
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.unchanged == file_identity(os.stat(log))
    hashed = count_hashing(monkeypatch)
    service = open_session(str(log), read_only=True)
    assert isinstance(service.store, FileStore) and service.store.checkpoint_used is not None
    assert hashed == []
    assert build_report(service.state, None) == full_replay_report(log)
    service.close()


def test_a_log_written_since_its_checkpoint_is_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An append, or an edit in place even with its write time put back, changes the log's
    identity: its prefix is checked against the checkpoint's digests again, and an edit is
    found there."""
    import os

    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), AddNote("1", "n1"), AddNote("1", "n2"))
    _settle()
    open_session(str(log), read_only=True).close()
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.unchanged
    record(log, clock, CloseItem("1"))
    hashed = count_hashing(monkeypatch)
    service = open_session(str(log), read_only=True)
    assert isinstance(service.store, FileStore) and service.store.checkpoint_used is not None
    assert sum(hashed) >= saved.checkpoint.offset
    service.close()
    before = os.stat(log)
    with log.open("r+b") as handle:
        data = handle.read()
        handle.seek(data.index(b"n1"))
        handle.write(b"m1")
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert service.store.damage and service.store.damage[0].line == 4
    service.close()


def test_a_checkpoint_naming_an_edited_logs_identity_is_not_taken(tmp_path: Path) -> None:
    """Someone who edits the log and writes its new identity into the checkpoint, without
    this account's key, breaks the checkpoint's seal: the log is read in full, the edit found."""
    import json
    import os

    from sessiontui.store.file import file_identity

    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), AddNote("1", "n2"))
    _settle()
    open_session(str(log), read_only=True).close()
    with log.open("r+b") as handle:
        data = handle.read()
        handle.seek(data.index(b"n1"))
        handle.write(b"m1")
    saved = checkpoints.path_for(log)
    meta, rest = saved.read_bytes().split(b"\n", 1)
    fields = json.loads(meta)
    assert fields["unchanged"]
    fields["unchanged"] = list(file_identity(os.stat(log)))
    saved.write_bytes(json.dumps(fields, separators=(",", ":")).encode() + b"\n" + rest)
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert service.store.damage and service.store.damage[0].line == 4
    service.close()


def test_a_log_on_a_network_file_system_is_always_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A network client may answer a file's attributes from its cache: its identity proves
    nothing there, so none is kept, and the prefix is hashed on every open."""
    from sessiontui.store import file as file_store

    monkeypatch.setattr(file_store, "filesystem_type", lambda path: "nfs4")
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    _settle()
    open_session(str(log), read_only=True).close()
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.unchanged == ()
    hashed = count_hashing(monkeypatch)
    service = open_session(str(log), read_only=True)
    assert isinstance(service.store, FileStore) and service.store.checkpoint_used is not None
    assert sum(hashed) == saved.checkpoint.offset
    service.close()
