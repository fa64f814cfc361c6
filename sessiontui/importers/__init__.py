"""Agenda documents (plain text, Markdown, Word) read into an agenda: ``import_document``."""

from __future__ import annotations

from sessiontui.importers.docx import docx_lines
from sessiontui.importers.flattened import unflatten
from sessiontui.importers.markdown import markdown_lines
from sessiontui.importers.source import (
    MAX_LINES,
    Format,
    ImportFailure,
    decode_text,
    detect_format,
    read_source,
)
from sessiontui.importers.structure import ImportResult, NoItems, build
from sessiontui.importers.text import text_lines

__all__ = ["Format", "ImportFailure", "ImportResult", "import_bytes", "import_document"]


def import_document(path: str, fmt: Format | None = None) -> ImportResult:
    """Read an agenda document and build the agenda it holds.

    Args:
        path: the document; ``"-"`` reads standard input.
        fmt: ``"text"``, ``"markdown"`` or ``"docx"``; by default from the suffix, else the content.

    Raises:
        ImportFailure: the document cannot be read or holds no agenda (one-line message).
    """
    data, name = read_source(path)
    return import_bytes(data, name, fmt)


def import_bytes(data: bytes, name: str, fmt: Format | None = None) -> ImportResult:
    """Build the agenda in a document already read (see ``import_document``).

    Raises:
        ImportFailure: the bytes are not a readable document or hold no agenda.
    """
    if not data.strip():
        raise ImportFailure(f"{name}: file is empty")
    kind = fmt or detect_format(data, name)
    doubts: list[str] = []
    if kind == "docx":
        lines, doubts = docx_lines(data, name)
    else:
        text, doubts = decode_text(data, name)
        text = unflatten(text)
        content = sum(1 for line in text.splitlines() if line.strip())
        if content > MAX_LINES:
            raise ImportFailure(
                f"{name}: {content} lines of text - too long for an agenda (at most {MAX_LINES})"
            )
        if kind == "markdown":
            lines, more = markdown_lines(text)
            doubts.extend(more)
        else:
            lines = text_lines(text)
    try:
        return build(lines, kind, name, doubts)
    except NoItems as exc:
        raise ImportFailure(str(exc)) from None
    except RecursionError:
        raise ImportFailure(f"{name}: the document nests too deeply to read") from None
