"""The session in words: phrases for events and the meeting's times and ordinals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sessiontui.core import events as ev
from sessiontui.core.clock import session_zone
from sessiontui.core.events import Event
from sessiontui.core.wallclock import in_zone

if TYPE_CHECKING:
    from sessiontui.core.state import SessionState


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sitting_label(number: int) -> str:
    """The label of a sitting the log gives none: "1st meeting" (a report words it itself)."""
    return f"{ordinal(number)} meeting"


_VERBS = {
    ev.ITEM_OPEN: "took up",
    ev.ITEM_RESUME: "resumed",
    ev.ITEM_CLOSE: "closed",
    ev.ITEM_SUSPEND: "suspended",
    ev.ITEM_DEFER: "deferred",
    ev.NOTE_EDIT: "edited a note on",
    ev.NOTE_DELETE: "deleted a note on",
    ev.SPEAKER_START: "gave the floor to a speaker on",
    ev.SPEAKER_STOP: "ended a speech on",
    ev.SPEAKER_REMOVE: "removed a speaker from",
    ev.SPEAKER_MOVE: "moved a speaker on the list of",
    ev.SITTING_OPEN: "opened the sitting",
    ev.SITTING_SUSPEND: "suspended the sitting",
    ev.SITTING_RESUME: "resumed the sitting",
    ev.SITTING_CLOSE: "closed the sitting",
    ev.ATTENDANCE_MARK: "took the roll call",
}


def describe(state: SessionState, event: Event) -> str:
    """A short phrase for an event, e.g. "closed 2(a)" (used by undo and refusals)."""
    label = state.label(event.item) if event.item and event.item in state.agenda.nodes else ""
    match event:
        case ev.NoteAdded(data=data):
            verb = (
                "wrote an action point on" if data.kind == "action" else f"wrote a {data.kind} on"
            )
        case ev.SpeakerAdded(data=data):
            verb = f"added speaker {data.name} to"
        case ev.AgendaAmended(data=data):
            verb = f"amended the agenda ({data.op})"
        case ev.ParticipantAdded(data=data):
            verb = f"added {data.name} to the register"
        case ev.ParticipantRemoved(data=data):
            verb = f"took {data.name} off the register"
        case ev.Undone(data=data):
            verb = f"undid: {data.what or 'an action'}"
        case ev.CommandRefused(data=data):
            verb = f"was refused: {data.what}"
        case _:
            verb = _VERBS.get(event.type, event.type)
    return f"{verb} {label}".strip()


def meeting_time(moment: dt.datetime, state: SessionState) -> str:
    """``"10:05"`` in the meeting's time zone (UTC when the agenda names none or an unknown one)."""
    zone = session_zone(state.header.timezone, state.header.agenda)
    if zone is not None:
        moment = in_zone(moment, zone)
    return f"{moment:%H:%M}"
