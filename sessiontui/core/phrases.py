"""The session in words: phrases for events and the meeting's times and ordinals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sessiontui.core import events as ev
from sessiontui.core.clock import session_zone
from sessiontui.core.events import Event
from sessiontui.core.state import TakeUp, take_up_of
from sessiontui.core.text import clean_text
from sessiontui.core.vocabulary import note_kind
from sessiontui.core.wallclock import in_zone, short_date

if TYPE_CHECKING:
    from sessiontui.core.state import SessionState


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sitting_label(number: int) -> str:
    """The label of a sitting the log gives none: "1st meeting" (a report words it itself)."""
    return f"{ordinal(number)} meeting"


TAKE_UP_VERBS: dict[TakeUp, str] = {
    "first": "took up",
    "resumed": "resumed",
    "reopened": "reopened",
}
"""A take-up in words, by what it was (``take_up_of``)."""


def take_up_as(state: SessionState, event: Event, was: str | None = None) -> TakeUp:
    """What the take-up ``event`` was: as the fold found when it took the item up
    (``ItemState.taken_up_as``), whether the officer said ``open``, ``resume`` or ``next``.

    A take-up that is not the item's last in the state (one recorded back-dated before a
    later one, or that changed nothing) is judged by the status ``was`` the item had before
    it, when the caller knows it, else by the command it records.
    """
    item = state.items.get(event.item) if event.item else None
    if item is not None and item.taken_up_seq == event.seq:
        return item.taken_up_as
    return take_up_of(event.type, was, taken_before=False)


_VERBS = {
    ev.ITEM_CLOSE: "closed",
    ev.ITEM_SUSPEND: "suspended",
    ev.ITEM_DEFER: "deferred",
    ev.NOTE_EDIT: "edited a note on",
    ev.NOTE_DELETE: "deleted a note on",
    ev.SITTING_OPEN: "opened the sitting",
    ev.SITTING_SUSPEND: "suspended the sitting",
    ev.SITTING_RESUME: "resumed the sitting",
    ev.SITTING_CLOSE: "closed the sitting",
    ev.ATTENDANCE_MARK: "took the roll call",
}


def speaker_phrase(event: Event, name: str, label: str, held: str | None = None) -> str | None:
    """The words for a speaker given the floor, stopped, moved or taken off the list.

    The journal and ``describe`` (the CLI's echo, undo) both say it so: "gave the floor to
    Brazil on 2(a)". ``held`` names the speaker a point of order interrupts. None for any
    other event.
    """
    match event:
        case ev.SpeakerStarted(data=data):
            return floor_given(data, name, label, held)
        case ev.SpeakerStopped():
            return speech_ended(name, label)
        case ev.SpeakerMoved(data=data):
            return f"moved {name} to place {data.position + 1} of the speakers waiting on {label}"
        case ev.SpeakerRemoved():
            return f"removed {name} from the speakers on {label}"
    return None


def floor_given(data: ev.SpeakerStartData, name: str, label: str, held: str | None = None) -> str:
    """``speaker_phrase`` of a speaker given the floor (the journal's usual line asks directly)."""
    if data.interrupts:
        return (
            f"gave the floor to {name} on {label} on a point of order, "
            f"interrupting {held or 'the speaker'}"
        )
    if data.resumes:
        return f"gave the floor back to {name} on {label} (the speech resumes)"
    return f"gave the floor to {name} on {label}"


def speech_ended(name: str, label: str) -> str:
    """``speaker_phrase`` of a speech that ended (the journal's usual line asks directly)."""
    return f"ended the speech of {name} on {label}"


def describe(state: SessionState, event: Event, speakers: Mapping[str, str] | None = None) -> str:
    """A short phrase for an event, e.g. "closed 2(a)" (used by undo, refusals, the CLI's echo).

    Args:
        state: The session, where the items' labels and the speakers' names are looked up.
        event: The event to put in words.
        speakers: Names by speaker id for speakers no longer in ``state`` (taken off the list).
    """
    label = state.ref(event.item) if event.item and event.item in state.agenda.nodes else ""
    if isinstance(event.data, ev.NoteEditData | ev.NoteRef):
        # Named by the note's kind, as the journal's line of it is: "deleted a decision on 1".
        note = state.note(event.data.note)
        if note is not None:
            done = "edited" if isinstance(event.data, ev.NoteEditData) else "deleted"
            on = state.ref(note.item) if note.item in state.agenda.nodes else ""
            return f"{done} {note_kind(note.kind).noun} on {on}".strip()
    if isinstance(event.data, ev.SpeakerRef):

        def name(speaker_id: str | None) -> str | None:
            if not speaker_id:
                return None
            found = state.speaker(event.item, speaker_id) if event.item in state.items else None
            known = found.name if found is not None else (speakers or {}).get(speaker_id)
            return clean_text(known, multiline=False) if known else None

        held = name(event.data.interrupts) if isinstance(event.data, ev.SpeakerStartData) else None
        said = speaker_phrase(event, name(event.data.speaker) or "a speaker", label, held)
        if said is not None:
            return said
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
        case ev.ItemOpened() | ev.ItemResumed():
            verb = TAKE_UP_VERBS[take_up_as(state, event)]
        case _:
            verb = _VERBS.get(event.type, event.type)
    return f"{verb} {label}".strip()


AMENDMENTS_NAMED = 4
"""How many of the amendments (or participants) recorded as one action its phrase names before
counting the rest."""


def describe_action(
    state: SessionState, events: Sequence[Event], speakers: Mapping[str, str] | None = None
) -> str:
    """A short phrase for one action, ``events`` being its batch: each of its events, in the
    order recorded ("closed 2(a) and took up 2(b)" for a ``next``; "ended the speech of Brazil
    on 2(a) and gave the floor to Kenya on 2(a)"), or, for several amendments recorded as one
    (``amend sync``), "amended the agenda (3 amendments: add 4 bis, retitle 2(a) and delete
    3)", and participants added as one, counted likewise. Used by undo, which reverts them
    all: naming the first alone told of one change while several were taken back."""
    if len(events) < 2:
        return describe(state, events[0], speakers)
    if all(isinstance(e, ev.AgendaAmended) for e in events):
        named = [_amendment(state, e) for e in events[:AMENDMENTS_NAMED]]
        return f"amended the agenda ({_counted(len(events), 'amendments', named)})"
    if all(isinstance(e, ev.ParticipantAdded) for e in events):
        named = [
            clean_text(e.data.name, multiline=False)
            for e in events[:AMENDMENTS_NAMED]
            if isinstance(e.data, ev.ParticipantData)
        ]
        return f"added to the register ({_counted(len(events), 'participants', named)})"
    ordered = sorted(events, key=lambda event: event.seq)
    return and_list([describe(state, event, speakers) for event in ordered])


def _counted(count: int, noun: str, named: list[str]) -> str:
    """``"3 amendments: add 4 bis, retitle 2(a) and 1 more"``: ``named`` are the first."""
    if count > len(named):
        named = [*named, f"{count - len(named)} more"]
    return f"{count} {noun}: {and_list(named)}"


def _amendment(state: SessionState, event: Event) -> str:
    """``"add 4 bis"``: one amendment, named by the item's label (or title, if it has none)."""
    data = event.data
    assert isinstance(data, ev.AmendData)
    name = state.ref(event.item) if event.item and event.item in state.agenda.nodes else ""
    if not name and data.title:
        name = f"“{clean_text(data.title, multiline=False)}”"
    return f"{data.op} {name}".strip()


def meeting_moment(moment: dt.datetime, state: SessionState, *near: dt.datetime) -> str:
    """``"2026-12-05 23:59 Europe/Vienna"``: the date and time in the meeting's zone, named;
    with seconds when one of ``near`` falls in the same minute (see ``meeting_time_beside``)."""
    zone = session_zone(state.header.timezone, state.header.agenda)
    local = in_zone(moment, zone) if zone is not None else moment.astimezone(dt.UTC)
    clock = "%H:%M:%S" if _same_minute(moment, near) else "%H:%M"
    return f"{local:%Y-%m-%d} {local.strftime(clock)} {zone.key if zone is not None else 'UTC'}"


def _same_minute(moment: dt.datetime, others: tuple[dt.datetime, ...]) -> bool:
    """Whether one of ``others`` falls in ``moment``'s minute: then only seconds tell them
    apart, and a message naming them to the minute would read as a contradiction."""
    minute = moment.replace(second=0, microsecond=0)
    return any(other.replace(second=0, microsecond=0) == minute for other in others)


def off_the_agenda_days(moment: dt.datetime, state: SessionState) -> str | None:
    """A warning when ``moment`` (a sitting's opening) falls on no day of the agenda's ``dates``.

    ``dates`` lists the meeting's days, or its first and last day: two dates are a range.
    """
    days = sorted(state.agenda.meeting.dates)
    if not days:
        return None
    day = in_zone(moment, session_zone(state.header.timezone, state.header.agenda)).date()
    if day in state.agenda.meeting.days:
        return None
    span = f"{days[0]:%d %b %Y}" if len(days) == 1 else f"{days[0]:%d %b}–{days[-1]:%d %b %Y}"
    return f"{day:%d %b %Y} is not a day of the meeting ({span})"


def sittings_off_the_agenda_days(state: SessionState, events: Sequence[Event]) -> list[str]:
    """``off_the_agenda_days`` of each sitting ``events`` opened (one a take-up opened too):
    the tracker and the command line warn alike."""
    warnings = []
    for event in events:
        if event.type == "sitting.open":
            warning = off_the_agenda_days(event.at, state)
            if warning is not None:
                warnings.append(warning)
    return warnings


def meeting_time(moment: dt.datetime, state: SessionState) -> str:
    """``"10:05"`` in the meeting's time zone (UTC when the agenda names none or an unknown one)."""
    zone = session_zone(state.header.timezone, state.header.agenda)
    if zone is not None:
        moment = in_zone(moment, zone)
    return f"{moment:%H:%M}"


def meeting_time_beside(
    moment: dt.datetime, state: SessionState, beside: dt.datetime, *near: dt.datetime
) -> str:
    """``"10:05"`` in the meeting's time zone, or ``"20 Nov 10:05"`` when that is another day
    than ``beside``'s there: two times of different days are never told apart by the clock
    alone ("at 11:00: ... opened at 10:00" when 10:00 was the next morning).

    With seconds (``"10:05:07"``) when ``beside`` or one of ``near`` (the other times the
    message names or refers to) falls in the same minute: "at 15:09: 2(c) has not been taken
    up", said of a take-up at 15:09:05, would read as a contradiction.
    """
    zone = session_zone(state.header.timezone, state.header.agenda) or dt.UTC
    local, other = in_zone(moment, zone), in_zone(beside, zone)
    clock = "%H:%M:%S" if _same_minute(moment, (beside, *near)) else "%H:%M"
    if local.date() == other.date():
        return local.strftime(clock)
    return f"{short_date(local.date())} {local.strftime(clock)}"


def and_list(words: list[str]) -> str:
    """``"Kenya"``, ``"Kenya and Brazil"``, ``"Kenya, Chile and Brazil"``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def speakers_left_waiting(state: SessionState, events: list[Event]) -> list[str]:
    """ "2(b) closed with Kenya and Brazil still on its list of speakers": one line for each
    item ``events`` closed or deferred while speakers still waited to take the floor.

    Closing an item does not take them off the list (the record keeps that they asked for
    the floor): the person closing it is told, so a list not yet exhausted shows.
    """
    lines = []
    for event in events:
        if event.type not in (ev.ITEM_CLOSE, ev.ITEM_DEFER) or event.item not in state.items:
            continue
        item = state.items[event.item]
        waiting = [sp.who() for sp in item.speakers if sp.status == "queued"]
        if not waiting:
            continue
        names = and_list(waiting)
        verb = "closed" if event.type == ev.ITEM_CLOSE else "deferred"
        lines.append(f"{state.ref(event.item)} {verb} with {names} still on its list of speakers")
    return lines
