"""Markdown into Lines: headings, ordered and bullet lists, tables, with inline markup removed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sessiontui.importers.classify import clean_text, squash
from sessiontui.importers.source import Line
from sessiontui.importers.text import remove_furniture

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATX = re.compile(r"^(?P<hashes>#{1,6})(?:\s+(?P<text>.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ORDERED = re.compile(r"^(?P<n>\d{1,9})(?P<delim>[.)])(?:\s+(?P<text>.*))?$")
_BULLET = re.compile(r"^[-*+](?:\s+(?P<text>.*))?$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# a line of YAML front matter: "key: value", a list entry, or an indented continuation
_YAML_LINE = re.compile(r"^(?:[\w.-]+\s*:(?:\s.*)?|\s*-\s.*|\s+\S.*|#.*)$")
_MAX_FRONT_MATTER = 100
MAX_INLINE = 4000
_LINK = re.compile(
    r"(?<!!)\[(?P<text>[^\]]+)\]"
    r"(?:\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\s*\)|\[(?P<ref>[^\]]*)\])"
)
_DEFINITION = re.compile(r"^ {0,3}\[(?P<ref>[^\]]+)\]:\s*<?(?P<url>[^\s>]+)>?(?:\s+[\"'(].*)?$")

# each rule with a character its match must contain: most cells hold no markup at all
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", "["),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1", "["),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1", "["),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1", "<"),
    (re.compile(r"`([^`]*)`"), r"\1", "`"),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1", "*"),
    (re.compile(r"__(.+?)__"), r"\1", "_"),
    (re.compile(r"(?<![\w*\\])\*(?![\s*])(.+?)(?<![\s\\])\*(?![\w*])"), r"\1", "*"),
    (re.compile(r"(?<![\w\\])_(?![\s_])(.+?)(?<![\s\\])_(?!\w)"), r"\1", "_"),
    (re.compile(r"~~(.+?)~~"), r"\1", "~"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " ", "<"),
    (re.compile(r"</?[A-Za-z][^>]*>"), "", "<"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1", "\\"),
]


def inline(text: str) -> str:
    """Markdown inline markup removed: ``**1.** [Opening](x)`` -> ``1. Opening``."""
    if len(text) > MAX_INLINE:
        return squash(text)  # no agenda line is this long; spare the regexes a huge one
    for regex, replacement, needed in _INLINE:
        if needed in text:
            text = regex.sub(replacement, text)
    return squash(text)


def links_of(
    text: str, definitions: dict[str, str] | None = None, used: set[str] | None = None
) -> tuple[tuple[str, str], ...]:
    """The links of a line of Markdown whose address the rendered text hides, as (text, address).

    ``[text](url)``, ``[text][ref]`` and ``[text][]`` (with the document's ``[ref]: url``
    definitions); an address that is only an anchor in the page (``#part-2``) is not a link out.
    """
    if "[" not in text or "]" not in text or len(text) > MAX_INLINE:
        return ()  # a line too long for ``inline`` keeps its markup, addresses and all
    out: dict[tuple[str, str], None] = {}
    for match in _LINK.finditer(text):
        url = match["url"]
        if url is None and definitions:
            ref = (match["ref"] or match["text"]).strip().lower()
            url = definitions.get(ref)
            if url is not None and used is not None:
                used.add(ref)
        if url and not url.startswith("#"):
            out[inline(match["text"]), url] = None
    return tuple(out)


def _definitions(raw_lines: list[str]) -> dict[str, str]:
    """The reference definitions of a document (``[ref]: https://...``), by lower-case label."""
    found: dict[str, str] = {}
    for raw in raw_lines:
        if raw.lstrip().startswith("[") and "]:" in raw:
            match = _DEFINITION.match(raw)
            if match is not None:
                found.setdefault(match["ref"].strip().lower(), match["url"])
    return found


def _bold(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) > 4 and (
        (stripped.startswith("**") and stripped.endswith("**"))
        or (stripped.startswith("__") and stripped.endswith("__"))
    )


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [inline(cell.replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", row)]


@dataclass(slots=True)
class _List:
    indent: int
    delimiter: str
    counter: int
    first: int
    lazy: bool  # every item so far printed the same number ("1." "1." "1.")


def markdown_lines(text: str) -> tuple[list[Line], list[str]]:
    """Split a Markdown document into Lines.

    Ordered lists get the numbers a reader sees when the Markdown is rendered (a list written
    ``1.`` ``1.`` ``1.`` shows 1, 2, 3).

    Returns:
        The lines and the doubts met on the way.
    """
    raw_lines = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    reader = _MarkdownReader(raw_lines)
    reader.read()
    return remove_furniture(reader.lines), reader.doubts


class _MarkdownReader:
    """Markdown lines to Lines, one construct per method, with the state the constructs share."""

    def __init__(self, raw_lines: list[str]) -> None:
        self.raw_lines = raw_lines
        self.lines: list[Line] = []
        self.doubts: list[str] = []
        self.lists: list[_List] = []
        self.fence: str | None = None
        self.fence_start = ""
        self.table = 0
        self.in_table = False
        self.in_bold = False
        self.previous_blank = True
        self.index = 0
        self.definitions = _definitions(raw_lines)
        self.used: set[str] = set()  # the definitions a link referred to

    def links(self, text: str) -> tuple[tuple[str, str], ...]:
        return links_of(text, self.definitions, self.used)

    def read(self) -> None:
        self.front_matter()
        while self.index < len(self.raw_lines):
            index = self.index
            where = f"line {index + 1}"
            raw = clean_text(self.raw_lines[index]).rstrip()
            stripped = raw.lstrip()
            indent = len(raw) - len(stripped)
            following = (
                clean_text(self.raw_lines[index + 1]).strip()
                if index + 1 < len(self.raw_lines)
                else ""
            )
            self.index += 1
            if self.fenced(where, stripped):
                continue
            while stripped.startswith(">"):
                stripped = stripped[1:].lstrip()
            if not stripped:
                self.lines.append(Line(where, ""))
                self.previous_blank, self.in_table, self.in_bold = True, False, False
                continue
            definition = _DEFINITION.match(stripped) if stripped.startswith("[") else None
            if definition is not None and definition["ref"].strip().lower() in self.used:
                self.lines.append(Line(where, ""))  # not shown; its links are kept
                continue
            if self.table_row(where, stripped, following):
                continue
            if self.heading(where, stripped, indent, following):
                continue
            if self.list_item(where, stripped, indent):
                continue
            self.paragraph(where, stripped, indent)
        if self.fence is not None:
            self.doubts.append(f"{self.fence_start}: a fenced block never closed - left out")

    def front_matter(self) -> None:
        """YAML front matter ("---" / "title: ..." / "---" first in the file, as static site
        generators and wikis write it): the page's settings, not its text - left out, said."""
        raw = self.raw_lines
        start = next((i for i, line in enumerate(raw) if line.strip()), len(raw))
        if start >= len(raw) or raw[start].strip() != "---":
            return
        limit = min(len(raw), start + _MAX_FRONT_MATTER)
        end = next((i for i in range(start + 1, limit) if raw[i].strip() in ("---", "...")), None)
        if end is None or not all(
            not line.strip() or _YAML_LINE.match(line) for line in raw[start + 1 : end]
        ):
            return
        self.lines.extend(Line(f"line {i + 1}", "") for i in range(end + 1))
        self.doubts.append(f"lines {start + 1}-{end + 1}: front matter - left out")
        self.index = end + 1

    def fenced(self, where: str, stripped: str) -> bool:
        """Inside or at the edge of a ``` fenced block (code, not agenda): left out, said once."""
        if self.fence is not None:
            if stripped.startswith(self.fence):
                self.fence = None
                self.doubts.append(f"{self.fence_start}-{where[5:]}: a fenced block - left out")
            self.lines.append(Line(where, ""))
            return True
        fence_match = _FENCE.match(stripped)
        if fence_match:
            self.fence = fence_match.group(1)[:3]
            self.fence_start = where.replace("line", "lines")
            self.lines.append(Line(where, ""))
            return True
        return False

    def table_line(self, where: str, stripped: str, *, header: bool = False) -> Line:
        """A row of the current table: its cells, a paragraph of its own, with its links."""
        return Line(
            where,
            "",
            cells=_cells(stripped),
            table=self.table,
            header=header,
            hard=True,
            links=self.links(stripped),
        )

    def table_row(self, where: str, stripped: str, following: str) -> bool:
        if self.in_table and "|" in stripped:
            self.lines.append(self.table_line(where, stripped))
            return True
        self.in_table = False
        if "|" in stripped and _TABLE_SEPARATOR.match(following) and following.count("-") >= 3:
            self.table += 1
            self.in_table = True
            self.lists.clear()
            self.lines.append(self.table_line(where, stripped, header=True))
            self.lines.append(Line(f"line {self.index + 1}", ""))
            self.index += 1  # the separator row
            return True
        return False

    def heading(self, where: str, stripped: str, indent: int, following: str) -> bool:
        """An ATX (``# Title``) or setext (``Title`` over ``===``) heading, or a rule."""
        atx = _ATX.match(stripped)
        if atx and indent < 4:
            self.lists.clear()
            heading_text = inline(atx["text"] or "")
            level = len(atx["hashes"])
            self.lines.append(
                Line(where, heading_text, heading=level, hard=True, links=self.links(stripped))
            )
            self.previous_blank = False
            return True
        if (
            following
            and _SETEXT.match(following)
            and self.previous_blank
            and not _ORDERED.match(stripped)
            and not _BULLET.match(stripped)
        ):
            self.lists.clear()
            level = 1 if following.startswith("=") else 2
            self.lines.append(
                Line(where, inline(stripped), heading=level, hard=True, links=self.links(stripped))
            )
            self.lines.append(Line(f"line {self.index + 1}", ""))
            self.index += 1
            self.previous_blank = True
            return True
        if _RULE.match(stripped):
            self.lists.clear()
            self.lines.append(Line(where, ""))
            self.previous_blank = True
            return True
        return False

    def list_line(
        self, where: str, body: str, indent: int, *, bullet: bool = False, number: str | None = None
    ) -> Line:
        """A list item's line: a bullet, or the number Markdown shows for it."""
        return Line(
            where,
            inline(body),
            indent=indent,
            number=number,
            bullet=bullet,
            bold=_bold(body),
            links=self.links(body),
        )

    def list_item(self, where: str, stripped: str, indent: int) -> bool:
        ordered = _ORDERED.match(stripped)
        if ordered:
            self.ordered_item(where, ordered, indent)
            self.previous_blank = False
            return True
        bullet = _BULLET.match(stripped)
        if bullet:
            while self.lists and self.lists[-1].indent >= indent:
                self.lists.pop()
            body = bullet["text"] or ""
            self.lines.append(self.list_line(where, body, indent, bullet=True))
            self.previous_blank = False
            return True
        return False

    def ordered_item(self, where: str, ordered: re.Match[str], indent: int) -> None:
        lists = self.lists
        while lists and lists[-1].indent > indent:
            lists.pop()
        printed = int(ordered["n"])
        delimiter = ordered["delim"]
        current = lists[-1] if lists else None
        if current and current.indent == indent and current.delimiter == delimiter:
            current.counter += 1
            current.lazy = current.lazy and printed == current.first
            if printed != current.counter and not current.lazy:
                self.doubts.append(
                    f"{where}: '{printed}{delimiter}' shows as {current.counter}{delimiter} "
                    "in Markdown - numbered as shown"
                )
        else:
            if current and current.indent == indent:
                lists.pop()
            current = _List(indent, delimiter, printed, printed, True)
            lists.append(current)
        body = ordered["text"] or ""
        number = f"{current.counter}{delimiter}"
        self.lines.append(self.list_line(where, body, indent, number=number))

    def paragraph(self, where: str, stripped: str, indent: int) -> None:
        if self.previous_blank and indent == 0:
            self.lists.clear()  # a paragraph at the margin ends every list
        bold = _bold(stripped) or self.in_bold
        # a bold title may run over several lines: "**Second ..." ... "... corruption**"
        if not bold and stripped.startswith(("**", "__")) and stripped.count(stripped[:2]) == 1:
            bold, self.in_bold, stripped = True, True, stripped[2:]
        elif (
            self.in_bold and stripped.endswith(("**", "__")) and stripped.count(stripped[-2:]) == 1
        ):
            self.in_bold, stripped = False, stripped[:-2]
        self.lines.append(
            Line(where, inline(stripped), indent=indent, bold=bold, links=self.links(stripped))
        )
        self.previous_blank = False
