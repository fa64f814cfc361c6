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
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Sequence
from pathlib import Path

from sessiontui.store.cachekey import data_dir
from sessiontui.store.durable import make_private_dir, write_all

_SEQ = re.compile(rb'"seq":(\d+)')
MAX_CACHE_BYTES = 1 << 31


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
    """Remove a cache that no longer matches the server."""
    with contextlib.suppress(OSError):
        cache_path(session).unlink()
