"""A PostgreSQL session's lines kept on this machine: a faster start, and a session to open when
the server is out of reach.

The file (``<data dir>/cache/pg/<session>.jsonl``, 0600 in a 0700 folder) holds the session's
sealed header line and event lines exactly as the server stores them, so it is a session log in
the file format, checked line by line (checksum, hash chain, ``seq``) when read. It is a cache,
never the record: online, it is used only when its last line is byte for byte the server's line
at that ``seq`` (the hash chain then vouches for every line before it); offline, the session is
shown as it stood when last seen, and anything recorded waits in the outbox, to be decided by
the server against the real session when it is back. Writing it is best effort (no fsync): a
torn or missing cache only means reading more from the server.

A cache that no longer matches the server's session is never deleted (``set_aside``): after a
restore from an older backup it may be the only copy of the events the server lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from sessiontui.core.events import MAX_LINE_BYTES
from sessiontui.store.cachekey import data_dir
from sessiontui.store.durable import (
    fsync_dir,
    make_private_dir,
    open_regular,
    side_path,
    write_all,
)

_SEQ = re.compile(rb'"seq":(\d+)')
MAX_CACHE_BYTES = 1 << 31
SET_ASIDE = "unmatched"
"""What names a cache set aside: ``<session>.jsonl.unmatched-<UTC time>`` beside the cache."""
MAX_SET_ASIDE = 4
"""Copies of one session's lines kept set aside at most. A server that flaps between two
states (a failover back and forth) would otherwise leave a copy of the session at every
opening; the same lines are never set aside twice, and past this many the cache is left in
place, out of use, and every opening says so until someone looks at the copies."""


def cache_path(session: str) -> Path:
    """Where a PostgreSQL session's lines are cached."""
    return data_dir() / "cache" / "pg" / f"{session}.jsonl"


def state_log(session: str) -> Path:
    """The name a PostgreSQL session's state checkpoint is kept beside, as a log file's is
    (``checkpoints.path_for``: ``<session>.jsonl.checkpoint`` next to the cached lines); the
    private folder is made if needed.

    Raises:
        OSError: the folder cannot be made.
    """
    path = cache_path(session)
    make_private_dir(path.parent)
    return path


def enabled() -> bool:
    """Caching can be turned off (``SESSIONTUI_NO_CHECKPOINT=1``, as checkpoints are)."""
    return not os.environ.get("SESSIONTUI_NO_CHECKPOINT")


def load(session: str) -> tuple[bytes, list[bytes]] | None:
    """The cached header line and whole event lines (None: no usable cache)."""
    if not enabled():
        return None
    path = cache_path(session)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if os.fstat(fd).st_size > MAX_CACHE_BYTES:
            return None
        fcntl.flock(fd, fcntl.LOCK_SH)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    lines = data.splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines.pop()  # torn by a crash while it was written: the rest is good
    if not lines:
        return None
    return lines[0].rstrip(b"\n"), [line.rstrip(b"\n") for line in lines[1:]]


@contextlib.contextmanager
def reading(session: str) -> Iterator[tuple[bytes, Iterator[bytes]] | None]:
    """The cached header line and the event lines, each with its newline, read as they are
    used: a long session's cache (2,000,000 events: 700 MB) is never in memory at once, as
    ``load`` holds it. None: no usable cache.

    Read without the lock ``extend`` takes (a reader would hold off every writer of this
    account for the whole reading, and ``set_aside`` in this very process): lines are added
    whole, so a reader meets whole lines, and at most a torn last one, which ends the
    reading as ``load``'s does. An unterminated line with more after it (one too long) is
    given as it is: the caller's check of it finds the damage.
    """
    if not enabled():
        yield None
        return
    try:
        fd = os.open(cache_path(session), os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        yield None
        return
    try:
        if os.fstat(fd).st_size > MAX_CACHE_BYTES:
            yield None
            return
        with os.fdopen(os.dup(fd), "rb") as handle:
            header = handle.readline(MAX_LINE_BYTES + 2)
            if not header.endswith(b"\n"):
                yield None
                return

            def lines() -> Iterator[bytes]:
                while line := handle.readline(MAX_LINE_BYTES + 2):
                    if not line.endswith(b"\n") and not handle.peek(1):
                        return  # torn by a crash while it was written: the rest is good
                    yield line

            yield header.rstrip(b"\n"), lines()
    finally:
        os.close(fd)


def extend(session: str, header_line: bytes, first_seq: int, lines: Sequence[bytes]) -> None:
    """Add event lines ``first_seq``, ``first_seq + 1`` ... to the cache (best effort).

    Under an exclusive lock, only what follows the cache's last line is written, so several
    processes of this account can share one cache; a cache that does not end right before
    these lines is left as it is.
    """
    if not enabled() or not lines:
        return
    path = cache_path(session)
    with contextlib.suppress(OSError):
        make_private_dir(path.parent)
        fd = os.open(
            path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _still_named(fd, path):
                return  # set aside meanwhile (``set_aside``): never written into the side file
            size = os.fstat(fd).st_size
            if size == 0:
                if first_seq != 1:
                    return
                write_all(fd, header_line.rstrip(b"\n") + b"\n")
                last = 0
            else:
                tail = os.pread(fd, min(size, 1 << 20), max(0, size - (1 << 20)))
                if not tail.endswith(b"\n"):
                    return  # torn: left for the next reader to ignore
                found = _SEQ.findall(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
                last = int(found[0]) if found else 0
            skip = last - first_seq + 1
            if skip < 0 or skip >= len(lines):
                return
            write_all(fd, b"".join(line.rstrip(b"\n") + b"\n" for line in lines[skip:]))
        finally:
            os.close(fd)


def forget(session: str) -> None:
    """Remove the cache (it may be deleted at any time: tests read from the server so)."""
    with contextlib.suppress(OSError):
        cache_path(session).unlink()


def _still_named(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open on ``fd`` (not moved aside meanwhile)."""
    try:
        mine, named = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (named.st_dev, named.st_ino)


def set_aside(session: str, why: str) -> tuple[str, bool]:
    """Move the cache of ``session`` aside, as it is, because ``why`` (it no longer matches
    the server's lines): what to tell the user, naming the file, and whether the cache is
    out of the way (False: it is left in place, and must not be used or written).

    Nothing is deleted. The cache is renamed (no copy, 0600) to a side file beside it, a
    session log in the file format holding the lines as last seen here: after the server was
    restored from an older backup it may be the only copy of the events it lost. The same
    lines already set aside are not kept twice (the cache is then removed: that copy is
    named instead); past ``MAX_SET_ASIDE`` copies, the cache is left where it is.
    """
    path = cache_path(session)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return "", True  # set aside meanwhile by another process of this account
    except OSError as exc:
        return _left(path, why, f"it cannot be opened ({exc.strerror})"), False
    try:
        # Under the lock ``extend`` takes: nothing is being added to it while it moves.
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not _still_named(fd, path):
            return "", True
        earlier = sorted(path.parent.glob(f"{path.name}.{SET_ASIDE}-*"))
        same = _same_copy(fd, earlier)
        if same is not None:
            path.unlink()
            return (
                f"the lines kept here of session {session} {why}: the same lines were set "
                f"aside before, in {same}; the session is read from the server"
            ), True
        if len(earlier) >= MAX_SET_ASIDE:
            return _left(
                path,
                why,
                f"{len(earlier)} earlier copies of its lines are set aside already "
                f"({path.parent}/{path.name}.{SET_ASIDE}-*: look at them, and remove those "
                "not needed)",
            ), False
        side = side_path(path, SET_ASIDE)
        os.fchmod(fd, 0o600)
        os.link(path, side, follow_symlinks=False)  # never over an existing file
        path.unlink()
        with contextlib.suppress(OSError):
            fsync_dir(path.parent)
    except OSError as exc:
        return _left(path, why, f"it could not be set aside ({exc.strerror})"), False
    finally:
        os.close(fd)
    return (
        f"the lines kept here of session {session} {why}: set aside in {side} (a session "
        "log: the lines as last seen here, which may hold events the server no longer has); "
        "the session is read from the server"
    ), True


def _left(path: Path, why: str, because: str) -> str:
    return (
        f"the lines kept here of session {path.stem} {why}; {because}: {path} is left as it "
        "is and not used, and the session is read from the server"
    )


def _same_copy(fd: int, earlier: Sequence[Path]) -> Path | None:
    """The earlier side file holding exactly the bytes open on ``fd``, if any."""
    size = os.fstat(fd).st_size
    digest: bytes | None = None
    for other in earlier:
        try:
            if other.stat(follow_symlinks=False).st_size != size:
                continue
            if digest is None:
                digest = _sha256(fd)
            with open_regular(other) as handle:
                if _digest(handle) == digest:
                    return other
        except OSError:
            continue
    return None


def _sha256(fd: int) -> bytes:
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(0)
        return _digest(handle)


def _digest(handle: BinaryIO) -> bytes:
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    return digest.digest()
