"""Hostile text in titles, notes and names is shown literally and never acts on the terminal."""

from __future__ import annotations

import html
from pathlib import Path

import msgspec
from rich.text import Text
from textual.widgets import Input

from sessiontui.core.agenda import AgendaFile
from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem, StopSpeaker
from sessiontui.ui.widgets.agenda_tree import AgendaTree
from sessiontui.ui.widgets.item_panel import ItemPanel
from tests.test_ui_support import SIZE, make_app, make_service

CLICK = "[@click=app.quit]Quit[/]"
HOSTILE = (
    f"{CLICK} [b]bold[/b] [unbalanced "
    "\x1b]52;c;aGVsbG8=\x07 \x1b[31mred\x1b[0m \x1b]0;title\x1b\\ \x9b2J \x85 \u202eevil"
)
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x85", "\u202e")


def hostile_spec() -> AgendaFile:
    """An agenda whose titles were never cleaned (an old log, a hand-edited snapshot)."""
    return msgspec.convert(
        {
            "meeting": {"title": f"Meeting {HOSTILE}", "timezone": "UTC"},
            "items": [
                {"number": "1", "title": HOSTILE, "annotation": HOSTILE, "documents": [HOSTILE]},
                {"number": "2", "title": "[wip] plain"},
            ],
        },
        AgendaFile,
    )


def plain_of(widget_text: object) -> str:
    return widget_text.plain if isinstance(widget_text, Text) else str(widget_text)


async def test_hostile_titles_notes_and_names_are_literal_and_inert(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path, spec=hostile_spec())
    service.run(OpenItem("1"))
    service.run(AddNote("1", HOSTILE))
    service.run(AddSpeaker("1", HOSTILE, start=True))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        tree = app.main.query_one(AgendaTree)
        labels = [plain_of(tree.get_node_at_line(line).label) for line in range(tree.last_line + 1)]  # type: ignore[union-attr]
        assert CLICK in labels[0] and "[b]bold[/b]" in labels[0] and "[unbalanced" in labels[0]
        assert "[wip] plain" in labels[1]
        panel = app.main.query_one(ItemPanel)
        shown = "".join(str(static.render()) for static in panel.query("Static"))
        assert shown.count(CLICK) >= 4  # title, annotation, document, note, speaker
        svg = html.unescape(app.export_screenshot())
        assert CLICK in svg.replace("\xa0", " ")
        for char in FORBIDDEN:
            assert all(char not in label for label in labels)
            assert char not in shown
            assert char not in svg

        # Clicking and hovering over the text runs nothing: the app is still there.
        for offset in ((2, 0), (6, 0), (10, 0), (20, 0)):
            await pilot.click(AgendaTree, offset=offset)
            await pilot.hover(ItemPanel, offset=offset)
            await pilot.click(ItemPanel, offset=offset)
            await pilot.pause()
        assert app.is_running
        assert app.screen is app.main

        # A refusal quoting the name is shown as typed, not as markup.
        await pilot.press("plus")
        await pilot.pause()
        app.screen.query_one("#speaker-name", Input).value = "[@click=app.quit]x"
        await pilot.press("enter")
        await pilot.pause()
        service.run(StopSpeaker("1"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click")
        await pilot.pause(0.5)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
