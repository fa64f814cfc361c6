"""The journal: the session log as plain lines in words, one per event, in the meeting's time."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from sessiontui.core import events as ev
from sessiontui.core.agenda import ReferenceError_
from sessiontui.core.bounds import EARLIEST, LATEST
from sessiontui.core.clock import format_duration, session_zone
from sessiontui.core.commands import command_kind_of
from sessiontui.core.events import Event, Header
from sessiontui.core.phrases import ordinal, speaker_phrase
from sessiontui.core.replay import Replayer
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import Note, SessionState
from sessiontui.core.text import clean_text, safe_display
from sessiontui.core.vocabulary import NoteKind, SpeechKind, note_kind, speech_kind
from sessiontui.core.wallclock import CLOCK_FACE, UNIX_EPOCH_ORDINAL, Clock, in_zone

# What ``--kind`` filters on; each event type belongs to one of these.
KINDS: tuple[str, ...] = ("status", "notes", "speakers", "sittings", "agenda")
_KIND_OF_PREFIX = {
    "item.": "status",
    "note.": "notes",
    "speaker.": "speakers",
    "sitting.": "sittings",
    "agenda.": "agenda",
}
# Batches noted before the journal forgets those no undo can name any more.
_BATCHES_KEPT = 8192
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Markers:
    """The few symbols that make sittings, take-ups and refusals easy to spot."""

    take_up: str = "▶ "
    rule: str = "──"
    refused: str = "✗ "


UNICODE_MARKERS = Markers()
ASCII_MARKERS = Markers(take_up="* ", rule="--", refused="! ")


def meeting_zone(header: Header) -> tuple[dt.tzinfo, str]:
    """The meeting's time zone from the agenda (``meeting.timezone``), else UTC, and its name."""
    zone = session_zone(header.timezone, header.agenda)
    if zone is None:  # no zone or an unknown one: UTC, which the heading then says
        return dt.UTC, "UTC"
    return zone, str(zone.key)


def journal_heading(header: Header) -> str:
    """The line printed above a journal: the meeting and the time zone of every time below."""
    meeting = header.agenda.get("meeting")
    title = meeting.get("title") if isinstance(meeting, dict) else None
    _, zone = meeting_zone(header)
    name = clean_text(str(title), multiline=False) if title else "Session"
    return f"Journal of the session: {name}. Times are in {zone}."


def journal_closing(seq: int, sha256: str) -> str:
    """The line printed below a journal: the head of the log it was made from, as the other
    exports' provenance names it (``verify --anchor`` on the journal finds it)."""
    if seq <= 0:
        return f"Made from the log before its first event. SHA-256 of the log up to there: {sha256}"
    return f"Made from the log up to event {seq}. SHA-256 of the log up to that event: {sha256}"


def kind_of(event: Event) -> str | None:
    """The ``--kind`` an event belongs to (None for bookkeeping events such as undo)."""
    if isinstance(event, ev.CommandRefused):
        # A command's kind starts as the type of the events it records ("item.close").
        return _kind_of_type(command_kind_of(event.data.command))
    return _kind_of_type(event.type)


@functools.lru_cache(maxsize=256)
def _kind_of_type(event_type: str) -> str | None:
    for prefix, kind in _KIND_OF_PREFIX.items():
        if event_type.startswith(prefix):
            return kind
    return None


def _one_line(text: Any) -> str:
    """User text on one line: every line break becomes " / " so one event stays one line."""
    return _one_line_cached(str(text))


@functools.lru_cache(maxsize=8192)
def _one_line_cached(text: str) -> str:
    # Actors, labels and titles repeat on nearly every line: clean each string once.
    lines = [" ".join(part.split()) for part in safe_display(text).splitlines()]
    return " / ".join(line for line in lines if line)


def item_label(
    state: SessionState, item_id: str | None, line: Callable[[str], str] = _one_line
) -> str:
    """How the journal names an item: its label, else its title, else (an item the agenda does
    not hold) its id; ``line`` cleans each piece onto one line."""
    if item_id is None:
        return ""
    node = state.agenda.nodes.get(item_id)
    if node is None:
        return line(item_id)
    return line(node.label or node.title)


def _name(state: SessionState, item_id: str | None) -> str:
    node = state.agenda.nodes.get(item_id) if item_id else None
    return _one_line(node.title) if node is not None else ""


def item_title(
    state: SessionState, item_id: str | None, line: Callable[[str], str] = _one_line
) -> str:
    """An item's label and title ("2(a) Status of the preparations"), as ``item_label``
    names it when the agenda does not hold it."""
    node = state.agenda.nodes.get(item_id) if item_id else None
    if node is None:
        return item_label(state, item_id, line)
    if not node.label:
        return line(node.title)
    return f"{line(node.label)} {line(node.title)}"


class _JournalSnapshot(msgspec.Struct, kw_only=True):
    """A journal as far as event ``seq``: its lines, their items, the batches an undo can
    still name, and the state folded so far (kept as JSON, decoded by ``load_state``)."""

    seq: int
    batches: dict[str, tuple[list[str], str | None]]
    lines: list[str]
    concerned: list[list[str]]
    state: msgspec.Raw


class _SavedSnapshot(msgspec.Struct, kw_only=True):
    """``_JournalSnapshot`` as read back: each line's items stay JSON until asked for (the
    whole journal printed or exported never asks: a long session's are tens of megabytes)."""

    seq: int
    batches: dict[str, tuple[list[str], str | None]]
    lines: list[str]
    concerned: list[msgspec.Raw]
    state: msgspec.Raw


_ITEMS = msgspec.json.Decoder(list[str])


class SavedJournal:
    """A journal as ``Journal.snapshot`` saved it: its lines at once, its state when asked."""

    def __init__(self, data: bytes | memoryview) -> None:
        """Decode the lines and the batches; the state stays JSON until ``Journal.resume``.

        Raises:
            ValueError: not a journal snapshot.
        """
        try:
            self.saved = msgspec.json.decode(data, type=_SavedSnapshot)
        except msgspec.DecodeError as exc:
            raise ValueError(f"not a journal snapshot: {exc}") from None
        if len(self.saved.lines) != len(self.saved.concerned):
            raise ValueError("not a journal snapshot: lines and items differ in number")

    @property
    def seq(self) -> int:
        """The ``seq`` of the last event its lines describe."""
        return self.saved.seq

    @property
    def lines(self) -> list[str]:
        """The journal's lines, in log order."""
        return self.saved.lines

    def entries(self) -> list[tuple[str, frozenset[str]]]:
        """The lines with the items each concerns (see ``Journal.entries``)."""
        try:
            items = [frozenset(_ITEMS.decode(raw)) for raw in self.saved.concerned]
        except msgspec.DecodeError as exc:
            raise ValueError(f"not a journal snapshot: {exc}") from None
        return list(zip(self.saved.lines, items, strict=True))


@dataclass(slots=True)
class _Before:
    """What the state said just before an event, for phrases that need the earlier value."""

    statuses: dict[str, str]
    label: str
    title: str
    name: str
    note: Note | None = None
    speaker: str | None = None
    changed: set[str] = field(default_factory=set)


class Journal:
    """Turns events into journal lines, incrementally (the TUI panel feeds it as events arrive).

    It folds its own ``SessionState`` alongside, event by event (rebuilding on an undo or a
    back-dated correction, like the service does), so labels, titles and names are the ones in
    force when each event was recorded, even after amendments.
    """

    def __init__(
        self,
        header: Header,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        item: str | None = None,
        actor: str | None = None,
        kinds: set[str] | None = None,
        markers: Markers = UNICODE_MARKERS,
        source: Callable[[], Iterable[Event]] | None = None,
        state: SessionState | None = None,
    ) -> None:
        """Start a journal; the filters keep only matching events (every filter must match).

        Args:
            header: the log's header (its agenda snapshot names the items).
            since: keep events that happened at or after this instant (naive means UTC).
            until: keep events that happened before this instant (naive means UTC).
            item: keep events on this item or its sub-items (an id or a reference like "2(a)").
            actor: keep events recorded by this person (case ignored).
            kinds: keep events of these kinds (see ``KINDS``).
            markers: the symbols used (``ASCII_MARKERS`` for terminals without Unicode).
            source: the log's events in ``seq`` order, read again when an undo or a back-dated
                event makes the fold start over (a store's ``read``); without it the journal
                keeps every event it is given.
            state: the state folded from the events before the first one it will be given.
        """
        self.header = header
        self.zone, self.zone_name = meeting_zone(header)
        self._clock = Clock(self.zone)
        self._dates: dict[int, str] = {}  # "19 Nov" by meeting-local day since the epoch
        self.markers = markers
        self.since = _aware(since)
        self.until = _aware(until)
        self.item = item
        self.actor = actor.casefold() if actor else None
        self.kinds = set(kinds) if kinds is not None else None
        self._item_id: str | None = None
        self._seen: list[Event] = []
        self._source = source
        self._fed_seq = 0
        self._order: list[str] | None = None
        self._concerned: frozenset[str] = frozenset()
        self._position: dict[str, int] = {}
        self._replayer = Replayer(header, self._events_so_far, state)
        # batch -> (items it touched, its kind): an undo matches the filters of what it undid.
        self._batches: dict[str, tuple[set[str], str | None]] = {}
        self._batches_limit = _BATCHES_KEPT

    def _forget_batches(self) -> None:
        """Keep only the batches an undo can still name (those in each actor's undo memory):
        a long session's journal then holds a bounded number, not one per batch ever made."""
        undoable = {batch for memory in self.state.undoable.values() for batch, _ in memory}
        self._batches = {
            batch: found for batch, found in self._batches.items() if batch in undoable
        }
        # Pruned again once as many more are noted as are kept (amortised: a few per event).
        self._batches_limit = max(_BATCHES_KEPT, 2 * len(self._batches))

    @property
    def state(self) -> SessionState:
        """The state folded so far."""
        return self._replayer.state

    @property
    def seq(self) -> int:
        """The ``seq`` of the last event journaled (0: none yet)."""
        return self._fed_seq

    def use_source(self, source: Callable[[], Iterable[Event]]) -> None:
        """Read the log through ``source`` from now on when the fold starts over."""
        if self._source is None:
            self._seen.clear()  # the source holds them
        self._source = source

    def _events_so_far(self) -> Iterator[Event]:
        """What a rebuild folds: the events journaled so far, never later ones."""
        if self._source is None:
            return iter(self._seen)
        bound = self._fed_seq
        return itertools.takewhile(lambda event: event.seq <= bound, self._source())

    def snapshot(self, entries: Sequence[tuple[str, frozenset[str]]]) -> bytes:
        """The journal so far (``entries``: its lines) and what ``resume`` needs to go on."""
        # Only batches an undo can still name are kept: those in each actor's undo memory.
        self._forget_batches()
        batches = {batch: (sorted(items), kind) for batch, (items, kind) in self._batches.items()}
        state = dump_state(self.state, needs_sort=self._replayer.needs_sort)
        return msgspec.json.encode(
            _JournalSnapshot(
                seq=self._fed_seq,
                batches=batches,
                lines=[line for line, _ in entries],
                concerned=[sorted(items) for _, items in entries],
                state=msgspec.Raw(state),
            )
        )

    @classmethod
    def resume(
        cls, header: Header, snapshot: SavedJournal, source: Callable[[], Iterable[Event]]
    ) -> Journal:
        """A journal (no filters, Unicode markers) going on after a saved one.

        Raises:
            ValueError: the snapshot's state is not one of this session in this version.
        """
        state, needs_sort = load_state(header, memoryview(snapshot.saved.state))
        if state.last_seq != snapshot.seq:
            raise ValueError("not a journal snapshot: its state ends elsewhere")
        journal = cls(header, source=source, state=state)
        journal._replayer.needs_sort = needs_sort
        journal._fed_seq = snapshot.seq
        journal._batches = {
            batch: (set(items), kind) for batch, (items, kind) in snapshot.saved.batches.items()
        }
        return journal

    def lines(self, events: Iterable[Event]) -> list[str]:
        """The journal lines of new events (in the order given: the log's ``seq`` order)."""
        return [line for line, _ in self.entries(events)]

    def entries(self, events: Iterable[Event]) -> list[tuple[str, frozenset[str]]]:
        """Like ``lines``, each with the items it concerns: the event's own, those whose status
        it changed as a side effect, and those an undo reverted (for an item's own journal)."""
        return list(self.stream(events))

    def stream(self, events: Iterable[Event]) -> Iterator[tuple[str, frozenset[str]]]:
        """``entries`` as a generator: each line made as its event is folded, none kept here.

        ``events`` is taken one at a time as lines are asked for, so a stream from the store
        is journaled in constant memory (a long log's lines are written as they come).
        """
        for event in events:
            line = self._line(event)
            if line is not None:
                yield line, self._concerned

    # -- one event ---------------------------------------------------------------------------

    def _line(self, event: Event) -> str | None:
        state = self.state
        # An undo or a back-dated event makes the fold start over (a new state object): only
        # then are all statuses compared; otherwise the fold says which items it touched.
        rebuilds = event.type == ev.UNDO or (state.last_at is not None and event.at < state.last_at)
        every_status: dict[str, str] | None = (
            {node_id: item.status for node_id, item in state.items.items()} if rebuilds else None
        )
        state.touched.clear()
        before = _Before(statuses={}, label="", title="", name="")
        # Names as they were: only an amendment or a rebuild (an undo may revert an amendment)
        # can change them; every other event names its item as the agenda does afterwards.
        names_change = rebuilds or event.type == "agenda.amend"
        if names_change:
            before.label = item_label(state, event.item)
            before.title = item_title(state, event.item)
            before.name = _name(state, event.item)
        data = event.data
        if isinstance(data, ev.NoteEditData | ev.NoteRef):
            before.note = state.note(data.note)
        if isinstance(data, ev.SpeakerRef | ev.SpeakerAddData) and event.item in state.items:
            before.speaker = self._speaker_name(state, event.item, data.speaker)
        if self._source is None:
            self._seen.append(event)
        self._fed_seq = event.seq
        self._replayer.feed((event,))
        state = self.state
        kind = kind_of(event)
        if event.batch is not None and event.type != ev.UNDO:
            items, _ = self._batches.setdefault(event.batch, (set(), kind))
            if event.item is not None:
                items.add(event.item)
            if len(self._batches) > self._batches_limit:
                self._forget_batches()
        # Items whose status the event changed as a side effect (2(a) suspended when 2(b) is
        # taken up) belong to it too, so that --item 2(a) shows why 2(a) left the floor.
        statuses = state.items
        if every_status is None:
            before.statuses = {node_id: str(status) for node_id, status in state.touched.items()}
            changed = {
                node_id
                for node_id, status in before.statuses.items()
                if node_id in statuses and statuses[node_id].status != status
            }
        else:
            before.statuses = every_status
            changed = {
                node_id
                for node_id, item in statuses.items()
                if item.status != every_status.get(node_id, "pending")
            }
        before.changed = changed
        if not self._matches(event, changed, kind):
            return None
        invalid = state.invalid.get(event.seq)
        if invalid is not None:
            # Recorded with a valid checksum but outside the bounds: named, never described.
            when = self._time(event.at) if EARLIEST <= event.at < LATEST else "(time out of range)"
            return (
                f"{when}  {_one_line(event.actor)}  {self.markers.refused}invalid record "
                f"#{event.seq} ({_one_line(event.type)}): {invalid}; left out of the record"
            )
        text = self._describe(event, before)
        return f"{self._time(event.at)}  {_one_line(event.actor)}  {text}{self._correction(event)}"

    def _matches(self, event: Event, changed: set[str], kind: str | None) -> bool:
        if self.since is not None and event.at < self.since:
            return False
        if self.until is not None and event.at >= self.until:
            return False
        if self.actor is not None and event.actor.casefold() != self.actor:
            return False
        items: set[str] = {event.item} if event.item else set()
        if isinstance(event, ev.Undone):
            undone, kind = self._batches.get(event.data.batch, (set(), None))
            items = items | undone
        items |= changed
        self._concerned = frozenset(items)
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.item is not None:
            wanted = self._wanted_item()
            if wanted is None:
                return False
            agenda = self.state.agenda
            below = agenda.descendants(wanted) if wanted in agenda.nodes else []
            return bool(items & {wanted, *below})
        return True

    def _wanted_item(self) -> str | None:
        """The filter's item id, resolved as soon as the agenda knows it (it may be added later)."""
        if self._item_id is None and self.item is not None:
            agenda = self.state.agenda
            if self.item in agenda.nodes:
                self._item_id = self.item
            else:
                try:
                    self._item_id = agenda.resolve(self.item).id
                except ReferenceError_:
                    return None
        return self._item_id

    def _time(self, moment: dt.datetime) -> str:
        seconds = self._clock.wall_seconds(moment)
        if seconds is None:
            local = in_zone(moment, self.zone)
            return f"{local.day:02d} {_MONTHS[local.month - 1]} {local:%H:%M:%S}"
        day, second = divmod(seconds, 86400)
        date = self._dates.get(day)
        if date is None:
            local_day = dt.date.fromordinal(UNIX_EPOCH_ORDINAL + day)
            date = self._dates[day] = f"{local_day.day:02d} {_MONTHS[local_day.month - 1]}"
        return f"{date} {CLOCK_FACE[second // 60]}:{second % 60:02d}"

    def _minute(self, moment: dt.datetime) -> str:
        return f"{in_zone(moment, self.zone):%H:%M}"

    def _correction(self, event: Event) -> str:
        if not event.data.corrected:
            return ""
        at = in_zone(event.at, self.zone)
        recorded = in_zone(event.recorded, self.zone)
        when = self._minute(recorded) if at.date() == recorded.date() else self._time(recorded)[:-3]
        return f" (recorded {when}, correction)"

    @staticmethod
    def _speaker_name(state: SessionState, item_id: str, speaker_id: Any) -> str | None:
        speaker = state.speaker(item_id, str(speaker_id))
        return _one_line(speaker.name) if speaker is not None else None

    def _positions(self, state: SessionState) -> dict[str, int]:
        """Agenda order as positions, rebuilt only when the order changed (an amendment)."""
        order = state.agenda.order()
        if self._order is not order:
            self._order = order
            self._position = {node_id: index for index, node_id in enumerate(order)}
        return self._position

    def _changes(self, before: _Before, exclude: set[str]) -> str:
        """Items whose status an event changed besides its own: " (2(a) suspended)"."""
        state = self.state
        groups: dict[str, list[str]] = {}
        position = self._positions(state)
        for node_id in sorted(
            before.changed - exclude, key=lambda n: position.get(n, len(position))
        ):
            now = state.items[node_id].status
            groups.setdefault(now, []).append(item_label(state, node_id))
        if not groups:
            return ""
        return " (" + "; ".join(f"{', '.join(labels)} {st}" for st, labels in groups.items()) + ")"

    def _describe(self, event: Event, before: _Before) -> str:
        state = self.state
        data = event.data
        kind = event.type
        m = self.markers
        item = event.item
        label = item_label(state, item) or before.label
        own = {item} if item else set()
        if kind in ("item.open", "item.resume"):
            verb = "resumed" if kind == "item.resume" else "took up"
            if item is not None and before.statuses.get(item) == "closed":
                verb = "reopened"
            ancestors = set(state.agenda.ancestors(item)) if item in state.agenda.nodes else set()
            return f"{m.take_up}{verb} {item_title(state, item)}{self._changes(before, own | ancestors)}"
        if kind in ("item.close", "item.suspend", "item.defer"):
            done = {"item.close": "closed", "item.suspend": "suspended", "item.defer": "deferred"}
            return f"{done[kind]} {label}{self._changes(before, own)}"
        if kind.startswith("sitting."):
            return self._sitting(event, before)
        if isinstance(data, ev.NoteAddData):
            noun = note_kind(data.kind).noun
            return f"wrote {noun} on {label}: {_one_line(data.text)}"
        if kind in ("note.edit", "note.delete"):
            return self._note_change(event, before, label)
        if kind.startswith("speaker."):
            return self._speaker(event, before, label)
        if isinstance(data, ev.AmendData):
            return "amended the agenda: " + self._amendment(data, event.item, before)
        if isinstance(data, ev.ParticipantData | ev.ParticipantRef | ev.AttendanceData):
            return _register(data)
        if isinstance(data, ev.UndoData):
            what = _one_line(data.what or "an earlier action")
            return f"undid: {what}{self._changes(before, set())}"
        if isinstance(data, ev.RefusedData):
            what = _one_line(data.what or "a command")
            reason = _one_line(data.reason or "no reason given")
            return f"{m.refused}was refused: {what} ({reason})"
        return f"recorded {_one_line(kind)} {label}".rstrip()

    def _sitting(self, event: Event, before: _Before) -> str:
        state = self.state
        rule = self.markers.rule
        name = _one_line(state.sittings[-1].label) if state.sittings else "sitting"
        action = event.type.partition(".")[2]
        verb = {"open": "opened", "suspend": "suspended", "resume": "resumed", "close": "closed"}
        line = f"{rule} {name} {verb.get(action, action)} {rule}"
        if isinstance(event.data, ev.SittingOpenData) and event.data.implicit:
            line = f"{rule} {name} opened (implicitly, by taking up an item) {rule}"
        if action == "resume" and state.floor is not None:
            return f"{line} ({item_label(state, state.floor)} on the floor)"
        return line + self._changes(before, set())

    def _note_change(self, event: Event, before: _Before, label: str) -> str:
        note = before.note
        data = event.data
        edited = data.kind if isinstance(data, ev.NoteEditData) else None
        kind = edited or (note.kind if note else NoteKind.NOTE)
        noun = note_kind(kind).heading.lower()
        of = f" of {self._minute(note.at)}" if note is not None else ""
        if isinstance(data, ev.NoteEditData):
            return f"edited the {noun}{of} on {label}: {_one_line(data.text)}"
        said = f": {_one_line(note.text)}" if note is not None else ""
        return f"deleted the {noun}{of} on {label}{said}"

    def _speaker(self, event: Event, before: _Before, label: str) -> str:
        data = event.data
        state = self.state
        name = before.speaker or "a speaker"
        if isinstance(data, ev.SpeakerAddData):
            return _speaker_added(data, label)
        held = None
        if isinstance(data, ev.SpeakerStartData) and data.interrupts:
            held = self._speaker_name(state, str(event.item), data.interrupts)
        said = speaker_phrase(event, name, label, held)
        if said is None:
            return f"recorded {_one_line(event.type)} on {label}"
        if isinstance(event, ev.SpeakerStopped) and event.item in state.items:
            speaker = state.speaker(event.item, event.data.speaker)
            if speaker is not None:
                spoke = f"spoke {format_duration(speaker.seconds)}"
                limit = speaker.limit_seconds
                if limit is not None and speaker.seconds > limit:
                    spoke += f", over the {format_duration(limit)} limit"
                said += f" ({spoke})"
        return said

    def _amendment(self, data: ev.AmendData, item: str | None, before: _Before) -> str:
        state = self.state
        op = data.op
        if op == "add":
            return f"added {item_title(state, item)}"
        if op == "retitle":
            new = _one_line(data.title or "")
            return f'retitled {before.label} "{new}" (was "{before.name}")'
        if op == "move":
            parent = data.parent or None
            where = f"under {item_label(state, parent)}" if parent else "to the top level"
            if data.after:
                where += f", after {item_label(state, data.after)}"
            return f"moved {before.label} {where}"
        if op == "delete":
            return f"took {before.title} off the agenda"
        return f"{_one_line(op)} {before.label}".strip()


def _register(data: ev.ParticipantData | ev.ParticipantRef | ev.AttendanceData) -> str:
    """A change to the participants register or a roll call, in words."""
    if isinstance(data, ev.ParticipantData):
        groups = ", ".join(_one_line(g) for g in data.groups)
        more = f"; {groups}" if groups else ""
        return f"added {_one_line(data.name)} to the register ({_one_line(data.kind)}{more})"
    if isinstance(data, ev.ParticipantRef):
        return f"took {_one_line(data.name)} off the register"
    parts = [f"roll call at the {ordinal(data.sitting)} meeting"]
    for word, names in (("present", data.present), ("absent", data.absent)):
        if names:
            parts.append(f"{word}: {', '.join(_one_line(n) for n in names)}")
    return "; ".join(parts)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def journal_lines(
    header: Header,
    events: Iterable[Event],
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    item: str | None = None,
    actor: str | None = None,
    kinds: set[str] | None = None,
) -> Iterator[str]:
    """The journal of a log: one line per event, in ``seq`` order (see ``Journal`` for filters).

    Args:
        header: the log's header.
        events: the log's events in ``seq`` order (every one: the state needs them all).
        since: keep events that happened at or after this instant.
        until: keep events that happened before this instant.
        item: keep events on this item (id or reference) or its sub-items.
        actor: keep events recorded by this person.
        kinds: keep events of these kinds (see ``KINDS``).

    Yields:
        One line per kept event, without a trailing newline.
    """
    journal = Journal(header, since=since, until=until, item=item, actor=actor, kinds=kinds)
    for event in events:
        yield from journal.lines((event,))


# -- refused commands --------------------------------------------------------------------------


def _speaker_added(data: ev.SpeakerAddData, label: str) -> str:
    """``added Brazil to the speakers on 2(b) (on behalf of Group of 77 and China, limit 3:00)``."""
    details = []
    speech = speech_kind(data.kind)
    if speech is not None and speech is not SpeechKind.STATEMENT:
        details.append(speech.phrase)
    if data.delegation:
        details.append(f"for {_one_line(data.delegation)}")
    if data.on_behalf_of:
        details.append(f"on behalf of {_one_line(data.on_behalf_of)}")
    if data.person:
        details.append(_one_line(data.person))
    if data.limit is not None:
        details.append(f"limit {format_duration(data.limit)}")
    more = f" ({', '.join(details)})" if details else ""
    return f"added {_one_line(data.name)} to the speakers on {label}{more}"
