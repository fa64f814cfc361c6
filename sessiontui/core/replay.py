"""Replay: the log folded into a ``SessionState`` in meeting-time order, without undone batches."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from operator import attrgetter

from sessiontui.core.events import UNDO, Event, Header, Undone
from sessiontui.core.fold import UNDO_MEMORY, apply, apply_all, remember
from sessiontui.core.state import SessionState


def _time_key(event: Event) -> tuple[dt.datetime, int]:
    return (event.at, event.seq)


_at_of = attrgetter("at")
_actor_of = attrgetter("actor")

STREAMED_RUN = 4096
"""Events a rebuild from the source hands its stream at a time (see ``Stream.push_run``)."""


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
        *,
        bases: Callable[[], Iterator[SessionState]] | None = None,
        since: Callable[[int], Iterator[Event]] | None = None,
    ) -> None:
        """Fold ``source``'s events, from nothing or from ``state`` (a prefix already folded).

        ``bases`` gives states folded from prefixes of the log (checkpoints, the newest first),
        each new, and ``since(seq)`` the events after ``seq``: a rebuild starts from the
        newest base that every later event comes after in meeting time, and folds only those
        events, sorted, instead of the whole log.
        """
        self.header = header
        self.source = source
        self.bases = bases
        self.since = since
        self.state = state or SessionState(header)
        # Set once the log is known to hold an undo or a back-dated event: the log only grows,
        # so later rebuilds go straight to the sorted fold instead of streaming in vain.
        self.needs_sort = False

    def feed(self, events: Iterable[Event]) -> bool:
        """Apply new events; returns True if the state had to be rebuilt from the source."""
        for event in events:
            state = self.state
            out_of_order = state.last_at is not None and event.at < state.last_at
            if event.type == UNDO or out_of_order:
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
        """Fold every event of the source again, in order of ``at``, without undone batches.

        From a base (see ``bases``) when one fits: only the events after it are folded.
        """
        with collector_paused():
            if self.bases is not None and self.since is not None:
                for base in self.bases():
                    if self._rebuild_on(base, self.since):
                        self.needs_sort = True
                        return
            self._rebuild()

    def _rebuild_on(self, base: SessionState, since: Callable[[int], Iterator[Event]]) -> bool:
        """The events after ``base``, sorted, folded onto it; False if they do not all fit.

        They fit when none happened before the last event folded into ``base`` and no undo
        among them reverts a batch ``base`` holds.
        """
        events = list(since(base.last_seq))
        undo_events = [e for e in events if isinstance(e, Undone)]
        undone = {e.data.batch for e in undo_events}
        if undone - {e.batch for e in events}:
            return False  # an undo of a batch folded into the base
        kept = [e for e in events if e.type != UNDO and e.batch not in undone]
        kept.sort(key=_time_key)
        if kept and base.last_at is not None and kept[0].at < base.last_at:
            return False
        base.undone |= undone
        apply_all(base, kept)
        for undo in undo_events:
            base.last_seq = max(base.last_seq, undo.seq)
            base.event_count += 1
        kept.sort(key=_seq_key)
        for event in kept:
            remember(base, event)
        self.state = base
        return True

    def _rebuild(self) -> None:
        if not self.needs_sort and self._rebuild_streaming():
            return
        self.needs_sort = True
        events = list(self.source())
        undone = {e.data.batch for e in events if isinstance(e, Undone)}
        state = SessionState(self.header)
        state.undone = undone
        undo_events = [e for e in events if e.type == UNDO]
        kept = [e for e in events if e.type != UNDO and e.batch not in undone]
        kept.sort(key=_time_key)
        apply_all(state, kept)
        for event in undo_events:
            state.last_seq = max(state.last_seq, event.seq)
            state.event_count += 1
        kept.sort(key=lambda event: event.seq)
        for event in kept:
            remember(state, event)
        self.state = state

    def stream(self) -> Stream:
        """A fold of this log from its start, fed one event at a time (see ``Stream``)."""
        return Stream(SessionState(self.header))

    def adopt(self, stream: Stream) -> bool:
        """Take a stream's state once every event was pushed; False if it gave up.

        A stream that gave up (an undo, or an event later than its window) leaves the state
        to a sorted rebuild from the source (call ``rebuild``).
        """
        if not stream.finish():
            self.needs_sort = True
            return False
        self.state = stream.state
        return True

    def _rebuild_streaming(self) -> bool:
        """Fold the source as it streams, holding no list of its events; False if it cannot."""
        stream = self.stream()
        events = self.source()
        while run := list(islice(events, STREAMED_RUN)):
            if not stream.push_run(run):
                break
        close = getattr(events, "close", None)
        if close is not None:
            close()  # release the store's read lock now, not when the generator is collected
        return self.adopt(stream)


REORDER_WINDOW = 32
"""Events a stream holds back after each run it is handed, so that one recorded a little late
(writers whose clocks differ, two commands decided at once and written in the other order)
takes its place in meeting time among them instead of making the whole log fold again,
sorted. Events later than this are placed from a checkpoint (see ``Replayer.feed``)."""

UNDO_LOOKBACK = 32 * UNDO_MEMORY
"""Events a stream holds before it brings its undo memory up to date with them (see
``Stream._note_batches``): the more, the fewer of them are ever looked at, and the fewer
walks back through events decoded blocks ago (memory long out of the processor's caches);
a bound on what it holds meanwhile (about 12 MB more at 32 than at 16 thousand)."""


class Stream:
    """A fold fed the log's events a run at a time, in log order, holding no list of them.

    A log in order of ``at`` without undo (the usual case) needs no sorting, so it folds as it
    is read, in one pass (the store's verifying scan hands on each run of events it checks).
    Each run is folded with the last ``REORDER_WINDOW`` events before it, sorted by ``at``
    (ties in log order), all but the last ``REORDER_WINDOW`` of them: an event recorded late
    finds its place among those, or among the events of its own run. An undo, or an event
    earlier than one already folded, makes the stream give up (``push_run`` returns False):
    the caller then folds a full, sorted list. Either way the state is the sorted fold's.
    Undo memory is kept only for the last batches each actor can still undo; ``remember``
    runs on those at the end, in ``seq`` order.
    """

    def __init__(self, state: SessionState, window: int = REORDER_WINDOW) -> None:
        """Fold onto ``state`` (a new state, or one folded from a prefix of the log)."""
        self.state = state
        self.window = window
        self.failed = False
        # Whether every event pushed so far came with its payload decoded within the bounds:
        # then the fold does not check payloads again. Once one did not, every later fold
        # checks in full (that event may wait among any of them).
        self._bounded = True
        self._held: list[Event] = []
        # The runs pushed since the undo memory was last brought up to date, and their events.
        self._unnoted: list[Sequence[Event]] = []
        self._unnoted_count = 0
        # Each actor's last batches (see ``_note_batches``).
        self._recent: dict[str, deque[list[Event]]] = {}
        # The state's last time and count of invalid records when the batches were last noted.
        self._noted_at: dt.datetime | None = None
        self._noted_invalid = 0

    def push(self, event: Event, bounded: bool = False) -> bool:
        """``push_run`` of one event."""
        return self.push_run((event,), bounded)

    def push_run(self, events: Sequence[Event], bounded: bool = False) -> bool:
        """Take the next events of the log, in log order; False once the stream has given up.

        ``bounded``: their payloads were decoded within the bounds (``decode_event_bounded``).
        """
        if self.failed:
            return False
        if not events:
            return True
        if not bounded:
            self._bounded = False
        held = self._held
        held.extend(events)
        # Stable: events at the same instant stay in log (``seq``) order, as the sorted fold
        # orders them. Nearly always in order already, which the sort sees in one pass.
        held.sort(key=_at_of)
        last_at = self.state.last_at
        # ``Undone`` is the class of every undo: ``type`` of each event is quicker to have than
        # its ``type`` (a class attribute, looked up through the instance).
        if (last_at is not None and held[0].at < last_at) or Undone in map(type, events):
            # Before an event already folded (or an undo): only a sorted fold places it.
            self.failed = True
            held.clear()
            return False
        cut = len(held) - self.window
        if cut > 0:
            apply_all(self.state, held[:cut], bounded=self._bounded)
            del held[:cut]
        self._unnoted.append(events)
        self._unnoted_count += len(events)
        if self._unnoted_count >= UNDO_LOOKBACK:
            self._note_batches()
        return True

    def _note_batches(self) -> None:
        """Bring each actor's last batches, which ``finish`` hands to ``remember``, up to date
        with the runs pushed since they last were.

        A batch here is what ``remember`` takes for one: an actor's events with the same
        batch id, one after the other among that actor's (each kept whole: ``remember`` may
        name it by a later event than its first). Only an actor's last ``UNDO_MEMORY``
        batches count, so the runs are read from their newest event back, and no further
        than every actor in them needs: of a long run, most events are never looked at.
        """
        runs, self._unnoted, self._unnoted_count = self._unnoted, [], 0
        waiting = self._actors_in(runs)
        # Each actor's batches among the runs, the newest first, each from its newest event.
        found: dict[str, list[list[Event]]] = {}
        for event in chain.from_iterable(map(reversed, reversed(runs))):
            actor = event.actor
            if actor not in waiting:
                continue
            batch = event.batch
            if batch is None:
                continue  # ``remember`` passes it by
            batches = found.get(actor)
            if batches is None:
                found[actor] = [[event]]
            elif batches[-1][0].batch == batch:
                batches[-1].append(event)
            elif len(batches) < UNDO_MEMORY:
                batches.append([event])
            else:
                # This actor's earlier batches would have left its memory: it needs no more.
                waiting.remove(actor)
                if not waiting:
                    break
        # Into each actor's memory, the oldest batch first, each batch's events left newest
        # first (``finish`` sorts them all by ``seq``). Two batches found one after the other
        # are never the same (its events were gathered into one), so only the first may go on
        # a batch begun in earlier runs.
        recent = self._recent
        for actor, batches in found.items():
            batches.reverse()
            memory = recent.get(actor)
            if memory is None or actor not in waiting:
                recent[actor] = deque(batches, maxlen=UNDO_MEMORY)
                continue
            if memory and memory[-1][0].batch == batches[0][0].batch:
                memory[-1].extend(batches[0])  # a batch that began in earlier runs
                del batches[0]
            memory.extend(batches)

    def _actors_in(self, runs: list[Sequence[Event]]) -> set[str]:
        """The actors of the runs' events, or more (an actor more only makes the walk of
        ``_note_batches`` go further back).

        Read from the fold's last time of each actor rather than from every event, when it can
        be: an event folded since the runs before were noted is no earlier than the state's
        last time then (the stream gives up on an earlier one), so its actor's last time is
        not either; the events still held are not folded yet, and those the fold found invalid
        are not in its actors, so then every event is read.
        """
        state = self.state
        since, self._noted_at = self._noted_at, state.last_at
        invalid, self._noted_invalid = self._noted_invalid, len(state.invalid)
        if since is None or invalid != len(state.invalid):
            return set(map(_actor_of, chain.from_iterable(runs)))
        actors = {actor for actor, at in state.actors.items() if at >= since}
        actors.update(map(_actor_of, self._held))
        return actors

    def finish(self) -> bool:
        """Fold what still waits; False if the stream gave up (its state is then unusable)."""
        if self.failed:
            return False
        state = self.state
        apply_all(state, self._held, bounded=self._bounded)
        self._held.clear()
        self._note_batches()
        recent = sorted(
            (e for memory in self._recent.values() for run in memory for e in run), key=_seq_key
        )
        self._recent.clear()
        for event in recent:
            remember(state, event)
        return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk fold.

    A fold allocates hundreds of thousands of objects that stay alive (the state); the
    collector would traverse them again and again for nothing (a good part of a long
    fold's time). Reference counting still frees whatever dies meanwhile.

    Once it is back on, what the pause left alive goes to the oldest generation at once: in
    the youngest, where the collector counts it, the first pass after the pause would walk
    the whole state for nothing. The oldest is collected in full passes only, which still
    find any cycle made during the pause that dies later.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # ``freeze`` takes every tracked object out of the generations (and zeroes the
            # youngest's count), ``unfreeze`` puts them all in the oldest: both are a list
            # splice. Objects someone else froze (the tracker while it opens) stay frozen.
            frozen_by_others = gc.get_freeze_count() > 0
            gc.freeze()
            if not frozen_by_others:
                gc.unfreeze()
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
    return replay(header, [event for event in kept_events(events) if event.at <= at])


def kept_events(events: Iterable[Event]) -> list[Event]:
    """The events that still count: without undos and the batches they undid."""
    every = list(events)
    undone = {event.data.batch for event in every if isinstance(event, Undone)}
    return [event for event in every if event.type != UNDO and event.batch not in undone]
