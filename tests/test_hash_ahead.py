"""A cold open that will check the log's head hashes its blocks ahead, and gets the same digests.

``FileStore(hash_ahead=True)`` hashes the log's blocks, and the log as one, in a thread while
the scan reads them; ``head_blocks``, ``holds_blocks`` and ``checkpoint`` then take those
digests instead of hashing the log again, and answer as a store that did not hash ahead: on a
log that grew, or that ends in damage, the bytes that are not the same are hashed again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store import file as file_store
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
