"""An undo is refused when someone has since recorded something that relies on what it reverts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    CloseItem,
    Conflict,
    DeleteNote,
    EditNote,
    OpenItem,
    SittingCommand,
    StartSpeaker,
    Undo,
)
from sessiontui.core.events import REFUSED_TYPE, UNDO, NoteAddData
from sessiontui.core.journal import journal_lines
from sessiontui.core.phrases import describe
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log
from .memory import MemorySession


@pytest.fixture
def m() -> MemorySession:
    return MemorySession()


def _as(service: SessionService, actor: str) -> SessionService:
    service.actor = actor
    return service


def test_a_take_up_a_speech_was_given_on_is_not_undone(tmp_path: Path) -> None:
    """The review's case: the record would say 2(d) was never taken up, and that Kenya spoke
    on it, the clock running."""
    service = SessionService(
        FileStore(make_log(tmp_path / "s.jsonl")), actor="Bo", clock=FakeClock(START)
    )
    service.run(SittingCommand("open"))
    service.run(OpenItem("2d"))
    _as(service, "Ana").run(AddSpeaker("2d", "Kenya", start=True))
    with pytest.raises(Conflict) as refused:
        _as(service, "Bo").run(Undo())
    assert str(refused.value) == (
        "took up 2(d) cannot be undone: since then Ana gave the floor to Kenya on 2(d), "
        "which relies on it (Ana must undo that first)"
    )
    state = service.state
    assert state.items["2d"].status == "open" and state.floor == "2d"
    assert state.speaking is not None
    types = [event.type for event in service.store.read()]
    assert UNDO not in types and types[-1] == REFUSED_TYPE  # the attempt is in the journal
    # Once Ana took her speech back, nothing relies on the take-up any more.
    _as(service, "Ana").run(Undo())
    _as(service, "Bo").run(Undo())
    assert service.state.items["2d"].status == "pending" and service.state.speaking is None


def test_the_refusal_names_the_command_not_the_speech_it_ended(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00", actor="Ana")
    m.run(AddSpeaker("2a", "Kenya", start=True), "10:01", actor="Bo")
    m.run(OpenItem("2b"), "10:05", actor="Ana")  # ends Kenya's speech on the way
    with pytest.raises(Conflict, match=r"since then Ana took up 2\(b\), which relies"):
        m.run(Undo(), "10:06", actor="Bo")


def test_a_conclusion_someone_acted_on_since_is_not_undone(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00", actor="Bo")
    m.run(CloseItem("2a"), "10:10", actor="Bo")
    m.run(OpenItem("2a"), "10:12", actor="Ana")  # a reopening: it relies on the closing
    with pytest.raises(Conflict, match=r"since then Ana reopened 2\(a\)"):
        m.run(Undo(), "10:13", actor="Bo")
    assert m.state.items["2a"].reopened == 1


def test_a_speaker_given_the_floor_since_is_not_taken_away(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00", actor="Ana")
    m.run(AddSpeaker("2a", "Kenya"), "10:01", actor="Bo")
    m.run(StartSpeaker("2a", "Kenya"), "10:02", actor="Ana")
    with pytest.raises(Conflict, match="since then Ana gave the floor to Kenya on 2"):
        m.run(Undo(), "10:03", actor="Bo")


def test_what_does_not_rely_on_it_does_not_stop_an_undo(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00", actor="Bo")
    m.run(AddNote("2a", "Ana's note"), "10:01", actor="Ana")
    m.run(AddSpeaker("2a", "Kenya"), "10:02", actor="Ana")  # on the list, not speaking
    m.run(Undo(), "10:03", actor="Bo")
    assert m.state.items["2a"].status == "pending"
    assert [note.text for note in m.state.notes_of("2a")] == ["Ana's note"]


def test_what_was_undone_since_does_not_count(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00", actor="Bo")
    m.run(AddSpeaker("2a", "Kenya", start=True), "10:01", actor="Ana")
    m.run(Undo(), "10:02", actor="Ana")
    m.run(Undo(), "10:03", actor="Bo")
    assert m.state.items["2a"].status == "pending"


def test_only_the_events_since_the_batch_are_read(tmp_path: Path) -> None:
    """The check reads the log from the batch it reverts on, never the whole log."""
    service = SessionService(
        FileStore(make_log(tmp_path / "s.jsonl")), actor="Bo", clock=FakeClock(START)
    )
    for number in range(20):
        _as(service, "Ana").run(AddNote("1", f"note {number}"))
    service.actor = "Bo"
    before = service.state.last_seq
    service.run(OpenItem("2a"))
    read = service.store.read
    asked: list[int] = []

    def spy(after_seq: int = 0):  # type: ignore[no-untyped-def]
        asked.append(after_seq)
        return read(after_seq)

    service.store.read = spy  # type: ignore[method-assign]
    service.run(Undo())
    assert asked and asked[0] >= before - 2  # a speech it ended may come first


def _note_of(m: MemorySession, item: str) -> str:
    (note,) = m.state.notes_of(item)
    return note.id


def test_a_note_someone_edited_since_is_not_undone(m: MemorySession) -> None:
    """Undoing "wrote a note" would take Ana's words with it: the edit guard's promise."""
    m.run(AddNote("2c", "Bo text."), "10:00", actor="Bo")
    note = _note_of(m, "2c")
    m.run(EditNote(note, "Bo text, with Ana additions.", since=1), "10:01", actor="Ana")
    with pytest.raises(Conflict) as refused:
        m.run(Undo(), "10:02", actor="Bo")
    assert str(refused.value) == (
        "wrote a note on 2(c) cannot be undone: since then Ana edited this note, "
        "which relies on it (Ana must undo that first)"
    )
    (kept,) = m.state.notes_of("2c")
    assert kept.text == "Bo text, with Ana additions."


def test_an_edit_of_a_note_someone_deleted_since_is_not_undone(m: MemorySession) -> None:
    m.run(AddNote("2c", "Ana's decision", kind="decision"), "10:00", actor="Ana")
    note = _note_of(m, "2c")
    m.run(EditNote(note, "Bo's wording"), "10:01", actor="Bo")
    m.run(DeleteNote(note), "10:02", actor="Ana")
    with pytest.raises(Conflict, match="since then Ana deleted this decision, which relies"):
        m.run(Undo(), "10:03", actor="Bo")


def test_a_note_on_another_note_does_not_stop_an_undo(m: MemorySession) -> None:
    m.run(AddNote("2c", "Bo's"), "10:00", actor="Bo")
    m.run(AddNote("2c", "Ana's"), "10:01", actor="Ana")
    m.run(Undo(), "10:02", actor="Bo")
    assert [note.text for note in m.state.notes_of("2c")] == ["Ana's"]


def test_an_undone_deletion_names_the_kind_of_note(m: MemorySession) -> None:
    """The journal said "deleted the decision", then "undid: deleted a note"."""
    m.run(AddNote("1", "The agenda was adopted.", kind="decision"), "10:00")
    m.run(DeleteNote(_note_of(m, "1")), "10:01")
    m.run(Undo(), "10:02")
    (added,) = m.run(AddNote("1", "Adopt it.", kind="action"), "10:03")
    assert isinstance(added.data, NoteAddData)
    m.run(EditNote(added.data.note, "Adopt it as orally amended."), "10:04")
    m.run(Undo(), "10:05")
    lines = [line.split("  ", 2)[2] for line in journal_lines(m.header, m.events)]
    assert lines[1:3] == [
        "deleted the decision of 11:00 on 1: The agenda was adopted.",
        "undid: deleted a decision on 1",
    ]
    assert lines[-1] == "undid: edited an action point on 1"


def test_a_deletion_or_edit_is_echoed_by_the_kind_of_note(m: MemorySession) -> None:
    """The command line echoed "deleted a note on 1" for a decision it had just deleted."""
    m.run(AddNote("1", "The agenda was adopted.", kind="decision"), "10:00")
    (deleted,) = m.run(DeleteNote(_note_of(m, "1")), "10:01")
    (added,) = m.run(AddNote("2a", "Adopt it.", kind="action"), "10:03")
    assert isinstance(added.data, NoteAddData)
    (edited,) = m.run(EditNote(added.data.note, "Adopt it as orally amended."), "10:04")
    assert describe(m.state, deleted) == "deleted a decision on 1"
    assert describe(m.state, edited) == "edited an action point on 2(a)"
