"""A dialog whose typing is kept in a draft (the note editor, the speaker dialog).

The draft is written a moment after the first change not yet in it, at once when asked (a quit,
a hang-up, a save), and on the dialog's way out; the subclass says what is worth keeping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from textual.screen import ModalScreen
from textual.timer import Timer

from sessiontui.ui.drafts import DraftBox, NoteDraft

DRAFT_DELAY = 0.3
"""Seconds from the first change not yet in the draft to its writing (however fast the typing)."""

ResultType = TypeVar("ResultType")


class DraftedDialog(ModalScreen[ResultType]):
    """A modal dialog that keeps what is typed in it in ``draft``, in ``box``."""

    DRAFT_FAILED = "save soon"
    """What to do when the draft cannot be written (said after the cause)."""

    def __init__(
        self,
        draft: NoteDraft,
        box: DraftBox | None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """Make the dialog.

        Args:
            draft: The draft of what is typed here (its text, if any, was restored).
            box: Where drafts are kept (None: nowhere, e.g. the folder could not be made).
            now: The clock, for the draft's time.
        """
        super().__init__()
        self.draft = draft
        self.box = box
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._draft_timer: Timer | None = None
        self.saved = False
        """Saved or discarded: no draft is written from here on."""
        self.kept = bool(draft.text) and box is not None
        """Whether the draft on disk holds the latest text (said only when true)."""

    def typed_draft(self) -> NoteDraft | None:
        """The draft holding what is typed now, or None when nothing is worth keeping."""
        raise NotImplementedError

    def draft_changed(self) -> None:
        """Something was typed: write the draft a moment from now."""
        if self.box is None or self.saved:
            return
        # Not restarted by each key: steady typing never pauses, and a draft written only
        # after a pause was never written at all when the terminal went mid-sentence.
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self.flush_draft)

    def flush_draft(self) -> bool:
        """Write what is typed to the draft now (also done a moment after each change).

        Returns whether the draft holds it (False when there is nothing worth keeping or it
        could not be written: then the person is told, and never told it was kept).
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.box is None:
            self.kept = False
            return False
        try:
            typed = self.typed_draft()
            if typed is not None:
                self.draft = typed
                self.box.write(typed)
                self.kept = True
            else:
                self.box.remove(self.draft)
                self.kept = False
        except OSError as exc:
            self.kept = False
            self.notify(
                f"The draft could NOT be written ({exc.strerror or exc}); {self.DRAFT_FAILED}.",
                severity="warning",
                markup=False,
            )
        return self.kept

    def on_unmount(self) -> None:
        # Quitting with the dialog open: what was typed since the last write is kept too.
        if self._draft_timer is not None and not self.saved:
            self.flush_draft()
