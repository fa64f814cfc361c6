"""The floor's intervals the fold ends: kept as their fields, read as ``FloorInterval``."""

from __future__ import annotations

import msgspec

from sessiontui.core.commands import CloseItem, OpenItem
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import FLOOR_FIELDS, FloorInterval, floor_fields

from .memory import MemorySession


def test_intervals_kept_as_fields_read_and_encode_as_intervals() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(CloseItem("2a"), "10:20")
    m.run(OpenItem("2b"), "10:25")
    held, made, fields = m.state.floor_log_held()
    assert held is None and not made  # nothing loaded, nothing read yet
    assert len(fields) == 2 * FLOOR_FIELDS  # 2a's interval, then 2's while 2a was closed
    expected = [FloorInterval(*f) for f in floor_fields(fields)]
    assert m.state.floor_log == expected
    assert m.state.floor_log_held()[2] == []  # made into intervals once read
    # A state loaded from a checkpoint keeps the intervals ended since as their fields; the
    # checkpoint written from it is the one written from a state that read them.
    again, _ = load_state(m.header, dump_state(m.state, needs_sort=False))
    m.run(CloseItem("2b"), "10:40")
    more = m.events[-1:]
    m2 = MemorySession(header=m.header)
    m2.replayer.state = again
    m2.replayer.feed(more)
    held, made, tail = again.floor_log_held()
    assert held is not None and not made and tail
    # The fields, one after the other: no tuple, no interval made for each.
    assert not any(isinstance(value, tuple | FloorInterval) for value in tail)
    intervals = floor_fields(tail)
    assert msgspec.json.encode(intervals) == msgspec.json.encode(
        m.state.floor_log[-len(intervals) :]
    )
    assert dump_state(again, needs_sort=False) == dump_state(m.state, needs_sort=False)
    assert again.floor_log == m.state.floor_log
    assert all(isinstance(span, FloorInterval) for span in again.floor_log)
