"""From a document's lines to an agenda: preamble, item tree, annotations, timing and sittings."""

from __future__ import annotations

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
from sessiontui.importers.annotations import attach_annotations, clean_title, extras_of
from sessiontui.importers.blocks import Words
from sessiontui.importers.classify import (
    ANNOTATIONS_HEADING_RE,
    Clock,
    find_documents,
    quote,
    squash,
    take_extras,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import (
    find_layout,
    is_agenda_heading,
)
from sessiontui.importers.nodes import Node, Sitting, walk
from sessiontui.importers.placing import place_items
from sessiontui.importers.preamble import PreambleReader
from sessiontui.importers.source import MAX_LINES, ImportFailure, Line
from sessiontui.importers.when import When, find_when


@dataclass
class ImportResult:
    """What an import produced: the agenda, what was recognised, and what is uncertain."""

    spec: AgendaFile
    summary: list[str]
    doubts: list[str]
    format: str
    explain: list[str] = field(default_factory=list)  # per item, the lines that made it


# -- working records ----------------------------------------------------------------------------


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
        self.sittings: list[Sitting] = []
        self.meeting_dates: list[dt.date] = []
        self.when: When | None = None  # the surest announcement of the meeting's date
        self.year: int | None = None
        self.words = Words()
        self.title = ""
        self.subtitle: str | None = None
        self.venue: str | None = None
        self.symbol: str | None = None
        self.body: str | None = None
        self.annotated = 0
        self.times_inferred = 0
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
        start, first_item, end_of_items = layout.start, layout.first_item, layout.end_of_items
        annotations, end = layout.annotations, layout.end
        self.preamble(self.lines[:start] + self.lines[layout.body_start : first_item])
        for heading in (start if layout.agenda_heading else None, annotations):
            if heading is not None:
                self.findings.use(self.lines[heading].where)
        placed = place_items(
            self.lines[first_item:end_of_items],
            layout=layout,
            words=self.words,
            fmt=self.fmt,
            name=self.name,
            meeting_dates=self.meeting_dates,
            year=self.year,
            findings=self.findings,
        )
        self.roots, self.sittings, switch = placed.roots, placed.sittings, placed.switch
        annotation_lines: list[Line] = []
        if switch is not None:
            annotation_lines.extend(self.lines[first_item + switch : end_of_items])
        if annotations is not None:
            annotation_lines.extend(self.lines[annotations + 1 : end])
        if annotation_lines:
            attach_annotations(annotation_lines, self.roots, self.words, self.findings)
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

    # -- the result ----------------------------------------------------------------------

    def walk(self, nodes: list[Node] | None = None) -> Iterator[Node]:
        return walk(self.roots if nodes is None else nodes)

    def item_spec(self, node: Node) -> ItemSpec:
        """The item's spec, without its sub-items."""
        raw = squash(node.title)
        title = clean_title(node)
        extras = extras_of(node, raw)[1]
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

    def _single_date(self) -> dt.date | None:
        return self.meeting_dates[0] if len(self.meeting_dates) == 1 else None

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


def build(lines: list[Line], fmt: str, name: str, doubts: list[str]) -> ImportResult:
    """Read the agenda in a document's lines.

    Raises:
        NoItems: nothing in the document reads as an agenda item.
    """
    return Builder(lines, fmt, name, doubts).run()
