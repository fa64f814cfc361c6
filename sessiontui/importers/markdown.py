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
MAX_INLINE = 4000

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"__(.+?)__"), r"\1"),
    (re.compile(r"(?<![\w*\\])\*(?![\s*])(.+?)(?<![\s\\])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?![\s_])(.+?)(?<![\s\\])_(?!\w)"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
]


def inline(text: str) -> str:
    """Markdown inline markup removed: ``**1.** [Opening](x)`` -> ``1. Opening``."""
    if len(text) > MAX_INLINE:
        return squash(text)  # no agenda line is this long; spare the regexes a huge one
    for regex, replacement in _INLINE:
        text = regex.sub(replacement, text)
    return squash(text)


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
    lines: list[Line] = []
    doubts: list[str] = []
    lists: list[_List] = []
    fence: str | None = None
    table = 0
    in_table = False
    in_bold = False
    previous_blank = True
    index = 0
    while index < len(raw_lines):
        where = f"line {index + 1}"
        raw = clean_text(raw_lines[index]).rstrip()
        stripped = raw.lstrip()
        indent = len(raw) - len(stripped)
        following = clean_text(raw_lines[index + 1]).strip() if index + 1 < len(raw_lines) else ""
        index += 1
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            lines.append(Line(where, ""))
            continue
        fence_match = _FENCE.match(stripped)
        if fence_match:
            fence = fence_match.group(1)[:3]
            lines.append(Line(where, ""))
            continue
        while stripped.startswith(">"):
            stripped = stripped[1:].lstrip()
        if not stripped:
            lines.append(Line(where, ""))
            previous_blank, in_table, in_bold = True, False, False
            continue
        if in_table and "|" in stripped:
            lines.append(Line(where, "", cells=_cells(stripped), table=table, hard=True))
            continue
        in_table = False
        if "|" in stripped and _TABLE_SEPARATOR.match(following) and following.count("-") >= 3:
            table += 1
            in_table = True
            lists.clear()
            lines.append(
                Line(where, "", cells=_cells(stripped), table=table, header=True, hard=True)
            )
            lines.append(Line(f"line {index + 1}", ""))
            index += 1  # the separator row
            continue
        atx = _ATX.match(stripped)
        if atx and indent < 4:
            lists.clear()
            heading_text = inline(atx["text"] or "")
            level = len(atx["hashes"])
            lines.append(Line(where, heading_text, heading=level, hard=True))
            previous_blank = False
            continue
        if (
            following
            and _SETEXT.match(following)
            and previous_blank
            and not _ORDERED.match(stripped)
            and not _BULLET.match(stripped)
        ):
            lists.clear()
            level = 1 if following.startswith("=") else 2
            lines.append(Line(where, inline(stripped), heading=level, hard=True))
            lines.append(Line(f"line {index + 1}", ""))
            index += 1
            previous_blank = True
            continue
        if _RULE.match(stripped):
            lists.clear()
            lines.append(Line(where, ""))
            previous_blank = True
            continue
        ordered = _ORDERED.match(stripped)
        bullet = _BULLET.match(stripped) if ordered is None else None
        if ordered:
            while lists and lists[-1].indent > indent:
                lists.pop()
            printed = int(ordered["n"])
            delimiter = ordered["delim"]
            current = lists[-1] if lists else None
            if current and current.indent == indent and current.delimiter == delimiter:
                current.counter += 1
                current.lazy = current.lazy and printed == current.first
                if printed != current.counter and not current.lazy:
                    doubts.append(
                        f"{where}: '{printed}{delimiter}' shows as {current.counter}{delimiter} "
                        "in Markdown - numbered as shown"
                    )
            else:
                if current and current.indent == indent:
                    lists.pop()
                current = _List(indent, delimiter, printed, printed, True)
                lists.append(current)
            body = ordered["text"] or ""
            lines.append(
                Line(
                    where,
                    inline(body),
                    indent=indent,
                    number=f"{current.counter}{delimiter}",
                    bold=_bold(body),
                )
            )
            previous_blank = False
            continue
        if bullet:
            while lists and lists[-1].indent >= indent:
                lists.pop()
            body = bullet["text"] or ""
            lines.append(Line(where, inline(body), indent=indent, bullet=True, bold=_bold(body)))
            previous_blank = False
            continue
        if previous_blank and indent == 0:
            lists.clear()  # a paragraph at the margin ends every list
        bold = _bold(stripped) or in_bold
        # a bold title may run over several lines: "**Second ..." ... "... corruption**"
        if not bold and stripped.startswith(("**", "__")) and stripped.count(stripped[:2]) == 1:
            bold, in_bold, stripped = True, True, stripped[2:]
        elif in_bold and stripped.endswith(("**", "__")) and stripped.count(stripped[-2:]) == 1:
            in_bold, stripped = False, stripped[:-2]
        lines.append(Line(where, inline(stripped), indent=indent, bold=bold))
        previous_blank = False
    return remove_furniture(lines), doubts
