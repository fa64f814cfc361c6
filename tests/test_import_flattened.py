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


def test_a_job_number_first_and_the_masthead_last_are_the_preamble_s() -> None:
    # a document site's text of a first page: the job number first, the masthead after the
    # agenda, all on one line
    flat = (
        "GE.25-04321(E) Subsidiary Body for Examples Sixty-second session Bonn, 16-26 June 2025 "
        "Provisional agenda and annotations Note by the Executive Secretary I. Provisional "
        "agenda 1. Opening of the session. 2. Organizational matters: (a) Adoption of the "
        "agenda; (b) Organization of the work of the session. 3. Reporting from Parties. "
        "4. Closure of and report on the session. United Nations FCCC/SBE/2025/1 Distr.: "
        "General 3 April 2025 Original: English"
    )
    spec = import_bytes(flat.encode(), "flat.txt").spec
    assert spec.meeting.title == "Subsidiary Body for Examples"
    assert spec.meeting.symbol == "FCCC/SBE/2025/1"
    assert spec.items[-1].title == "Closure of and report on the session"
    assert spec.items[-1].annotation is None
