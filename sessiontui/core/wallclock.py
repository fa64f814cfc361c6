"""The meeting's wall clock: recorded instants as dates and times in the meeting's timezone."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def in_zone(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``moment`` in ``zone`` (the machine's zone when None).

    Anyone can write a record whose instant lies at the edge of what Python can represent
    (year 1 or 9999); no zone can show it, and a reader must not crash on it. Such an instant
    stays as recorded (UTC): the bounds have already marked its record invalid.
    """
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


@functools.lru_cache(maxsize=1024)
def format_date(day: dt.date) -> str:
    """``2020-11-19`` -> ``"19 November 2020"`` (fixed English, independent of the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """``2020-11-19`` -> ``"19 Nov"`` (fixed English): a day beside a time, in a message."""
    return f"{day.day} {_MONTHS[day.month - 1][:3]}"


UNIX_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_UNKNOWN = -1_000_000  # not an offset any zone has: "not looked up yet"
# The most hours ``Clock._uniform_offset`` checks one by one: a sitting's worth and more.
_LONGEST_WALK = 48
# "HH:MM" for every minute of the day, by minute of the day.
CLOCK_FACE = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


@dataclass(frozen=True, slots=True)
class Clock:
    """Formats recorded instants in the meeting's timezone."""

    zone: dt.tzinfo
    # UTC offset (seconds) of the zone per hour since the epoch, None where it changes within
    # that hour. A long session's report prints hundreds of thousands of times; converting each
    # through the zone (``astimezone``) and ``strftime`` was most of the Markdown export.
    _offsets: dict[int, int | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    _date_texts: dict[int, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """The instant in the meeting's timezone."""
        return in_zone(moment, self.zone)

    def _offset(self, stamp: float) -> int | None:
        hour = int(stamp // 3600)
        if hour in self._offsets:
            return self._offsets[hour]
        # A zone changes its offset at most once an hour: equal offsets at the hour's first and
        # last second mean one offset for the whole hour.
        try:
            first = dt.datetime.fromtimestamp(hour * 3600, self.zone).utcoffset()
            last = dt.datetime.fromtimestamp(hour * 3600 + 3599, self.zone).utcoffset()
        except (OverflowError, ValueError, OSError):
            # An instant at the edge of the representable years (a hostile record): shown in
            # UTC, as ``in_zone`` shows it.
            first = last = dt.timedelta(0)
        offset = int(first.total_seconds()) if first is not None and first == last else None
        self._offsets[hour] = offset
        return offset

    def wall_seconds(self, moment: dt.datetime) -> int | None:
        """Whole seconds since the epoch on the meeting's wall clock, or None in the rare hour
        when the zone changes its offset (then ``local`` has the answer)."""
        return self._wall_seconds(moment.timestamp())

    def _wall_seconds(self, stamp: float) -> int | None:
        offset = self._offsets.get(int(stamp // 3600), _UNKNOWN)
        if offset == _UNKNOWN:
            offset = self._offset(stamp)
        return None if offset is None else int((stamp + offset) // 1)

    def time(self, moment: dt.datetime | None) -> str:
        """``"10:05"`` (empty for None)."""
        return "" if moment is None else self.time_at(moment.timestamp())

    def time_at(self, stamp: float) -> str:
        """``time`` of a POSIX timestamp."""
        seconds = self._wall_seconds(stamp)
        if seconds is None:
            local = dt.datetime.fromtimestamp(stamp, self.zone)
            return CLOCK_FACE[local.hour * 60 + local.minute]
        return CLOCK_FACE[seconds // 60 % 1440]

    def day(self, moment: dt.datetime) -> dt.date:
        """The meeting-local date of an instant."""
        return self.day_at(moment.timestamp())

    def day_at(self, stamp: float) -> dt.date:
        """``day`` of a POSIX timestamp."""
        seconds = self._wall_seconds(stamp)
        if seconds is None:
            return dt.datetime.fromtimestamp(stamp, self.zone).date()
        return dt.date.fromordinal(UNIX_EPOCH_ORDINAL + seconds // 86400)

    def _uniform_offset(self, first: float, last: float) -> int | None:
        """The zone's one offset from ``first`` to ``last``, None if it changes in between."""
        offsets = self._offsets
        first_hour, last_hour = int(first // 3600), int(last // 3600)
        offset = offsets.get(first_hour, _UNKNOWN)
        if offset == _UNKNOWN:
            offset = self._offset(first)
        if offset is None or first_hour == last_hour:
            return offset
        if last_hour - first_hour > _LONGEST_WALK:
            return None  # far apart (a mistyped year): each is converted on its own
        for hour in range(first_hour + 1, last_hour + 1):
            other = offsets.get(hour, _UNKNOWN)
            if other == _UNKNOWN:
                other = self._offset(hour * 3600)
            if other != offset:
                return None
        return offset

    def times_at(self, stamps: Sequence[float]) -> list[str]:
        """``time_at`` of each timestamp, the zone's offset looked up once for the lot (a
        sitting's worth) unless it changes among them: a long session prints a great many."""
        if not stamps:
            return []
        offset = self._uniform_offset(min(stamps), max(stamps))
        if offset is None:
            return [self.time_at(stamp) for stamp in stamps]
        face = CLOCK_FACE
        return [face[int((stamp + offset) // 60) % 1440] for stamp in stamps]

    def spans_text(self, stamps: Sequence[float]) -> str:
        """``"19 November 2020, 10:05–10:30, 11:00–11:20"``: the day of the first of the start
        and end timestamps (one after the other), then each span."""
        if len(stamps) == 2:
            # Nearly every consideration of a sub-item is one span: no lists for it.
            start, end = stamps
            offset = self._uniform_offset(min(start, end), max(start, end))
            if offset is not None:
                face = CLOCK_FACE
                first, last = int((start + offset) // 60), int((end + offset) // 60)
                return f"{self._date_text(first // 1440)}, {face[first % 1440]}–{face[last % 1440]}"
        faces = self.times_at(stamps)
        spans = ", ".join(map("–".join, zip(faces[::2], faces[1::2], strict=True)))
        return f"{format_date(self.day_at(stamps[0]))}, {spans}"

    def _date_text(self, day_number: int) -> str:
        """``format_date`` of a local day counted from 1970-01-01."""
        text = self._date_texts.get(day_number)
        if text is None:
            day = dt.date.fromordinal(UNIX_EPOCH_ORDINAL + day_number)
            text = self._date_texts[day_number] = format_date(day)
        return text

    def stamp(self, moment: dt.datetime | None) -> str:
        """``"2020-11-19 10:05"`` (empty for None)."""
        return "" if moment is None else self.local(moment).strftime("%Y-%m-%d %H:%M")

    def iso(self, moment: dt.datetime | None) -> str:
        """ISO 8601 with the meeting's offset (empty for None)."""
        return "" if moment is None else self.local(moment).isoformat()
