"""Exports of a session: the draft meeting report (md, html, docx) and the data (csv, json, txt)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

import msgspec

from sessiontui.core.agenda import ReferenceError_
from sessiontui.core.events import Event, EventText, Header
from sessiontui.core.journal import Journal, journal_heading
from sessiontui.core.replay import collector_paused
from sessiontui.core.state import SessionState
from sessiontui.core.text import is_clean
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.files import EXTENSIONS, ExportError, safe_stem, write_export
from sessiontui.exporters.model import build_report, meeting_zone, one_line, select_items
from sessiontui.store.durable import Chunk

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "ExportError",
    "ExportOptions",
    "journal_text",
    "render",
    "render_chunks",
    "suggested_filename",
    "write_export",
]

FORMATS: tuple[str, ...] = ("md", "html", "docx", "pdf", "csv", "json", "txt")
BINARY_FORMATS: tuple[str, ...] = ("docx", "pdf")


@dataclass(frozen=True)
class ExportOptions:
    """What to leave out or add.

    Attributes:
        notes: include plain notes (decisions and action points are always kept).
        speakers: include the speakers.
        times: include times and the summary of time used.
        items: item references for an excerpt (with their sub-items); None for all.
        journal: append the journal to md, html and docx.
        events: CSV only: one row per event instead of one per item.
        log_sha256: the digest of the log bytes when the caller read them (else rebuilt).
        style: the house style of the report (md, html, docx): a shipped template set.
        lang: the report's language (a phrase file of the style).
        templates: a user's template folder, its files used before the style's own.
        reference_doc: docx: a Word document whose styles, header, footer and page to use.
    """

    notes: bool = True
    speakers: bool = True
    times: bool = True
    items: tuple[str, ...] | None = None
    journal: bool = False
    events: bool = False
    log_sha256: str | None = None
    style: str = "un"
    lang: str = "en"
    templates: Path | None = None
    reference_doc: Path | None = None


def _journal_lines(
    header: Header, events: Sequence[Event], keep: Callable[[Event], bool] | None = None
) -> list[str]:
    """The journal, one line per event; the journal folds every event, ``keep`` picks the lines."""
    journal = Journal(header)
    out: list[str] = []
    for event in sorted(events, key=lambda e: e.seq):
        lines = journal.lines((event,))
        if keep is None or keep(event):
            out.extend(lines)
    return out


def journal_text(
    header: Header, events: Sequence[Event], keep: Callable[[Event], bool] | None = None
) -> bytes:
    """The journal as UTF-8 text: its heading, then one line per event."""
    return _text([journal_heading(header), *_journal_lines(header, events, keep)])


def _text(lines: Sequence[str]) -> bytes:
    text = "\n".join(lines)
    if is_clean(text):
        # The usual case, checked in one pass: only the spacing is left to fold line by line.
        return "".join([" ".join(line.split()) + "\n" for line in lines]).encode("utf-8")
    return "".join([one_line(line) + "\n" for line in lines]).encode("utf-8")


def _note_of(event: Event | EventText) -> str:
    """The note an event refers to (its ``data.note``)."""
    data = event.data if isinstance(event, Event) else msgspec.json.decode(event.data)
    return str(data.get("note")) if isinstance(data, dict) else ""


def _keeper(
    state: SessionState, item_ids: Sequence[str] | None, options: ExportOptions
) -> Callable[[Event | EventText], bool]:
    """Which events a data export lists, after --items, --no-notes and --no-speakers."""
    wanted = set(item_ids) if item_ids is not None else None

    def keep(event: Event | EventText) -> bool:
        if wanted is not None and event.item is not None and event.item not in wanted:
            return False
        if not options.speakers and event.type.startswith("speaker."):
            return False
        if not options.notes and event.type.startswith("note."):
            note = state.note(_note_of(event))
            return note is not None and note.kind != "note"
        return True

    return keep


_Record = TypeVar("_Record", Event, EventText)


def _kept_events(
    state: SessionState,
    events: Sequence[_Record],
    item_ids: Sequence[str] | None,
    options: ExportOptions,
) -> list[_Record]:
    keep = _keeper(state, item_ids, options)
    return [event for event in sorted(events, key=attrgetter("seq")) if keep(event)]


def _in_seq_order(events: Iterable[_Record]) -> Iterable[_Record]:
    """A sequence sorted by ``seq``; anything else (a stream from the store) is in it already."""
    return sorted(events, key=attrgetter("seq")) if isinstance(events, Sequence) else events


def render(
    fmt: str,
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    options: ExportOptions,
    journal: Sequence[str] | None = None,
    texts: Iterable[EventText] | None = None,
) -> bytes | bytearray:
    """Render a session in one format. Same log, same options: the same bytes.

    Args:
        fmt: one of ``FORMATS``.
        header: the log's header.
        events: every event of the log, in ``seq`` order.
        state: the state folded from those events.
        options: what to leave out or add.
        journal: the log's whole journal when the caller has it (see
            ``sessiontui.service.whole_journal``); else it is made from ``events``.
        texts: every event of the log as ``EventText`` (the JSON export lists these instead of
            ``events`` when given; ``events`` may then hold only the last one). A sequence is
            put in ``seq`` order; any other iterable must yield them in it (as the store does).

    Raises:
        ExportError: unknown format, or an item reference that matches nothing.
    """
    chunks = render_chunks(fmt, header, events, state, options, journal, texts)
    first = next(chunks)
    more = next(chunks, None)
    if more is None:
        # Every format but JSON: made whole, not copied once more.
        return bytes(first) if isinstance(first, memoryview) else first
    out = bytearray(first)
    while more is not None:
        out += more
        more = next(chunks, None)
    return out


def render_chunks(
    fmt: str,
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    options: ExportOptions,
    journal: Sequence[str] | None = None,
    texts: Iterable[EventText] | None = None,
) -> Iterator[Chunk]:
    """``render``, in pieces to be written one after another as they come.

    The JSON export comes a chunk of events at a time (and with ``texts`` from
    ``FileStore.iter_texts``, reads the log as it goes): a long session's is some 100 MB that need
    never be whole in memory. The other formats come in one piece.

    Everything ``render`` refuses is refused here, before the first piece; whatever goes wrong
    while the pieces are made (the log cannot be read) is raised while they are taken.
    """
    # What a report is built of (hundreds of thousands of objects for a long session) forms no
    # cycles and lives until it is written: the cyclic collector would walk it, and the
    # session's state, again and again for nothing (a seventh of a Markdown export).
    with collector_paused():
        made = _render(fmt, header, events, state, options, journal, texts)
    return _collector_paused(made) if isinstance(made, Iterator) else iter((made,))


def _collector_paused(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """The chunks, made with the cyclic collector paused (see ``render_chunks``)."""
    with collector_paused():
        yield from chunks


def _render(
    fmt: str,
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    options: ExportOptions,
    journal: Sequence[str] | None,
    texts: Iterable[EventText] | None,
) -> bytes | bytearray | Iterator[Chunk]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    try:
        item_ids = select_items(state, options.items)
    except ReferenceError_ as exc:
        raise ExportError(f"--items: {exc.message}") from None
    excerpt = options.items is not None
    clock = Clock(meeting_zone(state))
    if fmt == "txt":
        if journal is not None and not excerpt and options.notes and options.speakers:
            return _text([journal_heading(header), *journal])
        return journal_text(header, events, _keeper(state, item_ids if excerpt else None, options))
    if fmt == "csv":
        from sessiontui.exporters.csvfile import render_events_csv, render_items_csv

        if options.events:
            shown = _kept_events(state, events, item_ids if excerpt else None, options)
            return render_events_csv(state, shown, clock, item_ids if excerpt else None)
        return render_items_csv(
            state, item_ids, clock, notes=options.notes, speakers=options.speakers
        )
    if fmt == "json":
        from sessiontui.exporters.jsondoc import build_document, render_json

        # Every event is listed unless an option leaves some out: then no call per event.
        everything = not excerpt and options.notes and options.speakers
        keep = None if everything else _keeper(state, item_ids if excerpt else None, options)
        listed = _in_seq_order(texts) if texts is not None else _in_seq_order(events)
        # The document is handed on, not kept: ``render_json`` lets it go once it is encoded.
        return render_json(
            build_document(
                header,
                events,
                state,
                item_ids,
                excerpt=options.items,
                notes=options.notes,
                speakers=options.speakers,
                sha256=options.log_sha256,
            ),
            listed,
            keep,
        )
    appendix: Sequence[str] = []
    if options.journal:
        if journal is not None and not excerpt and options.notes and options.speakers:
            appendix = journal
        else:
            # An excerpt's journal is an excerpt too: the lines of its items (and the sittings').
            keep = _keeper(state, item_ids if excerpt else None, options)
            appendix = _journal_lines(header, events, keep)
    report = build_report(
        header,
        events,
        state,
        items=options.items,
        notes=options.notes,
        speakers=options.speakers,
        journal=appendix,
        sha256=options.log_sha256,
    )
    from sessiontui.exporters.templating import Style, document

    worded = document(
        report, Style(options.style, options.lang, options.templates), times=options.times
    )
    if fmt == "md":
        from sessiontui.exporters.markdown import render_markdown

        return render_markdown(worded)
    if fmt == "html":
        from sessiontui.exporters.html import render_html

        return render_html(report, worded)
    from sessiontui.exporters.word import render_docx

    data = render_docx(report, worded, created=header.created, reference=options.reference_doc)
    if fmt == "pdf":
        from sessiontui.exporters.pdf import docx_to_pdf

        return docx_to_pdf(data)
    return data


def suggested_filename(state: SessionState, fmt: str) -> str:
    """A safe file name for an export: the agenda's symbol or title, its first date, the format.

    Only letters, digits and hyphens (any script): never a path, never a hidden file.
    """
    meeting = state.agenda.meeting
    stem = safe_stem(meeting.symbol or "") or safe_stem(meeting.title) or "session"
    if meeting.dates:
        stem += "-" + min(meeting.dates).isoformat()
    extension = EXTENSIONS.get(fmt, "txt")
    return f"{stem}.{extension}"
