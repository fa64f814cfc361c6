"""The closing paragraphs of a report: the meeting closes with its last sitting, never with a
sitting that another one followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

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


def _log(folder: Path, *, close_second: bool) -> Path:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
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
        run_cli(command, arg, "--at", at, "--log", str(log), "--force")
    return log


@pytest.mark.parametrize("style", ["un", "minutes"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_sitting_followed_by_another_is_not_the_close(
    tmp_path: Path, style: str, lang: str
) -> None:
    log = _log(tmp_path, close_second=False)
    text = run_cli(
        "export", str(log), "--format", "md", "-o", "-", "--style", style, "--lang", lang
    )
    # The 1st meeting closed, the 2nd is open: the meeting has not closed.
    for closed in ("closed at its 1st", "close à sa 1re", "closed at 18:00", "levée à 18:00"):
        assert closed not in text
    assert "adopted the present report" not in text
    assert "adopté le présent rapport" not in text


@pytest.mark.parametrize("style", ["un", "minutes"])
def test_the_last_sitting_closes_the_meeting(tmp_path: Path, style: str) -> None:
    log = _log(tmp_path, close_second=True)
    text = run_cli("export", str(log), "--format", "md", "-o", "-", "--style", style)
    if style == "un":
        assert "The meeting was closed at its 2nd meeting, on 2 July 2026, at 12.30 p.m." in text
        assert (
            "\\[At its 2nd meeting, on 2 July 2026, the meeting adopted the present report.\\]"
            in text
        )
        assert "closed at its 1st" not in text
    else:
        assert "The meeting closed at 12:30 on 2 July 2026." in text


CLOSING_ITEMS = """\
[meeting]
title = "Working Group on Technical Assistance"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "Technical assistance"
[[items]]
title = "Adoption of the report"
[[items]]
title = "Closure of the meeting"
"""

# What each style and language says of an item not taken up, and of the close.
NOT_TAKEN_UP = {
    ("un", "en"): "did not take up agenda item {}.",
    ("un", "fr"): "n’a pas examiné le point {} ",
    ("minutes", "en"): "Not taken up.",
    ("minutes", "fr"): "Point non abordé.",
}
CLOSED = {
    ("un", "en"): "The meeting was closed at its 1st meeting, on 1 July 2026, at 11 a.m.",
    ("un", "fr"): "La réunion a été close à sa 1re séance, le 1er juillet 2026, à 11 heures.",
    ("minutes", "en"): "The meeting closed at 11:00 on 1 July 2026.",
    ("minutes", "fr"): "La réunion a été levée à 11 h 00 le 1er juillet 2026.",
}


def _closing_report(folder: Path, style: str, lang: str, *, close: bool) -> str:
    """The report of a meeting that took up item 1 and never items 2 (adoption of the report)
    and 3 (closure), its only sitting closed at 11.00 when ``close``."""
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(CLOSING_ITEMS, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    steps = [("sitting", "open", "10:00"), ("open", "1", "10:01"), ("close", "1", "10:50")]
    if close:
        steps.append(("sitting", "close", "11:00"))
    for command, arg, at in steps:
        run_cli(command, arg, "--at", f"2026-07-01 {at}", "--log", str(log), "--force")
    args = ("export", str(log), "--format", "md", "-o", "-")
    return run_cli(*args, "--style", style, "--lang", lang)


@pytest.mark.parametrize(("style", "lang"), list(CLOSED))
def test_closing_items_never_taken_up_are_closed_with_the_meeting(
    tmp_path: Path, style: str, lang: str
) -> None:
    text = _closing_report(tmp_path, style, lang, close=True)
    assert text.count(CLOSED[style, lang]) == 1
    # What is said under item 3's heading (its chapter in a report, its section in minutes).
    closure = text.rsplit("Closure of the meeting\n", 1)[1].split("\n#", 1)[0]
    assert NOT_TAKEN_UP[style, lang].format(3) not in closure
    if style == "un":
        # Nor is the adoption of the report "not taken up" beside its (bracketed) adoption.
        assert NOT_TAKEN_UP[style, lang].format(2) not in text
        assert (
            text.count("adopted the present report" if lang == "en" else "le présent rapport") == 1
        )


@pytest.mark.parametrize(("style", "lang"), list(CLOSED))
def test_closing_items_of_a_meeting_still_sitting_are_not_taken_up(
    tmp_path: Path, style: str, lang: str
) -> None:
    text = _closing_report(tmp_path, style, lang, close=False)
    for closed in ("The meeting was closed", "La réunion a été close", "closed at", "levée à"):
        assert closed not in text
    assert NOT_TAKEN_UP[style, lang].format(3) in text
