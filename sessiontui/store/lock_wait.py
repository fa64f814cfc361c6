"""Who is told when a command waits long for a log's lock (see ``FileStore``), and what it is
told about the program holding it."""

from __future__ import annotations

import os
from collections.abc import Callable

notice: Callable[[str], None] | None = None
"""Told, once per wait, when another program has held a log's lock for a while: a writer
opening a very long log, or one that hangs. The command line sets it, so that a command never
waits in silence; nothing is said where it is unset (the tracker, tests). A module of its own,
so that setting it imports nothing else."""

LOCKS = "/proc/locks"
"""Linux's table of the file locks held on the machine: kind, holder's process id, the file's
device and inode."""

COMMAND_SHOWN = 80
"""Characters of the holder's command line said at most."""


def lock_holders(fd: int) -> list[str]:
    """The programs holding a ``flock`` on the file open as ``fd``, as "process 2837
    (python3 -m sessiontui note 2a ...)", from ``LOCKS``; [] where that cannot be known (no
    /proc, a holder in another PID namespace, a lock released meanwhile)."""
    try:
        info = os.fstat(fd)
        with open(LOCKS, encoding="ascii", errors="replace") as table:
            rows = table.read().splitlines()
    except OSError:
        return []
    # The file as /proc/locks names it: major:minor (hexadecimal) and inode.
    wanted = (os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)
    holders: list[str] = []
    for row in rows:
        fields = row.split()
        if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
            continue  # a waiter (shown as "->"), or a record lock: nobody's flock on a log
        pid, where = fields[4], fields[5].split(":")
        try:
            found = (int(where[0], 16), int(where[1], 16), int(where[2]))
        except (ValueError, IndexError):
            continue
        if found == wanted and pid.isdigit():
            holders.append(f"process {pid}{_command(int(pid))}")
    return holders


def _command(pid: int) -> str:
    """`` (its command line)``, shortened, or "" when it cannot be read."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as found:
            words = found.read(4096).split(b"\0")
    except OSError:
        return ""
    text = " ".join(word.decode("utf-8", "replace") for word in words if word)
    if not text:
        return ""
    if len(text) > COMMAND_SHOWN:
        text = text[: COMMAND_SHOWN - 1] + "…"
    return f" ({text})"
