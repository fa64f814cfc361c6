"""Each line's own checksum checked in a second process while the scan decodes and folds.

A cold open spends a good part of its time hashing every line (``check_line``). The lines'
sums are independent of each other (the hash chain only compares the sums the lines claim),
so a child process can check them on another processor while this one decodes and folds.

The child reads the log into memory shared with the scan, a block at a time, where the scan
asks it to; it checks every line the block completes, exactly as the scan splits them, and
answers how many bytes it read and up to where the lines all passed. The scan takes those
very bytes: the child checks what the scan takes, whatever happens to the file meanwhile,
and the reading is done on the child's processor, not the scan's. The scan asks for a few
blocks ahead, so the child reads and checks them while the scan folds the ones before; it
waits for a block's answer before it takes the block's lines, reads the block itself when
there is no answer to believe, and checks in process every line the child did not vouch for
(any line after the first that failed in its block, every line once the child is gone or
said something that cannot be true). An answer that can be true is believed: the child runs
this module's code, it is not a stranger. A line the child passed is one ``check_line`` (and ``strict_check`` if
asked) accepts: the scan takes its sum from its tail (``CLAIMED_SUM``).

The child also says whether a block's lines are linked: each after the first naming the one
before's sum as its ``prev``, as every written line does (``prev_tail``), each holding one
JSON object whose ``seq`` is one more than the one before's, and none a ``log.repair`` record
(``line_place``). The scan then decodes the block at once, without splitting it into lines
(``decode_block_bounded``), and compares only its first record with the chain, not every
line's ``prev`` with the ``sum`` before it and every ``seq`` with the one before. A block the
child does not vouch for so is checked as before: the answer changes what is compared here,
never what is accepted.

Asked to (``hash_to``), the child also hashes the log's first bytes as it reads them: the
SHA-256 of each block of a given size and of them all (``Digests``), which a command that
checks the log's head, or names its digest, would otherwise hash once the scan is done. On
the child's processor they cost the scan nothing; in a thread of this process, the thread
would make a third runnable one on two processors, and the scan would wait for a processor
and for the GIL while it ran.

The child is forked: no interpreter to start, the checks are this process's own functions.
It is started only while this process runs no other thread (a fork copies one thread, not the
locks the others may hold), when a second processor is there, and never for a short range.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import mmap
import os
import signal
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sessiontui.core.events import (
    CLAIMED_SUM,
    PREV_TAIL,
    LineError,
    check_line,
    line_place,
    prev_tail,
    strict_check,
)

MIN_BYTES = 8 << 20
"""A shorter range is checked in process: forking costs more than its lines' hashes."""
SLOTS = 8
"""Blocks of shared memory: how far ahead of the scan the child may check."""

_BLOCK = struct.Struct("=IQ")
"""The scan to the child: the slot of shared memory to read a block into, and where from."""
_END = struct.Struct("=IQ?")
"""The child to the scan: how many bytes it read into the slot, where the block's lines
passed up to (0: none did), and whether they all did and are linked."""
_DIGESTS = 0xFFFFFFFF
"""The slot of the scan's last command: answer with the digests (``_HASHED``, then each
block's SHA-256 and the whole's, 32 bytes each), not with a block."""
_HASHED = struct.Struct("=Q")
"""How many of the log's first bytes the digests that follow are of (0: none follow)."""


@dataclass(frozen=True, slots=True)
class Digests:
    """The SHA-256 of each ``block`` bytes of a log's first ``end`` bytes (the last block
    shorter, if they end within one) and of all of them, as hexadecimal strings."""

    end: int
    block: int
    blocks: tuple[str, ...]
    whole: str

    def digest(self, start: int, end: int) -> str | None:
        """The digest of bytes ``start`` to ``end`` if they are one of the blocks."""
        index, within = divmod(start, self.block)
        if within or index >= len(self.blocks) or end != min(self.end, start + self.block):
            return None
        return self.blocks[index]

    def sha256(self, end: int) -> str | None:
        """The digest of the first ``end`` bytes if they are the ones hashed."""
        return self.whole if end == self.end else None


class _Hasher:
    """In the child: ``Digests`` of the log's first ``end`` bytes, fed in order as read."""

    def __init__(self, end: int, block: int) -> None:
        self.end = end
        self.block = block
        self.done = 0  # the bytes hashed so far, all from the start
        self.broken = False  # a read that did not go on from there: no digests
        self.whole = hashlib.sha256()
        self.current = hashlib.sha256()
        self.blocks: list[bytes] = []

    def feed(self, at: int, data: bytes | memoryview) -> None:
        """Hash ``data``, read at ``at``, as far as it goes on from the bytes before it."""
        if self.broken or self.done >= self.end:
            return
        if at != self.done:
            self.broken = True
            return
        view = memoryview(data)[: self.end - at]
        while view:
            piece = view[: self.block - self.done % self.block]
            self.current.update(piece)
            self.whole.update(piece)
            self.done += len(piece)
            view = view[len(piece) :]
            if self.done % self.block == 0 or self.done == self.end:
                self.blocks.append(self.current.digest())
                self.current = hashlib.sha256()

    def answer(self) -> bytes:
        """The digests as the scan reads them (``_HASHED``)."""
        if self.broken or self.done != self.end:
            return _HASHED.pack(0)
        return _HASHED.pack(self.end) + b"".join(self.blocks) + self.whole.digest()


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class LineChecker:
    """A child process checking the lines of a log from ``start`` on (see the module docstring).

    ``pread`` stands in for ``os.pread`` in the scan's reading loop; after each call, the lines
    that the block it returned completes and that end at or before ``end`` have passed the
    checks (``end`` is -1 when none has). ``linked``: every line the block completes passed
    (they end at ``end``), each after the first names the sum of the one before as its
    ``prev`` (``prev_tail``), each is one JSON object, their ``seq`` run on by one, and none
    is a ``log.repair`` record (``line_place``). ``close`` ends the child; always call it.
    ``digests``: once it is closed, those it was asked for (``hash_to``), if it has them.
    """

    def __init__(
        self, fd: int, start: int, chunk: int, *, strict: bool, hash_to: tuple[int, int] | None
    ) -> None:
        """Fork the child; raises OSError if it cannot be started (nothing is left behind).

        ``hash_to``: ``(end, block)``: the child hashes the log's first ``end`` bytes, each
        ``block`` of them and all (``digests``).
        """
        self.end = -1
        self.linked = False
        self.strict = strict
        self._fd = fd
        self._chunk = chunk
        self._pid = 0
        self._commands = self._answers = -1
        self._shared = mmap.mmap(-1, SLOTS * chunk)
        view = memoryview(self._shared)
        self._slots = tuple(view[slot * chunk : (slot + 1) * chunk] for slot in range(SLOTS))
        # Blocks the child was asked to read, not yet taken by the scan: (offset, slot).
        self._queue: collections.deque[tuple[int, int]] = collections.deque()
        # Slots neither queued nor holding the block the scan is taking.
        self._free = list(range(SLOTS))
        self._taking: int | None = None
        self._read_at: int | None = start
        self._hash_to = hash_to
        # Taken as the child is ended: the scan has taken every block it reads by then, and
        # the child answers for the digests once it has hashed every block it read before.
        self.digests: Digests | None = None
        try:
            commands_in, self._commands = os.pipe()
            try:
                self._answers, answers_out = os.pipe()
            except OSError:
                os.close(commands_in)
                raise
            self._fork(commands_in, answers_out, start, strict, hash_to)
        except BaseException:
            # Whatever stopped it (a signal held back during the fork, too): no child left.
            self.close()
            raise

    def _fork(
        self,
        commands_in: int,
        answers_out: int,
        start: int,
        strict: bool,
        hash_to: tuple[int, int] | None,
    ) -> None:
        def check() -> bool:
            os.close(self._commands)
            os.close(self._answers)
            hasher = _Hasher(*hash_to) if hash_to is not None else None
            _child(commands_in, answers_out, self._fd, self._slots, start, strict, hasher)
            return True

        try:
            self._pid = fork_child(check)
        finally:
            os.close(commands_in)
            os.close(answers_out)

    def pread(self, fd: int, size: int, pos: int) -> bytes | memoryview:
        """``os.pread(fd, size, pos)``; ``end`` then says which of the lines it completes passed.

        The block returned is valid until the next call.
        """
        self.end = -1
        self.linked = False
        if self._taking is not None:
            self._free.append(self._taking)
            self._taking = None
        if self._pid == 0 or fd != self._fd or size != self._chunk:
            self.close()
            return os.pread(fd, size, pos)
        # Blocks are asked for ahead of the one taken: the child reads and checks them while
        # the scan takes the ones before, and a moment without a processor does not stall it.
        # Each is asked for where the one before ends if that one is whole: after one that is
        # not (the end of the file), the scan reads on itself.
        self._fill()
        if not self._queue or self._queue[0][0] != pos:
            self.close()
            return os.pread(fd, size, pos)
        _, slot = self._queue.popleft()
        length = self._answer(pos)
        if length < 0:
            # The child is gone, or said what cannot be true: the block is read here.
            self.close()
            return os.pread(fd, size, pos)
        self._taking = slot
        return self._slots[slot][:length]

    def _fill(self) -> None:
        """Ask the child to read the next blocks into the free slots."""
        while self._free and self._read_at is not None:
            # A free slot holds a block the scan took, or none.
            slot = self._free.pop()
            at = self._read_at
            self._queue.append((at, slot))
            self._read_at = at + self._chunk
            try:
                os.write(self._commands, _BLOCK.pack(slot, at))
            except OSError:
                self.close()

    def _answer(self, pos: int) -> int:
        """How many bytes the child read at ``pos`` (``end`` and ``linked`` are set from its
        answer); -1 when there is no answer to believe."""
        try:
            answer = os.read(self._answers, _END.size)
        except OSError:
            answer = b""
        if len(answer) != _END.size:
            return -1
        length: int
        end: int
        linked: bool
        length, end, linked = _END.unpack(answer)
        # 0: no line of the block passed. Anything else ends within the block.
        if length <= self._chunk and (end == 0 or pos < end <= pos + length):
            self.end = end
            self.linked = linked
            return length
        return -1

    def _take_digests(self) -> Digests | None:
        """The digests the child was asked for (``hash_to``); None if it did not hash all
        those bytes (the scan stopped before their end: damage, a torn tail), or there is no
        answer to believe."""
        if self._pid == 0 or self._hash_to is None:
            return None
        end, block = self._hash_to
        count = -(-end // block)
        try:
            os.write(self._commands, _BLOCK.pack(_DIGESTS, 0))
            # The answers for the blocks asked for ahead come first.
            _read_exactly(self._answers, len(self._queue) * _END.size)
            self._queue.clear()
            (hashed,) = _HASHED.unpack(_read_exactly(self._answers, _HASHED.size))
            if hashed != end:
                return None
            sums = _read_exactly(self._answers, 32 * (count + 1))
        except (OSError, ValueError):
            return None
        found = [sums[at : at + 32].hex() for at in range(0, len(sums), 32)]
        return Digests(end, block, tuple(found[:-1]), found[-1])

    def close(self) -> None:
        """End the child and reap it (it holds nothing: it only reads), after taking the
        digests it was asked for (``digests``)."""
        if self._pid != 0 and self._hash_to is not None and self.digests is None:
            self.digests = self._take_digests()
        self._queue.clear()
        self._read_at = None
        for fd in (self._commands, self._answers):
            if fd >= 0:
                os.close(fd)
        self._commands = self._answers = -1
        pid, self._pid = self._pid, 0
        end_child(pid)


def _read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from a pipe; ValueError if it ends first."""
    parts: list[bytes] = []
    while size > 0:
        part = os.read(fd, size)
        if not part:
            raise ValueError("the pipe ended")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _child(
    commands: int,
    answers: int,
    fd: int,
    slots: tuple[memoryview, ...],
    base: int,
    strict: bool,
    hasher: _Hasher | None,
) -> None:
    """The child's loop: read each block asked for, check the lines it completes, answer how
    much it read, up to where they passed and whether they are linked (see ``LineChecker``);
    with a ``hasher``, hash what it reads, the bytes before the first block first."""
    pending = b""
    while True:
        message = os.read(commands, _BLOCK.size)
        if len(message) != _BLOCK.size:
            return  # the scan is done (or gone)
        slot, at = _BLOCK.unpack(message)
        if slot == _DIGESTS:
            if hasher is not None:
                os.write(answers, hasher.answer())
            continue
        if at != base + len(pending):
            # Asked for ahead, past a block that was not whole (the end of the file): the scan
            # does not take it, and reads on itself. It is read and answered for all the same,
            # its lines split from there: the child stays, and its answers in step.
            pending, base = b"", at
        try:
            length = os.preadv(fd, [slots[slot]], at)
        except OSError:
            return  # the scan reads the block itself, and meets the error there
        data = pending + slots[slot][:length]
        # Split as the scan splits: a line is everything up to and including a newline.
        last = data.rfind(b"\n") + 1
        end = 0
        begin = 0
        linked = True
        expected = b""  # what the line must hold to name the one before it (``prev_tail``)
        seq: int | None = None  # the ``seq`` of the line before
        while begin < last:
            newline = data.index(b"\n", begin) + 1
            line = data[begin:newline]
            try:
                check_line(line)
                if strict:
                    strict_check(line)
            except LineError:
                break
            if linked:
                # Each names the sum of the one before as its ``prev``, is one object, and
                # has the ``seq`` after the one before's, and none is a ``log.repair`` record.
                place = line_place(line)
                linked = (
                    (not expected or line[PREV_TAIL] == expected)
                    and place is not None
                    and (seq is None or place[0] == seq + 1)
                    and not place[1]
                )
                seq = place[0] if place is not None else None
            expected = prev_tail(line[CLAIMED_SUM])
            end = base + newline
            begin = newline
        pending = data[last:]
        base += last
        os.write(answers, _END.pack(length, end, linked and end == base))
        if hasher is not None:
            # After the answer, while the scan takes the block: the slot stays as it is until
            # this loop reads into it again.
            if hasher.done == 0:
                _hash_head(fd, hasher, at)
            hasher.feed(at, slots[slot][:length])


def _hash_head(fd: int, hasher: _Hasher, end: int) -> None:
    """Feed ``hasher`` the log's bytes before the first block the child reads."""
    while hasher.done < min(end, hasher.end) and not hasher.broken:
        head = os.pread(fd, min(end, hasher.end) - hasher.done, hasher.done)
        if not head:
            hasher.broken = True
        hasher.feed(hasher.done, head)


def fork_child(work: Callable[[], bool]) -> int:
    """Fork a child process that runs ``work`` and ends: exit status 0 if it returned True,
    1 if it returned False or raised. Returns the child's pid (in the parent).

    The child ends with ``os._exit``: none of the parent's cleanup (``finally`` blocks, exit
    handlers, buffered output) runs twice. No signal handler may run between the fork and the
    child's ``try`` either: it would unwind the parent's frames in the child.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                if work():
                    code = 0
            finally:
                os._exit(code)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return pid


def end_child(pid: int) -> None:
    """Kill a child ``fork_child`` made, if any (``pid`` > 0), and reap it."""
    if pid > 0:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def may_fork() -> bool:
    """Whether a checker can run here: a fork, this process's only thread, a second processor."""
    return hasattr(os, "fork") and threading.active_count() == 1 and _processors() >= 2


def start(
    fd: int,
    start: int,
    end: int,
    chunk: int,
    *,
    strict: bool = False,
    hash_to: tuple[int, int] | None = None,
) -> LineChecker | None:
    """A checker for the lines from ``start`` on if one is worth starting and can be; else None.

    ``end``: the log's size now (a short range is checked in process). ``hash_to``: see
    ``LineChecker``.
    """
    if end - start < MIN_BYTES or not may_fork():
        return None
    try:
        return LineChecker(fd, start, chunk, strict=strict, hash_to=hash_to)
    except (OSError, ValueError):
        return None
