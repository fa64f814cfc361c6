"""A note still in the outbox (written while the PostgreSQL server was out of reach) is on the
screen, so `E` edits it and `X` deletes it: the change waits in the outbox behind the note and
reaches the server after it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, DeleteNote, EditNote, OpenItem
from sessiontui.service import SessionService
from sessiontui.store.postgres import PostgresStore
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.dialogs.note_picker import NotePicker

from . import pg
from .conftest import START
from .pgproxy import Proxy
from .test_pg_retry import _session
from .test_ui_app import select, write_note
from .test_ui_support import SIZE

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


@pytest.fixture
def proxy(pg_cluster: pg.Cluster) -> Iterator[Proxy]:
    """A proxy in front of the test server, to take it out of reach."""
    running = Proxy(pg_cluster.port)
    yield running
    running.close()


def _stored(pg_url: str, session: str) -> list[dict[str, object]]:
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT line FROM sessiontui.events WHERE session = %s ORDER BY seq", (session,)
        ).fetchall()
    return [json.loads(str(row[0])) for row in rows]


async def _until(pilot: Pilot[None], done: object, seconds: float = 30.0) -> None:
    for _ in range(int(seconds * 10)):
        if callable(done) and done():
            return
        await asyncio.sleep(0.1)
        await pilot.pause()
    raise AssertionError("timed out")


async def test_a_note_in_the_outbox_is_edited_and_deleted_behind_it(
    tmp_path: Path, pg_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = _session(tmp_path, pg_url, proxy)
    session = url.rpartition("#")[2]
    clock = FakeClock(START)
    service = SessionService(PostgresStore(url), actor="ana", clock=clock)
    service.run(OpenItem("1"))
    proxy.refusing = True  # the server out of reach from now on
    proxy.cut()
    app = SessionApp(service, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "1")
        await write_note(pilot, "n", "Frist draft of the note.")
        await write_note(pilot, "d", "A decision typed by mistake.")
        link = app.link
        assert link is not None and link.waiting == 2
        assert service.state.notes_of("1") == []  # not on the server: only in the outbox

        await pilot.press("E")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, NotePicker), picker
        assert picker.query_one(OptionList).option_count == 2
        await pilot.press("up", "enter")  # the picker starts on the last note
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor), editor
        area = editor.query_one(TextArea)
        assert area.text == "Frist draft of the note."
        area.text = "First draft of the note."
        await pilot.press("ctrl+s")
        await pilot.pause()

        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter", "y")  # the decision, the last one
        await pilot.pause()

        commands = [entry.command for entry in link.entries]
        assert [type(c) for c in commands] == [AddNote, AddNote, EditNote, DeleteNote]
        # Shown as they will read: the edit applied, the deleted one gone.
        assert [n.text for n in app.notes_on("1")] == ["First draft of the note."]

        proxy.refusing = False  # back: the outbox goes out in order
        await _until(pilot, lambda: link.waiting == 0 and link.online)
        await _until(pilot, lambda: len(service.state.notes_of("1")) == 1)
        (note,) = service.state.notes_of("1")
        assert note.text == "First draft of the note." and len(note.history) == 2
    stored = [event for event in _stored(pg_url, session) if str(event["type"]).startswith("note")]
    assert [event["type"] for event in stored] == [
        "note.add",
        "note.add",
        "note.edit",
        "note.delete",
    ]
