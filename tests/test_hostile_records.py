"""No record that verifies can crash a reader; no command records a value the agenda refuses.

Anyone can append a line with a valid checksum and chain. Report, every export, the journal and
the tracker show such a record as invalid and carry on; the commands refuse to record one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.cli import cli
from sessiontui.commands import tui as tui_command
from sessiontui.exporters import FORMATS
from sessiontui.service import open_session
from sessiontui.ui.app import SessionApp
from sessiontui.ui.widgets.agenda_tree import AgendaTree
from tests.hostile_records import append_records, records
from tests.test_ui_support import SIZE

from .conftest import COSP, make_log

OPEN = {"type": "item.open", "item": "1"}
SITTING = {"type": "sitting.open", "data": {"implicit": True}}


def readers_survive(log: Path, tmp: Path, *, damaged: bool | None = False) -> None:
    """Every reader of the log through the real command line: exit 0, no internal error.

    ``verify`` exits 1 on a ``damaged`` log (None: either way)."""
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", str(log)], catch_exceptions=False)
    assert "internal error" not in result.output
    if damaged is not None:
        assert result.exit_code == (1 if damaged else 0), result.output
    commands = [["report", str(log)], ["report", str(log), "--json"]]
    commands += [["journal", str(log)]]
    for fmt in FORMATS:
        commands.append(["export", str(log), "--format", fmt, "-o", str(tmp / f"out.{fmt}")])
    for args in commands:
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert "internal error" not in result.output
        if damaged is False:
            assert result.exit_code == 0, (args, result.output)
        else:  # a reader may refuse a damaged log, in one line that says so
            assert result.exit_code in (0, 1), (args, result.output)
            assert result.exit_code == 0 or "sessiontui verify" in result.output


OUT_OF_RANGE: list[dict[str, Any]] = [
    {"type": "agenda.amend", "item": "x9", "data": {"op": "add", "title": "X", "minutes": 1e10}},
    {"type": "agenda.amend", "item": "x9", "data": {"op": "add", "title": "X", "minutes": 1e308}},
    {"type": "agenda.amend", "item": "x9", "data": {"op": "add", "title": "X", "minutes": -5}},
    {
        "type": "speaker.add",
        "item": "1",
        "data": {"speaker": "s", "name": "A", "kind": "statement", "limit": 0},
    },
    {
        "type": "speaker.add",
        "item": "1",
        "data": {"speaker": "s", "name": "A", "kind": "statement", "limit": 1e300},
    },
    {"type": "item.open", "item": "1", "at": dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)},
    {"type": "item.open", "item": "1", "at": dt.datetime(1, 1, 1, tzinfo=dt.UTC)},
    {"type": "item.close", "item": "1", "actor": "line\nbreak"},
]
WRONG_TYPES = [
    {"type": "agenda.amend", "item": "x9", "data": {"op": "add", "title": "X", "minutes": "9"}},
    {
        "type": "speaker.add",
        "item": "1",
        "data": {"speaker": "s", "name": "A", "kind": "statement", "limit": "3m"},
    },
    {"type": "speaker.add", "item": "1", "data": {"speaker": "s", "name": "A", "limit": 10**400}},
    {"type": "speaker.add", "item": "1", "data": {"name": "no id"}},
    {
        "type": "note.add",
        "item": "1",
        "data": {"note": "n", "kind": "note", "text": ["not", "text"]},
    },
]


@pytest.mark.parametrize("bad", OUT_OF_RANGE, ids=lambda bad: str(bad["type"]))
def test_an_out_of_range_record_is_shown_invalid_by_every_reader(
    tmp_path: Path, bad: dict[str, Any]
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    append_records(log, [SITTING, OPEN, bad, {"type": "item.close", "item": "1"}])
    readers_survive(log, tmp_path)
    report = CliRunner().invoke(cli, ["report", str(log), "--json"])
    assert json.loads(report.stdout)["items"][0]["status"] == "closed"  # carried on after it
    service = open_session(str(log), read_only=True)
    assert list(service.state.invalid) == [3]
    service.close()
    journal = CliRunner().invoke(cli, ["journal", str(log)]).output
    assert "invalid record #3" in journal
    export = CliRunner().invoke(cli, ["export", str(log), "--format", "md", "-o", "-"])
    assert "1 record(s) hold values outside the bounds" in export.stderr


@pytest.mark.parametrize("bad", WRONG_TYPES, ids=lambda bad: str(bad["type"]))
def test_a_record_of_the_wrong_shape_is_damage_every_reader_survives(
    tmp_path: Path, bad: dict[str, Any]
) -> None:
    """A value of the wrong type does not decode as its event: damage, named by verify."""
    log = make_log(tmp_path / "s.jsonl")
    append_records(log, [SITTING, OPEN, bad, {"type": "item.close", "item": "1"}])
    readers_survive(log, tmp_path, damaged=True)
    verify = CliRunner().invoke(cli, ["verify", str(log)])
    assert verify.exit_code == 1 and "line 4 (byte" in verify.output


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(records, min_size=1, max_size=8))
def test_arbitrary_records_with_valid_checksums_never_crash_a_reader(
    tmp_path: Path, batch: list[dict[str, Any]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        log = make_log(folder / "s.jsonl")
        append_records(log, [SITTING, OPEN, *batch])
        readers_survive(log, folder, damaged=None)
    finally:
        shutil.rmtree(folder)


async def drive_tracker(log: Path) -> int | None:
    """Open a headless tracker on ``log``, move around and look at things; its return code."""
    service = open_session(str(log))
    app = SessionApp(service)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in ("down", "down", "enter", "j", "escape", "down", "t", "escape"):
                await pilot.press(key)
                await pilot.pause()
            assert app.main.query_one(AgendaTree).last_line > 0
    finally:
        service.close()
    return app.return_code


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(records, min_size=10, max_size=30))
def test_a_headless_tracker_opens_a_log_of_arbitrary_records(
    tmp_path: Path, batch: list[dict[str, Any]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        log = make_log(folder / "s.jsonl")
        limit_zero = {"speaker": "s", "name": "A", "limit": 0}
        far = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
        append_records(
            log,
            [
                SITTING,
                OPEN,
                {"type": "speaker.add", "item": "1", "data": limit_zero},
                {"type": "speaker.start", "item": "1", "data": {"speaker": "s"}},
                *batch,
                {"type": "item.open", "item": "2a", "at": far},
            ],
        )
        assert asyncio.run(drive_tracker(log)) in (0, None)
    finally:
        shutil.rmtree(folder)


def test_the_commands_refuse_what_the_agenda_file_refuses(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    runner = CliRunner()
    cases = [
        ["amend", "add", "--title", "X", "--minutes", "1e10"],
        ["amend", "add", "--title", "X", "--minutes", "1e308"],
        ["amend", "add", "--title", "X", "--minutes", "-5"],
        ["amend", "add", "--title", "X", "--minutes", "1441"],
        ["amend", "add", "--title", "X", "--minutes", "nan"],
        ["speaker", "1", "Ana", "--limit", "0"],
        ["speaker", "1", "Ana", "--limit", "9" * 400],
        ["speaker", "1", "Ana", "--limit", "2h"],
        ["note", "1", "text", "--actor", "ana\nbob"],
    ]
    before = log.read_bytes()
    for args in cases:
        result = runner.invoke(cli, [*args, "--log", str(log)])
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "internal error" not in lines[0], (args, result.output)
    assert log.read_bytes() == before
    ok = runner.invoke(
        cli, ["amend", "add", "--title", "X", "--minutes", "1440", "--log", str(log)]
    )
    assert ok.exit_code == 0, ok.output


def test_the_tracker_exits_non_zero_when_it_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: SessionApp, message: object) -> None:
        raise RuntimeError("a reader bug")

    log = make_log(tmp_path / "s.jsonl")
    monkeypatch.setattr(SessionApp, "run", functools.partialmethod(SessionApp.run, headless=True))
    monkeypatch.setattr(tui_command, "_no_terminal", lambda: None)  # headless: needs none
    monkeypatch.setattr(SessionApp, "on_main_screen_ready", crash)
    result = CliRunner().invoke(cli, ["tui", str(log)])
    assert result.exit_code != 0


EDGES = [dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)]


@pytest.mark.parametrize("zone", ["Europe/Vienna", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_instants_no_zone_can_show_crash_no_reader(tmp_path: Path, zone: str) -> None:
    """Year 1 and 9999, as the instant or as the time recorded, in zones either side of UTC."""
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(
        COSP.read_text(encoding="utf-8").replace("Europe/Vienna", zone), encoding="utf-8"
    )
    assert zone in agenda.read_text(encoding="utf-8")
    log = make_log(tmp_path / "s.jsonl", agenda)
    note = {"note": "n", "kind": "note", "text": "x"}
    edges: list[dict[str, Any]] = []
    for edge in EDGES:
        edges += [
            {"type": "note.add", "item": "1", "at": edge, "data": note},
            {"type": "note.add", "item": "1", "recorded": edge, "data": {**note, "note": "m"}},
            {"type": "item.open", "item": "2a", "at": edge},
        ]
    append_records(log, [SITTING, OPEN, *edges])
    readers_survive(log, tmp_path)
    assert asyncio.run(drive_tracker(log)) in (0, None)
