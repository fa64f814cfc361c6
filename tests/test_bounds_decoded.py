"""Payloads decoded within the bounds are judged as the fold's full check judges them.

The decoder holds each payload field to its bounds (``core.events``: sizes, words, ranges) and
says so (``decode_event_bounded``); the fold then skips the payload's check (``bounded_problem``).
Whatever a line holds: it decodes to the same event (or the same error) as without those
bounds, a payload said to be within them is one the full check passes, and a fold of a log
of such records marks the same records invalid, in the same words, either way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core import events as ev
from sessiontui.core.bounds import (
    EARLIEST,
    LATEST,
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    bounded_problem,
    recorded_problem,
)
from sessiontui.core.events import LineError, decode_event, decode_event_bounded
from sessiontui.core.fold import apply_all
from sessiontui.core.replay import Replayer, Stream
from sessiontui.core.state import SessionState
from sessiontui.service import open_session
from sessiontui.store.file import FileStore
from tests.conftest import make_log
from tests.hostile_records import append_records, record_line, records
from tests.test_hostile_records import OUT_OF_RANGE

AT = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)


def line_of(record: dict[str, Any]) -> bytes:
    return record_line(record)


def unbounded(line: bytes) -> ev.Event | str:
    """The event a reader decoded from ``line`` before payloads had bounds (or its error)."""
    try:
        event = ev._bounded(ev._unbounded_decoder().decode(line))
    except (msgspec.DecodeError, RecursionError) as exc:
        try:
            event = ev._other_event(line, exc)
        except LineError as error:
            return str(error)
    if event.at.tzinfo is None or event.recorded.tzinfo is None:
        return "event time without a time zone"
    return event


def assert_judged_alike(line: bytes) -> None:
    expected = unbounded(line)
    try:
        event, bounded = decode_event_bounded(line)
    except LineError as exc:
        assert str(exc) == expected
        return
    assert isinstance(expected, ev.Event)
    assert event == expected
    assert type(event) is type(expected)
    assert type(event.data) is type(expected.data)
    assert decode_event(line) == event
    problem = recorded_problem(event)
    if bounded:
        assert bounded_problem(event) == problem
        # Once its actor and item id are known good, nothing is left to find in its payload.
        assert bounded_problem(event) == problem
        if problem is not None:
            assert not problem.startswith(ev.payload_type(type(event)).__struct_fields__)


@settings(max_examples=400, deadline=None)
@given(records)
def test_any_record_decodes_and_is_judged_as_without_bounds(record: dict[str, Any]) -> None:
    assert_judged_alike(line_of(record))


@pytest.mark.parametrize("record", OUT_OF_RANGE, ids=lambda record: str(record["type"]))
def test_each_out_of_range_record_is_decoded_without_bounds(record: dict[str, Any]) -> None:
    line = line_of(record)
    assert_judged_alike(line)
    event, bounded = decode_event_bounded(line)
    assert recorded_problem(event) is not None
    assert not bounded or bounded_problem(event) is not None


@pytest.mark.parametrize(
    ("data", "within"),
    [
        ({"note": "n", "kind": "note", "text": "é" * MAX_TEXT_CHARS}, True),
        ({"note": "n", "kind": "note", "text": "é" * (MAX_TEXT_CHARS + 1)}, False),
        ({"note": "n" * MAX_ID_CHARS, "kind": "decision", "text": ""}, True),
        ({"note": "n" * (MAX_ID_CHARS + 1), "kind": "note", "text": "x"}, False),
        ({"note": "", "kind": "note", "text": "x"}, False),
        ({"note": "n", "kind": "memo", "text": "x"}, False),
        ({"note": "n", "kind": "Note", "text": "x"}, False),
    ],
)
def test_a_note_at_and_past_its_limits(data: dict[str, Any], within: bool) -> None:
    line = line_of({"type": "note.add", "item": "1", "data": data})
    assert_judged_alike(line)
    event, bounded = decode_event_bounded(line)
    assert bounded == within == (recorded_problem(event) is None)


@pytest.mark.parametrize(
    ("data", "within"),
    [
        ({"speaker": "s", "name": "😀" * MAX_NAME_CHARS, "kind": "statement"}, True),
        ({"speaker": "s", "name": "😀" * (MAX_NAME_CHARS + 1), "kind": "statement"}, False),
        ({"speaker": "s", "name": "B", "kind": "statement", "limit": 3600}, True),
        ({"speaker": "s", "name": "B", "kind": "statement", "limit": 3600.5}, False),
        ({"speaker": "s", "name": "B", "kind": "statement", "limit": 0}, False),
        ({"speaker": "s", "name": "B", "kind": "statement", "limit": 10**400}, False),
        ({"speaker": "s", "name": "B", "kind": "nobody"}, False),
    ],
)
def test_a_speaker_at_and_past_its_limits(data: dict[str, Any], within: bool) -> None:
    line = line_of({"type": "speaker.add", "item": "1", "data": data})
    assert_judged_alike(line)
    try:
        event, bounded = decode_event_bounded(line)
    except LineError:
        assert not within  # not a number a record can hold: damage, as before
        return
    assert bounded == within == (recorded_problem(event) is None)


def test_a_stream_checks_in_full_once_one_event_was_not_bounded(tmp_path: Path) -> None:
    """Events built in Python (or decoded without bounds) pushed without ``bounded`` are checked
    in full, and so is every event folded with them."""
    log = make_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        header = store.header
    long_text = ev.NoteAddData(note="n1", kind="note", text="x" * (MAX_TEXT_CHARS + 1))
    bad = ev.NoteAdded(seq=2, id="e2", at=AT, recorded=AT, actor="ana", item="1", data=long_text)
    good = ev.ItemOpened(seq=1, id="e1", at=AT, recorded=AT, actor="ana", item="1")
    later = ev.ItemClosed(seq=3, id="e3", at=AT, recorded=AT, actor="ana", item="1")
    stream = Stream(SessionState(header), window=0)
    assert stream.push(good, True)
    assert stream.push(bad)
    assert stream.push(later, True)
    assert stream.finish()
    assert stream.state.invalid == {2: f"text is longer than {MAX_TEXT_CHARS} characters"}


@settings(max_examples=25, deadline=None)
@given(records)
def test_a_log_of_any_record_folds_alike_in_the_scan_and_from_a_list(
    tmp_path_factory: pytest.TempPathFactory, record: dict[str, Any]
) -> None:
    log = make_log(tmp_path_factory.mktemp("bounded") / "s.jsonl")
    append_records(log, [record, {"type": "item.open", "item": "1"}])
    service = open_session(str(log), read_only=True)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    replayer = Replayer(header, lambda: iter(events))
    replayer.needs_sort = True  # a sorted fold of a list, every event checked in full
    replayer.rebuild()
    assert service.state.invalid == replayer.state.invalid
    assert service.state.event_count == replayer.state.event_count
    service.close()


def test_times_near_the_bounds_fold_alike_with_and_without_the_quick_check(
    tmp_path: Path,
) -> None:
    """The bulk fold passes a bounded event's time by comparing it with instants a day inside
    the bounds, not by reading its year: in any time zone, a time near either bound is judged
    as the full check judges it."""
    log = make_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        header = store.header
    zones = [
        dt.timezone(dt.timedelta(hours=h, minutes=m)) for h, m in ((-23, -59), (0, 0), (23, 59))
    ]
    steps = [dt.timedelta(days=d, seconds=s) for d in (-2, -1, 0, 1, 2) for s in (-1, 0, 1)]
    times = [
        (bound + step).astimezone(zone)
        for bound in (
            dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
            dt.datetime(2200, 1, 1, tzinfo=dt.UTC),
        )
        for step in steps
        for zone in zones
        if dt.datetime(1, 1, 2, tzinfo=dt.UTC)
        < bound + step
        < dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
    ]
    # A first event makes its actor and item id known good, so that only the time is left.
    events: list[ev.Event] = [
        ev.ItemOpened(seq=1, id="e1", at=AT, recorded=AT, actor="ana", item="1")
    ]
    events += [
        ev.ItemOpened(seq=n, id=f"e{n}", at=at, recorded=AT, actor="ana", item="1")
        for n, at in enumerate(times, 2)
    ]
    for event in events:
        quick, full = SessionState(header), SessionState(header)
        apply_all(quick, events[:1], bounded=True)
        apply_all(full, events[:1])
        apply_all(quick, [event], bounded=True)
        apply_all(full, [event])
        assert quick.invalid == full.invalid
        assert (event.seq in full.invalid) == (not EARLIEST.year <= event.at.year < LATEST.year)


_NAIVE = dt.datetime(2020, 11, 19, 10, 5)
_any_instant = st.one_of(
    st.datetimes(timezones=st.just(dt.UTC)),
    st.datetimes(timezones=st.sampled_from([dt.timezone(dt.timedelta(hours=-3, minutes=-30))])),
    st.datetimes(),  # no zone: damage, whichever way the line is decoded
)


@settings(max_examples=300, deadline=None)
@given(records, _any_instant, _any_instant)
def test_lines_decoded_at_once_are_the_events_decoded_one_by_one(
    record: dict[str, Any], at: dt.datetime, recorded: dt.datetime
) -> None:
    """A run of lines is taken at once (``decode_events_bounded``) only if each line alone
    decodes within the bounds, to the same event; a time without a zone is refused by the
    decoder itself, as one by one it is damage."""
    line = line_of({**record, "at": at, "recorded": recorded})
    assert_judged_alike(line)
    try:
        event, bounded = decode_event_bounded(line)
    except LineError:
        event, bounded = None, False
    at_once = ev.decode_events_bounded([line, line])
    if bounded:
        assert at_once == [event, event]
        assert [type(one) for one in at_once] == [type(event)] * 2
    else:
        assert at_once is None


@pytest.mark.parametrize("field", ["at", "recorded"])
@pytest.mark.parametrize(
    "record",
    [
        {"type": "item.open", "item": "1"},
        {"type": "note.add", "item": "1", "data": {"note": "n", "kind": "note", "text": "x"}},
        {"type": "note.add", "item": "1", "data": {"note": "n", "kind": "memo", "text": "x"}},
        {"type": "no.such.type", "item": "1"},
    ],
    ids=["plain", "bounded payload", "payload out of bounds", "unknown type"],
)
def test_a_time_without_a_zone_is_damage_named_alike_in_a_run(
    tmp_path: Path, field: str, record: dict[str, Any]
) -> None:
    """In a log whose lines are otherwise sound, a record with a time without a zone is the
    damaged line, named so, whether the run it is in is decoded at once or line by line."""
    line = line_of({**record, field: _NAIVE})
    assert ev.decode_events_bounded([line]) is None
    with pytest.raises(LineError, match=r"^event time without a time zone$"):
        decode_event_bounded(line)
    log = make_log(tmp_path / "s.jsonl")
    sound = {"type": "note.add", "item": "1", "data": {"note": "n0", "kind": "note", "text": "y"}}
    append_records(log, [{"type": "item.open", "item": "1"}, sound, {**record, field: _NAIVE}])
    with FileStore(log, read_only=True) as store:
        assert [(damage.line, damage.reason) for damage in store.damage] == [
            (4, "event time without a time zone")
        ]
        assert store.last_seq == 2
