"""The tracker says the moment another program damages its log, not at the next key that
records: READ-ONLY on the top bar with the line and byte, and nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from sessiontui.store import file as file_store
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.widgets.top_bar import TopBar
from tests.conftest import append
from tests.test_ui_support import SIZE, log_types, make_app, make_service


async def test_a_line_appended_by_another_program_makes_the_tracker_read_only_at_once(
    tmp_path: Path,
) -> None:
    service, clock = make_service(tmp_path)
    log: Path = service.store.path  # type: ignore[attr-defined]
    app = make_app(service, clock, drafts_root=tmp_path / "drafts")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert service.state.floor == "1"
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("words typed while it happened")
        before = log.read_bytes()
        end = len(before)
        append(log, b"garbage\n")
        app.tick()  # the app's timer: a look at the log, no key pressed
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith(f"The log is damaged at line 4 (byte {end}): ") for m in messages
        ), messages
        bar = str(app.main.query_one(TopBar).render())
        assert f"READ-ONLY (the log is damaged at line 4, byte {end})" in bar, bar
        assert app.refusal("close_item") == (
            f"the log is damaged at line 4 (byte {end}): no checksum at the end of the line; "
            "nothing more can be recorded (see `sessiontui verify`, `sessiontui repair`)"
        )
        # The note being typed is not lost: saving it says why not, and keeps it.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "words typed while it happened"
        await pilot.pause()
        said = len(app._notifications)
        app.tick()
        await pilot.pause()
        assert len(app._notifications) == said  # said once, not at every tick
    assert log.read_bytes() == before + b"garbage\n"  # nothing written, nothing lost


async def test_a_line_still_being_written_is_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "TAIL_PATIENCE", 0.0)
    service, clock = make_service(tmp_path)
    log: Path = service.store.path  # type: ignore[attr-defined]
    app = make_app(service, clock, drafts_root=tmp_path / "drafts")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        end = log.stat().st_size
        append(log, b'{"type":"note.add"')
        # Unchanged from one look to the next (this test's or the tracker's own timer, which
        # a loaded machine may run in between): an interrupted write, said once however
        # many looks follow.
        for _ in range(3):
            app.tick()
            await pilot.pause()
        assert [n.message for n in app._notifications] == [
            f"18 bytes at the end of {log} (from byte {end}) are an interrupted write "
            "(ignored; they will be set aside when the log is next written)"
        ]
        assert "READ-ONLY" not in str(app.main.query_one(TopBar).render())
        assert app.refusal("take_up") is None
        # The next command set it aside (named in a side file) and recorded.
        await pilot.press("o")
        await pilot.pause()
        assert service.state.floor == "1"
        assert any("were set aside in" in n.message for n in app._notifications)
    assert log_types(service) == ["sitting.open", "item.open"]
    assert [side.read_bytes() for side in tmp_path.glob("s.jsonl.torn-*")] == [
        b'{"type":"note.add"'
    ]
