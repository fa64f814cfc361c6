"""The tracker in a real terminal (tmux): keys in, screen text out, the log checked afterwards."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One detached tmux session running a command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, *keys: str) -> None:
        """Send keys (tmux key names, e.g. "Down", "C-s")."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        """Type text literally."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def screen(self) -> str:
        """The visible text of the pane."""
        done = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            check=False,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the pane until ``text`` shows (fails with the last screen after ``timeout``)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def alive(self) -> bool:
        """Whether the session (the app) is still running."""
        done = subprocess.run(
            ["tmux", "has-session", "-t", self.name], check=False, capture_output=True
        )
        return done.returncode == 0


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    """The tracker on the model agenda in a 120x40 tmux session, with its log in ``tmp_path``."""
    log = tmp_path / "session.jsonl"
    name = f"sessiontui-{uuid.uuid4().hex[:8]}"
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SESSIONTUI_ACTOR": "ana",
        "TEXTUAL_ANIMATIONS": "none",
    }
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    command = (
        f"cd {shlex.quote(str(ROOT))} && env {exports} {shlex.quote(sys.executable)} -m sessiontui "
        f"{shlex.quote(str(AGENDA))} --log {shlex.quote(str(log))}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    session = Tmux(name)
    try:
        yield session, log
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False, capture_output=True)


def test_take_up_note_close_quit(tmux: tuple[Tmux, Path], tmp_path: Path) -> None:
    session, log = tmux
    session.wait_for("Closure of the meeting", timeout=30)
    session.send("Down", "Down")  # 1 -> 2 -> 2(a)
    session.wait_for("Status of the preparations for the special session")
    session.send("o")
    session.wait_for("on the floor")
    session.send("n")
    session.wait_for("ctrl+s save")
    session.type("Co-facilitators reported progress [draft 2].")
    session.wait_for("[draft 2].")
    session.send("C-s")
    session.wait_for("Notes")
    session.send("c")
    session.wait_for("✓ closed")
    session.send("C-q")
    deadline = time.monotonic() + 10
    while session.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session.alive()

    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "report", "--json", "--log", str(log)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout)
    item = next(entry for entry in report["items"] if entry["label"] == "2(a)")
    assert item["status"] == "closed"
    assert item["notes"] == 1
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    notes = [r["data"]["text"] for r in records if r["type"] == "note.add"]
    assert notes == ["Co-facilitators reported progress [draft 2]."]


BURSTS = [
    "Co-facilitators reported progress on the draft political declaration; "
    "several delegations asked for the informal consultations to continue. " * 5,
    "Делегация Российской Федерации поддержала проект решения [пункт 2(a)].",
    "中华人民共和国代表团发言，支持共同主持人的工作。",
    "بيان وفد مصر باسم المجموعة العربية",
    "Ελλάδα · Ñandú · naïve café — “quoted” ‘text’ … 100% & <b>not bold</b> [wip]",
]


def test_notes_typed_in_a_burst_are_saved_byte_for_byte(tmux: tuple[Tmux, Path]) -> None:
    """Text and ctrl+s sent at once: each note is saved exactly as typed, nothing carried over."""
    session, log = tmux
    session.wait_for("Closure of the meeting", timeout=30)
    session.send("Down", "Down")
    session.wait_for("Status of the preparations for the special session")
    session.send("o")
    session.wait_for("on the floor")
    sent: list[str] = []
    for round_ in range(3):
        for text in BURSTS:
            note = f"{round_}: {text.strip()}"
            session.send("n")
            session.wait_for("ctrl+s save")
            # One tmux command: the text and ctrl+s reach the terminal back to back.
            burst = ["send-keys", "-t", session.name, "-l", note, ";"]
            subprocess.run(["tmux", *burst, "send-keys", "-t", session.name, "C-s"], check=True)
            sent.append(note)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if "ctrl+s save" not in session.screen() and len(_note_texts(log)) == len(sent):
                    break
                time.sleep(0.05)
            assert _note_texts(log) == sent
    session.send("C-q")
    assert _note_texts(log) == sent


def _note_texts(log: Path) -> list[str]:
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()[1:]
    return [r["data"]["text"] for r in map(json.loads, lines) if r["type"] == "note.add"]
