"""The meeting clock: where "now" comes from, and the one way a duration is rounded and written."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# What the machine may call UTC; stored as plain "UTC" so views name it the same either way.
_UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"}
)


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


def format_duration(seconds: float | None, *, signed: bool = False, hours: bool = False) -> str:
    """``3725`` -> ``"1:02:05"``; ``65`` -> ``"1:05"``; ``-5`` -> ``"-0:05"``; None -> ``"-"``.

    Every view (tracker, journal, report, exports) writes durations through this, so one
    figure never reads 0:19 in one place and 0:20 in another. ``signed`` adds ``+`` to
    positive figures (over/under a plan). ``hours`` writes the hours even when there are none
    (``65`` -> ``"0:01:05"``), for a column of figures that must all read in one unit.
    """
    if seconds is None:
        return "-"
    total = whole_seconds(seconds)
    sign = "-" if total < 0 else "+" if signed and total > 0 else ""
    whole, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    body = f"{whole}:{minutes:02d}:{secs:02d}" if whole or hours else f"{minutes}:{secs:02d}"
    return sign + body


def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone an IANA name stands for; None for no name or one this machine does not know."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def machine_zone_name() -> str | None:
    """This machine's IANA zone name (``TZ``, else ``/etc/localtime``), None when it has none."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if zone_named(name) is not None:
            return "UTC" if name in _UTC_NAMES else name
    return None


def creation_zone_name(agenda_timezone: str | None) -> str | None:
    """The zone a new session is kept in: the agenda's ``timezone``, else the machine's."""
    return agenda_timezone or machine_zone_name()


def session_zone_name(timezone: str | None, agenda: Mapping[str, Any]) -> str | None:
    """The session's zone name: the one its log header stores, else (older logs) the agenda's."""
    if timezone:
        return timezone
    meeting = agenda.get("meeting")
    name = meeting.get("timezone") if isinstance(meeting, dict) else None
    return name if isinstance(name, str) and name else None


def session_zone(timezone: str | None, agenda: Mapping[str, Any]) -> ZoneInfo | None:
    """The one rule turning a session into a zone (header, else agenda); None: the caller's fallback.

    Every view, message and export goes through this, so all of them show the same times; a log
    without a stored zone keeps each view's older fallback (UTC for records, local on screen).
    """
    return zone_named(session_zone_name(timezone, agenda))
