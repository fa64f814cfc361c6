"""The tracker as ``serve`` runs it for a browser tab: Textual's web driver on pipes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import cast

from sessiontui.ui.drafts import DraftBox

from .conftest import make_log

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def _packet(kind: bytes, payload: bytes) -> bytes:
    """One packet of textual-serve's stream to the app: kind, length, payload."""
    return kind + len(payload).to_bytes(4, "big") + payload


def _draft_texts(drafts: Path) -> list[str]:
    texts = []
    for path in drafts.glob("*/*/*.json"):
        try:
            texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
        except FileNotFoundError:
            continue
    return texts


def _wait(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


def test_a_tab_whose_server_died_ends_and_leaves_its_draft(tmp_path: Path) -> None:
    """``serve`` killed (a crash, ``kill -9``, the machine's OOM killer) closes the tabs' pipes
    without asking them to quit: each tab's tracker must end as on a hang-up, its note in a
    draft the next tab of that person is offered — not live on for ever, unseen, holding the
    draft's lock."""
    log = make_log(tmp_path / "s.jsonl")
    data = tmp_path / "data"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(data),
        "TEXTUAL_DRIVER": WEB_DRIVER,
        "COLUMNS": "100",
        "ROWS": "30",
    }
    command = [sys.executable, "-m", "sessiontui", "tui", str(log), "--actor", "Rita"]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    received: list[int] = []
    stdout = cast("io.BufferedReader", proc.stdout)

    def drain() -> None:  # as textual-serve does, until the pipe is closed
        with contextlib.suppress(ValueError, OSError):
            while chunk := stdout.read1(65536):
                received.append(len(chunk))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        # The first screen drawn, and a moment more: the tracker takes keys.
        assert _wait(lambda: sum(received) > 2000, 60), "the tracker never drew"
        time.sleep(2.0)
        text = "Words typed in the browser before the server died."
        proc.stdin.write(_packet(b"D", b"n"))
        proc.stdin.flush()
        time.sleep(1.0)
        proc.stdin.write(_packet(b"D", text.encode()))
        proc.stdin.flush()
        drafts = data / "sessiontui" / "drafts"
        assert _wait(lambda: text in _draft_texts(drafts), 30), _draft_texts(drafts)
        # The server dies: both ends of its pipes close, and no "quit" comes.
        proc.stdin.close()
        stdout.close()
        assert _wait(lambda: proc.poll() is not None, 20), "the tab's tracker lives on"
        # Its draft is free for the next tab of this person.
        box = DraftBox(drafts, "test-session")
        try:
            assert [draft.text for draft, _ in box.orphans("Rita")] == [text]
        finally:
            box.close()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_paste_in_a_tab_holding_escape_sequences_stays_in_order(tmp_path: Path) -> None:
    """A browser's paste of coloured text: the note holds it in the order pasted, without its
    escape sequences (Textual's parser sent what followed the first one out as keys at once)."""
    log = make_log(tmp_path / "s.jsonl")
    data = tmp_path / "data"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(data),
        "TEXTUAL_DRIVER": WEB_DRIVER,
        "COLUMNS": "80",
        "ROWS": "24",
    }
    command = [sys.executable, "-m", "sessiontui", "tui", str(log), "--actor", "Rita"]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    received: list[int] = []
    stdout = cast("io.BufferedReader", proc.stdout)

    def drain() -> None:
        with contextlib.suppress(ValueError, OSError):
            while chunk := stdout.read1(65536):
                received.append(len(chunk))

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert _wait(lambda: sum(received) > 2000, 60), "the tracker never drew"
        time.sleep(2.0)
        proc.stdin.write(_packet(b"D", b"n"))
        proc.stdin.flush()
        time.sleep(1.0)
        pasted = "\x1b[200~First words \x1b[31mred \x1b[0m last words\x1b[201~"
        # In two packets, cut inside a sequence, as a long paste may come.
        proc.stdin.write(_packet(b"D", pasted[:22].encode()))
        proc.stdin.flush()
        time.sleep(0.3)
        proc.stdin.write(_packet(b"D", pasted[22:].encode()))
        proc.stdin.flush()
        drafts = data / "sessiontui" / "drafts"
        expected = "First words red  last words"
        assert _wait(lambda: expected in _draft_texts(drafts), 30), _draft_texts(drafts)
    finally:
        proc.kill()
        proc.wait()


def _log_types(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(line)["type"] for line in lines]


def test_a_paste_in_a_tab_holding_its_own_end_runs_no_key(tmp_path: Path) -> None:
    """Pastejacking in a browser tab: a paste's end marker inside the pasted text, then ctrl+s
    and c. The note holds all of it and stays open; no item is closed. ctrl+s typed after the
    paste still saves it."""
    log = make_log(tmp_path / "s.jsonl")
    data = tmp_path / "data"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(data),
        "TEXTUAL_DRIVER": WEB_DRIVER,
        "COLUMNS": "80",
        "ROWS": "24",
    }
    command = [sys.executable, "-m", "sessiontui", "tui", str(log), "--actor", "Rita"]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    received: list[int] = []
    stdout = cast("io.BufferedReader", proc.stdout)

    def drain() -> None:
        with contextlib.suppress(ValueError, OSError):
            while chunk := stdout.read1(65536):
                received.append(len(chunk))

    threading.Thread(target=drain, daemon=True).start()

    def send(keys: bytes) -> None:
        assert proc.stdin is not None
        proc.stdin.write(_packet(b"D", keys))
        proc.stdin.flush()

    try:
        assert _wait(lambda: sum(received) > 2000, 60), "the tracker never drew"
        time.sleep(2.0)
        send(b"o")  # the sitting opens, 1 is taken up
        assert _wait(lambda: "item.open" in _log_types(log), 30), _log_types(log)
        send(b"n")
        time.sleep(1.0)
        send(b"\x1b[200~Pasted from a web page\x1b[201~\x13c\x1b[201~")
        drafts = data / "sessiontui" / "drafts"
        assert _wait(
            lambda: (
                any("web page" in text for text in _draft_texts(drafts))
                or "note.add" in _log_types(log)
            ),
            30,
        )
        time.sleep(1.5)  # every key handled
        assert _log_types(log)[-1] == "item.open"  # the paste saved nothing, closed nothing
        send(b"\x13")  # ctrl+s, typed
        assert _wait(lambda: "note.add" in _log_types(log), 30), _log_types(log)
        lines = log.read_text(encoding="utf-8").splitlines()[1:]
        notes = [r["data"]["text"] for r in map(json.loads, lines) if r["type"] == "note.add"]
        assert notes == ["Pasted from a web pagec"]
        time.sleep(1.0)
        assert "item.close" not in _log_types(log)
    finally:
        proc.kill()
        proc.wait()
