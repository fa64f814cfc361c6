"""PostgreSQL through the command line: --log URL, copy both ways, verify, a live follower."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from . import pg
from .conftest import make_log

pg_cluster = pg.pg_cluster  # the throwaway server, shared by the whole run
pg_url = pg.pg_url


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``sessiontui`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> str:
    """A session copied from a fresh log into PostgreSQL; its URL."""
    log = make_log(tmp_path / "seed.jsonl", session_id=f"s{time.time_ns()}")
    result = cli("copy", str(log), pg_url)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_copy_round_trip_keeps_every_byte(tmp_path: Path, pg_url: str) -> None:
    log = make_log(tmp_path / "a.jsonl", session_id=f"rt{time.time_ns()}")
    for args in (["open", "1"], ["note", "1", 'Ünïcode ✓ and "quotes"'], ["close", "1"]):
        assert cli(*args, "--log", str(log), "--actor", "ana").returncode == 0
    copied = cli("copy", str(log), pg_url)
    assert copied.returncode == 0, copied.stderr
    url = copied.stdout.strip()
    assert url.startswith(pg_url) and url.endswith(
        f"#{json.loads(log.read_text().splitlines()[0])['session']}"
    )
    checked = cli("verify", url)
    assert checked.returncode == 0 and "ok, 4 events" in checked.stdout, checked.stderr
    back = tmp_path / "b.jsonl"
    again = cli("copy", url, str(back))
    assert again.returncode == 0, again.stderr
    assert back.read_bytes() == log.read_bytes()
    assert oct(back.stat().st_mode & 0o777) == "0o600"
    # Never overwritten, either way.
    assert "already exists" in cli("copy", str(log), pg_url).stderr
    assert "already exists" in cli("copy", url, str(back)).stderr


def test_cli_records_through_log_url(shared: str) -> None:
    assert (
        cli("open", "2a", "--log", shared, "--actor", "ana", "--role", "secretariat").returncode
        == 0
    )
    refused = cli("close", "2a", "--log", shared, "--actor", "raj", "--role", "rapporteur")
    assert refused.returncode == 1 and "needs the secretariat role" in refused.stderr
    report = cli("report", "--json", "--log", shared)
    assert report.returncode == 0, report.stderr
    items = {item["id"]: item for item in json.loads(report.stdout)["items"]}
    assert items["2a"]["status"] == "open"


def test_session_id_with_store_env(shared: str) -> None:
    server, _, session = shared.partition("#")
    result = cli("report", "--json", "--log", session, env={"SESSIONTUI_STORE": server})
    assert result.returncode == 0, result.stderr


def test_errors_are_one_line(shared: str, pg_url: str) -> None:
    for location, expected in [
        ("postgresql://sessiontui@127.0.0.1:1/postgres#x", "cannot connect to PostgreSQL"),
        (f"{pg_url}#missing", "no session missing"),
        (pg_url, "which session?"),
    ]:
        result = cli("report", "--log", location)
        assert result.returncode == 1
        assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_verify_reports_tampering(shared: str) -> None:
    assert cli("open", "1", "--log", shared).returncode == 0
    url, _, session = shared.partition("#")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sessiontui.events SET line = replace(line, '\"item.open\"', '\"item.close\"') "
            "WHERE session = %s",
            (session,),
        )
    result = cli("verify", shared)
    assert result.returncode == 1 and "checksum mismatch" in result.stderr


FOLLOWER = """
import sys, time
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.open import open_store
store = open_store(sys.argv[1])
service = SessionService(store, actor="tui-user", role="rapporteur")
print("ready", flush=True)
deadline = time.time() + 30
while time.time() < deadline:
    store.wait(0.5)
    for event in service.refresh():
        print("saw", event.type, event.actor, time.time(), flush=True)
        if event.type == "item.open":
            service.run(AddNote("1", "seen by the follower"))
            print("wrote", time.time(), flush=True)
            sys.exit(0)
"""


def test_follower_and_cli_see_each_other(shared: str) -> None:
    # A SessionService refresh loop woken by LISTEN/NOTIFY stands in for the TUI process.
    follower = subprocess.Popen(
        [sys.executable, "-c", FOLLOWER, shared],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline().strip() == "ready"
        opened = cli("open", "1", "--log", shared, "--actor", "cli-user", "--role", "secretariat")
        assert opened.returncode == 0, opened.stderr
        lines = []
        while True:
            line = follower.stdout.readline()
            assert line, follower.stderr.read() if follower.stderr else "follower ended"
            lines.append(line.split())
            if lines[-1][0] == "wrote":
                break
        assert any(w[:2] == ["saw", "item.open"] for w in lines)
        report = cli("report", "--json", "--log", shared)
        # The CLI sees the follower's write.
        items = {item["id"]: item for item in json.loads(report.stdout)["items"]}
        assert items["1"]["notes"] == 1
    finally:
        follower.kill()
        follower.wait()


def test_init_creates_a_session_on_the_server(tmp_path: Path, pg_url: str) -> None:
    home = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    agenda = "agendas/cosp-intersessional-2020.toml"
    made = cli("init", agenda, "--log", f"{pg_url}#init-test", env=home)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith("#init-test")
    # The session became the current one: no --log needed afterwards.
    opened = cli("open", "2a", env=home)
    assert opened.returncode == 0, opened.stderr
    again = cli("init", agenda, "--log", f"{pg_url}#init-test", env=home)
    assert again.returncode == 1 and "already exists" in again.stderr
