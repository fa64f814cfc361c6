"""Checkpoint files beside a log: caches of what was derived from it, never the record.

``LOG.checkpoint`` holds one JSON line describing the verified prefix it covers (see
``Checkpoint``) and, after it, the state snapshot and its named parts (see ``Saved``);
``LOG.journal`` is the same for the journal of that prefix (its lines and what the journal
needs to go on). Each is written atomically (0600) and ignored whenever it does not match the
log byte for byte. Each is sealed with this account's cache key (``cachekey``): a cache another
account wrote, or anyone edited, is ignored, so a cache cannot put a state in front of a report
that the log does not hold. Delete them at any time; set ``SESSIONTUI_NO_CHECKPOINT=1`` to
neither read nor write them.
"""

from __future__ import annotations

import hmac
import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TypeAlias

import msgspec

from sessiontui.store import cachekey
from sessiontui.store.durable import Chunk, place_file, write_all
from sessiontui.store.file import Checkpoint

FORMAT = "sessiontui-checkpoint"
VERSION = 5
"""2: the meta line holds the SHA-256 of what follows it; 3: an HMAC instead; 4: named parts,
each sealed on its own, follow the state; 5: the gaps a repair recorded in the prefix."""
STATE = "checkpoint"
JOURNAL = "journal"
MAX_BYTES = 1 << 30
DISABLE_ENV = "SESSIONTUI_NO_CHECKPOINT"

NOTES = "notes"
FLOOR = "floor"
EARLIER = "earlier."
"""Prefix of the earlier state's parts: ``earlier.state``, ``earlier.notes``, ``earlier.floor``."""


class _Part(msgspec.Struct, array_like=True):
    name: str
    length: int
    digest: str  # this account's seal of the part (see ``_part_seal``)


class _Meta(msgspec.Struct):
    format: str
    version: int
    session: str
    offset: int
    sha256: str
    last_sum: str
    last_seq: int
    lines: int
    # SHA-256 of each block of the prefix (``Checkpoint.blocks``), checked side by side.
    blocks: list[str] = []
    # Named pieces after the state, each with its own seal, read only when asked for (a long
    # session's notes and floor log, the earlier state of the checkpoint it replaced).
    parts: list[_Part] = []
    # The gaps ``log.repair`` records in the prefix bridge, described (``Checkpoint.gaps``).
    gaps: list[str] = []
    # The log file's identity while the prefix was verified (``Checkpoint.unchanged``).
    unchanged: list[int] = []
    # This account's HMAC (``cachekey.seal``) of this line (with ``digest`` empty) and of the
    # state after it.
    digest: str = ""


class _Held:
    """A checkpoint file kept open while its parts may still be read: a newer checkpoint may
    replace the file meanwhile, and the parts must come from the file the state came from."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._closing = weakref.finalize(self, os.close, fd)

    def read(self, start: int, length: int) -> bytes | None:
        try:
            return _read_range(self.fd, start, start + length)
        except OSError:
            return None

    def blocks(self, start: int, length: int) -> Iterator[bytes | None]:
        """The bytes ``start`` to ``start + length``, ``COPY_BLOCK`` at a time; None if short."""
        done = 0
        while done < length:
            block = self.read(start + done, min(COPY_BLOCK, length - done))
            yield block
            if block is None:
                return
            done += len(block)

    def close(self) -> None:
        self._closing()


COPY_BLOCK = 8 << 20
"""Bytes of a part read at a time when it is copied into a new checkpoint."""


@dataclass(frozen=True, slots=True)
class Copied:
    """A part of a checkpoint on its way into a new one (``Saved.copy_part``): its bytes stay in
    the old file and are read a block at a time as the new one is written, never whole (the
    earlier state of a long session's checkpoint is hundreds of megabytes)."""

    source: _Held
    start: int
    length: int
    seal: str

    def blocks(self) -> Iterator[bytes]:
        """The part's bytes, a block at a time.

        Raises:
            OSError: the old file no longer holds them (the new checkpoint is not written).
        """
        for block in self.source.blocks(self.start, self.length):
            if block is None:
                raise OSError("a checkpoint part could not be read back to be copied")
            yield block


Part: TypeAlias = bytes | memoryview | tuple[bytes | memoryview, ...] | Copied
"""A part given to ``save``: its bytes, in pieces taken as one, or copied from another file."""


def _pieces(part: Part) -> Iterator[bytes | memoryview]:
    """A part's bytes in order, a piece at a time (a copied one read a block at a time)."""
    if isinstance(part, Copied):
        yield from part.blocks()
    elif isinstance(part, tuple):
        yield from part
    else:
        yield part


class Staging:
    """Parts of a new checkpoint written, as they are made, to a file of no name beside it,
    and copied into the checkpoint from there (``save``).

    A long session's snapshot is hundreds of megabytes: encoded whole, it would be in memory
    beside the state it encodes. Staged, it is made and written a chunk at a time; and since
    the checkpoint's seal, at its head, covers every part, each part is sealed as it is
    staged, before the checkpoint is written.
    """

    def __init__(self, log: Path) -> None:
        """A new staging file in the folder of ``log``'s checkpoint (gone when closed).

        Raises:
            OSError: the folder cannot be written.
        """
        fd, name = tempfile.mkstemp(prefix=f".{log.name[:100]}.", suffix=".staging", dir=log.parent)
        os.unlink(name)
        self._held = _Held(fd)
        self._end = 0

    def add(self, name: str, chunks: Iterable[Chunk]) -> Copied | None:
        """Stage a part, its bytes given a chunk at a time; None without this account's key.

        Raises:
            OSError: it cannot be written (a full disk).
        """
        running = cachekey.mac()
        if running is None:
            return None
        running.update(_part_seal(name, b"")[0])
        start = self._end
        for chunk in chunks:
            write_all(self._held.fd, chunk)
            running.update(chunk)
            self._end += len(chunk)
        return Copied(
            self._held, start, self._end - start, cachekey.TAG_PREFIX + running.hexdigest()
        )

    def close(self) -> None:
        """Let the staged bytes go (once the checkpoint is written, or given up)."""
        self._held.close()


@dataclass(frozen=True, slots=True)
class Saved:
    """A checkpoint as read back: where it ends, the state's bytes, and its other parts.

    Parts are read (and checked) only when asked for: ``part(name)``. The state checkpoint's
    are the notes and the floor log of the state (``NOTES``, ``FLOOR``) and, named with the
    prefix ``EARLIER``, the state of the checkpoint this one replaced: an event recorded late,
    before the end of ``state`` in meeting time, is placed by folding the events after the
    earlier state again, not the whole log.
    """

    checkpoint: Checkpoint
    session: str
    state: memoryview
    _file: _Held | None = None
    _parts: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Whether the checkpoint holds this part."""
        return name in self._parts

    def copy_part(self, name: str, as_name: str) -> Copied | None:
        """A part to be copied into a new checkpoint as ``as_name``, a block at a time; None
        if there is none or it fails its seal (checked now, while its new seal is made)."""
        found = self._parts.get(name)
        if found is None or self._file is None:
            return None
        start, length, digest = found
        old, new = cachekey.mac(), cachekey.mac()
        if old is None or new is None:
            return None
        old.update(_part_seal(name, b"")[0])
        new.update(_part_seal(as_name, b"")[0])
        for block in self._file.blocks(start, length):
            if block is None:
                return None
            old.update(block)
            new.update(block)
        if not hmac.compare_digest(cachekey.TAG_PREFIX + old.hexdigest(), digest):
            return None
        return Copied(self._file, start, length, cachekey.TAG_PREFIX + new.hexdigest())

    def part(self, name: str) -> bytes | None:
        """A part's bytes, read and checked now; None if there is none or it fails its seal."""
        found = self._parts.get(name)
        if found is None or self._file is None:
            return None
        start, length, digest = found
        data = self._file.read(start, length)
        if data is None or not cachekey.check(digest, *_part_seal(name, data)):
            return None
        return data


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

    Its parts are neither read nor checked until asked for (``Saved.part``).
    """
    found = read(log, kind)
    return found.check() if found is not None else None


class Unsealed:
    """A checkpoint read from its file but not yet checked against its seal (``read``).

    ``claims`` is only what the file says: nothing in it may be used before ``check`` has
    answered. A reader asks ``check`` while it hashes the log's prefix (``FileStore``'s
    ``checkpoint_sealed``): both are hashing, and each runs on a processor of its own.
    """

    def __init__(self, meta: _Meta, held: _Held, data: bytes, newline: int, end: int) -> None:
        self._meta = meta
        self._held: _Held | None = held
        self._data: bytes | None = data
        self._newline = newline
        self._end = end
        self._saved: Saved | None = None
        self.claims = Checkpoint(
            meta.offset,
            meta.sha256,
            meta.last_sum,
            meta.last_seq,
            meta.lines,
            tuple(meta.blocks),
            tuple(meta.gaps),
            tuple(meta.unchanged),
        )

    def check(self) -> Saved | None:
        """The checkpoint, if this account sealed it as it is; None otherwise (asked once:
        later calls give the same answer)."""
        data, held, self._data, self._held = self._data, self._held, None, None
        if data is None or held is None:
            return self._saved
        meta = self._meta
        state = memoryview(data)[self._newline + 1 :]
        # A cache is trusted only as this account wrote it: a flipped bit or a deliberate edit
        # in a figure would otherwise pass into every report unseen (the log's own checksums
        # do not cover it), one in the offsets or sequence numbers above would make the log
        # look damaged. The seal covers the meta line, which holds each part's own seal.
        if not cachekey.check(
            meta.digest, *_sealed(msgspec.structs.replace(meta, digest=""), state)
        ):
            held.close()
            return None
        parts: dict[str, tuple[int, int, str]] = {}
        start = self._end
        for part in meta.parts:
            parts[part.name] = (start, part.length, part.digest)
            start += part.length
        if not parts:
            held.close()
            self._saved = Saved(self.claims, meta.session, state)
        else:
            self._saved = Saved(self.claims, meta.session, state, held, parts)
        return self._saved

    def sealed(self) -> bool:
        """Whether ``check`` finds the seal good (for ``FileStore``'s ``checkpoint_sealed``)."""
        return self.check() is not None

    def close(self) -> None:
        """Forget it unchecked (its file is closed unless ``check`` kept it for its parts)."""
        held, self._data, self._held = self._held, None, None
        if held is not None:
            held.close()


def read(log: Path, kind: str = STATE) -> Unsealed | None:
    """The checkpoint of this ``kind`` beside ``log`` as its file holds it, its seal not yet
    checked (``Unsealed.check``); None if missing, unreadable or not of this format."""
    try:
        fd = os.open(path_for(log, kind), os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    held = _Held(fd)
    try:
        size = os.fstat(fd).st_size
        head = os.pread(fd, min(size, _META_MAX), 0)
        newline = head.find(b"\n")
        meta = msgspec.json.decode(head[:newline], type=_Meta)
        end = size - sum(part.length for part in meta.parts)
        if (
            size > MAX_BYTES
            or meta.format != _format(kind)
            or meta.version != VERSION
            or newline < 0
            or not newline < end <= size
            or any(part.length < 0 for part in meta.parts)
        ):
            held.close()
            return None
        # One buffer, and views into it: the state can be tens of megabytes.
        data = _read_range(fd, 0, end)
    except (OSError, msgspec.DecodeError):
        held.close()
        return None
    if data is None:
        held.close()
        return None
    return Unsealed(meta, held, data, newline, end)


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


def _sealed(meta: _Meta, payload: bytes | memoryview) -> tuple[bytes, bytes, bytes | memoryview]:
    """What the seal covers: the meta line (its ``digest`` empty), a newline, the payload."""
    return msgspec.json.encode(meta), b"\n", payload


def _part_seal(name: str, data: bytes | memoryview) -> tuple[bytes, bytes | memoryview]:
    """What a part's seal covers: its name (a part is never taken for another), its bytes."""
    return f"sessiontui-part {name}\n".encode(), data


def save(
    log: Path,
    checkpoint: Checkpoint,
    session: str,
    state: Part,
    kind: str = STATE,
    *,
    parts: Sequence[tuple[str, Part]] = (),
) -> bool:
    """Write the checkpoint atomically beside ``log``; False (and nothing left) if it fails.

    ``state``: its bytes, or staged (``Staging``) and copied from there.

    ``parts``: named pieces kept after ``state``, each sealed on its own and read only when
    asked for (see ``Saved``). Without this account's cache key nothing is written.
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
        list(checkpoint.blocks),
        gaps=list(checkpoint.gaps),
        unchanged=list(checkpoint.unchanged),
    )
    for name, data in parts:
        if isinstance(data, Copied):
            meta.parts.append(_Part(name, data.length, data.seal))
            continue
        pieces = data if isinstance(data, tuple) else (data,)
        part_tag = cachekey.seal(_part_seal(name, b"")[0], *pieces)
        if part_tag is None:
            return False
        meta.parts.append(_Part(name, sum(len(piece) for piece in pieces), part_tag))
    try:
        line, newline, _ = _sealed(meta, b"")
        tag = cachekey.seal_all(chain((line, newline), _pieces(state)))
        if tag is None:
            return False
        meta.digest = tag
        # Written a piece at a time: joined, a long session's checkpoint would be in memory
        # twice (it is hundreds of megabytes at 2,000,000 events).
        place_file(
            path_for(log, kind),
            _chunks(msgspec.json.encode(meta), state, parts),
            replace=True,
        )
    except OSError:
        return False
    return True


def _chunks(
    meta: bytes, state: Part, parts: Sequence[tuple[str, Part]]
) -> Iterator[bytes | memoryview]:
    """A checkpoint's bytes in order: the meta line, the state, each part."""
    yield meta
    yield b"\n"
    yield from _pieces(state)
    for _, data in parts:
        yield from _pieces(data)
