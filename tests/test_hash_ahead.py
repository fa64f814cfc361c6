"""A cold open that will check the log's head hashes its blocks ahead, and gets the same digests.

``FileStore(hash_ahead=True)`` hashes the log's blocks, and the log as one, while the scan
reads them: in the child that checks the lines when one runs (a long log), else in a thread;
``head_blocks``, ``holds_blocks`` and ``checkpoint`` then take those digests instead of hashing
the log again, and answer as a store that did not hash ahead: on a log that grew, or that ends
in damage, or when the child has no digests to give, the bytes that are not the same are
hashed again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store import file as file_store
from sessiontui.store import line_checker
from sessiontui.store.file import FileStore

from .conftest import START, count_hashing, make_log


def a_log(tmp_path: Path, notes: int = 12) -> Path:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    for n in range(notes):
        service.run(AddNote("1", f"note {n}"))
    service.close()
    return log


def blocks_of(data: bytes, block: int) -> tuple[str, ...]:
    return tuple(
        hashlib.sha256(data[start : start + block]).hexdigest()
        for start in range(0, len(data), block)
    )


@pytest.mark.parametrize("block", [300, 1 << 26])
def test_blocks_hashed_ahead_are_the_blocks_and_are_not_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", block)
    log = a_log(tmp_path)
    data = log.read_bytes()
    expected = blocks_of(data, block)
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        assert store.head_blocks() == expected
        assert store.holds_blocks(len(data), expected)
        assert sum(hashed) == len(data)  # once, ahead
        other = ("0" * 64, *expected[1:])
        assert not store.holds_blocks(len(data), other)
    with FileStore(log, read_only=True) as store:
        assert store.head_blocks() == expected


def test_a_log_that_grew_or_ends_damaged_is_hashed_where_it_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", 300)
    log = a_log(tmp_path)
    data = log.read_bytes()
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        # Appended after the open: what the store read is what its head is.
        more = a_log(tmp_path / "more")
        with log.open("ab") as handle:
            handle.write(more.read_bytes()[-100:])
        assert store.head_blocks() == blocks_of(data, 300)
    damaged = log.read_bytes()
    assert len(damaged) > len(data)
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        assert store.size == len(data)  # the damaged tail is not part of it
        assert store.head_blocks() == blocks_of(data, 300)
    # Ahead: every block of the file as it was at open; then the last block of what was read
    # again, as it is shorter than the block hashed ahead.
    assert sum(hashed) == len(damaged) + len(data) % 300


@pytest.mark.parametrize("block", [300, 1 << 26])
def test_the_logs_digest_is_hashed_ahead_with_its_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", block)
    log = a_log(tmp_path)
    data = log.read_bytes()
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
        assert store.head_blocks() == blocks_of(data, block)
        assert sum(hashed) == len(data)  # once, ahead, for the blocks and the whole alike


def test_the_digest_of_a_log_that_grew_or_ends_damaged_is_of_what_was_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", 300)
    log = a_log(tmp_path)
    data = log.read_bytes()
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        with log.open("ab") as handle:
            # Appended after the open (and not verified): not part of its head.
            handle.write(a_log(tmp_path / "more").read_bytes().split(b"\n", 1)[1])
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    damaged = data + b'{"not": "a record"}\n'
    log.write_bytes(damaged)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        # Hashed ahead to the end of the file, but the scan stopped before the damage.
        assert store.size == len(data)
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    with FileStore(log, read_only=True) as store:
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()


@pytest.fixture
def child(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child checks the lines of any log, read in short blocks (lines straddle them)."""
    monkeypatch.setattr(line_checker, "MIN_BYTES", 0)
    monkeypatch.setattr(line_checker, "may_fork", lambda: True)
    monkeypatch.setattr(file_store, "READ_BLOCK", 257)


@pytest.mark.usefixtures("child")
@pytest.mark.parametrize("block", [300, 1000, 1 << 26])
def test_the_checking_child_hashes_ahead_and_the_scan_hashes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", block)
    log = a_log(tmp_path)
    data = log.read_bytes()
    expected = blocks_of(data, block)
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        assert isinstance(store._ahead, line_checker.Digests)  # the child's, not a thread's
        assert store.head_blocks() == expected
        assert store.holds_blocks(len(data), expected)
        assert not store.holds_blocks(len(data), ("0" * 64, *expected[1:]))
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    assert hashed == []


@pytest.mark.usefixtures("child")
def test_with_the_child_a_log_that_grew_or_ends_damaged_is_hashed_where_it_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", 300)
    log = a_log(tmp_path)
    data = log.read_bytes()
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        with log.open("ab") as handle:
            # Appended after the open (and not verified): not part of its head.
            handle.write(a_log(tmp_path / "more").read_bytes().split(b"\n", 1)[1][:-100])
        assert store.head_blocks() == blocks_of(data, 300)
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    assert len(log.read_bytes()) > len(data)
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        # The child hashed the file to its end; the scan stopped before the torn tail.
        assert store.size == len(data)
        assert store.head_blocks() == blocks_of(data, 300)
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    # The last, shorter block of what was verified again, then the whole of it.
    assert hashed == [len(data) % 300, len(data)]


@pytest.mark.usefixtures("child")
@pytest.mark.parametrize(
    "answer",
    [
        line_checker._HASHED.pack(0),  # it did not hash them all
        line_checker._HASHED.pack(12),  # not the bytes asked for
        line_checker._HASHED.pack(1 << 40),
        b"",  # it died
    ],
)
def test_digests_the_child_does_not_give_are_hashed_by_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: bytes
) -> None:
    monkeypatch.setattr(file_store, "BLOCK", 300)
    monkeypatch.setattr(line_checker._Hasher, "answer", lambda self: answer)
    if not answer:
        monkeypatch.setattr(line_checker._Hasher, "answer", lambda self: os._exit(0))
    log = a_log(tmp_path)
    data = log.read_bytes()
    hashed = count_hashing(monkeypatch)
    with FileStore(log, read_only=True, hash_ahead=True) as store:
        assert store._ahead is None
        assert store.head_blocks() == blocks_of(data, 300)
        assert store.checkpoint(with_blocks=False).sha256 == hashlib.sha256(data).hexdigest()
    assert sum(hashed) == 2 * len(data)


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=3000),
    block=st.integers(min_value=1, max_value=700),
    cuts=st.lists(st.integers(min_value=0, max_value=3000), max_size=12),
    end_cut=st.integers(min_value=0, max_value=400),
)
def test_the_childs_hasher_gives_the_digests_of_the_bytes_however_they_are_read(
    data: bytes, block: int, cuts: list[int], end_cut: int
) -> None:
    end = max(1, len(data) - end_cut)  # the log's size at open: it may have grown since
    hasher = line_checker._Hasher(end, block)
    at = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        if cut > at:
            hasher.feed(at, data[at:cut])
            at = cut
    prefix = data[:end]
    if len(prefix) < end:
        assert hasher.answer() == line_checker._HASHED.pack(0)
        return
    answer = hasher.answer()
    (hashed,) = line_checker._HASHED.unpack(answer[:8])
    sums = answer[8:]
    found = [sums[i : i + 32].hex() for i in range(0, len(sums), 32)]
    assert hashed == end
    assert tuple(found[:-1]) == blocks_of(prefix, block)
    assert found[-1] == hashlib.sha256(prefix).hexdigest()


def test_the_childs_hasher_gives_nothing_after_a_gap() -> None:
    hasher = line_checker._Hasher(100, 30)
    hasher.feed(0, b"x" * 40)
    hasher.feed(50, b"x" * 50)  # ten bytes never read
    assert hasher.answer() == line_checker._HASHED.pack(0)
