"""An imported agenda takes its time zone from its venue, or its summary says it has none."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sessiontui.importers.zones import zone_of_venue

from .conftest import run_cli


@pytest.mark.parametrize(
    ("venue", "zone"),
    [
        ("Vienna", "Europe/Vienna"),
        ("Vienna International Centre", "Europe/Vienna"),
        ("Palais des Nations, Geneva", "Europe/Zurich"),
        ("Palais des Nations, Genève", "Europe/Zurich"),
        ("United Nations Headquarters, New York", "America/New_York"),
        ("UN Campus, Bonn", "Europe/Berlin"),
        ("Sharm El-Sheikh, Egypt", "Africa/Cairo"),
        ("IMO Headquarters, London", "Europe/London"),
        ("Rotterdam", None),
        ("Room M3", None),
        ("", None),
        (None, None),
    ],
)
def test_the_zone_of_a_venue(venue: str | None, zone: str | None) -> None:
    assert zone_of_venue(venue) == zone


def test_import_writes_the_venues_zone_or_says_there_is_none(tmp_path: Path) -> None:
    source = tmp_path / "agenda.txt"
    source.write_text(
        "Working Group on Asset Recovery\nVienna, 14-16 June 2021\n\nProvisional agenda\n\n"
        "1. Opening of the meeting\n2. Adoption of the agenda\n",
        encoding="utf-8",
    )
    said = run_cli("import", str(source), "-o", str(tmp_path / "a.toml"))
    assert "  time zone: Europe/Vienna (the venue's)" in said.splitlines()
    assert 'timezone = "Europe/Vienna"' in (tmp_path / "a.toml").read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("Vienna, ", ""), "utf-8")
    said = run_cli("import", str(source), "-o", str(tmp_path / "b.toml"))
    assert "  time zone: none (no known venue): a session begun from this agenda keeps" in said
    assert "timezone" not in (tmp_path / "b.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("machine", ["Asia/Tokyo", "America/New_York"])
def test_without_a_venue_the_zone_said_is_the_one_the_session_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, machine: str
) -> None:
    """The summary names the zone a session begun from the agenda will keep (the machine's),
    and the session does keep it: its journal shows a time given on the command line as given,
    whatever zone reads it later. (It said "times are taken as UTC", and they were not.)"""
    monkeypatch.setenv("TZ", machine)
    source = tmp_path / "agenda.txt"
    source.write_text(
        "Working Group on Asset Recovery\n14-16 June 2021\n\nProvisional agenda\n\n"
        "1. Opening of the meeting\n2. Adoption of the agenda\n",
        encoding="utf-8",
    )
    agenda, log = tmp_path / "a.toml", tmp_path / "s.jsonl"
    said = run_cli("import", str(source), "-o", str(agenda))
    assert (
        "  time zone: none (no known venue): a session begun from this agenda keeps the time "
        f"zone of the machine that begins it ({machine} here) until the agenda says "
        'timezone = "Area/City" under [meeting]'
    ) in said.splitlines()
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1", "--at", "2021-06-14 10:00", "--log", str(log))
    header, *events = (json.loads(line) for line in log.read_text("utf-8").splitlines())
    assert header["timezone"] == machine
    meant = dt.datetime(2021, 6, 14, 10, 0, tzinfo=ZoneInfo(machine)).astimezone(dt.UTC)
    assert dt.datetime.fromisoformat(events[-1]["at"]) == meant  # read in that zone, not UTC
    monkeypatch.setenv("TZ", "UTC")  # another machine reads the log
    journal = run_cli("journal", str(log))
    assert "14 Jun 10:00:00" in journal and "took up 1" in journal
