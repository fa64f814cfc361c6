"""Rows another member writes straight into the shared table: refused, and cheaply."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import psycopg

from sessiontui.store.open import normalize_location
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import make_log
from .test_pg_sharing import cli

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url

HUGE = 64 * 1024 * 1024


def test_a_huge_row_is_refused_without_fetching_it(tmp_path: Path, pg_url: str) -> None:
    # Anyone allowed to add events can insert a row of any size (a text holds up to 1 GB);
    # every reader and every TUI following the session used to fetch and hold all of it.
    log = make_log(tmp_path / "seed.jsonl", session_id=f"huge{time.time_ns()}")
    copied = cli("copy", str(log), pg_url)
    assert copied.returncode == 0, copied.stderr
    url = copied.stdout.strip()
    session = url.rsplit("#", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO sessiontui.events (session, seq, id, type, line) "
            "VALUES (%s, 1, 'mallory', 'note.add', repeat('a', %s))",
            (session, HUGE),
        )
    tracemalloc.start()
    try:
        with PostgresStore(normalize_location(url), read_only=True) as store:
            damage = list(store.damage)
            _good, verified, _torn = store.verify()
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.line for d in damage] == [2] and "longer than 1 MiB" in damage[0].reason
    assert [d.line for d in verified] == [2] and "longer than 1 MiB" in verified[0].reason
    assert peak < HUGE // 4, f"{peak} bytes held to refuse one row"
    done = cli("journal", url)
    assert done.returncode == 1
    assert "longer than 1 MiB" in done.stderr and "Traceback" not in done.stderr, done.stderr
