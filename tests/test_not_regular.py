"""A log path that is a FIFO or a device: refused at once in one line, never waited on or read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import COSP

COMMANDS = [
    ["journal", "LOG"],
    ["journal", "--follow", "LOG"],
    ["report", "LOG"],
    ["verify", "LOG"],
    ["verify", "--anchor", "3:0123456789abcdef", "LOG"],
    ["repair", "LOG"],
    ["export", "LOG", "--format", "md", "-o", "-"],
    ["copy", "LOG", "OUT"],
    ["note", "1", "text", "--log", "LOG"],
    ["tui", "LOG"],
    ["LOG"],
    ["AGENDA", "--log", "LOG"],
]


def _run(args: list[str], log: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    names = {"LOG": log, "OUT": str(tmp_path / "out.jsonl"), "AGENDA": str(COSP)}
    # Opening a FIFO to read waits for a writer: without a bound, a regression hangs the run.
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *[names.get(arg, arg) for arg in args]],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_fifo_as_the_log_is_refused_at_once(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "session.jsonl"
    os.mkfifo(fifo)
    done = _run(args, str(fifo), tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr, done.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("args", [["repair", "LOG"], ["verify", "--anchor", "3:0123", "LOG"]])
def test_a_device_that_reads_forever_is_refused(tmp_path: Path, args: list[str]) -> None:
    # /dev/zero never ends: read whole, it took every byte of memory there was.
    done = _run(args, "/dev/zero", tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr, done.stderr
