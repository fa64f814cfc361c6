"""The last phase of building an agenda: the agenda itself, its summary, doubts and explanation.

Items become specs with unique labels; every line that went into no item, annotation or
meeting field is named in a doubt; ``import --explain`` lists the lines that made each item.
"""

from __future__ import annotations

import datetime as dt
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
from sessiontui.core.clock import machine_zone_name
from sessiontui.importers.annotations import clean_title, extras_of
from sessiontui.importers.classify import (
    ANNOTATIONS_HEADING_RE,
    find_documents,
    quote,
    squash,
    strip_sentence_marks,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.genre import report_reason
from sessiontui.importers.layout import is_agenda_heading
from sessiontui.importers.links import stray_links, with_links
from sessiontui.importers.nodes import Node, walk
from sessiontui.importers.preamble import Meeting
from sessiontui.importers.source import MAX_LINES, Line
from sessiontui.importers.zones import zone_of_venue


@dataclass
class ImportResult:
    """What an import produced: the agenda, what was recognised, and what is uncertain."""

    spec: AgendaFile
    summary: list[str]
    doubts: list[str]
    format: str
    explain: list[str] = field(default_factory=list)  # per item, the lines that made it
    # why the document reads as a report rather than an agenda (``genre``), if it does
    not_agenda: str | None = None


class NoItems(Exception):
    """Nothing in the document reads as an agenda item."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: no agenda items found")


@dataclass
class Draft:
    """What the earlier phases made of a document, for the last one to turn into an agenda.

    Attributes:
        name: the document, for messages.
        fmt: the format it was read as.
        lines: its lines.
        meeting: what the preamble said about the meeting.
        meeting_dates: the meeting's dates, as the preamble and the day headings gave them.
        roots: the top-level items.
        sittings: the sittings, finished (``timing``).
        times_inferred: durations taken from the next item's start time.
        unread_from: the first line after the agenda, when the document goes on.
        findings: the doubts so far and the lines used.
        headed: the document prints an agenda heading or the annotations of one.
    """

    name: str
    fmt: str
    lines: list[Line]
    meeting: Meeting
    meeting_dates: list[dt.date]
    roots: list[Node]
    sittings: list[SittingSpec]
    times_inferred: int
    unread_from: int | None
    findings: Findings
    headed: bool = True


def agenda_result(draft: Draft) -> ImportResult:
    """The agenda the draft holds, with its summary, doubts and explanation."""
    return _Outcome(draft).result()


def item_spec(node: Node) -> ItemSpec:
    """The item's spec, without its sub-items."""
    raw = squash(node.title)
    title = clean_title(node)
    extras = extras_of(node, raw)[1]
    documents = list(node.documents)
    for symbol in [*(extras.documents or []), *find_documents(title)]:
        if symbol not in documents:
            documents.append(symbol)
    paragraphs = [strip_sentence_marks(p) for p in node.annotation if p]
    if extras.attachment is not None:
        # the title linked to a file, as a link to its address reads: "text (address)"
        paragraphs.append(f"{title} ({extras.attachment})")
    annotation = "\n\n".join(paragraphs) or None
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


class _Outcome:
    """The draft being finished, and how many items came out annotated."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.findings = draft.findings
        self.annotated = 0
        self.line_at: dict[str, Line] | None = None  # each line by where it is

    def lines_of(self, node: Node) -> Iterator[Line]:
        """The lines that made an item, in the order it took them."""
        if self.line_at is None:
            self.line_at = {line.where: line for line in self.draft.lines}
        for where in dict.fromkeys(node.sources):
            if (line := self.line_at.get(where)) is not None:
                yield line

    def result(self) -> ImportResult:
        """The agenda, its summary, the doubts and the explanation."""
        draft = self.draft
        items = [self.spec_of(node) for node in draft.roots]
        self.unlabelled(items)
        self.dedupe(items)
        dates = set(draft.meeting_dates)
        dates.update(s.date for s in draft.sittings)
        meeting = draft.meeting
        title = meeting.title
        if not title:
            title = Path(draft.name).stem if draft.name != "<stdin>" else "Imported agenda"
            self.findings.doubt("title", f"no meeting title found - {quote(title)} used")
        spec = AgendaFile(
            meeting=MeetingSpec(
                title=title,
                subtitle=meeting.subtitle,
                body=meeting.body,
                symbol=meeting.symbol,
                venue=meeting.venue,
                dates=sorted(dates),
                timezone=zone_of_venue(meeting.venue),
            ),
            items=items,
            sittings=draft.sittings,
        )
        self.doubt_unplaced()
        placed = {where for node in walk(draft.roots) for where in node.sources}
        self.findings.doubts.extend(stray_links(draft.lines, placed, self.findings.used))
        read = draft.lines[: draft.unread_from]
        doubted = {n for d in self.findings.doubts for n in _places(d.split(": ", 1)[0])}
        return ImportResult(
            spec,
            self.summary(spec),
            self.findings.doubts,
            draft.fmt,
            self.explain(),
            report_reason(read, walk(draft.roots), doubted - placed, headed=draft.headed),
        )

    def spec_of(self, node: Node) -> ItemSpec:
        base = item_spec(node)
        annotation = with_links(base.annotation, self.lines_of(node), self.findings.doubts)
        if base.title == "(untitled)":
            self.findings.doubt(node.where, f"item {node.label()} has no title")
        number: str | None = None
        if node.number is not None:
            number = node.number.text
        elif node.fixed is not None:
            number = node.fixed
        spec = ItemSpec(
            title=base.title,
            number=number,
            annotation=annotation,
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
            self.findings.doubt(
                "labels", f"{quote(own)} would repeat label {parent} - written {plain}"
            )
            return label
        repeat = 2
        while normalize_reference(full_label(parent, f"{own} (repeated {repeat})")) in seen:
            repeat += 1
        item.number = f"{own} (repeated {repeat})".strip()
        label = full_label(parent, item.number)
        self.findings.doubt(
            "labels", f"{full_label(parent, own)} appears twice - the second is {label}"
        )
        return label

    def doubt_unplaced(self) -> None:
        """Name every line that went into no item, annotation, meeting field or other doubt."""
        covered = set(self.findings.used)
        for node in walk(self.draft.roots):
            covered.update(node.sources)
        for doubt in self.findings.doubts:
            covered.update(_places(doubt.split(": ", 1)[0]))
            run = re.match(r"line (\d+): .*\(to line (\d+)\)", doubt)
            if run:  # "numbered paragraphs before the agenda (to line 9)"
                covered.update(_places(f"lines {run[1]}-{run[2]}"))
        last = (
            self.draft.unread_from if self.draft.unread_from is not None else len(self.draft.lines)
        )
        unplaced = [
            line
            for index, line in enumerate(self.draft.lines[:last])
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
        self.findings.doubt(
            _line_ranges([line.where for line in unplaced]),
            f"in no item, annotation or meeting field - left out: {shown}{more}",
        )

    def explain(self) -> list[str]:
        """Per item, in agenda order, the lines that made it (``import --explain``)."""
        out = []
        for node in walk(self.draft.roots):
            label = node.number.text if node.number is not None else node.fixed or "-"
            title = quote(node.clean or node.title, 50)
            out.append(f"{label} {title}: {_line_ranges(node.sources)}")
        return out

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
        out = [f"read {self.draft.name} as {self.draft.fmt}", f"meeting: {meeting.title}"]
        if meeting.subtitle:
            out.append(f"subtitle: {meeting.subtitle}")
        if meeting.dates:
            out.append("dates: " + ", ".join(d.isoformat() for d in meeting.dates))
        if meeting.body:
            out.append(f"body: {meeting.body}")
        if meeting.venue:
            out.append(f"venue: {meeting.venue}")
        if meeting.timezone:
            out.append(f"time zone: {meeting.timezone} (the venue's)")
        else:
            # What happens then, not a rule of thumb: a session begun from this agenda keeps
            # the zone of the machine that begins it (``creation_zone_name``), UTC on one with
            # none; the zone this machine would give is named, the likeliest to begin it.
            here = machine_zone_name() or "UTC, this one having none"
            out.append(
                "time zone: none (no known venue): a session begun from this agenda keeps the "
                f"time zone of the machine that begins it ({here} here) until the agenda says "
                'timezone = "Area/City" under [meeting]'
            )
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
            f" ({self.draft.times_inferred} from the next start time)"
            if self.draft.times_inferred
            else ""
        )
        out.append(f"start times: {starts}, durations: {durations}{inferred}")
        if spec.sittings:
            out.append(f"sittings: {len(spec.sittings)}")
        out.append(f"doubts: {len(self.findings.doubts)}")
        return out


def _places(where: str) -> set[str]:
    """The lines a doubt names: "line 4", "lines 5-7", "lines 2-4, 9", "paragraph 3"."""
    if not re.fullmatch(r"lines \d+(?:-\d+)?(?:, \d+(?:-\d+)?)+|lines \d+-\d+", where):
        return {where}
    places: set[str] = set()
    for run in where.removeprefix("lines ").split(", "):
        first, _, last = run.partition("-")
        if int(last or first) - int(first) < MAX_LINES:
            places.update(f"line {n}" for n in range(int(first), int(last or first) + 1))
    return places


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
