"""The secret that authenticates this account's local caches (checkpoints, saved journals).

A cache beside a log is derived from it and trusted in its place, so anyone who can write the
folder could otherwise put any state in front of every report (a recomputed unkeyed SHA-256
proves nothing). Caches are therefore sealed with an HMAC-SHA256 under a key only this account
can read: 32 random bytes in ``<data dir>/cache.key`` (``$XDG_DATA_HOME/sessiontui``, else
``~/.local/share/sessiontui``), created 0600 on first use. Another account has another key, so
its caches (and any forged one) fail ``check`` and are ignored, never trusted; each account
keeps its own.

How cache writers use it (the checkpoint format calls exactly this)::

    tag = cachekey.seal(meta_bytes, b"\\n", payload)   # None: no key, write no cache
    ...
    if not cachekey.check(tag, meta_bytes, b"\\n", payload):  # any failure: ignore the cache
        return None

``seal`` and ``check`` take the bytes in pieces (no need to join a large payload); ``mac()``
gives the running HMAC for a payload written a chunk at a time. Without a usable key (the data
folder cannot be written, or the key file is not private to this account) ``seal`` returns
None and ``check`` False: caches are then neither written nor read, and everything still
works from the log itself.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import stat
import threading
from collections.abc import Iterable
from pathlib import Path

from sessiontui.store.durable import Chunk, make_private_dir

KEY_NAME = "cache.key"
KEY_BYTES = 32
TAG_PREFIX = "hmac-sha256:"
"""Written before the hex digest, so a tag is never mistaken for the unkeyed digests of old."""

_lock = threading.Lock()
_keys: dict[str, bytes | None] = {}


def data_dir() -> Path:
    """This account's sessiontui folder: ``$XDG_DATA_HOME/sessiontui`` (else ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sessiontui"


def key_path() -> Path:
    """Where this account's cache key is kept."""
    return data_dir() / KEY_NAME


def load_key() -> bytes | None:
    """This account's key, created on first use; None if there is no usable one.

    A key file that is not a regular file owned by this account and readable by it alone is
    never used (someone else could know it), nor replaced (that is for its owner to sort out).
    """
    path = key_path()
    name = str(path)
    with _lock:
        if name not in _keys:
            _keys[name] = _read_or_create(path)
        return _keys[name]


def forget() -> None:
    """Drop the keys read so far (tests switch the data folder between cases)."""
    with _lock:
        _keys.clear()


def _read_or_create(path: Path) -> bytes | None:
    for _ in range(3):
        key = _read(path)
        if key is not None or path.exists() or path.is_symlink():
            return key
        try:
            _create(path)
        except FileExistsError:
            continue  # another process made it first: use theirs
        except OSError:
            return None
    return None


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_mode & 0o077
            or info.st_size != KEY_BYTES
        ):
            return None
        key = os.pread(fd, KEY_BYTES + 1, 0)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _create(path: Path) -> None:
    """Write a new key under a temporary name, then link it into place (never half a key)."""
    folder = path.parent
    make_private_dir(folder)
    temp = folder / f".{KEY_NAME}.{secrets.token_hex(6)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        try:
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path, follow_symlinks=False)
        except OSError as exc:
            if isinstance(exc, FileExistsError) or exc.errno not in (errno.EPERM, errno.ENOTSUP):
                raise
            os.rename(temp, path)  # a file system without hard links
    finally:
        temp.unlink(missing_ok=True)


def mac() -> hmac.HMAC | None:
    """A running HMAC-SHA256 under this account's key (feed it with ``update``); None: no key."""
    key = load_key()
    return None if key is None else hmac.new(key, digestmod=hashlib.sha256)


def seal(*chunks: Chunk) -> str | None:
    """The tag of ``chunks`` (taken as one byte string) under this account's key; None: no key."""
    return seal_all(chunks)


def seal_all(chunks: Iterable[Chunk]) -> str | None:
    """``seal`` of chunks that come one at a time (a long checkpoint read back from a file)."""
    running = mac()
    if running is None:
        return None
    for chunk in chunks:
        running.update(chunk)
    return TAG_PREFIX + running.hexdigest()


def check(tag: str, *chunks: Chunk) -> bool:
    """Whether ``tag`` is this account's seal of ``chunks`` (compared in constant time)."""
    expected = seal(*chunks)
    return expected is not None and hmac.compare_digest(expected, tag)
