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
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sessiontui.store.durable import make_private_dir

DRAFT_VERSION = 1
MAX_DRAFT_BYTES = 4 * 1024 * 1024
"""A draft larger than this is not read (nobody types 4 MiB; a damaged file is ignored)."""

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

    def path(self, draft: NoteDraft) -> Path:
        """Where this tracker keeps ``draft``."""
        return self.folder / draft.name

    def mine(self, draft: NoteDraft) -> NoteDraft | None:
        """This tracker's draft of the same note, if it kept one."""
        return _read(self.path(draft))

    def write(self, draft: NoteDraft) -> None:
        """Keep ``draft`` atomically: a crash leaves the old draft or the new, never a part.

        Raises:
            OSError: it was not written (a full disk); the previous draft, if any, is intact.
        """
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

    def remove(self, draft: NoteDraft) -> None:
        """Forget ``draft`` (its note was saved, or the person discarded it).

        Raises:
            OSError: it could not be removed.
        """
        self.path(draft).unlink(missing_ok=True)
        _fsync_dir(self.folder)

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

    def close(self) -> None:
        """Release the lock; the folder goes when no draft is left in it."""
        if self._lock < 0:
            return
        with contextlib.suppress(OSError):
            _remove_if_empty(self.folder)
        os.close(self._lock)
        self._lock = -1


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
