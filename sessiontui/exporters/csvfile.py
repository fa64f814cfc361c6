"""The data as CSV: one row per item, or one row per event; safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import msgspec

from sessiontui.core.events import Event
from sessiontui.core.report import iso
from sessiontui.core.state import Note, SessionState, speaker_who
from sessiontui.core.vocabulary import NoteKind
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.model import Roles, Who, clean, one_line, speech_runs
from sessiontui.exporters.templating import items_speaker_sentences

BOM = "\ufeff"
# A spreadsheet takes a cell starting with one of these for a formula (or strips it, for tab and
# CR); a leading apostrophe makes it plain text and does not show.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ITEM_COLUMNS = (
    "label",
    "title",
    "depth",
    "status",
    "planned_seconds",
    "used_seconds",
    "own_seconds",
    "first_opened",
    "last_closed",
    "speakers",
    "notes",
    "decisions",
    "actions",
)
EVENT_COLUMNS = ("seq", "at", "recorded", "actor", "role", "type", "item", "details")


def neutralise(cell: str) -> str:
    """Make a cell inert for spreadsheets (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def _write(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _texts(notes: Sequence[Note], kind: str) -> str:
    return "\n\n".join(clean(n.text).strip() for n in notes if n.kind == kind)


def render_items_csv(
    state: SessionState,
    item_ids: Sequence[str],
    clock: Clock,
    *,
    notes: bool,
    speakers: bool,
    lang: str = "en",
) -> bytes:
    """One row per item, in agenda order; the speakers in the report's words in ``lang``."""
    roles = Roles.of(state)
    rows: list[list[str]] = [list(ITEM_COLUMNS)]
    # Every item's speakers worded in one render of the phrases (see items_speaker_sentences);
    # each delegation named once for all items, as the report does: items hear the same ones.
    named: dict[Any, Who] = {}
    said = (
        items_speaker_sentences(
            [speech_runs(state.items[i].speakers, roles, named) for i in item_ids], lang
        )
        if speakers
        else []
    )
    # An item's used time counts its sub-items'; its own time does not, so that a column of
    # items adds up to the meeting's time (``SessionState.own_seconds``).
    own = state.own_seconds(state.last_at)
    for index, item_id in enumerate(item_ids):
        node = state.agenda.nodes[item_id]
        item = state.items[item_id]
        kept = state.notes_of(item_id)
        rows.append(
            [
                one_line(node.label),
                one_line(node.title),
                str(node.depth),
                item.status,
                _number(state.agenda.planned_seconds_of(item_id)),
                _number(round(state.used_seconds(item_id, state.last_at), 3)),
                _number(round(own.get(item_id, 0.0), 3)),
                clock.iso(item.first_opened),
                clock.iso(item.last_closed),
                " ".join(said[index]) if speakers else "",
                _texts(kept, NoteKind.NOTE) if notes else "",
                _texts(kept, NoteKind.DECISION),
                _texts(kept, NoteKind.ACTION),
            ]
        )
    return _write(rows)


def _details(event: Event) -> str:
    data = msgspec.to_builtins(event.data)
    if "text" in data:
        return clean(str(data["text"]))
    if "name" in data:
        who = one_line(str(data["name"]))
        if data.get("delegation"):
            who += f" ({one_line(str(data['delegation']))})"
        group, person = data.get("on_behalf_of"), data.get("person")
        who = speaker_who(who, one_line(str(group)) if group else None)
        return f"{who}, {one_line(str(person))}" if person else who
    rest = {key: value for key, value in data.items() if key not in ("note", "speaker")}
    if not rest:
        return ""
    return clean(json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str))


def render_events_csv(
    state: SessionState, events: Sequence[Event], clock: Clock, item_ids: Sequence[str] | None
) -> bytes:
    """One row per event, in ``seq`` order (``item_ids`` keeps events of those items only)."""
    wanted = set(item_ids) if item_ids is not None else None
    rows: list[list[str]] = [list(EVENT_COLUMNS)]
    for event in sorted(events, key=lambda e: e.seq):
        if wanted is not None and event.item is not None and event.item not in wanted:
            continue
        label = ""
        if event.item is not None:
            node = state.agenda.nodes.get(event.item)
            label = one_line(node.label if node else event.item)
        rows.append(
            [
                str(event.seq),
                clock.iso(event.at),
                iso(event.recorded) or "",
                one_line(event.actor),
                one_line(event.role),
                one_line(event.type),
                label,
                _details(event),
            ]
        )
    return _write(rows)
