"""A yes/no question."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sessiontui.ui.format import safe


class ConfirmDialog(ModalScreen[bool | None]):
    """Ask a question; ``y`` dismisses with True, ``n`` with False, escape with None (no answer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(None)", "Neither (ask later)", id="confirm.cancel"),
    ]

    def __init__(self, question: str) -> None:
        """Make the dialog.

        Args:
            question: The question, possibly quoting user text (shown literally).
        """
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Text(safe(self.question)))
            yield Static(Text("y yes · n no · escape neither"), classes="hint")

    def action_answer(self, answer: bool | None) -> None:
        """Close with the answer."""
        self.dismiss(answer)
