"""The tracker on a PostgreSQL session through a real outage: it keeps answering keys, notes
typed meanwhile wait in the outbox and reach the server once each, in order, when it is back."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from . import pg
from .test_tui_tmux import AGENDA, ROOT
from .tmux import Tmux

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def own_cluster() -> Iterator[pg.Cluster]:
    """A cluster of this test's own: it is stopped and started under the tracker."""
    with pg.cluster() as running:
        yield running


def _notes(url: str, session: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT line FROM sessiontui.events WHERE session = %s AND type = 'note.add' "
            "ORDER BY seq",
            (session,),
        ).fetchall()
    import json

    return [json.loads(str(row[0]))["data"]["text"] for row in rows]


def _type_note(tracker: Tmux, text: str) -> float:
    """Type a note and save it; how long the tracker took to show the editor."""
    started = time.monotonic()
    tracker.send("n")
    tracker.wait_for("ctrl+s", timeout=10)
    shown = time.monotonic() - started
    tracker.type(text)
    tracker.wait_for(text, timeout=10)
    tracker.send("C-s")
    deadline = time.monotonic() + 10
    while "ctrl+s" in tracker.screen():  # the editor closes: the note is kept
        assert time.monotonic() < deadline, tracker.screen()
        time.sleep(0.05)
    return shown


def test_notes_typed_during_an_outage_arrive_once_in_order(
    own_cluster: pg.Cluster, tmp_path: Path
) -> None:
    session = f"outage-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    made = subprocess.run(
        [sys.executable, "-m", "sessiontui", "init", str(AGENDA), "--log", f"{own_cluster.url}#{session}"],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip()
    name = f"sessiontui-outage-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {shlex.quote(str(ROOT))} && env TERM=xterm-256color SESSIONTUI_ACTOR=raj "
        f"XDG_DATA_HOME={shlex.quote(str(tmp_path / 'xdg'))} TEXTUAL_ANIMATIONS=none "
        f"{shlex.quote(sys.executable)} -m sessiontui {shlex.quote(url)}"
    )
    tracker = Tmux(name)
    tracker.start(command, (140, 40))
    try:
        tracker.wait_for("Closure of the meeting", timeout=40)
        tracker.send("o")
        tracker.wait_for("On the floor: 1", timeout=15)
        _type_note(tracker, "Before the outage.")
        deadline = time.monotonic() + 20
        while _notes(own_cluster.url, session) != ["Before the outage."]:
            assert time.monotonic() < deadline, tracker.screen()
            time.sleep(0.2)

        own_cluster.halt()
        typed = [f"During the outage, note {n}." for n in range(1, 4)]
        for text in typed:
            # The editor opens at once: the tracker never waits for the server.
            assert _type_note(tracker, text) < 5
        tracker.wait_for("OUT OF REACH", timeout=30)
        tracker.wait_for("3 in the outbox", timeout=30)
        # Keys still answer: help opens and closes; a status change is refused, saying why.
        started = time.monotonic()
        tracker.send("?")
        tracker.wait_for("Keys", timeout=10)
        tracker.send("Escape")
        while "Action point" in tracker.screen():
            assert time.monotonic() - started < 10, tracker.screen()
            time.sleep(0.05)
        tracker.send("c")
        tracker.wait_for("NOT recorded", timeout=10)

        own_cluster.resume()
        tracker.wait_for("server connected", timeout=60)  # the top bar
        deadline = time.monotonic() + 30
        while len(_notes(own_cluster.url, session)) < 4:
            assert time.monotonic() < deadline, _notes(own_cluster.url, session)
            time.sleep(0.2)
        assert _notes(own_cluster.url, session) == ["Before the outage.", *typed]
        tracker.wait_for("server connected │", timeout=10)  # nothing left in the outbox
        tracker.send("C-q")
    finally:
        tracker.kill()


def test_cli_notes_during_an_outage_arrive_once_in_order(
    own_cluster: pg.Cluster, tmp_path: Path
) -> None:
    session = f"cli-outage-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "SESSIONTUI_RETRY_SECONDS": "1",
        "SESSIONTUI_ACTOR": "raj",
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sessiontui", *args],
            capture_output=True, text=True, check=False, cwd=ROOT, env=env, timeout=120,
        )  # fmt: skip

    made = cli("init", str(AGENDA), "--log", f"{own_cluster.url}#{session}")
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip()
    assert cli("open", "1", "--log", url).returncode == 0
    assert cli("note", "1", "Before the outage.", "--log", url).returncode == 0
    own_cluster.halt()
    typed = [f"During the outage, note {n}." for n in range(1, 4)]
    for n, text in enumerate(typed, start=1):
        kept = cli("note", "1", text, "--log", url)
        assert kept.returncode == 75, kept.stderr
        assert f"({n} waiting)" in kept.stderr
    refused = cli("next", "--log", url)
    assert refused.returncode == 1 and "not recorded while the server is out of reach" in (
        refused.stderr
    )
    own_cluster.resume()
    # The next command sends what waits first, then records itself.
    after = cli("note", "1", "After the outage.", "--log", url)
    assert after.returncode == 0, after.stderr
    assert after.stderr.count("sent from the outbox") == 3
    assert _notes(own_cluster.url, session) == ["Before the outage.", *typed, "After the outage."]
    again = cli("outbox", "--send", "--log", url)
    assert again.returncode == 0 and "0 waiting, 0 refused, 3 sent" in again.stderr
    assert len(_notes(own_cluster.url, session)) == 5
