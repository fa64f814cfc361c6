"""The tracker app: drives the session's command layer from the keyboard and shows the state."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from sessiontui.core.clock import Clock
from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    CloseItem,
    Command,
    DeferItem,
    DeleteNote,
    EditNote,
    NextItem,
    OpenItem,
    Refused,
    ResumeItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    SuspendItem,
    Undo,
    next_item,
    role_allows,
)
from sessiontui.core.events import Event, EventText
from sessiontui.core.state import Note, SessionState
from sessiontui.service import SessionService
from sessiontui.store.base import SaveError, StoreError
from sessiontui.ui.commands import ItemProvider
from sessiontui.ui.format import safe
from sessiontui.ui.screens.clock_screen import ClockScreen
from sessiontui.ui.screens.main_screen import MainScreen
from sessiontui.ui.widgets.journal_panel import JournalPanel

if TYPE_CHECKING:
    # The journal writer, the dialogs and the help screen are imported when first used: none
    # is on the first screen, and importing them took 50-80 ms of every start.
    from sessiontui.exporters.journal import Journal
    from sessiontui.ui.dialogs.export_dialog import ExportRequest
    from sessiontui.ui.dialogs.identity_dialog import Identity
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerRequest

TICK_SECONDS = 1.0
"""How often the app looks for lines other writers appended and repaints the clocks."""

JOURNAL_LINES = 200

NOTE_HEADINGS: dict[str, str] = {"note": "Note", "decision": "Decision", "action": "Action point"}

# Actions that record something: disabled when read-only, before an identity is given, or when
# the role may not record what they would.
RECORDING_ACTIONS: dict[str, str] = {
    "take_up": "item.open",
    "close_item": "item.close",
    "next_item": "item.open",
    "suspend_item": "item.suspend",
    "defer_item": "item.defer",
    "reopen_item": "item.open",
    "pause_sitting": "sitting.suspend",
    "toggle_sitting": "sitting.open",
    "note": "note.add",
    "edit_note": "note.edit",
    "delete_note": "note.delete",
    "add_speaker": "speaker.add",
    "start_speaker": "speaker.start",
    "stop_speaker": "speaker.stop",
    "undo": "undo",
}


ITEM_JOURNAL_LINES = 8
JOURNAL_AT_START = 20_000
"""Sessions up to this many events have their journal built at start; longer ones when the
journal panel is first shown (describing 200,000 events takes seconds)."""


def _keep(
    entries: Iterable[tuple[str, frozenset[str]]],
    lines: deque[str],
    per_item: dict[str, deque[str]],
) -> None:
    """Add journal entries to the last lines, and to the last lines of each item concerned."""
    for line, items in entries:
        shown = safe(line)
        lines.append(shown)
        for item in items:
            recent = per_item.get(item)
            if recent is None:
                recent = per_item[item] = deque(maxlen=ITEM_JOURNAL_LINES)
            recent.append(shown)


@dataclass(frozen=True, slots=True)
class _ExportMaterial:
    """What the UI thread hands the export worker: copies, never the live state."""

    events: list[Event]  # every event, or the last one when ``digest`` is given
    texts: list[EventText] | None  # every event as written (JSON export)
    journal_of: Path | None  # the log whose whole journal the worker makes (txt export)
    snapshot: bytes  # the state, as ``dump_state`` made it
    digest: str | None  # SHA-256 of the log up to the last event


class SessionApp(App[None]):
    """The tracker: agenda tree, selected item, clocks; every action is a session command.

    Commands run synchronously on the UI thread through ``SessionService.run``: appends are then
    strictly ordered (one writer) and an fdatasync costs about 0.2 ms here, far below a frame.
    """

    CSS_PATH = "app.tcss"
    TITLE = "sessiontui"
    COMMANDS = App.COMMANDS | {ItemProvider}
    NOTIFICATION_TIMEOUT = 8

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "take_up", "Take up", id="item.open"),
        Binding("c", "close_item", "Close", id="item.close"),
        Binding("greater_than_sign", "next_item", "Next item", key_display=">", id="item.next"),
        Binding("s", "suspend_item", "Suspend/resume item", show=False, id="item.suspend"),
        Binding("f", "defer_item", "Defer item", show=False, id="item.defer"),
        Binding("r", "reopen_item", "Reopen item", show=False, id="item.reopen"),
        Binding("p", "pause_sitting", "Suspend/resume sitting", show=False, id="sitting.pause"),
        Binding("P", "toggle_sitting", "Open/close sitting", show=False, id="sitting.toggle"),
        Binding("n", "note('note')", "Note", id="note.note"),
        Binding("d", "note('decision')", "Decision", show=False, id="note.decision"),
        Binding("a", "note('action')", "Action point", show=False, id="note.action"),
        Binding("E", "edit_note", "Edit a note", show=False, id="note.edit"),
        Binding("X", "delete_note", "Delete a note", show=False, id="note.delete"),
        Binding("plus", "add_speaker", "Add speaker", key_display="+", id="speaker.add"),
        Binding(
            "g",
            "start_speaker",
            "Give the floor to the next speaker",
            show=False,
            id="speaker.start",
        ),
        Binding("e", "stop_speaker", "End the current speech", show=False, id="speaker.stop"),
        Binding("u", "undo", "Undo my last action", show=False, id="undo"),
        Binding("w", "export", "Export", show=False, id="export"),
        Binding("t", "clock_view", "Clock view", show=False, id="view.clock"),
        Binding("j", "toggle_journal", "Journal", show=False, id="view.journal"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        service: SessionService,
        *,
        read_only: bool = False,
        clock: Clock | None = None,
        ask_identity: bool = False,
    ) -> None:
        """Make the app.

        Args:
            service: The session to show and record into.
            read_only: Record nothing (a viewer or a projector).
            clock: Where "now" comes from (tests pass a fake clock); default: the service's.
            ask_identity: Ask the person's name and role before anything can be recorded.
        """
        super().__init__()
        self.service = service
        self.read_only = read_only or service.store.read_only
        self.clock: Clock = clock or service.clock
        self.identity_pending = ask_identity and not self.read_only
        self.journal: deque[str] = deque(maxlen=JOURNAL_LINES)
        self.item_journal: dict[str, deque[str]] = {}
        # The journal is built when first shown (a long session takes seconds to describe):
        # until then (no writer) new events are not described; while it is built they wait here.
        self._journal_writer: Journal | None = None
        self._journal_pending: list[Event] | None = None
        self._refresh_failed = False
        self.last_export: Path | None = None

    # -- wiring ----------------------------------------------------------------------------

    def on_load(self) -> None:
        """Exempt what exists now (the folded session, the modules) from garbage collection.

        A long session is about a hundred thousand long-lived objects: each full collection
        walked them all again, 100-200 ms, once at start and then every dozen key presses or
        so. Reference counting still frees them; ``on_unmount`` hands them back to the collector.
        """
        gc.freeze()

    def on_unmount(self) -> None:
        """Leave the collector as it was (tests run many apps in one process)."""
        gc.unfreeze()

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def main(self) -> MainScreen:
        """The main view (always the bottom screen)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_main_screen_ready(self, message: MainScreen.Ready) -> None:
        """Paint and start the clock once the main screen's widgets exist."""
        self._started()

    def _started(self) -> None:
        self.main.item_journal = self.item_journal
        self.paint(changed=True)
        if self.service.state.event_count <= JOURNAL_AT_START:
            self._load_journal()  # cheap on a session of this size: the item panel shows it
        for notice in getattr(self.service.store, "notices", []):
            self.notify(str(notice), severity="warning", markup=False)
        if self.service.store.damage:
            self.notify(
                "The log is damaged; it is open read-only (see `sessiontui verify`).",
                severity="error",
                markup=False,
            )
        self.set_interval(TICK_SECONDS, self.tick)
        if self.identity_pending:
            from sessiontui.ui.dialogs.identity_dialog import IdentityDialog

            self.push_screen(IdentityDialog(), self._identity_given)

    def _identity_given(self, identity: Identity | None) -> None:
        self.identity_pending = False
        if identity is None:
            self.read_only = True
            self.notify("View only: nothing will be recorded.", markup=False)
        else:
            self.service.actor = identity.name
            self.service.role = identity.role
            self.sub_title = f"{identity.name} ({identity.role})"
        self.refresh_bindings()

    @property
    def now(self) -> dt.datetime:
        """The current instant from the injected clock."""
        return self.clock.now()

    @property
    def state(self) -> SessionState:
        """The session state as last read or written."""
        return self.service.state

    def tick(self) -> None:
        """Fold what others appended, then repaint (everything if something changed)."""
        try:
            news = self.service.refresh()
        except StoreError as exc:
            if not self._refresh_failed:
                self.notify(f"Cannot read the log: {exc}", severity="error", markup=False)
            self._refresh_failed = True
            news = []
        else:
            self._refresh_failed = False
        self._journal_add(news)
        self.paint(changed=bool(news))

    def paint(self, *, changed: bool) -> None:
        """Repaint the views from the state."""
        now = self.now
        self.main.paint(self.state, now, self.service.actor, changed=changed)
        if changed:
            self.main.query_one(JournalPanel).show(list(self.journal)[-12:])
            self.refresh_bindings()
        if isinstance(self.screen, ClockScreen):
            self.screen.tick(self.state, now)

    # -- the journal -----------------------------------------------------------------------

    def _load_journal(self) -> None:
        """Build the journal of the session so far, off the UI thread when the log is a file."""
        if self._journal_writer is not None or self._journal_pending is not None:
            return
        path = getattr(self.service.store, "path", None)
        if not isinstance(path, Path):
            from sessiontui.exporters.journal import Journal

            # Not a log file (PostgreSQL): read through the service's own store, here.
            self._journal_writer = Journal(self.service.store.header)
            with contextlib.suppress(StoreError):
                self._journal_add(self.service.store.read())
            return
        self._journal_pending = []
        self._build_journal(path)

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False)
    def _build_journal(self, path: Path) -> None:
        # A descriptor of its own: the service's descriptor and its flock stay on the UI thread.
        from sessiontui.exporters.journal import Journal
        from sessiontui.service import whole_journal
        from sessiontui.store.file import FileStore

        lines: deque[str] = deque(maxlen=JOURNAL_LINES)
        per_item: dict[str, deque[str]] = {}
        try:
            with FileStore(path, read_only=True, recover=False) as reader:
                # From the log's journal checkpoint when there is one: a long session's
                # journal is then at hand at once instead of after seconds of folding.
                whole = whole_journal(reader, live=True)
                journal = whole.journal
                assert journal is not None
                _keep(whole.entries(), lines, per_item)
        except StoreError:
            # The journal is a convenience; damage is reported on mount.
            journal = Journal(self.service.store.header)
        self.call_from_thread(self._journal_built, journal, lines, per_item)

    def _journal_built(
        self, journal: Journal, lines: deque[str], per_item: dict[str, deque[str]]
    ) -> None:
        # From now on the journal is fed here, by the service: an undo makes it fold again
        # from the service's store (on this thread, which owns that store's descriptor).
        journal.use_source(self.service.store.read)
        self._journal_writer = journal
        self.journal, self.item_journal = lines, per_item
        self.main.item_journal = per_item
        # The reader may have read further than the service had when the build started.
        pending, self._journal_pending = self._journal_pending or [], None
        self._journal_add(event for event in pending if event.seq > journal.seq)
        self.paint(changed=True)

    def _journal_add(self, events: Iterable[Event]) -> None:
        # The journal folds its own state, so each line names things as they were then.
        if self._journal_pending is not None:
            self._journal_pending.extend(events)
            return
        if self._journal_writer is None:
            return  # read from the log when the journal is first shown
        entries = self._journal_writer.entries(sorted(events, key=lambda e: e.seq))
        _keep(entries, self.journal, self.item_journal)

    # -- recording -------------------------------------------------------------------------

    def record(self, command: Command) -> str | None:
        """Run one command; returns None when saved, else why not (also shown to the person)."""
        try:
            events = self.service.run(command)
        except Refused as exc:
            self.notify(f"Refused: {exc}", severity="warning", markup=False)
            self.tick()
            return str(exc)
        except SaveError as exc:
            self.notify(f"NOT saved: {exc}", severity="error", markup=False)
            return f"not saved: {exc}"
        except StoreError as exc:
            self.notify(f"NOT saved: {exc}", severity="error", markup=False)
            return f"not saved: {exc}"
        self._journal_add(events)
        self.paint(changed=True)
        return None

    def selected(self) -> str | None:
        """The item under the agenda cursor."""
        return self.main.selected_item

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable what cannot apply now, so keys are never silently ignored."""
        return self.allowed(action, self.screen)

    def allowed(self, action: str, screen: Screen[Any]) -> bool:
        """Whether ``action`` applies with ``screen`` in front (the palette asks for its own)."""
        if action in ("quit", "help", "command_palette", "clock_view"):
            return True
        if screen is not self.main and not isinstance(screen, ClockScreen):
            # A dialog is open: its own keys apply, the tracker's wait.
            return False
        if action in ("export", "toggle_journal", "change_theme"):
            return True
        if action not in RECORDING_ACTIONS:
            return True
        if self.read_only or self.identity_pending:
            return False
        if not role_allows(self.service.role, RECORDING_ACTIONS[action]):
            return False
        return self._applies(action)

    def _applies(self, action: str) -> bool:
        state = self.state
        if action == "next_item":
            return next_item(state) is not None
        if action == "pause_sitting":
            return state.sitting is not None
        if action in ("toggle_sitting",):
            return True
        if action == "undo":
            return bool(state.undoable.get(self.service.actor))
        item_id = self.selected()
        if item_id is None or item_id not in state.items:
            return False
        item = state.items[item_id]
        if action == "take_up":
            return state.floor != item_id
        if action == "close_item":
            return item.status in ("open", "suspended")
        if action == "suspend_item":
            return item.status in ("open", "suspended")
        if action == "defer_item":
            return item.status not in ("closed", "deferred")
        if action == "reopen_item":
            return item.status == "closed"
        if action in ("edit_note", "delete_note"):
            return bool(state.notes_of(item_id))
        if action == "start_speaker":
            return any(sp.status == "queued" for sp in item.speakers)
        if action == "stop_speaker":
            return state.speaking is not None and state.speaking[0] == item_id
        return True

    def _item_action(self, make: Callable[[str], Command]) -> None:
        item_id = self.selected()
        if item_id is not None:
            self.record(make(item_id))

    def action_take_up(self) -> None:
        """Take the selected item up (open it)."""
        self._item_action(OpenItem)

    def action_close_item(self) -> None:
        """Close the selected item."""
        self._item_action(CloseItem)

    def action_next_item(self) -> None:
        """Close the item on the floor and take up the next one."""
        self.record(NextItem())
        if self.state.floor is not None:
            self.main.agenda_tree.select_item(self.state.floor)

    def action_suspend_item(self) -> None:
        """Suspend the selected item, or resume it when it is suspended."""
        item_id = self.selected()
        if item_id is None:
            return
        if self.state.items[item_id].status == "suspended":
            self.record(ResumeItem(item_id))
        else:
            self.record(SuspendItem(item_id))

    def action_defer_item(self) -> None:
        """Defer the selected item."""
        self._item_action(DeferItem)

    def action_reopen_item(self) -> None:
        """Reopen the selected (closed) item."""
        self._item_action(OpenItem)

    def action_pause_sitting(self) -> None:
        """Suspend the sitting (a break), or resume it."""
        sitting = self.state.sitting
        if sitting is not None:
            self.record(SittingCommand("resume" if sitting.status == "suspended" else "suspend"))

    def action_toggle_sitting(self) -> None:
        """Open a sitting, or close the current one (after asking)."""
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        if self.state.sitting is None:
            self.record(SittingCommand("open"))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.record(SittingCommand("close"))

        self.push_screen(ConfirmDialog(f"Close the {self.state.sitting.label}?"), answered)

    # -- notes -----------------------------------------------------------------------------

    def draft_path(self) -> Path | None:
        """The draft file beside the log for this person (None when the log is not a file)."""
        log = getattr(self.service.store, "path", None)
        if log is None:
            return None
        actor = re.sub(r"[^\w.-]", "_", self.service.actor)[:64] or "unknown"
        return Path(log).with_name(f"{Path(log).name}.draft-{actor}.txt")

    def action_note(self, kind: str = "note") -> None:
        """Write a note, decision or action point on the selected item."""
        from sessiontui.ui.dialogs.note_editor import NoteEditor

        item_id = self.selected()
        if item_id is None:
            return

        def save(text: str) -> str | None:
            return self.record(AddNote(item_id, text, kind))

        heading = f"{NOTE_HEADINGS.get(kind, 'Note')} on {self.state.display(item_id)}"
        self.push_screen(NoteEditor(heading, save, draft=self.draft_path()))

    def _pick_note(self, verb: str, then: Callable[[Note], None]) -> None:
        from sessiontui.ui.dialogs.note_picker import NotePicker

        item_id = self.selected()
        if item_id is None:
            return
        notes = self.state.notes_of(item_id)

        def picked(note_id: str | None) -> None:
            note = None if note_id is None else self.state.note(note_id)
            if note is not None:
                then(note)

        heading = f"{verb} which note on {self.state.label(item_id)}?"
        self.push_screen(NotePicker(heading, notes), picked)

    def action_edit_note(self) -> None:
        """Edit one of the selected item's notes."""
        from sessiontui.ui.dialogs.note_editor import NoteEditor

        def edit(note: Note) -> None:
            def save(text: str) -> str | None:
                return self.record(EditNote(note.id, text))

            heading = f"Edit {note.kind} on {self.state.display(note.item)}"
            self.push_screen(NoteEditor(heading, save, text=note.text, draft=self.draft_path()))

        self._pick_note("Edit", edit)

    def action_delete_note(self) -> None:
        """Delete one of the selected item's notes (it stays in the record as deleted)."""
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        def delete(note: Note) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.record(DeleteNote(note.id))

            excerpt = note.text if len(note.text) < 60 else note.text[:57] + "..."
            self.push_screen(ConfirmDialog(f"Delete the {note.kind} “{excerpt}”?"), answered)

        self._pick_note("Delete", delete)

    # -- speakers --------------------------------------------------------------------------

    def action_add_speaker(self) -> None:
        """Put a speaker on the selected item's list (names complete from the session)."""
        from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog

        item_id = self.selected()
        if item_id is None:
            return
        state = self.state

        def added(request: SpeakerRequest | None) -> None:
            if request is not None:
                self.record(
                    AddSpeaker(
                        item_id,
                        request.name,
                        kind=request.kind,
                        delegation=request.delegation,
                        start=request.start,
                    )
                )

        can_start = state.floor == item_id and state.running
        self.push_screen(
            SpeakerDialog(
                f"Speaker on {state.display(item_id)}", state.speaker_names, can_start=can_start
            ),
            added,
        )

    def action_start_speaker(self) -> None:
        """Give the floor to the first speaker waiting on the selected item."""
        item_id = self.selected()
        if item_id is None:
            return
        queued = [sp for sp in self.state.items[item_id].speakers if sp.status == "queued"]
        if queued:
            self.record(StartSpeaker(item_id, queued[0].id))

    def action_stop_speaker(self) -> None:
        """End the current speech on the selected item."""
        self._item_action(StopSpeaker)

    def action_undo(self) -> None:
        """Undo this person's last action (recorded as an undo event)."""
        self.record(Undo())

    # -- views -----------------------------------------------------------------------------

    def action_clock_view(self) -> None:
        """Show (or leave) the full-screen clock."""
        if isinstance(self.screen, ClockScreen):
            self.pop_screen()
            return
        screen = ClockScreen()
        self.push_screen(screen)
        self.call_after_refresh(screen.tick, self.state, self.now)

    def action_toggle_journal(self) -> None:
        """Show or hide the journal panel."""
        panel = self.main.query_one(JournalPanel)
        panel.toggle_class("-shown")
        self._load_journal()
        reading = (
            [] if self._journal_writer is not None else ["Reading the journal of the session…"]
        )
        panel.show(list(self.journal)[-12:] or reading)

    def help_rows(self) -> list[tuple[str, str, str]]:
        """Every binding of the tracker and its dialogs, for the help screen and the docs."""
        return [(where, key, description) for where, key, description, _ in all_bindings()]

    def action_help(self) -> None:
        """Show every key."""
        from sessiontui.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_rows()))

    def jump_to(self, item_id: str) -> None:
        """Select an item in the agenda (from the command palette)."""
        self.main.agenda_tree.select_item(item_id)
        self.main.agenda_tree.focus()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every tracker action that applies now, then Textual's own."""
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            name = binding.action.partition("(")[0]
            if name in ("quit", "help") or not self.allowed(name, screen):
                continue
            keys = binding.key_display or binding.key
            yield SystemCommand(
                binding.description, f"key {keys}", partial(self.run_action, binding.action)
            )
        yield SystemCommand("Help", "Every key (key ?)", self.action_help)
        yield from super().get_system_commands(screen)

    # -- export ----------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask for a format and path, then export in a worker thread."""
        from sessiontui.exporters import suggested_filename
        from sessiontui.ui.dialogs.export_dialog import ExportDialog

        stem = suggested_filename(self.state, "md").rpartition(".")[0]
        self.push_screen(ExportDialog(stem, web=self.is_web), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        if request is None:
            return
        target = Path(request.path).expanduser()
        if not self.is_web and (target.exists() or target.is_symlink()):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start_export(request, force=True)

            self.push_screen(ConfirmDialog(f"{target} exists. Replace it?"), answered)
            return
        self._start_export(request, force=False)

    def _start_export(self, request: ExportRequest, *, force: bool) -> None:
        # The store is read here, on the UI thread: its file lock is not shared across threads.
        # The worker gets private copies, never the state the UI thread keeps folding. On a long
        # session (200,000 events) reading every event took a second and a deep copy of the
        # state as long, with the tracker frozen: a report needs only the last event (its
        # time) and the log's digest, the JSON export the events as written (decoded in bulk),
        # the journal is made by the worker from a reader of its own (and ``LOG.journal``),
        # and the state goes over as a snapshot (a tenth of the copy).
        from sessiontui.core.snapshot import dump_state
        from sessiontui.store.file import FileStore

        store = self.service.store
        digest, texts, journal_of = None, None, None
        try:
            if isinstance(store, FileStore):
                digest = store.checkpoint().sha256
                texts = store.read_texts() if request.format == "json" else None
                journal_of = store.path if request.format == "txt" else None
                last = store.last_event()
                events = [last] if last is not None else []
            else:
                events = list(store.read())
        except StoreError as exc:
            self.notify(f"Export NOT made: {exc}", severity="error", markup=False)
            return
        snapshot = dump_state(self.state, needs_sort=False)
        made = _ExportMaterial(events, texts, journal_of, snapshot, digest)
        self.export_worker(request, made, force=force)

    @work(thread=True, exit_on_error=False, group="export")
    def export_worker(self, request: ExportRequest, made: _ExportMaterial, *, force: bool) -> None:
        """Render and write (or deliver) an export off the UI thread."""
        from sessiontui.core.snapshot import load_state
        from sessiontui.exporters import ExportError, ExportOptions, render, write_export
        from sessiontui.service import whole_journal
        from sessiontui.store.file import FileStore

        header = self.service.store.header
        log = getattr(self.service.store, "path", None)
        try:
            state, _ = load_state(header, made.snapshot)
            journal = None
            if made.journal_of is not None:
                # A descriptor of its own, as the journal panel has (see ``_build_journal``).
                with FileStore(made.journal_of, read_only=True, recover=False) as reader:
                    journal = whole_journal(reader).lines
            options = ExportOptions(log_sha256=made.digest)
            data = render(request.format, header, made.events, state, options, journal, made.texts)
            if self.is_web:
                name = Path(request.path).name or f"session.{request.format}"
                self.call_from_thread(self.deliver_binary, io.BytesIO(data), save_filename=name)
                return
            target = Path(request.path).expanduser().absolute()
            write_export(target, data, force=force, log_path=Path(log) if log else None)
        except ExportError as exc:
            self.call_from_thread(
                self.notify, f"Export NOT written: {exc}", severity="error", markup=False
            )
            return
        except Exception as exc:  # an exporter bug must not take the tracker down
            self.call_from_thread(
                self.notify,
                f"Export failed: {type(exc).__name__}: {exc}",
                severity="error",
                markup=False,
            )
            return
        self.last_export = target
        self.call_from_thread(self.notify, f"Exported to {target}", markup=False)


def all_bindings() -> list[tuple[str, str, str, str]]:
    """``(where, key, description, id)`` of every binding the tracker defines."""
    from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog
    from sessiontui.ui.dialogs.note_editor import NoteEditor
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog

    rows: list[tuple[str, str, str, str]] = []
    sources: list[tuple[str, list[BindingType]]] = [
        ("tracker", SessionApp.BINDINGS),
        ("note editor", NoteEditor.BINDINGS),
        ("clock view", ClockScreen.BINDINGS),
        ("speaker dialog", SpeakerDialog.BINDINGS),
        ("dialogs", ConfirmDialog.BINDINGS),
    ]
    for where, bindings in sources:
        for binding in bindings:
            assert isinstance(binding, Binding)
            keys = binding.key_display or ", ".join(
                {"question_mark": "?", "plus": "+"}.get(k, k) for k in binding.key.split(",")
            )
            rows.append((where, keys, binding.description, binding.id or ""))
    rows.append(
        ("tracker", "ctrl+p", "Command palette: every action, and jump to any item", "palette")
    )
    return rows
