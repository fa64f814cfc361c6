"""Times of day as people write them (``--at``, ``@``, ``journal --since``): ``clock_time``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessiontui.core.at_time import BadTime, clock_time, read_at

from .conftest import COSP, sessiontui_on


@given(st.times())
def test_every_time_written_the_un_way_reads_as_itself(moment: dt.time) -> None:
    """``5.43 p.m.``, ``17.43``, ``17h43`` and ``5:43 pm`` all read as ``17:43``."""
    hour12 = moment.hour % 12 or 12
    half = "a.m." if moment.hour < 12 else "p.m."
    expected = f"{moment:%H:%M}"
    for written in (
        f"{hour12}.{moment:%M} {half}",
        f"{hour12}:{moment:%M}{half.replace('.', '').upper()}",
        f"{moment:%H.%M}",
        f"{moment.hour}h{moment:%M}",
        f"{moment:%H:%M}",
    ):
        assert clock_time(written) == expected, written
    assert clock_time(f"{moment:%H.%M.%S}") == f"{moment:%H:%M:%S}"


@pytest.mark.parametrize(
    "text", ["13.05 p.m.", "0.30 a.m.", "5.4", "5.430", "17-43", "2020-11-19", "teatime", ""]
)
def test_what_is_not_a_time_of_day_alone_is_left_to_the_other_forms(text: str) -> None:
    assert clock_time(text) is None


def test_read_at_takes_the_report_s_own_way_of_writing_a_time() -> None:
    at = read_at("5.43 p.m.", "Europe/Vienna")
    assert at.astimezone(dt.UTC).time() in (dt.time(16, 43), dt.time(15, 43))  # CET or CEST
    assert at == read_at("17:43", "Europe/Vienna")
    with pytest.raises(BadTime, match=r"5\.43 p\.m\."):
        read_at("25.43", "Europe/Vienna")  # the message shows the forms, this one among them


def test_a_correction_at_a_un_style_time_is_recorded_at_that_time(tmp_path: Path) -> None:
    """``--at "9.20 a.m."`` through the real command line: the take-up is at that minute of
    today in the meeting's zone (Vienna for this agenda)."""
    vienna = ZoneInfo("Europe/Vienna")
    now = dt.datetime.now(vienna)
    taken_at = (now - dt.timedelta(minutes=3)).replace(second=0, microsecond=0)
    if taken_at.date() != now.date():
        pytest.skip("three minutes ago was yesterday in Vienna")
    log = tmp_path / "session.jsonl"
    assert sessiontui_on(log, "init", str(COSP), "--log", str(log)).returncode == 0
    opened_at = (taken_at - dt.timedelta(minutes=1)).isoformat()
    opened = sessiontui_on(log, "sitting", "open", "--at", opened_at, "--force")
    assert opened.returncode == 0, opened.stderr
    hour12 = taken_at.hour % 12 or 12
    written = f"{hour12}.{taken_at:%M} {'a.m.' if taken_at.hour < 12 else 'p.m.'}"
    taken = sessiontui_on(log, "open", "1", "--at", written, "--force")
    assert taken.returncode == 0, taken.stderr
    journal = sessiontui_on(log, "journal", "--item", "1")
    assert f"{taken_at:%H:%M}:00" in journal.stdout, (written, journal.stdout)
    bad = sessiontui_on(log, "open", "2", "--at", "9.75 a.m.")
    assert bad.returncode != 0 and "not a time" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("zone", "skipped", "offsets"),
    [
        ("Europe/Vienna", "2026-03-29 02:30", ("+01:00", "+02:00")),
        ("America/New_York", "2026-03-08 02:30", ("-05:00", "-04:00")),
    ],
)
def test_a_skipped_time_is_refused_with_its_own_two_readings(
    zone: str, skipped: str, offsets: tuple[str, str]
) -> None:
    """The example names that very day and zone's offsets (it named one date of 2025 in
    Central Europe, wherever and whenever the meeting was)."""
    with pytest.raises(BadTime) as refused:
        read_at(skipped, zone)
    day, clock = skipped.split()
    readings = [f"{day}T{clock}{offset}" for offset in offsets]
    assert f"{readings[0]} or {readings[1]}" in str(refused.value)
    for reading in readings:  # each one is a time the command then takes
        assert read_at(reading, zone) == dt.datetime.fromisoformat(reading).astimezone(dt.UTC)
