"""The data as JSON: the derived state and the events, described by a shipped JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from operator import attrgetter, is_, itemgetter
from typing import Annotated, Any, Literal, cast

import msgspec

from sessiontui.core.events import Event, EventText, Header
from sessiontui.core.state import Note, SessionState, Speaker
from sessiontui.core.vocabulary import NoteKind
from sessiontui.exporters.model import clean, log_digest

EXPORT_FORMAT = "sessiontui-export"
EXPORT_VERSION = 1
SCHEMA_ID = "https://sessiontui.invalid/schema/export.schema.json"

_Instant = Annotated[str, msgspec.Meta(description="An instant, ISO 8601 in UTC (Z).")]
_Seconds = Annotated[float, msgspec.Meta(ge=0)]


class Meeting(msgspec.Struct, kw_only=True):
    """What the agenda says about the meeting."""

    title: str
    subtitle: str | None
    body: str | None
    symbol: str | None
    venue: str | None
    dates: list[Annotated[str, msgspec.Meta(description="A day, YYYY-MM-DD.")]]
    timezone: str | None


class Provenance(msgspec.Struct, kw_only=True):
    """Enough to check the export against its log."""

    session: str
    last_seq: Annotated[int, msgspec.Meta(ge=0)]
    log_sha256: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    exported: _Instant | None
    records_reproduced: bool
    excerpt: list[str] | None


class SpeakerOut(msgspec.Struct, kw_only=True):
    """One entry of an item's list of speakers."""

    id: str
    name: str
    delegation: str | None
    on_behalf_of: str | None = None
    person: str | None = None
    kind: str
    status: Literal["queued", "speaking", "interrupted", "done"]
    started: _Instant | None
    seconds: _Seconds
    limit_seconds: float | None


class NoteVersionOut(msgspec.Struct, kw_only=True):
    """What a note said at one time."""

    text: str
    kind: str
    author: str
    at: _Instant


class NoteOut(msgspec.Struct, kw_only=True):
    """A note, decision or action point, with its history."""

    id: str
    kind: str
    text: str
    author: str
    at: _Instant
    deleted: bool
    history: list[NoteVersionOut]


class Span(msgspec.Struct, kw_only=True):
    """An item on the floor during a sitting."""

    item: str
    start: _Instant
    end: _Instant
    sitting: int


class ItemOut(msgspec.Struct, kw_only=True):
    """One agenda item and what happened to it."""

    id: str
    label: str
    title: str
    depth: Annotated[int, msgspec.Meta(ge=0)]
    parent: str | None
    kind: Literal["item", "break"]
    annotation: str | None
    documents: list[str]
    status: Literal["pending", "open", "suspended", "closed", "deferred"]
    planned_seconds: float | None
    used_seconds: _Seconds
    difference_seconds: float | None
    first_opened: _Instant | None
    last_closed: _Instant | None
    reopened: int
    sittings: list[int]
    speakers: list[SpeakerOut]
    notes: list[NoteOut]


class Suspension(msgspec.Struct, kw_only=True):
    """A break in a sitting (``end`` is null while it lasts)."""

    start: _Instant
    end: _Instant | None


class SittingOut(msgspec.Struct, kw_only=True):
    """A sitting (a "meeting" in UN terms)."""

    number: int
    label: str
    status: Literal["open", "suspended", "closed"]
    implicit: bool
    opened: _Instant
    closed: _Instant | None
    running_seconds: _Seconds
    suspensions: list[Suspension]


class EventOut(msgspec.Struct, kw_only=True):
    """One event of the log, as recorded (text cleaned of control characters)."""

    seq: Annotated[int, msgspec.Meta(ge=1)]
    id: str
    at: _Instant
    recorded: _Instant
    actor: str
    role: str | None
    type: str
    item: str | None
    batch: str | None
    data: dict[str, Any]


class ExportDocument(msgspec.Struct, kw_only=True):
    """A session exported as data: the derived state and the events it was derived from."""

    format: Literal["sessiontui-export"]
    version: Literal[1]
    meeting: Meeting
    provenance: Provenance
    sitting_seconds: _Seconds
    on_floor: str | None
    sittings: list[SittingOut]
    items: list[ItemOut]
    floor_log: list[Span]
    events: list[EventOut]


def export_schema() -> dict[str, Any]:
    """The JSON Schema of the export document (shipped as ``schema/export.schema.json``)."""
    schema = msgspec.json.schema(ExportDocument)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sessiontui export",
        **schema,
    }


def schema_text() -> str:
    """The schema file's exact content."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_encoder = msgspec.json.Encoder()
# What ``str.isprintable`` accepts of ASCII: a translation deleting these leaves nothing.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
# Events built and encoded per call: enough to share out the calls' own costs, few enough that the
# output objects never pile up (a long session has hundreds of thousands of events).
_EVENTS_PER_CHUNK = 4096
# Between two events of the list: each is a compact line of its own, indented as the list's items.
_EVENT_SEPARATOR = b",\n    "


def _clean(text: str | None) -> str:
    """``clean``, without its two regex passes over text that has nothing to remove.

    Everything ``clean`` removes is, or starts with, an unprintable character (C0/C1 controls, ESC,
    bidi controls), so printable text comes back as it is: nearly all text is.
    """
    return text if text is not None and text.isprintable() else clean(text)


def _cleaned_all(texts: list[str]) -> list[str]:
    """``_clean`` of each: the texts as they are when all are printable (nearly always), which is
    checked at once rather than a call each."""
    return texts if _printable_text("".join(texts)) else [_clean(text) for text in texts]


def _printable_text(text: str) -> bool:
    """``str.isprintable``, several times faster for ASCII (nearly all text)."""
    if text.isascii():  # known without a look at the characters
        return not text.encode().translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def _one_line(text: str | None) -> str:
    """``one_line`` on top of ``_clean``."""
    return " ".join(_clean(text).split())


class _OneLines(dict[str, str]):
    """``_one_line`` of each text, worked out once: a few people sign all the events and notes."""

    def __missing__(self, text: str) -> str:
        line = self[text] = _one_line(text)
        return line


def _printable_json(value: Any) -> bool:
    """Whether every string in ``value``, keys included, is printable: one encoding in C.

    msgspec's compact JSON has only printable ASCII outside its strings; inside them it escapes the
    C0 controls and writes every other character as itself. So JSON with no backslash and nothing
    unprintable holds only printable strings (a quote or a newline merely sends data the long way).
    """
    return _printable(_encoder.encode(value))


def _printable(json_text: bytes) -> bool:
    """Whether compact JSON from msgspec holds only printable strings (see ``_printable_json``)."""
    if b"\\" in json_text:
        return False
    if json_text.isascii():
        # The same answer as ``str.isprintable`` for ASCII, a few times faster: a whole chunk's
        # event data are checked at once (see ``_as_written``).
        return not json_text.translate(None, _PRINTABLE_ASCII)
    return json_text.decode().isprintable()


def clean_data(value: Any) -> Any:
    """Event data with every string cleaned (keys too), structure kept."""
    if not value or _printable_json(value):
        return value  # nearly every event's: walking the data costs several times more
    return _cleaned(value)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is dt.UTC else moment.astimezone(dt.UTC)


def _instant(moment: dt.datetime) -> str:
    """``core.report.iso``, written by msgspec.

    msgspec writes a UTC datetime as ``iso`` does (``isoformat``, with ``Z`` for ``+00:00``) at a
    small fraction of the cost: a long session's export writes over half a million instants.
    """
    text: str = msgspec.to_builtins(_utc(moment))
    return text


def _instants(moments: Sequence[dt.datetime]) -> list[str]:
    """``_instant`` of each, in one call: a call per instant costs much more."""
    utc = _all_utc(moments)
    texts: list[str] = msgspec.to_builtins(moments if utc else list(map(_utc, moments)))
    return texts


def _isos(moments: Sequence[dt.datetime | None]) -> list[str | None]:
    """``_iso`` of each, in one call (see ``_instants``)."""
    if _all_utc(moments):
        texts: list[str | None] = msgspec.to_builtins(moments)
        return texts
    return [_iso(moment) for moment in moments]


def _all_utc(moments: Sequence[dt.datetime | None]) -> bool:
    """Whether each moment is in UTC (or missing), checked in C.

    Nearly always so (the log's and the state's are): they are then written as they are, without
    a Python call each. (msgspec's own offsets are no help: it writes one of a few seconds as "Z".)
    """
    zones = map(getattr, moments, repeat("tzinfo"), repeat(dt.UTC))
    return all(map(is_, zones, repeat(dt.UTC)))


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else _instant(moment)


def _instant_text(written: str) -> str:
    """An instant as a log line spells it, as the export writes it (UTC, with ``Z``)."""
    # The store writes UTC instants as msgspec does, which is the export's own form.
    if written.endswith("Z"):
        return written
    return _instant(dt.datetime.fromisoformat(written))


def _data_of(raw: msgspec.Raw) -> dict[str, Any]:
    """Raw event data as the export lists it: as written when it holds only printable text
    (see ``_printable_json``), else decoded and cleaned."""
    if len(raw) <= 2:  # ``{}``: most events carry no data
        return cast(dict[str, Any], raw)
    text = bytes(raw)
    if _printable(text):
        # The encoder writes Raw as it is, whatever the field's declared type.
        return cast(dict[str, Any], raw)
    data: dict[str, Any] = _cleaned(msgspec.json.decode(text))
    return data


_at, _recorded, _actor, _data = (attrgetter(name) for name in ("at", "recorded", "actor", "data"))
_last_character = itemgetter(slice(-1, None))


def _as_written(texts: list[EventText], actors: _OneLines) -> list[EventText] | None:
    """The events as they are, when that is how the export lists each: None when one needs more.

    That is when every instant is written in UTC (``Z``), every actor is already one clean line
    and all the data is printable (see ``_data_of``): nearly always, and checked a chunk at a time
    in C. An ``EventText`` has ``EventOut``'s fields in its order, so it is then encoded as it is,
    without an ``EventOut`` built in Python for each (that cost more than reading the log).
    """
    # The last character of every instant, gathered in C: "Z" alone when all are written in UTC.
    if set(map(_last_character, chain(map(_at, texts), map(_recorded, texts)))) != {"Z"}:
        return None
    if any(actors[actor] != actor for actor in set(map(_actor, texts))):
        return None
    # Printable together only if each is: the bytes of valid JSON values, joined.
    if not _printable(b"".join(map(_data, texts))):
        return None
    return texts


def _text_events(texts: list[EventText], actors: _OneLines) -> list[EventOut]:
    """The events as the export lists them, one at a time (text cleaned, instants in UTC)."""
    return [
        EventOut(
            seq=e.seq,
            id=e.id,
            at=_instant_text(e.at),
            recorded=_instant_text(e.recorded),
            actor=actors[e.actor],
            role=e.role,
            type=e.type,
            item=e.item,
            batch=e.batch,
            data=_data_of(e.data),
        )
        for e in texts
    ]


def _record_events(records: list[Event], actors: _OneLines) -> list[EventOut]:
    """Decoded events as the export lists them (text cleaned, instants in UTC)."""
    ats = _instants([e.at for e in records])
    recorded = _instants([e.recorded for e in records])
    return [
        EventOut(
            seq=e.seq,
            id=e.id,
            at=at,
            recorded=rec,
            actor=actors[e.actor],
            role=e.role,
            type=e.type,
            item=e.item,
            batch=e.batch,
            data=clean_data(msgspec.to_builtins(e.data)),
        )
        for e, at, rec in zip(records, ats, recorded, strict=True)
    ]


def _event_lines(
    events: Iterable[Event] | Iterable[EventText],
    keep: Callable[[Event | EventText], bool] | None,
) -> Iterator[bytes | memoryview]:
    """The listed events a chunk at a time, each event one compact line, separators included."""
    actors = _OneLines()
    source: Iterator[Event | EventText] = iter(events)
    separator = b"[\n    "
    while chunk := list(islice(source, _EVENTS_PER_CHUNK)):
        if keep is not None:
            chunk = list(filter(keep, chunk))
        if not chunk:
            continue
        listed: Sequence[msgspec.Struct]
        if isinstance(chunk[0], EventText):
            texts = cast(list[EventText], chunk)
            listed = _as_written(texts, actors) or _text_events(texts, actors)
        else:
            listed = _record_events(cast(list[Event], chunk), actors)
        # One line per event from msgspec, its newline turned into the separator. Compact JSON
        # from msgspec holds no other newline: strings escape theirs, and raw data is copied
        # only when printable (``_as_written``, ``_data_of``), which a newline is not.
        lines = _encoder.encode_lines(listed).replace(b"\n", _EVENT_SEPARATOR)
        yield separator
        yield memoryview(lines)[: -len(_EVENT_SEPARATOR)]
        separator = _EVENT_SEPARATOR
    yield b"[]\n}\n" if separator == b"[\n    " else b"\n  ]\n}\n"


def _speakers_out(
    state: SessionState, item_id: str, speakers: list[Speaker], lines: _OneLines
) -> list[SpeakerOut]:
    """An item's speakers as the export lists them (their instants written in one call); the
    one speaking counts up to the last event recorded."""
    return [
        SpeakerOut(
            id=s.id,
            name=lines[s.name],
            delegation=lines[s.delegation] if s.delegation else None,
            on_behalf_of=lines[s.on_behalf_of] if s.on_behalf_of else None,
            person=lines[s.person] if s.person else None,
            kind=s.kind,
            status=s.status,
            started=started,
            seconds=round(state.speaker_seconds(item_id, s, state.last_at), 3),
            limit_seconds=s.limit_seconds,
        )
        for s, started in zip(speakers, _isos([s.started for s in speakers]), strict=True)
    ]


def _notes_out(notes: list[Note], lines: _OneLines) -> list[NoteOut]:
    """An item's notes as the export lists them, with their histories: the texts and instants of
    all of them cleaned and written a batch at a time, not a call each."""
    versions = [v for n in notes for v in n.history]
    # Taken in the order the histories are listed below, note by note.
    version_texts = iter(_cleaned_all([v.text for v in versions]))
    version_ats = iter(_instants([v.at for v in versions]))
    texts, ats = _cleaned_all([n.text for n in notes]), _instants([n.at for n in notes])
    return [
        NoteOut(
            id=n.id,
            kind=n.kind,
            text=text,
            author=lines[n.author],
            at=at,
            deleted=n.deleted,
            history=[
                NoteVersionOut(
                    text=next(version_texts),
                    kind=v.kind,
                    author=lines[v.author],
                    at=next(version_ats),
                )
                for v in n.history
            ],
        )
        for n, text, at in zip(notes, texts, ats, strict=True)
    ]


def build_document(
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    item_ids: Sequence[str],
    *,
    excerpt: Sequence[str] | None,
    notes: bool,
    speakers: bool,
    sha256: str | None = None,
) -> ExportDocument:
    """The export document, its events left for ``render_json``: ``events`` is the whole log.

    ``sha256`` is the digest of the log's bytes when the caller has it; only without it is the
    digest rebuilt from the records (the whole log sealed again).
    """
    meeting = state.agenda.meeting
    lines = _OneLines()
    items: list[ItemOut] = []
    for item_id in item_ids:
        node = state.agenda.nodes[item_id]
        item = state.items[item_id]
        planned = state.agenda.planned_seconds_of(item_id)
        used = round(state.used_seconds(item_id, state.last_at), 3)
        items.append(
            ItemOut(
                id=_clean(node.id),
                label=_one_line(node.label),
                title=_one_line(node.title),
                depth=node.depth,
                parent=node.parent,
                kind=node.kind,
                annotation=_clean(node.annotation) if node.annotation else None,
                documents=[_one_line(d) for d in node.documents],
                status=item.status,
                planned_seconds=planned,
                used_seconds=used,
                difference_seconds=None if planned is None else round(used - planned, 3),
                first_opened=_iso(item.first_opened),
                last_closed=_iso(item.last_closed),
                reopened=item.reopened,
                sittings=list(item.sittings),
                speakers=_speakers_out(state, item_id, item.speakers, lines) if speakers else [],
                notes=_notes_out(
                    [
                        n
                        for n in state.notes_of(item_id, include_deleted=True)
                        if notes or n.kind != NoteKind.NOTE
                    ],
                    lines,
                ),
            )
        )
    chosen = set(item_ids)
    spans = [f for f in state.floor_log_until(state.last_at) if f.item in chosen]
    starts, ends = _instants([f.start for f in spans]), _instants([f.end for f in spans])
    # The caller's digest is of the verified log's bytes: rebuilding it would seal every record.
    digest, exact = (sha256, True) if sha256 else log_digest(header, events)
    last = max(events, key=attrgetter("seq")) if events else None
    return ExportDocument(
        format="sessiontui-export",
        version=1,
        meeting=Meeting(
            title=_one_line(meeting.title),
            subtitle=_one_line(meeting.subtitle) or None,
            body=_one_line(meeting.body) or None,
            symbol=_one_line(meeting.symbol) or None,
            venue=_one_line(meeting.venue) or None,
            dates=[d.isoformat() for d in meeting.dates],
            timezone=meeting.timezone,
        ),
        provenance=Provenance(
            session=_one_line(header.session),
            last_seq=last.seq if last else 0,
            log_sha256=digest,
            exported=_instant(last.recorded) if last else None,
            records_reproduced=exact or sha256 is not None,
            excerpt=list(excerpt) if excerpt is not None else None,
        ),
        sitting_seconds=round(state.sitting_seconds(state.last_at), 3),
        on_floor=state.floor,
        sittings=[
            SittingOut(
                number=s.number,
                label=_one_line(s.label),
                status=s.status,
                implicit=s.implicit,
                opened=_instant(s.opened),
                closed=_iso(s.closed),
                running_seconds=round(s.seconds(state.last_at), 3),
                suspensions=[
                    Suspension(start=_iso(a) or "", end=_iso(b)) for a, b in s.suspensions
                ],
            )
            for s in state.sittings
        ],
        items=items,
        floor_log=[
            Span(item=f.item, start=start, end=end, sitting=f.sitting)
            for f, start, end in zip(spans, starts, ends, strict=True)
        ],
        events=[],
    )


def render_json(
    document: ExportDocument,
    shown: Iterable[Event] | Iterable[EventText],
    keep: Callable[[Event | EventText], bool] | None = None,
) -> Iterator[bytes | memoryview]:
    """The document as UTF-8 JSON with a final newline, in chunks: ``shown`` (those ``keep``
    keeps) appended to its events.

    Indented, except that each event is one compact line: a long session has hundreds of
    thousands, which read (and diff, and grep) best one per line, at half the size. They are
    built and encoded a chunk at a time, as ``shown`` yields them, and each chunk is handed on
    to be written: never all at once, as objects or as bytes.
    """
    if document.events:
        raise ValueError("the export document's events are appended here, not given in it")
    encoded = _encoder.encode(document)
    # A long session's items and floor log are tens of MB of objects, of no use once encoded:
    # when the caller keeps no reference (``_render`` does not), they go before the indented
    # copy is made, which is when memory peaks.
    del document
    pretty = msgspec.json.format(encoded, indent=2)
    del encoded
    # ``events`` is the document's last field, written as an empty list: "[]\n}".
    empty = b"[]\n}"
    if not pretty.endswith(empty):
        raise ValueError("the export document must end with its (empty) list of events")
    return chain((memoryview(pretty)[: -len(empty)],), _event_lines(shown, keep))
