"""The meeting's date, time and room read from words, in English, French, Spanish and German."""

from __future__ import annotations

import datetime as dt

import pytest

from sessiontui.importers import import_bytes
from sessiontui.importers.classify import SESSION_RE, parse_dates
from sessiontui.importers.when import find_when


@pytest.mark.parametrize(
    ("text", "date", "start", "venue"),
    [
        ("Tuesday, 10 September 2002, at 3 p.m.", dt.date(2002, 9, 10), "15:00", None),
        (
            "Saturday, 3 Sept 2022, at 9:30 a.m. in Senior Common Room",
            dt.date(2022, 9, 3),
            "09:30",
            "Senior Common Room",
        ),
        ("18 July 2022 (10.00)", dt.date(2022, 7, 18), "10:00", None),
        ("Freitag, 15. März 2024, Beginn 19:30 Uhr", dt.date(2024, 3, 15), "19:30", None),
        (
            "la séance du mardi 14 octobre 2025 à 19 h 00, salle",
            dt.date(2025, 10, 14),
            "19:00",
            None,
        ),
        ("martes, 10 de junio de 2025, a las 10:00 horas", dt.date(2025, 6, 10), "10:00", None),
        ("Monday, January 12, 2026 – 7:00 PM", dt.date(2026, 1, 12), "19:00", None),
        ("Date: 2025-12-03, 09:00 CET", dt.date(2025, 12, 3), "09:00", None),
        ("The Chair will open it at 10 a.m. on 16 June 2025.", dt.date(2025, 6, 16), "10:00", None),
        ("Bonn, 16–26 June 2025", dt.date(2025, 6, 16), None, None),
    ],
)
def test_dates_and_times_in_words(
    text: str, date: dt.date, start: str | None, venue: str | None
) -> None:
    when = find_when(text)
    assert when is not None
    assert when.dates[0] == date
    assert (when.start.hhmm if when.start else None) == start
    assert when.venue == venue


@pytest.mark.parametrize(
    "text", ["A/57/150", "CAC/COSP/2015/1", "2 Reports", "Item 3 (10 min)", "15 March"]
)
def test_no_date_where_none_is_printed(text: str) -> None:
    assert find_when(text) is None


def test_the_meetings_date_not_the_documents() -> None:
    document = (
        "Council of the Realm\n"
        "Brussels, 4 November 2025\n\n"
        "Committee of Wardens\n"
        "5 November 2025 (10.00)\n\n"
        "Agenda\n\n"
        "1. Adoption of the agenda\n"
        "2. Any other business\n"
    )
    result = import_bytes(document.encode(), "wardens.txt")
    assert result.spec.meeting.dates == [dt.date(2025, 11, 5)]
    [sitting] = result.spec.sittings
    assert (sitting.date, sitting.start, sitting.end) == (dt.date(2025, 11, 5), "10:00", None)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("10 a 14 de marzo de 2025", dt.date(2025, 3, 10), dt.date(2025, 3, 14)),
        ("del 10 al 14 de marzo de 2025", dt.date(2025, 3, 10), dt.date(2025, 3, 14)),
        ("19 y 20 de noviembre de 2020", dt.date(2020, 11, 19), dt.date(2020, 11, 20)),
        ("du 14 au 18 juin 2027", dt.date(2027, 6, 14), dt.date(2027, 6, 18)),
        ("vom 3. bis 5. Mai 2027", dt.date(2027, 5, 3), dt.date(2027, 5, 5)),
    ],
)
def test_date_ranges_joined_in_spanish_french_and_german(
    text: str, first: dt.date, last: dt.date
) -> None:
    span = parse_dates(text)
    assert span is not None
    assert (span.dates[0], span.dates[-1]) == (first, last)


def test_a_spanish_provisional_agenda_gives_its_session_dates_and_venue() -> None:
    text = (
        "Comisión de Estupefacientes\n68º período de sesiones\n"
        "Viena, 10 a 14 de marzo de 2025\n\nPrograma provisional\n\n"
        "1.  Elección de la Mesa.\n2.  Debate general.\n3.  Aprobación del informe.\n"
    )
    result = import_bytes(text.encode(), "cnd.txt")
    meeting = result.spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.venue) == (
        "Comisión de Estupefacientes",
        "68º período de sesiones",
        "Viena",
    )
    assert meeting.dates[0] == dt.date(2025, 3, 10)
    assert meeting.dates[-1] == dt.date(2025, 3, 14)
    assert result.doubts == []


@pytest.mark.parametrize(
    "line", ["Dix-huitième session", "68º período de sesiones", "Zwölfte Tagung"]
)
def test_a_session_line_in_french_spanish_and_german(line: str) -> None:
    assert SESSION_RE.match(line)
