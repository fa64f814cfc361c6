"""Pilot tests of the tracker: every action, asserted on the session state and the log file."""

from __future__ import annotations

import datetime as dt
import html
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Digits, Input, Select, Static, TextArea

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    CloseItem,
    EditNote,
    NextItem,
    OpenItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    Undo,
)
from sessiontui.service import SessionService
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog
from sessiontui.ui.dialogs.identity_dialog import IdentityDialog
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.dialogs.time_dialog import TimeDialog
from sessiontui.ui.screens.clock_screen import ClockScreen
from sessiontui.ui.screens.help_screen import HelpScreen
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.journal_panel import JournalPanel
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_support import (
    SIZE,
    log_records,
    log_types,
    make_app,
    make_service,
    second_writer,
)


def status(service: SessionService, item_id: str) -> str:
    """An item's status now (a function, so that mypy does not narrow it across awaits)."""
    return service.state.items[item_id].status


def sitting_status(service: SessionService) -> str | None:
    """The current sitting's status, or None."""
    sitting = service.state.sitting
    return sitting.status if sitting is not None else None


async def select(pilot: Pilot[None], item_id: str) -> None:
    """Put the agenda cursor on an item."""
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()  # the tree is built once the main screen has composed
    app.jump_to(item_id)
    await pilot.pause()
    assert app.selected() == item_id


async def speaker_dialog(pilot: Pilot[None], item_id: str, name: str) -> Screen[Any]:
    """Take ``item_id`` up, open the add-speaker dialog on it and type ``name``."""
    await pilot.pause()
    await select(pilot, item_id)
    await pilot.press("o", "plus")
    await pilot.pause()
    dialog = pilot.app.screen
    await pilot.press(*name)
    return dialog


def speakers_shown(app: SessionApp) -> str:
    """The item panel's list of speakers as shown."""
    return str(app.main.query_one(ItemPanel).query_one("#item-speakers").render())


async def write_note(pilot: Pilot[None], key: str, text: str) -> None:
    """Open the note editor with ``key``, type ``text`` and save."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteEditor)
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_take_up_close_and_next(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.selected() == "1"
        await pilot.press("o")
        assert service.state.floor == "1"
        assert log_types(service) == ["sitting.open", "item.open"]
        clock.advance(minutes=10)
        await pilot.press("c")
        assert service.state.items["1"].status == "closed"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert service.state.floor == "2"
        assert app.selected() == "2"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert service.state.floor == "2a"
        assert service.state.items["2"].status == "open"  # a sub-item keeps its parent open
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert service.state.floor == "2b"
        assert service.state.items["2a"].status == "closed"
        assert log_types(service)[-2:] == ["item.close", "item.open"]
        assert all(record["actor"] == "ana" for record in log_records(service))


async def test_suspend_resume_defer_reopen(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "2a")
        await pilot.press("o", "s")
        assert status(service, "2a") == "suspended"
        await pilot.press("s")
        assert status(service, "2a") == "open"
        assert log_types(service)[-2:] == ["item.suspend", "item.resume"]
        await pilot.press("c")
        # The floor back on 2: the selection followed it there.
        await select(pilot, "2a")
        await pilot.press("r")
        assert service.state.items["2a"].reopened == 1
        assert service.state.floor == "2a"
        await select(pilot, "2b")
        await pilot.press("f")
        assert service.state.items["2b"].status == "deferred"
        assert log_types(service)[-1] == "item.defer"


async def test_sitting_suspend_resume_open_close(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        assert sitting_status(service) == "open"
        await pilot.press("p")
        assert sitting_status(service) == "suspended"
        await pilot.press("p")
        assert sitting_status(service) == "open"
        await pilot.press("P")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert service.state.sitting is None
        assert log_types(service) == [
            "sitting.open",
            "sitting.suspend",
            "sitting.resume",
            "sitting.close",
        ]


async def test_notes_decisions_actions_edit_delete(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "2a")
        await write_note(pilot, "n", "The co-facilitators reported progress.")
        await write_note(pilot, "d", "The meeting took note of the report.")
        await write_note(pilot, "a", "Secretariat to circulate the draft.")
        notes = service.state.notes_of("2a")
        assert [(n.kind, n.text) for n in notes] == [
            ("note", "The co-facilitators reported progress."),
            ("decision", "The meeting took note of the report."),
            ("action", "Secretariat to circulate the draft."),
        ]
        assert [r["data"]["kind"] for r in log_records(service)] == ["note", "decision", "action"]
        panel = app.main.query_one(ItemPanel)
        shown = str(panel.query_one("#item-notes").render())
        assert shown.index("Decisions") < shown.index("Action points") < shown.index("Notes")

        await pilot.press("E")
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # the picker starts on the last note
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).text = "The co-facilitators reported good progress."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert service.state.notes_of("2a")[0].text == "The co-facilitators reported good progress."
        assert log_types(service)[-1] == "note.edit"

        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(service.state.notes_of("2a")) == 2
        assert log_types(service)[-1] == "note.delete"


async def test_undo(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert service.state.floor == "1"
        await pilot.press("u")
        assert service.state.floor is None
        assert log_types(service)[-1] == "undo"


async def test_undo_says_what_it_undid(tmp_path: Path) -> None:
    """The action undone may be out of sight (another item, a note): the officer is told."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("1"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "2b")
        await pilot.press("f")
        await select(pilot, "1")
        await pilot.press("u")
        await pilot.pause()
        assert service.state.items["2b"].status == "pending"
        messages = [n.message for n in app._notifications]
        assert messages[-1] == "Undone: deferred 2(b)", messages


async def test_undo_of_an_agenda_sync_names_every_amendment(tmp_path: Path) -> None:
    """``amend sync`` (the CLI) recorded two amendments as one action: ``u`` here reverts
    both, and says both."""
    from sessiontui.core.commands import Amend, AmendAgenda

    service, clock = make_service(tmp_path)
    service.run(
        AmendAgenda(
            (
                Amend("add", title="Other matters", number="4 bis", new_id="4bis"),
                Amend("retitle", "2a", title="Status (as orally amended)"),
            )
        )
    )
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert "4bis" not in service.state.agenda.nodes
        messages = [n.message for n in app._notifications]
        assert messages[-1] == (
            "Undone: amended the agenda (2 amendments: add 4 bis and retitle 2(a))"
        ), messages


async def test_clock_view_counts_down(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "2a")
        await pilot.press("o")
        service.run(AddSpeaker("2a", "Kenya", start=True))
        clock.advance(minutes=1)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ClockScreen)
        app.tick()
        assert app.screen.query_one("#clock-speaker-time", Digits).value == "2:00"
        clock.advance(minutes=2, seconds=15)
        app.tick()
        digits = app.screen.query_one("#clock-speaker-time", Digits)
        assert digits.value == "-0:15"
        assert digits.has_class("over")
        await pilot.press("escape")
        assert not isinstance(app.screen, ClockScreen)


async def test_help_lists_every_key_and_journal_toggles(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {row[2] for row in app.screen.rows}
        for binding in SessionApp.BINDINGS:
            assert getattr(binding, "description", "") in described
        await pilot.press("escape")
        await pilot.pause()
        journal = app.main.query_one(JournalPanel)
        assert not journal.display
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert journal.display
        assert "took up 1" in str(journal.render())


async def test_the_journal_of_the_session_so_far_loads_without_losing_new_events(
    tmp_path: Path,
) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "recorded before the tracker started"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")
        app.record(CloseItem("2a"))  # may arrive while the journal is still being built
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = list(app.journal)
        assert [i for i, line in enumerate(lines) if "took up 2(a)" in line] == [1]
        assert "recorded before the tracker started" in lines[2]
        assert "closed 2(a)" in lines[-1]


async def test_palette_jumps_to_item_and_runs_actions(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"safe havens")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected() == "2c"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Take up")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert service.state.floor == "2c"


async def test_other_writers_show_up_and_refusals_explain(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        other.run(OpenItem("2a"))
        await pilot.pause(1.3)  # the app's own timer picks it up
        assert service.state.floor == "2a"
        await select(pilot, "2a")
        other.run(CloseItem("2a"))
        # Pressed before the timer noticed: the command is refused with who did it.
        await pilot.press("c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("already closed by bo" in m for m in messages), messages
        assert service.state.items["2a"].status == "closed"
        assert [r["type"] for r in log_records(service)].count("item.close") == 1
    other.close()


async def test_read_only_records_nothing(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o", "c", "n", "plus", "P")
        await pilot.pause()
        assert log_types(service) == []
        assert app.check_action("take_up", ()) is False
        assert app.check_action("export", ()) is True
        # Said on the bar all the time, not only in a notice that fades.
        assert "VIEW ONLY" in str(app.main.query_one(TopBar).render())


async def test_ask_identity_before_recording(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path, actor="www-data")
    app = make_app(service, clock, ask_identity=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, IdentityDialog)
        assert app.check_action("take_up", ()) is False
        await pilot.press(*"Maria Lopez", "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("Present.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r["actor"] for r in log_records(service)] == ["Maria Lopez"]
        assert log_records(service)[0]["role"] == "rapporteur"


async def test_export_runs_in_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "Progress was reported.", "decision"))
    app = make_app(service, clock)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        assert field.value.endswith(".md")
        field.value = "record.md"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.last_export == tmp_path / "record.md"
        # Exporting again to the same file asks first.
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = "record.md"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    text = (tmp_path / "record.md").read_text(encoding="utf-8")
    assert "Progress was reported." in text
    assert stat.S_IMODE(os.stat(tmp_path / "record.md").st_mode) == 0o600


async def test_export_takes_the_format_the_path_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path typed ends in .docx while the format shown is md: a Word file is written, as
    `export -o record.docx` does, never Markdown under a .docx name."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    app = make_app(service, clock)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#export-format", Select).value == "md"
        field = app.screen.query_one("#export-path", Input)
        field.value = ""
        await pilot.press(*"record.docx")
        await pilot.pause()
        assert app.screen.query_one("#export-format", Select).value == "docx"
        assert field.value == "record.docx"
        await pilot.press("enter")
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.last_export is not None:
                break
    assert (tmp_path / "record.docx").read_bytes()[:2] == b"PK"


async def test_export_refuses_the_log_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "s.jsonl").read_bytes()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = "s.jsonl"
        await pilot.press("enter")  # refused in the dialog, before any replace question
        await pilot.pause()
        hint = str(app.screen.query_one("#export-hint", Static).render())
        assert "the session log itself" in hint
        await app.workers.wait_for_complete()
    assert (tmp_path / "s.jsonl").read_bytes() == before


async def test_every_theme_and_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    clock.advance(minutes=40)
    app = make_app(service, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "!40:00/30:00" in screen  # the overrun reads without colour
        assert "OVER +10:00" in screen


async def test_the_item_panel_shows_the_items_own_journal(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(OpenItem("3"))  # 2(a) suspended as a side effect: part of its journal
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.jump_to("2a")
        await pilot.pause()
        shown = str(app.main.query_one("#item-journal", Static).render())
        assert "took up 2(a)" in shown and "took up 3" in shown
        app.jump_to("1")
        await pilot.pause()
        assert str(app.main.query_one("#item-journal", Static).render()) == ""


async def test_the_journal_starts_from_the_journal_checkpoint_and_undo_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessiontui import service as service_module
    from sessiontui.core.journal import Journal
    from sessiontui.service import whole_journal
    from sessiontui.store import checkpoints
    from sessiontui.store.file import FileStore

    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 2)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "before the tracker"))
    service.run(OpenItem("2b"))
    path = service.store.path  # type: ignore[attr-defined]
    with FileStore(path, read_only=True) as reader:
        whole_journal(reader)  # leaves LOG.journal, as an export would
    assert checkpoints.path_for(path, checkpoints.JOURNAL).exists()
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.record(Undo())  # the journal folds again, from the service's store
        await pilot.pause()
        with FileStore(path, read_only=True) as reader:
            expected = Journal(reader.header).lines(list(reader.read()))
        assert list(app.journal) == expected[-len(app.journal) :]
        assert "undid" in app.journal[-1]


async def test_picking_a_note_decodes_only_that_item_s_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened from a checkpoint, the notes stay JSON until read: deleting one of 2(a)'s notes
    reads 2(a)'s, not every note of the session."""
    import msgspec

    from sessiontui.service import open_session
    from sessiontui.store import checkpoints

    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    writer, clock = make_service(tmp_path)
    for item_id, text in (("3", "on 3"), ("2a", "first on 2a"), ("2a", "second on 2a")):
        writer.run(AddNote(item_id, text))
    assert writer.save_checkpoint(every=0)
    path = writer.store.path  # type: ignore[attr-defined]
    writer.store.close()
    service = open_session(str(path), actor="ana", clock=clock)
    assert service.store.checkpoint_used is not None  # type: ignore[attr-defined]
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "2a")
        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [n.text for n in service.state.notes_of("2a")] == ["first on 2a"]
        held = service.state.stored_notes()
        on_3 = service.state.items["3"].notes[0]
        assert isinstance(held[on_3], msgspec.Raw)


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "csv", "json", "txt", "ics"])
async def test_a_tracker_export_is_the_export_of_the_whole_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The tracker hands its worker the last event and the log's digest (a report needs no
    more) or every event (the data, the journal), and the state as a snapshot: the file is
    the one every event and the live state give."""
    from sessiontui.exporters import ExportOptions, render

    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    clock.advance(300)
    service.run(AddNote("2a", "Progress was reported.", "decision"))
    service.run(AddSpeaker("2a", "Brazil"))
    clock.advance(60)
    service.run(NextItem())
    app = make_app(service, clock)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#export-format", Select).value = fmt
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = f"record.{fmt}"
        await pilot.press("enter")
        # The export's worker starts once the dialog has closed: wait for the file it reports.
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.last_export is not None:
                break
        assert app.last_export == tmp_path / f"record.{fmt}"
    events = list(service.store.read())
    expected = render(fmt, service.store.header, events, service.state, ExportOptions())
    assert (tmp_path / f"record.{fmt}").read_bytes() == bytes(expected)


async def test_at_sets_when_the_next_action_happened(tmp_path: Path) -> None:
    from datetime import timedelta

    from sessiontui.ui.widgets.top_bar import TopBar

    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    start = clock.now()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        await pilot.press("o")
        clock.advance(minutes=30)
        # A time that cannot be read is refused with the CLI's own reason, in the dialog, which
        # stays open with the text to correct; nothing is set.
        await pilot.press("at", *"nonsense", "enter")
        await pilot.pause()
        assert app.pending_at is None
        assert isinstance(app.screen, TimeDialog)
        assert "not a time" in str(app.screen.query_one("#time-hint", Static).render())
        field = app.screen.query_one("#time-at", Input)
        assert field.value == "nonsense"
        field.value = ""
        when = start + timedelta(minutes=10)
        await pilot.press(*when.isoformat(), "enter")
        await pilot.pause()
        assert app.pending_at == when
        assert " at " in str(app.main.query_one(TopBar).render())
        await pilot.press("c")  # closed at the time set, not now
        await pilot.pause()
        assert service.state.items["1"].status == "closed"
        assert round(service.state.used_seconds("1")) == 10 * 60
        assert app.pending_at is None  # for one action only
        assert " at " not in str(app.main.query_one(TopBar).render())  # and no longer shown
        await pilot.press("at", *when.isoformat(), "enter", "escape")
        await pilot.pause()
        assert app.pending_at is None  # escape forgets it


async def test_at_takes_the_minute_under_way_as_the_command_line_does(tmp_path: Path) -> None:
    """At 10:30:40, "10:31" is the minute under way: `--at` takes it (a time up to a minute
    ahead), and so does `@` now; "10:32" has not happened yet for both."""
    from datetime import timedelta

    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    start = clock.now()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        clock.advance(minutes=30, seconds=40)
        await pilot.press("at", *(start + timedelta(minutes=32)).isoformat(), "enter")
        await pilot.pause()
        assert app.pending_at is None
        assert "has not happened yet" in str(app.screen.query_one("#time-hint", Static).render())
        app.screen.query_one("#time-at", Input).value = ""
        await pilot.press(*(start + timedelta(minutes=31)).isoformat(), "enter")
        await pilot.pause()
        assert app.pending_at == start + timedelta(minutes=31)


async def test_a_take_up_set_before_a_later_one_is_told_it_ends_there(tmp_path: Path) -> None:
    """@ 10:10 then o on 3, when 2(a) is recorded as taken up at 10:20: recorded, and 3 is
    suspended at once by that take-up; the tracker says so, naming it."""
    from datetime import timedelta

    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    start = clock.now()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        await pilot.press("o")
        clock.advance(minutes=20)
        await select(pilot, "2a")
        await pilot.press("o")
        clock.advance(minutes=10)
        await select(pilot, "3")
        await pilot.press("at", *(start + timedelta(minutes=10)).isoformat(), "enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert service.state.items["3"].status == "suspended"
        messages = [n.message for n in app._notifications]
        assert messages[-1] == (
            "3 was on the floor only until 10:20, when ana took up 2(a) (recorded before this "
            "correction)."
        ), messages


async def test_projected_end_counts_the_current_sittings_items(tmp_path: Path) -> None:
    from sessiontui.core.agenda_toml import load_agenda_file
    from sessiontui.ui.widgets.top_bar import TopBar
    from tests.test_ui_support import agenda_file

    path = agenda_file(tmp_path, programme=False)
    text = path.read_text(encoding="utf-8")
    text = text.replace("minutes = 30", 'minutes = 30\n  sitting = "s1"', 1)
    text = text.replace("minutes = 60", 'minutes = 60\n  sitting = "s2"', 1)
    text += (
        '\n[[sittings]]\nid = "s1"\ndate = 2020-11-19\nstart = "10:00"\nend = "10:45"\n'
        '\n[[sittings]]\nid = "s2"\ndate = 2020-11-20\nstart = "10:00"\nend = "13:00"\n'
    )
    path.write_text(text, encoding="utf-8")
    service, clock = make_service(tmp_path, spec=load_agenda_file(path))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")  # the first sitting opens at 10:00
        await pilot.pause()
        bar = str(app.main.query_one(TopBar).render())
        # 2(a)'s 30 minutes, not 2(b)'s hour of the next day too: on time, not "0:45 late".
        assert "Ends ~10:30" in bar, bar
        assert "late" not in bar, bar


async def test_a_sitting_held_on_another_day_is_scheduled_to_end_that_day(
    tmp_path: Path,
) -> None:
    from sessiontui.core.agenda_toml import load_agenda_file
    from sessiontui.ui.widgets.top_bar import TopBar
    from tests.test_ui_support import agenda_file

    path = agenda_file(tmp_path, programme=False)
    text = path.read_text(encoding="utf-8")
    text += '\n[[sittings]]\nid = "s1"\ndate = 2020-11-19\nstart = "10:00"\nend = "10:45"\n'
    path.write_text(text, encoding="utf-8")
    # The meeting rehearsed six years after its programme's date, at the same hour.
    clock = FakeClock(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC))
    service, clock = make_service(tmp_path, spec=load_agenda_file(path), clock=clock)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P")
        await pilot.pause()
        bar = str(app.main.query_one(TopBar).render())
        assert "scheduled 10:45" in bar, bar
        # The 90 planned minutes from 10:00 against 10:45 that day, not six years late.
        # "45 min", never "45:00" between two clock times (read as a time of day).
        assert "Ends ~11:30 (scheduled 10:45, 45 min late)" in bar, bar


async def test_ctrl_s_keeps_the_spaces_typed_at_the_end(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        await pilot.press("o")
        await write_note(pilot, "n", "  indented, then two spaces  ")
        await pilot.pause()
        assert [n.text for n in service.state.notes_of("1")] == ["  indented, then two spaces  "]


async def test_a_paste_goes_in_after_the_keys_typed_before_it(tmp_path: Path) -> None:
    """Keys still waiting their turn when a paste arrives go in before it, never after."""
    from textual import events

    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        # As a terminal delivers them: typed keys, then a paste, all before any is handled.
        for character in "Typed first. ":
            key = "space" if character == " " else character
            app.post_message(events.Key(key, character))
        app.post_message(events.Paste("Pasted after,\nover two lines."))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [n.text for n in service.state.notes_of("1")] == [
        "Typed first. Pasted after,\nover two lines."
    ]


async def test_an_edit_made_meanwhile_is_never_overwritten(tmp_path: Path) -> None:
    """Two people edit one note: the second save is refused, its text kept, the first stays."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "Chile spoke."))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "2a")
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        (note,) = service.state.notes_of("2a")
        second_writer(service).run(EditNote(note.id, "Chile spoke. Mexico objected."))
        editor.query_one(TextArea).text = "Chile spoke and agreed."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
        hint = str(editor.query_one("#note-hint").render())
        assert "NOT SAVED: that note was changed by bo since this edit began" in hint
        assert editor.query_one(TextArea).text == "Chile spoke and agreed."
        # The words shown are bo's: said so, never put to the note's author alone.
        await pilot.press("escape")
        await pilot.pause()
        shown = str(app.main.query_one(ItemPanel).query_one("#item-notes").render())
        assert "Chile spoke. Mexico objected.  — ana 10:00 (edited by bo 10:00)" in shown, shown
    assert [n.text for n in service.state.notes_of("2a")] == ["Chile spoke. Mexico objected."]
    assert log_types(service)[-1] == "note.edit"
    assert log_types(service).count("note.edit") == 1


async def test_closing_the_sitting_says_what_it_does_to_the_floor(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "2a")
        await pilot.press("o")
        service.run(AddSpeaker("2a", "Kenya", start=True))
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        label = service.state.sitting.label if service.state.sitting else ""
        assert app.screen.question == (
            f"Close the {label}? Kenya stops speaking, and items 2(a) and 2 are suspended."
        )
        await pilot.press("y")
        await pilot.pause()
        assert service.state.sitting is None
        assert service.state.speaking is None
        assert service.state.items["2a"].status == "suspended"
        # With nothing on the floor, the question is the plain one.
        await pilot.press("P")
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert service.state.sitting is not None
        assert app.screen.question == f"Close the {service.state.sitting.label}?"


async def test_closing_the_sitting_says_an_interrupted_speech_ends_too(tmp_path: Path) -> None:
    """Closing the sitting during a point of order ends the speech it interrupted as well
    (the journal says both): the question names both speakers, not only the one speaking."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddSpeaker("2a", "Brazil", start=True))
    service.run(AddSpeaker("2a", "Cuba", kind="point_of_order"))
    service.run(StartSpeaker("2a", "Cuba"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        label = service.state.sitting.label if service.state.sitting else ""
        assert app.screen.question == (
            f"Close the {label}? Cuba and Brazil (interrupted) stop speaking, "
            "and items 2(a) and 2 are suspended."
        )
        await pilot.press("y")
        await pilot.pause()
        speakers = service.state.items["2a"].speakers
        assert [sp.status for sp in speakers] == ["done", "done"]


async def test_escape_on_a_question_is_said_to_cancel(tmp_path: Path) -> None:
    """Escape on "Close the 1st meeting?" does nothing, as `n` does: the dialog and the help
    call it a cancel, never "neither (ask later)", which no one asks again."""
    service, clock = make_service(tmp_path)
    service.run(SittingCommand("open"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        hint = str(app.screen.query_one(".hint", Static).render())
        assert hint == "y yes · n no · escape cancel"
        escape = app.screen.active_bindings["escape"].binding
        assert escape.description == "Cancel"
        await pilot.press("escape")
        await pilot.pause()
        assert service.state.sitting is not None


async def test_a_key_the_role_cannot_use_names_the_role_it_needs(tmp_path: Path) -> None:
    """As the command line says it ("… it needs the secretariat role"): a rapporteur who presses
    `c` learns whom to ask, not only that it is refused."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("1"))
    rapporteur = SessionService(service.store, actor="bo", role="rapporteur", clock=clock)
    app = make_app(rapporteur, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        await pilot.press("c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Close: the rapporteur role cannot do that: it needs the secretariat role" in (
            messages
        )
        assert status(rapporteur, "1") == "open"
    viewer = SessionService(service.store, actor="cy", role="viewer", clock=clock)
    app = make_app(viewer, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert (
            "Undo my last action: the viewer role cannot do that: "
            "it needs the secretariat or rapporteur role"
        ) in messages


async def test_each_role_undoes_its_own_actions_with_u(tmp_path: Path) -> None:
    """``u`` in a tracker opened with a role: refused to every role (the tracker asked whether
    the role may record an "undo" event, which no role's own events include), while the command
    line's ``undo --role`` worked. Now the tracker asks the core what the command line does."""
    service, clock = make_service(tmp_path)
    secretariat = SessionService(service.store, actor="ana", role="secretariat", clock=clock)
    rapporteur = SessionService(service.store, actor="bo", role="rapporteur", clock=clock)
    secretariat.run(OpenItem("1"))
    rapporteur.run(AddNote("1", "Opened on time.", "note"))
    for person, undone in ((rapporteur, "note.add"), (secretariat, "item.open")):
        app = make_app(person, clock)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            assert app.refusal("undo") is None
            assert app.check_action("undo", ()) is True  # so in the footer too
            await pilot.press("u")
            await pilot.pause()
            assert log_types(person)[-1] == "undo", [n.message for n in app._notifications]
        records = log_records(person)
        batch = records[-1]["data"]["batch"]
        assert [r["type"] for r in records if r.get("batch") == batch][-1] == undone


async def test_o_on_a_closed_item_points_at_r_and_reopens_nothing(tmp_path: Path) -> None:
    """``Up Up Up o`` typed fast landed on a closed item and reopened it with no question; the
    reopening is ``r``'s, so ``o`` there is refused and says so."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("1"))
    service.run(CloseItem("1"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        assert app.refusal("take_up") == "1 is closed: `r` reopens it"
        assert app.check_action("take_up", ()) is False  # so not in the footer either
        await pilot.press("o")
        await pilot.pause()
        assert status(service, "1") == "closed"
        assert "Take up: 1 is closed: `r` reopens it" in [n.message for n in app._notifications]
        await pilot.press("r")
        await pilot.pause()
        assert status(service, "1") == "open"


async def test_a_key_that_is_no_tracker_key_says_so_once_per_burst(tmp_path: Path) -> None:
    """`z` did nothing at all: now it says it is no key and where the keys are; a burst of
    letters (a sentence typed with the editor closed) is one message; the tree's keys and
    the tracker's own keys are not answered so."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        await pilot.press("z")
        await pilot.pause()
        said = "“z” is not a key of the tracker: ? lists them"
        assert [n.message for n in app._notifications] == [said]
        await pilot.press(*"zqy7")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [said]
        app.clear_notifications()
        await pilot.pause(1.1)
        await pilot.press("space", "down", "up", "o")
        await pilot.pause()
        assert not any("is not a key" in n.message for n in app._notifications)
        assert status(service, "1") == "open"


def test_a_delay_is_written_in_minutes_not_like_a_clock() -> None:
    from sessiontui.ui.format import minutes_words

    assert minutes_words(15 * 60 + 37) == "16 min"  # rounded up: late is late
    assert minutes_words(20) == "1 min"
    assert minutes_words(65 * 60) == "1 h 05 min"


async def test_a_log_deleted_under_the_tracker_is_said_gone(tmp_path: Path) -> None:
    """Not "replaced … take the new one in": there is no new one; exporting is what is left."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock, drafts_root=tmp_path / "drafts")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        service.store.path.unlink()  # type: ignore[attr-defined]
        await write_note(pilot, "n", "A sentence.")
        messages = [n.message for n in app._notifications]
        saved = [m for m in messages if m.startswith("NOT saved")]
        assert saved, messages
        assert "is gone (deleted or moved)" in saved[0], saved
        assert "replaced" not in saved[0] and "export it now" in saved[0], saved


async def test_notes_waiting_in_the_outbox_show_on_their_item(tmp_path: Path) -> None:
    """A PostgreSQL session out of reach: a decision saved into the outbox shows on its item
    (panel and `i`), marked as not yet on the server, instead of vanishing until it is sent."""
    from sessiontui.link import SessionLink
    from sessiontui.store.outbox import Outbox
    from sessiontui.ui.screens.item_screen import ItemScreen
    from sessiontui.ui.widgets.item_panel import ItemPanel

    class Unsent(SessionLink):
        """The server out of reach: nothing leaves the outbox."""

        def start(self) -> None:
            pass

    class OfflineApp(SessionApp):
        CSS_PATH = str(
            Path(sys.modules[SessionApp.__module__].__file__ or "").with_name("app.tcss")
        )

        def _make_link(self, service: SessionService) -> SessionLink:
            outbox = Outbox("s", tmp_path / "outbox.jsonl")
            return Unsent(service, outbox, tell=lambda *_: None, changed=lambda _: None)

    service, clock = make_service(tmp_path)
    service.run(SittingCommand("open"))
    service.run(OpenItem("1"))
    app = OfflineApp(service, clock=clock, drafts_root=tmp_path / "drafts")
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, "1")
        await write_note(pilot, "d", "Offline decision: the meeting adopted its agenda.")
        assert service.state.notes_of("1") == []  # not on the server yet
        panel = str(app.main.query_one("#item-notes", Static).render())
        assert "⧗ Not yet on the server" in panel, panel
        assert "⧗ Decision: Offline decision: the meeting adopted its agenda." in panel, panel
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        full = app.screen.query_one(ItemPanel).query_one("#item-notes", Static)
        assert "Offline decision" in str(full.render())


async def test_a_repaint_while_the_screen_empties_does_not_crash(tmp_path: Path) -> None:
    # A last timer tick as the tracker closes: the screen still there, its widgets gone.
    service, clock = make_service(tmp_path)
    app = make_app(service, clock, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.main.query_one(TopBar).remove()
        app.paint(changed=True)
        await pilot.pause()


async def test_a_refused_key_pressed_again_is_one_message_not_a_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`>` pressed over and over at the end of the agenda (or `e` with nobody speaking) piled
    one identical toast per press over the item panel; while the reason is on screen, the same
    refusal again adds nothing, and once it has gone the next press says it again."""
    service, clock = make_service(tmp_path)
    monkeypatch.setattr(SessionApp, "NOTIFICATION_TIMEOUT", 1)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "1")
        await pilot.press("e", "e", "e", "e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1, messages
        assert "nobody is speaking" in messages[0]
        await pilot.pause(1.2)
        assert not list(app._notifications)
        await pilot.press("e")
        await pilot.pause()
        assert [n.message for n in app._notifications] == messages


async def test_the_top_bar_names_who_has_the_floor(tmp_path: Path) -> None:
    """Who speaks is always in sight, whatever the item pane has room for (80x24)."""
    from sessiontui.ui.widgets.top_bar import TopBar

    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddSpeaker("2a", "Kenya", start=True))
    app = make_app(service, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(seconds=42)
        app.tick()
        await pilot.pause()
        assert "Speaking: Kenya 0:42" in str(app.main.query_one(TopBar).render())
        service.run(StopSpeaker("2a"))
        app.tick()
        await pilot.pause()
        assert "Speaking:" not in str(app.main.query_one(TopBar).render())
