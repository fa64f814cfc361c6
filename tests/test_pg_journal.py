"""``journal`` and ``journal --follow`` on a PostgreSQL session URL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import pg
from .conftest import make_log
from .test_pg_sharing import cli as _cli

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> str:
    """A fresh session on the server (with a password-free URL); its URL."""
    log = make_log(tmp_path / "seed.jsonl", session_id=f"j{time.time_ns()}")
    copied = _cli("copy", str(log), pg_url)
    assert copied.returncode == 0, copied.stderr
    return copied.stdout.strip()


def test_journal_on_a_url(shared: str) -> None:
    assert _cli("open", "1", "--log", shared, "--actor", "ana").returncode == 0
    assert _cli("note", "1", "Agreed as orally amended.", "--log", shared).returncode == 0
    printed = _cli("journal", shared)
    assert printed.returncode == 0, printed.stderr
    assert "Agreed as orally amended." in printed.stdout
    assert "ana" in printed.stdout
    filtered = _cli("journal", "--log", shared, "--kind", "notes")
    assert filtered.returncode == 0 and "Agreed as orally amended." in filtered.stdout
    missing = _cli("journal", shared.rpartition("#")[0] + "#nosuchsession")
    assert missing.returncode == 1 and "no session nosuchsession" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_journal_follow_on_a_url(shared: str) -> None:
    follower = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "journal", "--follow", shared],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert follower.stdout is not None
        follower.stdout.readline()  # the heading
        assert _cli("open", "2a", "--log", shared, "--actor", "raj").returncode == 0
        wrote = time.monotonic()
        seen = ""
        while "2(a)" not in seen:
            line = follower.stdout.readline()
            assert line, follower.stderr.read() if follower.stderr else "ended"
            seen += line
        # Woken by NOTIFY, not by a poll of the whole session: well within a few seconds here.
        assert time.monotonic() - wrote < 10
    finally:
        follower.terminate()
        follower.wait(timeout=10)
