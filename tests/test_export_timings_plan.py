"""The timings annex says plainly when nothing was planned: no dash standing for "no plan"."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Working Group on Technical Assistance"
dates = [2020-11-19]
timezone = "Europe/Vienna"

[[items]]
title = "Opening of the meeting"
{minutes}
[[items]]
title = "Technical assistance"
"""


def _timings(folder: Path, minutes: str, *options: str) -> str:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA.format(minutes=minutes), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    for command, at in (("open", "10:00"), ("next", "10:20"), ("close", "10:50")):
        item = ["1"] if command == "open" else ["2"] if command == "close" else []
        run_cli(command, *item, "--at", f"2020-11-19 {at}", "--log", str(log))
    text = run_cli("export", str(log), "--format", "md", "-o", "-", *options)
    # The table of items: from its head to the blank line after it.
    start = text.index("| " + ("Point" if "--lang" in options and "fr" in options else "Item"))
    return text[start : text.index("\n\n", start)]


@pytest.mark.parametrize("style", ["un", "minutes"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_plan_leaves_the_planned_columns_out(tmp_path: Path, style: str, lang: str) -> None:
    table = _timings(tmp_path, "", "--style", style, "--lang", lang)
    head = {"en": "| Item | Title | Used |", "fr": "| Point | Titre | Utilisé |"}
    assert head[lang] in table
    assert "| 1 | Opening of the meeting | 0:20:00 |" in table
    assert "–" not in table


@pytest.mark.parametrize("style", ["un", "minutes"])
@pytest.mark.parametrize(("lang", "word"), [("en", "not planned"), ("fr", "non prévu")])
def test_an_item_without_a_plan_says_so(tmp_path: Path, style: str, lang: str, word: str) -> None:
    table = _timings(tmp_path, "minutes = 15", "--style", style, "--lang", lang)
    assert "| 1 | Opening of the meeting | 0:15:00 | 0:20:00 | +0:05:00 |" in table
    assert f"| 2 | Technical assistance | {word} | 0:30:00 |   |" in table
    assert "–" not in table


def test_the_bars_chart_gives_the_time_used_alone_without_a_plan(tmp_path: Path) -> None:
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    agenda.write_text(AGENDA.format(minutes="minutes = 15"), "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1", "--at", "2020-11-19 10:00", "--log", str(log))
    run_cli("next", "--at", "2020-11-19 10:20", "--log", str(log))
    run_cli("close", "2", "--at", "2020-11-19 10:50", "--log", str(log))
    page = run_cli("export", str(log), "--format", "html", "-o", "-")
    assert ">20:00 / 15:00</text>" in page
    assert ">30:00</text>" in page and " / –" not in page
