"""The agenda as a tree: one line per item with its status mark, label, title and time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text, TextType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from sessiontui.core.state import SessionState
from sessiontui.ui.format import STATUS_MARKS, clock, safe

_MARKS = {status: f"{mark} " for status, mark in STATUS_MARKS.items()}
_MARK_WIDTHS = {status: cell_len(mark) for status, mark in _MARKS.items()}
_BOLD = Style(bold=True)
_NO_STYLE = Style()
# Characters that join with the one before them when measured (rich's ``cell_len``).
_JOINERS = ("\u200d", "\ufe0f")
# The agenda's labels and titles, cleaned once each rather than on every repaint of their line.
_safe = lru_cache(maxsize=4096)(safe)


class TreeLine(Text):
    """One tree line that knows its width in cells.

    Textual measures every line each time the tree's lines are built (a thousand at start);
    rich measured each line character by character, as the status marks are not ASCII. The
    line is never changed in place (Textual copies a label before styling it).
    """

    __slots__ = ("width",)

    def __init__(self, mark: str, rest: str, spans: list[Span], width: int) -> None:
        # The mark apart: rich strips control codes from each piece, character by character
        # (slowly) when a piece is not ASCII, as the marks are.
        super().__init__(mark, no_wrap=True, overflow="ellipsis", spans=spans)
        self.append(rest)
        self.width = width

    @property
    def cell_len(self) -> int:
        """The width in cells, as measured when the line was made."""
        return self.width


class AgendaTree(Tree[str]):
    """Agenda items (node data is the item id); a status change relabels one line.

    The tree is built once per agenda shape. Status and time changes only call ``set_label`` on
    the lines whose text changed, so a large agenda stays responsive; only an amendment (items
    added, moved or deleted) rebuilds it.
    """

    _adding = False
    """While a rebuild adds its nodes (see ``_invalidate``)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "agenda-tree--overrun",
        "agenda-tree--closed",
        "agenda-tree--deferred",
        "agenda-tree--floor",
        "agenda-tree--time",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Agenda", id=id)
        self.show_root = False
        # Enter selects (and the app may act on it); it must not fold the branch away.
        self.auto_expand = False
        self.guide_depth = 2
        self._item_nodes: dict[str, TreeNode[str]] = {}
        self._labels: dict[str, str] = {}
        self._shape: tuple[tuple[str, str | None], ...] = ()
        self._order: list[str] | None = None
        self._branch: set[str] = set()
        self._styles: dict[str, Style] = {}
        self._line_style_cache: dict[tuple[str, bool], tuple[Style, Style]] = {}

    def get_label_width(self, node: TreeNode[str]) -> int:
        """The label's width plus its expand icon.

        Textual's default renders every label to measure it, on every change of any line;
        with a thousand items that is most of the cost of a key press.
        """
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        label = node.label
        return cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def process_label(self, label: TextType) -> Text:
        """A one-line ``Text`` label as it is; anything else as Textual makes it.

        Textual copies every label to cut it at its first line break (twice per node added):
        a measurable part of building a large tree, for lines ``label_for`` made whole.
        """
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    @staticmethod
    def shape_of(state: SessionState) -> tuple[tuple[str, str | None], ...]:
        """The agenda's structure (ids with their parents, in order): a change means a rebuild."""
        return tuple((node.id, node.parent) for node in state.agenda)

    def _style(self, name: str) -> Style:
        # Resolved once per repaint (see ``_begin``): asking Textual for a component style per
        # label was most of the cost of building a thousand-item tree.
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _begin(self) -> None:
        """Start a repaint: styles are looked up afresh (the theme may have changed)."""
        self._styles.clear()
        self._line_style_cache.clear()

    def _invalidate(self) -> None:
        # Textual lays the whole tree out again after each node added: a rebuild adds every
        # node first and then lays out once (a fifth of the cost of building a thousand).
        if not self._adding:
            super()._invalidate()

    def _line_styles(self, status: str, on_floor: bool) -> tuple[Style, Style]:
        """The style of a line's mark and title, and of its label (bold), for a status."""
        key = (status, on_floor)
        found = self._line_style_cache.get(key)
        if found is None:
            if status in ("closed", "deferred"):
                style = self._style(f"agenda-tree--{status}")
            elif status == "open" and on_floor:
                style = self._style("agenda-tree--floor")
            else:
                style = _NO_STYLE
            found = self._line_style_cache[key] = (style, style + _BOLD)
        return found

    def label_for(
        self,
        state: SessionState,
        item_id: str,
        now: dt.datetime,
        branch: Collection[str] | None = None,
    ) -> TreeLine:
        """One tree line: ``✓ 2(a) 12:00/30:00 Title``; an overrun is marked ``!``.

        ``branch`` is ``state.on_floor_branch()`` when the caller has it (a repaint labels many
        lines): only those items have time running. The line is made as its mark, the rest and
        their spans, as ``Text.append`` would make it piece by piece, at half the cost: the
        pieces hold no control codes for rich to strip (``safe`` removes them from the agenda's
        text, the rest is ours), so the spans stay where they are put.
        """
        node = state.agenda.nodes[item_id]
        status = state.items[item_id].status
        if branch is None:
            branch = state.on_floor_branch()
        used = state.used_seconds(item_id, now if item_id in branch else None)
        planned = state.agenda.planned_seconds_of(item_id)
        style, bold = self._line_styles(status, state.floor == item_id)
        mark = _MARKS[status]
        spans: list[Span] = []
        end = len(mark)
        if style:
            spans.append(Span(0, end, style))
        pieces = [mark]
        if node.label:
            label = _safe(node.label) + " "
            spans.append(Span(end, end + len(label), bold))
            pieces.append(label)
            end += len(label)
        # Time comes before the title so that a narrow tree never cuts it off.
        if used or planned:
            times = clock(used) + (f"/{clock(planned)}" if planned else "")
            if planned is not None and used > planned:
                times, time_style = f"!{times}", self._style("agenda-tree--overrun")
            else:
                time_style = self._style("agenda-tree--time")
            if time_style:
                spans.append(Span(end, end + len(times), time_style))
            pieces.append(times + " ")
            end += len(times) + 1
        title = _safe(node.title)
        if title and style:
            spans.append(Span(end, end + len(title), style))
        pieces.append(title)
        rest = "".join(pieces[1:])
        width = (
            _MARK_WIDTHS[status] + cell_len(rest)
            if not rest.startswith(_JOINERS)
            else cell_len(mark + rest)
        )
        return TreeLine(mark, rest, spans, width)

    @staticmethod
    def _key(state: SessionState, item_id: str, label: Text) -> str:
        # The floor highlight is a style, not text: it is part of what makes a line change.
        return label.plain + ("\x00" if state.floor == item_id else "")

    def rebuild(self, state: SessionState, now: dt.datetime) -> None:
        """Build every line again (first load and agenda amendments), keeping the cursor item."""
        self._begin()
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self._item_nodes.clear()
        self._labels.clear()
        branch = state.on_floor_branch()
        self._adding = True
        try:
            for node in state.agenda:
                parent = self._item_nodes.get(node.parent or "", self.root)
                label = self.label_for(state, node.id, now, branch)
                if node.children:
                    tree_node = parent.add(label, data=node.id, expand=True)
                else:
                    tree_node = parent.add_leaf(label, data=node.id)
                self._item_nodes[node.id] = tree_node
                self._labels[node.id] = self._key(state, node.id, label)
        finally:
            self._adding = False
            self._invalidate()
        self._shape = self.shape_of(state)
        target = keep if keep in self._item_nodes else state.floor
        if target is None and self._item_nodes:
            target = next(iter(self._item_nodes))
        if target in self._item_nodes:
            self.select_item(target)

    def update(self, state: SessionState, now: dt.datetime) -> None:
        """Bring lines up to date: one line per changed item; a rebuild only for a new shape.

        Between amendments only the items whose status the fold changed (``state.touched``,
        cleared here) and the floor branches before and after (their clocks) can change.
        """
        self._begin()
        order = state.agenda.order()
        if order is not self._order:
            # An amendment (a new order list): rebuild for a new shape, else relabel all.
            self._order = order
            if self.shape_of(state) != self._shape:
                state.touched.clear()
                self._branch = state.on_floor_branch()
                self.rebuild(state, now)
                return
            dirty = set(self._item_nodes)
        else:
            dirty = {*state.touched, *self._branch, *state.on_floor_branch()}
        state.touched.clear()
        branch = self._branch = state.on_floor_branch()
        for item_id in dirty:
            tree_node = self._item_nodes.get(item_id)
            if tree_node is None:
                continue
            label = self.label_for(state, item_id, now, branch)
            key = self._key(state, item_id, label)
            if key != self._labels.get(item_id):
                self._labels[item_id] = key
                tree_node.set_label(label)

    def tick(self, state: SessionState, now: dt.datetime) -> None:
        """Only the items on the floor change with time: relabel just those."""
        self._begin()
        branch = state.on_floor_branch()
        for item_id in branch:
            tree_node = self._item_nodes.get(item_id)
            if tree_node is not None:
                label = self.label_for(state, item_id, now, branch)
                self._labels[item_id] = self._key(state, item_id, label)
                tree_node.set_label(label)

    def select_item(self, item_id: str) -> None:
        """Move the cursor to an item (used by the command palette's jump)."""
        tree_node = self._item_nodes.get(item_id)
        if tree_node is None:
            return
        parent = tree_node.parent
        while parent is not None:
            if not parent.is_expanded:
                # ``expand`` invalidates every line and lays the tree out again even when the
                # node is already expanded: on a key press that was most of the repaint.
                parent.expand()
            parent = parent.parent
        # Reading last_line builds the tree lines, which gives a new node its line number.
        if self.last_line >= 0:
            self.move_cursor(tree_node)

    @property
    def selected_item(self) -> str | None:
        """The item id under the cursor."""
        node = self.cursor_node
        return node.data if node is not None else None
