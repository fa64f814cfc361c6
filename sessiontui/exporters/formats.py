"""The export formats, registered as data: one ``ExportFormat`` per format in ``REGISTRY``.

The CLI (``--format`` and its help), the tracker's export dialog, ``gather`` (what to read from
the store) and the docs all read this table. A format's module is imported only when it renders,
so listing the formats costs nothing at start.

To add a format: write a module with ``render(job: Job) -> bytes`` and add one line below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

from sessiontui.exporters.base import (
    FORMAT_OPTIONS,
    ExportFormat,
    ExportOptions,
    Idle,
    Job,
    Needs,
    Rendered,
    in_seq_order,
    journal_text,
    kept_events,
    text_chunks,
    text_of,
)
from sessiontui.exporters.files import ExportError
from sessiontui.exporters.model import Report, build_report

if TYPE_CHECKING:
    # The templates (Jinja2) are imported when a report is worded, not when formats are listed.
    from sessiontui.exporters.happenings import Happening
    from sessiontui.exporters.templating import Document


def _lazy(module: str, function: str = "render") -> Callable[[Job], Rendered]:
    """``module.function``, imported when first called."""

    def render(job: Job) -> Rendered:
        made: Rendered = getattr(importlib.import_module(module), function)(job)
        return made

    return render


# -- the draft report (md, html, docx) --------------------------------------------------------


def _report_needs(options: ExportOptions) -> Needs:
    # The journal appendix (--journal) is worded by the templates, in the report's language,
    # from every event (not the journal checkpoint's English lines).
    return Needs(events=options.journal, amendments=True)


def _report(job: Job) -> Report:
    """The draft report the three report formats lay out."""
    from sessiontui.exporters.happenings import happenings

    material, options = job.material, job.options
    appendix: Sequence[Happening] = []
    if options.journal:
        # An excerpt's journal is an excerpt too: the lines of its items (and the sittings').
        appendix = happenings(material.header, material.events, job.keep(), job.excerpt_ids)
    return build_report(
        material.header,
        material.events,
        job.state,
        items=options.items,
        notes=options.notes,
        speakers=options.speakers,
        journal=appendix,
        sha256=options.log_sha256,
        report_symbol=options.symbol,
        report_job=options.job,
        gaps=material.gaps,
    )


def _worded(job: Job) -> tuple[Report, Document]:
    """The report, and its words from the templates of the chosen style."""
    from sessiontui.exporters.templating import Style, document

    report, options = _report(job), job.options
    style = Style(options.style, options.lang, options.templates)
    return report, document(report, style, times=options.times)


def _markdown(job: Job) -> Rendered:
    from sessiontui.exporters.markdown import render_markdown

    return render_markdown(_worded(job)[1])


def _html(job: Job) -> Rendered:
    from sessiontui.exporters.html import render_html

    return render_html(*_worded(job))


def _docx(job: Job) -> bytes:
    from sessiontui.exporters.word import render_docx

    report, worded = _worded(job)
    return render_docx(
        report, worded, created=job.header.created, reference=job.options.reference_doc
    )


def _pdf(job: Job) -> Rendered:
    from sessiontui.exporters.pdf import docx_to_pdf

    return docx_to_pdf(_docx(job))


# -- the data (csv, json, txt) ----------------------------------------------------------------


def _csv_needs(options: ExportOptions) -> Needs:
    return Needs(events=options.events)


def _csv(job: Job) -> Rendered:
    from sessiontui.exporters.csvfile import render_events_csv, render_items_csv

    options = job.options
    if options.events:
        shown = kept_events(job, job.material.events)
        return render_events_csv(job.state, shown, job.clock, job.excerpt_ids)
    return render_items_csv(
        job.state,
        job.item_ids,
        job.clock,
        notes=options.notes,
        speakers=options.speakers,
        lang=options.lang,
    )


def _json_needs(options: ExportOptions) -> Needs:
    # Listed as written, without decoding instants and data: a long log is never whole in memory.
    return Needs(texts=True)


def _json(job: Job) -> Rendered:
    from sessiontui.exporters.jsondoc import build_document, render_json

    material, options = job.material, job.options
    # Every event is listed unless an option leaves some out: then no call per event.
    keep = None if options.unfiltered else job.keep()
    texts = material.texts
    listed = in_seq_order(texts) if texts is not None else in_seq_order(material.events)
    # The document is handed on, not kept: ``render_json`` lets it go once it is encoded.
    return render_json(
        build_document(
            material.header,
            material.events,
            job.state,
            job.item_ids,
            excerpt=options.items,
            notes=options.notes,
            speakers=options.speakers,
            sha256=options.log_sha256,
        ),
        listed,
        keep,
    )


def _txt_needs(options: ExportOptions) -> Needs:
    # The whole journal comes from the log's journal checkpoint; a filtered one from every event.
    return Needs(journal=options.unfiltered, events=not options.unfiltered)


def _txt(job: Job) -> Rendered:
    from sessiontui.core.journal import journal_heading

    material = job.material
    if material.journal is not None and job.options.unfiltered:
        # Written as the lines are made (a cold journal folds the log as it goes): a long
        # session's journal is never whole in memory.
        heading = (journal_heading(material.header),)
        return text_chunks(chain(heading, material.journal, _closing(job)))
    text = journal_text(material.header, material.events, job.keep(), job.excerpt_ids)
    return text + text_of(_closing(job))


def _closing(job: Job) -> list[str]:
    """The journal's last line: the head of the log it was made from (as ``journal`` ends)."""
    from sessiontui.core.journal import journal_closing
    from sessiontui.exporters.model import log_digest

    material = job.material
    last = max((event.seq for event in material.events), default=0)
    digest = job.options.log_sha256 or material.digest
    if digest is None:
        # No digest from the store: ``events`` are every event (``Material``), sealed again.
        digest, exact = log_digest(material.header, material.events)
        if not exact:
            return []  # the records do not reproduce the log's bytes: no head to name
    return [journal_closing(last, digest)]


# -- the registry -----------------------------------------------------------------------------

# Which of ``FORMAT_OPTIONS`` each format takes: what its output changes with, nothing more.
_REPORT_TAKES = (
    *("no-notes", "no-speakers", "no-times", "items", "journal"),
    *("style", "lang", "templates", "symbol"),
)
_WORD_TAKES = (*_REPORT_TAKES, "reference-doc", "job")  # the page: its styles and its footer
_CSV_TAKES = ("no-notes", "no-speakers", "items", "events", "lang")  # lang: the speakers' words
_DATA_TAKES = ("no-notes", "no-speakers", "items")  # the events listed: json and the journal
# Taken, and idle beside another option the format takes.
_WORD_IDLE = (
    Idle(
        "job",
        "reference-doc",
        "the page footer is the reference document's (put the job number in it)",
    ),
)
_CSV_IDLE = (
    Idle("lang", "events", "a row per event is not worded (--lang words the speakers per item)"),
)

# fmt: off
REGISTRY: tuple[ExportFormat, ...] = (
    ExportFormat("md", "md", False, "the draft report as CommonMark", _markdown, _report_needs, ("markdown",), takes=_REPORT_TAKES),
    ExportFormat("html", "html", False, "the draft report as one self-contained, printable page", _html, _report_needs, ("htm",), takes=_REPORT_TAKES),
    ExportFormat("docx", "docx", True, "the draft report for Word and LibreOffice", _docx, _report_needs, takes=_WORD_TAKES, idle=_WORD_IDLE),
    ExportFormat("pdf", "pdf", True, "the draft report as PDF (through LibreOffice)", _pdf, _report_needs, takes=_WORD_TAKES, idle=_WORD_IDLE),
    ExportFormat("csv", "csv", False, "one row per item (--events: one row per event)", _csv, _csv_needs, takes=_CSV_TAKES, idle=_CSV_IDLE),
    ExportFormat("json", "json", False, "the derived state and the events", _json, _json_needs, takes=_DATA_TAKES),
    ExportFormat("txt", "txt", False, "the journal: the session in words, one line per event", _txt, _txt_needs, takes=_DATA_TAKES),
    ExportFormat("ics", "ics", False, "iCalendar: each sitting, and each time an item was on the floor", _lazy("sessiontui.exporters.ics"), takes=("items",)),
)
# fmt: on

FORMATS: tuple[str, ...] = tuple(fmt.name for fmt in REGISTRY)
"""Every format's name, in the registry's order."""


def get_format(name: str) -> ExportFormat:
    """The format called ``name``.

    Raises:
        ExportError: no format has that name.
    """
    for fmt in REGISTRY:
        if fmt.name == name:
            return fmt
    raise ExportError(f"unknown format {name!r} (one of {', '.join(FORMATS)})")


def takers(option: str) -> tuple[str, ...]:
    """The formats that take ``option`` (one of ``FORMAT_OPTIONS``), in the registry's order."""
    assert option in FORMAT_OPTIONS, option
    return tuple(fmt.name for fmt in REGISTRY if option in fmt.takes)


def format_for_extension(extension: str) -> ExportFormat | None:
    """The format a file name extension names (``htm`` is html), None if none does."""
    wanted = extension.lower()
    for fmt in REGISTRY:
        if wanted == fmt.extension or wanted in fmt.aliases:
            return fmt
    return None
