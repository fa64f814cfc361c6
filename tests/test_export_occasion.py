"""The report calls the meeting what the agenda says it is: a session of a body is "the
session", and the body acts in it ("the Conference considered agenda item 2"); a meeting is
"the meeting"."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "{title}"
{more}
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "{opening}"
[[items]]
title = "{substantive}"
documents = ["CTOC/COP/2026/2"]
"""


def _report(folder: Path, title: str, more: str, lang: str) -> str:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    opening, substantive = {
        "en": ("Opening of the session", "Technical assistance"),
        "fr": ("Ouverture de la session", "Assistance technique"),
    }[lang]
    agenda.write_text(
        AGENDA.format(title=title, more=more, opening=opening, substantive=substantive), "utf-8"
    )
    run_cli("init", str(agenda), "--log", str(log))
    for at, *args in (("10:00", "open", "1"), ("10:10", "next"), ("12:00", "sitting", "close")):
        run_cli(*args, "--at", f"2026-07-01 {at}", "--log", str(log))
    return run_cli("export", str(log), "--format", "md", "-o", "-", "--lang", lang)


@pytest.mark.parametrize(
    ("title", "more"),
    [
        ("Fifth session", 'body = "Conference of the Parties to the Convention"'),
        ("Fifth session of the Conference of the Parties to the Convention", ""),
    ],
)
def test_a_session_of_a_body_is_told_as_the_body_at_its_session(
    tmp_path: Path, title: str, more: str
) -> None:
    text = _report(tmp_path, title, more, "en")
    assert "## I. Organization of the session" in text
    assert "### A. Opening of the session" in text
    assert "The session was opened at the 1st meeting, on 1 July 2026, at 10 a.m." in text
    assert "the Conference adopted the following agenda:" in text
    assert "the Conference considered agenda item 2, entitled “Technical assistance”" in text
    assert "The Conference had before it the following document" in text
    assert "the Conference adopted the present report" in text
    assert "The session was closed at its 1st meeting" in text
    assert "the meeting" not in text.lower().replace("the meeting of", "")


def test_a_session_of_a_body_not_named_is_the_session(tmp_path: Path) -> None:
    text = _report(tmp_path, "Fifth session", "", "en")
    assert "the session considered agenda item 2" in text
    assert "the meeting" not in text.lower()


def test_a_session_of_a_body_it_does_not_name(tmp_path: Path) -> None:
    text = _report(tmp_path, "Benchmark session of a subsidiary body", "", "en")
    assert "# Report on the Benchmark session of a subsidiary body, held on 1 July 2026" in text
    assert "the session considered agenda item 2" in text


def test_a_meeting_is_still_the_meeting(tmp_path: Path) -> None:
    text = _report(tmp_path, "Second intersessional meeting of the Conference", "", "en")
    assert "## I. Organization of the meeting" in text
    assert "the meeting considered agenda item 2" in text


@pytest.mark.parametrize(
    ("title", "more", "subject", "before_it"),
    [
        (
            "Cinquième session",
            'body = "Conférence des Parties à la Convention"',
            "la Conférence",
            "La Conférence était saisie du document suivant",
        ),
        (
            "Groupe de travail sur l’assistance technique",
            'subtitle = "Cinquième session"',
            "le Groupe de travail",
            "Il était saisi du document suivant",
        ),
        # A body not named in French: the session acts, never an English name glued to French.
        ("Fifth session", 'body = "Conference of the Parties"', "la session", "Elle était saisie"),
    ],
)
def test_a_session_in_french(
    tmp_path: Path, title: str, more: str, subject: str, before_it: str
) -> None:
    text = _report(tmp_path, title, more, "fr")
    assert "## I. Organisation de la session" in text
    assert "La session a été ouverte à la 1re séance" in text
    assert f"{subject} a examiné le point 2 de l’ordre du jour" in text
    assert before_it in text
    assert "la réunion" not in text.replace("Rapport sur la réunion", "")
