"""A time set with `@` in the tracker on a PostgreSQL session is the time the next action is
recorded at, as on a log file: a status change sent to the server, and a note that waits in
the outbox while the server is out of reach, are both recorded as corrections at that time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import OpenItem
from sessiontui.service import SessionService
from sessiontui.store.outbox import Outbox
from sessiontui.store.postgres import PostgresStore
from sessiontui.ui.app import SessionApp
from sessiontui.ui.widgets.top_bar import TopBar

from . import pg, test_outbox_edit
from .conftest import START
from .pgproxy import Proxy
from .test_outbox_edit import _stored, _until
from .test_pg_retry import _session
from .test_pg_sharing import cli as _cli
from .test_ui_app import select, write_note
from .test_ui_support import SIZE

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


proxy = test_outbox_edit.proxy


async def _set_time(pilot: Pilot[None], when: str) -> None:
    await pilot.press("at", *when, "enter")
    await pilot.pause()


async def test_at_sets_the_time_of_a_status_change_and_of_a_note_in_the_outbox(
    tmp_path: Path, pg_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    clock = FakeClock(START)
    service = SessionService(PostgresStore(url), actor="ana", clock=clock)
    service.run(OpenItem("1"))
    clock.advance(minutes=30)
    closed_at = START + timedelta(minutes=10)
    noted_at = START + timedelta(minutes=20)
    app = SessionApp(service, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        # A status change goes to the server: at the time set, and the time is then forgotten.
        await _set_time(pilot, closed_at.isoformat())
        assert app.pending_at == closed_at
        await pilot.press("c")
        await _until(pilot, lambda: service.state.items["1"].status == "closed")
        assert app.pending_at is None
        assert " at " not in str(app.main.query_one(TopBar).render())
        assert round(service.state.used_seconds("1")) == 10 * 60

        # A note written with the server out of reach waits in the outbox with the time set.
        proxy.refusing = True
        proxy.cut()
        await _set_time(pilot, noted_at.isoformat())
        await write_note(pilot, "n", "Said at twenty past.")
        link = app.link
        assert link is not None
        await _until(pilot, lambda: link.waiting == 1)
        assert app.pending_at is None
        (entry,) = link.entries
        assert entry.at == noted_at and entry.corrected
        proxy.refusing = False  # back: it goes out with its time, as a correction
        await _until(pilot, lambda: link.waiting == 0 and link.online)
        await _until(pilot, lambda: len(service.state.notes_of("1")) == 1)

    stored = {str(event["type"]): event for event in _stored(pg_url, session)}
    for kind, at in (("item.close", closed_at), ("note.add", noted_at)):
        event = stored[kind]
        assert event["at"] == at.isoformat().replace("+00:00", "Z"), event
        data = event["data"]
        assert isinstance(data, dict) and data.get("corrected") is True, event


def test_a_note_given_at_kept_in_the_outbox_is_sent_as_a_correction(
    tmp_path: Path, pg_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    assert _cli("open", "1", "--log", url).returncode == 0
    proxy.refusing = True
    proxy.cut()
    when = "2020-11-19T10:05:00+00:00"
    kept = _cli("note", "1", "Said at five past.", "--at", when, "--force", "--log", url)
    assert kept.returncode == 75, kept.stderr
    (entry,) = Outbox(session).waiting()
    assert entry.corrected and entry.at.isoformat() == when
    proxy.refusing = False
    sent = _cli("outbox", "--send", "--log", url)
    assert sent.returncode == 0, sent.stderr
    (note,) = [e for e in _stored(pg_url, session) if e["type"] == "note.add"]
    assert note["at"] == "2020-11-19T10:05:00Z"
    assert isinstance(note["data"], dict) and note["data"].get("corrected") is True, note


async def test_a_take_up_set_before_a_later_one_is_told_on_a_server(
    tmp_path: Path, pg_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """@ 10:10 UTC then o on 3, when 2(a) was taken up at 10:20 UTC (11:20 in the meeting's
    zone): recorded on the server, and the tracker says that 3 was on the floor only until
    then, as on a log file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = _session(tmp_path, pg_url, proxy)
    clock = FakeClock(START)
    service = SessionService(PostgresStore(url), actor="ana", clock=clock)
    service.run(OpenItem("1"))
    clock.advance(minutes=20)
    service.run(OpenItem("2a"))
    clock.advance(minutes=10)
    app = SessionApp(service, clock=clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "3")
        await _set_time(pilot, (START + timedelta(minutes=10)).isoformat())
        await pilot.press("o")
        await _until(pilot, lambda: service.state.items["3"].status == "suspended")
        await _until(pilot, lambda: any("only until" in n.message for n in app._notifications))
        (said,) = [n.message for n in app._notifications if "only until" in n.message]
        assert said == (
            "3 was on the floor only until 11:20, when ana took up 2(a) (recorded before this "
            "correction)."
        )
