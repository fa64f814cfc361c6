"""Drafts of notes and of the speaker dialog: one per note (or item), locked by the tracker
writing it, offered only when left over."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from sessiontui.core.commands import AddNote, AddSpeaker, Command, DeleteNote, EditNote
from sessiontui.service import SessionService
from sessiontui.store.base import SaveError
from sessiontui.ui import drafts as drafts_module
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs import drafted
from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog
from sessiontui.ui.dialogs.drafted import DRAFT_DELAY
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog
from sessiontui.ui.drafts import SPEAKER, DraftBox, NoteDraft, new_draft
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_support import SIZE, START, log_types, make_app, make_service, second_writer


def _drafts(root: Path) -> list[NoteDraft]:
    found = []
    for path in sorted(root.glob("*/*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("version")
        found.append(NoteDraft(**data))
    return found


def _app(service: SessionService, clock: object, root: Path) -> SessionApp:
    return make_app(service, clock, drafts_root=root)  # type: ignore[arg-type]


class _SlowDisk:
    """The real draft write, held at a gate the test opens: a disk that takes its time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.written: list[str] = []
        real = DraftBox._write_file

        def held(box: DraftBox, draft: NoteDraft) -> None:
            self.entered.set()
            self.gate.wait(10)  # never for ever, whatever the code under test does
            real(box, draft)
            self.written.append(draft.text)

        monkeypatch.setattr(DraftBox, "_write_file", held)


# -- the draft box, without a screen -----------------------------------------------------------


def test_a_draft_is_written_atomically_and_privately(tmp_path: Path) -> None:
    box = DraftBox(tmp_path, "session-1")
    draft = new_draft("session-1", "ana", "2a", None, "note", START).with_text("Привет", START)
    box.write(draft)
    path = box.path(draft)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(box.folder).st_mode) == 0o700
    assert box.mine(draft) == draft
    assert [p.name for p in box.folder.iterdir() if p.suffix == ".tmp"] == []
    # Another note, another kind, another person: another draft, never this one.
    for other in (
        new_draft("session-1", "ana", "2b", None, "note", START),
        new_draft("session-1", "ana", "2a", None, "decision", START),
        new_draft("session-1", "ana", "2a", "n1", "note", START),
        new_draft("session-1", "bo", "2a", None, "note", START),
    ):
        assert other.name != draft.name and box.mine(other) is None
    box.remove(draft)
    assert box.mine(draft) is None
    box.close()
    assert not box.folder.exists()


def test_a_live_trackers_drafts_are_never_offered(tmp_path: Path) -> None:
    first = DraftBox(tmp_path, "s")
    second = DraftBox(tmp_path, "s")  # the same person in another terminal
    draft = new_draft("s", "ana", "2a", None, "note", START).with_text("mine", START)
    first.write(draft)
    assert list(second.orphans("ana")) == []
    first.close()  # that tracker is gone (a crash releases its lock the same way)
    ((found, path),) = list(second.orphans("ana"))
    assert found == draft
    assert list(second.orphans("bo")) == []
    adopted = second.adopt(found, path)
    assert second.mine(adopted) == draft and not path.parent.exists()
    second.close()


def test_a_crashed_trackers_lock_is_released(tmp_path: Path) -> None:
    """A tracker killed with SIGKILL holds no lock: its drafts become left-overs."""
    script = (
        "import sys, os, signal\n"
        "from pathlib import Path\n"
        "from sessiontui.ui.drafts import DraftBox, new_draft\n"
        "import datetime as dt\n"
        "box = DraftBox(Path(sys.argv[1]), 's')\n"
        "now = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)\n"
        "box.write(new_draft('s', 'ana', '2a', None, 'note', now).with_text('left', now))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=False)
    box = DraftBox(tmp_path, "s")
    assert [draft.text for draft, _ in box.orphans("ana")] == ["left"]
    box.close()


def test_a_symlinked_draft_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    box = DraftBox(tmp_path, "s")
    draft = new_draft("s", "ana", "2a", None, "note", START).with_text("mine", START)
    elsewhere = tmp_path / "elsewhere.json"
    box.write(draft)
    box.path(draft).rename(elsewhere)
    box.path(draft).symlink_to(elsewhere)
    assert box.mine(draft) is None  # a valid draft's text, but behind a link: not read
    gone = tmp_path / box.base.name / "gone"
    gone.mkdir()
    (gone / draft.name).symlink_to(elsewhere)
    assert list(box.orphans("ana")) == []
    before = elsewhere.read_bytes()
    box.write(draft.with_text("changed", START))
    assert elsewhere.read_bytes() == before  # the link itself was replaced
    assert not box.path(draft).is_symlink() and box.mine(draft) is not None
    box.close()


def test_a_torn_or_foreign_file_is_not_a_draft(tmp_path: Path) -> None:
    box = DraftBox(tmp_path, "s")
    gone = tmp_path / box.base.name / "gone"
    gone.mkdir()
    (gone / "a.json").write_text("{not json", encoding="utf-8")
    (gone / "b.json").write_bytes(b"")
    (gone / "c.json").write_text('{"version": 1, "text": 5}', encoding="utf-8")
    assert list(box.orphans("ana")) == []
    box.close()


def test_a_full_disk_keeps_the_previous_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = DraftBox(tmp_path, "s")
    draft = new_draft("s", "ana", "2a", None, "note", START).with_text("first", START)
    box.write(draft)

    def full(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError):
        box.write(draft.with_text("second", START))
    monkeypatch.undo()
    assert box.mine(draft) == draft  # never a 0-byte draft
    assert [p for p in box.folder.iterdir() if p.suffix == ".tmp"] == []
    box.close()


def test_the_writer_never_holds_the_caller_and_the_latest_text_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = _SlowDisk(monkeypatch)
    box = DraftBox(tmp_path, "s")
    draft = new_draft("s", "ana", "2a", None, "note", START)
    asked = time.monotonic()
    first = box.keep(draft.with_text("Kenya", START))
    assert disk.entered.wait(5)  # the writer is in the middle of it, held by the disk
    box.keep(draft.with_text("Kenya spoke", START))
    last = box.keep(draft.with_text("Kenya spoke at length", START))
    assert time.monotonic() - asked < 1  # the asks returned at once
    assert not first.done and not last.done
    assert not box.settle(0)
    disk.gate.set()
    box.wait(last)
    assert disk.written == ["Kenya", "Kenya spoke at length"]  # the middle one never landed
    mine = box.mine(draft)
    assert mine is not None and mine.text == "Kenya spoke at length"
    assert box.close()


def test_a_removal_is_never_undone_by_a_write_asked_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note saved while its draft's writes wait: the draft stays gone (a write landing after
    the removal would bring back the draft of a saved note)."""
    disk = _SlowDisk(monkeypatch)
    box = DraftBox(tmp_path, "s")
    draft = new_draft("s", "ana", "2a", None, "note", START)
    box.keep(draft.with_text("Kenya", START))
    assert disk.entered.wait(5)
    box.keep(draft.with_text("Kenya spoke", START))
    with pytest.raises(TimeoutError, match=r"has not answered in 0\.2 s"):
        box.remove(draft, timeout=0.2)  # a bounded wait, and said when it ends
    disk.gate.set()
    assert box.settle()
    assert box.mine(draft) is None
    assert disk.written == ["Kenya"]
    assert box.close()


# -- the tracker ------------------------------------------------------------------------------


async def test_cancel_keeps_a_draft_of_that_note_only(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await pilot.pause(0.5)
        assert app.notes.box is not None and app.notes.box.settle()  # the writer's turn
        assert [d.text for d in _drafts(root)] == ["half a thought"]
        await pilot.press("escape")
        await pilot.pause()
        assert any("kept in a draft" in n.message for n in app._notifications)
        # A decision on the same item, a note on another: empty editors, the draft untouched.
        for key, item in (("d", "1"), ("n", "2")):
            app.jump_to(item)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text == ""
            await pilot.press("escape")
            await pilot.pause()
        # The same note again: restored at once, no question to answer.
        app.jump_to("1")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "half a thought"
        assert "Restored unsaved text from 10:00" in str(
            app.screen.query_one("#note-hint").render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.text for n in service.state.notes.values()] == ["half a thought"]
        assert _drafts(root) == []


async def test_failed_save_keeps_the_text_and_the_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)

    def broken(command: Command, **_: object) -> list[object]:
        raise SaveError("disk full: the note was NOT saved", [])

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("words that must not be lost")
        monkeypatch.setattr(service, "run", broken)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "words that must not be lost"
        assert "kept here and in a draft" in str(app.screen.query_one("#note-hint").render())
        assert [d.text for d in _drafts(root)] == ["words that must not be lost"]
    assert log_types(service) == []


async def test_a_full_disk_is_said_once_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's write fails at the OS (ENOSPC): the editor and the notification say "not
    saved" once, with the cause, never two or three times over."""
    import errno

    from sessiontui.store import durable

    service, clock = make_service(tmp_path)
    app = _app(service, clock, tmp_path / "drafts")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("words on a full disk")
        monkeypatch.setattr(durable, "_write", full)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        hint = str(app.screen.query_one("#note-hint").render())
        # What it takes to record again is said at once: the log stays read-only until a
        # restart (it only said the text was kept, and nothing showed the log read-only).
        restart = (
            "the disk is full; nothing was recorded; the log is read-only until the tracker "
            "is restarted (free space or fix the disk first)"
        )
        assert hint.startswith(f"NOT SAVED: {restart} — "), hint
        messages = [n.message for n in app._notifications]
        assert f"NOT saved: {restart}" in messages, messages
        for said in [hint, *messages]:
            assert said.lower().count("not saved") <= 1, said
        bar = str(app.main.query_one(TopBar).render())
        assert "READ-ONLY (the disk is full): restart to record" in bar, bar
        assert app.refusal("close_item") == (
            "a write to the log failed (the disk is full); the log is read-only until the "
            "tracker is restarted (free space or fix the disk first)"
        )
    assert log_types(service) == []


async def test_a_draft_that_cannot_be_written_is_never_said_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, clock = make_service(tmp_path)
    app = _app(service, clock, tmp_path / "drafts")

    def full(self: DraftBox, draft: NoteDraft) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        monkeypatch.setattr(DraftBox, "_write_file", full)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"not kept")
        await pilot.press("escape")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert not any("kept in a draft" in m for m in messages)
        assert any("could NOT be written" in m for m in messages)
        assert isinstance(app.screen, NoteEditor)  # a second escape discards
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)


async def test_quitting_with_the_editor_open_leaves_a_draft_offered_at_next_start(
    tmp_path: Path,
) -> None:
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await _note_editor_on(pilot, "2a", "d")
        await pilot.press(*"typed just before quitting")
        await pilot.press("ctrl+q")  # at once: the timed draft write has not happened yet
        await pilot.pause()
    assert [d.text for d in _drafts(root)] == ["typed just before quitting"]

    again = _app(second_writer(service, actor="ana"), clock, root)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)
        assert again.screen.question.startswith(
            "Restore unsaved text of a new decision on 2(a) from 10:00?"
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(again.screen, NoteEditor)
        assert again.screen.query_one(TextArea).text == "typed just before quitting"
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = list(again.service.state.notes.values())
        assert [(n.kind, n.text) for n in notes] == [("decision", "typed just before quitting")]
    assert _drafts(root) == []


async def test_steady_typing_is_kept_in_the_draft_as_it_goes(tmp_path: Path) -> None:
    """A typist who never pauses still has a draft a moment behind the text: a terminal that
    goes mid-sentence (no quit, no unmount) loses at most that moment, not the sentence."""
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await _note_editor_on(pilot, "2a", "n")
        typed = "Kenya spoke at length on the draft"
        for key in typed:
            await pilot.press(key if key != " " else "space")
            await asyncio.sleep(DRAFT_DELAY / 4)  # each key well inside the delay
        # Still typing, never a pause as long as the delay: the draft holds most of it.
        (draft,) = _drafts(root)
        assert typed.startswith(draft.text) and len(draft.text) > len(typed) // 2
        assert isinstance(app.screen, NoteEditor)


async def _note_editor_on(pilot: Pilot[None], item_id: str, key: str) -> NoteEditor:
    """The note editor ``key`` opens on ``item_id`` (``n`` a note, ``d`` a decision)."""
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    app.jump_to(item_id)
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, NoteEditor)
    return app.screen


def _keys(text: str) -> list[str]:
    return [key if key != " " else "space" for key in text]


async def _settled(pilot: Pilot[None], editor: NoteEditor) -> None:
    """Wait (a few seconds at most) for the writer's word to reach the editor."""
    for _ in range(100):
        if editor.kept:
            return
        await pilot.pause(0.05)


async def test_typing_goes_on_while_the_disk_holds_the_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft write that takes seconds (a laptop's disk, a network home folder) never stops
    the editor: every key is taken while the disk holds the write, and the draft then holds
    the whole text, the editor saying so only once it does."""
    disk = _SlowDisk(monkeypatch)
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _note_editor_on(pilot, "2a", "n")
        area = editor.query_one(TextArea)
        await pilot.press(*_keys("Kenya"))
        await pilot.pause(DRAFT_DELAY * 2)
        assert disk.entered.is_set()  # its draft handed to the writer, held by the disk
        typed = "Kenya"
        for words in (" spoke", " at length", " on the draft"):
            await pilot.press(*_keys(words))
            await pilot.pause(DRAFT_DELAY * 1.5)  # the next timed writes come and go
            typed += words
            assert area.text == typed  # every key taken, the disk still holding the first
            assert disk.written == [] and not editor.kept
        disk.gate.set()
        await _settled(pilot, editor)
        assert editor.kept
        # The one the disk held (all the keys the timer saw), then only the latest of those
        # asked meanwhile.
        held, *rest = disk.written
        assert "Kenya".startswith(held) and rest == [typed]
        assert [d.text for d in _drafts(root)] == [typed]


async def test_a_quit_waits_for_the_draft_the_disk_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+q while the disk holds the draft's write and more was typed since: the tracker
    ends once the draft holds all of it."""
    disk = _SlowDisk(monkeypatch)
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _note_editor_on(pilot, "2a", "d")
        await pilot.press(*_keys("typed while"))
        await pilot.pause(DRAFT_DELAY * 2)
        assert disk.entered.is_set()
        await pilot.press(*_keys(" the disk was slow"))
        assert editor.query_one(TextArea).text == "typed while the disk was slow"
        assert disk.written == []  # its first write still pending
        threading.Timer(0.5, disk.gate.set).start()  # the disk answers, in its own time
        await pilot.press("ctrl+q")  # at once: the rest never handed to the writer yet
        await pilot.pause()
    assert [d.text for d in _drafts(root)] == ["typed while the disk was slow"]
    assert app.notes.unwritten is None


async def test_a_quit_the_disk_never_answers_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that does not answer holds the quit a bounded time, and the tracker says the
    draft may not hold what was typed last."""
    monkeypatch.setattr(drafts_module, "WAIT_SECONDS", 0.3)
    disk = _SlowDisk(monkeypatch)
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*_keys("never on disk"))
            await pilot.pause(DRAFT_DELAY * 2)
            assert disk.entered.is_set()
            asked = time.monotonic()
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
            assert time.monotonic() - asked < 3
        assert app.notes.unwritten is not None
        assert "has not answered" in app.notes.unwritten
    finally:
        disk.gate.set()


async def test_a_draft_already_saved_is_dropped_not_offered(tmp_path: Path) -> None:
    """A crash between the save and the draft's removal: the key is in the log."""
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    box = DraftBox(root, service.store.header.session)
    draft = new_draft(service.store.header.session, "ana", "2a", None, "note", START)
    draft = draft.with_text("saved once", START)
    box.write(draft)
    service.run(AddNote("2a", "saved once"), key=draft.key)
    os.close(box._lock)  # the tracker died here, its draft still on disk
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    assert _drafts(root) == []
    assert log_types(service) == ["note.add"]
    # Saving it again anyway would be recognised too: still one note.
    service.run(AddNote("2a", "saved once"), key=draft.key)
    assert log_types(service) == ["note.add"]


async def test_declining_a_left_over_draft_discards_it(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    box = DraftBox(root, service.store.header.session)
    when = START + dt.timedelta(minutes=42)
    box.write(
        new_draft(service.store.header.session, "ana", "2a", None, "note", when).with_text(
            "old words", when
        )
    )
    box.close()
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Restore unsaved text of a new note on 2(a) from 10:42?" in app.screen.question
        assert "“old words”" in app.screen.question  # two drafts on one item told apart
        # Letters typed as the tracker starts answer nothing, a y no more than an n.
        await pilot.press(*"nobody says yes")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert len(_drafts(root)) == 1
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog | NoteEditor)
    assert _drafts(root) == []
    assert log_types(service) == []


async def test_a_draft_of_an_edit_to_a_deleted_note_is_saved_once(tmp_path: Path) -> None:
    """The note was deleted meanwhile: its edit's draft opens as a new note and is gone once
    that is saved, never offered (and saved) again at the next start."""
    service, clock = make_service(tmp_path)
    service.run(AddNote("2a", "first words"))
    (note,) = service.state.notes.values()
    root = tmp_path / "drafts"
    box = DraftBox(root, service.store.header.session)
    box.write(
        new_draft(service.store.header.session, "ana", "2a", note.id, "note", START).with_text(
            "first words, and more", START
        )
    )
    box.close()
    service.run(DeleteNote(note.id))
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "first words, and more"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert _drafts(root) == []
    again = _app(service, clock, root)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(again.screen, ConfirmDialog)
    texts = [n.text for n in service.state.notes.values() if not n.deleted]
    assert texts == ["first words, and more"]


async def test_a_restored_edit_says_who_changed_the_note_since(tmp_path: Path) -> None:
    """An edit left in a draft (a crash, a refused save), the note edited by someone else
    meanwhile: restoring it says so, at start and in the editor, before a save replaces it."""
    service, clock = make_service(tmp_path)
    service.run(AddNote("2a", "first words"))
    (note,) = service.state.notes.values()
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notes.edit(note.id)
        await pilot.pause()
        await pilot.press(*" and mine")
        await pilot.press("ctrl+q")
        await pilot.pause()
    (left,) = _drafts(root)
    assert left.base == 1 and left.text == "first words and mine"
    clock.advance(minutes=5)
    second_writer(service, actor="bo").run(EditNote(note.id, "first words, as bo put them"))

    again = _app(second_writer(service, actor="ana"), clock, root)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)
        assert again.screen.question.startswith(
            "Restore unsaved text of the edit of a note on 2(a) from 10:00? "
            "Since then, bo changed this note (at 10:05)."
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(again.screen, NoteEditor)
        hint = str(again.screen.query_one("#note-hint", Static).render())
        assert "since then, bo changed this note (at 10:05)" in hint


async def test_a_restored_edit_shows_the_other_version_to_merge(tmp_path: Path) -> None:
    """The other person's text is in the editor itself, read-only: the item panel, where it
    also shows, is under the dialog at 80x24."""
    service, clock = make_service(tmp_path)
    service.run(AddNote("2a", "first words"))
    (note,) = service.state.notes.values()
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notes.edit(note.id)
        await pilot.pause()
        await pilot.press(*" and mine")
        await pilot.press("ctrl+q")
        await pilot.pause()
    clock.advance(minutes=5)
    second_writer(service, actor="bo").run(EditNote(note.id, "first words, as bo put them"))

    again = _app(second_writer(service, actor="ana"), clock, root)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)
        await pilot.press("ctrl+r")
        await pilot.pause()
        editor = again.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "first words and mine"
        theirs = editor.query_one("#note-theirs")
        shown = str(theirs.query_one(Static).render())
        assert "bo's text (at 10:05)" in shown and "first words, as bo put them" in shown
        # Both versions and the hint fit the 80x24 screen.
        screen = again.screen.region
        for part in (theirs, editor.query_one(TextArea), editor.query_one("#note-hint")):
            assert screen.contains_region(part.region), part
        hint = str(editor.query_one("#note-hint", Static).render())
        assert "item panel" not in hint


# -- the speaker dialog's draft ----------------------------------------------------------------


async def _speaker_dialog_on(pilot: Pilot[None], item_id: str) -> SpeakerDialog:
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    app.jump_to(item_id)
    await pilot.pause()
    await pilot.press("plus")
    await pilot.pause()
    assert isinstance(app.screen, SpeakerDialog)
    return app.screen


async def _type_speaker(pilot: Pilot[None]) -> None:
    """Kenya, on behalf of the African Group, a 90 s limit; nothing put on the list."""
    await pilot.press(*"Kenya", "tab", *"African Group", "tab", "tab", "tab", *"90s")


SPEAKER_FIELDS = {
    "speaker-name": "Kenya",
    "speaker-on-behalf-of": "African Group",
    "speaker-person": "",
    "speaker-kind": "statement",
    "speaker-limit": "90s",
}


async def test_a_speaker_being_typed_is_kept_in_a_draft_as_it_goes(tmp_path: Path) -> None:
    """A crash with the speaker dialog open: the draft written a moment after the typing holds
    every field; nothing is on the list."""
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await _speaker_dialog_on(pilot, "2b")
        await _type_speaker(pilot)
        await asyncio.sleep(DRAFT_DELAY * 2)
        await pilot.pause()
        assert app.notes.box is not None and app.notes.box.settle()  # the writer's turn
        (draft,) = _drafts(root)  # on disk while the dialog is open: what a crash leaves
        assert (draft.item, draft.kind, draft.note) == ("2b", SPEAKER, None)
        assert draft.fields == SPEAKER_FIELDS
        assert draft.text == "Kenya · African Group · 90s"
        assert isinstance(app.screen, SpeakerDialog)
    assert "speaker.add" not in log_types(service)


async def test_a_hang_up_keeps_the_speaker_typed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal goes before the draft's timed write: the signal's ``keep_typed`` writes the
    speaker's fields, as it writes an open note's text."""
    monkeypatch.setattr(drafted, "DRAFT_DELAY", 3600.0)  # no timed write during the test
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _speaker_dialog_on(pilot, "2b")
        await _type_speaker(pilot)
        await pilot.pause()
        assert _drafts(root) == []
        app.notes.keep_typed()
        assert [d.fields for d in _drafts(root)] == [SPEAKER_FIELDS]
        assert dialog.kept
        # The keys read before the hang-up are handled, then its quit: the last ones are kept
        # as the dialog goes (its fields already gone then).
        app._hung_up = True
        await pilot.press("shift+tab", "shift+tab", *"Ms. Wanjiru", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert [d.fields for d in _drafts(root)] == [
        {**SPEAKER_FIELDS, "speaker-person": "Ms. Wanjiru"}
    ]


async def test_a_speaker_left_by_a_quit_is_restored_at_the_next_start(tmp_path: Path) -> None:
    """ctrl+q with a speaker typed quits (the speaker kept in a draft, as a note's text is);
    the next start offers it, ctrl+r opens the dialog with every field filled in, enter puts
    the speaker on the list once and removes the draft."""
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    app = _app(service, clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await _speaker_dialog_on(pilot, "2b")
        await pilot.press("escape")  # a speaker dialog cancelled leaves no draft
        await pilot.pause()
        assert _drafts(root) == []
        await pilot.press("plus")
        await pilot.pause()
        await _type_speaker(pilot)
        await pilot.press("ctrl+q")  # at once: the timed draft write has not happened yet
        await pilot.pause()
        assert not app.is_running
    assert [d.fields for d in _drafts(root)] == [SPEAKER_FIELDS]

    again = _app(second_writer(service, actor="ana"), clock, root)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, ConfirmDialog)
        assert again.screen.question == (
            "Restore unsaved text of a speaker on 2(b) from 10:00?\n“Kenya · African Group · 90s”"
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = again.screen
        assert isinstance(dialog, SpeakerDialog)
        assert dialog.fields() == SPEAKER_FIELDS
        assert "Restored unsaved speaker from 10:00" in str(dialog.query_one(".hint").render())
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(again.screen, SpeakerDialog)
        speakers = again.service.state.items["2b"].speakers
        assert [(sp.name, sp.on_behalf_of, sp.limit_seconds) for sp in speakers] == [
            ("Kenya", "African Group", 90)
        ]
    assert _drafts(root) == []
    assert log_types(again.service).count("speaker.add") == 1


async def test_a_speaker_draft_already_recorded_is_dropped_not_offered(tmp_path: Path) -> None:
    """A crash between putting the speaker on the list and removing the draft: the draft's key
    is in the log, so it is never offered or recorded again."""
    service, clock = make_service(tmp_path)
    root = tmp_path / "drafts"
    box = DraftBox(root, service.store.header.session)
    draft = new_draft(service.store.header.session, "ana", "2b", None, SPEAKER, START)
    draft = draft.with_fields(SPEAKER_FIELDS, "Kenya · African Group · 90s", START)
    box.write(draft)
    service.run(AddSpeaker("2b", "Kenya", on_behalf_of="African Group"), key=draft.key)
    box.close()  # the crashed tracker's lock is gone
    app = _app(second_writer(service, actor="ana"), clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
    assert _drafts(root) == []
    assert log_types(app.service).count("speaker.add") == 1
