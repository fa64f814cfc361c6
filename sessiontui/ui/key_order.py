"""Keys handled one after another, each only once the one before it has been handled to its end.

Textual hands a key to the widget focused when the App takes it from its queue, and goes on
to the next key at once; a key the widget leaves unanswered bubbles back to the App's queue,
behind the keys typed after it, and only then runs the tracker's binding. When a key closes or
opens a screen (ctrl+s saving a note, ``n`` opening the editor), the keys typed right behind it
were handed to a widget about to go (the saved note's text area: the letters vanished with it)
or to the screen below (the tracker's own keys: the letters of a note ran as commands).

So the App hands its keys to a ``KeyQueue``, which takes them one at a time: it waits until
the App, the screen on top, the widget focused, the widget the last key went to and the
containers between them have handled everything they were sent (the key itself, the messages
it bubbled up, a screen pushed and mounted with its field focused), then passes the next key
on as Textual would. The wait is bounded, so that a screen stuck in a long task never freezes
the keyboard. A paste takes its turn among the keys: handed on at once, it went into the text
ahead of the keys typed before it that were still waiting.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump

SETTLE_LIMIT = 1.0
"""Seconds a key waits at most for the ones before it (a slow save, a large screen)."""

TYPING_PAUSE = 1.0
"""Seconds without a key that end the typing behind a refused key (``hold_typing``)."""

_NEVER_HELD = frozenset({"escape", "ctrl+q"})


class KeyQueue:
    """The App's keys, passed on one at a time once the previous one is fully handled."""

    def __init__(self, app: App[Any], handle: Callable[[events.Event], Awaitable[None]]):
        """Make the queue.

        Args:
            app: The App whose keys these are.
            handle: What the App does with a key (Textual's own ``App.on_event``).
        """
        self.app = app
        self.handle = handle
        self.waiting: deque[events.Key | events.Paste] = deque()
        self._task: asyncio.Task[None] | None = None
        self._last: MessagePump | None = None
        self._held_until: float | None = None
        self.handled = 0
        """How many keys were taken so far (a quit on a hang-up waits while this grows)."""

    def hold_typing(self, key: events.Key) -> None:
        """Drop the keys typed right behind ``key``, until a pause in typing.

        For a key that opens a text (a note, a speaker's name) and was refused: what was typed
        behind it is that text, and its letters must not run as the tracker's keys (``s``
        suspends an item, ``p`` the sitting). Escape and quit still apply.
        """
        self._held_until = key.time + TYPING_PAUSE

    def hold_typed_before(self, moment: float) -> None:
        """Drop the keys typed before ``moment`` (on Textual's clock, as a key's ``time``) and
        the typing that goes on behind them, until a pause in typing.

        For a question that has just appeared (a ``ConfirmDialog``): a key typed before it
        could be read answers nothing (the ``n`` of a note typed right behind ``P`` is not "no,
        keep the sitting open"), and the letters behind it must not run as the tracker's keys
        once the question is gone. Escape and quit still apply.
        """
        self._held_until = max(self._held_until or moment, moment)

    def put(self, key: events.Key | events.Paste) -> None:
        """Queue ``key`` (or a paste) behind the keys not yet passed on."""
        self.waiting.append(key)
        if self._task is None or self._task.done():
            # Created in the App's context: the handling sees the App as its active pump.
            self._task = asyncio.create_task(self._pass_on())

    async def _pass_on(self) -> None:
        while self.waiting:
            # A key a widget leaves unanswered bubbles through each of its containers to the
            # screen and the App (Enter in a dialog's field reaches the dialog's binding so):
            # every pump on that way is waited for, not only both ends.
            route = [*_way_up(self.app.focused), *_way_up(self._last)]
            await settled(self.app.screen, [self.app, *route])
            key = self.waiting.popleft()
            self.handled += 1
            if self._held_until is not None:
                held = isinstance(key, events.Paste) or key.key not in _NEVER_HELD
                if held and key.time < self._held_until:
                    self._held_until = max(self._held_until, key.time + TYPING_PAUSE)
                    continue
                self._held_until = None
            await self.handle(key)
            self._last = self.app.focused or self.app.screen


def _way_up(widget: MessagePump | None) -> list[MessagePump]:
    """``widget`` and the pumps a message bubbles through from it (none once it is removed)."""
    if widget is None or not widget.is_attached:
        return []
    return list(widget.ancestors_with_self) if isinstance(widget, DOMNode) else [widget]


async def settled(screen: MessagePump, pumps: list[MessagePump | None]) -> None:
    """Return once ``screen`` runs and it and each running pump of ``pumps`` have handled all
    they were sent before the call.

    A callback is queued behind each pump's messages, and the round is repeated while any pump
    has received more meanwhile (a key bubbling from a widget to its screen and the App). A
    screen just pushed is waited for until it runs: its mount gives its field the focus.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_LIMIT
    while not screen.is_running and loop.time() < deadline:
        await asyncio.sleep(0.001)
    every = list(dict.fromkeys(p for p in [screen, *pumps] if p is not None))
    while True:
        waits: list[asyncio.Future[None]] = []
        for pump in every:
            if not pump.is_running:
                continue
            done: asyncio.Future[None] = loop.create_future()
            if pump.call_later(_resolve, done):
                waits.append(done)
        remaining = deadline - loop.time()
        if not waits or remaining <= 0:
            return
        await asyncio.wait(waits, timeout=remaining)
        if all(not p.is_running or not p.message_queue_size for p in every):
            return


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)
