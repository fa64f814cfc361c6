"""Reading an agenda document safely: size caps, format detection, decoding, and the Line record."""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Format = Literal["text", "markdown", "docx"]

MAX_SOURCE_BYTES = 8 * 1024 * 1024
"""Agenda documents are kilobytes; a Word file with pictures a few megabytes."""
MAX_TEXT_BYTES = 512 * 1024
"""Plain text or Markdown past this is not an agenda: an annotated UN agenda is ~50 KB."""
MAX_LINES = 10_000
"""Non-blank lines (or Word paragraphs and table rows); a 40-page agenda has ~2,000."""
MAX_ITEMS = 10_000
"""What the agenda loader accepts."""

_REFUSED_SUFFIXES = {
    ".pdf": "PDF is not read directly; extract its text first (pdftotext -layout FILE.pdf)",
    ".doc": "the old Word .doc format is not read; save the file as .docx",
    ".odt": "OpenDocument text is not read; save the file as .docx",
    ".rtf": "RTF is not read; save the file as .docx or plain text",
    ".pages": "Pages documents are not read; export the file as .docx",
}
_SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".docx": "docx",
}


class ImportFailure(Exception):
    """The document cannot be imported; the message is one line for the user."""


@dataclass(slots=True)
class Line:
    """One line (text, Markdown) or paragraph (Word) of a document, ready to be classified.

    Attributes:
        where: how messages name it: ``"line 14"``, ``"paragraph 3"``.
        text: the words, markup removed; empty for a blank line.
        indent: leading spaces (or list level x 4), used to tell nesting apart.
        heading: heading level (Markdown ``#``, Word "Heading 1"), 0 when not a heading.
        bold: the whole line is bold (a title in the document's preamble).
        number: an item number the format supplied rather than the text (Markdown ordered
            lists, Word automatic numbering).
        bullet: the format marked the line as a bullet-list item.
        hard: a complete paragraph, never joined to the line before it (Word paragraphs,
            headings, table rows).
        cells: the cells of a table row.
        cell_lines: the lines of each cell of a table row (its paragraphs and line breaks),
            where a cell holds more than one: a masthead cell "A/AC.289/2023/1" / "Distr.:
            General" / the date, read line by line as the plain-text masthead is.
        header: this table row is a header row.
        table: which table the row belongs to (1-based).
        page_break: page furniture (number, running header) was removed just before it.
        title_style: Word's "Title" style.
        raw: the text with its original spacing, where columns matter (plain text).
        number_kind: what kind of counter ``number`` holds when the format says so (Word's
            numFmt): "arabic", "lower", "upper", "rlower" or "rupper".
        links: the links whose address the text does not show, as (link text, address):
            Markdown ``[text](url)``, Word hyperlinks. Addresses written out in the text are
            found in the text itself.
    """

    where: str
    text: str
    indent: int = 0
    heading: int = 0
    bold: bool = False
    number: str | None = None
    bullet: bool = False
    hard: bool = False
    cells: list[str] | None = None
    cell_lines: tuple[tuple[str, ...], ...] | None = None
    header: bool = False
    table: int = 0
    page_break: bool = False
    title_style: bool = False
    raw: str | None = None
    number_kind: str | None = None
    links: tuple[tuple[str, str], ...] = ()

    @property
    def blank(self) -> bool:
        """Nothing on the line."""
        return not self.text and self.cells is None

    @property
    def spaced(self) -> str:
        """The text as printed, where its spacing tells a number from a title: an IMO agenda
        sets a bare number apart from its title by a column ("10       Formal safety
        assessment"), which ``text`` squashes to one space."""
        return self.raw if self.raw is not None else self.text


def read_source(path: str) -> tuple[bytes, str]:
    """Read a document with a size cap checked before reading it whole.

    Returns:
        The bytes and the name to use in messages.

    Raises:
        ImportFailure: missing, a folder, not a regular file, empty or too large.
    """
    if path == "-":
        data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            raise ImportFailure(f"standard input is larger than {_mib(MAX_SOURCE_BYTES)}")
        if not data.strip():
            raise ImportFailure("standard input is empty")
        return data, "<stdin>"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unusable name"
        raise ImportFailure(f"{path}: cannot read: {reason}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFailure(f"{path}: is a folder, not a document")
    if not stat.S_ISREG(info.st_mode):
        # a FIFO or a device could block forever or never end
        raise ImportFailure(f"{path}: is not a regular file")
    if info.st_size > MAX_SOURCE_BYTES:
        raise ImportFailure(
            f"{path}: file is {info.st_size} bytes; an agenda document may be at most "
            f"{_mib(MAX_SOURCE_BYTES)}"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise ImportFailure(f"{path}: file is larger than {_mib(MAX_SOURCE_BYTES)}")
    if not data.strip():
        raise ImportFailure(f"{path}: file is empty")
    return data, path


def _mib(size: int) -> str:
    # Whole mebibytes where they are whole; 512 KiB is not "0 MiB".
    if size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size // 1024} KiB"


_MARKDOWN_HINTS = re.compile(
    r"^#{1,6}\s+\S"  # a heading
    r"|^\s*\|.*\|\s*$"  # a table row
    r"|^\s*(?:={3,}|-{3,})\s*$"  # a heading's underline
    r"|\*\*[^\s*][^*\n]*\*\*|__[^\s_][^_\n]*__"  # strong emphasis, not a rule "_____"
    r"|\[[^\]\n]+\]\(\S+\)",  # a link
    re.MULTILINE,
)
"""What only Markdown writes. Not a list: "1. Election of officers" is how every numbered
agenda prints its items, a pasted or ``pdftotext`` one as much as a Markdown file, and
text read as Markdown loses its layout (the masthead's columns, the symbol beside the
body's name)."""


def detect_format(data: bytes, name: str) -> Format:
    """The format from the suffix, or from the content when the suffix says nothing.

    Raises:
        ImportFailure: a suffix of a format that is not read (PDF, .doc ...).
    """
    suffix = Path(name).suffix.lower() if name != "<stdin>" else ""
    if suffix in _REFUSED_SUFFIXES:
        raise ImportFailure(f"{name}: {_REFUSED_SUFFIXES[suffix]}")
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if data.startswith(b"%PDF"):
        raise ImportFailure(f"{name}: {_REFUSED_SUFFIXES['.pdf']}")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, ValueError, OSError):
            pass
        raise ImportFailure(f"{name}: a zip archive that is not a Word document")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailure(f"{name}: {_REFUSED_SUFFIXES['.doc']}")
    sample = data[:65536].decode("utf-8", "replace")
    hints = len(_MARKDOWN_HINTS.findall(sample))
    return "markdown" if hints >= 2 else "text"


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a text document: UTF-8 (BOM or not), UTF-16 with a BOM.

    Returns:
        The text and the doubts decoding raised (bytes that were not UTF-8).

    Raises:
        ImportFailure: binary data, or a text too large to be an agenda.
    """
    if len(data) > MAX_TEXT_BYTES:
        raise ImportFailure(
            f"{name}: {len(data)} bytes is too large for a text agenda "
            f"(at most {_mib(MAX_TEXT_BYTES)})"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ImportFailure(f"{name}: not valid UTF-16 text") from None
    if b"\0" in data[:65536] or _binary(data[:65536]):
        raise ImportFailure(f"{name}: binary data, not a text document")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "replace")
        bad = text.count("\ufffd")
        if bad > max(16, len(text) // 50):
            raise ImportFailure(
                f"{name}: not UTF-8 text ({bad} undecodable bytes); save it as UTF-8"
            ) from None
        line = data.count(b"\n", 0, exc.start) + 1
        return text, [
            f"line {line}: {bad} byte(s) that are not UTF-8 were replaced by '\ufffd' "
            "(save the file as UTF-8)"
        ]


def _binary(sample: bytes) -> bool:
    """Mostly control bytes: a binary file given a text suffix."""
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) // 20
