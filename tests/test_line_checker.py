"""Lines checked in a second process: the same events, the same damage, in the same words.

A long cold scan forks a child that checks each line's own checksum while the scan decodes
and folds (``store.line_checker``). Here it is forced on small logs cut into small blocks, so
that lines straddle blocks, and every outcome is compared with the one-process scan's: the
events handed on (and whether each was bounded), the damage named, the notices, where the
store stopped, and what ``verify`` says. The child may die, answer nonsense or be outrun by
a file that grows: the scan checks in process whatever it did not vouch for.

The scan also takes a block of sound lines at once (decoded together, the chain checked over
the block: ``store.file._continuing``), and any other block line by line, which names what is
wrong where: every kind of damage and hostile record is read both ways and compared too.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, CloseItem, NextItem, OpenItem
from sessiontui.core.events import PREV_TAIL, SUM_HEX, Event, check_line, line_sum, prev_tail
from sessiontui.service import SessionService
from sessiontui.store import file as file_store
from sessiontui.store import line_checker
from sessiontui.store.file import FileStore
from sessiontui.store.repair import repair_log

from .conftest import START, make_log

Outcome = dict[str, Any]


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A log's bytes: notes short and long (some longer than a block), speakers, items."""
    log = make_log(tmp_path_factory.mktemp("checker") / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    commands: list[Any] = [OpenItem("1")]
    for n in range(24):
        commands.append(AddNote("1", f"note {n} " + "word " * (n * 17 % 300)))
        if n % 6 == 5:
            commands.append(AddSpeaker("1", f"Delegation {n}", start=True))
    commands += [NextItem(), AddNote("2", "adopted", kind="decision"), CloseItem("2")]
    for command in commands:
        clock.advance(60)
        service.run(command)
    service.close()
    return log.read_bytes()


class Forced:
    """Runs a scan with the checker forced on (``two=True``) or off, and records the checkers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.started: list[line_checker.LineChecker] = []
        self.in_process = 0
        start = line_checker.start

        def spy(*args: Any, **kwargs: Any) -> line_checker.LineChecker | None:
            checker = start(*args, **kwargs)
            if checker is not None:
                self.started.append(checker)
            return checker

        def counted(line: bytes) -> str:
            self.in_process += 1
            return check_line(line)

        monkeypatch.setattr(line_checker, "start", spy)
        monkeypatch.setattr(line_checker, "may_fork", lambda: True)
        monkeypatch.setattr(file_store, "check_line", counted)
        self.chunk(257)

    def chunk(self, size: int) -> None:
        self.monkeypatch.setattr(file_store, "READ_BLOCK", size)

    def two(self, on: bool) -> None:
        self.monkeypatch.setattr(line_checker, "MIN_BYTES", 0 if on else 1 << 60)
        self.started.clear()
        self.in_process = 0


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> Forced:
    return Forced(monkeypatch)


def open_outcome(
    path: Path, *, writable: bool = False, during: Callable[[int], None] | None = None
) -> Outcome:
    """What opening ``path`` gives: events handed on, damage, notices, where it stopped."""
    taken: list[tuple[Event, bool]] = []

    def fold(store: FileStore) -> Callable[[list[Event], bool], None]:
        def sink(events: list[Event], bounded: bool) -> None:
            for event in events:
                taken.append((event, bounded))
                if during is not None:
                    during(len(taken))

        return sink

    store = FileStore(path, read_only=not writable, fold=fold)
    try:
        return {
            "taken": taken,
            "damage": [(d.line, d.offset, d.reason) for d in store.damage],
            # The side file's name holds the second it was made in.
            "notices": [
                re.sub(r"-\d{8}T\d{6}", "-TIME", n.replace(str(path.parent), "DIR"))
                for n in store.notices
            ],
            "where": (store.size, store.last_seq, store.last_sum),
            "read_only": store.read_only,
            "file": path.read_bytes(),
        }
    finally:
        store.close()


def verify_outcome(path: Path) -> tuple[int, list[tuple[int, int, str]], int]:
    with FileStore(path, read_only=True, recover=False) as store:
        count, damage, torn = store.verify()
    return count, [(d.line, d.offset, d.reason) for d in damage], torn


def both(
    forced: Forced, tmp_path: Path, data: bytes, **kwargs: Any
) -> Iterator[tuple[Outcome, Outcome]]:
    """The outcome of one process and of two, each on its own copy of ``data``."""
    results = []
    for on in (False, True):
        folder = tmp_path / ("two" if on else "one")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / "s.jsonl"
        path.write_bytes(data)
        forced.two(on)
        result = open_outcome(path, **kwargs)
        result["verify"] = verify_outcome(path)
        assert bool(forced.started) == on
        results.append(result)
    yield results[0], results[1]


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


@pytest.mark.parametrize("chunk", [64, 257, 4096, 1 << 20])
def test_a_sound_log_folds_the_same_and_is_hashed_by_the_child(
    forced: Forced, tmp_path: Path, genuine: bytes, chunk: int
) -> None:
    forced.chunk(chunk)
    for one, two in both(forced, tmp_path, genuine):
        assert one == two
        assert one["damage"] == [] and len(one["taken"]) > 30
    # Only the header, checked before the scan (as the store opens twice, and in ``verify``).
    assert forced.in_process == 3


def test_linked_blocks_are_compared_with_the_chain_only_at_their_start(
    forced: Forced, tmp_path: Path, genuine: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child vouches that a sound log's blocks are linked; the scan takes them so, and
    what it takes is what the one-process scan, comparing every line, takes."""
    forced.chunk(4096)
    calls: list[tuple[bool, bool]] = []
    continuing = file_store._continuing

    def spy(*args: Any, **kwargs: Any) -> list[Event] | None:
        events = continuing(*args, **kwargs)
        calls.append((kwargs.get("linked", False), events is not None))
        return events

    monkeypatch.setattr(file_store, "_continuing", spy)
    for one, two in both(forced, tmp_path, genuine):
        assert one == two
    assert (True, True) in calls and (False, True) in calls


def altered_body(lines: list[bytes]) -> list[bytes]:
    lines[8] = lines[8].replace(b"note", b"nope", 1)
    return lines


def altered_sum(lines: list[bytes]) -> list[bytes]:
    lines[5] = lines[5][:-10] + b"0000000" + lines[5][-3:]
    return lines


def torn(lines: list[bytes]) -> list[bytes]:
    lines[-1] = lines[-1][: len(lines[-1]) // 2]
    return lines


def nul_tail(lines: list[bytes]) -> list[bytes]:
    return [*lines, b"\x00" * 700]


def nul_inside(lines: list[bytes]) -> list[bytes]:
    lines[12] = b"\x00" * (len(lines[12]) - 1) + b"\n"
    return lines


def garbage_between(lines: list[bytes]) -> list[bytes]:
    return [*lines[:7], b"not a record\n", *lines[7:]]


def line_dropped(lines: list[bytes]) -> list[bytes]:
    return lines[:4] + lines[5:]


def no_last_newline(lines: list[bytes]) -> list[bytes]:
    lines[-1] = lines[-1][:-1]
    return lines


def duplicate_key(lines: list[bytes]) -> list[bytes]:
    from sessiontui.core.events import line_sum

    line = lines[3]
    body = line[: line.rfind(b',"sum":"')] + b',"actor":"x"}'
    lines[3] = body[:-1] + b',"sum":"' + line_sum(body).encode() + b'"}\n'
    return lines


def prev_of(line: bytes) -> bytes:
    """A written line's ``,"prev":"<sum of the line before>"``, just before its sum."""
    return line[PREV_TAIL]


WRONG_PREV = b',"prev":"' + b"0" * 32 + b'"'


def prev_resealed(lines: list[bytes]) -> list[bytes]:
    # A sound line naming no line as the one before it: the chain is broken there.
    lines[9] = resealed(lines[9], lambda body: body.replace(prev_of(lines[9]), WRONG_PREV, 1))
    return lines


def prev_repeated(lines: list[bytes]) -> list[bytes]:
    # A wrong ``prev``, then the right one: the last of a repeated key is the one read.
    lines[9] = resealed(
        lines[9], lambda body: body.replace(prev_of(lines[9]), WRONG_PREV + prev_of(lines[9]), 1)
    )
    return lines


def prev_repeated_wrong_last(lines: list[bytes]) -> list[bytes]:
    lines[9] = resealed(
        lines[9], lambda body: body.replace(prev_of(lines[9]), prev_of(lines[9]) + WRONG_PREV, 1)
    )
    return lines


def prev_not_last(lines: list[bytes]) -> list[bytes]:
    # The right ``prev``, not just before the sum: the child does not vouch for the line.
    lines[9] = resealed(
        lines[9], lambda body: body.replace(prev_of(lines[9]), prev_of(lines[9]) + b',"y":2', 1)
    )
    return lines


def seq_resealed(lines: list[bytes]) -> list[bytes]:
    lines[9] = resealed(lines[9], lambda body: body.replace(b'"seq":', b'"seq":1', 1))
    return lines


def too_long(lines: list[bytes]) -> list[bytes]:
    lines[6] = b"x" * (1 << 20) + b"\n"
    return lines


LINE_DAMAGE = [
    altered_body,
    altered_sum,
    torn,
    nul_tail,
    nul_inside,
    garbage_between,
    line_dropped,
    no_last_newline,
    duplicate_key,
    prev_resealed,
    prev_repeated,
    prev_repeated_wrong_last,
    prev_not_last,
    seq_resealed,
    too_long,
]


@pytest.mark.parametrize("damage", LINE_DAMAGE)
@pytest.mark.parametrize("writable", [False, True])
def test_damage_is_named_alike(
    forced: Forced,
    tmp_path: Path,
    genuine: bytes,
    damage: Callable[[list[bytes]], list[bytes]],
    writable: bool,
) -> None:
    data = b"".join(damage(lines_of(genuine)))
    for one, two in both(forced, tmp_path, data, writable=writable):
        assert one == two


def test_lines_appended_during_the_scan_are_checked(
    forced: Forced, tmp_path: Path, genuine: bytes
) -> None:
    lines = lines_of(genuine)
    head, rest = b"".join(lines[:10]), lines[10:]
    damaged = [*rest[:5], rest[5].replace(b"note", b"nope", 1), *rest[6:]]
    damaged_tail = b"".join(damaged)
    for tail in (b"".join(rest), damaged_tail):
        results = []
        for on in (False, True):
            path = tmp_path / f"grows-{on}.jsonl"
            path.write_bytes(head)
            forced.two(on)

            def append(taken: int, path: Path = path, tail: bytes = tail) -> None:
                if taken == 3:
                    with path.open("ab") as log:
                        log.write(tail)

            results.append(open_outcome(path, during=append))
            assert bool(forced.started) == on
        assert results[0] == results[1]
        assert results[0]["file"] == head + tail
        if tail is damaged_tail:
            assert [line for line, _, _ in results[0]["damage"]] == [16]
        else:
            assert len(results[0]["taken"]) == len(lines) - 1


def test_a_child_that_dies_leaves_the_checks_to_the_scan(
    forced: Forced, tmp_path: Path, genuine: bytes
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(genuine)
    forced.two(False)
    expected = open_outcome(path)
    forced.two(True)
    killed: list[int] = []

    def kill(taken: int) -> None:
        if taken == 4:
            killed.append(forced.started[0]._pid)
            os.kill(killed[0], signal.SIGKILL)

    assert open_outcome(path, during=kill) == expected
    assert killed and forced.in_process > 10
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(killed[0], os.WNOHANG)


def test_the_child_reads_the_blocks_it_checks(
    forced: Forced, tmp_path: Path, genuine: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan takes each block as the child read it: its own processor only decodes and
    folds."""
    path = tmp_path / "s.jsonl"
    path.write_bytes(genuine)
    forced.two(False)
    expected = open_outcome(path)
    scan = os.getpid()
    read_here: list[int] = []
    preadv = os.preadv

    def counted(fd: int, buffers: list[memoryview], offset: int) -> int:
        if os.getpid() == scan:
            read_here.append(offset)
        return preadv(fd, buffers, offset)

    monkeypatch.setattr(os, "preadv", counted)
    forced.two(True)
    assert open_outcome(path) == expected
    assert forced.started and read_here == []


@pytest.mark.parametrize(
    "answer",
    [
        lambda pos, length: line_checker._END.pack(
            length, pos + length + 1, True
        ),  # past the block
        lambda pos, length: line_checker._END.pack(
            length, pos, True
        ),  # before its first line's end
        lambda pos, length: line_checker._END.pack(length, 2**64 - 1, True),
        lambda pos, length: line_checker._END.pack(length, 0, False),  # none passed: believed
        lambda pos, length: line_checker._END.pack(2**32 - 1, 0, False),  # read more than a block
        lambda pos, length: line_checker._END.pack(length, pos + length, True)[:7],  # cut short
        None,  # says nothing: exits at once
    ],
)
def test_a_child_that_answers_nonsense_is_not_believed(
    forced: Forced,
    tmp_path: Path,
    genuine: bytes,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[int, int], bytes] | None,
) -> None:
    data = b"".join(altered_body(lines_of(genuine)))
    path = tmp_path / "s.jsonl"
    path.write_bytes(data)
    forced.two(False)
    expected = open_outcome(path)

    def lying(
        commands: int,
        answers: int,
        fd: int,
        slots: tuple[memoryview, ...],
        pos: int,
        strict: bool,
    ) -> None:
        # It reads what it is asked to, and says what it likes of it.
        block = line_checker._BLOCK
        while answer is not None and len(message := os.read(commands, block.size)) == block.size:
            slot, at = block.unpack(message)
            os.write(answers, answer(at, os.preadv(fd, [slots[slot]], at)))

    monkeypatch.setattr(line_checker, "_child", lying)
    forced.two(True)
    assert open_outcome(path) == expected
    assert forced.started
    assert forced.in_process == data.count(b"\n")  # every line, the header too


def test_an_interrupted_scan_leaves_no_child(
    forced: Forced, tmp_path: Path, genuine: bytes
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(genuine)
    forced.two(True)

    def interrupt(taken: int) -> None:
        if taken == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_outcome(path, during=interrupt)
    pid = forced.started[0]._pid
    assert pid == 0  # closed
    # Every child of this process is reaped: no zombie left behind.
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_no_child_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not line_checker.may_fork()
        monkeypatch.setattr(line_checker, "MIN_BYTES", 0)
        assert line_checker.start(0, 0, 100, 64) is None
    finally:
        stop.set()
        thread.join()


damages = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert", "nul", "delete"]),
        st.integers(min_value=0, max_value=1 << 30),
        st.binary(min_size=1, max_size=40),
    ),
    min_size=1,
    max_size=4,
)


def damaged(data: bytes, changes: list[tuple[str, int, bytes]]) -> bytes:
    # The header is left alone: without it, nothing is scanned.
    header = data.index(b"\n") + 1
    body = bytearray(data[header:])
    for kind, where, junk in changes:
        at = where % max(len(body), 1)
        if kind == "flip" and body:
            body[at] = junk[0]
        elif kind == "cut":
            del body[at:]
        elif kind == "insert":
            body[at:at] = junk
        elif kind == "nul":
            body[at : at + len(junk) * 8] = b"\x00" * (len(junk) * 8)
        elif kind == "delete":
            del body[at : at + len(junk)]
    return data[:header] + bytes(body)


@settings(max_examples=60, deadline=None)
@given(changes=damages, chunk=st.sampled_from([64, 300, 1 << 20]))
def test_any_damage_is_judged_alike_in_one_process_and_two(
    tmp_path_factory: pytest.TempPathFactory,
    genuine: bytes,
    changes: list[tuple[str, int, bytes]],
    chunk: int,
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        forced = Forced(monkeypatch)
        forced.chunk(chunk)
        data = damaged(genuine, changes)
        tmp_path = tmp_path_factory.mktemp("any")
        for writable in (False, True):
            for one, two in both(forced, tmp_path, data, writable=writable):
                assert one == two


# -- blocks taken at once ---------------------------------------------------------------------


def resealed(line: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """``line`` with its body changed and a checksum that holds (anyone can compute one)."""
    body = change(line[: line.rfind(b',"sum":"')] + b"}")
    return body[:-1] + b',"sum":"' + line_sum(body).encode() + b'"}\n'


def two_records_on_a_line(lines: list[bytes]) -> list[bytes]:
    lines[3] = resealed(lines[3], lambda body: body + b" " + body)
    return lines


def a_second_sum_key(lines: list[bytes]) -> list[bytes]:
    # The body claims another sum first; the tail's is the one checked and the one decoded.
    lines[4] = resealed(lines[4], lambda body: body[:-1] + b',"sum":"' + b"0" * 32 + b'"}')
    return lines


def a_time_without_zone(lines: list[bytes]) -> list[bytes]:
    lines[5] = resealed(lines[5], lambda body: body.replace(b'Z"', b'"', 1))
    return lines


def an_unknown_type(lines: list[bytes]) -> list[bytes]:
    lines[6] = resealed(lines[6], lambda body: body.replace(b'"type":"', b'"type":"future.', 1))
    return lines


def out_of_bounds(lines: list[bytes]) -> list[bytes]:
    # A control character in a note: decoded without the bounds, judged by the fold.
    lines[11] = resealed(lines[11], lambda body: body.replace(b"note", b"no\\u0007te", 1))
    return lines


def sequence_repeated(lines: list[bytes]) -> list[bytes]:
    return [*lines[:8], lines[7], *lines[8:]]


def as_it_is(lines: list[bytes]) -> list[bytes]:
    return lines


def rechained(lines: list[bytes], at: int, change: Callable[[bytes], bytes]) -> list[bytes]:
    """``lines`` with line ``at``'s body changed, resealed, and every line after it naming
    the one before as its ``prev`` again: still linked, so only what was changed is wrong."""
    lines[at] = resealed(lines[at], change)
    for n in range(at + 1, len(lines)):
        lines[n] = resealed(lines[n], relinked(prev_of(lines[n]), lines[n - 1]))
    return lines


def relinked(old: bytes, before: bytes) -> Callable[[bytes], bytes]:
    """A body's ``prev`` tail ``old`` replaced by one naming the sum of line ``before``."""
    new = prev_tail(before[-SUM_HEX - 3 : -3])
    return lambda body: body.replace(old, new, 1)


def seq_of(line: bytes) -> int:
    found = re.search(rb'"seq":(\d+),', line)
    assert found is not None
    return int(found[1])


def seq_skipped_linked(lines: list[bytes]) -> list[bytes]:
    seq = seq_of(lines[9])
    return rechained(
        lines, 9, lambda body: body.replace(b'"seq":%d,' % seq, b'"seq":%d,' % (seq + 5), 1)
    )


def seq_key_repeated_linked(lines: list[bytes]) -> list[bytes]:
    # The head's ``seq`` is right; a second one, the one decoded, is not.
    return rechained(lines, 9, lambda body: body.replace(b',"prev":', b',"seq":999,"prev":', 1))


def seq_key_repeated_right_last(lines: list[bytes]) -> list[bytes]:
    # The head's ``seq`` is wrong; the second one, the one decoded, is right.
    seq = seq_of(lines[9])
    return rechained(
        lines,
        9,
        lambda body: body.replace(b'"seq":%d,' % seq, b'"seq":999,', 1).replace(
            b',"prev":', b',"seq":%d,"prev":' % seq, 1
        ),
    )


def seq_key_escaped_linked(lines: list[bytes]) -> list[bytes]:
    return rechained(
        lines, 9, lambda body: body.replace(b',"prev":', b',"s\\u0065q":999,"prev":', 1)
    )


def seq_first_linked(lines: list[bytes]) -> list[bytes]:
    # A head in another order (as version 1 wrote it): not read by the child.
    def reordered(body: bytes) -> bytes:
        found = re.match(rb'\{("type":"[^"]*"),("seq":\d+),', body)
        assert found is not None
        return b"{" + found[2] + b"," + found[1] + b"," + body[found.end() :]

    return rechained(lines, 9, reordered)


def repair_record_linked(lines: list[bytes]) -> list[bytes]:
    # A ``log.repair`` record the chain goes through: taken as a repair, never as an event.
    return rechained(
        lines, 9, lambda body: re.sub(rb'^\{"type":"[^"]*"', b'{"type":"log.repair"', body)
    )


def repair_type_repeated_linked(lines: list[bytes]) -> list[bytes]:
    return rechained(
        lines, 9, lambda body: body.replace(b',"prev":', b',"type":"log.repair","prev":', 1)
    )


def two_records_on_a_line_linked(lines: list[bytes]) -> list[bytes]:
    # Each JSON value is an event, one more than the lines hold: the line is damage.
    return rechained(lines, 9, lambda body: body + b" " + body)


def sealed(body: bytes) -> bytes:
    """A line of ``body`` (a record's keys, closing with ``}``) with a sum that holds."""
    return body[:-1] + b',"sum":"' + line_sum(body).encode() + b'"}\n'


def a_record_over_two_lines_linked(lines: list[bytes]) -> list[bytes]:
    # Two lines that pass every check of a line and name the one before as their ``prev``:
    # the first leaves its object open (its tail closes an inner one), the second closes it.
    # Read on across the newline, they are one event; line by line, neither is one.
    line = lines[9]
    head = line[: line.rfind(b',"prev":"')]
    first = sealed(head + b',"x":{"k":1' + prev_of(line) + b"}")
    second = sealed(b',"y":2' + prev_tail(first[-SUM_HEX - 3 : -3]) + b"}")
    after = [*lines[:9], first, second, *lines[10:]]
    for n in range(11, len(after)):
        after[n] = resealed(after[n], relinked(prev_of(after[n]), after[n - 1]))
    return after


DAMAGE = [
    as_it_is,
    *LINE_DAMAGE,
    two_records_on_a_line,
    a_second_sum_key,
    a_time_without_zone,
    an_unknown_type,
    out_of_bounds,
    sequence_repeated,
    seq_skipped_linked,
    seq_key_repeated_linked,
    seq_key_repeated_right_last,
    seq_key_escaped_linked,
    seq_first_linked,
    repair_record_linked,
    repair_type_repeated_linked,
    two_records_on_a_line_linked,
    a_record_over_two_lines_linked,
]
STILL_SOUND = (as_it_is, seq_first_linked)
"""Changes that leave every record sound: read alike, and nothing to show."""


def outcomes(
    forced: Forced, monkeypatch: pytest.MonkeyPatch, folder: Path, data: bytes
) -> list[dict[str, Any]]:
    """The outcome of reading ``data`` line by line, then in blocks (checker off and on)."""
    results = []
    for at_once, two in ((False, False), (True, False), (True, True)):
        place = folder / f"{at_once}-{two}"
        shutil.rmtree(place, ignore_errors=True)
        place.mkdir(parents=True)
        path = place / "s.jsonl"
        path.write_bytes(data)
        forced.two(two)
        with monkeypatch.context() as patch:
            if not at_once:
                patch.setattr(file_store, "_continuing", lambda *args, **kwargs: None)
            result = open_outcome(path)
            result["verify"] = verify_outcome(path)
        result.pop("file")
        results.append(result)
    return results


@pytest.mark.parametrize("block", [257, 4096, 1 << 20])
@pytest.mark.parametrize("damage", DAMAGE)
def test_blocks_taken_at_once_give_what_lines_taken_one_by_one_give(
    forced: Forced,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    genuine: bytes,
    damage: Callable[[list[bytes]], list[bytes]],
    block: int,
) -> None:
    forced.chunk(block)
    data = b"".join(damage(lines_of(genuine)))
    assert (data == genuine) == (damage is as_it_is)
    one_by_one, at_once, with_child = outcomes(forced, monkeypatch, tmp_path, data)
    assert at_once == one_by_one
    assert with_child == one_by_one
    if damage in STILL_SOUND:
        assert one_by_one["damage"] == [] and one_by_one["verify"][1] == []
    else:
        damaged = one_by_one["damage"] or one_by_one["notices"] or one_by_one["verify"][1]
        bounded = all(in_bounds for _, in_bounds in one_by_one["taken"])
        assert damaged or not bounded, "the change must show somewhere"


def test_a_log_mended_by_repair_is_taken_alike(
    forced: Forced, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, genuine: bytes
) -> None:
    # ``repair`` sets a damaged line aside and bridges the gap with a ``log.repair`` record:
    # a block holding one is taken line by line.
    mended = tmp_path / "mended.jsonl"
    mended.write_bytes(b"".join(altered_body(lines_of(genuine))))
    assert repair_log(mended)
    data = mended.read_bytes()
    assert b'"log.repair"' in data
    forced.chunk(1 << 20)
    one_by_one, at_once, with_child = outcomes(forced, monkeypatch, tmp_path / "o", data)
    assert at_once == one_by_one == with_child
    assert one_by_one["damage"] == [] and one_by_one["verify"][1] == []


def test_a_long_sound_log_is_taken_a_block_at_a_time(
    forced: Forced, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, genuine: bytes
) -> None:
    taken: list[int] = []
    continuing = file_store._continuing

    def counted(*args: Any, **kwargs: Any) -> Any:
        events = continuing(*args, **kwargs)
        taken.append(0 if events is None else len(events))
        return events

    monkeypatch.setattr(file_store, "_continuing", counted)
    forced.chunk(1 << 20)
    forced.two(False)
    path = tmp_path / "s.jsonl"
    path.write_bytes(genuine)
    outcome = open_outcome(path)
    # One block (the whole log), every event in it, none line by line.
    assert taken == [len(outcome["taken"])]
