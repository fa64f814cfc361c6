"""A PostgreSQL session is not held in memory: the store keeps one checksum per event, reads
the lines again when asked (the local cache's, else the server's, each checked) and asks the
server whether an id is saved (ids are unique per session)."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import psycopg
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.events import (
    Draft,
    NoteAddData,
    check_line,
    decode_event,
    decode_header,
    seal,
)
from sessiontui.store import pgcache
from sessiontui.store.base import StoreError
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import ROOT, START

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres

EVENTS = 10_000


@pytest.fixture(scope="module")
def long_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--events",
            str(EVENTS),
            "--out",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "session.jsonl"


def _on_server(log: Path, pg_url: str) -> tuple[str, list[bytes]]:
    """A copy of ``log`` on the server under a session id of its own (resealed: the id is in
    the header, which every line's chain covers); its URL and its event lines."""
    header, *lines = log.read_bytes().splitlines(keepends=True)
    renamed = decode_header(header)
    renamed.session = f"m{time.time_ns()}"
    header_line = seal(renamed)
    prev = check_line(header_line)
    sealed = []
    for line in lines:
        event = decode_event(line)
        event.prev = prev
        sealed.append(seal(event))
        prev = check_line(sealed[-1])
    store = PostgresStore.import_records(pg_url, header_line, sealed)
    url = store.url
    store.close()
    return url, sealed


def test_the_store_keeps_no_event_in_memory(
    long_log: Path, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen: every event and every id of the session held in the process, 800 bytes per
    event (1.6 GB for 2,000,000 events) in every command and tracker."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url, lines = _on_server(long_log, pg_url)
    gc.collect()
    tracemalloc.start()
    try:
        store = PostgresStore(url)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    try:
        assert store.last_seq == EVENTS
        assert held < 100 * EVENTS, f"{held / EVENTS:.0f} bytes held per event"
        # Read again, from the cache and from the server alike: every line, as it was read.
        ids = [event.id for event in store.read()]
        assert len(ids) == EVENTS and ids[-1] in lines[-1].decode()
        pgcache.forget(store.session)
        assert [event.id for event in store.read(after_seq=EVENTS - 3)] == ids[-3:]
        # Whether an id is saved is the server's answer: a retry records nothing.
        assert store.has_id(ids[5]) and not store.has_id("0" * 32)
        again = Draft(
            id=ids[7], at=START, actor="ana", type="note.add", item=None,
            data=NoteAddData(note="x", kind="note", text="retried"),
        )  # fmt: skip
        assert store.transact(lambda news: [again], FakeClock(START)) == []
        assert store.last_seq == EVENTS
    finally:
        store.close()


def test_a_line_changed_on_the_server_since_it_was_read_is_refused(
    long_log: Path, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url, lines = _on_server(long_log, pg_url)
    store = PostgresStore(url, read_only=True)
    try:
        session = store.session
        pgcache.forget(session)  # read again from the server
        changed = lines[99].replace(b'"seq":100,', b'"seq":100, ')
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(
                "UPDATE sessiontui.events SET line = %s WHERE session = %s AND seq = 100",
                (changed.decode(), session),
            )
        with pytest.raises(StoreError, match="changed on the server at seq 100"):
            list(store.read())
    finally:
        store.close()


def test_verify_reads_the_session_a_block_at_a_time(
    long_log: Path, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``verify URL`` fetched every row at once: 2,000,000 events in memory to check them."""
    from sessiontui.store import postgres

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url, lines = _on_server(long_log, pg_url)
    whole = sum(len(line) for line in lines)
    monkeypatch.setattr(postgres, "_FETCH_ROWS", 500)  # blocks of a twentieth of the session
    store = PostgresStore(url, read_only=True)
    try:
        gc.collect()
        tracemalloc.start()
        try:
            good, damage, _ = store.verify()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        store.close()
    assert (good, damage) == (EVENTS, [])
    assert peak < whole / 4, f"peak {peak / 1e6:.1f} MB for {whole / 1e6:.1f} MB of lines"


def test_the_lines_cached_here_are_checked_as_they_are_read(
    long_log: Path, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a session whose lines are cached here read the whole cache into memory to
    check it (700 MB at 2,000,000 events, the peak of every command that had no checkpoint
    to start from: verify, and the first open after one was outdated)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url, lines = _on_server(long_log, pg_url)
    whole = sum(len(line) for line in lines)
    PostgresStore(url, read_only=True).close()  # leaves the cache
    cache = pgcache.cache_path(url.rpartition("#")[2])
    assert cache.stat().st_size > whole
    for offline in (False, True):
        gc.collect()
        tracemalloc.start()
        try:
            if offline:  # the server out of reach: the session as last seen here
                store = PostgresStore(url.replace(pg_url, unreachable_url()), read_only=True)
            else:
                store = PostgresStore(url, read_only=True)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        try:
            assert store.last_seq == EVENTS and bool(store.notices) == offline
            assert peak < whole / 4, f"peak {peak / 1e6:.1f} MB for {whole / 1e6:.1f} MB of lines"
        finally:
            store.close()
    # A line torn by a crash while it was added ends the reading; the rest is used.
    with cache.open("ab") as handle:
        handle.write(lines[-1][:40])
    store = PostgresStore(url, read_only=True)
    try:
        assert store.last_seq == EVENTS and not store.notices
    finally:
        store.close()
    assert cache.stat().st_size > whole  # used, not set aside
    assert not list(cache.parent.glob(f"{cache.name}.{pgcache.SET_ASIDE}-*"))


def unreachable_url() -> str:
    """A server URL nothing answers at (a port just closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://sessiontui@127.0.0.1:{port}/postgres"
