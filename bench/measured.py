"""Run a command and measure what it alone used: wall time, CPU time and its own peak memory.

A program's peak resident memory as ``wait4`` reports it (``ru_maxrss``) is never less than
that of the process it was started from: Linux carries the high-water mark of the memory it
replaces into the new program's count when it runs it (``exec``; a ``vfork``ed child, as
Python's ``subprocess`` makes, replaces its parent's very memory). A bench that has read a
large output, or holds a large log, then reports its own size for every command it runs after
(measured: a Python process holding 600 MB made ``python -c pass`` report 613 MB; the bench
reported 918 MB for a cold `journal` of 2,000,000 events that peaks at 365 MB).

So each command is started by a launcher, a small fresh Python that forks, runs the command,
waits for it and writes the command's own figures to a file: the command's count starts from
the launcher's few megabytes. Its wall time runs from the fork to the command's end, so the
launcher's own start is not in it; ``started`` is that fork's instant on ``time.monotonic()``,
the clock every process of the machine shares, for a caller timing the command's first
output.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

_LAUNCHER = """
import json, os, sys, time
report = sys.argv[1]
started = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as exc:
        os.write(2, f"{sys.argv[2]}: {exc.strerror}\\n".encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
ended = time.monotonic()
with open(report, "w") as out:
    json.dump({"status": status, "started": started, "seconds": ended - started,
               "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, out)
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


@dataclass(frozen=True)
class Usage:
    """What one run of a command used, measured by its launcher."""

    returncode: int
    """As ``subprocess`` gives it: negative for a signal."""
    started: float
    """``time.monotonic()`` when the command was started."""
    seconds: float
    """Wall time from its start to its end."""
    cpu_seconds: float
    max_rss_mb: float
    """Its own peak resident memory."""


class Measured:
    """A command started under the launcher; ``proc`` is the launcher (its standard streams are
    the command's), ``wait`` gives the command's ``Usage``."""

    def __init__(self, cmd: list[str], **popen: Any) -> None:
        """Start ``cmd``; ``popen``: ``subprocess.Popen``'s arguments (streams, env, cwd)."""
        handle, self._report = tempfile.mkstemp(prefix="sessiontui-bench-", suffix=".json")
        os.close(handle)
        # A session of its own: ``kill`` stops the command with its launcher.
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, self._report, *cmd],
            start_new_session=True,
            **popen,
        )

    def kill(self) -> None:
        """Stop the command and its launcher at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def wait(self) -> Usage:
        """Wait for the command's end; what it used (a launcher killed: the wait's end)."""
        self.proc.wait()
        try:
            with open(self._report, encoding="utf-8") as found:
                text = found.read()
        finally:
            os.unlink(self._report)
        if not text:
            # Killed before the command ended: nothing measured but that.
            return Usage(self.proc.returncode, float("nan"), float("nan"), float("nan"), 0.0)
        figures = json.loads(text)
        return Usage(
            os.waitstatus_to_exitcode(figures["status"]),
            figures["started"],
            figures["seconds"],
            figures["cpu"],
            figures["maxrss_kb"] / 1024,
        )
