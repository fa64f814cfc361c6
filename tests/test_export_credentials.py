"""Credentials items ("Adoption of the report of the Bureau on credentials", "Report of the
Credentials Committee") are organizational: told in the organization chapter, never taken for
the adoption of the meeting's own report, which the closing chapter still tells."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.exporters.model import organizational_part

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Ninth session of the Conference of the States Parties"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "{opening}"
[[items]]
title = "{credentials}"
[[items]]
title = "{substantive}"
{closing}"""

TITLES = {
    "en": {
        "opening": "Opening of the session",
        "credentials": "Adoption of the report of the Bureau on credentials",
        "substantive": "Review of the implementation of the Convention",
        "section": "Credentials",
        # A session of the Conference: the Conference acts, the session closes.
        "adopted": "the Conference adopted the present report.\\]",
        "closing_chapter": "Adoption of the report and closure of the session",
    },
    "fr": {
        "opening": "Ouverture de la session",
        "credentials": "Adoption du rapport du Bureau sur les pouvoirs",
        "substantive": "Examen de l’application de la Convention",
        "section": "Pouvoirs",
        # The body is named in English: « la session » acts.
        "adopted": "la session a adopté le présent rapport.\\]",
        "closing_chapter": "Adoption du rapport et clôture de la session",
    },
}


def _export(folder: Path, lang: str, closing: str = "") -> str:
    """The report of a closed meeting that considered every item, the credentials one as 2."""
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA.format(closing=closing, **TITLES[lang]), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    steps = [
        ("10:00", "sitting", "open"),
        ("10:01", "open", "1"),
        ("10:05", "next"),
        (
            "10:06",
            "note",
            "2",
            "The Conference adopted the report of the Bureau.",
            "--kind",
            "decision",
        ),
        ("10:10", "next"),
        ("12:00", "close", "3"),
        ("12:30", "sitting", "close"),
    ]
    for at, *args in steps:
        run_cli(*args, "--at", f"2026-07-01 {at}", "--log", str(log))
    return run_cli("export", str(log), "--format", "md", "-o", "-", "--no-times", "--lang", lang)


def _chapters(text: str) -> dict[str, str]:
    """The report's chapters by heading (without the numeral), each with its text."""
    parts = text.split("\n## ")[1:]
    return {p.split("\n", 1)[0].split(". ", 1)[-1]: p.split("\n", 1)[1] for p in parts}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_credentials_report_is_not_the_adoption_of_the_report(tmp_path: Path, lang: str) -> None:
    titles = TITLES[lang]
    text = _export(tmp_path, lang)
    chapters = _chapters(text)
    # No chapter of its own: told in the organization chapter, in a section of its own.
    assert titles["credentials"] not in chapters
    organization = next(iter(chapters.values()))
    section = organization.split(f". {titles['section']}\n", 1)[1].split("\n### ", 1)[0]
    assert titles["credentials"] in section
    assert "The Conference adopted the report of the Bureau." in section
    # The meeting's own report is still adopted, in the closing chapter the report adds.
    assert titles["adopted"] not in organization
    assert titles["adopted"] in chapters[titles["closing_chapter"]]


def test_the_closure_item_still_tells_the_adoption_beside_a_credentials_item(
    tmp_path: Path,
) -> None:
    closing = '[[items]]\ntitle = "Closure of the session"\n'
    chapters = _chapters(_export(tmp_path, "en", closing))
    assert "Adoption of the report and closure of the session" not in chapters
    closure = chapters["Closure of the session"]
    assert "the Conference adopted the present report.\\]" in closure
    assert "The session was closed at its 1st meeting" in closure


@pytest.mark.parametrize(
    "title",
    [
        "Adoption of the report of the Bureau on credentials",
        "Report of the Bureau on credentials",
        "Adoption of the report on credentials",
        "Report of the Credentials Committee",
        "Approval of the report of the Credentials Committee",
        "Credentials of representatives",
        "Credentials of representatives to the ninth session of the Conference",
        "Appointment of the members of the Credentials Committee",
        "Examination of credentials",
        "Adoption du rapport du Bureau sur les pouvoirs",
        "Rapport de la Commission de vérification des pouvoirs",
        "Pouvoirs des représentants",
        "Vérification des pouvoirs",
    ],
)
def test_credentials_items_are_organizational(title: str) -> None:
    assert organizational_part(title) == "credentials"


@pytest.mark.parametrize(
    "title",
    [
        "Adoption of the report",
        "Adoption of the report of the Conference on its ninth session",
        "Adoption du rapport",
        "Mutual recognition of professional qualifications",
    ],
)
def test_the_meetings_own_report_is_not_a_credentials_item(title: str) -> None:
    assert organizational_part(title) == ""
