"""The third phase of building an agenda: numbering and hierarchy.

Nesting comes from the numbers themselves: a number either continues a series already open
(a sibling), opens a new series under the current item (a child: 1, a, i, A, I, or ``11.1``
under ``11``), or is not an item at all (the paragraph numbers of an introduction).
Indentation only settles what the numbers leave open, such as whether ``(i)`` after ``(h)``
is the ninth letter or the first roman numeral.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sessiontui.importers.blocks import Block
from sessiontui.importers.classify import Number, quote
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import paragraph_like
from sessiontui.importers.nodes import CONTINUED_RE, Node, number_key, title_key
from sessiontui.importers.sittings import Days
from sessiontui.importers.source import MAX_ITEMS, ImportFailure

MAX_DEPTH = 6
"""Real agendas nest four levels; deeper "nesting" is a misread document."""
ANNOTATIONS: Final = object()
"""What placing returns when the agenda is repeated further down: its annotations begin."""


@dataclass(eq=False)
class Level:
    """One open series of siblings: its numbering style and where the next sibling goes."""

    style: tuple[str, str, int] | None
    key: tuple[str, ...] | None
    last: Number | None
    node: Node
    parent: Node | None
    indent: int
    rank: int


def _components(number: Number | None) -> tuple[int, ...] | None:
    if number is None or number.variant:
        return None
    if number.kind in ("arabic", "item", "dotted"):
        return number.components
    if number.kind in ("rlower", "rupper"):
        return (number.value,)  # Word's "legal" numbering writes V. then 5.1
    return None


def same_series(level: Level, reading: Number) -> bool:
    if level.style is None:
        return False
    if reading.variant:  # "4 bis" continues "4." whatever the punctuation
        return level.style[0] == reading.kind and level.style[2] == len(reading.prefix)
    if reading.kind == "arabic" == level.style[0] and {reading.deco, level.style[1]} == {
        "{}",
        "{}.",
    }:
        # "4    Consent agenda:" (a parent printed without its dot) between "3." and "5."
        return True
    return level.style == reading.style


def continues(last: Number, reading: Number) -> bool:
    if reading.kind == "dotted":
        if reading.prefix == last.prefix:
            return (reading.value == last.value + 1 and not reading.variant) or (
                reading.value == last.value and reading.variant > last.variant
            )
        # 1.1, 1.2, 2.1 without a "2" item: the next group
        return (
            len(reading.prefix) == len(last.prefix)
            and reading.prefix[:-1] == last.prefix[:-1]
            and reading.prefix[-1] == last.prefix[-1] + 1
            and reading.value == 1
        )
    if reading.kind == "item":  # an order of the day lists only the items taken up
        return reading.value > last.value or (
            reading.value == last.value and reading.variant > last.variant
        )
    return (reading.value == last.value + 1 and not reading.variant) or (
        reading.value == last.value and reading.variant > last.variant
    )


MAX_GAP = 9  # "9.45" after "9.8" is a quarter to ten, not item 9.45


def later_in_group(last: Number, reading: Number) -> bool:
    """ "11.10" after "11.3": a later number of the same dotted group (a gap, kept as written)."""
    return (
        reading.kind == last.kind == "dotted"
        and reading.prefix == last.prefix
        and last.value < reading.value <= last.value + MAX_GAP
    )


class Tree:
    """The items placed so far and the series of numbers still open.

    Args:
        fmt: the document's format; Markdown and Word lists nest by indentation.
        name: the document, for messages.
        agenda_heading: the document heads its agenda ("Provisional agenda"), so numbered
            lines before it are not an introduction's paragraphs.
        days: the sittings, read for the current one and forgotten with an introduction.
        findings: where doubts go.
    """

    def __init__(
        self, fmt: str, name: str, agenda_heading: bool, days: Days, findings: Findings
    ) -> None:
        self.fmt = fmt
        self.name = name
        self.agenda_heading = agenda_heading
        self.days = days
        self.findings = findings
        self.roots: list[Node] = []
        self.stack: list[Level] = []
        self.dormant: dict[tuple[str, str, int], Number] = {}
        self.ambiguous: tuple[Node, Number, int] | None = None
        # (id of parent, number) -> items: finding "2. ... (continued)" must not scan siblings
        self.numbered: dict[tuple[int, str], list[Node]] = {}
        self.count = 0
        # a section heading ("Business of the Day") was just passed: a list starting after it
        # at the left margin is the section's, not the item above the heading's sub-items
        self.after_section = False

    def close_for_day(self, rank: int) -> None:
        """A day heading closes the series under a heading of its rank, and unnumbered ones."""
        self.pop_rank(rank - 1 if rank < 100 else 100)
        while self.stack and self.stack[-1].style is None:
            self.pop_to(len(self.stack) - 2)

    def attach(self, node: Node, parent: Node | None) -> None:
        self.count += 1
        if self.count > MAX_ITEMS:
            raise ImportFailure(f"{self.name}: more than {MAX_ITEMS} items - not an agenda")
        node.parent = parent
        (parent.children if parent is not None else self.roots).append(node)
        if node.number is not None:
            key = (id(parent), number_key(node.number.text))
            self.numbered.setdefault(key, []).append(node)

    def pop_to(self, depth: int) -> None:
        """Close the series deeper than ``depth`` (they may be continued later, see dormant)."""
        while len(self.stack) > depth + 1:
            level = self.stack.pop()
            if level.style is not None and level.last is not None:
                self.dormant[level.style] = level.last

    def pop_rank(self, rank: int) -> None:
        """A heading closes everything nested under a heading of its level or deeper."""
        while self.stack and self.stack[-1].rank > rank:
            self.pop_to(len(self.stack) - 2)

    def sibling(self, depth: int, node: Node, reading: Number | None) -> None:
        self.pop_to(depth)
        level = self.stack[depth]
        self.attach(node, level.parent)
        level.node = node
        if reading is not None:
            level.last = reading

    def child(self, depth: int, node: Node, block: Block, reading: Number | None) -> None:
        """Open a new series under ``self.stack[depth].node`` (depth -1: a top-level series)."""
        self.pop_to(depth)
        parent = self.stack[depth].node if depth >= 0 else None
        if parent is not None and parent.depth + 1 >= MAX_DEPTH:
            self.findings.doubt(
                block.where, f"nested deeper than {MAX_DEPTH} levels - kept at that depth"
            )
            self.sibling(depth, node, None)
            return
        self.attach(node, parent)
        style = reading.style if reading is not None else None
        if style is not None:
            self.dormant.pop(style, None)
        self.stack.append(
            Level(
                style,
                None if reading else block.key,
                reading,
                node,
                parent,
                block.indent,
                block.rank,
            )
        )

    def place_numbered(self, block: Block, node: Node) -> Node | object | None:
        """Place a numbered entry: continuing a series, opening one, or repeating an item."""
        # an "(i)" read as a letter can only be mended by the very next number
        ambiguous, self.ambiguous = self.ambiguous, None
        after_section, self.after_section = self.after_section, False
        self.pop_rank(block.rank)
        if after_section and self._opens_section_list(block, node):
            return node
        placed = self._continue_or_open(block, node)
        if placed is not None:
            return placed
        redone = self._backtrack(block, node, ambiguous)
        if redone is not None:
            return redone
        for reading in block.readings:
            last = self.dormant.get(reading.style)
            if last is not None and continues(last, reading) and self.stack:
                node.number = reading
                self.child(len(self.stack) - 1, node, block, reading)
                return node
        # the same number again: "2. ... (continued)" in an afternoon, or the annotations
        for reading in block.readings:
            for depth in range(len(self.stack) - 1, -1, -1):
                if same_series(self.stack[depth], reading):
                    return self._out_of_series(block, node, reading, depth)
        if not self.stack and self.roots and not CONTINUED_RE.search(block.text):
            # a heading ranked above the agenda's list closed it ("## 1. Apologies" after
            # the list under "## Agenda"): repeating an earlier item, it starts the annotations
            for reading in block.readings:
                existing = self._repeat(None, reading, block.text)
                if existing is not None and existing is not self.roots[-1]:
                    return ANNOTATIONS
        return self._first_item(block, node)

    def _opens_section_list(self, block: Block, node: Node) -> bool:
        """Place a list that starts under a section heading at the top level ("Business of
        the Day" / "1. Second Reading" after "11.30am Prayers"): at the margin of the items
        above, continuing none of their series, it is the section's list, not a sub-list of
        the item before the heading. Lettered lists ("(a)") stay sub-items as before."""
        if not self.stack or self.continuation(block) is not None:
            return False
        top = self.stack[0]
        for reading in block.readings:
            if (
                reading.is_start
                and reading.kind in ("arabic", "item")
                and block.indent <= top.node.indent
                and not same_series(top, reading)
            ):
                node.number = reading
                self.child(-1, node, block, reading)
                return True
        return False

    def continuation(self, block: Block) -> tuple[int, Number] | None:
        """The deepest open series this entry's number continues."""
        continuation: tuple[int, Number] | None = None
        for reading in block.readings:
            for depth in range(len(self.stack) - 1, -1, -1):
                level = self.stack[depth]
                if same_series(level, reading) and level.last is not None:
                    if block.indent < level.indent and depth > 0 and self.fmt != "text":
                        continue  # left of this list: a Markdown or Word list nests by indent
                    if continues(level.last, reading) and (
                        continuation is None or depth > continuation[0]
                    ):
                        continuation = (depth, reading)
                    break
        return continuation

    def _continue_or_open(self, block: Block, node: Node) -> Node | None:
        """Place the entry as the next of a series, or as the first of a new one under the
        current item; None when its number does neither."""
        stack = self.stack
        continuation = self.continuation(block)
        start = self._start(block)
        ambiguous_alt: Number | None = None
        if continuation is not None and start is not None:
            depth, reading = continuation
            if block.indent > stack[depth].indent and block.indent > stack[-1].node.indent:
                continuation = None
            else:
                ambiguous_alt = start[1]
                start = None
        if continuation is not None:
            depth, reading = continuation
            node.number = reading
            self.sibling(depth, node, reading)
            self.ambiguous = (node, ambiguous_alt, depth) if ambiguous_alt is not None else None
            return node
        if start is not None:
            depth, reading = start
            node.number = reading
            if reading.kind == "dotted" and reading.value != 1:
                self.findings.doubt(
                    block.where, f"{quote(reading.text)} opens its series - kept as written"
                )
            self.child(depth, node, block, reading)
            return node
        return None

    def _out_of_series(
        self, block: Block, node: Node, reading: Number, depth: int
    ) -> Node | object | None:
        """A number of an open series that does not continue it: a repeated item, the
        annotations, the agenda after numbered paragraphs, or a gap kept as written."""
        level = self.stack[depth]
        title = block.text
        existing = self._repeat(level.parent, reading, title)
        if existing is not None:
            continued = CONTINUED_RE.search(title) or existing.sitting is not self.days.current
            if depth == 0 and not continued and existing is not level.node:
                # the agenda again, further down: its annotations, without a heading
                return ANNOTATIONS
            if not continued:
                self.findings.doubt(
                    block.where,
                    f"{quote(reading.text)} repeats item {existing.label()} - "
                    "taken as the same item",
                )
            self.pop_to(depth)
            level.node, level.last = existing, reading
            self._reopen(existing, block)
            return existing
        if reading.is_start and depth == 0 and self._introduction():
            first_where, last_where = self.roots[0].where, self.roots[-1].where
            self.findings.doubt(
                first_where,
                f"numbered paragraphs before the agenda (to {last_where}) are not items",
            )
            self.roots.clear()
            self.numbered.clear()
            self.stack.clear()
            self.days.forget()
            node.number = reading
            self.child(-1, node, block, reading)
            return node
        assert level.last is not None
        if paragraph_like(title):
            return None
        before = level.last.text
        if reading.value > level.last.value or reading.kind == "dotted":
            if reading.kind != "item":
                self.findings.doubt(
                    block.where,
                    f"{quote(reading.text)} follows {quote(before)} - kept as written",
                )
        else:
            self.findings.doubt(
                block.where,
                f"{quote(reading.text)} comes after {quote(before)} again - kept as written",
            )
        node.number = reading
        self.sibling(depth, node, reading)
        return node

    def _first_item(self, block: Block, node: Node) -> Node | None:
        """The entry that opens the agenda, when nothing is open yet."""
        readings = block.readings
        if self.stack or paragraph_like(block.text):
            return None
        # "I." or "V." opening an agenda is a roman numeral rather than a letter
        reading = next(
            (r for r in readings if r.is_start),
            next((r for r in readings if r.kind in ("rlower", "rupper")), readings[0]),
        )
        if not reading.is_start and reading.kind != "item" and not self.roots:
            self.findings.doubt(block.where, f"the agenda starts at {quote(reading.text)}")
        node.number = reading
        self.child(-1, node, block, reading)
        return node

    def _introduction(self) -> bool:
        """Whether the items so far were the numbered paragraphs of an introduction.

        Prose, or sentences with no sub-items, before a list that numbers from 1 again; an
        agenda heading would have marked where the agenda begins.
        """
        return all(
            paragraph_like(root.title)
            or (not self.agenda_heading and not root.children and root.title.endswith("."))
            for root in self.roots
        )

    def _start(self, block: Block) -> tuple[int, Number] | None:
        """The reading that opens a new series, and under which level, if any does."""
        stack = self.stack
        for reading in block.readings:
            if reading.kind == "dotted" or reading.prefix:  # 11.2 under 11, 1.A. under 1.
                for depth in range(len(stack) - 1, -1, -1):
                    if _components(stack[depth].node.number) == reading.prefix:
                        return depth, reading
                continue
            if not stack:
                continue
            if not (reading.is_start or reading.kind == "item"):
                continue
            # a list under a heading is a new series even when it is numbered alike
            active = [
                d
                for d, level in enumerate(stack)
                if same_series(level, reading) and level.rank >= block.rank
            ]
            if active and not (
                block.indent > stack[active[-1]].indent and block.indent > stack[-1].node.indent
            ):
                continue  # the same style again at the same indentation: a restart, not a child
            return len(stack) - 1, reading
        return None

    def _repeat(self, parent: Node | None, reading: Number, title: str) -> Node | None:
        """An existing sibling with this number and (ignoring "(continued)") this title."""
        wanted = title_key(title)
        for sibling in self.numbered.get((id(parent), number_key(reading.text)), [])[:20]:
            if sibling.parent is not parent:
                continue
            have = title_key(sibling.title)
            if wanted and have and (have.startswith(wanted) or wanted.startswith(have)):
                return sibling
        return None

    def _reopen(self, node: Node, block: Block) -> None:
        """Make the children of a continued item the open series again."""
        if block.time is not None and node.start is None:
            node.start, node.end = block.time.start, block.time.end
        children = [c for c in node.children if c.number is not None]
        if children:
            last = children[-1]
            assert last.number is not None
            self.stack.append(
                Level(last.number.style, None, last.number, last, node, last.indent, block.rank)
            )

    def _backtrack(
        self, block: Block, node: Node, ambiguous: tuple[Node, Number, int] | None
    ) -> Node | None:
        """Mend an "(i)" read as the letter after "(h)" when "(ii)" shows it was roman one."""
        if ambiguous is None:
            return None
        earlier, roman, depth = ambiguous
        if depth >= len(self.stack) or self.stack[depth].node is not earlier:
            return None
        for reading in block.readings:
            if reading.style != roman.style or reading.value != 2 or earlier.children:
                continue
            parent = earlier.parent
            siblings = parent.children if parent is not None else self.roots
            if len(siblings) < 2 or siblings[-1] is not earlier:
                return None
            previous = siblings[-2]
            siblings.pop()
            self.pop_to(depth)
            level = self.stack[depth]
            level.node, level.last = previous, previous.number
            earlier.number = roman
            self.attach(earlier, previous)
            self.stack.append(
                Level(roman.style, None, roman, earlier, previous, earlier.indent, 100)
            )
            self.findings.doubt(
                earlier.where,
                f"{quote(roman.text)} read as roman numeral one under {previous.label()}",
            )
            node.number = reading
            self.sibling(depth + 1, node, reading)
            return node
        return None

    def place_unnumbered(self, node: Node, block: Block) -> None:
        self.pop_rank(block.rank)
        if block.fixed is None and block.rank == 100:
            while (
                self.stack and self.stack[-1].rank == 100 and self.stack[-1].indent > block.indent
            ):
                self.pop_to(len(self.stack) - 2)
        for depth in range(len(self.stack) - 1, -1, -1):
            level = self.stack[depth]
            if level.key == block.key and block.rank in (100, level.rank):
                if (
                    block.rank == 100
                    and block.indent > level.indent + 1
                    and level is self.stack[-1]
                ):
                    break  # indented under the list's last entry: a list under it
                self.sibling(depth, node, None)
                return
            if level.rank == block.rank and block.rank < 100:
                self.sibling(depth, node, None)  # "## Other business" among "## 1." headings
                return
        top = self.stack[-1] if self.stack else None
        if (
            top is not None
            and top.rank == 100 == block.rank
            and top.indent == block.indent
            and (block.key != ("text",))
            and top.style is not None
            and block.key[0] not in ("bullet", "list")
        ):
            self.sibling(len(self.stack) - 1, node, None)
            return
        self.child(len(self.stack) - 1, node, block, None)

    def place_break(self, node: Node, block: Block) -> None:
        """A break sits among the items around it without changing any numbering."""
        parent: Node | None = None
        if block.key == ("row",) or block.time is not None:
            for level in reversed(self.stack):
                if level.key in (("row",), ("time",)):
                    parent = level.parent
                    break
            else:
                parent = self.stack[-1].parent if self.stack else None
        else:
            for level in reversed(self.stack):
                if level.indent <= block.indent or block.hard:
                    parent = level.parent
                    break
        self.attach(node, parent)
