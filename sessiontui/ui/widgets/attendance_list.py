"""The roll call's list: each participant marked present or absent in words, not colour."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList

PRESENT = "✓ present "
ABSENT = "· absent  "


class AttendanceList(SelectionList[str]):
    """A SelectionList whose lines begin with "✓ present" or "· absent".

    Textual's SelectionList draws the same "▐X▌" on every line and tells ticked from unticked
    by colour alone: on a monochrome screen, with NO_COLOR or read aloud, every participant
    read as ticked, and delegations were recorded absent by mistake. The mark and the word say
    what ctrl+s will record for that line.
    """

    def _get_left_gutter_width(self) -> int:
        return cell_len(PRESENT)

    def render_line(self, y: int) -> Strip:
        # OptionList's line (the name), with the mark put before it; SelectionList's own
        # button is skipped. A name wrapped over two lines has its mark on the first.
        line = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            value = self.get_option_at_index(index).value
        except (IndexError, LookupError):
            return line
        underlying = next(iter(line)).style or self.rich_style
        meta = Style(meta={"option": index})
        if offset:
            return Strip([Segment(" " * cell_len(PRESENT), underlying + meta), *line])
        ticked = value in self._selected
        mark = PRESENT if ticked else ABSENT
        style = underlying + Style(bold=ticked) + meta
        return Strip([Segment(mark, style), *line])
