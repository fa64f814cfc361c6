"""The journal checkpoint (LOG.journal): the same lines as journaling the whole log, or ignored."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, Amend, CloseItem, NextItem, OpenItem, Undo
from sessiontui.core.journal import Journal, with_gaps
from sessiontui.service import SessionService, whole_journal
from sessiontui.store import cachekey, checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log

# A checkpoint every three events, and the writer the state checkpoints' tests use.
from .test_checkpoint import every_event, record  # noqa: F401 (every_event: an autouse fixture)


def journal_from_scratch(log: Path) -> list[str]:
    with FileStore(log, read_only=True) as store:
        journal = Journal(store.header)
        return list(with_gaps(store.read(), store.repair_gaps(), journal.lines, journal.gap_line))


def cached(log: Path) -> list[str]:
    with FileStore(log, read_only=True) as store:
        return whole_journal(store).lines


def test_lines_after_the_checkpoint_are_journaled_on_top_of_it(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(
        log,
        clock,
        OpenItem("2a"),
        AddNote("2a", "first"),
        AddSpeaker("2a", "Peru", start=True),
        OpenItem("2b"),
    )
    assert cached(log) == journal_from_scratch(log)
    saved = checkpoints.path_for(log, checkpoints.JOURNAL)
    assert saved.exists() and stat.S_IMODE(saved.stat().st_mode) == 0o600
    # After it: an undo of a batch recorded before the checkpoint (its items come from the
    # checkpoint's batches), an amendment, a back-dated correction, another actor.
    record(log, clock, Undo())
    record(log, clock, Amend("retitle", "2b", title="Renamed"), actor="bo")
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(OpenItem("3"), at=START + dt.timedelta(minutes=1, seconds=30))
    service.store.close()
    record(log, clock, AddNote("3", "second"), OpenItem("2c"))
    before = saved.stat().st_mtime_ns
    assert cached(log) == journal_from_scratch(log)
    assert saved.stat().st_mtime_ns != before  # five more events: a new checkpoint
    assert cached(log) == journal_from_scratch(log)  # read back from it


def test_the_live_journal_goes_on_like_a_fresh_one(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), CloseItem("1"), OpenItem("2a"), AddNote("2a", "n"))
    cached(log)
    record(log, clock, Undo(), OpenItem("2c"))
    with FileStore(log, read_only=True) as store:
        whole = whole_journal(store, live=True)
        lines, live = whole.lines, whole.journal
        assert live is not None and lines == journal_from_scratch(log)
        # Another writer goes on, an undo among its events (it makes the journal fold again).
        record(log, clock, CloseItem("2c"), Undo(), AddNote("2a", "m"))
        news = store.catch_up()
        assert len(news) == 3
        assert lines + live.lines(news) == journal_from_scratch(log)


@pytest.mark.parametrize("content", [b"", b"garbage\n", b'{"format":"sessiontui-journal"}\n'])
def test_a_broken_journal_checkpoint_is_ignored(tmp_path: Path, content: bytes) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    checkpoints.path_for(log, checkpoints.JOURNAL).write_bytes(content)
    assert cached(log) == journal_from_scratch(log)


def test_a_journal_checkpoint_of_a_changed_log_is_ignored(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    other = make_log(tmp_path / "t.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    record(other, clock, OpenItem("2a"), AddNote("2a", "b"), CloseItem("2a"))
    cached(other)
    # Another session's journal beside this log: its prefix differs, so it is not used.
    checkpoints.path_for(other, checkpoints.JOURNAL).rename(
        checkpoints.path_for(log, checkpoints.JOURNAL)
    )
    assert cached(log) == journal_from_scratch(log)


def test_tampered_lines_cannot_reach_the_text_export(tmp_path: Path) -> None:
    """A checkpoint is only a cache: text in it is cleaned like any other on the way out."""
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "a"), CloseItem("1"))
    cached(log)
    saved = checkpoints.path_for(log, checkpoints.JOURNAL)
    meta, _, payload = saved.read_bytes().partition(b"\n")
    changed = payload.replace(b"wrote a note", b"wrote \\u001b]52;c;eA==\\u0007")
    # Changed by hand, the payload no longer matches its digest: the checkpoint is not used.
    saved.write_bytes(meta + b"\n" + changed)
    assert cached(log) == journal_from_scratch(log)
    # Sealed again with this account's own key (only its owner can): used, and still cleaned.
    fields = json.loads(meta)
    fields["digest"] = ""
    blank = json.dumps(fields, separators=(",", ":")).encode()
    fields["digest"] = cachekey.seal(blank, b"\n", changed)
    saved.write_bytes(json.dumps(fields, separators=(",", ":")).encode() + b"\n" + changed)
    result = CliRunner().invoke(cli, ["export", str(log), "--format", "txt", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "wrote a note" not in result.output  # the lines did come from the checkpoint


def test_export_and_journal_commands_print_the_same_with_or_without_it(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    record(log, clock, OpenItem("1"), AddNote("1", "a\nb"), NextItem(), Undo())
    runner = CliRunner()

    def outputs() -> tuple[str, str, str]:
        txt = runner.invoke(cli, ["export", str(log), "--format", "txt", "-o", "-"])
        md = runner.invoke(cli, ["export", str(log), "--format", "md", "--journal", "-o", "-"])
        journal = runner.invoke(cli, ["journal", str(log)])
        for result in (txt, md, journal):
            assert result.exit_code == 0, result.output
        return txt.output, md.output, journal.output

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(checkpoints.DISABLE_ENV, "1")
        without = outputs()
    first = outputs()
    assert checkpoints.path_for(log, checkpoints.JOURNAL).exists()
    assert first == without == outputs()


def test_a_repaired_log_does_not_use_the_old_journal_checkpoint(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    record(log, FakeClock(START), OpenItem("1"), AddNote("1", "n1"), AddNote("1", "n2"))
    old = cached(log)
    data = bytearray(log.read_bytes())
    data[data.index(b"n1")] ^= 0x02
    log.write_bytes(bytes(data))
    assert CliRunner().invoke(cli, ["repair", str(log)]).exit_code == 0
    assert cached(log) == journal_from_scratch(log) != old
