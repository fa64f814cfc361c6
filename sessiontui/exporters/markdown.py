"""The draft meeting report as CommonMark."""

from __future__ import annotations

import re

from sessiontui.exporters.templating import Block, Document, Run

# Inline syntax anywhere in a line; "&" because "&lt;" would become "<" and "~" for GFM readers.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


_BLOCK_BREAK = re.compile(r"\n\s*\n")
# Characters that can start a heading, quote, list item, thematic break or setext underline.
_LINE_STARTERS = frozenset("#>+=-")


def _escape_line(raw: str) -> str:
    # Leading spaces would make an indented code block; they carry no meaning in a note.
    line = raw.strip()
    # Most lines hold no syntax at all: the searches are cheaper than the substitutions.
    if _INLINE.search(line):
        line = _INLINE.sub(r"\\\1", line)
    if line[:1] in _LINE_STARTERS:
        line = "\\" + line
    elif line[:1].isdigit():
        line = _ORDERED.sub(r"\1\\\2", line)
    return line


def escape(text: str) -> str:
    """Escape text so that CommonMark shows it literally (one line or several)."""
    if "\n" not in text:
        return _escape_line(text)
    return "\n".join([_escape_line(raw) for raw in text.split("\n")])


def paragraphs(text: str) -> list[str]:
    """Multi-line user text as Markdown paragraphs; single line breaks kept as hard breaks."""
    text = text.strip()
    if "\n" not in text:
        return [_escape_line(text)] if text else []
    out = []
    for block in _BLOCK_BREAK.split(text):
        lines = [_escape_line(line) for line in block.split("\n") if line.strip()]
        if lines:
            out.append("\\\n".join(lines))
    return out


def _cell(text: str) -> str:
    # Inside a table cell nothing is at the start of a line: only inline syntax needs escaping.
    return _INLINE.sub(r"\\\1", " ".join(text.split())) or " "


def _table(head: list[str], rows: list[list[str]], align: str) -> list[str]:
    marks = {"l": "---", "r": "--:"}
    align = (align + "l" * len(head))[: len(head)]
    lines = [
        "| " + " | ".join(_cell(h) for h in head) + " |",
        "|" + "|".join(marks.get(a, "---") for a in align) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _line_start(line: str) -> str:
    """A line that could start a block (heading, quote, list, break) made plain text."""
    if line[:1] in _LINE_STARTERS:
        return "\\" + line
    if line[:1].isdigit():
        return _ORDERED.sub(r"\1\\\2", line)
    return line


def _inline(runs: list[Run]) -> str:
    """Runs as escaped inline Markdown; a paragraph's own line breaks as hard breaks."""
    out = []
    for run in runs:
        text = run.text
        if "\n" in text:
            lines = [_INLINE.sub(r"\\\1", line) for line in text.split("\n")]
            text = "\\\n".join([lines[0], *(_line_start(line.lstrip()) for line in lines[1:])])
        elif _INLINE.search(text):
            # One line (most runs): escaped only when it holds syntax, as ``_escape_line`` does.
            text = _INLINE.sub(r"\\\1", text)
        if run.bold and text.strip():
            text = f"**{text}**"
        if run.italic and text.strip():
            text = f"*{text}*"
        out.append(text)
    return _line_start("".join(out))


def _plain(runs: list[Run]) -> str:
    return " ".join("".join(run.text for run in runs).split())


def _block(block: Block) -> list[str]:
    """One block as Markdown lines (without the blank line that follows it)."""
    kind = block.kind
    if kind == "heading":
        return [f"{'#' * min(6, block.level)} {escape(_plain(block.runs))}"]
    if kind == "para":
        text = _inline(block.runs)
        if block.number is not None:
            # The number as printed, escaped so that no renderer renumbers it.
            text = f"{block.number}\\. {text}"
        if block.role in ("decision", "action"):
            return ["> " + text.replace("\n", "\n> ")]
        return [text]
    if kind == "masthead":
        return ["\\\n".join(escape(line) for line in block.lines)]
    if kind == "list":
        return [
            f"{'  ' * level}- " + (f"{escape(label)} " if label else "") + _inline(runs)
            for label, runs, level in block.entries
        ]
    if kind == "contents":
        lines = [f"**{escape(block.text)}**", ""]
        return lines + [
            f"- {_inline(runs)}" + (f" ({span})" if span else "") for span, runs, _ in block.entries
        ]
    if kind == "table":
        cells = [[_plain(cell) for cell in row] for row in block.rows]
        head, rows = (cells[0], cells[1:]) if block.head else ([""] * len(cells[0]), cells)
        return _table(head, rows, block.align)
    if kind == "log":
        return [f"- {escape(line)}" for line in block.lines]
    return []  # figures are drawn by the HTML export only


def render_markdown(document: Document) -> bytes:
    """The worded report as UTF-8 CommonMark."""
    out: list[str] = []
    for block in document.blocks:
        lines = _block(block)
        if lines:
            out += [*lines, ""]
    return "\n".join(out).encode("utf-8")
