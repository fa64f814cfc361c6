"""The journal: the session log as plain lines in words, one per event, in the meeting's time."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from sessiontui.core import events as ev
from sessiontui.core.agenda import ReferenceError_, label_ref
from sessiontui.core.bounds import EARLIEST, LATEST
from sessiontui.core.clock import format_duration, session_zone
from sessiontui.core.commands import command_kind_of
from sessiontui.core.events import Event, Header, gap_described
from sessiontui.core.fold import apply, apply_one, remember
from sessiontui.core.phrases import (
    TAKE_UP_VERBS,
    floor_given,
    ordinal,
    speaker_phrase,
    speech_ended,
    take_up_as,
)
from sessiontui.core.replay import Replayer
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import Note, SessionState, Speaker, TakeUp
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
_NO_ITEMS: frozenset[str] = frozenset()
_NOTE_REFS = (ev.NoteEditData, ev.NoteRef)
_CONCLUDED = {"item.close": "closed", "item.suspend": "suspended", "item.defer": "deferred"}
_UNKNOWN_KIND = "?"  # not a kind: an event class whose kind is not known yet
# ":SS" for every second of a minute.
_SECONDS = tuple(f":{second:02d}" for second in range(60))
# "MM:SS" for every second of an hour.
_MINUTES_SECONDS = tuple(
    f"{minute:02d}:{second:02d}" for minute in range(60) for second in range(60)
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_HOUR = dt.timedelta(hours=1)
# No hour worded yet: nothing lies at or after the end of time and before its start.
_NO_HOUR: tuple[dt.datetime, dt.datetime, int, list[str | None], str] = (
    dt.datetime.max.replace(tzinfo=dt.UTC),
    dt.datetime.min.replace(tzinfo=dt.UTC),
    0,
    [],
    "",
)


@dataclass(frozen=True, slots=True)
class Markers:
    """The few symbols that make sittings, take-ups and refusals easy to spot."""

    take_up: str = "▶ "
    rule: str = "──"
    refused: str = "✗ "


UNICODE_MARKERS = Markers()
ASCII_MARKERS = Markers(take_up="* ", rule="--", refused="! ")


def meeting_zone(header: Header) -> tuple[dt.tzinfo, str]:
    """The session's time zone (``session_zone``: the log header's, else the agenda's), else UTC,
    and its name."""
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


_Line = TypeVar("_Line")


def with_gaps(
    events: Iterable[Event],
    gaps: Sequence[ev.LogRepaired],
    word: Callable[[Iterable[Event]], Iterable[_Line]],
    gap: Callable[[ev.LogRepaired], _Line],
) -> Iterable[_Line]:
    """``word``'s lines of ``events`` (in log order), each gap's line at its place: a repair
    record follows the event whose ``seq`` it carries, so its line goes before the first
    event after it with a greater one (or last). ``events`` is still taken one at a time;
    without gaps (nearly every log) it is ``word(events)`` itself."""
    if not gaps:
        return word(events)
    return _interleaved(iter(events), gaps, word, gap)


def _interleaved(
    iterator: Iterator[Event],
    gaps: Sequence[ev.LogRepaired],
    word: Callable[[Iterable[Event]], Iterable[_Line]],
    gap: Callable[[ev.LogRepaired], _Line],
) -> Iterator[_Line]:
    held: list[Event] = []

    def up_to(limit: int | None) -> Iterator[Event]:
        if held:
            if limit is not None and held[0].seq > limit:
                return
            yield held.pop()
        for event in iterator:
            if limit is not None and event.seq > limit:
                held.append(event)
                return
            yield event

    for one in gaps:
        yield from word(up_to(one.seq))
        yield gap(one)
    yield from word(up_to(None))


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
    return _folded(text)


def _one_text(text: str) -> str:
    """``_one_line`` of text written once (a note): not worth a place in the cache."""
    return _folded(text)


def _folded(text: str) -> str:
    if text.isprintable():
        # No control, bidi or line-break character (none is printable): nothing for
        # ``safe_display`` to take out, one line, and the space the only blank to fold.
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # nothing to fold (most notes): not split into words and joined
        return " ".join(text.split())
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


WORDING = 2
"""Changes whenever what a line says of an event changes: a journal checkpoint keeps its lines
as they were worded, so one worded otherwise is made again rather than read back (1, unnamed:
a take-up of a suspended item by ``open`` or ``next`` said "took up" where it now says
"resumed")."""


class _JournalSnapshot(msgspec.Struct, kw_only=True):
    """A journal as far as event ``seq``: its lines (as ``WORDING`` words them), their items,
    the batches an undo can still name, and the state folded so far (kept as JSON, decoded by
    ``load_state``)."""

    wording: int
    seq: int
    batches: dict[str, tuple[list[str], str | None]]
    lines: list[str]
    concerned: list[list[str]]
    state: msgspec.Raw


class _SavedSnapshot(msgspec.Struct, kw_only=True):
    """``_JournalSnapshot`` as read back: each line's items stay JSON until asked for (the
    whole journal printed or exported never asks: a long session's are tens of megabytes).
    ``wording`` is absent (0) from a checkpoint written before it was kept."""

    wording: int = 0
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
        if self.saved.wording != WORDING:
            raise ValueError("a journal snapshot worded otherwise: its lines are made again")

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
    """What the state said just before an event, for phrases that need the earlier value, and
    the items whose status the event changed."""

    statuses: Mapping[str, str]
    label: str
    title: str
    name: str
    note: Note | None
    speaker: str | None
    changed: AbstractSet[str]


class Journal:
    """Turns events into journal lines, incrementally (the TUI panel feeds it as events arrive).

    It folds its own ``SessionState`` alongside, event by event (rebuilding on an undo or a
    back-dated correction, like the service does), so labels, titles and names are the ones in
    force when each event was recorded, even after amendments.
    """

    # Whether only lines are asked for (``of_lines_only``).
    _lines_only = False

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
        # Without filters every line is kept: the tests of ``_matches`` are skipped.
        # Each line's items are worked out unless only its words are asked for
        # (``stream_lines``), which filters never are: ``_matches`` reads them.
        self._concerning = True
        filters = (self.since, self.until, self.item, self.actor, self.kinds)
        self._filtered = any(given is not None for given in filters)
        # What nearly every line looks up again, made once: actors' names on one line, items'
        # words (until the agenda may change) and own sets, event classes' kinds, the minute.
        self._actors: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._take_ups: dict[str, dict[TakeUp, str]] = {}
        self._branches: dict[str, frozenset[str]] = {}
        self._named: SessionState | None = None
        self._alone: dict[str, frozenset[str]] = {}
        self._kind_of: dict[type[Event], str | None] = {}
        self._nouns: dict[str, str] = {}
        self._minute_of: tuple[int, str] = (-1, "")
        # The hour since the epoch (UTC) whose wall-clock offset is kept; NaN equals no hour.
        self._hour = float("nan")
        self._hour_offset = 0
        # The UTC hour worded last (from, to), the meeting's minute at its start, its minutes'
        # "19 Nov 10:05" as made and, when the offset is whole hours, its "19 Nov 10:" (else
        # ""): with an offset of whole minutes, most times are looked up by their fields.
        self._hour_texts = _NO_HOUR
        self._replayer = Replayer(header, self._events_so_far, state)
        self._named = self._replayer.state
        # batch -> (items it touched, its kind): an undo matches the filters of what it undid.
        self._batches: dict[str, tuple[frozenset[str], str | None]] = {}
        self._batches_limit = _BATCHES_KEPT
        # Notes each event's batch in the state's undo memory (``of_lines_only``: keeps none).
        self._remember: Callable[[SessionState, Event], None] = remember

    @classmethod
    def of_lines_only(cls, header: Header, source: Callable[[], Iterable[Event]]) -> Journal:
        """A whole journal (no filters) of which only ``lines`` and ``stream_lines`` will be
        asked, as one printed or written once: what each line concerns and the batches an
        undo may name, read only by ``entries``, the filters and ``snapshot``, are not worked
        out (``entries`` and ``snapshot`` then raise ``ValueError``), nor is the state's undo
        memory kept (read only by a command and by a saved state; a rebuild makes its own)."""
        journal = cls(header, source=source)
        journal._lines_only = True
        journal._concerning = False
        journal._remember = _forget
        return journal

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
        if self._lines_only:
            raise ValueError("a journal of lines only keeps no batches to save")
        # Only batches an undo can still name are kept: those in each actor's undo memory.
        self._forget_batches()
        batches = {batch: (sorted(items), kind) for batch, (items, kind) in self._batches.items()}
        state = dump_state(self.state, needs_sort=self._replayer.needs_sort)
        return msgspec.json.encode(
            _JournalSnapshot(
                wording=WORDING,
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
            batch: (frozenset(items), kind)
            for batch, (items, kind) in snapshot.saved.batches.items()
        }
        return journal

    def lines(self, events: Iterable[Event]) -> list[str]:
        """The journal lines of new events (in the order given: the log's ``seq`` order)."""
        return [line for event in events if (line := self._line(event)) is not None]

    def entries(self, events: Iterable[Event]) -> list[tuple[str, frozenset[str]]]:
        """Like ``lines``, each with the items it concerns: the event's own, those whose status
        it changed as a side effect, and those an undo reverted (for an item's own journal)."""
        return list(self.stream(events))

    def stream(self, events: Iterable[Event]) -> Iterator[tuple[str, frozenset[str]]]:
        """``entries`` as a generator: each line made as its event is folded, none kept here.

        ``events`` is taken one at a time as lines are asked for, so a stream from the store
        is journaled in constant memory (a long log's lines are written as they come).

        Raises:
            ValueError: a journal of lines only (it does not know what each line concerns).
        """
        if self._lines_only:
            raise ValueError("a journal of lines only does not say what each line concerns")
        for event in events:
            line = self._line(event)
            if line is not None:
                yield line, self._concerned

    def stream_lines(self, events: Iterable[Event], *, bounded: bool = False) -> Iterator[str]:
        """``stream`` without the items each line concerns, for a journal printed or written
        whole: each line's words only, as its event is folded, in constant memory.

        ``bounded``: every event's payload was decoded within the bounds (the store's scan
        says so of a run), so the fold does not check it again (``apply_one``'s ``bounded``).
        """
        if self._filtered:
            # Filters read each line's items (``_matches``): the usual way.
            for event in events:
                line = self._line(event)
                if line is not None:
                    yield line
            return
        self._concerning = False
        try:
            yield from self._whole_lines(events, bounded)
        finally:
            self._concerning = not self._lines_only

    def _whole_lines(self, events: Iterable[Event], bounded: bool) -> Iterator[str]:
        """``_line`` of each event, for a journal without filters whose lines' items nobody
        asks for: ``_line``, ``_quick_line`` and ``_time``'s usual case in one loop, what they
        look up kept in locals, and the items an event changed worked out only when it touched
        more than its own (a cold whole journal is hundreds of thousands of lines, and each
        call, lookup and set costs on every one)."""
        quick_of = _QUICK.get
        actors = self._actors
        alone = self._alone
        replayer = self._replayer
        keep = self._seen.append if self._source is None else None
        noting = not self._lines_only  # the batches an undo may name
        minutes_seconds = _MINUTES_SECONDS
        utc = dt.UTC
        for event in events:
            state = replayer.state
            quick = quick_of(event.__class__)
            item = event.item
            at = event.at
            last_at = state.last_at
            if (
                quick is None
                or state is not self._named
                or not item
                or item not in state.items
                or (last_at is not None and at < last_at)
                or event.batch in state.undone
            ):
                line = self._full_line(event)
                if line is not None:
                    yield line
                continue
            kind, phrase = quick
            touched = state.touched
            if touched:
                touched.clear()
            if keep is not None:
                keep(event)
            seq = event.seq
            self._fed_seq = seq
            apply_one(state, event, bounded)
            if noting:
                # The undo memory: only a journal that saves its state reads it (a rebuild
                # folds the log again, with its own).
                remember(state, event)
            batch = event.batch
            if batch is not None and noting:
                # ``_note_batch``, inline (the batches are replaced when pruned).
                batches = self._batches
                found = batches.get(batch)
                if found is None:
                    batches[batch] = (alone.get(item) or self._own(item), kind)
                    if len(batches) > self._batches_limit:
                        self._forget_batches()
                elif item not in found[0]:
                    batches[batch] = (found[0] | self._own(item), found[1])
            actor = actors.get(event.actor) or self._actor(event.actor)
            invalid = state.invalid
            if invalid:
                problem = invalid.get(seq)
                if problem is not None:
                    yield self._invalid_line(event, actor, problem)
                    continue
            # An event that touched its own item alone changed no other: no phrase words it
            # (each excludes its own item).
            many = touched and (len(touched) > 1 or item not in touched)
            text = phrase(self, event, state, item, self._changed(state) if many else _NO_ITEMS)
            if event.data.corrected:
                text += self._correction(event)
            low, high, _, _, hour = self._hour_texts
            if hour and low <= at < high and at.tzinfo is utc:
                yield f"{hour}{minutes_seconds[at.minute * 60 + at.second]}  {actor}  {text}"
            else:
                yield f"{self._time(at)}  {actor}  {text}"

    # -- one event ---------------------------------------------------------------------------

    def _line(self, event: Event) -> str | None:
        state = self.state
        quick = _QUICK.get(event.__class__)
        if quick is not None and state is self._named:
            item = event.item
            last_at = state.last_at
            if (
                item
                and item in state.items
                and (last_at is None or event.at >= last_at)
                and event.batch not in state.undone
            ):
                return self._quick_line(event, state, item, quick)
        return self._full_line(event)

    def _quick_line(
        self, event: Event, state: SessionState, item: str, quick: _Quick
    ) -> str | None:
        """``_full_line`` of the events a session is mostly made of (take-ups, conclusions,
        notes written, speakers added, given the floor and stopped), on an item the agenda
        holds, in time order, not undone: folded in place, no earlier value kept (none of
        these renames anything, and the fold notes the statuses it changes in ``touched``)."""
        kind, phrase = quick
        touched = state.touched
        if touched:
            touched.clear()
        if self._source is None:
            self._seen.append(event)
        seq = event.seq
        self._fed_seq = seq
        apply(state, event)
        self._remember(state, event)
        own = self._alone.get(item) or self._own(item)
        batch = event.batch
        if batch is not None and not self._lines_only:
            # ``_note_batch``, inline.
            batches = self._batches
            found = batches.get(batch)
            if found is None:
                batches[batch] = (own, kind)
                if len(batches) > self._batches_limit:
                    self._forget_batches()
            elif item not in found[0]:
                batches[batch] = (found[0] | own, found[1])
        changed = self._changed(state) if touched else _NO_ITEMS
        if self._concerning:
            self._concerned = frozenset(changed | own) if changed else own
        if self._filtered and not self._matches(event, kind):
            return None
        actor = self._actors.get(event.actor) or self._actor(event.actor)
        invalid = state.invalid
        if invalid:
            problem = invalid.get(seq)
            if problem is not None:
                return self._invalid_line(event, actor, problem)
        text = phrase(self, event, state, item, changed)
        if event.data.corrected:
            text += self._correction(event)
        return f"{self._time(event.at)}  {actor}  {text}"

    def _actor(self, actor: str) -> str:
        """An actor's name on one line, kept: every line names one."""
        found = self._actors[actor] = _one_line(actor)
        return found

    def gap_line(self, event: ev.LogRepaired) -> str:
        """The line of a gap ``repair`` recorded (``gap_described``), at its place: a journal
        is read afterwards, so what is missing from it is said in it."""
        return self.gap_entry(event)[0]

    def gap_entry(self, event: ev.LogRepaired) -> tuple[str, frozenset[str]]:
        """``gap_line`` and the item it concerns: the one on the floor when the gap began, as
        the events folded up to it show (none if no item was on the floor).

        The record itself names no item (the ``log.repair`` record is evidence of what is
        missing, and what was missing cannot be known): the line says the item is inferred,
        and the item's own journal shows the gap, where whoever reads that item's record
        looks for it.
        """
        said = gap_described(event) or "a repair"
        when = self._time(event.at) if EARLIEST <= event.at < LATEST else "(time out of range)"
        floor = self.state.floor
        where = ""
        if floor is not None:
            where = (
                f"; {item_label(self.state, floor)} was on the floor when it began (inferred "
                "from the records before it)"
            )
        line = (
            f"{when}  {self._actor(event.actor)}  {self.markers.refused}gap in the record: "
            f"{said}{where}; what it held is not in this journal (see `sessiontui verify`)"
        )
        return line, self._own(floor)

    def _invalid_line(self, event: Event, actor: str, problem: str) -> str:
        """A record with a valid checksum but outside the bounds: named, never described."""
        when = self._time(event.at) if EARLIEST <= event.at < LATEST else "(time out of range)"
        return (
            f"{when}  {actor}  {self.markers.refused}invalid record "
            f"#{event.seq} ({_one_line(event.type)}): {problem}; left out of the record"
        )

    def _full_line(self, event: Event) -> str | None:
        state = self.state
        etype = event.type
        item = event.item
        # An undo or a back-dated event makes the fold start over (a new state object): only
        # then are all statuses compared; otherwise the fold says which items it touched.
        last_at = state.last_at
        rebuilds = etype == ev.UNDO or (last_at is not None and event.at < last_at)
        every_status: dict[str, str] | None = (
            {node_id: found.status for node_id, found in state.items.items()} if rebuilds else None
        )
        state.touched.clear()
        label = title = name = ""
        # Names as they were: only an amendment or a rebuild (an undo may revert an amendment)
        # can change them; every other event names its item as the agenda does afterwards.
        names_change = rebuilds or etype == ev.AGENDA_AMEND
        if names_change:
            label = item_label(state, item)
            title = item_title(state, item)
            name = _name(state, item)
        data = event.data
        note: Note | None = None
        speaker: str | None = None
        if isinstance(data, _NOTE_REFS):
            note = state.note(data.note)
        elif isinstance(data, ev.SpeakerRef) and item in state.items:
            # (Who is added to the list is named by the event itself.)
            speaker = self._speaker_name(state, str(item), data.speaker)
        if self._source is None:
            self._seen.append(event)
        self._fed_seq = event.seq
        # ``Replayer.feed`` (its checks made above), the usual event applied here.
        if rebuilds:
            self._replayer.feed((event,))
            state = self.state
        elif event.batch not in state.undone:
            apply(state, event)
            self._remember(state, event)
        if names_change or state is not self._named:
            # Labels and titles are looked up once per item, until the agenda may have changed.
            self._labels.clear()
            self._titles.clear()
            self._take_ups.clear()
            self._branches.clear()
            self._named = state
        kind = self._kind_of.get(event.__class__, _UNKNOWN_KIND)
        if kind is _UNKNOWN_KIND:
            kind = self._kind(event)
        if event.batch is not None and etype != ev.UNDO and not self._lines_only:
            self._note_batch(event.batch, item, kind)
        # Items whose status the event changed as a side effect (2(a) suspended when 2(b) is
        # taken up) belong to it too, so that --item 2(a) shows why 2(a) left the floor.
        changed: AbstractSet[str]
        if every_status is None:
            before_statuses: Mapping[str, str] = state.touched
            changed = self._changed(state) if state.touched else _NO_ITEMS
        else:
            before_statuses = every_status
            changed = {
                node_id
                for node_id, found_item in state.items.items()
                if found_item.status != every_status.get(node_id, "pending")
            }
        if self._concerning:
            kind = self._concern(event, changed, kind)
        if self._filtered and not self._matches(event, kind):
            return None
        invalid = state.invalid.get(event.seq)
        actor = self._actors.get(event.actor)
        if actor is None:
            actor = self._actors[event.actor] = _one_line(event.actor)
        if invalid is not None:
            return self._invalid_line(event, actor, invalid)
        before = _Before(before_statuses, label, title, name, note, speaker, changed)
        text = self._describe(event, before)
        correction = self._correction(event) if data.corrected else ""
        return f"{self._time(event.at)}  {actor}  {text}{correction}"

    def _kind(self, event: Event) -> str | None:
        """``kind_of(event)``, kept per event class (a refusal's kind is its command's)."""
        kind = kind_of(event)
        if not isinstance(event, ev.CommandRefused):
            self._kind_of[event.__class__] = kind
        return kind

    def _note_batch(self, batch: str, item: str | None, kind: str | None) -> None:
        """Note the items a batch touched, and its kind: an undo of it concerns them."""
        batches = self._batches
        found = batches.get(batch)
        if found is None:
            # Most batches touch one item: they share its set, made once per item.
            if item:
                items = self._alone.get(item) or self._own(item)
            else:
                items = _NO_ITEMS if item is None else frozenset((item,))
            batches[batch] = (items, kind)
            if len(batches) > self._batches_limit:
                self._forget_batches()
        elif item is not None and item not in found[0]:
            batches[batch] = (found[0] | {item}, found[1])

    @staticmethod
    def _changed(state: SessionState) -> set[str]:
        """The items the last event changed the status of (``touched``: with the one before)."""
        statuses = state.items
        return {
            node_id
            for node_id, status in state.touched.items()
            if node_id in statuses and statuses[node_id].status != status
        }

    def _own(self, item: str | None) -> frozenset[str]:
        """``{item}`` (none without one), made once per item: most lines concern one item."""
        if not item:
            return _NO_ITEMS
        alone = self._alone.get(item)
        if alone is None:
            alone = self._alone[item] = frozenset((item,))
        return alone

    def _concern(self, event: Event, changed: AbstractSet[str], kind: str | None) -> str | None:
        """Note the items a line concerns (see ``entries``); returns its kind as filters see
        it (an undo's is the kind of what it undid)."""
        if not changed and not isinstance(event, ev.Undone):
            self._concerned = self._own(event.item)  # the usual line: its own item alone
            return kind
        concerned: set[str] = {event.item} if event.item else set()
        if isinstance(event, ev.Undone):
            undone, kind = self._batches.get(event.data.batch, (_NO_ITEMS, None))
            concerned |= undone
        self._concerned = frozenset(concerned | changed)
        return kind

    def _matches(self, event: Event, kind: str | None) -> bool:
        if self.since is not None and event.at < self.since:
            return False
        if self.until is not None and event.at >= self.until:
            return False
        if self.actor is not None and event.actor.casefold() != self.actor:
            return False
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.item is not None:
            wanted = self._wanted_item()
            if wanted is None:
                return False
            agenda = self.state.agenda
            below = agenda.descendants(wanted) if wanted in agenda.nodes else []
            return bool(self._concerned & {wanted, *below})
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
        low, high, first, texts, hour = self._hour_texts
        if low <= moment < high and moment.tzinfo is dt.UTC:
            # Within the UTC hour last worded (the usual line), by the moment's own fields,
            # without a timestamp: a UTC moment's minute and second are those of the meeting's
            # clock, shifted by whole minutes (else no hour is kept).
            if hour:
                return hour + _MINUTES_SECONDS[moment.minute * 60 + moment.second]
            minute = moment.minute
            text = texts[minute]
            if text is None:
                text = texts[minute] = self._minute_text(first + minute)
            return text + _SECONDS[moment.second]
        return self._time_of(moment)

    def _time_of(self, moment: dt.datetime) -> str:
        """``_time`` worked out from the moment's timestamp and the zone's offset."""
        stamp = moment.timestamp()
        whole = int(stamp // 1)
        if stamp // 3600 == self._hour:
            # Within the hour last asked for, the zone's offset is known.
            seconds = whole + self._hour_offset
        else:
            found = self._clock.wall_seconds(moment)
            if found is None:
                local = in_zone(moment, self.zone)
                return f"{local.day:02d} {_MONTHS[local.month - 1]} {local:%H:%M:%S}"
            seconds = found
            # The clock's offsets are whole seconds, fixed for the hour (else None above).
            offset = seconds - whole
            self._hour, self._hour_offset = stamp // 3600, offset
            if offset % 60 == 0:
                # The hour's minutes worded as they are first asked for (see ``_time``).
                hour = whole // 3600
                low = _EPOCH + dt.timedelta(hours=hour)
                first = (hour * 3600 + offset) // 60
                # Whole hours: the hour's minutes are those of the UTC hour.
                text = self._minute_text(first)[:-2] if offset % 3600 == 0 else ""
                self._hour_texts = (low, low + _HOUR, first, [None] * 60, text)
        minute, second = divmod(seconds, 60)
        return self._minute_text(minute) + _SECONDS[second]

    def _minute_text(self, minute: int) -> str:
        """The text of minute ``minute`` of the meeting's clock since the epoch: "19 Nov 10:05"."""
        last_minute, text = self._minute_of
        if minute != last_minute:
            # Events come in bursts within a minute: its text is made once.
            day, of_day = divmod(minute, 1440)
            date = self._dates.get(day)
            if date is None:
                local_day = dt.date.fromordinal(UNIX_EPOCH_ORDINAL + day)
                date = self._dates[day] = f"{local_day.day:02d} {_MONTHS[local_day.month - 1]}"
            text = f"{date} {CLOCK_FACE[of_day]}"
            self._minute_of = (minute, text)
        return text

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

    def _changes(self, changed: AbstractSet[str], exclude: AbstractSet[str]) -> str:
        """Items whose status an event changed besides its own: " (2(a) suspended)"."""
        others = changed - exclude
        if not others:
            return ""  # the usual case: nothing else changed
        state = self.state
        if len(others) == 1:
            # The next most usual: one (the old floor's parent suspended by a take-up).
            (node_id,) = others
            label = label_ref(self._labels.get(node_id) or self._label(node_id))
            return f" ({label} {state.items[node_id].status})"
        groups: dict[str, list[str]] = {}
        position = self._positions(state)
        for node_id in sorted(changed - exclude, key=lambda n: position.get(n, len(position))):
            now = state.items[node_id].status
            groups.setdefault(now, []).append(
                label_ref(self._labels.get(node_id) or self._label(node_id))
            )
        if not groups:
            return ""
        return " (" + "; ".join(f"{', '.join(labels)} {st}" for st, labels in groups.items()) + ")"

    def _describe(self, event: Event, before: _Before) -> str:
        item = event.item
        label = (self._labels.get(item) or self._label(item) if item else "") or before.label
        # The events a session is mostly made of go straight to their phrase (take-ups,
        # conclusions, notes written, the usual speaker events); the chain below says the rest.
        phrase = _PHRASES.get(event.__class__)
        if phrase is not None:
            return phrase(self, event, before, label)
        data = event.data
        kind = event.type
        m = self.markers
        if kind.startswith("sitting."):
            return self._sitting(event, before)
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
            return f"undid: {what}{self._changes(before.changed, set())}"
        if isinstance(event, ev.RollbackAccepted):
            return (
                f"{m.refused}lost from the record: {_one_line(ev.rollback_described(event))}; "
                "what they held is not in this journal (see `sessiontui verify`)"
            )
        if isinstance(data, ev.RefusedData):
            what = _one_line(data.what or "a command")
            reason = _one_line(data.reason or "no reason given")
            return f"{m.refused}was refused: {what} ({reason})"
        return f"recorded {_one_line(kind)} {label}".rstrip()

    def _take_up(self, event: Event, before: _Before, label: str) -> str:
        del label  # a take-up names the item by its title
        item = event.item
        was = before.statuses.get(item) if item is not None else None
        return self._took_up(event, was, before.changed)

    def _took_up(self, event: Event, was: str | None, changed: AbstractSet[str]) -> str:
        """A take-up of an item whose status was ``was``, which changed ``changed``."""
        item = event.item
        verb = TAKE_UP_VERBS[take_up_as(self.state, event, was)]
        title = (self._titles.get(item) or self._title(item)) if item else ""
        if not changed:
            return f"{self.markers.take_up}{verb} {title}"  # nothing else changed
        exclude = self._branches.get(item) if item else None
        if exclude is None:
            exclude = self._branch(item)
        return f"{self.markers.take_up}{verb} {title}{self._changes(changed, exclude)}"

    def _branch(self, item: str | None) -> frozenset[str]:
        """An item and its ancestors (the item alone if the agenda does not hold it), kept
        per item until the agenda may change: a take-up's own changes."""
        state = self.state
        own = self._own(item)
        branch = frozenset((*own, *state.ancestors(item))) if item in state.agenda.nodes else own
        if item:
            self._branches[item] = branch
        return branch

    def _concluded(self, event: Event, before: _Before, label: str) -> str:
        return self._conclusion(event, before.changed, label)

    def _conclusion(self, event: Event, changed: AbstractSet[str], label: str) -> str:
        changes = self._changes(changed, self._own(event.item)) if changed else ""
        return f"{_CONCLUDED[event.type]} {label}{changes}"

    def _note_added(self, event: Event, before: _Before | None, label: str) -> str:
        data = event.data
        assert isinstance(data, ev.NoteAddData)  # only NoteAdded comes here
        noun = self._nouns.get(data.kind) or self._noun(data.kind)
        return f"wrote {noun} on {label}: {_one_text(data.text)}"

    def _noun(self, kind: str) -> str:
        """``note_kind(kind).noun``, kept: every note's line asks for it."""
        noun = self._nouns[kind] = note_kind(kind).noun
        return noun

    def _label(self, item: str) -> str:
        """``item_label`` of an item in the state now, kept until the agenda may change."""
        found = self._labels[item] = item_label(self.state, item)
        return found

    def _title(self, item: str) -> str:
        """``item_title`` of an item in the state now, kept until the agenda may change."""
        found = self._titles[item] = item_title(self.state, item)
        return found

    def _take_up_words(self, item: str) -> dict[TakeUp, str]:
        """What ``_took_up`` says of an item taken up, resumed and reopened, before any other
        item's change, kept until the agenda may change."""
        title = self._titles.get(item) or self._title(item)
        mark = self.markers.take_up
        found = self._take_ups[item] = {
            taken: f"{mark}{verb} {title}" for taken, verb in TAKE_UP_VERBS.items()
        }
        return found

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
        return line + self._changes(before.changed, set())

    def _note_change(self, event: Event, before: _Before, label: str) -> str:
        note = before.note
        data = event.data
        edited = data.kind if isinstance(data, ev.NoteEditData) else None
        kind = edited or (note.kind if note else NoteKind.NOTE)
        noun = note_kind(kind).heading.lower()
        of = f" of {self._minute(note.at)}" if note is not None else ""
        if isinstance(data, ev.NoteEditData):
            return f"edited the {noun}{of} on {label}: {_one_text(data.text)}"
        said = f": {_one_text(note.text)}" if note is not None else ""
        return f"deleted the {noun}{of} on {label}{said}"

    def _speaker(self, event: Event, before: _Before, label: str) -> str:
        data = event.data
        if isinstance(data, ev.SpeakerAddData):
            return _speaker_added(data, label)
        return self._speech(event, before.speaker or "a speaker", label)

    def _speech(self, event: Event, name: str, label: str) -> str:
        """A speaker given the floor, stopped, moved or taken off the list, named ``name``."""
        data = event.data
        state = self.state
        held = None
        # (A record may name an item the agenda does not hold: its speakers are not known.)
        if isinstance(data, ev.SpeakerStartData) and data.interrupts and event.item in state.items:
            held = self._speaker_name(state, str(event.item), data.interrupts)
        said = speaker_phrase(event, name, label, held)
        if said is None:
            return f"recorded {_one_line(event.type)} on {label}"
        if isinstance(event, ev.SpeakerStopped) and event.item in state.items:
            speaker = state.speaker(event.item, event.data.speaker)
            if speaker is not None:
                said += _spoke(speaker)
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
            if data.number:
                where += f", as {item_label(state, item)}"
            return f"moved {before.label} {where}"
        if op == "delete":
            return f"took {before.title} off the agenda"
        return f"{_one_line(op)} {before.label}".strip()


# The phrase of each event class that most lines describe (see ``Journal._describe``).
_PHRASES: dict[type[Event], Callable[[Journal, Event, _Before, str], str]] = {
    ev.ItemOpened: Journal._take_up,
    ev.ItemResumed: Journal._take_up,
    ev.ItemClosed: Journal._concluded,
    ev.ItemSuspended: Journal._concluded,
    ev.ItemDeferred: Journal._concluded,
    ev.NoteAdded: Journal._note_added,
    ev.SpeakerAdded: Journal._speaker,
    ev.SpeakerStarted: Journal._speaker,
    ev.SpeakerStopped: Journal._speaker,
}


def _quick_take_up(
    journal: Journal,
    event: ev.ItemOpened | ev.ItemResumed,
    state: SessionState,
    item: str,
    changed: AbstractSet[str],
) -> str:
    # ``Journal._took_up``, its words made once per item.
    heads = journal._take_ups.get(item) or journal._take_up_words(item)
    head = heads[take_up_as(state, event, state.touched.get(item))]
    if not changed:
        return head  # nothing else changed
    return head + journal._changes(changed, journal._branches.get(item) or journal._branch(item))


def _quick_conclusion(
    journal: Journal, event: Event, state: SessionState, item: str, changed: AbstractSet[str]
) -> str:
    label = journal._labels.get(item) or journal._label(item)
    if not changed:
        return f"{_CONCLUDED[event.type]} {label}"
    changes = journal._changes(changed, journal._alone.get(item) or journal._own(item))
    return f"{_CONCLUDED[event.type]} {label}{changes}"


def _quick_note(
    journal: Journal, event: ev.NoteAdded, state: SessionState, item: str, changed: AbstractSet[str]
) -> str:
    # ``Journal._note_added``.
    data = event.data
    noun = journal._nouns.get(data.kind) or journal._noun(data.kind)
    label = journal._labels.get(item) or journal._label(item)
    return f"wrote {noun} on {label}: {_folded(data.text)}"


def _quick_speaker_added(
    journal: Journal,
    event: ev.SpeakerAdded,
    state: SessionState,
    item: str,
    changed: AbstractSet[str],
) -> str:
    return _speaker_added(event.data, journal._labels.get(item) or journal._label(item))


def _spoke(speaker: Speaker) -> str:
    """The words after a speech that ended: " (spoke 3:05)", and the limit it went over."""
    return _spoken(speaker.seconds, speaker.limit_seconds)


@functools.lru_cache(maxsize=4096)
def _spoken(seconds: float, limit: float | None) -> str:
    # Kept: a long session's speeches mostly last the same few hundred whole seconds.
    spoke = f"spoke {format_duration(seconds)}"
    if limit is not None and seconds > limit:
        spoke += f", over the {format_duration(limit)} limit"
    return f" ({spoke})"


def _quick_stop(
    journal: Journal,
    event: ev.SpeakerStopped,
    state: SessionState,
    item: str,
    changed: AbstractSet[str],
) -> str:
    # ``Journal._speech`` with the speaker looked up once, for the name and the time spoken.
    speaker = state.speaker(item, event.data.speaker)
    label = journal._labels.get(item) or journal._label(item)
    if speaker is None:
        return speech_ended("a speaker", label)
    return speech_ended(_one_line(speaker.name) or "a speaker", label) + _spoke(speaker)


def _quick_speech(
    journal: Journal,
    event: ev.SpeakerStarted,
    state: SessionState,
    item: str,
    changed: AbstractSet[str],
) -> str:
    # ``Journal._speech``, the speaker as named before the event: the same one after it
    # (neither a start nor a stop adds, removes or renames a speaker).
    data = event.data
    speaker = state.speaker(item, data.speaker)
    name = (_one_line(speaker.name) if speaker is not None else None) or "a speaker"
    label = journal._labels.get(item) or journal._label(item)
    if data.interrupts:
        held = journal._speaker_name(state, item, data.interrupts)
        return floor_given(data, name, label, held)
    return floor_given(data, name, label)


# (Each takes the journal, the event, the state, its item and the items it changed.)
_Quick = tuple[str | None, Callable[..., str]]
# What ``Journal._quick_line`` needs of each event class it words: its kind and its phrase.
_QUICK: dict[type[Event], _Quick] = {
    cls: (_kind_of_type(ev_type), phrase)
    for cls, ev_type, phrase in (
        (ev.ItemOpened, ev.ITEM_OPEN, _quick_take_up),
        (ev.ItemResumed, ev.ITEM_RESUME, _quick_take_up),
        (ev.ItemClosed, ev.ITEM_CLOSE, _quick_conclusion),
        (ev.ItemSuspended, ev.ITEM_SUSPEND, _quick_conclusion),
        (ev.ItemDeferred, ev.ITEM_DEFER, _quick_conclusion),
        (ev.NoteAdded, ev.NOTE_ADD, _quick_note),
        (ev.SpeakerAdded, ev.SPEAKER_ADD, _quick_speaker_added),
        (ev.SpeakerStarted, ev.SPEAKER_START, _quick_speech),
        (ev.SpeakerStopped, ev.SPEAKER_STOP, _quick_stop),
    )
}


# ``speech_kind``, kept: every speaker added asks (an enum's lookup by value is slow).
_speech_kind = functools.lru_cache(maxsize=64)(speech_kind)


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


def _forget(state: SessionState, event: Event) -> None:
    """``remember`` for a journal that keeps no undo memory (``Journal.of_lines_only``)."""


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
    speech = _speech_kind(data.kind)
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
