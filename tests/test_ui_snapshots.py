"""SVG snapshots of the tracker at a fixed size and a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from sessiontui.core.commands import AddNote, AddSpeaker, NextItem, OpenItem
from sessiontui.ui.app import SessionApp
from tests.test_ui_support import SIZE, make_app, make_service

SnapCompare = Callable[..., bool]


def meeting_in_progress(tmp_path: Path) -> SessionApp:
    """2(a) on the floor for 34 minutes of its 30, notes written, a speaker over the limit."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("1"))
    clock.advance(minutes=12)
    service.run(AddNote("1", "The agenda was adopted as orally amended.", "decision"))
    service.run(NextItem())
    service.run(NextItem())
    service.run(AddNote("2a", "The co-facilitators reported on the informal consultations."))
    service.run(AddNote("2a", "Secretariat to circulate the revised draft declaration.", "action"))
    service.run(AddSpeaker("2a", "Brazil", start=True))
    clock.advance(minutes=30)
    service.run(AddSpeaker("2a", "Kenya", delegation="Group of African States", start=True))
    service.run(AddSpeaker("2a", "European Union"))
    clock.advance(minutes=4, seconds=20)
    return make_app(service, clock)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the journal, built at start: same screen always
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, SessionApp)
    app.jump_to("2a")
    await pilot.pause()


def test_main_view(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(meeting_in_progress(tmp_path), terminal_size=SIZE, run_before=_settle)


def test_narrow_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(meeting_in_progress(tmp_path), terminal_size=(80, 24), run_before=_settle)


def test_note_editor(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        area = pilot.app.screen.query_one(TextArea)
        area.cursor_blink = False
        area.insert("The meeting took note of the progress report [draft].")
        await pilot.pause()

    assert snap_compare(meeting_in_progress(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_speaker_dialog(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("plus")
        await pilot.pause()
        field = pilot.app.screen.query_one("#speaker-name", Input)
        field.cursor_blink = False
        await pilot.press("K", "e")
        await pilot.pause()

    assert snap_compare(meeting_in_progress(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_clock_view(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(meeting_in_progress(tmp_path), terminal_size=SIZE, run_before=run_before)
