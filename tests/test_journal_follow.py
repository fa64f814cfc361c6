"""``journal --follow`` as a real process while other processes write the log."""

from __future__ import annotations

import datetime as dt
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.events import new_header
from sessiontui.core.journal import journal_lines
from sessiontui.store.file import FileStore

REPO = Path(__file__).resolve().parents[1]

# A second kind of writer: a process recording notes through the service as fast as it can.
WRITER = """
import sys
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

log, actor, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
service = SessionService(FileStore(log), actor=actor)
for n in range(count):
    service.run(AddNote("2a", f"{actor} says {n}"))
service.close()
"""


# ``python -m sessiontui`` that Ctrl+C stops however the suite was started: one started in the
# background (``cmd &`` in a script) ignores SIGINT, and its children inherit that.
INTERRUPTIBLE = """
import runpy, signal
signal.signal(signal.SIGINT, signal.default_int_handler)
runpy.run_module("sessiontui", run_name="__main__", alter_sys=True)
"""


def environment() -> dict[str, str]:
    """The child processes' environment: this checkout first on the path, no colours."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    env.pop("SESSIONTUI_LOG", None)
    env.pop("SESSIONTUI_ROLE", None)
    return env


class Lines:
    """Reads a pipe in a thread, so the test can wait for a line with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self.queue: queue.Queue[tuple[float, str]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.queue.put((time.monotonic(), line.rstrip("\n")))

    def get(self, timeout: float) -> tuple[float, str]:
        """The next line and when it arrived (fails the test after ``timeout`` seconds)."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s") from None


def make_log(folder: Path) -> Path:
    """A new session log of the model agenda."""
    spec = load_agenda_file(REPO / "agendas" / "cosp-intersessional-2020.toml")
    log = folder / "session.jsonl"
    FileStore.create(log, new_header(spec, created=dt.datetime.now(dt.UTC))).close()
    return log


def cli(log: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``sessiontui ARGS --log LOG --actor ana`` in another process."""
    command = [sys.executable, "-m", "sessiontui", *args, "--log", str(log), "--actor", "ana"]
    return subprocess.run(
        command, check=False, capture_output=True, text=True, env=environment(), timeout=30
    )


def test_follow_shows_every_event_live_and_stops_cleanly(tmp_path: Path) -> None:
    log = make_log(tmp_path)
    follower = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, "journal", "--follow", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert follower.stdout is not None and follower.stderr is not None
    lines = Lines(follower.stdout)
    followed: list[str] = []
    try:
        _, heading = lines.get(timeout=15)
        assert heading.startswith("Journal of the session: ")
        steps = [
            (("sitting", "open"), 0, "── 1st meeting opened ──"),
            (("open", "2a"), 0, "▶ took up 2(a) Status of the preparations"),
            (("close", "2a"), 0, "ana  closed 2(a)"),
            (("close", "2a"), 1, "✗ was refused: close 2(a) (2(a) was already closed by ana"),
            (("open", "2a"), 0, "▶ reopened 2(a)"),
        ]
        for args, status, expected in steps:
            result = cli(log, *args)
            assert result.returncode == status, result.stderr
            _arrived, line = lines.get(timeout=30)
            followed.append(line)
            assert expected in line

        # Several writers at once: every event shows once, in the log's order.
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(log), actor, "15"], env=environment()
            )
            for actor in ("w1", "w2", "w3")
        ]
        for writer in writers:
            assert writer.wait(timeout=30) == 0
        for _ in range(45):
            followed.append(lines.get(timeout=5)[1])
        time.sleep(0.5)
        assert lines.queue.empty(), "more lines than events"
    finally:
        follower.send_signal(signal.SIGINT)
        try:
            code = follower.wait(timeout=10)
        finally:
            follower.kill()
    stderr = follower.stderr.read()
    assert code in (0, 130)
    assert "Traceback" not in stderr
    assert "\x1b" not in "".join(followed)
    with FileStore(log, read_only=True, recover=False) as store:
        whole = list(journal_lines(store.header, store.read()))
    assert followed == whole
    for actor in ("w1", "w2", "w3"):
        own = [line for line in followed if f"  {actor}  " in line]
        assert own == [line for line in own if "says" in line]
        assert [line.rsplit(" ", 1)[1] for line in own] == [str(n) for n in range(15)]


def test_follow_says_a_foreign_line_when_it_lands(tmp_path: Path) -> None:
    """A line another program appends: an unfinished one is not damage, and is said as an
    interrupted write once it stays so (the journal follows on); completed as garbage, the
    damage is said at once, with its line and byte, and the journal stops with status 1."""
    log = make_log(tmp_path)
    assert cli(log, "open", "2a").returncode == 0
    follower = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, "journal", "--follow", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert follower.stdout is not None and follower.stderr is not None
    lines, errors = Lines(follower.stdout), Lines(follower.stderr)
    try:
        for _ in range(3):  # the heading, the sitting opened, 2(a) taken up
            lines.get(timeout=15)
        end = log.stat().st_size
        with log.open("ab") as shell:  # as `printf ... >> LOG` does
            shell.write(b'{"type":"note.add"')
        _, said = errors.get(timeout=10)
        assert said == (
            f"sessiontui: 18 bytes at the end of {log} (from byte {end}) are an interrupted "
            "write (ignored; they will be set aside when the log is next written)"
        )
        assert follower.poll() is None  # still following
        landed = time.monotonic()
        with log.open("ab") as shell:
            shell.write(b"garbage\n")
        arrived, said = errors.get(timeout=10)
        assert said == f"{log}: line 4 (byte {end}): no checksum at the end of the line"
        assert arrived - landed < 2.0
        assert follower.wait(timeout=10) == 1
        assert "line 4 (byte" in errors.get(timeout=5)[1]
    finally:
        follower.kill()
