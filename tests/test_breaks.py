"""What a break is: one definition (``sessiontui.core.breaks``) for the agenda importer and the
report, in English, French and Russian."""

from __future__ import annotations

import pytest

from sessiontui.core.breaks import is_break_title
from sessiontui.exporters.model import organizational_part
from sessiontui.importers.classify import is_break

BREAKS = [
    "Coffee break",
    "Coffee and tea break",
    "Lunch",
    "Lunch break",
    "Luncheon",
    "Break",
    "Recess",
    "Prayer break",
    "Coffee break (30 minutes)",
    "Lunch break 13:00–15:00",
    "Coffee break, 10.30-10.45 a.m.",
    "Short break 15 min",
    "Reception hosted by the Government of Austria",
    "Pause",
    "Pause-café",
    "Pause déjeuner",
    "Déjeuner",
    "Перерыв на обед",
    "Обеденный перерыв",
    "Кофе-брейк",
]
ITEMS = [
    "Breaking the cycle of corruption",
    "Lunchtime briefing on asset recovery",
    "Break-out groups on technical assistance",
    "Pause in the review cycle and its consequences",
    "Lunch with the Executive Director",
    "Reception of the report of the Committee",
    "General discussion",
]


@pytest.mark.parametrize("title", BREAKS)
def test_a_break_is_one_for_the_importer_and_the_report(title: str) -> None:
    assert is_break_title(title)
    assert is_break(title)
    assert organizational_part(title) == "break"


@pytest.mark.parametrize("title", ITEMS)
def test_a_title_that_only_begins_like_a_break_is_an_item_for_both(title: str) -> None:
    assert not is_break_title(title)
    assert not is_break(title)
    assert organizational_part(title) != "break"


@pytest.mark.parametrize(
    "title",
    [
        "Lunch " + "1 " * 2000 + "x",
        "Lunch " + "12:00 - " * 2000 + "x",
        "Lunch " + "(a) " * 2000 + "x",
    ],
    ids=["numbers", "times", "brackets"],
)
def test_a_long_line_of_details_is_refused_in_one_pass(title: str) -> None:
    # Each detail is taken whole and never given back: without that, a line of 25 numbers took
    # minutes (every way of splitting the spaces between them was tried).
    assert not is_break_title(title)
