"""The meeting clock: where "now" comes from, and the one way a duration is rounded and written."""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol


class Clock(Protocol):
    """Where "now" comes from; injected so tests and replays never read the wall clock."""

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current instant in UTC."""
        return dt.datetime.now(dt.UTC)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The instant the clock is set to."""
        return self.current

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0) -> dt.datetime:
        """Move forward and return the new instant."""
        self.current += dt.timedelta(seconds=seconds, minutes=minutes)
        return self.current

    def set(self, moment: dt.datetime) -> None:
        """Jump to an instant."""
        self.current = moment


def whole_seconds(seconds: float) -> int:
    """A duration rounded half up (away from zero) to whole seconds: the one rounding rule."""
    magnitude = math.floor(abs(seconds) + 0.5)
    return -magnitude if seconds < 0 else magnitude


def format_duration(seconds: float | None, *, signed: bool = False) -> str:
    """``3725`` -> ``"1:02:05"``; ``65`` -> ``"1:05"``; ``-5`` -> ``"-0:05"``; None -> ``"-"``.

    Every view (tracker, journal, report, exports) writes durations through this, so one
    figure never reads 0:19 in one place and 0:20 in another. ``signed`` adds ``+`` to
    positive figures (over/under a plan).
    """
    if seconds is None:
        return "-"
    total = whole_seconds(seconds)
    sign = "-" if total < 0 else "+" if signed and total > 0 else ""
    hours, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    body = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return sign + body
