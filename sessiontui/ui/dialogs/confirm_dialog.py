"""A yes/no question."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sessiontui.ui.format import safe
from sessiontui.ui.key_order import KeyQueue


class ConfirmDialog(ModalScreen[bool | None]):
    """Ask a question; ``y`` dismisses with True, ``n`` with False, escape with None (no answer).

    Escape cancels: every question asked here (close the sitting, delete a note, replace a
    file) does nothing unless answered yes, so it is said as the cancel it is, never as an
    answer the tracker would ask again for.

    Only a key typed once the question shows answers it: the keys typed before it (``P`` then
    at once ``n`` and a note's text) and the typing behind them are dropped (``KeyQueue``),
    so a fast typist's letters neither answer a question they have not read nor run as the
    tracker's keys after it.
    """

    HOLDS_TYPING: ClassVar[bool] = True
    """Whether keys typed before the question showed are dropped (see above)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(None)", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, question: str) -> None:
        """Make the dialog.

        Args:
            question: The question, possibly quoting user text (shown literally).
        """
        super().__init__()
        self.question = question

    HINT = "y yes · n no · escape cancel"

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(safe(self.question)))
            yield Static(Text(self.HINT), classes="hint")

    def on_mount(self) -> None:
        keys = getattr(self.app, "keys", None)
        if self.HOLDS_TYPING and isinstance(keys, KeyQueue):
            keys.hold_typed_before(get_time())

    def action_answer(self, answer: bool | None) -> None:
        """Close with the answer."""
        self.dismiss(answer)


class DraftOffer(ConfirmDialog, inherit_bindings=False):
    """Offer text a closed or crashed tracker left in a draft: ``ctrl+r`` restores it,
    ``ctrl+d`` discards it, escape leaves it for the next start.

    It appears as the tracker starts, when a person may already be typing: both answers take a
    key no typing produces, so that a typed ``n`` never throws the text away and the ``y`` of a
    typed word never opens it with that typing glued on.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "answer(True)", "Restore", id="draft.restore"),
        Binding("ctrl+d", "answer(False)", "Discard", id="draft.discard"),
        Binding("escape", "answer(None)", "Ask at the next start", id="draft.later"),
    ]
    HINT = "ctrl+r restore · ctrl+d discard · escape ask at the next start"
    HOLDS_TYPING = False  # no typing gives its answers
