"""Writing and editing notes, and putting speakers on a list, from the tracker: with a draft per
note (and per item's speaker dialog), and left-over drafts offered."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sessiontui.core.commands import AddNote, Command, EditNote
from sessiontui.core.text import excerpt
from sessiontui.core.vocabulary import note_kind
from sessiontui.store.cachekey import data_dir
from sessiontui.ui.drafts import SPEAKER, WAIT_SECONDS, DraftBox, NoteDraft, new_draft
from sessiontui.ui.format import hhmm

if TYPE_CHECKING:
    from typing import Any

    from sessiontui.core.state import Note
    from sessiontui.ui.app import SessionApp
    from sessiontui.ui.dialogs.drafted import DraftedDialog
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerRequest


def drafts_root() -> Path:
    """Where this account keeps note drafts, for file and PostgreSQL sessions alike."""
    return data_dir() / "drafts"


class NotesFlow:
    """Opens the note editor on a draft of the note meant, never of another one (and the
    speaker dialog on the draft of its item's speaker).

    Drafts live in a ``DraftBox`` this tracker locks while it runs; at start (and once the
    person's name is known) the drafts a crashed or closed tracker left are looked at: those
    already saved (their key is in the log) are dropped, the others offered one by one.
    """

    def __init__(self, app: SessionApp, record: Callable[[Command, str | None], str | None]):
        """Make the flow.

        Args:
            app: The tracker (dialogs, state, clock).
            record: Runs a command under an attempt key; None when saved, else why not.
        """
        self.app = app
        self.record = record
        self.box: DraftBox | None = None
        self._waiting: deque[tuple[NoteDraft, Path]] = deque()
        self.editing: list[DraftedDialog[Any]] = []
        """The dialogs keeping a draft open now (a note editor, or an edit opened over a new
        note; a speaker dialog)."""
        self.unwritten: str | None = None
        """Why the drafts may not hold what was typed last, once closed (None: they do)."""

    def open_box(self, root: Path | None = None) -> None:
        """Take this tracker's draft folder (a warning when drafts cannot be kept)."""
        try:
            self.box = DraftBox(root or drafts_root(), self.app.service.store.header.session)
        except OSError as exc:
            self.app.notify(
                f"Notes cannot be kept in drafts ({exc.strerror or exc}): save them as you go.",
                severity="warning",
                markup=False,
            )

    def keep_typed(self) -> None:
        """Write what the open editors and speaker dialogs hold to their drafts now, for a
        tracker about to end without closing them (a signal: its terminal gone, or SIGTERM)."""
        for editor in self.editing:
            if not editor.saved:
                editor.flush_draft()

    def close(self) -> None:
        """Release the draft folder (what it holds stays, offered to the next tracker) once
        the drafts' writer has written what it was handed (``unwritten`` says when it has not
        in time)."""
        if self.box is not None and not self.box.close():
            self.unwritten = (
                f"the drafts folder has not answered in {WAIT_SECONDS:g} s: what was typed "
                f"last may not be in its draft ({self.box.folder})"
            )

    # -- left-over drafts ------------------------------------------------------------------

    def offer_left_over(self) -> None:
        """Offer, one at a time, the drafts of this person that no running tracker holds."""
        if self.box is None:
            return
        service = self.app.service
        for draft, path in self.box.orphans(service.actor):
            if draft.item not in service.state.agenda.nodes or service.was_saved(draft.key):
                # Saved before a crash removed it (or its item is gone): never offered again.
                self.box.discard(path)
            else:
                self._waiting.append((draft, path))
        self._offer_next()

    def _offer_next(self) -> None:
        if not self._waiting or self.box is None:
            return
        # Imported only with a draft to offer: every start asks, few have one.
        from sessiontui.ui.dialogs.confirm_dialog import DraftOffer

        draft, path = self._waiting.popleft()

        def answered(yes: bool | None) -> None:
            assert self.box is not None
            if yes is None:  # no answer: left where it is, offered at the next start
                self._offer_next()
                return
            if not yes:
                self.box.discard(path)
                self._offer_next()
                return
            try:
                adopted = self.box.adopt(draft, path)
            except OSError as exc:
                self.app.notify(f"The draft could not be taken: {exc}", markup=False)
                self._offer_next()
                return
            if adopted.kind == SPEAKER:
                self._speaker(adopted, restored=True, then=self._offer_next)
            else:
                self._edit(adopted, restored=True, then=self._offer_next)

        question = f"Restore unsaved text of {self._what(draft)} from {self._when(draft)}?"
        if changed := self._changed_since(draft):
            question += f" Since then, {changed}."
        self.app.push_screen(DraftOffer(f"{question}\n“{excerpt(draft.text)}”"), answered)

    # -- writing ---------------------------------------------------------------------------

    def write(self, item_id: str, kind: str) -> None:
        """A new note of ``kind`` on ``item_id``."""
        self._start(item_id, None, kind)

    def edit(self, note_id: str) -> None:
        """Edit the note ``note_id``."""
        note = self.app.note(note_id)
        if note is not None:
            self._start(note.item, note.id, note.kind)

    def _start(self, item_id: str, note_id: str | None, kind: str) -> None:
        """Open the editor, on the text kept in a draft of this very note if there is one."""
        note = self.app.note(note_id) if note_id is not None else None
        base = len(note.history) if note is not None else None
        draft, restored = self._own_draft(item_id, note_id, kind, base)
        self._edit(draft, restored=restored)

    def _own_draft(
        self, item_id: str, note_id: str | None, kind: str, base: int | None = None
    ) -> tuple[NoteDraft, bool]:
        """This tracker's draft of that very note (or speaker) if it keeps one not yet saved,
        else a fresh one; and whether it was kept.

        The draft is restored without a question: the person has just asked for this note, and
        a question would take the keys typed right behind that request as its answer (a typed
        ``n`` discarding the text). Emptying the text and leaving discards the draft.
        """
        service = self.app.service
        fresh = new_draft(
            service.store.header.session,
            service.actor,
            item_id,
            note_id,
            kind,
            self.app.now,
            base=base,
        )
        kept = self.box.mine(fresh) if self.box is not None else None
        if kept is None or not kept.text.strip():
            return fresh, False
        if service.was_saved(kept.key):
            self._drop(kept)
            return fresh, False
        return kept, True

    # -- speakers --------------------------------------------------------------------------

    def add_speaker(self, item_id: str) -> None:
        """The speaker dialog on ``item_id``, on what this tracker kept of it in a draft."""
        draft, restored = self._own_draft(item_id, None, SPEAKER)
        self._speaker(draft, restored=restored)

    def _speaker(
        self, draft: NoteDraft, *, restored: bool, then: Callable[[], None] | None = None
    ) -> None:
        dialog = self.app.speaker_dialog(
            draft.item,
            draft,
            self.box,
            restored=f"from {self._when(draft)}" if restored else "",
        )

        def closed(request: SpeakerRequest | None) -> None:
            self.editing.remove(dialog)
            if request is not None:
                problem = self.app.add_speaker(draft.item, request, dialog.draft.key)
                if problem is None:
                    self._drop(dialog.draft)
                elif dialog.kept:
                    label = self.app.state.ref(draft.item)
                    self.app.notify(
                        f"{request.name} is kept in a draft: + on {label} restores it.",
                        markup=False,
                    )
            if then is not None:
                then()

        self.editing.append(dialog)
        self.app.push_screen(dialog, closed)

    def _drop(self, draft: NoteDraft) -> None:
        if self.box is not None:
            try:
                self.box.remove(draft)
            except OSError as exc:
                self.app.notify(f"The draft could not be removed: {exc}", markup=False)

    def _move(self, old: NoteDraft, new: NoteDraft) -> None:
        """Keep ``old``'s text in the draft ``new`` and remove ``old`` (kept if that fails)."""
        if self.box is None:
            return
        try:
            self.box.write(new)
        except OSError as exc:
            self.app.notify(f"The draft could not be moved: {exc}", markup=False)
            return
        self._drop(old)

    def _edit(
        self, draft: NoteDraft, *, restored: bool, then: Callable[[], None] | None = None
    ) -> None:
        from sessiontui.ui.dialogs.note_editor import NoteEditor

        state = self.app.state
        note = self.app.note(draft.note) if draft.note else None
        if draft.note and (note is None or note.deleted):
            self.app.notify(
                "The note this draft was for is gone; its text opens as a new note.",
                markup=False,
            )
            note = None
            gone = draft
            draft = new_draft(
                draft.session, draft.actor, draft.item, None, draft.kind, self.app.now
            ).with_text(draft.text, self.app.now)
            # The text moves to the new note's draft: the edit's draft must not stay behind,
            # offered again at every start and saved again each time.
            self._move(gone, draft)
        changed = self._changed_since(draft)
        if note is not None:
            heading = f"Edit {note.kind} on {state.display(note.item)}"
            # The person is told below who changed the note since this draft began, so a save
            # from here replaces that version knowingly (its text is in the item panel).
            note_id, versions = note.id, len(note.history)
            command: Callable[[str], Command] = lambda text: EditNote(  # noqa: E731
                note_id, text, since=versions
            )
        else:
            heading = self.app.heading_on(draft.item, f"{note_kind(draft.kind).heading} on")
            command = lambda text: AddNote(draft.item, text, draft.kind)  # noqa: E731

        def save(text: str, key: str) -> str | None:
            problem = self.record(command(text), key)
            if problem is None and note is None:
                # A new note only: an edit corrects what was written while it applied.
                self.app.say_off_the_floor(draft.item, f"{note_kind(draft.kind).heading} saved on")
            return problem

        editor = NoteEditor(
            heading,
            save,
            draft,
            text=note.text if note is not None else "",
            box=self.box,
            now=lambda: self.app.now,
            restored=(
                f"from {self._when(draft)}; since then, {changed}: their text is above"
                if changed
                else f"from {self._when(draft)}"
            )
            if restored
            else "",
            theirs=self._theirs(note) if changed and restored and note is not None else None,
        )

        def closed(_: str | None) -> None:
            self.editing.remove(editor)
            if then is not None:
                then()

        self.editing.append(editor)
        self.app.push_screen(editor, closed)

    def _theirs(self, note: Note) -> tuple[str, str]:
        """Who wrote the note's current text and when, and that text (to merge with)."""
        latest = note.history[-1]
        return f"{latest.author}'s text (at {hhmm(latest.at, self.app.state)})", note.text

    def _changed_since(self, draft: NoteDraft) -> str:
        """``"bo changed this note (at 10:48)"`` when someone edited the note after this
        draft's edit began (a restart or a refused save in between), else ``""``."""
        note = self.app.note(draft.note) if draft.note else None
        if note is None or draft.base is None or len(note.history) <= draft.base:
            return ""
        latest = note.history[-1]
        return f"{latest.author} changed this note (at {hhmm(latest.at, self.app.state)})"

    def _what(self, draft: NoteDraft) -> str:
        state = self.app.state
        label = state.ref(draft.item) if draft.item in state.agenda.nodes else draft.item
        if draft.kind == SPEAKER:
            return f"a speaker on {label}"
        if draft.note is not None:
            return f"the edit of a note on {label}"
        return f"a new {note_kind(draft.kind).heading.lower()} on {label}"

    def _when(self, draft: NoteDraft) -> str:
        written = draft.written_at
        return hhmm(written, self.app.state) if written is not None else "earlier"
