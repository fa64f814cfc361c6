"""The tracker's start: tree lines made in one go are the lines ``Text.append`` made, and the
opening leaves the garbage collector running (what it froze is handed back at the end)."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import click
import msgspec
import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from sessiontui.commands.tui import open_while_textual_loads
from sessiontui.core.agenda import AgendaFile
from sessiontui.core.commands import CloseItem, DeferItem, OpenItem
from sessiontui.core.state import SessionState
from sessiontui.ui.format import STATUS_MARKS, clock, safe
from sessiontui.ui.widgets.agenda_tree import AgendaTree
from tests.test_ui_support import SIZE, make_app, make_service

# Wide, combining and joining characters, controls and markup: what a measured width and the
# spans of a line made at once could get wrong.
TITLES = (
    "Plain title",
    "Adoption de l'ordre du jour — séance",
    "Доклад Рабочей группы",
    "会议议程 全角",
    "\u200djoined at the start",
    "\ufe0fselector at the start",
    "bell\x07 back\x08 feed\x0c return\r tab\t end",
    "[b]markup[/b] \x1b[31mred\x1b[0m \u202eevil",
    "\x1b[0m",  # nothing left once made safe
)


def spec() -> AgendaFile:
    items: list[dict[str, object]] = [
        {"number": str(n), "title": title, "minutes": 1} for n, title in enumerate(TITLES, 1)
    ]
    # No number and no plan: the title comes right after the mark.
    items += [{"number": "", "title": title} for title in ("No number", "\u200dj", "\ufe0fs")]
    items.append(
        {
            "number": "99",
            "title": "Parent",
            "items": [{"number": "a", "title": "Child", "minutes": 5}],
        }
    )
    agenda = {"meeting": {"title": "M", "timezone": "UTC"}, "items": items}
    return msgspec.convert(agenda, AgendaFile)


def appended(tree: AgendaTree, state: SessionState, item_id: str, now: dt.datetime) -> Text:
    """A tree line as it was made before: piece by piece with ``Text.append``."""
    node = state.agenda.nodes[item_id]
    item = state.items[item_id]
    used = state.used_seconds(item_id, now)
    planned = state.agenda.planned_seconds_of(item_id)
    over = planned is not None and used > planned
    style = {
        "closed": tree._style("agenda-tree--closed"),
        "deferred": tree._style("agenda-tree--deferred"),
        "open": tree._style("agenda-tree--floor") if state.floor == item_id else Style(),
    }.get(item.status, Style())
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(STATUS_MARKS[item.status] + " ", style=style)
    if node.label:
        text.append(safe(node.label) + " ", style=style + Style(bold=True))
    if used or planned:
        times = clock(used) + (f"/{clock(planned)}" if planned else "")
        if over:
            text.append(f"!{times}", style=tree._style("agenda-tree--overrun"))
        else:
            text.append(times, style=tree._style("agenda-tree--time"))
        text.append(" ")
    text.append(safe(node.title), style=style)
    return text


async def test_tree_lines_are_the_lines_appended_piece_by_piece(tmp_path: Path) -> None:
    service, fake_clock = make_service(tmp_path, spec=spec())
    service.run(OpenItem("1"))
    fake_clock.advance(120)  # item 1 overruns its minute, live
    service.run(OpenItem("2"))
    fake_clock.advance(30)
    service.run(CloseItem("2"))
    service.run(DeferItem("3"))
    service.run(OpenItem("99a"))  # its parent is in consideration, not on the floor
    fake_clock.advance(90)
    app = make_app(service, fake_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.main.agenda_tree
        state, now = service.state, fake_clock.now()
        statuses = set()
        for item_id in state.agenda.order():
            line = tree.label_for(state, item_id, now)
            expected = appended(tree, state, item_id, now)
            assert line == expected  # same text, same spans
            assert (line.no_wrap, line.overflow, line.end) == (True, "ellipsis", "\n")
            assert line.cell_len == cell_len(expected.plain)
            statuses.add(state.items[item_id].status)
        assert statuses >= {"pending", "open", "closed", "deferred", "suspended"}
        # The tree built from them shows every item.
        assert tree.last_line + 1 == len(state.agenda.order())


def test_the_opening_leaves_the_collector_on_and_the_session_frozen(tmp_path: Path) -> None:
    service, _ = make_service(tmp_path)
    path = service.store.path  # type: ignore[attr-defined]
    service.store.close()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    opened = open_while_textual_loads(str(path), "ana", None, read_only=True)
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
        assert opened.state.items
    finally:
        opened.close()
        gc.unfreeze()


def test_a_failed_opening_leaves_the_collector_on(tmp_path: Path) -> None:
    gc.unfreeze()
    with pytest.raises(click.ClickException):
        open_while_textual_loads(str(tmp_path / "missing.jsonl"), "ana", None, read_only=True)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_a_rebuild_lays_the_tree_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``AgendaTree`` holds back Textual's (private) ``Tree._invalidate`` while a rebuild adds
    its nodes: this fails if Textual stops calling it per node added (the override would then
    be dead weight) or if the rebuild lays out more than once."""
    from textual.widgets import Tree

    service, fake_clock = make_service(tmp_path, spec=spec())
    app = make_app(service, fake_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.main.agenda_tree
        calls: list[bool] = []
        original = Tree._invalidate

        def counted(self: Tree[str]) -> None:
            calls.append(True)
            original(self)

        monkeypatch.setattr(Tree, "_invalidate", counted)
        tree.root.add_leaf("probe")  # Textual's own path: one layout per node added
        assert len(calls) == 1
        calls.clear()
        tree.rebuild(service.state, fake_clock.now())
        assert len(calls) == 1
        assert tree.last_line + 1 == len(service.state.agenda.order())


def test_the_first_screen_imports_no_dialog(tmp_path: Path) -> None:
    # Dialogs are imported when first used: none is on the first screen, and importing them
    # would cost every start (a left-over draft's question is asked only when there is one).
    import subprocess
    import sys

    service, _ = make_service(tmp_path)
    path = service.store.path  # type: ignore[attr-defined]
    service.store.close()
    code = (
        "import asyncio, sys\n"
        "from sessiontui.commands.tui import open_while_textual_loads\n"
        "from sessiontui.ui.app import SessionApp\n"
        f"service = open_while_textual_loads({str(path)!r}, 'ana', None, read_only=False)\n"
        "async def main():\n"
        "    app = SessionApp(service)\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        assert app.main.agenda_tree.last_line > 0\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.startswith('sessiontui.ui.dialogs.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
