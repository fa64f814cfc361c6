"""Shared fixtures: agendas, fresh session logs, services with a fake clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.clock import FakeClock
from sessiontui.core.events import new_header
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

ROOT = Path(__file__).resolve().parent.parent
COSP = ROOT / "agendas" / "cosp-intersessional-2020.toml"
START = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)


def make_log(path: Path, agenda: Path = COSP, session_id: str = "test-session") -> Path:
    """Create a session log for ``agenda`` at ``path``."""
    header = new_header(load_agenda_file(agenda), created=START, session_id=session_id)
    path.parent.mkdir(parents=True, exist_ok=True)  # the store never makes a log's folder
    FileStore.create(path, header).close()
    return path


def append(path: Path, data: bytes) -> None:
    """Append as a shell's ``>>`` does: no lock, one write."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def run_cli(*args: str) -> str:
    """``sessiontui ARGS`` in process (click's runner); its output, once it exited 0."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


# Two items of the model meeting on one day in Vienna: the agenda that export tests grow with
# their own items (breaks, sub-items) and record a day of on the command line (``day_log``).
DAY_AGENDA = """\
[meeting]
title = "Second intersessional meeting of the Conference of the States Parties"
dates = [2020-11-19]
timezone = "Europe/Vienna"

[[items]]
number = "1"
title = "Opening of the meeting and adoption of the agenda"
[[items]]
number = "2"
title = "General discussion"
"""


def day_log(folder: Path, agenda: str, *steps: tuple[str, ...]) -> Path:
    """A session log begun on ``agenda`` (written to ``folder/agenda.toml``), with each step
    (a command's words, then its time "HH:MM" on 19 November 2020) recorded by "ana" as a
    correction (``--at``)."""
    agenda_path, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda_path.write_text(agenda, "utf-8")
    run_cli("init", str(agenda_path), "--log", str(log))
    for *command, at in steps:
        run_cli(*command, "--at", f"2020-11-19 {at}", "--log", str(log), "--actor", "ana")
    return log


def sessiontui_on(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m sessiontui ARGS`` in a subprocess, recording into ``log`` as "ana"."""
    env = {**os.environ, "SESSIONTUI_LOG": str(log), "SESSIONTUI_ACTOR": "ana"}
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *args],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True, scope="session")
def _private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the account's own data folder (its cache key, its ``current``), nor
    the logs its ``SESSIONTUI_*`` settings name: an engineer's ``SESSIONTUI_LOG`` would have the
    tests record into that log."""
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    for name in [name for name in os.environ if name.startswith("SESSIONTUI_")]:
        del os.environ[name]


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at 10:00 UTC on 19 November 2020."""
    return FakeClock(START)


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    """A fresh log of the 2020 intersessional meeting."""
    return make_log(tmp_path / "session.jsonl")


@pytest.fixture
def make_service(log_path: Path, clock: FakeClock) -> Iterator[Callable[..., SessionService]]:
    """Open services on the fresh log (several may be open at once, like several terminals)."""
    opened: list[SessionService] = []

    def factory(
        actor: str = "ana", role: str | None = None, path: Path | None = None
    ) -> SessionService:
        service = SessionService(FileStore(path or log_path), actor=actor, role=role, clock=clock)
        opened.append(service)
        return service

    yield factory
    for service in opened:
        service.close()


def counter_ids() -> Callable[[], str]:
    """Deterministic ids for decide() in pure tests."""
    counter = itertools.count(1)
    return lambda: f"id{next(counter):06d}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run that included the import table, print the import accuracy per form.

    Computed here (in the controlling process, also under xdist) from the corpus itself: the
    table's documents are scored again, which takes well under a second.
    """
    ran = any(
        "test_import_table.py" in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )
    if not ran:
        return
    from tests.test_import_table import accuracy_lines

    terminalreporter.section("import accuracy (tests/import_corpus/table)")
    for line in accuracy_lines():
        terminalreporter.write_line(line)


@pytest.fixture
def unsettled_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every log counts as just written (``settled_identity`` proves nothing), so a reader
    hashes a checkpoint's prefix however long ago the log was written: for the tests of that
    hashing, which would otherwise depend on how fast the machine runs them."""
    from sessiontui.store import file as file_store

    monkeypatch.setattr(file_store, "settled_identity", lambda info, looked_at_ns: ())


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the length of every byte range the log store hashes, in order."""
    from sessiontui.store import file as file_store

    hashed: list[int] = []
    hash_range = file_store._hash_range

    def counted(
        fd: int, digest: hashlib._Hash, start: int, end: int, also: hashlib._Hash | None = None
    ) -> bool:
        hashed.append(end - start)
        return hash_range(fd, digest, start, end, also)

    monkeypatch.setattr(file_store, "_hash_range", counted)
    return hashed
