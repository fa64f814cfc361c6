"""Exports of a session: the draft meeting report (md, html, docx) and the data (csv, json, txt).

The formats are registered as data in ``sessiontui.exporters.formats``; what each reads from the
store is read by ``sessiontui.service.gather``, the only place that decides it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

from sessiontui.core.agenda import ReferenceError_
from sessiontui.core.events import Event, EventText, Header
from sessiontui.core.replay import collector_paused
from sessiontui.core.state import SessionState
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.base import (
    FORMAT_OPTIONS,
    ExportFormat,
    ExportOptions,
    Idle,
    Job,
    Material,
    journal_text,
)
from sessiontui.exporters.files import ExportError, safe_stem, write_export
from sessiontui.exporters.formats import (
    FORMATS,
    REGISTRY,
    format_for_extension,
    get_format,
    takers,
)
from sessiontui.exporters.model import meeting_zone, select_items
from sessiontui.store.durable import Chunk

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "FORMAT_OPTIONS",
    "REGISTRY",
    "ExportError",
    "ExportFormat",
    "ExportOptions",
    "Idle",
    "Material",
    "format_for_extension",
    "get_format",
    "journal_text",
    "render",
    "render_chunks",
    "render_material",
    "suggested_filename",
    "takers",
    "whole",
    "write_export",
]

BINARY_FORMATS: tuple[str, ...] = tuple(fmt.name for fmt in REGISTRY if fmt.binary)


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
    return whole(render_chunks(fmt, header, events, state, options, journal, texts))


def whole(chunks: Iterator[Chunk]) -> bytes | bytearray:
    """The pieces of an export as one."""
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
    """``render``, in pieces to be written one after another as they come."""
    material = Material(header, events, texts=texts, journal=journal)
    return render_material(fmt, material, state, options)


def render_material(
    fmt: str, material: Material, state: SessionState, options: ExportOptions
) -> Iterator[Chunk]:
    """Render what ``gather`` read, in pieces to be written one after another as they come.

    The JSON export comes a chunk of events at a time (and with ``texts`` from
    ``FileStore.iter_texts``, reads the log as it goes): a long session's is large and need
    never be whole in memory. The other formats come in one piece.

    Everything ``render`` refuses is refused here, before the first piece; whatever goes wrong
    while the pieces are made (the log cannot be read) is raised while they are taken.

    Raises:
        ExportError: unknown format, or an item reference that matches nothing.
    """
    chosen = get_format(fmt)
    if material.digest is not None and options.log_sha256 is None:
        options = dataclasses.replace(options, log_sha256=material.digest)
    try:
        item_ids = select_items(state, options.items)
    except ReferenceError_ as exc:
        raise ExportError(f"--items: {exc.message}") from None
    job = Job(material, state, options, item_ids, Clock(meeting_zone(state)))
    # What a report is built of (a great many objects for a long session) forms no cycles
    # and lives until it is written: the cyclic collector would walk it, and the session's
    # state, again and again for nothing.
    with collector_paused():
        made = chosen.render(job)
    return _collector_paused(made) if isinstance(made, Iterator) else iter((made,))


def _collector_paused(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """The chunks, made with the cyclic collector paused (see ``render_material``)."""
    with collector_paused():
        yield from chunks


def suggested_filename(state: SessionState, fmt: str) -> str:
    """A safe file name for an export: the agenda's symbol or title, its first date, the format.

    Only letters, digits and hyphens (any script): never a path, never a hidden file.
    """
    meeting = state.agenda.meeting
    stem = safe_stem(meeting.symbol or "") or safe_stem(meeting.title) or "session"
    if meeting.dates:
        stem += "-" + min(meeting.dates).isoformat()
    return f"{stem}.{get_format(fmt).extension}"
