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
    """The body's paragraphs and tables as WordprocessingML text, spliced in by ``_package``.

    Built as python-docx objects, the report of a long session took 10 s (200,000 events): an
    lxml element per paragraph, run and cell, each placed by a search of its parent's children
    in schema order. Text costs a string per element; style ids are resolved once.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.parts: list[str] = []
        self.style_ids: dict[str, str] = {}

    def _style_id(self, style: str) -> str:
        if style not in self.style_ids:
            style_id = self.document.styles[style].style_id
            self.style_ids[style] = _escape(style_id).replace('"', "&quot;")
        return self.style_ids[style]

    def paragraph(self, *runs: str, style: str | None = None) -> None:
        """A paragraph of ``runs`` (from ``_run``)."""
        head = (
            f'<w:p><w:pPr><w:pStyle w:val="{self._style_id(style)}"/></w:pPr>' if style else "<w:p>"
        )
        self.parts.append(f"{head}{''.join(runs)}</w:p>")

    def text(self, text: str, style: str | None = None) -> None:
        """A paragraph of one plain run of ``text``."""
        if text:
            self.paragraph(_run(text), style=style)
        else:
            self.paragraph(style=style)

    def heading(self, text: str, level: int) -> None:
        self.text(text, "Title" if level == 0 else f"Heading {level}")

    def table(self, head: list[str], rows: list[list[str]]) -> None:
        """A table in the "Table Grid" style, a bold head row, the columns as python-docx
        ``add_table`` sizes them: the width between the margins shared out evenly."""
        from docx.shared import Emu

        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        twips = Emu(width // len(head)).twips
        column = f'<w:gridCol w:w="{twips}"/>'
        cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr><w:p>'
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self._style_id("Table Grid")}"/>'
            '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
            'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{column * len(head)}</w:tblGrid>"
        ]
        for number, row in enumerate([head, *rows]):
            if len(row) != len(head):
                raise ValueError(f"table row of {len(row)} cells under a head of {len(head)}")
            properties = "<w:rPr><w:b/></w:rPr>" if number == 0 else ""
            parts.append("<w:tr>")
            for text in row:
                parts.append(f"{cell}<w:r>{properties}{_cell_content(text)}</w:r></w:p></w:tc>")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.parts.append("".join(parts))

    def xml(self) -> bytes:
        return "".join(self.parts).encode("utf-8")


def _escape(text: str) -> str:
    """Text for ``w:t``: without what XML cannot carry, markup characters as references.

    ``>`` is escaped too, so that ``]]>`` cannot appear; a literal CR would be read back as LF
    (XML end-of-line handling), so it goes as a reference too.
    """
    return (
        xml_safe(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _run(text: str, *, bold: bool = False, italic: bool = False, line_break: bool = False) -> str:
    """A run of ``text`` as is, tabs and newlines included, optionally ending in a line break."""
    properties = ""
    if bold or italic:
        properties = f"<w:rPr>{'<w:b/>' if bold else ''}{'<w:i/>' if italic else ''}</w:rPr>"
    end = "<w:br/>" if line_break else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{_escape(text)}</w:t>{end}</w:r>'


_CELL_BREAKS = re.compile("([\t\r\n])")


def _cell_content(text: str) -> str:
    """A cell's run content as python-docx's ``cell.text`` writes it: tabs and line breaks as
    elements, the text between them as ``w:t``."""
    content = []
    for piece in _CELL_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            content.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
    return "".join(content)


def _add_text(body: _Body, text: str, style: str | None = None, label: str = "") -> None:
    """User text as paragraphs (blank lines) with line breaks (single newlines)."""
    if "\n" not in text:
        # Most notes are one line: one paragraph of one run (and the label's).
        runs = [_run(f"{label}: ", bold=True)] if label else []
        body.paragraph(*runs, _run(text if text.strip() else ""), style=style)
        return
    blocks = [b for b in text.split("\n\n") if b.strip()] or [""]
    for index, block in enumerate(blocks):
        runs = [_run(f"{label}: ", bold=True)] if label and index == 0 else []
        lines = block.split("\n")
        last = len(lines) - 1
        runs += [_run(line, line_break=number < last) for number, line in enumerate(lines)]
        body.paragraph(*runs, style=style)


def _package(data: bytes, body: bytes) -> bytes:
    """python-docx's package with ``body`` put into word/document.xml, rewritten with fixed
    member dates so that the same log gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    # The fastest deflate level: a long session's document.xml is 13 MB, which the default
    # level takes 0.23 s to pack into 1.3 MB and level 1 0.07 s into 1.9 MB.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                # The section properties must stay the body's last child.
                at = content.rindex(b"<w:sectPr")
                content = content[:at] + body + content[at:]
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content, compresslevel=1)
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
            body.text(line, style="Subtitle")
    body.heading(report.title, level=0)
    if report.subtitle:
        body.text(report.subtitle, style="Subtitle")
    place = ", ".join(part for part in (report.venue, report.dates) if part)
    if place:
        body.text(place)
    if report.excerpt:
        body.paragraph(_run("Excerpt: selected agenda items only.", italic=True))
    if times:
        body.paragraph(_run(f"Times are local times ({report.zone}).", italic=True))

    body.heading("Proceedings", level=1)
    for item in report.items:
        body.heading(item.heading, level=min(9, 2 + item.depth))
        facts = [item.status_text]
        considered = considered_text(item, clock, times=times)
        if considered:
            facts.append(considered)
        if times and (item.used or item.status in ("open", "suspended", "closed")):
            facts.append(time_text(item))
        body.paragraph(_run(" ".join(facts), italic=True))
        for sentence in item.speakers:
            body.text(sentence)
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
        body.table(list(ITEM_SUMMARY_HEAD), item_summary_rows(report))
        body.heading("Sittings", level=2)
        body.table(list(SITTING_SUMMARY_HEAD), sitting_summary_rows(report))
    if report.journal:
        body.heading("Appendix: journal", level=1)
        for line in report.journal:
            body.text(line, style=JOURNAL_STYLE)
    prov = report.provenance
    body.heading("Provenance", level=1)
    for line in (
        f"Session: {prov.session}",
        f"Last event: {prov.last_seq}",
        f"SHA-256 of the log up to that event: {prov.sha256}",
        f"Export time (last event recorded): {clock.iso(prov.exported) or 'none'}",
    ):
        body.text(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return _package(buffer.getvalue(), body.xml())
