"""The fold: how each event changes a ``SessionState``, one handler per event type.

``apply`` folds one event; events must come in order of ``at`` (``sessiontui.core.replay`` sees
to it). This module is the only writer of the state.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import msgspec

from sessiontui.core import events as ev
from sessiontui.core.agenda import Node, full_label
from sessiontui.core.bounds import (
    EARLIEST,
    LATEST,
    bounded_problem,
    found_good,
    recorded_problem,
)
from sessiontui.core.events import Event
from sessiontui.core.phrases import sitting_label
from sessiontui.core.register import Participant
from sessiontui.core.register import fold as fold_name
from sessiontui.core.state import (
    ItemState,
    Note,
    NoteVersion,
    SessionState,
    Sitting,
    Speaker,
    Status,
    seconds_between,
    take_up_of,
)

UNDO_MEMORY = 1000
"""How many of an actor's last batches stay undoable."""

H = TypeVar("H", bound=Callable[..., None])

_SURELY_AFTER = EARLIEST + dt.timedelta(days=1)
_SURELY_BEFORE = LATEST - dt.timedelta(days=1)
"""Instants between these are within the bounds' years in every time zone (a zone is less than a
day from UTC): the bulk fold compares an event's time with them instead of reading its year (a
new int each time, and an attribute the interpreter looks up in full); a time outside them is
judged in full, its year read."""

_HANDLERS: dict[type[Event], Callable[[SessionState, Any], None]] = {}
"""The fold's handler of each event type; a type without one changes nothing (undo, refusals)."""


def handles(*classes: type[Event]) -> Callable[[H], H]:
    """Register a function as the fold's handler of these event types (it takes the state and
    an event of those types)."""

    def register(handler: H) -> H:
        for cls in classes:
            _HANDLERS[cls] = handler
        return handler

    return register


def apply(state: SessionState, event: Event) -> None:
    """Fold one event. Events must come in order of ``at`` (``replay`` sees to it)."""
    # The hot path of every fold: each attribute read once.
    at = event.at
    seq = event.seq
    if seq > state.last_seq:  # noqa: PLR1730 (hot path: max() costs a call per event)
        state.last_seq = seq
    state.event_count += 1
    last_at = state.last_at
    if last_at is None or at > last_at:
        state.last_at = at
    problem = recorded_problem(event)
    if problem is not None:
        # Anyone can write a line with a valid checksum: shown as invalid, never folded.
        state.invalid[seq] = problem
        return
    actor = event.actor
    actors = state.actors
    seen = actors.get(actor)
    if seen is None or at > seen:
        actors[actor] = at
    handler = _HANDLERS.get(event.__class__)
    if handler is not None:
        try:
            handler(state, event)
        except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            # In bounds yet impossible to apply (it names what does not fit): the same,
            # rather than a reader that cannot open the session.
            state.invalid[event.seq] = f"cannot be applied ({type(exc).__name__})"


def apply_all(state: SessionState, events: Sequence[Event], *, bounded: bool = False) -> None:
    """``apply`` each event in turn (in order of ``at``): the bulk fold's loop.

    The same outcome as calling ``apply`` on each; the counters, the last time and seq and the
    lookups stay in locals for the run and are written back once, since no handler reads them
    (a bulk fold is hundreds of thousands of events, and each attribute costs on every one).
    ``bounded``: every event's payload was decoded within the bounds (``decode_event_bounded``
    said so), so it is not checked again (``bounded_problem``); nor is each one's time when the
    first's and the last's are within them (in order of ``at``, the rest lie between).
    """
    handlers = _HANDLERS
    actors = state.actors
    invalid = state.invalid
    problem_of = bounded_problem if bounded else recorded_problem
    good_actors, good_items = found_good()
    after, before = _SURELY_AFTER, _SURELY_BEFORE
    # In order of ``at``, every time lies between the first's and the last's: when those two
    # are surely within the bounds, no time between them is compared again.
    times_within = bounded and bool(events) and after <= events[0].at and events[-1].at < before
    last_seq, last_at, count = state.last_seq, state.last_at, 0
    try:
        for event in events:
            at = event.at
            seq = event.seq
            count += 1
            if seq > last_seq:  # noqa: PLR1730 (hot path: max() costs a call per event)
                last_seq = seq
            actor = event.actor
            if not (
                # ``bounded_problem``, inline: a time within the bounds, an actor and an item
                # id already found good; anything else is asked.
                bounded
                and (times_within or after <= at < before)
                and actor in good_actors
                and ((item := event.item) is None or item in good_items)
            ):
                problem = problem_of(event)
                if problem is not None:
                    invalid[seq] = problem
                    if last_at is None or at > last_at:
                        last_at = at
                    continue
            if last_at is None or at > last_at:
                # Later than every event folded before it, so than this actor's last one too.
                last_at = actors[actor] = at
            elif (seen := actors.get(actor)) is None or at > seen:
                actors[actor] = at
            # ``type(event)``, not ``event.__class__``: the interpreter reads the type directly,
            # while the attribute, over ten event classes, is looked up in full every time. A
            # subscript, not ``get``: a method call per event, while nearly every event has a
            # handler.
            try:
                handler = handlers[type(event)]
            except KeyError:
                continue  # a type the fold leaves alone (undo, refusals)
            try:
                handler(state, event)
            except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
                invalid[seq] = f"cannot be applied ({type(exc).__name__})"
    finally:
        state.last_seq, state.last_at = last_seq, last_at
        state.event_count += count


def remember(state: SessionState, event: Event) -> None:
    """Note an event's batch as undoable by its actor. Called in recording (``seq``) order:
    undo reverts what a person did last, not what happened last in meeting time.

    Each batch is named by one of its events (the memory's), and its other events are kept
    beside it (``state.batch_rest``): an undo reverts them all, so it names them all ("closed
    2(a) and took up 2(b)" for a ``next``), not the first alone."""
    batch = event.batch
    if batch is not None and event.type != ev.UNDO and batch not in state.undone:
        memory = state.undoable.get(event.actor)
        if memory is None:
            # Not ``setdefault``: it would make a new deque for every event, kept or not.
            memory = state.undoable[event.actor] = deque(maxlen=UNDO_MEMORY)
        if not memory or memory[-1][0] != batch:
            # Described only if it is undone: formatting a phrase per event is costly.
            if len(memory) == memory.maxlen and state.batch_rest:
                # The oldest batch leaves the memory: nothing can undo it, nor name its rest.
                state.batch_rest.pop(memory[0][0], None)
            memory.append((batch, event))
            return
        rest = state.batch_rest.get(batch)
        if rest is None:
            rest = state.batch_rest[batch] = []
        if _ends_speech_first(memory[-1][1], event):
            # A command that ended a speech on the way (closing the sitting, giving the floor
            # to the next speaker) is named by what it did, not by that speech's end.
            rest.append(memory[-1][1])
            memory[-1] = (batch, event)
        else:
            rest.append(event)


def _ends_speech_first(first: Event, then: Event) -> bool:
    """Whether ``first``, a batch's first event, only ended a speech on the way to ``then``:
    not when the speech's end is the command itself (a point of order ended, and the speaker
    it interrupted resuming)."""
    if not isinstance(first, ev.SpeakerStopped):
        return False
    if first.data.implicit:
        return True
    return isinstance(then, ev.SpeakerStarted) and not then.data.resumes


def _stop_clock(state: SessionState, at: dt.datetime) -> None:
    # The take-ups and conclusions of the item on the floor (most of a long session's stops)
    # do this inline; this is for the rest. The current sitting is read once, not through
    # ``state.sitting`` again and again.
    floor, since = state.floor, state.floor_since
    if floor is not None and since is not None:
        seconds = (at - since).total_seconds()
        # Never negative when events come in time order; a hand-edited or hostile log could.
        if seconds < 0.0:  # noqa: PLR1730 (hot path: max() costs a call)
            seconds = 0.0
        for _, item in state.branch_items(floor):
            item.used_seconds += seconds
        sittings = state.sittings
        number = sittings[-1].number if sittings and sittings[-1].status != "closed" else 0
        state._floor_tail.extend((floor, since, at, number))
    state.floor_since = None
    if state.speaking_since is not None:
        _stop_speaker_clock(state, at)


def _start_clock(state: SessionState, at: dt.datetime) -> None:
    sittings = state.sittings
    if not sittings:
        return
    sitting = sittings[-1]
    if sitting.status != "open":  # the clock runs only while a sitting is open
        return
    floor = state.floor
    if floor is not None:
        state.floor_since = at
        on_floor = state.items[floor].sittings
        if not on_floor or on_floor[-1] != sitting.number:
            on_floor.append(sitting.number)
    if state.speaking is not None:
        state.speaking_since = at


def _stop_speaker_clock(state: SessionState, at: dt.datetime) -> None:
    if state.speaking is not None and state.speaking_since is not None:
        speaker = state.speaker(*state.speaking)
        if speaker is not None:
            speaker.seconds += seconds_between(state.speaking_since, at)
    state.speaking_since = None


def _end_speech(state: SessionState, at: dt.datetime) -> None:
    """The current speaker, if any, is done."""
    speaking = state.speaking
    if speaking is None:
        return
    # ``_stop_speaker_clock`` and the status, with the speaker found once: ``state.speaker``,
    # inline, the latest speaker added first (the one speaking, nearly always).
    item_id, speaker_id = speaking
    speakers = state.items[item_id].speakers
    if speakers and (last := speakers[-1]).id == speaker_id:
        speaker: Speaker | None = last
    else:
        speaker = state.speaker(item_id, speaker_id)
    since = state.speaking_since
    if speaker is not None:
        if since is not None:
            # ``seconds_between``, inline (every speech ends here).
            seconds = (at - since).total_seconds()
            if seconds < 0.0:  # noqa: PLR1730 (hot path: max() costs a call)
                seconds = 0.0
            speaker.seconds += seconds
        speaker.status = "done"
    state.speaking_since = None
    state.speaking = None


def _mark(state: SessionState, item_id: str, status: Status, event: Event) -> None:
    item = state.items[item_id]
    touched = state.touched
    if item_id not in touched:  # ``setdefault`` without its call (the fold marks often)
        touched[item_id] = item.status
    item.status = status
    item.changed_by = event.actor
    item.changed_at = event.at


def _move_floor(
    state: SessionState, new_floor: str | None, event: Event, *, start: bool = True
) -> None:
    """Put another item (or none) on the floor; the items it leaves are suspended.

    ``start``: start the clock for the new floor (a take-up starts it itself, once the
    statuses changed).
    """
    at = event.at
    _stop_clock(state, at)
    speaking = state.speaking
    if speaking is not None and speaking[0] != new_floor:
        _end_speech(state, at)
    old = state.floor
    if old is not None:
        keep = () if new_floor is None else (new_floor, *state.ancestors(new_floor))
        items = state.items
        for node_id in (old, *state.ancestors(old)):
            if node_id not in keep and items[node_id].status == "open":
                _mark(state, node_id, "suspended", event)
    state.floor = new_floor
    if start:
        _start_clock(state, at)


def _suspend_left(state: SessionState, old: str, kept: tuple[str, ...], event: Event) -> None:
    """Suspend the items of ``old``'s branch still open that the new floor's branch leaves."""
    for node_id, item in state._branch_items.get(old) or state.branch_items(old):
        if node_id not in kept and item.status == "open":
            _mark(state, node_id, "suspended", event)


def _take_up(state: SessionState, event: Event) -> None:  # noqa: C901 (see below)
    # ``_move_floor(state, item_id, event)`` with its ``_stop_clock``, ``_mark`` and
    # ``_start_clock`` inline, the new floor's branch and the sitting read once for every step:
    # a take-up is a quarter of a long session's events, and calls and look-ups were most of
    # its cost.
    item_id = event.item
    old = state.floor
    if item_id is None or item_id == old:
        return
    # The new floor's branch with its items' states (``state.branch_items``, its cache read
    # here first): the item itself comes first.
    branch_items = state._branch_items.get(item_id)
    if branch_items is None:
        if item_id not in state.items:
            return
        branch_items = state.branch_items(item_id)
    # Its ids (``state.branch``): made with ``branch_items`` and dropped with it, so there.
    branch = state._branches[item_id]
    # The floor's id goes into a floor interval at every take-up: the branch's copy of it, one
    # for every take-up of the item.
    item_id, taken = branch_items[0]
    at = event.at
    sittings = state.sittings
    sitting = sittings[-1] if sittings else None
    since = state.floor_since
    if since is not None:
        if old is not None:
            seconds = (at - since).total_seconds()
            if seconds < 0.0:  # noqa: PLR1730 (hot path: max() costs a call)
                seconds = 0.0
            for _, item in state._branch_items.get(old) or state.branch_items(old):
                item.used_seconds += seconds
            number = sitting.number if sitting is not None and sitting.status != "closed" else 0
            state._floor_tail.extend((old, since, at, number))
        state.floor_since = None
    if state.speaking_since is not None:
        _stop_speaker_clock(state, at)
    speaking = state.speaking
    if speaking is not None and speaking[0] != item_id:
        _end_speech(state, at)
    # The old floor's branch is suspended where the new one does not take it in; an old floor
    # in the new branch (a parent, after a sub-item: the usual take-up) has all of its own
    # branch in it too, so nothing is suspended.
    if old is not None and old not in branch:
        _suspend_left(state, old, branch, event)
    state.floor = item_id
    actor, touched = event.actor, state.touched
    # The item itself, then its ancestors not yet in consideration.
    status = taken.status
    if status == "closed":
        taken.reopened += 1
    taken.taken_up_as = take_up_of(event.type, status, taken_before=taken.first_opened is not None)
    taken.taken_up_seq = event.seq
    if taken.first_opened is None:
        taken.first_opened = at
    if item_id not in touched:  # ``setdefault`` without its call
        touched[item_id] = status
    taken.status, taken.changed_by, taken.changed_at = "open", actor, at
    for node_id, item in branch_items:
        status = item.status
        if status == "open":
            continue  # the item itself (just opened), or an ancestor already open
        if status == "closed":
            item.reopened += 1
        if item.first_opened is None:
            item.first_opened = at
        if node_id not in touched:
            touched[node_id] = status
        item.status, item.changed_by, item.changed_at = "open", actor, at
    # The clock starts once the statuses changed.
    if sitting is not None and sitting.status == "open":
        state.floor_since = at
        on_floor = taken.sittings
        number = sitting.number
        if not on_floor or on_floor[-1] != number:
            on_floor.append(number)
        if state.speaking is not None:
            state.speaking_since = at


def _conclude(state: SessionState, event: Event, status: Status = "closed") -> None:  # noqa: C901
    """Close, suspend or defer an item and what below it is still in consideration.

    The handler of a closing itself (``status`` left as it is): a conclusion is a quarter of a
    long session's events, and a call more for each costs.
    """
    item_id = event.item
    if item_id is None:
        return
    # The item's branch with its items' states (``state.branch_items``, its cache read here
    # first): the item, its parent, and so on up.
    branch_items = state._branch_items.get(item_id)
    if branch_items is None:
        if item_id not in state.items:
            return
        branch_items = state.branch_items(item_id)
    floor, item = branch_items[0]
    at = event.at
    if state.agenda.nodes[item_id].children:
        _conclude_below(state, item_id, event, status)
    elif state.floor == item_id:
        # A leaf (most items) on the floor: its clock and its speaker's stop, and its parent
        # goes back on the floor if still open. ``_stop_clock`` and ``_start_clock`` inline,
        # with the floor's branch and its parent's state at hand (most conclusions come here).
        sittings = state.sittings
        sitting = sittings[-1] if sittings else None
        since = state.floor_since
        if since is not None:
            seconds = (at - since).total_seconds()
            if seconds < 0.0:  # noqa: PLR1730 (hot path: max() costs a call)
                seconds = 0.0
            for _, held in branch_items:
                held.used_seconds += seconds
            number = sitting.number if sitting is not None and sitting.status != "closed" else 0
            state._floor_tail.extend((floor, since, at, number))
            state.floor_since = None
        if state.speaking_since is not None:
            _stop_speaker_clock(state, at)
        speaking = state.speaking
        if speaking is not None and speaking[0] == floor:
            _end_speech(state, at)
        parent_items = branch_items[1] if len(branch_items) > 1 else None
        if parent_items is None or parent_items[1].status != "open":
            state.floor = None
            _start_clock(state, at)
        elif sitting is not None and sitting.status == "open":
            parent, parent_item = parent_items
            state.floor = parent
            state.floor_since = at
            on_floor = parent_item.sittings
            number = sitting.number
            if not on_floor or on_floor[-1] != number:
                on_floor.append(number)
            if state.speaking is not None:
                state.speaking_since = at
        else:
            state.floor = parent_items[0]
    # ``_mark``, inline (a conclusion is a quarter of a long session's events).
    touched = state.touched
    if item_id not in touched:
        touched[item_id] = item.status
    item.status = status
    item.changed_by = event.actor
    item.changed_at = at
    if status == "closed":
        item.last_closed = at


def _conclude_below(state: SessionState, item_id: str, event: Event, status: Status) -> None:
    """``_conclude`` for an item with sub-items, before the item itself: the floor leaves its
    subtree, and its sub-items still in consideration are concluded."""
    at = event.at
    items = state.items
    subtree = {item_id, *state.agenda.descendants(item_id)}
    if state.floor in subtree:
        parent = state.agenda.nodes[item_id].parent
        parent_open = parent is not None and items[parent].status == "open"
        _stop_clock(state, at)
        speaking = state.speaking
        if speaking is not None and speaking[0] in subtree:
            _end_speech(state, at)
        state.floor = parent if parent_open else None
        _start_clock(state, at)
    below: Status = "closed" if status == "closed" else "suspended"
    for node_id in subtree - {item_id}:
        if items[node_id].status in ("open", "suspended"):
            _mark(state, node_id, below, event)
            if below == "closed":
                items[node_id].last_closed = at


@handles(ev.SittingOpened)
def _on_sitting_open(state: SessionState, event: ev.SittingOpened) -> None:
    if state.sitting is not None:
        # A back-dated command validated against a later state (the sitting closed by then)
        # recorded an implicit opening; in meeting time that sitting is still running.
        return
    number = len(state.sittings) + 1
    label = event.data.label or sitting_label(number)
    state.sittings.append(Sitting(number, label, event.at, implicit=event.data.implicit))
    state.sittings[-1].running_since = event.at
    _start_clock(state, event.at)


@handles(ev.SittingSuspended)
def _on_sitting_suspend(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None or sitting.status != "open":
        return
    _stop_clock(state, event.at)
    if sitting.running_since is not None:
        sitting.running_seconds += seconds_between(sitting.running_since, event.at)
    sitting.running_since = None
    sitting.status = "suspended"
    sitting.suspensions.append([event.at, None])


@handles(ev.SittingResumed)
def _on_sitting_resume(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None or sitting.status != "suspended":
        return
    sitting.status = "open"
    sitting.running_since = event.at
    if sitting.suspensions:
        sitting.suspensions[-1][1] = event.at
    _start_clock(state, event.at)


@handles(ev.SittingClosed)
def _on_sitting_close(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None:
        return
    if sitting.status == "open":
        _on_sitting_suspend(state, event)
        sitting.suspensions.pop()
    elif sitting.suspensions and sitting.suspensions[-1][1] is None:
        sitting.suspensions[-1][1] = event.at
    _move_floor(state, None, event)
    sitting.status = "closed"
    sitting.closed = event.at


handles(ev.ItemClosed)(_conclude)


@handles(ev.ItemSuspended)
def _on_item_suspend(state: SessionState, event: Event) -> None:
    _conclude(state, event, "suspended")


@handles(ev.ItemDeferred)
def _on_item_defer(state: SessionState, event: Event) -> None:
    _conclude(state, event, "deferred")


@handles(ev.NoteAdded)
def _on_note_add(state: SessionState, event: ev.NoteAdded) -> None:
    item_id = event.item
    if item_id is None:
        return
    item = state.items.get(item_id)
    if item is None:
        return
    data = event.data
    words = state.words
    item_id = words.setdefault(item_id, item_id)
    kind = words.setdefault(data.kind, data.kind)
    actor = words.setdefault(event.actor, event.actor)
    note_id, at, text = data.note, event.at, data.text
    # Its history made with it, not appended to the empty list a note starts with.
    first = NoteVersion(text, kind, actor, at)
    note = Note(note_id, item_id, kind, text, actor, at, [first], seq=event.seq)
    # Into the notes as held: ``state.notes`` would first decode every note still JSON.
    state._notes[note_id] = note
    item.notes.append(note_id)


@handles(ev.NoteEdited)
def _on_note_edit(state: SessionState, event: ev.NoteEdited) -> None:
    note = state.note(event.data.note)
    if note is None:
        return
    note.text = event.data.text
    note.kind = event.data.kind or note.kind
    note.history.append(NoteVersion(note.text, note.kind, event.actor, event.at))


@handles(ev.NoteDeleted)
def _on_note_delete(state: SessionState, event: ev.NoteDeleted) -> None:
    note = state.note(event.data.note)
    if note is not None:
        note.deleted = True
        note.deleted_by = event.actor


@handles(ev.SpeakerAdded)
def _on_speaker_add(state: SessionState, event: ev.SpeakerAdded) -> None:
    item_id = event.item
    if item_id is None:
        return
    item = state.items.get(item_id)
    if item is None:
        return
    data = event.data
    words = state.words
    name = words.setdefault(data.name, data.name)
    item.speakers.append(
        # Every field in order, none by keyword: a keyword costs the struct a search by name.
        Speaker(
            data.speaker,
            name,
            words.setdefault(data.kind, data.kind),
            data.delegation or None,
            "queued",
            0.0,
            None,
            data.limit,
            data.person or None,
            data.on_behalf_of or None,
        )
    )
    state.speaker_names[name] = None


@handles(ev.SpeakerStarted)
def _on_speaker_start(state: SessionState, event: ev.SpeakerStarted) -> None:
    item_id = event.item
    if item_id is None:
        return
    item = state.items.get(item_id)
    if item is None:
        return
    # ``state.speaker``, inline, the latest speaker added first (the one given the floor,
    # nearly always: most speakers are added as they take it).
    speaker_id = event.data.speaker
    speakers = item.speakers
    if speakers and (last := speakers[-1]).id == speaker_id:
        speaker: Speaker | None = last
    else:
        speaker = state.speaker(item_id, speaker_id)
    if speaker is None:
        return
    at = event.at
    speaking = state.speaking
    if speaking is not None:  # nobody speaks before most speeches: nothing to end
        current = state.speaker(*speaking)
        if current is not None and event.data.interrupts == current.id:
            # A point of order: the speaker's time stops, and resumes when it has been heard.
            _stop_speaker_clock(state, at)
            current.status = "interrupted"
            state.speaking = None
        else:
            _end_speech(state, at)
    speaker.status = "speaking"
    if speaker.started is None:  # a store into a struct is a call: only when it changes
        speaker.started = at
    state.speaking = (item_id, speaker.id)
    # ``state.running``, inline: the clock runs while the last sitting is open.
    sittings = state.sittings
    state.speaking_since = at if sittings and sittings[-1].status == "open" else None


@handles(ev.SpeakerStopped)
def _on_speaker_stop(state: SessionState, event: ev.SpeakerStopped) -> None:
    speaking = state.speaking
    if speaking is not None and speaking[1] == event.data.speaker:
        _end_speech(state, event.at)
    elif event.item in state.items:
        speaker = state.speaker(event.item, event.data.speaker)
        if speaker is not None and speaker.status == "interrupted":
            speaker.status = "done"  # the item left the floor during a point of order


@handles(ev.SpeakerMoved)
def _on_speaker_move(state: SessionState, event: ev.SpeakerMoved) -> None:
    """A waiting speaker moved to ``position`` among the speakers still waiting."""
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    speakers = state.items[item_id].speakers
    moved = state.speaker(item_id, event.data.speaker)
    position = event.data.position
    if moved is None:
        return
    rest = [s for s in speakers if s is not moved]
    waiting = [index for index, s in enumerate(rest) if s.status == "queued"]
    if 0 <= position < len(waiting):
        at = waiting[position]
    else:
        at = waiting[-1] + 1 if waiting else len(rest)
    rest.insert(at, moved)
    state.items[item_id].speakers = rest


@handles(ev.SpeakerRemoved)
def _on_speaker_remove(state: SessionState, event: ev.SpeakerRemoved) -> None:
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    speakers = state.items[item_id].speakers
    for speaker in speakers:
        if speaker.id == event.data.speaker:
            state.removed_speakers[speaker.id] = speaker.name
    state.items[item_id].speakers = [s for s in speakers if s.id != event.data.speaker]


@handles(ev.AgendaAmended)
def _on_amend(state: SessionState, event: ev.AgendaAmended) -> None:
    state.forget_branches()
    agenda = state.agenda
    data = event.data
    op = data.op
    item_id = event.item
    if item_id is None:
        return
    parent = None if data.parent is msgspec.UNSET else data.parent
    after = None if data.after is msgspec.UNSET else data.after
    if op == "add" and item_id not in agenda.nodes:
        if parent is not None and parent not in agenda.nodes:
            return
        number = data.number or ""
        parent_label = agenda.nodes[parent].label if parent else None
        node = Node(
            id=item_id,
            number=number,
            label=full_label(parent_label, number),
            title=data.title or "",
            depth=agenda.nodes[parent].depth + 1 if parent else 0,
            parent=parent,
            planned_seconds=float(data.minutes) * 60 if data.minutes else None,
            kind=data.kind or "item",
        )
        agenda.insert(node, after)
        state.items[item_id] = ItemState()
    elif op == "add" and agenda.nodes[item_id].deleted:
        if parent is not None and (parent not in agenda.nodes or agenda.nodes[parent].deleted):
            return
        # An item taken off the agenda comes back with its history, as it now reads.
        agenda.restore(item_id, parent, after, data.number, data.title)
    elif item_id in agenda.nodes and op == "retitle":
        node = agenda.nodes[item_id]
        node.title = data.title if data.title is not None else node.title
        agenda.invalidate()
    elif item_id in agenda.nodes and op == "move":
        agenda.move(item_id, parent, after, data.number)
    elif item_id in agenda.nodes and op == "delete":
        agenda.delete(item_id)


@handles(ev.ParticipantAdded)
def _on_participant_add(state: SessionState, event: ev.ParticipantAdded) -> None:
    data = event.data
    participant = Participant(
        name=data.name, kind=data.kind, groups=list(data.groups), persons=list(data.persons)
    )
    state.participants[fold_name(participant.name)] = participant


@handles(ev.ParticipantRemoved)
def _on_participant_remove(state: SessionState, event: ev.ParticipantRemoved) -> None:
    state.participants.pop(fold_name(event.data.name), None)


@handles(ev.AttendanceMarked)
def _on_attendance_mark(state: SessionState, event: ev.AttendanceMarked) -> None:
    data = event.data
    roll = state.attendance.setdefault(data.sitting, {})
    for name in data.present:
        roll[fold_name(name)] = True
    for name in data.absent:
        roll[fold_name(name)] = False


handles(ev.ItemOpened, ev.ItemResumed)(_take_up)

EVENT_TYPES: tuple[str, ...] = (*(cls.type for cls in _HANDLERS), ev.UNDO)
"""The event types that change the session (the fold has a handler for each, undo aside)."""


def apply_one(
    state: SessionState,
    event: Event,
    bounded: bool = False,
    # Bound once: the sets ``found_good`` gives grow in place, and the bounds' years are fixed.
    _good: tuple[set[str], set[str]] = found_good(),
    _years: tuple[int, int] = (EARLIEST.year, LATEST.year),
) -> None:
    """``apply_all(state, (event,), bounded=bounded)``, for a caller that does something with
    each event as it is folded (the journal words it): the bulk loop's setup, paid for every
    event, costs more than most events' own handler."""
    at = event.at
    seq = event.seq
    if seq > state.last_seq:  # noqa: PLR1730 (hot path: max() costs a call per event)
        state.last_seq = seq
    state.event_count += 1
    last_at = state.last_at
    later = last_at is None or at > last_at
    if later:
        state.last_at = at
    actor = event.actor
    good_actors, good_items = _good
    earliest, latest = _years
    if not (
        # ``bounded_problem``, inline, as in ``apply_all``; anything else gets the full check.
        bounded
        and earliest <= at.year < latest
        and actor in good_actors
        and ((item := event.item) is None or item in good_items)
    ):
        problem = recorded_problem(event)
        if problem is not None:
            state.invalid[seq] = problem
            return
    actors = state.actors
    if later or (seen := actors.get(actor)) is None or at > seen:
        actors[actor] = at
    handler = _HANDLERS.get(type(event))
    if handler is not None:
        try:
            handler(state, event)
        except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            state.invalid[seq] = f"cannot be applied ({type(exc).__name__})"
