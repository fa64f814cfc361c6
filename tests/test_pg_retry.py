"""Retries never duplicate: a lost reply to COMMIT, then the same command again, records once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, OpenItem, StartSpeaker
from sessiontui.service import SessionService
from sessiontui.store.base import Unreachable
from sessiontui.store.outbox import Outbox
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import START, make_log
from .pgproxy import Proxy
from .test_pg_sharing import cli as _cli

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres
SKEW = dt.timedelta(seconds=2)


@pytest.fixture
def proxy(pg_cluster: pg.Cluster) -> Iterator[Proxy]:
    """A proxy in front of the test server."""
    running = Proxy(pg_cluster.port)
    yield running
    running.close()


def _session(tmp_path: Path, pg_url: str, proxy: Proxy) -> str:
    """A new session on the server; its URL through the proxy."""
    session = f"retry{time.time_ns()}"
    log = make_log(tmp_path / "seed.jsonl", session_id=session)
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "copy", str(log), pg_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return f"{proxy.url()}#{session}"


def _stored_texts(pg_url: str, session: str) -> list[str]:
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT line FROM sessiontui.events WHERE session = %s ORDER BY seq", (session,)
        ).fetchall()
    return [str(row[0]) for row in rows]


def test_lost_commit_reply_is_recognised_on_reconnect(
    tmp_path: Path, pg_url: str, proxy: Proxy
) -> None:
    url = _session(tmp_path, pg_url, proxy)
    service = SessionService(PostgresStore(url), actor="ana")
    service.run(OpenItem("1"))
    proxy.drop_commit_replies = 1
    events = service.run(AddNote("1", "Saved although the reply was lost."))
    assert proxy.commits_lost == 1
    assert [event.type for event in events] == ["note.add"]
    lines = _stored_texts(pg_url, url.rpartition("#")[2])
    assert sum("Saved although" in line for line in lines) == 1
    service.close()


def test_try_again_after_an_unknown_outcome_records_once(
    tmp_path: Path, pg_url: str, proxy: Proxy
) -> None:
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    service = SessionService(PostgresStore(url), actor="ana")
    service.run(OpenItem("1"))
    # The reply to COMMIT is lost and the server stays out of reach past the reconnect wait.
    proxy.drop_commit_replies = 1
    proxy.refusing = True
    note = AddNote("1", "The statement of Brazil.")
    with pytest.raises(Unreachable, match="NOT known to be saved"):
        service.run(note)
    assert proxy.commits_lost == 1
    proxy.refusing = False
    # "Try again": the same command keeps its event ids, so the saved one is recognised.
    events = service.run(note)
    assert [event.type for event in events] == ["note.add"]
    lines = _stored_texts(pg_url, session)
    assert sum("The statement of Brazil." in line for line in lines) == 1
    assert len(lines) == 3  # sitting.open, item.open, note.add
    # A later, equal note is a new note (the failed attempt's key was used up).
    service.run(note)
    assert sum("The statement of Brazil." in line for line in _stored_texts(pg_url, session)) == 2
    service.close()


def test_cli_retries_with_the_same_ids(tmp_path: Path, pg_url: str, proxy: Proxy) -> None:
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    opened = subprocess.run(
        [sys.executable, "-m", "sessiontui", "open", "1", "--log", url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert opened.returncode == 0, opened.stderr
    proxy.drop_commit_replies = 1
    proxy.refuse_after_loss = True

    def back_after_the_loss() -> None:
        deadline = time.time() + 60
        while proxy.commits_lost == 0 and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(4)  # longer than the store's own reconnect wait
        proxy.refusing = False

    threading.Thread(target=back_after_the_loss, daemon=True).start()
    noted = subprocess.run(
        [
            sys.executable,
            "-m",
            "sessiontui",
            "note",
            "1",
            "Kenya asked for the floor.",
            "--log",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proxy.commits_lost == 1
    assert noted.returncode == 0, noted.stderr
    assert "trying again" in noted.stderr
    lines = _stored_texts(pg_url, session)
    assert sum("Kenya asked for the floor." in line for line in lines) == 1


def test_times_under_the_row_lock(tmp_path: Path, pg_url: str, proxy: Proxy) -> None:
    url = _session(tmp_path, pg_url, proxy)
    ahead = SessionService(PostgresStore(url), actor="ana", clock=FakeClock(START + SKEW))
    behind = SessionService(PostgresStore(url), actor="raj", clock=FakeClock(START))
    ahead.run(OpenItem("1"))
    (note,) = behind.run(AddNote("1", "From the laptop 2 s behind."))
    assert note.at == START  # its own time, never the last event's (see test_retry_time)
    assert len(behind.state.items["1"].notes) == 1
    ahead.close()
    behind.close()


def test_cli_keeps_in_the_outbox_and_sends_once(
    tmp_path: Path, pg_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    assert _cli("open", "1", "--log", url).returncode == 0
    # The reply to COMMIT is lost and the server stays out of reach past every retry.
    proxy.drop_commit_replies = 1
    proxy.refuse_after_loss = True
    kept = _cli("note", "1", "First, saved but not known to be.", "--log", url)
    assert kept.returncode == 75, kept.stderr
    assert "kept in the outbox (1 waiting)" in kept.stderr
    # The server stays out of reach: the session opens from this machine's cache.
    speaker = _cli("speaker", "1", "Kenya", "--log", url)
    assert speaker.returncode == 75, speaker.stderr
    assert "as last seen here" in speaker.stderr and "(2 waiting)" in speaker.stderr
    status = _cli("close", "1", "--log", url)
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert "item and sitting changes are not recorded while the server is out of reach" in (
        status.stderr
    )
    listed = _cli("outbox", "--log", url)
    assert listed.returncode == 0 and listed.stdout.count("waiting") == 2, listed.stderr
    assert "First, saved but not known to be." in listed.stdout
    outbox_file = tmp_path / "data" / "sessiontui" / "outbox" / f"{session}.jsonl"
    assert oct(outbox_file.stat().st_mode & 0o777) == "0o600"
    # An entry the server will refuse (nobody of that name is on the list): kept, with why.
    Outbox(session).put("k-refused", START, "ana", None, StartSpeaker("1", "Nobody"))
    proxy.refusing = False
    sent = _cli("outbox", "--send", "--log", url)
    assert sent.returncode == 0, sent.stderr
    assert "sent from the outbox #3" in sent.stderr  # the saved one, recognised
    assert "REFUSED from the outbox" in sent.stderr
    assert "0 waiting, 1 refused, 2 sent" in sent.stderr
    listed = _cli("outbox", "--log", url)
    assert "refused" in listed.stdout and "Nobody" in listed.stdout
    stored = _stored_texts(pg_url, session)
    assert sum("First, saved" in line for line in stored) == 1
    assert sum('"Kenya"' in line for line in stored) == 1
    assert stored.index(next(line for line in stored if "First, saved" in line)) < stored.index(
        next(line for line in stored if '"Kenya"' in line)
    )
    again = _cli("outbox", "--send", "--log", url)
    assert again.returncode == 0 and "0 waiting" in again.stderr


def test_first_write_after_a_server_restart_is_not_refused(
    tmp_path: Path, pg_url: str, proxy: Proxy
) -> None:
    url = _session(tmp_path, pg_url, proxy)
    service = SessionService(PostgresStore(url), actor="ana")
    service.run(OpenItem("1"))
    proxy.cut()  # every open link dies, as in a restart; the store has not noticed yet
    events = service.run(AddNote("1", "Right after the restart."))
    assert [event.type for event in events] == ["note.add"]
    lines = _stored_texts(pg_url, url.rpartition("#")[2])
    assert sum("Right after the restart." in line for line in lines) == 1
    service.close()
