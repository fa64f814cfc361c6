"""Time a TUI headless: start to the first complete screen, then key press to updated screen.

Run by ``bench/run.py`` in a fresh subprocess per measurement, so each start pays the same
interpreter start and imports a person would. Prints one JSON line ``{"phase": "ready"}`` the
moment the screen is complete (the parent times the spawn up to that line), then one JSON line
with the key-press times, then exits.

``--app product`` opens the log with ``SessionService`` and ``SessionApp``; ``--app bare`` is a
plain Textual app building the same agenda tree (every item as one line with a status and
times) from the agenda file, with no session logic: the floor Textual itself sets.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (160, 50)
READY_TIMEOUT = 120.0


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _count_tree_lines(app: Any) -> int:
    """Nodes in every Tree of the current screen (how far the agenda tree is built)."""
    from textual.widgets import Tree

    total = 0
    for tree in app.screen.query(Tree):
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            total += 1
            stack.extend(node.children)
    return total


def _bare_labels(agenda_path: Path) -> list[tuple[int, str, bool]]:
    """``(depth, line, has_children)`` for every item, as the product would show it."""
    document = tomllib.loads(agenda_path.read_text(encoding="utf-8"))
    out: list[tuple[int, str, bool]] = []

    def walk(items: list[dict[str, Any]], depth: int, prefix: str) -> None:
        numbering = ("{n}", "({a})", "({r})")[min(depth, 2)]
        for index, item in enumerate(items, 1):
            own = numbering.format(
                n=index, a="abcdefghijklmnopqrstuvwxyz"[index - 1 : index], r=_roman(index)
            )
            label = prefix + own
            planned = item.get("minutes")
            text = f"{label} {item['title']}  pending  0:00" + (
                f" / {planned}:00" if planned else ""
            )
            children = item.get("items", [])
            out.append((depth, text, bool(children)))
            walk(children, depth + 1, label)

    walk(document.get("items", []), 0, "")
    return out


def _roman(n: int) -> str:
    numerals = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, numeral in numerals:
        while n >= value:
            out += numeral
            n -= value
    return out


def _bare_app(agenda_path: Path) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Tree

    class BareApp(App[None]):
        """A Textual app with the same agenda tree and nothing else."""

        BINDINGS = [("x", "flip", "Change a status")]  # noqa: RUF012 (Textual's convention)

        def compose(self) -> ComposeResult:
            yield Header()
            yield Tree("agenda", id="agenda")
            yield Footer()

        def on_mount(self) -> None:
            tree = self.query_one(Tree)
            stack: list[Any] = [tree.root]
            for depth, text, has_children in _bare_labels(agenda_path):
                del stack[depth + 1 :]
                parent = stack[depth]
                if has_children:
                    stack.append(parent.add(text, expand=True))
                else:
                    node = parent.add_leaf(text)
                    stack.append(node)
            tree.root.expand()
            self.flips = 0

        def action_flip(self) -> None:
            # One single-line relabel of the node under the cursor: Textual's own repaint cost.
            tree = self.query_one(Tree)
            node = tree.cursor_node or tree.root
            self.flips += 1
            status = "closed" if self.flips % 2 else "open"
            node.set_label(f"{str(node.label).split('  ')[0]}  {status}  0:{self.flips:02d}")

    return BareApp()


class _AfterTheLog:
    """The wall clock, moved on past the log's last event when the log ends after today.

    The generated sessions have two sittings a day, so the 2,000,000-event one runs into the
    2040s: with the wall clock, every key press would record an event decades before the
    session's last one, which is a late event that makes the tracker fold the whole log again
    in meeting-time order. A person recording live records after what is in the log.
    """

    def __init__(self, last_at: dt.datetime | None) -> None:
        now = dt.datetime.now(dt.UTC)
        ahead = last_at - now if last_at is not None else dt.timedelta(0)
        self.offset = max(ahead + dt.timedelta(minutes=1), dt.timedelta(0))

    def now(self) -> dt.datetime:
        """The wall clock's instant, plus how far the log ran ahead of it at the start."""
        return dt.datetime.now(dt.UTC) + self.offset


def _product_app(log: Path) -> Any:
    from sessiontui.commands.tui import open_while_textual_loads

    # As `sessiontui LOG` opens it: from the log's checkpoint when one matches, while Textual
    # loads.
    service = open_while_textual_loads(str(log), "bench", None, read_only=False)
    from sessiontui.ui.app import SessionApp

    clock = _AfterTheLog(service.state.last_at)
    service.clock = clock  # the service's clock times what is recorded, the app's what is shown
    return SessionApp(service, read_only=False, clock=clock)


async def _probe(app_kind: str, log: Path, agenda: Path, presses: int, expected: int) -> None:
    if app_kind == "bare":
        app = _bare_app(agenda)
        key = "x"
    else:
        app = _product_app(log)
        key = "greater_than_sign"  # "next item": close the item on the floor, take up the next
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + READY_TIMEOUT
        while _count_tree_lines(app) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        # One more round of messages so the populated tree has been painted.
        await pilot.pause()
        _emit({"phase": "ready", "lines": _count_tree_lines(app)})
        times: list[float] = []
        changed = 0
        for _ in range(presses):
            before = _marker(app, app_kind)
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - started)
            changed += _marker(app, app_kind) != before
        _emit({"phase": "keys", "times": times, "changed": changed})
        await pilot.press("ctrl+q")


def _marker(app: Any, app_kind: str) -> int:
    """Something that moves when a key press changed a status (to catch a silent no-op)."""
    if app_kind == "bare":
        return int(app.flips)
    return int(app.service.state.last_seq)


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", choices=("product", "bare"), required=True)
    parser.add_argument("--log", type=Path, required=True, help="a writable copy of the log")
    parser.add_argument("--agenda", type=Path, required=True)
    parser.add_argument("--presses", type=int, default=5)
    parser.add_argument("--expected", type=int, required=True, help="agenda items in the tree")
    args = parser.parse_args(argv)
    asyncio.run(_probe(args.app, args.log, args.agenda, args.presses, args.expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
