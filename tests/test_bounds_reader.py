"""The fold's quick bounds check (``recorded_problem``) answers as ``event_problem`` does.

The fold checks every event it folds with ``recorded_problem``: it remembers actors and item
ids found good and passes ordinary text inline. Whatever a record holds, its answer (and its
words) must be those of the full check a reader makes, the first time and again once cached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core import events as ev
from sessiontui.core.bounds import MAX_ID_CHARS, MAX_TEXT_CHARS, event_problem, recorded_problem
from sessiontui.core.events import LineError, decode_event
from sessiontui.core.vocabulary import NOTE_KINDS, SPEAKER_KINDS
from tests.hostile_records import record_line, records
from tests.test_hostile_records import OUT_OF_RANGE

AT = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)


def full_check(event: ev.Event) -> str | None:
    return event_problem(event.type, event.item, event.data, event.actor, event.at)


def decoded(record: dict[str, Any]) -> ev.Event | None:
    """The event a reader would fold from a line holding ``record`` (None: damage, not folded)."""
    line = record_line(record)
    try:
        return decode_event(line)
    except LineError:
        return None


def assert_same(event: ev.Event) -> None:
    expected = full_check(event)
    assert recorded_problem(event) == expected
    assert recorded_problem(event) == expected  # again, with what it remembered


@settings(max_examples=300, deadline=None)
@given(records)
def test_any_decoded_record_is_judged_as_the_full_check_judges_it(
    record: dict[str, Any],
) -> None:
    event = decoded(record)
    if event is not None:
        assert_same(event)


@pytest.mark.parametrize("record", OUT_OF_RANGE, ids=lambda record: str(record["type"]))
def test_each_out_of_range_record_gets_the_full_checks_words(record: dict[str, Any]) -> None:
    event = decoded(record)
    assert event is not None
    assert recorded_problem(event) is not None
    assert_same(event)


@pytest.mark.parametrize(
    ("item", "data"),
    [
        ("2a", ev.NoteAddData(note="n1", kind="note", text="")),
        ("2a", ev.NoteAddData(note="", kind="note", text="x")),
        ("2a", ev.NoteAddData(note="n1", kind="memo", text="x")),
        ("2a", ev.NoteAddData(note="n1", kind="note", text="x" * (MAX_TEXT_CHARS + 1))),
        ("2a", ev.NoteAddData(note="n" * (MAX_ID_CHARS + 1), kind="note", text="x")),
        ("2a", ev.NoteAddData(note="n1", kind="note", text="tab\there\x1b[2J")),
        ("2\x1ba", ev.NoteAddData(note="n1", kind="note", text="x")),
        ("", ev.NoteAddData(note="n1", kind="note", text="x")),
        ("i" * (MAX_ID_CHARS + 1), ev.NoteAddData(note="n1", kind="note", text="x")),
    ],
)
def test_text_at_and_past_its_limits(item: str, data: ev.NoteAddData) -> None:
    assert_same(ev.NoteAdded(seq=1, id="e", at=AT, recorded=AT, actor="ana", item=item, data=data))


def test_values_of_the_wrong_type_built_in_python_fall_to_the_full_check() -> None:
    """Events built in Python are not checked by a decoder: text that is not text, an item id
    that is a list, a flag that is a number, all get the full check's words."""
    bad_text = ev.NoteAddData(note="n1", kind="note", text=["not", "text"])  # type: ignore[arg-type]
    cases: list[ev.Event] = [
        ev.NoteAdded(seq=1, id="e", at=AT, recorded=AT, actor="ana", item="1", data=bad_text),
        ev.ItemOpened(seq=1, id="e", at=AT, recorded=AT, actor="ana", item=["1"]),  # type: ignore[arg-type]
        ev.ItemOpened(
            seq=1,
            id="e",
            at=AT,
            recorded=AT,
            actor="ana",
            data=ev.Payload(corrected=1),  # type: ignore[arg-type]
        ),
        ev.SpeakerAdded(
            seq=1,
            id="e",
            at=AT,
            recorded=AT,
            actor="ana",
            item="1",
            data=ev.SpeakerAddData(speaker="s", name=5, kind="statement"),  # type: ignore[arg-type]
        ),
    ]
    for event in cases:
        assert full_check(event) is not None
        assert_same(event)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), st.one_of(st.none(), st.text(max_size=12)))
def test_any_actor_and_item_id(actor: str, item: str | None) -> None:
    assert_same(ev.ItemClosed(seq=1, id="e", at=AT, recorded=AT, actor=actor, item=item))


@pytest.mark.parametrize(
    "kind", [*NOTE_KINDS, *SPEAKER_KINDS, "memo", "", "Note", "note ", ["note"], 3]
)
def test_a_kind_passes_only_as_one_of_its_words(kind: Any) -> None:
    """A kind passes inline when it is one of its words; anything else (another word, a case
    or a space away, a list built in Python) gets the full check's answer and words."""
    note = ev.NoteAdded(
        seq=1,
        id="e",
        at=AT,
        recorded=AT,
        actor="ana",
        item="1",
        data=ev.NoteAddData(note="n1", kind=kind, text="x"),
    )
    speaker = ev.SpeakerAdded(
        seq=1,
        id="e",
        at=AT,
        recorded=AT,
        actor="ana",
        item="1",
        data=ev.SpeakerAddData(speaker="s", name="Brazil", kind=kind),
    )
    assert_same(note)
    assert_same(speaker)
    assert (recorded_problem(note) is None) == (kind in NOTE_KINDS)
    assert (recorded_problem(speaker) is None) == (kind in SPEAKER_KINDS)
