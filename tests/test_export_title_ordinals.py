"""The report's title names a session as running text does, however far a body has come: "on
its thirty-third session", « sur les travaux de sa trente-troisième session », never "on its
Thirty-third session"; and a title that gives a theme after the body's name reads as a UN report
does: "Report of the Commission on Narcotic Drugs on its sixty-seventh session", the theme
under it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from sessiontui.exporters.model import occasion
from sessiontui.exporters.templating import _environment

from .conftest import run_cli

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth",
              "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}  # fmt: skip


def _cardinal(n: int) -> str:
    if n >= 100:
        rest = n % 100
        return f"{_UNITS[n // 100]} hundred" + (f" and {_cardinal(rest)}" if rest else "")
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + (f"-{_UNITS[n % 10]}" if n % 10 else "")


def _ordinal(n: int) -> str:
    """199 -> "one hundred and ninety-ninth", as English writes a session's number."""
    words = _cardinal(n)
    head, sep, last = words.rpartition(" " if "-" not in words.split(" ")[-1] else "-")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def _phrases(lang: str) -> object:
    return _environment("un", None).get_template(f"phrases/{lang}.j2").module


def _title(lang: str, title: str, subtitle: str = "", body: str = "") -> str:
    r = SimpleNamespace(title=title, venue="", held_on=[], occasion=occasion(title, subtitle, body))
    return str(getattr(_phrases(lang), "report_title")(r)).strip()  # noqa: B009 - a macro


def test_the_spelling_of_the_ordinals_this_test_uses() -> None:
    assert [_ordinal(n) for n in (1, 12, 20, 33, 67, 100, 101, 199)] == [
        "first", "twelfth", "twentieth", "thirty-third", "sixty-seventh", "one hundredth",
        "one hundred and first", "one hundred and ninety-ninth",
    ]  # fmt: skip


@pytest.mark.parametrize("n", range(1, 200))
def test_every_session_a_body_can_have_is_lower_case_in_the_title(n: int) -> None:
    written = _ordinal(n)
    session = f"{written[:1].upper()}{written[1:]} session"
    assert _title("en", "Commission on Narcotic Drugs", session) == (
        f"Report of the Commission on Narcotic Drugs on its {written} session"
    )
    assert (
        _title("en", f"{session} of the Board") == f"Report of the Board on its {written} session"
    )


@pytest.mark.parametrize(
    ("title", "subtitle", "reads"),
    [
        ("Board", "33rd session", "Report of the Board on its 33rd session"),
        ("Board", "Resumed Seventy-ninth session", "Report of the Board on its resumed seventy-ninth session"),
        (
            "One Hundred and Ninety-Ninth meeting of the Executive Board",
            "",
            "Report on the one hundred and ninety-ninth meeting of the Executive Board",
        ),
        # Only what names the occasion is lowered: the body's name is as written.
        ("Fifteenth Meeting of the Parties", "", "Report on the fifteenth meeting of the Parties"),
    ],
)  # fmt: skip
def test_titles_lower_only_the_occasion(title: str, subtitle: str, reads: str) -> None:
    assert _title("en", title, subtitle) == reads


@pytest.mark.parametrize(
    ("title", "subtitle", "reads"),
    [
        (
            "Commission pour la prévention du crime et la justice pénale",
            "Trente-troisième session",
            "Rapport de la Commission pour la prévention du crime et la justice pénale sur les"
            " travaux de sa trente-troisième session",
        ),
        (
            "Commission des stupéfiants",
            "Soixante-septième session",
            "Rapport de la Commission des stupéfiants sur les travaux de sa soixante-septième session",
        ),
        (
            "Conseil",
            "Cent quatre-vingt-dix-neuvième session",
            "Rapport du Conseil sur les travaux de sa cent quatre-vingt-dix-neuvième session",
        ),
        (
            "Conseil",
            "Vingt et unième session",
            "Rapport du Conseil sur les travaux de sa vingt et unième session",
        ),
        ("Conseil", "33e session", "Rapport du Conseil sur les travaux de sa 33e session"),
        # An English session is not French for its figures: quoted as it is.
        ("Board", "33rd session", "Rapport sur la réunion : Board"),
    ],
)
def test_french_titles_lower_every_ordinal(title: str, subtitle: str, reads: str) -> None:
    assert _title("fr", title, subtitle) == reads


def test_a_title_with_a_theme_reads_as_a_un_report(tmp_path: Path) -> None:
    # E/2024/28-E/CN.7/2024/15: "Report on the sixty-seventh session"; the report of the body
    # on its session, never "Report of the Commission …: high-level segment … on its …".
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    agenda.write_text(
        '[meeting]\ntitle = "Sixty-seventh session of the Commission on Narcotic Drugs:'
        ' high-level segment and general debate"\nvenue = "Vienna"\ndates = [2024-03-14]\n'
        'timezone = "Europe/Vienna"\n\n[[items]]\ntitle = "Opening of the session"\n',
        "utf-8",
    )
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1", "--at", "2024-03-14 10:00", "--log", str(log))
    text = run_cli("export", str(log), "--format", "md", "-o", "-")
    title, theme = text.split("\n# ", 1)[1].split("\n\n", 2)[:2]
    assert title == (
        "Report of the Commission on Narcotic Drugs on its sixty-seventh session,"
        " held in Vienna on 14 March 2024"
    )
    assert theme == "High-level segment and general debate"
