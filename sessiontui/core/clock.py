"""The Clock protocol, the system clock, and a fake clock for tests."""

from __future__ import annotations

import datetime as dt
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
