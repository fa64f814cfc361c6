"""The note editor: text is saved to the log only on ctrl+s, and kept in a draft file meanwhile."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from sessiontui.ui.format import safe
from sessiontui.ui.widgets.note_area import SAVE_KEY, NoteArea

DRAFT_DELAY = 0.3
"""Seconds of quiet typing before the draft is written (debounce)."""


def write_draft(path: Path, text: str) -> None:
    """Write a draft file readable by its owner only (0600), never following a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_draft(path: Path) -> str | None:
    """The text of a draft left by a crash or a quit, if any."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class NoteEditor(ModalScreen[str | None]):
    """Write or edit a note; dismissed with the saved text, or None when cancelled.

    ``save(text)`` records the note and returns None, or returns why it could not be saved; then
    the editor stays open with the text, and the draft file keeps it across a crash.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: the NoteArea answers ctrl+s itself, after the keys before it.
        Binding(SAVE_KEY, "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        save: Callable[[str], str | None],
        *,
        text: str = "",
        draft: Path | None = None,
    ) -> None:
        """Make an editor.

        Args:
            heading: What is being written, e.g. "Decision on 2(a) Status ...".
            save: Records the text; returns None when saved, else the reason it was not.
            text: The text to start from (an edited note's).
            draft: Where to keep the unsaved text; restored from there if it exists.
        """
        super().__init__()
        self.heading = heading
        self.save = save
        self.draft = draft
        self.restored = False
        self.original = text
        start = text
        if draft is not None:
            left = read_draft(draft)
            if left and left.strip() and left != text:
                start = left
                self.restored = True
        self.start_text = start
        self.latest = start
        self._timer: Timer | None = None
        self.saved = False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"), id="note-heading")
            yield NoteArea(self.start_text, id="note-text", soft_wrap=True, show_line_numbers=False)
            hint = "ctrl+s save · escape cancel"
            if self.restored:
                hint = "Restored unsaved text from the draft. " + hint
            yield Static(Text(hint), id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(NoteArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: NoteArea.Changed) -> None:
        self.latest = event.text_area.text
        if self.draft is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.flush_draft)

    def flush_draft(self) -> None:
        """Write the text to the draft file now (also done on every pause in typing)."""
        if self.draft is None:
            return
        text = self.latest
        try:
            # Only typed text is worth keeping: an edited note's unchanged text is in the log.
            if text.strip() and text != self.original:
                write_draft(self.draft, text)
            else:
                self.draft.unlink(missing_ok=True)
        except OSError as exc:
            self.notify(
                f"The draft could not be kept ({exc.strerror}); save soon.",
                severity="warning",
                markup=False,
            )

    def on_unmount(self) -> None:
        # Quitting with the editor open: what was typed since the last pause is kept too.
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.flush_draft()

    def on_note_area_save_requested(self, message: NoteArea.SaveRequested) -> None:
        """ctrl+s in the text: save the text as it was when the key was reached."""
        message.stop()
        self._save(message.text)

    def action_save(self) -> None:
        """Record the note (ctrl+s with the focus elsewhere than the text)."""
        self._save(self.query_one(NoteArea).text)

    def _save(self, text: str) -> None:
        """Record the note; stay open with the text if that fails."""
        if self.saved:
            return  # a second ctrl+s typed before the editor closed
        self.latest = text
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.flush_draft()
        problem = self.save(text)
        if problem is not None:
            self.query_one("#note-hint", Static).update(
                Text(f"NOT SAVED: {problem} — the text is kept here and in the draft.")
            )
            return
        self.saved = True
        if self.draft is not None:
            with contextlib.suppress(OSError):
                self.draft.unlink(missing_ok=True)
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Close without saving; any typed text stays in the draft for next time."""
        self.latest = self.query_one(NoteArea).text
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.flush_draft()
        if self.draft is not None and self.draft.exists():
            self.notify(
                "Note not saved; its draft comes back next time you write a note.", markup=False
            )
        self.dismiss(None)
