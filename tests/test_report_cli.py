"""``sessiontui report``: the text shows speakers and sittings in meeting time; JSON keeps nulls."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .test_worked_scenario import run_scenario


def test_report_text_shows_speakers_and_sitting_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, log = run_scenario(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["report", str(log)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  2(b)"))
    assert lines[at + 1].split() == ["speaker:", "Brazil:", "4:00"]
    assert lines[at + 2].split() == ["speaker:", "Kenya,", "reply:", "3:00"]
    # The scenario's times are UTC (10:00Z); the report says them in the meeting's zone.
    opened = "1st meeting: closed, opened 2020-11-19 11:00, closed 2020-11-19 14:00"
    assert f"{opened} (Europe/Vienna)" in result.stdout


def test_report_json_is_null_where_nothing_was_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, _ = run_scenario(tmp_path, monkeypatch)
    assert report["planned_seconds"] is None
    assert report["remaining_planned_seconds"] is None
    assert {item["overrun_seconds"] for item in report["items"]} == {None}


def test_report_json_counts_what_remains_of_a_plan(tmp_path: Path) -> None:
    agenda = tmp_path / "a.toml"
    agenda.write_text(
        '[meeting]\ntitle = "T"\n[[items]]\ntitle = "A"\nminutes = 10\n[[items]]\ntitle = "B"\n',
        encoding="utf-8",
    )
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    report = json.loads(runner.invoke(cli, ["report", str(log), "--json"]).stdout)
    assert report["remaining_planned_seconds"] == 600.0
    assert [i["overrun_seconds"] for i in report["items"]] == [0.0, None]


def test_an_excerpt_carries_only_its_items_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, log = run_scenario(tmp_path, monkeypatch)
    runner = CliRunner()
    whole = runner.invoke(cli, ["export", str(log), "--format", "md", "--journal"])
    part = runner.invoke(cli, ["export", str(log), "--format", "md", "--journal", "--items", "2b"])
    assert whole.exit_code == 0 and part.exit_code == 0, part.output
    # The appendix under its heading (the agenda adopted, whole also in an excerpt, names 2(a)).
    appendix = re.split(r"^## .*Journal$", part.stdout, flags=re.MULTILINE)[1]
    assert "2(b)" in appendix and "Kenya" in appendix
    for other in ("2(a)", "took up 2(e)", "Co-facilitator"):
        assert other in re.split(r"^## .*Journal$", whole.stdout, flags=re.MULTILINE)[1]
        assert other not in appendix, other


def test_an_open_sitting_runs_to_the_reports_now(tmp_path: Path) -> None:
    """A sitting still open has run until the report's "now", as the total counts it."""
    from sessiontui.core.commands import SittingCommand
    from sessiontui.core.report import build_report, report_table

    from .export_scenario import cosp_agenda, create, utc

    r = create(tmp_path / "open.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    r.at(utc(19, 9, 10)).run("sec", SittingCommand("suspend"))
    r.at(utc(19, 9, 20)).run("sec", SittingCommand("resume"))
    r.at(utc(19, 9, 40)).run("sec", SittingCommand("close"))
    r.at(utc(20, 9, 0)).run("sec", SittingCommand("open"))
    state = r.finish(tmp_path / "open.jsonl").state
    text = report_table(state, utc(20, 9, 25))
    # In hours, as the table's figures: "ran 25:00" beside clock times read as a time of day.
    assert (
        "2nd meeting: open, opened 2020-11-20 10:00 (Europe/Vienna), no suspension, ran 0:25:00"
        in text
    )
    assert "1st meeting: closed" in text and "suspended 10:10–10:20, ran 0:30:00" in text
    assert "sittings total: 0:55:00" in text
    sittings = build_report(state, utc(20, 9, 25))["sittings"]
    assert [s["running_seconds"] for s in sittings] == [1800.0, 1500.0]


@pytest.mark.parametrize(
    "zone", ["UTC", "Europe/Zurich", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"]
)
def test_report_times_are_written_as_strftime_writes_them(zone: str) -> None:
    """The report's local times, written field by field, read as ``%Y-%m-%d %H:%M`` does:
    across changes of summer time, in zones half an hour off, and at the edge of the calendar
    where no zone can show the instant."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sessiontui.core.report import _local, _suspensions
    from sessiontui.core.wallclock import in_zone

    tz = ZoneInfo(zone)
    moments = [
        dt.datetime(2024, 3, 30, tzinfo=dt.UTC) + dt.timedelta(minutes=7 * step)
        for step in range(500)  # two days across the spring change in Europe
    ] + [
        dt.datetime(2024, 10, 26, 22, tzinfo=dt.UTC) + dt.timedelta(minutes=13 * step)
        for step in range(300)  # and across the autumn one, its hour shown twice
    ]
    moments += [dt.datetime.max.replace(tzinfo=dt.UTC), dt.datetime.min.replace(tzinfo=dt.UTC)]
    moments += [dt.datetime(year, 6, 1, 9, 5, tzinfo=dt.UTC) for year in (2, 999, 1000)]
    for moment in moments:
        assert _local(tz, moment) == f"{in_zone(moment, tz):%Y-%m-%d %H:%M}"
    assert _local(tz, None) == ""
    first, last, open_ = (_local(tz, moments[i])[11:] for i in (0, 5, 9))
    spans: list[list[dt.datetime | None]] = [[moments[0], moments[5]], [moments[9], None], []]
    assert _suspensions(tz, spans) == f"suspended {first}–{last}, {open_}–"


def test_an_agendas_bidi_overrides_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The journal and the exports stripped them; `check` and `report` printed them raw.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    agenda = tmp_path / "bidi.toml"
    agenda.write_text(
        '[meeting]\ntitle = "Bidi \u202eevil\u202c test"\ndates = [2026-12-06]\n'
        '[[items]]\nnumber = "1"\ntitle = "Pl\u202eain"\n',
        encoding="utf-8",
    )
    log = tmp_path / "bidi.jsonl"
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(agenda)])
    assert checked.exit_code == 0, checked.output
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    reported = runner.invoke(cli, ["report", str(log)])
    assert reported.exit_code == 0, reported.output
    for output in (checked.stdout, reported.stdout):
        assert "\u202e" not in output and "\u202c" not in output
    assert "Bidi evil test" in checked.stdout and "Bidi evil test" in reported.stdout
    assert "Plain" in reported.stdout


def test_the_reports_time_columns_read_in_hours_and_line_up(tmp_path: Path) -> None:
    """A planned 15 minutes reads ``0:15:00`` beside a use of hours, never ``15:00`` (fifteen
    hours, in that column), and each column's figures end under its heading."""
    from sessiontui.core.commands import OpenItem, SittingCommand
    from sessiontui.core.report import report_table

    from .export_scenario import cosp_agenda, create, utc

    r = create(tmp_path / "long.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    r.at(utc(19, 9, 0)).run("sec", OpenItem("1"))
    state = r.finish(tmp_path / "long.jsonl").state
    lines = report_table(state, utc(20, 21, 0)).splitlines()
    heading = next(line for line in lines if line.startswith("item"))
    row = next(line for line in lines if line.startswith("1 "))
    assert "36:00:00" in row and "0:15:00" in row and "+35:45:00" in row
    for name, figure in (("used", "36:00:00"), ("planned", "0:15:00"), ("over", "+35:45:00")):
        assert heading.index(name) + len(name) == row.index(figure) + len(figure), name


def test_the_label_column_is_as_wide_as_the_labels_shown(tmp_path: Path) -> None:
    """A label holding characters the report does not show (bidi overrides, which a valid
    agenda may hold) widened the label column by them: the column was sized before cleaning."""
    agenda = tmp_path / "agenda.toml"
    hidden = "\\u202e" * 12
    agenda.write_text(
        f'[meeting]\ntitle = "Hostile"\ndates = [2020-11-19]\n\n'
        f'[[items]]\nnumber = "1{hidden}"\ntitle = "Opening"\n\n'
        '[[items]]\nnumber = "2"\ntitle = "Other"\n',
        encoding="utf-8",
    )
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    result = runner.invoke(cli, ["report", str(log)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    heading = next(line for line in lines if line.startswith("item"))
    rows = [line for line in lines if line.startswith(("1 ", "2 "))]
    assert heading.startswith("item  status")  # "item", wider than the labels shown
    assert [row.index("pending") for row in rows] == [heading.index("status")] * 2


def test_the_report_is_written_in_parts_that_make_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report` writes a long session's table a few lines at a time (one text of it, cleaned and
    encoded, was three copies in memory): the parts, each cleaned, are the whole table cleaned,
    escape sequences in a speaker's name included."""
    from sessiontui.core import report
    from sessiontui.core.commands import AddSpeaker, OpenItem, SittingCommand

    from .export_scenario import cosp_agenda, create, utc

    log = tmp_path / "parts.jsonl"
    r = create(log, cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    r.at(utc(19, 9, 0)).run("sec", OpenItem("2a"))
    for n in range(7):
        r.at(utc(19, 9, 1 + n)).run("sec", AddSpeaker("2a", f"\x1b]0;PWN\x07State {n}\x1b[2J"))
    r.at(utc(19, 9, 30)).run("sec", SittingCommand("close"))
    state = r.finish(log).state
    monkeypatch.setattr(report, "LINES_PER_CHUNK", 3)
    parts = list(report.report_chunks(state, None))
    assert len(parts) > 5 and all(part.endswith("\n") for part in parts)
    whole = report.report_table(state, None)
    assert "".join(parts) == whole + "\n"
    assert "State 6" in whole and "PWN" not in whole and "\x1b" not in whole
    result = CliRunner().invoke(cli, ["report", str(log)])
    assert result.exit_code == 0, result.output
    assert result.stdout == whole + "\n"
