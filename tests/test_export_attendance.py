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
    """Four States registered, Kenya marked absent at the roll call; on item 2(a) Egypt (not
    registered) and the United States of America (registered, absent) took the floor."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    _run(log, "init", str(AGENDA))
    for name in ("Côte d'Ivoire", "Kenya", "Mali", "Türkiye", "United States of America"):
        _run(log, "participant", "add", name, "--at", "2020-11-19 09:00")
    _run(log, "sitting", "open", "--at", "2020-11-19 09:59")
    roll = ("rollcall", "--all", "--absent", "Kenya", "--absent", "United States of America")
    _run(log, *roll, "--at", "2020-11-19 10:00")
    _run(log, "open", "2a", "--at", "2020-11-19 10:01")
    for minute, name in enumerate(("Egypt", "United States of America"), 2):
        _run(log, "speaker", "2a", name, "--start", "--at", f"2020-11-19 10:{minute:02}")
    return log


def test_the_minutes_say_absent_not_apologies(log: Path) -> None:
    minutes = _export(log, "--style", "minutes")
    assert "## Absent " in minutes and "Apologies" not in minutes
    french = _export(log, "--style", "minutes", "--lang", "fr")
    assert "## Absents " in french and "Excusés" not in french
