"""One time zone for a session: stored in the log's header, the same on every machine and view."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.clock import machine_zone_name
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
from sessiontui.ui.format import hhmm
from tests.test_ui_support import AGENDA


def _run(log: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--log", str(log)] if args[0] != "init" else list(args))


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the machine's zone (``TZ``) for the test; restored afterwards."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def _agenda(tmp_path: Path, timezone: str | None) -> Path:
    text = AGENDA.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("timezone")]
    text = "\n".join(lines) + "\n"
    if timezone:
        text = text.replace("[meeting]\n", f'[meeting]\ntimezone = "{timezone}"\n', 1)
    path = tmp_path / "agenda.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _views(log: Path) -> tuple[str, str, str]:
    # The sittings lines up to their running time: an open sitting's "ran" counts up to now,
    # which moves as the test runs (a second boundary between two views failed it).
    report = "\n".join(
        line.partition(", ran ")[0]
        for line in _run(log, "report").stdout.splitlines()
        if "opened" in line
    )
    journal = _run(log, "journal").stdout
    state = SessionService(FileStore(log, read_only=True), actor="ana").state
    tracker = hhmm(dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC), state)
    return report, journal, tracker


def test_the_machine_zone_at_creation_is_kept(
    tmp_path: Path, machine_zone: Callable[[str], None]
) -> None:
    machine_zone("Asia/Tokyo")
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(_agenda(tmp_path, None)), "--log", str(log)).exit_code == 0
    assert (
        SessionService(FileStore(log, read_only=True), actor="ana").state.header.timezone
        == "Asia/Tokyo"
    )
    done = _run(log, "open", "2b", "--at", "2020-11-19T10:00Z")
    assert done.exit_code == 0, done.output
    seen = _views(log)
    # 10:00 UTC is 19:00 in Tokyo, whatever zone the machine reading the log is in.
    machine_zone("America/New_York")
    assert _views(log) == seen
    report, journal, tracker = seen
    assert "2020-11-19 19:00" in report and "(Asia/Tokyo)" in report
    assert "19 Nov 19:00:00" in journal and "Asia/Tokyo" in journal.splitlines()[0]
    assert tracker == "19:00"


def test_the_agenda_zone_wins_over_the_machine(
    tmp_path: Path, machine_zone: Callable[[str], None]
) -> None:
    machine_zone("Asia/Tokyo")
    log = tmp_path / "s.jsonl"
    assert (
        _run(log, "init", str(_agenda(tmp_path, "Europe/Vienna")), "--log", str(log)).exit_code == 0
    )
    assert (
        SessionService(FileStore(log, read_only=True), actor="ana").state.header.timezone
        == "Europe/Vienna"
    )


def test_machine_zone_name(machine_zone: Callable[[str], None]) -> None:
    machine_zone("Europe/Vienna")
    assert machine_zone_name() == "Europe/Vienna"
    machine_zone("Etc/UTC")
    assert machine_zone_name() == "UTC"
