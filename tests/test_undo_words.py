"""An undo names everything it takes back: a command that recorded several events (``next``, a
take-up that opened the sitting or ended a speech, a register import) is undone whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.core import fold
from sessiontui.core.commands import (
    AddParticipants,
    AddSpeaker,
    CloseItem,
    Command,
    NextItem,
    OpenItem,
    SittingCommand,
    StartSpeaker,
    Undo,
)
from sessiontui.core.events import UndoData
from sessiontui.core.journal import journal_lines
from sessiontui.core.register import Participant
from sessiontui.core.snapshot import dump_state, load_state
from tests.memory import MemorySession
from tests.test_journal import Meeting, body


def undone(m: MemorySession, when: str) -> str:
    """What the undo recorded at ``when`` says it took back."""
    (undo,) = m.run(Undo(), when)
    assert isinstance(undo.data, UndoData)
    return undo.data.what


def test_undoing_next_names_the_closing_and_the_take_up() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(NextItem(), "10:05")
    assert undone(m, "10:06") == "closed 2(a) and took up 2(b)"
    # The journal line of the undo says so, and what it changed back.
    line = list(journal_lines(m.header, m.events))[-1]
    assert line.endswith("ana  undid: closed 2(a) and took up 2(b) (2(a) open; 2(b) pending)")
    assert m.state.floor == "2a"


@pytest.mark.parametrize(
    ("before", "command", "said"),
    [
        # Past the last sub-item, the others concluded: its parent is closed too.
        (
            [
                *(c for sub in "abcd" for c in (OpenItem(f"2{sub}"), CloseItem(f"2{sub}"))),
                OpenItem("2e"),
            ],
            NextItem(),
            "closed 2(e), closed 2 and took up 3",
        ),
        # A take-up with no sitting open opens one.
        ([], OpenItem("1"), "opened the sitting and took up 1"),
        # Taking up another item ends the speech under way.
        (
            [OpenItem("1"), AddSpeaker("1", "Brazil", start=True)],
            OpenItem("2a"),
            "ended the speech of Brazil on 1 and took up 2(a)",
        ),
        # Giving the floor to the next speaker ends the speech before (named in that order).
        (
            [OpenItem("1"), AddSpeaker("1", "Brazil", start=True), AddSpeaker("1", "Kenya")],
            StartSpeaker("1", "Kenya"),
            "ended the speech of Brazil on 1 and gave the floor to Kenya on 1",
        ),
        (
            [OpenItem("1"), AddSpeaker("1", "Brazil", start=True)],
            SittingCommand("close"),
            "ended the speech of Brazil on 1 and closed the sitting",
        ),
        # A register import, counted as amendments are.
        (
            [],
            AddParticipants(
                tuple(
                    Participant(name=name)
                    for name in ("Austria", "Brazil", "Chile", "Denmark", "Egypt", "Fiji")
                )
            ),
            "added to the register (6 participants: Austria, Brazil, Chile, Denmark and 2 more)",
        ),
    ],
)
def test_every_command_of_several_events_is_named_whole(
    before: list[Command], command: Command, said: str
) -> None:
    m = MemorySession()
    for minute, earlier in enumerate(before):
        m.run(earlier, f"09:{minute:02d}")
    m.run(command, "09:30")
    assert undone(m, "09:31") == said


def test_a_single_event_is_named_as_before() -> None:
    m = MemorySession()
    m.run(OpenItem("1"), "10:00")
    m.run(CloseItem("1"), "10:05")
    assert undone(m, "10:06") == "closed 1"


def test_a_checkpointed_state_still_names_the_whole_batch() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(NextItem(), "10:05")
    state, _ = load_state(m.header, dump_state(m.state, needs_sort=False))
    m.replayer.state = state
    assert undone(m, "10:06") == "closed 2(a) and took up 2(b)"


def test_a_batch_no_undo_can_reach_is_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    """The undo memory keeps an actor's last batches; the other events of one that left it
    go with it (a long session's ``next``s are not all kept)."""
    monkeypatch.setattr(fold, "UNDO_MEMORY", 2)
    m = MemorySession()
    m.run(OpenItem("1"), "10:00")  # opens the sitting too: two events
    for minute in range(1, 5):
        m.run(NextItem(), f"10:0{minute}")  # two or three events each
    kept = [batch for batch, _ in m.state.undoable["ana"]]
    assert len(kept) == 2
    assert set(m.state.batch_rest) == set(kept)


def test_undo_on_the_command_line_names_next_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = Meeting(tmp_path, monkeypatch, "Europe/Vienna")
    meeting.do("10:00", "ana", "open", "2a")
    meeting.do("10:05", "ana", "next")
    echo = meeting.do("10:06", "ana", "undo")
    assert "ana undid: closed 2(a) and took up 2(b)" in echo.stderr
    assert body(meeting.journal())[-1] == (
        "19 Nov 10:06:00  ana  undid: closed 2(a) and took up 2(b) (2(a) open; 2(b) pending)"
    )
