"""Cleaning of text a person typed: control characters and bidi overrides never enter the record."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate
# characters that can make a note display differently from what it says (Trojan Source); and
# the byte-order mark, which a text saved by Notepad starts with and nobody means to write (it
# would open the note in every export, invisible or as a stray glyph).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]"
)
# Whole escape sequences (ECMA-48), so that no payload is left behind once the ESC is gone
# ("]0;PWN" of a title change): a CSI to its final byte; an OSC, DCS, SOS, PM or APC string to
# its BEL or ST (an unterminated one to the end of its line, not of the text: a note typed after
# it stays); any other ESC sequence to its final byte (``ESC ( B``, ``ESC 7``, ``ESC c``).
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:"
    r"\[[0-?]*[ -/]*[@-~]"
    r"|[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|[ -/]*[0-~]"
    r")"
)
# The start of a CSI or other escape sequence that has not reached its final byte.
_UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|[ -/]*)\Z")


def clean_text(text: str, *, multiline: bool = True, strip: bool = True) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides.

    ``strip=False`` keeps the spaces around multiline text (a note is saved as typed).

    Whole escape sequences go first so that their printable tails (``]52;c;...``) do not remain.
    """
    text = _ESCAPE_SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _UNSAFE.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip() if strip or not multiline else text


def strip_escapes(text: str, *, final: bool) -> tuple[str, str]:
    """Remove whole escape sequences (and any ESC left alone) from text that arrives in parts.

    Unless ``final``, an escape sequence at the end that may still be going on (``ESC [ 3``, an
    OSC with no terminator yet) is not removed but returned apart, to go in front of the next
    part: cut in two, neither half would be recognised and its printable tail would stay.

    Returns:
        The text without escape sequences, and the unfinished sequence kept back ("" if none).
    """
    kept = ""
    last = text.rfind("\x1b")
    if not final and last >= 0:
        whole = _ESCAPE_SEQUENCE.match(text, last)
        # A CSI or other sequence without its final byte yet ("ESC [" alone would pass for a
        # whole two-byte sequence), or an OSC, DCS ... string that has not met its BEL or ST.
        if _UNFINISHED.match(text, last) or (
            whole is not None
            and whole.end() == len(text)
            and text[last + 1] in "]PX^_"
            and text[-1] != "\x07"
        ):
            text, kept = text[:last], text[last:]
    return _ESCAPE_SEQUENCE.sub("", text).replace("\x1b", ""), kept


def safe_display(text: str) -> str:
    """The same cleaning for output of text that may predate cleaning (agenda files, old logs)."""
    return _UNSAFE.sub("", _ESCAPE_SEQUENCE.sub("", text))


def is_clean(text: str) -> bool:
    """Whether ``safe_display`` would leave the text as it is (no control or bidi character)."""
    return _UNSAFE.search(text) is None


def excerpt(text: str, limit: int = 60) -> str:
    """The start of ``text`` on one line, for a question or a message that names a note or a
    draft."""
    flat = " ".join(text.split())
    return flat if len(flat) < limit else flat[: limit - 3] + "..."
