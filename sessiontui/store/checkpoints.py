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
VERSION = 4
"""2: the meta line holds the SHA-256 of what follows it; 3: an HMAC instead; 4: an earlier
state may follow the state (``earlier`` bytes)."""
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
    # Bytes at the end of the file that hold an earlier state of the same log (0: none), and
    # their own seal: they are read only when an event recorded late needs them.
    earlier: int = 0
    earlier_digest: str = ""
    # This account's HMAC (``cachekey.seal``) of this line (with ``digest`` empty) and of the
    # payload after it.
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Saved:
    """A checkpoint as read back: where it ends, and the snapshot bytes.

    ``earlier`` is the snapshot of a shorter prefix of the same log (the checkpoint this one
    replaced), or empty: an event recorded late, before the end of ``state`` in meeting time,
    is placed by folding the events after ``earlier`` again, not the whole log.
    """

    checkpoint: Checkpoint
    session: str
    state: memoryview
    _earlier: _Earlier | None = None

    def earlier(self) -> memoryview | None:
        """The earlier state's bytes (read and checked now), or None."""
        return self._earlier.read() if self._earlier is not None else None


def enabled() -> bool:
    """Whether checkpoints are in use (``SESSIONTUI_NO_CHECKPOINT`` turns them off)."""
    return not os.environ.get(DISABLE_ENV)


def path_for(log: Path, kind: str = STATE) -> Path:
    """``LOG.checkpoint`` (or ``LOG.journal``: ``kind``) beside the log."""
    return log.with_name(f"{log.name}.{kind}")


def _format(kind: str) -> str:
    return FORMAT if kind == STATE else f"sessiontui-{kind}"


def load(log: Path, kind: str = STATE) -> Saved | None:
    """The checkpoint of this ``kind`` beside ``log``, or None (missing, unreadable, not ours).

    Its earlier state (if any) is neither read nor checked until asked for (``Saved.earlier``).
    """
    path = path_for(log, kind)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:
            return None
        head = os.pread(fd, min(size, _META_MAX), 0)
        newline = head.find(b"\n")
        try:
            meta = msgspec.json.decode(head[:newline], type=_Meta)
        except msgspec.DecodeError:
            return None
        if meta.format != _format(kind) or meta.version != VERSION:
            return None
        end = size - meta.earlier
        if newline < 0 or not newline < end <= size:
            return None
        # One buffer, and views into it: the snapshot can be tens of megabytes.
        data = _read_range(fd, 0, end)
    except OSError:
        return None
    finally:
        os.close(fd)
    if data is None:
        return None
    view = memoryview(data)
    state = view[newline + 1 :]
    # A cache is trusted only as this account wrote it: a flipped bit or a deliberate edit in a
    # figure would otherwise pass into every report unseen (the log's own checksums do not
    # cover it), one in the offsets or sequence numbers above would make the log look damaged.
    # The seal covers the meta line, which holds the earlier state's own seal.
    if not cachekey.check(meta.digest, *_sealed(msgspec.structs.replace(meta, digest=""), state)):
        return None
    checkpoint = Checkpoint(meta.offset, meta.sha256, meta.last_sum, meta.last_seq, meta.lines)
    earlier = _Earlier(path, end, meta.earlier, meta.earlier_digest) if meta.earlier else None
    return Saved(checkpoint, meta.session, state, earlier)


_META_MAX = 64 * 1024


def _read_range(fd: int, start: int, end: int) -> bytes | None:
    """Bytes ``start`` to ``end`` of an open file (None if it is shorter)."""
    data = os.pread(fd, end - start, start)
    while 0 < len(data) < end - start:
        more = os.pread(fd, end - start - len(data), start + len(data))
        if not more:
            break
        data += more
    return data if len(data) == end - start else None


@dataclass(frozen=True, slots=True)
class _Earlier:
    """Where a checkpoint's earlier state lies in its file, and its seal."""

    path: Path
    start: int
    length: int
    digest: str

    def read(self) -> memoryview | None:
        """The earlier state's bytes, or None (the file changed, or they fail their seal)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            data = _read_range(fd, self.start, self.start + self.length)
        except OSError:
            return None
        finally:
            os.close(fd)
        if data is None or not cachekey.check(self.digest, _EARLIER, data):
            return None
        return memoryview(data)


_EARLIER = b"sessiontui-earlier-state\n"
"""Sealed before an earlier state's bytes, so that they are never taken for a whole checkpoint."""


def _sealed(meta: _Meta, payload: bytes | memoryview) -> tuple[bytes, bytes, bytes | memoryview]:
    """What the seal covers: the meta line (its ``digest`` empty), a newline, the payload."""
    return msgspec.json.encode(meta), b"\n", payload


def save(
    log: Path,
    checkpoint: Checkpoint,
    session: str,
    state: bytes,
    kind: str = STATE,
    *,
    earlier: bytes | memoryview = b"",
) -> bool:
    """Write the checkpoint atomically beside ``log``; False (and nothing left) if it fails.

    ``earlier``: the snapshot of a shorter prefix of the log, kept after ``state`` (see
    ``Saved``). Without this account's cache key (it cannot be created) nothing is written.
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
        len(earlier),
    )
    if earlier:
        earlier_tag = cachekey.seal(_EARLIER, earlier)
        if earlier_tag is None:
            return False
        meta.earlier_digest = earlier_tag
    tag = cachekey.seal(*_sealed(meta, state))
    if tag is None:
        return False
    meta.digest = tag
    target = path_for(log, kind)
    temp = log.with_name(f".{log.name}.{kind}-{uuid.uuid4().hex[:8]}")
    try:
        write_private(temp, b"".join((msgspec.json.encode(meta), b"\n", state, earlier)))
        replace_file(temp, target)
        fsync_dir(log.parent)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    return True
