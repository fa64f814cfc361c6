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
        # Who holds it (this test's process, by /proc/locks), and that stopping is safe.
        assert f"process {os.getpid()} (" in said, said
        assert "ctrl+c stops waiting, with nothing recorded" in said
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


HOLD = (
    "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
    "fcntl.flock(fd, fcntl.LOCK_EX); time.sleep(30)"
)
"""A program that takes a log's lock and holds it (a hung writer)."""


def test_a_lock_holder_is_named_by_process_and_command(tmp_path: Path) -> None:
    """``lock_holders`` finds the process holding a log's flock in /proc/locks, with its
    command line; a log nobody holds has no holder."""
    log = make_log(tmp_path / "s.jsonl")
    mine = os.open(log, os.O_RDONLY)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(log)])
    try:
        deadline = time.monotonic() + 10
        while not (holders := lock_wait.lock_holders(mine)):
            assert time.monotonic() < deadline, "the holder never took the lock"
            time.sleep(0.02)
        (said,) = holders
        assert said.startswith(f"process {holder.pid} ({sys.executable[:40]}"), said
        assert len(said) < 120  # a long command line is shortened
    finally:
        holder.kill()
        holder.wait()
    assert lock_wait.lock_holders(mine) == []
    os.close(mine)
