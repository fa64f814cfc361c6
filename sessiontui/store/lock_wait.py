"""Who is told when a command waits long for a log's lock (see ``FileStore``)."""

from __future__ import annotations

from collections.abc import Callable

notice: Callable[[str], None] | None = None
"""Told, once per wait, when another program has held a log's lock for a while: a writer
opening a very long log, or one that hangs. The command line sets it, so that a command never
waits in silence; nothing is said where it is unset (the tracker, tests). A module of its own,
so that setting it imports nothing else."""
