"""The whole journal made a line at a time: written as the log is folded, never held whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sessiontui.cli import cli
from sessiontui.core import bounds, fold
from sessiontui.core import journal as journal_module
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem, Undo
from sessiontui.core.events import Event
from sessiontui.core.journal import Journal
from sessiontui.core.text import is_clean
from sessiontui.exporters.base import text_chunks, text_of
from sessiontui.exporters.model import one_line
from sessiontui.service import JournalStream, whole_journal
from sessiontui.store import checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log
from .hostile_records import append_records
from .test_checkpoint import record


def test_a_cold_journal_is_made_as_its_lines_are_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, *(AddNote("2a", f"note {n}") for n in range(20)), OpenItem("3"))
    with FileStore(log, read_only=True) as store:
        expected = Journal(store.header).lines(list(store.read()))
        decoded: list[int] = []
        real_read = store.read

        def read(after_seq: int = 0) -> Iterator[Event]:
            for event in real_read(after_seq):
                decoded.append(event.seq)
                yield event

        monkeypatch.setattr(store, "read", read)
        lines = JournalStream(store).lines()
        first = next(lines)
        # The first line is out before the rest of the log is even decoded.
        assert decoded and max(decoded) < store.last_seq - 10
        assert [first, *lines] == expected
        assert max(decoded) == store.last_seq


def test_the_stream_leaves_the_same_checkpoint_as_the_whole_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, *(AddNote("2a", f"note {n}") for n in range(10)), Undo(), OpenItem("3"))
    monkeypatch.setattr("sessiontui.service.CHECKPOINT_EVERY", 3)
    saved = checkpoints.path_for(log, checkpoints.JOURNAL)
    with FileStore(log, read_only=True) as store:
        streamed = list(JournalStream(store).lines())
        assert saved.exists()
        # Read back from the checkpoint the stream left: the same lines, nothing journaled.
        again = JournalStream(store)
        assert again.journal is None and list(again.lines()) == streamed
        # The tracker's feed takes the entries (each line with its items) the same way.
        live = JournalStream(store, live=True)
        assert live.journal is not None
        assert list(live.entries()) == whole_journal(store).entries()
        # Each line's items, kept as JSON in the checkpoint until asked for, read back whole.
        afresh = Journal(store.header).entries(list(store.read()))
        assert list(JournalStream(store, live=True).entries()) == afresh
    saved.unlink()
    with FileStore(log, read_only=True) as store:
        assert whole_journal(store).lines == streamed


def test_a_journal_forgets_batches_no_undo_can_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fold, "UNDO_MEMORY", 3)
    monkeypatch.setattr(journal_module, "_BATCHES_KEPT", 4)
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    commands = [AddNote("2a", f"note {n}") for n in range(12)]
    record(log, clock, *commands, Undo(), OpenItem("2b"), CloseItem("2b"), Undo())
    with FileStore(log, read_only=True) as store:
        events, header = list(store.read()), store.header
    journal = Journal(header)
    entries = journal.entries(events)
    # Only the undo memory's batches (3 per actor) and those noted since the last pruning.
    assert len(journal._batches) <= 2 * 4
    monkeypatch.setattr(journal_module, "_BATCHES_KEPT", 1_000_000)
    keeping_all = Journal(header)
    assert keeping_all.entries(events) == entries
    assert len(keeping_all._batches) > 2 * 4
    # The last undo reverted the closing of 2(b): its line concerns 2(b).
    assert "undid" in entries[-1][0] and "2b" in entries[-1][1]


def test_text_in_chunks_is_the_text_whole() -> None:
    lines = [f"line {n}  with  spaces" for n in range(10_000)]
    lines[5000] = "a control \x07 character"
    assert b"".join(text_chunks(lines)) == text_of(lines)


@pytest.mark.parametrize("checkpointed", [False, True])
def test_a_cold_txt_export_folds_the_log_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checkpointed: bool
) -> None:
    if checkpointed:
        monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    else:
        monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), *(AddNote("2a", f"note {n}") for n in range(6)), OpenItem("3"))
    # A record with a valid checksum but a value out of bounds: the fold leaves it out.
    late = START + dt.timedelta(hours=1)  # after every other event: folded in its place
    bad = {"speaker": "s", "name": "A", "kind": "statement", "limit": 0}
    append_records(log, [{"type": "speaker.add", "item": "1", "data": bad, "at": late}])
    with FileStore(log, read_only=True) as store:
        events = list(store.read())
        expected = text_of(Journal(store.header).lines(events))
    folded: list[int] = []
    real = bounds.recorded_problem

    def counted(event: Event) -> str | None:
        folded.append(event.seq)
        return real(event)

    monkeypatch.setattr(fold, "recorded_problem", counted)
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["export", str(log), "--format", "txt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    # Every event folded once: by the journal, whose fold is the session's state.
    assert sorted(folded) == [event.seq for event in events]
    assert expected in out.read_bytes()
    # The record left out is named as opening the session names it, once the journal is made.
    assert "1 record(s) hold values outside the bounds" in result.stderr
    assert result.stderr.rstrip().endswith(f"sessiontui: wrote {out}")


def _folded_line_by_line(lines: list[str]) -> bytes:
    """``text_of`` as it was written first: each line cleaned, then its blanks folded."""
    if is_clean("\n".join(lines)):
        return "".join([" ".join(line.split()) + "\n" for line in lines]).encode("utf-8")
    return "".join([one_line(line) + "\n" for line in lines]).encode("utf-8")


_BLANKS_AND_MARKS = st.sampled_from(
    [" ", "  ", "   ", "\t", "\n", "\xa0", "\u2003", "\u3000", "\x1c", "\x85", "\u202e", "▶", "é"]
)


@settings(max_examples=400, deadline=None)
@example(["a   b"])
@example(["a  b ", " c"])
@example(["a", " b  c"])
@example([" a"])
@example(["a\tb", "é\xa0x"])
@example([""])
@example([])
@given(
    st.lists(
        st.lists(st.one_of(_BLANKS_AND_MARKS, st.text(max_size=4)), max_size=8).map("".join),
        max_size=6,
    )
)
def test_text_of_folds_each_line_as_before(lines: list[str]) -> None:
    assert text_of(lines) == _folded_line_by_line(lines)


def test_text_of_a_journal_folds_its_separators() -> None:
    lines = ["19 Nov 10:00:00  ana  ▶ took up 1 Opening", "", "19 Nov 10:01:00  rao  wrote"]
    assert text_of(lines) == _folded_line_by_line(lines)
    assert text_of(lines).count(b"  ") == 0
