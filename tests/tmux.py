"""A real terminal for end-to-end tests: one tmux server of its own per tracker.

Each ``Tmux`` starts its own server on a private socket (``tmux -L <unique>``, no user
configuration) and kills that whole server at the end: a test never touches the person's
default tmux server, its sessions or its global environment, and two tests never share one.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

TERM = "xterm-256color"


class Tmux:
    """One detached tmux session, on a tmux server of its own, running a command."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.socket = f"sessiontui-test-{uuid.uuid4().hex[:12]}"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one tmux command against this private server."""
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            check=check,
            capture_output=True,
            text=True,
            env=_client_env(),
        )

    def start(self, command: str, size: tuple[int, int] = (120, 40)) -> None:
        """Start the server and a detached ``width`` x ``height`` session running ``command``."""
        width, height = size
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command
        )

    def send(self, *keys: str) -> None:
        """Send keys (tmux key names, e.g. "Down", "C-s")."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        """Type text literally."""
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def burst(self, text: str, *keys: str) -> None:
        """Type ``text`` then press ``keys`` in one tmux command: they arrive back to back."""
        chained: list[str] = ["send-keys", "-t", self.name, "-l", text]
        if keys:
            chained += [";", "send-keys", "-t", self.name, *keys]
        self.tmux(*chained)

    def screen(self) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the pane until ``text`` shows (fails with the last screen after ``timeout``)."""
        return self.wait_for_any(text, timeout=timeout)

    def wait_for_any(self, *texts: str, timeout: float = 30.0) -> str:
        """Poll the pane until one of ``texts`` shows; returns the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"none of {texts!r} appeared; the screen was:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 15.0) -> None:
        """Poll the pane until ``text`` is no longer shown."""
        deadline = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} stayed on the screen:\n{self.screen()}")
            time.sleep(0.05)

    def alive(self) -> bool:
        """Whether the session (the app) is still running."""
        return self.tmux("has-session", "-t", self.name, check=False).returncode == 0

    def wait_ended(self, timeout: float = 10.0) -> None:
        """Wait for the app to end (its session closes with it)."""
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), self.screen()

    def pid(self) -> int:
        """The tracker's process id (the pane runs it with ``exec``)."""
        done = self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}")
        return int(done.stdout.strip())

    def kill(self) -> None:
        """End this private server (the session, the tracker in it if still running) and
        remove its socket, which tmux leaves behind."""
        self.tmux("kill-server", check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def _client_env() -> dict[str, str]:
    """The environment of the tmux client: this process's, outside any tmux it runs in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TMUX")}
    env["TERM"] = TERM
    return env
