"""The organizational items of an agenda (opening, election of officers, adoption of the agenda,
"Organizational matters") are told once, in the report's "Organization of the meeting" chapter,
never again as chapters of their own; they are known by their titles, not their numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sessiontui.exporters.model import organizational_part

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Tenth session of the Working Group on Asset Recovery"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "Substantive matters first"
[[items]]
title = "{organizational}"
  [[items.items]]
  title = "{opening}"
  [[items.items]]
  title = "{election}"
  [[items.items]]
  title = "{agenda}"
  [[items.items]]
  title = "{general}"
[[items]]
title = "{report}"
[[items]]
title = "{closure}"
"""

TITLES = {
    "en": {
        "organizational": "Organizational matters",
        "opening": "Opening of the session",
        "election": "Election of officers",
        "agenda": "Adoption of the agenda and organization of work",
        "general": "General discussion",
        "report": "Adoption of the report",
        "closure": "Closure of the session",
    },
    "fr": {
        "organizational": "Questions d’organisation",
        "opening": "Ouverture de la session",
        "election": "Élection du Bureau",
        "agenda": "Adoption de l’ordre du jour et organisation des travaux",
        "general": "Débat général",
        "report": "Adoption du rapport",
        "closure": "Clôture de la session",
    },
}


def _log(folder: Path, lang: str) -> Path:
    """Item 1 substantive, item 2 organizational with four sub-items, all taken up."""
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA.format(**TITLES[lang]), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    steps = [
        ("sitting", "open", "10:00"),
        ("open", "2(a)", "10:01"),
        ("note", "2(a)", "10:02", "The Chair welcomed the participants."),
        ("open", "2(b)", "10:03"),
        ("note", "2(b)", "10:04", "Ms. Ruiz (Peru) was elected Chair.", "--kind", "decision"),
        ("open", "2(c)", "10:05"),
        (
            "note",
            "2(c)",
            "10:06",
            "The agenda was adopted without amendment.",
            "--kind",
            "decision",
        ),
        ("open", "2(d)", "10:07"),
        ("speaker", "2(d)", "10:08", "Brazil", "--start"),
        ("open", "1", "10:20"),
        ("note", "1", "10:21", "The Working Group discussed substantive matters."),
        ("open", "3", "10:30"),
        ("open", "4", "10:40"),
        ("close", "4", "10:41"),
        ("sitting", "close", "10:42"),
    ]
    for command, arg, at, *rest in steps:
        run_cli(command, arg, *rest, "--at", f"2026-07-01 {at}", "--log", str(log))
    return log


def _sections(text: str, marker: str) -> dict[str, str]:
    """The report's chapters (``## ``) or sections (``### ``) by heading, each with its text."""
    parts = text.split(f"\n{marker} ")[1:]
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_organizational_items_are_told_in_the_organization_chapter(
    tmp_path: Path, lang: str
) -> None:
    titles = TITLES[lang]
    text = run_cli(
        "export",
        str(_log(tmp_path, lang)),
        "--format",
        "md",
        "-o",
        "-",
        "--no-times",
        "--lang",
        lang,
    )
    chapters = list(_sections(text, "##"))
    # A session ("Tenth session of the Working Group …"): its organization and its opening.
    organization = "Organization of the session" if lang == "en" else "Organisation de la session"
    # The organizational item is no chapter of its own; the substantive one before it is.
    assert chapters[:2] == [f"I. {organization}", f"II. {'Substantive matters first'}"]
    assert not any(titles["organizational"] in chapter for chapter in chapters)
    assert not any(titles["opening"] in chapter for chapter in chapters)
    body = text.split(f"## I. {organization}\n", 1)[1].split("\n## ", 1)[0]
    sections = _sections(body, "###")
    opening, election, agenda, general = list(sections)[:4]
    assert opening.endswith("Opening of the session" if lang == "en" else "Ouverture de la session")
    assert election.endswith(titles["election"])
    assert agenda.endswith(
        "Adoption of the agenda" if lang == "en" else "Adoption de l’ordre du jour"
    )
    assert general.endswith(titles["general"])
    # Each told once, in its section.
    for said, section in (
        ("The Chair welcomed the participants.", opening),
        ("Ms. Ruiz (Peru) was elected Chair.", election),
        ("The agenda was adopted without amendment.", agenda),
        ("Brazil" if lang == "en" else "Brésil", general),
    ):
        assert text.count(said) == 1, said
        assert said in sections[section], said
    assert "The Working Group discussed substantive matters." in _sections(text, "##")[chapters[1]]


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("Opening of the meeting", "opening"),
        ("Opening of the meeting and adoption of the agenda", "opening"),
        ("Opening of the sixth session of the Conference", "opening"),
        ("Opening by the Chair and adoption of the agenda", "opening"),
        ("Official opening", "opening"),
        ("Opening statements", "opening"),
        ("Ouverture de la session", "opening"),
        ("Ouverture de la vingt-troisième session", "opening"),
        ("Election of officers", "officers"),
        ("Election of the Chair and Vice-Chairs", "officers"),
        ("Élection du Bureau", "officers"),
        ("Élection de la présidente", "officers"),
        ("Adoption of the agenda", "agenda"),
        ("Adoption of the provisional agenda", "agenda"),
        ("Adoption of the agenda and organization of work", "agenda"),
        ("Organization of work", "agenda"),
        ("Adoption de l’ordre du jour et organisation des travaux", "agenda"),
        ("Organizational matters", "organization"),
        ("Questions d'organisation", "organization"),
        ("Opening of markets to services from least developed countries", ""),
        ("Election of five members of the International Narcotics Control Board", ""),
        ("General discussion", ""),
        ("Adoption of the report", ""),
        ("Closure of the meeting", ""),
        ("Review of the implementation of the Convention", ""),
        # In Russian, as the shipped agenda agendas/non-latin-russian.toml words them.
        ("Открытие сессии", "opening"),
        ("Открытие совещания и утверждение повестки дня", "opening"),
        ("Выборы должностных лиц", "officers"),
        ("Утверждение повестки дня и организация работы", "agenda"),
        ("Организационные вопросы", "organization"),
        ("Доклад Бюро о полномочиях", "credentials"),
        ("Полномочия представителей", "credentials"),
        ("Открытие счетов в банках", ""),
        ("Утверждение доклада", ""),
        ("Закрытие сессии", ""),
        ("Техническая помощь", ""),
    ],
)
def test_organizational_items_are_known_by_their_titles(title: str, part: str) -> None:
    assert organizational_part(title) == part


@pytest.mark.parametrize(
    ("lang", "unfinished"),
    [
        ("en", "The consideration of agenda item {} was not concluded."),
        ("fr", "L’examen du point {} de l’ordre du jour n’a pas été achevé."),
    ],
)
def test_items_the_report_tells_the_end_of_are_never_unfinished(
    tmp_path: Path, lang: str, unfinished: str
) -> None:
    # Every item was left suspended by taking up the next one, as a secretariat often does.
    text = run_cli("export", str(_log(tmp_path, lang)), "--format", "md", "-o", "-", "--lang", lang)
    # The meeting was opened and adopted its agenda, and the report says so; the adoption of
    # the report and the close are said in the closing sentences.
    for item in ("2", "2(a)", "2(c)", "3", "4"):
        assert unfinished.format(item) not in text, item
    # An election, a general discussion and a substantive item can be left unfinished.
    for item in ("2(b)", "2(d)", "1"):
        assert unfinished.format(item) in text, item


def test_the_minutes_leave_no_discussion_to_continue_on_the_opening(tmp_path: Path) -> None:
    text = run_cli(
        "export", str(_log(tmp_path, "en")), "--format", "md", "-o", "-", "--style", "minutes"
    )
    parts = re.split(r"\n#+ ", text)[1:]
    items = {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts}
    for title in (
        "2(a) Opening of the session",
        "2(c) Adoption of the agenda and organization of work",
        "2 Organizational matters",
    ):
        assert "Discussion to continue." not in items[title], title
    assert "Discussion to continue." in items["2(d) General discussion"]
