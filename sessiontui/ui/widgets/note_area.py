"""The note editor's text area: ctrl+s saves what it holds after every key typed before it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from sessiontui.ui.key_order import KeyQueue

SAVE_KEY = "ctrl+s"


class NoteArea(TextArea):
    """A TextArea that answers ctrl+s in the order keys were typed.

    A ``priority`` binding runs as the key reaches the App, while keys typed just before it may
    still wait in this widget's queue (a paste without bracketed paste, fast typing, a busy
    machine): the note was saved cut short. Here ctrl+s is taken from the same queue as the
    text, so the text posted with ``SaveRequested`` is exactly what was typed before it.
    """

    @dataclass
    class SaveRequested(Message):
        """ctrl+s: save ``text`` (the area's text when the key was reached)."""

        area: NoteArea
        text: str

        @property
        def control(self) -> NoteArea:
            """The area that asked."""
            return self.area

    async def _on_key(self, event: events.Key) -> None:
        if event.key == SAVE_KEY:
            event.stop()
            event.prevent_default()
            self.post_message(self.SaveRequested(self, self.text))
            return
        if event.key.startswith("alt+") and event.is_printable:
            # A terminal sends escape as the escape byte alone, and alt+n as escape then ``n``:
            # escape and a key typed right after it arrive as one alt key. Nobody types alt
            # and a letter into a note, so it is taken as what was typed: escape (close the
            # editor, the text kept in its draft), then the key (``n``: the next note), never
            # a stray letter in this note.
            event.stop()
            event.prevent_default()
            plain = events.Key(event.key.removeprefix("alt+"), event.character)
            escape = events.Key("escape", "\x1b")
            queue = getattr(self.app, "keys", None)
            if isinstance(queue, KeyQueue):
                queue.put_first(escape, plain)
            else:
                self.app.post_message(escape)
                self.app.post_message(plain)
            return
        await super()._on_key(event)
