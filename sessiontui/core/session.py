"""Session state folded from events, and commands validated against it into new events.

``SessionState.apply`` folds one event; ``replay`` folds a whole log (in order of ``at``, ties in
``seq`` order, without undone batches). ``decide`` checks a command against the current state and
returns the events that record it, or raises ``Refused`` with the reason a person can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, KeysView
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, cast

import msgspec

from sessiontui.core.agenda import Agenda, AgendaFile, Node
from sessiontui.core.events import Draft, Event, Header
from sessiontui.core.text import clean_text

Status = Literal["pending", "open", "suspended", "closed", "deferred"]
NoteKind = Literal["note", "decision", "action"]
SpeakerKind = Literal["statement", "reply", "point_of_order"]
Role = Literal["secretariat", "rapporteur", "viewer"]

NOTE_KINDS: tuple[str, ...] = ("note", "decision", "action")
SPEAKER_KINDS: tuple[str, ...] = ("statement", "reply", "point_of_order")
ROLES: tuple[str, ...] = ("secretariat", "rapporteur", "viewer")

# Which role may record which event types; no role given means every right.
_SECRETARIAT_TYPES = ("item.", "sitting.", "agenda.")
_RAPPORTEUR_TYPES = ("note.", "speaker.")

_UNDO_MEMORY = 1000


class Refused(Exception):
    """A command does not fit the current state; the message says why, for a person."""


class Conflict(Refused):
    """Refused because the item's status was already changed (by whom and when is in the message).

    This is what happens when two people act on the same item: it is recorded (as a
    ``command.refused`` event) so the journal shows the attempt. Input mistakes are not.
    """


REFUSED_TYPE = "command.refused"
"""A recorded conflict; the fold ignores it, the journal shows it."""


class NoteVersion(msgspec.Struct):
    """What a note said at one time."""

    text: str
    kind: str
    author: str
    at: dt.datetime


class Note(msgspec.Struct):
    """A note, decision or action point on an item; edits keep every earlier version."""

    id: str
    item: str
    kind: str
    text: str
    author: str
    at: dt.datetime
    history: list[NoteVersion] = []
    deleted: bool = False
    deleted_by: str | None = None


class Speaker(msgspec.Struct):
    """One entry on an item's list of speakers."""

    id: str
    name: str
    kind: str
    delegation: str | None
    status: Literal["queued", "speaking", "done"] = "queued"
    seconds: float = 0.0
    started: dt.datetime | None = None
    limit_seconds: float | None = None


class ItemState(msgspec.Struct):
    """What has happened to one agenda item."""

    status: Status = "pending"
    used_seconds: float = 0.0
    first_opened: dt.datetime | None = None
    last_closed: dt.datetime | None = None
    changed_by: str | None = None
    changed_at: dt.datetime | None = None
    reopened: int = 0
    sittings: list[int] = []
    speakers: list[Speaker] = []
    notes: list[str] = []


class Sitting(msgspec.Struct):
    """A sitting (a "meeting" in UN terms) with its suspensions."""

    number: int
    label: str
    opened: dt.datetime
    status: Literal["open", "suspended", "closed"] = "open"
    closed: dt.datetime | None = None
    implicit: bool = False
    suspensions: list[list[dt.datetime | None]] = []
    running_seconds: float = 0.0
    running_since: dt.datetime | None = None


class FloorInterval(msgspec.Struct, frozen=True, array_like=True):
    """An item on the floor from ``start`` to ``end`` during sitting ``sitting``."""

    item: str
    start: dt.datetime
    end: dt.datetime
    sitting: int


_FLOOR_LOG_DECODER = msgspec.json.Decoder(list[FloorInterval])
_NOTE_DECODER = msgspec.json.Decoder(Note)


def _decoded_note(held: msgspec.Raw) -> Note:
    """A note kept as JSON since a checkpoint was loaded, decoded now.

    The checkpoint's digest and the layout it was written with were checked when it was loaded,
    so this fails only on a checkpoint rewritten by hand, digest and all.
    """
    try:
        return _NOTE_DECODER.decode(held)
    except msgspec.DecodeError as exc:
        raise ValueError(
            f"a note in the session's checkpoint cannot be read ({exc}): delete the"
            " .checkpoint file beside the log (it is rebuilt from the log)"
        ) from None


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _seconds(start: dt.datetime, end: dt.datetime) -> float:
    # Events are folded in order of ``at``, so this is never negative; the guard keeps a
    # hand-edited or hostile log from producing negative time all the same.
    return max(0.0, (end - start).total_seconds())


class SessionState:
    """Everything derived from the log so far. Fold events with ``apply`` in order of ``at``."""

    def __init__(self, header: Header, agenda: Agenda | None = None) -> None:
        """An empty state (nothing folded yet) of the agenda in ``header``, or of ``agenda``."""
        self.header = header
        self.agenda = agenda or Agenda(msgspec.convert(header.agenda, AgendaFile))
        self.items: dict[str, ItemState] = {node_id: ItemState() for node_id in self.agenda.nodes}
        # Notes by id, in the order they were written. A state loaded from a snapshot keeps
        # each note as its JSON until it is read (``note``, ``notes_of``, ``notes``): notes are
        # half of a long session's snapshot, and the tracker's first screen shows one item's.
        self._notes: dict[str, Note | msgspec.Raw] = {}
        self._notes_pending = False  # some of ``_notes`` may still be JSON
        self.sittings: list[Sitting] = []
        self.floor: str | None = None
        self.floor_since: dt.datetime | None = None
        self.speaking: tuple[str, str] | None = None
        self.speaking_since: dt.datetime | None = None
        # The floor log is read only by reports and exports: a state loaded from a snapshot
        # keeps it as JSON until then (decoding 100,000 intervals is a third of a long
        # session's load), and intervals that end meanwhile wait in ``_floor_tail``.
        self._floor_log: list[FloorInterval] = []
        self._floor_json: bytes | None = None
        self._floor_tail: list[FloorInterval] = []
        self.last_at: dt.datetime | None = None
        self.last_seq = 0
        self.event_count = 0
        self.actors: dict[str, dt.datetime] = {}
        self.undone: set[str] = set()
        self.undoable: dict[str, deque[tuple[str, Event]]] = {}
        self.speaker_names: dict[str, None] = {}
        # Items whose status changed since a reader last cleared this, with their earlier
        # status: lets the journal name side effects without comparing every item per event.
        self.touched: dict[str, Status] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}

    # -- queries -----------------------------------------------------------------------------

    @property
    def notes(self) -> dict[str, Note]:
        """Every note by id, in the order they were written (all decoded, once, when asked)."""
        if self._notes_pending:
            notes = self._notes
            for note_id, found in notes.items():
                if isinstance(found, msgspec.Raw):
                    notes[note_id] = _decoded_note(found)
            self._notes_pending = False
        return cast("dict[str, Note]", self._notes)

    def note(self, note_id: str) -> Note | None:
        """One note by id (None if there is no such note), decoded only now if still JSON."""
        found = self._notes.get(note_id)
        if isinstance(found, msgspec.Raw):
            found = self._notes[note_id] = _decoded_note(found)
        return found

    def note_ids(self) -> KeysView[str]:
        """The ids of every note, in the order they were written (nothing decoded)."""
        return self._notes.keys()

    def stored_notes(self) -> dict[str, Note | msgspec.Raw]:
        """The notes as held: those never read still as their JSON (for ``dump_state``)."""
        return self._notes

    def set_notes_json(self, notes: dict[str, msgspec.Raw]) -> None:
        """Take the notes as JSON, one value per note (from a snapshot), decoded when read."""
        self._notes = dict(notes)
        self._notes_pending = bool(notes)

    @property
    def floor_log(self) -> list[FloorInterval]:
        """Every interval an item spent on the floor, in the order they ended."""
        if self._floor_json is not None:
            self._floor_log = _FLOOR_LOG_DECODER.decode(self._floor_json)
            self._floor_json = None
        if self._floor_tail:
            self._floor_log.extend(self._floor_tail)
            self._floor_tail.clear()
        return self._floor_log

    def set_floor_log(self, encoded: bytes) -> None:
        """Take the floor log as JSON (from a snapshot), to be decoded when first read."""
        self._floor_log, self._floor_json, self._floor_tail = [], encoded, []

    @property
    def sitting(self) -> Sitting | None:
        """The current sitting, if one is open or suspended."""
        if self.sittings and self.sittings[-1].status != "closed":
            return self.sittings[-1]
        return None

    @property
    def running(self) -> bool:
        """Whether the meeting clock runs (a sitting is open and not suspended)."""
        sitting = self.sitting
        return sitting is not None and sitting.status == "open"

    def ancestors(self, item_id: str) -> tuple[str, ...]:
        """``agenda.ancestors``, cached: the fold asks for the floor's several times per event."""
        found = self._ancestors.get(item_id)
        if found is None:
            found = self._ancestors[item_id] = tuple(self.agenda.ancestors(item_id))
        return found

    def on_floor_branch(self) -> set[str]:
        """The item on the floor and its ancestors (all "in consideration")."""
        if self.floor is None:
            return set()
        return {self.floor, *self.ancestors(self.floor)}

    def used_seconds(self, item_id: str, now: dt.datetime | None = None) -> float:
        """Time the item or one of its sub-items was on the floor, up to ``now`` if still running."""
        used = self.items[item_id].used_seconds
        if now is not None and self.floor_since is not None and item_id in self.on_floor_branch():
            used += _seconds(self.floor_since, now)
        return used

    def sitting_seconds(self, now: dt.datetime | None = None) -> float:
        """Time the sittings ran, without suspensions."""
        total = sum(s.running_seconds for s in self.sittings)
        current = self.sitting
        if now is not None and current is not None and current.running_since is not None:
            total += _seconds(current.running_since, now)
        return total

    def speaker_seconds(
        self, item_id: str, speaker: Speaker, now: dt.datetime | None = None
    ) -> float:
        """A speaker's time, up to ``now`` while they are speaking."""
        seconds = speaker.seconds
        if (
            now is not None
            and self.speaking == (item_id, speaker.id)
            and self.speaking_since is not None
        ):
            seconds += _seconds(self.speaking_since, now)
        return seconds

    def notes_of(self, item_id: str, *, include_deleted: bool = False) -> list[Note]:
        """An item's notes in the order they were written."""
        notes = (self.note(note_id) for note_id in self.items[item_id].notes)
        return [
            note for note in notes if note is not None and (include_deleted or not note.deleted)
        ]

    def remaining_planned_seconds(self, now: dt.datetime | None = None) -> float:
        """Planned time not yet used by items still to be concluded (top level)."""
        remaining = 0.0
        for root in self.agenda.roots:
            if self.items[root].status in ("closed", "deferred"):
                continue
            planned = self.agenda.planned_seconds_of(root)
            if planned is not None:
                remaining += max(0.0, planned - self.used_seconds(root, now))
        return remaining

    def projected_end(self, now: dt.datetime) -> dt.datetime:
        """When the meeting would end if the remaining items took their planned time from now."""
        return now + dt.timedelta(seconds=self.remaining_planned_seconds(now))

    def display(self, item_id: str) -> str:
        """``"2(a) Status of the preparations ..."``."""
        return self.agenda.display(item_id)

    def label(self, item_id: str) -> str:
        """The full label as printed."""
        return self.agenda.nodes[item_id].label

    # -- folding -----------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event. Events must come in order of ``at`` (``replay`` sees to it)."""
        at = event.at
        if event.seq > self.last_seq:  # noqa: PLR1730 (hot path: max() costs a call per event)
            self.last_seq = event.seq
        self.event_count += 1
        if self.last_at is None or at > self.last_at:
            self.last_at = at
        seen = self.actors.get(event.actor)
        if seen is None or at > seen:
            self.actors[event.actor] = at
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event)

    def remember(self, event: Event) -> None:
        """Note an event's batch as undoable by its actor. Called in recording (``seq``) order:
        undo reverts what a person did last, not what happened last in meeting time."""
        if event.batch is not None and event.type != "undo" and event.batch not in self.undone:
            memory = self.undoable.setdefault(event.actor, deque(maxlen=_UNDO_MEMORY))
            if not memory or memory[-1][0] != event.batch:
                # Described only if it is undone: formatting a phrase per event is costly.
                memory.append((event.batch, event))

    def _stop_clock(self, at: dt.datetime) -> None:
        if self.floor is not None and self.floor_since is not None:
            seconds = _seconds(self.floor_since, at)
            for node_id in (self.floor, *self.ancestors(self.floor)):
                self.items[node_id].used_seconds += seconds
            sitting = self.sitting
            self._floor_tail.append(
                FloorInterval(self.floor, self.floor_since, at, sitting.number if sitting else 0)
            )
        self.floor_since = None
        self._stop_speaker_clock(at)

    def _start_clock(self, at: dt.datetime) -> None:
        if self.running and self.floor is not None:
            self.floor_since = at
            sitting = self.sitting
            if sitting is not None:
                sittings = self.items[self.floor].sittings
                if not sittings or sittings[-1] != sitting.number:
                    sittings.append(sitting.number)
        if self.running and self.speaking is not None:
            self.speaking_since = at

    def _stop_speaker_clock(self, at: dt.datetime) -> None:
        if self.speaking is not None and self.speaking_since is not None:
            speaker = self.speaker(*self.speaking)
            if speaker is not None:
                speaker.seconds += _seconds(self.speaking_since, at)
        self.speaking_since = None

    def speaker(self, item_id: str, speaker_id: str) -> Speaker | None:
        # Ids are unique, so the search order only changes the speed: the speaker asked for
        # is nearly always the latest one added.
        for speaker in reversed(self.items[item_id].speakers):
            if speaker.id == speaker_id:
                return speaker
        return None

    def _end_speech(self, at: dt.datetime) -> None:
        """The current speaker, if any, is done."""
        if self.speaking is None:
            return
        self._stop_speaker_clock(at)
        speaker = self.speaker(*self.speaking)
        if speaker is not None:
            speaker.status = "done"
        self.speaking = None

    def _mark(self, item_id: str, status: Status, event: Event) -> None:
        state = self.items[item_id]
        self.touched.setdefault(item_id, state.status)
        state.status = status
        state.changed_by = event.actor
        state.changed_at = event.at

    def _move_floor(self, new_floor: str | None, event: Event) -> None:
        """Put another item (or none) on the floor; the items it leaves are suspended."""
        at = event.at
        self._stop_clock(at)
        if self.speaking is not None and self.speaking[0] != new_floor:
            self._end_speech(at)
        keep = set() if new_floor is None else {new_floor, *self.ancestors(new_floor)}
        for node_id in self.on_floor_branch() - keep:
            if self.items[node_id].status == "open":
                self._mark(node_id, "suspended", event)
        self.floor = new_floor
        self._start_clock(at)

    def _take_up(self, event: Event) -> None:
        item_id = event.item
        if item_id is None or item_id not in self.items or item_id == self.floor:
            return
        self._move_floor(item_id, event)
        for node_id in (item_id, *self.ancestors(item_id)):
            state = self.items[node_id]
            if state.status == "open" and node_id != item_id:
                continue
            if state.status == "closed":
                state.reopened += 1
            state.first_opened = state.first_opened or event.at
            self._mark(node_id, "open", event)
        # _move_floor ran before the status changed; record the sitting for the new floor now.
        self._start_clock(event.at)

    def _conclude(self, event: Event, status: Status) -> None:
        """Close, suspend or defer an item and what below it is still in consideration."""
        item_id = event.item
        if item_id is None or item_id not in self.items:
            return
        has_children = bool(self.agenda.nodes[item_id].children)
        subtree = {item_id, *self.agenda.descendants(item_id)} if has_children else {item_id}
        if self.floor in subtree:
            parent = self.agenda.nodes[item_id].parent
            parent_open = parent is not None and self.items[parent].status == "open"
            self._stop_clock(event.at)
            if self.speaking is not None and self.speaking[0] in subtree:
                self._end_speech(event.at)
            self.floor = parent if parent_open else None
            self._start_clock(event.at)
        below: Status = "closed" if status == "closed" else "suspended"
        for node_id in subtree - {item_id}:
            if self.items[node_id].status in ("open", "suspended"):
                self._mark(node_id, below, event)
                if below == "closed":
                    self.items[node_id].last_closed = event.at
        self._mark(item_id, status, event)
        if status == "closed":
            self.items[item_id].last_closed = event.at


def _on_sitting_open(state: SessionState, event: Event) -> None:
    if state.sitting is not None:
        # A back-dated command validated against a later state (the sitting closed by then)
        # recorded an implicit opening; in meeting time that sitting is still running.
        return
    number = len(state.sittings) + 1
    label = str(event.data.get("label") or f"{ordinal(number)} meeting")
    state.sittings.append(
        Sitting(number, label, event.at, implicit=bool(event.data.get("implicit")))
    )
    state.sittings[-1].running_since = event.at
    state._start_clock(event.at)


def _on_sitting_suspend(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None or sitting.status != "open":
        return
    state._stop_clock(event.at)
    if sitting.running_since is not None:
        sitting.running_seconds += _seconds(sitting.running_since, event.at)
    sitting.running_since = None
    sitting.status = "suspended"
    sitting.suspensions.append([event.at, None])


def _on_sitting_resume(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None or sitting.status != "suspended":
        return
    sitting.status = "open"
    sitting.running_since = event.at
    if sitting.suspensions:
        sitting.suspensions[-1][1] = event.at
    state._start_clock(event.at)


def _on_sitting_close(state: SessionState, event: Event) -> None:
    sitting = state.sitting
    if sitting is None:
        return
    if sitting.status == "open":
        _on_sitting_suspend(state, event)
        sitting.suspensions.pop()
    elif sitting.suspensions and sitting.suspensions[-1][1] is None:
        sitting.suspensions[-1][1] = event.at
    state._move_floor(None, event)
    sitting.status = "closed"
    sitting.closed = event.at


def _on_item_close(state: SessionState, event: Event) -> None:
    state._conclude(event, "closed")


def _on_item_suspend(state: SessionState, event: Event) -> None:
    state._conclude(event, "suspended")


def _on_item_defer(state: SessionState, event: Event) -> None:
    state._conclude(event, "deferred")


def _on_note_add(state: SessionState, event: Event) -> None:
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    note_id = str(event.data["note"])
    note = Note(
        note_id,
        item_id,
        str(event.data.get("kind", "note")),
        str(event.data.get("text", "")),
        event.actor,
        event.at,
    )
    note.history.append(NoteVersion(note.text, note.kind, event.actor, event.at))
    # Into the notes as held: ``state.notes`` would first decode every note still JSON.
    state._notes[note_id] = note
    state.items[item_id].notes.append(note_id)


def _on_note_edit(state: SessionState, event: Event) -> None:
    note = state.note(str(event.data.get("note")))
    if note is None:
        return
    note.text = str(event.data.get("text", note.text))
    note.kind = str(event.data.get("kind") or note.kind)
    note.history.append(NoteVersion(note.text, note.kind, event.actor, event.at))


def _on_note_delete(state: SessionState, event: Event) -> None:
    note = state.note(str(event.data.get("note")))
    if note is not None:
        note.deleted = True
        note.deleted_by = event.actor


def _on_speaker_add(state: SessionState, event: Event) -> None:
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    name = str(event.data.get("name", ""))
    delegation = event.data.get("delegation")
    state.items[item_id].speakers.append(
        Speaker(
            str(event.data["speaker"]),
            name,
            str(event.data.get("kind", "statement")),
            str(delegation) if delegation else None,
            limit_seconds=event.data.get("limit"),
        )
    )
    state.speaker_names[name] = None


def _on_speaker_start(state: SessionState, event: Event) -> None:
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    speaker = state.speaker(item_id, str(event.data.get("speaker")))
    if speaker is None:
        return
    state._end_speech(event.at)
    speaker.status = "speaking"
    speaker.started = speaker.started or event.at
    state.speaking = (item_id, speaker.id)
    state.speaking_since = event.at if state.running else None


def _on_speaker_stop(state: SessionState, event: Event) -> None:
    if state.speaking is not None and state.speaking[1] == event.data.get("speaker"):
        state._end_speech(event.at)


def _on_speaker_remove(state: SessionState, event: Event) -> None:
    item_id = event.item
    if item_id is None or item_id not in state.items:
        return
    speakers = state.items[item_id].speakers
    state.items[item_id].speakers = [s for s in speakers if s.id != event.data.get("speaker")]


def _on_amend(state: SessionState, event: Event) -> None:
    state._ancestors.clear()  # an added or moved item changes the tree
    agenda = state.agenda
    data = event.data
    op = data.get("op")
    item_id = event.item
    if item_id is None:
        return
    if op == "add" and item_id not in agenda.nodes:
        parent = data.get("parent")
        if parent is not None and parent not in agenda.nodes:
            return
        number = str(data.get("number") or "")
        parent_label = agenda.nodes[parent].label if parent else None
        from sessiontui.core.agenda import full_label

        node = Node(
            id=item_id,
            number=number,
            label=full_label(parent_label, number),
            title=str(data.get("title", "")),
            depth=agenda.nodes[parent].depth + 1 if parent else 0,
            parent=parent,
            planned_seconds=float(data["minutes"]) * 60 if data.get("minutes") else None,
        )
        agenda.insert(node, data.get("after"))
        state.items[item_id] = ItemState()
    elif item_id in agenda.nodes and op == "retitle":
        node = agenda.nodes[item_id]
        node.title = str(data.get("title", node.title))
        agenda.invalidate()
    elif item_id in agenda.nodes and op == "move":
        agenda.move(item_id, data.get("parent"), data.get("after"))
    elif item_id in agenda.nodes and op == "delete":
        agenda.delete(item_id)


_HANDLERS: dict[str, Callable[[SessionState, Event], None]] = {
    "sitting.open": _on_sitting_open,
    "sitting.suspend": _on_sitting_suspend,
    "sitting.resume": _on_sitting_resume,
    "sitting.close": _on_sitting_close,
    "item.open": SessionState._take_up,
    "item.resume": SessionState._take_up,
    "item.close": _on_item_close,
    "item.suspend": _on_item_suspend,
    "item.defer": _on_item_defer,
    "note.add": _on_note_add,
    "note.edit": _on_note_edit,
    "note.delete": _on_note_delete,
    "speaker.add": _on_speaker_add,
    "speaker.start": _on_speaker_start,
    "speaker.stop": _on_speaker_stop,
    "speaker.remove": _on_speaker_remove,
    "agenda.amend": _on_amend,
}

EVENT_TYPES: tuple[str, ...] = (*_HANDLERS, "undo")


def describe(state: SessionState, event: Event) -> str:
    """A short phrase for an event, e.g. "closed 2(a)" (used by undo and refusals)."""
    label = state.label(event.item) if event.item and event.item in state.agenda.nodes else ""
    verb = {
        "item.open": "took up",
        "item.resume": "resumed",
        "item.close": "closed",
        "item.suspend": "suspended",
        "item.defer": "deferred",
        "note.add": f"wrote a {event.data.get('kind', 'note')} on",
        "note.edit": "edited a note on",
        "note.delete": "deleted a note on",
        "speaker.add": f"added speaker {event.data.get('name', '')} to",
        "speaker.start": "gave the floor to a speaker on",
        "speaker.stop": "ended a speech on",
        "speaker.remove": "removed a speaker from",
        "agenda.amend": f"amended the agenda ({event.data.get('op')})",
        "sitting.open": "opened the sitting",
        "sitting.suspend": "suspended the sitting",
        "sitting.resume": "resumed the sitting",
        "sitting.close": "closed the sitting",
        "undo": f"undid: {event.data.get('what', 'an action')}",
        REFUSED_TYPE: f"was refused: {event.data.get('what', '')}",
    }.get(event.type, event.type)
    return f"{verb} {label}".strip()


# -- replay ------------------------------------------------------------------------------------


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
            state.apply(event)
            state.remember(event)
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
            state.apply(event)
        for event in undo_events:
            state.last_seq = max(state.last_seq, event.seq)
            state.event_count += 1
        kept.sort(key=lambda event: event.seq)
        for event in kept:
            state.remember(event)
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
            state.apply(event)
            if event.batch is not None:
                memory = recent.get(event.actor)
                if memory is None:
                    memory = recent[event.actor] = deque(maxlen=_UNDO_MEMORY)
                # The first event of each run of one batch is the one ``remember`` describes.
                if not memory or memory[-1].batch != event.batch:
                    memory.append(event)
        close = getattr(events, "close", None)
        if close is not None:
            close()  # release the store's read lock now, not when the generator is collected
        if not streamed:
            return False
        for event in sorted((e for memory in recent.values() for e in memory), key=_seq_key):
            state.remember(event)
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


@dataclass(frozen=True, slots=True)
class Context:
    """Who runs a command, as what, and when it happened."""

    actor: str
    at: dt.datetime
    role: str | None = None
    corrected: bool = False
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)


class _Builder:
    """Collects the drafts of one command under one batch id."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.batch = ctx.new_id()
        self.drafts: list[Draft] = []

    def add(self, type_: str, item: str | None = None, **data: Any) -> None:
        if self.ctx.corrected:
            data["corrected"] = True
        self.drafts.append(
            Draft(
                id=self.ctx.new_id(),
                at=self.ctx.at,
                actor=self.ctx.actor,
                role=self.ctx.role,
                type=type_,
                item=item,
                data=data,
                batch=self.batch,
            )
        )


def role_allows(role: str | None, event_type: str) -> bool:
    """Whether a role may record an event of this type (no role: every right)."""
    if role is None:
        return True
    if role == "secretariat":
        return event_type.startswith(_SECRETARIAT_TYPES)
    if role == "rapporteur":
        return event_type.startswith(_RAPPORTEUR_TYPES)
    return False


def needed_role(event_type: str) -> str:
    """The role that may record an event type."""
    return "secretariat" if event_type.startswith(_SECRETARIAT_TYPES) else "rapporteur"


def _check_role(ctx: Context, drafts: list[Draft]) -> None:
    for draft in drafts:
        if draft.type == "undo":  # checked against the undone action in Undo.decide
            continue
        if not role_allows(ctx.role, draft.type):
            raise Refused(
                f"the {ctx.role} role cannot do that: it needs the {needed_role(draft.type)} role"
            )


def _when(moment: dt.datetime | None, state: SessionState) -> str:
    return "" if moment is None else f" at {meeting_time(moment, state)}"


def meeting_time(moment: dt.datetime, state: SessionState) -> str:
    """``"10:05"`` in the meeting's time zone (UTC when the agenda names none or an unknown one)."""
    tz = state.agenda.meeting.timezone
    if tz:
        from zoneinfo import ZoneInfo

        with contextlib.suppress(KeyError, ValueError):
            moment = moment.astimezone(ZoneInfo(tz))
    return f"{moment:%H:%M}"


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


def _status_refusal(state: SessionState, item_id: str, message: str) -> Refused:
    """A ``Conflict`` when someone already changed the item's status, else a plain refusal."""
    return Conflict(message) if state.items[item_id].changed_by else Refused(message)


def _by(state: SessionState, item_id: str) -> str:
    item = state.items[item_id]
    who = f" by {item.changed_by}" if item.changed_by else ""
    return f"{who}{_when(item.changed_at, state)}"


def _live(state: SessionState, item_id: str) -> Node:
    node = state.agenda.nodes.get(item_id)
    if node is None:
        raise Refused(f"no agenda item {item_id!r}")
    if node.deleted:
        raise Refused(f"{node.label} was taken off the agenda by amendment")
    return node


def _ensure_sitting(state: SessionState, build: _Builder) -> None:
    sitting = state.sitting
    if sitting is None:
        build.add("sitting.open", implicit=True)
    elif sitting.status == "suspended":
        raise Refused(f"the {sitting.label} is suspended: resume the sitting first")


def _open(state: SessionState, build: _Builder, item_id: str, type_: str = "item.open") -> None:
    node = _live(state, item_id)
    if state.floor == item_id:
        raise _status_refusal(
            state, item_id, f"{node.label} is already on the floor{_by(state, item_id)}"
        )
    _ensure_sitting(state, build)
    build.add(type_, item_id)


def decide(state: SessionState, command: Command, ctx: Context) -> list[Draft]:
    """Validate a command against the state; return the events that record it.

    Raises:
        Refused: the command does not fit the state (the message says why, and who did what).
    """
    if ctx.role is not None and ctx.role not in ROLES:
        raise Refused(f"unknown role {ctx.role!r} (one of {', '.join(ROLES)})")
    # The role is checked first, so a viewer hears what role it needs, not why the state refuses.
    if command.records is not None and not role_allows(ctx.role, command.records):
        raise Refused(
            f"the {ctx.role} role cannot do that: it needs the {needed_role(command.records)} role"
        )
    build = _Builder(ctx)
    command.decide(state, build)
    _check_role(ctx, build.drafts)
    return build.drafts


class Command:
    """A request a person makes; ``decide`` turns it into events or refuses it."""

    records: ClassVar[str | None] = None
    """The event type prefix this command records (its role check); None: decided per event."""

    def decide(self, state: SessionState, build: _Builder) -> None:
        """Add the events of this command to ``build`` or raise ``Refused``."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class OpenItem(Command):
    """Take an item up (pending, suspended, deferred, or closed: then it is reopened)."""

    records: ClassVar[str | None] = "item."

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        _open(state, build, self.item)


@dataclass(frozen=True, slots=True)
class ResumeItem(Command):
    """Take a suspended item up again."""

    records: ClassVar[str | None] = "item."

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status != "suspended":
            raise _status_refusal(
                state,
                self.item,
                f"{node.label} is not suspended: it is {status}{_by(state, self.item)}",
            )
        _open(state, build, self.item, "item.resume")


@dataclass(frozen=True, slots=True)
class CloseItem(Command):
    """Conclude an item that was taken up (and its sub-items still open)."""

    records: ClassVar[str | None] = "item."

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status == "closed":
            raise _status_refusal(
                state, self.item, f"{node.label} was already closed{_by(state, self.item)}"
            )
        if status == "pending":
            raise Refused(f"{node.label} has not been taken up")
        if status == "deferred":
            raise _status_refusal(
                state, self.item, f"{node.label} was deferred{_by(state, self.item)}"
            )
        build.add("item.close", self.item)


@dataclass(frozen=True, slots=True)
class SuspendItem(Command):
    """Take an item in consideration off the floor without concluding it."""

    records: ClassVar[str | None] = "item."

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status != "open":
            raise _status_refusal(
                state,
                self.item,
                f"{node.label} is not under consideration: it is {status}{_by(state, self.item)}",
            )
        build.add("item.suspend", self.item)


@dataclass(frozen=True, slots=True)
class DeferItem(Command):
    """Postpone an item not yet concluded."""

    records: ClassVar[str | None] = "item."

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status in ("closed", "deferred"):
            raise _status_refusal(
                state, self.item, f"{node.label} was already {status}{_by(state, self.item)}"
            )
        build.add("item.defer", self.item)


def next_item(state: SessionState) -> str | None:
    """The next item "next" would take up: the first pending or suspended item after the floor."""
    order = state.agenda.order()
    start = order.index(state.floor) + 1 if state.floor in order else 0
    for item_id in order[start:]:
        node = state.agenda.nodes[item_id]
        if node.kind != "break" and state.items[item_id].status in ("pending", "suspended"):
            return item_id
    return None


@dataclass(frozen=True, slots=True)
class NextItem(Command):
    """Close the item on the floor and take up the next one in agenda order.

    The current item stays in consideration when the next one is its own sub-item; moving past
    a parent's last sub-item concludes the parent too when all its sub-items are concluded.
    """

    records: ClassVar[str | None] = "item."

    def decide(self, state: SessionState, build: _Builder) -> None:
        target = next_item(state)
        if target is None:
            raise Refused(
                "no item left to take up after "
                + (state.label(state.floor) if state.floor else "the last one")
            )
        _ensure_sitting(state, build)
        current = state.floor
        if current is not None and target not in state.agenda.descendants(current):
            build.add("item.close", current)
            # Moving past the last open sub-item concludes the parent too, innermost first.
            concluded = {current}
            target_branch = set(state.agenda.ancestors(target))
            for ancestor in state.agenda.ancestors(current):
                if ancestor in target_branch:
                    break
                children = state.agenda.nodes[ancestor].children
                if all(
                    child in concluded or state.items[child].status in ("closed", "deferred")
                    for child in children
                ):
                    build.add("item.close", ancestor)
                    concluded.add(ancestor)
                else:
                    break
        build.add("item.open", target)


@dataclass(frozen=True, slots=True)
class SittingCommand(Command):
    """Open, suspend, resume or close a sitting."""

    records: ClassVar[str | None] = "sitting."

    action: Literal["open", "suspend", "resume", "close"]
    label: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        sitting = state.sitting
        if self.action == "open":
            if sitting is not None:
                raise Refused(f"the {sitting.label} is still {sitting.status}: close it first")
            label = clean_text(self.label, multiline=False) if self.label else None
            build.add("sitting.open", **({"label": label} if label else {}))
            return
        if sitting is None:
            raise Refused("no sitting is open")
        wanted = {"suspend": "open", "resume": "suspended", "close": None}[self.action]
        if wanted is not None and sitting.status != wanted:
            raise Refused(f"the {sitting.label} is {sitting.status}")
        build.add(f"sitting.{self.action}")


@dataclass(frozen=True, slots=True)
class AddNote(Command):
    """Write a note, decision or action point on an item."""

    records: ClassVar[str | None] = "note."

    item: str
    text: str
    kind: str = "note"

    def decide(self, state: SessionState, build: _Builder) -> None:
        _live(state, self.item)
        if self.kind not in NOTE_KINDS:
            raise Refused(f"unknown note kind {self.kind!r} (one of {', '.join(NOTE_KINDS)})")
        text = clean_text(self.text)
        if not text:
            raise Refused("the note is empty")
        build.add("note.add", self.item, note=build.ctx.new_id(), kind=self.kind, text=text)


def _find_note(state: SessionState, note_id: str) -> Note:
    # Matched by id alone: only the note meant is decoded (see ``SessionState.note``).
    matches = [key for key in state.note_ids() if key == note_id or key.startswith(note_id)]
    if len(matches) != 1 or not note_id:
        raise Refused(f"no note {note_id!r}" if not matches else f"note {note_id!r} is ambiguous")
    note = state.note(matches[0])
    assert note is not None  # one of the state's own ids
    if note.deleted:
        raise Refused(f"that note was deleted by {note.deleted_by}")
    return note


@dataclass(frozen=True, slots=True)
class EditNote(Command):
    """Replace a note's text (the earlier text stays in its history)."""

    records: ClassVar[str | None] = "note."

    note: str
    text: str
    kind: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        note = _find_note(state, self.note)
        text = clean_text(self.text)
        if not text:
            raise Refused("the note is empty (delete it instead)")
        if self.kind is not None and self.kind not in NOTE_KINDS:
            raise Refused(f"unknown note kind {self.kind!r}")
        data: dict[str, Any] = {"note": note.id, "text": text}
        if self.kind:
            data["kind"] = self.kind
        build.add("note.edit", note.item, **data)


@dataclass(frozen=True, slots=True)
class DeleteNote(Command):
    """Delete a note (it stays in the record as deleted)."""

    records: ClassVar[str | None] = "note."

    note: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        note = _find_note(state, self.note)
        build.add("note.delete", note.item, note=note.id)


def _find_speaker(
    state: SessionState, item_id: str, name: str, statuses: tuple[str, ...]
) -> Speaker | None:
    wanted = clean_text(name, multiline=False).casefold()
    for speaker in state.items[item_id].speakers:
        if speaker.status in statuses and (speaker.id == name or speaker.name.casefold() == wanted):
            return speaker
    return None


@dataclass(frozen=True, slots=True)
class AddSpeaker(Command):
    """Put a speaker on an item's list, and optionally give them the floor at once."""

    records: ClassVar[str | None] = "speaker."

    item: str
    name: str
    kind: str = "statement"
    delegation: str | None = None
    start: bool = False
    limit_seconds: float | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        name = clean_text(self.name, multiline=False)
        if not name:
            raise Refused("the speaker's name is empty")
        if self.kind not in SPEAKER_KINDS:
            raise Refused(
                f"unknown kind of speech {self.kind!r} (one of {', '.join(SPEAKER_KINDS)})"
            )
        existing = _find_speaker(state, self.item, name, ("queued",)) if self.start else None
        if existing is not None:
            StartSpeaker(self.item, existing.id).decide(state, build)
            return
        speaker_id = build.ctx.new_id()
        limit = (
            self.limit_seconds
            if self.limit_seconds is not None
            else state.agenda.speaking_limit_for(self.item)
        )
        data: dict[str, Any] = {"speaker": speaker_id, "name": name, "kind": self.kind}
        if self.delegation:
            data["delegation"] = clean_text(self.delegation, multiline=False)
        if limit is not None:
            data["limit"] = limit
        if self.start:
            _require_floor(state, node)
        build.add("speaker.add", self.item, **data)
        if self.start:
            build.add("speaker.start", self.item, speaker=speaker_id)


def _require_floor(state: SessionState, node: Node) -> None:
    if state.floor != node.id:
        raise Refused(f"{node.label} is not on the floor: take it up first")
    if not state.running:
        raise Refused("the sitting is not running: open or resume it first")


@dataclass(frozen=True, slots=True)
class StartSpeaker(Command):
    """Give the floor to a queued speaker (the current one, if any, is done)."""

    records: ClassVar[str | None] = "speaker."

    item: str
    name: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        speaker = _find_speaker(state, self.item, self.name, ("queued",))
        if speaker is None:
            raise Refused(f"{self.name!r} is not on the list of speakers of {node.label}")
        _require_floor(state, node)
        if state.speaking is not None and state.speaking[0] == self.item:
            build.add("speaker.stop", self.item, speaker=state.speaking[1])
        build.add("speaker.start", self.item, speaker=speaker.id)


@dataclass(frozen=True, slots=True)
class StopSpeaker(Command):
    """End the current speech on an item (or the named speaker's)."""

    records: ClassVar[str | None] = "speaker."

    item: str
    name: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        if state.speaking is None or state.speaking[0] != self.item:
            raise Refused(f"nobody is speaking on {node.label}")
        speaker = state.speaker(*state.speaking)
        if (
            self.name
            and speaker is not None
            and clean_text(self.name, multiline=False).casefold()
            not in (speaker.name.casefold(), speaker.id)
        ):
            raise Refused(f"{self.name!r} is not speaking; {speaker.name} is")
        build.add("speaker.stop", self.item, speaker=state.speaking[1])


@dataclass(frozen=True, slots=True)
class RemoveSpeaker(Command):
    """Take a queued speaker off the list."""

    records: ClassVar[str | None] = "speaker."

    item: str
    name: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        speaker = _find_speaker(state, self.item, self.name, ("queued",))
        if speaker is None:
            raise Refused(f"{self.name!r} is not waiting to speak on {node.label}")
        build.add("speaker.remove", self.item, speaker=speaker.id)


@dataclass(frozen=True, slots=True)
class Undo(Command):
    """Revert this actor's last action (a compensating ``undo`` event; history stays)."""

    def decide(self, state: SessionState, build: _Builder) -> None:
        memory = state.undoable.get(build.ctx.actor)
        if not memory:
            raise Refused(f"{build.ctx.actor} has nothing to undo")
        batch, undone = memory[-1]
        what, undone_type = describe(state, undone), undone.type
        if not role_allows(build.ctx.role, undone_type):
            raise Refused(
                f"the {build.ctx.role} role cannot undo that: it needs the {needed_role(undone_type)} role"
            )
        build.add("undo", None, batch=batch, what=what)


@dataclass(frozen=True, slots=True)
class Amend(Command):
    """Amend the agenda: add, retitle, move or delete an item."""

    records: ClassVar[str | None] = "agenda."

    op: Literal["add", "retitle", "move", "delete"]
    item: str | None = None
    title: str | None = None
    number: str | None = None
    parent: str | None = None
    after: str | None = None
    minutes: float | None = None
    new_id: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        agenda = state.agenda
        if self.op == "add":
            title = clean_text(self.title or "", multiline=False)
            if not title:
                raise Refused("a new item needs a title")
            if self.parent is not None:
                _live(state, self.parent)
            siblings = agenda.siblings_of(self.parent)
            number = clean_text(self.number or "", multiline=False) or str(len(siblings) + 1)
            parent_label = agenda.nodes[self.parent].label if self.parent else None
            from sessiontui.core.agenda import full_label, normalize_reference

            label = full_label(parent_label, number)
            if any(normalize_reference(n.label) == normalize_reference(label) for n in agenda):
                raise Refused(f"an item {label} already exists")
            data: dict[str, Any] = {
                "op": "add",
                "title": title,
                "number": number,
                "parent": self.parent,
            }
            after = self.after if self.after is not None else (siblings[-1] if siblings else None)
            data["after"] = after
            if self.minutes is not None:
                data["minutes"] = self.minutes
            if self.new_id is not None and self.new_id in agenda.nodes:
                raise Refused(f"an item with id {self.new_id!r} already exists")
            build.add("agenda.amend", self.new_id or agenda.new_id(label), **data)
            return
        if self.item is None:
            raise Refused("which item?")
        node = _live(state, self.item)
        if self.op == "retitle":
            title = clean_text(self.title or "", multiline=False)
            if not title:
                raise Refused("the new title is empty")
            build.add("agenda.amend", node.id, op="retitle", title=title)
        elif self.op == "move":
            if self.parent is not None and (
                self.parent == node.id or self.parent in agenda.descendants(node.id)
            ):
                raise Refused(f"{node.label} cannot move under itself")
            build.add("agenda.amend", node.id, op="move", parent=self.parent, after=self.after)
        elif self.op == "delete":
            live = [
                d
                for d in (node.id, *agenda.descendants(node.id))
                if state.items[d].status != "pending"
            ]
            if live:
                raise Refused(
                    f"{state.label(live[0])} was already taken up; close or defer it instead"
                )
            build.add("agenda.amend", node.id, op="delete")


def new_header(
    agenda: AgendaFile,
    *,
    created: dt.datetime,
    agenda_path: str | None = None,
    agenda_sha256: str | None = None,
    session_id: str | None = None,
) -> Header:
    """The header of a new session log, snapshotting the agenda as loaded."""
    from sessiontui.core.events import FORMAT, FORMAT_VERSION

    return Header(
        format=FORMAT,
        version=FORMAT_VERSION,
        session=session_id or uuid.uuid4().hex,
        created=created,
        agenda=msgspec.to_builtins(agenda, builtin_types=(dt.date,)),
        agenda_path=agenda_path,
        agenda_sha256=agenda_sha256,
    )


_NOTE_NOUNS = {"note": "a note", "decision": "a decision", "action": "an action point"}


def describe_command(state: SessionState, command: Command) -> str:
    """What a command tries to do, in words: "close 2(a)" (for refusals in the record)."""
    item = getattr(command, "item", None)
    node = state.agenda.nodes.get(item) if isinstance(item, str) else None
    label = clean_text(node.label or node.title, multiline=False) if node else ""
    name = clean_text(str(getattr(command, "name", None) or "a speaker"), multiline=False)
    if isinstance(command, AddSpeaker):
        if command.start:
            return f"give the floor to {name} on {label}"
        return f"add {name} to the speakers on {label}"
    if isinstance(command, SittingCommand):
        return f"{command.action} the sitting"
    if isinstance(command, Amend):
        return f"amend the agenda ({command.op} {label})".replace(" )", ")")
    phrases = {
        "OpenItem": f"take up {label}",
        "ResumeItem": f"resume {label}",
        "CloseItem": f"close {label}",
        "SuspendItem": f"suspend {label}",
        "DeferItem": f"defer {label}",
        "NextItem": "take up the next item",
        "AddNote": f"write {_NOTE_NOUNS.get(str(getattr(command, 'kind', '')), 'a note')} on {label}",
        "EditNote": "edit a note",
        "DeleteNote": "delete a note",
        "StartSpeaker": f"give the floor to {name} on {label}",
        "StopSpeaker": f"end the speech on {label}",
        "RemoveSpeaker": f"remove {name} from the speakers on {label}",
        "Undo": "undo",
    }
    return phrases.get(type(command).__name__, type(command).__name__)


def refusal_draft(
    state: SessionState,
    command: Command,
    reason: str,
    *,
    actor: str,
    role: str | None,
    at: dt.datetime,
) -> Draft:
    """The ``command.refused`` event that records a conflict (see ``Conflict``).

    It has no ``batch``, so ``undo`` never picks it, and the fold ignores its type.
    """
    item = getattr(command, "item", None)
    return Draft(
        id=uuid.uuid4().hex,
        at=at,
        actor=actor,
        role=role,
        type=REFUSED_TYPE,
        item=item if isinstance(item, str) and item in state.agenda.nodes else None,
        data={
            "what": describe_command(state, command),
            "reason": reason,
            "command": type(command).__name__,
        },
    )
