"""``apply_one`` folds an event as ``apply_all`` of that event alone does, whatever it holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from sessiontui.core.events import Event, LineError, decode_event_bounded
from sessiontui.core.fold import apply_all, apply_one
from sessiontui.core.snapshot import dump_state
from sessiontui.core.state import SessionState
from sessiontui.store.file import FileStore
from tests.conftest import make_log
from tests.hostile_records import append_records, records
from tests.test_hostile_records import OUT_OF_RANGE

AT = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)


def _decoded(log: Path) -> list[tuple[Event, bool]]:
    """Each record of ``log`` as the opening scan decodes it (with whether it is bounded)."""
    decoded = []
    for line in log.read_bytes().splitlines()[1:]:
        try:
            decoded.append(decode_event_bounded(line))
        except LineError:
            continue  # not an event at all: neither fold sees it
    return decoded


def _folds_alike(log: Path) -> None:
    with FileStore(log, read_only=True) as store:
        header = store.header
    decoded = _decoded(log)
    for as_bounded in (False, True):
        bulk, one = SessionState(header), SessionState(header)
        for event, in_bounds in decoded:
            bounded = in_bounds and as_bounded
            apply_all(bulk, (event,), bounded=bounded)
            apply_one(one, event, bounded)
        assert dump_state(one, needs_sort=False) == dump_state(bulk, needs_sort=False)
        for name in ("invalid", "actors", "last_seq", "last_at", "event_count", "touched"):
            assert getattr(one, name) == getattr(bulk, name), name


def _ordinary(start: dt.datetime) -> list[dict[str, Any]]:
    minute = dt.timedelta(minutes=1)
    return [
        {"type": "sitting.open", "at": start, "actor": "ana"},
        {"type": "item.open", "item": "1", "at": start + minute, "actor": "ana"},
        {
            "type": "speaker.add",
            "item": "1",
            "data": {"speaker": "s1", "name": "Chile", "kind": "statement"},
            "at": start + 2 * minute,
        },
        {"type": "speaker.start", "item": "1", "data": {"speaker": "s1"}, "at": start + 3 * minute},
        {"type": "item.open", "item": "2a", "at": start + 4 * minute, "actor": "rao"},
        {"type": "item.close", "item": "2a", "at": start + 5 * minute, "actor": "ana"},
        {"type": "sitting.close", "at": start + 6 * minute, "actor": "ana"},
    ]


def test_a_meeting_with_records_out_of_range_folds_alike(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    append_records(log, [*_ordinary(AT), *OUT_OF_RANGE, *_ordinary(AT + dt.timedelta(hours=1))])
    _folds_alike(log)


@settings(max_examples=60, deadline=None)
@given(records)
def test_any_record_folds_alike(
    tmp_path_factory: pytest.TempPathFactory, record: dict[str, Any]
) -> None:
    log = make_log(tmp_path_factory.mktemp("one") / "s.jsonl")
    append_records(log, [*_ordinary(AT), record, *_ordinary(AT + dt.timedelta(hours=1))])
    _folds_alike(log)
