"""A cold whole journal and txt export made in the pass that opens the log: the log read and
decoded once, each run of lines written as it is made, the same words as the journal's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core import events
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem, Undo
from sessiontui.core.events import Event
from sessiontui.core.journal import Journal, journal_heading
from sessiontui.service import OpeningJournal
from sessiontui.store import checkpoints
from sessiontui.store import file as file_module
from sessiontui.store.file import FileStore

from .conftest import START, make_log
from .hostile_records import append_records
from .test_checkpoint import record


def _log(tmp_path: Path, *, undo: bool) -> Path:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    commands: list[object] = [OpenItem("2a"), *(AddNote("2a", f"note {n}") for n in range(30))]
    commands += [CloseItem("2a"), OpenItem("3")]
    if undo:
        commands += [Undo(), AddNote("3", "after the undo")]
    record(log, clock, *commands)  # type: ignore[arg-type]
    if undo:
        # Back-dated: the journal folds again, sorted, from the events the scan verified.
        append_records(
            log,
            [{"type": "item.close", "item": "3", "at": START - dt.timedelta(hours=1)}],
        )
    return log


@pytest.mark.parametrize("cold", [False, True])
@pytest.mark.parametrize("undo", [False, True])
def test_the_opening_journal_says_what_the_journal_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, undo: bool, cold: bool
) -> None:
    monkeypatch.setattr("sessiontui.service.OPENING_RUN", 4)
    # The scan hands on the records of each block it reads: small blocks, several runs.
    monkeypatch.setattr("sessiontui.store.file.READ_BLOCK", 512)
    if cold:  # no checkpoint will be kept: only each line's words are made
        monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = _log(tmp_path, undo=undo)
    # Records out of bounds amid the usual ones: their runs are not bounded, the others are.
    # (An hour on: in time order, so that the usual lines' way takes them.)
    limit = {"speaker": "s", "name": "A", "kind": "statement", "limit": 0}
    note = {"note": "n", "kind": "note", "text": "ok"}
    later = START + dt.timedelta(hours=1)
    records: list[dict[str, object]] = [
        {"type": "item.open", "item": "2b"},
        {"type": "speaker.add", "item": "2b", "data": limit},
    ]
    records += [{"type": "note.add", "item": "2b", "data": note} for _ in range(40)]
    records += [
        {"type": "speaker.add", "item": "2b", "data": limit},
        {"type": "item.close", "item": "2b"},
    ]
    append_records(log, [{**record, "at": later} for record in records])
    with FileStore(log, read_only=True) as store:
        expected = Journal(store.header).lines(list(store.read()))
    runs: list[list[str]] = []
    opening = OpeningJournal(runs.append)
    with FileStore(log, read_only=True, recover=False, fold=opening.start) as store:
        # Written in runs while the store was being opened, before it was even done.
        assert len(runs) > 1
        opening.finish(store)
        assert [line for run in runs for line in run] == expected
        assert opening.journal is not None
        assert opening.journal.state.last_seq == store.last_seq


@pytest.mark.parametrize(
    "args",
    [
        ["journal"],
        ["export", "--format", "txt"],
        ["export", "--format", "txt", "-o", "OUT"],
    ],
)
def test_a_cold_journal_decodes_each_line_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    log = _log(tmp_path, undo=False)
    out = tmp_path / "out.txt"
    whole = [a.replace("OUT", str(out)) for a in args]
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    expected = CliRunner().invoke(cli, [*whole[:1], str(log), *whole[1:]])
    assert expected.exit_code == 0, expected.output
    text = out.read_text() if out.exists() else expected.stdout
    out.unlink(missing_ok=True)

    real_decode = events.decode_event
    again: list[bytes] = []

    def decode_again(line: bytes) -> Event:
        again.append(line)
        return real_decode(line)

    # The opening scan decodes with ``decode_event_bounded``; ``read`` with ``decode_event``
    # (and ``last_event``: the export's closing line names the last event's seq).
    monkeypatch.setattr(file_module, "decode_event", decode_again)
    result = CliRunner().invoke(cli, [*whole[:1], str(log), *whole[1:]])
    assert result.exit_code == 0, result.output
    assert len(again) <= 1
    assert (out.read_text() if out.exists() else result.stdout) == text
    with FileStore(log, read_only=True) as store:
        assert text.splitlines()[0] == journal_heading(store.header)
    assert text.splitlines()[-1].startswith("Made from the log up to event ")


def test_a_cold_txt_export_that_fails_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = _log(tmp_path, undo=False)
    out = tmp_path / "out.txt"
    out.write_text("kept\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"not a header\n")
    result = CliRunner().invoke(
        cli, ["export", str(broken), "--format", "txt", "-o", str(out), "--force"]
    )
    assert result.exit_code != 0
    assert out.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jsonl", "out.txt", "s.jsonl"]
    del log


def test_a_damaged_logs_cold_journal_names_the_damage_after_its_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkpoints.DISABLE_ENV, "1")
    log = _log(tmp_path, undo=False)
    with FileStore(log, read_only=True) as store:
        good = Journal(store.header).lines(list(store.read()))
    with log.open("ab") as handle:
        handle.write(b'{"broken": true}\n')
    result = CliRunner().invoke(cli, ["journal", str(log)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == good
    assert "checksum" in result.stderr or "line" in result.stderr
