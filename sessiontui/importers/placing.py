"""Placing the blocks of the agenda part: items into the tree, the rest where it belongs.

Entries go to the tree (``tree``); a day heading opens a sitting (``sittings``); a field
("Documents: ...") or a paragraph goes to the item before it; a short unnumbered line is held
until what follows shows whether it was a section heading or a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sessiontui.importers.blocks import TERMINAL, Block, BlockReader, Words, starts_upper
from sessiontui.importers.classify import (
    TimePrefix,
    asks_questions,
    attachment_line,
    debate_subject,
    find_documents,
    is_adjournment_debate,
    is_attachment,
    is_break,
    is_council_part,
    is_oral_question,
    is_procedural,
    is_procedure,
    is_stage,
    only_documents,
    parse_dates,
    parse_duration_text,
    quote,
    split_names,
    squash,
    strip_sentence_marks,
    take_extras,
    until_time,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import Layout, paragraph_like
from sessiontui.importers.nodes import Node, Sitting
from sessiontui.importers.sittings import Days
from sessiontui.importers.source import Line
from sessiontui.importers.tree import ANNOTATIONS, Tree, continues, later_in_group, same_series


@dataclass
class Placed:
    """The items and sittings of the agenda part.

    Attributes:
        roots: the top-level items.
        sittings: the sittings the day headings opened, in order.
        switch: where in the agenda part the agenda starts again (its annotations), if it does.
    """

    roots: list[Node]
    sittings: list[Sitting]
    switch: int | None


def place_items(
    lines: list[Line],
    *,
    layout: Layout,
    words: Words,
    fmt: str,
    name: str,
    meeting_dates: list[dt.date],
    year: int | None,
    findings: Findings,
) -> Placed:
    """Build the tree from the agenda part's lines."""
    if year is None:
        for line in lines:
            span = parse_dates(line.text) if line.text and len(line.text) < 60 else None
            if span is not None and span.year_known:
                year = span.dates[0].year
                break
    days = Days(meeting_dates, year, findings)
    tree = Tree(fmt, name, layout.agenda_heading, days, findings)
    placer = Placer(tree, days, findings)
    switch: int | None = None
    for block in BlockReader(words, year, layout.loose, findings).blocks(lines):
        if placer.place(block) is ANNOTATIONS:
            switch = block.index
            break
    else:
        placer.settle_lettered(None)
    placer.settle_section(opens_item=False)
    return Placed(tree.roots, days.sittings, switch)


def heading_before(lines: list[Line], findings: Findings) -> None:
    """The last line between the agenda heading and the first item, when the preamble did not
    read it and it reads as a heading ("PART I. PROCEDURAL MATTERS"): the first section
    heading, named as the later ones are."""
    for line in lines:
        if line.text and line.where not in findings.used and is_council_part(line.text):
            # "Legislative deliberations" above the first item, whatever follows it
            findings.doubt(line.where, f"{quote(line.text)} is a section heading - left out")
            findings.use(line.where)
    last = next((line for line in reversed(lines) if not line.blank), None)
    if last is None or last.where in findings.used or not last.text or last.cells is not None:
        return
    if "   " in (last.raw or last.text).strip() or last.header:
        return  # "Item   Title   Documents": the heads of columns, not a section
    text = last.text.strip()
    if len(text) < 80 and not text.endswith(TERMINAL) and starts_upper(text):
        findings.doubt(last.where, f"{quote(text)} is a section heading - left out")


class Placer:
    """Where the next block goes: the item before it, a time slot waiting for its item, and a
    short line held back until the next block shows what it was."""

    def __init__(self, tree: Tree, days: Days, findings: Findings) -> None:
        self.tree = tree
        self.days = days
        self.findings = findings
        self.last_node: Node | None = None
        self.pending_time: TimePrefix | None = None
        self.pending_where = ""  # the line that gave the time
        self.section: tuple[Node, Block] | None = None
        self.lettered: Block | None = None

    def place(self, block: Block) -> object:
        """Put one block where it belongs; returns ``ANNOTATIONS`` when the annotations begin."""
        block.finish()
        if self.settle_lettered(block) is ANNOTATIONS:
            return ANNOTATIONS
        if self.lettered_heading(block):
            self.lettered = block  # a section heading if the next item continues the numbers
            return None
        return self.place_block(block)

    def lettered_heading(self, block: Block) -> bool:
        """Whether an entry lettered "A." or "II." may be a section heading: it continues no
        open series and stands at the left of the top-level items, after one that does not
        announce sub-items with ":"."""
        stack = self.tree.stack
        if block.kind != "entry" or not block.readings or not stack or stack[0].last is None:
            return False
        if any(
            reading.kind not in ("upper", "rupper") or reading.prefix for reading in block.readings
        ):
            return False  # "3.A." names its item: a sub-item, never a section heading
        top, last = stack[0].node, self.last_node
        return (
            self.tree.continuation(block) is None
            and block.indent <= top.indent
            and (last is None or block.indent <= last.indent)
            and not (last or top).title.rstrip().endswith(":")
        )

    def settle_lettered(self, following: Block | None) -> object:
        """Decide what the lettered line held back by ``place`` was: a section heading ("A.
        Promotion of sustained economic growth") when the entry after it continues the
        top-level numbers across it (4., A., 5.), else an item as any other."""
        held, self.lettered = self.lettered, None
        if held is None:
            return None
        level = self.tree.stack[0]
        if (
            following is not None
            and following.kind == "entry"
            and level.last is not None
            and any(
                same_series(level, reading) and continues(level.last, reading)
                for reading in following.readings
            )
        ):
            number = held.readings[0].text
            self.findings.doubt(
                held.where,
                f"{quote(squash(f'{number} {held.text}'))} is a section heading - left out",
            )
            return None
        return self.place_block(held)

    def place_block(self, block: Block) -> object:
        """Place one block that is not held back."""
        self.settle_section(opens_item=block.kind == "entry", following=block)
        if self.place_other(block):
            return None
        self.take_pending_time(block)
        if block.time_alt and any(
            same_series(level, reading)
            and level.last is not None
            and (continues(level.last, reading) or later_in_group(level.last, reading))
            for reading in block.time_alt
            for level in self.tree.stack
        ):
            # "10.30 Title" is a time, unless it belongs to a dotted series already open
            block.readings = block.time_alt
            block.time = None
            block.key = ("text",)
        last = self.last_node
        if block.key[0] == "bullet" and last and last.number and is_procedure(block.text):
            self.add_paragraph(last, block.text, block)  # "a) Key messages" / "- Adoption"
            return None
        if last is not None and block.readings and self.question_under(last, asked(block)):
            self.add_paragraph(last, asked(block), block)  # "1. Sir Edward Leigh (...): What"
            return None
        node = self.new_node(block)
        if block.key == ("break",) or (not block.readings and is_break(take_extras(block.text)[0])):
            node.kind = "break"
            self.tree.place_break(node, block)
        elif block.readings:
            placed = self.tree.place_numbered(block, node)
            if placed is ANNOTATIONS:
                return ANNOTATIONS
            if placed is None:
                self.rejected(block)
                return None
            assert isinstance(placed, Node)
            node = placed
        else:
            self.tree.place_unnumbered(node, block)
        self.placed(node)
        return None

    def take_pending_time(self, block: Block) -> None:
        """Give an entry the time printed alone above it ("15:00", "At 12.30pm")."""
        if self.pending_time is not None and block.time is None:
            block.time = self.pending_time
            self.findings.use(self.pending_where)
        self.pending_time = None

    def placed(self, node: Node) -> None:
        """An item placed: the item before what follows, in the sitting open."""
        self.last_node = node
        self.tree.after_section = False  # only the entry right after the heading opens its list
        if node.sitting is None and self.days.current is not None:
            node.sitting = self.days.current
            self.days.current.nodes.append(node)

    def place_other(self, block: Block) -> bool:
        """Place a block that is not an entry (a day, a time slot, a field, text); whether it
        was one."""
        if block.kind == "day":
            self.day(block)
        elif block.kind == "slot":
            assert block.time is not None
            if (
                self.days.current is not None
                and not self.days.current.nodes
                and self.days.current.start is None
            ):
                self.days.current.start, self.days.current.end = block.time.start, block.time.end
            else:
                self.pending_time, self.pending_where = block.time, block.where
        elif block.kind == "field":
            self.field(block)
        elif block.kind == "text":
            self.paragraph(block)
        elif block.kind == "connector":
            self.findings.use(block.where)  # "Followed by": the next stage is an item's
        else:
            return False
        return True

    def new_node(self, block: Block) -> Node:
        """The item an entry block makes, before it is placed in the tree."""
        if not block.text.strip() and not block.awaiting_title:
            block.text = ""
        if block.awaiting_title:
            self.findings.doubt(block.where, f"{quote(block.readings[0].text)} has no title")
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

    def rejected(self, block: Block) -> None:
        """A number that continues nothing: the text of a paragraph, not an item."""
        number = block.readings[0].text if block.readings else ""
        text = squash(f"{number} {block.text}")
        if self.last_node is None:
            self.findings.doubt(block.where, f"{quote(text)} is not an agenda item - left out")
            return
        if not paragraph_like(block.text):
            self.findings.doubt(
                block.where,
                f"{quote(number)} continues no numbering - kept as text under "
                f"{self.last_node.label()}",
            )
        self.add_paragraph(self.last_node, text, block)

    def settle_section(self, *, opens_item: bool, following: Block | None = None) -> None:
        """Decide what the short unnumbered line held back by ``paragraph`` was: a section
        heading ("Non-legislative activities", "AGRICULTURE") when an item follows it, else a
        note under the item before it ("Approval" above that item's documents).

        A stage of an order of business with its business under it ("Adjournment Debate" over
        the debate's time and subject, "Oral Questions to the Secretary of State for
        Transport" over the questions) is an item of its own, unless another stage follows
        it ("Questions" above "Oral Questions to ..."): then it heads that one's section.
        """
        held, self.section = self.section, None
        if held is None:
            return
        node, block = held
        if (
            following is not None
            and following.kind == "entry"
            and asks_questions(block.text)
            and is_oral_question(asked(following))
        ):
            self.stage(block)  # "Questions to the Prime Minister" over "1. Jane Smith (...): ..."
            return
        if opens_item or (is_stage(block.text) and self.held_stage(following)):
            self.findings.doubt(block.where, f"{quote(block.text)} is a section heading - left out")
            self.tree.after_section = True
            return
        if is_stage(block.text) and following is not None:
            self.stage(block)
            return
        self.findings.doubt(
            block.where, f"{quote(block.text)} has no number - kept as a note under {node.label()}"
        )
        self.add_paragraph(node, block.text, block)

    def held_stage(self, block: Block | None) -> bool:
        """Whether a block is a stage of business ``paragraph`` will hold back in its turn."""
        return (
            block is not None
            and block.kind == "text"
            and self.holds(block.text)
            and is_stage(block.text)
        )

    def stage(self, block: Block) -> None:
        """A stage of an order of business as an unnumbered item, at the time announced for
        it ("At 12.30pm" above "Urgent Questions and Statements")."""
        block.kind, block.key = "entry", ("time",)
        self.take_pending_time(block)
        node = self.new_node(block)
        self.tree.place_unnumbered(node, block)
        self.placed(node)

    @staticmethod
    def question_under(node: Node, text: str) -> bool:
        """Whether a line is one of the questions to a minister listed under that stage."""
        return (
            node.number is None
            and asks_questions(node.title)
            and is_oral_question(text)
            and not is_stage(text)
        )

    @staticmethod
    def holds(text: str) -> bool:
        """Whether a line of text is short enough and unended: a section heading if an item
        comes next (a line naming a document never is)."""
        ended = strip_sentence_marks(text).endswith(TERMINAL)
        document = bool(find_documents(text)) or is_attachment(text)
        return len(text) < 80 and not ended and starts_upper(text) and not document

    def paragraph(self, block: Block) -> None:
        if self.last_node is None and is_procedural(block.text):
            # "Opening of the session" above item 1: the meeting's first item, and the
            # numbered list after it its siblings, not its sub-items
            self.stage(block)
            self.tree.after_section = True
            return
        if self.last_node is None:
            self.findings.doubt(
                block.where, f"{quote(block.text)} before the first item - left out"
            )
            return
        node = self.last_node
        text = attachment_line(block.text)
        until = until_time(text)
        if until is not None:
            # "Until 7.00pm (Standing Order No. 14(2)(a))": when the item's business ends; the
            # line stays its note for the rule it cites
            node.end = node.end or until
            self.add_paragraph(node, text, block)
            return
        if is_procedure(text):
            # "Approval", "= Exchange of views": what is to be done with the item, never a
            # section heading for the item after it
            self.add_paragraph(node, text, block)
            return
        if self.question_under(node, text):
            self.add_paragraph(node, text, block)  # "1 Jane Smith (Northtown): What steps ..."
            return
        if (
            node.number is None
            and is_adjournment_debate(node.title)
            and not text.endswith(TERMINAL)
        ):
            # the debate's subject is what the record names it by: "Adjournment Debate: Flood
            # defences in the Ouse valley", raised by the Member after the colon
            subject, members = debate_subject(text)
            node.title = f"{node.title}: {subject}"
            node.presenters.extend(members)
            node.sources.extend([block.where, *block.wheres])
            return
        # a sentence ends at its stop, before the number of its footnote ("(2019).1")
        ended = strip_sentence_marks(text).endswith(TERMINAL)
        # A short line naming a document ("Note by the Secretariat (E/CN.7/2021/3)" in a
        # Documentation list, "Minutes: PDF 210 KB" on a council's page) is the item's, never
        # a section heading to leave out; nor a note in doubt.
        if self.holds(text):
            self.section = (node, block)  # a section heading if an item comes next
            return
        if len(text) < 80 and not ended and not node.annotation and not is_attachment(text):
            self.findings.doubt(
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
            self.findings.doubt(
                block.where, f"{quote(block.text)} before the first item - left out"
            )
            return
        name = block.field_name or ""
        value = block.text
        node.sources.append(block.where)
        if name.startswith(("doc", "документ")):
            found = only_documents(value) or find_documents(value) or [value]
            node.documents.extend(d for d in found if d not in node.documents)
        elif name.startswith(("duration", "time", "timebox")):
            minutes = parse_duration_text(value)
            if minutes is None:
                self.findings.doubt(block.where, f"{quote(value)} is not a duration - left out")
            else:
                node.minutes = minutes
        else:
            node.presenters.extend(split_names(value) or [squash(value)])

    def day(self, block: Block) -> None:
        """A day or part-of-day heading: it closes open lists and opens a sitting."""
        self.findings.use(block.where)
        assert block.day is not None
        self.tree.close_for_day(block.rank)
        self.days.heading(block.where, block.day)


def asked(block: Block) -> str:
    """An entry's line as printed, its number in front: "1. Sir Edward Leigh (Gainsborough): ..."."""
    number = block.readings[0].text if block.readings else ""
    return squash(f"{number} {block.text}")
