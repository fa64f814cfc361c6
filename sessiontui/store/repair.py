"""Explicit repair of a damaged log: bad records move to a side file, a marker keeps the chain.

Nothing is deleted. Each run of damaged lines is copied (byte for byte) into a side file and
replaced in the log by one ``log.repair`` record that names the side file, the SHA-256 of the
bytes moved, and the ``prev``/``seq`` the next good record expects, so ``verify`` passes again
while the gap stays visible. The log is rewritten atomically (temp file, fsync, rename, fsync of
the folder) under the exclusive lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import uuid
from pathlib import Path

from sessiontui.core.events import (
    Event,
    LineError,
    LogRepaired,
    RepairData,
    check_line,
    decode_event,
    seal,
)
from sessiontui.store.base import StoreError
from sessiontui.store.durable import fsync_dir, replace_file, side_path, write_private


def _good(line: bytes) -> tuple[str, Event] | None:
    if not line.endswith(b"\n"):
        return None
    try:
        line_sum = check_line(line)
        return line_sum, decode_event(line)
    except LineError:
        return None


def repair_log(path: Path) -> list[str]:
    """Repair ``path`` in place; returns what was done, one sentence per line.

    Raises:
        StoreError: no log there, or its header itself is damaged.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = b""
        while chunk := os.pread(fd, 1 << 24, len(data)):
            data += chunk
        return _repair_locked(path, data)
    finally:
        os.close(fd)


def _repair_locked(path: Path, data: bytes) -> list[str]:
    lines = data.splitlines(keepends=True)
    if not lines:
        raise StoreError(f"{path} is empty: nothing to repair")
    try:
        header_sum = check_line(lines[0])
    except LineError:
        raise StoreError(
            f"{path}: the header (line 1) is damaged; it cannot be repaired automatically"
        ) from None
    side = side_path(path, "damaged")
    out = [lines[0]]
    last_sum, last_seq = header_sum, 0
    moved: list[bytes] = []
    moved_lines: list[int] = []
    runs = 0
    set_aside = bytearray()
    for number, line in enumerate(lines[1:], start=2):
        good = _good(line)
        chained = good is not None and good[1].prev == last_sum and good[1].seq == last_seq + 1
        resumes = good is not None and bool(moved) and good[1].seq > last_seq
        if good is not None and isinstance(good[1], LogRepaired) and good[1].prev == last_sum:
            out.append(line)
            last_sum = good[0]
            last_seq = good[1].data.next_seq - 1
            continue
        if chained or resumes:
            assert good is not None
            if moved:
                marker = _marker(side, moved, moved_lines, last_sum, last_seq, good[1])
                out.append(marker.line)
                set_aside += b"".join(moved)
                moved, moved_lines, runs = [], [], runs + 1
            out.append(line)
            last_sum, last_seq = good[0], good[1].seq
            continue
        moved.append(line)
        moved_lines.append(number)
    tail = b"".join(moved)
    if not set_aside and not tail:
        return [f"{path}: nothing to repair"]
    write_private(side, bytes(set_aside) + tail)
    rewritten = b"".join(out)
    temp = path.with_name(f".{path.name}.repair-{uuid.uuid4().hex[:8]}")
    write_private(temp, rewritten)
    try:
        replace_file(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(
            f"could not replace {path}: {exc.strerror}; the log is unchanged"
        ) from None
    fsync_dir(path.parent)
    messages = [f"{len(set_aside) + len(tail)} damaged bytes moved to {side}"]
    if runs:
        messages.append(f"{runs} gap(s) marked in the log with a log.repair record")
    if tail:
        messages.append(f"{len(tail)} bytes at the end (no good record after them) set aside")
    messages.append(f"{path}: repaired; run `sessiontui verify` to check")
    return messages


class _Marker:
    def __init__(self, line: bytes) -> None:
        self.line = line


def _marker(
    side: Path, moved: list[bytes], numbers: list[int], last_sum: str, last_seq: int, nxt: Event
) -> _Marker:
    now = dt.datetime.now(dt.UTC)
    blob = b"".join(moved)
    event = LogRepaired(
        seq=last_seq,
        id=uuid.uuid4().hex,
        at=now,
        recorded=now,
        actor="sessiontui repair",
        data=RepairData(
            side_file=side.name,
            lines=numbers,
            bytes=len(blob),
            sha256=hashlib.sha256(blob).hexdigest(),
            next_prev=nxt.prev,
            next_seq=nxt.seq,
        ),
        prev=last_sum,
    )
    return _Marker(seal(event))
