"""Records with valid checksums and absurd contents: what anyone who can write a log can add."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import strategies as st

from sessiontui.core.events import check_line, line_sum
from sessiontui.core.fold import EVENT_TYPES
from sessiontui.store.file import FileStore

FIELDS = (
    "minutes",
    "limit",
    "text",
    "note",
    "kind",
    "speaker",
    "name",
    "delegation",
    "op",
    "title",
    "number",
    "parent",
    "after",
    "batch",
    "what",
    "implicit",
    "label",
    "corrected",
    "reason",
    "command",
)
ITEMS = ("1", "2", "2a", "2c", "3", "opening", "nowhere", "")


def record_line(record: dict[str, Any], seq: int = 1, prev: str | None = None) -> bytes:
    """A log line's JSON body (no checksum) for ``record`` (type, item, data, at, actor,
    recorded, batch), ordinary values for what it leaves out; ``prev`` only when given.

    Built as raw JSON, not as a typed event: the point is values no struct would hold.
    """
    at = record.get("at", dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC))
    body: dict[str, Any] = {
        "type": record["type"],
        "seq": seq,
        "id": uuid.uuid4().hex,
        "at": at,
        "recorded": record.get("recorded", at),
        "actor": record.get("actor", "mallory"),
        "item": record.get("item"),
        "data": record.get("data", {}),
        "batch": record.get("batch", uuid.uuid4().hex),
    }
    if prev is not None:
        body["prev"] = prev
    return msgspec.json.encode(body)


def append_records(log: Path, records: Sequence[dict[str, Any]]) -> None:
    """Append events built from ``records`` (type, item, data, at, actor, seq) sealed and chained.

    Missing keys get ordinary values; ``seq`` defaults to the next one.
    """
    with FileStore(log, read_only=True) as store:
        seq = store.last_seq
        data = log.read_bytes()
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n"
    prev = check_line(last)
    lines = []
    for record in records:
        seq = int(record.get("seq", seq + 1))
        body = record_line(record, seq, prev)
        prev = line_sum(body)
        lines.append(body[:-1] + b',"sum":"' + prev.encode() + b'"}\n')
    with log.open("ab") as handle:
        handle.write(b"".join(lines))


_numbers = st.one_of(
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -5, 1441, 1e10, 1e308, -1e308, 2**63, 0.0001]),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    _numbers,
    st.text(max_size=30),
    st.sampled_from(ITEMS),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_instants = st.one_of(
    st.datetimes(
        min_value=dt.datetime(2020, 11, 19, 9, 0),
        max_value=dt.datetime(2020, 11, 19, 18, 0),
        timezones=st.just(dt.UTC),
    ),
    st.datetimes(timezones=st.just(dt.UTC)),
)

records = st.fixed_dictionaries(
    {
        "type": st.one_of(st.sampled_from(EVENT_TYPES), st.text(max_size=12)),
        "item": st.one_of(st.none(), st.sampled_from(ITEMS), st.text(max_size=8)),
        "data": st.dictionaries(st.sampled_from(FIELDS), _values, max_size=5),
        "at": _instants,
        "actor": st.one_of(st.just("mallory"), st.text(max_size=10)),
    }
)
"""One arbitrary event (its ``seq`` and chain are filled in by ``append_records``)."""
