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


async def test_roll_call_says_present_or_absent_in_words(tmp_path: Path) -> None:
    """Each line reads "present" or "absent" (not a mark told apart by colour), with a count."""
    from textual.widgets import SelectionList, Static

    from sessiontui.core.commands import SittingCommand
    from sessiontui.ui.dialogs.rollcall_dialog import RollCallDialog

    service, clock = make_service(tmp_path)
    entries = (Participant(name="Brazil"), Participant(name="Kenya"), Participant(name="Peru"))
    service.run(AddParticipants(entries))
    service.run(SittingCommand("open"))
    app = make_app(service, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, RollCallDialog):
                break
        dialog = app.screen
        assert isinstance(dialog, RollCallDialog)
        await pilot.press("down", "space")  # Kenya present
        await pilot.pause()
        roll = dialog.query_one(SelectionList)
        lines = [roll.render_line(y).text for y in range(3)]
        assert "absent" in lines[0] and "Brazil" in lines[0] and "present" not in lines[0]
        assert "present" in lines[1] and "Kenya" in lines[1] and "absent" not in lines[1]
        assert "absent" in lines[2] and "Peru" in lines[2]
        assert "X" not in "".join(lines)  # Textual's own "▐X▌", the same on every line
        hint = str(dialog.query_one("#rollcall-hint", Static).content)
        assert "1 of 3 present" in hint


async def test_speaker_dialog_says_a_name_on_no_list(tmp_path: Path) -> None:
    """ "Brasil" went on the list unseen, and the report named "the representative of Brasil":
    the speaker is put on the list at once, and the slip said with the name meant."""
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog

    service, clock = make_service(tmp_path)
    service.run(AddParticipants((Participant(name="Transparency International", kind="NGO"),)))
    app = make_app(service, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:

        def warnings() -> list[str]:
            return [n.message for n in app._notifications if "neither" in n.message]

        await speaker_dialog(pilot, "2a", "Brasil")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerDialog)
        assert [sp.name for sp in service.state.items["2a"].speakers] == ["Brasil"]
        assert warnings() == [
            "'Brasil' is on neither the register nor the UN list: did you mean 'Brazil'? "
            "(u undoes it)"
        ]
        await pilot.press("u")  # as the warning says
        await pilot.pause()
        assert service.state.items["2a"].speakers == []
        for name in ("Brazil", "Transparency International", "Chair"):
            await pilot.press("plus", *name, "enter")
            await pilot.pause()
        assert [sp.name for sp in service.state.items["2a"].speakers] == [
            "Brazil",
            "Transparency International",
            "Chair",
        ]
        # None said of these (the first warning may have expired by now: a notification
        # lives 5 s, which a loaded machine can spend on the typing above).
        assert not [said for said in warnings() if "'Brasil'" not in said]
