"""No message on stderr carries an escape sequence or a bidi override, whatever it quotes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui.cli import main

from .conftest import make_log

# OSC 52 writes the clipboard, OSC 0 retitles the window, CSI 2J clears the screen, C1 CSI,
# and a right-to-left override that shows a name reversed.
HOSTILE = "x\x1b]52;c;aGVsbG8=\x07\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202etxt.toml"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _hostile_file(tmp_path: Path, content: str) -> Path:
    path = tmp_path / HOSTILE
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", "MISSING"], "no such file"),
        (["check", "BROKEN"], "invalid TOML"),
        (["journal", "BROKEN"], "error"),
        (["import", "BROKEN"], "error"),
        (["export", "LOG", "--format", "md", "-o", "EXISTING"], "already exists"),
    ],
)
def test_a_hostile_file_name_reaches_stderr_without_its_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    names = {
        "MISSING": str(tmp_path / f"missing-{HOSTILE}"),
        "BROKEN": str(_hostile_file(tmp_path, "title = [")),
        "EXISTING": str(_hostile_file(tmp_path, "kept")),
        "LOG": str(make_log(tmp_path / "s.jsonl")),
    }
    with pytest.raises(SystemExit) as exited:
        main([names.get(arg, arg) for arg in args])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert words in err and "31mtxt.toml" in err  # the name is still told, its plain parts kept
    assert not any(raw in err for raw in RAW), ascii(err)


def test_a_real_stderr_is_cleaned_too(tmp_path: Path) -> None:
    # In a process of its own stderr is the interpreter's, not pytest's capture.
    missing = tmp_path / HOSTILE
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", str(missing)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.count("\n") == 1 and "no such file" in err and "31mtxt.toml" in err
    assert not any(raw in err for raw in RAW), ascii(err)


def test_stderr_is_given_back_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    before = sys.stderr
    assert main(["--version"]) is None
    assert sys.stderr is before
    print("after \x1b]0;x\x07", file=sys.stderr)
    assert "\x1b]0;x\x07" in capsys.readouterr().err
