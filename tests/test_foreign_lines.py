"""A line another program appends to a log that is open: found by the next look, not the next
write (a follower's ``catch_up``); a line still being written is not taken for damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, OpenItem
from sessiontui.service import SessionService
from sessiontui.store import file as file_store
from sessiontui.store.base import ReadOnlyStore
from sessiontui.store.file import FileStore

from .conftest import START, append, make_log


def recorded(path: Path) -> SessionService:
    """A service on a new log at ``path`` that took 2(a) up."""
    make_log(path)
    service = SessionService(FileStore(path), actor="ana", clock=FakeClock(START))
    service.run(OpenItem("2a"))
    return service


def next_line(log: Path, folder: Path) -> bytes:
    """A sound line that would continue ``log`` (written by a writer on a copy of it)."""
    copy = folder / "copy.jsonl"
    shutil.copyfile(log, copy)
    other = SessionService(FileStore(copy), actor="bo", clock=FakeClock(START))
    other.run(AddNote("2a", "written elsewhere"))
    other.close()
    return copy.read_bytes().splitlines(keepends=True)[-1]


def resealed_wrong(line: bytes) -> bytes:
    """``line`` with a checksum that still looks like one but is not its own."""
    mark = line.rindex(b'"sum":"') + len(b'"sum":"')
    digit = b"0" if line[mark : mark + 1] != b"0" else b"1"
    return line[:mark] + digit + line[mark + 1 :]


def from_another_log(folder: Path) -> bytes:
    """A sound line of another session's log: its checksum holds, its chain is not this one's."""
    other = recorded(folder / "other.jsonl")
    other.run(AddNote("2a", "another meeting"))
    other.close()
    return (folder / "other.jsonl").read_bytes().splitlines(keepends=True)[-1]


@pytest.mark.parametrize("kind", ["garbage", "wrong checksum", "another log's line"])
def test_a_foreign_line_is_damage_at_the_next_look(tmp_path: Path, kind: str) -> None:
    log = tmp_path / "s.jsonl"
    writer = recorded(log)
    with FileStore(log, read_only=True, recover=False) as follower:
        assert follower.catch_up() == []
        saved = [event.id for event in follower.read()]
        end = log.stat().st_size
        if kind == "garbage":
            line = b"garbage\n"
        elif kind == "wrong checksum":
            line = resealed_wrong(next_line(log, tmp_path))
        else:
            line = from_another_log(tmp_path)
        append(log, line)
        assert follower.catch_up() == []
        assert [(d.line, d.offset) for d in follower.damage] == [(4, end)]
        assert follower.read_only
        assert [event.id for event in follower.read()] == saved
    # A writer that looks (``refresh``) is read-only at once, before it tries to write.
    writer.refresh()
    assert writer.store.damage and writer.store.read_only
    with pytest.raises(ReadOnlyStore, match=f"damaged at line 4 \\(byte {end}\\)"):
        writer.run(AddNote("2a", "after the damage"))
    writer.close()
    assert log.read_bytes().endswith(line)  # nothing changed, nothing lost


def test_a_line_written_in_two_pieces_is_taken_once_whole(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    recorded(log).close()
    line = next_line(log, tmp_path)
    with FileStore(log, recover=False) as follower:
        follower.catch_up()
        append(log, line[:40])
        assert follower.catch_up() == []
        assert follower.catch_up() == []
        assert not follower.damage and not follower.notices
        append(log, line[40:])
        assert [event.type for event in follower.catch_up()] == ["note.add"]
        assert not follower.damage and not follower.notices


def test_an_unfinished_line_is_said_once_it_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tail without a newline is not damage; once it stays unchanged it is said, as at
    opening, once; completed as garbage it is damage, at its line and byte."""
    monkeypatch.setattr(file_store, "TAIL_PATIENCE", 0.0)
    log = tmp_path / "s.jsonl"
    recorded(log).close()
    end = log.stat().st_size
    with FileStore(log, read_only=True, recover=False) as follower:
        append(log, b'{"type":"note.add","seq":')
        assert follower.catch_up() == []
        assert not follower.notices  # the first look: it may still be being written
        follower.catch_up()
        assert follower.notices == [
            f"25 bytes at the end of {log} (from byte {end}) are an interrupted write "
            "(ignored; they will be set aside when the log is next written)"
        ]
        follower.catch_up()
        assert len(follower.notices) == 1 and not follower.damage
        append(log, b"garbage\n")
        follower.catch_up()
        assert [(d.line, d.offset) for d in follower.damage] == [(4, end)]


def test_an_unfinished_line_said_at_opening_is_not_said_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "TAIL_PATIENCE", 0.0)
    log = tmp_path / "s.jsonl"
    recorded(log).close()
    append(log, b'{"type":')
    with FileStore(log, read_only=True, recover=False) as follower:
        assert len(follower.notices) == 1
        follower.catch_up()
        follower.catch_up()
        assert len(follower.notices) == 1
