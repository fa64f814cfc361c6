"""A PostgreSQL session's lines cached on this machine: used only when the server agrees."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, OpenItem
from sessiontui.core.events import NoteAddData, seal
from sessiontui.service import SessionService
from sessiontui.store import pgcache
from sessiontui.store.file import FileStore
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import START, make_log

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


def test_cache_is_written_and_checked(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    log = make_log(tmp_path / "seed.jsonl", session_id=f"c{time.time_ns()}")
    with FileStore(log, read_only=True) as seed:
        header = seed.header
    store = PostgresStore.import_records(pg_url, seal(header), [])
    url = store.url
    service = SessionService(store, actor="ana", clock=FakeClock(START))
    service.run(OpenItem("1"))
    service.run(AddNote("1", "Cached here."))
    service.close()
    cache = pgcache.cache_path(header.session)
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    assert len(cache.read_bytes().splitlines()) == 1 + 3
    # A second open starts from the cache (the server agrees: it is kept, not rewritten).
    before = cache.stat().st_ino, cache.stat().st_mtime_ns
    reopened = PostgresStore(url)
    assert (cache.stat().st_ino, cache.stat().st_mtime_ns) == before
    assert [event.type for event in reopened.read()] == ["sitting.open", "item.open", "note.add"]
    assert not reopened.damage
    reopened.close()
    # A cache altered here (its checksums recomputed or not) is not used: the server's lines are.
    cache.write_bytes(cache.read_bytes().replace(b"Cached here.", b"Forged here."))
    checked = PostgresStore(url)
    # Dropped and written again from the server's lines.
    assert b"Forged here." not in cache.read_bytes() and b"Cached here." in cache.read_bytes()
    texts = [e.data.text for e in checked.read() if isinstance(e.data, NoteAddData)]
    assert "Cached here." in texts and "Forged here." not in texts
    assert not checked.damage
    checked.close()
