"""The journal panel: the last lines of the session in words."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static


class JournalPanel(Static):
    """The most recent journal lines, newest last (hidden until toggled)."""

    def show(self, lines: Iterable[str]) -> None:
        """Paint the lines; each is shown literally (they quote what people typed)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, line in enumerate(lines):
            if index:
                text.append("\n")
            text.append(line)
        # Its height is set by the stylesheet, whatever the lines: no layout of the screen needed.
        self.update(text, layout=False)
