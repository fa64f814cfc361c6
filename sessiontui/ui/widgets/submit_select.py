"""A Select on which Enter confirms the form it is in; space or ↓ opens its list."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Select

ValueType = TypeVar("ValueType", bound=Hashable)


class SubmitSelect(Select[ValueType]):
    """A Select that answers Enter like an Input does: the form is confirmed.

    Textual's Select opens its list on Enter, so a dialog whose hint says "enter confirms" opened
    a dropdown instead when the focus was on it. Here Enter posts ``Submitted`` while the list is
    closed; space, ↓ and ↑ still open it, and Enter in the open list picks the highlighted
    option (the list has the focus then, so this binding is not reached in the same press).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Confirm", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """Enter on the closed Select: confirm the form."""

        select: SubmitSelect[Any]

        @property
        def control(self) -> SubmitSelect[Any]:
            """The Select that was on focus."""
            return self.select

    def action_submit(self) -> None:
        """Ask the form to confirm (the Select keeps its value)."""
        self.post_message(self.Submitted(self))
