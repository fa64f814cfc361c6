"""Derived figures: time per item, per sitting and per speaker, and the ``report --json`` summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from sessiontui.core.clock import format_duration, session_zone, session_zone_name
from sessiontui.core.state import SessionState, Sitting
from sessiontui.core.text import safe_display
from sessiontui.core.vocabulary import NoteKind, SpeechKind
from sessiontui.core.wallclock import in_zone


def iso(moment: dt.datetime | None) -> str | None:
    """An instant as ISO 8601 UTC with a ``Z`` (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def live_now(state: SessionState, now: dt.datetime | None) -> dt.datetime | None:
    """``now`` when a clock is running (so live time counts), else None (the record alone)."""
    return now if state.running else None


def build_report(state: SessionState, now: dt.datetime | None = None) -> dict[str, Any]:
    """The machine-readable summary documented in docs/exports.md (``report --json``)."""
    now = live_now(state, now)
    meeting = state.agenda.meeting
    return {
        "meeting": {
            "title": meeting.title,
            "body": meeting.body,
            "symbol": meeting.symbol,
            "dates": [d.isoformat() for d in meeting.dates],
            "timezone": meeting.timezone,
        },
        "session": state.header.session,
        "last_seq": state.last_seq,
        "as_of": iso(now or state.last_at),
        "sitting_seconds": round(state.sitting_seconds(now), 3),
        "planned_seconds": state.agenda.planned_total_seconds() or None,
        "remaining_planned_seconds": _remaining(state, now),
        "on_floor": state.floor,
        "sittings": [_sitting_entry(s, now) for s in state.sittings],
        "items": [_item_entry(state, node.id, now) for node in state.agenda],
        "participants": _participant_entries(state),
        "quorum": meeting.quorum,
    }


def _item_entry(state: SessionState, item_id: str, now: dt.datetime | None) -> dict[str, Any]:
    node = state.agenda.nodes[item_id]
    item = state.items[item_id]
    kinds = state.note_kinds_of(item_id)
    planned = state.agenda.planned_seconds_of(item_id)
    used = state.used_seconds(item_id, now)
    return {
        "id": node.id,
        "label": node.label,
        "title": node.title,
        "depth": node.depth,
        "status": item.status,
        "planned_seconds": planned,
        "used_seconds": round(used, 3),
        # null where nothing was planned: no plan, no overrun (0.0 would claim "on time")
        "overrun_seconds": None if planned is None else round(max(0.0, used - planned), 3),
        "first_opened": iso(item.first_opened),
        "last_closed": iso(item.last_closed),
        "reopened": item.reopened,
        "sittings": list(item.sittings),
        "notes": kinds.count(NoteKind.NOTE),
        "decisions": kinds.count(NoteKind.DECISION),
        "actions": kinds.count(NoteKind.ACTION),
        "speakers": [
            {
                "name": s.name,
                "delegation": s.delegation,
                "on_behalf_of": s.on_behalf_of,
                "person": s.person,
                "kind": s.kind,
                "status": s.status,
                "seconds": round(state.speaker_seconds(item_id, s, now), 3),
                "limit_seconds": s.limit_seconds,
            }
            for s in item.speakers
        ],
    }


def _sitting_entry(s: Sitting, now: dt.datetime | None) -> dict[str, Any]:
    return {
        "number": s.number,
        "label": s.label,
        "status": s.status,
        "opened": iso(s.opened),
        "closed": iso(s.closed),
        "implicit": s.implicit,
        "running_seconds": round(s.seconds(now), 3),
        "suspensions": [[iso(a), iso(b)] for a, b in s.suspensions],
    }


def _participant_entries(state: SessionState) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "kind": p.kind,
            "groups": list(p.groups),
            "persons": list(p.persons),
            # The sittings at whose roll call it was marked present, and absent.
            "present": sorted(n for n, roll in state.attendance.items() if roll.get(key)),
            "absent": sorted(n for n, roll in state.attendance.items() if roll.get(key) is False),
        }
        for key, p in state.participants.items()
    ]


def _remaining(state: SessionState, now: dt.datetime | None) -> float | None:
    """Planned time still to come; null when the agenda plans no time at all."""
    if not state.agenda.planned_total_seconds():
        return None
    return round(state.remaining_planned_seconds(now), 3)


def _zone(state: SessionState) -> dt.tzinfo:
    """The meeting's time zone (UTC when it names none or an unknown one)."""
    return session_zone(state.header.timezone, state.header.agenda) or dt.UTC


def _local(zone: dt.tzinfo, moment: dt.datetime | None) -> str:
    """``"2020-11-19 10:05"`` in ``zone`` (empty for no instant)."""
    if moment is None:
        return ""
    # Each field on its own, as ``%Y-%m-%d %H:%M`` writes them (the year unpadded, as the C
    # library writes it): a long session has tens of thousands of sittings, each with its
    # opening, closing and suspensions, and ``strftime`` is the slower way to the same text.
    shown = in_zone(moment, zone)
    return f"{shown.year}-{shown.month:02d}-{shown.day:02d} {shown.hour:02d}:{shown.minute:02d}"


def _suspensions(zone: dt.tzinfo, spans: list[list[dt.datetime | None]]) -> str:
    """``"suspended 11:15–11:35, 12:40–"`` in the meeting's time, ``"no suspension"``."""
    times = [
        "–".join(_local(zone, moment)[11:] if moment else "" for moment in span[:2])
        for span in spans
        if span and span[0] is not None
    ]
    return f"suspended {', '.join(times)}" if times else "no suspension"


def _speaker_lines(
    state: SessionState,
    item_id: str,
    now: dt.datetime | None,
    prefix: str,
    duration: Callable[[float], str],
) -> list[str]:
    """One line per speaker of an item: who (for whom), the kind when not a statement, the
    time spoken; each after ``prefix``.

    A long session has hundreds of thousands of speakers: this runs once per speaker, so it
    reads each speaker's fields directly (``Speaker.who`` and ``speaker_seconds`` give the
    same for a speaker without a group and a report of a finished session, the usual cases).
    """
    statement = SpeechKind.STATEMENT
    lines = []
    for speaker in state.items[item_id].speakers:
        who = speaker.who() if speaker.on_behalf_of else speaker.delegation or speaker.name
        kind = "" if speaker.kind == statement else f", {speaker.kind.replace('_', ' ')}"
        status = "" if speaker.status == "done" else f", {speaker.status}"
        seconds = speaker.seconds if now is None else state.speaker_seconds(item_id, speaker, now)
        lines.append(f"{prefix}{who}{kind}{status}: {duration(seconds)}")
    return lines


LINES_PER_CHUNK = 4096
"""Lines of the readable report written at a time (``report_chunks``)."""


def report_table(state: SessionState, now: dt.datetime | None = None) -> str:
    """The readable report: one line per item with status, used and planned time, its speakers
    under it, then each sitting's opening and closing in meeting-local time."""
    # Titles, labels and names come from the agenda file and the log, anyone's text: no
    # control or bidi character of theirs reaches the terminal (as in the journal).
    return safe_display("\n".join(_report_lines(state, now)))


def report_chunks(state: SessionState, now: dt.datetime | None = None) -> Iterator[str]:
    """``report_table`` and a newline, a few thousand lines at a time: a long session's report
    is hundreds of thousands of lines, which as one text, cleaned, then encoded, were three
    copies of it in memory at once. (No escape sequence ``safe_display`` removes spans a
    newline, so cleaning the parts cleans the whole.)"""
    lines = _report_lines(state, now)
    while part := list(islice(lines, LINES_PER_CHUNK)):
        part.append("")
        yield safe_display("\n".join(part))


def _report_lines(state: SessionState, now: dt.datetime | None) -> Iterator[str]:
    """The lines of ``report_table``, as they are made (not yet cleaned)."""
    now = live_now(state, now)
    # Most durations repeat (a speech of 2:05, a sitting of 3:00:00): each figure is written
    # once, then looked up; equal figures are written alike.
    durations: dict[float, str] = {}

    def duration(seconds: float) -> str:
        text = durations.get(seconds)
        if text is None:
            text = durations[seconds] = format_duration(seconds)
        return text

    yield state.agenda.meeting.title
    yield ""
    # Each label as shown (what ``safe_display`` leaves: a bidi override in a label takes no
    # room) sizes the column, never narrower than its heading.
    labels = {node.id: "  " * node.depth + safe_display(node.label) for node in state.agenda}
    width = max((len(label) for label in labels.values()), default=0)
    width = max(width, len("item"))
    # The figures of a column all read in hours (``0:20:00``, never ``20:00`` beside
    # ``7:18:01``), and each column is as wide as its widest figure, so they line up.
    rows = []
    for node in state.agenda:
        used = state.used_seconds(node.id, now)
        planned = state.agenda.planned_seconds_of(node.id)
        over = used - planned if planned is not None and used > planned else None
        rows.append(
            (
                node,
                format_duration(used, hours=True),
                format_duration(planned, hours=True),
                format_duration(over, signed=True, hours=True) if over else "",
            )
        )
    used_w = max((len(row[1]) for row in rows), default=0)
    planned_w = max((len(row[2]) for row in rows), default=0)
    over_w = max((len(row[3]) for row in rows), default=0)
    used_w, planned_w, over_w = max(used_w, 8), max(planned_w, 8), max(over_w, 8)
    yield (
        f"{'item':<{width}}  {'status':<9}  {'used':>{used_w}}  {'planned':>{planned_w}}  "
        f"{'over':>{over_w}}  title"
    )
    for node, used_text, planned_text, over_text in rows:
        mark = "*" if node.id == state.floor else " "
        label = labels[node.id]
        yield (
            f"{label:<{width}}  {state.items[node.id].status:<9}  {used_text:>{used_w}}  "
            f"{planned_text:>{planned_w}}  {over_text:>{over_w}} {mark}{node.title}"
        )
        yield from _speaker_lines(state, node.id, now, f"{' ' * (width + 2)}speaker: ", duration)
    yield ""
    # A sitting's length in hours too: "ran 25:00" right after "suspended 10:10–10:20" read as
    # a time of day.
    zone = _zone(state)
    zone_name = session_zone_name(state.header.timezone, state.header.agenda) or "UTC"
    for s in state.sittings:
        closed = f", closed {_local(zone, s.closed)}" if s.closed else ""
        yield (
            f"{s.label}: {s.status}, opened {_local(zone, s.opened)}{closed} ({zone_name}), "
            f"{_suspensions(zone, s.suspensions)}, ran {format_duration(s.seconds(now), hours=True)}"
        )
    yield f"sittings total: {format_duration(state.sitting_seconds(now), hours=True)}"
    if state.floor:
        yield f"on the floor: {state.display(state.floor)}"
