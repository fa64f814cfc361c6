"""The folded session state as bytes and back: the content of a checkpoint (a cache, never the record)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Generic, TypeVar

import msgspec

from sessiontui.core.agenda import Agenda, Node
from sessiontui.core.events import Event, Header
from sessiontui.core.session import ItemState, Note, SessionState, Sitting

SNAPSHOT_VERSION = 1
"""Changes with the format. A change to ``Note`` or ``FloorInterval`` changes it too: they are
kept as JSON when loaded and decoded only when read, so a mismatch would not show at load."""

N = TypeVar("N")


class StateSnapshot(msgspec.Struct, Generic[N], kw_only=True):
    """Everything the fold knows after some prefix of the log.

    ``N`` is what a note is here: loaded, each note is kept as its JSON (``msgspec.Raw``) until
    the state reads it; dumped, a note is a ``Note`` or the JSON it was loaded as. Either way
    the bytes are the same (a JSON object per note), so the format does not depend on it.
    """

    version: int
    session: str
    nodes: list[Node]
    roots: list[str]
    items: dict[str, ItemState]
    notes: dict[str, N]
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
_decoder = msgspec.json.Decoder(StateSnapshot[msgspec.Raw])


def dump_state(state: SessionState, *, needs_sort: bool) -> bytes:
    """The state as JSON bytes (``needs_sort``: the log holds an undo or a back-dated event)."""
    agenda = state.agenda
    # Notes never read since the state was loaded go back out as the JSON they came in.
    snapshot = StateSnapshot[Note | msgspec.Raw](
        version=SNAPSHOT_VERSION,
        session=state.header.session,
        nodes=list(agenda.nodes.values()),
        roots=list(agenda.roots),
        items=state.items,
        notes=state.stored_notes(),
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
    # Each note stays JSON until read: decoding them all was half of a long session's load.
    # The ``Raw`` values refer to ``data``'s buffer, which is kept as long as one is unread.
    state.set_notes_json(snapshot.notes)
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
