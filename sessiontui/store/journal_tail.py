"""The last part of a cold whole journal worded in a forked process, on another processor.

A cold journal of a long log is worded event by event in the pass that verifies it
(``service.OpeningJournal``), and the wording, not the reading, takes most of its time: one
processor words while the other only checks the lines' sums. Past a point of the log, the
journal forks: the child is the journal as it stands there (its state folded so far, nothing
to fold again), and words the rest of the log while the parent goes on verifying and decoding
it. The parent tells the child each run of records the scan verified and handed on: where
its bytes lie in the log, its first ``seq`` and how many, the first one's ``prev`` and the
last one's ``sum``. The child reads those bytes from the log, decodes them as the scan does,
and words them only if they are those very records (the same number, each ``seq`` after the
one before, each ``prev`` the ``sum`` before it, from the ``prev`` to the ``sum`` the scan
verified); the scan holds the log's shared lock meanwhile, as the journal's own re-reading of
the log (an undo's rebuild) relies on too. Its lines go to a file the parent writes out once
its own are written.

Anything the child cannot vouch for (a run it does not find as told, a child that died or
answered otherwise) leaves its lines unused: the parent words those events itself, from its
journal as it stood at the fork, read back from the store (``TailJournal.failed``).

The child is forked only while this process runs no other thread (``line_checker.may_fork``)
and with a second processor there.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

import msgspec

from sessiontui.core.events import (
    LOG_REPAIR,
    LineError,
    decode_event_bounded,
    decode_events_bounded,
)
from sessiontui.store import line_checker
from sessiontui.store.durable import write_all

if TYPE_CHECKING:
    from sessiontui.core.events import Event
    from sessiontui.core.journal import Journal
    from sessiontui.store.file import FileStore

MIN_BYTES = 16 << 20
"""A shorter log is worded in one process: forking and reading back cost more than they save."""
SHARE = 0.5
"""The share of the log's bytes whose lines the parent words. The parent also decodes the rest
(to verify it), and the child shares its processor with the line checker: the two processors
are done at about the same time."""

_LENGTH = struct.Struct("=I")


class _Run(msgspec.Struct, array_like=True):
    """A run of records the scan handed on: bytes ``start`` to ``end`` of the log."""

    start: int
    end: int
    first_seq: int
    count: int
    prev: str
    sum: str
    bounded: bool


class _Told(msgspec.Struct, array_like=True):
    """What the child says once done: the last ``seq`` it worded and the records it found
    invalid (as the journal's state notes them)."""

    seq: int
    invalid: dict[int, str]


_RUN_ENCODER = msgspec.msgpack.Encoder()
_RUN_DECODER = msgspec.msgpack.Decoder(_Run)
_TOLD_DECODER = msgspec.msgpack.Decoder(_Told)
_CHUNK = 1 << 20


def worth_forking(size: int) -> bool:
    """Whether a log of ``size`` bytes is long enough for a tail journal (forked only once
    ``line_checker.may_fork`` says a fork can be made: no other thread running)."""
    return size >= MIN_BYTES


class TailJournal:
    """A forked copy of ``journal`` wording the runs ``send`` describes (module docstring).

    ``finish`` once the scan is done: if the child worded every run sent, its lines are then
    in ``lines``; if not (``failed``), the parent words those records itself. ``discard`` ends
    the child if the scan stops otherwise; always call one of them.
    """

    def __init__(self, store: FileStore, journal: Journal, start: int) -> None:
        """Fork the child; raises OSError if it cannot be started (nothing is left behind).

        Args:
            store: the log being scanned (the child reads the runs' bytes through it).
            journal: the journal as it stands: every record up to ``start`` worded.
            start: where the next run handed on begins.
        """
        self.seq = journal.seq  # the parent's journal stays here (``failed``: it goes on)
        self.failed = False
        self._start = start
        self._sent_seq = journal.seq
        self._pid = 0
        self._commands = -1
        # Unnamed files, closed by ``finish``, ``lines`` or ``discard``.
        self._lines = tempfile.TemporaryFile()  # noqa: SIM115
        self._told = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            commands_in, self._commands = os.pipe()
            self._fork(store, journal, commands_in)
        except BaseException:
            self.discard()
            raise

    def _fork(self, store: FileStore, journal: Journal, commands_in: int) -> None:
        def word() -> bool:
            os.close(self._commands)
            return _child(store, journal, commands_in, self._lines, self._told)

        try:
            self._pid = line_checker.fork_child(word)
        finally:
            os.close(commands_in)

    def send(self, events: list[Event], end: int, bounded: bool) -> None:
        """Have the child word ``events``, the run handed on just before ``end`` (``bounded``
        as the scan said)."""
        if not events:
            return
        first, last = events[0], events[-1]
        run = _Run(self._start, end, first.seq, len(events), first.prev, last.sum, bounded)
        self._start = end
        self._sent_seq = last.seq
        if self.failed:
            return
        message = _RUN_ENCODER.encode(run)
        try:
            # One small write: whole on a pipe, and the child reads each run's bytes itself.
            os.write(self._commands, _LENGTH.pack(len(message)) + message)
        except OSError:
            self.failed = True

    def finish(self) -> dict[int, str] | None:
        """Wait for the child to word every run sent; the invalid records it found (None,
        and ``failed``, if it did not word them all)."""
        self._close_commands()
        pid, self._pid = self._pid, 0
        status = 1
        if pid > 0:
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(pid, 0)
        told: _Told | None = None
        if status == 0 and not self.failed:
            with contextlib.suppress(OSError, msgspec.DecodeError):
                fd = self._told.fileno()
                told = _TOLD_DECODER.decode(os.pread(fd, os.fstat(fd).st_size, 0))
        self._told.close()
        if told is None or told.seq != self._sent_seq:
            self.failed = True
            self._lines.close()
            return None
        return told.invalid

    def lines(self) -> Iterator[list[str]]:
        """The child's lines, a run at a time, in log order (after ``finish`` said True)."""
        try:
            fd = self._lines.fileno()
            offset = 0
            pending = b""
            while chunk := os.pread(fd, _CHUNK, offset):
                offset += len(chunk)
                data = pending + chunk
                cut = data.rfind(b"\n") + 1
                pending = data[cut:]
                if cut:
                    yield data[: cut - 1].decode("utf-8", "surrogatepass").split("\n")
        finally:
            self._lines.close()

    def discard(self) -> None:
        """End the child, if any, and drop what it made."""
        self.failed = True
        self._close_commands()
        pid, self._pid = self._pid, 0
        line_checker.end_child(pid)
        self._lines.close()
        self._told.close()

    def _close_commands(self) -> None:
        if self._commands >= 0:
            os.close(self._commands)
            self._commands = -1


def _child(
    store: FileStore, journal: Journal, commands: int, lines: IO[bytes], told: IO[bytes]
) -> bool:
    """The child's loop: word each run the parent sends, until it sends no more; then say
    what it did. False: a run was not the records the scan verified (the parent words them)."""
    first_seq = journal.seq
    while True:
        head = _read_exactly(commands, _LENGTH.size)
        if not head:
            break  # the scan is done
        run = _RUN_DECODER.decode(_read_exactly(commands, _LENGTH.unpack(head)[0]))
        events = _events_of(store, run)
        if events is None:
            return False
        words = list(journal.stream_lines(events, bounded=run.bounded))
        if words:
            write_all(lines.fileno(), ("\n".join(words) + "\n").encode("utf-8", "surrogatepass"))
    invalid = {seq: problem for seq, problem in journal.state.invalid.items() if seq > first_seq}
    write_all(told.fileno(), _RUN_ENCODER.encode(_Told(journal.seq, invalid)))
    return True


def _events_of(store: FileStore, run: _Run) -> list[Event] | None:
    """The records of ``run`` as the scan decoded them, if its bytes hold just those."""
    data = store.bytes_between(run.start, run.end)
    if len(data) != run.end - run.start or not data.endswith(b"\n"):
        return None
    lines = data.split(b"\n")
    lines.pop()
    events = decode_events_bounded(lines)
    if events is None:
        # Some record out of the bounds (or of a type this version does not know): each is
        # decoded as the scan then decodes it.
        try:
            events = [decode_event_bounded(line)[0] for line in lines]
        except LineError:
            return None
    if len(events) != run.count or not events or events[0].prev != run.prev:
        return None
    seq, prev = run.first_seq, run.prev
    for event in events:
        if event.seq != seq or event.prev != prev or event.type == LOG_REPAIR:
            return None
        seq, prev = seq + 1, event.sum
    return events if prev == run.sum else None


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            return b""
        data += more
    return data
