"""A writer's event ids: the scanned ones kept as hashes, yet ``in`` answers exactly."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, OpenItem
from sessiontui.service import SessionService
from sessiontui.store import event_ids
from sessiontui.store.event_ids import EventIds
from sessiontui.store.file import FileStore

from .conftest import START, make_log

ids = st.text(alphabet="0123456789abcdef-", min_size=1, max_size=12)


@given(
    scanned=st.lists(ids, max_size=60),
    written=st.lists(ids, max_size=10),
    asked=st.lists(ids, max_size=30),
    run=st.integers(min_value=1, max_value=8),
)
def test_in_answers_as_a_set_of_every_id(
    scanned: list[str], written: list[str], asked: list[str], run: int
) -> None:
    held = set(scanned)
    confirmed: list[str] = []

    def confirm(event_id: str) -> bool:
        confirmed.append(event_id)
        return event_id in held

    original = event_ids.SORTED_RUN
    event_ids.SORTED_RUN = run  # many runs
    try:
        known = EventIds(confirm)
        for start in range(0, len(scanned), 5):
            known.add_scanned(scanned[start : start + 5])
        known.update(written)
        everything = held | set(written)
        for event_id in [*asked, *scanned, *written]:
            assert (event_id in known) == (event_id in everything)
    finally:
        event_ids.SORTED_RUN = original
    # The log is asked only of a hash found among the scanned ids (a retry of one of them).
    assert set(confirmed) <= held


def test_a_hash_found_is_only_a_likely_match() -> None:
    """Two ids that hash alike: the log decides, so a new event is not taken for a retry."""
    known = EventIds(lambda event_id: False)
    known.add_scanned(["a1", "b2"])
    assert "a1" not in known
    known.update(["a1"])
    assert "a1" in known


def record_notes(log: Path, count: int) -> list[str]:
    """Notes recorded on item 1; their events' ids."""
    writer = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    writer.run(OpenItem("1"))
    for n in range(count):
        writer.run(AddNote("1", f'note {n}: "id":"not-an-event",'))
    written = [event.id for event in writer.store.read()]
    writer.store.close()
    return written


def test_a_writer_opened_cold_knows_every_id_of_the_log(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    written = record_notes(log, 30)
    with FileStore(log) as store:
        assert all(store.has_id(event_id) for event_id in written)
        assert not store.has_id("not-an-event")  # only in a note's text
        assert not store.has_id("0123456789abcdef0123456789abcdef")
        # Read by the opening scan, the ids are kept as hashes, not as strings.
        assert isinstance(store._ids, EventIds) and not store._ids._recent


def test_an_id_on_a_damaged_line_is_not_in_the_log(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    written = record_notes(log, 5)
    lines = log.read_bytes().splitlines(keepends=True)
    # The last event's line, its text changed: its sum no longer matches; cut off by the
    # opening as a damaged tail or kept as damage, it is not an event of the log either way.
    lines[-1] = lines[-1].replace(b"note 4", b"note X")
    log.write_bytes(b"".join(lines))
    with FileStore(log, read_only=True) as store:
        assert written[-1] not in [event.id for event in store.read()]
    with FileStore(log) as store:
        assert store.has_id(written[0])
        assert not store.has_id(written[-1])
        # Asked of the log itself, the damaged line's id is not an event's.
        assert store._written(written[0])
        assert not store._written(written[-1])
