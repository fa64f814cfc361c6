"""A row another member inserts by hand into a shared session, with a checksum that is not its
line's: found by the next look of every follower (a store's ``catch_up``, ``journal
--follow``, the tracker), not at its next write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import OpenItem
from sessiontui.service import SessionService
from sessiontui.store.open import normalize_location
from sessiontui.store.postgres import PostgresStore
from sessiontui.ui.app import SessionApp
from sessiontui.ui.widgets.top_bar import TopBar

from . import pg
from .conftest import START, make_log
from .test_foreign_lines import next_line, resealed_wrong
from .test_pg_sharing import cli
from .test_ui_support import SIZE

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


def shared_session(tmp_path: Path, pg_url: str) -> str:
    """A session on the server with 2(a) taken up (lines 2 and 3); its URL."""
    log = make_log(tmp_path / "seed.jsonl", session_id=f"hand{time.time_ns()}")
    copied = cli("copy", str(log), pg_url)
    assert copied.returncode == 0, copied.stderr
    url = copied.stdout.strip()
    assert cli("open", "2a", "--log", url, "--actor", "ana").returncode == 0
    return url


def insert_wrong_row(tmp_path: Path, pg_url: str, url: str) -> tuple[int, int]:
    """Insert, as a member with a SQL prompt could, the next line with a checksum that is not
    its own; the line and byte a log file holding the session's lines would have it at."""
    as_file = tmp_path / "as-file.jsonl"
    assert cli("copy", url, str(as_file)).returncode == 0
    offset = as_file.stat().st_size
    line = resealed_wrong(next_line(as_file, tmp_path))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO sessiontui.events (session, seq, id, type, line) "
            "VALUES (%s, %s, 'by-hand', 'note.add', %s)",
            (url.rsplit("#", 1)[1], json.loads(line)["seq"], line.decode("utf-8")),
        )
    return len(as_file.read_bytes().splitlines()) + 1, offset


def test_a_follower_finds_a_row_with_a_wrong_sum_at_its_next_look(
    tmp_path: Path, pg_url: str
) -> None:
    url = shared_session(tmp_path, pg_url)
    with PostgresStore(normalize_location(url), read_only=True) as follower:
        assert not follower.damage
        line, offset = insert_wrong_row(tmp_path, pg_url, url)
        assert follower.catch_up() == []
        assert [(d.line, d.offset) for d in follower.damage] == [(line, offset)] == [(4, offset)]
        assert "checksum mismatch" in follower.damage[0].reason
        assert [event.type for event in follower.read()] == ["sitting.open", "item.open"]


def test_journal_follow_stops_at_a_row_with_a_wrong_sum(tmp_path: Path, pg_url: str) -> None:
    url = shared_session(tmp_path, pg_url)
    follower = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "journal", "--follow", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert follower.stdout is not None and follower.stderr is not None
        for _ in range(3):  # the heading, the sitting opened, 2(a) taken up
            assert follower.stdout.readline()
        line, offset = insert_wrong_row(tmp_path, pg_url, url)
        # No NOTIFY from a hand-made row: the follower's look every second finds it.
        assert follower.wait(timeout=15) == 1
        said = follower.stderr.read()
    finally:
        follower.kill()
    assert f"line {line} (byte {offset}): checksum mismatch" in said, said
    assert "Traceback" not in said


async def test_the_tracker_goes_read_only_at_a_row_with_a_wrong_sum(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = shared_session(tmp_path, pg_url)
    service = SessionService(PostgresStore(url), actor="ana", clock=FakeClock(START))
    service.run(OpenItem("1"))
    app = SessionApp(service, clock=service.clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        line, offset = insert_wrong_row(tmp_path, pg_url, url)
        bar = ""
        for _ in range(100):  # the link's worker looks, then a tick says what it found
            app.tick()
            await pilot.pause(0.05)
            bar = str(app.main.query_one(TopBar).render())
            if "READ-ONLY" in bar:
                break
        assert f"READ-ONLY (the log is damaged at line {line}, byte {offset})" in bar, bar
        messages = [n.message for n in app._notifications]
        said = f"The log is damaged at line {line} (byte {offset}): checksum mismatch"
        assert any(m.startswith(said) for m in messages), messages
        assert app.refusal("close_item") is not None
    service.close()
