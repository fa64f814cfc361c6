"""Durable, private files: created 0600, written whole, fsynced, moved into place atomically.

General helpers with no knowledge of the session log: the log store, its checkpoints and
repairs, exports and imported agendas all write files through them; and ``open_regular``, the
one safe way to look into a file someone named.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

# Indirection so tests can inject failures at the k-th call (see tests/test_store_faults.py).
_write = os.write
_fdatasync = os.fdatasync
_replace = os.replace


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open the regular file at ``path`` to read, without ever waiting on it.

    Opening a FIFO to read waits for a writer, forever: a command given one as its log hung.
    Opened with O_NONBLOCK, anything but a regular file (a FIFO, a device) is refused at once.

    Raises:
        OSError: it cannot be opened, or is no regular file (``EINVAL``).
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fsdecode(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def side_path(path: Path, what: str) -> Path:
    """A new file beside the log for bytes set aside (never overwrites an existing one)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.{what}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{what}-{stamp}-{n}")
    return candidate


Chunk = bytes | bytearray | memoryview
"""A piece of a file written a piece at a time (``place_file``)."""


def write_all(fd: int, data: Chunk) -> None:
    """Write every byte; a short write (size limit, full disk) is retried so the real error shows.

    Under O_APPEND and our exclusive lock the continuation lands right after the first part.
    """
    view = memoryview(data)
    while view:
        written = _write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _create_private(path: Path) -> int:
    """Create a new 0600 file for writing; never an existing file, never through a symlink."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)


def write_private(path: Path, data: bytes | bytearray, like: os.stat_result | None = None) -> None:
    """Create a new 0600 file with ``data``, durably (used for side files and rewrites); a
    file that could not be written whole is removed.

    ``like``: the file this one stands in for (a log ``repair`` rewrites, the bytes it sets
    aside from it): the new file gets its owner, group and permission bits, so that a repair
    run by another account (root) does not hand the log to that account and lock out the
    writers it belonged to.

    Raises:
        PermissionError: that owner or group cannot be given (not root, nor the owner).
        OSError: the file cannot be written.
    """
    fd = _create_private(path)
    try:
        try:
            if like is not None:
                mine = os.fstat(fd)
                if (mine.st_uid, mine.st_gid) != (like.st_uid, like.st_gid):
                    os.fchown(fd, like.st_uid, like.st_gid)
                os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o777)
            write_all(fd, data)
            _fdatasync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def place_file(path: Path, data: bytes | bytearray | Iterable[Chunk], *, replace: bool) -> None:
    """Write a new file (0600) so readers see the old content or the new, never a torn one.

    A temporary file in the same folder is written and fsynced, then moved into place; without
    ``replace`` an existing file is never clobbered, not even one that appears meanwhile
    (``link`` fails if the name exists). Exports and imported agendas are written this way.

    ``data`` may come in chunks, written as they come (a long session's export need never be
    whole in memory); whatever the chunks' source raises stops the write the same way.

    Raises:
        FileExistsError: the path exists and ``replace`` is False.
        OSError: the folder cannot be written (nothing is left behind).
    """
    placed = PlacedFile(path, replace=replace)
    try:
        if isinstance(data, bytes | bytearray):
            placed.write(data)
        else:
            for chunk in data:
                placed.write(chunk)
    except BaseException:
        placed.discard()
        raise
    placed.place()


class PlacedFile:
    """``place_file`` for a writer that pushes its pieces: ``write`` each, then ``place`` it
    (or ``discard`` it: nothing is left behind)."""

    def __init__(self, path: Path, *, replace: bool) -> None:
        """Create the temporary file beside ``path``.

        Raises:
            OSError: the folder cannot be written.
        """
        self.path = path
        self._replace = replace
        self._temp = path.parent / f".{path.name[:100]}.{uuid.uuid4().hex[:12]}.tmp"
        self._fd: int | None = _create_private(self._temp)

    def write(self, chunk: Chunk) -> None:
        """Write the next piece.

        Raises:
            OSError: it cannot be written (``discard`` then).
        """
        assert self._fd is not None, "written after place or discard"
        write_all(self._fd, chunk)

    def place(self) -> None:
        """Sync the file and move it into place; the temporary file is gone either way.

        Raises:
            FileExistsError: the path exists and ``replace`` is False.
            OSError: it cannot be synced or moved.
        """
        path, temp, fd = self.path, self._temp, self._fd
        assert fd is not None, "placed twice, or after discard"
        self._fd = None
        try:
            try:
                _fdatasync(fd)
            finally:
                os.close(fd)
            # The temporary name need not be durable: the folder is synced once, after the move.
            if self._replace:
                _replace(temp, path)
            else:
                try:
                    os.link(temp, path, follow_symlinks=False)
                except OSError as exc:
                    if isinstance(exc, FileExistsError) or exc.errno not in _NO_HARD_LINKS:
                        raise
                    if path.exists() or path.is_symlink():
                        raise FileExistsError(str(path)) from None
                    _replace(temp, path)  # a file system without hard links
            fsync_dir(path.parent)
        finally:
            temp.unlink(missing_ok=True)

    def discard(self) -> None:
        """Give the file up: the temporary file is removed, ``path`` left as it was."""
        fd, self._fd = self._fd, None
        try:
            if fd is not None:
                os.close(fd)
        finally:
            self._temp.unlink(missing_ok=True)


_NO_HARD_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV)


def fsync_dir(folder: Path) -> None:
    """Make a rename or creation in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def missing_folder(path: Path) -> str | None:
    """Why ``path`` cannot be created because of its folder ("the folder F does not exist"),
    or None. One wording for every file a person names (a log, a copy, an export): a folder
    typed wrong is refused, never created, so a typo in a shared log's folder does not
    silently start a new, empty session elsewhere."""
    folder = path.parent
    return None if folder.is_dir() else f"the folder {folder} does not exist"


def make_private_dir(folder: Path) -> None:
    """Create a folder as 0700 when missing, and each missing folder above it likewise.

    ``mkdir(parents=True)`` makes the folders above with the umask's mode (0755 as a rule),
    so the account's sessiontui folder, made on the way to one inside it, was readable by
    all; the XDG base directory spec asks for 0700 too.
    """
    missing: list[Path] = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            path.mkdir(mode=0o700)


def sync_data(fd: int) -> None:
    """``fdatasync``: the bytes written to ``fd`` are on disk when this returns."""
    _fdatasync(fd)


def replace_file(source: Path, target: Path) -> None:
    """Move ``source`` over ``target`` atomically (``os.replace``)."""
    _replace(source, target)
