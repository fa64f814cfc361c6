"""Event and header records of the session log: their types, line encoding, checksum and hash chain.

A line is the JSON of a record with its ``sum`` last. ``sum`` is the first 32 hex digits of the
SHA-256 of the line's bytes *without* the ``,"sum":"..."`` part; every event carries in ``prev``
the ``sum`` of the line before it (the header's for the first event), which chains the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

import msgspec

from sessiontui.core.agenda import AgendaFile

FORMAT = "sessiontui-log"
FORMAT_VERSION = 1
MAX_LINE_BYTES = 1024 * 1024
SUM_HEX = 32

_SUM_MARK = b',"sum":"'

REFUSED_TYPE = "command.refused"
"""A recorded conflict; the fold ignores it, the journal shows it."""


class Header(msgspec.Struct, kw_only=True):
    """The first line of a log: what the session is and the agenda as it was loaded."""

    format: str
    version: int
    session: str
    created: dt.datetime
    agenda: dict[str, Any]
    agenda_path: str | None = None
    agenda_sha256: str | None = None
    sum: str = ""


class Event(msgspec.Struct, kw_only=True):
    """One thing that happened, as recorded.

    ``at`` is when it happened (may be back-dated for corrections), ``recorded`` when it was
    written. ``batch`` groups the events one command produced (undo reverts a whole batch).
    """

    seq: int
    id: str
    at: dt.datetime
    recorded: dt.datetime
    actor: str
    type: str
    item: str | None = None
    data: dict[str, Any] = {}
    role: str | None = None
    batch: str | None = None
    prev: str = ""
    sum: str = ""


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
    data: dict[str, Any] = {}
    role: str | None = None
    batch: str | None = None


class LineError(ValueError):
    """A line is not a valid record; the message says why."""


_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(Event)
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
    for draft in drafts:
        seq += 1
        event = Event(
            seq=seq,
            id=draft.id,
            at=draft.at,
            recorded=recorded,
            actor=draft.actor,
            role=draft.role,
            type=draft.type,
            item=draft.item,
            data=draft.data,
            batch=draft.batch,
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
    if len(line) > MAX_LINE_BYTES:
        raise LineError("line longer than 1 MiB")
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
    try:
        event = _event_decoder.decode(line)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise LineError(f"not a valid event: {exc}") from None
    if event.at.tzinfo is None or event.recorded.tzinfo is None:
        raise LineError("event time without a time zone")
    return event


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
    if header.version != FORMAT_VERSION:
        raise LineError(
            f"log format version {header.version} is not supported (this is {FORMAT_VERSION})"
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
    )
