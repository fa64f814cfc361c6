"""Replay: the log folded into a ``SessionState`` in meeting-time order, without undone batches."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from sessiontui.core.events import Event, Header
from sessiontui.core.fold import UNDO_MEMORY, apply, remember
from sessiontui.core.state import SessionState


def _time_key(event: Event) -> tuple[dt.datetime, int]:
    return (event.at, event.seq)


class Replayer:
    """Folds a log into a ``SessionState``, and keeps folding as new events arrive.

    Most events come in time order and are applied as they come. A back-dated correction, an
    undo or a log read from the start need the events sorted by ``at`` without undone batches;
    then the state is rebuilt from ``source()``, which yields the log's events again.
    """

    def __init__(
        self,
        header: Header,
        source: Callable[[], Iterator[Event]],
        state: SessionState | None = None,
    ) -> None:
        """Fold ``source``'s events, from nothing or from ``state`` (a prefix already folded)."""
        self.header = header
        self.source = source
        self.state = state or SessionState(header)
        # Set once the log is known to hold an undo or a back-dated event: the log only grows,
        # so later rebuilds go straight to the sorted fold instead of streaming in vain.
        self.needs_sort = False

    def feed(self, events: Iterable[Event]) -> bool:
        """Apply new events; returns True if the state had to be rebuilt from the source."""
        for event in events:
            state = self.state
            out_of_order = state.last_at is not None and event.at < state.last_at
            if event.type == "undo" or out_of_order:
                # The source already holds these events: one rebuild covers the rest of them.
                self.needs_sort = True
                self.rebuild()
                return True
            if event.batch in state.undone:
                continue
            apply(state, event)
            remember(state, event)
        return False

    def rebuild(self) -> None:
        """Fold every event of the source again, in order of ``at``, without undone batches."""
        with collector_paused():
            self._rebuild()

    def _rebuild(self) -> None:
        if not self.needs_sort and self._rebuild_streaming():
            return
        self.needs_sort = True
        events = list(self.source())
        undone = {str(e.data.get("batch")) for e in events if e.type == "undo"}
        state = SessionState(self.header)
        state.undone = undone
        undo_events = [e for e in events if e.type == "undo"]
        kept = [e for e in events if e.type != "undo" and e.batch not in undone]
        kept.sort(key=_time_key)
        for event in kept:
            apply(state, event)
        for event in undo_events:
            state.last_seq = max(state.last_seq, event.seq)
            state.event_count += 1
        kept.sort(key=lambda event: event.seq)
        for event in kept:
            remember(state, event)
        self.state = state

    def _rebuild_streaming(self) -> bool:
        """Fold the source as it streams, holding no list of its events; False if it cannot.

        A log in order of ``at`` without undo (the usual case) needs no sorting and no undone
        batches, so a 200,000-event log folds in one pass without keeping every event in
        memory. An undo or a back-dated event makes it give up (False): the caller then
        rebuilds from a full, sorted list. Undo memory is kept only for the last batches each
        actor can still undo, and ``remember`` runs on those at the end, in ``seq`` order.
        """
        state = SessionState(self.header)
        recent: dict[str, deque[Event]] = {}
        events = self.source()
        streamed = True
        for event in events:
            last_at = state.last_at
            if event.type == "undo" or (last_at is not None and event.at < last_at):
                streamed = False
                break
            apply(state, event)
            if event.batch is not None:
                memory = recent.get(event.actor)
                if memory is None:
                    memory = recent[event.actor] = deque(maxlen=UNDO_MEMORY)
                # The first event of each run of one batch is the one ``remember`` describes.
                if not memory or memory[-1].batch != event.batch:
                    memory.append(event)
        close = getattr(events, "close", None)
        if close is not None:
            close()  # release the store's read lock now, not when the generator is collected
        if not streamed:
            return False
        for event in sorted((e for memory in recent.values() for e in memory), key=_seq_key):
            remember(state, event)
        self.state = state
        return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk fold.

    A fold allocates hundreds of thousands of objects that stay alive (the state); the
    collector would traverse them again and again for nothing (about a quarter of the time of
    a 200,000-event fold). Reference counting still frees whatever dies meanwhile.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _seq_key(event: Event) -> int:
    return event.seq


def replay(header: Header, events: list[Event]) -> SessionState:
    """Fold a complete list of events (tests and small logs)."""
    replayer = Replayer(header, lambda: iter(events))
    replayer.rebuild()
    return replayer.state


# -- commands ----------------------------------------------------------------------------------


def state_as_of(header: Header, events: Iterable[Event], at: dt.datetime) -> SessionState:
    """The session as it stood at ``at``: the events that happened by then (recorded before a
    new one at that instant), without the batches undone since, in meeting-time order.

    A correction (``--at``) is decided against this, not against the session as it is now:
    closing 2(a) "at 10:05" must fit what 2(a) was at 10:05.
    """
    kept = list(events)
    undone = {str(event.data.get("batch")) for event in kept if event.type == "undo"}
    kept = [
        event
        for event in kept
        if event.type != "undo" and event.batch not in undone and event.at <= at
    ]
    return replay(header, kept)
