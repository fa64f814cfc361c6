"""The draft meeting report as a Word document (python-docx), byte-for-byte reproducible."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from sessiontui.exporters.model import (
    ITEM_SUMMARY_HEAD,
    NOTE_TITLES,
    SITTING_SUMMARY_HEAD,
    Report,
    considered_text,
    item_summary_rows,
    sitting_summary_rows,
    time_text,
)

DECISION_STYLE = "Decision"
ACTION_STYLE = "Action point"
JOURNAL_STYLE = "Journal"

# XML 1.0 cannot hold these at all; lxml refuses the whole document if one slips through.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def xml_safe(text: str) -> str:
    """Text without the characters XML cannot carry."""
    return _NOT_XML.sub("", text)


def _styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    decision = styles.add_style(DECISION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    decision.base_style = styles["Normal"]
    decision.font.bold = True
    decision.paragraph_format.left_indent = Pt(24)
    decision.paragraph_format.space_before = Pt(6)
    decision.paragraph_format.space_after = Pt(6)
    action = styles.add_style(ACTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    action.base_style = styles["Normal"]
    action.font.italic = True
    action.font.color.rgb = RGBColor(0x80, 0x4A, 0x00)
    action.paragraph_format.left_indent = Pt(24)
    journal = styles.add_style(JOURNAL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    journal.base_style = styles["Normal"]
    journal.font.name = "Courier New"
    journal.font.size = Pt(8)
    journal.paragraph_format.space_after = Pt(0)


def _page_numbers(document: Any) -> None:
    """A centred "Page N" in the footer: a PAGE field, which Word and LibreOffice fill in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


class _Body:
    """Appends paragraphs to the document body in constant time.

    python-docx's ``add_paragraph`` searches the whole body for the section properties before
    every insertion, and setting a style by name scans every style: both quadratic on the
    report of a long session (80 s for 200,000 events). The section properties are detached
    while the body is written and put back by ``finish``; style ids are resolved once.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.body = document.element.body
        self.section = self.body.sectPr
        if self.section is not None:
            self.body.remove(self.section)
        self.style_ids: dict[str, str] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> Any:
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        element = OxmlElement("w:p")
        self.body.append(element)
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            element.style = self.style_ids[style]
        paragraph = Paragraph(element, self.document._body)
        if text:
            self.run(paragraph, text)
        return paragraph

    @staticmethod
    def run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False) -> Any:
        """Append a run of text; python-docx's ``add_run(text)`` walks it char by char."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = OxmlElement("w:r")
        if bold or italic:
            properties = OxmlElement("w:rPr")
            for flag, tag in ((bold, "w:b"), (italic, "w:i")):
                if flag:
                    properties.append(OxmlElement(tag))
            run.append(properties)
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        run.append(element)
        paragraph._p.append(run)
        return run

    def heading(self, text: str, level: int) -> Any:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def table(self, rows: int, cols: int) -> Any:
        # A table takes its width from the section: put it back for the (rare) table.
        self.finish()
        table = self.document.add_table(rows=rows, cols=cols)
        if self.section is not None:
            self.body.remove(self.section)
        return table

    def finish(self) -> None:
        if self.section is not None:
            self.body.append(self.section)


def _add_text(body: _Body, text: str, style: str | None = None, label: str = "") -> None:
    """User text as paragraphs (blank lines) with line breaks (single newlines)."""
    from docx.oxml import OxmlElement

    blocks = [b for b in text.split("\n\n") if b.strip()] or [""]
    for index, block in enumerate(blocks):
        paragraph = body.paragraph(style=style)
        if label and index == 0:
            body.run(paragraph, f"{label}: ", bold=True)
        lines = block.split("\n")
        for number, line in enumerate(lines):
            run = body.run(paragraph, xml_safe(line))
            if number < len(lines) - 1:
                run.append(OxmlElement("w:br"))


def _table(body: _Body, head: list[str], rows: list[list[str]]) -> None:
    table = body.table(rows=1, cols=len(head))
    table.style = body.document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = xml_safe(text)


def _reproducible(data: bytes) -> bytes:
    """Rewrite the zip with fixed member dates, so the same log gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_docx(report: Report, *, times: bool, created: dt.datetime) -> bytes:
    """The report as .docx bytes; ``created`` is the fixed time stamped in its properties."""
    import docx

    document = docx.Document()
    _styles(document)
    _page_numbers(document)
    body = _Body(document)
    moment = (report.end or created).astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props = document.core_properties
    props.author = "sessiontui"
    props.last_modified_by = "sessiontui"
    props.title = xml_safe(report.title)[:255]
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    clock = report.clock

    for line in (report.body, report.symbol):
        if line:
            body.paragraph(xml_safe(line), style="Subtitle")
    body.heading(xml_safe(report.title), level=0)
    if report.subtitle:
        body.paragraph(xml_safe(report.subtitle), style="Subtitle")
    place = ", ".join(part for part in (report.venue, report.dates) if part)
    if place:
        body.paragraph(xml_safe(place))
    if report.excerpt:
        body.run(body.paragraph(), "Excerpt: selected agenda items only.", italic=True)
    if times:
        zone_line = f"Times are local times ({report.zone})."
        body.run(body.paragraph(), xml_safe(zone_line), italic=True)

    body.heading("Proceedings", level=1)
    for item in report.items:
        body.heading(xml_safe(item.heading), level=min(9, 2 + item.depth))
        facts = [item.status_text]
        considered = considered_text(item, clock, times=times)
        if considered:
            facts.append(considered)
        if times and (item.used or item.status in ("open", "suspended", "closed")):
            facts.append(time_text(item))
        body.run(body.paragraph(), xml_safe(" ".join(facts)), italic=True)
        for sentence in item.speakers:
            body.paragraph(xml_safe(sentence))
        for note in item.notes:
            if note.kind == "decision":
                _add_text(body, note.text, DECISION_STYLE, NOTE_TITLES["decision"])
            elif note.kind == "action":
                _add_text(body, note.text, ACTION_STYLE, NOTE_TITLES["action"])
            else:
                _add_text(body, note.text)

    if times:
        body.heading("Summary", level=1)
        body.heading("Time per item", level=2)
        _table(body, list(ITEM_SUMMARY_HEAD), item_summary_rows(report))
        body.heading("Sittings", level=2)
        _table(body, list(SITTING_SUMMARY_HEAD), sitting_summary_rows(report))
    if report.journal:
        body.heading("Appendix: journal", level=1)
        for line in report.journal:
            body.paragraph(xml_safe(line), style=JOURNAL_STYLE)
    prov = report.provenance
    body.heading("Provenance", level=1)
    for line in (
        f"Session: {prov.session}",
        f"Last event: {prov.last_seq}",
        f"SHA-256 of the log up to that event: {prov.sha256}",
        f"Export time (last event recorded): {clock.iso(prov.exported) or 'none'}",
    ):
        body.paragraph(xml_safe(line))
    buffer = io.BytesIO()
    body.finish()
    document.save(buffer)
    return _reproducible(buffer.getvalue())
