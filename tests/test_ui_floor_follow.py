"""The selection follows the floor, whoever moves it; a speaker or a note put off the floor is
told."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TextArea

from sessiontui.core.commands import CloseItem, DeferItem, NextItem, OpenItem
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog
from tests.test_ui_support import SIZE, make_app, make_service, second_writer


async def _take_up_1(pilot: Pilot[None]) -> SessionApp:
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    await pilot.pause()
    assert app.selected() == "1"
    await pilot.press("o")  # opens the sitting too
    await pilot.pause()
    assert app.service.state.floor == "1"
    return app


async def _caught_up(pilot: Pilot[None]) -> None:
    """What the other writer recorded, folded as the app's timer does it."""
    app = pilot.app
    assert isinstance(app, SessionApp)
    app.tick()
    await pilot.pause()


async def _add_speaker(pilot: Pilot[None], name: str) -> None:
    await pilot.press("plus")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SpeakerDialog)
    await pilot.press(*name, "enter")
    await pilot.pause()


async def test_the_selection_follows_the_floor_moved_by_someone_else(tmp_path: Path) -> None:
    """The CLI's ``next`` moves the floor: the next speaker goes to the item now on it."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _take_up_1(pilot)
        other.run(NextItem())
        await _caught_up(pilot)
        assert service.state.floor == "2"
        assert app.selected() == "2"
        await _add_speaker(pilot, "Belgium")
        assert [sp.name for sp in service.state.items["2"].speakers] == ["Belgium"]
        assert not service.state.items["1"].speakers
        other.run(NextItem())  # into 2's first sub-item
        await _caught_up(pilot)
        assert (service.state.floor, app.selected()) == ("2a", "2a")
    other.close()


async def test_the_selection_follows_a_floor_left_empty_in_between(tmp_path: Path) -> None:
    """Closed here (the floor empty), the next taken up elsewhere: still followed."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await _take_up_1(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert service.state.floor is None
        assert app.selected() == "1"
        other.run(OpenItem("2b"))
        await _caught_up(pilot)
        assert app.selected() == "2b"
    other.close()


async def test_the_floor_going_back_to_the_parent_from_a_suspended_item_is_not_followed(
    tmp_path: Path,
) -> None:
    """2(a) suspended, 2 back on the floor: the selection stays on 2(a) (``s`` resumes it),
    and follows from there when the meeting moves on; 2(a) closed, it follows to 2."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        app.jump_to("2a")
        await pilot.pause()
        await pilot.press("o", "s")
        await pilot.pause()
        assert (service.state.items["2a"].status, service.state.floor) == ("suspended", "2")
        assert app.selected() == "2a"
        await pilot.press("s")
        assert service.state.floor == "2a"
        other.run(CloseItem("2a"))
        await _caught_up(pilot)
        assert (service.state.floor, app.selected()) == ("2", "2")
        other.run(OpenItem("2b"))
        await _caught_up(pilot)
        assert app.selected() == "2b"
    other.close()


async def test_the_floor_going_back_to_the_parent_from_a_closed_item_is_followed(
    tmp_path: Path,
) -> None:
    """2(a) closed (here with ``c``) or deferred (elsewhere), 2 back on the floor: the
    selection goes to 2, where the next note belongs, unless it was moved on purpose."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        app.jump_to("2a")
        await pilot.pause()
        await pilot.press("o", "c")
        await pilot.pause()
        assert (service.state.items["2a"].status, service.state.floor) == ("closed", "2")
        assert app.selected() == "2"
        other.run(OpenItem("2b"))
        await _caught_up(pilot)
        assert app.selected() == "2b"
        other.run(DeferItem("2b"))
        await _caught_up(pilot)
        assert (service.state.floor, app.selected()) == ("2", "2")
        other.run(OpenItem("2c"))
        await _caught_up(pilot)
        app.jump_to("3")  # moved on purpose: the floor going back up leaves it there
        await pilot.pause()
        other.run(CloseItem("2c"))
        await _caught_up(pilot)
        assert (service.state.floor, app.selected()) == ("2", "3")
    other.close()


async def test_a_selection_moved_on_purpose_stays(tmp_path: Path) -> None:
    """The next item's list being prepared: the floor moving elsewhere leaves it there."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await _take_up_1(pilot)
        app.jump_to("3")
        await pilot.pause()
        other.run(NextItem())
        await _caught_up(pilot)
        assert service.state.floor == "2"
        assert app.selected() == "3"
        other.run(NextItem())
        await _caught_up(pilot)
        assert app.selected() == "3"
    other.close()


async def test_a_speaker_added_off_the_floor_is_said(tmp_path: Path) -> None:
    """Closed and deferred items warn, a pending one informs; the floor's item says nothing."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _take_up_1(pilot)
        await _add_speaker(pilot, "Kenya")
        assert not app._notifications
        app.jump_to("3")  # the selection moved away: the floor moves without it
        await pilot.pause()
        other.run(NextItem())
        other.run(DeferItem("2e"))
        await _caught_up(pilot)
        for item_id, name in (("1", "Belgium"), ("2e", "Chile"), ("3", "Mali")):
            app.jump_to(item_id)
            await pilot.pause()
            await pilot.press("plus")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, SpeakerDialog)
            assert dialog.heading.endswith(
                {"1": "(closed)", "2e": "(deferred)", "3": "(not yet taken up)"}[item_id]
            ), dialog.heading
            await pilot.press(*name, "enter")
            await pilot.pause()
        said = [(n.message, n.severity) for n in app._notifications]
        assert said == [
            ("Belgium added to 1, which is closed (2 is on the floor)", "warning"),
            ("Chile added to 2(e), which is deferred (2 is on the floor)", "warning"),
            ("Mali added to 3, which is not yet taken up (2 is on the floor)", "information"),
        ]
        assert [sp.name for sp in service.state.items["1"].speakers] == ["Kenya", "Belgium"]
    other.close()


async def test_a_note_written_off_the_floor_is_said(tmp_path: Path) -> None:
    """A note, decision or action point saved on a closed item is recorded with a warning (a
    decision written down after its item closed is ordinary, a slip of the selection likely);
    on a pending item with a notice; on the floor's item, and an edit, without a word."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _take_up_1(pilot)
        await _write(pilot, "n", "On the floor.")
        assert not app._notifications
        app.jump_to("3")
        await pilot.pause()
        other.run(NextItem())
        other.run(DeferItem("2e"))
        await _caught_up(pilot)
        for item_id, key in (("1", "d"), ("2e", "a"), ("3", "n")):
            app.jump_to(item_id)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            editor = app.screen
            assert isinstance(editor, NoteEditor)
            assert editor.heading.endswith(
                {"1": "(closed)", "2e": "(deferred)", "3": "(not yet taken up)"}[item_id]
            ), editor.heading
            editor.query_one(TextArea).insert(f"Text on {item_id}.")
            await pilot.press("ctrl+s")
            await pilot.pause()
        said = [(n.message, n.severity) for n in app._notifications]
        assert said == [
            ("Decision saved on 1, which is closed (2 is on the floor)", "warning"),
            ("Action point saved on 2(e), which is deferred (2 is on the floor)", "warning"),
            ("Note saved on 3, which is not yet taken up (2 is on the floor)", "information"),
        ]
        assert [n.kind for n in service.state.notes_of("1")] == ["note", "decision"]
        app.jump_to("1")
        await pilot.pause()
        await pilot.press("E", "enter")  # a note on 1: an edit says nothing
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).insert(" Corrected.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("Corrected." in n.text for n in service.state.notes_of("1"))
        assert len(app._notifications) == 3
    other.close()


async def _write(pilot: Pilot[None], key: str, text: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor)
    editor.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()
