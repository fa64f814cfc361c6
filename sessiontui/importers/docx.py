"""Word (.docx) into Lines: paragraphs, tables, and automatic numbering from numbering.xml."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from sessiontui.core.agenda import roman
from sessiontui.importers.classify import clean_text, parse_number, squash
from sessiontui.importers.source import ImportFailure, Line
from sessiontui.importers.text import without_footnotes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELS = "word/_rels/document.xml.rels"

MAX_ENTRIES = 5000
MAX_PART_BYTES = 16 * 1024 * 1024
"""document.xml of a 300-page report is a few megabytes."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Declared uncompressed size of the whole archive (pictures included)."""
MAX_RATIO = 200
"""XML compresses 10-30 times; a part that claims far more is built to explode."""
MAX_NESTING = 40
"""Content controls inside content controls: Word documents nest a handful."""
MAX_PARAGRAPHS = 20_000
"""Reading stops here; the agenda builder refuses documents with half as many anyway."""
MAX_LINKS = 64
"""Links kept per paragraph or table row; an agenda item links a handful of documents."""
MAX_NUMBER_START = 32767
"""Word's own limit for where a list starts; beyond it a numbering is built to exhaust memory
(a roman or letter counter of 10**12 is a string of a billion characters)."""


class AbsurdNumbering(ValueError):
    """A list numbering starts at a value no document uses."""


_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def docx_lines(data: bytes, name: str) -> tuple[list[Line], list[str]]:
    """Read the body of a Word document into Lines.

    The zip is inspected before anything is decompressed (entry count, declared sizes,
    compression ratio) and every part is read with a cap, so a zip bomb costs nothing. XML with
    a DOCTYPE or an entity declaration is refused before parsing: ElementTree would expand
    internal entities.

    Returns:
        The lines and the doubts met on the way.

    Raises:
        ImportFailure: not a zip, not a Word document, damaged, or built to exhaust memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportFailure(f"{name}: not a Word document (not a zip archive)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ImportFailure(f"{name}: {len(infos)} entries in the zip - not a Word document")
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_BYTES:
            raise ImportFailure(
                f"{name}: the zip claims {total} bytes uncompressed - refused as a zip bomb"
            )
        parts = {info.filename: info for info in infos}
        if "word/document.xml" not in parts:
            raise ImportFailure(f"{name}: a zip archive without word/document.xml - not .docx")
        document = _parse(_read(archive, parts["word/document.xml"], name), name)
        styles = _parse_optional(archive, parts.get("word/styles.xml"), name)
        numbering = _parse_optional(archive, parts.get("word/numbering.xml"), name)
        relationships = _parse_optional(archive, parts.get(RELS), name)
    try:
        lists = Numbering(numbering)
    except AbsurdNumbering as exc:
        raise ImportFailure(
            f"{name}: a Word list starts at {exc} - refused (Word's lists start at most at "
            f"{MAX_NUMBER_START})"
        ) from None
    reader = _Reader(Styles(styles), lists, name, _targets(relationships))
    body = document.find(f"{W}body")
    if body is None:
        raise ImportFailure(f"{name}: the Word document has no body")
    reader.block(body)
    return without_footnotes(reader.lines), reader.doubts


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    if info.file_size > MAX_PART_BYTES:
        raise ImportFailure(f"{name}: {info.filename} is {info.file_size} bytes - too large")
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ImportFailure(f"{name}: {info.filename} is compressed {MAX_RATIO}+ times - refused")
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_PART_BYTES + 1)  # the declared size may lie
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
        raise ImportFailure(
            f"{name}: {info.filename} cannot be read (damaged or encrypted)"
        ) from None
    if len(data) > MAX_PART_BYTES:
        raise ImportFailure(f"{name}: {info.filename} is larger than it claims - refused")
    return data


def _parse(data: bytes, name: str) -> ET.Element:
    if _DECLARATION.search(data):
        raise ImportFailure(f"{name}: XML with a DOCTYPE or ENTITY declaration - refused")
    try:
        return ET.fromstring(data)  # noqa: S314 - declarations refused above, sizes capped
    except (ET.ParseError, ValueError, LookupError):  # LookupError: an unknown encoding
        raise ImportFailure(f"{name}: damaged Word document (the XML does not parse)") from None


def _parse_optional(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, name: str
) -> ET.Element | None:
    return _parse(_read(archive, info, name), name) if info is not None else None


def _targets(root: ET.Element | None) -> dict[str, str]:
    """The external addresses of the document's relationships (hyperlinks), by id."""
    if root is None:
        return {}
    out: dict[str, str] = {}
    for element in root.iter(f"{PR}Relationship"):
        rel_id, target = element.get("Id"), element.get("Target")
        if rel_id and target and element.get("TargetMode") == "External":
            out[rel_id] = target.strip()
    return out


_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')


def _field_url(instruction: str) -> str | None:
    """The address of a ``HYPERLINK "https://..."`` field instruction, else None."""
    match = _HYPERLINK_FIELD.match(instruction)
    if match is None:
        return None
    url = (match["quoted"] if match["quoted"] is not None else match["bare"]).strip()
    return url if url and not url.startswith("\\") else None


def _val(element: ET.Element | None, attribute: str = "val") -> str | None:
    return element.get(f"{W}{attribute}") if element is not None else None


def _on(element: ET.Element | None) -> bool:
    """A Word toggle property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    return element is not None and _val(element) not in ("0", "false", "off")


# -- styles -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Style:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool | None = None


class Styles:
    """Paragraph styles with inheritance: heading level, Title, bold, numbering."""

    def __init__(self, root: ET.Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        if root is None:
            return
        for element in root.iter(f"{W}style"):
            if element.get(f"{W}type") not in (None, "paragraph"):
                continue
            style_id = element.get(f"{W}styleId") or ""
            style = _Style(name=(_val(element.find(f"{W}name")) or style_id))
            style.based_on = _val(element.find(f"{W}basedOn"))
            ppr = element.find(f"{W}pPr")
            if ppr is not None:
                numpr = ppr.find(f"{W}numPr")
                if numpr is not None:
                    style.num_id = _val(numpr.find(f"{W}numId"))
                    style.ilvl = _int(_val(numpr.find(f"{W}ilvl")))
                style.outline = _int(_val(ppr.find(f"{W}outlineLvl")))
            rpr = element.find(f"{W}rPr")
            if rpr is not None and rpr.find(f"{W}b") is not None:
                style.bold = _on(rpr.find(f"{W}b"))
            self.styles[style_id] = style
            if element.get(f"{W}default") in ("1", "true"):
                self.default = style_id

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and the styles it is based on, nearest first."""
        out: list[_Style] = []
        current = style_id or self.default
        while current and current in self.styles and len(out) < 20:
            out.append(self.styles[current])
            current = self.styles[current].based_on
        return out

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The numbering a style applies (numId, ilvl), inherited if need be."""
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def heading_level(self, style_id: str | None) -> int:
        """1-9 for "Heading 1".."Heading 9" (or an outline level), else 0."""
        for style in self.chain(style_id):
            match = re.fullmatch(r"heading\s*(\d)", style.name.strip(), re.IGNORECASE)
            if match:
                return int(match.group(1))
            if style.outline is not None and 0 <= style.outline < 9:
                return style.outline + 1
        return 0

    def is_title(self, style_id: str | None) -> bool:
        """Word's "Title" style (or one based on it)."""
        return any(style.name.strip().lower() == "title" for style in self.chain(style_id))

    def bold(self, style_id: str | None) -> bool:
        """Whether the style makes its text bold."""
        for style in self.chain(style_id):
            if style.bold is not None:
                return style.bold
        return False


# -- numbering ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


@dataclass(slots=True)
class _Instance:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # full lvl overrides


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None and len(text) < 20 else None
    except ValueError:
        return None


def _start(text: str | None) -> int | None:
    """A list's start value, refused when absurd (the text is cut before it is converted)."""
    if text is not None and len(text.strip().lstrip("+-0")) > len(str(MAX_NUMBER_START)):
        raise AbsurdNumbering(text[:30])
    value = _int(text)
    if value is not None and not -1 <= value <= MAX_NUMBER_START:
        raise AbsurdNumbering(text or "")
    return value


def _level(element: ET.Element) -> _Level:
    level = _Level()
    level.fmt = _val(element.find(f"{W}numFmt")) or "decimal"
    lvl_text = element.find(f"{W}lvlText")
    level.text = _val(lvl_text) or ""
    level.start = _start(_val(element.find(f"{W}start"))) or (
        0 if element.find(f"{W}start") is not None else 1
    )
    level.legal = _on(element.find(f"{W}isLgl"))
    return level


def format_counter(value: int, fmt: str) -> str:
    """A counter in a Word number format (decimal, lowerLetter, upperRoman ...)."""
    if value <= 0 and fmt not in ("decimal", "decimalZero"):
        return str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26] * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numeral = roman(value)
        return numeral.upper() if fmt == "upperRoman" else numeral
    if fmt == "ordinal":
        suffix = (
            "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        )
        return f"{value}{suffix}"
    return str(value)


_KINDS = {
    "decimal": "arabic",
    "decimalZero": "arabic",
    "lowerLetter": "lower",
    "upperLetter": "upper",
    "lowerRoman": "rlower",
    "upperRoman": "rupper",
}


class Numbering:
    """Word's list numbering: abstract definitions, instances and the running counters.

    Counters belong to the abstract definition, so two instances of one list continue each
    other, as in Word; an instance with a ``startOverride`` restarts the level it names.
    """

    def __init__(self, root: ET.Element | None) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style id
        self.instances: dict[str, _Instance] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for element in root.iter(f"{W}abstractNum"):
            abstract_id = element.get(f"{W}abstractNumId") or ""
            levels = {}
            for lvl in element.findall(f"{W}lvl"):
                ilvl = _int(lvl.get(f"{W}ilvl"))
                if ilvl is not None and 0 <= ilvl < 9:
                    levels[ilvl] = _level(lvl)
            self.abstracts[abstract_id] = levels
            link = _val(element.find(f"{W}numStyleLink"))
            if link:
                self.style_links[abstract_id] = link
        for element in root.iter(f"{W}num"):
            num_id = element.get(f"{W}numId") or ""
            instance = _Instance(_val(element.find(f"{W}abstractNumId")) or "")
            for override in element.findall(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"))
                if ilvl is None or not 0 <= ilvl < 9:
                    continue
                start = _start(_val(override.find(f"{W}startOverride")))
                if start is not None:
                    instance.overrides[ilvl] = start
                replaced = override.find(f"{W}lvl")
                if replaced is not None:
                    instance.levels[ilvl] = _level(replaced)
            self.instances[num_id] = instance

    def resolve(self, num_id: str, styles: Styles) -> tuple[_Instance, dict[int, _Level]] | None:
        """The instance and the level definitions a numId stands for."""
        instance = self.instances.get(num_id)
        seen = 0
        while instance is not None and seen < 5:
            levels = self.abstracts.get(instance.abstract)
            link = self.style_links.get(instance.abstract)
            if levels and not link:
                return instance, {**levels, **instance.levels}
            if link is None:
                return (instance, dict(instance.levels)) if instance.levels else None
            # a list style: its definition lives under the numId of the linked style
            linked_num, _ = styles.numbering(link)
            if linked_num is None or linked_num == num_id:
                return None
            instance = self.instances.get(linked_num)
            seen += 1
        return None

    def next_number(
        self, num_id: str, ilvl: int, styles: Styles
    ) -> tuple[str | None, bool, str | None]:
        """Advance the counter of a list level and write the number as Word shows it.

        Returns:
            The number text (None when the level shows none), whether it is a bullet, and the
            kind of counter of the level ("rupper" for upperRoman ...).
        """
        resolved = self.resolve(num_id, styles)
        if resolved is None:
            return None, False, None
        instance, levels = resolved
        level = levels.get(ilvl)
        if level is None:
            return None, False, None
        counters = self.counters.setdefault(instance.abstract, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for override_level, start in instance.overrides.items():
                counters[override_level] = start - 1
                for deeper in range(override_level + 1, 9):
                    counters[deeper] = None
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt == "bullet":
            return None, True, None
        if level.fmt == "none":
            return None, False, None

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index < 9:
                return ""
            target = levels.get(index, _Level())
            value = counters[index]
            if value is None:
                value = target.start
            fmt = "decimal" if level.legal and index < ilvl else target.fmt
            return format_counter(value, fmt)

        text = squash(re.sub(r"%(\d)", render, level.text))
        return (text or None), False, _KINDS.get(level.fmt)


# -- the body -----------------------------------------------------------------------------------


class _Reader:
    def __init__(
        self, styles: Styles, numbering: Numbering, name: str, targets: dict[str, str]
    ) -> None:
        self.name = name
        self.targets = targets
        self.links_left = 0  # links past MAX_LINKS in the paragraph being read
        self.styles = styles
        self.numbering = numbering
        self.lines: list[Line] = []
        self.doubts: list[str] = []
        self.paragraphs = 0
        self.tables = 0
        self.spaced: str | None = None  # the last runs' text with its column gaps, if any

    def block(self, container: ET.Element, depth: int = 0) -> None:
        if depth > MAX_NESTING:
            raise ImportFailure(f"{self.name}: the document nests too deeply to read")
        for child in container:
            if len(self.lines) > MAX_PARAGRAPHS:
                return
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent")
                self.block(content if content is not None else child, depth + 1)

    def number_of(
        self, paragraph: ET.Element
    ) -> tuple[str | None, bool, int, str | None, str | None]:
        """(number text, bullet, list level, style id, kind of counter) of a paragraph."""
        ppr = paragraph.find(f"{W}pPr")
        style_id = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        num_id, ilvl = self.styles.numbering(style_id)
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        if numpr is not None:
            direct_num = _val(numpr.find(f"{W}numId"))
            direct_lvl = _int(_val(numpr.find(f"{W}ilvl")))
            num_id = direct_num if direct_num is not None else num_id
            ilvl = direct_lvl if direct_lvl is not None else ilvl
        if not num_id or num_id == "0":
            return None, False, 0, style_id, None
        level = ilvl if ilvl is not None and 0 <= ilvl < 9 else 0
        text, bullet, kind = self.numbering.next_number(num_id, level, self.styles)
        return text, bullet, level, style_id, kind

    def paragraph(self, paragraph: ET.Element) -> None:
        self.paragraphs += 1
        number, bullet, level, style_id, kind = self.number_of(paragraph)
        text, bold, links = self.runs(paragraph, self.styles.bold(style_id))
        raw, self.spaced = self.spaced, None
        where = f"paragraph {self.paragraphs}"
        self.too_many_links(where)
        if not text and number is None:
            self.lines.append(Line(where, ""))
            return
        indent = level * 4 if (number or bullet) else self.indent(paragraph)
        self.lines.append(
            Line(
                where,
                text,
                indent=indent,
                heading=self.styles.heading_level(style_id),
                bold=bold,
                number=number,
                bullet=bullet,
                hard=True,
                title_style=self.styles.is_title(style_id),
                number_kind=kind,
                links=links,
                raw=raw,
            )
        )

    def too_many_links(self, where: str) -> None:
        if self.links_left:
            self.doubts.append(
                f"{where}: {self.links_left} more links than the {MAX_LINKS} kept - left out"
            )
            self.links_left = 0

    def indent(self, paragraph: ET.Element) -> int:
        ppr = paragraph.find(f"{W}pPr")
        ind = ppr.find(f"{W}ind") if ppr is not None else None
        left = _int(_val(ind, "left") or _val(ind, "start")) if ind is not None else None
        return max(0, (left or 0) // 180)  # 720 twips (half an inch) ~ 4 spaces

    def runs(
        self, container: ET.Element, style_bold: bool, *, breaks: bool = False
    ) -> tuple[str, bool, tuple[tuple[str, str], ...]]:
        """The visible text of a paragraph (tracked deletions left out), whether it is bold, and
        its links as (text, address). Line breaks are spaces, or with ``breaks`` newlines."""
        runs = _Runs(self, style_bold)
        runs.walk(container)
        text = clean_text("".join(runs.parts))
        # a tab or a run of spaces between columns ("United Nations<tab>A/HRC/55/1") is kept
        # as the plain-text reader keeps it: the masthead's columns are read apart
        spaced = text.replace(_BREAK, " ").strip()
        self.spaced = spaced if _COLUMN_GAP.search(spaced) else None
        if breaks:
            text = "\n".join(squash(part) for part in text.split(_BREAK))
        else:
            text = squash(text.replace(_BREAK, " "))
        return text, bool(runs.bold_flags) and all(runs.bold_flags), tuple(runs.links)

    def table(self, table: ET.Element) -> None:
        self.tables += 1
        for row_index, row in enumerate(table.findall(f"{W}tr"), 1):
            cells: list[str] = []
            cell_lines: list[tuple[str, ...]] = []
            links: list[tuple[str, str]] = []
            sub_items: list[str] = []  # "(a) ..." paragraphs under the item of a cell
            for cell in row.findall(f"{W}tc"):
                pieces: list[str] = []
                for paragraph in cell.iter(f"{W}p"):
                    number, _, _, style_id, _ = self.number_of(paragraph)
                    text, _, found = self.runs(paragraph, self.styles.bold(style_id), breaks=True)
                    lines = text.split("\n")
                    pieces.append(" ".join(p for p in (number, lines[0]) if p))
                    pieces.extend(lines[1:])
                    for pair in found:
                        if len(links) >= MAX_LINKS:
                            self.links_left += 1
                        elif pair not in links:
                            links.append(pair)
                pieces = [piece for piece in pieces if piece]
                cell_lines.append(tuple(pieces))
                if _sub_items(pieces) and not sub_items:
                    sub_items, pieces = pieces[1:], pieces[:1]
                cells.append(squash(" ".join(pieces)))
            self.too_many_links(f"table {self.tables}, row {row_index}")
            trpr = row.find(f"{W}trPr")
            header = trpr is not None and trpr.find(f"{W}tblHeader") is not None
            self.lines.append(
                Line(
                    f"table {self.tables}, row {row_index}",
                    "",
                    cells=cells,
                    cell_lines=tuple(cell_lines) if any(len(c) > 1 for c in cell_lines) else None,
                    table=self.tables,
                    header=header,
                    hard=True,
                    links=tuple(links),
                )
            )
            for place, text in enumerate(sub_items, 2):
                where = f"table {self.tables}, row {row_index}, paragraph {place}"
                self.lines.append(Line(where, text, indent=4, hard=True, table=self.tables))
        self.lines.append(Line(f"table {self.tables}", ""))


def _sub_items(pieces: list[str]) -> bool:
    """A cell that holds an item and its numbered sub-items, one paragraph or line each
    ("3. Report of the Director" / "(a) Programme" / "(b) Finances"): the sub-items are
    items of their own, not more of the title."""
    if len(pieces) < 2:
        return False
    readings = [parse_number(piece) for piece in pieces[1:]]
    styles = {reading[0][0].style if reading is not None else None for reading in readings}
    if len(styles) != 1 or None in styles:
        return False
    first = parse_number(pieces[0])  # the item's own number, or none when a column holds it
    return first is None or first[0][0].style not in styles


_COLUMN_GAP = re.compile(r"\S {3,}\S")
_BREAK = "\u2028"  # a line break inside a paragraph, until the paragraph's text is made

_CONTAINERS = frozenset(
    f"{W}{tag}" for tag in ("ins", "smartTag", "customXml", "moveTo", "sdt", "sdtContent")
)


_FOOTNOTE_MARK = re.compile(r"[0-9*\u2020\u2021]{1,3}")
"""A footnote's mark typed by hand: a number, asterisks or daggers."""


def _is_typed_footnote_mark(run: ET.Element, rpr: ET.Element) -> bool:
    """A run set as a superscript mark after a word (``officers.¹`` typed, not a footnote
    Word numbers itself, which carries no text): not part of the title or annotation."""
    if _val(rpr.find(f"{W}vertAlign")) != "superscript":
        return False
    text = "".join(piece.text or "" for piece in run.iter(f"{W}t"))
    return _FOOTNOTE_MARK.fullmatch(text.strip()) is not None


class _Runs:
    """The runs of one paragraph read in order: text, bold, and links — ``w:hyperlink``
    through the document's relationships, and ``HYPERLINK`` fields, simple or spread over
    runs (``fldChar`` begin, ``instrText``, separate, the shown text, end)."""

    def __init__(self, reader: _Reader, style_bold: bool) -> None:
        self.reader = reader
        self.style_bold = style_bold
        self.parts: list[str] = []
        self.bold_flags: list[bool] = []
        self.links: list[tuple[str, str]] = []
        # open complex fields: (instruction pieces, where in parts the shown text begins)
        self.fields: list[tuple[list[str], list[int]]] = []

    def link(self, url: str | None, first: int) -> None:
        if not url or url.startswith("#"):
            return
        if len(self.links) >= MAX_LINKS:
            self.reader.links_left += 1
            return
        pair = (squash(clean_text("".join(self.parts[first:]))), clean_text(url))
        if pair not in self.links:
            self.links.append(pair)

    def field_char(self, kind: str | None) -> None:
        if kind == "begin" and len(self.fields) < MAX_NESTING:
            self.fields.append(([], []))
        elif kind == "separate" and self.fields:
            self.fields[-1][1].append(len(self.parts))
        elif kind == "end" and self.fields:
            instruction, shown = self.fields.pop()
            if shown:
                self.link(_field_url("".join(instruction)), shown[0])

    def run(self, run: ET.Element) -> None:
        rpr = run.find(f"{W}rPr")
        bold_element = rpr.find(f"{W}b") if rpr is not None else None
        bold = _on(bold_element) if bold_element is not None else self.style_bold
        if rpr is not None and _is_typed_footnote_mark(run, rpr):
            return
        for piece in run:
            tag = piece.tag
            if tag == f"{W}t" and piece.text:
                self.parts.append(piece.text)
                if piece.text.strip():
                    self.bold_flags.append(bold)
            elif tag in (f"{W}tab", f"{W}ptab"):
                self.parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                self.parts.append(_BREAK)
            elif tag == f"{W}noBreakHyphen":
                self.parts.append("-")
            elif tag == f"{W}fldChar":
                self.field_char(piece.get(f"{W}fldCharType"))
            elif tag == f"{W}instrText":
                self.instruction(piece.text or "")

    def instruction(self, text: str) -> None:
        """A piece of the open field's instruction (before its shown text begins)."""
        if text and self.fields and not self.fields[-1][1]:
            pieces = self.fields[-1][0]
            if len(pieces) < MAX_LINKS:  # an instruction is a few pieces; more is built to cost
                pieces.append(text)

    def walk(self, element: ET.Element, depth: int = 0) -> None:
        if depth > MAX_NESTING:
            raise ImportFailure(f"{self.reader.name}: the document nests too deeply to read")
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                self.run(child)
            elif tag == f"{W}hyperlink":
                first = len(self.parts)
                self.walk(child, depth + 1)
                rel_id = child.get(f"{R}id")
                self.link(self.reader.targets.get(rel_id) if rel_id else None, first)
            elif tag == f"{W}fldSimple":
                first = len(self.parts)
                self.walk(child, depth + 1)
                self.link(_field_url(child.get(f"{W}instr") or ""), first)
            elif tag in _CONTAINERS:
                self.walk(child, depth + 1)
