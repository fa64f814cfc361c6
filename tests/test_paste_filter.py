"""Bracketed pastes before Textual's parser: escape sequences taken out, and an end marker
inside the pasted text never ends the paste (what followed it ran as tracker keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

from sessiontui.core.text import strip_escapes
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs.note_editor import NoteEditor
from sessiontui.ui.terminal import PasteFilter
from tests.test_ui_support import SIZE, make_app, make_service

PASTED = "First words \x1b[31mred \x1b[0m last words\x1b]0;title\x07, \x1b]52;c;eA==\x1b\\end"
INPUT = f"x\x1b[200~{PASTED}\x1b[201~y\x1b[A"


QUIET = None
"""In a list of reads: the input went quiet there (the driver's read timed out)."""


def _events(parts: list[str | None]) -> list[Message]:
    """What the parser makes of the input read in these parts, through the filter, as the
    driver hands it on (the input goes quiet after the last part)."""
    pastes, parser = PasteFilter(), XTermParser(False)
    found: list[Message] = []
    for part in [*parts, QUIET]:
        if filtered := pastes.quiet() if part is QUIET else pastes.feed(part):
            found += parser.feed(filtered)
    return found + list(parser.tick())


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11, 4096])
def test_a_paste_with_escape_sequences_arrives_whole_in_order(size: int) -> None:
    """However the reads cut the input (a sequence, a marker in two), one paste, in order."""
    found = _events(_reads(INPUT, size))
    assert [type(event) for event in found] == [events.Key, events.Paste, events.Key, events.Key]
    keys = [event.key for event in found if isinstance(event, events.Key)]
    assert keys == ["x", "y", "up"]
    paste = next(event for event in found if isinstance(event, events.Paste))
    assert paste.text == "First words red  last words, end"


def test_a_long_paste_keeps_every_character() -> None:
    """A paste of many reads, with sequences near the read boundaries, loses no text."""
    words = [f"word{n} \x1b[1mbold\x1b[22m " for n in range(3000)]
    raw = f"\x1b[200~{''.join(words)}\x1b[201~"
    found = _events(_reads(raw, 4096))
    assert len(found) == 1 and isinstance(found[0], events.Paste)
    assert found[0].text == "".join(f"word{n} bold " for n in range(3000))


def _reads(raw: str, size: int) -> list[str | None]:
    """``raw`` as the terminal's reads of ``size`` characters give it."""
    return [raw[at : at + size] for at in range(0, len(raw), size)]


# Copied from a web page: the end of a paste, then ctrl+s (save the note) and c (close the item).
JACKED = "Pasted from a web page\x1b[201~\x13c"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 23, 24, 29, 4096])
def test_an_end_marker_in_the_pasted_text_runs_no_key(size: int) -> None:
    """However the reads cut it, what follows an end marker inside the text is pasted text."""
    found = _events(_reads(f"\x1b[200~{JACKED}\x1b[201~", size))
    assert [type(event) for event in found] == [events.Paste]
    assert isinstance(found[0], events.Paste)
    assert found[0].text == "Pasted from a web page\x13c"


def test_keys_typed_after_a_paste_are_keys() -> None:
    """After the paste's real end: keys, whether the input went quiet before them or not."""
    for gap in ([QUIET], []):
        found = _events(["\x1b[200~pasted\x1b[201~", *gap, "\x13", "c"])
        assert [type(event) for event in found] == [events.Paste, events.Key, events.Key]
        assert [getattr(event, "key", None) for event in found[1:]] == ["ctrl+s", "c"]


def test_a_start_marker_in_the_pasted_text_runs_no_key() -> None:
    """The text can hold a start marker too, after its end marker: no marker ends a paste, only
    the input going quiet (the terminal sends a paste in one go)."""
    jacked = "\x1b[200~text\x1b[201~\x13c\x1b[200~more\x1b[201~"
    found = _events([jacked[:15], jacked[15:]])
    assert [type(event) for event in found] == [events.Paste]
    assert isinstance(found[0], events.Paste)
    assert found[0].text == "text\x13cmore"


def test_the_end_waits_for_the_input_to_go_quiet() -> None:
    pastes = PasteFilter()
    assert pastes.feed("\x1b[200~one\x1b[201~x") == "\x1b[200~one"
    assert pastes.pasting
    assert pastes.feed("y") == ""
    assert pastes.quiet() == "\x1b[201~xy"
    assert not pastes.pasting
    assert pastes.quiet() == ""
    assert pastes.feed("z") == "z"


async def test_a_jacked_paste_into_a_note_closes_nothing(tmp_path: Path) -> None:
    """The paste as the tracker gets it from the terminal: all of it in the note, the note not
    saved by the paste, the item on the floor still open."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app, SessionApp)
        await pilot.pause()
        app.jump_to("1")
        await pilot.press("o", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        for event in _events(_reads(f"\x1b[200~{JACKED}\x1b[201~", 24)):
            app.post_message(event)  # as the driver posts what it read
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)  # not saved by the paste
        assert service.state.items["1"].status == "open"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [note.text for note in service.state.notes_of("1")] == ["Pasted from a web pagec"]
    assert service.state.items["1"].status == "open"


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
