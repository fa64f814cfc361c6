"""A file that is not a session log is called so, with a hint at what to do with it, by every
command alike; a log converted to CR LF line endings is told so by every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import COSP, make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)
    from sessiontui.commands import tui

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tracker started")

    monkeypatch.setattr(tui, "_run", started)


def readers(path: Path) -> list[list[str]]:
    return [
        ["report", str(path)],
        ["journal", str(path)],
        ["export", str(path), "--format", "md", "-o", "-"],
        ["verify", str(path)],
        ["repair", str(path)],
        ["note", "1", "x", "--log", str(path)],
    ]


@pytest.mark.parametrize(
    ("name", "content", "hint"),
    [
        ("agenda.toml", COSP.read_bytes(), "open it with `sessiontui "),
        ("some.txt", b"Provisional agenda\n1. Opening of the session\n", "sessiontui import"),
        ("r.docx", b"PK\x03\x04" + bytes(range(256)) * 8, "sessiontui import"),
        ("data.bin", b"\x00\x01 nothing here\n{}\n", "is not a session log"),
    ],
)
def test_a_file_that_is_not_a_log_is_called_so(
    tmp_path: Path, name: str, content: bytes, hint: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    runner = CliRunner()
    runs = readers(path)
    if path.suffix != ".toml":
        runs.append([str(path)])  # the tracker
    for args in runs:
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{path} is not a session log" in result.stderr, (args, result.stderr)
        assert hint in result.stderr, (args, result.stderr)
        assert "damaged" not in result.stderr and "header" not in result.stderr, args
        assert "Traceback" not in result.output
    assert path.read_bytes() == content  # repair never touched it
    assert {p.name for p in tmp_path.iterdir()} - {"xdg"} == {name}


def test_every_command_says_a_log_was_converted_to_crlf(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    log.write_bytes(log.read_bytes().replace(b"\n", b"\r\n"))
    runner = CliRunner()
    for args in [*readers(log)[:3], readers(log)[5], [str(log)], ["verify", str(log)]]:
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert "converted to Windows line endings" in result.stderr, (args, result.stderr)
        assert "`sessiontui repair` converts it back" in result.stderr, args
