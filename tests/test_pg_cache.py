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
    forged = cache.read_bytes()
    checked = PostgresStore(url)
    # Set aside (never deleted, named) and written again from the server's lines.
    assert b"Forged here." not in cache.read_bytes() and b"Cached here." in cache.read_bytes()
    (side,) = cache.parent.glob(f"{cache.name}.{pgcache.SET_ASIDE}-*")
    assert side.read_bytes() == forged and side.stat().st_mode & 0o777 == 0o600
    assert any(f"set aside in {side}" in notice for notice in checked.notices), checked.notices
    texts = [e.data.text for e in checked.read() if isinstance(e.data, NoteAddData)]
    assert "Cached here." in texts and "Forged here." not in texts
    assert not checked.damage
    checked.close()


def test_copies_set_aside_are_never_twice_the_same_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server flapping between states sets the cache aside at every opening: the same lines
    are kept once, and past ``MAX_SET_ASIDE`` copies the cache stays in place, out of use,
    saying so, instead of filling the disk one copy of the session at a time."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    cache = pgcache.cache_path("flap")
    cache.parent.mkdir(parents=True)

    def aside(text: bytes) -> tuple[str, bool]:
        cache.write_bytes(text)
        return pgcache.set_aside("flap", "no longer match the server's")

    def copies() -> list[Path]:
        return sorted(cache.parent.glob(f"{cache.name}.{pgcache.SET_ASIDE}-*"))

    said, moved = aside(b"state A\n")
    assert moved and not cache.exists() and len(copies()) == 1 and str(copies()[0]) in said
    said, moved = aside(b"state B\n")
    assert moved and len(copies()) == 2
    # Back to A: already kept; named again, not copied again.
    said, moved = aside(b"state A\n")
    assert moved and not cache.exists() and len(copies()) == 2
    assert "set aside before" in said and str(copies()[0]) in said
    for n in range(pgcache.MAX_SET_ASIDE - 2):
        assert aside(b"state %d\n" % n)[1]
    assert len(copies()) == pgcache.MAX_SET_ASIDE
    said, moved = aside(b"one state too many\n")
    assert not moved and cache.read_bytes() == b"one state too many\n"
    assert len(copies()) == pgcache.MAX_SET_ASIDE
    assert "left as it is and not used" in said and str(cache.parent) in said
