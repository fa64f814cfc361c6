"""Checkpoint files beside a log: caches of what was derived from it, never the record.

``LOG.checkpoint`` holds one JSON line describing the verified prefix it covers (see
``Checkpoint``) and, after it, the state snapshot; ``LOG.journal`` is the same for the journal
of that prefix (its lines and what the journal needs to go on). Each is written atomically
(0600) and ignored whenever it does not match the log byte for byte. Each is sealed with this
account's cache key (``cachekey``): a cache another account wrote, or anyone edited, is
ignored, so a cache cannot put a state in front of a report that the log does not hold. Delete
them at any time; set ``SESSIONTUI_NO_CHECKPOINT=1`` to neither read nor write them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import msgspec

from sessiontui.store import cachekey
from sessiontui.store.durable import fsync_dir, replace_file, write_private
from sessiontui.store.file import Checkpoint

FORMAT = "sessiontui-checkpoint"
VERSION = 3  # 2: the meta line holds the SHA-256 of what follows it; 3: an HMAC instead
STATE = "checkpoint"
JOURNAL = "journal"
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
    # This account's HMAC (``cachekey.seal``) of this line (with ``digest`` empty) and of the
    # payload after it.
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Saved:
    """A checkpoint as read back: where it ends, and the snapshot bytes."""

    checkpoint: Checkpoint
    session: str
    state: memoryview


def enabled() -> bool:
    """Whether checkpoints are in use (``SESSIONTUI_NO_CHECKPOINT`` turns them off)."""
    return not os.environ.get(DISABLE_ENV)


def path_for(log: Path, kind: str = STATE) -> Path:
    """``LOG.checkpoint`` (or ``LOG.journal``: ``kind``) beside the log."""
    return log.with_name(f"{log.name}.{kind}")


def _format(kind: str) -> str:
    return FORMAT if kind == STATE else f"sessiontui-{kind}"


def load(log: Path, kind: str = STATE) -> Saved | None:
    """The checkpoint of this ``kind`` beside ``log``, or None (missing, unreadable, not ours)."""
    try:
        fd = os.open(path_for(log, kind), os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:
            return None
        # One buffer, and views into it: the snapshot can be tens of megabytes. Read straight
        # into new bytes (a zeroed buffer to read into cost a few milliseconds more).
        data = os.read(fd, size)
        while 0 < len(data) < size:
            more = os.read(fd, size - len(data))
            if not more:
                break
            data += more
        if len(data) != size:
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
    if meta.format != _format(kind) or meta.version != VERSION:
        return None
    # A cache is trusted only as this account wrote it: a flipped bit or a deliberate edit in a
    # figure would otherwise pass into every report unseen (the log's own checksums do not
    # cover it), one in the offsets or sequence numbers above would make the log look damaged.
    if not cachekey.check(meta.digest, *_sealed(msgspec.structs.replace(meta, digest=""), state)):
        return None
    checkpoint = Checkpoint(meta.offset, meta.sha256, meta.last_sum, meta.last_seq, meta.lines)
    return Saved(checkpoint, meta.session, state)


def _sealed(meta: _Meta, payload: bytes | memoryview) -> tuple[bytes, bytes, bytes | memoryview]:
    """What the seal covers: the meta line (its ``digest`` empty), a newline, the payload."""
    return msgspec.json.encode(meta), b"\n", payload


def save(log: Path, checkpoint: Checkpoint, session: str, state: bytes, kind: str = STATE) -> bool:
    """Write the checkpoint atomically beside ``log``; False (and nothing left) if it fails.

    Without this account's cache key (it cannot be created) nothing is written.
    """
    meta = _Meta(
        _format(kind),
        VERSION,
        session,
        checkpoint.offset,
        checkpoint.sha256,
        checkpoint.last_sum,
        checkpoint.last_seq,
        checkpoint.lines,
    )
    tag = cachekey.seal(*_sealed(meta, state))
    if tag is None:
        return False
    meta.digest = tag
    target = path_for(log, kind)
    temp = log.with_name(f".{log.name}.{kind}-{uuid.uuid4().hex[:8]}")
    try:
        write_private(temp, msgspec.json.encode(meta) + b"\n" + state)
        replace_file(temp, target)
        fsync_dir(log.parent)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    return True
