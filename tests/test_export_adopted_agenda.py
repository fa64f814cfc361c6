"""The report's "adopted the following agenda": the agenda as the meeting adopted it, "as orally
amended" when it was amended at that meeting, and the amendments made afterwards told, never
folded silently into the agenda adopted at the 1st meeting."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def _run(log: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--log", str(log), "--actor", "S"])
    assert result.exit_code == 0, result.output
    return result.output


def _three_meetings(log: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    steps = [
        ("open", "1", "2020-11-19 10:00"),
        ("close", "1", "2020-11-19 10:20"),
        ("open", "2a", "2020-11-19 10:20"),
        ("sitting", "close", "2020-11-19 13:00"),
        ("open", "2b", "2020-11-19 15:00"),
        ("sitting", "close", "2020-11-19 18:00"),
        ("open", "2c", "2020-11-20 10:00"),
        ("open", "3", "2020-11-20 12:00"),
        ("sitting", "close", "2020-11-20 12:15"),
    ]
    for command, what, at in steps:
        _run(log, command, what, "--at", at)


def _adoption(log: Path, *options: str) -> str:
    report = CliRunner().invoke(cli, ["export", str(log), "--format", "md", *options]).output
    return report[report.index("### B. ") : report.index("### C. ")]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "s.jsonl"
    _three_meetings(path)
    return path


def test_amendments_after_the_1st_meeting_are_told_not_folded_in(log: Path) -> None:
    _run(log, "amend", "add", "--title", "Other matters", "--number", "(f)", "--under", "2")
    _run(log, "amend", "delete", "2d")
    _run(log, "amend", "retitle", "3", "--title", "Closure and adoption of the report")
    text = _adoption(log)
    assert "adopted the following agenda:" in text
    assert "2(d) Challenges in identifying" in text  # adopted, deleted only later
    assert "- 3 Closure of the meeting\n" in text
    assert "- 2(f)" not in text
    assert (
        "After its 3rd meeting, the agenda was amended: item 2(f), entitled “Other matters”, "
        "was added; item 2(d), entitled “Challenges in identifying, tracing and freezing "
        "proceeds of corruption, and possible solutions”, was deleted; and item 3, entitled "
        "“Closure of the meeting”, was retitled “Closure and adoption of the report”."
    ) in " ".join(text.split())


def test_an_amendment_at_the_1st_meeting_is_adopted_as_orally_amended(log: Path) -> None:
    _run(log, "amend", "retitle", "2b", "--title", "General debate", "--at", "2020-11-19 10:10")
    _run(log, "amend", "move", "2e", "--under", "3", "--at", "2020-11-20 11:00")
    text = _adoption(log)
    assert "the meeting adopted the following agenda, as orally amended:" in text
    assert "2(b) General debate" in text
    assert "2(e) Optimizing" in text and "- 3(e)" not in text
    assert "At its 3rd meeting, on 20 November 2020, the meeting amended the agenda: item 2(e)" in (
        " ".join(text.split())
    )
    assert "was moved and became item 3(e)." in text
    french = _adoption(log, "--lang", "fr").replace("### B. ", "")
    assert "tel que modifié oralement :" in french
    assert "a été déplacé et est devenu le point 3(e)." in french


def test_an_excerpt_reproduces_the_whole_agenda_adopted(log: Path) -> None:
    # The meeting adopted the whole agenda, not the excerpt's items: an agenda cut to them
    # would say it adopted only those. Its amendments too: 2(d) is listed, then deleted.
    _run(log, "amend", "delete", "2d")
    _run(log, "amend", "retitle", "3", "--title", "Closure")
    text = _adoption(log, "--items", "3")
    assert "- 3 Closure of the meeting" in text
    assert "- 1 Opening of the meeting and adoption of the agenda" in text
    assert "- 2(d) Challenges in identifying" in text
    assert "item 2(d), entitled" in text and "was deleted" in text
    assert "item 3, entitled “Closure of the meeting”, was retitled “Closure”." in text


def test_an_excerpt_without_amendments_reproduces_the_whole_agenda(log: Path) -> None:
    text = _adoption(log, "--items", "2b")
    assert "the meeting adopted the following agenda:" in text
    for line in ("- 1 Opening", "- 2 Preparations", "- 2(a) Status", "- 2(b) General", "- 3 Clos"):
        assert line in text, line
