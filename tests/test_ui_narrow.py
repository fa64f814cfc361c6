"""Pilot tests at 80x24: the top bar, the footer, the item in full and the help still work."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem, SittingCommand, StartSpeaker
from sessiontui.service import SessionService, open_session
from sessiontui.ui.actions import BY_CALL
from sessiontui.ui.app import SessionApp
from sessiontui.ui.screens.help_screen import HelpScreen
from sessiontui.ui.screens.item_screen import ItemScreen
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_support import START, make_app, make_service, second_writer

NARROW = (80, 24)


async def _settled(pilot: Pilot[None]) -> SessionApp:
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    await pilot.pause()
    return app


def _footer(app: SessionApp) -> list[FooterKey]:
    return list(app.main.query_one(KeysFooter).query(FooterKey))


def _footer_fits(app: SessionApp, width: int = NARROW[0]) -> None:
    """Every key shown lies inside the screen, none over another."""
    keys = sorted(_footer(app), key=lambda key: key.region.x)
    for left, right in itertools.pairwise(keys):
        assert left.region.right <= right.region.x, (left.key, right.key)
    assert all(key.region.right <= width for key in keys)


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


@pytest.mark.parametrize(
    ("width", "more"),
    [
        (120, {"d": "Decision", "a": "Action"}),
        (200, {"d": "Decision", "a": "Action", "u": "Undo", "s": "Resume", "E": "Edit note",
               "at": "Time", "j": "Journal", "t": "Clock", "w": "Export"}),
    ],
)  # fmt: skip
async def test_a_wide_footer_shows_more_of_the_keys_that_apply(
    tmp_path: Path, width: int, more: dict[str, str]
) -> None:
    """At 120 and 200 columns the footer used only the same dozen keys as at 80 (eight shown
    here, half the width empty): it adds the other keys that apply, as many as fit."""
    from sessiontui.core.commands import SuspendItem

    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "The Chair opened the item."))
    service.run(SuspendItem("2a"))
    app = make_app(service, clock)
    async with app.run_test(size=(width, 40)) as pilot:
        await _settled(pilot)
        app.jump_to("2a")
        keys = await _footer_when(
            pilot, app, lambda keys: all(keys.get(k) == v for k, v in more.items())
        )
        shown = {key: keys.get(key) for key in more}
        assert shown == more, keys
        assert "R" not in keys  # no register: the roll call waits for one
        assert "escape" not in keys  # no time set with @: nothing to forget
        _footer_fits(app, width)
        app.set_pending_at(clock.now())
        assert "escape" in await _footer_when(pilot, app, lambda keys: "escape" in keys)


async def _footer_when(
    pilot: Pilot[None], app: SessionApp, done: Callable[[dict[str, str]], bool]
) -> dict[str, str]:
    """The footer's keys once ``done`` holds of them, or after 10 s (a loaded machine: the
    footer is composed again after a refresh, not at once)."""
    deadline = time.monotonic() + 10
    while True:
        await pilot.pause()
        keys = {key.key: key.description for key in _footer(app)}
        if done(keys) or time.monotonic() > deadline:
            return keys


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
        await pilot.wait_for_animation()  # the scroll is animated: slow on a loaded machine
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


@pytest.mark.parametrize("size", [NARROW, (120, 40)])
async def test_the_agenda_has_no_horizontal_scrollbar(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Titles wider than the agenda pane are cut, not scrolled: the scrollbar took a row of
    the pane, and the end of its thumb showed as a stray block (seen at 80x24 in tmux)."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=size) as pilot:
        await _settled(pilot)
        tree = app.main.agenda_tree
        assert tree.virtual_size.width > tree.size.width  # the 2020 titles are long
        assert not tree.show_horizontal_scrollbar
        assert tree.scrollable_content_region.height == tree.size.height


async def test_an_item_with_little_to_show_needs_no_scrollbar_at_80x24(tmp_path: Path) -> None:
    """Its empty sections (no speakers, notes, annotation, journal) take no rows: their blank
    lines overflowed the panel's ten rows and put a scrollbar beside two lines of text."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=NARROW) as pilot:
        await _settled(pilot)
        panel = app.main.query_one(ItemPanel)
        assert app.selected() == "1"
        assert not panel.show_vertical_scrollbar
        shown = [s.id for s in panel.query(Static) if s.display]
        assert shown == ["item-head", "item-time"]


@pytest.mark.parametrize("size", [NARROW, (200, 50)])
async def test_the_top_bar_keeps_not_a_meeting_day_over_who_else_is_active(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """A sitting on a day outside the agenda's dates, a speaker over the limit, the projected
    end and someone else active: at 80 columns "Also active" goes (then the scheduled end),
    never the day warning, which still ends the bar."""
    service, clock = make_service(tmp_path)
    clock.set(START + dt.timedelta(days=6))  # 25 November; the agenda says 19-20 November
    service.run(SittingCommand("open"))
    service.run(OpenItem("2a"))
    clock.advance(minutes=50)
    service.run(AddSpeaker("2a", "Bosnia and Herzegovina", start=True))
    second_writer(service, "Ana Secretariat").run(AddSpeaker("2a", "Kenya"))
    service.refresh()
    clock.advance(minutes=3, seconds=34)  # past the 3-minute limit
    app = make_app(service, clock)
    async with app.run_test(size=size) as pilot:
        await _settled(pilot)
        top = app.main.query_one(TopBar)
        content = top.content
        assert isinstance(content, Text)
        lines = content.plain.splitlines()
        assert all(len(line) <= top.content_size.width for line in lines[1:]), lines
        assert top.region.height == len(lines)  # every line shown, none cut
        status = " │ ".join(lines[1:])
        for words in (
            "1st meeting: open",
            "On the floor: 2(a) 53:34",
            "Speaking: Bosnia and Herzegovina 3:34 OVER",
            "Ends ~",
        ):
            assert words in status, (words, lines)
        assert lines[-1].endswith("│ not a meeting day"), lines
        wide = size[0] >= 120
        assert ("Also active: Ana Secretariat" in status) is wide, lines
        assert ("(scheduled 13:00" in status) is wide, lines


def _damaged(tmp_path: Path) -> SessionService:
    """A log damaged at its 3rd event (a note's text changed after it was sealed), opened."""
    writer, clock = make_service(tmp_path)
    for command in (OpenItem("1"), AddNote("1", "first"), AddNote("1", "second")):
        writer.run(command)
    path: Path = writer.store.path  # type: ignore[attr-defined]
    writer.close()
    path.write_text(path.read_text(encoding="utf-8").replace('"first"', '"First"'), "utf-8")
    return open_session(str(path), actor="ana", clock=clock)


@pytest.mark.parametrize("size", [NARROW, (200, 50)])
@pytest.mark.parametrize("how", ["--read-only", "damaged log"])
async def test_a_view_only_tracker_offers_no_key_that_records(
    tmp_path: Path, size: tuple[int, int], how: str
) -> None:
    """`@` sets when the next recorded action happened: where nothing can be recorded it is
    refused and left out of the footer, as every recording key is."""
    if how == "--read-only":
        service, clock = make_service(tmp_path)
        service.run(OpenItem("1"))
        app = make_app(service, clock, read_only=True)
    else:
        service = _damaged(tmp_path)
        assert service.store.read_only
        app = SessionApp(service)
    before = service.state.event_count
    async with app.run_test(size=size, notifications=True) as pilot:
        await _settled(pilot)
        shown = {key.key: BY_CALL[key.action] for key in _footer(app) if key.action in BY_CALL}
        assert "at" not in shown
        recording = [a.id for a in shown.values() if a.records is not None or a.prepares]
        assert recording == [], recording
        assert {"i", "ctrl+q"} <= shown.keys()  # the keys that only show are still offered
        assert app.check_action("set_time", ()) is False
        await pilot.press("at")
        await pilot.pause()
        assert app.screen is app.main  # no time dialog
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Set when the next action happened: ") for m in messages)
        assert service.state.event_count == before
