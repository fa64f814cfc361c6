"""The iCalendar export, parsed back: RFC 5545 lines, folding, escaping, UTC times, stable UIDs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.commands import CloseItem, OpenItem, SittingCommand
from sessiontui.exporters import ExportError, ExportOptions, render
from sessiontui.exporters.ics import escape, fold
from tests.export_scenario import (
    Recorded,
    cosp_agenda,
    cosp_scenario,
    create,
    hostile_scenario,
    utc,
)

Component = dict[str, list[tuple[dict[str, str], str]]]


def unescape(value: str) -> str:
    """A TEXT value as written, back to the text (RFC 5545 3.3.11)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(data: bytes) -> tuple[Component, list[Component]]:
    """The calendar's own properties and its VEVENTs, each property with its parameters.

    Checks the physical lines on the way: CRLF only, at most 75 octets, valid UTF-8 each.
    """
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    for octets in physical:
        octets.decode("utf-8")  # folding never cut a character in two
    unfolded = data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
    calendar: Component = {}
    events: list[Component] = []
    stack: list[Component] = []
    for line in unfolded:
        match = re.fullmatch(r"([A-Z0-9-]+)((?:;[A-Z0-9-]+=[^;:]*)*):(.*)", line)
        assert match, line
        name, params, value = match.groups()
        if name == "BEGIN":
            component: Component = {}
            if value == "VEVENT":
                events.append(component)
            else:
                assert value == "VCALENDAR" and not stack
                calendar = component
            stack.append(component)
            continue
        if name == "END":
            stack.pop()
            continue
        parameters = dict(p.split("=", 1) for p in params.split(";")[1:])
        stack[-1].setdefault(name, []).append((parameters, value))
    assert not stack
    return calendar, events


def one(component: Component, name: str) -> str:
    (values,) = [component[name]]
    assert len(values) == 1, (name, values)
    return values[0][1]


def instant(value: str) -> dt.datetime:
    assert re.fullmatch(r"\d{8}T\d{6}Z", value), value
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario: two sittings, suspensions, a reopening, a deferral."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def ics(rec: Recorded, items: tuple[str, ...] | None = None) -> bytes:
    options = ExportOptions(items=items)
    return bytes(render("ics", rec.header, rec.events, rec.state, options))


def test_the_calendar_parses_back_with_its_required_properties(cosp: Recorded) -> None:
    calendar, events = parse(ics(cosp))
    assert one(calendar, "VERSION") == "2.0"
    assert one(calendar, "PRODID").startswith("-//sessiontui//")
    title = cosp.state.agenda.meeting.title
    assert unescape(one(calendar, "X-WR-CALNAME")) == " ".join(title.split())
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            one(event, name)
        assert instant(one(event, "DTSTART")) <= instant(one(event, "DTEND"))
    # Stamped with the last event's writing time: the same log, the same bytes.
    assert {one(e, "DTSTAMP") for e in events} == {
        cosp.events[-1].recorded.strftime("%Y%m%dT%H%M%SZ")
    }
    assert ics(cosp) == ics(cosp)


def test_each_sitting_is_an_event_at_its_actual_times(cosp: Recorded) -> None:
    _, events = parse(ics(cosp))
    sittings = [e for e in events if one(e, "CATEGORIES") == "SITTING"]
    assert [(instant(one(e, "DTSTART")), instant(one(e, "DTEND"))) for e in sittings] == [
        (utc(19, 9, 0), utc(19, 11, 0)),
        (utc(20, 9, 0), utc(20, 10, 21)),
    ]
    first = unescape(one(sittings[0], "SUMMARY"))
    assert first.startswith("1st meeting: ")
    assert "Suspended 11:15–11:35 (Europe/Vienna)." in unescape(one(sittings[0], "DESCRIPTION"))


def test_each_span_on_the_floor_is_an_event_of_its_item(cosp: Recorded) -> None:
    _, events = parse(ics(cosp))
    spans: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for event in events:
        if one(event, "CATEGORIES") == "AGENDA ITEM":
            summary = unescape(one(event, "SUMMARY"))
            label = summary.split(" ", 1)[0]
            spans.setdefault(label, []).append(
                (instant(one(event, "DTSTART")), instant(one(event, "DTEND")))
            )
    assert spans["2(a)"] == [(utc(19, 9, 10), utc(19, 9, 40)), (utc(20, 10, 0), utc(20, 10, 10))]
    # The break of the 1st meeting and the night between the sittings split 2(b)'s time.
    assert spans["2(b)"] == [
        (utc(19, 9, 40), utc(19, 10, 15)),
        (utc(19, 10, 35), utc(19, 11, 0)),
        (utc(20, 9, 1), utc(20, 9, 20)),
    ]
    assert "2(d)" not in spans and "2(e)" not in spans  # deferred, never taken up
    # An item's spans lie within its sitting, named as its parent.
    sitting_uids = {
        one(e, "UID"): instant(one(e, "DTSTART")).day
        for e in events
        if one(e, "CATEGORIES") == "SITTING"
    }
    for event in events:
        if one(event, "CATEGORIES") == "AGENDA ITEM":
            ((params, parent),) = event["RELATED-TO"]
            assert params == {"RELTYPE": "PARENT"} and parent in sitting_uids
            assert sitting_uids[parent] == instant(one(event, "DTSTART")).day


def test_uids_are_unique(cosp: Recorded) -> None:
    _, events = parse(ics(cosp))
    uids = [one(e, "UID") for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.startswith(cosp.header.session) and uid.endswith("@sessiontui") for uid in uids)


def record(path: Path, *, more: bool) -> Recorded:
    """A short session (the same session id every time), with or without a later take-up."""
    runner = create(path, cosp_agenda())
    runner.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    runner.run("sec", OpenItem("1"))
    runner.at(utc(19, 9, 10)).run("sec", CloseItem("1"))
    runner.at(utc(19, 9, 11)).run("sec", OpenItem("2a"))
    runner.at(utc(19, 9, 30)).run("sec", CloseItem("2a"))
    if more:
        runner.at(utc(19, 9, 40)).run("sec", OpenItem("3"))
        runner.at(utc(19, 9, 50)).run("sec", CloseItem("3"))
    return runner.finish(path)


def test_uids_stay_when_the_session_goes_on(tmp_path: Path) -> None:
    """Importing a later export updates a calendar: what was there keeps its UID and times."""
    early = {one(e, "UID"): e for e in parse(ics(record(tmp_path / "a.jsonl", more=False)))[1]}
    later = {one(e, "UID"): e for e in parse(ics(record(tmp_path / "b.jsonl", more=True)))[1]}
    assert set(early) < set(later)
    for uid, event in early.items():
        assert one(later[uid], "DTSTART") == one(event, "DTSTART")
        assert one(later[uid], "DTEND") >= one(event, "DTEND")
    # Item 2 was back on the floor after 2(a) until 3 was taken up: its span (and the sitting) grew.
    grown = [uid for uid in early if one(later[uid], "DTEND") != one(early[uid], "DTEND")]
    assert sorted(uid.split("@")[0] for uid in grown) == [
        "fixed-item-2-20201119T091100Z",
        "fixed-sitting-1",
    ]
    # The sitting, still open, ends in the calendar at the last thing that happened in it.
    sitting = next(uid for uid, e in early.items() if one(e, "CATEGORIES") == "SITTING")
    assert one(early[sitting], "DTEND") == "20201119T093000Z"
    assert one(later[sitting], "DTEND") == "20201119T095000Z"
    assert "Not closed" in unescape(one(later[sitting], "DESCRIPTION"))


def test_an_excerpt_has_only_its_items(cosp: Recorded) -> None:
    _, events = parse(ics(cosp, items=("2a",)))
    items = {
        unescape(one(e, "SUMMARY")).split(" ", 1)[0]
        for e in events
        if one(e, "CATEGORIES") == "AGENDA ITEM"
    }
    assert items == {"2(a)"}


def test_text_is_escaped_and_folded_without_cutting_a_character() -> None:
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert escape("tab\there \x1b[31mred\u202e") == "tab here red"
    long = "SUMMARY:" + "Заседание, 会议; جلسة " * 12
    folded = fold(long)
    lines = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert len(lines) > 3 and all(len(line) <= 75 for line in lines)
    assert all(line.startswith(b" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == long + "\r\n"
    assert fold("SHORT:x") == "SHORT:x\r\n"


def test_hostile_text_is_inert(tmp_path: Path) -> None:
    hostile = hostile_scenario(tmp_path / "h.jsonl")
    data = ics(hostile)
    calendar, events = parse(data)
    assert b"\x1b" not in data and b"\x07" not in data
    name = unescape(one(calendar, "X-WR-CALNAME"))
    assert name.startswith("<script>alert('t')</script> ../../etc/passwd")
    sitting = next(e for e in events if one(e, "CATEGORIES") == "SITTING")
    assert unescape(one(sitting, "LOCATION")) == '=HYPERLINK("http://evil.example","x")'


def test_no_sitting_is_one_clear_error(tmp_path: Path) -> None:
    rec = create(tmp_path / "e.jsonl", cosp_agenda()).finish(tmp_path / "e.jsonl")
    with pytest.raises(ExportError, match="no sitting has been opened yet"):
        ics(rec)
    result = CliRunner().invoke(cli, ["export", str(rec.path), "--format", "ics"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "sessiontui: error: no sitting has been opened yet: an iCalendar export needs one"
    ]


def test_the_cli_writes_ics_by_extension(cosp: Recorded, tmp_path: Path) -> None:
    target = tmp_path / "meeting.ics"
    result = CliRunner().invoke(cli, ["export", str(cosp.path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == ics(cosp)
