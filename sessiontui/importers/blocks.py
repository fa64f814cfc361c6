"""The second phase of building an agenda: the lines of the agenda part read into blocks.

A block is what one line opens, with the lines that wrapped into it: a candidate item (its
number readings, time, indentation, heading rank), a paragraph of text, a day heading, a
labelled field ("Documents: ...") or a time slot. Nothing here decides where an item goes in
the tree; ``tree`` does, from the blocks in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sessiontui.importers.classify import (
    FIELD_RE,
    PRESENTATION_LINE_RE,
    DayHeading,
    Number,
    Slot,
    TimePrefix,
    at_time,
    find_documents,
    find_urls,
    followed_by,
    is_attachment,
    is_break,
    is_connector,
    is_council_part,
    is_procedure,
    only_documents,
    parse_bullet,
    parse_day_heading,
    parse_duration_text,
    parse_number,
    parse_time_prefix,
    quote,
    split_names,
    squash,
    take_extras,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import agenda_heading, paragraph_like
from sessiontui.importers.source import Line
from sessiontui.importers.table import column_roles, guess_roles

TERMINAL = (".", ";", ":", "!", "?")
"""How a sentence (and so a paragraph or a complete title) ends."""
# Prefixes whose hyphen stays when a line ends on it ("co-" + "facilitators"), unless the
# document writes the joined word elsewhere; other words broken at a line end are mended.
_KEEP_HYPHEN = {"co", "non", "self", "anti", "cross", "follow", "vice", "well"}


def starts_upper(text: str) -> bool:
    """Whether the text starts as a sentence or a title does (a capital, a digit, a quote)."""
    return bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in "(\"'“‘")


@dataclass(eq=False)
class Block:
    """A candidate item, a paragraph or a heading, with the lines that wrapped into it."""

    kind: str  # entry | text | day | field | slot
    where: str
    index: int
    text: str = ""
    readings: tuple[Number, ...] = ()
    fixed: str | None = None
    time: TimePrefix | None = None
    time_alt: tuple[Number, ...] | None = None
    indent: int = 0
    key: tuple[str, ...] = ("text",)
    rank: int = 100
    hard: bool = False
    awaiting_title: bool = False
    title_below: bool = False  # the number stood alone; its title is the one line below it
    day: DayHeading | None = None
    field_name: str | None = None
    minutes: float | None = None
    presenters: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    notes: str | None = None
    more: list[str] = field(default_factory=list)  # wrapped lines, each with its separator
    wheres: list[str] = field(default_factory=list)  # where the wrapped lines come from

    @property
    def tail(self) -> str:
        """The last line so far (what decides how the next one joins)."""
        return self.more[-1] if self.more else self.text

    def extend(self, right: str, seam: tuple[bool, str]) -> None:
        """Add a wrapped line; pieces are joined once at the end (no quadratic copying)."""
        drop, separator = seam
        if drop and self.more:
            self.more[-1] = self.more[-1][:-1]
        elif drop:
            self.text = self.text[:-1]
        if self.text or self.more:
            self.more.append(separator + right.strip())
        else:
            self.text = right.strip()

    def finish(self) -> None:
        """Join the wrapped lines into the text."""
        if self.more:
            self.text = self.text + "".join(self.more)
            self.more = []


@dataclass
class Words:
    """The words a document writes, to mend a word broken at a line end as the document would."""

    vocabulary: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, lines: list[Line]) -> Words:
        """Every word of ``lines``, and those written with a hyphen."""
        words = cls()
        for line in lines:
            for word in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line.text):
                lower = word.lower()
                if "-" in lower:
                    words.hyphenated.add(lower)
                    words.vocabulary.update(lower.split("-"))
                else:
                    words.vocabulary.add(lower)
        return words

    def seam(self, left: str, right: str) -> tuple[bool, str]:
        """How a wrapped line joins the text before it: drop a line-end hyphen? what separator?

        A word hyphenated at a line end ("organi-" + "zational") is mended unless the document
        writes it with a hyphen elsewhere or it is a prefix kept hyphenated ("co-facilitators").
        """
        right = right.strip()
        match = re.search(r"([A-Za-z]+)-$", left)
        if match and right[:1].isupper():
            return False, ""  # "Secretary-" + "General"
        if match and right[:1].islower() and not left.endswith(" -"):
            first = re.match(r"[A-Za-z]+", right)
            piece = match.group(1).lower()
            tail = first.group().lower() if first else ""
            joined = piece + tail
            if f"{piece}-{tail}" in self.hyphenated or (
                piece in _KEEP_HYPHEN and joined not in self.vocabulary
            ):
                return False, ""
            return True, ""
        return False, " " if left else ""


def _ends_in_symbol(tail: str) -> bool:
    """A line of text ending in a document symbol in brackets, "… (E/CN.7/2021/2)": a line of
    a list of documents, complete (a wrapped sentence ends in words, or carries on)."""
    tail = tail.rstrip()
    if not tail.endswith(")") or "(" not in tail:
        return False
    return bool(find_documents(tail[tail.rindex("(") :]))


def ends_with_extras(tail: str) -> bool:
    """A title line that ends in what follows a title (a presenter after a dash, a duration,
    documents, a link's address) is complete: a capitalised line under it is a note on the
    item ("See the background paper."), not more of the title."""
    if find_urls(tail[-200:]) and tail.rstrip(" )>").endswith(find_urls(tail[-200:])[-1]):
        return True
    if is_attachment(tail[-200:]):
        return True  # "... PDF 210 KB": the link to its report ends the title
    if not tail.rstrip().endswith(")") and " -" not in tail and " –" not in tail:
        return False  # spare take_extras the lines that cannot end in extras
    _, extras = take_extras(tail)
    return bool(extras.presenters or extras.minutes is not None or extras.documents)


def _title_done(pending: Block, above: Line, line: Line) -> bool:
    """Whether the title of the entry above ended before ``line``, which is then no more of
    it: a note on the item, or the heading of the next part."""
    text = line.text
    return (
        pending.kind == "entry"
        and (
            pending.tail.endswith(TERMINAL)
            or pending.title_below
            or ends_with_extras(pending.tail)
            or _paragraph_after(above, line)
            # what a Council agenda prints under a title on its own line, with no blank line
            # above it: the procedure ("Approval") or the next part's heading ("Discussion
            # items (II)")
            or is_procedure(text)
            or is_council_part(text)
        )
        and starts_upper(text)
    )


def _paragraph_after(above: Line, line: Line) -> bool:
    """A paragraph under a title line that was not wrapped: the first word of the paragraph
    would have fitted on the title's line, so the title ended there ("to transact any other
    business" / "A shareholder entitled to attend ... may appoint a proxy. A proxy ...")."""
    if not paragraph_like(line.text):
        return False
    first = line.text.split(maxsplit=1)[0]
    return above.indent + len(above.text) + 1 + len(first) <= line.indent + len(line.text)


class BlockReader:
    """Reads the lines of the agenda part into blocks.

    Args:
        words: the document's words, to mend hyphenated line ends.
        year: the meeting's year, for day headings that give none.
        loose: "2 Reports" without a dot is an item number (see ``Layout.loose``).
        findings: where doubts and the lines read into no item go.
    """

    def __init__(self, words: Words, year: int | None, loose: bool, findings: Findings) -> None:
        self.words = words
        self.year = year
        self.loose = loose
        self.findings = findings

    def blocks(self, lines: list[Line]) -> Iterator[Block]:
        """Group lines into blocks: an item with its wrapped lines, a paragraph, a heading."""
        pending: Block | None = None
        gap = True
        header: dict[int, str] | None = None
        for index, line in enumerate(lines):
            if line.blank:
                gap = True
                continue
            if line.cells is not None:
                if pending is not None:
                    yield pending
                    pending = None
                header, row = self._table_line(line, index, header)
                if row is not None:
                    yield row
                gap = True
                continue
            # a table's sub-item lines (Word: "(a) ..." in an item's cell) keep its header
            header = header if line.table else None
            text = line.text
            adjacent = not gap and pending is not None and not line.hard and not pending.hard
            if adjacent and line.page_break and pending is not None:
                # a title runs on over the page's end at its own indentation, not left of
                # its number (a section heading at the margin on the next page)
                adjacent = not (
                    (pending.tail.endswith(TERMINAL) or line.indent < pending.indent)
                    and starts_upper(text)
                )
            gap = False
            if pending is not None and self._joins(pending, line, adjacent=adjacent):
                continue
            runs_on = (
                adjacent
                and pending is not None
                and pending.kind == "entry"
                and not pending.tail.endswith(TERMINAL)
            )
            if agenda_heading(text) and not line.number and not line.bullet and not runs_on:
                # "I. Provisional agenda" repeated inside the agenda part; but not the rest
                # of a title wrapped before it ("... of the Vienna Declaration and" /
                # "Programme of Action.", "... and the 2030" / "Agenda for Sustainable ...")
                self.findings.use(line.where)
                continue
            block = self.classify(line, index)
            bulleted = line.bullet or line.number is not None or parse_bullet(text) is not None
            if adjacent and pending is not None and not bulleted:
                block = _wrapped_number(block, pending, line, text)
            if block.kind == "text" and adjacent and pending is not None:
                # an EU or city agenda prints the procedure ("Approval", "Progress report")
                # or the documents on the lines under a title set below its number
                title_done = _title_done(pending, lines[index - 1], line)
                # A Documentation list prints one document a line, each ending in its symbol:
                # "Report of the Secretariat … (E/CN.7/2021/2)" / "Note by the Secretariat …".
                # So does a council's page, one attached file a line: "Appendix A - Revenue
                # budget PDF 95 KB" / "Minutes: PDF 210 KB", under a title or a paragraph.
                listed = pending.kind == "text" and (
                    _ends_in_symbol(pending.tail) or is_attachment(pending.tail)
                )
                if not title_done and not ((listed or is_attachment(text)) and starts_upper(text)):
                    pending.extend(text, self.words.seam(pending.tail, text))
                    pending.wheres.append(line.where)
                    continue
            if pending is not None:
                yield pending
            pending = block if block.kind in ("entry", "text") else None
            if pending is None:
                yield block
        if pending is not None:
            yield pending

    def _joins(self, pending: Block, line: Line, *, adjacent: bool) -> bool:
        """Whether ``line`` completes the block before it: the rest of a word hyphenated at
        the line end, or the title of a number that stood alone on its line."""
        text = line.text
        if adjacent and re.search(r"[A-Za-z]-$", pending.tail) and text[:1].islower():
            pending.extend(text, self.words.seam(pending.tail, text))
            pending.wheres.append(line.where)
            return True
        if pending.awaiting_title and self._plain(line):
            pending.wheres.append(line.where)
            pending.text = text
            pending.awaiting_title = False
            pending.title_below = True
            pending.hard = pending.hard or line.hard
            return True
        return False

    def _table_line(
        self, line: Line, index: int, header: dict[int, str] | None
    ) -> tuple[dict[int, str] | None, Block | None]:
        """A table row: the header naming the columns' roles, or an entry read with them."""
        assert line.cells is not None
        if header is None or line.header or line.where.endswith("row 1"):
            roles = column_roles(line.cells, line.header)
            if roles is not None:
                self.findings.use(line.where)  # the header naming the columns
                return roles, None
            header = header if header is not None else guess_roles(line.cells)
        return header, self._row_block(line, index, header)

    def _plain(self, line: Line) -> bool:
        text = line.text
        return bool(
            text
            and not line.number
            and not line.bullet
            and parse_number(text) is None
            and parse_time_prefix(text) is None
            and parse_bullet(text) is None
        )

    def classify(self, line: Line, index: int) -> Block:
        """What one line opens: an entry, a day heading, a labelled field or a paragraph."""
        text = line.raw if line.raw is not None else line.text  # "10   Title": spacing counts
        rank = line.heading if line.heading else 100
        block = Block("entry", line.where, index, indent=line.indent, rank=rank, hard=line.hard)
        if line.number is not None:
            return self._format_numbered(line, block, text)
        bullet = None
        if line.bullet:
            bullet = "•"
        else:
            parsed_bullet = parse_bullet(text)
            if parsed_bullet is not None:
                bullet, text = parsed_bullet
        timed = parse_time_prefix(text)
        if timed is not None and bullet is None:
            if not timed.rest:
                return Block("slot", line.where, index, time=timed)
            day = parse_day_heading(timed.rest, self.year)
            if day is not None and day.part and day.slot is None:
                return Block(
                    "day",
                    line.where,
                    index,
                    text=timed.rest,
                    day=DayHeading(day.label, day.day_index, day.dates, day.part, _slot(timed)),
                    rank=rank,
                )
        parsed = parse_number(text, loose=self.loose)
        if parsed is not None and not (timed is not None and not timed.start.dotted):
            if timed is not None:
                block.time_alt = parsed[0]
            else:
                block.readings = parsed[0]
                block.text = parsed[1]
                block.awaiting_title = not parsed[1]
                if bullet is not None:
                    block.indent = line.indent
                self._timed(block)
                return block
        if timed is not None:
            block.time = timed
            block.key = ("time",)
            inner = parse_number(timed.rest)
            if inner is not None and inner[1]:
                block.readings = inner[0]
                block.text = inner[1]
            else:
                block.text = timed.rest
            self._columns(block)
            return block
        if bullet is not None:
            block.key = ("bullet", bullet)
            block.text = text
            return block
        return self._unnumbered(line, block, squash(text))

    def _format_numbered(self, line: Line, block: Block, text: str) -> Block:
        """A line the format numbered (a Markdown ordered list, Word automatic numbering)."""
        assert line.number is not None
        parsed = parse_number(line.number + " x")
        if parsed is None and line.number.isdigit() and len(line.number) < 5:
            # Word's lvlText "%1": a bare counter, the parent of "%1.%2" children
            parsed = ((Number(line.number, "arabic", "{}", int(line.number)),), "x")
        if parsed is not None and parsed[1] == "x":
            # Word said which counter it is: "V." of an upperRoman list is five, not "V"
            kinds = ("dotted", "arabic") if line.number_kind == "arabic" else (line.number_kind,)
            hinted = tuple(r for r in parsed[0] if r.kind in kinds)
            block.readings = hinted if line.number_kind and hinted else parsed[0]
        else:
            block.fixed = line.number
            block.key = ("list", str(line.indent))
        block.text = text
        self._timed(block)
        return block

    def _unnumbered(self, line: Line, block: Block, text: str) -> Block:
        """A line without number, bullet or time: a day heading, a break, a field, a heading
        or text."""
        index, rank = block.index, block.rank
        if is_connector(text):
            return Block("connector", line.where, index, text=text)
        if (timed := at_time(text)) is not None:
            return Block("slot", line.where, index, time=timed)  # "At 12.30pm"
        if (stage := followed_by(text)) is not None:
            # the next stage of the running order, as a timed stage is: an item in sequence
            block.text = stage
            block.key = ("time",)
            return block
        if len(text) <= 90:
            day = parse_day_heading(_PROGRAMME_PREFIX_RE.sub("", text), self.year)
            if day is not None:
                return Block("day", line.where, index, text=text, day=day, rank=rank)
        if is_break(text) and len(text) < 60:
            block.text = text
            block.key = ("break",)
            return block
        if not line.heading and only_documents(text):
            # "10725/24" or "A71/4, A71/5" on a line of its own under a title
            return Block("field", line.where, index, text=text, field_name="documents")
        field_match = FIELD_RE.match(text) or PRESENTATION_LINE_RE.match(text)
        if field_match:
            return Block(
                "field",
                line.where,
                index,
                text=field_match["value"] or field_match["value2"],
                field_name=(field_match["field"] or "presenters").lower(),
            )
        if line.heading:
            block.key = ("h", str(line.heading))
            block.text = text
            return block
        return Block("text", line.where, index, text=text, indent=line.indent, hard=line.hard)

    def _columns(self, block: Block) -> None:
        """A programme typed as columns: "09:00   Welcome   Ana Ruiz   15 min"."""
        columns = [c.strip() for c in re.split(r"\s{3,}", block.text) if c.strip()]
        if len(columns) < 2:
            return
        title = [columns[0]]
        for column in columns[1:]:
            minutes = parse_duration_text(column)
            documents = only_documents(column)
            names = split_names(column)
            if minutes is not None and block.minutes is None:
                block.minutes = minutes
            elif documents:
                block.documents.extend(d for d in documents if d not in block.documents)
            elif names and not block.presenters:
                block.presenters = names
            else:
                title.append(column)
        block.text = " ".join(title)

    def _timed(self, block: Block) -> None:
        """A time right after the number: "1. 09:00 Opening"."""
        timed = parse_time_prefix(block.text)
        if timed is not None and timed.rest and not timed.start.dotted:
            block.time = timed
            block.text = timed.rest

    def _row_block(self, line: Line, index: int, roles: dict[int, str] | None) -> Block | None:
        cells = line.cells or []
        roles = roles or {}
        values: dict[str, str] = {}
        others: list[str] = []  # cells of no column the row is read by: kept as its note
        for position, cell in enumerate(cells):
            role = roles.get(position)
            if role and cell and role not in values:
                values[role] = cell
            elif cell:
                others.append(cell)
        title = values.get("title", "")
        if not title:
            if any(cells):
                self.findings.doubt(line.where, "a table row without a topic - left out")
            return None
        block = Block("entry", line.where, index, key=("row",), hard=True, text=title)
        _row_number(block, values.get("number"), title)
        self._row_times(block, values, line.where)
        if values.get("presenter"):
            who = values["presenter"]
            names = split_names(who) or [
                p.strip() for p in re.split(r"\s*(?:;|/|&|\band\b)\s*", who) if p.strip()
            ]
            block.presenters = names
        if values.get("documents"):
            block.documents = find_documents(values["documents"]) or [
                p.strip() for p in re.split(r"[,;]", values["documents"]) if p.strip()
            ]
        notes = [values["notes"]] if values.get("notes") else []
        block.notes = "; ".join(notes + others) or None
        return block

    def _row_times(self, block: Block, values: dict[str, str], where: str) -> None:
        """A table row's time, end and duration columns."""
        if "time" in values:
            timed = parse_time_prefix(values["time"])
            if timed is not None and not timed.rest:
                block.time = timed
            else:
                self.findings.doubt(where, f"{quote(values['time'])} is not a time - left out")
        if "end" in values and block.time is not None:
            end = parse_time_prefix(values["end"])
            if end is not None and not end.rest:
                block.time = TimePrefix(block.time.start, end.start, "")
        if "duration" in values:
            minutes = parse_duration_text(values["duration"])
            if minutes is None:
                self.findings.doubt(
                    where, f"{quote(values['duration'])} is not a duration - left out"
                )
            block.minutes = minutes


def _wrapped_number(block: Block, pending: Block, line: Line, text: str) -> Block:
    """A number inside a wrapped title ("... under article\n12 of the Convention") is text."""
    lower = block.text[:1].islower()
    if block.kind == "entry" and block.readings and lower and not pending.tail.endswith(TERMINAL):
        return Block("text", line.where, block.index, text=text, indent=line.indent)
    return block


def _row_number(block: Block, number: str | None, title: str) -> None:
    """A table row's number: from its number column, else printed before its title."""
    if number:
        if number.isdigit():
            block.readings = (Number(number, "arabic", "{}", int(number)),)
            return
        parsed = parse_number(number + " x")
        if parsed is not None and parsed[1] == "x":
            block.readings = parsed[0]
        else:
            block.fixed = number
        return
    parsed = parse_number(title)
    if parsed is not None and parsed[1]:
        block.readings, block.text = parsed


# "Programme — Wednesday, 8 October 2025": the day heading of a programme
_PROGRAMME_PREFIX_RE = re.compile(
    r"(?i)^(?:programme|program|agenda|schedule|timetable|ordre du jour|tagesordnung|programa)"
    r"\s*(?:--|[-–—:])\s*"
)


def _slot(timed: TimePrefix) -> Slot:
    return Slot(timed.start, timed.end)
