"""When and where a meeting is held, read from a line of words: the date, the start time, the room.

Agendas announce their meeting in a sentence as often as on a line of its own: "Tuesday,
10 September 2002, at 3 p.m.", "Saturday, 3 Sept 2022, at 9:30 a.m. in Senior Common Room",
"18 July 2022 (10.00)", "Freitag, 15. März 2024, Beginn 19:30 Uhr", "le mardi 14 octobre 2025 à
19 h 00", "martes, 10 de junio de 2025, a las 10:00 horas". ``find_when`` finds such a date (any
of the forms ``parse_dates`` reads, in English, French, Spanish or German) anywhere in a line,
with the clock time printed next to it and a room introduced by "in".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sessiontui.importers.classify import (
    _CLOCK,
    _DATE_FORMS,
    _WEEKDAY_RE,
    Clock,
    _clock,
    _span,
    squash,
)

_TIME_AFTER_RE = re.compile(
    r"^\s*[,;–—-]?\s*(?:\(\s*)?(?:at|à|a\s+las|a\s+la|um|beginn:?|from|dès|starting\s+at|,)?\s*"
    + _CLOCK.format(1)
    + r"(?P<unit>\s*(?:uhr|horas|heures?|hrs|h(?!\w)))?(?P<zone>\s*(?:utc|gmt|cet|cest|[a-z]{2,4}t)\b)?",
    re.IGNORECASE,
)
# "at 3 p.m. on", "Session commences at 9.30 a.m. (UTC+1) on Wednesday, 31 May 2023" (IMO)
_TIME_BEFORE_RE = re.compile(
    r"(?:\bat|\bà|\ba\s+las)\s+" + _CLOCK.format(1)
    + r"\s*(?:\((?:utc|gmt)\s?(?:[+-]\s?\d{1,2})?\)\s*)?(?:on|le|el|,)?\s*"
    + r"(?:" + _WEEKDAY_RE.pattern + r"\s*)?$",
    re.IGNORECASE,
)  # fmt: skip
_VENUE_RE = re.compile(
    r"^\s*[,)]?\s*(?:in|at)\s+(?:the\s+)?(?P<venue>[A-Z][^,.;()]{2,60}?)\s*(?:[,.;(]|$)"
)
_FRENCH_HOURS_RE = re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})\b")
MAX_WHEN_LINE = 400


@dataclass(frozen=True, slots=True)
class When:
    """A meeting's dates as a line gives them, with the start time and room if it names them."""

    dates: tuple[dt.date, ...]
    start: Clock | None
    venue: str | None
    weekday: bool
    labelled: bool = False  # "Date: 24 June 2024"

    def rank(self) -> tuple[bool, bool, bool]:
        """How surely this is the meeting's date rather than the document's: a time, several
        days, a weekday or a "Date:" label are what a meeting announcement prints and a date
        of issue does not."""
        return (self.start is not None, len(self.dates) > 1, self.weekday or self.labelled)


def find_when(text: str) -> When | None:
    """The first date (with a year) in ``text``, its start time and its room; None if none."""
    if len(text) > MAX_WHEN_LINE or not any(ch.isdigit() for ch in text):
        return None
    line = _FRENCH_HOURS_RE.sub(r"\1:\2", squash(text))
    for form in _DATE_FORMS:
        for match in form.finditer(line):
            if not _bounded(line, match.start(), match.end()):
                continue
            try:
                dates, year_known = _span(match, None)
            except (ValueError, KeyError):
                continue
            if not year_known:
                continue
            before, after = line[: match.start()], line[match.end() :]
            start, rest = _time_after(after)
            if start is None:
                start = _time_before(before)
            venue = _VENUE_RE.match(rest)
            return When(
                dates=dates,
                start=start,
                venue=squash(venue["venue"]) if venue else None,
                weekday=_WEEKDAY_RE.search(before[-25:]) is not None,
            )
    return None


def _bounded(line: str, start: int, end: int) -> bool:
    """A date that is a whole word: not the tail of "A/57/150" or the head of "2020-21"."""
    left = line[start - 1] if start else " "
    right = line[end] if end < len(line) else " "
    return not (left.isalnum() or left in "/-") and not (right.isalnum() or right == "/")


def _time_after(after: str) -> tuple[Clock | None, str]:
    match = _TIME_AFTER_RE.match(after)
    if match is None:
        return None, after
    # a bare "3" after a date is a number, not a time: it needs minutes, a.m./p.m. or "Uhr"
    if not (match["m1"] or match["ap1"] or match["unit"]):
        return None, after
    clock = _clock(match, 1)
    if clock is None:
        return None, after
    return clock, after[match.end() :]


def _time_before(before: str) -> Clock | None:
    match = _TIME_BEFORE_RE.search(before)
    if match is None or not (match["m1"] or match["ap1"]):
        return None
    return _clock(match, 1)


def names_weekday(text: str) -> bool:
    """Whether a line names a day of the week (in any of the four languages)."""
    return _WEEKDAY_RE.search(text) is not None
