"""Anchors make rewrites visible: a head kept outside the log, checked against it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui import service as service_module
from sessiontui.cli import cli
from sessiontui.commands.logfile import GAPS_EXIT
from sessiontui.core.events import decode_event, seal
from sessiontui.store import cachekey, checkpoints
from sessiontui.store import file as file_store

from .conftest import count_hashing, make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    cachekey.forget()


def recorded(tmp_path: Path, session_id: str = "test-session") -> Path:
    log = make_log(tmp_path / "s.jsonl", session_id=session_id)
    runner = CliRunner()
    for args in (["open", "1"], ["note", "1", "adopted", "--kind", "decision"], ["close", "1"]):
        result = runner.invoke(cli, [*args, "--log", str(log), "--actor", "ana"])
        assert result.exit_code == 0, result.output
    return log


def rewrite_whole_chain(log: Path) -> None:
    """Change a decision and reseal every line after it (what anyone with the file can do)."""
    lines = log.read_bytes().splitlines(keepends=True)
    prev = json.loads(lines[0])["sum"]
    out = [lines[0]]
    for line in lines[1:]:
        event = decode_event(line)
        if getattr(event.data, "text", None) == "adopted":
            event.data.text = "REJECTED"  # type: ignore[attr-defined]
        event.prev = prev
        sealed = seal(event)
        prev = event.sum
        out.append(sealed)
    log.write_bytes(b"".join(out))


def test_an_export_carries_a_head_that_verify_finds_until_the_log_is_rewritten(
    tmp_path: Path,
) -> None:
    log = recorded(tmp_path)
    export = tmp_path / "report.md"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["export", str(log), "--format", "md", "-o", str(export)]).exit_code == 0
    )
    heads = re.findall(r"[0-9a-f]{64}", export.read_text())
    assert heads
    ok = runner.invoke(cli, ["verify", str(log), "--anchor", str(export)])
    assert ok.exit_code == 0 and "holds the head" in ok.output, ok.output
    ok = runner.invoke(cli, ["verify", str(log), "--anchor", heads[0]])
    assert ok.exit_code == 0, ok.output
    rewrite_whole_chain(log)
    # The chain is whole again: nothing in the file shows it, only the head this account
    # remembered ...
    whole = runner.invoke(cli, ["verify", str(log)])
    assert whole.exit_code == 1 and "no longer extends" in whole.stderr, whole.output
    # ... with one, the rewrite does.
    bad = runner.invoke(cli, ["verify", str(log), "--anchor", str(export)])
    assert bad.exit_code == 1 and "does NOT hold the head" in bad.output, bad.output


@pytest.mark.parametrize("fmt", ["md", "json", "docx"])
def test_an_export_of_another_session_is_not_taken_for_a_rewrite(tmp_path: Path, fmt: str) -> None:
    log = recorded(tmp_path)
    (tmp_path / "other").mkdir()
    other = recorded(tmp_path / "other", session_id="4f0c2a9e1b7d4c3e8a6f5d2b1c0e9f8a")
    export = tmp_path / f"other.{fmt}"
    runner = CliRunner()
    made = runner.invoke(cli, ["export", str(other), "--format", fmt, "-o", str(export)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["verify", str(log), "--anchor", str(export)])
    assert result.exit_code == 1
    assert "from another session's log" in result.output, result.output
    assert "rewritten" not in result.output
    # Its own log holds it.
    assert runner.invoke(cli, ["verify", str(other), "--anchor", str(export)]).exit_code == 0


@pytest.mark.parametrize("given", ["deadbeef", "not-a-head", "g" * 64, "a" * 63])
def test_what_is_not_a_head_is_said_so(tmp_path: Path, given: str) -> None:
    log = recorded(tmp_path)
    result = CliRunner().invoke(cli, ["verify", str(log), "--anchor", given])
    assert result.exit_code == 1
    assert "neither a head" in result.output and "rewritten" not in result.output
    assert "Traceback" not in result.output


def test_the_cli_warns_when_a_log_no_longer_extends_the_head_it_saw(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["report", str(log)])
    assert "WARNING" not in first.output
    rewrite_whole_chain(log)
    warned = runner.invoke(cli, ["report", str(log)])
    assert warned.exit_code == 0
    assert "WARNING" in warned.stderr and "no longer extends" in warned.stderr
    heads = list((tmp_path / "xdg" / "sessiontui" / "heads").iterdir())
    assert len(heads) == 1 and heads[0].stat().st_mode & 0o077 == 0
    # The warning holds until the change is accepted (tests/test_anchors.py, cut back).
    assert "no longer extends" in runner.invoke(cli, ["report", str(log)]).stderr


def test_a_log_cut_back_warns_until_repair_records_the_cut(tmp_path: Path) -> None:
    """Events removed at a line boundary: every reader warns every time, verify fails, nothing
    is written on what is left, until ``repair`` records the cut (a gap, and the head it
    moved from); then writing goes on and nobody is warned again."""
    log = recorded(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(log)]).exit_code == 0  # its head remembered
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:3]))  # the header and `open 1`: events 3-4 cut off
    for _ in range(2):
        for args in (["report", str(log)], ["journal", str(log)], ["verify", str(log)]):
            result = runner.invoke(cli, args)
            assert "no longer extends what this account last saw" in result.stderr, args
            assert "sessiontui repair" in result.stderr, args
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == 1
    cut = log.read_bytes()
    note = runner.invoke(cli, ["note", "1", "on top", "--log", str(log), "--actor", "ana"])
    assert note.exit_code == 1 and "nothing is recorded on it" in note.stderr, note.output
    # Said once, as the error: not first as a warning, then again as the error.
    assert note.stderr.count("\n") == 1 and "WARNING" not in note.stderr, note.stderr
    assert log.read_bytes() == cut

    accepted = runner.invoke(cli, ["repair", str(log)])
    assert accepted.exit_code == 0 and "events 3-4" in accepted.stdout, accepted.output
    assert log.read_bytes().startswith(cut)
    checked = runner.invoke(cli, ["verify", str(log)])
    assert checked.exit_code == GAPS_EXIT and "seq 3-4" in checked.stdout, checked.output
    assert "WARNING" not in runner.invoke(cli, ["report", str(log)]).stderr
    note = runner.invoke(cli, ["note", "1", "after", "--log", str(log), "--actor", "ana"])
    assert note.exit_code == 0, note.output
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == GAPS_EXIT
    assert "nothing to repair" in runner.invoke(cli, ["repair", str(log)]).stdout


def test_a_repair_records_the_head_it_moved_from(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    runner = CliRunner()
    export = tmp_path / "report.md"
    assert (
        runner.invoke(cli, ["export", str(log), "--format", "md", "-o", str(export)]).exit_code == 0
    )
    before = log.read_bytes()
    log.write_bytes(before.replace(b"\n", b"\r\n"))  # damage repair can undo
    assert runner.invoke(cli, ["repair", str(log)]).exit_code == 0
    moved = runner.invoke(cli, ["verify", str(log), "--anchor", str(export)])
    assert moved.exit_code == 0, moved.output


def test_report_json_carries_its_head(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    runner = CliRunner()
    report = json.loads(runner.invoke(cli, ["report", str(log), "--json"]).stdout)
    head = report["head"]
    assert head["seq"] == 4
    assert runner.invoke(cli, ["verify", str(log), "--anchor", head["sha256"]]).exit_code == 0
    rewrite_whole_chain(log)
    assert runner.invoke(cli, ["verify", str(log), "--anchor", head["sha256"]]).exit_code == 1


@pytest.mark.parametrize("how", ["journal", "journal-filtered", "txt"])
def test_a_journal_ends_with_its_head_that_verify_takes(tmp_path: Path, how: str) -> None:
    log = recorded(tmp_path)
    runner = CliRunner()
    saved = tmp_path / "journal.txt"
    if how == "txt":
        args = ["export", str(log), "--format", "txt", "-o", str(saved)]
        assert runner.invoke(cli, args).exit_code == 0
    else:
        extra = ["--kind", "notes"] if how == "journal-filtered" else []
        made = runner.invoke(cli, ["journal", str(log), *extra])
        assert made.exit_code == 0, made.output
        saved.write_text(made.stdout, encoding="utf-8")
    last = saved.read_text(encoding="utf-8").splitlines()[-1]
    head = hashlib.sha256(log.read_bytes()).hexdigest()
    assert last == f"Made from the log up to event 4. SHA-256 of the log up to that event: {head}"
    ok = runner.invoke(cli, ["verify", str(log), "--anchor", str(saved)])
    assert ok.exit_code == 0 and f"holds the head {head}" in ok.output, ok.output
    rewrite_whole_chain(log)
    bad = runner.invoke(cli, ["verify", str(log), "--anchor", str(saved)])
    assert bad.exit_code == 1 and "does NOT hold the head" in bad.output, bad.output


@pytest.mark.parametrize(
    "fmt", ["md", "html", "docx", "json", "txt", "ics", "journal", "report-json"]
)
def test_a_head_quoted_in_a_note_is_not_the_files_own(tmp_path: Path, fmt: str) -> None:
    """A note may quote another head (an earlier draft's); only the file's own head counts, or a
    rewrite after that earlier head would pass as the file's head held."""
    log = recorded(tmp_path)
    header_only = hashlib.sha256(log.read_bytes().splitlines(keepends=True)[0]).hexdigest()
    quoted = f"Draft circulated. SHA-256 of the log up to that event: {header_only}"
    runner = CliRunner()
    noted = runner.invoke(cli, ["note", "1", quoted, "--log", str(log), "--actor", "ana"])
    assert noted.exit_code == 0, noted.output
    saved = tmp_path / f"made.{fmt}"
    if fmt == "journal":
        saved.write_text(runner.invoke(cli, ["journal", str(log)]).stdout, encoding="utf-8")
    elif fmt == "report-json":
        saved.write_text(runner.invoke(cli, ["report", str(log), "--json"]).stdout)
    else:
        made = runner.invoke(cli, ["export", str(log), "--format", fmt, "-o", str(saved)])
        assert made.exit_code == 0, made.output
    own = hashlib.sha256(log.read_bytes()).hexdigest()
    ok = runner.invoke(cli, ["verify", str(log), "--anchor", str(saved)])
    assert ok.exit_code == 0 and f"holds the head {own}" in ok.output, ok.output
    rewrite_whole_chain(log)  # the header stays: the quoted head still holds
    assert runner.invoke(cli, ["verify", str(log), "--anchor", header_only]).exit_code == 0
    bad = runner.invoke(cli, ["verify", str(log), "--anchor", str(saved)])
    assert bad.exit_code == 1 and f"does NOT hold the head {own}" in bad.output, bad.output


def heads_file(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "xdg" / "sessiontui" / "heads").iterdir()
    return found


def test_a_head_is_remembered_as_block_digests_and_checked_block_by_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of a few lines, and a checkpoint after every command, so that the log has several
    # whole blocks verified at open, as a long session's has.
    monkeypatch.setattr(file_store, "BLOCK", 256)
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 1)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    log = recorded(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(log)]).exit_code == 0
    data = log.read_bytes()
    head = json.loads(heads_file(tmp_path).read_bytes())
    assert head["bytes"] == len(data) and not head["sha256"]
    assert head["blocks"] == [
        hashlib.sha256(data[start : start + 256]).hexdigest() for start in range(0, len(data), 256)
    ]
    assert len(head["blocks"]) > 2
    last = decode_event(data.splitlines()[-1])
    assert (head["seq"], head["sum"]) == (last.seq, last.sum)

    # Unchanged since it was seen: nothing is written again.
    before = heads_file(tmp_path).stat()
    again = runner.invoke(cli, ["report", str(log)])
    assert "WARNING" not in again.stderr
    after = heads_file(tmp_path).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    # Extended by a command: no warning, and the longer head is remembered.
    assert runner.invoke(cli, ["open", "1", "--log", str(log), "--actor", "ana"]).exit_code == 0
    assert "WARNING" not in runner.invoke(cli, ["report", str(log)]).stderr
    assert json.loads(heads_file(tmp_path).read_bytes())["bytes"] == log.stat().st_size

    # A rewrite of the chain (every checksum redone, a new checkpoint beside it) is seen.
    seen = json.loads(heads_file(tmp_path).read_bytes())
    rewrite_whole_chain(log)
    warned = runner.invoke(cli, ["report", str(log)])
    assert "no longer extends" in warned.stderr
    assert f"line checksum {seen['sum']}" in warned.stderr


def test_a_head_remembered_as_one_digest_is_still_checked(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(log)]).exit_code == 0
    data = log.read_bytes()
    # What an earlier version remembered: the SHA-256 of the whole prefix.
    digest = hashlib.sha256(data).hexdigest()
    old = {"bytes": len(data), "sha256": digest, "seq": 3}
    heads_file(tmp_path).write_text(json.dumps(old))
    assert "WARNING" not in runner.invoke(cli, ["report", str(log)]).stderr
    assert json.loads(heads_file(tmp_path).read_bytes())["blocks"]  # remembered anew

    heads_file(tmp_path).write_text(json.dumps(old))
    rewrite_whole_chain(log)
    warned = runner.invoke(cli, ["report", str(log)])
    assert "no longer extends" in warned.stderr and digest in warned.stderr


@pytest.mark.usefixtures("unsettled_logs")
@pytest.mark.parametrize("block", [256, 1 << 26])  # several blocks; one, shorter than a block
def test_a_log_unchanged_since_its_checkpoint_and_its_head_is_hashed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """A command or the tracker opening a log that ends where its checkpoint and the head last
    seen end: the checkpoint's blocks are checked, the last, shorter one too, and none is
    hashed again to check the head or to remember it."""
    monkeypatch.setattr(file_store, "BLOCK", block)
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 1)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    log = recorded(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(log)]).exit_code == 0  # checkpoint and head
    data = log.read_bytes()
    assert len(data) % block  # a last, shorter block
    hashed = count_hashing(monkeypatch)
    saved = checkpoints.load(log)
    assert saved is not None and saved.checkpoint.offset == len(data)
    with file_store.FileStore(log, checkpoint=saved.checkpoint) as store:
        assert store.checkpoint_used == saved.checkpoint
        assert sum(hashed) == len(data)  # its blocks, checked at open
        hashed.clear()
        assert store.holds_blocks(len(data), saved.checkpoint.blocks)
        assert store.head_blocks() == saved.checkpoint.blocks
        assert hashed == []
        # Another head of the same length is hashed and found out.
        other = tuple(reversed(saved.checkpoint.blocks)) if block == 256 else ("0" * 64,)
        assert not store.holds_blocks(len(data), other)
        assert hashed
    hashed.clear()
    again = runner.invoke(cli, ["report", str(log)])
    assert "WARNING" not in again.stderr
    assert sum(hashed) == len(data)  # the checkpoint's blocks only
