"""Exports made while the meeting runs: what is still running counts up to the last event.

A draft report made mid-sitting showed 0:00 for the item on the floor and for the open sitting,
and the calendar left the item out; the text report counted them up to now. An export counts
them up to the last event recorded, so that the same log always gives the same export.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sessiontui.core.commands import AddNote, AddSpeaker, CloseItem, OpenItem, SittingCommand
from sessiontui.exporters import ExportOptions, render
from tests.export_scenario import Recorded, cosp_agenda, create, utc
from tests.test_export_ics import one, parse


def running(path: Path) -> Recorded:
    """A sitting open since 9:00; 1 from 9:00 to 9:10; 2(a) on the floor from 9:11, Brazil
    speaking from 9:20; the last event a note at 9:41."""
    runner = create(path, cosp_agenda())
    runner.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    runner.run("sec", OpenItem("1"))
    runner.at(utc(19, 9, 10)).run("sec", CloseItem("1"))
    runner.at(utc(19, 9, 11)).run("sec", OpenItem("2a"))
    runner.at(utc(19, 9, 20)).run("rap", AddSpeaker("2a", "Brazil", start=True))
    runner.at(utc(19, 9, 41)).run("rap", AddNote("2a", "Discussion under way."))
    return runner.finish(path)


def export(rec: Recorded, fmt: str) -> bytes:
    return bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions()))


def test_what_runs_counts_up_to_the_last_event(tmp_path: Path) -> None:
    rec = running(tmp_path / "s.jsonl")
    rows = {
        r["label"]: r for r in csv.DictReader(io.StringIO(export(rec, "csv").decode("utf-8-sig")))
    }
    assert float(rows["2(a)"]["used_seconds"]) == 30 * 60
    assert float(rows["2"]["used_seconds"]) == 30 * 60
    assert float(rows["1"]["used_seconds"]) == 10 * 60

    document = json.loads(export(rec, "json"))
    items = {i["id"]: i for i in document["items"]}
    assert items["2a"]["used_seconds"] == 30 * 60
    (brazil,) = items["2a"]["speakers"]
    assert brazil["seconds"] == 21 * 60
    (sitting,) = document["sittings"]
    assert sitting["running_seconds"] == 41 * 60
    assert document["sitting_seconds"] == 41 * 60

    markdown = export(rec, "md").decode()
    assert (
        "| 2(a) | Status of the preparations for the special session | 0:30:00 | 0:30:00 |"
        in markdown
    )
    assert "| 1st meeting | 2020-11-19 10:00 | open | none | 0:41:00 |" in markdown

    _, events = parse(export(rec, "ics"))
    spans = {
        one(e, "SUMMARY").split(" ", 1)[0]: (one(e, "DTSTART"), one(e, "DTEND"))
        for e in events
        if one(e, "CATEGORIES") == "AGENDA ITEM"
    }
    assert spans["2(a)"] == ("20201119T091100Z", "20201119T094100Z")


def test_the_same_log_gives_the_same_export(tmp_path: Path) -> None:
    """Counted up to the last event, not to the moment of export."""
    first = running(tmp_path / "a.jsonl")
    again = running(tmp_path / "b.jsonl")
    for fmt in ("md", "csv", "json", "ics"):
        assert export(first, fmt) == export(again, fmt)
