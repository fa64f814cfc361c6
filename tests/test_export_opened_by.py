"""Who opened the meeting, as the report's first paragraph says it: the presenters the agenda
gives its opening item, by title; nobody when nothing names them (never who recorded it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Working Group on Technical Assistance"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "Organizational matters"
  [[items.items]]
  title = "{opening}"
  {presenters}
  [[items.items]]
  title = "Adoption of the agenda"
[[items]]
title = "Technical assistance"
presenters = ["Secretariat"]
"""


def _opening(folder: Path, lang: str, opening: str, presenters: str, style: str = "un") -> str:
    """The report of a meeting whose 1st sitting opened at 10.00."""
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA.format(opening=opening, presenters=presenters), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    for command, arg, at in (("sitting", "open", "10:00"), ("open", "1(a)", "10:01")):
        run_cli(command, arg, "--at", f"2026-07-01 {at}", "--log", str(log), "--actor", "ana")
    return run_cli(
        "export",
        str(log),
        "--format",
        "md",
        "-o",
        "-",
        "--lang",
        lang,
        "--style",
        style,
    )


def _first(text: str) -> str:
    return text.split("\n1\\. ", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(
    ("lang", "opening", "presenters", "said"),
    [
        (
            "en",
            "Opening of the session",
            'presenters = ["Ms. Ana Ruiz, Chair"]',
            "The meeting was opened on 1 July 2026, at 10 a.m., by Ms. Ana Ruiz, Chair.",
        ),
        (
            "en",
            "Opening by the President and adoption of the agenda",
            'presenters = ["President of the Conference"]',
            "The meeting was opened on 1 July 2026, at 10 a.m.,"
            " by the President of the Conference.",
        ),
        (
            "fr",
            "Ouverture de la session",
            'presenters = ["Mme Ana Ruiz, Présidente"]',
            "La réunion a été ouverte à la 1re séance, le 1er juillet 2026, à 10 heures,"
            " par Mme Ana Ruiz, Présidente.",
        ),
        (
            "fr",
            "Ouverture de la session",
            'presenters = ["Présidente de la Conférence"]',
            "La réunion a été ouverte à la 1re séance, le 1er juillet 2026, à 10 heures,"
            " par la Présidente de la Conférence.",
        ),
    ],
)
def test_the_opening_items_presenters_opened_the_meeting(
    tmp_path: Path, lang: str, opening: str, presenters: str, said: str
) -> None:
    text = _opening(tmp_path, lang, opening, presenters)
    assert _first(text) == said
    # Said once: the opening item's presenters are not also "introducing" it.
    assert text.count(presenters.split('"')[1]) == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The meeting was opened on 1 July 2026, at 10 a.m."),
        ("fr", "La réunion a été ouverte à la 1re séance, le 1er juillet 2026, à 10 heures."),
    ],
)
def test_nobody_is_named_when_nothing_names_them(tmp_path: Path, lang: str, said: str) -> None:
    # "ana" recorded the opening: she is a secretariat officer, not who opened the meeting.
    assert _first(_opening(tmp_path, lang, "Opening of the session", "")) == said


def test_presenters_of_another_item_open_nothing(tmp_path: Path) -> None:
    # A substantive item's presenters introduce it; the meeting's opener is still unnamed.
    presenters = 'presenters = ["Ms. Ana Ruiz, Chair"]'
    text = _opening(tmp_path, "en", "General discussion", presenters)
    assert _first(text) == "The meeting was opened on 1 July 2026, at 10 a.m."
    assert "The item was introduced by Ms. Ana Ruiz, Chair." in text


@pytest.mark.parametrize(
    ("lang", "header"),
    [
        ("en", "**Opened at:** 10:00\\\n**Opened by:** Ms. Ana Ruiz, Chair\n"),
        ("fr", "**Ouverture :** 10 h 00\\\n**Ouverte par :** Mme Ana Ruiz, Présidente\n"),
    ],
)
def test_the_minutes_name_who_opened_the_meeting(tmp_path: Path, lang: str, header: str) -> None:
    # The same source as the report's: the opening item's presenters, in the header, once.
    presenters = 'presenters = ["Ms. Ana Ruiz, Chair"]'
    text = _opening(tmp_path, lang, "Opening of the session", presenters, style="minutes")
    assert header in text
    assert text.count("Ana Ruiz") == 1


def test_the_minutes_name_nobody_when_nothing_names_them(tmp_path: Path) -> None:
    text = _opening(tmp_path, "en", "Opening of the session", "", style="minutes")
    assert "**Opened at:** 10:00\n" in text
    assert "Opened by" not in text


# Who opened the meeting, as the agenda names them, and as the report says it after by/par.
OPENED_BY = [
    # An office in another language than the report's is said in the report's, never
    # glued to its words ("par President of the Conference").
    # Nothing says the holder's gender ("Chair", "Председатель"): the neutral form of UN
    # French, never the masculine by default; the words' own gender where they give it.
    ("fr", "President of the Conference", "par la présidence (President of the Conference)."),
    ("fr", "Chair", "par la présidence."),
    ("fr", "Председатель", "par la présidence."),
    ("fr", "Заместитель Председателя", "par la vice-présidence."),
    ("fr", "Chairman", "par le Président."),
    ("fr", "Chairwoman", "par la Présidente."),
    ("fr", "Co-Chairs", "par la coprésidence."),
    ("fr", "Presidenta", "par la Présidente."),
    ("en", "Председатель", "by the Chair."),
    ("en", "Présidente de la Conférence", "by the Chair (Présidente de la Conférence)."),
    ("en", "Заместитель Председателя", "by the Vice-Chair."),
    # In its own language, as written with its article; a person as written.
    ("fr", "Rapporteuse", "par la Rapporteuse."),
    ("en", "Rapporteur", "by the Rapporteur."),
    # A person's courtesy title and office in the report's language too, never « par
    # Ms. Ana Ruiz, Chair »; the feminine where the courtesy title says it.
    ("fr", "Ms. Ana Ruiz, Chair", "par Mme Ana Ruiz, Présidente."),
    (
        "fr",
        "Mr. John Smith, Chair of the Conference",
        "par M. John Smith, Président (Chair of the Conference).",
    ),
    ("fr", "г-н Иванов, Председатель", "par M. Иванов, Président."),
    ("fr", "Ms. Ana Ruiz", "par Mme Ana Ruiz."),
    ("fr", "Mme Ana Ruiz, Rapporteuse", "par Mme Ana Ruiz, Rapporteuse."),
    ("en", "Mme Ana Ruiz, Présidente", "by Ms. Ana Ruiz, Chair."),
    ("en", "M. Jean Dupont, Secrétaire exécutif", "by Mr. Jean Dupont, Executive Secretary."),
    ("en", "г-жа Иванова, Председатель", "by Ms. Иванова, Chair."),
    ("en", "Mrs. Ana Ruiz, Vice-Chair", "by Mrs. Ana Ruiz, Vice-Chair."),
    # Other titles are part of the name, as written.
    ("fr", "Dr. Ana Ruiz", "par Dr. Ana Ruiz."),
]


@pytest.mark.parametrize(("lang", "presenters", "by"), OPENED_BY)
def test_an_office_is_said_in_the_reports_language(
    tmp_path: Path, lang: str, presenters: str, by: str
) -> None:
    text = _opening(tmp_path, lang, "Opening of the session", f'presenters = ["{presenters}"]')
    assert _first(text).endswith(f", {by}")


@pytest.mark.parametrize(("lang", "presenters", "by"), OPENED_BY)
def test_the_minutes_say_who_opened_the_meeting_as_the_report_does(
    tmp_path: Path, lang: str, presenters: str, by: str
) -> None:
    """One wording of offices and courtesy titles for both styles (presenters/<lang>.j2): the
    minutes' header never « Ouverte par : Ms. Ana Ruiz, Chair » in a French report."""
    presenters = f'presenters = ["{presenters}"]'
    text = _opening(tmp_path, lang, "Opening of the session", presenters, style="minutes")
    label = "**Opened by:**" if lang == "en" else "**Ouverte par :**"
    said = by.split(" ", 1)[1].removesuffix(".")
    assert f"{label} {said}\n" in text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The item was introduced by the Secretariat."),
        ("fr", "Le point a été présenté par le Secrétariat."),
    ],
)
@pytest.mark.parametrize("secretariat", ["Secretariat", "Secrétariat", "Секретариат"])
def test_an_item_introduced_by_an_office_in_any_language(
    tmp_path: Path, lang: str, said: str, secretariat: str
) -> None:
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    text = AGENDA.format(opening="Opening of the session", presenters="")
    agenda.write_text(text.replace('"Secretariat"', f'"{secretariat}"'), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "2", "--at", "2026-07-01 10:00", "--log", str(log))
    assert said in run_cli("export", str(log), "--format", "md", "-o", "-", "--lang", lang)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "Introduced by the Secretariat."), ("fr", "Présenté par le Secrétariat.")],
)
@pytest.mark.parametrize("secretariat", ["Secretariat", "Secrétariat", "Секретариат"])
def test_the_minutes_say_who_introduced_an_item_in_their_language(
    tmp_path: Path, lang: str, said: str, secretariat: str
) -> None:
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    text = AGENDA.format(opening="Opening of the session", presenters="")
    agenda.write_text(text.replace('"Secretariat"', f'"{secretariat}"'), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "2", "--at", "2026-07-01 10:00", "--log", str(log))
    export = ("export", str(log), "--format", "md", "-o", "-", "--lang", lang, "--style", "minutes")
    assert said in run_cli(*export)
