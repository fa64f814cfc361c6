"""The session as iCalendar (RFC 5545): each sitting, and each span an item was on the floor.

Times are the actual ones, from the log, in UTC. Every event has a UID made from the session id
and what it is (a sitting's number, an item's id and the instant its span began), so importing
a later export of the same session updates the calendar instead of doubling it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sessiontui.core.journal import journal_closing
from sessiontui.core.state import SessionState, Sitting
from sessiontui.exporters.base import Job
from sessiontui.exporters.files import ExportError
from sessiontui.exporters.model import clean, considerations_of, log_digest, one_line

PRODID = "-//sessiontui//sessiontui export//EN"
_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this many octets are folded


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): cleaned of controls, ``\\ ; ,`` and newlines escaped."""
    cleaned = "\n".join(" ".join(line.split()) for line in clean(text).splitlines())
    return (
        cleaned.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets, never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= _LINE_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, _LINE_OCTETS
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # back to the start of a UTF-8 character
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, _LINE_OCTETS - 1  # continuation lines begin with a space
    return "\r\n ".join(parts) + "\r\n"


def utc(moment: dt.datetime | float) -> str:
    """A DATE-TIME in UTC (``20201119T090000Z``)."""
    if isinstance(moment, float | int):
        moment = dt.datetime.fromtimestamp(moment, dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid(session: str, *parts: str) -> str:
    return escape("-".join((session, *parts)) + "@sessiontui")


def _sitting(job: Job, sitting: Sitting, end: dt.datetime, stamp: str) -> Iterator[str]:
    meeting = job.state.agenda.meeting
    yield "BEGIN:VEVENT"
    yield f"UID:{_uid(job.header.session, 'sitting', str(sitting.number))}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART:{utc(sitting.opened)}"
    yield f"DTEND:{utc(sitting.closed or end)}"
    yield f"SUMMARY:{escape(one_line(sitting.label) + ': ' + one_line(meeting.title))}"
    breaks = [
        f"{job.clock.time(start)}–{job.clock.time(stop)}"
        for start, stop in (pair for pair in sitting.suspensions if pair[0] is not None)
    ]
    about = [f"Suspended {', '.join(breaks)} ({job.clock.zone})." if breaks else ""]
    if sitting.closed is None:
        about.append("Not closed when the record was exported.")
    description = " ".join(part for part in about if part)
    if description:
        yield f"DESCRIPTION:{escape(description)}"
    if meeting.venue:
        yield f"LOCATION:{escape(one_line(meeting.venue))}"
    yield "CATEGORIES:SITTING"
    yield "END:VEVENT"


def _items(job: Job, stamp: str) -> Iterator[str]:
    state = job.state
    found = considerations_of(state)
    for item_id in job.item_ids:
        for consideration in found.get(item_id, ()):
            spans = consideration.stamps
            for start, end in zip(spans[::2], spans[1::2], strict=True):
                yield "BEGIN:VEVENT"
                yield f"UID:{_uid(job.header.session, 'item', item_id, utc(start))}"
                yield f"DTSTAMP:{stamp}"
                yield f"DTSTART:{utc(start)}"
                yield f"DTEND:{utc(end)}"
                yield f"SUMMARY:{escape(one_line(state.display(item_id)))}"
                yield f"DESCRIPTION:{escape(f'At the {one_line(consideration.sitting_label)}.')}"
                sitting = _uid(job.header.session, "sitting", str(consideration.sitting))
                yield f"RELATED-TO;RELTYPE=PARENT:{sitting}"
                yield "CATEGORIES:AGENDA ITEM"
                yield "END:VEVENT"


def _lines(job: Job, state: SessionState) -> Iterator[str]:
    last = max(job.material.events, key=lambda event: event.seq, default=None)
    if not state.sittings or last is None or state.last_at is None:
        raise ExportError("no sitting has been opened yet: an iCalendar export needs one")
    # Stamped with the time the last event was written, so the same log gives the same bytes; a
    # sitting still open ends, in the calendar, at the last thing that happened in it.
    stamp, end = utc(last.recorded), state.last_at
    yield "BEGIN:VCALENDAR"
    yield "VERSION:2.0"
    yield f"PRODID:{PRODID}"
    yield "CALSCALE:GREGORIAN"
    yield f"X-WR-CALNAME:{escape(one_line(state.agenda.meeting.title))}"
    # The head the calendar was made from (RFC 7986 lets a calendar carry a DESCRIPTION),
    # worded as the journal's closing line so ``verify --anchor`` finds it once unfolded. Without
    # the store's digest the material holds every event (``Material``): the digest is theirs.
    digest = job.material.digest or log_digest(job.header, job.material.events)[0]
    yield f"DESCRIPTION:{escape(journal_closing(last.seq, digest))}"
    for sitting in state.sittings:
        yield from _sitting(job, sitting, end, stamp)
    yield from _items(job, stamp)
    yield "END:VCALENDAR"


def render(job: Job) -> bytes:
    """The sittings and the items' spans on the floor as an iCalendar file (UTF-8, CRLF)."""
    return "".join(fold(line) for line in _lines(job, job.state)).encode("utf-8")
