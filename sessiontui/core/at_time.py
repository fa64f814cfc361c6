"""A correction's time (``--at`` on the command line, ``@`` in the tracker): read and checked once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sessiontui.core.clock import zone_named


class BadTime(ValueError):
    """A time that cannot be read, or that does not exist as written (one line, says why)."""


_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})[.:h](?P<minute>\d{2})(?:[.:](?P<second>\d{2}))?"
    r"(?:\s*(?P<half>[ap])\.?\s*m\.?)?",
    re.IGNORECASE,
)
"""A time of day as people write it: ``17:43``, the UN's ``5.43 p.m.`` (as the report prints
it), ``17.43``, ``17h43``, ``5:43 pm``."""


def clock_time(text: str) -> str | None:
    """``text`` as ``HH:MM[:SS]`` (24-hour) when it is a time of day alone, else None."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        return None
    hour, minute, second = int(found["hour"]), found["minute"], found["second"]
    half = (found["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None  # "13.05 p.m." says two different things
        hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute}" + (f":{second}" if second else "")


TIME_FORMS = "write HH:MM, 5.43 p.m., 'YYYY-MM-DD HH:MM' or ISO 8601"
"""What a time may be written as, for the messages that refuse one."""


def read_at(text: str, timezone: str | None) -> dt.datetime:
    """``HH:MM[:SS]`` (today; also ``5.43 p.m.`` and the like, ``clock_time``),
    ``YYYY-MM-DD HH:MM`` or ISO 8601 with a zone, in UTC.

    Times without a zone are in the meeting's timezone when the agenda gives one, else local.
    """
    zone: dt.tzinfo | None = zone_named(timezone)
    raw = clock_time(text) or text.strip().replace("Z", "+00:00")
    moment: dt.datetime | None = None

    def time_today(clock_time: str) -> dt.datetime:
        return dt.datetime.combine(dt.datetime.now(zone).date(), dt.time.fromisoformat(clock_time))

    for parse in (dt.datetime.fromisoformat, time_today):
        try:
            moment = parse(raw)
            break
        except ValueError:
            continue
    if moment is None:
        raise BadTime(f"{text!r}: not a time ({TIME_FORMS})")
    if moment.tzinfo is None:
        if zone is None:
            zone = moment.astimezone().tzinfo
            assert zone is not None
        moment = _local_moment(text, moment, zone)
    return moment.astimezone(dt.UTC)


def _local_moment(text: str, naive: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """A wall-clock time in ``zone``; refused when the clocks skipped it or showed it twice."""
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        back = early.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            # The time as written, with the offset before the change or after it: either is
            # a real instant, and the person knows which clock their note was taken by.
            before, after = (moment.isoformat(timespec="minutes") for moment in (early, late))
            raise BadTime(
                f"{text!r}: there is no such time in {zone} (the clocks went forward); "
                f"give the time with its offset: {before} or {after}"
            )
        raise BadTime(
            f"{text!r}: that time happened twice in {zone} (the clocks went back); add the "
            f"offset to say which: {early.isoformat()} or {late.isoformat()}"
        )
    return early


def far_problem(
    moment: dt.datetime, dates: Sequence[dt.date], now: dt.datetime, said: str | None = None
) -> str | None:
    """Why ``moment`` looks like a typo: more than a day from both the meeting's dates and now.

    Recording a past meeting from paper notes, and correcting today's, both work; 1970 does not.
    A time to come is refused as such by the command itself. ``said`` names the moment as the
    person reads it (the meeting's time, ``phrases.meeting_moment``); default: in UTC.
    """
    if moment > now:
        return None
    day = dt.timedelta(days=1)
    near = [abs(moment - now)]
    if dates:  # the days listed, or the first and the last
        start = dt.datetime.combine(min(dates), dt.time(0), tzinfo=dt.UTC)
        end = dt.datetime.combine(max(dates), dt.time(0), tzinfo=dt.UTC) + day
        near.append(max(start - moment, moment - end, dt.timedelta(0)))
    if min(near) > day:
        said = said or f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
        return f"{said} is more than a day from the meeting's dates and from now"
    return None
