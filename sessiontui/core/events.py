"""Event and header records of the session log: their types, line encoding, checksum and hash chain.

A line is the JSON of a record with its ``sum`` last. ``sum`` is the first 32 hex digits of the
SHA-256 of the line's bytes *without* the ``,"sum":"..."`` part; every event carries in ``prev``
the ``sum`` of the line before it (the header's for the first event), which chains the record.
"""

# No ``from __future__ import annotations`` here: the decoder built at import would have
# msgspec compile and evaluate every field's annotation string of every event type, which
# every command and the tracker's start pay. A struct's field types are defined above it.
import datetime as dt
import functools
import hashlib
import types
import uuid
from collections.abc import Iterable, Sequence
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    Union,
    cast,
    get_args,
    get_origin,
)

import msgspec

from sessiontui.core import bounds
from sessiontui.core.agenda import AgendaFile
from sessiontui.core.clock import creation_zone_name
from sessiontui.core.vocabulary import NOTE_KINDS, SPEAKER_KINDS

FORMAT = "sessiontui-log"
FORMAT_VERSION = 2
"""The version new logs are written in; every version up to it is read (see ``docs/internals.md``)."""
READABLE_VERSIONS = (1, 2)
MAX_LINE_BYTES = 1024 * 1024
SUM_HEX = 32

_SUM_MARK = b',"sum":"'
_SUM_START = len(_SUM_MARK)
_SOUND_TAIL = _SUM_START + SUM_HEX + 3
"""From the sum's mark to the end of a sound line: the mark, the digits, ``"}`` and newline."""
_sha256 = hashlib.sha256
CLAIMED_SUM = slice(-SUM_HEX - 3, -3)
"""Where the sum ``check_line`` returns lies in a line it accepted that ends in one newline."""

# -- event type names (the ``type`` of a line; never renamed: old logs spell them so) -------------

SITTING_OPEN = "sitting.open"
SITTING_SUSPEND = "sitting.suspend"
SITTING_RESUME = "sitting.resume"
SITTING_CLOSE = "sitting.close"
ITEM_OPEN = "item.open"
ITEM_RESUME = "item.resume"
ITEM_CLOSE = "item.close"
ITEM_SUSPEND = "item.suspend"
ITEM_DEFER = "item.defer"
NOTE_ADD = "note.add"
NOTE_EDIT = "note.edit"
NOTE_DELETE = "note.delete"
SPEAKER_ADD = "speaker.add"
SPEAKER_START = "speaker.start"
SPEAKER_STOP = "speaker.stop"
SPEAKER_REMOVE = "speaker.remove"
SPEAKER_MOVE = "speaker.move"
AGENDA_AMEND = "agenda.amend"
PARTICIPANT_ADD = "participant.add"
PARTICIPANT_REMOVE = "participant.remove"
ATTENDANCE_MARK = "attendance.mark"
UNDO = "undo"
REFUSED_TYPE = "command.refused"
"""A recorded conflict; the fold ignores it, the journal shows it."""
LOG_REPAIR = "log.repair"
"""A marker ``repair`` leaves where it set damaged lines aside; not part of the session."""
LOG_ROLLBACK = "log.rollback"
"""A PostgreSQL session's loss of events an account had seen, accepted with ``repair``: an
event of the session (it has its ``seq``) that changes nothing."""


class Header(msgspec.Struct, kw_only=True):
    """The first line of a log: what the session is and the agenda as it was loaded."""

    format: str
    version: int
    session: str
    created: dt.datetime
    agenda: dict[str, Any]
    agenda_path: str | None = None
    agenda_sha256: str | None = None
    timezone: str | None = None
    """The session's zone (IANA name), fixed at creation; older logs lack it (see core/clock.py)."""
    sum: str = ""


# -- payloads: what an event says beyond who, when and which item ---------------------------------
# Written without their defaults (``omit_defaults``), so a payload spells what the command said
# and nothing else, in the order of its fields.
#
# Their fields carry the bounds a reader holds them to (``core.bounds``: sizes, words, ranges),
# checked by the decoder as it reads a line: a line that decodes is known to be within them,
# and the fold does not check its payload again. A line that steps outside them is decoded
# again without them (``decode_event``) and judged by the fold, in the same words as ever.
# Building a payload in Python checks nothing (``decide`` does, before anything is written).
if TYPE_CHECKING:
    Id = str
    Name = str
    Text = str
    NoteKind = str
    SpeakerKind = str
    AmendOp = str
    SpeakingLimit = float
    Minutes = float
    Instant = dt.datetime
else:
    Id = Annotated[str, msgspec.Meta(min_length=1, max_length=bounds.MAX_ID_CHARS)]
    Name = Annotated[str, msgspec.Meta(max_length=bounds.MAX_NAME_CHARS)]
    Text = Annotated[str, msgspec.Meta(max_length=bounds.MAX_TEXT_CHARS)]
    NoteKind = Literal[NOTE_KINDS]
    SpeakerKind = Literal[SPEAKER_KINDS]
    AmendOp = Literal[bounds.AMEND_OPS]
    SpeakingLimit = Annotated[float, msgspec.Meta(gt=0, le=bounds.MAX_SPEAKING_LIMIT_SECONDS)]
    Minutes = Annotated[float, msgspec.Meta(ge=0, le=bounds.MAX_ITEM_MINUTES)]
    # An event's times: a time without a zone is damage (``decode_event_bounded`` names it).
    # The decoder refuses one as it parses, so a run of lines decoded at once needs no pass
    # over its events to find one; the types decoded without bounds accept it, to name it.
    Instant = Annotated[dt.datetime, msgspec.Meta(tz=True)]


class Payload(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The ``data`` of an event; this one alone for events that say nothing more."""

    corrected: bool = False
    """Recorded with ``--at`` (a correction after the fact)."""


class SittingOpenData(Payload):
    """A sitting opened: its label if one was given; ``implicit`` when taking an item up did it."""

    label: Name | None = None
    implicit: bool = False


class NoteAddData(Payload):
    """A note written: its id, kind (note, decision, action) and text."""

    note: Id
    kind: NoteKind
    text: Text


class NoteEditData(Payload):
    """A note's new text, and its new kind if that changed."""

    note: Id
    text: Text
    kind: NoteKind | None = None


class NoteRef(Payload):
    """The note an event is about (deleted)."""

    note: Id


class SpeakerAddData(Payload):
    """A speaker put on an item's list: ``name`` the State or organization, ``on_behalf_of`` the
    group it speaks for, ``person`` the individual; ``delegation`` is the older free field."""

    speaker: Id
    name: Name
    kind: SpeakerKind
    delegation: Name | None = None
    on_behalf_of: str | None = None
    person: str | None = None
    limit: SpeakingLimit | None = None


class SpeakerRef(Payload):
    """The speaker an event is about (given the floor, done, taken off the list)."""

    speaker: Id


class SpeakerStartData(SpeakerRef):
    """A speaker given the floor: ``interrupts`` names the speaker a point of order interrupts
    (their time stops); ``resumes`` when an interrupted speaker gets the floor back."""

    interrupts: str | None = None
    resumes: bool = False


class SpeakerMoveData(SpeakerRef):
    """A waiting speaker moved to ``position`` (0: first) among the speakers still waiting."""

    position: int


class SpeakerStopData(SpeakerRef):
    """A speech ended; ``implicit`` when the command ended it by moving the floor on."""

    implicit: bool = False


class AmendData(Payload):
    """An agenda amendment; ``parent`` and ``after`` are written (maybe null) when they apply."""

    op: AmendOp
    title: Name | None = None
    number: Name | None = None
    parent: Id | msgspec.UnsetType | None = msgspec.UNSET
    after: Id | msgspec.UnsetType | None = msgspec.UNSET
    minutes: Minutes | None = None
    kind: Literal["break"] | None = None  # add: a break (``kind = "break"``); else an item


class ParticipantData(Payload):
    """A State or organization put on the participants register (see ``core.register``)."""

    name: str
    kind: str
    groups: list[str]
    persons: list[str]


class ParticipantRef(Payload):
    """The participant an event is about (taken off the register), by name."""

    name: str


class AttendanceData(Payload):
    """A roll call at sitting ``sitting``: who was marked present and who absent."""

    sitting: int
    present: list[str]
    absent: list[str]


class UndoData(Payload):
    """The batch an undo reverts, and what it was in words."""

    batch: Id
    what: Text = ""


class RefusedData(Payload):
    """A refused command: what it tried, why not, and its kind (``Command.command_kind``).

    Logs of version 1 hold the command's class name in ``command`` instead of its kind.
    """

    what: Text
    reason: Text
    command: Name


class MovedFrom(msgspec.Struct, kw_only=True):
    """The head a log had before a repair or a copy rewrote it: its last line's sum, its size."""

    sum: str
    bytes: int = 0
    seq: int | None = None
    sha256: str = ""
    """Of the whole file before: an anchor taken of it is recognised as moved, not rewritten."""


class RepairData(Payload):
    """What ``repair`` did at this place (see ``store.evidence``): where it set lines aside,
    which ``seq`` are missing (a recorded gap) and why, and where the chain goes on after the
    gap (``next_prev``, ``next_seq``; without them it goes on from this record). The last
    record of a repair names the head the log had before (``moved_from``)."""

    side_file: str | None = None
    lines: list[int] = []
    bytes: int = 0
    sha256: str = ""
    next_prev: str | None = None
    next_seq: int | None = None
    reason: str = ""
    missing: list[int] | None = None
    moved_from: MovedFrom | None = None


class RollbackData(Payload):
    """What ``repair URL`` accepted on a PostgreSQL session that no longer held what the
    account last saw of it (restored from an older backup, or rewritten): the head it saw
    (``moved_from``: the ``seq`` and checksum of the last line seen) and the ``seq`` it had
    seen that the session no longer held (numbered again from there on)."""

    missing: list[int] = []
    moved_from: MovedFrom | None = None
    reason: str = ""


# -- events: one struct per type, a tagged union on ``type`` --------------------------------------


class Event(msgspec.Struct, kw_only=True, tag_field="type"):
    """One thing that happened, as recorded; each event type is a subclass with its payload.

    ``at`` is when it happened (may be back-dated for corrections), ``recorded`` when it was
    written. ``batch`` groups the events one command produced (undo reverts a whole batch).
    ``type`` is the class's tag (``"note.add"``), written first on the line.
    """

    type: ClassVar[str]

    seq: int
    id: str
    at: Instant
    recorded: Instant
    actor: str
    item: str | None = None
    data: Payload = msgspec.field(default_factory=Payload)
    role: str | None = None
    batch: str | None = None
    # On the first event of a command that wrote several: how many, so that a command cut
    # off at a line boundary is seen (``store.evidence``). Not written on any other event.
    size: int | msgspec.UnsetType = msgspec.UNSET
    prev: str = ""
    sum: str = ""


class SittingOpened(Event, tag=SITTING_OPEN, kw_only=True):
    """A sitting opened."""

    data: SittingOpenData = msgspec.field(default_factory=SittingOpenData)


class SittingSuspended(Event, tag=SITTING_SUSPEND, kw_only=True):
    """The sitting suspended (a break): no clock runs."""


class SittingResumed(Event, tag=SITTING_RESUME, kw_only=True):
    """The sitting resumed after a suspension."""


class SittingClosed(Event, tag=SITTING_CLOSE, kw_only=True):
    """The sitting closed: the item on the floor comes off it."""


class ItemOpened(Event, tag=ITEM_OPEN, kw_only=True):
    """An item taken up (a reopening if it was closed)."""


class ItemResumed(Event, tag=ITEM_RESUME, kw_only=True):
    """A suspended item taken up again."""


class ItemClosed(Event, tag=ITEM_CLOSE, kw_only=True):
    """An item concluded, with its sub-items still open."""


class ItemSuspended(Event, tag=ITEM_SUSPEND, kw_only=True):
    """An item taken off the floor without concluding it."""


class ItemDeferred(Event, tag=ITEM_DEFER, kw_only=True):
    """An item postponed."""


class NoteAdded(Event, tag=NOTE_ADD, kw_only=True):
    """A note, decision or action point written on an item."""

    data: NoteAddData


class NoteEdited(Event, tag=NOTE_EDIT, kw_only=True):
    """A note's text (and maybe kind) replaced; the earlier text stays in its history."""

    data: NoteEditData


class NoteDeleted(Event, tag=NOTE_DELETE, kw_only=True):
    """A note deleted (it stays in the record as deleted)."""

    data: NoteRef


class SpeakerAdded(Event, tag=SPEAKER_ADD, kw_only=True):
    """A speaker put on an item's list."""

    data: SpeakerAddData


class SpeakerStarted(Event, tag=SPEAKER_START, kw_only=True):
    """A speaker given the floor (perhaps interrupting another, or resuming)."""

    data: SpeakerStartData


class SpeakerStopped(Event, tag=SPEAKER_STOP, kw_only=True):
    """A speech ended."""

    data: SpeakerStopData


class SpeakerRemoved(Event, tag=SPEAKER_REMOVE, kw_only=True):
    """A queued speaker taken off the list."""

    data: SpeakerRef


class SpeakerMoved(Event, tag=SPEAKER_MOVE, kw_only=True):
    """A waiting speaker moved up or down the list."""

    data: SpeakerMoveData


class AgendaAmended(Event, tag=AGENDA_AMEND, kw_only=True):
    """The agenda amended: an item added, retitled, moved or deleted."""

    data: AmendData


class ParticipantAdded(Event, tag=PARTICIPANT_ADD, kw_only=True):
    """A participant put on the register (or replaced there)."""

    data: ParticipantData


class ParticipantRemoved(Event, tag=PARTICIPANT_REMOVE, kw_only=True):
    """A participant taken off the register."""

    data: ParticipantRef


class AttendanceMarked(Event, tag=ATTENDANCE_MARK, kw_only=True):
    """A roll call taken."""

    data: AttendanceData


class Undone(Event, tag=UNDO, kw_only=True):
    """An actor's last batch reverted (the fold leaves that batch out)."""

    data: UndoData


class CommandRefused(Event, tag=REFUSED_TYPE, kw_only=True):
    """A conflict: a command refused because someone changed the item first."""

    data: RefusedData


class LogRepaired(Event, tag=LOG_REPAIR, kw_only=True):
    """Where ``repair`` set damaged lines aside."""

    data: RepairData


class RollbackAccepted(Event, tag=LOG_ROLLBACK, kw_only=True):
    """A PostgreSQL session's loss of events an account had seen, accepted by that account
    with ``repair``: recorded in the session, since the server keeps no other trace of it."""

    data: RollbackData


def rollback_described(event: RollbackAccepted) -> str:
    """What a ``log.rollback`` record says was lost, in words: the record is read afterwards,
    and what it no longer holds is said in it."""
    data = event.data
    seen = data.moved_from
    upto = f" up to the line with checksum {seen.sum}" if seen is not None and seen.sum else ""
    if data.missing:
        first, last = data.missing[0], data.missing[-1]
        what = f"seq {first}" if first == last else f"records seq {first}-{last}"
        return (
            f"{what}, seen by {event.actor}{upto}, no longer on the server (restored from an "
            f"older backup?); accepted with repair: what is numbered so from here on is "
            "another record"
        )
    return (
        f"the session no longer held what {event.actor} had seen{upto} (rewritten); "
        "accepted with repair"
    )


def gap_described(event: LogRepaired) -> str | None:
    """What records a ``log.repair`` record says are missing, and where they went; None for a
    record of a repair that left nothing out (``moved_from``)."""
    data = event.data
    if data.moved_from is not None:
        return None
    if data.missing:
        seqs = ", ".join(str(seq) for seq in data.missing)
        what = f"{'seq' if len(data.missing) == 1 else 'records seq'} {seqs}"
    elif data.missing is not None:
        what = data.reason or "a break in the records"
    else:
        what = f"the records before seq {data.next_seq}"
    where = f" (set aside in {data.side_file})" if data.side_file else ""
    return f"{what} recorded as a gap by repair{where}"


EVENT_CLASSES: tuple[type[Event], ...] = (
    SittingOpened,
    SittingSuspended,
    SittingResumed,
    SittingClosed,
    ItemOpened,
    ItemResumed,
    ItemClosed,
    ItemSuspended,
    ItemDeferred,
    NoteAdded,
    NoteEdited,
    NoteDeleted,
    SpeakerAdded,
    SpeakerStarted,
    SpeakerStopped,
    SpeakerRemoved,
    SpeakerMoved,
    AgendaAmended,
    ParticipantAdded,
    ParticipantRemoved,
    AttendanceMarked,
    Undone,
    CommandRefused,
    LogRepaired,
    RollbackAccepted,
)
"""Every event type this program knows (a line of another type is read as ``OtherEvent``)."""

if TYPE_CHECKING:
    AnyEvent = Event
else:
    AnyEvent = Union[EVENT_CLASSES]  # noqa: UP007 (made from the tuple at run time)
"""An event of any known type, for a struct field that holds events (decoded by type)."""

EVENT_CLASS: dict[str, type[Event]] = {}
for _cls in EVENT_CLASSES:
    _cls.type = str(_cls.__struct_config__.tag)
    EVENT_CLASS[_cls.type] = _cls


class OtherEvent(Event, kw_only=True):
    """An event of a type this program does not know (from a newer version).

    One subclass per such type is made when first read (``other_event_class``), so its ``type``
    survives; its payload is read as a bare ``Payload`` (the fold and the journal ignore it;
    the JSON export copies the line's own ``data``).
    """

    # Decoded as written, a time without a zone too: ``decode_event_bounded`` names it.
    at: dt.datetime
    recorded: dt.datetime


def event_class(type_name: str) -> type[Event]:
    """The struct of events of a type (``OtherEvent`` subclass for a type not known here)."""
    return EVENT_CLASS.get(type_name) or other_event_class(type_name)


def payload_type(event: type[Event]) -> type[Payload]:
    """The payload struct an event type carries in ``data``."""
    data = next(field for field in msgspec.structs.fields(event) if field.name == "data")
    return cast("type[Payload]", data.type)


@functools.cache
def other_event_class(type_name: str) -> type[OtherEvent]:
    """The class of events of an unknown type (made once per type)."""
    cls = cast(
        "type[OtherEvent]",
        msgspec.defstruct(
            "OtherEvent", [], bases=(OtherEvent,), tag=type_name, kw_only=True, module=__name__
        ),
    )
    cls.type = type_name
    return cls


class EventText(msgspec.Struct, kw_only=True):
    """An event as its line spells it: instants as written, ``data`` as raw JSON.

    For copying events out (the JSON export): no datetime is parsed and no dict is built, which
    is most of the cost of decoding an ``Event``. The fields are in the order the export lists
    them (its ``EventOut``), so an event it lists as written is encoded as it is.
    """

    seq: int
    id: str
    at: str
    recorded: str
    actor: str
    role: str | None = None
    type: str
    item: str | None = None
    batch: str | None = None
    data: msgspec.Raw = msgspec.Raw(b"{}")


class Draft(msgspec.Struct, kw_only=True):
    """An event decided by the domain, before the store gives it a place (seq, prev, sum)."""

    id: str
    at: dt.datetime
    actor: str
    type: str
    item: str | None = None
    data: Payload = msgspec.field(default_factory=Payload)
    role: str | None = None
    batch: str | None = None


class LineError(ValueError):
    """A line is not a valid record; the message says why."""


_encoder = msgspec.json.Encoder()
# A union built from the tuple: adding a type to EVENT_CLASSES is all the decoder needs.
_event_decoder = msgspec.json.Decoder(AnyEvent)


def _unbounded(annotation: Any) -> Any:
    """A field's type without the bounds on it: ``Annotated`` constraints dropped, words as text."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unbounded(get_args(annotation)[0])
    if origin is Literal:
        return str
    if origin is Union or origin is types.UnionType:
        return Union[tuple(_unbounded(arg) for arg in get_args(annotation))]  # noqa: UP007
    return annotation


def _unbounded_payload(cls: type[Payload]) -> type[Payload]:
    """The same payload with no bounds on its fields (``cls`` itself if it has none)."""
    fields: list[tuple[str, Any, Any]] = []
    bounded = False
    for field in msgspec.structs.fields(cls):
        loose = _unbounded(field.type)
        bounded = bounded or loose != field.type
        default = (
            msgspec.field(default_factory=field.default_factory)
            if field.default_factory is not msgspec.NODEFAULT
            else field.default
        )
        fields.append((field.name, loose, default))
    if not bounded:
        return cls
    made = msgspec.defstruct(
        cls.__name__, fields, kw_only=True, omit_defaults=True, module=__name__
    )
    return cast("type[Payload]", made)


def _unbounded_event(cls: type[Event]) -> type[Event]:
    """The same event type with an unbounded payload and its times without a zone allowed,
    decoding what ``cls`` decodes and more."""
    payload = payload_type(cls)
    loose = _unbounded_payload(payload)
    data = next(field for field in msgspec.structs.fields(cls) if field.name == "data")
    default = (
        msgspec.field(default_factory=loose)
        if data.default_factory is not msgspec.NODEFAULT
        else msgspec.NODEFAULT
    )
    made = msgspec.defstruct(
        cls.__name__,
        [("at", dt.datetime), ("recorded", dt.datetime), ("data", loose, default)],
        bases=(cls,),
        tag=cls.type,
        kw_only=True,
        module=__name__,
    )
    _BOUNDED[made] = (cls, payload)
    return cast("type[Event]", made)


_BOUNDED: dict[type, tuple[type[Event], type[Payload]]] = {}
"""An unbounded event type's own type and payload type."""


@functools.cache
def _unbounded_decoder() -> msgspec.json.Decoder[Event]:
    """The decoder of events with their payloads' bounds dropped, made when first needed.

    Only a line outside the bounds needs it: making its types (msgspec resolving every
    field's annotation of every event type again) was most of the cost of importing this
    module, which every command and the tracker's start pay.
    """
    unbounded = tuple(_unbounded_event(cls) for cls in EVENT_CLASSES)
    return msgspec.json.Decoder(Union[unbounded])  # noqa: UP007


def _bounded(event: Event) -> Event:
    """An event decoded without bounds, as its own type (fields as they are: nothing checked)."""
    own = _BOUNDED.get(event.__class__)
    if own is None:
        return event
    cls, payload = own
    data = event.data
    fields = {name: getattr(event, name) for name in cls.__struct_fields__}
    if data.__class__ is not payload:
        fields["data"] = payload(
            **{name: getattr(data, name) for name in payload.__struct_fields__}
        )
    return cls(**fields)


class _TypeOnly(msgspec.Struct):
    type: str = ""


_type_decoder = msgspec.json.Decoder(_TypeOnly)
_header_decoder = msgspec.json.Decoder(Header)
_event_text_decoder = msgspec.json.Decoder(EventText)


def line_sum(body: bytes) -> str:
    """Checksum of a line body (the line without its sum)."""
    return hashlib.sha256(body).hexdigest()[:SUM_HEX]


def seal(record: Header | Event) -> bytes:
    """Encode a record as one newline-terminated line, filling in its ``sum``."""
    record.sum = ""
    encoded = _encoder.encode(record)
    # The struct encodes ``sum`` last; drop the empty one, checksum the rest, then add the real one.
    body = encoded[: encoded.rindex(_SUM_MARK)] + b"}"
    record.sum = line_sum(body)
    return body[:-1] + _SUM_MARK + record.sum.encode() + b'"}\n'


def split_sum(line: bytes) -> tuple[bytes, str]:
    """The body a line's checksum covers and the checksum it claims.

    Raises:
        LineError: the line has no well-formed trailing sum.
    """
    stripped = line.rstrip(b"\n")
    mark = stripped.rfind(_SUM_MARK)
    tail = stripped[mark + len(_SUM_MARK) :] if mark >= 0 else b""
    if mark < 0 or len(tail) != SUM_HEX + 2 or not tail.endswith(b'"}'):
        raise LineError("no checksum at the end of the line")
    return stripped[:mark] + b"}", tail[:SUM_HEX].decode("ascii", "replace")


def seal_drafts(
    drafts: Sequence[Draft], *, prev: str, seq: int, recorded: dt.datetime
) -> tuple[list[Event], list[bytes]]:
    """Give drafts their place after ``seq``/``prev``: numbered, chained and sealed lines.

    Raises:
        LineError: an entry would be longer than a record may be (1 MiB).
    """
    events: list[Event] = []
    lines: list[bytes] = []
    sizes: dict[str | None, int] = {}
    for draft in drafts:
        sizes[draft.batch] = sizes.get(draft.batch, 0) + 1
    for draft in drafts:
        seq += 1
        size = sizes.pop(draft.batch, 1) if draft.batch is not None else 1
        event = event_class(draft.type)(
            seq=seq,
            id=draft.id,
            at=draft.at,
            recorded=recorded,
            actor=draft.actor,
            role=draft.role,
            item=draft.item,
            data=draft.data,
            batch=draft.batch,
            size=size if size > 1 else msgspec.UNSET,
            prev=prev,
        )
        line = seal(event)
        if len(line) > MAX_LINE_BYTES:
            raise LineError("the entry is too large to record (over 1 MiB)")
        prev = event.sum
        events.append(event)
        lines.append(line)
    return events, lines


def check_line(line: bytes) -> str:
    """Verify a line's own checksum; return it.

    Raises:
        LineError: too long, or the bytes do not match their checksum.
    """
    size = len(line)
    if size > MAX_LINE_BYTES:
        raise LineError("line longer than 1 MiB")
    # A sound line (every line of a long log) ends in ``,"sum":"<32 hex>"}`` and one newline:
    # its body is hashed where it lies, without the copies ``split_sum`` makes. A sum that
    # matches is 32 hex digits, so the mark found here is the last one, as ``split_sum``'s.
    # Anything else goes the long way, which names what is wrong.
    mark = size - _SOUND_TAIL
    if mark >= 0 and line.endswith(b'"}\n') and line.startswith(_SUM_MARK, mark):
        claimed = line[mark + _SUM_START : size - 3].decode("ascii", "replace")
        if _sha256(line[:mark] + b"}").hexdigest()[:SUM_HEX] == claimed:
            return claimed
    body, claimed = split_sum(line)
    if line_sum(body) != claimed:
        raise LineError("checksum mismatch")
    return claimed


def _reject_constant(name: str) -> Any:
    raise LineError(f"non-finite number {name} in record")


def strict_check(body: bytes) -> None:
    """Refuse what msgspec would accept but a record must not hold: duplicate keys, NaN/Infinity.

    msgspec already rejects NaN/Infinity literals and invalid UTF-8; duplicate keys need the
    standard parser's hook. ``verify`` runs it on every line; opening a log does not (it would
    double the cost of reading a long session).
    """
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise LineError("duplicate key in record")
        return dict(pairs)

    try:
        json.loads(body, object_pairs_hook=no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise LineError(str(exc) or "invalid JSON") from None


def decode_event(line: bytes) -> Event:
    """Decode a checked event line.

    Raises:
        LineError: not a valid event record.
    """
    return decode_event_bounded(line)[0]


def decode_event_bounded(line: bytes) -> tuple[Event, bool]:
    """Decode a checked event line; and whether its payload is within the bounds.

    True: every field of its payload is within what ``core.bounds`` allows a reader (the
    decoder checked them). False: it may not be (or is of a type this version does not know):
    the fold judges it in full.

    Raises:
        LineError: not a valid event record.
    """
    bounded = True
    try:
        event = _event_decoder.decode(line)
    except (msgspec.DecodeError, RecursionError):
        # Outside the bounds, or not an event at all: decoded as a reader always did.
        bounded = False
        try:
            event = _bounded(_unbounded_decoder().decode(line))
        except (msgspec.DecodeError, RecursionError) as exc:
            event = _other_event(line, exc)
    if event.at.tzinfo is None or event.recorded.tzinfo is None:
        raise LineError("event time without a time zone")
    return event, bounded


def decode_events_bounded(lines: Iterable[bytes]) -> list[Event] | None:
    """Decode checked event lines at once, each within the bounds; None if any is not (or is
    not an event of a known type, or has a time without a zone).

    The same events ``decode_event_bounded`` gives line by line, with no Python work per line:
    a long log's lines are nearly all like that. On None, decode them one at a time: that
    says which line is what.
    """
    try:
        # A time without a zone is refused by the decoder itself (``Instant``).
        return list(map(_event_decoder.decode, lines))
    except (msgspec.DecodeError, RecursionError):
        return None


def decode_block_bounded(block: bytes | memoryview) -> list[Event] | None:
    """``decode_events_bounded`` of the lines of ``block`` (each ending in a newline), each
    of which ``line_place`` read as one JSON object: decoded at once, not split first.

    The decoder reads JSON values one after the other, whatever whitespace (a newline, too)
    lies between them: only lines known to hold one object each come out one event a line.
    """
    try:
        return _event_decoder.decode_lines(block)
    except (msgspec.DecodeError, RecursionError):
        return None


class _Place(msgspec.Struct):
    """The keys of a record that place it in the log (every other key is skipped)."""

    type: str
    seq: int


_place_decoder = msgspec.json.Decoder(_Place)


def line_place(line: bytes) -> tuple[int, bool] | None:
    """A line's ``seq`` and whether it is a ``log.repair`` record, if the line holds exactly
    one JSON object with a ``type`` and an integer ``seq``; else None.

    The event decoder reads the same keys alike (the last of a repeated key; a second
    ``type`` that differs from the first it refuses), so a line it decodes as an event has
    this ``seq`` and is a ``LogRepaired`` exactly when this says so.
    """
    try:
        place = _place_decoder.decode(line)
    except (msgspec.DecodeError, RecursionError):
        return None
    return place.seq, place.type == LOG_REPAIR


_PREV_MARK = b',"prev":"'
PREV_TAIL = slice(-_SOUND_TAIL - 1 - SUM_HEX - len(_PREV_MARK), -_SOUND_TAIL)
"""Where a written line's ``,"prev":"<32 hex>"`` lies: just before its sum (``prev_tail``)."""


def prev_tail(prev: bytes) -> bytes:
    """What a line ``check_line`` accepted holds at ``PREV_TAIL`` when it names ``prev`` (32 hex
    digits) as the sum of the line before it, as every written line does.

    The event decoder, if it decodes the line, then reads ``prev`` as its ``prev``: a line it
    decodes is one JSON object, and the quotes of that tail are all unescaped (none follows a
    backslash), so the tail is the object's last two members (``prev``, then the ``sum``
    ``check_line`` returned) and its own closing brace; of a repeated key, the last is the
    one decoded.
    """
    return _PREV_MARK + prev + b'"'


def _other_event(line: bytes, exc: Exception) -> Event:
    """A line the union refused: an event of an unknown type, kept as written, or an error."""
    try:
        type_name = _type_decoder.decode(line).type
        if type_name in EVENT_CLASS:
            raise LineError(f"not a valid event: {exc}")
        return msgspec.json.decode(line, type=other_event_class(type_name))
    except (msgspec.DecodeError, RecursionError):
        raise LineError(f"not a valid event: {exc}") from None


def decode_event_texts(lines: bytes | memoryview) -> list[EventText]:
    """Decode checked event lines (one or more, each ending in a newline) as ``EventText``.

    Raises:
        LineError: a line is not a valid event record.
    """
    try:
        return _event_text_decoder.decode_lines(lines)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise LineError(f"not a valid event: {exc}") from None


def decode_header(line: bytes) -> Header:
    """Decode a checked header line.

    Raises:
        LineError: not a sessiontui log header, or a format version this program cannot read.
    """
    try:
        header = _header_decoder.decode(line)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise LineError(f"not a sessiontui log header: {exc}") from None
    if header.format != FORMAT:
        raise LineError("not a sessiontui log")
    if header.version not in READABLE_VERSIONS:
        raise LineError(
            f"log format version {header.version} is not supported (this program reads up to {FORMAT_VERSION})"
        )
    return header


def new_header(
    agenda: AgendaFile,
    *,
    created: dt.datetime,
    agenda_path: str | None = None,
    agenda_sha256: str | None = None,
    session_id: str | None = None,
) -> Header:
    """The header of a new session log, snapshotting the agenda as loaded."""
    return Header(
        format=FORMAT,
        version=FORMAT_VERSION,
        session=session_id or uuid.uuid4().hex,
        created=created,
        agenda=msgspec.to_builtins(agenda, builtin_types=(dt.date,)),
        agenda_path=agenda_path,
        agenda_sha256=agenda_sha256,
        timezone=creation_zone_name(agenda.meeting.timezone),
    )
