"""The draft meeting report as a Word document (python-docx), byte-for-byte reproducible."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sessiontui.exporters.files import ExportError
from sessiontui.exporters.model import Report, xml_safe
from sessiontui.exporters.templating import Block, Document, Run

DECISION_STYLE = "Decision"
ACTION_STYLE = "Action point"
JOURNAL_STYLE = "Journal"

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


NUMBERED_STYLE = "Numbered paragraph"
MASTHEAD_STYLE = "Masthead"
SMALL_STYLE = "Small"
CONTENTS_STYLE = "Contents"
LIST_STYLE = "Agenda list"
# A font with Chinese, Japanese and Korean glyphs on the machines that open a report: Word uses
# it for CJK characters only (the East Asian slot), the Latin text keeps its own font.
CJK_FONT = "SimSun"
_WORD_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "ar-SA"}
_NUMBERING_ID = 7301  # our list's w:abstractNumId and w:numId: far from a reference's own


def _ensure(document: Any, name: str, setup: Callable[[Any], None]) -> None:
    """A paragraph style ``name`` based on Normal, unless the document (a reference) has one."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    if name in [style.name for style in styles]:
        return
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    setup(style)


def _styles(document: Any) -> None:
    """The report's own paragraph styles, where the document does not define them already."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt, RGBColor

    def numbered(style: Any) -> None:
        style.paragraph_format.left_indent = Pt(36)
        style.paragraph_format.first_line_indent = Pt(-36)
        style.paragraph_format.space_after = Pt(6)

    def decision(style: Any) -> None:
        numbered(style)
        style.font.bold = True

    def action(style: Any) -> None:
        numbered(style)
        style.font.italic = True
        style.font.color.rgb = RGBColor(0x80, 0x4A, 0x00)

    def journal(style: Any) -> None:
        style.font.name = "Courier New"
        style.font.size = Pt(8)
        style.paragraph_format.space_after = Pt(0)

    def masthead(style: Any) -> None:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        style.paragraph_format.space_after = Pt(0)

    def small(style: Any) -> None:
        style.font.size = Pt(9)

    def contents(style: Any) -> None:
        style.paragraph_format.tab_stops.add_tab_stop(Pt(450), WD_TAB_ALIGNMENT.RIGHT)
        style.paragraph_format.space_after = Pt(2)

    def agenda(style: Any) -> None:
        style.paragraph_format.left_indent = Pt(72)
        style.paragraph_format.first_line_indent = Pt(-36)
        style.paragraph_format.space_after = Pt(2)

    for name, setup in (
        (NUMBERED_STYLE, numbered),
        (DECISION_STYLE, decision),
        (ACTION_STYLE, action),
        (JOURNAL_STYLE, journal),
        (MASTHEAD_STYLE, masthead),
        (SMALL_STYLE, small),
        (CONTENTS_STYLE, contents),
        (LIST_STYLE, agenda),
    ):
        _ensure(document, name, setup)


def _numbering(document: Any) -> int:
    """One decimal list ("1.", "2.", …) for the numbered paragraphs: Word keeps counting through
    the whole document, and renumbers when a paragraph is added or removed. Returns its numId."""
    from docx.oxml import parse_xml

    part = document.part.numbering_part
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    abstract = parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="{_NUMBERING_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:tabs><w:tab w:val="num" w:pos="720"/></w:tabs>'
        '<w:ind w:left="720" w:hanging="720"/></w:pPr></w:lvl></w:abstractNum>'
    )
    number = parse_xml(
        f'<w:num {ns} w:numId="{_NUMBERING_ID}"><w:abstractNumId w:val="{_NUMBERING_ID}"/></w:num>'
    )
    root = part.element
    # Every abstractNum comes before the first num (the schema's order).
    first_num = next((child for child in root if child.tag.endswith("}num")), None)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(number)
    return _NUMBERING_ID


def _page_setup(document: Any, running: str, masthead: list[str], job: str) -> None:
    """A4 and the report's own page, used when no reference document gives one: as a UN
    document, the first page has a header of its own, the symbol block (the masthead), and the
    following pages the running header (symbol and date) and page numbers; the footer of every
    page carries the job number when there is one."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    # Minutes have no masthead: their first page keeps the running header.
    section.different_first_page_header_footer = bool(masthead)
    for number, line in enumerate(masthead):
        block = section.first_page_header
        head = block.paragraphs[0] if number == 0 else block.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head.paragraph_format.space_after = Pt(0)
        head.add_run(xml_safe(line))
    if running:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head.add_run(xml_safe(running))
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    if job:
        # Under the page number on the following pages; alone on the first, which has none.
        for line in (section.first_page_footer.paragraphs[0], section.footer.add_paragraph()):
            line.add_run(xml_safe(job)).font.size = Pt(8)


def _fonts(document: Any, lang: str) -> None:
    """CJK text in a font that has the glyphs; the report's language for the spelling checker;
    a title the size of a report's, not a cover page's."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    title = document.styles["Title"]
    title.font.size = Pt(16)
    title.font.bold = True

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), _WORD_LANGUAGES.get(lang, lang))
    language.set(qn("w:bidi"), "ar-SA")
    rpr.append(language)


def _clear_body(document: Any) -> None:
    """A reference document's body emptied: its styles, headers, footers and page are kept."""
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


class _Body:
    """The body's paragraphs and tables as WordprocessingML text, spliced in by ``_package``.

    Built as python-docx objects, the report of a long session took far too long: an
    lxml element per paragraph, run and cell, each placed by a search of its parent's children
    in schema order. Text costs a string per element; style ids are resolved once.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.parts: list[str] = []
        self.style_ids: dict[str, str] = {}
        self.numbering = 0
        # Each paragraph's opening by its style, numbering and direction: a long session's
        # report has tens of thousands of paragraphs in a handful of styles.
        self.heads: dict[tuple[str | None, bool, bool, int], str] = {}

    def _style_id(self, style: str) -> str:
        if style not in self.style_ids:
            style_id = self.document.styles[style].style_id
            self.style_ids[style] = _escape(style_id).replace('"', "&quot;")
        return self.style_ids[style]

    def paragraph(
        self,
        *runs: str,
        style: str | None = None,
        number: bool = False,
        rtl: bool = False,
        hanging: tuple[list[int], int] | None = None,
    ) -> None:
        """A paragraph of ``runs`` (from ``_run``); ``number``: in the numbered list;
        ``rtl``: a right-to-left paragraph (Arabic, Hebrew); ``hanging``: tab stops and the
        left indent (points) of a paragraph whose first line starts where its style's does."""
        if hanging is None:
            key = (style, number, rtl, self.numbering)
            head = self.heads.get(key)
            if head is None:
                head = self.heads[key] = self._head(style, number, rtl, None)
        else:
            head = self._head(style, number, rtl, hanging)
        self.parts.append(f"{head}{''.join(runs)}</w:p>")

    def _head(
        self, style: str | None, number: bool, rtl: bool, hanging: tuple[list[int], int] | None
    ) -> str:
        """A paragraph's opening tag with its properties (see ``paragraph``)."""
        properties = f'<w:pStyle w:val="{self._style_id(style)}"/>' if style else ""
        if number:
            properties += (
                f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{self.numbering}"/></w:numPr>'
            )
        if hanging:
            stops = "".join(f'<w:tab w:val="left" w:pos="{pt * 20}"/>' for pt in hanging[0])
            properties += f"<w:tabs>{stops}</w:tabs>" if stops else ""
        if rtl:
            properties += "<w:bidi/>"
        if hanging:
            # (w:ind comes after w:bidi in a paragraph's properties, as the schema orders them.)
            left = hanging[1]
            properties += f'<w:ind w:left="{left * 20}" w:hanging="{(left - _LIST_FIRST) * 20}"/>'
        return f"<w:p><w:pPr>{properties}</w:pPr>" if properties else "<w:p>"

    def text(self, text: str, style: str | None = None) -> None:
        """A paragraph of one plain run of ``text``."""
        if text:
            self.paragraph(_run(text), style=style, rtl=right_to_left(text))
        else:
            self.paragraph(style=style)

    @property
    def style_names(self) -> set[str]:
        """The names of the document's styles."""
        return {style.name for style in self.document.styles}

    def table(self, rows: list[list[str]], *, head: int = 1) -> None:
        """A table in the "Table Grid" style, ``head`` bold head rows, the width between the
        margins shared out by ``column_widths``."""
        from docx.shared import Emu

        section = self.document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        columns = len(rows[0])
        widths = [Emu(w).twips for w in column_widths(rows, width, head=head)]
        grid = "".join(f'<w:gridCol w:w="{twips}"/>' for twips in widths)
        cells = [
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr><w:p>' for twips in widths
        ]
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self._style_id("Table Grid")}"/>'
            '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
            'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
        ]
        for number, row in enumerate(rows):
            if len(row) != columns:
                raise ValueError(f"table row of {len(row)} cells under a head of {columns}")
            properties = "<w:rPr><w:b/></w:rPr>" if number < head else ""
            parts.append("<w:tr>")
            for cell, text in zip(cells, row, strict=True):
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


def right_to_left(text: str) -> bool:
    """Whether text reads right to left: its first strong character is Arabic or Hebrew."""
    if text.isascii():
        return False  # no ASCII character is right to left (most of a report's text is ASCII)
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


# CJK ideographs, kana and the like (U+2E80-U+9FFF), Hangul syllables (U+AC00-U+D7AF).
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af]")


def _cjk(text: str) -> bool:
    # One search in C: a report's runs are millions of characters, tested one by one before.
    # ASCII text (whether it is, a string knows without reading it) holds none.
    return not text.isascii() and _CJK.search(text) is not None


def _run_properties(text: str, bold: bool, italic: bool) -> str:
    """A run's ``w:rPr`` (or nothing): its East Asian font, emphasis and direction."""
    properties = ""
    if _cjk(text):
        properties += '<w:rFonts w:hint="eastAsia"/>'
    properties += ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if right_to_left(text):
        properties += "<w:rtl/>"
    return f"<w:rPr>{properties}</w:rPr>" if properties else ""


# A run's properties by its emphasis (bold, italic), for text that asks for nothing else.
_EMPHASIS = {
    (False, False): "",
    (True, False): "<w:rPr><w:b/></w:rPr>",
    (False, True): "<w:rPr><w:i/></w:rPr>",
    (True, True): "<w:rPr><w:b/><w:i/></w:rPr>",
}


def _run(text: str, *, bold: bool = False, italic: bool = False, line_break: bool = False) -> str:
    """A run of ``text`` as is, tabs and newlines included, optionally ending in a line break.

    A run in Arabic or Hebrew is marked right to left; one with CJK text asks for the East Asian
    font (``w:hint``), so punctuation between the characters takes it too.
    """
    # ASCII text is neither CJK nor right to left: its properties are its emphasis alone.
    properties = _EMPHASIS[bold, italic] if text.isascii() else _run_properties(text, bold, italic)
    end = "<w:br/>" if line_break else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{_escape(text)}</w:t>{end}</w:r>'


_CELL_BREAKS = re.compile("([\t\r\n])")


def _cell_content(text: str) -> str:
    """A cell's run content as python-docx's ``cell.text`` writes it: tabs and line breaks as
    elements, the text between them as ``w:t``."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        # One piece (nearly every cell): no split.
        return f'<w:t xml:space="preserve">{_escape(text)}</w:t>' if text else ""
    content = []
    for piece in _CELL_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            content.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
    return "".join(content)


def _package(data: bytes, body: bytes) -> bytes:
    """python-docx's package with ``body`` put into word/document.xml, rewritten with fixed
    member dates so that the same log gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    # The fastest deflate level: a long session's document.xml is large, and the default
    # level packs it several times slower for a file only somewhat smaller.
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


def _runs(runs: list[Run]) -> list[str]:
    """Runs with emphasis; a paragraph's own line breaks as ``w:br``."""
    out: list[str] = []
    for run in runs:
        if "\n" not in run.text:
            out.append(_run(run.text, bold=run.bold, italic=run.italic))  # most runs
            continue
        lines = run.text.split("\n")
        last = len(lines) - 1
        out += [
            _run(line, bold=run.bold, italic=run.italic, line_break=index < last)
            for index, line in enumerate(lines)
        ]
    return out


_ROLE_STYLES = {"decision": DECISION_STYLE, "action": ACTION_STYLE, "small": SMALL_STYLE}


def column_widths(rows: list[list[str]], width: int, *, head: int = 1) -> list[int]:
    """``width`` shared out among a table's columns by the length of their longest cell.

    Shared evenly, a title column got a fifth of the page and wrapped about a word a line
    beside four columns of short figures. Each column gets room for its longest text (at least
    a short head word's, at most a line's worth, and the cell's margins), reckoning 64
    characters to the width (10-point text in a wide font, with room to spare in a narrow one); the widest column (the titles) takes what is left, unless the
    others would leave it less than a quarter: then each column's share follows its need,
    but no column gets less than the longest word of its ``head`` rows needs in bold: a head
    word broken inside ("Suspension" over "s") reads as two words.
    """
    need = [
        (min(60, max(5, *(len(row[i]) for row in rows))) + 2) * width // 64
        for i in range(len(rows[0]))
    ]
    floors = [
        (max((len(w) for row in rows[:head] for w in row[i].split()), default=0) + 3) * width // 64
        for i in range(len(rows[0]))
    ]
    widest = need.index(max(need))
    others = sum(need) - need[widest]
    # The figures as they need and the titles the rest, or all by their needs when crowded:
    # each column its head word's room, and what is left by what each needs beyond it.
    crowded = others > width * 3 // 4
    beyond = [max(0, n - f) for n, f in zip(need, floors, strict=True)]
    spare, wanted = width - sum(floors), sum(beyond)
    if not crowded:
        widths = list(need)
    elif spare > 0 and wanted > 0:
        widths = [f + spare * b // wanted for f, b in zip(floors, beyond, strict=True)]
    else:
        widths = [width * n // sum(need) for n in need]
    widths[widest] += width - sum(widths)
    return widths


_LIST_FIRST = 36  # where the first line of an agenda list entry starts (its style's), points
_LIST_TEXT = 72  # where a top-level entry's title starts, and its wrapped lines
_LIST_STEP = 45  # room for a sub-item's label ("2(a)", "3.(a)(i)") before its title


def _list_indent(level: int) -> tuple[list[int], int]:
    """Tab stops and left indent (points) of an agenda list entry ``level`` deep.

    The entry is written "<tab per level>2(a)<tab>Title": each leading tab reaches the label
    position of the next level, the label stands under its parent's title, and the last tab
    reaches the hanging indent, where the title and its wrapped lines start. With the style's
    indent alone, a sub-item's title started at a default tab stop and its second line went
    back under the label.
    """
    stops = [_LIST_TEXT + _LIST_STEP * k for k in range(level)]
    return stops, stops[-1] + _LIST_STEP


def _block(body: _Body, block: Block) -> None:
    kind = block.kind
    text = block.text
    if kind == "heading":
        body.paragraph(
            *_runs(block.runs),
            style="Title" if block.level <= 1 else f"Heading {min(9, block.level - 1)}",
            rtl=right_to_left(text),
        )
    elif kind == "para":
        default = NUMBERED_STYLE if block.number is not None else None
        body.paragraph(
            *_runs(block.runs),
            style=_ROLE_STYLES.get(block.role, default),
            number=block.number is not None,
            rtl=right_to_left(text),
        )
    elif kind == "masthead":
        for line in block.lines:
            body.text(line, MASTHEAD_STYLE)
    elif kind == "list":
        for label, runs, level in block.entries:
            indent = "\t" * level
            lead = [_run(f"{indent}{label}\t")] if label or level else []
            plain = "".join(run.text for run in runs)
            body.paragraph(
                *lead,
                *_runs(runs),
                style=LIST_STYLE,
                rtl=right_to_left(plain),
                hanging=_list_indent(level) if level and lead else None,
            )
    elif kind == "contents":
        body.text(text, "TOC Heading" if "TOC Heading" in body.style_names else "Heading 1")
        for span, runs, _ in block.entries:
            body.paragraph(*_runs(runs), _run(f"\t{span}"), style=CONTENTS_STYLE)
    elif kind == "table":
        rows = [["".join(run.text for run in cell) for cell in row] for row in block.rows]
        width = max(len(row) for row in rows)
        body.table([*(row + [""] * (width - len(row)) for row in rows)], head=block.head)
    elif kind == "log":
        for line in block.lines:
            body.text(line, JOURNAL_STYLE)


def render_docx(
    report: Report,
    document: Document,
    *,
    created: dt.datetime,
    reference: Path | None = None,
) -> bytes:
    """The worded report as .docx bytes; ``created`` is the fixed time stamped in its properties.

    Args:
        report: the report's content.
        document: the report worded by its style's templates.
        created: when the log was created (the time in the properties when nothing happened).
        reference: a Word document whose styles, header, footer and page the report takes (like
            pandoc's ``--reference-doc``); its body is left out.

    Raises:
        ExportError: the reference document cannot be read as a Word document.
    """
    import docx

    if reference is not None:
        if not reference.is_file():
            raise ExportError(f"--reference-doc: no file {reference}")
        try:
            word = docx.Document(str(reference))
        except Exception:  # a foreign file: whatever python-docx or lxml makes of it
            # Said as a person can act on it: the library's own error names nothing they know.
            raise ExportError(
                f"--reference-doc: {reference} is not a Word document (.docx): save it as one "
                "from Word or LibreOffice"
            ) from None
        _clear_body(word)
    else:
        word = docx.Document()
        # The masthead goes in the first page's header, not in the body.
        masthead = next((block for block in document.blocks if block.kind == "masthead"), None)
        _page_setup(word, document.running, masthead.lines if masthead else [], report.report_job)
        _fonts(word, document.lang)
    _styles(word)
    body = _Body(word)
    body.numbering = _numbering(word)
    moment = (report.end or created).astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props = word.core_properties
    props.author = "sessiontui"
    props.last_modified_by = "sessiontui"
    props.title = xml_safe(report.title)[:255]
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    props.language = _WORD_LANGUAGES.get(document.lang, document.lang)
    for block in document.blocks:
        if block.kind == "masthead" and reference is None:
            continue  # in the first page's header
        _block(body, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return _package(buffer.getvalue(), body.xml())
