"""The real tracker on a PostgreSQL session in tmux, and the CLI in another process: each sees the other."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from . import pg
from .test_tui_tmux import AGENDA, ROOT
from .tmux import Tmux

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def cli(*args: str, actor: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *args, "--actor", actor]
        if args[0] != "report"
        else [sys.executable, "-m", "sessiontui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
        env={**os.environ, "SESSIONTUI_ACTOR": actor},
    )


def test_tracker_and_cli_on_one_postgresql_session(pg_url: str, tmp_path: Path) -> None:
    session_id = f"tui-{uuid.uuid4().hex[:8]}"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "sessiontui",
            "init",
            str(AGENDA),
            "--log",
            f"{pg_url}#{session_id}",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")},
    )
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip()
    name = f"sessiontui-pg-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {shlex.quote(str(ROOT))} && env TERM=xterm-256color SESSIONTUI_ACTOR=chair "
        f"XDG_DATA_HOME={shlex.quote(str(tmp_path / 'xdg'))} TEXTUAL_ANIMATIONS=none "
        f"{shlex.quote(sys.executable)} -m sessiontui {shlex.quote(url)}"
    )
    tracker = Tmux(name)
    tracker.start(command, (120, 40))
    try:
        tracker.wait_for("Closure of the meeting", timeout=30)
        # The CLI takes 2(a) up: the tracker shows it within about a second.
        assert cli("open", "2a", "--log", url, actor="ana").returncode == 0
        started = time.monotonic()
        tracker.wait_for("On the floor: 2(a)", timeout=5)
        assert time.monotonic() - started < 2.5
        # The tracker moves on with its key: the CLI sees it at once (one database).
        tracker.send(">")
        tracker.wait_for("On the floor: 2(b)", timeout=5)
        report = json.loads(cli("report", "--log", url, "--json", actor="ana").stdout)
        status = {item["id"]: item["status"] for item in report["items"]}
        assert (status["2a"], status["2b"]) == ("closed", "open")
        tracker.send("C-q")
        deadline = time.monotonic() + 10
        while tracker.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not tracker.alive()
    finally:
        tracker.kill()
