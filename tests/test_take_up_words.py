"""A take-up is worded by what it was: a first taking up, a resumption or a reopening, whichever
command made it (``open``, ``next``, ``resume``; the tracker's ``o``, ``>`` and ``s``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessiontui.core.commands import (
    CloseItem,
    DeferItem,
    NextItem,
    OpenItem,
    ResumeItem,
    SuspendItem,
    Undo,
)
from sessiontui.core.events import Event, Header, UndoData
from sessiontui.core.journal import Journal, journal_lines
from sessiontui.core.phrases import describe
from sessiontui.exporters import ExportOptions, render
from sessiontui.exporters.happenings import happenings
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore
from tests.memory import MemorySession
from tests.test_journal import Meeting, body

# A journal checkpoint every three events (``every_event``, autouse there: used by name here).
from .test_checkpoint import every_event  # noqa: F401


def take_ups(header: Header, events: list[Event]) -> list[str]:
    """The journal's take-up lines without their times, each made the three ways a journal
    words an event (one at a time; a whole journal streamed; a live one's entries), which
    must agree."""
    one_by_one = list(journal_lines(header, events))
    whole = Journal.of_lines_only(header, lambda: iter(events))
    streamed = list(whole.stream_lines(events))
    entries = [line for line, _ in Journal(header, source=lambda: iter(events)).entries(events)]
    assert one_by_one == streamed == entries
    return [line.split("  ", 2)[2] for line in one_by_one if "▶" in line]


def test_every_way_of_taking_an_item_up_again_says_it_resumed() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("2b"), "10:05")  # 2(a) suspended on the way
    m.run(OpenItem("2a"), "10:10")  # ``open`` (the tracker's ``o``) of a suspended item
    m.run(NextItem(), "10:15")  # ``next`` (``>``): closes 2(a), takes up 2(b), suspended
    m.run(SuspendItem("2b"), "10:20")
    m.run(ResumeItem("2b"), "10:25")  # ``resume`` (``s`` on a suspended item)
    m.run(CloseItem("2b"), "10:30")
    m.run(OpenItem("2b"), "10:35")  # a closed item: a reopening
    m.run(DeferItem("2c"), "10:40")  # deferred before it was ever taken up
    m.run(OpenItem("2c"), "10:45")
    m.run(DeferItem("2c"), "10:50")  # deferred once under consideration
    m.run(OpenItem("2c"), "10:55")
    assert take_ups(m.header, m.events) == [
        "▶ took up 2(a) Status of the preparations for the special session",
        "▶ took up 2(b) General discussion (2(a) suspended)",
        "▶ resumed 2(a) Status of the preparations for the special session (2(b) suspended)",
        "▶ resumed 2(b) General discussion",
        "▶ resumed 2(b) General discussion",
        "▶ reopened 2(b) General discussion",
        "▶ took up 2(c) Denying safe havens to corruption offenders and their proceeds of crime"
        " (2(b) suspended)",
        "▶ resumed 2(c) Denying safe havens to corruption offenders and their proceeds of crime",
    ]


def test_the_report_appendix_and_the_echo_say_it_too() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("2b"), "10:05")
    resumed = m.run(OpenItem("2a"), "10:10")
    # The command line's echo of what was recorded.
    assert [describe(m.state, event) for event in resumed] == ["resumed 2(a)"]
    facts = [h.facts for h in happenings(m.header, m.events) if h.type == "item.open"]
    assert [(f["reopened"], f["resumed"]) for f in facts] == [(False, False)] * 2 + [(False, True)]
    for lang, words in (("en", "▶ resumed 2(a)"), ("fr", "▶ a repris le point 2(a)")):
        options = ExportOptions(journal=True, lang=lang)
        page = bytes(render("md", m.header, m.events, m.state, options)).decode()
        assert words in page


def test_an_undo_of_a_resumption_names_it() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("2b"), "10:05")
    m.run(NextItem(), "10:10")  # past 2(b): 2(c), pending, taken up
    m.run(OpenItem("2a"), "10:15")
    (undo,) = m.run(Undo(), "10:20")
    assert isinstance(undo.data, UndoData) and undo.data.what == "resumed 2(a)"


def test_a_back_dated_resumption_is_worded_as_one() -> None:
    m = MemorySession()
    m.run(OpenItem("2a"), "10:00")
    m.run(OpenItem("2b"), "10:05")
    m.run(OpenItem("3"), "10:30")
    # Recorded last, happened before 3 was taken up: the journal folds again to place it.
    m.run(OpenItem("2a"), m.at("10:20"))
    assert take_ups(m.header, m.events)[-1].startswith("▶ resumed 2(a)")


def test_the_journal_command_rewords_a_checkpoint_of_the_old_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal checkpoint (``LOG.journal``) holds its lines as they were worded when it was
    written: one written before take-ups were worded by what they were is made again, not
    printed as it says."""
    meeting = Meeting(tmp_path, monkeypatch, "Europe/Vienna")
    # This test reads and writes the checkpoint with the key the commands use.
    monkeypatch.setenv("XDG_DATA_HOME", str(meeting.env["XDG_DATA_HOME"]))
    meeting.do("10:00", "ana", "open", "2a")
    meeting.do("10:05", "ana", "open", "2b")
    echo = meeting.do("10:10", "ana", "open", "2a")
    assert "ana resumed 2(a)" in echo.stderr
    meeting.do("10:15", "ana", "close", "2a")
    printed = body(meeting.journal())
    assert [line for line in printed if "▶" in line][-1].endswith(
        "ana  ▶ resumed 2(a) Status of the preparations for the special session (2(b) suspended)"
    )
    saved = checkpoints.load(meeting.log, checkpoints.JOURNAL)
    assert saved is not None
    # The checkpoint as the code before said it: no wording kept, "took up" for a resumption.
    old = json.loads(bytes(saved.state))
    del old["wording"]
    old["lines"] = [line.replace("▶ resumed", "▶ took up") for line in old["lines"]]
    with FileStore(meeting.log, read_only=True) as store:
        assert store.checkpoint() == saved.checkpoint
        written = checkpoints.save(
            meeting.log,
            saved.checkpoint,
            store.header.session,
            json.dumps(old, ensure_ascii=False).encode(),
            checkpoints.JOURNAL,
        )
    assert written
    assert body(meeting.journal()) == printed
    # Made again from the log, and saved in the words of now.
    again = checkpoints.load(meeting.log, checkpoints.JOURNAL)
    assert again is not None
    assert json.loads(bytes(again.state))["wording"] == json.loads(bytes(saved.state))["wording"]
