"""A dialog whose typing is kept in a draft (the note editor, the speaker dialog).

The draft is handed to the drafts' writer (``DraftBox``) a moment after the first change not
yet in it, and the typing goes on meanwhile however slow the disk; it is written at once, and
waited for, when asked (a quit, a hang-up, a save) and on the dialog's way out. The subclass
says what is worth keeping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer

from sessiontui.ui.drafts import DraftBox, NoteDraft, Ticket

DRAFT_DELAY = 0.3
"""Seconds from the first change not yet in the draft to its writing (however fast the typing)."""

ResultType = TypeVar("ResultType")


class DraftedDialog(ModalScreen[ResultType]):
    """A modal dialog that keeps what is typed in it in ``draft``, in ``box``."""

    DRAFT_FAILED = "save soon"
    """What to do when the draft cannot be written (said after the cause)."""

    class Written(Message, bubble=False):
        """The drafts' writer is through with what it was handed (sent from its thread)."""

        def __init__(self, ticket: Ticket) -> None:
            super().__init__()
            self.ticket = ticket

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
        self._handed: Ticket | None = None
        """The last write (or removal) handed to the writer."""
        self._told: Ticket | None = None
        """The last one whose outcome was taken (``kept`` set, a failure said): once only."""
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
            self._draft_timer = self.set_timer(DRAFT_DELAY, self.hand_draft)

    def hand_draft(self) -> Ticket | None:
        """Hand what is typed to the drafts' writer, without waiting for it (None: no box).

        ``kept`` is false until the writer says it is on disk (``on_drafted_dialog_written``).
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.box is None:
            self.kept = False
            return None
        typed = self.typed_draft()
        handed = self._handed
        if handed is not None and handed.error is None and _asks(handed, typed):
            return handed  # written, or on its way: once is enough (a quit after a flush)
        if typed is not None:
            self.draft = typed
            self._handed = self.box.keep(typed, self._from_writer)
        else:
            self._handed = self.box.drop(self.draft, self._from_writer)
        self.kept = False
        return self._handed

    def flush_draft(self) -> bool:
        """Write what is typed to the draft now, and wait for it (at most ``WAIT_SECONDS``).

        Returns whether the draft holds it (False when there is nothing worth keeping or it
        could not be written: then the person is told, and never told it was kept).
        """
        handed = self.hand_draft()
        if handed is None:
            return False
        assert self.box is not None  # handed to it
        try:
            self.box.wait(handed)
        except TimeoutError as exc:
            self.kept = False
            self.notify(
                f"The draft is NOT on disk yet ({exc}); {self.DRAFT_FAILED}.",
                severity="warning",
                markup=False,
            )
            return False
        except OSError:
            pass  # said below, as a failure the writer reports
        self._take(handed)
        return self.kept

    def on_drafted_dialog_written(self, message: Written) -> None:
        """The writer is through with a draft: ``kept`` says so, a failure is said."""
        self._take(message.ticket)

    def _from_writer(self, ticket: Ticket) -> None:
        # On the writer's thread: post_message is safe there and never waits for the UI
        # (call_from_thread would, and the UI may be waiting for the writer: a flush).
        with contextlib.suppress(RuntimeError):  # the dialog (or the app) is gone
            self.post_message(self.Written(ticket))

    def _take(self, ticket: Ticket) -> None:
        """Take the outcome of ``ticket``, if it is the last one handed and not taken yet."""
        if ticket is not self._handed or ticket is self._told:
            return  # a later text is on its way; it says how it went
        done = ticket.final  # another ask for this draft may have been done instead
        if not done.done:
            return
        self._told = ticket
        if done.error is not None:
            self.kept = False
            self._say_not_written(done.error)
        else:
            self.kept = not done.removal

    def _say_not_written(self, exc: OSError) -> None:
        self.notify(
            f"The draft could NOT be written ({exc.strerror or exc}); {self.DRAFT_FAILED}.",
            severity="warning",
            markup=False,
        )

    def on_unmount(self) -> None:
        # Quitting with the dialog open: what was typed since the last write is kept too, and
        # what the writer still holds is on disk before the tracker goes.
        if self.saved:
            return
        if self._draft_timer is not None or (self._handed is not None and not self._handed.done):
            self.flush_draft()


def _asks(handed: Ticket, typed: NoteDraft | None) -> bool:
    """Whether ``handed`` asked what ``typed`` would (None: a removal), the time aside."""
    if typed is None or handed.removal:
        return typed is None and handed.removal
    return replace(typed, written="") == replace(handed.draft, written="")
