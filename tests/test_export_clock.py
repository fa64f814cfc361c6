"""The report clock's fast local time agrees with the zone database, transitions included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sessiontui.core.wallclock import Clock

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


@pytest.mark.parametrize("name", ZONES)
def test_times_and_spans_match_astimezone(name: str) -> None:
    """The bulk formatting (one offset for a run of stamps) agrees stamp by stamp, also when
    the run crosses a change of offset."""
    zone = ZoneInfo(name) if name != "UTC" else dt.UTC
    clock = Clock(zone)
    for centre in AROUND:
        # Runs of 2 to 9 stamps, 3 min 7.25 s to 2 h 11 min apart, sliding across the change.
        for length in range(2, 10):
            for step_seconds in (187.25, 1800.0, 7860.0):
                first = centre - dt.timedelta(hours=5)
                while first < centre + dt.timedelta(hours=5):
                    moments = [
                        first + dt.timedelta(seconds=step_seconds * n) for n in range(length)
                    ]
                    faces = [m.astimezone(zone).strftime("%H:%M") for m in moments]
                    stamps = [m.timestamp() for m in moments]
                    assert clock.times_at(stamps) == faces, (name, first, length)
                    if length % 2 == 0:
                        day = moments[0].astimezone(zone).date()
                        spans = ", ".join(
                            f"{a}–{b}" for a, b in zip(faces[::2], faces[1::2], strict=True)
                        )
                        expected = f"{day.day} {day.strftime('%B')} {day.year}, {spans}"
                        assert clock.spans_text(stamps) == expected, (name, first, length)
                    first += dt.timedelta(minutes=41, seconds=3)
    assert clock.times_at([]) == []


@pytest.mark.parametrize("name", ZONES)
def test_spans_out_of_order_or_far_apart(name: str) -> None:
    """A span that ends before it starts, or stamps years apart, still gives each its own
    zone's time (the one-offset shortcut must not apply across a change it did not check)."""
    zone = ZoneInfo(name) if name != "UTC" else dt.UTC
    clock = Clock(zone)
    for centre in AROUND:
        for back in (60.0, 1800.0, 7200.0):
            end = centre - dt.timedelta(seconds=back)
            start = centre + dt.timedelta(hours=1)
            expected = [m.astimezone(zone).strftime("%H:%M") for m in (start, end)]
            text = clock.spans_text([start.timestamp(), end.timestamp()])
            assert text.endswith(f", {expected[0]}–{expected[1]}"), (name, centre, back)
    moments = [
        dt.datetime(1990, 7, 1, 12, tzinfo=dt.UTC),
        dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC),
    ]
    faces = [m.astimezone(zone).strftime("%H:%M") for m in moments]
    assert clock.times_at([m.timestamp() for m in moments]) == faces
    # Far apart, the hours in between are not looked up one by one.
    assert len(clock._offsets) < 1000
