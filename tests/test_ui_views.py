"""Pilot tests of the views: the palette's exact label match, the journal pinned to its end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.core.commands import AddNote, OpenItem
from sessiontui.ui.app import SessionApp
from sessiontui.ui.widgets.journal_panel import JournalPanel
from tests.test_ui_support import SIZE, make_app, make_service


@pytest.mark.parametrize("query", ["2c", "2(c)", "2 c"])
async def test_the_palette_ranks_an_exact_label_first(tmp_path: Path, query: str) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*query)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app, SessionApp)
        assert app.selected() == "2c"


async def test_the_journal_panel_shows_its_newest_line_at_80x24(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2a"))
    for number in range(15):
        clock.advance(minutes=1)
        service.run(AddNote("2a", f"note number {number}"))
    app = make_app(service, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause(0.5)
        panel = app.main.query_one(JournalPanel)
        shown = str(panel.render())
        assert "note number 14" in shown  # the newest line, never below the fold
        assert len(shown.splitlines()) <= panel.content_region.height
        clock.advance(minutes=1)
        app.record(AddNote("2a", "the very latest"))
        await pilot.pause()
        assert "the very latest" in str(panel.render())


async def test_a_sitting_on_a_day_outside_the_agenda_is_warned_not_asked(
    tmp_path: Path,
) -> None:
    from tests.test_ui_support import START

    service, clock = make_service(tmp_path)
    clock.set(START + dt.timedelta(days=6))  # 25 November; the agenda says 19-20 November
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert service.state.floor == "1"  # recorded: a warning, not a question
        assert any(
            "25 Nov 2020 is not a day of the meeting (19 Nov–20 Nov 2020)" in n.message
            for n in app._notifications
        )
        assert "│ not a meeting day" in str(app.main.query_one("#top").render())


async def test_a_sitting_on_a_meeting_day_is_not_warned(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert not any("not a day of the meeting" in n.message for n in app._notifications)
        assert "not a meeting day" not in str(app.main.query_one("#top").render())


def _also_active(app: SessionApp) -> str:
    from sessiontui.ui.widgets.top_bar import TopBar

    shown = str(app.main.query_one(TopBar).render())
    return shown.partition("Also active: ")[2].partition(" │")[0].strip()


async def test_also_active_names_a_person_once_however_they_spelt_it(tmp_path: Path) -> None:
    """Bo recorded from the command line as "bo  lin" and from a tracker as "Bo Lin": one
    person, listed once under the spelling used last; and never ana herself, however spelt."""
    from tests.test_ui_support import second_writer

    service, clock = make_service(tmp_path)
    second_writer(service, actor="bo  lin").run(OpenItem("2a"))
    clock.advance(minutes=1)
    second_writer(service, actor="Bo Lin").run(AddNote("2a", "one"))
    second_writer(service, actor="Ana").run(AddNote("2a", "two"))
    service.run(AddNote("2a", "three"))  # as "ana", reading what the others wrote
    app = make_app(service, clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        assert _also_active(app) == "Bo Lin"


async def test_also_active_leaves_out_the_login_name_used_before_naming(
    tmp_path: Path,
) -> None:
    """A first start asks the person's name; the commands they ran before recorded the
    account's login name. Once named, the tracker does not list that login name as someone
    else (it did: "Also active: root", the person themselves)."""
    from sessiontui.service import login_name, name_file
    from tests.test_ui_support import second_writer

    service, clock = make_service(tmp_path, actor=login_name())
    second_writer(service, actor=login_name()).run(OpenItem("2a"))
    second_writer(service, actor="cy").run(AddNote("2a", "one"))
    app = make_app(service, clock, remember_name=name_file())
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press(*"Bo Lin", "enter")
        await pilot.pause()
        await pilot.press("n", *"typed", "ctrl+s")
        await pilot.pause()
        assert service.actor == "Bo Lin"
        assert _also_active(app) == "cy"
