"""The note editor's text area: ctrl+s saves what it holds after every key typed before it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

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
        await super()._on_key(event)
