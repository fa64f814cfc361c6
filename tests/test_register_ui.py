"""The register in the tracker: the speaker dialog completes names from it and the UN list."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from sessiontui.core.commands import AddParticipants
from sessiontui.core.register import Participant
from tests.test_ui_app import speaker_dialog
from tests.test_ui_support import make_app, make_service


async def _suggestion(field: Input) -> str:
    """What the field would complete to (Textual's suggester runs in the background)."""
    return str(field._suggestion)


async def test_speaker_dialog_completes_from_the_register(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    service.run(AddParticipants((Participant(name="Transparency International", kind="NGO"),)))
    app = make_app(service, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await speaker_dialog(pilot, "2a", "Tra")
        name = dialog.query_one("#speaker-name", Input)
        for _ in range(50):
            await pilot.pause()
            if await _suggestion(name):
                break
        assert await _suggestion(name) == "Transparency International"
        name.value = ""
        await pilot.press(*"Türk")
        for _ in range(50):
            await pilot.pause()
            if await _suggestion(name):
                break
        assert await _suggestion(name) == "Türkiye"  # the UN list's spelling
        group = dialog.query_one("#speaker-on-behalf-of", Input)
        group.focus()
        await pilot.press(*"Group of 7")
        for _ in range(50):
            await pilot.pause()
            if await _suggestion(group):
                break
        assert await _suggestion(group) == "Group of 77 and China"


async def test_roll_call_screen_records_who_is_present(tmp_path: Path) -> None:
    from sessiontui.core.commands import SittingCommand
    from sessiontui.ui.dialogs.rollcall_dialog import RollCallDialog

    service, clock = make_service(tmp_path)
    entries = (Participant(name="Brazil"), Participant(name="Kenya"), Participant(name="Peru"))
    service.run(AddParticipants(entries))
    app = make_app(service, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("R")  # no sitting open: a warning, no dialog
        await pilot.pause()
        assert not isinstance(app.screen, RollCallDialog)
        service.run(SittingCommand("open"))
        await pilot.pause()
        await pilot.press("R")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, RollCallDialog):
                break
        assert isinstance(app.screen, RollCallDialog)
        await pilot.press("space", "down", "down", "space", "ctrl+s")  # Brazil and Peru
        for _ in range(50):
            await pilot.pause()
            if service.state.attendance:
                break
    roll = service.state.attendance[1]
    assert roll == {"brazil": True, "kenya": False, "peru": True}
