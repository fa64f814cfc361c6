"""Where an export may be written, and every way writing can fail: one clear line, nothing lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sessiontui.exporters import FORMATS

from .conftest import make_log


def run(
    *args: str | bytes, stdin: bytes = b"", stdout: int | None = None, **env: str
) -> tuple[int, bytes, str]:
    """``python -m sessiontui`` in a subprocess: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", *args],
        input=stdin,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        check=False,
        timeout=60,
    )
    return done.returncode, done.stdout or b"", done.stderr.decode("utf-8", "replace")


def one_line_failure(status: int, stderr: str, *words: str) -> None:
    assert status == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "internal error" not in lines[0] and "Traceback" not in stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return make_log(tmp_path / "s.jsonl")


def test_a_fifo_is_never_replaced_even_with_force(log: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    status, _, stderr = run("export", str(log), "--format", "md", "-o", str(fifo), "--force")
    one_line_failure(status, stderr, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_never_replaced_even_with_force(log: Path, tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    status, _, stderr = run("export", str(log), "--format", "md", "-o", str(device), "--force")
    one_line_failure(status, stderr, "not a regular file")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_is_refused(log: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    status, _, stderr = run("export", str(log), "--format", "md", "-o", str(folder), "--force")
    one_line_failure(status, stderr, "folder")
    assert folder.is_dir()


def test_an_unknown_extension_is_named_with_the_formats_written(log: Path, tmp_path: Path) -> None:
    """It said "which format?", as if the name gave none, not that ".xlsx" is not one."""
    target = tmp_path / "report.xlsx"
    status, _, stderr = run("export", str(log), "-o", str(target))
    one_line_failure(
        status, stderr, "'.xlsx' is not a format sessiontui writes: give --format md|html|docx|"
    )
    assert "|".join(FORMATS) in stderr
    assert not target.exists()


def test_a_symlink_is_replaced_itself_never_written_through(log: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("keep me\n")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    status, _, stderr = run("export", str(log), "--format", "md", "-o", str(link), "--force")
    assert status == 0, stderr
    assert not link.is_symlink() and "# Report" in link.read_text()
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("command", [["export", "--format", "md"], ["report"], ["journal"]])
def test_a_full_stdout_is_one_line(log: Path, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        status, _, stderr = run(*command, "--log", str(log), stdout=full.fileno())
    one_line_failure(status, stderr, "cannot write the output", "No space left")


def test_an_unwritable_folder_is_one_line(log: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere a file can be made: take a folder that can't
        target = "/proc/sessiontui-export.md"
    else:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o500)
        target = str(folder / "out.md")
    status, _, stderr = run("export", str(log), "--format", "md", "-o", target)
    one_line_failure(status, stderr, "cannot write")


def test_text_that_is_not_utf8_is_refused_in_one_line(log: Path) -> None:
    before = log.read_bytes()
    status, _, stderr = run("note", "1", b"bad \xff byte", "--log", str(log))
    one_line_failure(status, stderr, "not valid UTF-8")
    status, _, stderr = run("note", "1", "-", "--log", str(log), stdin=b"from \xfe stdin\n")
    one_line_failure(status, stderr, "not valid UTF-8")
    assert log.read_bytes() == before


def test_a_note_from_a_file_saved_by_notepad_is_what_it_says(log: Path) -> None:
    """A byte-order mark, Windows line ends and the file's last newlines are not the note."""
    notepad = b"\xef\xbb\xbfLine one\r\nLine two\r\n\r\n"
    status, _, stderr = run("note", "1", "-", "--log", str(log), stdin=notepad)
    assert status == 0, stderr
    status, out, stderr = run("export", str(log), "--format", "json", "-o", "-")
    assert status == 0, stderr
    texts = [note["text"] for item in json.loads(out)["items"] for note in item.get("notes", [])]
    assert texts == ["Line one\nLine two"]


def test_paths_that_are_not_utf8_work_and_are_remembered(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    agenda = Path(__file__).resolve().parent.parent / "agendas" / "cosp-intersessional-2020.toml"
    log = os.fsencode(tmp_path) + b"/s\xff.jsonl"
    status, _, stderr = run("init", str(agenda), "--log", log, XDG_DATA_HOME=str(data))
    assert status == 0, stderr
    pointer = data / "sessiontui" / "current"
    assert pointer.read_bytes() == log + b"\n"
    out = os.fsencode(tmp_path) + b"/report\xfe.md"
    status, _, stderr = run("export", "--format", "md", "-o", out, XDG_DATA_HOME=str(data))
    assert status == 0, stderr
    assert os.path.exists(out)
    # A pointer that cannot be written keeps the session it named: never left empty.
    pointer.chmod(0o400)
    pointer.parent.chmod(0o500)
    try:
        run("init", str(agenda), "--log", str(tmp_path / "other.jsonl"), XDG_DATA_HOME=str(data))
    finally:
        pointer.parent.chmod(0o700)
    assert pointer.read_bytes() in (log + b"\n", os.fsencode(tmp_path / "other.jsonl") + b"\n")


def test_a_size_limit_under_a_mebibyte_is_said_in_kibibytes(tmp_path: Path) -> None:
    source = tmp_path / "agenda.txt"
    source.write_text("1. Opening\n" * 60_000)
    status, _, stderr = run("import", str(source), "-o", str(tmp_path / "a.toml"))
    assert status == 1 and "(at most 512 KiB)" in stderr and "0 MiB" not in stderr, stderr
