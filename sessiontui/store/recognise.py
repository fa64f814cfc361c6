"""What a file that does not open as a session log is: another kind of file (an agenda, a
document), a log converted to CR LF line endings, or a log whose header is damaged.

One place for those words, so that the tracker, every command, ``verify`` and ``repair`` say
the same of the same file (they said "not a valid session log header" of an agenda, and
"the header is damaged" of a Word document).
"""

from __future__ import annotations

import re
from pathlib import Path

from sessiontui.core.events import FORMAT, LineError, check_line

CRLF = (
    "ends with CR LF: the file was converted to Windows line endings; `sessiontui repair` "
    "converts it back (nothing else changes)"
)
"""What a log converted to CR LF line endings is told (``verify`` names the first such line)."""

_DOCUMENTS = (".txt", ".text", ".md", ".markdown", ".docx", ".doc", ".odt", ".rtf", ".pdf")
_RECORD = re.compile(rb'\{"(?:type|seq)":')
_AGENDA = re.compile(rb"^\s*\[\[?(?:meeting|items)\]\]?\s*$", re.MULTILINE)


def is_crlf(line: bytes) -> bool:
    """Whether ``line`` is a sound record but for the CR LF a conversion gave it."""
    if not line.endswith(b"\r\n"):
        return False
    try:
        check_line(line[:-2] + b"\n")
    except LineError:
        return False
    return True


def not_a_log(path: Path, start: bytes) -> str | None:
    """ "PATH is not a session log", with a hint at what it may be, when the file whose first
    bytes are ``start`` is no session log at all (not even a damaged one); else None.

    A log names its format in its first line, and each line after it is a record: a file
    with neither is something else.
    """
    first, _, rest = start.partition(b"\n")
    second = rest.partition(b"\n")[0]
    if f'"{FORMAT}"'.encode() in first or _RECORD.match(second.lstrip()):
        return None
    suffix = path.suffix.lower()
    if suffix == ".toml" or _AGENDA.search(start):
        return (
            f"{path} is not a session log: it looks like an agenda; open it with "
            f"`sessiontui {path}` (that creates or resumes its session log)"
        )
    if suffix in _DOCUMENTS or start.startswith(b"PK\x03\x04"):
        return (
            f"{path} is not a session log: an agenda document? `sessiontui import {path}` "
            "makes an agenda of it"
        )
    return f"{path} is not a session log (it does not begin as one)"


def unreadable_header(path: Path, start: bytes, problem: LineError) -> str:
    """Why a file's first line does not open as a session log's header, in one line: not a
    log, a log converted to CR LF, or a header too damaged to read (``repair`` then)."""
    first = start.partition(b"\n")[0] + b"\n"
    if is_crlf(first):
        return f"{path}: line 1 (byte 0) {CRLF}"
    other = not_a_log(path, start)
    if other is not None:
        return other
    return (
        f"{path}: the header (line 1) is damaged ({problem}); `sessiontui repair {path}` "
        f"restores it from what it still says (`sessiontui verify {path}` tells whether it can)"
    )
