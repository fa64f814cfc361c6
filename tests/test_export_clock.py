"""The report clock's fast local time agrees with the zone database, transitions included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sessiontui.exporters.model import Clock

# Zones with summer time, half- and quarter-hour offsets, a half-hour DST shift (Lord Howe) and
# a change of offset in the middle of a UTC hour (Kathmandu, 1 January 1986: +5:30 -> +5:45).
ZONES = ["UTC", "Europe/Vienna", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu"]
AROUND = [
    dt.datetime(2020, 3, 29, tzinfo=dt.UTC),
    dt.datetime(2020, 10, 25, tzinfo=dt.UTC),
    dt.datetime(2020, 11, 1, tzinfo=dt.UTC),
    dt.datetime(2021, 4, 3, tzinfo=dt.UTC),
    dt.datetime(1985, 12, 31, 12, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("name", ZONES)
def test_time_and_day_match_astimezone(name: str) -> None:
    zone = ZoneInfo(name) if name != "UTC" else dt.UTC
    clock = Clock(zone)
    for centre in AROUND:
        # Every 7 min 13.5 s over two days: crosses each transition at many phases.
        moment = centre - dt.timedelta(days=1)
        while moment < centre + dt.timedelta(days=1):
            local = moment.astimezone(zone)
            assert clock.time(moment) == local.strftime("%H:%M"), (name, moment)
            assert clock.day(moment) == local.date(), (name, moment)
            moment += dt.timedelta(minutes=7, seconds=13, microseconds=500_000)
    assert clock.time(None) == ""


def test_non_utc_input_is_converted() -> None:
    clock = Clock(ZoneInfo("Europe/Vienna"))
    moment = dt.datetime(2020, 11, 19, 10, 5, tzinfo=ZoneInfo("America/New_York"))
    assert clock.time(moment) == "16:05"
    assert clock.day(moment) == dt.date(2020, 11, 19)
