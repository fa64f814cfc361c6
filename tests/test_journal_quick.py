"""The journal's shortcuts for the usual line say what its long way says, word for word."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from sessiontui.core import journal as journal_module
from sessiontui.core.events import Event
from sessiontui.core.journal import KINDS, Journal
from sessiontui.core.snapshot import dump_state
from sessiontui.store.file import FileStore

from .conftest import make_log
from .hostile_records import append_records
from .test_journal import Meeting, play

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


def _meeting_with_oddities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worked meeting, then records no command makes (an item the agenda lacks, a speaker
    never listed, a note far too long, one back-dated), then a third day of the meeting."""
    meeting = play(Meeting(tmp_path, monkeypatch, "Europe/Vienna"))
    day3 = dt.datetime(2020, 11, 21, 8, 0, tzinfo=dt.UTC)
    append_records(
        meeting.log,
        [
            {"type": "item.open", "item": "nowhere", "at": day3},
            {"type": "speaker.start", "item": "2a", "data": {"speaker": "ghost"}, "at": day3},
            {
                "type": "speaker.start",
                "item": "nowhere",
                "data": {"speaker": "ghost", "interrupts": "other"},
                "at": day3,
            },
            {"type": "speaker.stop", "item": "2a", "data": {"speaker": "ghost"}, "at": day3},
            {"type": "item.close", "item": "1", "at": day3 - dt.timedelta(days=1)},
            {
                "type": "note.add",
                "item": "2a",
                "data": {"note": "n", "kind": "note", "text": "x" * 100_000},
                "at": day3,
            },
            {"type": "item.open", "item": "2b", "at": day3 + dt.timedelta(minutes=1)},
            {"type": "item.close", "item": "", "at": day3 + dt.timedelta(minutes=2)},
        ],
    )
    meeting.do("10:00", "ana", "sitting", "open", day=21)
    meeting.do("10:01", "ana", "open", "2a", day=21)
    meeting.do("10:02", "ana", "speaker", "2a", "Chile", "--start", day=21)
    meeting.do("10:03", "ana", "speaker", "2a", "Peru", "--kind", "point_of_order", day=21)
    meeting.do("10:03:30", "ana", "speaker", "2a", "Peru", "--start", day=21)
    meeting.do("10:04", "ana", "speaker", "2a", "Peru", "--stop", day=21)
    meeting.do("10:09", "ana", "speaker", "2a", "Chile", "--stop", day=21)
    meeting.do("10:10", "rao", "note", "2a", "  Spaced   out\ttext ", day=21)
    meeting.do("10:11", "ana", "undo", day=21)
    meeting.do("10:12", "ana", "open", "3", day=21)
    meeting.do("10:13", "ana", "close", "2", day=21)
    meeting.do("10:14", "ana", "suspend", "3", day=21)
    return meeting.log


def test_the_usual_lines_say_what_the_long_way_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _meeting_with_oddities(tmp_path, monkeypatch)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    assert not store.damage
    mid = events[len(events) // 2].at
    filters: list[dict[str, Any]] = [
        {},
        *({"kinds": {kind}} for kind in KINDS),
        {"item": "2"},
        {"item": "2a"},
        {"actor": "RAO"},
        {"since": mid},
        {"until": mid, "kinds": {"status", "notes"}},
    ]

    def words() -> list[object]:
        said: list[object] = []
        for chosen in filters:
            said.append(Journal(header, **chosen).entries(events))
            journal = Journal(header, **chosen)
            said.append([journal.lines(events[n : n + 3]) for n in range(0, len(events), 3)])
        whole = Journal(header)
        said.append([list(whole.stream_lines(events[n : n + 5])) for n in range(0, len(events), 5)])
        journal = Journal(header, source=lambda: iter(events))
        said.append(list(journal.stream_lines(events[:40])))
        said.append(journal.entries(events[40:]))
        said.append(
            sorted(
                (batch, sorted(items), kind) for batch, (items, kind) in journal._batches.items()
            )
        )
        return said

    taken: list[int] = []
    quick_line = Journal._quick_line

    def counted(self: Journal, *args: Any) -> str | None:
        taken.append(1)
        return quick_line(self, *args)

    monkeypatch.setattr(Journal, "_quick_line", counted)
    quick = words()
    assert len(taken) > 10 * len(filters)  # most lines took the short way
    monkeypatch.setattr(journal_module, "_QUICK", {})
    assert words() == quick


@pytest.mark.parametrize("zone", ZONES)
def test_a_whole_journal_says_what_the_long_way_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    log = _meeting_with_oddities(tmp_path, monkeypatch)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    header = msgspec.structs.replace(header, timezone=zone)
    whole = list(Journal(header, source=lambda: iter(events)).stream_lines(events))
    # The long way: every line by ``_full_line``, every time from its timestamp.
    monkeypatch.setattr(journal_module, "_QUICK", {})
    monkeypatch.setattr(Journal, "_time", Journal._time_of)
    assert whole == Journal(header).lines(events)


def test_a_journal_of_lines_only_says_what_every_journal_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Undo, a back-dated record, an item the agenda lacks: the batches it does not note and
    # the items it does not work out change no word, whichever way the lines are asked for.
    log = _meeting_with_oddities(tmp_path, monkeypatch)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    expected = Journal(header).lines(events)
    journal = Journal.of_lines_only(header, lambda: iter(events))
    runs = [events[n : n + 7] for n in range(0, len(events), 7)]
    said = [line for run in runs for line in journal.stream_lines(run)]
    assert said == expected
    assert not journal._batches
    journal = Journal.of_lines_only(header, lambda: iter(events))
    said = [line for n in range(0, len(events), 3) for line in journal.lines(events[n : n + 3])]
    assert said == expected
    assert not journal._batches
    with pytest.raises(ValueError, match="concerns"):
        journal.entries(events[:1])
    with pytest.raises(ValueError, match="batches"):
        journal.snapshot([])


def test_a_journal_of_lines_only_folds_the_same_state_but_its_undo_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its undo memory is not kept past a rebuild (nothing of it is read); the rest is every
    # journal's state.
    log = _meeting_with_oddities(tmp_path, monkeypatch)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    undo = next(n for n, event in enumerate(events) if event.type == "undo")
    for upto in (undo, len(events)):  # before the undo's rebuild, and after it
        source = functools.partial(_first, events, upto)
        every = Journal(header, source=source)
        only = Journal.of_lines_only(header, source)
        runs = [events[n : n + 7] for n in range(0, upto, 7)]
        assert [list(only.stream_lines(run)) for run in runs] == [
            list(every.stream_lines(run)) for run in runs
        ]
        every.state.undoable.clear()
        only.state.undoable.clear()
        assert dump_state(only.state, needs_sort=False) == dump_state(every.state, needs_sort=False)


def _first(events: list[Event], count: int) -> Iterator[Event]:
    return iter(events[:count])
