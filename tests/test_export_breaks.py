"""A break in the agenda ("Coffee break", "Lunch", "Pause-café") is no item a report reports on:
no chapter, no section, no heading in the minutes, no line in the agenda reproduced; its time
still counts in the timings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sessiontui.exporters.model import organizational_part

from .conftest import DAY_AGENDA, ROOT, day_log, run_cli

AGENDA = (
    DAY_AGENDA
    + """\
[[items]]
kind = "break"
title = "{coffee}"
[[items]]
number = "3"
title = "{lunch}"
[[items]]
number = "4"
title = "Closure of the meeting"
"""
)

TITLES = {
    "en": {"coffee": "Coffee break", "lunch": "Lunch"},
    "fr": {"coffee": "Pause-café", "lunch": "Déjeuner"},
}


def _log(folder: Path, lang: str) -> Path:
    """Both breaks taken up and closed during the 1st meeting: 15 and 60 minutes."""
    coffee = "pausecafé" if lang == "fr" else "coffeebreak"
    return day_log(
        folder,
        AGENDA.format(**TITLES[lang]),
        ("sitting", "open", "10:00"),
        ("open", "1", "10:00"),
        ("open", "2", "10:10"),
        ("open", coffee, "11:00"),
        ("close", coffee, "11:15"),
        ("open", "3", "13:00"),
        ("close", "3", "14:00"),
        ("open", "2", "14:00"),
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("style", ["un", "minutes"])
def test_a_break_has_no_chapter_and_its_time_still_counts(
    tmp_path: Path, lang: str, style: str
) -> None:
    log = _log(tmp_path, lang)
    text = run_cli(
        "export", str(log), "--format", "md", "-o", "-", "--lang", lang, "--style", style
    )
    headings = re.findall(r"^#+ (.*)$", text, re.M)
    for title in TITLES[lang].values():
        assert not any(title in heading for heading in headings), (title, headings)
        assert f"“{title}”" not in text and f"« {title} »" not in text
    # The substantive item keeps its chapter; the breaks keep their rows in the timings.
    assert any(heading.endswith("General discussion") for heading in headings), headings
    rows = {row.split("|")[2].strip(): row for row in text.splitlines() if row.count("|") >= 4}
    assert "0:15:00" in rows[TITLES[lang]["coffee"]]
    assert "1:00:00" in rows[TITLES[lang]["lunch"]]


@pytest.mark.parametrize(
    "title",
    [
        "Coffee break",
        "Lunch",
        "Lunch break",
        "Break",
        "Coffee break (30 minutes)",
        "Pause",
        "Pause-café",
        "Pause déjeuner",
        "Déjeuner",
        "Перерыв на обед",
        "Кофе-брейк",
    ],
)
def test_breaks_are_known_by_their_titles(title: str) -> None:
    assert organizational_part(title) == "break"


@pytest.mark.parametrize(
    "title",
    [
        "Breaking the cycle of corruption",
        "Lunchtime briefing on asset recovery",
        "Break-out groups on technical assistance",
        "Pause in the review cycle and its consequences",
        "General discussion",
    ],
)
def test_items_that_only_begin_like_a_break_are_items(title: str) -> None:
    assert organizational_part(title) == ""


def _agenda_entries(fmt: str, data: bytes) -> list[str]:
    """The agenda the report reproduces under "Adoption of the agenda", entry by entry."""
    lead = re.compile("the following agenda|l’ordre du jour suivant")
    if fmt in ("md", "html"):
        text = data.decode()
        found = lead.search(text)
        assert found is not None, "no agenda reproduced"
        after = text[found.end() :]
        if fmt == "md":
            listed = after.split("\n\n")[1]
            return [line.removeprefix("- ").strip() for line in listed.splitlines()]
        listed = after[: after.index("</ul>")]
        entries = re.findall(r"<li[^>]*>(.*?)</li>", listed)
        return [" ".join(re.sub("<[^>]+>", " ", entry).split()) for entry in entries]
    import io

    import docx

    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    return [
        " ".join(p.text.split()) for p in paragraphs if p.style and p.style.name == "Agenda list"
    ]


@pytest.mark.parametrize("amended", [False, True])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_agenda_reproduced_leaves_a_break_of_the_programme_out(
    tmp_path: Path, fmt: str, lang: str, amended: bool
) -> None:
    """The agenda as adopted lists the agenda's items, not the programme's breaks, numbered
    ("3 Lunch") or not ("Coffee break"), alike; the items keep their numbers, as the chapters
    refer to them. As orally amended, the agenda is rebuilt from the amendments: the breaks
    stay out all the same."""
    log = _log(tmp_path, lang)
    if amended:
        run_cli(
            *("amend", "retitle", "2", "--title", "General debate"),
            *("--at", "2020-11-19 14:05", "--log", str(log), "--actor", "ana"),
        )
    target = tmp_path / f"report.{fmt}"
    run_cli("export", str(log), "-o", str(target), "--lang", lang)
    entries = _agenda_entries(fmt, target.read_bytes())
    second = "General debate" if amended else "General discussion"
    assert entries == [
        "1 Opening of the meeting and adoption of the agenda",
        f"2 {second}",
        "4 Closure of the meeting",
    ]


def test_a_break_renamed_after_the_agenda_was_adopted_is_no_amendment(tmp_path: Path) -> None:
    """The agenda amended at the 2nd meeting: the breaks renamed in the programme are not
    told among the amendments ("item , entitled “Coffee break”, was retitled"); an item is."""
    log = _log(tmp_path, "en")
    for *command, at in (
        ("sitting", "close", "14:30"),
        ("sitting", "open", "15:00"),
        ("amend", "retitle", "coffeebreak", "--title", "Tea break", "15:05"),
        ("amend", "retitle", "4", "--title", "Closure of the session", "15:06"),
        ("amend", "retitle", "3", "--title", "Lunch break", "15:07"),  # numbered, a break still
    ):
        run_cli(*command, "--at", f"2020-11-19 {at}", "--log", str(log), "--actor", "ana")
    text = run_cli("export", str(log), "--format", "md", "-o", "-")
    assert "At its 2nd meeting, on 19 November 2020, the meeting amended the agenda:" in text
    assert "“Closure of the meeting”, was retitled “Closure of the session”" in text
    assert "Coffee break”, was" not in text and "Tea break”" not in text and "item ," not in text
    assert "“Lunch”, was" not in text and "Lunch break”" not in text


def test_the_record_names_a_break_by_its_title(tmp_path: Path) -> None:
    """A break has no number: the record and a refusal name it by its title, in quotes, not by
    an empty label ("took up ", "refused:  was already taken up")."""
    from click.testing import CliRunner

    from sessiontui.cli import cli

    log = str(tmp_path / "s.jsonl")
    run_cli("init", str(ROOT / "agendas" / "example-two-day-meeting.toml"), "--log", log)
    run_cli("sitting", "open", "--log", log, "--actor", "ana")
    taken = run_cli("open", "coffeebreak", "--log", log, "--actor", "ana")
    assert taken.splitlines()[-1] == "#2 ana took up “Coffee break”"
    refused = CliRunner().invoke(cli, ["amend", "delete", "coffeebreak", "--log", log])
    assert refused.exit_code == 1
    assert "refused: “Coffee break” was already taken up" in refused.stderr
