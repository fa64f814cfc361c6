"""A header that does not read is one clear line pointing at ``repair``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

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
