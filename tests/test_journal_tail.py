"""A cold whole journal whose last part a forked process words (``store.journal_tail``): the
same lines, notices and exit as one process makes, whatever befalls the child."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem, Undo
from sessiontui.store import checkpoints, journal_tail, line_checker
from sessiontui.store import file as file_store

from .conftest import START, make_log
from .hostile_records import append_records
from .test_checkpoint import record

COMMANDS = (
    ["journal"],
    ["export", "--format", "txt"],
    ["export", "--format", "txt", "-o", "OUT"],
)


def _log(tmp_path: Path) -> Path:
    """A log with what makes the journal fold again (an undo, a back-dated record) and records
    out of bounds, spread over many runs."""
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    commands: list[Any] = [OpenItem("2a"), *(AddNote("2a", f"note {n}") for n in range(30))]
    commands += [CloseItem("2a"), OpenItem("3"), Undo(), AddNote("3", "after the undo")]
    commands += [AddNote("3", f"more {n}") for n in range(30)]
    record(log, clock, *commands)
    later = START + dt.timedelta(hours=1)
    limit = {"speaker": "s", "name": "A", "kind": "statement", "limit": 0}
    note = {"note": "n", "kind": "note", "text": "ok"}
    records: list[dict[str, object]] = [
        {"type": "item.open", "item": "2b", "at": later},
        {"type": "speaker.add", "item": "2b", "data": limit, "at": later},
        *({"type": "note.add", "item": "2b", "data": note, "at": later} for _ in range(20)),
        # Out of bounds, then back-dated: folded again.
        {"type": "speaker.add", "item": "2b", "data": limit, "at": later},
        {"type": "item.close", "item": "2b", "at": START - dt.timedelta(hours=1)},
        *({"type": "note.add", "item": "3", "data": note, "at": later} for _ in range(20)),
    ]
    append_records(log, records)
    return log


class _Tails:
    """Every tail journal forked, and how each ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[journal_tail.TailJournal] = []
        self.ended: list[bool] = []
        made, ended = self.made, self.ended
        real_init = journal_tail.TailJournal.__init__
        real_finish = journal_tail.TailJournal.finish

        def init(tail: journal_tail.TailJournal, *args: Any) -> None:
            real_init(tail, *args)
            made.append(tail)

        def finish(tail: journal_tail.TailJournal) -> dict[int, str] | None:
            found = real_finish(tail)
            ended.append(found is not None)
            return found

        monkeypatch.setattr(journal_tail.TailJournal, "__init__", init)
        monkeypatch.setattr(journal_tail.TailJournal, "finish", finish)


def _run(tmp_path: Path, log: Path, args: list[str]) -> tuple[int, str, str]:
    out = tmp_path / "out.txt"
    whole = [arg.replace("OUT", str(out)) for arg in args]
    result = CliRunner().invoke(cli, [*whole[:1], str(log), *whole[1:]])
    text = out.read_text() if out.exists() else result.stdout
    out.unlink(missing_ok=True)
    stderr = result.stderr.replace(str(out), "OUT")
    return result.exit_code, text, stderr


@pytest.fixture
def tails(monkeypatch: pytest.MonkeyPatch) -> _Tails:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    # Small runs in small blocks: the fork falls amid many of them.
    monkeypatch.setattr("sessiontui.service.OPENING_RUN", 4)
    monkeypatch.setattr(file_store, "READ_BLOCK", 512)
    monkeypatch.setattr(journal_tail, "SHARE", 0.4)
    # The test runner may run threads of its own.
    monkeypatch.setattr(line_checker, "may_fork", lambda: True)
    return _Tails(monkeypatch)


def _alike(tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails) -> None:
    """Each command says the same with a tail journal as in one process."""
    for args in COMMANDS:
        monkeypatch.setattr(journal_tail, "MIN_BYTES", 1 << 60)
        expected = _run(tmp_path, log, list(args))
        assert not tails.made
        monkeypatch.setattr(journal_tail, "MIN_BYTES", 0)
        assert _run(tmp_path, log, list(args)) == expected
        assert len(tails.made) == 1
        tails.made.clear()


def test_a_tail_journal_says_what_one_process_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails
) -> None:
    log = _log(tmp_path)
    _alike(tmp_path, log, monkeypatch, tails)
    assert tails.ended == [True] * len(COMMANDS)
    code, text, stderr = _run(tmp_path, log, ["export", "--format", "txt"])
    assert code == 0
    assert "wrote a note on" in text.splitlines()[-2]
    # The record out of bounds, found by the child, is named as one process names it.
    invalid = int(stderr.split("are left out (#")[1].split(":")[0])
    assert tails.made[-1].seq < invalid


def test_a_tail_journal_of_a_log_damaged_after_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails
) -> None:
    log = _log(tmp_path)
    lines = log.read_bytes().splitlines(keepends=True)
    at = len(lines) * 3 // 4
    lines[at] = lines[at].replace(b'"ok"', b'"OK"')
    log.write_bytes(b"".join(lines))
    _alike(tmp_path, log, monkeypatch, tails)
    code, text, stderr = _run(tmp_path, log, ["journal"])
    assert code != 0
    assert "damaged" in stderr
    assert "Made from the log" not in text


def test_a_child_that_finds_other_records_leaves_them_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails
) -> None:
    log = _log(tmp_path)
    found = journal_tail._events_of
    runs = [0]

    def other_after_two(store: file_store.FileStore, run: Any) -> Any:
        # (In the child: its count is its own.)
        runs[0] += 1
        return None if runs[0] > 2 else found(store, run)

    monkeypatch.setattr(journal_tail, "_events_of", other_after_two)
    _alike(tmp_path, log, monkeypatch, tails)
    assert tails.ended == [False] * len(COMMANDS)


def test_a_child_killed_leaves_its_records_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails
) -> None:
    log = _log(tmp_path)
    real_send = journal_tail.TailJournal.send

    def send_then_kill(tail: journal_tail.TailJournal, *args: Any) -> None:
        real_send(tail, *args)
        if tail._pid > 0:
            os.kill(tail._pid, signal.SIGKILL)

    monkeypatch.setattr(journal_tail.TailJournal, "send", send_then_kill)
    _alike(tmp_path, log, monkeypatch, tails)
    assert tails.ended == [False] * len(COMMANDS)


def test_a_followed_journal_is_worded_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tails: _Tails
) -> None:
    from sessiontui.service import OpeningJournal

    monkeypatch.setattr(journal_tail, "MIN_BYTES", 0)
    log = _log(tmp_path)
    opening = OpeningJournal(lambda lines: None)
    with file_store.FileStore(log, read_only=True, recover=False, fold=opening.start) as store:
        opening.finish(store)
    assert not tails.made
    assert opening.journal is not None
    assert opening.journal.state.last_seq == store.last_seq


def test_a_run_is_worded_by_the_child_only_if_its_bytes_are_the_records_told(
    tmp_path: Path,
) -> None:
    log = _log(tmp_path)
    data = log.read_bytes()
    start = data.index(b"\n") + 1
    with file_store.FileStore(log, read_only=True) as store:
        events = list(store.read())
        end = start + sum(len(line) + 1 for line in data[start:].split(b"\n")[:5])

        def run(**changed: Any) -> Any:
            told: dict[str, Any] = {
                "start": start,
                "end": end,
                "first_seq": events[0].seq,
                "count": 5,
                "prev": events[0].prev,
                "sum": events[4].sum,
                "bounded": True,
            }
            return journal_tail._events_of(store, journal_tail._Run(**{**told, **changed}))

        assert run() == events[:5]
        assert run(count=4) is None
        assert run(first_seq=events[0].seq + 1) is None
        assert run(prev=events[1].prev) is None
        assert run(sum=events[3].sum) is None
        assert run(end=end - 1) is None  # not whole lines
        assert run(start=start + 1) is None
