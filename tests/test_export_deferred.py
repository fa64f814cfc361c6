"""An item taken up and then deferred: the report says so, at the meeting that deferred it."""

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
[[items.items]]
title = "Training"
[[items.items]]
title = "Equipment"
[[items]]
title = "Other matters"
"""


def _log(folder: Path, steps: list[tuple[str, str, str]]) -> Path:
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    for command, arg, at in steps:
        run_cli(command, arg, "--at", at, "--log", str(log), "--force")
    return log


def _export(log: Path, *options: str) -> str:
    return run_cli("export", str(log), "--format", "md", "-o", "-", *options)


def _section(text: str, title: str) -> str:
    """The chapter of a top-level item (its last heading: the agenda lists it before), up to its
    first sub-item or the next chapter."""
    return text.rsplit(f" {title}\n", 1)[1].split("\n#", 1)[0]


def test_an_item_deferred_on_the_floor_says_so(tmp_path: Path) -> None:
    log = _log(
        tmp_path,
        [
            ("sitting", "open", "2026-07-01 10:00"),
            ("open", "3", "2026-07-01 10:05"),
            ("defer", "3", "2026-07-01 10:30"),
            ("sitting", "close", "2026-07-01 18:00"),
            ("sitting", "open", "2026-07-02 10:00"),
        ],
    )
    en = _section(_export(log), "Other matters")
    assert "At its 1st meeting, on 1 July 2026, the meeting considered agenda item 3" in en
    assert (
        "At its 1st meeting, on 1 July 2026, the meeting deferred further consideration"
        " of agenda item 3." in en
    )
    fr = _section(_export(log, "--lang", "fr"), "Other matters")
    assert "la réunion a reporté la suite de l’examen du point 3 de l’ordre du jour." in fr
    minutes = _section(_export(log, "--style", "minutes"), "Other matters")
    assert "Deferred to a later meeting." in minutes


def test_a_parent_deferred_after_its_sub_items_says_so(tmp_path: Path) -> None:
    log = _log(
        tmp_path,
        [
            ("sitting", "open", "2026-07-01 10:00"),
            ("open", "2a", "2026-07-01 10:05"),
            ("close", "2a", "2026-07-01 10:30"),
            ("open", "2b", "2026-07-01 10:31"),
            ("defer", "2", "2026-07-01 11:00"),
        ],
    )
    text = _export(log)
    chapter = _section(text, "Technical assistance")
    assert "the meeting deferred further consideration of agenda item 2." in chapter


@pytest.mark.parametrize("between", [True, False])
def test_a_deferral_between_meetings_names_no_meeting(tmp_path: Path, between: bool) -> None:
    steps = [
        ("sitting", "open", "2026-07-01 10:00"),
        ("open", "3", "2026-07-01 10:05"),
        ("suspend", "3", "2026-07-01 10:30"),
        ("sitting", "close", "2026-07-01 18:00"),
    ]
    if not between:
        steps.append(("sitting", "open", "2026-07-02 10:00"))
    steps.append(("defer", "3", "2026-07-02 11:00"))
    en = _section(_export(_log(tmp_path, steps)), "Other matters")
    said = "the meeting deferred further consideration of agenda item 3."
    if between:
        assert "\\. The meeting deferred further consideration of agenda item 3." in en
    else:
        assert f"At its 2nd meeting, on 2 July 2026, {said}" in en
