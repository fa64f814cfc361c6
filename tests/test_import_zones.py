"""An imported agenda takes its time zone from its venue, or its summary says it has none."""

from __future__ import annotations

from pathlib import Path

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
    assert "  time zone: none (no known venue): times are taken as UTC" in said
    assert "timezone" not in (tmp_path / "b.toml").read_text(encoding="utf-8")
