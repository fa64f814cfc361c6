"""Writing an export to disk atomically and privately, and naming it safely."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from sessiontui.store.durable import Chunk, PlacedFile, missing_folder, place_file


class ExportError(Exception):
    """An export cannot be made or written; the message is one line for a person."""


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EROFS,):
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_target(path: Path, *, force: bool, log_path: Path | None) -> None:
    """Raise ``ExportError`` if an export cannot be written at ``path`` (nothing is written).

    Not a file name, the log itself (by any name, symlinks included), a folder that does not
    exist, a folder or a device at ``path``, or an existing file without ``force``. Asked by
    ``write_export`` and, before it closes, by the tracker's export dialog, so that a path
    typed wrong is said while it can still be corrected.
    """
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise ExportError(f"{path}: not a file name")
    if log_path is not None and (
        _same_file(path, log_path)
        or os.path.realpath(path) == os.path.realpath(log_path)
        or (path.is_symlink() and _same_file(Path(os.path.realpath(path)), log_path))
    ):
        raise ExportError(f"{path} is the session log itself; choose another file")
    if (missing := missing_folder(path)) is not None:
        raise ExportError(f"cannot write {path}: {missing}")
    try:
        mode: int | None = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {_reason(exc)}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"cannot write {path}: it is a folder")
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        # A device, a FIFO or a socket is never replaced, not even with --force (as root,
        # `-o /dev/null --force` would have replaced /dev/null with a file).
        raise ExportError(f"cannot write {path}: it is not a regular file (a device or a pipe?)")
    if mode is not None and not force:
        raise ExportError(f"{path} already exists; use --force to replace it")


def write_export(
    path: Path,
    data: bytes | bytearray | Iterable[Chunk],
    *,
    force: bool,
    log_path: Path | None,
) -> None:
    """Write ``data`` to ``path``: temp file in the same folder (0600), fsync, rename, fsync folder.

    An existing file is replaced only with ``force``; the log itself (by any name, symlinks
    included) is never written; a symlink at ``path`` is replaced, never followed. ``data`` may
    come in chunks (``render_chunks``), written as they come: the checks above are made before
    the first is taken, and if taking one fails, its error is raised and nothing was changed.

    Raises:
        ExportError: the file cannot be written; nothing was changed.
    """
    path = Path(path)
    check_target(path, force=force, log_path=log_path)
    try:
        place_file(path, data, replace=force)
    except FileExistsError:
        raise ExportError(f"{path} already exists; use --force to replace it") from None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {_reason(exc)}") from None


class ExportFile:
    """``write_export`` for an export that pushes its pieces as they are made: the same checks
    first, then ``write`` each piece and ``place`` the file, or ``discard`` it (nothing is
    changed). Every error of the file itself is an ``ExportError``."""

    def __init__(self, path: Path, *, force: bool, log_path: Path | None) -> None:
        """Check ``path`` and start the file beside it.

        Raises:
            ExportError: the file cannot be written; nothing was changed.
        """
        self.path = path = Path(path)
        check_target(path, force=force, log_path=log_path)
        try:
            self._placed = PlacedFile(path, replace=force)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {_reason(exc)}") from None

    def write(self, chunk: Chunk) -> None:
        """Write the next piece.

        Raises:
            ExportError: it cannot be written (``discard`` then).
        """
        try:
            self._placed.write(chunk)
        except OSError as exc:
            raise ExportError(f"cannot write {self.path}: {_reason(exc)}") from None

    def place(self) -> None:
        """Move the file into place.

        Raises:
            ExportError: it cannot be; nothing was changed.
        """
        try:
            self._placed.place()
        except FileExistsError:
            raise ExportError(f"{self.path} already exists; use --force to replace it") from None
        except OSError as exc:
            raise ExportError(f"cannot write {self.path}: {_reason(exc)}") from None

    def discard(self) -> None:
        """Give the file up: ``path`` is left as it was."""
        self._placed.discard()


_NOT_NAME = re.compile(r"[^\w]+", re.UNICODE)


def safe_stem(text: str, *, limit: int = 60) -> str:
    """A file-name stem from any text: letters and digits of any script, joined by hyphens.

    Separators, dots and everything else become hyphens, so ``../../x`` cannot leave the folder.
    A stem over ``limit`` is cut after a whole word when it has one to cut after.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    stem = _NOT_NAME.sub("-", folded).replace("_", "-")
    stem = re.sub("-{2,}", "-", stem).strip("-")
    if len(stem) <= limit:
        return stem
    cut = stem[:limit]
    if stem[limit] != "-" and "-" in cut:
        cut = cut[: cut.rindex("-")]
    return cut.rstrip("-")
