"""From a document's lines to an agenda, in phases that each hand a typed result to the next.

1. ``layout``: where the preamble, the items, the annotations and the end lie (``Layout``).
2. ``preamble``: the meeting's title, dates, venue and symbol (``Meeting``).
3. ``blocks``, then ``placing`` over ``tree`` and ``sittings``: the agenda part's lines read
   into blocks, and the blocks placed as items, sittings and notes (``Placed``).
4. ``annotations``: the annotations part attached to the items it repeats.
5. ``timing``: afternoon times, durations from start times, the sittings' times (``Schedule``).
6. ``outcome``: the agenda, its summary, the doubts and the explanation (``ImportResult``).

Every phase reports its doubts and the lines it used to one ``Findings`` record. The three
readers (text, Markdown, Word) produce the same ``Line`` records, so the formats behave alike.
"""

from __future__ import annotations

import dataclasses

from sessiontui.importers.annotations import annotation_headings, attach_annotations
from sessiontui.importers.blocks import TERMINAL, Words, starts_upper
from sessiontui.importers.classify import (
    FIELD_RE,
    is_procedural,
    parse_bullet,
    parse_day_heading,
    parse_number,
    parse_time_prefix,
    quote,
    shown_in_capitals,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import Layout, find_layout, paragraph_like
from sessiontui.importers.outcome import Draft, ImportResult, NoItems, agenda_result
from sessiontui.importers.placing import heading_before, place_items
from sessiontui.importers.preamble import Meeting, PreambleReader
from sessiontui.importers.source import MAX_LINES, ImportFailure, Line
from sessiontui.importers.timing import Schedule, fix_times

__all__ = ["ImportResult", "NoItems", "build"]


def build(lines: list[Line], fmt: str, name: str, doubts: list[str]) -> ImportResult:
    """Read the agenda in a document's lines.

    Args:
        lines: the document, as its reader gave it.
        fmt: the format it was read as ("text", "markdown", "docx").
        name: the document, for messages.
        doubts: what the reader already doubted.

    Raises:
        ImportFailure: the document is too long to be an agenda.
        NoItems: nothing in the document reads as an agenda item.
    """
    content = sum(1 for line in lines if not line.blank)
    if content > MAX_LINES:
        raise ImportFailure(
            f"{name}: {content} lines of text - too long for an agenda (at most {MAX_LINES})"
        )
    findings = Findings(list(doubts))
    words = Words.of(lines)
    layout = find_layout(lines)
    start, end_of_items = layout.start, layout.end_of_items
    first_item = procedure_above(lines, layout)
    annotations, end = layout.annotations, layout.end
    meeting = read_preamble(lines, layout, first_item)
    findings.used.update(meeting.used)
    heading_before(lines[layout.body_start : first_item], findings)
    meeting_dates = list(meeting.when.dates) if meeting.when is not None else []
    for heading in (start if layout.agenda_heading else None, annotations):
        if heading is not None:
            findings.use(lines[heading].where)
    item_lines = lines[first_item:end_of_items]
    if layout.annotations_only and annotations is not None:
        item_lines = annotation_headings(lines[annotations + 1 : end])
    if layout.agenda_heading:
        item_lines = unnumbered_list(item_lines, layout.loose)
    item_lines = listed_under_colon(item_lines, layout.loose)
    placed = place_items(
        item_lines,
        layout=layout,
        words=words,
        fmt=fmt,
        name=name,
        meeting_dates=meeting_dates,
        year=meeting_dates[0].year if meeting_dates else None,
        findings=findings,
    )
    annotation_lines: list[Line] = []
    if placed.switch is not None:
        annotation_lines.extend(lines[first_item + placed.switch : end_of_items])
    if annotations is not None:
        annotation_lines.extend(lines[annotations + 1 : end])
    if annotation_lines:
        attach_annotations(annotation_lines, placed.roots, words, findings)
    unread_from = end if end < len(lines) else None
    if unread_from is not None:
        findings.doubt(lines[end].where, f"{quote(lines[end].text)} and what follows are not read")
    if not placed.roots:
        raise NoItems(name)
    inferred = fix_times(placed.roots, findings)
    sittings = Schedule(
        placed.roots, placed.sittings, meeting_dates, meeting.start, lines, findings
    ).specs()
    # a day heading without times ("## Tuesday 3 March 2026") records no sitting, but the
    # meeting is held that day all the same
    named_days = [s.date for s in placed.sittings if s.date is not None]
    draft = Draft(
        name,
        fmt,
        lines,
        meeting,
        sorted({*meeting_dates, *named_days}),
        placed.roots,
        sittings,
        inferred,
        unread_from,
        findings,
        headed=layout.agenda_heading or annotations is not None,
    )
    return agenda_result(draft)


def read_preamble(lines: list[Line], layout: Layout, first_item: int) -> Meeting:
    """The meeting as the lines before the items describe it (with the agenda heading, which
    may name it, and the words the document prints in capitals amid lower case)."""
    heading = lines[layout.start].text if layout.agenda_heading else None
    acronyms = shown_in_capitals([line.text for line in lines if line.text])
    return PreambleReader(heading, acronyms).read(
        lines[: min(layout.start, first_item)] + lines[layout.body_start : first_item]
    )


def procedure_above(lines: list[Line], layout: Layout) -> int:
    """Where the items begin: the first item, or the step of the meeting's procedure printed
    without a number just above it ("Opening of the session" over "1  Adoption of the
    agenda", "Call to Order" over "1. Approval of the minutes"), which is the meeting's first
    item, not a section heading nor a line of the meeting's title."""
    first = layout.first_item
    floor = layout.body_start if layout.agenda_heading else 0
    above = first - 1
    while above >= floor and lines[above].blank:
        above -= 1
    if above < floor or first >= layout.end_of_items:
        return first
    line = lines[above]
    if (
        line.cells is not None
        or line.heading
        or line.bold
        or line.title_style
        or not is_procedural(line.text)
    ):
        return first
    return above


def unnumbered_list(lines: list[Line], loose: bool) -> list[Line]:
    """Under an agenda heading, a list printed without numbers or bullets ("Call to Order" /
    "Roll Call" / "Approval of Minutes", as a council's order of business is often pasted)
    as a bulleted list: each capitalised line an item, a line starting in lower case the rest
    of the title above it. ``lines`` unchanged when any line is numbered, bulleted or timed,
    or when the lines read as prose."""
    texts = [line for line in lines if not line.blank]
    for line in texts:
        if (
            line.cells is not None
            or line.number is not None
            or line.bullet
            or line.heading
            or parse_number(line.spaced, loose=loose) is not None
            or parse_bullet(line.text) is not None
            or parse_time_prefix(line.text) is not None
            or parse_day_heading(line.text, None) is not None
            or paragraph_like(line.text)
        ):
            return lines
    if sum(starts_upper(line.text) for line in texts) < 2:
        return lines
    return [
        dataclasses.replace(line, bullet=True) if starts_upper(line.text) else line
        for line in lines
    ]


_MAX_LISTED = 60
"""A line of a list announced by a colon is a name ("Budget", "Tax Compliance/Appeal")."""


def listed_under_colon(lines: list[Line], loose: bool) -> list[Line]:
    """The lines an item's title announces with a colon, one short name a line without number
    or bullet ("13. Reports of standing committees:" / "Budget" / "Finance"), as its sub-items:
    bulleted and indented under it. Two such lines at least; one may be a note."""
    out = list(lines)
    index = 0
    while index < len(out):
        line = out[index]
        index += 1
        if not line.text.endswith(":") or line.cells is not None:
            continue
        parsed = parse_number(line.text, loose=loose) if line.number is None else None
        if line.number is None and (parsed is None or not parsed[1]):
            continue  # a label ("Additional documents:"), or a number awaiting its title
        run, listed = index, []
        while run < len(out) and (out[run].blank or _listed(out[run], loose)):
            listed.extend([run] if not out[run].blank else [])
            run += 1
        if len(listed) >= 2:
            for at in listed:
                out[at] = dataclasses.replace(out[at], bullet=True, indent=line.indent + 4)
        index = run
    return out


def _listed(line: Line, loose: bool) -> bool:
    text = line.text
    return (
        bool(text)
        and len(text) <= _MAX_LISTED
        and starts_upper(text)
        and not text.endswith(TERMINAL)
        and line.cells is None
        and line.number is None
        and not line.bullet
        and not line.heading
        and parse_number(line.spaced, loose=loose) is None
        and parse_bullet(text) is None
        and parse_time_prefix(text) is None
        and parse_day_heading(text, None) is None
        and not FIELD_RE.match(text)
    )
