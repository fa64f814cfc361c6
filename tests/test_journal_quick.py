"""The journal's shortcuts for the usual line say what its long way says, word for word."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import msgspec
import pytest

from sessiontui.core.journal import Journal
from sessiontui.store.file import FileStore

from .conftest import make_log

ZONES = (
    "UTC",
    "Europe/Vienna",
    "America/New_York",
    "Asia/Kathmandu",  # +05:45
    "America/St_Johns",  # -03:30, and -02:30 in summer
    "Australia/Lord_Howe",  # a half-hour change of offset
    "Europe/Amsterdam",  # +00:19:32 until 1937: offsets in seconds
    "Africa/Monrovia",  # -00:44:30 until 1972
    "Nowhere/Zone",  # unknown: UTC
)


def _moments(rng: random.Random) -> list[dt.datetime]:
    """Bursts of events seconds apart, jumps of days to a year, across 1900-2200; whole
    hours around changes of offset; a few with another zone than UTC."""
    moments: list[dt.datetime] = []
    at = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    while at < dt.datetime(2199, 1, 1, tzinfo=dt.UTC):
        for _ in range(rng.randint(1, 30)):
            micro = rng.choice((0, 999_999, rng.randint(0, 999_999)))
            at += dt.timedelta(seconds=rng.randint(0, 200), microseconds=micro)
            moments.append(at)
        at += dt.timedelta(days=rng.randint(0, 800), seconds=rng.randint(0, 86_400))
    for start in (
        dt.datetime(2020, 3, 8, 5, 0, tzinfo=dt.UTC),  # New York springs forward
        dt.datetime(2020, 10, 25, 0, 0, tzinfo=dt.UTC),  # Vienna falls back
        dt.datetime(1937, 6, 30, 20, 0, tzinfo=dt.UTC),  # Amsterdam leaves +00:19:32
        dt.datetime(2020, 10, 3, 14, 0, tzinfo=dt.UTC),  # Lord Howe: +10:30 to +11
    ):
        moments += [start + dt.timedelta(seconds=17 * step) for step in range(1200)]
    plus = dt.timezone(dt.timedelta(hours=5, minutes=30))
    moments += [moment.astimezone(plus) for moment in moments[::50]]
    return moments


@pytest.mark.parametrize("zone", ZONES)
def test_times_by_the_hour_are_the_timestamps_times(tmp_path: Path, zone: str) -> None:
    with FileStore(make_log(tmp_path / "s.jsonl"), read_only=True) as store:
        header = msgspec.structs.replace(store.header, timezone=zone)
    moments = _moments(random.Random(zone))
    # One journal words each time from its fields where it can, the other from timestamps.
    quick, slow = Journal(header), Journal(header)
    assert [quick._time(m) for m in moments] == [slow._time_of(m) for m in moments]
