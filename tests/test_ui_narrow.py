"""Pilot tests at 80x24: the top bar, the footer, the item in full and the help still work."""

from __future__ import annotations

import itertools
from pathlib import Path

from rich.text import Text
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem, SittingCommand, StartSpeaker
from sessiontui.ui.app import SessionApp
from sessiontui.ui.screens.help_screen import HelpScreen
from sessiontui.ui.screens.item_screen import ItemScreen
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_support import make_app, make_service

NARROW = (80, 24)


async def _settled(pilot: Pilot[None]) -> SessionApp:
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    await pilot.pause()
    return app


def _footer(app: SessionApp) -> list[FooterKey]:
    return list(app.main.query_one(KeysFooter).query(FooterKey))


def _footer_fits(app: SessionApp) -> None:
    """Every key shown lies inside the screen, none over another."""
    keys = sorted(_footer(app), key=lambda key: key.region.x)
    for left, right in itertools.pairwise(keys):
        assert left.region.right <= right.region.x, (left.key, right.key)
    assert all(key.region.right <= NARROW[0] for key in keys)


async def test_the_top_bar_keeps_title_sitting_floor_and_end_readable(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    clock.advance(minutes=50)  # 2(a) planned for 30: the end is projected late
    service.run(AddSpeaker("2a", "Brazil", on_behalf_of="Group of 77 and China"))
    app = make_app(service, clock)
    async with app.run_test(size=NARROW) as pilot:
        await _settled(pilot)
        top = app.main.query_one(TopBar)
        content = top.content
        assert isinstance(content, Text)
        lines = content.plain.splitlines()
        assert lines[0].startswith("Second intersessional meeting")
        width = top.content_size.width
        assert all(len(line) <= width for line in lines[1:]), lines
        status = "\n".join(lines[1:])
        for words in ("1st meeting: open", "On the floor: 2(a) 50:00", "Ends ~", "scheduled 13:00"):
            assert words in status, (words, lines)
        assert top.region.height == len(lines)  # every line shown, none cut
    # At 120 columns the same status is one line under the title.
    async with make_app(service, clock).run_test(size=(120, 40)) as pilot:
        wide = await _settled(pilot)
        assert wide.main.query_one(TopBar).region.height == 2


async def test_the_footer_shows_the_keys_of_the_moment_at_80_columns(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=NARROW) as pilot:
        await _settled(pilot)
        keys = {key.key: key.description for key in _footer(app)}
        assert keys.get("P") == "Open sitting"  # nothing open yet: open a sitting
        assert "o" in keys
        _footer_fits(app)

        app.record(OpenItem("2a"))
        app.record(AddSpeaker("2a", "Brazil"))
        app.record(AddSpeaker("2a", "Kenya"))
        app.jump_to("2a")
        await pilot.pause()
        keys = {key.key: key.description for key in _footer(app)}
        assert keys.get("g") == "Give floor", keys
        assert "P" not in keys  # a sitting is open: closing one is not a key of the moment
        _footer_fits(app)

        app.record(StartSpeaker("2a", service.state.items["2a"].speakers[0].id))
        await pilot.pause()
        keys = {key.key: key.description for key in _footer(app)}
        assert keys.get("g") == "Give floor" and keys.get("e") == "End speech", keys
        assert keys.get("p") == "Break"
        _footer_fits(app)

        app.record(SittingCommand("suspend"))
        await pilot.pause()
        keys = {key.key: key.description for key in _footer(app)}
        assert keys.get("p") == "Resume sitting", keys
        _footer_fits(app)


async def test_i_shows_the_selected_items_speakers_decisions_and_notes(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddSpeaker("2a", "Brazil", on_behalf_of="Group of 77 and China"))
    service.run(AddNote("2a", "The meeting took note of the report.", "decision"))
    for number in range(25):
        service.run(AddNote("2a", f"Note number {number}."))
    app = make_app(service, clock)
    async with app.run_test(size=NARROW) as pilot:
        await _settled(pilot)
        app.jump_to("2a")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ItemScreen) and screen.item_id == "2a"
        panel = screen.query_one(ItemPanel)
        text = "\n".join(str(s.render()) for s in panel.query(Static))
        assert "Brazil (on behalf of the Group of 77 and China)" in text
        assert "The meeting took note of the report." in text
        assert "Note number 24." in text
        # Taller than the screen: the keys scroll it down to the last note.
        assert app.focused is panel and panel.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert panel.scroll_y == panel.max_scroll_y
        # It follows the session while it is shown.
        app.record(AddNote("2a", "Written while the item was shown."))
        await pilot.pause()
        text = "\n".join(str(s.render()) for s in panel.query(Static))
        assert "Written while the item was shown." in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_help_fits_80x24_and_says_how_to_scroll(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=NARROW) as pilot:
        await _settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        box = screen.query_one("#help-box")
        assert box.region.right <= NARROW[0] and box.region.bottom <= NARROW[1]
        hint = screen.query_one("#help-box > .hint", Static)
        assert "scroll" in str(hint.render()) and box.region.contains_region(hint.region)
        table = screen.query_one(VerticalScroll)
        assert app.focused is table and table.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.scroll_y > 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
