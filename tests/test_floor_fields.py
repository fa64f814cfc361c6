"""The floor's intervals the fold ends: kept as their fields, read as ``FloorInterval``."""

from __future__ import annotations

import msgspec

from sessiontui.core.commands import CloseItem, OpenItem
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import FloorInterval

from .memory import MemorySession


def test_intervals_kept_as_fields_read_and_encode_as_intervals() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(CloseItem("2a"), "10:20")
    m.run(OpenItem("2b"), "10:25")
    held, fields = m.state.held_floor_log()
    assert held is None  # nothing loaded: the whole floor log, read
    assert fields and all(isinstance(span, FloorInterval) for span in fields)
    # A state loaded from a checkpoint keeps the intervals ended since as their fields; the
    # checkpoint written from it is the one written from a state that read them.
    again, _ = load_state(m.header, dump_state(m.state, needs_sort=False))
    m.run(CloseItem("2b"), "10:40")
    more = m.events[-1:]
    m2 = MemorySession(header=m.header)
    m2.replayer.state = again
    m2.replayer.feed(more)
    held, tail = again.held_floor_log()
    assert held is not None and tail and not isinstance(tail[0], FloorInterval)
    assert msgspec.json.encode(tail) == msgspec.json.encode(m.state.floor_log[-len(tail) :])
    assert dump_state(again, needs_sort=False) == dump_state(m.state, needs_sort=False)
    assert again.floor_log == m.state.floor_log
    assert all(isinstance(span, FloorInterval) for span in again.floor_log)
