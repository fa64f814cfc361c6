"""Explicit repair of a damaged log: bad records move to a side file, a marker keeps the chain.

Nothing is deleted. Each run of damaged lines is copied (byte for byte) into a side file and
replaced in the log by one ``log.repair`` record that names the side file, the SHA-256 of the
bytes moved, and the ``prev``/``seq`` the next good record expects, so ``verify`` passes again
while the gap stays visible. The log is rewritten atomically (temp file, fsync, rename, fsync of
the folder) under the exclusive lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import grp
import hashlib
import os
import pwd
import stat
import uuid
from pathlib import Path

from sessiontui.core.agenda import AgendaFile
from sessiontui.core.events import LineError, LogRepaired, MovedFrom, RepairData, seal, split_sum
from sessiontui.store.anchors import Head, held_in, moved_by_repair
from sessiontui.store.base import StoreError, no_log_at
from sessiontui.store.durable import (
    fsync_dir,
    replace_file,
    side_path,
    sync_data,
    write_private,
)
from sessiontui.store.evidence import Examination, Gap, Line, Unrecoverable, examine
from sessiontui.store.recognise import not_a_log

_START = 64 * 1024
"""Bytes of a file looked at to tell whether it is a session log at all."""


def repair_log(
    path: Path, seen: Head | None = None, agenda: tuple[AgendaFile, str] | None = None
) -> list[str]:
    """Repair ``path`` in place; returns what was done, one sentence per line.

    ``agenda``: an agenda file given by hand (and its name), to rebuild a header that no
    longer reads from; the items the records name must be in it.

    ``seen``: the head this account last saw of the log. A log whose every line is sound but
    that no longer starts with it (cut back, or rewritten) is the one thing ``repair`` can do
    for it: record the change in the log, so that it is deliberate and visible (the commands
    refuse to write on it until then).

    Raises:
        StoreError: no log there, or a header that does not read and no agenda to rebuild
            it from (or one that is not this session's).
    """
    try:
        # O_NONBLOCK: never wait on a FIFO; it and a device (/dev/zero reads forever) are
        # refused below as not a regular file.
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise no_log_at(path) from None
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StoreError(f"{path} is not a regular file")
        os.set_blocking(fd, True)
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = b""
        while chunk := os.pread(fd, 1 << 24, len(data)):
            data += chunk
        other = not_a_log(path, data[:_START])
        if other is not None:
            raise StoreError(other)  # never touched: it is some other file
        return _repair_locked(path, data, fd, seen, agenda)
    finally:
        os.close(fd)


def _repair_locked(
    path: Path, data: bytes, fd: int, seen: Head | None, agenda: tuple[AgendaFile, str] | None
) -> list[str]:
    found = _examined(path, data, agenda)
    if found.clean:
        return _when_sound(path, data, fd, found, seen)
    side = side_path(path, "damaged")
    set_aside = b"".join(line.raw for line in found.aside)
    now = dt.datetime.now(dt.UTC)
    out = [found.header]
    last_sum, last_seq = found.header_sum, 0
    numbers = [line.number for line in found.aside]
    gaps = 0
    if found.header_rebuilt:
        first = next((item for item in found.placed if isinstance(item, Line)), None)
        if first is not None and first.event is not None:
            line = _marker(
                now,
                split_sum(found.header)[1],
                last_seq,
                RepairData(
                    reason="the header was damaged and rebuilt from its content",
                    side_file=side.name if set_aside else None,
                    lines=[1],
                    missing=[],
                    next_prev=first.event.prev,
                    next_seq=first.event.seq,
                ),
            )
            out.append(line)
            last_sum = first.event.prev
    for item in found.placed:
        if isinstance(item, Gap):
            gaps += 1
            line = _marker(
                now,
                last_sum,
                last_seq,
                RepairData(
                    reason=item.why,
                    missing=item.missing,
                    side_file=side.name if set_aside else None,
                    lines=numbers,
                    bytes=len(set_aside),
                    sha256=hashlib.sha256(set_aside).hexdigest(),
                    next_prev=item.next_prev,
                    next_seq=item.next_seq,
                ),
            )
            out.append(line)
            last_sum, last_seq = item.next_prev, item.next_seq - 1
            continue
        out.append(item.fixed)
        assert item.sum is not None and item.event is not None
        if isinstance(item.event, LogRepaired):
            bridge = item.event.data
            if bridge.next_prev is not None and bridge.next_seq is not None:
                last_sum, last_seq = bridge.next_prev, bridge.next_seq - 1
            else:
                last_sum = item.sum
        else:
            last_sum, last_seq = item.sum, item.event.seq
    placed_numbers = [item.number for item in found.placed if isinstance(item, Line)]
    trailing = [line for line in found.aside if line.number > max(placed_numbers, default=0)]
    if found.cut or trailing:
        # What is missing at the end is recorded too: no later line says what it was.
        gaps += 1
        what = f"{len(trailing)} damaged line(s) at the end set aside" if trailing else ""
        if found.cut:
            what = "; ".join(filter(None, [what, "the last command was cut off"]))
        line = _marker(
            now,
            last_sum,
            last_seq,
            RepairData(
                reason=what,
                missing=found.cut,
                side_file=side.name if set_aside else None,
                lines=numbers,
                bytes=len(set_aside),
                sha256=hashlib.sha256(set_aside).hexdigest(),
            ),
        )
        out.append(line)
        last_sum = split_sum(line)[1]
    # The move from the old head to the new one, in the log itself: a legitimate repair is
    # then told from a rewrite by anyone holding the old head (``verify --anchor``).
    old_sum = _last_sum_of(data)
    out.append(
        _marker(
            now,
            last_sum,
            last_seq,
            RepairData(
                reason="repair",
                moved_from=MovedFrom(
                    sum=old_sum, bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
                ),
                lines=numbers,
            ),
        )
    )
    if found.header_rebuilt and seen is not None and not held_in(b"".join(out), seen):
        out.append(_header_accepted(now, split_sum(out[-1])[1], last_seq, seen))
    _write_repaired(path, os.fstat(fd), b"".join(out), side, set_aside)
    messages = [str(finding) for finding in found.findings]
    if set_aside:
        messages.append(f"{len(found.aside)} line(s), {len(set_aside)} bytes, moved to {side}")
    if gaps:
        messages.append(f"{gaps} gap(s) recorded in the log with a log.repair record")
    messages.append(
        f"{path}: repaired, {found.events} events kept; run `sessiontui verify` to check"
    )
    return messages


def _write_repaired(
    path: Path, log: os.stat_result, rewritten: bytes, side: Path, set_aside: bytes
) -> None:
    """Put the repaired log in place of the old one, and the lines set aside beside it.

    Both keep the old log's owner, group and mode: a repair run by root (or by another
    member of a group that shares the log) must leave a log its writers can still open,
    and the lines set aside readable by the account whose record they are.

    Raises:
        StoreError: either cannot be written; the log is unchanged.
    """
    temp = path.with_name(f".{path.name}.repair-{uuid.uuid4().hex[:8]}")
    try:
        write_private(temp, rewritten, like=log)
        if set_aside:
            write_private(side, set_aside, like=log)
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        if exc.errno != errno.EPERM:  # EACCES: the folder cannot be written at all
            raise StoreError(
                f"cannot write beside {path}: {exc.strerror}; the log is unchanged"
            ) from None
        owner = _account(log.st_uid)
        if log.st_uid == os.geteuid():
            owner = f"{owner} and the group {_group(log.st_gid)}"
        raise StoreError(
            f"{path} belongs to {owner}; a repaired log written by this account could not be "
            f"given back and would lock its writers out: run `sessiontui repair` as its "
            "owner (or as root); the log is unchanged"
        ) from None
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(
            f"could not write the repaired log beside {path}: {exc.strerror}; the log is unchanged"
        ) from None
    try:
        replace_file(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if set_aside:
            side.unlink(missing_ok=True)  # a copy of lines still in the unchanged log
        raise StoreError(
            f"could not replace {path}: {exc.strerror}; the log is unchanged"
        ) from None
    fsync_dir(path.parent)


def _account(uid: int) -> str:
    """The login name of ``uid`` (its number when it has none)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def _group(gid: int) -> str:
    """The name of the group ``gid`` (its number when it has none)."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _examined(path: Path, data: bytes, agenda: tuple[AgendaFile, str] | None) -> Examination:
    """The verdict on every line, or why ``repair`` cannot write one (nothing is changed)."""
    try:
        found = examine(data, strict=False, agenda=agenda)
    except Unrecoverable as exc:
        raise StoreError(f"{path}: {exc}") from None
    if found.needs_agenda:
        raise StoreError(
            f"{path}: the header (line 1) is damaged and does not read; the agenda it held is "
            f"not at hand: give it, `sessiontui repair {path} --agenda AGENDA.toml` (the items "
            "the records name must be in it); nothing was changed"
        )
    return found


def _header_accepted(now: dt.datetime, prev: str, seq: int, seen: Head) -> bytes:
    """The head this account saw began with the header as it was: the rebuilt one is a
    change it accepts by repairing, recorded as ``repair`` records an accepted cut."""
    moved = MovedFrom(sum=seen.sum, bytes=seen.bytes, seq=seen.seq, sha256=seen.sha256)
    return _marker(
        now, prev, seq, RepairData(reason="accepted: the header was rebuilt", moved_from=moved)
    )


def _when_sound(
    path: Path, data: bytes, fd: int, found: Examination, seen: Head | None
) -> list[str]:
    """Every line is sound: nothing to repair, unless the log no longer holds what this
    account last saw and no repair recorded that yet."""
    if seen is not None and not held_in(data, seen) and not moved_by_repair(path, seen):
        return _accept_change(path, data, fd, found, seen)
    return [f"{path}: nothing to repair"]


def _accept_change(path: Path, data: bytes, fd: int, found: Examination, seen: Head) -> list[str]:
    """Record that the log no longer holds the head ``seen`` (events removed, or rewritten):
    one ``log.repair`` record at its end names that head (``moved_from``) and the ``seq`` it
    reached that are missing now. Appended under the lock already held, then synced."""
    missing = list(range(found.last_seq + 1, seen.seq + 1))
    what = (
        f"events {_span(missing)} that this account had seen are no longer in the log"
        if missing
        else "the log no longer holds what this account had seen (rewritten)"
    )
    now = dt.datetime.now(dt.UTC)
    lines = []
    last_sum = found.last_sum
    if missing:
        # A gap, as a repair records a command cut off at the end: `verify` names it.
        lines.append(
            _marker(now, last_sum, found.last_seq, RepairData(reason=what, missing=missing))
        )
        last_sum = split_sum(lines[-1])[1]
    # The move from the head this account saw, as every repair records its own.
    moved = MovedFrom(sum=seen.sum, bytes=seen.bytes, seq=seen.seq, sha256=seen.sha256)
    lines.append(
        _marker(
            now, last_sum, found.last_seq, RepairData(reason=f"accepted: {what}", moved_from=moved)
        )
    )
    line = b"".join(lines)
    try:
        write_all_at(fd, line, len(data))
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, len(data))
        raise StoreError(
            f"could not write to {path}: {exc.strerror}; the log is unchanged"
        ) from None
    return [
        f"{path}: {what}; recorded in the log (a log.repair record naming the head it moved "
        f"from, seq {seen.seq}): writing goes on from seq {found.last_seq + 1}"
    ]


def _span(seqs: list[int]) -> str:
    return f"{seqs[0]}" if len(seqs) == 1 else f"{seqs[0]}-{seqs[-1]}"


def _last_sum_of(data: bytes) -> str:
    """The checksum the old file's last line claims (its head, as anyone may have noted it)."""
    tail = data.rstrip(b"\r\n")
    last = tail[tail.rfind(b"\n") + 1 :]
    try:
        return split_sum(last)[1]
    except LineError:
        return ""


def _marker(now: dt.datetime, prev: str, seq: int, data: RepairData) -> bytes:
    event = LogRepaired(
        seq=seq,
        id=uuid.uuid4().hex,
        at=now,
        recorded=now,
        actor="sessiontui repair",
        data=data,
        prev=prev,
    )
    return seal(event)


def write_all_at(fd: int, data: bytes, offset: int) -> None:
    """Write ``data`` at ``offset`` (the end of what was read under the lock) and sync it."""
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], offset + done)
    sync_data(fd)
