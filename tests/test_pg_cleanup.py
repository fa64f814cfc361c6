"""The throwaway PostgreSQL servers of the tests do not outlive a test run that is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pg import find_bindir

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import sys, time
from tests.pg import cluster
with cluster() as running:
    print(running.root, flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(find_bindir() is None, reason="PostgreSQL is not installed")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_server_behind(signum: int) -> None:
    """A run killed with its server up (a CI timeout): the server stops, its folder goes."""
    run = subprocess.Popen(
        [sys.executable, "-c", _RUN], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    root = Path(run.stdout.readline().strip())
    pid_file = root / "data" / "postmaster.pid"
    server = int(pid_file.read_text().split()[0])
    os.kill(server, 0)  # running
    run.send_signal(signum)
    run.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (root.exists() or _alive(server)):
        time.sleep(0.1)
    assert not _alive(server), "the server outlived the run"
    assert not root.exists(), "the server's folder outlived the run"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for good: its parent (init, here) has not reaped it yet.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"
