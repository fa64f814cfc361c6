"""Anchors on a PostgreSQL session: the same heads as a log file's, checked on the server."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.store import cachekey

from . import pg
from .conftest import make_log

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    cachekey.forget()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> str:
    """A session on the server with a decision in it; its URL (no password)."""
    log = make_log(tmp_path / "seed.jsonl", session_id=f"a{time.time_ns()}")
    copied = run("copy", str(log), pg_url)
    assert copied.exit_code == 0, copied.output
    url = copied.stdout.strip()
    for args in (["open", "1"], ["note", "1", "adopted", "--kind", "decision"], ["close", "1"]):
        done = run(*args, "--log", url, "--actor", "ana")
        assert done.exit_code == 0, done.output
    return url


def file_head(url: str, tmp_path: Path) -> str:
    """The SHA-256 of the session as a log file (``copy`` writes the very lines)."""
    copy = tmp_path / "copy.jsonl"
    assert run("copy", url, str(copy)).exit_code == 0
    return hashlib.sha256(copy.read_bytes()).hexdigest()


def test_journal_and_txt_export_end_with_the_head(shared: str, tmp_path: Path) -> None:
    head = file_head(shared, tmp_path)
    closing = f"Made from the log up to event 4. SHA-256 of the log up to that event: {head}"
    printed = run("journal", shared)
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.splitlines()[-1] == closing
    filtered = run("journal", shared, "--kind", "notes")
    assert filtered.stdout.splitlines()[-1] == closing
    exported = run("export", shared, "--format", "txt", "-o", "-")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.splitlines()[-1] == closing
