"""The session state folded from the log: items, sittings, notes, speakers, and queries on them.

``sessiontui.core.fold`` is the only writer of a ``SessionState``; everything else reads it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, KeysView, Sequence
from itertools import starmap
from typing import Literal, cast

import msgspec

from sessiontui.core.agenda import Agenda, AgendaFile, SittingSpec
from sessiontui.core.events import ITEM_RESUME, Event, Header
from sessiontui.core.register import Participant

Status = Literal["pending", "open", "suspended", "closed", "deferred"]

TakeUp = Literal["first", "resumed", "reopened"]
"""How a take-up stands to what the item went through before it: taken up for the first time,
taken up again after a suspension (or a deferral once it had been taken up), or reopened
after it was closed. A secretariat's record says each differently ("resumed consideration")."""


def take_up_of(event_type: str, was: str | None, *, taken_before: bool) -> TakeUp:
    """What a take-up (``item.open`` or ``item.resume``) of an item whose status was ``was``
    is: the same whether the officer said ``open``, ``resume`` or ``next``. ``taken_before``:
    the item had been taken up before it (a deferred item may or may not have been)."""
    if was == "closed":
        return "reopened"
    if was == "suspended" or event_type == ITEM_RESUME or (was == "deferred" and taken_before):
        return "resumed"
    return "first"


class NoteVersion(msgspec.Struct):
    """What a note said at one time."""

    text: str
    kind: str
    author: str
    at: dt.datetime


class Note(msgspec.Struct):
    """A note, decision or action point on an item; edits keep every earlier version.

    ``seq`` is the log's sequence number of the event that wrote it (None while it waits in
    the outbox): the order it was written in, which ``SessionState.note_numbers`` counts.
    """

    id: str
    item: str
    kind: str
    text: str
    author: str
    at: dt.datetime
    history: list[NoteVersion] = []
    deleted: bool = False
    deleted_by: str | None = None
    seq: int | None = None


class Speaker(msgspec.Struct):
    """One entry on an item's list of speakers.

    ``name`` is who takes the floor as a report names them (a State or organization, "Brazil"),
    ``on_behalf_of`` the group they speak for ("Group of 77 and China"), ``person`` the
    individual. ``delegation`` is what earlier logs recorded beside a name (often the State
    when the name was a person's); reports then name the delegation, as they always did.
    """

    id: str
    name: str
    kind: str
    delegation: str | None
    status: Literal["queued", "speaking", "interrupted", "done"] = "queued"
    seconds: float = 0.0
    started: dt.datetime | None = None
    limit_seconds: float | None = None
    person: str | None = None
    on_behalf_of: str | None = None

    def who(self) -> str:
        """``"Brazil (on behalf of the Group of 77 and China)"`` (see ``speaker_who``)."""
        return speaker_who(self.delegation or self.name, self.on_behalf_of)


def speaker_who(name: str, group: str | None = None) -> str:
    """A speaker as reports name them: the State or organization, and the group spoken for.

    ``"Brazil (on behalf of the Group of 77 and China)"``, which a report puts after "the
    representative of"; a group already written with its article ("the African Group") keeps it.
    """
    if not group or group.casefold() == name.casefold():
        return name
    return f"{name} ({on_behalf_of(group)})"


def on_behalf_of(group: str | None) -> str:
    """``"on behalf of the Group of 77 and China"`` (empty without a group)."""
    if not group:
        return ""
    return f"on behalf of {group if group[:4].casefold() == 'the ' else f'the {group}'}"


@dataclasses.dataclass(slots=True)
class ItemState:
    """What has happened to one agenda item.

    A dataclass with slots, not a ``msgspec.Struct``: the fold writes these fields at every
    take-up and conclusion, and the interpreter stores into a slot directly, while a
    struct's own ``__setattr__`` is a call each time (``msgspec`` encodes and decodes both
    alike).
    """

    status: Status = "pending"
    used_seconds: float = 0.0
    first_opened: dt.datetime | None = None
    last_closed: dt.datetime | None = None
    changed_by: str | None = None
    changed_at: dt.datetime | None = None
    reopened: int = 0
    # Its last take-up (``take_up_of``) and the ``seq`` of the record that made it (0: none):
    # what words that record (the journal, an undo of it, the command line's echo) says
    # "resumed" of a take-up of a suspended item, whichever command made it.
    taken_up_as: TakeUp = "first"
    taken_up_seq: int = 0
    sittings: list[int] = dataclasses.field(default_factory=list)
    speakers: list[Speaker] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


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

    def seconds(self, now: dt.datetime | None = None) -> float:
        """Time it ran without suspensions, counted up to ``now`` while it runs."""
        if now is not None and self.running_since is not None:
            return self.running_seconds + seconds_between(self.running_since, now)
        return self.running_seconds


class FloorInterval(msgspec.Struct, frozen=True, array_like=True):
    """An item on the floor from ``start`` to ``end`` during sitting ``sitting``."""

    item: str
    start: dt.datetime
    end: dt.datetime
    sitting: int


FloorFields = tuple[str, dt.datetime, dt.datetime, int]
"""A ``FloorInterval``'s fields, in order (JSON-encoded alike: it is ``array_like``)."""

FLOOR_FIELDS = 4
"""Values of one interval in a flat list of them (``SessionState._floor_tail``)."""


def floor_fields(flat: Sequence[str | dt.datetime | int]) -> list[FloorFields]:
    """The intervals of a flat list of their values, each as its fields."""
    values = iter(flat)
    return cast("list[FloorFields]", list(zip(values, values, values, values, strict=True)))


_FLOOR_LOG_DECODER = msgspec.json.Decoder(list[FloorInterval])
_NOTES_DECODER = msgspec.json.Decoder(dict[str, msgspec.Raw])
_NOTE_DECODER = msgspec.json.Decoder(Note)
_ALL_NOTES_DECODER = msgspec.json.Decoder(dict[str, Note])


class _NoteKind(msgspec.Struct):
    """What counting an item's notes by kind reads of a note kept as JSON."""

    kind: str
    deleted: bool = False


_NOTE_KIND_DECODER = msgspec.json.Decoder(_NoteKind)


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


def _written_order(note: Note) -> int:
    """Where a recorded note was written in the log (the fold sets its ``seq``)."""
    return note.seq or 0


def seconds_between(start: dt.datetime, end: dt.datetime) -> float:
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
        # much of a long session's snapshot, and the tracker's first screen shows one item's.
        self._notes: dict[str, Note | msgspec.Raw] = {}
        self._notes_pending = False  # some of ``_notes`` may still be JSON
        # A long session's checkpoint keeps its notes apart, read only when a note is asked
        # for (a report never does): where to get them, until then.
        self._notes_source: Callable[[], bytes] | None = None
        self.sittings: list[Sitting] = []
        self.floor: str | None = None
        self.floor_since: dt.datetime | None = None
        self.speaking: tuple[str, str] | None = None
        self.speaking_since: dt.datetime | None = None
        # The floor log is read only by reports and exports: a state loaded from a snapshot
        # keeps it as JSON until then (decoding a long session's intervals is a good part of
        # its load), and intervals that end meanwhile wait in ``_floor_tail``, as the fields
        # of each (a ``FloorInterval`` is made of them when the floor log is read: a report
        # never reads it, and the fold ends an interval at most take-ups and conclusions).
        # The fields one after the other in one flat list, not a tuple each: a long session
        # ends a million intervals, and a tuple each held 88 bytes more than its values.
        self._floor_log: list[FloorInterval] = []
        self._floor_json: bytes | Callable[[], bytes] | None = None
        self._floor_tail: list[str | dt.datetime | int] = []
        self.last_at: dt.datetime | None = None
        self.last_seq = 0
        self.event_count = 0
        self.actors: dict[str, dt.datetime] = {}
        self.undone: set[str] = set()
        self.undoable: dict[str, deque[tuple[str, Event]]] = {}
        # The events of a batch in ``undoable`` besides the one it is named by, in the order
        # recorded (``fold.remember``): one command may record several (``next`` closes an item
        # and takes up the next; ``amend sync`` several amendments), and its undo names them.
        self.batch_rest: dict[str, list[Event]] = {}
        self.speaker_names: dict[str, None] = {}
        # The names of the speakers taken off a list, by speaker id: the list no longer holds
        # them, and an undo of the removal must say whom it puts back.
        self.removed_speakers: dict[str, str] = {}
        # The participants register by folded name (``register.fold``), in the order added,
        # and each sitting's roll call: sitting number -> folded name -> present.
        self.participants: dict[str, Participant] = {}
        self.attendance: dict[int, dict[str, bool]] = {}
        # Items whose status changed since a reader last cleared this, with their earlier
        # status: lets the journal name side effects without comparing every item per event.
        self.touched: dict[str, Status] = {}
        # Events outside the bounds (see ``core.bounds``) by seq, with why: skipped by the fold.
        self.invalid: dict[int, str] = {}
        # Each item's branch (the item, then its ancestors up to the root), made when first
        # asked for: the fold walks the floor's at every take-up and conclusion.
        self._branches: dict[str, tuple[str, ...]] = {}
        # The same branches with each item's state (``branch_items``): every stop of the clock
        # adds time to each of them, and every take-up opens them. Made from ``items`` as it
        # stands: a state given other ``items`` (a snapshot's) gets them before any is made.
        self._branch_items: dict[str, tuple[tuple[str, ItemState], ...]] = {}
        # One copy of each short text the state keeps many times over (item ids, names, kinds):
        # every event decodes its own copy, and a long session keeps hundreds of thousands.
        self.words: dict[str, str] = {}

    # -- queries -----------------------------------------------------------------------------

    @property
    def notes(self) -> dict[str, Note]:
        """Every note by id, in the order they were written (all decoded, once, when asked)."""
        self._decode_kept_notes()
        if self._notes_pending or self._notes_source is not None:
            notes = self._held_notes()
            for note_id, found in notes.items():
                if isinstance(found, msgspec.Raw):
                    notes[note_id] = _decoded_note(found)
            self._notes_pending = False
        return cast("dict[str, Note]", self._notes)

    def read_every_note(self) -> None:
        """Decode every note now (``notes_of`` then reads them decoded): for a reader of them
        all, such as a whole report, once rather than note by note."""
        self._decode_kept_notes()

    def _decode_kept_notes(self) -> None:
        """The snapshot's notes, if not yet read, decoded in one call rather than one by one:
        a long session's checkpoint keeps tens of thousands."""
        load = self._notes_source
        if load is None:
            return
        try:
            decoded = _ALL_NOTES_DECODER.decode(load())
        except msgspec.DecodeError:
            return  # read note by note, which says which note fails and why
        self._notes_source = None
        # Notes folded since the snapshot was loaded come after its own, as written.
        decoded.update(cast("dict[str, Note]", self._notes))
        self._notes = cast("dict[str, Note | msgspec.Raw]", decoded)
        self._notes_pending = False

    def note(self, note_id: str) -> Note | None:
        """One note by id (None if there is no such note), decoded only now if still JSON."""
        notes = self._held_notes()
        found = notes.get(note_id)
        if isinstance(found, msgspec.Raw):
            found = notes[note_id] = _decoded_note(found)
        return found

    def note_ids(self) -> KeysView[str]:
        """The ids of every note, in the order they were written (nothing decoded)."""
        return self._held_notes().keys()

    def stored_notes(self) -> dict[str, Note | msgspec.Raw]:
        """The notes as held: those never read still as their JSON (for ``dump_state``)."""
        return self._held_notes()

    def held_notes_json(self) -> tuple[bytes | None, dict[str, Note | msgspec.Raw]]:
        """The notes without reading them: the JSON object of the snapshot's notes, if still
        unread, and the notes written since (``(None, stored_notes())`` once read).

        A checkpoint written from a loaded state copies that JSON on instead of splitting a
        long session's notes into a value per note only to join them again.
        """
        load = self._notes_source
        if load is None:
            return None, self._held_notes()
        return load(), self._notes

    def set_notes_json(self, notes: dict[str, msgspec.Raw]) -> None:
        """Take the notes as JSON, one value per note (from a snapshot), decoded when read."""
        self._notes = dict(notes)
        self._notes_pending = bool(notes)
        self._notes_source = None

    def set_notes_source(self, load: Callable[[], bytes]) -> None:
        """Take the notes from ``load()`` (a JSON object of notes by id) when first asked for.

        ``load`` raises ``ValueError`` when they cannot be had (their cache changed).
        """
        self._notes, self._notes_pending, self._notes_source = {}, False, load

    def _held_notes(self) -> dict[str, Note | msgspec.Raw]:
        """The notes as held, those of the snapshot read first if they were not yet."""
        load = self._notes_source
        if load is not None:
            self._notes_source = None
            try:
                held: dict[str, Note | msgspec.Raw] = dict(_NOTES_DECODER.decode(load()))
            except msgspec.DecodeError as exc:
                raise ValueError(f"unusable notes in a checkpoint: {exc}") from None
            # Notes folded since the snapshot was loaded come after its own, as written.
            held.update(self._notes)
            self._notes = held
            self._notes_pending = True
        return self._notes

    @property
    def floor_log(self) -> list[FloorInterval]:
        """Every interval an item spent on the floor, in the order they ended."""
        if self._floor_json is not None:
            held = self._floor_json
            self._floor_json = None
            self._floor_log = _FLOOR_LOG_DECODER.decode(held if isinstance(held, bytes) else held())
        if self._floor_tail:
            self._floor_log.extend(starmap(FloorInterval, floor_fields(self._floor_tail)))
            self._floor_tail.clear()
        return self._floor_log

    def floor_log_held(
        self,
    ) -> tuple[bytes | None, list[FloorInterval], list[str | dt.datetime | int]]:
        """The floor log as it is held, nothing decoded and nothing made: the JSON it was
        loaded as (if still unread), the intervals decoded or made, then the fields of those
        ended since, one after the other (``floor_fields`` groups them); their values, one
        after the other, are the floor log's.

        A long session's checkpoint encodes them a few at a time, instead of making a million
        intervals at once only to encode them (``floor_log`` makes them, and keeps them).
        """
        held = self._floor_json
        if held is not None and not isinstance(held, bytes):
            held = self._floor_json = held()
        return held, self._floor_log, self._floor_tail

    def set_floor_log(self, encoded: bytes | Callable[[], bytes]) -> None:
        """Take the floor log as JSON (from a snapshot), to be decoded when first read (or
        from a function that reads it then)."""
        self._floor_log, self._floor_json, self._floor_tail = [], encoded, []

    @property
    def sitting(self) -> Sitting | None:
        """The current sitting, if one is open or suspended."""
        if self.sittings and self.sittings[-1].status != "closed":
            return self.sittings[-1]
        return None

    def floor_log_until(self, until: dt.datetime | None) -> list[FloorInterval]:
        """The floor log, with the item still on the floor counted from its take-up to ``until``
        (an export's: the last event recorded, so the same log gives the same export)."""
        spans = list(self.floor_log)
        sitting = self.sitting
        if (
            until is not None
            and self.floor is not None
            and self.floor_since is not None
            and sitting is not None
            and until > self.floor_since
        ):
            spans.append(FloorInterval(self.floor, self.floor_since, until, sitting.number))
        return spans

    def own_seconds(self, until: dt.datetime | None) -> dict[str, float]:
        """Time each item was itself on the floor, none of its sub-items' (``used_seconds``
        counts theirs), up to ``until`` as ``floor_log_until``: figures that add up to the time
        the floor was held, where the used times of an item and its sub-items count twice.
        Items never on the floor are absent."""
        own: dict[str, float] = {}
        for span in self.floor_log_until(until):
            own[span.item] = own.get(span.item, 0.0) + seconds_between(span.start, span.end)
        return own

    @property
    def running(self) -> bool:
        """Whether the meeting clock runs (a sitting is open and not suspended)."""
        sitting = self.sitting
        return sitting is not None and sitting.status == "open"

    def ancestors(self, item_id: str) -> tuple[str, ...]:
        """``agenda.ancestors``, cached (see ``branch``)."""
        return self.branch(item_id)[1:]

    def branch(self, item_id: str) -> tuple[str, ...]:
        """The item and its ancestors up to the root, cached until the agenda changes
        (``forget_branches``)."""
        found = self._branches.get(item_id)
        if found is None:
            found = self._branches[item_id] = (item_id, *self.agenda.ancestors(item_id))
        return found

    def branch_items(self, item_id: str) -> tuple[tuple[str, ItemState], ...]:
        """``branch(item_id)``, each id with its item's state, cached as the branch is."""
        found = self._branch_items.get(item_id)
        if found is None:
            items = self.items
            found = self._branch_items[item_id] = tuple(
                (node_id, items[node_id]) for node_id in self.branch(item_id)
            )
        return found

    def forget_branches(self) -> None:
        """Drop the cached branches: an item added or moved changes the tree."""
        self._branches.clear()
        self._branch_items.clear()

    def on_floor_branch(self) -> set[str]:
        """The item on the floor and its ancestors (all "in consideration")."""
        if self.floor is None:
            return set()
        return {self.floor, *self.ancestors(self.floor)}

    def used_seconds(self, item_id: str, now: dt.datetime | None = None) -> float:
        """Time the item or one of its sub-items was on the floor, up to ``now`` if still running."""
        used = self.items[item_id].used_seconds
        if now is not None and self.floor_since is not None and item_id in self.on_floor_branch():
            used += seconds_between(self.floor_since, now)
        return used

    def sitting_seconds(self, now: dt.datetime | None = None) -> float:
        """Time the sittings ran, without suspensions."""
        return sum(s.seconds(now) for s in self.sittings)

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
            seconds += seconds_between(self.speaking_since, now)
        return seconds

    def notes_of(self, item_id: str, *, include_deleted: bool = False) -> list[Note]:
        """An item's notes in the order they were written."""
        notes = (self.note(note_id) for note_id in self.items[item_id].notes)
        return [
            note for note in notes if note is not None and (include_deleted or not note.deleted)
        ]

    def note_numbers(self, item_id: str, unsent: Iterable[Note] = ()) -> dict[str, int]:
        """Each of an item's notes' number (by id), as the tracker shows it and the command
        line takes it (``commands.note_on``), in the order written; ``unsent``: its notes still in the outbox, numbered
        after the others.

        Counted per kind (decision 1, 2…, note 1, 2…) in the order the notes were written
        (their ``seq``), so a number once read out ("note 3") never changes: not when a
        back-dated note lands before it in meeting time, nor when an earlier one is deleted (a
        deleted note's number is not given again). A note edited into another kind takes its
        place among that kind's notes.
        """
        counts: dict[str, int] = {}
        numbers: dict[str, int] = {}
        written = self.notes_of(item_id, include_deleted=True)
        for note in [*sorted(written, key=_written_order), *unsent]:
            counts[note.kind] = numbers[note.id] = counts.get(note.kind, 0) + 1
        return numbers

    def note_kinds_of(self, item_id: str) -> list[str]:
        """The kinds of an item's notes (deleted ones left out), in the order written.

        A note still kept as JSON is read for its kind only, and stays JSON: ``report --json``
        counts a long session's notes, hundreds of thousands, without holding their texts.
        """
        notes = self._held_notes()
        kinds = []
        for note_id in self.items[item_id].notes:
            found = notes.get(note_id)
            if found is None:
                continue
            if isinstance(found, msgspec.Raw):
                try:
                    brief: Note | _NoteKind = _NOTE_KIND_DECODER.decode(found)
                except msgspec.DecodeError:
                    brief = _decoded_note(found)  # says why in the same words as a read
            else:
                brief = found
            if not brief.deleted:
                kinds.append(brief.kind)
        return kinds

    def remaining_planned_seconds(
        self, now: dt.datetime | None = None, sitting: SittingSpec | None = None
    ) -> float:
        """Planned time not yet used by items still to be concluded (top level).

        With ``sitting`` (a programme entry), only the items assigned to it (an item's own
        ``sitting``, else its parent's); an agenda that assigns no item to any sitting counts
        the rest of the agenda, as without a programme.
        """
        agenda = self.agenda
        assigned = sitting is not None and any(
            node.sitting for node in agenda.nodes.values() if not node.deleted
        )

        def remaining(item_id: str) -> float:
            if self.items[item_id].status in ("closed", "deferred"):
                return 0.0
            planned = agenda.planned_seconds_of(item_id)
            return max(0.0, planned - self.used_seconds(item_id, now)) if planned else 0.0

        def in_sitting(item_id: str) -> float:
            node = agenda.nodes[item_id]
            if node.sitting is not None:
                return remaining(item_id) if agenda.find_sitting(node.sitting) is sitting else 0.0
            if self.items[item_id].status in ("closed", "deferred"):
                return 0.0
            return sum(in_sitting(child) for child in node.children)

        return sum((in_sitting if assigned else remaining)(root) for root in agenda.roots)

    def projected_end(self, now: dt.datetime, sitting: SittingSpec | None = None) -> dt.datetime:
        """When the meeting (or the programme's ``sitting``) would end if the remaining items
        took their planned time from now."""
        return now + dt.timedelta(seconds=self.remaining_planned_seconds(now, sitting))

    def display(self, item_id: str) -> str:
        """``"2(a) Status of the preparations ..."``."""
        return self.agenda.display(item_id)

    def label(self, item_id: str) -> str:
        """The full label as printed."""
        return self.agenda.nodes[item_id].label

    def ref(self, item_id: str) -> str:
        """The label as running text names the item (``label_ref``)."""
        return self.agenda.nodes[item_id].ref

    def speaker(self, item_id: str, speaker_id: str) -> Speaker | None:
        # Ids are unique, so the search order only changes the speed: the speaker asked for
        # is nearly always the latest one added.
        for speaker in reversed(self.items[item_id].speakers):
            if speaker.id == speaker_id:
                return speaker
        return None
