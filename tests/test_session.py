"""Meeting semantics and time accounting, on the pure domain with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    Amend,
    CloseItem,
    Command,
    Context,
    DeferItem,
    DeleteNote,
    EditNote,
    NextItem,
    OpenItem,
    Refused,
    RemoveSpeaker,
    ResumeItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    Undo,
    decide,
    next_item,
)
from sessiontui.core.events import NoteAddData, SittingOpenData, UndoData
from sessiontui.core.state import SessionState

from .memory import MemorySession


def statuses(m: MemorySession, *items: str) -> list[str]:
    return [m.state.items[item].status for item in items]


@pytest.fixture
def m() -> MemorySession:
    return MemorySession()


def test_taking_up_an_item_opens_a_sitting_implicitly_and_puts_ancestors_in_consideration(
    m: MemorySession,
) -> None:
    events = m.run(OpenItem("2a"), "10:00")
    assert [e.type for e in events] == ["sitting.open", "item.open"]
    assert events[0].data == SittingOpenData(implicit=True)
    assert m.state.floor == "2a"
    assert m.state.items["2"].status == "open"
    assert m.state.items["2a"].status == "open"
    assert m.state.sitting is not None and m.state.sitting.label == "1st meeting"


def test_time_of_items_and_their_parent(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("2b"), "10:20")
    assert m.state.items["2a"].status == "suspended"
    assert m.state.items["2"].status == "open"
    m.run(CloseItem("2b"), "10:50")
    assert m.state.floor == "2"  # back to the parent still in consideration
    m.run(CloseItem("2"), "11:00")
    assert m.state.floor is None
    assert (m.minutes("2a"), m.minutes("2b"), m.minutes("2")) == (20, 30, 60)
    assert m.state.items["2a"].status == "closed"  # closing a parent closes what is still open


def test_live_time_counts_up_to_now_only_when_asked(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    assert m.state.used_seconds("1") == 0
    assert m.state.used_seconds("1", m.at("10:07")) == 7 * 60


def test_sitting_suspension_stops_every_clock_and_resumes_the_same_item(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00")
    m.run(AddSpeaker("2a", "Brazil", start=True), "10:05")
    m.run(SittingCommand("suspend"), "10:10")
    assert not m.state.running
    m.run(SittingCommand("resume"), "10:40")
    assert m.state.floor == "2a"
    m.run(CloseItem("2a"), "10:45")
    assert m.minutes("2a") == 15
    speaker = m.state.items["2a"].speakers[0]
    assert speaker.seconds == 10 * 60 and speaker.status == "done"
    assert m.state.sitting_seconds(m.at("10:45")) == 15 * 60  # 10:00-10:10 and 10:40-10:45
    sitting = m.state.sittings[0]
    assert sitting.suspensions == [[m.at("10:10"), m.at("10:40")]]


def test_closing_the_sitting_takes_the_item_off_the_floor(m: MemorySession) -> None:
    m.run(OpenItem("2c"), "15:00")
    m.run(SittingCommand("close"), "18:00")
    assert m.state.floor is None
    assert m.state.items["2c"].status == "suspended"
    assert m.state.sitting is None
    m.run(OpenItem("2c"), m.at("10:00", day=20))
    assert m.state.sittings[-1].label == "2nd meeting"
    m.run(CloseItem("2c"), m.at("10:30", day=20))
    assert m.minutes("2c") == 180 + 30
    assert m.state.items["2c"].sittings == [1, 2]


def test_next_closes_and_takes_up_the_next_item_skipping_concluded_ones(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    m.run(DeferItem("2a"), "10:01")
    m.run(NextItem(), "10:10")
    assert m.state.items["1"].status == "closed"
    assert m.state.floor == "2"
    assert m.state.items["2"].status == "open"
    m.run(NextItem(), "10:15")
    assert m.state.floor == "2b"  # 2(a) was deferred
    assert m.state.items["2"].status == "open"  # a parent stays open for its sub-items
    assert next_item(m.state) == "2c"


def test_next_past_the_last_sub_item_concludes_the_parent(m: MemorySession) -> None:
    m.run(OpenItem("2d"), "10:00")
    m.run(DeferItem("2e"), "10:01")
    m.run(NextItem(), "10:10")
    assert m.state.floor == "3"
    assert m.state.items["2"].status == "suspended"  # 2(a)-(c) were never taken up
    m2 = MemorySession()
    for item in ("2a", "2b", "2c", "2d"):
        m2.run(OpenItem(item), "10:00")
        m2.run(CloseItem(item), "10:00")
    m2.run(OpenItem("2e"), "10:00")
    m2.run(NextItem(), "10:30")
    assert (m2.state.items["2e"].status, m2.state.items["2"].status) == ("closed", "closed")
    assert m2.state.floor == "3"


def test_next_at_the_end_is_refused(m: MemorySession) -> None:
    m.run(OpenItem("3"), "10:00")
    with pytest.raises(Refused, match="no item left"):
        m.run(NextItem(), "10:05")


def test_reopening_a_closed_item_adds_to_its_time(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    m.run(CloseItem("1"), "10:10")
    m.run(OpenItem("1"), "11:00")
    assert m.state.items["1"].reopened == 1
    m.run(CloseItem("1"), "11:05")
    assert m.minutes("1") == 15
    assert m.state.items["1"].first_opened == m.at("10:00")
    assert m.state.items["1"].last_closed == m.at("11:05")


def test_taking_up_an_item_outside_the_branch_suspends_the_branch(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("3"), "10:10")
    assert statuses(m, "2a", "2", "3") == ["suspended", "suspended", "open"]
    m.run(ResumeItem("2a"), "10:20")
    assert statuses(m, "2a", "2", "3") == ["open", "open", "suspended"]


def test_refusals_name_who_and_when(m: MemorySession) -> None:
    m.run(OpenItem("2c"), "10:00")
    m.run(CloseItem("2c"), "10:42", actor="ana")
    # 10:42 UTC, said in the meeting's time zone (Vienna, UTC+1 in November).
    with pytest.raises(Refused, match=r"2\(c\) was already closed by ana at 11:42"):
        m.run(CloseItem("2c"), "10:43", actor="ben")
    with pytest.raises(Refused, match="has not been taken up"):
        m.run(CloseItem("3"), "10:44")
    with pytest.raises(Refused, match="not suspended"):
        m.run(ResumeItem("3"), "10:44")
    m.run(OpenItem("1"), "10:45")
    with pytest.raises(Refused, match="already on the floor"):
        m.run(OpenItem("1"), "10:46")


def test_a_suspended_sitting_refuses_taking_items_up(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    m.run(SittingCommand("suspend"), "10:30")
    with pytest.raises(Refused, match="resume the sitting first"):
        m.run(OpenItem("2a"), "10:35")
    with pytest.raises(Refused, match="is suspended"):
        m.run(SittingCommand("suspend"), "10:36")
    with pytest.raises(Refused, match="still suspended"):
        m.run(SittingCommand("open"), "10:36")


def test_speakers_limits_and_kinds(m: MemorySession) -> None:
    m.run(OpenItem("2b"), "10:00")
    m.run(AddSpeaker("2b", "Brazil", delegation="Brazil", limit_seconds=180), "10:00")
    m.run(AddSpeaker("2b", "Kenya", kind="reply"), "10:00")
    m.run(StartSpeaker("2b", "brazil"), "10:01")
    m.run(StartSpeaker("2b", "Kenya"), "10:05")  # Brazil is done when Kenya starts
    m.run(StopSpeaker("2b"), "10:06")
    brazil, kenya = m.state.items["2b"].speakers
    assert (brazil.status, brazil.seconds, brazil.limit_seconds) == ("done", 240, 180)
    assert (kenya.kind, kenya.seconds) == ("reply", 60)
    with pytest.raises(Refused, match="nobody is speaking"):
        m.run(StopSpeaker("2b"), "10:07")
    with pytest.raises(Refused, match="not on the floor"):
        m.run(AddSpeaker("3", "Peru", start=True), "10:07")
    assert list(m.state.speaker_names) == ["Brazil", "Kenya"]


def test_notes_edit_and_delete_keep_history(m: MemorySession) -> None:
    (event,) = m.run(AddNote("2a", "First draft", "decision"), "10:00")
    assert isinstance(event.data, NoteAddData)
    note_id = event.data.note
    m.run(EditNote(note_id, "Second draft"), "10:05", actor="ben")
    note = m.state.notes[note_id]
    assert (note.text, note.kind, note.author) == ("Second draft", "decision", "ana")
    assert [v.text for v in note.history] == ["First draft", "Second draft"]
    m.run(DeleteNote(note_id[:6]), "10:06")
    assert m.state.notes_of("2a") == []
    assert m.state.notes_of("2a", include_deleted=True)[0].deleted_by == "ana"
    with pytest.raises(Refused, match="deleted"):
        m.run(EditNote(note_id, "again"), "10:07")
    with pytest.raises(Refused, match="empty"):
        m.run(AddNote("2a", " \x1b[31m \u202e "), "10:07")


def test_an_edit_begun_before_another_is_refused(m: MemorySession) -> None:
    (event,) = m.run(AddNote("2a", "Chile spoke."), "10:00")
    assert isinstance(event.data, NoteAddData)
    note_id = event.data.note
    began = len(m.state.notes[note_id].history)
    m.run(EditNote(note_id, "Chile spoke. Mexico objected.", since=began), "10:05", actor="ben")
    with pytest.raises(Refused, match="changed by ben since this edit began"):
        m.run(EditNote(note_id, "Chile agreed.", since=began), "10:06")
    m.run(EditNote(note_id, "Chile agreed; Mexico objected.", since=began + 1), "10:07")
    assert m.state.notes[note_id].text == "Chile agreed; Mexico objected."


def test_typed_text_loses_escape_sequences_and_controls(m: MemorySession) -> None:
    (event,) = m.run(
        AddNote("1", "a\x1b]52;c;ZXZpbA==\x07b\x9bc\u202ed [@click=app.quit] [b]"), "10:00"
    )
    assert isinstance(event.data, NoteAddData)
    assert event.data.text == "abcd [@click=app.quit] [b]"


def test_undo_reverts_the_actors_last_action_only(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00", actor="ana")
    before = (m.state.floor, m.state.items["1"].status)
    m.run(AddNote("1", "ben's note"), "10:01", actor="ben")
    m.run(CloseItem("1"), "10:02", actor="ana")
    m.run(Undo(), "10:03", actor="ana")
    assert (m.state.floor, m.state.items["1"].status) == before
    assert len(m.state.notes_of("1")) == 1  # ben's note stays
    m.run(Undo(), "10:04", actor="ana")  # the take-up itself
    assert m.state.items["1"].status == "pending" and m.state.sitting is None
    with pytest.raises(Refused, match="nothing to undo"):
        m.run(Undo(), "10:05", actor="ana")


def test_an_undo_names_the_action_not_the_speech_it_ended(m: MemorySession) -> None:
    """Closing the sitting, or giving the floor to the next speaker, ends the current speech
    first: undoing it names what was undone, not that speech's end alone."""
    m.run(OpenItem("2"), "10:00")
    m.run(AddSpeaker("2", "Germany", start=True), "10:01")
    m.run(AddSpeaker("2", "Brazil"), "10:02")
    m.run(StartSpeaker("2", "Brazil"), "10:05")
    (undo,) = m.run(Undo(), "10:06")
    assert isinstance(undo.data, UndoData)
    assert undo.data.what == "ended the speech of Germany on 2 and gave the floor to Brazil on 2"
    m.run(SittingCommand("close"), "10:07")
    (undo,) = m.run(Undo(), "10:08")
    assert isinstance(undo.data, UndoData)
    assert undo.data.what == "ended the speech of Germany on 2 and closed the sitting"


def test_undoing_a_removal_names_the_speaker_put_back(m: MemorySession) -> None:
    """The removed speaker is no longer on the list when the undo is decided: its words (the
    tracker's message, the journal's "undid: ..." line) still name them, also after a
    checkpoint, never "a speaker"."""
    from sessiontui.core.snapshot import dump_state, load_state

    m.run(OpenItem("2a"), "10:00")
    m.run(AddSpeaker("2a", "Mexico"), "10:01")
    m.run(RemoveSpeaker("2a", "Mexico"), "10:02")
    loaded, _ = load_state(m.header, dump_state(m.state, needs_sort=False))
    assert loaded.removed_speakers == m.state.removed_speakers
    (undo,) = m.run(Undo(), "10:03")
    assert isinstance(undo.data, UndoData)
    assert undo.data.what == "removed Mexico from the speakers on 2(a)"
    assert [sp.name for sp in m.state.items["2a"].speakers] == ["Mexico"]


def test_back_dated_corrections_never_give_negative_time(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    m.run(AddNote("1", "late"), "10:20")
    m.run(CloseItem("1"), "10:05")  # the secretariat forgot to press the key at 10:05
    m.run(OpenItem("2a"), "10:06")
    m.run(CloseItem("2a"), "10:30")
    assert m.minutes("1") == 5
    assert m.minutes("2a") == 24
    assert all(iv.end >= iv.start for iv in m.state.floor_log)


def test_amendments_keep_earlier_events_meaningful(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00")
    m.run(CloseItem("2a"), "10:10")
    (added,) = m.run(
        Amend("add", title="Other matters", number="(f)", parent="2", after="2e"), "10:11"
    )
    assert added.item == "2f"
    assert m.state.agenda.resolve("2(f)").title == "Other matters"
    m.run(Amend("retitle", "2a", title="Status (as orally amended)"), "10:12")
    m.run(Amend("move", "3", parent=None, after="1"), "10:13")
    assert m.state.agenda.roots == ["1", "3", "2"]
    m.run(Amend("delete", "2f"), "10:14")
    assert "2f" not in m.state.agenda.order()
    assert m.minutes("2a") == 10
    with pytest.raises(Refused, match="already taken up"):
        m.run(Amend("delete", "2a"), "10:15")
    with pytest.raises(Refused, match="already exists"):
        m.run(Amend("add", title="Dup", number="(b)", parent="2"), "10:15")


@pytest.mark.parametrize(
    ("role", "command", "allowed"),
    [
        ("secretariat", OpenItem("1"), True),
        ("rapporteur", OpenItem("1"), False),
        ("viewer", OpenItem("1"), False),
        ("rapporteur", AddNote("1", "x"), True),
        ("secretariat", AddNote("1", "x"), False),
        ("viewer", AddNote("1", "x"), False),
    ],
)
def test_roles(m: MemorySession, role: str, command: Command, allowed: bool) -> None:
    if allowed:
        events = m.run(command, "10:00", role=role)
        assert all(e.role == role for e in events)
    else:
        with pytest.raises(Refused, match=r"needs the (secretariat|rapporteur) role"):
            m.run(command, "10:00", role=role)


def test_projected_end_from_remaining_planned_time() -> None:
    from .conftest import ROOT

    agendas = sorted((ROOT / "agendas").glob("*.toml"))
    planned = [a for a in agendas if "minutes" in a.read_text(encoding="utf-8")]
    if not planned:
        pytest.skip("no shipped agenda with planned durations yet")
    m = MemorySession(planned[0])
    first = m.state.agenda.roots[0]
    total = m.state.remaining_planned_seconds()
    assert total > 0
    m.run(OpenItem(first), "10:00")
    end = m.state.projected_end(m.at("10:00"))
    assert (end - m.at("10:00")).total_seconds() == total


def test_a_moved_item_credits_its_new_parent(m: MemorySession) -> None:
    m.run(OpenItem("2a"), "10:00")
    m.run(CloseItem("2a"), "10:10")
    m.run(Amend("move", "2b", parent="3", after=None), "10:10")
    m.run(OpenItem("2b"), "10:10")
    m.run(CloseItem("2b"), "10:30")
    assert (m.minutes("2"), m.minutes("3"), m.minutes("2b")) == (10, 20, 20)


def test_agenda_file_changes_become_amendments() -> None:
    import msgspec

    from sessiontui.core.agenda import Agenda, AgendaFile, ItemSpec
    from sessiontui.core.amendments import agenda_changes

    m = MemorySession()
    spec = msgspec.convert(m.header.agenda, AgendaFile)
    items = list(spec.items)
    two = items[1]
    subs = [sub for sub in two.items if sub.number != "(d)"]
    subs[0] = msgspec.structs.replace(subs[0], title="Status (as orally amended)")
    subs.append(ItemSpec(number="(f)", title="Other matters", id="2f"))
    items[1] = msgspec.structs.replace(two, items=subs)
    items[0], items[2] = items[2], items[0]
    changed = Agenda(msgspec.structs.replace(spec, items=items))
    changes = agenda_changes(m.state.agenda, changed)
    assert [(c.op, c.item or c.new_id) for c in changes] == [
        ("add", "2f"),
        ("move", "3"),
        ("move", "2"),
        ("move", "1"),
        ("retitle", "2a"),
        ("delete", "2d"),
    ]
    for change in changes:
        m.run(change, "10:00")
    assert [n.id for n in m.state.agenda] == [n.id for n in changed]
    assert agenda_changes(m.state.agenda, changed) == []


def test_undoing_an_amend_sync_names_every_amendment(m: MemorySession) -> None:
    """``amend sync`` records several amendments as one action, which one undo reverts: its
    words (the tracker's notice, the CLI's echo, the journal's "undid: ..." line) name them
    all, a long list counted, also after a checkpoint and a fold from the log."""
    from sessiontui.core.commands import AmendAgenda
    from sessiontui.core.replay import replay
    from sessiontui.core.snapshot import dump_state, load_state

    def what_undo_says(state: SessionState) -> str | None:
        ctx = Context(actor="ana", at=m.at("10:10"), role=None, corrected=False)
        (draft,) = decide(state, Undo(), ctx)
        assert isinstance(draft.data, UndoData)
        return draft.data.what

    two = AmendAgenda(
        (
            Amend("add", title="Other matters", number="4 bis", new_id="4bis"),
            Amend("retitle", "2a", title="Status (as orally amended)"),
        )
    )
    m.run(two, "10:00")
    said = "amended the agenda (2 amendments: add 4 bis and retitle 2(a))"
    assert what_undo_says(m.state) == said
    loaded, _ = load_state(m.header, dump_state(m.state, needs_sort=False))
    assert what_undo_says(loaded) == said
    assert what_undo_says(replay(m.header, list(m.events))) == said
    (undo,) = m.run(Undo(), "10:01")
    assert isinstance(undo.data, UndoData) and undo.data.what == said
    assert "4bis" not in m.state.agenda.nodes

    many = AmendAgenda(
        (
            *(Amend("add", title=f"Item {n}", number=f"{n}", new_id=f"n{n}") for n in (4, 5, 6)),
            Amend("retitle", "1", title="Opening"),
            Amend("delete", "2e"),
            Amend("add", title="Lunch", kind="break", new_id="lunch"),
        )
    )
    m.run(many, "10:02")
    assert what_undo_says(m.state) == (
        "amended the agenda (6 amendments: add 4, add 5, add 6, retitle 1 and 2 more)"
    )
    m.run(Amend("retitle", "1", title="Opening"), "10:03")  # one amendment: as before
    assert what_undo_says(m.state) == "amended the agenda (retitle) 1"


def test_the_role_is_checked_before_the_state(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00")
    with pytest.raises(Refused, match="viewer role cannot do that: it needs the secretariat role"):
        m.run(OpenItem("1"), "10:01", role="viewer")
    with pytest.raises(Refused, match="needs the rapporteur role"):
        m.run(DeleteNote("nope"), "10:01", role="secretariat")


def test_each_role_can_undo_its_own_kind_of_action(m: MemorySession) -> None:
    m.run(OpenItem("1"), "10:00", actor="sec", role="secretariat")
    m.run(AddNote("1", "x"), "10:01", actor="rap", role="rapporteur")
    m.run(Undo(), "10:02", actor="sec", role="secretariat")
    m.run(Undo(), "10:02", actor="rap", role="rapporteur")
    assert m.state.items["1"].status == "pending" and m.state.notes_of("1") == []
    m.run(OpenItem("1"), "10:03", actor="x")
    with pytest.raises(Refused, match="viewer role cannot undo"):
        m.run(Undo(), "10:04", actor="x", role="viewer")


def test_a_back_dated_take_up_after_the_sitting_closed_stays_in_that_sitting(
    m: MemorySession,
) -> None:
    """Found by the property test: validated against the closed sitting, the correction records
    an implicit opening; in meeting time the first sitting was still running then."""
    m.run(SittingCommand("open"), "09:00")
    m.run(OpenItem("1"), "09:00")
    m.run(CloseItem("1"), "09:01")
    m.run(SittingCommand("close"), "09:30")
    m.run(OpenItem("1"), "09:10")  # a correction: item 1 was reopened at 09:10
    state = m.state
    assert [(x.label, x.status) for x in state.sittings] == [("1st meeting", "closed")]
    assert state.sitting_seconds() == 30 * 60
    assert m.minutes("1") == 1 + 20  # 09:00-09:01, then 09:10 until the sitting closed
    assert {interval.sitting for interval in state.floor_log} == {1}


def test_projected_end_of_a_sitting_counts_its_own_items(tmp_path: Path) -> None:
    from .test_ui_support import agenda_file

    path = agenda_file(tmp_path, programme=False)
    text = path.read_text(encoding="utf-8")
    text = text.replace("minutes = 60", 'minutes = 60\n  sitting = "s2"')
    text += '\n[[sittings]]\nid = "s1"\ndate = 2020-11-19\nstart = "10:00"\n'
    text += '\n[[sittings]]\nid = "s2"\ndate = 2020-11-20\nstart = "10:00"\n'
    path.write_text(text, encoding="utf-8")
    state = MemorySession(path).state
    first, second = state.agenda.sittings
    assert state.remaining_planned_seconds(None, second) == 60 * 60
    assert state.remaining_planned_seconds(None, first) == 0  # 2(a) is assigned to no sitting
    assert state.remaining_planned_seconds() == 90 * 60  # the whole agenda


def test_an_unterminated_escape_string_takes_only_the_rest_of_its_line(m: MemorySession) -> None:
    """An OSC left open loses its payload to the end of its line, and the lines typed after it
    stay: a note is what was typed, less what a terminal would take as a command."""
    (event,) = m.run(AddNote("1", "a\x1b]0;PWN\nnext line\x1bP1$t\x1b\\ end"), "10:00")
    assert isinstance(event.data, NoteAddData)
    assert event.data.text == "a\nnext line end"
