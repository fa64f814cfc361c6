"""Who attended, as the draft report and the minutes say it: those present at a roll call (all
registered when none was taken), and every delegation that took the floor; those marked absent
are absent, not "apologies"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def _run(log: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--log", str(log)])
    assert result.exit_code == 0, result.output
    return result.output


def _export(log: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["export", str(log), "--format", "md", "-o", "-", *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five States registered, Kenya and the United States of America marked absent at the roll
    call; on item 2(a) Egypt (not registered), the United States of America, the Chair, the
    Secretariat and the European Union (not registered) took the floor."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    _run(log, "init", str(AGENDA))
    for name in ("Côte d'Ivoire", "Kenya", "Mali", "Türkiye", "United States of America"):
        _run(log, "participant", "add", name, "--at", "2020-11-19 09:00")
    _run(log, "sitting", "open", "--at", "2020-11-19 09:59")
    roll = ("rollcall", "--all", "--absent", "Kenya", "--absent", "United States of America")
    _run(log, *roll, "--at", "2020-11-19 10:00")
    _run(log, "open", "2a", "--at", "2020-11-19 10:01")
    speakers = ("Egypt", "United States of America", "Chair", "Secretariat", "European Union")
    for minute, name in enumerate(speakers, 2):
        _run(log, "speaker", "2a", name, "--start", "--at", f"2020-11-19 10:{minute:02}")
    return log


def test_the_minutes_say_absent_not_apologies(log: Path) -> None:
    minutes = _export(log, "--style", "minutes")
    assert "## Absent " in minutes and "Apologies" not in minutes
    french = _export(log, "--style", "minutes", "--lang", "fr")
    assert "## Absents " in french and "Excusés" not in french


def test_every_state_that_took_the_floor_was_represented(log: Path) -> None:
    report = _export(log)
    assert (
        "The following States were represented at the meeting: Côte d'Ivoire, Egypt, Mali,"
        " Türkiye and United States of America."
    ) in report
    # The roll call says what it found; the Chair and the Secretariat are no delegations.
    assert "At the roll call at its 1st meeting, on 19 November 2020, 3 States were present." in (
        report
    )
    assert (
        "The following intergovernmental organization was represented by an observer:"
        " European Union."
    ) in report
    assert "represented at the meeting: Chair" not in report
    html = CliRunner().invoke(cli, ["export", str(log), "--format", "html", "-o", "-"]).output
    assert "Côte d&#x27;Ivoire, Egypt, Mali, Türkiye and United States of America." in html
    french = _export(log, "--lang", "fr")
    assert (
        "Les États suivants étaient représentés à la réunion : Côte d’Ivoire, Égypte,"
        " États-Unis d’Amérique, Mali et Türkiye."
    ) in french


def test_the_minutes_list_the_speakers_present_and_no_longer_absent(log: Path) -> None:
    minutes = _export(log, "--style", "minutes")
    assert (
        "## Present - Côte d'Ivoire - Egypt - Mali - Türkiye - United States of America"
        " - European Union ## Absent Kenya ##"
    ) in minutes


def test_without_a_register_the_speakers_are_no_attendance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Named alone, the States that spoke would read as all that were represented.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    _run(log, "init", str(AGENDA))
    _run(log, "sitting", "open", "--at", "2020-11-19 09:59")
    _run(log, "open", "2a", "--at", "2020-11-19 10:01")
    _run(log, "speaker", "2a", "Egypt", "--start", "--at", "2020-11-19 10:02")
    report = _export(log)
    assert "Attendance" not in report and "were represented" not in report
