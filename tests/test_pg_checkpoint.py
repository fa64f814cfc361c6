"""A PostgreSQL session's state checkpoint, kept on this machine: the CLI folds only the tail,
and only while the server's line at the checkpoint's ``seq`` is still the one it ends with."""

from __future__ import annotations

import datetime as dt
import json
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from sessiontui import service as service_module
from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock, SystemClock
from sessiontui.core.commands import AddNote, Command, OpenItem
from sessiontui.core.events import seal
from sessiontui.service import SessionService
from sessiontui.store import cachekey, checkpoints, pgcache, postgres
from sessiontui.store.file import FileStore
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import START, make_log

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres
NOW = START + dt.timedelta(hours=2)


@pytest.fixture(autouse=True)
def small_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 3)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # Reports of an open sitting count up to "now": one instant for the ones compared.
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)
    cachekey.forget()
    yield
    cachekey.forget()


class Checked:
    """Counts the event lines the PostgreSQL store decodes and checks (the real check runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lines = 0
        self.stderr = ""
        real = postgres._Chain.check

        def counting(chain: postgres._Chain, line: bytes) -> object:
            self.lines += 1
            return real(chain, line)

        monkeypatch.setattr(postgres._Chain, "check", counting)

    def during(self, *args: str) -> tuple[int, str]:
        """Run the CLI: the lines it checked and its stdout (its stderr in ``self.stderr``)."""
        before = self.lines
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        self.stderr = result.stderr
        return self.lines - before, result.stdout


def session_with(tmp_path: Path, pg_url: str, session: str, *commands: Command) -> str:
    """A new PostgreSQL session holding ``commands``; its URL."""
    log = make_log(tmp_path / f"{session}-{time.time_ns()}.jsonl", session_id=session)
    with FileStore(log, read_only=True) as seed:
        header = seed.header
    store = PostgresStore.import_records(pg_url, seal(header), [])
    url = store.url
    service = SessionService(store, actor="ana", clock=FakeClock(START))
    for command in commands:
        service.run(command)
    service.store.close()  # no checkpoint from the writer
    return url


NOTES: tuple[Command, ...] = (OpenItem("1"), *(AddNote("1", f"Note {n}.") for n in range(6)))


def notes(output: str) -> tuple[int, int]:
    """The notes and decisions a ``report --json`` counts on item 1."""
    first = json.loads(output)["items"][0]
    return first["notes"], first["decisions"]


def report(url: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["report", "--json", "--log", url])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert isinstance(found, dict)
    return found


def whole_fold_report(url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The report from every event, at the same instant as the one compared with it."""
    with monkeypatch.context() as without:
        without.setenv(checkpoints.DISABLE_ENV, "1")
        return report(url)


def test_a_second_call_reads_only_the_tail(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = f"k{time.time_ns()}"
    url = session_with(tmp_path, pg_url, session, *NOTES)
    checked = Checked(monkeypatch)
    first, _ = checked.during("report", "--json", "--log", url)
    assert first == 1 + len(NOTES)  # sitting.open, then every command's event
    saved = checkpoints.path_for(pgcache.cache_path(session))
    assert saved.exists() and stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    # Two more events from elsewhere: the next call decodes and folds those two only.
    checked.during("note", "1", "After the checkpoint.", "--log", url)
    checked.during("note", "1", "And another.", "--log", url)
    tail, output = checked.during("report", "--json", "--log", url)
    assert tail == 2
    assert json.loads(output) == whole_fold_report(url, monkeypatch)
    assert notes(output) == (8, 0)


def test_a_checkpoint_the_server_no_longer_matches_is_ignored(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = f"r{time.time_ns()}"
    url = session_with(tmp_path, pg_url, session, *NOTES)
    report(url)  # leaves the checkpoint
    saved = checkpoints.path_for(pgcache.cache_path(session))
    assert saved.exists()
    # The session is replaced on the server by another with the same id and as many events.
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DELETE FROM sessiontui.events WHERE session = %s", (session,))
        conn.execute("DELETE FROM sessiontui.sessions WHERE id = %s", (session,))
    other = (OpenItem("1"), *(AddNote("1", f"Other {n}.", kind="decision") for n in range(6)))
    assert session_with(tmp_path, pg_url, session, *other) == url
    checked = Checked(monkeypatch)
    lines, output = checked.during("report", "--json", "--log", url)
    assert lines >= 1 + len(other)  # read and folded from the top, not from the checkpoint
    # This account saw another session under that name: it says so.
    assert "no longer extends what this account last saw" in checked.stderr
    assert notes(output) == (0, 6)
    assert json.loads(output) == whole_fold_report(url, monkeypatch)


@pytest.mark.parametrize("how", ["tampered", "foreign account"])
def test_a_checkpoint_not_sealed_here_is_ignored(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    session = f"t{time.time_ns()}"
    url = session_with(tmp_path, pg_url, session, *NOTES)
    report(url)
    saved = checkpoints.path_for(pgcache.cache_path(session))
    data = saved.read_bytes()
    assert b"Note 5." in data
    if how == "tampered":
        saved.write_bytes(data.replace(b"Note 5.", b"Note X."))
    else:
        cachekey.key_path().write_bytes(b"\x01" * cachekey.KEY_BYTES)
        cachekey.forget()
    checked = Checked(monkeypatch)
    lines, output = checked.during("report", "--json", "--log", url)
    assert lines >= 1 + len(NOTES)
    assert notes(output) == (6, 0)
    assert json.loads(output) == whole_fold_report(url, monkeypatch)


def test_events_below_the_checkpoint_are_read_when_asked_for(tmp_path: Path, pg_url: str) -> None:
    session = f"p{time.time_ns()}"
    url = session_with(tmp_path, pg_url, session, *NOTES)
    report(url)
    saved = checkpoints.load(pgcache.cache_path(session))
    assert saved is not None and saved.checkpoint.last_seq == 1 + len(NOTES)
    with PostgresStore(url) as whole:
        everything = list(whole.read())
    with PostgresStore(url, checkpoint=saved.checkpoint) as store:
        assert store.checkpoint_used == saved.checkpoint
        assert list(store.read(after_seq=saved.checkpoint.last_seq)) == []
        # A retry of a command saved before the checkpoint is still recognised ...
        assert store.has_id(everything[2].id) and not store.has_id("no-such-id")
        # ... and a correction or a late event can fold the session from the top.
        assert list(store.read()) == everything
        assert list(store.read(after_seq=3)) == everything[3:]
