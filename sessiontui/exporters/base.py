"""What an export format is, and what it renders from: the options, the material, the job."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

import msgspec

from sessiontui.core.events import (
    UNDO,
    Event,
    EventText,
    Header,
    NoteAddData,
    NoteEditData,
    NoteRef,
    UndoData,
)
from sessiontui.core.journal import Journal, journal_heading
from sessiontui.core.state import SessionState
from sessiontui.core.text import is_clean
from sessiontui.core.vocabulary import NoteKind
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.model import one_line
from sessiontui.store.durable import Chunk


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
        symbol: the report's own document symbol (not the agenda's); None: a placeholder.
        job: the report's job number (docx and pdf page footer); None: none printed.
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
    symbol: str | None = None
    job: str | None = None

    @property
    def unfiltered(self) -> bool:
        """Whether everything is exported: no excerpt, no notes or speakers left out."""
        return self.items is None and self.notes and self.speakers


@dataclass(frozen=True, slots=True)
class Needs:
    """What a format reads from the store beyond the state, the last event and the log's digest.

    Attributes:
        events: every event, decoded.
        texts: every event as written (``EventText``), for listing them.
        journal: the whole journal of the log (from its journal checkpoint when it has one).
        amendments: the agenda's amendments, with when they were made: every event, when the
            agenda was amended (the report tells the agenda as adopted and what changed after).
    """

    events: bool = False
    texts: bool = False
    journal: bool = False
    amendments: bool = False


@dataclass(frozen=True, slots=True)
class Material:
    """What ``sessiontui.service.gather`` read from the store for one export.

    Attributes:
        header: the log's header.
        events: every event in ``seq`` order, or only the last one (its time is the export time)
            when the format needs no more and ``digest`` is known.
        texts: every event as written, in ``seq`` order (a list, or a stream from the store).
        journal: the whole journal, one line per event (a list, or a stream made as it is
            taken: ``sessiontui.service.JournalStream``; taken once).
        journal_of: a log file whose whole journal is still to be read (by the thread that
            renders, from a reader of its own); None once read or when not needed.
        digest: SHA-256 of the log up to the last event, when the store could give it.
        gaps: the gaps a repair recorded in the log, described: the draft report names them.
    """

    header: Header
    events: Sequence[Event]
    texts: Iterable[EventText] | None = None
    journal: Iterable[str] | None = None
    journal_of: Path | None = None
    digest: str | None = None
    gaps: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Job:
    """One export to render: the material, the state folded from it, and the options."""

    material: Material
    state: SessionState
    options: ExportOptions
    item_ids: list[str]  # the items exported (all, or an excerpt's), in agenda order
    clock: Clock  # the meeting's wall clock

    @property
    def header(self) -> Header:
        """The log's header."""
        return self.material.header

    @property
    def excerpt(self) -> bool:
        """Whether only some items are exported (``--items``)."""
        return self.options.items is not None

    @property
    def excerpt_ids(self) -> list[str] | None:
        """The items of an excerpt, None when every item is exported."""
        return self.item_ids if self.excerpt else None

    def keep(self) -> Callable[[Event | EventText], bool]:
        """Which events a data export lists, after --items, --no-notes and --no-speakers."""
        return keeper(self.state, self.excerpt_ids, self.options)


Rendered = bytes | bytearray | Iterator[Chunk]
"""A format's output: whole, or in pieces to be written one after another."""


def needs_nothing(options: ExportOptions) -> Needs:
    """What a format that renders from the state alone needs."""
    return Needs()


FORMAT_OPTIONS: tuple[str, ...] = (
    "no-notes",
    "no-speakers",
    "no-times",
    "items",
    "events",
    "journal",
    "style",
    "lang",
    "templates",
    "reference-doc",
    "symbol",
    "job",
)
"""The ``sessiontui export`` options (named as on the command line, without the dashes) that
change some formats and not others: each format says which of them it takes (``takes``)."""


@dataclass(frozen=True, slots=True)
class Idle:
    """An option a format takes that does nothing beside another one it takes: the two are
    refused together, as an option the format does not take is (``--OPTION does nothing with
    --BESIDE: WHY``).

    Attributes:
        option: the option that would do nothing (one of ``FORMAT_OPTIONS``).
        beside: the option that makes it do nothing.
        why: why, in a few words a user can act on.
    """

    option: str
    beside: str
    why: str


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format, as the CLI, the tracker's export dialog and the docs know it.

    Attributes:
        name: the ``--format`` value.
        extension: the file name extension (without the dot).
        binary: refused on a terminal (written to a file or a pipe only).
        description: what it is, in one line (``export --help``, the docs).
        render: makes the bytes; raises ``ExportError`` for a person's mistake.
        needs: what it reads from the store with these options (``gather`` reads it); by
            default nothing beyond the state, the last event and the log's digest.
        aliases: other extensions that name this format (``-o report.htm``).
        takes: the options of ``FORMAT_OPTIONS`` that change this format (``"events"``: one
            row per event); the CLI refuses any other of them for it, never ignores it.
        idle: options it takes that do nothing beside another one (``--lang`` with
            ``--events``: the rows of events are not worded); the CLI refuses them together.
    """

    name: str
    extension: str
    binary: bool
    description: str
    render: Callable[[Job], Rendered]
    needs: Callable[[ExportOptions], Needs] = needs_nothing
    aliases: tuple[str, ...] = ()
    takes: tuple[str, ...] = ()
    idle: tuple[Idle, ...] = ()


def journal_lines(
    header: Header,
    events: Sequence[Event],
    keep: Callable[[Event], bool] | None = None,
    items: Collection[str] | None = None,
) -> list[str]:
    """The journal, one line per event; the journal folds every event, ``keep`` picks the lines.

    With ``items`` (an excerpt's), a line that concerns items concerns one of them: an undo
    concerns the items of what it undid, though the undo event itself names none.
    """
    journal = Journal(header)
    wanted = set(items) if items is not None else None
    out: list[str] = []
    for event in sorted(events, key=lambda e: e.seq):
        entries = journal.entries((event,))
        if keep is None or keep(event):
            out.extend(
                line
                for line, concerned in entries
                if wanted is None or not concerned or concerned & wanted
            )
    return out


def journal_text(
    header: Header,
    events: Sequence[Event],
    keep: Callable[[Event], bool] | None = None,
    items: Collection[str] | None = None,
) -> bytes:
    """The journal as UTF-8 text: its heading, then one line per event (see ``journal_lines``)."""
    return text_of([journal_heading(header), *journal_lines(header, events, keep, items)])


def text_of(lines: Sequence[str]) -> bytes:
    """Lines as UTF-8 text, each cleaned and folded onto one line."""
    text = "\n".join(lines)
    if all(map(str.isprintable, lines)):
        # No line holds a character to clean, nor a blank but the space (none of them is
        # printable, the line break included): with no space at either end of a line and
        # never three in a row, folding is each pair of spaces made one (a journal line's
        # two separators). Looked for in the UTF-8 bytes, where each search is quickest.
        data = text.encode("utf-8") + b"\n"
        if b"   " not in data and b" \n" not in data and b"\n " not in data and data[:1] != b" ":
            return data.replace(b"  ", b" ") if lines else b""
    if is_clean(text):
        # The usual case, checked in one pass: only the spacing is left to fold line by line.
        return "".join([" ".join(line.split()) + "\n" for line in lines]).encode("utf-8")
    return "".join([one_line(line) + "\n" for line in lines]).encode("utf-8")


TEXT_CHUNK_LINES = 4096
"""Lines per piece of a text written as it is made (``text_chunks``)."""


def text_chunks(lines: Iterable[str]) -> Iterator[bytes]:
    """``text_of``, a few thousand lines at a time as they come: the same bytes, never whole."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= TEXT_CHUNK_LINES:
            yield text_of(batch)
            batch = []
    if batch:
        yield text_of(batch)


def _note_of(event: Event | EventText) -> str:
    """The note an event refers to (its ``data.note``)."""
    if isinstance(event, Event):
        data = event.data
        return data.note if isinstance(data, NoteAddData | NoteEditData | NoteRef) else ""
    raw = msgspec.json.decode(event.data)
    return str(raw.get("note")) if isinstance(raw, dict) else ""


def _batch_of(event: Event | EventText) -> str:
    """The batch an undo reverts (its ``data.batch``)."""
    if isinstance(event, Event):
        data = event.data
        return data.batch if isinstance(data, UndoData) else ""
    raw = msgspec.json.decode(event.data)
    return str(raw.get("batch")) if isinstance(raw, dict) else ""


def keeper(
    state: SessionState, item_ids: Sequence[str] | None, options: ExportOptions
) -> Callable[[Event | EventText], bool]:
    """Which events a data export lists, after --items, --no-notes and --no-speakers.

    Asked of each event in ``seq`` order: an undo names no item but belongs to the items of
    the batch it reverted (seen before it), so an excerpt lists only its own items' undos.
    """
    wanted = set(item_ids) if item_ids is not None else None
    batches: dict[str, set[str]] = {}

    def keep(event: Event | EventText) -> bool:
        if wanted is not None:
            if event.type == UNDO:
                undone = batches.get(_batch_of(event), set())
                if undone and not undone & wanted:
                    return False
            elif event.batch is not None and event.item is not None:
                batches.setdefault(event.batch, set()).add(event.item)
        if wanted is not None and event.item is not None and event.item not in wanted:
            return False
        if not options.speakers and event.type.startswith("speaker."):
            return False
        if not options.notes and event.type.startswith("note."):
            note = state.note(_note_of(event))
            return note is not None and note.kind != NoteKind.NOTE
        return True

    return keep


_Record = TypeVar("_Record", Event, EventText)


def kept_events(job: Job, events: Sequence[_Record]) -> list[_Record]:
    """The events a data export lists, in ``seq`` order."""
    keep = job.keep()
    return [event for event in sorted(events, key=attrgetter("seq")) if keep(event)]


def in_seq_order(events: Iterable[_Record]) -> Iterable[_Record]:
    """A sequence sorted by ``seq``; anything else (a stream from the store) is in it already."""
    return sorted(events, key=attrgetter("seq")) if isinstance(events, Sequence) else events
