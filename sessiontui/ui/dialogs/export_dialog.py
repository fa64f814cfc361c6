"""Ask for an export's format and path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static
from textual.widgets.input import Selection

from sessiontui.exporters.files import ExportError, check_target
from sessiontui.exporters.formats import REGISTRY, format_for_extension, get_format
from sessiontui.ui.dialogs.fields import FIELD_KEYS
from sessiontui.ui.widgets.text_field import TextField


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """An export to make: format and where to write it."""

    format: str
    path: str


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a format and a file name; Enter in the path exports, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        *FIELD_KEYS,
    ]

    def __init__(self, stem: str, *, web: bool = False, log_path: Path | None = None) -> None:
        """Make the dialog.

        Args:
            stem: File name without extension proposed for the export.
            web: In a browser the file is downloaded; only its name matters.
            log_path: The session log's file (never written over), if it is a file.
        """
        super().__init__()
        self.stem = stem
        self.web = web
        self.log_path = log_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Text("Export the record", style="bold"))
            yield Select(
                [(fmt.name, fmt.name) for fmt in REGISTRY],
                value="md",
                allow_blank=False,
                id="export-format",
            )
            yield TextField(f"{self.stem}.md", id="export-path")
            what = "file name of the download" if self.web else "path"
            yield Static(
                Text(f"tab format/{what} · enter export (on the format: choose) · escape cancel"),
                classes="hint",
                id="export-hint",
            )

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        self.set_focus(path)
        # The proposed name is nobody's text: the first key typed replaces it. Once, here:
        # a path typed and come back to with Tab is kept (a ``TextField`` selects nothing).
        path.selection = Selection(0, len(path.value))

    def on_key(self, event: events.Key) -> None:
        """A character typed on the closed format list goes to the path, where it was meant
        to go (Tab from the path, then the path typed: nothing of it is lost)."""
        select = self.query_one("#export-format", Select)
        if (
            event.is_printable
            and event.character not in (None, " ")
            and select.has_focus
            and not select.expanded
        ):
            event.stop()
            event.prevent_default()
            path = self.query_one("#export-path", Input)
            self.set_focus(path)
            path.post_message(events.Key(event.key, event.character))

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        base, dot, ext = path.value.rpartition(".")
        chosen = get_format(str(event.value))
        if dot and format_for_extension(ext) not in (None, chosen):
            path.value = f"{base}.{chosen.extension}"

    def on_input_changed(self, event: Input.Changed) -> None:
        # A known extension typed in the path names the format, as `-o` does on the command
        # line: report.docx written as Markdown is a file Word refuses.
        named = format_for_extension(Path(event.value.strip()).suffix.lstrip("."))
        select = self.query_one("#export-format", Select)
        if named is not None and select.value != named.name:
            select.value = named.name

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            self.notify("Where to?", severity="warning", markup=False)
            return
        if not self.web:
            # Said here, with the path still in the field: once the dialog is gone, a corrected
            # path would be typed into the tracker's keys.
            try:
                check_target(Path(path).expanduser().absolute(), force=True, log_path=self.log_path)
            except ExportError as exc:
                self.query_one("#export-hint", Static).update(
                    Text(f"NOT exported: {exc}. Correct the path, or escape.")
                )
                return
        fmt = self.query_one("#export-format", Select).value
        self.dismiss(ExportRequest(str(fmt), path))

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
