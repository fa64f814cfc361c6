"""The closing paragraphs of a report: the meeting closes with its last sitting, never with a
sitting that another one followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

AGENDA = """\
[meeting]
title = "Working Group on Technical Assistance"
venue = "Vienna"
dates = [2026-07-01, 2026-07-02]
timezone = "Europe/Vienna"

[[items]]
title = "Opening of the meeting"
[[items]]
title = "Technical assistance"
"""


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _log(folder: Path, *, close_second: bool) -> Path:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    _run("init", str(agenda), "--log", str(log))
    steps = [
        ("sitting", "open", "2026-07-01 10:00"),
        ("open", "1", "2026-07-01 10:01"),
        ("close", "1", "2026-07-01 10:05"),
        ("sitting", "close", "2026-07-01 18:00"),
        ("sitting", "open", "2026-07-02 10:00"),
        ("open", "2", "2026-07-02 10:05"),
    ]
    if close_second:
        steps += [("close", "2", "2026-07-02 12:00"), ("sitting", "close", "2026-07-02 12:30")]
    for command, arg, at in steps:
        _run(command, arg, "--at", at, "--log", str(log), "--force")
    return log


@pytest.mark.parametrize("style", ["un", "minutes"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_sitting_followed_by_another_is_not_the_close(
    tmp_path: Path, style: str, lang: str
) -> None:
    log = _log(tmp_path, close_second=False)
    text = _run("export", str(log), "--format", "md", "-o", "-", "--style", style, "--lang", lang)
    # The 1st meeting closed, the 2nd is open: the meeting has not closed.
    for closed in ("closed at its 1st", "close à sa 1re", "closed at 18:00", "levée à 18:00"):
        assert closed not in text
    assert "adopted the present report" not in text
    assert "adopté le présent rapport" not in text


@pytest.mark.parametrize("style", ["un", "minutes"])
def test_the_last_sitting_closes_the_meeting(tmp_path: Path, style: str) -> None:
    log = _log(tmp_path, close_second=True)
    text = _run("export", str(log), "--format", "md", "-o", "-", "--style", style)
    if style == "un":
        assert "The meeting was closed at its 2nd meeting, on 2 July 2026, at 12.30 p.m." in text
        assert (
            "\\[At its 2nd meeting, on 2 July 2026, the meeting adopted the present report.\\]"
            in text
        )
        assert "closed at its 1st" not in text
    else:
        assert "The meeting closed at 12:30 on 2 July 2026." in text
