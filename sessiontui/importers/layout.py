"""The first phase of building an agenda: where in a document the agenda's parts lie.

Where the preamble ends and the items begin (after an agenda heading, or at the first line that
reads as an item), where the items end, where an annotations part begins and where the document
stops being an agenda (footnotes, "Adjournment", the next Markdown section).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sessiontui.importers.classify import (
    AFTER_AGENDA_RE,
    ANNOTATIONS_HEADING_RE,
    END_HEADING_RE,
    FOOTNOTE_RULE,
    LANGUAGE_CODE_RE,
    MASTHEAD_ITEM_RE,
    MASTHEAD_RE,
    MASTHEAD_ZONE,
    Number,
    heads_agenda,
    is_oral_question,
    parse_bullet,
    parse_day_heading,
    parse_number,
    parse_time_prefix,
    squash,
)
from sessiontui.importers.source import Line
from sessiontui.importers.when import find_when

# "The provisional agenda ... is as follows:" introduces the agenda as a heading would
AS_FOLLOWS_RE = re.compile(
    r"(?i)\b(?:(?:is|are|was|were|reads?)\s+as\s+follows|lautet\s+wie\s+folgt|"
    r"est\s+(?:le|la)\s+suivante?|es\s+(?:el|la)\s+siguiente)\s*:\s*$"
)


@dataclass(frozen=True)
class Layout:
    """Where the parts of the agenda lie, as indexes into the document's lines.

    Attributes:
        start: the agenda heading, or the first line that opens the items.
        agenda_heading: whether ``start`` is an agenda heading ("Provisional agenda").
        first_item: the first line of the items (after what an EU agenda prints under its
            heading: the meeting's name, date and room, which belong to the preamble).
        end_of_items: the line after the items.
        annotations: the heading of the annotations part, if there is one.
        end: the first line that is no longer read (footnotes, the next section).
        loose: "2 Reports" without a dot is an item number (the document numbers "2.1").
        annotations_only: the document lists no agenda before its annotations (a UN
            addendum "Annotations to the provisional agenda"): the headings of the
            annotations are the items.
    """

    start: int
    agenda_heading: bool
    first_item: int
    end_of_items: int
    annotations: int | None
    end: int
    loose: bool
    annotations_only: bool = False

    @property
    def body_start(self) -> int:
        """The line after the agenda heading, or the start when there is none."""
        return self.start + 1 if self.agenda_heading else self.start


def paragraph_like(text: str) -> bool:
    """Prose rather than a title: long, with sentences inside or a full stop at the end."""
    text = squash(text)
    if len(text) > 400:
        return True
    if len(text) > 80 and re.search(r"[a-z]{3}[.!?]\s+[A-Z]", text):
        return True
    return len(text) > 220 and text.endswith(".")


def agenda_heading(text: str) -> bool:
    """ "Provisional agenda", "I. Agenda"; but "IV. Provisional agenda for the next session" is
    an item."""
    if len(text) >= 120 or not heads_agenda(text):
        return False
    return not (parse_number(text) and re.search(r"(?i)\bfor\b", text))


def is_agenda_heading(line: Line) -> bool:
    """Whether the line heads the agenda: "Provisional agenda", "... is as follows:" (also
    as a paragraph Word numbers: "2. The provisional agenda ... is as follows:")."""
    if line.cells is not None or line.bullet or parse_bullet(line.text) is not None:
        return False
    if AS_FOLLOWS_RE.search(line.text) is not None:
        return True
    return not line.number and agenda_heading(line.text)


def _line_number(line: Line) -> tuple[tuple[Number, ...], str] | None:
    """The number of a line, printed (text) or supplied by the format (Word's numbering)."""
    if line.number:
        parsed = parse_number(line.number)
        return (parsed[0], line.text) if parsed is not None else None
    return parse_number(line.text)


def _sitting_line(text: str) -> bool:
    """A day heading or a time alone on its line, above a sitting's items."""
    timed = parse_time_prefix(text)
    return (timed is not None and not timed.rest) or parse_day_heading(text, None) is not None


def _annotations_heading(line: Line) -> bool:
    """ "Annotations", "Annotations to the provisional agenda" as a line of its own."""
    return (
        line.cells is None
        and len(line.text) <= 100
        and bool(ANNOTATIONS_HEADING_RE.match(line.text))
    )


def _numbered_headings(lines: list[Line]) -> bool:
    """Whether the document's headings number items with bare numbers: "# 1 Opening" then
    "# 2 Minutes" (a heading "## 2026 budget" alone is not an item numbered 2026)."""
    numbers = [
        parsed[0][0].value
        for line in lines
        if line.heading and (parsed := parse_number(line.text, loose=True)) is not None
    ]
    return any(first == 1 and second == 2 for first, second in itertools.pairwise(numbers))


_MIN_COUNTED = 3


def _counted_lines(lines: list[Line]) -> bool:
    """Whether lines start with bare numbers counting up from 1, one space before the title,
    as a web page or a PDF without its layout gives an IMO agenda ("1 Adoption of the
    agenda" / "2 Decisions of other IMO bodies" / "3 ..."): the numbers are the items'."""
    numbers = [
        parsed[0][0].value
        for line in lines
        if line.text
        and not line.heading
        and parse_number(line.text) is None
        and not is_oral_question(line.text)  # "1 Jane Smith (Northtown)": a question
        and (parsed := parse_number(line.text, loose=True)) is not None
        and parsed[0][0].kind == "arabic"
    ]
    return any(
        run == list(range(1, _MIN_COUNTED + 1))
        for run in (numbers[i : i + _MIN_COUNTED] for i in range(len(numbers)))
    )


def find_layout(lines: list[Line]) -> Layout:
    """Where the items, the annotations and the end of the agenda are in ``lines``."""
    return _Finder(lines).layout()


class _Finder:
    """The state of the search: the lines, and the first heading once it is needed."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.first_heading: Line | None = None
        # "2 Reports" is an item number only where dotted numbers ("2.1") show the style, or
        # where headings are numbered so ("# 1 Opening", "# 2 Minutes")
        self.loose = (
            any(
                (parsed := parse_number(line.text)) is not None and parsed[0][0].kind == "dotted"
                for line in lines
                if line.text
            )
            or _numbered_headings(lines)
            or _counted_lines(lines)
        )
        texts = (index for index, line in enumerate(lines) if not line.blank)
        self.masthead_zone = set(itertools.islice(texts, MASTHEAD_ZONE))

    def layout(self) -> Layout:
        start, end_of_items, annotations, end = self.regions()
        heading = start < len(self.lines) and is_agenda_heading(self.lines[start])
        body_start = start + 1 if heading else start
        # an EU agenda names the meeting, its date and room under "PROVISIONAL AGENDA"
        first_item = next(
            (i for i in range(body_start, end_of_items) if self._body_starts(i)), body_start
        )
        alone = annotations
        if alone is None and not heading:
            # the first list comes after the annotations heading: "## Annotations to the
            # provisional agenda" / "### 1. Opening of the session"
            alone = next(
                (i for i in range(start - 1, -1, -1) if _annotations_heading(self.lines[i])), None
            )
        if alone is not None and not any(map(self._lists, range(start, alone))):
            # all before the annotations is the preamble; their headings are the items
            after = alone + 1
            return Layout(alone, True, after, after, alone, end, self.loose, True)
        return Layout(start, heading, first_item, end_of_items, annotations, end, self.loose)

    def _lists(self, index: int) -> bool:
        """Whether the line is an entry of a list: numbered, bulleted or a table row."""
        line = self.lines[index]
        if line.cells is not None or line.number or line.bullet:
            return True
        parsed = parse_number(line.spaced) if line.text else None
        return bool(parsed and parsed[1]) or parse_bullet(line.text) is not None

    def _opens_items(self, index: int) -> bool:
        """An item-like line or a number alone on its line ("1." above its title), but not the
        announcement of the meeting ("Monday, January 12, 2026 – 7:00 PM"), which reads like
        a programme's day heading."""
        line = self.lines[index]
        if MASTHEAD_ITEM_RE.match(line.text):
            return False  # "Agenda item 1" above the symbol: the masthead's, not an item
        if line.text and (parsed := parse_number(line.text)) is not None and not parsed[1]:
            return True
        if not self._item_like(index):
            return False
        if line.number or line.cells is not None or parse_number(line.spaced) is not None:
            return True
        when = find_when(line.text)
        return when is None or when.start is None

    def _body_starts(self, index: int) -> bool:
        """Whether the agenda's body begins here: any numbered or listed line, a table row."""
        line = self.lines[index]
        if line.cells is not None or line.number or line.bullet or line.heading:
            return True
        text = line.text
        return bool(text) and (
            parse_number(line.spaced, loose=self.loose) is not None
            or parse_bullet(text) is not None
            or parse_time_prefix(text) is not None
            or self._item_like(index)
        )

    def _is_agenda_heading(self, index: int) -> bool:
        return is_agenda_heading(self.lines[index])

    def regions(self) -> tuple[int, int, int | None, int]:
        """Where the items start, where they end, the annotations heading, the end."""
        start = self._start()
        count = len(self.lines)
        annotations: int | None = None
        end = count
        for index in range(start + 1, count):
            line = self.lines[index]
            if line.cells is not None or len(line.text) > 100:
                continue
            if FOOTNOTE_RULE.fullmatch(line.text):
                # the rule above the last page's footnotes (a rule the document goes on
                # after left with its notes: ``text.notes_the_text_goes_on_after``)
                end = index
                break
            if annotations is None and _annotations_heading(line):
                annotations = index
            elif (
                END_HEADING_RE.match(line.text)
                and (index == 0 or self.lines[index - 1].blank or self.lines[index - 1].hard)
                # "Additional documents:" announces the appendices listed under it, one a line
                and not (index and self._lists_appendices(self.lines[index - 1]))
                and not parse_number(line.text)
            ) or AFTER_AGENDA_RE.match(line.text):
                end = index
                break
        end = min(end, self._next_section(start, end))
        if annotations is not None and annotations >= end:
            annotations = None
        return start, annotations if annotations is not None else end, annotations, end

    @staticmethod
    def _lists_appendices(above: Line) -> bool:
        """Whether the line above an "Appendix ..." line makes it an entry of a list (a line
        ending in ":", or an appendix of the list above) rather than a heading of its own."""
        return above.text.endswith(":") or bool(END_HEADING_RE.match(above.text))

    def _start(self) -> int:
        """The agenda heading, else the first line that opens the items."""
        count = len(self.lines)
        start: int | None = None
        for index in range(count):
            if self._is_agenda_heading(index):
                # the last agenda heading before the first item ("Provisional agenda and
                # annotations" as the document title, then "I. Provisional agenda"); items
                # before it are numbered paragraphs of an introduction when the numbering
                # starts again at 1 after it
                if (
                    start is None
                    or not any(map(self._item_like, range(start + 1, index)))
                    or self._numbering_restarts(start, index)
                ):
                    start = index
                else:
                    break
        if start is None:
            start = next((i for i in range(count) if self._opens_items(i)), count)
        return start

    def _next_section(self, start: int, end: int) -> int:
        """Under a Markdown or Word heading "Agenda" listing its items, the next heading of its
        level or above ("## Minutes") ends the agenda."""
        if start >= len(self.lines) or not self.lines[start].heading:
            return end
        if not self._is_agenda_heading(start):
            return end  # the heading is the first item ("## Administrivia")
        level = self.lines[start].heading
        listed = False
        for index in range(start + 1, end):
            line = self.lines[index]
            if line.heading and ANNOTATIONS_HEADING_RE.match(line.text):
                # "## Annotations" continues the agenda it annotates: the next section is
                # the heading after it
                continue
            if line.heading and line.heading <= level:
                if listed and parse_number(line.text) is None:
                    return index
                return end
            listed = listed or line.number is not None or line.bullet
        return end

    def _numbering_restarts(self, before: int, heading: int) -> bool:
        """Whether the list after ``heading`` starts at 1 again, after a numbered run since
        ``before``: numbered paragraphs or a record's own numbered heading, then the agenda."""
        previous = [
            parsed[0][0]
            for line in self.lines[before + 1 : heading]
            if line.text and (parsed := _line_number(line)) is not None
        ]
        if not any(n.kind in ("arabic", "dotted") for n in previous):
            return False
        # a sentence introducing the list ("2. The provisional agenda ... is as follows:")
        # may stand between the heading and the first item, and so may the day and the time
        # of the first sitting ("Tuesday, 10 February 2026" / "10 a.m.-1 p.m.")
        following = (
            _line_number(line)
            for line in self.lines[heading + 1 :]
            if not line.blank and not is_agenda_heading(line) and not _sitting_line(line.text)
        )
        first = next(following, None)
        return first is not None and first[0][0].is_start and first[0][0].kind == "arabic"

    def _item_like(self, index: int) -> bool:
        line = self.lines[index]
        if line.cells is not None or line.number or line.bullet:
            return True
        text = line.text
        if not text or MASTHEAD_ITEM_RE.match(text) or MASTHEAD_RE.match(text):
            return False
        if LANGUAGE_CODE_RE.match(text) and index in self.masthead_zone:
            return False  # "E" above an IMO masthead: the edition's language
        if line.heading:
            if self.first_heading is None:
                self.first_heading = next((ln for ln in self.lines if ln.heading), line)
            if line.heading >= 2 or self.first_heading is not line:
                return not ANNOTATIONS_HEADING_RE.match(text)
        if parse_time_prefix(text) is not None:
            return True
        parsed = parse_number(line.spaced)
        if parsed and any(r.is_start or r.kind == "item" for r in parsed[0]) and parsed[1]:
            return not paragraph_like(parsed[1])
        if parse_bullet(text):
            return True
        day = parse_day_heading(text, None)
        return day is not None and (
            day.day_index is not None
            or day.part is not None
            or (day.dates is not None and day.dates.weekday is not None)
        )
