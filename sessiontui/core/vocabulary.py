"""The meeting's vocabulary: the kinds of notes and of speeches, as recorded and in words.

Every layer (commands, fold, journal, reports, the tracker, the command line) takes the kinds
and their words from here. The values are what the log records and never change.
"""

from __future__ import annotations

from enum import StrEnum


class NoteKind(StrEnum):
    """What a note on an item is: a plain note, a decision taken, or an action point."""

    NOTE = "note"
    DECISION = "decision"
    ACTION = "action"

    @property
    def heading(self) -> str:
        """``"Action point"``: the kind as a heading or a label."""
        return _NOTE_WORDS[self][0]

    @property
    def noun(self) -> str:
        """``"an action point"``: the kind in a sentence."""
        return _NOTE_WORDS[self][1]

    @property
    def plural(self) -> str:
        """``"Action points"``: the heading of a list of them."""
        return _NOTE_WORDS[self][2]


class SpeechKind(StrEnum):
    """What a speaker takes the floor for."""

    STATEMENT = "statement"
    REPLY = "reply"
    POINT_OF_ORDER = "point_of_order"

    @property
    def heading(self) -> str:
        """``"Right of reply"``: the kind as a label."""
        return _SPEECH_WORDS[self]

    @property
    def phrase(self) -> str:
        """``"right of reply"``: the kind in a sentence."""
        return _SPEECH_WORDS[self].lower()


_NOTE_WORDS = {
    NoteKind.NOTE: ("Note", "a note", "Notes"),
    NoteKind.DECISION: ("Decision", "a decision", "Decisions"),
    NoteKind.ACTION: ("Action point", "an action point", "Action points"),
}
_SPEECH_WORDS = {
    SpeechKind.STATEMENT: "Statement",
    SpeechKind.REPLY: "Right of reply",
    SpeechKind.POINT_OF_ORDER: "Point of order",
}

NOTE_KINDS: tuple[str, ...] = tuple(kind.value for kind in NoteKind)
"""The note kinds as recorded, in the order offered."""
SPEAKER_KINDS: tuple[str, ...] = tuple(kind.value for kind in SpeechKind)
"""The kinds of speech as recorded, in the order offered."""


def note_kind(value: str) -> NoteKind:
    """The kind a recorded note has (a plain note for a value this version does not know)."""
    try:
        return NoteKind(value)
    except ValueError:
        return NoteKind.NOTE


def speech_kind(value: str) -> SpeechKind | None:
    """The kind of a recorded speech, or None for a value this version does not know."""
    try:
        return SpeechKind(value)
    except ValueError:
        return None
