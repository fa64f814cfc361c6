"""Drafts of notes being written, and of speakers being put on a list: one per note (or per
item's speaker dialog), under a lock held by the tracker writing it.

A draft keeps the unsaved text of one note, or what was typed into the speaker dialog, across a
crash, a hang-up or a quit. It is tied to what it drafts: the session, the person, the item and
the note being edited (or the kind of new note, or ``SPEAKER``),
and it names the attempt key its save uses (``SessionService.run(key=...)``), so a draft whose
note (or speaker) was saved after all (a crash between the save and the draft's removal) is recognised by the
event ids that key gives, and dropped instead of being offered or recorded twice.

Layout, the same for file and PostgreSQL sessions (``<data dir>/drafts/<session id>/``)::

    <tracker id>/lock                  flock'ed exclusively while that tracker runs
    <tracker id>/<draft name>.json     one draft, written atomically (temp, fsync, rename)

The files are written and removed by one writer thread per box (one ordered worker, as
``SessionLink`` makes a PostgreSQL session's calls), never on the caller's (the tracker's UI)
thread: two fsyncs take milliseconds here but can take seconds on a laptop's disk, a network
home folder or a busy server, and the editor froze mid-sentence meanwhile. The writer does what
it is asked in order, one draft at a time, and only the latest of what waits for a draft is
done, so an older text never lands after a newer one, and a removal (the note saved) is never
undone by a write asked before it. ``keep`` and ``drop`` ask and return at once; ``write``,
``remove``, ``mine`` and ``close`` wait for the writer (at most ``WAIT_SECONDS``).

Only drafts whose tracker is gone (its lock can be taken) are ever offered to another tracker,
so two trackers of the same person never share a draft. No Textual here: the draft rules are
tested without a screen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sessiontui.store.durable import make_private_dir

DRAFT_VERSION = 1
MAX_DRAFT_BYTES = 4 * 1024 * 1024
"""A draft larger than this is not read (nobody types 4 MiB; a damaged file is ignored)."""

WAIT_SECONDS = 4.0
"""How long a caller (a quit, a hang-up, a save) waits for the writer before saying the draft
may not have been written: a disk that never answers must not hold the tracker for ever."""

SPEAKER = "speaker"
"""The ``kind`` of the draft of a speaker being put on an item's list (see ``fields``)."""


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """The unsaved text of one note, or the fields of one speaker being put on a list.

    ``note`` is the id of the note being edited, None for a new one (then ``kind`` says which
    kind of note); ``key`` names the save attempt (its event ids follow from it); ``base`` is
    how many versions the edited note had when the edit began (None: a new note, or a draft
    written before this was kept), so a draft restored later can tell that someone else has
    changed the note since. A speaker's draft (``kind`` is ``SPEAKER``) keeps the dialog's
    fields by their id in ``fields``, and what was typed in them, joined, in ``text``.
    """

    session: str
    actor: str
    item: str
    note: str | None
    kind: str
    key: str
    text: str
    written: str  # ISO 8601 UTC instant of the last write
    base: int | None = None
    fields: dict[str, str] | None = None

    @property
    def target(self) -> str:
        """What the draft drafts within its item: ``note-<id>`` or ``new-<kind>``."""
        return f"note-{self.note}" if self.note else f"new-{self.kind}"

    @property
    def name(self) -> str:
        """The draft's file name: one per (session, actor, item, target), any characters safe."""
        digest = hashlib.sha256(
            "\0".join((self.session, self.actor, self.item, self.target)).encode()
        ).hexdigest()[:32]
        return f"{digest}.json"

    @property
    def written_at(self) -> dt.datetime | None:
        """When the draft was last written, if readable."""
        try:
            return dt.datetime.fromisoformat(self.written)
        except ValueError:
            return None

    def with_text(self, text: str, now: dt.datetime) -> NoteDraft:
        """The same draft holding ``text``, written at ``now``."""
        return replace(self, text=text, written=now.astimezone(dt.UTC).isoformat())

    def with_fields(self, fields: dict[str, str], text: str, now: dt.datetime) -> NoteDraft:
        """The same draft holding a dialog's ``fields`` (``text``: what was typed in them)."""
        return replace(self.with_text(text, now), fields=dict(fields))


def new_draft(
    session: str,
    actor: str,
    item: str,
    note: str | None,
    kind: str,
    now: dt.datetime,
    base: int | None = None,
) -> NoteDraft:
    """An empty draft for a note about to be written, with a fresh attempt key."""
    return NoteDraft(session, actor, item, note, kind, uuid.uuid4().hex, "", now.isoformat(), base)


def _read(path: Path) -> NoteDraft | None:
    try:
        # Never read through a symlink: a planted link would show another file's text as a note.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_DRAFT_BYTES + 1)
        if len(raw) > MAX_DRAFT_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.pop("version", None) != DRAFT_VERSION:
            return None
        draft = NoteDraft(**data)
    except (OSError, ValueError, TypeError):
        return None  # a torn or foreign file is not a draft
    fields = (draft.session, draft.actor, draft.item, draft.kind, draft.key, draft.text)
    if not all(isinstance(value, str) for value in fields):
        return None
    if draft.note is not None and not isinstance(draft.note, str):
        return None
    if draft.base is not None and (type(draft.base) is not int or draft.base < 0):
        return None
    if draft.fields is not None and not (
        isinstance(draft.fields, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in draft.fields.items())
    ):
        return None
    return draft


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Ticket:
    """One write (or removal) of a draft asked of the writer, and how it went."""

    def __init__(
        self, draft: NoteDraft, *, removal: bool, then: Callable[[Ticket], None] | None
    ) -> None:
        self.draft = draft
        self.removal = removal
        self.then = then
        """Called on the writer's thread once it is done (not when a later ask replaced it)."""
        self.done = False
        """Whether the writer is through with it (done, failed, or replaced by a later ask)."""
        self.error: OSError | None = None
        self.replaced_by: Ticket | None = None
        """A later ask for the same draft, done instead of this one (which never was)."""

    @property
    def final(self) -> Ticket:
        """This ask, or the later one done instead of it."""
        ticket = self
        while ticket.replaced_by is not None:
            ticket = ticket.replaced_by
        return ticket


class DraftBox:
    """This tracker's drafts for one session, and the drafts other trackers left behind."""

    def __init__(self, root: Path, session: str) -> None:
        """Make this tracker's draft folder and hold its lock until ``close``.

        Raises:
            OSError: the folder cannot be made or locked (drafts are then unavailable).
        """
        self.session = session
        safe = hashlib.sha256(session.encode()).hexdigest()[:32]
        self.base = root / safe
        make_private_dir(self.base)
        self.folder = self.base / uuid.uuid4().hex
        self.folder.mkdir(mode=0o700)
        self._lock = os.open(self.folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        # The writer's work (see the module docstring), guarded by ``_changed``: what waits, by
        # draft name, in the order asked; what is being done now.
        self._changed = threading.Condition()
        self._waiting: dict[str, Ticket] = {}
        self._doing: Ticket | None = None
        self._stuck: Ticket | None = None  # what the writer was doing when a wait gave up
        self._writer: threading.Thread | None = None
        self._closed = False

    def path(self, draft: NoteDraft) -> Path:
        """Where this tracker keeps ``draft``."""
        return self.folder / draft.name

    def mine(self, draft: NoteDraft) -> NoteDraft | None:
        """This tracker's draft of the same note, if it kept one (read once the writer has done
        what it was asked, or ``WAIT_SECONDS`` have passed)."""
        self.settle()
        return _read(self.path(draft))

    # -- asked of the writer -------------------------------------------------------------------

    def keep(self, draft: NoteDraft, then: Callable[[Ticket], None] | None = None) -> Ticket:
        """Have the writer keep ``draft`` (see ``write``); returns at once."""
        return self._ask(Ticket(draft, removal=False, then=then))

    def drop(self, draft: NoteDraft, then: Callable[[Ticket], None] | None = None) -> Ticket:
        """Have the writer forget ``draft`` (see ``remove``); returns at once."""
        return self._ask(Ticket(draft, removal=True, then=then))

    def write(self, draft: NoteDraft, timeout: float | None = None) -> None:
        """Keep ``draft`` atomically, and wait until it is kept: a crash leaves the old draft or
        the new, never a part.

        Raises:
            TimeoutError: the writer has not got there in ``timeout`` seconds (it still may).
            OSError: it was not written (a full disk); the previous draft, if any, is intact.
        """
        self.wait(self.keep(draft), timeout)

    def remove(self, draft: NoteDraft, timeout: float | None = None) -> None:
        """Forget ``draft`` (its note was saved, or the person discarded it), and wait until
        it is gone; a write of it asked before is never done after.

        Raises:
            TimeoutError: the writer has not got there in ``timeout`` seconds (it still may).
            OSError: it could not be removed.
        """
        self.wait(self.drop(draft), timeout)

    def wait(self, ticket: Ticket, timeout: float | None = None) -> None:
        """Wait until ``ticket`` (or the later ask done instead of it) is done (at most
        ``timeout`` seconds; None: ``WAIT_SECONDS``).

        Raises:
            TimeoutError: the writer has not got there in time (it still may).
            OSError: it was not done (a full disk); the previous draft, if any, is intact.
        """
        if not self._wait_for(lambda: ticket.final.done, timeout):
            shown = WAIT_SECONDS if timeout is None else timeout
            raise TimeoutError(f"the drafts folder has not answered in {shown:g} s")
        if ticket.final.error is not None:
            raise ticket.final.error

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until the writer has done all it was asked; False when it has not in time."""
        return self._wait_for(lambda: not self._waiting and self._doing is None, timeout)

    def _wait_for(
        self, done: Callable[[], bool], timeout: float | None, *, closing: bool = False
    ) -> bool:
        with self._changed:
            if closing and self._doing is not None and self._doing is self._stuck:
                # Still on the write a wait gave up on just before (a quit waits for the
                # dialog, then closes the box): the quit would wait as long again for nothing.
                timeout = 0.0
            if self._changed.wait_for(done, WAIT_SECONDS if timeout is None else timeout):
                return True
            self._stuck = self._doing
            return False

    def _ask(self, ticket: Ticket) -> Ticket:
        with self._changed:
            if not self._closed:
                # The latest ask for a draft replaces one still waiting, and goes to the end:
                # asks are done in the order they were made, the older text never.
                replaced = self._waiting.pop(ticket.draft.name, None)
                if replaced is not None:
                    replaced.replaced_by, replaced.done = ticket, True
                self._waiting[ticket.draft.name] = ticket
                if self._writer is None:
                    self._writer = threading.Thread(
                        target=self._work, name="sessiontui-drafts", daemon=True
                    )
                    self._writer.start()
                self._changed.notify_all()
                return ticket
        self._do(ticket)  # closed: nothing else writes any more, the caller does
        return ticket

    def _work(self) -> None:
        while True:
            with self._changed:
                while not self._waiting and not self._closed:
                    self._changed.wait()
                if not self._waiting:
                    return
                name = next(iter(self._waiting))
                self._doing = self._waiting.pop(name)
                ticket = self._doing
            self._do(ticket)
            with self._changed:
                self._doing = None
                self._changed.notify_all()  # the ticket is done: wake who waits for it

    def _do(self, ticket: Ticket) -> None:
        error: OSError | None = None
        try:
            if ticket.removal:
                self._unlink(ticket.draft)
            else:
                self._write_file(ticket.draft)
        except OSError as exc:
            error = exc
        except Exception as exc:  # the writer must outlive one bad draft (a caller waits)
            error = OSError(str(exc))
        with self._changed:
            ticket.error, ticket.done = error, True
        if ticket.then is not None:
            ticket.then(ticket)

    # -- done by the writer ------------------------------------------------------------------

    def _write_file(self, draft: NoteDraft) -> None:
        """Temp file, fsync, rename, fsync of the folder: a crash leaves the old or the new."""
        data = json.dumps({"version": DRAFT_VERSION, **asdict(draft)}, ensure_ascii=False)
        target = self.path(draft)
        temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
        fd = os.open(temp, flags, 0o600)
        try:
            try:
                payload = data.encode("utf-8")
                written = 0
                while written < len(payload):
                    written += os.write(fd, payload[written:])
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _fsync_dir(self.folder)

    def _unlink(self, draft: NoteDraft) -> None:
        self.path(draft).unlink(missing_ok=True)
        _fsync_dir(self.folder)

    # -- drafts left by other trackers -------------------------------------------------------

    def orphans(self, actor: str) -> Iterator[tuple[NoteDraft, Path]]:
        """Drafts of ``actor`` left by trackers that are gone, oldest first, with their files.

        A tracker still running holds its folder's lock: its drafts are never listed.
        """
        found: list[tuple[NoteDraft, Path]] = []
        for folder in sorted(self.base.iterdir()):
            if folder == self.folder or not folder.is_dir():
                continue
            with _lock_if_free(folder) as free:
                if not free:
                    continue
                for path in sorted(folder.glob("*.json")):
                    draft = _read(path)
                    if draft is not None and draft.actor == actor and draft.session == self.session:
                        found.append((draft, path))
        found.sort(key=lambda pair: pair[0].written)
        yield from found

    def adopt(self, draft: NoteDraft, path: Path) -> NoteDraft:
        """Take a left-over draft into this tracker's folder (under its lock from now on).

        Raises:
            OSError: it could not be moved; it stays where it was.
        """
        with _lock_if_free(path.parent) as free:
            if not free:
                raise OSError(f"{path.parent} is in use by another tracker")
            os.replace(path, self.path(draft))
            _fsync_dir(self.folder)
            _remove_if_empty(path.parent)
        return draft

    def discard(self, path: Path) -> None:
        """Delete a left-over draft file (saved already, or refused by the person)."""
        with _lock_if_free(path.parent) as free:
            if free:
                path.unlink(missing_ok=True)
                _remove_if_empty(path.parent)

    def close(self, timeout: float | None = None) -> bool:
        """Wait for the writer to do what it was asked, then release the lock; the folder goes
        when no draft is left in it. False when the writer did not finish in ``timeout``
        seconds: what it had still to write may be lost when the process ends."""
        if self._lock < 0:
            return True
        settled = self._wait_for(
            lambda: not self._waiting and self._doing is None, timeout, closing=True
        )
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if settled:
            with contextlib.suppress(OSError):
                _remove_if_empty(self.folder)
        os.close(self._lock)
        self._lock = -1
        return settled


@contextlib.contextmanager
def _lock_if_free(folder: Path) -> Iterator[bool]:
    """Hold ``folder``'s lock if no running tracker does; yields whether it was taken."""
    try:
        fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _remove_if_empty(folder: Path) -> None:
    """Remove a tracker's folder once it holds no draft (its lock held by the caller)."""
    with contextlib.suppress(OSError):
        entries = list(folder.iterdir())
        if any(entry.suffix == ".json" for entry in entries):
            return
        for entry in entries:  # the lock, and temporary files a crash left behind
            entry.unlink()
        folder.rmdir()
