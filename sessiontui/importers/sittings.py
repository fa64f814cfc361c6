"""The sittings of a programme, as its day and part-of-day headings announce them."""

from __future__ import annotations

import datetime as dt

from sessiontui.importers.classify import DateSpan, DayHeading, quote
from sessiontui.importers.findings import Findings
from sessiontui.importers.nodes import Sitting


class Days:
    """The sittings opened so far and the day the headings are on.

    Args:
        meeting_dates: the meeting's dates, as the preamble gave them.
        year: the meeting's year, for headings that give none.
        findings: where doubts go.
    """

    def __init__(self, meeting_dates: list[dt.date], year: int | None, findings: Findings) -> None:
        self.meeting_dates = meeting_dates
        self.year = year
        self.findings = findings
        self.sittings: list[Sitting] = []
        self.current: Sitting | None = None
        self.day_label: str | None = None
        self.day_date: dt.date | None = None

    def heading(self, where: str, heading: DayHeading) -> None:
        """Open the sitting a day heading announces, or name the part of the day of one just
        opened ("Monday" then "Morning")."""
        is_part_only = (
            heading.part is not None and heading.day_index is None and heading.dates is None
        )
        current = self.current
        if is_part_only:
            part = heading.part or heading.label
            if (
                current is not None
                and not current.nodes
                and (current.day_only or "meeting" in part.lower())
            ):
                current.label = f"{current.label}, {part}"
                current.day_only = False
                if heading.slot is not None:
                    current.start, current.end = heading.slot.start, heading.slot.end
                return
            label = f"{self.day_label}, {part}" if self.day_label else part
            self.open(where, label, self.day_date or self.single_date(), heading)
            return
        self.day_label = heading.label
        self.day_date = self._resolve_date(where, heading)
        sitting = self.open(where, heading.label, self.day_date, heading)
        sitting.day_only = heading.part is None and heading.slot is None

    def single_date(self) -> dt.date | None:
        """The meeting's date when it has only one."""
        return self.meeting_dates[0] if len(self.meeting_dates) == 1 else None

    def open(self, where: str, label: str, date: dt.date | None, heading: DayHeading) -> Sitting:
        """A new sitting, the current one from now on."""
        sitting = Sitting(where, label, date)
        if heading.slot is not None:
            sitting.start, sitting.end = heading.slot.start, heading.slot.end
        self.sittings.append(sitting)
        self.current = sitting
        return sitting

    def forget(self) -> None:
        """Take every item out of the sittings (they were an introduction's paragraphs)."""
        for sitting in self.sittings:
            sitting.nodes.clear()

    def _resolve_date(self, where: str, heading: DayHeading) -> dt.date | None:
        span: DateSpan | None = heading.dates
        if span is not None and span.dates:
            date = span.dates[0]
            if not span.year_known and self.year is None:
                self.findings.doubt(
                    where, f"{quote(heading.label)} gives no year - no sitting recorded for it"
                )
                return None
            if span.weekday is not None and date.weekday() != span.weekday:
                actual = date.strftime("%A")
                self.findings.doubt(
                    where, f"{quote(heading.label)}: {date} is a {actual} - date kept"
                )
            return date
        if heading.day_index is not None:
            if 1 <= heading.day_index <= len(self.meeting_dates):
                return self.meeting_dates[heading.day_index - 1]
            self.findings.doubt(where, f"{quote(heading.label)}: the meeting's dates are not known")
            return None
        if span is not None and span.weekday is not None:
            after = self.day_date
            for date in self.meeting_dates:
                if date.weekday() == span.weekday and (after is None or date > after):
                    return date
            self.findings.doubt(where, f"{quote(heading.label)}: no meeting date falls on that day")
        return None
