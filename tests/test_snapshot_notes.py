"""A state loaded from a snapshot keeps each note as JSON until it is read: same notes, same
order, same reports and the same snapshot bytes as a state that decoded them all."""

from __future__ import annotations

import copy
from pathlib import Path

import msgspec
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, DeleteNote, EditNote, NextItem, OpenItem, Refused
from sessiontui.core.replay import replay
from sessiontui.core.report import build_report
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import SessionState
from sessiontui.service import open_session
from sessiontui.store.file import FileStore

from .conftest import START, make_log
from .test_checkpoint import every_event, record  # noqa: F401 (every_event: an autouse fixture)


def notes_session(tmp_path: Path) -> tuple[Path, FakeClock]:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(
        log,
        clock,
        OpenItem("1"),
        AddNote("1", "first on 1"),
        AddNote("1", "a decision on 1", "decision"),
        NextItem(),
        AddNote("2a", "on 2a"),
        AddNote("1", "later on 1", "action"),
    )
    return log, clock


def whole(log: Path) -> SessionState:
    with FileStore(log, read_only=True) as store:
        return replay(store.header, list(store.read()))


def unread(state: SessionState) -> set[str]:
    return {key for key, note in state.stored_notes().items() if isinstance(note, msgspec.Raw)}


def test_loaded_notes_are_decoded_only_when_read(tmp_path: Path) -> None:
    log, _ = notes_session(tmp_path)
    state = whole(log)
    dumped = dump_state(state, needs_sort=False)
    loaded, _ = load_state(state.header, memoryview(bytearray(dumped)))
    assert unread(loaded) == set(state.notes)
    assert list(loaded.note_ids()) == list(state.notes)
    # One item's notes, in order: only those are decoded.
    assert loaded.notes_of("2a") == state.notes_of("2a")
    assert unread(loaded) == set(state.notes) - {note.id for note in state.notes_of("2a")}
    # Unread notes go back out as they came in: the same bytes, before and after reading all.
    assert dump_state(loaded, needs_sort=False) == dumped
    assert loaded.notes == state.notes and list(loaded.notes) == list(state.notes)
    assert not unread(loaded)
    assert dump_state(loaded, needs_sort=False) == dumped
    assert build_report(loaded, None) == build_report(state, None)


def test_a_note_read_alone_is_the_one_all_notes_hold(tmp_path: Path) -> None:
    log, _ = notes_session(tmp_path)
    state = whole(log)
    loaded, _ = load_state(state.header, dump_state(state, needs_sort=False))
    first = next(iter(state.notes))
    one = loaded.note(first)
    assert one is not None and one == state.notes[first]
    assert loaded.notes[first] is one  # an edit folded later changes the note shown
    assert loaded.note("no such note") is None
    assert copy.deepcopy(loaded).notes == state.notes


def test_notes_edited_after_a_checkpoint_are_the_same_as_folded_whole(tmp_path: Path) -> None:
    log, clock = notes_session(tmp_path)
    open_session(str(log), read_only=True).close()  # leaves the checkpoint
    first = next(iter(whole(log).notes))
    record(
        log,
        clock,
        EditNote(first[:8], "first on 1, edited"),  # a prefix, as typed on the command line
        AddNote("2a", "after the checkpoint"),
    )
    service = open_session(str(log), actor="ana", clock=clock)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    state = service.state
    # Folding the edit and the new note decoded no other note.
    assert len(unread(state)) == len(whole(log).notes) - 2
    clock.advance(60)
    last = next(reversed(whole(log).notes))
    service.run(DeleteNote(last))
    expected = whole(log)
    assert state.notes_of("1", include_deleted=True) == expected.notes_of("1", include_deleted=True)
    assert state.notes == expected.notes and list(state.notes) == list(expected.notes)
    assert build_report(state, None) == build_report(expected, None)
    service.close()


def test_an_unknown_note_prefix_is_refused_without_decoding_every_note(tmp_path: Path) -> None:
    log, clock = notes_session(tmp_path)
    open_session(str(log), read_only=True).close()
    service = open_session(str(log), actor="ana", clock=clock)
    before = unread(service.state)
    with pytest.raises(Refused, match="no note 'zz'"):
        service.run(EditNote("zz", "text"))
    with pytest.raises(Refused, match="no note ''"):
        service.run(EditNote("", "text"))
    assert unread(service.state) == before
    service.close()


def test_a_snapshot_of_another_layout_is_refused_at_load(tmp_path: Path) -> None:
    """Notes are checked only when read, so a snapshot written for another shape of ``Note``
    (code changed, version not) must be refused when loaded, and the log folded instead."""
    log, _ = notes_session(tmp_path)
    state = whole(log)
    dumped = dump_state(state, needs_sort=False)
    other = dumped.replace(b'"layout":"', b'"layout":"0', 1)
    with pytest.raises(ValueError, match="another version"):
        load_state(state.header, other)


def test_a_hand_edited_note_is_a_one_line_error_naming_the_checkpoint(tmp_path: Path) -> None:
    """A checkpoint rewritten by hand with a valid digest but a note of the wrong shape: the
    note is found out when read, with a message that says what to do."""
    log, _ = notes_session(tmp_path)
    state = whole(log)
    dumped = dump_state(state, needs_sort=False)
    edited = dumped.replace(b'"text":"on 2a"', b'"text":5', 1)
    assert edited != dumped
    loaded, _ = load_state(state.header, edited)
    assert loaded.notes_of("1") == state.notes_of("1")  # the others are fine
    with pytest.raises(ValueError, match=r"checkpoint cannot be read .*delete the \.checkpoint"):
        loaded.notes_of("2a")


def test_the_loaded_notes_do_not_keep_the_snapshot_buffer(tmp_path: Path) -> None:
    """Unread notes hold their own bytes, not the whole snapshot's buffer (tens of MB)."""
    log, _ = notes_session(tmp_path)
    state = whole(log)
    buffer = bytearray(dump_state(state, needs_sort=False))
    loaded, _ = load_state(state.header, memoryview(buffer))
    # A bytearray with views into it cannot be resized: this raises if a note still refers
    # to it.
    buffer.extend(b" ")
    assert loaded.notes == state.notes


def test_counting_notes_by_kind_reads_no_note_whole(tmp_path: Path) -> None:
    log, clock = notes_session(tmp_path)
    record(log, clock, DeleteNote(next(iter(whole(log).notes))))  # one of item 1's, deleted
    state = whole(log)
    loaded, _ = load_state(state.header, dump_state(state, needs_sort=False))
    for item_id in state.items:
        kinds = [note.kind for note in state.notes_of(item_id)]
        assert loaded.note_kinds_of(item_id) == kinds == state.note_kinds_of(item_id)
    assert loaded.note_kinds_of("1") == ["decision", "action"]
    assert unread(loaded) == set(state.notes)  # each still its JSON
    assert build_report(loaded, None) == build_report(state, None)
