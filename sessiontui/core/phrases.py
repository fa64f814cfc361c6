"""The session in words: phrases for events and the meeting's times and ordinals."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING

from sessiontui.core.events import REFUSED_TYPE, Event

if TYPE_CHECKING:
    from sessiontui.core.state import SessionState


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
        "participant.add": f"added {event.data.get('name', '')} to the register",
        "participant.remove": f"took {event.data.get('name', '')} off the register",
        "attendance.mark": "took the roll call",
        "undo": f"undid: {event.data.get('what', 'an action')}",
        REFUSED_TYPE: f"was refused: {event.data.get('what', '')}",
    }.get(event.type, event.type)
    return f"{verb} {label}".strip()


# -- replay ------------------------------------------------------------------------------------


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
