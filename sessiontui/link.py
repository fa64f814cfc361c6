"""A PostgreSQL session in the tracker: every network call on a thread of its own.

The tracker must answer keys whatever the network does (a server stopped, restarting, or
behind a dead link answers nothing for tens of seconds). So a tracker on a PostgreSQL session
never talks to the server on its UI thread: one worker thread does, in order, one job at a time
(follow the session, send the outbox, record a status change). What reads or changes the
folded state still runs on the UI thread (``SessionService.on_owner``), so the screen never
sees half a fold.

Notes, decisions, action points and the list of speakers go to the outbox first (durable on
this machine at once) and are sent from there, in order; item and sitting changes go straight
to the server and are refused while it is out of reach, or when it has not answered for a while.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sessiontui.core.commands import (
    AddNote,
    Command,
    Context,
    DeleteNote,
    EditNote,
    Refused,
    decide,
)
from sessiontui.core.events import Event, NoteAddData
from sessiontui.core.state import Note, NoteVersion
from sessiontui.service import SessionService, command_ids
from sessiontui.store.base import StoreError, Unreachable
from sessiontui.store.outbox import Entry, Outbox, OutboxError, may_wait

ANSWER_SECONDS = 5.0
"""A status change not sent within this long is dropped (the moment it was meant for passed)."""


@dataclass(frozen=True, slots=True)
class _Run:
    command: Command
    deadline: float
    at: dt.datetime | None  # a time set for it (``@``): a correction; None: now


_POLL = "poll"
_SEND = "send"


class SessionLink:
    """The worker thread and what the tracker asks of it (see the module docstring)."""

    def __init__(
        self,
        service: SessionService,
        outbox: Outbox,
        *,
        tell: Callable[[str, str], None],
        changed: Callable[[Sequence[Event]], None],
    ) -> None:
        """Make the link (``start`` runs it).

        Args:
            service: The session; its ``on_owner`` must run calls on the UI thread.
            outbox: Where notes and speakers wait.
            tell: Show a message (text, severity) to the person; called from the worker.
            changed: Events were folded (the worker's calls); repaint.
        """
        self.service = service
        self.outbox = outbox
        self.tell = tell
        self.changed = changed
        self.online = True
        self.reason = ""
        self.entries: list[Entry] = self._read_waiting()
        """What waits in the outbox, in order (replaced whole, never changed in place: the UI
        thread reads it while the worker sends)."""
        self.busy_since: float | None = None
        self._jobs: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="session-link", daemon=True)

    def start(self) -> None:
        """Start the worker; send whatever waits from an earlier run."""
        self._thread.start()
        if self.waiting:
            self._jobs.put(_SEND)

    def stop(self) -> None:
        """Let the worker end after its current job."""
        self._jobs.put(None)

    # -- asked on the UI thread --------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many entries wait in the outbox."""
        return len(self.entries)

    def waiting_on(self, item_id: str) -> list[Entry]:
        """The entries waiting in the outbox for one item, in order (shown on it as waiting)."""
        return [entry for entry in self.entries if getattr(entry.command, "item", None) == item_id]

    def waiting_notes(self, item_id: str | None = None) -> list[Note]:
        """The notes written on ``item_id`` (None: on any item) that wait in the outbox, as
        they will read once sent (with the edits waiting behind them), each under the id it
        will have.

        That id follows from the entry's key, as every event id of a sent entry does, so an
        edit or a deletion of such a note can wait in the outbox too, sent after the note.
        """
        notes: dict[str, Note] = {}
        for entry in self.entries:
            command = entry.command
            if isinstance(command, AddNote) and item_id in (None, command.item):
                note_id = self._note_id(entry)
                if note_id is not None:
                    first = NoteVersion(command.text, command.kind, entry.actor, entry.at)
                    notes[note_id] = Note(
                        note_id,
                        command.item,
                        command.kind,
                        command.text,
                        entry.actor,
                        entry.at,
                        history=[first],
                    )
            elif isinstance(command, EditNote) and command.note in notes:
                note = notes[command.note]
                note.kind = command.kind or note.kind
                note.text = command.text
                note.history.append(NoteVersion(command.text, note.kind, entry.actor, entry.at))
            elif isinstance(command, DeleteNote):
                notes.pop(command.note, None)
        return list(notes.values())

    def _note_id(self, entry: Entry) -> str | None:
        """The id the note an ``AddNote`` entry writes will have (None: it would be refused)."""
        ctx = Context(entry.actor, entry.at, entry.role, new_id=command_ids(entry.key))
        try:
            drafts = decide(self.service.state, entry.command, ctx)
        except Refused:
            return None
        return next((d.data.note for d in drafts if isinstance(d.data, NoteAddData)), None)

    def status(self) -> str:
        """The connection state and what waits, for the top bar."""
        where = "server connected" if self.online else "server OUT OF REACH"
        stuck = self.stuck_seconds()
        if self.online and stuck >= 2:
            where = f"server not answering ({stuck:.0f} s)"
        return f"{where} · {self.waiting} in the outbox" if self.waiting else where

    def stuck_seconds(self) -> float:
        """How long the worker has been on its current job (0 when idle)."""
        since = self.busy_since
        return time.monotonic() - since if since is not None else 0.0

    def poll(self) -> None:
        """Follow the session (another writer's events) unless the worker is busy."""
        if self.busy_since is None and self._jobs.empty():
            self._jobs.put(_POLL)

    def record(
        self, command: Command, *, key: str | None = None, at: dt.datetime | None = None
    ) -> str | None:
        """Record a command from the tracker; None when kept or sent, else why it was not.

        ``key`` names the attempt (a note's draft gives its own: its event ids follow from it).
        ``at``: when it happened, set with ``@`` (a correction); None: now.
        """
        if may_wait(command):
            try:
                entry = self.outbox.put(
                    key or uuid.uuid4().hex,
                    at or self.service.clock.now(),
                    self.service.actor,
                    self.service.role,
                    command,
                    corrected=at is not None,
                )
            except OutboxError as exc:
                return f"NOT saved: {exc}"
            self.entries = [*self.entries, entry]
            self._jobs.put(_SEND)
            return None
        if not self.online:
            return (
                f"NOT recorded: the server is out of reach ({self.reason}); item and sitting "
                "changes are not recorded offline (notes and speakers wait in the outbox)"
            )
        if self.stuck_seconds() >= ANSWER_SECONDS:
            return (
                f"NOT recorded: the server has not answered for {self.stuck_seconds():.0f} s; "
                "try again when it does"
            )
        self._jobs.put(_Run(command, time.monotonic() + ANSWER_SECONDS, at))
        return None

    # -- the worker --------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self.busy_since = time.monotonic()
            try:
                if job == _POLL:
                    self._poll()
                elif job == _SEND:
                    self._send()
                elif isinstance(job, _Run):
                    self._run(job)
            except RuntimeError:
                return  # the app is gone: nothing to hand results to
            finally:
                self.busy_since = None

    def _poll(self) -> None:
        try:
            news = self.service.refresh()
        except StoreError as exc:
            self._went_offline(str(exc))
            return
        self._came_back()
        if news:
            self.changed(news)
        if self.waiting:
            self._send()

    def _send(self) -> None:
        try:
            report = self.service.send_outbox(self.outbox)
        except OutboxError as exc:
            self.tell(f"The outbox cannot be read: {exc}", "error")
            return
        self.entries = self._read_waiting()
        for entry in report.refused:
            self.tell(
                f"REFUSED from the outbox: {entry.describe()}: {entry.reason} (kept; "
                "`sessiontui outbox` lists it)",
                "error",
            )
        sent = [event for _entry, entry_events in report.sent for event in entry_events]
        events = [*self.service.caught_up(), *sent]
        if events:
            self.changed(events)
        if report.error is not None:
            self._went_offline(report.error)
        else:
            self._came_back()

    def _run(self, job: _Run) -> None:
        if time.monotonic() > job.deadline:
            self.tell(
                "NOT recorded: the server did not answer in time; try again when it does",
                "error",
            )
            return
        if self.waiting:
            self._send()  # what was typed before goes first
        try:
            events = self.service.run(job.command, at=job.at)
        except Refused as exc:
            self.tell(f"Refused: {exc}", "warning")
            self._poll_quietly()
            return
        except Unreachable as exc:
            self._went_offline(str(exc))
            self.tell(f"NOT recorded: {exc}", "error")
            return
        except StoreError as exc:
            self.tell(f"NOT saved: {exc}", "error")
            return
        self._came_back()
        # What others recorded just before, caught up under the lock, is journaled first.
        self.changed([*self.service.caught_up(), *events])
        for notice in self.service.notices:  # as a log file's session says them
            self.tell(f"{notice}.", "warning")

    def _poll_quietly(self) -> None:
        try:
            news = self.service.refresh()
        except StoreError:
            return
        if news:
            self.changed(news)

    def _went_offline(self, reason: str) -> None:
        if self.online:
            self.tell(
                f"PostgreSQL is out of reach: {reason}. Notes and speakers wait in the outbox; "
                "item and sitting changes are refused until it is back.",
                "error",
            )
        self.online, self.reason = False, reason

    def _came_back(self) -> None:
        if not self.online:
            self.online, self.reason = True, ""
            waiting = f": sending the {self.waiting} waiting in the outbox" if self.waiting else ""
            self.tell(f"PostgreSQL is back{waiting}.", "information")

    def _read_waiting(self) -> list[Entry]:
        try:
            return self.outbox.waiting()
        except OutboxError:
            return []
