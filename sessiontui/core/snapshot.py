"""The folded session state as bytes and back: the content of a checkpoint (a cache, never the record)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Generic, TypeVar

import msgspec

from sessiontui.core.agenda import Agenda, Node
from sessiontui.core.events import AnyEvent, Header
from sessiontui.core.register import Participant
from sessiontui.core.state import (
    FLOOR_FIELDS,
    FloorInterval,
    ItemState,
    Note,
    SessionState,
    Sitting,
    floor_fields,
)

SNAPSHOT_VERSION = 5
"""Changes with the format (4: each item's last take-up, ``ItemState.taken_up_as``, and every
event of an undoable batch, ``batch_rest``, which a state of version 3 lacks: an undo would be
recorded as "undid: took up" of a resumption, or name the first event of a ``next`` alone; 5:
the register keyed by ``register.fold`` with apostrophes alike, where a state of version 4
keeps "cote d’ivoire" apart from "cote d'ivoire")."""

LAYOUT = hashlib.sha256(
    msgspec.json.encode(msgspec.json.schema_components((Note, FloorInterval)))
).hexdigest()[:16]
"""The shape of a note and of a floor interval, which a loaded state keeps as JSON until read:
a snapshot written with another shape is refused at load (and the log folded instead), not
found out when a note is first read."""

N = TypeVar("N")


class StateSnapshot(msgspec.Struct, Generic[N], kw_only=True):
    """Everything the fold knows after some prefix of the log.

    ``N`` is what the notes are here: loaded, all of them as one piece of JSON
    (``msgspec.Raw``), which ``load_state`` copies out and splits into a piece per note, kept
    until the state reads it; dumped, the notes by id, each a ``Note`` or the JSON it was
    loaded as. The bytes are the same either way: a JSON object of notes.
    """

    version: int
    layout: str
    session: str
    nodes: list[Node]
    roots: list[str]
    items: dict[str, ItemState]
    notes: N
    sittings: list[Sitting]
    floor: str | None
    floor_since: dt.datetime | None
    speaking: tuple[str, str] | None
    speaking_since: dt.datetime | None
    # Kept as JSON when loaded: the state decodes it when it is first read (``floor_log``).
    floor_log: msgspec.Raw
    last_at: dt.datetime | None
    last_seq: int
    event_count: int
    actors: dict[str, dt.datetime]
    undone: list[str]
    undoable: dict[str, list[tuple[str, AnyEvent]]]
    speaker_names: list[str]
    removed_speakers: dict[str, str]
    needs_sort: bool
    # The participants register and the roll calls (absent from a snapshot of an older log,
    # which has neither).
    participants: dict[str, Participant] = {}
    attendance: dict[int, dict[str, bool]] = {}
    invalid: dict[int, str] = {}
    # The other events of the batches in ``undoable`` (``SessionState.batch_rest``).
    batch_rest: dict[str, list[AnyEvent]] = {}


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(StateSnapshot[msgspec.Raw])
_notes_decoder = msgspec.json.Decoder(dict[str, msgspec.Raw])


def dump_state(state: SessionState, *, needs_sort: bool) -> bytes:
    """The state as JSON bytes (``needs_sort``: the log holds an undo or a back-dated event)."""
    # Notes never read since the state was loaded go back out as the JSON they came in.
    return _encoder.encode(
        _snapshot(state, needs_sort, state.stored_notes(), msgspec.Raw(_floor_json(state)))
    )


def _floor_json(state: SessionState) -> bytes:
    """The floor log as JSON, whole."""
    return b"".join(_floor_chunks(state))


Chunks = Iterator[bytes | memoryview]
"""A piece of JSON as it is made, a chunk at a time (see ``dump_chunks``)."""

ITEMS_PER_CHUNK = 16
NOTES_PER_CHUNK = 2048
INTERVALS_PER_CHUNK = 8192
ENTRIES_PER_CHUNK = 1024
"""Entries encoded at a time by ``dump_chunks``: an item holds its list of speakers (thousands in
a long session), a note its text, a floor interval a few fields; the entries of the snapshot's
other lists and mappings (sittings, actors, lines found invalid) are each a little more."""


def dump_chunks(state: SessionState, *, needs_sort: bool) -> tuple[Chunks, Chunks, Chunks]:
    """``dump_parts``' three pieces (the rest, the notes, the floor log), each made a chunk at
    a time as it is read: joined, each chunk's bytes are the piece's.

    A long session's snapshot is hundreds of megabytes; made whole, it would be in memory
    beside the state it encodes. A checkpoint writes each chunk and lets it go.
    """
    return _rest_chunks(state, needs_sort), _notes_chunks(state), _floor_chunks(state)


def _rest_chunks(state: SessionState, needs_sort: bool) -> Chunks:
    """The rest of the snapshot: its fields one at a time, in the order the encoder writes
    them (every field, none left out), a list's or a mapping's entries a few at a time."""
    snapshot = _snapshot(state, needs_sort, msgspec.Raw(b"{}"), msgspec.Raw(b"[]"))
    separator = b"{"
    for name in StateSnapshot.__struct_fields__:
        yield separator + _encoder.encode(name) + b":"
        separator = b","
        value = getattr(snapshot, name)
        if isinstance(value, dict):
            per_chunk = ITEMS_PER_CHUNK if name == "items" else ENTRIES_PER_CHUNK
            yield from _object_chunks(value, per_chunk)
        elif isinstance(value, list):
            yield from _array_chunks(value, ENTRIES_PER_CHUNK)
        else:
            yield _encoder.encode(value)
    yield b"}"


def _notes_chunks(state: SessionState) -> Chunks:
    """The notes as one JSON object: the snapshot's, if unread, with the notes written since
    after them (the same bytes as encoding them all; a note written again under an id the
    snapshot has would read back as the later one either way)."""
    held, since = state.held_notes_json()
    if held is None or not (held.startswith(b"{") and held.endswith(b"}")):
        yield from _object_chunks(state.stored_notes(), NOTES_PER_CHUNK)
    elif not since:
        yield held
    elif held == b"{}":
        yield from _object_chunks(since, NOTES_PER_CHUNK)
    else:
        # The loaded JSON is in memory already: on as it is, then the notes written since.
        yield memoryview(held)[:-1]
        yield b","
        yield memoryview(_encoder.encode(since))[1:]


def _floor_chunks(state: SessionState) -> Chunks:
    """The floor log as a JSON array: the JSON it was loaded as, if unread, then the intervals
    decoded or made, then those ended since (the same bytes as encoding the whole list)."""
    held, made, tail = state.floor_log_held()
    if held is not None and not (held.startswith(b"[") and held.endswith(b"]")):
        yield from _array_chunks(state.floor_log, INTERVALS_PER_CHUNK)
        return
    separator = b"["
    if held is not None and held != b"[]":
        # Already in memory: on as it is.
        yield separator
        yield memoryview(held)[1:-1]
        separator = b","
    for chunk in _array_chunks(made, INTERVALS_PER_CHUNK, inner=True):
        yield separator + chunk
        separator = b","
    per_chunk = INTERVALS_PER_CHUNK * FLOOR_FIELDS
    for start in range(0, len(tail), per_chunk):
        # An interval's fields encode as the interval does (it is ``array_like``).
        fields = floor_fields(tail[start : start + per_chunk])
        yield separator + memoryview(_encoder.encode(fields))[1:-1]
        separator = b","
    yield b"]" if separator == b"," else b"[]"


def _object_chunks(mapping: Mapping[Any, Any], per_chunk: int) -> Chunks:
    """A mapping as a JSON object, ``per_chunk`` entries at a time (the encoder's bytes: an
    object's entries joined by commas, no spaces)."""
    entries = iter(mapping.items())
    separator = b"{"
    while chunk := dict(islice(entries, per_chunk)):
        yield separator + memoryview(_encoder.encode(chunk))[1:-1]
        separator = b","
    yield b"}" if separator == b"," else b"{}"


def _array_chunks(values: Sequence[Any], per_chunk: int, *, inner: bool = False) -> Chunks:
    """A sequence as a JSON array, ``per_chunk`` values at a time (``inner``: only the values
    between the brackets, a chunk's without a comma before it)."""
    separator = b"" if inner else b"["
    for start in range(0, len(values), per_chunk):
        yield separator + memoryview(_encoder.encode(values[start : start + per_chunk]))[1:-1]
        if not inner:
            separator = b","
    if not inner:
        yield b"]" if separator == b"," else b"[]"


def _snapshot(
    state: SessionState, needs_sort: bool, notes: N, floor_log: msgspec.Raw
) -> StateSnapshot[N]:
    agenda = state.agenda
    return StateSnapshot[N](
        version=SNAPSHOT_VERSION,
        layout=LAYOUT,
        session=state.header.session,
        nodes=list(agenda.nodes.values()),
        roots=list(agenda.roots),
        items=state.items,
        notes=notes,
        sittings=state.sittings,
        floor=state.floor,
        floor_since=state.floor_since,
        speaking=state.speaking,
        speaking_since=state.speaking_since,
        floor_log=floor_log,
        last_at=state.last_at,
        last_seq=state.last_seq,
        event_count=state.event_count,
        actors=state.actors,
        undone=sorted(state.undone),
        undoable={actor: list(memory) for actor, memory in state.undoable.items()},
        speaker_names=list(state.speaker_names),
        removed_speakers=state.removed_speakers,
        needs_sort=needs_sort,
        participants=state.participants,
        attendance=state.attendance,
        invalid=state.invalid,
        batch_rest=_remembered_rest(state),
    )


def _remembered_rest(state: SessionState) -> dict[str, list[AnyEvent]]:
    """``state.batch_rest`` of the batches still in an undo memory (one that left it can no
    longer be undone)."""
    rest = state.batch_rest
    if not rest:
        return {}
    kept = {batch for memory in state.undoable.values() for batch, _ in memory}
    return {batch: events for batch, events in rest.items() if batch in kept}


def decode_snapshot(data: bytes | memoryview) -> StateSnapshot[msgspec.Raw]:
    """The snapshot in ``dump_state`` bytes (or ``dump_parts``' first piece), decoded, not yet
    made a state: ``load_state`` takes it in place of the bytes.

    Raises:
        ValueError: the bytes are not a snapshot in this version.
    """
    try:
        snapshot = _decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise ValueError(f"not a usable snapshot: {exc}") from None
    if (snapshot.version, snapshot.layout) != (SNAPSHOT_VERSION, LAYOUT):
        raise ValueError("a snapshot of another version")
    return snapshot


def load_state(
    header: Header,
    data: bytes | memoryview | StateSnapshot[msgspec.Raw],
    *,
    notes: Callable[[], bytes] | None = None,
    floor: Callable[[], bytes] | None = None,
) -> tuple[SessionState, bool]:
    """Rebuild a state from ``dump_state`` bytes; returns it with ``needs_sort``.

    From ``dump_parts``: ``data`` is the first piece, and ``notes`` and ``floor`` read the
    other two when the state first needs them (raising ``ValueError`` if they cannot).
    ``data`` may also be that piece already decoded (``decode_snapshot``).

    Raises:
        ValueError: the bytes are not a snapshot of this session in this version.
    """
    snapshot = data if isinstance(data, StateSnapshot) else decode_snapshot(data)
    if snapshot.session != header.session:
        raise ValueError("a snapshot of another session")
    state = SessionState(header, Agenda.from_nodes(header.agenda, snapshot.nodes, snapshot.roots))
    state.items = snapshot.items
    # Each note stays JSON until read: decoding them all was much of a long session's load.
    # The notes' JSON is copied out so that only it, not the whole snapshot, stays in memory
    # while a note is unread.
    if notes is not None:
        state.set_notes_source(notes)
    else:
        try:
            state.set_notes_json(_notes_decoder.decode(bytes(snapshot.notes)))
        except msgspec.DecodeError as exc:
            raise ValueError(f"not a usable snapshot: {exc}") from None
    state.sittings = snapshot.sittings
    state.floor = snapshot.floor
    state.floor_since = snapshot.floor_since
    state.speaking = snapshot.speaking
    state.speaking_since = snapshot.speaking_since
    # A copy: the snapshot's buffer can go.
    state.set_floor_log(floor if floor is not None else bytes(snapshot.floor_log))
    state.last_at = snapshot.last_at
    state.last_seq = snapshot.last_seq
    state.event_count = snapshot.event_count
    state.actors = snapshot.actors
    state.undone = set(snapshot.undone)
    state.undoable = {
        actor: deque(memory, maxlen=1000) for actor, memory in snapshot.undoable.items()
    }
    state.speaker_names = dict.fromkeys(snapshot.speaker_names)
    state.removed_speakers = snapshot.removed_speakers
    state.participants = snapshot.participants
    state.attendance = snapshot.attendance
    state.invalid = snapshot.invalid
    state.batch_rest = dict(snapshot.batch_rest)
    return state, snapshot.needs_sort
