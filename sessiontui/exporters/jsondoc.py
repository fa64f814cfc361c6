"""The data as JSON: the derived state and the events, described by a shipped JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import msgspec

from sessiontui.core.events import Event, Header
from sessiontui.core.report import iso
from sessiontui.core.session import SessionState
from sessiontui.exporters.model import clean, log_digest, one_line

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
    kind: str
    status: Literal["queued", "speaking", "done"]
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


def clean_data(value: Any) -> Any:
    """Event data with every string cleaned (keys too), structure kept."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value


def _instant(value: Any) -> str:
    return iso(value) or ""


def build_document(
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    item_ids: Sequence[str],
    *,
    excerpt: Sequence[str] | None,
    notes: bool,
    speakers: bool,
    shown: Sequence[Event],
    sha256: str | None = None,
) -> ExportDocument:
    """The export document: ``events`` is the whole log (for provenance), ``shown`` those listed."""
    meeting = state.agenda.meeting
    items: list[ItemOut] = []
    for item_id in item_ids:
        node = state.agenda.nodes[item_id]
        item = state.items[item_id]
        planned = state.agenda.planned_seconds_of(item_id)
        used = round(state.used_seconds(item_id), 3)
        items.append(
            ItemOut(
                id=clean(node.id),
                label=one_line(node.label),
                title=one_line(node.title),
                depth=node.depth,
                parent=node.parent,
                kind=node.kind,
                annotation=clean(node.annotation) if node.annotation else None,
                documents=[one_line(d) for d in node.documents],
                status=item.status,
                planned_seconds=planned,
                used_seconds=used,
                difference_seconds=None if planned is None else round(used - planned, 3),
                first_opened=iso(item.first_opened),
                last_closed=iso(item.last_closed),
                reopened=item.reopened,
                sittings=list(item.sittings),
                speakers=[
                    SpeakerOut(
                        id=s.id,
                        name=one_line(s.name),
                        delegation=one_line(s.delegation) if s.delegation else None,
                        kind=s.kind,
                        status=s.status,
                        started=iso(s.started),
                        seconds=round(s.seconds, 3),
                        limit_seconds=s.limit_seconds,
                    )
                    for s in item.speakers
                ]
                if speakers
                else [],
                notes=[
                    NoteOut(
                        id=n.id,
                        kind=n.kind,
                        text=clean(n.text),
                        author=one_line(n.author),
                        at=_instant(n.at),
                        deleted=n.deleted,
                        history=[
                            NoteVersionOut(
                                text=clean(v.text),
                                kind=v.kind,
                                author=one_line(v.author),
                                at=_instant(v.at),
                            )
                            for v in n.history
                        ],
                    )
                    for n in state.notes_of(item_id, include_deleted=True)
                    if notes or n.kind != "note"
                ],
            )
        )
    chosen = set(item_ids)
    digest, exact = log_digest(header, events)
    last = max(events, key=lambda e: e.seq) if events else None
    return ExportDocument(
        format="sessiontui-export",
        version=1,
        meeting=Meeting(
            title=one_line(meeting.title),
            subtitle=one_line(meeting.subtitle) or None,
            body=one_line(meeting.body) or None,
            symbol=one_line(meeting.symbol) or None,
            venue=one_line(meeting.venue) or None,
            dates=[d.isoformat() for d in meeting.dates],
            timezone=meeting.timezone,
        ),
        provenance=Provenance(
            session=one_line(header.session),
            last_seq=last.seq if last else 0,
            log_sha256=sha256 or digest,
            exported=iso(last.recorded) if last else None,
            records_reproduced=exact or sha256 is not None,
            excerpt=list(excerpt) if excerpt is not None else None,
        ),
        sitting_seconds=round(state.sitting_seconds(), 3),
        on_floor=state.floor,
        sittings=[
            SittingOut(
                number=s.number,
                label=one_line(s.label),
                status=s.status,
                implicit=s.implicit,
                opened=_instant(s.opened),
                closed=iso(s.closed),
                running_seconds=round(s.running_seconds, 3),
                suspensions=[Suspension(start=_instant(a), end=iso(b)) for a, b in s.suspensions],
            )
            for s in state.sittings
        ],
        items=items,
        floor_log=[
            Span(item=f.item, start=_instant(f.start), end=_instant(f.end), sitting=f.sitting)
            for f in state.floor_log
            if f.item in chosen
        ],
        events=[
            EventOut(
                seq=e.seq,
                id=e.id,
                at=_instant(e.at),
                recorded=_instant(e.recorded),
                actor=one_line(e.actor),
                role=e.role,
                type=e.type,
                item=e.item,
                batch=e.batch,
                data=clean_data(e.data),
            )
            for e in shown
        ],
    )


def render_json(document: ExportDocument) -> bytes:
    """The document as indented UTF-8 JSON with a final newline."""
    raw = msgspec.json.encode(document)
    return msgspec.json.format(raw, indent=2) + b"\n"
