"""A header that fails its checksum but still reads opens read-only, as damage to any record
does: the tracker and the readers carry on and say so, nothing is written; a header that does
not read is one clear line pointing at ``repair``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.commands.record import open_service

from .conftest import make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)


def recorded(tmp_path: Path) -> Path:
    log = make_log(tmp_path / "s.jsonl")
    runner = CliRunner()
    for args in (["open", "1"], ["note", "1", "adopted", "--kind", "decision"]):
        assert runner.invoke(cli, [*args, "--log", str(log), "--actor", "ana"]).exit_code == 0
    return log


def flip_in_header(log: Path, old: bytes, new: bytes) -> bytes:
    header, rest = log.read_bytes().split(b"\n", 1)
    assert old in header
    log.write_bytes(header.replace(old, new, 1) + b"\n" + rest)
    return log.read_bytes()


def test_a_header_that_still_reads_opens_read_only(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    damaged = flip_in_header(log, b"Opening", b"OpEning")
    runner = CliRunner()
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 1
    assert "Opening of the" in report.stdout or "OpEning" in report.stdout
    assert "the header (line 1) is damaged" in report.stderr
    assert "sessiontui repair" in report.stderr
    journal = runner.invoke(cli, ["journal", str(log)])
    assert journal.exit_code == 1 and "adopted" in journal.stdout, journal.output
    assert "the header (line 1) is damaged" in journal.stderr
    out = tmp_path / "r.md"
    export = runner.invoke(cli, ["export", str(log), "--format", "md", "-o", str(out)])
    assert export.exit_code == 1 and "adopted" in out.read_text(), export.output
    note = runner.invoke(cli, ["note", "1", "more", "--log", str(log), "--actor", "ana"])
    assert note.exit_code == 1 and "read-only" in note.stderr, note.output
    assert log.read_bytes() == damaged
    # The tracker opens it as it opens any damaged log: read-only, the damage named.
    service = open_service(str(log))
    try:
        assert service.store.read_only and service.store.damage[0].line == 1
        assert [note.text for note in service.state.notes.values()] == ["adopted"]
    finally:
        service.close()
    assert log.read_bytes() == damaged
    verify = runner.invoke(cli, ["verify", str(log)])
    assert verify.exit_code == 1 and "restored by `repair`" in verify.stderr
    assert runner.invoke(cli, ["repair", str(log)]).exit_code == 0
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == 0


def test_a_header_that_does_not_read_is_one_line_pointing_at_repair(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    flip_in_header(log, b'"version":2', b'"version":2x')
    runner = CliRunner()
    for args in (
        ["report", str(log)],
        ["journal", str(log)],
        ["note", "1", "x", "--log", str(log)],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, args
        (line,) = result.stderr.splitlines()
        assert "the header (line 1) is damaged" in line and "sessiontui repair" in line, line
        assert "Traceback" not in result.output
