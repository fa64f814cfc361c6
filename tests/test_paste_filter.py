"""Escape sequences inside a bracketed paste: taken out before Textual's parser sees them."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

from sessiontui.core.text import strip_escapes
from sessiontui.ui.terminal import PasteFilter

PASTED = "First words \x1b[31mred \x1b[0m last words\x1b]0;title\x07, \x1b]52;c;eA==\x1b\\end"
INPUT = f"x\x1b[200~{PASTED}\x1b[201~y\x1b[A"


def _events(parts: list[str]) -> list[Message]:
    """What the parser makes of the input read in these parts, through the filter."""
    pastes, parser = PasteFilter(), XTermParser(False)
    found: list[Message] = []
    for part in parts:
        if filtered := pastes.feed(part):
            found += parser.feed(filtered)
    return found + list(parser.tick())


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11, 4096])
def test_a_paste_with_escape_sequences_arrives_whole_in_order(size: int) -> None:
    """However the reads cut the input (a sequence, a marker in two), one paste, in order."""
    parts = [INPUT[at : at + size] for at in range(0, len(INPUT), size)]
    found = _events(parts)
    assert [type(event) for event in found] == [events.Key, events.Paste, events.Key, events.Key]
    keys = [event.key for event in found if isinstance(event, events.Key)]
    assert keys == ["x", "y", "up"]
    paste = next(event for event in found if isinstance(event, events.Paste))
    assert paste.text == "First words red  last words, end"


def test_a_long_paste_keeps_every_character() -> None:
    """A paste of many reads, with sequences near the read boundaries, loses no text."""
    words = [f"word{n} \x1b[1mbold\x1b[22m " for n in range(3000)]
    raw = f"\x1b[200~{''.join(words)}\x1b[201~"
    found = _events([raw[at : at + 4096] for at in range(0, len(raw), 4096)])
    assert len(found) == 1 and isinstance(found[0], events.Paste)
    assert found[0].text == "".join(f"word{n} bold " for n in range(3000))


def test_escape_outside_a_paste_is_left_to_the_parser() -> None:
    """An Escape key and arrow keys are passed on at once, not held back."""
    pastes = PasteFilter()
    assert pastes.feed("\x1b") == "\x1b"
    assert pastes.feed("[A\x1b[20") == "[A\x1b[20"
    assert not pastes.pasting


def test_strip_escapes_keeps_an_unfinished_sequence_back() -> None:
    assert strip_escapes("a\x1b[3", final=False) == ("a", "\x1b[3")
    assert strip_escapes("a\x1b[", final=False) == ("a", "\x1b[")
    assert strip_escapes("a\x1b]0;ti", final=False) == ("a", "\x1b]0;ti")
    assert strip_escapes("a\x1b[31mb", final=False) == ("ab", "")
    assert strip_escapes("a\x1b[3", final=True) == ("a3", "")
