"""An agenda flattened into one line by PDF extraction is put back on lines, then read."""

from __future__ import annotations

import datetime as dt
import time

from sessiontui.importers import import_bytes
from sessiontui.importers.flattened import unflatten

FLAT = (
    "United Nations X/Y/2026/1 Economic and Social Council Distr.: General 1 December 2025 "
    "Original: English Commission on Examples Ninth session Geneva, 3-5 March 2026 Provisional "
    "agenda 1. Election of officers. 2. Organizational matters: (a) Adoption of the agenda; "
    "(b) Organization of work. 3. General debate. 4. Adoption of the report. 25-01234 (E)"
)


def test_a_flattened_agenda_is_read_item_by_item() -> None:
    result = import_bytes(FLAT.encode(), "flat.txt")
    spec = result.spec
    assert [(i.number, i.title) for i in spec.items] == [
        ("1.", "Election of officers"),
        ("2.", "Organizational matters"),
        ("3.", "General debate"),
        ("4.", "Adoption of the report"),
    ]
    assert [i.title for i in spec.items[1].items] == [
        "Adoption of the agenda",
        "Organization of work",
    ]
    assert spec.meeting.title == "Commission on Examples"
    assert spec.meeting.dates[0] == dt.date(2026, 3, 3)
    assert spec.meeting.venue == "Geneva"


def test_ordinary_lines_are_left_alone() -> None:
    text = "Agenda\n1. Opening\n2. Close\n" + "A long paragraph. " * 30
    assert unflatten(text) == text


def test_a_hostile_line_of_numbers_stays_cheap() -> None:
    line = "1. A " * 4000
    started = time.perf_counter()
    unflatten("\n".join([line] * 20))
    assert time.perf_counter() - started < 5
