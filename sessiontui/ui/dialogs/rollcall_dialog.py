"""The roll call: tick who is present at the sitting, from the participants register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from sessiontui.ui.format import safe
from sessiontui.ui.widgets.attendance_list import AttendanceList


@dataclass(frozen=True)
class RollCallResult:
    """Who was ticked present and who was left unticked (absent)."""

    present: tuple[str, ...]
    absent: tuple[str, ...]


class RollCallDialog(ModalScreen[RollCallResult | None]):
    """Space ticks a participant, ``a`` ticks everyone, ctrl+s records, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Record the roll call", id="rollcall.save", priority=True),
        Binding("a", "all", "Everyone present", id="rollcall.all"),
        Binding("escape", "cancel", "Cancel", id="rollcall.cancel"),
    ]

    def __init__(self, heading: str, names: list[str], present: set[str], quorum: str) -> None:
        """Make the dialog.

        Args:
            heading: Which sitting, e.g. "Roll call: 1st meeting".
            names: The register's names, in order.
            present: Those already marked present at this sitting (ticked).
            quorum: What the quorum is, e.g. "quorum 5 Member States" (empty: none).
        """
        super().__init__()
        self.heading = heading
        self.names = names
        self.present = present
        self.quorum = quorum

    def compose(self) -> ComposeResult:
        with Vertical(id="rollcall-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading)), classes="title")
            yield AttendanceList(
                *(Selection(Text(safe(name)), name, name in self.present) for name in self.names),
                id="rollcall-list",
            )
            yield Static(self._hint(len(self.present)), id="rollcall-hint", classes="hint")

    def _hint(self, ticked: int) -> Text:
        """How many are marked present (what ctrl+s records), the quorum, the keys."""
        count = f"{ticked} of {len(self.names)} present"
        keys = "space present/absent · a everyone · ctrl+s record · escape cancel"
        return Text(" · ".join(part for part in (count, self.quorum, keys) if part))

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        """Keep the count true as lines are ticked."""
        ticked = len(event.selection_list.selected)
        self.query_one("#rollcall-hint", Static).update(self._hint(ticked))

    def action_all(self) -> None:
        """Tick everyone."""
        self.query_one(SelectionList).select_all()

    def action_save(self) -> None:
        """Close with who is ticked and who is not."""
        ticked = set(self.query_one(SelectionList).selected)
        present = tuple(name for name in self.names if name in ticked)
        absent = tuple(name for name in self.names if name not in ticked)
        self.dismiss(RollCallResult(present, absent))

    def action_cancel(self) -> None:
        """Close without recording."""
        self.dismiss(None)
