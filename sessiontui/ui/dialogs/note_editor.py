"""The note editor: text is saved to the log only on ctrl+s, and kept in a draft meanwhile."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from sessiontui.ui.dialogs.drafted import DraftedDialog
from sessiontui.ui.drafts import DraftBox, NoteDraft
from sessiontui.ui.format import safe
from sessiontui.ui.widgets.note_area import SAVE_KEY, NoteArea

HINT = "ctrl+s save · escape cancel (the text stays in a draft)"


class NoteEditor(DraftedDialog[str | None]):
    """Write or edit a note; dismissed with the saved text, or None when cancelled.

    ``save(text, key)`` records the note under the attempt ``key`` (the draft's) and returns
    None, or why it could not be saved; then the editor stays open with the text.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: the NoteArea answers ctrl+s itself, after the keys before it.
        Binding(SAVE_KEY, "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        save: Callable[[str, str], str | None],
        draft: NoteDraft,
        *,
        text: str = "",
        box: DraftBox | None = None,
        now: Callable[[], dt.datetime] | None = None,
        restored: str = "",
        theirs: tuple[str, str] | None = None,
    ) -> None:
        """Make an editor.

        Args:
            heading: What is being written, e.g. "Decision on 2(a) Status ...".
            save: Records the text under a key; returns None when saved, else why it was not.
            draft: The draft of this note (its key names the save; its text, if any, is shown).
            text: The note's text in the log (an edited note's; empty for a new one).
            box: Where drafts are kept (None: nowhere, e.g. the folder could not be made).
            now: The clock, for the draft's time.
            restored: Said above the text when it comes from a draft, e.g. "from 10:42".
            theirs: Who changed the note since this draft began, and the note's text now:
                shown read-only above the text, to merge the two in place.
        """
        super().__init__(draft, box, now)
        self.heading = heading
        self.save = save
        self.original = text
        self.start_text = draft.text or text
        self.latest = self.start_text
        self.restored = restored
        self.theirs = theirs
        self._warned = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog -merge" if self.theirs else "dialog"):
            yield Static(Text(safe(self.heading), style="bold"), id="note-heading")
            if self.theirs is not None:
                # The item panel, where the other version also shows, is under this dialog.
                who, text = self.theirs
                with VerticalScroll(id="note-theirs"):
                    yield Static(Text.assemble((f"{safe(who)}: ", "bold"), safe(text)))
            yield NoteArea(self.start_text, id="note-text", soft_wrap=True, show_line_numbers=False)
            hint = HINT
            if self.restored:
                hint = f"Restored unsaved text {self.restored} (f7 selects it all). {hint}"
            yield Static(Text(hint), id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(NoteArea)
        self.set_focus(area)
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: NoteArea.Changed) -> None:
        self.latest = event.text_area.text
        self.draft_changed()

    def typed_draft(self) -> NoteDraft | None:
        """The draft with the text typed; None when it is empty or the note's own text (an
        edited note's unchanged text is in the log)."""
        text = self.latest
        if text.strip() and text != self.original:
            return self.draft.with_text(text, self._now())
        return None

    def on_note_area_save_requested(self, message: NoteArea.SaveRequested) -> None:
        """ctrl+s in the text: save the text as it was when the key was reached."""
        message.stop()
        self._save(message.text)

    def action_save(self) -> None:
        """Record the note (ctrl+s with the focus elsewhere than the text)."""
        self._save(self.query_one(NoteArea).text)

    def _save(self, text: str) -> None:
        """Record the note; stay open with the text if that fails.

        The draft (text and key) is on disk before the save, and removed before the save is
        shown: a crash in between leaves a draft whose key the log already holds, which the
        tracker recognises and drops.
        """
        if self.saved:
            return  # a second ctrl+s typed before the editor closed
        self.latest = text
        self.flush_draft()
        problem = self.save(text, self.draft.key)
        if problem is not None:
            where = "here and in a draft" if self.kept else "here only (no draft could be written)"
            self.query_one("#note-hint", Static).update(
                Text(f"NOT SAVED: {problem} — the text is kept {where}.")
            )
            return
        self.saved = True
        if self.box is not None:
            # If this fails, the draft is recognised as saved by its key when next looked at.
            with contextlib.suppress(OSError):
                self.box.remove(self.draft)
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Close without saving; typed text stays in the draft, offered next time."""
        self.latest = self.query_one(NoteArea).text
        unsaved = self.latest.strip() and self.latest != self.original
        kept = self.flush_draft()
        if kept:
            self.notify(
                "Note not saved; its text is kept in a draft, restored when you next open this note.",
                markup=False,
            )
        elif unsaved and not self._warned:
            self._warned = True
            self.notify(
                "NO draft could be written: escape again discards the text, ctrl+s saves it.",
                severity="error",
                markup=False,
            )
            return
        self.dismiss(None)
