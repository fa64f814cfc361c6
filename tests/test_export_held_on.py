"""When the report says the meeting was held: the days its sittings sat, in words as a UN report
writes them, the agenda's days only before any sitting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from sessiontui.exporters.model import occasion
from sessiontui.exporters.templating import _environment

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Working Group on Technical Assistance"
venue = "Vienna"
dates = {dates}
timezone = "Europe/Vienna"

[[items]]
title = "Opening of the meeting"
[[items]]
title = "Technical assistance"
"""


def _log(folder: Path, dates: str, sittings: list[tuple[str, str]]) -> Path:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA.format(dates=dates), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    for opened, closed in sittings:
        for action, at in (("open", opened), ("close", closed)):
            run_cli("sitting", action, "--at", at, "--log", str(log), "--force")
    return log


def _title(log: Path, *options: str) -> str:
    text = run_cli("export", str(log), "--format", "md", "-o", "-", *options)
    return text.split("\n# ", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(
    ("lang", "held"),
    [("en", "held in Vienna on 23 and 24 November 2020"), ("fr", "tenue à Vienne les 23 et 24")],
)
def test_the_title_says_the_days_the_sittings_sat(tmp_path: Path, lang: str, held: str) -> None:
    # The agenda planned the 19th and 20th; the meeting sat on the 23rd and 24th.
    sittings = [("2020-11-23 10:00", "2020-11-23 13:00"), ("2020-11-24 10:00", "2020-11-24 13:00")]
    log = _log(tmp_path, "[2020-11-19, 2020-11-20]", sittings)
    title = _title(log, "--lang", lang)
    assert held in title
    assert "19" not in title
    minutes = run_cli("export", str(log), "--format", "md", "-o", "-", "--style", "minutes")
    assert "**Date:** 23 and 24 November 2020" in minutes


@pytest.mark.parametrize(
    ("lang", "held"),
    [
        ("en", "held in Vienna from 30 November to 2 December 2020"),
        ("fr", "tenue à Vienne du 30 novembre au 2 décembre 2020"),
    ],
)
def test_before_any_sitting_the_agenda_gives_the_days(tmp_path: Path, lang: str, held: str) -> None:
    # Two dates in the agenda are its first and last day: a range, not two days.
    log = _log(tmp_path, "[2020-11-30, 2020-12-02]", [])
    assert _title(log, "--lang", lang).endswith(held)


def _days(*spans: tuple[dt.date, int]) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for first, length in spans for n in range(length)]


@pytest.mark.parametrize(
    ("days", "en", "fr"),
    [
        (_days((dt.date(2020, 9, 4), 1)), "on 4 September 2020", "le 4 septembre 2020"),
        (
            _days((dt.date(2020, 11, 19), 2)),
            "on 19 and 20 November 2020",
            "les 19 et 20 novembre 2020",
        ),
        (
            _days((dt.date(2009, 11, 9), 5)),
            "from 9 to 13 November 2009",
            "du 9 au 13 novembre 2009",
        ),
        (
            _days((dt.date(2020, 11, 30), 3)),
            "from 30 November to 2 December 2020",
            "du 30 novembre au 2 décembre 2020",
        ),
        (
            _days((dt.date(2020, 11, 30), 2)),
            "on 30 November and 1 December 2020",
            "les 30 novembre et 1er décembre 2020",
        ),
        (
            _days((dt.date(2020, 12, 30), 4)),
            "from 30 December 2020 to 2 January 2021",
            "du 30 décembre 2020 au 2 janvier 2021",
        ),
        (
            _days((dt.date(2021, 6, 2), 1), (dt.date(2021, 6, 4), 2)),
            "on 2, 4 and 5 June 2021",
            "les 2, 4 et 5 juin 2021",
        ),
    ],
)
def test_the_days_held_in_words(days: list[dt.date], en: str, fr: str) -> None:
    for lang, said in (("en", en), ("fr", fr)):
        phrases = _environment("un", None).get_template(f"phrases/{lang}.j2").module
        r = SimpleNamespace(title="Meeting", venue="", held_on=days, occasion=occasion("Meeting"))
        title = str(getattr(phrases, "report_title")(r))  # noqa: B009 - a template's macro
        assert title.strip().endswith(said), title


@pytest.mark.parametrize(
    ("lang", "three", "two"),
    [
        (
            "en",
            "At its 1st, 3rd and 4th meetings, on 19, 21 and 22 November 2020,",
            "At its 1st and 3rd meetings, on 19 and 21 November 2020,",
        ),
        (
            "fr",
            "À ses 1re, 3e et 4e séances, les 19, 21 et 22 novembre 2020,",
            "À ses 1re et 3e séances, les 19 et 21 novembre 2020,",
        ),
    ],
)
def test_an_items_days_are_a_range_only_where_it_sat_each_day(
    tmp_path: Path, lang: str, three: str, two: str
) -> None:
    # The meeting sat four days in a row; item 2 was not considered on the 20th, item 1 neither
    # on the 20th nor on the 22nd: each item's own days, never the meeting's range.
    log = _log(tmp_path, "[2020-11-19, 2020-11-22]", [])
    for day, items in ((19, "12"), (20, ""), (21, "12"), (22, "2")):
        at = f"2020-11-{day} "
        run_cli("sitting", "open", "--at", at + "10:00", "--log", str(log), "--force")
        for n, item in enumerate(items):
            run_cli("open", item, "--at", f"{at}1{n + 1}:00", "--log", str(log), "--force")
        run_cli("sitting", "close", "--at", at + "13:00", "--log", str(log), "--force")
    text = run_cli("export", str(log), "--format", "md", "-o", "-", "--lang", lang)
    assert three in text
    assert two in text
    assert "19–" not in text and "–22" not in text


@pytest.mark.parametrize(
    ("lang", "venue", "held"),
    [
        ("en", "Sharm el-Sheikh, Egypt", "held in Sharm el-Sheikh, Egypt, on 4 September 2020"),
        ("en", "Vienna", "held in Vienna on 4 September 2020"),
        ("fr", "Charm el-Cheikh, Égypte", "tenue à Charm el-Cheikh, Égypte, le 4 septembre 2020"),
    ],
)
def test_a_place_with_its_country_closes_with_a_comma(lang: str, venue: str, held: str) -> None:
    phrases = _environment("un", None).get_template(f"phrases/{lang}.j2").module
    r = SimpleNamespace(
        title="Meeting", venue=venue, held_on=[dt.date(2020, 9, 4)], occasion=occasion("Meeting")
    )
    title = str(getattr(phrases, "report_title")(r))  # noqa: B009 - a template's macro
    assert title.strip().endswith(held), title


@pytest.mark.parametrize(
    ("venue", "held"),
    [
        ("Vienna", "tenue à Vienne le 4 septembre 2020"),
        ("Geneva", "tenue à Genève le 4 septembre 2020"),
        ("New York", "tenue à New York le 4 septembre 2020"),
        # A place the French phrases do not name is said as the agenda typed it.
        ("Montreux", "tenue à Montreux le 4 septembre 2020"),
        ("Vienna, Austria", "tenue à Vienna, Austria, le 4 septembre 2020"),
    ],
)
def test_a_french_report_names_the_un_cities_in_french(venue: str, held: str) -> None:
    phrases = _environment("un", None).get_template("phrases/fr.j2").module
    r = SimpleNamespace(
        title="Réunion", venue=venue, held_on=[dt.date(2020, 9, 4)], occasion=occasion("Réunion")
    )
    title = str(getattr(phrases, "report_title")(r))  # noqa: B009 - a template's macro
    assert title.strip().endswith(held), title


def test_french_minutes_name_the_place_as_the_report_does(tmp_path: Path) -> None:
    log = _log(tmp_path, "[2020-11-19]", [("2020-11-19 10:00", "2020-11-19 13:00")])
    export = ("export", str(log), "--format", "md", "-o", "-", "--style", "minutes")
    assert "**Lieu :** Vienne" in run_cli(*export, "--lang", "fr")
    assert "**Place:** Vienna" in run_cli(*export)
