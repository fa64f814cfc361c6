"""Cleaning of text a person typed: control characters and bidi overrides never enter the record."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate
# characters that can make a note display differently from what it says (Trojan Source).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
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


def safe_display(text: str) -> str:
    """The same cleaning for output of text that may predate cleaning (agenda files, old logs)."""
    return _UNSAFE.sub("", _ESCAPE_SEQUENCE.sub("", text))


def is_clean(text: str) -> bool:
    """Whether ``safe_display`` would leave the text as it is (no control or bidi character)."""
    return _UNSAFE.search(text) is None
