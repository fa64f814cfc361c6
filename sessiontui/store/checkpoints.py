"""Checkpoint files beside a log: a cache of the folded state that readers may use, never the record.

``LOG.checkpoint`` holds one JSON line describing the verified prefix it covers (see
``Checkpoint``) and, after it, the state snapshot. It is written atomically (0600) and ignored
whenever it does not match the log byte for byte. Delete it at any time; set
``SESSIONTUI_NO_CHECKPOINT=1`` to neither read nor write one.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import msgspec

from sessiontui.store import file as filestore
from sessiontui.store.file import Checkpoint, fsync_dir, write_private

FORMAT = "sessiontui-checkpoint"
VERSION = 1
MAX_BYTES = 1 << 30
DISABLE_ENV = "SESSIONTUI_NO_CHECKPOINT"


class _Meta(msgspec.Struct):
    format: str
    version: int
    session: str
    offset: int
    sha256: str
    last_sum: str
    last_seq: int
    lines: int


@dataclass(frozen=True, slots=True)
class Saved:
    """A checkpoint as read back: where it ends, and the state snapshot bytes."""

    checkpoint: Checkpoint
    session: str
    state: memoryview


def enabled() -> bool:
    """Whether checkpoints are in use (``SESSIONTUI_NO_CHECKPOINT`` turns them off)."""
    return not os.environ.get(DISABLE_ENV)


def path_for(log: Path) -> Path:
    """``LOG.checkpoint`` beside the log."""
    return log.with_name(log.name + ".checkpoint")


def load(log: Path) -> Saved | None:
    """The checkpoint beside ``log``, or None (missing, unreadable, or not ours)."""
    try:
        fd = os.open(path_for(log), os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:
            return None
        # One buffer, and views into it: the snapshot can be tens of megabytes.
        data = bytearray(size)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            if handle.readinto(data) != size:
                return None
    except OSError:
        return None
    finally:
        os.close(fd)
    newline = data.find(b"\n")
    view = memoryview(data)
    try:
        meta = msgspec.json.decode(view[:newline], type=_Meta)
    except msgspec.DecodeError:
        return None
    state = view[newline + 1 :]
    if meta.format != FORMAT or meta.version != VERSION:
        return None
    checkpoint = Checkpoint(meta.offset, meta.sha256, meta.last_sum, meta.last_seq, meta.lines)
    return Saved(checkpoint, meta.session, state)


def save(log: Path, checkpoint: Checkpoint, session: str, state: bytes) -> bool:
    """Write the checkpoint atomically beside ``log``; False (and nothing left) if it fails."""
    meta = _Meta(
        FORMAT,
        VERSION,
        session,
        checkpoint.offset,
        checkpoint.sha256,
        checkpoint.last_sum,
        checkpoint.last_seq,
        checkpoint.lines,
    )
    target = path_for(log)
    temp = log.with_name(f".{log.name}.checkpoint-{uuid.uuid4().hex[:8]}")
    try:
        write_private(temp, msgspec.json.encode(meta) + b"\n" + state)
        filestore._replace(temp, target)
        fsync_dir(log.parent)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    return True
