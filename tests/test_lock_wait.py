"""A command waiting for a log's lock says so, instead of waiting in silence."""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from sessiontui.store import file as file_module
from sessiontui.store import lock_wait
from sessiontui.store.file import FileStore

from .conftest import make_log


def test_a_command_waiting_for_the_lock_says_so_then_records(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    env = {**os.environ, "SESSIONTUI_LOG": str(log), "SESSIONTUI_ACTOR": "ana"}
    holder = os.open(log, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another program holding the lock (a hung writer)
    try:
        command = subprocess.Popen(
            [sys.executable, "-m", "sessiontui", "sitting", "open"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert command.stderr is not None
        # The notice comes while it waits (a command that waits in silence fails here).
        readable, _, _ = select.select([command.stderr], [], [], 30)
        assert readable, "nothing said while waiting for the lock"
        said = command.stderr.readline()
        assert "waiting for" in said and str(log) in said and "holds its lock" in said
        assert command.poll() is None
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    _, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    with FileStore(log, read_only=True) as store:
        assert [event.type for event in store.read()] == ["sitting.open"]


def test_a_lock_taken_soon_says_nothing(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    told: list[str] = []
    before = lock_wait.notice
    lock_wait.notice = told.append
    holder = os.open(log, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        fcntl.flock(holder, fcntl.LOCK_UN)  # released long before the patience runs out
        with FileStore(log) as store:
            assert store.read_only is False
        assert time.monotonic() - started < file_module.LOCK_PATIENCE
    finally:
        os.close(holder)
        lock_wait.notice = before
    assert told == []
