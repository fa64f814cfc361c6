"""Commands: what a person asks for, checked against the state and turned into events.

``decide`` checks a command (and the role that asks) against the current state and returns the
events that record it, or raises ``Refused`` with the reason a person can act on.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import msgspec

from sessiontui.core import events as ev
from sessiontui.core.agenda import (
    ItemKind,
    Node,
    format_number,
    full_label,
    normalize_reference,
    numbering_pattern,
)
from sessiontui.core.bounds import event_problem
from sessiontui.core.events import Draft
from sessiontui.core.fold import apply_one
from sessiontui.core.phrases import describe, describe_action, meeting_time, meeting_time_beside
from sessiontui.core.register import KINDS, Participant
from sessiontui.core.register import fold as fold_name
from sessiontui.core.state import Note, SessionState, Speaker
from sessiontui.core.text import clean_text, excerpt
from sessiontui.core.vocabulary import NOTE_KINDS, SPEAKER_KINDS, NoteKind, SpeechKind, note_kind

Role = Literal["secretariat", "rapporteur", "viewer"]
ROLES: tuple[str, ...] = ("secretariat", "rapporteur", "viewer")

# Which role may record which event types; no role given means every right.
_SECRETARIAT_TYPES = ("item.", "sitting.", "agenda.", "participant.", "attendance.")
_RAPPORTEUR_TYPES = ("note.", "speaker.")


class Refused(Exception):
    """A command does not fit the current state; the message says why, for a person."""


class Conflict(Refused):
    """Refused because the item's status was already changed (by whom and when is in the message).

    This is what happens when two people act on the same item: it is recorded (as a
    ``command.refused`` event) so the journal shows the attempt. Input mistakes are not.
    """


@dataclass(frozen=True, slots=True)
class Context:
    """Who runs a command, as what, and when it happened."""

    actor: str
    at: dt.datetime
    role: str | None = None
    corrected: bool = False
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)


class _Builder:
    """Collects the drafts of one command under one batch id."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.batch = ctx.new_id()
        self.drafts: list[Draft] = []

    def add(
        self, event: type[ev.Event], item: str | None = None, data: ev.Payload | None = None
    ) -> None:
        """Add an event of this type about ``item`` saying ``data`` (its payload struct)."""
        payload = data if data is not None else ev.Payload()
        if self.ctx.corrected:
            payload = msgspec.structs.replace(payload, corrected=True)
        self.drafts.append(
            Draft(
                id=self.ctx.new_id(),
                at=self.ctx.at,
                actor=self.ctx.actor,
                role=self.ctx.role,
                type=event.type,
                item=item,
                data=payload,
                batch=self.batch,
            )
        )


def role_allows(role: str | None, event_type: str) -> bool:
    """Whether a role may record an event of this type (no role: every right).

    An ``undo``: each role that records anything undoes its own actions, so both may; whether
    the action to undo is one the role may record is ``Undo.decide``'s question. (The tracker
    asked this one first and refused every undo to a role.)
    """
    if role is None:
        return True
    if event_type == ev.UNDO:
        return role in ("secretariat", "rapporteur")
    if role == "secretariat":
        return event_type.startswith(_SECRETARIAT_TYPES)
    if role == "rapporteur":
        return event_type.startswith(_RAPPORTEUR_TYPES)
    return False


def needed_role(event_type: str) -> str:
    """The role that may record an event type."""
    if event_type == ev.UNDO:
        # Each role undoes its own actions (checked against the undone one in Undo.decide).
        return "secretariat or rapporteur"
    return "secretariat" if event_type.startswith(_SECRETARIAT_TYPES) else "rapporteur"


def role_refusal(role: str | None, event_type: str, doing: str = "do that") -> Refused:
    """ "the viewer role cannot do that: it needs the rapporteur role" (the CLI's and the
    tracker's words for it alike)."""
    return Refused(f"the {role} role cannot {doing}: it needs the {needed_role(event_type)} role")


def _check_role(ctx: Context, drafts: list[Draft]) -> None:
    for draft in drafts:
        if draft.type == ev.UNDO:  # checked against the undone action in Undo.decide
            continue
        if isinstance(draft.data, ev.SpeakerStopData) and draft.data.implicit:
            continue  # a speech ended by the command it is part of
        if not role_allows(ctx.role, draft.type):
            raise role_refusal(ctx.role, draft.type)


def _when(moment: dt.datetime | None, state: SessionState) -> str:
    return "" if moment is None else f" at {meeting_time(moment, state)}"


def _status_refusal(state: SessionState, node: Node, what: str) -> Refused:
    """A refusal because of the item's status ("2(a) was already closed"), naming who changed
    it and when: a ``Conflict`` when someone did, else a plain refusal."""
    message = f"{node.ref} {what}{_by(state, node.id)}"
    return Conflict(message) if state.items[node.id].changed_by else Refused(message)


def _by(state: SessionState, item_id: str) -> str:
    item = state.items[item_id]
    who = f" by {item.changed_by}" if item.changed_by else ""
    return f"{who}{_when(item.changed_at, state)}"


def _live(state: SessionState, item_id: str) -> Node:
    node = state.agenda.nodes.get(item_id)
    if node is None:
        raise Refused(f"no agenda item {item_id!r}")
    if node.deleted:
        raise Refused(f"{node.ref} was taken off the agenda by amendment")
    return node


def _ensure_sitting(state: SessionState, build: _Builder) -> None:
    sitting = state.sitting
    if sitting is None:
        build.add(ev.SittingOpened, None, ev.SittingOpenData(implicit=True))
    elif sitting.status == "suspended":
        raise Refused(f"the {sitting.label} is suspended: resume the sitting first")


def _open(
    state: SessionState,
    build: _Builder,
    item_id: str,
    event: type[ev.Event] = ev.ItemOpened,
) -> None:
    node = _live(state, item_id)
    if state.floor == item_id:
        raise _status_refusal(state, node, "is already on the floor")
    _ensure_sitting(state, build)
    build.add(event, item_id)


def check_back_dated_opening(now: SessionState, drafts: list[Draft], at: dt.datetime) -> None:
    """Refuse a correction that would open a sitting before one recorded later.

    A back-dated take-up outside any sitting opens one implicitly at ``at``; with a sitting
    recorded as opened after ``at`` (and none running then), the fold would keep the implicit
    opening and drop the recorded one: the official opening would silently move.
    """
    if not any(draft.type == ev.SITTING_OPEN for draft in drafts):
        return
    later = next((s for s in now.sittings if s.opened > at and not s.implicit), None)
    if later is not None:
        # "@" and --at take whole minutes: a sitting opened at 09:32:41 is first reached at
        # 09:33, and "record this at 09:32 or later" would be refused again.
        earliest = later.opened
        if earliest.second or earliest.microsecond:
            earliest = earliest.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        raise Refused(
            f"the {later.label} was opened at {meeting_time_beside(later.opened, now, at)}: "
            f"record this at {meeting_time_beside(earliest, now, at)} or later"
        )


def check_back_dated_speech(
    now: SessionState,
    later: list[ev.Event],
    drafts: list[Draft],
    at: dt.datetime,
    then: SessionState | None = None,
) -> None:
    """Refuse a correction that ends a speech whose end is recorded later.

    Taking 2(c) up "at 10:35" while a speech on 2 ran until its recorded end at 10:50 would end
    that speech at 10:35 too: the record would say it ended twice, and count it short.
    ``later``: the events recorded with a time after ``at`` and not undone. ``then``: the
    session as it stood at ``at``: a speaker given the floor then (other than on a point of
    order) ends the speech of whoever was speaking, recorded or not.
    """
    ending = {
        draft.data.speaker
        for draft in drafts
        if draft.type == ev.SPEAKER_STOP and isinstance(draft.data, ev.SpeakerStopData)
    }
    if then is not None and then.speaking is not None:
        ending |= {
            then.speaking[1]
            for draft in drafts
            if isinstance(draft.data, ev.SpeakerStartData) and not draft.data.interrupts
        }
    if not ending:
        return
    ended = [
        event
        for event in later
        if isinstance(event, ev.SpeakerStopped) and event.at > at and event.data.speaker in ending
    ]
    if not ended:
        return
    first = min(ended, key=lambda event: event.at)
    raise Refused(
        f"it would end a speech whose end is recorded at {meeting_time_beside(first.at, now, at)} "
        f"({describe(now, first)}): record this after that, or undo it first"
    )


_SPEECH_EVENTS = (ev.SpeakerStarted, ev.SpeakerStopped)
_CONCLUSIONS = (ev.ItemClosed, ev.ItemSuspended, ev.ItemDeferred)
_TAKE_UPS = (ev.ItemOpened, ev.ItemResumed)


def check_back_dated_floor(
    now: SessionState, later: list[ev.Event], drafts: list[Draft], at: dt.datetime
) -> None:
    """Refuse a correction that ends what the record says went on after it.

    Closing 2(a) "at 10:20" when speeches on 2(a) and its closing at 16:00 are recorded after
    10:20, or suspending the sitting "at 10:25" inside a speech and before the break recorded
    from 13:00, would rewrite those: the item's time, the speeches, the break. Refused, naming
    the first of them. What is recorded after the item is taken up again (or the sitting
    resumed or opened again) does not rely on the correction, and neither do notes.
    ``later``: the events recorded with a time after ``at`` and not undone.
    """
    after = sorted((event for event in later if event.at > at), key=lambda event: event.at)
    for draft in drafts:
        if draft.type in _LEAVES_FLOOR and draft.item in now.agenda.nodes:
            concluded = {draft.item, *now.agenda.descendants(draft.item)}
            first = _first_relying(after, concluded)
            if first is not None:
                raise Refused(
                    f"{now.ref(draft.item)} is recorded as still under consideration after "
                    f"that: {describe(now, first)} at {meeting_time_beside(first.at, now, at)}; "
                    "record this after that, or undo it first"
                )
        elif draft.type == ev.SITTING_OPEN:
            # Nothing closes a sitting opened then before the one recorded next: it would
            # swallow that one (``check_back_dated_opening`` names a declared one).
            first = next(
                (e for e in after if isinstance(e, ev.SittingOpened | ev.SittingClosed)), None
            )
            if isinstance(first, ev.SittingOpened):
                raise Refused(
                    f"a sitting is recorded as opened at {meeting_time_beside(first.at, now, at)}"
                    " and none closed before it: a sitting opened earlier would run into it"
                )
        elif draft.type in (ev.SITTING_SUSPEND, ev.SITTING_CLOSE):
            first = _first_running(after, closing=draft.type == ev.SITTING_CLOSE)
            if first is not None:
                raise Refused(
                    "the sitting is recorded as running after that: "
                    f"{describe(now, first)} at {meeting_time_beside(first.at, now, at)}; "
                    "record this after that, or undo it first"
                )


def superseded_take_ups(
    now: SessionState, later: list[ev.Event], drafts: list[Draft], at: dt.datetime
) -> list[str]:
    """What a back-dated take-up is told: a take-up of another item recorded later in the
    meeting's time takes it off the floor again, as the rules have it, without naming it.

    Taking up 2(b) "at 10:05" when 2(a) is recorded as taken up at 10:10 is true to the
    record (2(b) was on the floor from 10:05 to 10:10, then suspended), but the person who
    meant to put 2(b) on the floor would not see that it is not there: "2(b) was on the floor
    only until 10:10, when ana took up 2(a) (recorded before this correction)". A take-up of
    one of its sub-items keeps it in consideration, and its own closing, suspension or deferral
    (or an ancestor's), named in the record, says itself. ``later``: the events recorded with
    a time after ``at`` and not undone.
    """
    after = sorted((event for event in later if event.at > at), key=lambda event: event.at)
    lines = []
    for draft in drafts:
        item = draft.item
        if draft.type not in (ev.ITEM_OPEN, ev.ITEM_RESUME) or item not in now.agenda.nodes:
            continue
        within = {item, *now.agenda.descendants(item)}
        branch = {item, *now.ancestors(item)}
        for event in after:
            if isinstance(event, _CONCLUSIONS) and event.item in branch:
                break
            if isinstance(event, _TAKE_UPS) and event.item not in within:
                lines.append(
                    f"{now.ref(item)} was on the floor only until "
                    f"{meeting_time_beside(event.at, now, at)}, when {event.actor} "
                    f"{describe(now, event)} (recorded before this correction)"
                )
                break
    return lines


def _first_relying(after: list[ev.Event], items: set[str]) -> ev.Event | None:
    """The first event (in time) that relies on ``items`` still being under consideration:
    a speech on one of them, or its conclusion, before any of them is taken up again."""
    for event in after:
        if event.item not in items:
            continue
        if isinstance(event, _TAKE_UPS):
            return None
        if isinstance(event, _SPEECH_EVENTS + _CONCLUSIONS):
            return event
    return None


def _first_running(after: list[ev.Event], *, closing: bool) -> ev.Event | None:
    """The first event (in time) that relies on the sitting still running: a speech, a
    take-up, an item concluded (its time on the floor ran until then), the sitting's suspension
    (or, for a closing, its resumption or closing), before it is resumed (a suspension) or
    another opened."""
    for event in after:
        if isinstance(event, ev.SittingOpened) or (
            not closing and isinstance(event, ev.SittingResumed | ev.SittingClosed)
        ):
            return None
        if isinstance(
            event, _SPEECH_EVENTS + _TAKE_UPS + _CONCLUSIONS + (ev.SittingSuspended,)
        ) or (closing and isinstance(event, ev.SittingResumed | ev.SittingClosed)):
            return event
    return None


def decide(state: SessionState, command: Command, ctx: Context) -> list[Draft]:
    """Validate a command against the state; return the events that record it.

    Raises:
        Refused: the command does not fit the state (the message says why, and who did what).
    """
    if ctx.role is not None and ctx.role not in ROLES:
        raise Refused(f"unknown role {ctx.role!r} (one of {', '.join(ROLES)})")
    # The role is checked first, so a viewer hears what role it needs, not why the state refuses.
    if command.records is not None and not role_allows(ctx.role, command.records):
        raise role_refusal(ctx.role, command.records)
    build = _Builder(ctx)
    command.decide(state, build)
    _end_speech_first(state, build)
    _check_role(ctx, build.drafts)
    for draft in build.drafts:
        problem = event_problem(
            draft.type, draft.item, draft.data, draft.actor, draft.at, strict=True
        )
        if problem is not None:
            raise Refused(problem)
    return build.drafts


_LEAVES_FLOOR = (ev.ITEM_CLOSE, ev.ITEM_SUSPEND, ev.ITEM_DEFER)


def _end_speech_first(state: SessionState, build: _Builder) -> None:
    """Record the end of the current speech before the event that ends it implicitly.

    Taking up another item, closing, suspending or deferring the item spoken on (or an item it
    belongs to) and closing the sitting all end the speech; the log and the journal say so, as
    they do when the chair ends it (``speaker.stop`` with ``implicit``: part of the command, so
    it needs no speaker role of its own).
    """
    if state.speaking is None:
        return
    item_id, speaker_id = state.speaking
    interrupted = _interrupted(state, item_id)
    within = (item_id, *state.ancestors(item_id))
    for index, draft in enumerate(build.drafts):
        if draft.type == ev.SPEAKER_STOP:
            return  # the command ends the speech itself
        ends = (
            (draft.type in (ev.ITEM_OPEN, ev.ITEM_RESUME) and draft.item != item_id)
            or (draft.type in _LEAVES_FLOOR and draft.item in within)
            or draft.type == ev.SITTING_CLOSE
        )
        if ends:
            ended = [speaker_id] + ([interrupted.id] if interrupted is not None else [])
            for one in reversed(ended):
                build.add(
                    ev.SpeakerStopped, item_id, ev.SpeakerStopData(speaker=one, implicit=True)
                )
                build.drafts.insert(index, build.drafts.pop())
            return


class Command:
    """A request a person makes; ``decide`` turns it into events or refuses it.

    Each command is a frozen ``msgspec.Struct`` with this class mixed in: made by msgspec
    when its module is imported, where a dataclass had its methods compiled from source one
    by one, a noticeable part of every command's and the tracker's start.
    """

    __slots__ = ()

    command_kind: ClassVar[str]
    """What the command is, for the record: stable (a refusal stores it), never a class name."""

    records: ClassVar[str | None] = None
    """The event type prefix this command records (its role check); None: decided per event.

    By default the prefix of ``command_kind`` ("speaker.move" records "speaker." events); a
    kind without one ("undo") is decided per event.
    """

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        kind = getattr(cls, "command_kind", None)
        if not isinstance(kind, str):
            raise TypeError(f"{cls.__name__} needs a command_kind (see Command.command_kind)")
        if "records" not in cls.__dict__:
            prefix, dot, _ = kind.partition(".")
            cls.records = prefix + dot if dot else None

    def decide(self, state: SessionState, build: _Builder) -> None:
        """Add the events of this command to ``build`` or raise ``Refused``."""
        raise NotImplementedError


class OpenItem(Command, msgspec.Struct, frozen=True):
    """Take an item up (pending, suspended, deferred, or closed: then it is reopened)."""

    command_kind: ClassVar[str] = "item.open"

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        _open(state, build, self.item)


class ResumeItem(Command, msgspec.Struct, frozen=True):
    """Take a suspended item up again."""

    command_kind: ClassVar[str] = "item.resume"

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status != "suspended":
            raise _status_refusal(state, node, f"is not suspended: it is {status}")
        _open(state, build, self.item, ev.ItemResumed)


class CloseItem(Command, msgspec.Struct, frozen=True):
    """Conclude an item that was taken up (and its sub-items still open)."""

    command_kind: ClassVar[str] = "item.close"

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status == "closed":
            raise _status_refusal(state, node, "was already closed")
        if status == "pending":
            raise Refused(f"{node.ref} has not been taken up")
        if status == "deferred":
            raise _status_refusal(state, node, "was deferred")
        build.add(ev.ItemClosed, self.item)


class SuspendItem(Command, msgspec.Struct, frozen=True):
    """Take an item in consideration off the floor without concluding it."""

    command_kind: ClassVar[str] = "item.suspend"

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status != "open":
            raise _status_refusal(state, node, f"is not under consideration: it is {status}")
        build.add(ev.ItemSuspended, self.item)


class DeferItem(Command, msgspec.Struct, frozen=True):
    """Postpone an item not yet concluded."""

    command_kind: ClassVar[str] = "item.defer"

    item: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        status = state.items[self.item].status
        if status in ("closed", "deferred"):
            raise _status_refusal(state, node, f"was already {status}")
        build.add(ev.ItemDeferred, self.item)


_SITTING_EVENTS: dict[str, type[ev.Event]] = {
    "suspend": ev.SittingSuspended,
    "resume": ev.SittingResumed,
    "close": ev.SittingClosed,
}


def next_item(state: SessionState) -> str | None:
    """The next item "next" would take up: the first pending or suspended item after the floor."""
    order = state.agenda.order()
    start = order.index(state.floor) + 1 if state.floor in order else 0
    for item_id in order[start:]:
        node = state.agenda.nodes[item_id]
        if node.kind != "break" and state.items[item_id].status in ("pending", "suspended"):
            return item_id
    return None


def check_floor_seen(state: SessionState, seen: str | None) -> None:
    """Refuse a command that acts on "the item on the floor" when the floor has moved since
    the person saw ``seen`` there (None: nothing on the floor).

    Two people pressing "next" at once would otherwise each move on: the second would close
    the item the first just took up, after 0:00, without ever having seen it on the floor.
    The refusal names who moved the floor and when ("2(a) was already closed by ana at
    10:42"), and it is a ``Conflict``: recorded, as every conflict is.
    """
    if state.floor == seen:
        return
    if seen is not None and seen in state.items:
        node = _live(state, seen)
        status = state.items[seen].status
        if status != "open":
            raise _status_refusal(state, node, f"was already {status}")
    if state.floor is not None:
        raise _status_refusal(state, state.agenda.nodes[state.floor], "was taken up meanwhile")
    raise Refused(f"{state.ref(seen) if seen else 'the item'} is no longer on the floor")


class NextItem(Command, msgspec.Struct, frozen=True):
    """Close the item on the floor and take up the next one in agenda order.

    The current item stays in consideration when the next one is its own sub-item; moving past
    a parent's last sub-item concludes the parent too when all its sub-items are concluded.
    """

    command_kind: ClassVar[str] = "item.next"

    seen: str | msgspec.UnsetType | None = msgspec.UNSET
    """The item the person saw on the floor (None: none), moved on from; refused when the
    floor has moved since (``check_floor_seen``). The tracker gives its view's floor, the
    command line ``--from`` or the floor as it read the log. Unset: whatever is on the floor
    (a script's or a test's own sequence of commands)."""

    def decide(self, state: SessionState, build: _Builder) -> None:
        if not isinstance(self.seen, msgspec.UnsetType):
            check_floor_seen(state, self.seen)
        target = next_item(state)
        if target is None:
            raise Refused(
                "no item left to take up after "
                + (state.ref(state.floor) if state.floor else "the last one")
            )
        _ensure_sitting(state, build)
        current = state.floor
        if current is not None and target not in state.agenda.descendants(current):
            build.add(ev.ItemClosed, current)
            # Moving past the last open sub-item concludes the parent too, innermost first.
            concluded = {current}
            target_branch = set(state.agenda.ancestors(target))
            for ancestor in state.agenda.ancestors(current):
                if ancestor in target_branch:
                    break
                children = state.agenda.nodes[ancestor].children
                if all(
                    child in concluded or state.items[child].status in ("closed", "deferred")
                    for child in children
                ):
                    build.add(ev.ItemClosed, ancestor)
                    concluded.add(ancestor)
                else:
                    break
        build.add(ev.ItemOpened, target)


class SittingCommand(Command, msgspec.Struct, frozen=True):
    """Open, suspend, resume or close a sitting."""

    command_kind: ClassVar[str] = "sitting.change"

    action: Literal["open", "suspend", "resume", "close"]
    label: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        sitting = state.sitting
        if self.action == "open":
            if sitting is not None:
                raise Refused(f"the {sitting.label} is still {sitting.status}: close it first")
            label = clean_text(self.label, multiline=False) if self.label else None
            build.add(ev.SittingOpened, None, ev.SittingOpenData(label=label or None))
            return
        if sitting is None:
            raise Refused("no sitting is open")
        wanted = {"suspend": "open", "resume": "suspended", "close": None}[self.action]
        if wanted is not None and sitting.status != wanted:
            raise Refused(f"the {sitting.label} is {sitting.status}")
        build.add(_SITTING_EVENTS[self.action])


class AddNote(Command, msgspec.Struct, frozen=True):
    """Write a note, decision or action point on an item."""

    command_kind: ClassVar[str] = "note.add"

    item: str
    text: str
    kind: str = NoteKind.NOTE.value

    def decide(self, state: SessionState, build: _Builder) -> None:
        _live(state, self.item)
        if self.kind not in NOTE_KINDS:
            raise Refused(f"unknown note kind {self.kind!r} (one of {', '.join(NOTE_KINDS)})")
        text = clean_text(self.text, strip=False)
        if not text.strip():
            raise Refused("the note is empty")
        build.add(
            ev.NoteAdded,
            self.item,
            ev.NoteAddData(note=build.ctx.new_id(), kind=self.kind, text=text),
        )


AMBIGUOUS_SHOWN = 5
"""How many of the notes an ambiguous id prefix matches its refusal names."""


def _find_note(state: SessionState, note_id: str) -> Note:
    # Matched by id alone: only the note meant is decoded (see ``SessionState.note``).
    matches = [key for key in state.note_ids() if key == note_id or key.startswith(note_id)]
    if not matches or not note_id:
        raise Refused(f"no note {note_id!r}")
    if len(matches) > 1:
        # The candidates named (and so read) are a few, however many notes the log holds.
        some = [note for key in matches[:AMBIGUOUS_SHOWN] if (note := state.note(key)) is not None]
        more = f"; and {len(matches) - len(some)} more" if len(matches) > len(some) else ""
        shown = max(8, len(note_id) + 4)
        candidates = _note_candidates(state, some, shown) + more
        raise Refused(f"note {note_id!r} is ambiguous: {candidates}")
    note = state.note(matches[0])
    assert note is not None  # one of the state's own ids
    if note.deleted:
        raise Refused(f"that note was deleted by {note.deleted_by}")
    return note


def _note_candidates(state: SessionState, notes: list[Note], shown: int = 8) -> str:
    """Notes told apart on one line, each as the tracker names it with the start of its id
    (``shown`` digits), its item and its first words: ``ab12cd34 decision 2 on 2(a) “…”``."""
    named = []
    for note in notes:
        number = state.note_numbers(note.item).get(note.id)
        gone = " (deleted)" if note.deleted else ""
        named.append(
            f"{note.id[:shown]} {note.kind} {number} on {state.ref(note.item)}{gone} "
            f"\u201c{excerpt(note.text, 40)}\u201d"
        )
    return "; ".join(named)


_NUMBERED_NOTE = re.compile(r"(?:([a-z]+(?:\s+point)?)\s*)?(\d+)", re.IGNORECASE)
"""A note as the tracker numbers it: ``2``, or with its kind, ``decision 2`` (``action point
3``, ``note 1``)."""

_KIND_WORDS = {
    **{kind.value: kind.value for kind in NoteKind},
    **{kind.heading.casefold(): kind.value for kind in NoteKind},
}


def note_on(state: SessionState, item_id: str, reference: str) -> str:
    """The id of the note ``reference`` names: its number on ``item_id`` as the tracker shows
    it, alone (``2``) or with its kind (``decision 2``), or its id (or the start of it).

    The tracker numbers each kind on its own (``SessionState.note_numbers``): a number alone
    that two kinds both have is refused, naming both, for the person to say the kind. A word
    that is no kind before the digits (``ab12``) is the start of an id.
    """
    numbered = _NUMBERED_NOTE.fullmatch(reference.strip())
    word = numbered.group(1) if numbered is not None else None
    said = " ".join(word.casefold().split()) if word is not None else None
    if numbered is None or (said is not None and said not in _KIND_WORDS):
        return _find_note(state, reference).id
    kind = _KIND_WORDS[said] if said is not None else None
    number = int(numbered.group(2))
    numbers = state.note_numbers(item_id)
    named = [
        note
        for note_id, its in numbers.items()
        if its == number
        and (note := state.note(note_id)) is not None
        and (kind is None or note.kind == kind)
    ]
    standing = [note for note in named if not note.deleted]
    if len(standing) == 1:
        return standing[0].id
    where = state.ref(item_id)
    if standing:
        raise Refused(
            f"{where} has more than one note numbered {number}: "
            f"{_note_candidates(state, standing)}; give its kind too, "
            f'e.g. "{standing[0].kind} {number}"'
        )
    if named:
        raise Refused(f"that note was deleted by {named[0].deleted_by}")
    raise Refused(f"{where} has no {kind or 'note'} {number}: {_numbers_held(state, item_id)}")


def _numbers_held(state: SessionState, item_id: str) -> str:
    """``"it has decision 1, 2; note 1"``: the numbers an item's notes have in the tracker."""
    numbers = state.note_numbers(item_id)
    held: dict[str, list[str]] = {}
    for note in state.notes_of(item_id):
        held.setdefault(note.kind, []).append(str(numbers[note.id]))
    if not held:
        return "it has no notes"
    kinds = [f"{kind} {', '.join(sorted(its, key=int))}" for kind, its in sorted(held.items())]
    return f"it has {'; '.join(kinds)} (each kind numbered on its own, as in the tracker)"


class EditNote(Command, msgspec.Struct, frozen=True):
    """Replace a note's text (the earlier text stays in its history)."""

    command_kind: ClassVar[str] = "note.edit"

    note: str
    text: str
    kind: str | None = None
    # The note's versions when the person began this edit (None: not checked): an edit made
    # meanwhile by someone else is refused, never silently replaced by this one.
    since: int | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        note = _find_note(state, self.note)
        if self.since is not None and len(note.history) > self.since:
            by = note.history[-1].author
            raise Refused(f"that note was changed by {by} since this edit began")
        text = clean_text(self.text, strip=False)
        if not text.strip():
            raise Refused("the note is empty (delete it instead)")
        if self.kind is not None and self.kind not in NOTE_KINDS:
            raise Refused(f"unknown note kind {self.kind!r}")
        build.add(
            ev.NoteEdited,
            note.item,
            ev.NoteEditData(note=note.id, text=text, kind=self.kind or None),
        )


class DeleteNote(Command, msgspec.Struct, frozen=True):
    """Delete a note (it stays in the record as deleted)."""

    command_kind: ClassVar[str] = "note.delete"

    note: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        note = _find_note(state, self.note)
        build.add(ev.NoteDeleted, note.item, ev.NoteRef(note=note.id))


def _find_speaker(
    state: SessionState, item_id: str, name: str, statuses: tuple[str, ...]
) -> Speaker | None:
    wanted = clean_text(name, multiline=False).casefold()
    for speaker in state.items[item_id].speakers:
        if speaker.status in statuses and (speaker.id == name or speaker.name.casefold() == wanted):
            return speaker
    return None


def _queued_speaker(state: SessionState, node: Node, name: str, missing: str) -> Speaker:
    """The speaker waiting on the item under ``name`` (or id); refused, saying ``missing``,
    when there is none."""
    speaker = _find_speaker(state, node.id, name, ("queued",))
    if speaker is not None:
        return speaker
    other = _find_speaker(state, node.id, name, ("speaking", "interrupted", "done"))
    if other is None:
        # The tracker names a speaker by id: an id is no word for a person.
        shown = "that speaker" if _speaker_id(name) else repr(name)
        raise Refused(f"{shown} {missing} {node.ref}")
    since = f" (since {meeting_time(other.started, state)})" if other.started else ""
    if other.status == "speaking":
        message = f"{other.who()} already has the floor on {node.ref}{since}"
    elif other.status == "interrupted":
        message = f"{other.who()} has the floor on {node.ref}, interrupted by a point of order"
    else:
        message = f"{other.who()} has already spoken on {node.ref}"
    # Named by id, the speaker was waiting on the screen it was picked from: another writer
    # acted first, a race recorded as one (by name, it is a slip of the person typing).
    raise Conflict(message) if other.id == name else Refused(message)


def _speaker_id(name: str) -> bool:
    """Whether ``name`` has the form of the ids the tracker names speakers by."""
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


class AddSpeaker(Command, msgspec.Struct, frozen=True):
    """Put a speaker on an item's list, and optionally give them the floor at once.

    ``name`` is the State or organization, ``on_behalf_of`` the group it speaks for,
    ``person`` the individual (both optional); ``delegation`` is the older free field.
    """

    command_kind: ClassVar[str] = "speaker.add"

    item: str
    name: str
    kind: str = SpeechKind.STATEMENT.value
    delegation: str | None = None
    start: bool = False
    limit_seconds: float | None = None
    person: str | None = None
    on_behalf_of: str | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        name = clean_text(self.name, multiline=False)
        if not name:
            raise Refused("the speaker's name is empty")
        if self.kind not in SPEAKER_KINDS:
            raise Refused(
                f"unknown kind of speech {self.kind!r} (one of {', '.join(SPEAKER_KINDS)})"
            )
        existing = _find_speaker(state, self.item, name, ("queued",)) if self.start else None
        if existing is not None:
            StartSpeaker(self.item, existing.id).decide(state, build)
            return
        speaker_id = build.ctx.new_id()
        limit = (
            self.limit_seconds
            if self.limit_seconds is not None
            else state.agenda.speaking_limit_for(self.item)
        )
        data = ev.SpeakerAddData(
            speaker=speaker_id,
            name=name,
            kind=self.kind,
            delegation=clean_text(self.delegation, multiline=False) if self.delegation else None,
            on_behalf_of=_optional_line(self.on_behalf_of),
            person=_optional_line(self.person),
            limit=limit,
        )
        if self.start:
            _require_floor(state, node)
        build.add(ev.SpeakerAdded, self.item, data)
        if self.start:
            # As giving the floor to one already waiting: the speech under way ends on record
            # (or a point of order interrupts it), whichever front end gave it.
            _give_floor(state, build, self.item, speaker_id, self.kind)


def _optional_line(text: str | None) -> str | None:
    """One line of typed text, or None when nothing is left of it."""
    return (clean_text(text, multiline=False) or None) if text else None


def _require_floor(state: SessionState, node: Node) -> None:
    if state.floor != node.id:
        raise Refused(f"{node.ref} is not on the floor: take it up first")
    if not state.running:
        raise Refused("the sitting is not running: open or resume it first")


def check_speech_seen(state: SessionState, node: Node, seen: str | None) -> None:
    """Refuse a command that acts on "the current speech" on ``node`` when it is no longer the
    one the person saw (``seen``: a speaker's id; None: nobody was speaking there).

    Ending "the current speech", or giving the floor (which ends it), after another person
    already moved on would end a speech the person never saw, after 0:00. A ``Conflict``.
    """
    current = state.speaking[1] if state.speaking and state.speaking[0] == node.id else None
    if current == seen:
        return
    was = state.speaker(node.id, seen) if seen is not None else None
    done = f"{was.who()} has already spoken on {node.ref}" if was and was.status == "done" else ""
    now = state.speaker(node.id, current) if current is not None else None
    if now is None:
        raise Conflict(done or f"nobody is speaking on {node.ref} now")
    since = f" (since {meeting_time(now.started, state)})" if now.started else ""
    floor = f"{now.who()} has the floor now{since}"
    raise Conflict(f"{done}: {floor}" if done else floor.replace(" now", f" on {node.ref} now", 1))


class StartSpeaker(Command, msgspec.Struct, frozen=True):
    """Give the floor to a queued speaker (the current one, if any, is done)."""

    command_kind: ClassVar[str] = "speaker.start"

    item: str
    name: str
    seen: str | msgspec.UnsetType | None = msgspec.UNSET
    """The speaker the person saw speaking on the item (None: nobody), whose speech this ends;
    refused when that has changed (``check_speech_seen``). Unset: whoever speaks."""

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        speaker = _queued_speaker(state, node, self.name, "is not on the list of speakers of")
        if not isinstance(self.seen, msgspec.UnsetType):
            check_speech_seen(state, node, self.seen)
        _require_floor(state, node)
        _give_floor(state, build, self.item, speaker.id, speaker.kind)


def _give_floor(
    state: SessionState, build: _Builder, item_id: str, speaker_id: str, kind: str
) -> None:
    """Give the floor on ``item_id`` (on the floor) to the speaker ``speaker_id``, of ``kind``:
    the speech under way there ends, recorded, unless a point of order interrupts it."""
    current = state.speaker(*state.speaking) if state.speaking is not None else None
    if current is not None and state.speaking is not None and state.speaking[0] == item_id:
        if kind == SpeechKind.POINT_OF_ORDER != current.kind:
            # A point of order interrupts: the speaker gets the floor back when it ends.
            build.add(
                ev.SpeakerStarted,
                item_id,
                ev.SpeakerStartData(speaker=speaker_id, interrupts=current.id),
            )
            return
        interrupted = _interrupted(state, item_id)
        if interrupted is not None:
            raise Refused(
                f"the point of order is being heard: end it first and {interrupted.name} resumes"
            )
        build.add(ev.SpeakerStopped, item_id, ev.SpeakerStopData(speaker=current.id))
    build.add(ev.SpeakerStarted, item_id, ev.SpeakerStartData(speaker=speaker_id))


def _interrupted(state: SessionState, item_id: str) -> Speaker | None:
    """The speaker of ``item_id`` a point of order interrupted, if any."""
    for speaker in state.items[item_id].speakers:
        if speaker.status == "interrupted":
            return speaker
    return None


class StopSpeaker(Command, msgspec.Struct, frozen=True):
    """End the current speech on an item (or the named speaker's)."""

    command_kind: ClassVar[str] = "speaker.stop"

    item: str
    name: str | None = None
    seen: str | msgspec.UnsetType | None = msgspec.UNSET
    """The speaker the person saw speaking (see ``StartSpeaker.seen``)."""

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        if not isinstance(self.seen, msgspec.UnsetType):
            check_speech_seen(state, node, self.seen)
        if state.speaking is None or state.speaking[0] != self.item:
            raise Refused(f"nobody is speaking on {node.ref}")
        speaker = state.speaker(*state.speaking)
        if (
            self.name
            and speaker is not None
            and clean_text(self.name, multiline=False).casefold()
            not in (speaker.name.casefold(), speaker.id)
        ):
            raise Refused(f"{self.name!r} is not speaking; {speaker.name} is")
        build.add(ev.SpeakerStopped, self.item, ev.SpeakerStopData(speaker=state.speaking[1]))
        interrupted = _interrupted(state, self.item)
        if interrupted is not None:
            # The point of order has been heard: the interrupted speaker has the floor again.
            build.add(
                ev.SpeakerStarted,
                self.item,
                ev.SpeakerStartData(speaker=interrupted.id, resumes=True),
            )


class MoveSpeaker(Command, msgspec.Struct, frozen=True):
    """Move a waiting speaker up or down the list (``by`` places: -1 up, +1 down)."""

    command_kind: ClassVar[str] = "speaker.move"

    item: str
    name: str
    by: int

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        speaker = _queued_speaker(state, node, self.name, "is not waiting to speak on")
        waiting = [s.id for s in state.items[self.item].speakers if s.status == "queued"]
        position = waiting.index(speaker.id) + self.by
        if not 0 <= position < len(waiting):
            end = "first" if position < 0 else "last"
            raise Refused(f"{speaker.name} is already {end} on the list of {node.ref}")
        build.add(
            ev.SpeakerMoved,
            self.item,
            ev.SpeakerMoveData(speaker=speaker.id, position=position),
        )


class RemoveSpeaker(Command, msgspec.Struct, frozen=True):
    """Take a queued speaker off the list."""

    command_kind: ClassVar[str] = "speaker.remove"

    item: str
    name: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        node = _live(state, self.item)
        speaker = _queued_speaker(state, node, self.name, "is not waiting to speak on")
        build.add(ev.SpeakerRemoved, self.item, ev.SpeakerRef(speaker=speaker.id))


class Undo(Command, msgspec.Struct, frozen=True):
    """Revert this actor's last action (a compensating ``undo`` event; history stays)."""

    command_kind: ClassVar[str] = "undo"

    def decide(self, state: SessionState, build: _Builder) -> None:
        memory = state.undoable.get(build.ctx.actor)
        if not memory:
            raise Refused(f"{build.ctx.actor} has nothing to undo")
        batch, undone = memory[-1]
        action = [undone, *state.batch_rest.get(batch, ())]
        # A speaker taken off the list is no longer on it: the state keeps the name.
        what, undone_type = describe_action(state, action, state.removed_speakers), undone.type
        if not role_allows(build.ctx.role, undone_type):
            raise role_refusal(build.ctx.role, undone_type, "undo that")
        build.add(ev.Undone, None, ev.UndoData(batch=batch, what=what))


_FLOOR_TYPES = frozenset(
    (
        ev.ITEM_OPEN,
        ev.ITEM_RESUME,
        ev.ITEM_CLOSE,
        ev.ITEM_SUSPEND,
        ev.ITEM_DEFER,
        ev.SITTING_OPEN,
        ev.SITTING_SUSPEND,
        ev.SITTING_RESUME,
        ev.SITTING_CLOSE,
    )
)
"""Events that move the floor or change the sitting (and may end a speech on the way)."""

_EARLIER_IN_BATCH = 2
"""How many of a batch's events may come before the one its undo memory names: the ends of
the speech it ended on the way (the speaker's, and the speaker a point of order interrupted);
see ``fold.remember``."""

_Key = tuple[str, str]


def _made(event: ev.Event) -> set[_Key]:
    """What an event makes so, that a later record may rely on."""
    data = event.data
    if event.type in _FLOOR_TYPES:
        made = {("floor", "")}
        if event.type == ev.SITTING_OPEN:
            made.add(("sitting", ""))
        return made
    if isinstance(data, ev.NoteAddData | ev.NoteEditData | ev.NoteRef):
        return {("note", data.note)}
    if isinstance(data, ev.SpeakerAddData) or event.type in (ev.SPEAKER_START, ev.SPEAKER_STOP):
        return _speakers(event)
    if isinstance(data, ev.AmendData) and data.op == "add" and event.item is not None:
        return {("item", event.item)}
    if isinstance(data, ev.ParticipantData | ev.ParticipantRef):
        return {("participant", fold_name(data.name))}
    return set()


def _relied_on(event: ev.Event) -> set[_Key]:
    """What a record relies on being so: what an undo must not take away from under it."""
    data = event.data
    needs: set[_Key] = set()
    if event.item is not None:
        needs.add(("item", event.item))  # an item added by amendment
    if event.type in _FLOOR_TYPES or event.type == ev.SPEAKER_START:
        # Taking up, concluding and the sitting's changes say what they suspend or end; a
        # speech needs its item on the floor and the sitting running.
        needs.add(("floor", ""))
    if isinstance(data, ev.NoteEditData | ev.NoteRef):
        # Whoever edits a note writes over the version before (``EditNote.since``).
        needs.add(("note", data.note))
    elif isinstance(data, ev.SpeakerRef):
        needs |= _speakers(event)
    elif isinstance(data, ev.AmendData):
        for other in (data.parent, data.after):
            if isinstance(other, str):
                needs.add(("item", other))
    elif isinstance(data, ev.ParticipantData | ev.ParticipantRef):
        needs.add(("participant", fold_name(data.name)))
    elif isinstance(data, ev.AttendanceData):
        needs.add(("sitting", ""))
        needs |= {("participant", fold_name(name)) for name in (*data.present, *data.absent)}
    return needs


def _speakers(event: ev.Event) -> set[_Key]:
    data = event.data
    if isinstance(data, ev.SpeakerStartData) and data.interrupts:
        return {("speaker", data.speaker), ("speaker", data.interrupts)}
    if isinstance(data, ev.SpeakerRef | ev.SpeakerAddData):
        return {("speaker", data.speaker)}
    return set()


def undo_reads_after(state: SessionState, actor: str) -> int:
    """The ``seq`` after which ``check_undo`` needs the log's events for ``actor``'s undo."""
    memory = state.undoable.get(actor)
    if not memory:
        return state.last_seq
    return max(memory[-1][1].seq - 1 - _EARLIER_IN_BATCH, 0)


def check_undo(state: SessionState, drafts: list[Draft], events: Iterable[ev.Event]) -> None:
    """Refuse an undo that would take away what someone has since recorded relied on.

    An undo folds the session again without the batch it reverts; a record made after that
    batch, and relying on it (a speech given on the item it took up, an edit of the note it
    wrote), would then describe what never happened: the record would contradict itself.
    Only the events recorded after the batch are read (``undo_reads_after``), not the log.

    Raises:
        Conflict: a later record, not undone, relies on the batch (who did what is named).
    """
    undo = next((d for d in drafts if isinstance(d.data, ev.UndoData)), None)
    if undo is None or not isinstance(undo.data, ev.UndoData):
        return
    batch = undo.data.batch
    made: set[_Key] = set()
    seen = False
    later = list(events)
    for event in later:
        if event.batch == batch:
            made |= _made(event)
            seen = True
        elif (
            seen
            and event.type not in (ev.UNDO, ev.REFUSED_TYPE)
            and (event.batch is None or event.batch not in state.undone)
            and _relied_on(event) & made
        ):
            named = event
            if isinstance(event.data, ev.SpeakerStopData) and event.data.implicit:
                # Named by what the command did, not by the speech it ended on the way.
                named = next(
                    (
                        other
                        for other in later
                        if other.batch == event.batch
                        and not isinstance(other.data, ev.SpeakerStopData)
                    ),
                    event,
                )
            what = undo.data.what or "your last action"
            raise Conflict(
                f"{what} cannot be undone: since then {named.actor} {_since(state, named)}, "
                f"which relies on it ({named.actor} must undo that first)"
            )


def _since(state: SessionState, event: ev.Event) -> str:
    """What a later record did, in words for an undo's refusal ("edited this note")."""
    data = event.data
    if isinstance(data, ev.NoteEditData | ev.NoteRef):
        note = state.note(data.note)
        noun = note_kind(note.kind).heading.lower() if note is not None else "note"
        done = "edited" if isinstance(data, ev.NoteEditData) else "deleted"
        return f"{done} this {noun}"
    return describe(state, event)


def _check_after(
    state: SessionState, parent: str | None, after: str | None, item: str | None
) -> None:
    """Refuse to place an item after one that is not among its new siblings.

    The fold puts an item whose ``after`` is not a sibling first in the list, which silently
    put 2(e) "after 2(a)" at the head of the agenda, above item 1.
    """
    if after is None:
        return
    sibling = _live(state, after)
    if sibling.id == item:
        raise Refused(f"{sibling.ref} cannot be placed next to itself")
    if sibling.parent != parent:
        where = f"under {state.ref(parent)}" if parent else "at the top level"
        raise Refused(f"{state.ref(after)} is not {where}")


def _check_moved_labels(
    state: SessionState, node: Node, parent: str | None, number: str | None = None
) -> None:
    """Refuse a move that would give the item (or a sub-item) the label of another item.

    A moved item keeps its own number, or takes ``number``, and takes its label from its new
    parent ("(e)" under 3 is 3(e)); two items answering to one label could no longer be told
    apart.
    """
    agenda = state.agenda
    moving = {node.id, *agenda.descendants(node.id)}
    taken = {
        normalize_reference(other.label)
        for other in agenda
        if other.id not in moving and other.label
    }
    labels: dict[str, str] = {}

    def label_of(item_id: str) -> str:
        return labels[item_id] if item_id in labels else agenda.nodes[item_id].label

    for moved in [node.id, *agenda.descendants(node.id)]:
        above = parent if moved == node.id else agenda.nodes[moved].parent
        while above is not None and not label_of(above):  # as the file builds labels
            above = agenda.nodes[above].parent
        base = label_of(above) if above is not None else None
        own = number if moved == node.id and number else agenda.nodes[moved].number
        labels[moved] = full_label(base, own)
    for label in labels.values():
        if label and normalize_reference(label) in taken:
            raise Refused(f"an item {label} already exists")


class Amend(Command, msgspec.Struct, frozen=True):
    """Amend the agenda: add, retitle, move or delete an item."""

    command_kind: ClassVar[str] = "agenda.amend"

    op: Literal["add", "retitle", "move", "delete"]
    item: str | None = None
    title: str | None = None
    number: str | None = None
    parent: str | None = None
    after: str | None = None
    minutes: float | None = None
    new_id: str | None = None
    first: bool = False  # add: in the first place (``after`` None alone means the last)
    kind: ItemKind = "item"  # add: a break is not numbered unless given a number

    def decide(self, state: SessionState, build: _Builder) -> None:
        agenda = state.agenda
        if self.op == "add":
            title = clean_text(self.title or "", multiline=False)
            if not title:
                raise Refused("a new item needs a title")
            if self.parent is not None:
                _live(state, self.parent)
            _check_after(state, self.parent, self.after, None)
            siblings = agenda.siblings_of(self.parent)
            after = self.after
            if after is None and not self.first:
                after = siblings[-1] if siblings else None
            parent_label = agenda.nodes[self.parent].label if self.parent else None
            number = clean_text(self.number or "", multiline=False)
            if not number and self.kind != "break":
                number = _new_number(state, self.parent, siblings, after)
            label = full_label(parent_label, number)
            if label and any(
                normalize_reference(n.label) == normalize_reference(label) for n in agenda
            ):
                given = "" if self.number else ": give the new item its number"
                raise Refused(f"an item {label} already exists{given}")
            data = ev.AmendData(
                op="add",
                title=title,
                number=number,
                parent=self.parent,
                after=after,
                minutes=self.minutes,
                kind="break" if self.kind == "break" else None,
            )
            if (
                self.new_id is not None
                and self.new_id in agenda.nodes
                and not agenda.nodes[self.new_id].deleted
            ):
                raise Refused(f"an item with id {self.new_id!r} already exists")
            build.add(ev.AgendaAmended, self.new_id or agenda.new_id(label), data)
            return
        if self.item is None:
            raise Refused("which item?")
        node = _live(state, self.item)
        if self.op == "retitle":
            title = clean_text(self.title or "", multiline=False)
            if not title:
                raise Refused("the new title is empty")
            build.add(ev.AgendaAmended, node.id, ev.AmendData(op="retitle", title=title))
        elif self.op == "move":
            self._move(state, node, build)
        elif self.op == "delete":
            live = [
                d
                for d in (node.id, *agenda.descendants(node.id))
                if state.items[d].status != "pending"
            ]
            if live:
                raise Refused(
                    f"{state.ref(live[0])} was already taken up; close or defer it instead"
                )
            build.add(ev.AgendaAmended, node.id, ev.AmendData(op="delete"))

    def _move(self, state: SessionState, node: Node, build: _Builder) -> None:
        agenda = state.agenda
        if self.parent is not None and (
            self.parent == node.id or self.parent in agenda.descendants(node.id)
        ):
            raise Refused(f"{node.ref} cannot move under itself")
        if self.parent is not None:
            _live(state, self.parent)
        _check_after(state, self.parent, self.after, node.id)
        number = clean_text(self.number or "", multiline=False) or None
        if number == node.number:
            number = None
        _check_moved_labels(state, node, self.parent, number)
        build.add(
            ev.AgendaAmended,
            node.id,
            ev.AmendData(op="move", parent=self.parent, after=self.after, number=number),
        )


class AmendAgenda(Command, msgspec.Struct, frozen=True):
    """Several amendments recorded as one action, all of them or none (``amend sync``).

    Each is decided against the agenda as the ones before it leave it (a sub-item is added under
    the item just added); one refused refuses them all, naming it, so a sync stopped half way
    never leaves the agenda half changed. One undo reverts them together.
    """

    command_kind: ClassVar[str] = "agenda.sync"

    amendments: tuple[Amend, ...]

    def decide(self, state: SessionState, build: _Builder) -> None:
        if not self.amendments:
            raise Refused("no amendment to record")
        # What the amendments change (the agenda, its items' list), on copies: ``state`` is
        # the session's own, and nothing is decided yet.
        scratch = SessionState(state.header, copy.deepcopy(state.agenda))
        scratch.items = dict(state.items)
        for amendment in self.amendments:
            start = len(build.drafts)
            try:
                amendment.decide(scratch, build)
            except Refused as exc:
                what = describe_command(scratch, amendment)
                count = len(self.amendments)
                none = f"none of the {count} amendments is" if count > 1 else "it is not"
                raise Refused(f"{what}: {exc}; {none} recorded") from None
            for seq, draft in enumerate(build.drafts[start:], start=start + 1):
                apply_one(scratch, _as_event(draft, seq))


def _as_event(draft: Draft, seq: int) -> ev.Event:
    """A draft as the event it would be (unsealed), for a state to fold before it is saved."""
    return ev.event_class(draft.type)(
        seq=seq,
        id=draft.id,
        at=draft.at,
        recorded=draft.at,
        actor=draft.actor,
        role=draft.role,
        item=draft.item,
        data=draft.data,
        batch=draft.batch,
    )


ADDED_SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies")
"""What follows the number of the item before an item added between two others ("2 bis")."""


def _new_number(
    state: SessionState, parent: str | None, siblings: list[str], after: str | None
) -> str:
    """The number of an item added without one, placed after sibling ``after`` (None: first).

    After every numbered sibling it takes the next of its level's numbering, as the agenda file
    numbers an item without one ("(f)" after 2(e), never "6", which read 2.6). Before a
    numbered sibling the numbers that follow are taken (items keep theirs, as the record and
    the documents name them): it is numbered after the one before it, as agendas number an
    item added there, "2 bis" between 2 and 3 (then "2 ter"), never "4" above 3.

    Raises:
        Refused: placed before every numbered sibling: no number would read in order.
    """
    agenda = state.agenda
    place = siblings.index(after) + 1 if after in siblings else 0
    numbered = [s for s in siblings if agenda.nodes[s].kind != "break" and agenda.nodes[s].number]
    counts = set(numbered)
    later = [s for s in siblings[place:] if s in counts]
    if not later:
        depth = agenda.nodes[parent].depth + 1 if parent is not None else 0
        pattern = numbering_pattern(agenda.meeting.numbering, depth)
        counted = [s for s in siblings if agenda.nodes[s].kind != "break"]
        # The next after the last one the numbering wrote ("4" after 3, with "2 bis" or an
        # added "0" above it): counting the siblings would skip numbers.
        written = {format_number(pattern, n): n for n in range(1, 2 * len(counted) + 2)}
        for sibling in reversed(numbered):
            found = written.get(agenda.nodes[sibling].number)
            if found is not None:
                return format_number(pattern, found + 1)
        return format_number(pattern, len(counted) + 1)
    earlier = [s for s in siblings[:place] if s in counts]
    if not earlier:
        raise Refused(
            f"a new item before {state.ref(later[0])}, the first there, needs its number given"
        )
    base = agenda.nodes[earlier[-1]].number
    core, dot = (base[:-1], ".") if base.endswith(".") and len(base) > 1 else (base, "")
    words = core.split()
    start = 0
    if len(words) > 1 and words[-1].casefold() in ADDED_SUFFIXES:
        # After "2 bis" comes "2 ter".
        start = ADDED_SUFFIXES.index(words[-1].casefold()) + 1
        core = " ".join(words[:-1])
    suffix = ADDED_SUFFIXES[min(start, len(ADDED_SUFFIXES) - 1)]
    return f"{core} {suffix}{dot}"


class AddParticipants(Command, msgspec.Struct, frozen=True):
    """Add States or organizations to the participants register (one event each)."""

    command_kind: ClassVar[str] = "participant.add"

    participants: tuple[Participant, ...]
    replace: bool = False  # a participant already registered is replaced, not refused

    def decide(self, state: SessionState, build: _Builder) -> None:
        if not self.participants:
            raise Refused("no participant to add")
        seen: set[str] = set()
        for participant in self.participants:
            name = clean_text(participant.name, multiline=False)
            key = fold_name(name)
            if not name:
                raise Refused("a participant without a name")
            if participant.kind not in KINDS:
                raise Refused(f"unknown kind {participant.kind!r} (one of {', '.join(KINDS)})")
            if key in seen:
                continue
            seen.add(key)
            known = state.participants.get(key)
            if known is not None and not self.replace:
                raise Refused(f"{known.name} is already in the register")
            groups = [clean_text(g, multiline=False) for g in participant.groups]
            persons = [clean_text(p, multiline=False) for p in participant.persons]
            build.add(
                ev.ParticipantAdded,
                None,
                ev.ParticipantData(
                    name=name,
                    kind=participant.kind,
                    groups=[g for g in groups if g],
                    persons=[p for p in persons if p],
                ),
            )


class RemoveParticipant(Command, msgspec.Struct, frozen=True):
    """Take a participant off the register."""

    command_kind: ClassVar[str] = "participant.remove"

    name: str

    def decide(self, state: SessionState, build: _Builder) -> None:
        known = state.participants.get(fold_name(self.name))
        if known is None:
            raise Refused(f"{self.name!r} is not in the register")
        build.add(ev.ParticipantRemoved, None, ev.ParticipantRef(name=known.name))


class RollCall(Command, msgspec.Struct, frozen=True):
    """Mark participants present or absent at a sitting (the one open, or a numbered one)."""

    command_kind: ClassVar[str] = "attendance.mark"

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    sitting: int | None = None

    def decide(self, state: SessionState, build: _Builder) -> None:
        number = self.sitting
        if number is None:
            current = state.sitting
            if current is None:
                raise Refused("no sitting is open: open one, or name it with --sitting N")
            number = current.number
        elif not any(s.number == number for s in state.sittings):
            raise Refused(f"there is no sitting {number} (there are {len(state.sittings)})")
        if not self.present and not self.absent:
            raise Refused("name at least one participant")

        def registered(names: tuple[str, ...]) -> list[str]:
            out = []
            for name in names:
                known = state.participants.get(fold_name(name))
                if known is None:
                    raise Refused(
                        f"{name!r} is not in the register: add it first (participant add)"
                    )
                out.append(known.name)
            return out

        present, absent = registered(self.present), registered(self.absent)
        build.add(
            ev.AttendanceMarked,
            None,
            ev.AttendanceData(sitting=number, present=present, absent=absent),
        )


def describe_command(state: SessionState | None, command: Command) -> str:
    """What a command tries to do, in words: "close 2(a)" (for refusals in the record, and the
    outbox). Without a ``state``, the item and the speaker are named as the command has them."""
    item = getattr(command, "item", None)
    node = state.agenda.nodes.get(item) if isinstance(item, str) and state is not None else None
    typed = clean_text(item, multiline=False) if isinstance(item, str) else ""
    label = clean_text(node.ref, multiline=False) if node else typed
    name = clean_text(str(getattr(command, "name", None) or "a speaker"), multiline=False)
    if node is not None and state is not None:
        # The tracker names a speaker by id: the record says who it is.
        speaker = _find_speaker(state, node.id, name, ("queued", "speaking", "interrupted", "done"))
        if speaker is not None:
            name = speaker.name
    if isinstance(command, AddSpeaker):
        if command.start:
            return f"give the floor to {name} on {label}"
        return f"add {name} to the speakers on {label}"
    if isinstance(command, SittingCommand):
        return f"{command.action} the sitting"
    if isinstance(command, Amend):
        return f"amend the agenda ({command.op} {label})".replace(" )", ")")
    if isinstance(command, AmendAgenda):
        return f"amend the agenda ({len(command.amendments)} amendments)"
    if isinstance(command, AddNote):
        return f"write {note_kind(command.kind).noun} on {label}"
    phrases = {
        OpenItem.command_kind: f"take up {label}",
        ResumeItem.command_kind: f"resume {label}",
        CloseItem.command_kind: f"close {label}",
        SuspendItem.command_kind: f"suspend {label}",
        DeferItem.command_kind: f"defer {label}",
        NextItem.command_kind: "take up the next item",
        EditNote.command_kind: "edit a note",
        DeleteNote.command_kind: "delete a note",
        StartSpeaker.command_kind: f"give the floor to {name} on {label}",
        StopSpeaker.command_kind: f"end the speech on {label}",
        RemoveSpeaker.command_kind: f"remove {name} from the speakers on {label}",
        Undo.command_kind: "undo",
    }
    return phrases.get(command.command_kind, command.command_kind)


def refusal_draft(
    state: SessionState,
    command: Command,
    reason: str,
    *,
    actor: str,
    role: str | None,
    at: dt.datetime,
) -> Draft:
    """The ``command.refused`` event that records a conflict (see ``Conflict``).

    It has no ``batch``, so ``undo`` never picks it, and the fold ignores its type.
    """
    item = getattr(command, "item", None)
    return Draft(
        id=uuid.uuid4().hex,
        at=at,
        actor=actor,
        role=role,
        type=ev.REFUSED_TYPE,
        item=item if isinstance(item, str) and item in state.agenda.nodes else None,
        data=ev.RefusedData(
            what=describe_command(state, command), reason=reason, command=command.command_kind
        ),
    )


LEGACY_COMMAND_KINDS = {
    "OpenItem": "item.open",
    "ResumeItem": "item.resume",
    "CloseItem": "item.close",
    "SuspendItem": "item.suspend",
    "DeferItem": "item.defer",
    "NextItem": "item.next",
    "SittingCommand": "sitting.change",
    "AddNote": "note.add",
    "EditNote": "note.edit",
    "DeleteNote": "note.delete",
    "AddSpeaker": "speaker.add",
    "StartSpeaker": "speaker.start",
    "StopSpeaker": "speaker.stop",
    "RemoveSpeaker": "speaker.remove",
    "Undo": "undo",
    "Amend": "agenda.amend",
    "AddParticipants": "participant.add",
    "RemoveParticipant": "participant.remove",
    "RollCall": "attendance.mark",
}
"""What logs of version 1 stored for a refused command (its class name then), by its kind."""


def command_kind_of(stored: str) -> str:
    """A refusal's ``data.command`` as a command kind, in a log of any version."""
    return LEGACY_COMMAND_KINDS.get(stored, stored)
