"""The exporters' fast paths give what the slow paths they skip would give."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from sessiontui.core.text import _ESCAPE_SEQUENCE, _UNSAFE, safe_display
from sessiontui.exporters.model import _NOT_XML, clean, xml_safe

# Every code point, surrogates included: what a decoded log or a template can hold.
_ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=sys.maxunicode, categories=None))


def test_no_printable_character_is_one_the_cleaning_removes() -> None:
    # ``clean`` and ``xml_safe`` return printable text untouched: checked for every character.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert _NOT_XML.search(char) is None, hex(code)
            assert _UNSAFE.search(char) is None, hex(code)
            assert char != "\x1b"  # every escape sequence starts with ESC
    assert _ESCAPE_SEQUENCE.pattern.startswith("\\x1b")


@given(_ANY_TEXT)
def test_clean_is_safe_display(text: str) -> None:
    assert clean(text) == safe_display(text)


@given(_ANY_TEXT)
def test_xml_safe_drops_what_xml_cannot_carry(text: str) -> None:
    assert xml_safe(text) == _NOT_XML.sub("", text)


def test_clean_of_nothing() -> None:
    assert clean(None) == clean("") == ""
