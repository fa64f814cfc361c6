"""The session log as a JSON Lines file: flock, one write per command, fdatasync, recovery.

See docs/session-log.md. Writers take ``flock(LOCK_EX)``, read what others appended, let the caller
decide against the current state, then ``os.write`` the whole batch on the raw ``O_APPEND``
descriptor and ``fdatasync`` before anything counts as saved. Readers take ``LOCK_SH`` so they
never see a half-written batch. A torn tail (a crash mid-write) is set aside into a side file;
a damaged record makes the log read-only until ``repair``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import operator
import os
import re
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import msgspec

from sessiontui.core.clock import Clock
from sessiontui.core.events import (
    CLAIMED_SUM,
    LOG_REPAIR,
    MAX_LINE_BYTES,
    Draft,
    Event,
    EventText,
    Header,
    LineError,
    LogRepaired,
    check_line,
    decode_block_bounded,
    decode_event,
    decode_event_bounded,
    decode_event_texts,
    decode_events_bounded,
    decode_header,
    gap_described,
    seal,
    seal_drafts,
    strict_check,
)
from sessiontui.store import line_checker, lock_wait
from sessiontui.store.base import (
    Damage,
    Decide,
    ReadOnlyStore,
    SaveError,
    StoreBase,
    StoreError,
    no_log_at,
)
from sessiontui.store.durable import (
    fsync_dir,
    missing_folder,
    side_path,
    sync_data,
    write_all,
    write_private,
)
from sessiontui.store.event_ids import EventIds
from sessiontui.store.recognise import is_crlf, not_a_log, unreadable_header

Sink = Callable[[list[Event], bool], object]
"""What takes each run of sound records a scan reads, in log order, with whether every one's
payload was decoded within the bounds (see ``decode_event_bounded``)."""

_NETWORK_FILESYSTEMS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph")
READ_BLOCK = 1 << 20
"""Bytes read at a time; the records of each block read are decoded and handed on together."""


def _strerror(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EFBIG:
        return "the file size limit was reached"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exhausted"
    return exc.strerror or str(exc)


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding ``path`` (from /proc/self/mountinfo), if known."""
    try:
        target = str(path.resolve())
        best, kind = "", None
        with open("/proc/self/mountinfo", encoding="utf-8") as mounts:
            for line in mounts:
                left, _, right = line.partition(" - ")
                fields = left.split()
                mount_point = fields[4].replace("\\040", " ")
                if (
                    target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
                ) and len(mount_point) >= len(best):
                    best, kind = mount_point, right.split()[0]
        return kind
    except (OSError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a verified prefix of the log ends: its byte length and SHA-256, its last record.

    A reader given a checkpoint whose prefix hash still matches starts verifying there; any
    change in the prefix (damage, a repair) changes the hash, and the whole log is scanned.
    """

    offset: int
    sha256: str
    last_sum: str
    last_seq: int
    lines: int
    # SHA-256 of each ``BLOCK`` bytes of the prefix (the last block may be shorter): a reader
    # checks them side by side on every processor instead of one hash over the whole prefix
    # (730 MB for a 2,000,000-event log), and a later checkpoint hashes only the new blocks.
    blocks: tuple[str, ...] = ()
    # The gaps ``log.repair`` records in the prefix bridge, described: a reader starting after
    # the prefix still says them (nothing a repair left out is skipped silently).
    gaps: tuple[str, ...] = ()
    # The log file's identity (``settled_identity``) when it held exactly this prefix, if
    # that can prove it unchanged later; empty when it cannot.
    unchanged: tuple[int, ...] = ()


BLOCK = 64 << 20
"""Bytes of the log per block digest of a checkpoint."""


def file_identity(info: os.stat_result) -> tuple[int, ...]:
    """Device, inode, size and the times of the last write and of the last change of any kind.

    Every write to the file, an append or an edit in place, moves its change time (``ctime``)
    to the present, and no one but the system administrator can set it back: a file whose
    identity is the same as it was has not been written since, as far as the kernel knows.
    """
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def settled_identity(info: os.stat_result, looked_at_ns: int) -> tuple[int, ...]:
    """``file_identity(info)`` if it can later prove the file unchanged since ``info`` was
    taken at ``looked_at_ns`` (wall clock); else empty.

    The kernel stamps a change with a coarse clock (a tick of a few milliseconds; a whole
    second, or two, on file systems that keep no fractions): a change made just after a look
    could carry the very stamp that look saw. So the file must have last changed longer
    before the look than that, and any later change then carries a later stamp (as Git trusts
    its index).
    """
    stamps = (info.st_ctime_ns, info.st_mtime_ns)
    whole_seconds = all(stamp % 1_000_000_000 == 0 for stamp in stamps)
    settled = 3_000_000_000 if whole_seconds else 100_000_000
    if max(stamps) > looked_at_ns - settled:
        return ()
    return file_identity(info)


def block_digests(
    fd: int, end: int, known: tuple[str, ...] = (), known_end: int = 0
) -> tuple[str, ...] | None:
    """The SHA-256 of each ``BLOCK`` of the first ``end`` bytes (None if the file is shorter).

    ``known`` are those of the first ``known_end`` bytes: the whole blocks among them are kept.
    """
    if end == known_end and len(known) == -(-end // BLOCK):
        return known  # the same bytes: the last, shorter block too
    whole = min(len(known), known_end // BLOCK, end // BLOCK)
    digests = list(known[:whole])
    for start in range(whole * BLOCK, end, BLOCK):
        digest = hashlib.sha256()
        if not _hash_range(fd, digest, start, min(end, start + BLOCK)):
            return None
        digests.append(digest.hexdigest())
    return tuple(digests)


def blocks_hold(
    fd: int, end: int, blocks: tuple[str, ...], meanwhile: Callable[[], bool] | None = None
) -> bool:
    """Whether the first ``end`` bytes of an open file match their block digests.

    The blocks are hashed in threads, one per processor: reading and hashing release the GIL.
    ``meanwhile``, if given, runs in the calling thread while the others hash, before it
    hashes too: the blocks hold only if it returns True as well (a checkpoint's own seal is
    checked so, side by side with its prefix).
    """
    if not blocks or len(blocks) != -(-end // BLOCK):
        return False

    def holds(index: int) -> bool:
        digest = hashlib.sha256()
        start = index * BLOCK
        return (
            _hash_range(fd, digest, start, min(end, start + BLOCK))
            and digest.hexdigest() == blocks[index]
        )

    # Each thread, this one included, takes the next block not yet taken until none is left
    # or one fails. Plain threads: concurrent.futures would bring logging and queue into
    # every command that opens a log from its checkpoint.
    indices = iter(range(len(blocks)))
    held = [True]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for index in indices:
                if not held[0] or errors:
                    return
                if not holds(index):
                    held[0] = False
        except BaseException as exc:  # raised again in the calling thread
            errors.append(exc)

    workers = min(len(blocks), len(os.sched_getaffinity(0)))
    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers - 1)]
    for thread in threads:
        thread.start()
    try:
        if meanwhile is not None and not meanwhile():
            held[0] = False
    except BaseException as exc:  # the others stop at their next block; raised below
        errors.append(exc)
    work()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return held[0]


class _HashAhead:
    """The block digests of a log's first ``end`` bytes, and their SHA-256 as one, hashed in a
    thread while it is read.

    A command that checks the log's head (``head_blocks``, ``holds_blocks``) and names it (the
    log's digest, ``checkpoint``) after a cold open would otherwise hash the whole log once the
    scan is done, twice; reading and hashing release the GIL, so the thread's work overlaps the
    scan's on another processor. It reads through its own descriptor, closed when it is done.
    Only where no child checks the lines (a short log, one processor, other threads running):
    the child hashes as it reads (``line_checker.Digests``), with no third runnable thread.
    """

    def __init__(self, fd: int, end: int) -> None:
        self.end = end
        self._digests: dict[tuple[int, int], str] = {}
        # The SHA-256 of all ``end`` bytes, once every block was read (else None).
        self._whole: hashlib._Hash | None = None
        self._thread = threading.Thread(target=self._run, args=(os.dup(fd),), daemon=True)
        self._thread.start()

    def _run(self, fd: int) -> None:
        try:
            whole = hashlib.sha256()
            for start in range(0, self.end, BLOCK):
                end = min(self.end, start + BLOCK)
                digest = hashlib.sha256()
                if not _hash_range(fd, digest, start, end, whole):
                    return
                self._digests[start, end] = digest.hexdigest()
            self._whole = whole
        except OSError:
            return  # hashed again when asked for, and the error met then
        finally:
            os.close(fd)

    def digest(self, start: int, end: int) -> str | None:
        """The digest of bytes ``start`` to ``end`` if it is one of the blocks hashed ahead."""
        self._thread.join()
        return self._digests.get((start, end))

    def prefix(self) -> tuple[int, hashlib._Hash] | None:
        """``(end, the SHA-256 of the first end bytes)`` if they were all hashed ahead."""
        self._thread.join()
        return None if self._whole is None else (self.end, self._whole)


def prefix_sha256(fd: int, length: int) -> str | None:
    """SHA-256 of the first ``length`` bytes of an open file (None if it is shorter)."""
    digest = hashlib.sha256()
    return digest.hexdigest() if _hash_range(fd, digest, 0, length) else None


def _hash_range(
    fd: int, digest: hashlib._Hash, start: int, end: int, also: hashlib._Hash | None = None
) -> bool:
    """Feed bytes ``start`` to ``end`` of an open file to ``digest`` (and to ``also``, if
    given, from the same reads); False if it is shorter."""
    # One buffer read into again and again, small enough to stay in the processor's cache
    # between the read and the hash: a fresh bytes object per read is memory the kernel maps
    # and zeroes each time, and a larger one is read back from memory to be hashed.
    buffer = memoryview(bytearray(min(READ_BLOCK, max(end - start, 0))))
    done = start
    while done < end:
        read = os.preadv(fd, [buffer[: end - done]], done)
        if not read:
            return False
        digest.update(buffer[:read])
        if also is not None:
            also.update(buffer[:read])
        done += read
    return True


class _Scan:
    """The result of reading records from some offset on, and how far the reading got."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.end = 0  # where the last sound record ends
        self.last_sum = ""
        self.last_seq = 0
        self.damage: list[Damage] = []
        self.torn: tuple[int, bytes] | None = None
        self.lines = 0  # the line number of the last sound record
        self.count = 0
        self.repairs = 0
        self.gaps: list[str] = []  # the gaps repair recorded, described (``_gap_described``)
        # While scanning: lines read, the first damaged line's offset, whether to read on,
        # and whether every record of the run just taken was decoded within the bounds.
        self.lines_seen = 0
        self.damaged_at: int | None = None
        self.stopped = False
        self.bounded = True

    def take_block(self, events: list[Event], end: int) -> None:
        """Count a block of sound records, in a row, ending at ``end``."""
        last = events[-1]
        self.count += len(events)
        self.lines = self.lines_seen = self.lines_seen + len(events)
        self.last_seq, self.last_sum, self.end = last.seq, last.sum, end


class _Chain:
    """What the next record must carry to continue the hash chain and the sequence."""

    __slots__ = ("prev", "repair_next_seq", "seq")

    def __init__(self, prev: str, seq: int) -> None:
        self.prev = prev
        self.seq = seq
        self.repair_next_seq: int | None = None

    def link(self, event: Event, line_sum: str) -> None:
        """Check that ``event`` continues the chain and move past it.

        Raises:
            LineError: the chain or the sequence is broken at ``event``.
        """
        if event.prev != self.prev:
            raise LineError("hash chain broken: the line before it is missing or was altered")
        if isinstance(event, LogRepaired):
            # A gap bridged (``next_*``), or a note of a repair the chain goes through.
            data = event.data
            self.repair_next_seq = data.next_seq if data.next_seq is not None else event.seq + 1
            self.prev = data.next_prev if data.next_prev is not None else line_sum
        elif event.seq != self.seq and not (
            self.repair_next_seq and event.seq == self.repair_next_seq
        ):
            raise LineError(f"sequence number {event.seq} where {self.seq} was expected")
        else:
            self.repair_next_seq = None
            self.prev = line_sum

    def lost(self, line: bytes) -> None:
        """A damaged line: follow what it claims, so the lines after it are checked on."""
        self.prev = _sum_or_empty(line)
        self.seq = _seq_or(line, self.seq) + 1


class FileStore(StoreBase):
    """A session log file (see the module docstring)."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        recover: bool = True,
        checkpoint: Checkpoint | None = None,
        fold: Callable[[FileStore], Sink] | None = None,
        checkpoint_sealed: Callable[[], bool] | None = None,
        hash_ahead: bool = False,
    ) -> None:
        """Open an existing log, recovering a torn tail when writable.

        With a ``checkpoint`` whose prefix hash matches, only the records after it are
        verified (``checkpoint_used``); otherwise every record is. ``checkpoint_sealed``, if
        given, says whether the checkpoint is genuine (its cache seal): it is asked while the
        prefix is hashed, and the checkpoint is taken only if it says yes.

        ``fold``, if given, is called once the header is read and the checkpoint taken or not;
        each event the scan verifies after that is handed to the function it returns, as it is
        decoded: a reader folds the log in the same pass that verifies it, not in a second
        read (it runs under the store's lock, as the scan does).

        ``hash_ahead``: the caller will check the log's head (``head_blocks``,
        ``holds_blocks``) or name its digest (``checkpoint``): without a checkpoint to start
        from, its blocks and the whole are hashed while the scan reads them, by the child
        that checks the lines if one runs (``line_checker``), else in a thread.

        Raises:
            StoreError: missing, not a regular file, unreadable, or with no valid header.
        """
        self.path = Path(path)
        self.notices: list[str] = []
        self.gaps: list[str] = []  # the gaps a repair recorded, as the draft report names them
        self._gap_records: dict[int, LogRepaired] = {}  # those read, by line (``repair_gaps``)
        self.damage: list[Damage] = []
        self._header_damage: list[Damage] = []
        self._damaged_sum = ""
        self._read_only_reason: str | None = "opened read-only" if read_only else None
        self._ids: EventIds | None = None
        self._lock_depth = 0
        self.repairs = 0
        self._lines = 1
        self.checkpoint_used: Checkpoint | None = None
        # Prefixes known to match a checkpoint: ``read`` may start at their end.
        self._verified: list[Checkpoint] = []
        # (length, SHA-256 state) of a prefix already hashed, to extend rather than redo.
        self._prefix_digest: tuple[int, hashlib._Hash] | None = None
        self._ahead: _HashAhead | line_checker.Digests | None = None
        # An unfinished last line a follower saw: (its offset, the log's size, since when),
        # and the one it said (``_unfinished_tail``).
        self._tail_seen: tuple[int, int, float] | None = None
        self._tail_told: tuple[int, int] | None = None
        flags = os.O_RDONLY if read_only else os.O_RDWR | os.O_APPEND
        try:
            # O_NONBLOCK: opening a FIFO to read waits for a writer, forever; with it the open
            # returns at once and the FIFO is refused below as not a regular file.
            self._fd = os.open(self.path, flags | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            raise no_log_at(self.path) from None
        except IsADirectoryError:
            raise StoreError(f"{self.path} is a folder, not a session log") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(
                    f"{self.path} is a symbolic link; give the log's real path"
                ) from None
            if not read_only and exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                self._fd = self._open_read_only_fallback(exc)
            else:
                raise StoreError(f"cannot open {self.path}: {_strerror(exc)}") from None
        if not stat.S_ISREG(os.fstat(self._fd).st_mode):
            os.close(self._fd)
            raise StoreError(f"{self.path} is not a regular file")
        os.set_blocking(self._fd, True)
        self._offset = 0
        self._last_sum = ""
        self._last_seq = 0
        fs = filesystem_type(self.path)
        # A network file system's client may answer with the attributes it cached, not the
        # server's: there, a file's identity proves nothing (see ``settled_identity``).
        self._identity_proves = fs not in _NETWORK_FILESYSTEMS and not (fs or "").startswith("fuse")
        if fs in _NETWORK_FILESYSTEMS:
            self.notices.append(
                f"warning: {self.path} is on a network filesystem ({fs}); locking is not reliable "
                "there, so only one writer at a time must use it"
            )
        try:
            with self._locked(exclusive=not self.read_only and recover):
                self.header = self._read_header()
                # A writer needs every event id (retries are idempotent): note them while the
                # scan decodes each line anyway, instead of decoding the log again at the first
                # append (a long log's first key press in the TUI would wait for it).
                ids = None if self.read_only else EventIds(self._written)
                if checkpoint is not None and self._checkpoint_holds(
                    checkpoint, checkpoint_sealed, file_identity(os.fstat(self._fd))
                ):
                    # Retries are then recognised among the events after the checkpoint: a
                    # retried draft is always one of the latest.
                    self.checkpoint_used = checkpoint
                    self._verified.append(checkpoint)
                    self._offset, self._last_sum = checkpoint.offset, checkpoint.last_sum
                    self._last_seq, self._lines = checkpoint.last_seq, checkpoint.lines
                    self._note_gaps(checkpoint.gaps)
                size = os.fstat(self._fd).st_size
                ahead = hash_ahead and self.checkpoint_used is None
                # Started before the hash-ahead thread: a process forks only while it runs
                # no other thread.
                checker = line_checker.start(
                    self._fd,
                    self._offset,
                    size,
                    READ_BLOCK,
                    hash_to=(size, BLOCK) if ahead else None,
                )
                try:
                    if ahead and checker is None:
                        self._ahead = _HashAhead(self._fd, size)
                    sink = fold(self) if fold is not None else None
                    scan = self._scan_on(collect=False, ids=ids, sink=sink, checker=checker)
                finally:
                    if checker is not None:
                        checker.close()
                if ahead and checker is not None:
                    self._ahead = checker.digests
                if self._absorb(scan, recover=recover and not self.read_only):
                    # The last record was only missing its newline: it is read now.
                    scan = self._scan_on(collect=False, ids=ids, sink=sink)
                    self._absorb(scan, recover=True)
                self._ids = ids
        except BaseException:
            os.close(self._fd)
            raise

    def _checkpoint_holds(
        self,
        checkpoint: Checkpoint,
        sealed: Callable[[], bool] | None = None,
        identity: tuple[int, ...] = (),
    ) -> bool:
        if checkpoint.offset < self._offset or checkpoint.last_seq < 0:
            return False
        if self._identity_proves and checkpoint.unchanged and checkpoint.unchanged == identity:
            # Not a byte of the log was written since the checkpoint's prefix was verified
            # (``settled_identity``): hashing it again against its digests would find them.
            # What the checkpoint says, that identity included, counts only under its seal.
            return sealed() if sealed is not None else True
        if checkpoint.blocks:
            # The prefix's own digest is taken later, only if a new checkpoint is made.
            return blocks_hold(self._fd, checkpoint.offset, checkpoint.blocks, sealed)
        if sealed is not None and not sealed():
            return False
        digest = hashlib.sha256()
        if not _hash_range(self._fd, digest, 0, checkpoint.offset):
            return False
        if digest.hexdigest() != checkpoint.sha256:
            return False
        self._prefix_digest = (checkpoint.offset, digest)
        return True

    def covers(self, checkpoint: Checkpoint) -> bool:
        """Whether ``checkpoint`` describes a prefix of what this store has verified.

        ``read`` then starts there for events after it instead of decoding the log from the top.
        """
        if checkpoint in self._verified:
            return True
        if not self._header_end() <= checkpoint.offset <= self._offset or checkpoint.last_seq < 0:
            return False
        known = self.checkpoint_used
        if known is not None and (known.offset, known.sha256) == (
            checkpoint.offset,
            checkpoint.sha256,
        ):
            holds = True
        else:
            with self._locked(exclusive=False):
                if checkpoint.blocks:
                    holds = blocks_hold(self._fd, checkpoint.offset, checkpoint.blocks)
                else:
                    holds = prefix_sha256(self._fd, checkpoint.offset) == checkpoint.sha256
        if holds:
            self._verified.append(checkpoint)
        return holds

    def prefix_digest(self, length: int) -> str | None:
        """SHA-256 of the log's first ``length`` bytes as they are now (None: it is shorter)."""
        with self._locked(exclusive=False):
            return prefix_sha256(self._fd, length)

    def head_blocks(self) -> tuple[str, ...]:
        """The block digests (``block_digests``) of what this store has read and verified.

        The whole blocks of the checkpoint it opened from are taken as verified at open; only
        the rest is hashed. Cheaper than ``checkpoint()``, which also hashes the whole prefix.
        """
        used = self.checkpoint_used
        with self._locked(exclusive=False):
            if used is None and self._ahead is not None:
                ahead = tuple(
                    self._block_digest(start, min(self._offset, start + BLOCK))
                    for start in range(0, self._offset, BLOCK)
                )
                found = None if None in ahead else cast("tuple[str, ...]", ahead)
            else:
                found = block_digests(
                    self._fd,
                    self._offset,
                    used.blocks if used is not None else (),
                    used.offset if used is not None else 0,
                )
        assert found is not None  # the verified prefix is never cut (append-only)
        return found

    def _prefix_ahead(self) -> tuple[int, hashlib._Hash] | None:
        """The digest of a prefix of what this store verified, hashed ahead (None if none
        was, or the scan stopped before its end: damage, a torn tail)."""
        ahead = self._ahead
        found = ahead.prefix() if isinstance(ahead, _HashAhead) else None
        if found is None or found[0] > self._offset:
            return None
        return found

    def _block_digest(self, start: int, end: int) -> str | None:
        """SHA-256 of bytes ``start`` to ``end`` (hashed ahead if it was); None if shorter."""
        if self._ahead is not None and (found := self._ahead.digest(start, end)) is not None:
            return found
        digest = hashlib.sha256()
        return digest.hexdigest() if _hash_range(self._fd, digest, start, end) else None

    def holds_blocks(self, length: int, blocks: tuple[str, ...]) -> bool:
        """Whether the log's first ``length`` bytes still have these block digests.

        A block that the checkpoint this store opened from verified (the same bytes, whole or
        its last, shorter one, and the same digest, checked against them at open) is not hashed
        again: only the others are.
        """
        if len(blocks) != -(-length // BLOCK):
            return False
        used = self.checkpoint_used
        verified = used.blocks if used is not None else ()
        verified_end = used.offset if used is not None else 0
        with self._locked(exclusive=False):
            for index, expected in enumerate(blocks):
                start = index * BLOCK
                end = min(length, start + BLOCK)
                if (
                    index < len(verified)
                    and end == min(verified_end, start + BLOCK)
                    and verified[index] == expected
                ):
                    continue
                if self._block_digest(start, end) != expected:
                    return False
        return True

    def checkpoint(self, *, with_blocks: bool = True) -> Checkpoint:
        """A checkpoint at the end of what this store has read and verified.

        ``with_blocks``: with its block digests (to be saved); without, only the prefix's
        SHA-256 (the log's digest an export names).
        """
        used = self.checkpoint_used
        if (
            self._prefix_digest is None
            and used is not None
            and used.blocks
            and used.offset == self._offset
        ):
            # Nothing after the checkpoint it opened from, whose blocks were checked against
            # these very bytes at open: the prefix's digest is the one the checkpoint names (a
            # warm export would otherwise hash the whole log a second time).
            sha256 = used.sha256
        elif (
            self._prefix_digest is None
            and isinstance(self._ahead, line_checker.Digests)
            and (whole := self._ahead.sha256(self._offset)) is not None
        ):
            # All that was verified, hashed by the checking child as it read.
            sha256 = whole
        else:
            # The log only grows: the digest of a prefix already hashed goes on from there.
            start, known = self._prefix_digest or self._prefix_ahead() or (0, hashlib.sha256())
            digest = known.copy()
            complete = _hash_range(self._fd, digest, start, self._offset)
            assert complete  # the verified prefix is never cut (append-only)
            self._prefix_digest = (self._offset, digest)
            sha256 = digest.hexdigest()
        blocks: tuple[str, ...] = ()
        if with_blocks:
            found = block_digests(
                self._fd,
                self._offset,
                used.blocks if used is not None else (),
                used.offset if used is not None else 0,
            )
            assert found is not None
            blocks = found
        # The file holds exactly what this store verified (or wrote): its identity, if
        # settled, lets a reader take the prefix as verified while the file stays so.
        info = os.fstat(self._fd)
        unchanged = (
            settled_identity(info, time.time_ns())
            if self._identity_proves and info.st_size == self._offset
            else ()
        )
        return Checkpoint(
            self._offset,
            sha256,
            self._last_sum,
            self._last_seq,
            self._lines,
            blocks,
            tuple(self.gaps),
            unchanged,
        )

    def _open_read_only_fallback(self, exc: OSError) -> int:
        self._read_only_reason = f"cannot write to {self.path}: {_strerror(exc)}"
        try:
            return os.open(self.path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as again:
            raise StoreError(f"cannot open {self.path}: {_strerror(again)}") from None

    # -- creation ----------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, header: Header) -> FileStore:
        """Create a new log with its header; never touches an existing file, never creates
        its folder (the caller makes the default data folder).

        Raises:
            StoreError: the file exists, or cannot be created.
        """
        path = Path(path)
        missing = missing_folder(path)
        if missing is not None:
            raise StoreError(f"cannot create {path}: {missing}")
        try:
            fd = os.open(
                path,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC | os.O_NOFOLLOW,
                0o600,
            )
        except FileExistsError:
            raise StoreError(f"{path} already exists; a session log is never overwritten") from None
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {_strerror(exc)}") from None
        line = seal(header)
        try:
            write_all(fd, line)
            sync_data(fd)
        except OSError as exc:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise StoreError(f"cannot create {path}: {_strerror(exc)}") from None
        os.close(fd)
        fsync_dir(path.parent)
        return cls(path)

    # -- locking and reading -----------------------------------------------------------------

    class _Lock:
        """flock for a block; re-entrant, because flock on the same descriptor would convert
        (and on exit release) the lock already held instead of nesting."""

        def __init__(self, store: FileStore, exclusive: bool) -> None:
            self.store = store
            self.exclusive = exclusive
            self.outer = False

        def __enter__(self) -> None:
            if self.store._lock_depth == 0:
                _take_lock(self.store, fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH)
                self.outer = True
            self.store._lock_depth += 1

        def __exit__(self, *exc: object) -> None:
            self.store._lock_depth -= 1
            if self.outer:
                fcntl.flock(self.store._fd, fcntl.LOCK_UN)

    def _locked(self, *, exclusive: bool) -> FileStore._Lock:
        return FileStore._Lock(self, exclusive)

    def _read_header(self) -> Header:
        first = os.pread(self._fd, 64 * 1024, 0)
        newline = first.find(b"\n")
        while newline < 0 and len(first) < 1024 * 1024:
            more = os.pread(self._fd, READ_BLOCK, len(first))
            if not more:
                break
            first += more
            newline = first.find(b"\n")
        if not first:
            raise StoreError(f"{self.path} is empty: not a session log")
        if newline < 0:
            raise StoreError(
                not_a_log(self.path, first)
                or f"{self.path} has no complete header line: not a session log, or its creation was interrupted"
            )
        line = first[: newline + 1]
        self._offset = newline + 1
        try:
            header_sum = check_line(line)
        except LineError as exc:
            header, self._last_sum = self._damaged_header(first, line, exc)
            return header
        try:
            header = decode_header(line)
        except LineError as exc:
            raise StoreError(
                f"{self.path}: line 1 (byte 0): {exc}: not a valid session log header"
            ) from None
        self._last_sum = header_sum
        return header

    def _damaged_header(self, first: bytes, line: bytes, problem: LineError) -> tuple[Header, str]:
        """A header that fails its checksum: the log opens read-only, damaged at line 1, and
        its records are read as they are, as for damage to any record; ``repair`` restores
        the header. A header that still reads as one (a byte flipped in the agenda's
        snapshot) is read as it is; one that does not (a changed byte, a cut, not JSON at
        all) is taken back from what it and the records still say (``store.salvage``).
        Returns the header and the checksum the first event follows.

        Raises:
            StoreError: another kind of file, or a log converted to CR LF
                (``store.recognise`` says which, in the same words everywhere).
        """
        # Imported here: only a damaged header needs it (and the agenda loader it imports),
        # where every command's start would pay for them.
        from sessiontui.store.salvage import claimed_sum, first_prev, read_header, salvage, usable

        if is_crlf(line):
            raise StoreError(unreadable_header(self.path, first, problem))
        other = not_a_log(self.path, first)
        if other is not None:
            raise StoreError(other)
        read = read_header(line)
        claimed = claimed_sum(line)
        if read is not None and usable(read):
            header = read
            # The chain goes on from what the first record followed: the checksum field
            # itself may be the damage (a flipped hex digit still reads as a checksum).
            claimed = first_prev(self._records_after(len(line))) or claimed or ""
            why = f"{problem} (`sessiontui repair` restores the header)"
        else:
            salvaged = salvage(line, self._records_after(len(line)))
            header, claimed = salvaged.header, salvaged.sum
            why = f"{problem}; {salvaged.said}"
        self._header_damage = [Damage(1, 0, why)]
        self._damaged_sum = claimed
        return header, claimed

    def _records_after(self, start: int) -> Iterator[bytes]:
        """The lines after the header as they are (a damaged header's salvage reads them)."""
        pending = b""
        offset = start
        while chunk := os.pread(self._fd, READ_BLOCK, offset):
            offset += len(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                yield line + b"\n"
            if len(pending) > MAX_LINE_BYTES:
                return

    def _iter_blocks(
        self,
        start: int,
        pread: Callable[[int, int, int], bytes | memoryview] = os.pread,
    ) -> Iterator[tuple[int, bytes, int, bool]]:
        """Yield ``(offset, data, end, complete)`` from ``start`` to the end of the file:
        ``data[:end]`` holds the complete lines each read completes (what follows them in
        ``data`` is the start of the next line: not copied out, as a long log's blocks are
        split anyway); then, if the file does not end in a newline, what follows the last one
        (``complete`` False), or a "line" too long to be a record, after which nothing more
        is read.

        ``pread``: what reads the file (``LineChecker.pread``: a child checks the lines too).
        """
        offset = start
        pending = b""
        while True:
            chunk = pread(self._fd, READ_BLOCK, offset + len(pending))
            if not chunk:
                break
            data = pending + chunk
            end = data.rfind(b"\n") + 1
            if end:
                yield offset, data, end, True
                offset += end
                pending = data[end:]
            else:
                pending = data
            if len(pending) > 2 * 1024 * 1024:
                # A "line" this long is damage, not a record; report it and stop.
                yield offset, pending, len(pending), False
                return
        if pending:
            yield offset, pending, len(pending), False

    def _iter_lines(self, start: int) -> Iterator[tuple[int, bytes, bool]]:
        """Yield ``(offset, line, complete)`` from ``start`` to the end of the file."""
        for offset, data, end, complete in self._iter_blocks(start):
            yield from _lines_of(offset, data[:end], complete)

    def _scan_on(
        self,
        *,
        collect: bool,
        ids: EventIds | None = None,
        sink: Sink | None = None,
        checker: line_checker.LineChecker | None = None,
    ) -> _Scan:
        """Scan on from the last record this store has taken in (see ``_absorb``)."""
        return self._scan_from(
            self._offset,
            self._last_sum,
            self._last_seq,
            collect=collect,
            line_no=self._lines,
            ids=ids,
            sink=sink,
            checker=checker,
        )

    def _scan_from(
        self,
        start: int,
        last_sum: str,
        last_seq: int,
        *,
        collect: bool,
        line_no: int | None = None,
        strict: bool = False,
        ids: EventIds | None = None,
        sink: Sink | None = None,
        checker: line_checker.LineChecker | None = None,
    ) -> _Scan:
        """Verify, decode and hand on the records from ``start`` on.

        ``sink`` takes each run of sound records, in log order, with whether every one's
        payload was decoded within the bounds (see ``decode_event_bounded``).
        ``checker``: a child process checking the lines' sums (and ``strict_check`` if
        ``strict``) from ``start`` on; the lines it did not pass are checked here.
        """
        # A checker passes a line only after the checks this scan would make.
        assert checker is None or checker.strict == strict
        scan = _Scan()
        scan.end, scan.last_sum, scan.last_seq = start, last_sum, last_seq
        scan.lines = scan.lines_seen = line_no if line_no is not None else self._line_no(start)
        chain = _Chain(last_sum, last_seq + 1)
        takers: list[Callable[[list[Event]], object]] = []
        if collect:
            takers.append(scan.events.extend)
        if ids is not None:
            takers.append(lambda events: ids.add_scanned(map(_id_of, events)))
        if sink is not None:
            takers.append(lambda events: sink(events, scan.bounded))
        for block_at, data, end, whole in self._iter_blocks(
            start, checker.pread if checker is not None else os.pread
        ):
            # A block of sound lines continuing the chain as expected (nearly every block of
            # a long log) is taken at once; any other, line by line (which names what is
            # wrong where).
            events = None
            if (
                whole
                and scan.damaged_at is None
                and chain.repair_next_seq is None
                # Lines a running checker did not pass are checked one by one (it may have
                # died, or found damage: they are checked once, where they are named).
                and (checker is None or block_at + end <= checker.end)
            ):
                events = _continuing(
                    chain,
                    data,
                    checked=checker is not None,
                    strict=strict,
                    linked=checker is not None and checker.linked and block_at + end == checker.end,
                )
            if events is not None:
                scan.bounded = True
                scan.take_block(events, block_at + end)
            else:
                block = data[:end]
                events = self._scan_lines(scan, chain, block_at, block, whole, strict, checker)
            if events:
                for take in takers:
                    take(events)
            if scan.stopped:
                break
        return scan

    def _scan_lines(
        self,
        scan: _Scan,
        chain: _Chain,
        block_at: int,
        block: bytes,
        whole: bool,
        strict: bool,
        checker: line_checker.LineChecker | None,
    ) -> list[Event]:
        """``_scan_from`` of one block, line by line: its sound records (``scan.bounded``: all
        decoded within the bounds); damage, a torn tail and repairs go into ``scan``."""
        run: list[Event] = []
        scan.bounded = True
        for offset, line, complete in _lines_of(block_at, block, whole):
            line_no = scan.lines_seen = scan.lines_seen + 1
            # Only a line of NUL bytes and newlines strips to nothing: one that starts with
            # anything else is not looked at twice.
            if not complete or (line[0] <= 10 and line.strip(b"\x00\n") == b""):
                if scan.damaged_at is None and self._rest_is_tail(offset, line):
                    scan.torn = (offset, b"")
                    scan.stopped = True
                    break
                if not complete:
                    scan.damage.append(Damage(line_no, offset, "unterminated line"))
                    scan.stopped = True
                    break
            try:
                if checker is not None and offset + len(line) <= checker.end:
                    # The child ran the same checks on these very bytes (see line_checker).
                    line_sum = line[CLAIMED_SUM].decode("ascii")
                else:
                    line_sum = check_line(line)
                    if strict:
                        strict_check(line)
                event, bounded = decode_event_bounded(line)
                repair = event.__class__ is LogRepaired
                chain.link(event, line_sum)
            except LineError as exc:
                scan.damage.append(Damage(line_no, offset, str(exc)))
                if scan.damaged_at is None:
                    scan.damaged_at = offset
                # Keep scanning to report every damaged line, but stop trusting the chain.
                chain.lost(line)
                continue
            if scan.damaged_at is not None:
                chain.seq = event.seq + 1
                continue
            if not repair:
                # A sound record: counted and handed on.
                scan.last_seq = event.seq
                chain.seq = event.seq + 1
                scan.count += 1
                run.append(event)
                scan.bounded = scan.bounded and bounded
            else:
                chain.seq = chain.repair_next_seq or chain.seq
                scan.repairs += 1
                marker = event if isinstance(event, LogRepaired) else None
                gap = gap_described(marker) if marker is not None else None
                if marker is not None and gap is not None:
                    scan.gaps.append(f"line {line_no}: {gap}")
                    # Kept as it is read, with its line: a journal made in this very pass
                    # says the gap at its place (``repair_gaps``).
                    self._gap_records[line_no] = marker
            scan.end = offset + len(line)
            scan.last_sum = line_sum
            scan.lines = line_no
        return run

    def _rest_is_tail(self, offset: int, line: bytes) -> bool:
        """Whether everything from ``offset`` to the end is a torn or zero-filled write."""
        size = os.fstat(self._fd).st_size
        rest = os.pread(self._fd, min(size - offset, 4 * 1024 * 1024), offset)
        if len(rest) < size - offset:
            return False
        if rest.strip(b"\x00\n") == b"":
            return True
        # Unterminated: a single partial line with no newline after it.
        return b"\n" not in rest

    def _note_gaps(self, gaps: Sequence[str]) -> None:
        """Nothing is skipped silently: every reader (journal, report, export, tracker) says
        what a repair left out, and the draft report carries it (``gaps``)."""
        for gap in gaps:
            self.gaps.append(gap)
            self.notices.append(
                f"{self.path}: {gap}; what it held is missing from the journal, the report and "
                "the exports (see `sessiontui verify`)"
            )

    def repair_gaps(self) -> list[LogRepaired]:
        """The ``log.repair`` records of the gaps named in ``gaps``, in log order: those read
        as the log was opened, or, when it was opened past some of them (from a checkpoint),
        all of them found in the log's bytes (rare: only a repaired log has any)."""
        if len(self._gap_records) >= len(self.gaps):
            return [self._gap_records[line] for line in sorted(self._gap_records)]
        found: list[LogRepaired] = []
        with self._locked(exclusive=False):
            offset, end, carry = self._header_end(), self._offset, b""
            while offset < end:
                chunk = os.pread(self._fd, min(16 << 20, end - offset), offset)
                if not chunk:
                    break
                offset += len(chunk)
                data = carry + chunk
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
                at = data.find(b'"log.repair"')
                while at >= 0:
                    begin, stop = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at) + 1
                    with contextlib.suppress(LineError):
                        event = decode_event(data[begin:stop])
                        if isinstance(event, LogRepaired) and gap_described(event) is not None:
                            found.append(event)
                    at = data.find(b'"log.repair"', stop)
        return found

    def _line_no(self, offset: int) -> int:
        return 1 if offset == self._offset else 0

    def _absorb(self, scan: _Scan, *, recover: bool) -> bool:
        """Take in what a scan found; True if it completed a last record (scan again)."""
        self._offset = scan.end
        self._last_sum = scan.last_sum
        self._last_seq = scan.last_seq
        self._lines = scan.lines
        self._note_gaps(scan.gaps)
        if scan.damage or self._header_damage:
            self.damage = [*self._header_damage, *scan.damage]
            first = self.damage[0]
            self._read_only_reason = (
                f"the log is damaged at {first}; it is open read-only (see `sessiontui verify`, "
                "`sessiontui repair`)"
            )
        if scan.torn is not None:
            offset = scan.torn[0]
            size = os.fstat(self._fd).st_size
            if recover:
                if self._complete_last_record(offset, size):
                    return True
                self._set_aside_tail(offset, size)
            else:
                self._tell_tail(offset, size)
        return False

    def _unfinished_tail(self, offset: int) -> None:
        """Say (once) an unfinished last line seen by a follower, once it stayed unchanged
        for ``TAIL_PATIENCE`` seconds: until then it may be a line still being written."""
        size = os.fstat(self._fd).st_size
        now = time.monotonic()
        seen = self._tail_seen
        if seen is None or seen[:2] != (offset, size):
            self._tail_seen = (offset, size, now)
        elif now - seen[2] >= TAIL_PATIENCE:
            self._tell_tail(offset, size)

    def _tell_tail(self, offset: int, size: int) -> None:
        """Say an interrupted write at the end, the one at ``offset`` of ``size`` bytes once."""
        if self._tail_told == (offset, size):
            return
        self._tail_told = (offset, size)
        self.notices.append(
            f"{size - offset} bytes at the end of {self.path} (from byte {offset}) are an "
            "interrupted write (ignored; they will be set aside when the log is next written)"
        )

    def _complete_last_record(self, offset: int, size: int) -> bool:
        """A whole, valid last record that only lacks its newline (a copy, an editor) is kept:
        the newline is added. True if it was."""
        if size - offset > MAX_LINE_BYTES:
            return False
        line = os.pread(self._fd, size - offset, offset) + b"\n"
        try:
            check_line(line)
            event = decode_event(line)
        except LineError:
            return False
        if event.prev != self._last_sum or b"\n" in line[:-1]:
            return False
        try:
            write_all(self._fd, b"\n")
            sync_data(self._fd)
        except OSError:
            return False
        self.notices.append(f"the last record of {self.path} lacked its final newline; added")
        return True

    def _set_aside_tail(self, offset: int, size: int) -> None:
        """Copy an interrupted write into a side file, then cut the log back to the last record."""
        torn = os.pread(self._fd, size - offset, offset)
        side = side_path(self.path, "torn")
        try:
            write_private(side, torn)
            os.ftruncate(self._fd, offset)
            os.fsync(self._fd)
        except OSError as exc:
            self._read_only_reason = f"cannot set aside the interrupted write at the end of {self.path}: {_strerror(exc)}"
            return
        self.notices.append(
            f"{len(torn)} bytes of an interrupted write at the end of {self.path} were set aside in {side}"
        )

    # -- the EventStore interface ------------------------------------------------------------

    @property
    def last_seq(self) -> int:
        """The ``seq`` of the last event read."""
        return self._last_seq

    @property
    def size(self) -> int:
        """Bytes of verified records read so far (header included)."""
        return self._offset

    @property
    def last_sum(self) -> str:
        """The checksum of the last record read."""
        return self._last_sum

    def read(self, after_seq: int = 0, *, scanning: bool = False) -> Iterator[Event]:
        """Every good event with ``seq`` greater than ``after_seq``, up to what this store has read.

        ``scanning``: asked by the opening scan's ``fold`` (see ``__init__``), which was handed
        events the store has not taken in yet: read on past them, to the end of the file or the
        first bad line (the caller stops at the last event it was handed).
        """
        end = self._offset if not scanning else sys.maxsize
        with self._locked(exclusive=False):
            start = self._header_end()
            # Nothing wanted lies before a verified checkpoint at or before ``after_seq``.
            for known in self._verified:
                if known.last_seq <= after_seq and known.offset > start:
                    start = known.offset
            for offset, line, complete in self._iter_lines(start):
                if offset >= end or not complete:
                    break
                try:
                    event = decode_event(line)
                except LineError:
                    break
                if event.seq > after_seq and event.type != LOG_REPAIR:
                    yield event

    def read_texts(self) -> list[EventText]:
        """Every good event as ``EventText``, up to what this store has read (decoded in bulk)."""
        return [text for block in self.iter_texts() for text in block]

    def iter_texts(self, block_bytes: int = READ_BLOCK) -> Iterator[list[EventText]]:
        """``read_texts`` a block of lines at a time, each block decoded in bulk.

        A long log is never in memory at once, neither its bytes nor its events: a block's
        are freed while the next is read (a JSON export streams its events this way).

        The events are those this store has read when this is called, whatever it reads
        while they are taken (the state and digest they go with are taken then too).

        Raises:
            StoreError: the log cannot be read, or changed while being read.
        """
        return self._texts_until(self._offset, block_bytes)

    def _texts_until(self, end: int, block_bytes: int) -> Iterator[list[EventText]]:
        size = block_bytes
        try:
            with self._locked(exclusive=False):
                offset = self._header_end()
            while offset < end:
                wanted = min(size, end - offset)
                with self._locked(exclusive=False):
                    data = os.pread(self._fd, wanted, offset)
                if len(data) != wanted:
                    raise StoreError(f"{self.path} became shorter while being read")
                # ``end`` is a line's end (the store stops at one); the block ends at its last.
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    if offset + wanted == end:
                        raise StoreError(f"{self.path} changed while being read")
                    size *= 2  # a line longer than a block: read it whole
                    continue
                try:
                    texts = decode_event_texts(memoryview(data)[:cut])
                except LineError as exc:
                    # Every line was checked when the store read it: the file changed under us.
                    raise StoreError(f"{self.path} changed while being read: {exc}") from None
                offset += cut
                size = block_bytes
                yield [text for text in texts if text.type != LOG_REPAIR]
        except OSError as exc:
            # Named as the log's, not taken for a failure of whatever the texts are written to.
            raise StoreError(f"cannot read {self.path}: {_strerror(exc)}") from None

    def last_event(self) -> Event | None:
        """The last event this store has read, decoding only its line (None: no events)."""
        end = self._offset
        start = max(self._header_end(), end - MAX_LINE_BYTES - 1)
        tail = os.pread(self._fd, end - start, start)
        line = tail[tail.rfind(b"\n", 0, len(tail) - 1) + 1 :]
        if start + len(tail) - len(line) < self._header_end():
            return None
        try:
            event = decode_event(line)
        except LineError:
            return None
        if event.type == LOG_REPAIR:
            return None if event.seq == 0 else next(self.read(after_seq=event.seq - 1), None)
        return event

    def _header_end(self) -> int:
        first = os.pread(self._fd, 1024 * 1024 + 1, 0)
        return first.find(b"\n") + 1

    def catch_up(self) -> list[Event]:
        """Events other writers appended since the last read."""
        if os.fstat(self._fd).st_size == self._offset:
            return []
        with self._locked(exclusive=False):
            return self._catch_up_locked(recover=False)

    def _catch_up_locked(self, *, recover: bool) -> list[Event]:
        if self.damage:
            return []
        scan = self._scan_on(collect=True)
        if scan.torn is not None and not recover:
            # A program writing the log without its lock may be between two writes of one
            # line: take only the good lines, and say the tail only once it stays unfinished.
            self._unfinished_tail(scan.torn[0])
            scan.torn = None
        events = scan.events
        if self._absorb(scan, recover=recover):
            scan = self._scan_on(collect=True)
            self._absorb(scan, recover=recover)
            events = events + scan.events
        if self._ids is not None:
            self._ids.update(event.id for event in events)
        return events

    def transact(self, decide: Decide, clock: Clock) -> list[Event]:
        """Catch up, decide, append: atomically with respect to every other writer.

        Raises:
            ReadOnlyStore: the log cannot be written (the reason says why).
            SaveError: the write failed; nothing of it is in the log.
            Exception: whatever ``decide`` raises (a refused command); nothing is written.
        """
        if self._read_only_reason is not None:
            if self.damage and not self._same_file():
                # Damaged when read, and repaired since (``repair`` replaces the file): this
                # store still holds the damaged one; "see repair" would send the person back
                # to what they just did.
                self._read_only_reason = self._replaced()
            raise ReadOnlyStore(self._read_only_reason)
        with self._locked(exclusive=True):
            self._check_same_file()
            news = self._catch_up_locked(recover=True)
            if self._read_only_reason is not None:
                raise ReadOnlyStore(self._read_only_reason)
            drafts = decide(news)
            if not drafts:
                return []
            return self._write_locked(drafts, clock)

    def _check_same_file(self) -> None:
        """Refuse to write to a log that `repair` replaced since we opened it."""
        if not self._same_file():
            self._read_only_reason = self._replaced()
            raise ReadOnlyStore(self._read_only_reason)

    def _same_file(self) -> bool:
        """Whether the log's path still names the file this store opened."""
        try:
            return os.stat(self.path).st_ino == os.fstat(self._fd).st_ino
        except OSError:
            return False

    def _replaced(self) -> str:
        if not os.path.lexists(self.path):
            # Deleted or moved away: there is no new one to take in, and restarting finds no
            # log at all. What this process read is still open: that can be saved.
            return (
                f"{self.path} is gone (deleted or moved) since it was opened; nothing more can "
                "be recorded in it. The session as read so far stays open here until the "
                "tracker quits: export it now (`w`) to keep it"
            )
        return (
            f"{self.path} was replaced since it was opened (repaired?); nothing is written on "
            "the old one: restart the tracker (or run the command again) to take the new one in"
        )

    def has_id(self, event_id: str) -> bool:
        """Whether an event with this id is in the log as read so far."""
        return event_id in self._known_ids()

    def _known_ids(self) -> EventIds:
        if self._ids is None:
            ids = EventIds(self._written)
            ids.add_scanned(map(_id_of, self.read()))
            self._ids = ids
        return self._ids

    def _written(self, event_id: str) -> bool:
        """Whether a sound line of the log, as read so far, is the event with this id.

        The bytes are searched for the id as a record writes it, and each line found is
        checked and decoded: nothing else is decoded, and no line is kept.
        """
        needle = b'"id":' + msgspec.json.encode(event_id) + b","
        with self._locked(exclusive=False):
            for offset, data, end, _ in self._iter_blocks(self._header_end()):
                if offset >= self._offset:
                    break
                found = data.find(needle, 0, end)
                while found >= 0:
                    start = data.rfind(b"\n", 0, found) + 1
                    stop = data.find(b"\n", found, end) + 1
                    if offset + stop > self._offset:
                        return False
                    if _is_event(data[start:stop], event_id):
                        return True
                    found = data.find(needle, stop, end)
        return False

    def _write_locked(self, drafts: Sequence[Draft], clock: Clock) -> list[Event]:
        known = self._known_ids()
        fresh = [draft for draft in drafts if draft.id not in known]
        if not fresh:
            return []
        try:
            events, lines = seal_drafts(
                fresh, prev=self._last_sum, seq=self._last_seq, recorded=clock.now()
            )
        except LineError as exc:
            raise SaveError(str(exc), fresh) from None
        prev, seq = events[-1].sum, events[-1].seq
        payload = b"".join(lines)
        boundary = self._offset
        if os.fstat(self._fd).st_size != boundary:
            raise StoreError(
                f"{self.path} changed under the lock; reopen it (see `sessiontui verify`)"
            )
        try:
            write_all(self._fd, payload)
            sync_data(self._fd)
        except OSError as exc:
            self._undo_partial_write(boundary, _strerror(exc))
            # The cause only: whoever shows it says "NOT saved" once (it was said two and three
            # times over: "NOT SAVED: not saved: the disk is full: NOT saved, ...").
            raise SaveError(f"{_strerror(exc)}; nothing was recorded", fresh) from None
        self._offset = boundary + len(payload)
        self._last_sum = prev
        self._last_seq = seq
        self._lines += len(events)
        known.update(event.id for event in events)
        return events

    def _undo_partial_write(self, boundary: int, cause: str) -> None:
        """After a failed write or sync, cut the log back to the last acknowledged record.

        Safe because we hold the exclusive lock. The fsync is not retried: after a failed
        fdatasync the kernel may have dropped the pages, so the log goes read-only instead.
        """
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, boundary)
        self.failed_write = cause
        self._read_only_reason = (
            f"a write to the log failed ({cause}); it is read-only until the program is restarted"
        )

    def close(self) -> None:
        """Close the descriptor."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    # -- verification and repair -------------------------------------------------------------

    def verify(self) -> tuple[int, list[Damage], int]:
        """Check every record: ``(good events, damage, bytes of torn tail)``.

        ``repairs`` is set to the number of ``log.repair`` gaps found.
        """
        with self._locked(exclusive=False):
            header_end = self._header_end()
            size = os.fstat(self._fd).st_size
            checker = line_checker.start(self._fd, header_end, size, READ_BLOCK, strict=True)
            try:
                # verify also runs the slow checks a normal open skips: duplicate keys, NaN.
                scan = self._scan_from(
                    header_end,
                    self._header_sum(),
                    0,
                    collect=False,
                    line_no=1,
                    strict=True,
                    checker=checker,
                )
            finally:
                if checker is not None:
                    checker.close()
            torn = os.fstat(self._fd).st_size - scan.torn[0] if scan.torn else 0
            self.repairs = scan.repairs
            return scan.count, [*self._header_damage, *scan.damage], torn

    def _header_sum(self) -> str:
        first = os.pread(self._fd, 1024 * 1024 + 1, 0)
        line = first[: first.find(b"\n") + 1]
        # A damaged header that opened read-only: the checksum the chain follows, as at open.
        return self._damaged_sum if self._header_damage else check_line(line)


def _sum_or_empty(line: bytes) -> str:
    mark = line.rfind(b',"sum":"')
    return line[mark + 8 : mark + 40].decode("ascii", "replace") if mark >= 0 else ""


_SEQ_AT_START = re.compile(rb'^\{(?:"type":"[^"]{0,64}",)?"seq":(\d{1,18}),')


def _seq_or(line: bytes, default: int) -> int:
    # A line of version 2 starts with its type, one of version 1 with its seq.
    found = _SEQ_AT_START.match(line[:120])
    return int(found.group(1)) if found else default


_id_of = operator.attrgetter("id")

TAIL_PATIENCE = 2.0
"""Seconds an unfinished last line must stay unchanged before a follower says it: a program
appending without the lock (``printf ... >> LOG``) may write one line in several writes."""

LOCK_PATIENCE = 2.0
"""Seconds a store waits for a log's lock before it says that it waits (``lock_wait.notice``)."""


def _take_lock(store: FileStore, mode: int) -> None:
    """``flock`` the store's log in ``mode``, saying so (``lock_wait.notice``) if it waits long."""
    fd = store._fd
    notice = lock_wait.notice
    if notice is None:
        fcntl.flock(fd, mode)
        return
    deadline = time.monotonic() + LOCK_PATIENCE
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(0.005)  # the lock is nearly always held for a few milliseconds
    holders = lock_wait.lock_holders(fd)
    who = (
        f"{' and '.join(holders)} holds its lock"
        if holders
        else f"another program holds its lock (`fuser {store.path}` names it)"
    )
    # No limit: a long legitimate write (a writer opening a very long log) must not make the
    # command fail; until it has the lock it has written nothing, so stopping it is safe.
    notice(
        f"waiting for {store.path}: {who}, a writer opening a long log or one that hangs; "
        "ctrl+c stops waiting, with nothing recorded"
    )
    fcntl.flock(fd, mode)


def _is_event(line: bytes, event_id: str) -> bool:
    """Whether ``line`` is a sound record of the event with this id."""
    try:
        check_line(line)
        return decode_event(line).id == event_id
    except LineError:
        return False


_prev_of = operator.attrgetter("prev")
_sum_of = operator.attrgetter("sum")
_seq_of = operator.attrgetter("seq")


def _continuing(
    chain: _Chain, data: bytes, *, checked: bool, strict: bool, linked: bool = False
) -> list[Event] | None:
    """The events of the lines ``data`` holds up to its last newline, if every one is sound,
    decoded within the bounds, and they continue ``chain`` as expected (the chain then moves
    past them); else None.

    ``checked``: a checker passed every line (else each is checked here, ``strict`` or not).
    ``linked``: it also vouched that each after the first names the sum of the one before,
    that each is one object whose ``seq`` runs on from the one before's, and that none is a
    ``log.repair`` record (``LineChecker.linked``): the lines are decoded at once, and only
    the first's ``prev`` and ``seq`` are compared with the chain here.
    Expected: each names the sum of the one before, their ``seq`` run on from the chain's,
    and none is a ``log.repair`` record. A line's decoded ``sum`` is the one its checked tail
    claims (the tail closes the record, so it is its last key, and the last of a repeated key
    is the one decoded).
    """
    if linked:
        events = decode_block_bounded(memoryview(data)[: data.rfind(b"\n") + 1])
        if events and events[0].prev == chain.prev and events[0].seq == chain.seq:
            chain.prev, chain.seq = events[-1].sum, chain.seq + len(events)
            return events
        return None
    lines = data.split(b"\n")
    lines.pop()  # what follows the last newline: the start of the next line, if anything
    if not checked:
        try:
            for line in lines:
                check_line(line + b"\n")
                if strict:
                    strict_check(line)
        except LineError:
            return None
    events = decode_events_bounded(lines)
    if events is None:
        return None
    prevs = list(map(_prev_of, events))
    sums = list(map(_sum_of, events))
    if (
        prevs[0] == chain.prev
        and prevs[1:] == sums[:-1]
        and list(map(_seq_of, events)) == list(range(chain.seq, chain.seq + len(events)))
        and LogRepaired not in map(type, events)
    ):
        chain.prev, chain.seq = sums[-1], chain.seq + len(events)
        return events
    return None


def _lines_of(offset: int, block: bytes, complete: bool) -> Iterator[tuple[int, bytes, bool]]:
    """The ``(offset, line, complete)`` of each line of a block ``_iter_blocks`` yields."""
    if not complete:
        yield offset, block, False
        return
    begin = 0
    while (newline := block.find(b"\n", begin)) >= 0:
        yield offset + begin, block[begin : newline + 1], True
        begin = newline + 1
