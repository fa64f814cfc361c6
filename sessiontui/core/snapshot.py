"""The folded session state as bytes and back: the content of a checkpoint (a cache, never the record)."""

from __future__ import annotations

import datetime as dt
from collections import deque

import msgspec

from sessiontui.core.agenda import Agenda, Node
from sessiontui.core.events import Event, Header
from sessiontui.core.session import ItemState, Note, SessionState, Sitting

SNAPSHOT_VERSION = 1


class StateSnapshot(msgspec.Struct, kw_only=True):
    """Everything the fold knows after some prefix of the log."""

    version: int
    session: str
    nodes: list[Node]
    roots: list[str]
    items: dict[str, ItemState]
    notes: dict[str, Note]
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
    undoable: dict[str, list[tuple[str, Event]]]
    speaker_names: list[str]
    needs_sort: bool


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(StateSnapshot)


def dump_state(state: SessionState, *, needs_sort: bool) -> bytes:
    """The state as JSON bytes (``needs_sort``: the log holds an undo or a back-dated event)."""
    agenda = state.agenda
    snapshot = StateSnapshot(
        version=SNAPSHOT_VERSION,
        session=state.header.session,
        nodes=list(agenda.nodes.values()),
        roots=list(agenda.roots),
        items=state.items,
        notes=state.notes,
        sittings=state.sittings,
        floor=state.floor,
        floor_since=state.floor_since,
        speaking=state.speaking,
        speaking_since=state.speaking_since,
        floor_log=msgspec.Raw(_encoder.encode(state.floor_log)),
        last_at=state.last_at,
        last_seq=state.last_seq,
        event_count=state.event_count,
        actors=state.actors,
        undone=sorted(state.undone),
        undoable={actor: list(memory) for actor, memory in state.undoable.items()},
        speaker_names=list(state.speaker_names),
        needs_sort=needs_sort,
    )
    return _encoder.encode(snapshot)


def load_state(header: Header, data: bytes | memoryview) -> tuple[SessionState, bool]:
    """Rebuild a state from ``dump_state`` bytes; returns it with ``needs_sort``.

    Raises:
        ValueError: the bytes are not a snapshot of this session in this version.
    """
    try:
        snapshot = _decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise ValueError(f"not a usable snapshot: {exc}") from None
    if snapshot.version != SNAPSHOT_VERSION or snapshot.session != header.session:
        raise ValueError("a snapshot of another session or version")
    state = SessionState(header, Agenda.from_nodes(header.agenda, snapshot.nodes, snapshot.roots))
    state.items = snapshot.items
    state.notes = snapshot.notes
    state.sittings = snapshot.sittings
    state.floor = snapshot.floor
    state.floor_since = snapshot.floor_since
    state.speaking = snapshot.speaking
    state.speaking_since = snapshot.speaking_since
    state.set_floor_log(bytes(snapshot.floor_log))  # a copy: the snapshot's buffer can go
    state.last_at = snapshot.last_at
    state.last_seq = snapshot.last_seq
    state.event_count = snapshot.event_count
    state.actors = snapshot.actors
    state.undone = set(snapshot.undone)
    state.undoable = {
        actor: deque(memory, maxlen=1000) for actor, memory in snapshot.undoable.items()
    }
    state.speaker_names = dict.fromkeys(snapshot.speaker_names)
    return state, snapshot.needs_sort
