"""One vocabulary: the note and speech kinds as recorded, and their words, in one place."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.vocabulary import (
    NOTE_KINDS,
    SPEAKER_KINDS,
    NoteKind,
    SpeechKind,
    note_kind,
    speech_kind,
)


def test_the_recorded_values_never_change() -> None:
    # These strings are in every log ever written.
    assert NOTE_KINDS == ("note", "decision", "action")
    assert SPEAKER_KINDS == ("statement", "reply", "point_of_order")


@pytest.mark.parametrize(
    ("kind", "heading", "noun", "plural"),
    [
        (NoteKind.NOTE, "Note", "a note", "Notes"),
        (NoteKind.DECISION, "Decision", "a decision", "Decisions"),
        (NoteKind.ACTION, "Action point", "an action point", "Action points"),
    ],
)
def test_note_kinds_have_their_words(kind: NoteKind, heading: str, noun: str, plural: str) -> None:
    assert (kind.heading, kind.noun, kind.plural) == (heading, noun, plural)
    assert note_kind(kind.value) is kind


def test_speech_kinds_have_their_words() -> None:
    assert [k.heading for k in SpeechKind] == ["Statement", "Right of reply", "Point of order"]
    assert SpeechKind.POINT_OF_ORDER.phrase == "point of order"
    assert speech_kind("reply") is SpeechKind.REPLY


def test_an_unknown_recorded_kind_reads_plainly() -> None:
    assert note_kind("minute") is NoteKind.NOTE
    assert speech_kind("filibuster") is None


@pytest.mark.parametrize(("command", "kinds"), [("note", NOTE_KINDS), ("speaker", SPEAKER_KINDS)])
def test_the_command_line_offers_the_kinds(command: str, kinds: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert f"[{'|'.join(kinds)}]" in result.stdout
