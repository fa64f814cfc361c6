"""From a document's lines to an agenda: preamble, item tree, annotations, timing and sittings."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sessiontui.core.agenda import (
    AgendaFile,
    ItemSpec,
    MeetingSpec,
    SittingSpec,
    full_label,
    normalize_reference,
    numbering_pattern,
    own_numbers,
)
from sessiontui.importers.blocks import TERMINAL, Block, BlockReader, Words, starts_upper
from sessiontui.importers.classify import (
    ANNOTATIONS_HEADING_RE,
    Clock,
    DateSpan,
    DayHeading,
    Extras,
    Number,
    TimePrefix,
    find_documents,
    fold,
    is_break,
    only_documents,
    parse_dates,
    parse_duration_text,
    parse_number,
    quote,
    split_names,
    squash,
    strip_list_punctuation,
    take_extras,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import (
    find_layout,
    is_agenda_heading,
    paragraph_like,
)
from sessiontui.importers.preamble import PreambleReader
from sessiontui.importers.source import MAX_ITEMS, MAX_LINES, ImportFailure, Line
from sessiontui.importers.when import When, find_when

MAX_DEPTH = 6
"""Real agendas nest four levels; deeper "nesting" is a misread document."""
_CONTINUED_RE = re.compile(
    r"\s*\((?:continued|cont(?:['’]?d|\.)?|resumed|concluded)\)\s*$", re.IGNORECASE
)


@dataclass
class ImportResult:
    """What an import produced: the agenda, what was recognised, and what is uncertain."""

    spec: AgendaFile
    summary: list[str]
    doubts: list[str]
    format: str
    explain: list[str] = field(default_factory=list)  # per item, the lines that made it


# -- working records ----------------------------------------------------------------------------


@dataclass(eq=False)
class Sitting:
    """A day or part of a day of the programme, as its heading announced it."""

    where: str
    label: str
    date: dt.date | None
    start: Clock | None = None
    end: Clock | None = None
    day_only: bool = False  # opened by a day heading; a "Morning" heading may refine it
    nodes: list[Node] = field(default_factory=list)
    id: str | None = None


@dataclass(eq=False)
class Node:
    """An item as it is being built."""

    where: str
    title: str
    number: Number | None = None
    fixed: str | None = None  # a number the format printed that is not a series (Word "§1")
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    indent: int = 0
    start: Clock | None = None
    end: Clock | None = None
    minutes: float | None = None
    presenters: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    annotation: list[str] = field(default_factory=list)
    kind: str = "item"
    sitting: Sitting | None = None
    clean: str | None = None  # the final title, once computed
    taken: tuple[str, tuple[str, Extras]] | None = None  # take_extras of the raw title, by title
    sources: list[str] = field(default_factory=list)  # the lines that made it ("line 12")

    @property
    def depth(self) -> int:
        """0 for a top-level item."""
        depth, parent = 0, self.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        return depth

    def label(self) -> str:
        """The number as printed, for messages."""
        if self.number is not None:
            return self.number.text
        return self.fixed or quote(self.title, 30)


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


_ANNOTATIONS = object()  # placement found the agenda repeated: the annotations part begins


def _components(number: Number | None) -> tuple[int, ...] | None:
    if number is None or number.variant:
        return None
    if number.kind in ("arabic", "item", "dotted"):
        return number.components
    if number.kind in ("rlower", "rupper"):
        return (number.value,)  # Word's "legal" numbering writes V. then 5.1
    return None


def _same_series(level: Level, reading: Number) -> bool:
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


def _continues(last: Number, reading: Number) -> bool:
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


def _later_in_group(last: Number, reading: Number) -> bool:
    """ "11.10" after "11.3": a later number of the same dotted group (a gap, kept as written)."""
    return (
        reading.kind == last.kind == "dotted"
        and reading.prefix == last.prefix
        and last.value < reading.value <= last.value + MAX_GAP
    )


def _number_key(text: str) -> str:
    return re.sub(r"^(?:agenda)?item", "", fold(text))


def _title_key(text: str) -> str:
    return fold(_CONTINUED_RE.sub("", text))


class Builder:
    """Turns the lines of one document into an ``ImportResult``.

    The three readers (text, Markdown, Word) produce the same ``Line`` records; everything that
    decides what a line means lives here and in ``classify``, so the formats behave alike.

    Nesting comes from the numbers themselves: a number either continues a series already open
    (a sibling), opens a new series under the current item (a child: 1, a, i, A, I, or ``11.1``
    under ``11``), or is not an item at all (the paragraph numbers of an introduction).
    Indentation only settles what the numbers leave open, such as whether ``(i)`` after ``(h)``
    is the ninth letter or the first roman numeral.
    """

    def __init__(self, lines: list[Line], fmt: str, name: str, doubts: list[str]) -> None:
        self.lines = lines
        self.fmt = fmt
        self.name = name
        self.findings = Findings(list(doubts))
        self.roots: list[Node] = []
        self.stack: list[Level] = []
        self.dormant: dict[tuple[str, str, int], Number] = {}
        self.ambiguous: tuple[Node, Number, int] | None = None
        self.sittings: list[Sitting] = []
        self.sitting: Sitting | None = None
        self.day_label: str | None = None
        self.day_date: dt.date | None = None
        self.meeting_dates: list[dt.date] = []
        self.when: When | None = None  # the surest announcement of the meeting's date
        self.year: int | None = None
        self.last_node: Node | None = None
        self.words = Words()
        self.title = ""
        self.subtitle: str | None = None
        self.venue: str | None = None
        self.symbol: str | None = None
        self.body: str | None = None
        self.annotated = 0
        self.times_inferred = 0
        self.pending_time: TimePrefix | None = None
        self.loose = False
        # (id of parent, number) -> items: finding "2. ... (continued)" must not scan siblings
        self.numbered: dict[tuple[int, str], list[Node]] = {}
        self.count = 0
        self.agenda_heading = False
        self.section: tuple[Node, Block] | None = None
        self.unread_from: int | None = None  # index of the first line after the agenda

    def doubt(self, where: str, message: str) -> None:
        self.findings.doubt(where, message)

    # -- the whole document ---------------------------------------------------------------

    def run(self) -> ImportResult:
        content = sum(1 for line in self.lines if not line.blank)
        if content > MAX_LINES:
            raise ImportFailure(
                f"{self.name}: {content} lines of text - too long for an agenda (at most {MAX_LINES})"
            )
        self.words = Words.of(self.lines)
        layout = find_layout(self.lines)
        self.loose = layout.loose
        self.agenda_heading = layout.agenda_heading
        start, first_item, end_of_items = layout.start, layout.first_item, layout.end_of_items
        annotations, end = layout.annotations, layout.end
        self.preamble(self.lines[:start] + self.lines[layout.body_start : first_item])
        for heading in (start if self.agenda_heading else None, annotations):
            if heading is not None:
                self.findings.use(self.lines[heading].where)
        switch = self.items(self.lines[first_item:end_of_items])
        annotation_lines: list[Line] = []
        if switch is not None:
            annotation_lines.extend(self.lines[first_item + switch : end_of_items])
        if annotations is not None:
            annotation_lines.extend(self.lines[annotations + 1 : end])
        if annotation_lines:
            self.annotations(annotation_lines)
        if end < len(self.lines):
            self.unread_from = end
            self.doubt(
                self.lines[end].where,
                f"{quote(self.lines[end].text)} and what follows are not read",
            )
        return self.result()

    # -- the preamble: title, dates, venue, symbol ---------------------------------------

    def preamble(self, lines: list[Line]) -> None:
        """Title, subtitle, body, dates, venue and symbol before the items (``preamble.py``)."""
        meeting = PreambleReader().read(lines)
        self.findings.used.update(meeting.used)
        self.title = meeting.title
        self.subtitle = meeting.subtitle
        self.body = meeting.body
        self.symbol = meeting.symbol
        self.venue = meeting.venue
        self.when = meeting.start
        if meeting.when is not None:
            self.meeting_dates = list(meeting.when.dates)
            self.year = self.meeting_dates[0].year

    # -- the items ------------------------------------------------------------------------

    def items(self, lines: list[Line]) -> int | None:
        """Build the tree from the agenda part; the index where annotations begin, if found."""
        if self.year is None:
            for line in lines:
                span = parse_dates(line.text) if line.text and len(line.text) < 60 else None
                if span is not None and span.year_known:
                    self.year = span.dates[0].year
                    break
        reader = BlockReader(self.words, self.year, self.loose, self.findings)
        for block in reader.blocks(lines):
            outcome = self.place(block)
            if outcome is _ANNOTATIONS:
                self.settle_section(opens_item=False)
                return block.index
        self.settle_section(opens_item=False)
        return None

    # -- placing blocks in the tree --------------------------------------------------------

    def place(self, block: Block) -> object:
        """Put one block where it belongs; returns ``_ANNOTATIONS`` when the annotations begin."""
        block.finish()
        self.settle_section(opens_item=block.kind == "entry")
        if self.place_other(block):
            return None
        if self.pending_time is not None and block.time is None:
            block.time = self.pending_time
        self.pending_time = None
        if block.time_alt and any(
            _same_series(level, reading)
            and level.last is not None
            and (_continues(level.last, reading) or _later_in_group(level.last, reading))
            for reading in block.time_alt
            for level in self.stack
        ):
            # "10.30 Title" is a time, unless it belongs to a dotted series already open
            block.readings = block.time_alt
            block.time = None
            block.key = ("text",)
        node = self.new_node(block)
        if block.key == ("break",) or (not block.readings and is_break(take_extras(block.text)[0])):
            node.kind = "break"
            self.place_break(node, block)
        elif block.readings:
            placed = self.place_numbered(block, node)
            if placed is _ANNOTATIONS:
                return _ANNOTATIONS
            if placed is None:
                self.rejected(block)
                return None
            assert isinstance(placed, Node)
            node = placed
        else:
            self.place_unnumbered(node, block)
        self.last_node = node
        if node.sitting is None and self.sitting is not None:
            node.sitting = self.sitting
            self.sitting.nodes.append(node)
        return None

    def place_other(self, block: Block) -> bool:
        """Place a block that is not an entry (a day, a time slot, a field, text); whether it
        was one."""
        if block.kind == "day":
            self.day(block)
        elif block.kind == "slot":
            assert block.time is not None
            if self.sitting is not None and not self.sitting.nodes and self.sitting.start is None:
                self.sitting.start, self.sitting.end = block.time.start, block.time.end
            else:
                self.pending_time = block.time
        elif block.kind == "field":
            self.field(block)
        elif block.kind == "text":
            self.paragraph(block)
        else:
            return False
        return True

    def new_node(self, block: Block) -> Node:
        """The item an entry block makes, before it is placed in the tree."""
        if not block.text.strip() and not block.awaiting_title:
            block.text = ""
        if block.awaiting_title:
            self.doubt(block.where, f"{quote(block.readings[0].text)} has no title")
        node = Node(
            block.where,
            block.text,
            fixed=block.fixed,
            indent=block.indent,
            minutes=block.minutes,
            presenters=list(block.presenters),
            documents=list(block.documents),
        )
        node.sources = [block.where, *block.wheres]
        if block.time is not None:
            node.start, node.end = block.time.start, block.time.end
        if block.notes:
            node.annotation.append(block.notes)
        return node

    def attach(self, node: Node, parent: Node | None) -> None:
        self.count += 1
        if self.count > MAX_ITEMS:
            raise ImportFailure(f"{self.name}: more than {MAX_ITEMS} items - not an agenda")
        node.parent = parent
        (parent.children if parent is not None else self.roots).append(node)
        if node.number is not None:
            key = (id(parent), _number_key(node.number.text))
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
            self.doubt(block.where, f"nested deeper than {MAX_DEPTH} levels - kept at that depth")
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
        self.pop_rank(block.rank)
        placed = self._continue_or_open(block, node)
        if placed is not None:
            return placed
        redone = self._backtrack(block, node, ambiguous)
        if redone is not None:
            return redone
        for reading in block.readings:
            last = self.dormant.get(reading.style)
            if last is not None and _continues(last, reading) and self.stack:
                node.number = reading
                self.child(len(self.stack) - 1, node, block, reading)
                return node
        # the same number again: "2. ... (continued)" in an afternoon, or the annotations
        for reading in block.readings:
            for depth in range(len(self.stack) - 1, -1, -1):
                if _same_series(self.stack[depth], reading):
                    return self._out_of_series(block, node, reading, depth)
        return self._first_item(block, node)

    def _continuation(self, block: Block) -> tuple[int, Number] | None:
        """The deepest open series this entry's number continues."""
        continuation: tuple[int, Number] | None = None
        for reading in block.readings:
            for depth in range(len(self.stack) - 1, -1, -1):
                level = self.stack[depth]
                if _same_series(level, reading) and level.last is not None:
                    if block.indent < level.indent and depth > 0 and self.fmt != "text":
                        continue  # left of this list: a Markdown or Word list nests by indent
                    if _continues(level.last, reading) and (
                        continuation is None or depth > continuation[0]
                    ):
                        continuation = (depth, reading)
                    break
        return continuation

    def _continue_or_open(self, block: Block, node: Node) -> Node | None:
        """Place the entry as the next of a series, or as the first of a new one under the
        current item; None when its number does neither."""
        stack = self.stack
        continuation = self._continuation(block)
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
                self.doubt(block.where, f"{quote(reading.text)} opens its series - kept as written")
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
            continued = _CONTINUED_RE.search(title) or existing.sitting is not self.sitting
            if depth == 0 and not continued and existing is not level.node:
                # the agenda again, further down: its annotations, without a heading
                return _ANNOTATIONS
            if not continued:
                self.doubt(
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
            self.doubt(
                first_where,
                f"numbered paragraphs before the agenda (to {last_where}) are not items",
            )
            self.roots.clear()
            self.numbered.clear()
            self.stack.clear()
            self.sittings_forget()
            node.number = reading
            self.child(-1, node, block, reading)
            return node
        assert level.last is not None
        if paragraph_like(title):
            return None
        before = level.last.text
        if reading.value > level.last.value or reading.kind == "dotted":
            if reading.kind != "item":
                self.doubt(
                    block.where,
                    f"{quote(reading.text)} follows {quote(before)} - kept as written",
                )
        else:
            self.doubt(
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
            self.doubt(block.where, f"the agenda starts at {quote(reading.text)}")
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
            if reading.kind == "dotted":
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
                if _same_series(level, reading) and level.rank >= block.rank
            ]
            if active and not (
                block.indent > stack[active[-1]].indent and block.indent > stack[-1].node.indent
            ):
                continue  # the same style again at the same indentation: a restart, not a child
            return len(stack) - 1, reading
        return None

    def _repeat(self, parent: Node | None, reading: Number, title: str) -> Node | None:
        """An existing sibling with this number and (ignoring "(continued)") this title."""
        wanted = _title_key(title)
        for sibling in self.numbered.get((id(parent), _number_key(reading.text)), [])[:20]:
            if sibling.parent is not parent:
                continue
            have = _title_key(sibling.title)
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
            self.doubt(
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

    def rejected(self, block: Block) -> None:
        """A number that continues nothing: the text of a paragraph, not an item."""
        number = block.readings[0].text if block.readings else ""
        text = squash(f"{number} {block.text}")
        if self.last_node is None:
            self.doubt(block.where, f"{quote(text)} is not an agenda item - left out")
            return
        if not paragraph_like(block.text):
            self.doubt(
                block.where,
                f"{quote(number)} continues no numbering - kept as text under "
                f"{self.last_node.label()}",
            )
        self.add_paragraph(self.last_node, text, block)

    def settle_section(self, *, opens_item: bool) -> None:
        """Decide what the short unnumbered line held back by ``paragraph`` was: a section
        heading ("Non-legislative activities", "AGRICULTURE") when an item follows it, else a
        note under the item before it ("Approval" above that item's documents)."""
        held, self.section = self.section, None
        if held is None:
            return
        node, block = held
        if opens_item:
            self.doubt(block.where, f"{quote(block.text)} is a section heading - left out")
            return
        self.doubt(
            block.where, f"{quote(block.text)} has no number - kept as a note under {node.label()}"
        )
        self.add_paragraph(node, block.text, block)

    def paragraph(self, block: Block) -> None:
        if self.last_node is None:
            self.doubt(block.where, f"{quote(block.text)} before the first item - left out")
            return
        node = self.last_node
        text = block.text
        if len(text) < 80 and not text.endswith(TERMINAL) and starts_upper(text):
            self.section = (node, block)  # a section heading if an item comes next
            return
        if len(text) < 80 and not text.endswith(TERMINAL) and not node.annotation:
            self.doubt(
                block.where,
                f"{quote(text)} has no number - kept as a note under {node.label()}",
            )
        self.add_paragraph(node, text, block)

    def add_paragraph(self, node: Node, text: str, block: Block) -> None:
        node.annotation.append(squash(text))
        node.sources.extend([block.where, *block.wheres])

    def field(self, block: Block) -> None:
        node = self.last_node
        if node is None:
            self.doubt(block.where, f"{quote(block.text)} before the first item - left out")
            return
        name = block.field_name or ""
        value = block.text
        node.sources.append(block.where)
        if name.startswith(("doc",)):
            found = only_documents(value) or find_documents(value) or [value]
            node.documents.extend(d for d in found if d not in node.documents)
        elif name.startswith(("duration", "time", "timebox")):
            minutes = parse_duration_text(value)
            if minutes is None:
                self.doubt(block.where, f"{quote(value)} is not a duration - left out")
            else:
                node.minutes = minutes
        else:
            node.presenters.extend(split_names(value) or [squash(value)])

    # -- days and sittings ---------------------------------------------------------------

    def day(self, block: Block) -> None:
        self.findings.use(block.where)
        heading = block.day
        assert heading is not None
        self.pop_rank(block.rank - 1 if block.rank < 100 else 100)
        while self.stack and self.stack[-1].style is None:
            self.pop_to(len(self.stack) - 2)
        is_part_only = (
            heading.part is not None and heading.day_index is None and heading.dates is None
        )
        current = self.sitting
        if is_part_only:
            part = heading.part or heading.label
            if (
                current is not None
                and not current.nodes
                and (current.day_only or "meeting" in part.lower())
            ):
                current.label = f"{current.label}, {part}"
                current.day_only = False
                if heading.slot is not None:
                    current.start, current.end = heading.slot.start, heading.slot.end
                return
            label = f"{self.day_label}, {part}" if self.day_label else part
            self.open_sitting(block.where, label, self.day_date or self._single_date(), heading)
            return
        self.day_label = heading.label
        self.day_date = self._resolve_date(block.where, heading)
        sitting = self.open_sitting(block.where, heading.label, self.day_date, heading)
        sitting.day_only = heading.part is None and heading.slot is None

    def _single_date(self) -> dt.date | None:
        return self.meeting_dates[0] if len(self.meeting_dates) == 1 else None

    def open_sitting(
        self, where: str, label: str, date: dt.date | None, heading: DayHeading
    ) -> Sitting:
        sitting = Sitting(where, label, date)
        if heading.slot is not None:
            sitting.start, sitting.end = heading.slot.start, heading.slot.end
        self.sittings.append(sitting)
        self.sitting = sitting
        return sitting

    def sittings_forget(self) -> None:
        for sitting in self.sittings:
            sitting.nodes.clear()

    def _resolve_date(self, where: str, heading: DayHeading) -> dt.date | None:
        span: DateSpan | None = heading.dates
        if span is not None and span.dates:
            date = span.dates[0]
            if not span.year_known and self.year is None:
                self.doubt(
                    where, f"{quote(heading.label)} gives no year - no sitting recorded for it"
                )
                return None
            if span.weekday is not None and date.weekday() != span.weekday:
                actual = date.strftime("%A")
                self.doubt(where, f"{quote(heading.label)}: {date} is a {actual} - date kept")
            return date
        if heading.day_index is not None:
            if 1 <= heading.day_index <= len(self.meeting_dates):
                return self.meeting_dates[heading.day_index - 1]
            self.doubt(where, f"{quote(heading.label)}: the meeting's dates are not known")
            return None
        if span is not None and span.weekday is not None:
            after = self.day_date
            for date in self.meeting_dates:
                if date.weekday() == span.weekday and (after is None or date > after):
                    return date
            self.doubt(where, f"{quote(heading.label)}: no meeting date falls on that day")
        return None

    # -- annotations ---------------------------------------------------------------------

    def annotations(self, lines: list[Line]) -> None:
        """Attach each annotation to the item whose number and title its heading repeats."""
        order = list(self.walk())
        position = {id(node): i for i, node in enumerate(order)}
        by_number: dict[str, list[Node]] = {}
        by_title: dict[str, list[Node]] = {}
        for node in order:
            if node.number is not None:
                by_number.setdefault(_number_key(node.number.text), []).append(node)
            by_title.setdefault(_title_key(self.clean_title(node)), []).append(node)
        current: Node | None = None
        last = -1
        buffer: list[str] = []
        wheres: list[str] = []
        ignored: str | None = None

        def flush() -> None:
            nonlocal ignored
            if not buffer:
                return
            text = self._joined(buffer)
            buffer.clear()
            if current is None:
                ignored = ignored or text
                wheres.clear()
                return
            current.annotation.append(text)
            current.sources.extend(wheres)
            wheres.clear()

        first_where: str | None = None
        for paragraph in _paragraphs(lines):
            index = 0
            while index < len(paragraph):
                found = self._heading(paragraph, index, by_number, by_title, position, last)
                if found is not None:
                    node, consumed, leftover = found
                    flush()
                    current, last = node, position[id(node)]
                    node.sources.extend(line.where for line in paragraph[index : index + consumed])
                    index += consumed
                    if leftover:
                        buffer.append(leftover)
                    continue
                if current is None and first_where is None:
                    first_where = paragraph[index].where
                buffer.append(paragraph[index].text)
                wheres.append(paragraph[index].where)
                index += 1
            flush()
        if ignored is not None and first_where is not None:
            self.doubt(first_where, f"{quote(ignored)} comes before any annotated item - left out")

    def _joined(self, pieces: list[str]) -> str:
        out: list[str] = []
        for piece in pieces:
            symbols = find_documents(piece[:40])
            if out and symbols and piece.startswith(symbols[0]):
                out.append("\n" + piece)  # a document list keeps one symbol per line
                continue
            drop, separator = self.words.seam(out[-1] if out else "", piece)
            if drop:
                out[-1] = out[-1][:-1]
            out.append(separator + piece.strip())
        return "".join(out).strip()

    def _heading(
        self,
        paragraph: list[Line],
        index: int,
        by_number: dict[str, list[Node]],
        by_title: dict[str, list[Node]],
        position: dict[int, int],
        last: int,
    ) -> tuple[Node, int, str] | None:
        text = paragraph[index].text
        parsed = parse_number(text)
        if parsed is not None:
            readings, rest = parsed
            candidates = by_number.get(_number_key(readings[0].text), [])
            ordered = _around(candidates, position, last)
            texts = [rest] + [line.text for line in paragraph[index + 1 : index + 4]]
            for node in ordered:
                matched = _title_prefix(self.clean_title(node), texts)
                if matched is not None:
                    return node, matched[0], matched[1]
            if candidates and len(text) < 120 and len(paragraph) == 1 and not rest.endswith("."):
                self.doubt(
                    paragraph[index].where,
                    f"{quote(text)} in the annotations does not repeat the title of item "
                    f"{readings[0].text} - kept as annotation text",
                )
            return None
        if index == 0 and len(paragraph) == 1:
            ordered = _around(by_title.get(_title_key(text), []), position, last)
            if ordered and len(_title_key(text)) > 3:
                return ordered[0], 1, ""
        return None

    # -- the result ----------------------------------------------------------------------

    def walk(self, nodes: list[Node] | None = None) -> Iterator[Node]:
        stack = list(reversed(self.roots if nodes is None else nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def clean_title(self, node: Node) -> str:
        """The item's final title: list punctuation, duration, presenters and symbols taken off."""
        if node.clean is None:
            raw = squash(node.title)
            title = strip_list_punctuation(self.extras_of(node, raw)[0])
            node.clean = title or strip_list_punctuation(raw)
        return node.clean

    @staticmethod
    def extras_of(node: Node, raw: str) -> tuple[str, Extras]:
        """``take_extras(raw)``, computed once per item: the title and its spec both need it."""
        if node.taken is None or node.taken[0] != raw:
            node.taken = (raw, take_extras(raw))
        return node.taken[1]

    def item_spec(self, node: Node) -> ItemSpec:
        """The item's spec, without its sub-items."""
        raw = squash(node.title)
        title = self.clean_title(node)
        extras = self.extras_of(node, raw)[1]
        documents = list(node.documents)
        for symbol in [*(extras.documents or []), *find_documents(title)]:
            if symbol not in documents:
                documents.append(symbol)
        annotation = "\n\n".join(p for p in node.annotation if p) or None
        if annotation:
            for symbol in find_documents(annotation):
                if symbol not in documents:
                    documents.append(symbol)
        minutes = node.minutes if node.minutes is not None else extras.minutes
        if minutes is None and node.start is not None and node.end is not None:
            span = node.end.minutes - node.start.minutes
            minutes = float(span) if span > 0 else None
        presenters = node.presenters or extras.presenters or []
        return ItemSpec(
            title=title or "(untitled)",
            annotation=annotation,
            minutes=minutes,
            documents=documents,
            presenters=presenters,
            starts_at=node.start.hhmm if node.start is not None else None,
            kind="break" if node.kind == "break" and not node.children else "item",
        )

    def result(self) -> ImportResult:
        if not self.roots:
            raise NoItems(self.name)
        self.fix_times()
        sittings = self.finish_sittings()
        items = [self.spec_of(node) for node in self.roots]
        self.unlabelled(items)
        self.dedupe(items)
        dates = set(self.meeting_dates)
        dates.update(s.date for s in sittings)
        title = self.title
        if not title:
            title = Path(self.name).stem if self.name != "<stdin>" else "Imported agenda"
            self.doubt("title", f"no meeting title found - {quote(title)} used")
        spec = AgendaFile(
            meeting=MeetingSpec(
                title=title,
                subtitle=self.subtitle,
                body=self.body,
                symbol=self.symbol,
                venue=self.venue,
                dates=sorted(dates),
            ),
            items=items,
            sittings=sittings,
        )
        self.doubt_unplaced()
        return ImportResult(
            spec, self.summary(spec), self.findings.doubts, self.fmt, self.explain()
        )

    def doubt_unplaced(self) -> None:
        """Name every line that went into no item, annotation, meeting field or other doubt."""
        covered = set(self.findings.used)
        for node in self.walk():
            covered.update(node.sources)
        for doubt in self.findings.doubts:
            covered.update(_places(doubt.split(": ", 1)[0]))
            run = re.match(r"line (\d+): .*\(to line (\d+)\)", doubt)
            if run:  # "numbered paragraphs before the agenda (to line 9)"
                covered.update(_places(f"lines {run[1]}-{run[2]}"))
        last = self.unread_from if self.unread_from is not None else len(self.lines)
        unplaced = [
            line
            for index, line in enumerate(self.lines[:last])
            if (line.text or any(line.cells or []))
            and line.where not in covered
            and not is_agenda_heading(line)
            and not ANNOTATIONS_HEADING_RE.match(line.text)
        ]
        if not unplaced:
            return
        shown = ", ".join(
            quote(line.text or " | ".join(line.cells or []), 40) for line in unplaced[:3]
        )
        more = f" and {len(unplaced) - 3} more" if len(unplaced) > 3 else ""
        self.doubt(
            _line_ranges([line.where for line in unplaced]),
            f"in no item, annotation or meeting field - left out: {shown}{more}",
        )

    def explain(self) -> list[str]:
        """Per item, in agenda order, the lines that made it (``import --explain``)."""
        out = []
        for node in self.walk():
            label = node.number.text if node.number is not None else node.fixed or "-"
            title = quote(node.clean or node.title, 50)
            out.append(f"{label} {title}: {_line_ranges(node.sources)}")
        return out

    def spec_of(self, node: Node) -> ItemSpec:
        base = self.item_spec(node)
        if base.title == "(untitled)":
            self.doubt(node.where, f"item {node.label()} has no title")
        number: str | None = None
        if node.number is not None:
            number = node.number.text
        elif node.fixed is not None:
            number = node.fixed
        spec = ItemSpec(
            title=base.title,
            number=number,
            annotation=base.annotation,
            minutes=base.minutes,
            documents=list(base.documents),
            presenters=list(base.presenters),
            starts_at=base.starts_at,
            kind=base.kind,
            sitting=node.sitting.id if node.sitting is not None and node.sitting.id else None,
            items=[self.spec_of(child) for child in node.children],
        )
        if spec.annotation:
            self.annotated += 1
        return spec

    def unlabelled(self, items: list[ItemSpec]) -> None:
        """An unnumbered item among numbered ones gets no label rather than a clashing one."""
        numbered = any(item.number for item in items)
        for item in items:
            if numbered and item.number is None and item.kind == "item":
                item.number = ""
            self.unlabelled(item.items)

    def dedupe(self, items: list[ItemSpec]) -> None:
        """Labels must be unique (case, spaces and punctuation ignored): mend the repeats.

        Labels are computed as the agenda loader computes them, parents first, so a mended
        number is in place before its sub-items' labels are formed.
        """
        seen: set[str] = set()
        todo: list[tuple[list[ItemSpec], str | None, int]] = [(items, None, 0)]
        while todo:
            siblings, parent, depth = todo.pop()
            pattern = numbering_pattern((), depth)
            numbers = own_numbers([(i.number, i.kind) for i in siblings], pattern)
            for item, own in zip(siblings, numbers, strict=True):
                label = full_label(parent, own)
                key = normalize_reference(label)
                if key and key in seen:
                    label = self._mend(item, own, parent, seen)
                    key = normalize_reference(label)
                if key:
                    seen.add(key)
                # sub-items of an unlabelled item build on the nearest label above it
                todo.append((item.items, label or parent, depth + 1))

    def _mend(self, item: ItemSpec, own: str, parent: str | None, seen: set[str]) -> str:
        plain = own.rstrip(".")
        if plain != own and plain and normalize_reference(full_label(parent, plain)) not in seen:
            # "3." in a list under item "3." reads as the item itself
            item.number = plain
            label = full_label(parent, plain)
            self.doubt("labels", f"{quote(own)} would repeat label {parent} - written {plain}")
            return label
        repeat = 2
        while normalize_reference(full_label(parent, f"{own} (repeated {repeat})")) in seen:
            repeat += 1
        item.number = f"{own} (repeated {repeat})".strip()
        label = full_label(parent, item.number)
        self.doubt("labels", f"{full_label(parent, own)} appears twice - the second is {label}")
        return label

    def fix_times(self) -> None:
        """Afternoon times written without pm; durations from consecutive start times."""
        groups: dict[int, list[Node]] = {}
        for node in self.walk():
            if node.start is not None:
                groups.setdefault(id(node.parent), []).append(node)
        for siblings in groups.values():
            previous: Node | None = None
            for node in siblings:
                assert node.start is not None
                if previous is not None and previous.start is not None:
                    before = previous.start.minutes
                    if (
                        node.start.minutes < before
                        and not node.start.explicit
                        and node.start.minutes < 12 * 60
                        and node.start.minutes + 12 * 60 >= before
                        and previous.sitting is node.sitting
                    ):
                        node.start = Clock(node.start.minutes + 720, True, False)
                        self.doubt(node.where, f"{node.start.hhmm} read as afternoon (no am/pm)")
                previous = node
            for first, second in itertools.pairwise(siblings):
                assert first.start is not None and second.start is not None
                if first.minutes is not None or first.end is not None or first.children:
                    continue
                if first.sitting is not second.sitting:
                    continue
                if take_extras(squash(first.title))[1].minutes is not None:
                    continue
                gap = second.start.minutes - first.start.minutes
                if 0 < gap <= 12 * 60:
                    first.minutes = float(gap)
                    self.times_inferred += 1

    def _announced_sitting(self) -> SittingSpec | None:
        """The one sitting a preamble announces ("Tuesday, 10 September 2002, at 3 p.m."),
        when the programme itself gives no times."""
        if self.sittings or any(node.start is not None for node in self.walk()):
            return None
        when = self.when if self.when is not None else self._opening_in_text()
        if when is None or when.start is None:
            return None
        day = when.dates[0]
        return SittingSpec(date=day, start=when.start.hhmm, id=day.isoformat())

    def _opening_in_text(self) -> When | None:
        """The opening announced in an annotation or a note ("The session will be opened ...
        on Monday, 3 March 2025, at 10 a.m."), on one of the meeting's days."""
        if not self.meeting_dates:
            return None
        texts = [text for node in self.walk() for text in node.annotation]
        texts.extend(line.text for line in self.lines if line.text)
        for text in texts:
            when = find_when(text)
            if when is not None and when.start is not None and when.dates[0] in self.meeting_dates:
                return when
        return None

    def finish_sittings(self) -> list[SittingSpec]:
        announced = self._announced_sitting()
        if announced is not None:
            return [announced]
        if not self.sittings:
            self._whole_programme_sitting()
        out: list[SittingSpec] = []
        used: set[str] = set()
        labels: set[str] = set()
        for sitting in self.sittings:
            times = self._sitting_times(sitting)
            if times is None:
                continue
            start, end = times
            sitting_id = _free_id(sitting.date.isoformat(), used)  # type: ignore[union-attr]
            label = sitting.label or None
            if label is not None:
                key = normalize_reference(label)
                if key in labels or key == normalize_reference(sitting_id):
                    label = f"{label} ({sitting_id})"
                labels.add(normalize_reference(label))
            sitting.id = sitting_id
            out.append(
                SittingSpec(
                    date=sitting.date,  # type: ignore[arg-type]
                    start=f"{start // 60:02d}:{start % 60:02d}",
                    end=f"{end // 60:02d}:{end % 60:02d}",
                    label=label,
                    id=sitting_id,
                )
            )
        return out

    def _whole_programme_sitting(self) -> None:
        """A timed programme of a one-day meeting without day headings is one sitting."""
        timed = [n for n in self.walk() if n.start is not None]
        single = self._single_date()
        if timed and single is not None:
            sitting = Sitting("programme", "", single, nodes=list(self.walk()))
            for node in self.walk():
                node.sitting = sitting
            self.sittings.append(sitting)

    def _sitting_times(self, sitting: Sitting) -> tuple[int, int] | None:
        """A sitting's start and end in minutes, from its heading or its items' times; None
        (with a doubt for a named sitting) when its date or times cannot be known."""
        nodes = [n for root in sitting.nodes for n in self.walk([root]) if n.sitting is sitting]
        starts = [n.start.minutes for n in nodes if n.start is not None]
        ends = []
        for node in nodes:
            if node.start is None:
                continue
            minutes = self.item_spec(node).minutes
            if node.end is not None:
                ends.append(node.end.minutes)
            else:
                ends.append(node.start.minutes + (int(minutes) if minutes is not None else 0))
        start = sitting.start.minutes if sitting.start is not None else min(starts, default=None)
        end = sitting.end.minutes if sitting.end is not None else max(ends, default=None)
        name = quote(sitting.label) if sitting.label else "the programme"
        if sitting.date is None:
            if sitting.label:
                self.doubt(sitting.where, f"{name}: date unknown - no sitting recorded")
            return None
        if start is None or end is None or end <= start or end >= 24 * 60:
            if sitting.label:
                self.doubt(sitting.where, f"{name} gives no times - no sitting recorded")
            return None
        return start, end

    def summary(self, spec: AgendaFile) -> list[str]:
        levels: dict[int, int] = {}
        breaks = documents = presenters = starts = durations = 0

        def count(items: list[ItemSpec], depth: int) -> None:
            nonlocal breaks, documents, presenters, starts, durations
            for item in items:
                if item.kind == "break":
                    breaks += 1
                else:
                    levels[depth] = levels.get(depth, 0) + 1
                documents += len(item.documents)
                presenters += len(item.presenters)
                starts += item.starts_at is not None
                durations += item.minutes is not None
                count(item.items, depth + 1)

        count(spec.items, 0)
        total = sum(levels.values())
        per_level = ", ".join(f"{n} at level {d + 1}" for d, n in sorted(levels.items()))
        meeting = spec.meeting
        out = [f"read {self.name} as {self.fmt}", f"meeting: {meeting.title}"]
        if meeting.subtitle:
            out.append(f"subtitle: {meeting.subtitle}")
        if meeting.dates:
            out.append("dates: " + ", ".join(d.isoformat() for d in meeting.dates))
        if meeting.body:
            out.append(f"body: {meeting.body}")
        if meeting.venue:
            out.append(f"venue: {meeting.venue}")
        if meeting.symbol:
            out.append(f"symbol: {meeting.symbol}")
        out.append(f"items: {total} ({per_level})" if total else "items: none")
        if breaks:
            out.append(f"breaks: {breaks}")
        out.append(f"annotations attached: {self.annotated}")
        out.append(f"documents: {documents}")
        if presenters:
            out.append(f"presenters: {presenters}")
        inferred = (
            f" ({self.times_inferred} from the next start time)" if self.times_inferred else ""
        )
        out.append(f"start times: {starts}, durations: {durations}{inferred}")
        if spec.sittings:
            out.append(f"sittings: {len(spec.sittings)}")
        out.append(f"doubts: {len(self.findings.doubts)}")
        return out


def _places(where: str) -> set[str]:
    """The lines a doubt names: "line 4", "lines 5-7", "paragraph 3"."""
    span = re.fullmatch(r"lines (\d+)-(\d+)", where)
    if span and int(span[2]) - int(span[1]) < MAX_LINES:
        return {f"line {n}" for n in range(int(span[1]), int(span[2]) + 1)}
    return {where}


def _line_ranges(sources: list[str]) -> str:
    """``["line 3", "line 4", "line 9"]`` -> ``"lines 3-4, 9"``; other places as they are."""
    numbers: list[int] = []
    others: list[str] = []
    for where in dict.fromkeys(sources):
        match = re.fullmatch(r"line (\d+)", where)
        if match:
            numbers.append(int(match[1]))
        else:
            others.append(where)
    runs: list[str] = []
    for value in sorted(numbers):
        if runs and runs[-1].split("-")[-1] == str(value - 1):
            runs[-1] = f"{runs[-1].split('-')[0]}-{value}"
        else:
            runs.append(str(value))
    parts = [("lines " if len(numbers) > 1 else "line ") + ", ".join(runs)] if runs else []
    return ", ".join([*parts, *others]) or "(made up from its parent)"


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """The annotations part as paragraphs of lines (a table row or a Word paragraph is one)."""
    paragraphs: list[list[Line]] = [[]]
    for line in lines:
        if line.blank or line.hard or line.cells is not None:
            if paragraphs[-1]:
                paragraphs.append([])
            if line.blank:
                continue
        if line.page_break and paragraphs[-1]:
            previous = paragraphs[-1][-1].text
            if previous.endswith(TERMINAL) and starts_upper(line.text):
                paragraphs.append([])
        text = line.text if line.cells is None else " ".join(c for c in line.cells if c)
        if line.number:
            text = f"{line.number} {text}"
        paragraphs[-1].append(Line(line.where, text, hard=line.hard))
        if line.hard:
            paragraphs.append([])
    return paragraphs


def _free_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is not in ``used`` yet (then it is)."""
    candidate = base
    counter = 2
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    used.add(candidate)
    return candidate


class NoItems(Exception):
    """Nothing in the document reads as an agenda item."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: no agenda items found")


def _labels(
    items: list[ItemSpec], parent: str | None, depth: int
) -> Iterator[tuple[ItemSpec, str]]:
    """Every item with the full label the agenda loader will give it."""
    numbers = own_numbers([(i.number, i.kind) for i in items], numbering_pattern((), depth))
    for item, own in zip(items, numbers, strict=True):
        label = full_label(parent, own)
        yield item, label
        yield from _labels(item.items, label or parent, depth + 1)


def _around(nodes: list[Node], position: dict[int, int], last: int) -> list[Node]:
    """A few candidates in agenda order: first those after the last match, then earlier ones."""
    index = bisect.bisect_right([position[id(n)] for n in nodes], last) if len(nodes) > 1 else 0
    return nodes[index : index + 6] + nodes[: min(index, 3)]


def _title_prefix(title: str, texts: list[str]) -> tuple[int, str] | None:
    """Whether the texts (a line and the lines after it) start with the title.

    Returns:
        How many lines the title took and what follows it on the last of them.
    """
    target = fold(title)
    if len(target) < 2:
        return None
    folded = ""
    for line_index, text in enumerate(texts):
        for position, ch in enumerate(text):
            folded += fold(ch)
            if not target.startswith(folded):
                return None
            if len(folded) >= len(target):
                leftover = text[position + 1 :]
                if leftover[:1].isalnum():
                    return None  # the title is only the start of a longer word
                return line_index + 1, leftover.lstrip(" .;:,-–—").strip()
    return None


def build(lines: list[Line], fmt: str, name: str, doubts: list[str]) -> ImportResult:
    """Read the agenda in a document's lines.

    Raises:
        NoItems: nothing in the document reads as an agenda item.
    """
    return Builder(lines, fmt, name, doubts).run()
