"""``sessiontui serve``: loopback by default, the users list, and a real browser recording an event."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.commands import serve as serve_module

from .conftest import COSP, make_log

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class FakeServer:
    """Stands in for textual-serve so option handling is tested without listening anywhere."""

    made: list[dict[str, Any]] = []  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        FakeServer.made.append(kwargs)

    def serve(self) -> None:
        """Return at once."""


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what ``serve`` would have served."""
    FakeServer.made = []

    def make(location: str, users: dict[str, str], **kwargs: Any) -> FakeServer:
        return FakeServer(location=location, users=users, **kwargs)

    monkeypatch.setattr(serve_module, "make_server", make)
    return FakeServer.made


def test_non_loopback_needs_allow_remote(tmp_path: Path, fake_server: list[dict[str, Any]]) -> None:
    log = make_log(tmp_path / "s.jsonl")
    refused = CliRunner().invoke(cli, ["serve", str(log), "--host", "192.0.2.10"])
    assert refused.exit_code == 1
    assert "not a loopback address" in refused.stderr and "--allow-remote" in refused.stderr
    assert fake_server == []
    allowed = CliRunner().invoke(cli, ["serve", str(log), "--host", "192.0.2.10", "--allow-remote"])
    assert allowed.exit_code == 0, allowed.stderr
    assert "NO authentication and NO encryption" in allowed.stderr
    assert "reverse_proxy 127.0.0.1:8000" in allowed.stderr
    quiet = CliRunner().invoke(cli, ["serve", str(log)])
    assert quiet.exit_code == 0 and "NO authentication" not in quiet.stderr
    assert fake_server[-1]["host"] == "127.0.0.1" and fake_server[-1]["port"] == 8000


def test_agenda_creates_then_resumes_one_log(
    tmp_path: Path, fake_server: list[dict[str, Any]]
) -> None:
    log = tmp_path / "meeting.jsonl"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["serve", str(COSP), "--log", str(log)])
        assert result.exit_code == 0, result.stderr
    assert fake_server[0]["location"] == fake_server[1]["location"] == str(log.resolve())
    assert len(log.read_text().splitlines()) == 1


def test_users_file(tmp_path: Path, fake_server: list[dict[str, Any]]) -> None:
    log = make_log(tmp_path / "s.jsonl")
    users = tmp_path / "users.txt"
    users.write_text("# who may open a tab as whom\nAna Lima secretariat\nraj rapporteur\n")
    result = CliRunner().invoke(cli, ["serve", str(log), "--users", str(users)])
    assert result.exit_code == 0, result.stderr
    assert fake_server[-1]["users"] == {"Ana Lima": "secretariat", "raj": "rapporteur"}
    users.write_text("ana chair\n")
    bad = CliRunner().invoke(cli, ["serve", str(log), "--users", str(users)])
    assert bad.exit_code == 1 and f"{users}:1: expected 'NAME ROLE'" in bad.stderr


def test_missing_log_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "no session log" in result.stderr


def test_app_command_quotes_for_the_shell() -> None:
    command = serve_module.app_command("/tmp/a b.jsonl", ("O'Brien; rm -rf /", "viewer"))
    assert "'/tmp/a b.jsonl'" in command
    assert "'O'\"'\"'Brien; rm -rf /'" in command


# -- a real server on loopback -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``sessiontui serve`` on a loopback port with a users list; (base URL, log)."""
    log = make_log(tmp_path / "s.jsonl")
    users = tmp_path / "users.txt"
    users.write_text("listed secretariat\n")
    port = _free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sessiontui",
            "serve",
            str(log),
            "--port",
            str(port),
            "--users",
            str(users),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 20
        while True:
            try:
                _get(base + "/")
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise AssertionError(
                        proc.stderr.read().decode() if proc.stderr else ""
                    ) from None
                time.sleep(0.1)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_user_parameter_is_checked(served: tuple[str, Path]) -> None:
    base, _log = served
    status, page = _get(base + "/")
    assert status == 200 and 'data-session-websocket-url="ws://127.0.0.1' in page
    assert "/ws/as/" not in page
    status, page = _get(base + "/?user=listed")
    assert status == 200 and "/ws/as/listed" in page
    status, page = _get(base + "/?user=mallory")
    assert status == 403 and "not on the list" in page


def _browser_ready() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return "no chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "no playwright"
    return None


def _events(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]


def _wait_for_event(log: Path, actor: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [e for e in _events(log) if e["type"] == "item.open" and e["actor"] == actor]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no item.open by {actor} in {_events(log)}")


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_browser_tab_asks_identity_and_records(served: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, log = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(base + "/")
            page.wait_for_selector("body.-first-byte", timeout=20000)
            time.sleep(2.5)  # the app process draws its identity prompt
            # Focus xterm's input without clicking into the app (a click there moves Textual's focus).
            page.focus("textarea.xterm-helper-textarea")
            keys = page.keyboard
            keys.type("Browser Ana", delay=20)
            # The role select (default rapporteur) sits below the name at this viewport size:
            # click it open, move up to secretariat, choose it, click back into the name, submit.
            page.mouse.click(640, 422)
            time.sleep(0.7)
            keys.press("ArrowUp")
            time.sleep(0.3)
            keys.press("Enter")
            time.sleep(0.5)
            page.mouse.click(640, 350)
            time.sleep(0.5)
            keys.press("Enter")
            time.sleep(1.0)
            keys.press("o")  # take up the selected node: the tree starts on the first item
            event = _wait_for_event(log, "Browser Ana")
            assert event["role"] == "secretariat" and event["item"] == "1"
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_browser_tab_named_by_url(served: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, log = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(base + "/?user=listed")
            page.wait_for_selector("body.-first-byte", timeout=20000)
            time.sleep(2.5)
            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.press("o")
            event = _wait_for_event(log, "listed")
            assert event["role"] == "secretariat"
        finally:
            browser.close()
