"""The journal panel: the last lines of the session in words."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static


class JournalPanel(Static):
    """The most recent journal lines, newest last and always shown (hidden until toggled).

    Pinned to the end: it shows as many of the last lines as its height holds (at 80x24 it is
    shorter than at 120x40), so the newest line is never below the fold.
    """

    _lines: list[str] = []  # noqa: RUF012 (replaced, never mutated)

    def show(self, lines: Iterable[str]) -> None:
        """Paint the lines; each is shown literally (they quote what people typed)."""
        self._lines = list(lines)
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        room = self.content_region.height
        lines = self._lines[-room:] if room > 0 else self._lines
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, line in enumerate(lines):
            if index:
                text.append("\n")
            text.append(line)
        # Its height is set by the stylesheet, whatever the lines: no layout of the screen needed.
        self.update(text, layout=False)
