"""One suite, both stores: the file log and PostgreSQL behave the same through ``EventStore``."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest

from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem, Refused
from sessiontui.core.events import Draft, Event, NoteAddData, new_header
from sessiontui.service import SessionService
from sessiontui.store.base import EventStore, PositionConflict
from sessiontui.store.file import FileStore
from sessiontui.store.open import open_store
from sessiontui.store.postgres import PostgresStore

from . import pg
from .conftest import COSP, START

pg_cluster = pg.pg_cluster  # the throwaway server, shared by the whole run
pg_url = pg.pg_url

Opener = Callable[[], EventStore]


@pytest.fixture(params=["file", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh session of the 2020 meeting, in a log file or in PostgreSQL."""
    header = new_header(load_agenda_file(COSP), created=START)
    if request.param == "file":
        path = tmp_path / "session.jsonl"
        FileStore.create(path, header).close()
        return str(path)
    url: str = request.getfixturevalue("pg_url")
    store = PostgresStore.create(url, header)
    store.close()
    return f"{url}#{header.session}"


@pytest.fixture
def opened(location: str) -> Iterator[Opener]:
    """Open stores on the session (several at once, like several processes)."""
    stores: list[EventStore] = []

    def factory() -> EventStore:
        store = open_store(location)
        stores.append(store)
        return store

    yield factory
    for store in stores:
        store.close()


def draft(text: str, ident: str | None = None) -> Draft:
    """A note draft on item 1."""
    return Draft(
        id=ident or uuid.uuid4().hex,
        at=START,
        actor="ana",
        type="note.add",
        item="1",
        data=NoteAddData(note=uuid.uuid4().hex, kind="note", text=text),
    )


def test_append_read_and_reopen(opened: Opener) -> None:
    clock = FakeClock(START)
    store = opened()
    written = store.append([draft("a"), draft("b")], 0, clock)
    assert [event.seq for event in written] == [1, 2]
    assert store.last_seq == 2
    assert [cast(NoteAddData, event.data).text for event in store.read()] == ["a", "b"]
    assert [event.seq for event in store.read(after_seq=1)] == [2]
    again = opened()
    assert again.last_seq == 2
    assert [event.id for event in again.read()] == [event.id for event in written]
    assert written[1].prev == written[0].sum


def test_catch_up_sees_other_writers(opened: Opener) -> None:
    clock = FakeClock(START)
    first, second = opened(), opened()
    assert second.catch_up() == []
    first.append([draft("x")], 0, clock)
    news = second.catch_up()
    assert [cast(NoteAddData, event.data).text for event in news] == ["x"]
    assert second.catch_up() == []
    assert second.last_seq == 1


def test_position_conflict(opened: Opener) -> None:
    clock = FakeClock(START)
    first, second = opened(), opened()
    first.append([draft("first")], 0, clock)
    with pytest.raises(PositionConflict):
        second.append([draft("second")], 0, clock)
    # The conflict brought the second store up to date; appending at the new end works.
    assert second.last_seq == 1
    assert [event.seq for event in second.append([draft("again")], 1, clock)] == [2]


def test_idempotent_ids(opened: Opener) -> None:
    clock = FakeClock(START)
    store = opened()
    once = draft("once", ident="fixed-id-1")
    assert len(store.append([once], 0, clock)) == 1
    assert store.append([once], 1, clock) == []
    other = opened()
    assert cast(NoteAddData, other.append([once, draft("new")], 1, clock)[0].data).text == "new"
    assert [event.id for event in opened().read()].count("fixed-id-1") == 1


def test_transact_hands_news_to_decide_and_refusal_writes_nothing(opened: Opener) -> None:
    clock = FakeClock(START)
    first, second = opened(), opened()
    first.append([draft("from first")], 0, clock)
    seen: list[Event] = []

    def decide(news: object) -> list[Draft]:
        seen.extend(news)  # type: ignore[arg-type]
        return [draft("from second")]

    written = second.transact(decide, clock)
    assert [cast(NoteAddData, event.data).text for event in seen] == ["from first"]
    assert [event.seq for event in written] == [2]

    def refuse(news: object) -> list[Draft]:
        raise Refused("no")

    with pytest.raises(Refused):
        first.transact(refuse, clock)
    assert opened().last_seq == 2
    assert second.transact(lambda news: [], clock) == []


def test_gapless_seq_and_verify(opened: Opener) -> None:
    clock = FakeClock(START)
    store = opened()
    for n in range(10):
        store.append([draft(f"n{n}")], store.last_seq, clock)
    reader = opened()
    assert [event.seq for event in reader.read()] == list(range(1, 11))
    good, damage, torn = reader.verify()  # type: ignore[attr-defined]
    assert (good, damage, torn) == (10, [], 0)


def test_service_records_and_refuses(opened: Opener) -> None:
    clock = FakeClock(START)
    ana = SessionService(opened(), actor="ana", role="secretariat", clock=clock)
    ana.run(OpenItem("1"))
    raj = SessionService(opened(), actor="raj", role="rapporteur", clock=clock)
    with pytest.raises(Refused, match="needs the secretariat role"):
        raj.run(CloseItem("1"))
    events = raj.run(AddNote("1", "agreed", "decision"))
    assert [(event.actor, event.role) for event in events] == [("raj", "rapporteur")]


def test_tampering_is_detected(location: str, opened: Opener) -> None:
    clock = FakeClock(START)
    store = opened()
    store.append([draft("a"), draft("b"), draft("c")], 0, clock)
    store.close()
    if location.startswith("postgresql://"):
        import psycopg

        url, _, session = location.partition("#")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "UPDATE sessiontui.events SET line = replace(line, '\"b\"', '\"B\"') "
                "WHERE session = %s AND seq = 2",
                (session,),
            )
    else:
        path = Path(location)
        path.write_bytes(path.read_bytes().replace(b'"text":"b"', b'"text":"B"'))
    reader = open_store(location, read_only=True)
    try:
        assert reader.damage and reader.damage[0].line == 3
        good, damage, _torn = reader.verify()  # type: ignore[attr-defined]
        assert good == 1
        assert "checksum" in damage[0].reason
    finally:
        reader.close()


WRITER = """
import sys
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.open import open_store
location, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
service = SessionService(open_store(location), actor=name)
for n in range(count):
    service.run(AddNote("1", f"{name} {n}"))
print("done", flush=True)
"""

CLOSER = """
import sys, time
from sessiontui.core.commands import CloseItem, Refused
from sessiontui.service import SessionService
from sessiontui.store.open import open_store
location, name, go = sys.argv[1], sys.argv[2], float(sys.argv[3])
service = SessionService(open_store(location), actor=name)
while time.time() < go:
    pass
try:
    service.run(CloseItem("2a"))
    print("closed", flush=True)
except Refused as exc:
    print("refused:", exc, flush=True)
"""


def _python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_n_processes_m_appends(location: str) -> None:
    writers, per_writer = 3, 20
    procs = [_python(WRITER, location, f"w{i}", str(per_writer)) for i in range(writers)]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    store = open_store(location, read_only=True)
    try:
        events = list(store.read())
        assert [event.seq for event in events] == list(range(1, writers * per_writer + 1))
        for i in range(writers):
            mine = [cast(NoteAddData, e.data).text for e in events if e.actor == f"w{i}"]
            assert mine == [f"w{i} {n}" for n in range(per_writer)]
        assert store.verify()[1] == []  # type: ignore[attr-defined]
    finally:
        store.close()


def test_close_race(location: str) -> None:
    opener = SessionService(open_store(location), actor="chair", clock=FakeClock(START))
    opener.run(OpenItem("2a"), at=None)
    opener.close()
    go = time.time() + 1.5
    procs = [_python(CLOSER, location, name, str(go)) for name in ("ana", "bob")]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outputs.append(out.strip())
    assert sorted(o.split(":")[0] for o in outputs) == ["closed", "refused"]
    refused = next(o for o in outputs if o.startswith("refused"))
    winner = "ana" if outputs[0] == "closed" else "bob"
    assert f"already closed by {winner}" in refused
    store = open_store(location, read_only=True)
    try:
        closes = [e for e in store.read() if e.type == "item.close" and e.item == "2a"]
        assert len(closes) == 1 and closes[0].actor == winner
    finally:
        store.close()


def test_bad_locations_are_one_line_errors(pg_url: str) -> None:
    from sessiontui.store.base import StoreError

    for bad, expected in [
        ("postgresql://sessiontui@127.0.0.1:1/postgres#abc", "cannot connect"),
        (f"{pg_url}#no-such-session", "no session no-such-session"),
        # Which message depends on whether this worker's server holds a session yet.
        (pg_url, "which session[?]|no sessions in PostgreSQL"),
        (f"{pg_url}#bad id!", "not valid"),
    ]:
        with pytest.raises(StoreError, match=expected) as info:
            open_store(bad)
        assert "\n" not in str(info.value)


def test_path_folded_url_still_opens(location: str) -> None:
    # locate_log hands --log values through Path(), which folds "//" into "/".
    store = open_store(str(Path(location)))
    store.close()
