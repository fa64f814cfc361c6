"""Pilot tests of what a repaint keeps: footer keys, item panel heights, the garbage collector."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from sessiontui.core.commands import AddNote, EditNote
from sessiontui.ui.app import SessionApp
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.journal_panel import JournalPanel
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_support import SIZE, make_app, make_service


def footer_keys(app: SessionApp) -> list[FooterKey]:
    """The keys the main view's footer shows, left to right."""
    return list(app.main.query(FooterKey))


async def test_the_footer_follows_the_keys_that_apply(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.selected() == "1"
        keys = [key.key for key in footer_keys(app)]
        assert "o" in keys and "c" not in keys  # a pending item: take it up, not close it

        await pilot.press("o")
        await pilot.pause()
        keys = [key.key for key in footer_keys(app)]
        assert "c" in keys and "o" not in keys

        # Moving the cursor to a pending item: its keys, without anything being recorded.
        await pilot.press("down")
        await pilot.pause()
        assert app.selected() != "1"
        keys = [key.key for key in footer_keys(app)]
        assert "o" in keys
        await pilot.press("up")
        await pilot.pause()

        # A change that leaves every key as it was keeps the footer's widgets.
        shown = footer_keys(app)
        service.run(AddNote("1", "Noted."))
        app.paint(changed=True)
        await pilot.pause()
        assert footer_keys(app) == shown


@pytest.fixture
def styled(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How many times each node (by ``id``) has had its styles worked out."""
    counts: Counter[int] = Counter()
    apply = Stylesheet.apply

    def counting(self: Stylesheet, node: DOMNode, **options: Any) -> None:
        counts[id(node)] += 1
        apply(self, node, **options)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    return counts


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_each_footer_key_is_styled_once_as_it_is_mounted(
    tmp_path: Path, size: tuple[int, int], styled: Counter[int]
) -> None:
    """A key made compact or not from the start: not styled again when the footer's width is
    bound to it (a cost of every start, the first screen's keys included)."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = footer_keys(app)
        assert len(keys) > 5
        assert {styled[id(key)] for key in keys} == {1}
        # As Textual's footer has them: compact below 100 columns, the palette's key always.
        compact = size[0] < 100
        for key in keys:
            expected = compact or key.has_class("-command-palette")
            assert key.compact is expected and key.has_class("-compact") is expected, key.key


async def test_the_footer_works_its_keys_out_once_for_changes_in_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bindings that change several times before the footer's next look are looked at once."""
    looks: list[list[Any]] = []
    keys_now = KeysFooter._keys_now

    def counting(self: KeysFooter) -> list[Any]:
        looks.append(keys_now(self))
        return looks[-1]

    monkeypatch.setattr(KeysFooter, "_keys_now", counting)
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = [key.key for key in footer_keys(app)]
        looks.clear()
        for _ in range(5):
            app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(looks) == 1
        assert [key.key for key in footer_keys(app)] == shown
        # A change the look finds is shown: the cursor on a pending item offers to take it up.
        await pilot.press("o")
        await pilot.pause()
        assert "c" in [key.key for key in footer_keys(app)]


@pytest.mark.parametrize(("size", "width_class"), [((80, 24), "-narrow"), ((120, 30), "-wide")])
async def test_the_main_view_is_not_styled_again_for_its_width(
    tmp_path: Path, size: tuple[int, int], width_class: str, styled: Counter[int]
) -> None:
    """The main view has its width's class before its widgets mount: they are styled as they
    mount and once more as the screen shows (Textual's), not a third time for the width (the
    agenda tree, focused, is styled once more for that: left out here)."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        main = app.main
        assert main.has_class(width_class)
        assert not main.has_class("-wide" if width_class == "-narrow" else "-narrow")
        for widget in (
            main.query_one(TopBar),
            main.query_one(ItemPanel),
            main.query_one(JournalPanel),
        ):
            assert styled[id(widget)] == 2, widget


async def test_item_sections_take_the_height_of_their_text(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    for text in ("First.", "Second.", "Third."):
        service.run(AddNote("2a", text))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = app.main.query_one(ItemPanel).query_one("#item-notes", Static)
        # A heading and a line a note, each ending with a line break; no notes, no section
        # (its blank line and margin took rows of a short panel, and put a scrollbar there).
        for item_id, height in (("2a", 5), ("1", 0), ("2a", 5)):
            app.jump_to(item_id)
            await pilot.pause()
            assert notes.display == bool(height)
            assert notes.size.height == height
            if height:
                assert str(notes.content).count("\n") + 1 == height
        assert not app.main.query_one(ItemPanel).show_vertical_scrollbar

        # Same height, new text: shown all the same.
        service.run(EditNote(service.state.notes_of("2a")[0].id, "First, edited."))
        app.paint(changed=True)
        await pilot.pause()
        assert "1. First, edited." in str(notes.content)
        assert notes.size.height == 5


async def test_the_collector_skips_the_session_only_while_the_app_runs(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
