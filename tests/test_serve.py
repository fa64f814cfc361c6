"""``sessiontui serve``: loopback by default, the users list, and a real browser recording an event."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.commands import serve as serve_module
from sessiontui.web.auth import Addresses, Identity, check_secret, hash_secret
from sessiontui.web.tracker import VIEWER

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
    """Stands in for the web server so option handling is tested without listening anywhere."""

    made: list[dict[str, Any]] = []  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        FakeServer.made.append(kwargs)

    def serve(self, *, listening: Callable[[], None]) -> None:
        """Say it listens, and return at once."""
        listening()


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what ``serve`` would have served."""
    FakeServer.made = []
    monkeypatch.setattr(serve_module, "make_server", FakeServer)
    return FakeServer.made


def test_non_loopback_needs_tls_or_allow_remote(
    tmp_path: Path, fake_server: list[dict[str, Any]]
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    refused = CliRunner().invoke(cli, ["serve", str(log), "--host", "192.0.2.10"])
    assert refused.exit_code == 1
    assert "not a loopback address" in refused.stderr and "--certfile" in refused.stderr
    assert fake_server == []
    allowed = CliRunner().invoke(cli, ["serve", str(log), "--host", "192.0.2.10", "--allow-remote"])
    assert allowed.exit_code == 0, allowed.stderr
    assert "without TLS" in allowed.stderr
    quiet = CliRunner().invoke(cli, ["serve", str(log)])
    assert quiet.exit_code == 0 and "without TLS" not in quiet.stderr
    assert fake_server[-1]["host"] == "127.0.0.1" and fake_server[-1]["port"] == 8000


def test_one_secret_link_printed_once(tmp_path: Path, fake_server: list[dict[str, Any]]) -> None:
    log = make_log(tmp_path / "s.jsonl")
    result = CliRunner().invoke(
        cli, ["serve", str(log), "--actor", "Ana Lima", "--role", "secretariat"]
    )
    assert result.exit_code == 0, result.stderr
    links = re.findall(r"open (http://127\.0\.0\.1:8000/\?token=(\S+))", result.stderr)
    assert len(links) == 1 and len(links[0][1]) >= 40
    assert result.stderr.count(links[0][1]) == 1
    credentials = fake_server[-1]["credentials"]
    identity = credentials.by_token(links[0][1])
    assert identity == Identity("Ana Lima", "secretariat")
    assert credentials.by_token("guess") is None
    # Kept only as a hash: the token itself is nowhere in the server's memory of credentials.
    assert links[0][1].encode() not in repr(credentials).encode()
    again = CliRunner().invoke(cli, ["serve", str(log)])
    assert re.findall(r"token=(\S+)", again.stderr) != [links[0][1]]


def test_agenda_creates_then_resumes_one_log(
    tmp_path: Path, fake_server: list[dict[str, Any]]
) -> None:
    log = tmp_path / "meeting.jsonl"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["serve", str(COSP), "--log", str(log)])
        assert result.exit_code == 0, result.stderr
    assert len(log.read_text().splitlines()) == 1
    command = fake_server[0]["tab_command"](Identity("ana", None))
    assert str(log.resolve()) in command


def test_users_file(tmp_path: Path, fake_server: list[dict[str, Any]]) -> None:
    log = make_log(tmp_path / "s.jsonl")
    users = tmp_path / "users.txt"
    stored = hash_secret("correct horse")
    users.write_text(
        f"# who may open a tab as whom\nAna Lima secretariat\nraj rapporteur {stored}\n"
    )
    result = CliRunner().invoke(cli, ["serve", str(log), "--users", str(users)])
    assert result.exit_code == 0, result.stderr
    credentials = fake_server[-1]["credentials"]
    (token,) = re.findall(r"Ana Lima \(secretariat\): open \S+token=(\S+)", result.stderr)
    assert credentials.by_token(token) == Identity("Ana Lima", "secretariat")
    assert "raj" not in result.stderr.split("sign in at")[0].split("serving")[1]
    assert credentials.by_password("raj", "correct horse") == Identity("raj", "rapporteur")
    assert credentials.by_password("raj", "wrong") is None
    assert credentials.by_password("nobody", "correct horse") is None
    for bad, why in [
        ("ana chair\n", "expected 'NAME ROLE'"),
        ("ana viewer\nana rapporteur\n", "listed twice"),
    ]:
        users.write_text(bad)
        refused = CliRunner().invoke(cli, ["serve", str(log), "--users", str(users)])
        assert refused.exit_code == 1 and why in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
    users.write_text("ana viewer\n")
    mixed = CliRunner().invoke(cli, ["serve", str(log), "--users", str(users), "--actor", "x"])
    assert mixed.exit_code == 1 and "--actor" in mixed.stderr


def test_bad_tls_files_are_one_line(tmp_path: Path, fake_server: list[dict[str, Any]]) -> None:
    log = make_log(tmp_path / "s.jsonl")
    (tmp_path / "cert.pem").write_text("not a certificate")
    result = CliRunner().invoke(cli, ["serve", str(log), "--certfile", str(tmp_path / "cert.pem")])
    assert result.exit_code == 1 and "cannot use the certificate" in result.stderr
    result = CliRunner().invoke(cli, ["serve", str(log), "--keyfile", str(tmp_path / "cert.pem")])
    assert result.exit_code == 1 and "--keyfile needs --certfile" in result.stderr
    assert fake_server == []


def test_missing_log_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "no session log" in result.stderr


def test_app_command_quotes_for_the_shell() -> None:
    command = serve_module.app_command(
        "/tmp/a b.jsonl", Identity("O'Brien; rm -rf /", "viewer", read_only=True)
    )
    assert "'/tmp/a b.jsonl'" in command
    assert "'O'\"'\"'Brien; rm -rf /'" in command
    assert command.endswith("--role viewer --read-only")


def test_no_database_password_on_a_tab_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = "postgresql://rec:s3cret%21@db.example.org:5433/meetings?sslmode=require#abc"
    bare = serve_module.child_location(url)
    assert "s3cret" not in bare and bare.startswith("postgresql://rec@db.example.org:5433/")
    assert bare.endswith("#abc") and "sslmode=require" in bare
    assert os.environ["PGPASSWORD"] == "s3cret!"
    assert "s3cret" not in serve_module.app_command(bare, Identity("ana", None))
    monkeypatch.delenv("PGPASSWORD")
    assert "hidden" not in serve_module.child_location("postgresql://db/m?password=hidden#abc")
    assert os.environ["PGPASSWORD"] == "hidden"


def test_addresses_refuse_other_hosts_and_origins() -> None:
    served = Addresses.served(
        "127.0.0.1", 8000, tls=False, public_url="https://meeting.example.org"
    )
    assert served.host_allowed("127.0.0.1:8000", "http")
    assert served.host_allowed("localhost:8000", "http")
    assert served.host_allowed("meeting.example.org", "http")
    assert not served.host_allowed("attacker.example:8000", "http")  # DNS rebinding
    assert not served.host_allowed("127.0.0.1:8001", "http")
    assert not served.host_allowed(None, "http")
    assert served.origin_allowed("http://127.0.0.1:8000")
    assert served.origin_allowed("https://meeting.example.org")
    assert not served.origin_allowed("http://127.0.0.1:9000")
    assert not served.origin_allowed("null")
    assert not served.origin_allowed("http://meeting.example.org")


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


class Served(NamedTuple):
    """A running ``sessiontui serve``: its address, its log, the token it printed."""

    base: str
    log: Path
    token: str


@contextlib.contextmanager
def _serving(tmp_path: Path, *extra: str) -> Iterator[Served]:
    """``sessiontui serve`` on a loopback port, its link bound to "Ana Lima" (secretariat)."""
    log = make_log(tmp_path / "s.jsonl")
    port = _free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    command = [sys.executable, "-m", "sessiontui", "serve", str(log), "--port", str(port)]
    if "--users" not in extra:
        command += ["--actor", "Ana Lima", "--role", "secretariat"]
    command += extra
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=tmp_path
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert proc.stderr is not None
        token = ""
        for raw in proc.stderr:  # the link is printed once the server listens
            found = re.search(r"token=(\S+)", raw.decode())
            if found:
                token = found.group(1)
                break
        assert token, "no link printed"
        _wait_until_listening(base, proc)
        yield Served(base, log, token)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_port_in_use_prints_no_link(tmp_path: Path) -> None:
    """Another program holds the port: one line saying so, exit 1, and no link printed (it
    would have led to that other program)."""
    log = make_log(tmp_path / "s.jsonl")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
        command = [sys.executable, "-m", "sessiontui", "serve", str(log), "--port", str(port)]
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, env=env, timeout=60
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"sessiontui: error: cannot listen on 127.0.0.1:{port}: address already in use"
    ]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A running server (see ``_serving``)."""
    with _serving(tmp_path) as running:
        yield running


def _wait_until_listening(base: str, proc: subprocess.Popen[bytes]) -> None:
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=5).close()
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise AssertionError("the server did not start") from None
            time.sleep(0.1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def _request(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


def _cookie_for(served: Served) -> str:
    status, _page, headers = _request(f"{served.base}/?token={served.token}&fontsize=14")
    assert status == 303 and headers["Location"] == "/?fontsize=14"
    cookie = str(headers["Set-Cookie"])
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return cookie.split(";", 1)[0]


def test_every_request_needs_the_credential(served: Served) -> None:
    base = served.base
    for path in ("/", "/ws", "/static/js/textual.js", "/download/x"):
        status, text, _ = _request(base + path)
        assert status == 401, (path, status)
    status, text, _ = _request(base + "/?token=guessed")
    assert status == 403 and "not valid" in text
    cookie = _cookie_for(served)
    status, page, headers = _request(base + "/", {"Cookie": cookie})
    assert status == 200 and 'data-session-websocket-url="ws://127.0.0.1' in page
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "no-referrer"
    assert _request(base + "/static/js/textual.js", {"Cookie": cookie})[0] == 200
    assert _request(base + "/", {"Cookie": "sessiontui_session=forged"})[0] == 401


def test_foreign_host_and_origin_are_refused(served: Served) -> None:
    base, port = served.base, served.base.rsplit(":", 1)[1]
    cookie = _cookie_for(served)
    # DNS rebinding: a name the attacker controls, pointed at 127.0.0.1.
    status, text, _ = _request(base + "/", {"Cookie": cookie, "Host": f"attacker.example:{port}"})
    assert status == 403 and "host name" in text
    status, text, _ = _request(base + "/", {"Cookie": cookie, "Origin": "http://127.0.0.1:1"})
    assert status == 403 and "other web pages" in text
    assert _upgrade(base, {"Cookie": cookie}) == 403  # no Origin
    assert _upgrade(base, {"Cookie": cookie, "Origin": "http://evil.example"}) == 403
    assert _upgrade(base, {"Origin": base}) == 401  # no credential
    assert _upgrade(base, {"Cookie": cookie, "Origin": base}) == 101


def _upgrade(base: str, headers: dict[str, str]) -> int:
    """The status of a websocket handshake on ``/ws`` (raw, so every header is as given)."""
    with _open_websocket(base, headers) as (status, _sock):
        return status


@contextlib.contextmanager
def _open_websocket(base: str, headers: dict[str, str]) -> Iterator[tuple[int, socket.socket]]:
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    lines = [
        "GET /ws HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
        yield int(status_line.split()[1]), sock


def test_tabs_are_limited_and_idle_ones_closed(tmp_path: Path) -> None:
    with _serving(tmp_path, "--max-tabs", "2", "--idle-minutes", "0.03") as served:
        cookie = _cookie_for(served)
        allowed = {"Cookie": cookie, "Origin": served.base}
        with _open_websocket(served.base, allowed) as (first, sock):
            assert first == 101
            with _open_websocket(served.base, allowed) as (second, _):
                assert second == 101
                assert _upgrade(served.base, allowed) == 503
            # Nobody types: the server closes the tab (a close frame, then end of stream).
            sock.settimeout(30)
            started = time.time()
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            assert time.time() - started < 30
            assert b"idle" in received


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


def _wait_for_quiet(frames: list[float], timeout: float = 40) -> None:
    """Until the tab has drawn its first screen: output came, then stopped for a second."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(frames) > 5 and time.time() - frames[-1] > 1.0:
            return
        time.sleep(0.1)
    raise AssertionError("the tab never finished drawing")


def _wait_for_event(log: Path, actor: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [e for e in _events(log) if e["type"] == "item.open" and e["actor"] == actor]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no item.open by {actor} in {_events(log)}")


_ATTACK = """<!DOCTYPE html><html><body><script>
const target = "TARGET";
window.verdict = {};
const ws = new WebSocket(target.replace("http", "ws") + "/ws");
ws.onopen = () => { window.verdict.ws = "open"; ws.send(JSON.stringify(["stdin", "o"])); };
ws.onclose = () => { window.verdict.ws = window.verdict.ws || "refused"; };
fetch(target + "/", {mode: "no-cors", credentials: "include"})
  .then(r => { window.verdict.page = "sent"; })
  .catch(() => { window.verdict.page = "blocked"; });
const form = new URLSearchParams({name: "Ana Lima", password: "x"});
fetch(target + "/login", {method: "POST", body: form, mode: "no-cors", credentials: "include"})
  .then(() => { window.verdict.login = "sent"; })
  .catch(() => { window.verdict.login = "blocked"; });
</script></body></html>"""


@contextlib.contextmanager
def _attacker_site(target: str) -> Iterator[str]:
    """Another origin on this machine serving a page that tries to drive ``target``."""
    page = _ATTACK.replace("TARGET", target).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_browser_other_origin_refused_token_admits(served: Served) -> None:
    from playwright.sync_api import sync_playwright

    base, log = served.base, served.log
    with sync_playwright() as pw, _attacker_site(base) as attacker:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            # Without the token: refused, nothing of the tracker is served.
            response = page.goto(base + "/")
            assert response is not None and response.status == 401
            assert page.locator("textarea.xterm-helper-textarea").count() == 0
            # The right link: in, as the person it is bound to.
            frames: list[float] = []
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _frame: frames.append(time.time())),
            )
            page.goto(f"{base}/?token={served.token}")
            assert page.url == base + "/"  # the token left the address bar at once
            page.wait_for_selector("body.-first-byte", timeout=30000)
            _wait_for_quiet(frames)
            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.press("o")  # take up the selected node: the tree starts on item 1
            event = _wait_for_event(log, "Ana Lima")
            assert event["role"] == "secretariat" and event["item"] == "1"
            before = len(_events(log))
            # Another page in the same browser (same site, so the session cookie goes along).
            statuses: list[tuple[str, int]] = []
            evil = context.new_page()
            evil.on("response", lambda r: statuses.append((r.url, r.status)))
            evil.goto(attacker)
            evil.wait_for_function(
                "window.verdict.ws && window.verdict.page && window.verdict.login", timeout=20000
            )
            verdict = evil.evaluate("window.verdict")
            assert verdict["ws"] == "refused", verdict
            refused = {
                url.split(base, 1)[1]: status for url, status in statuses if url.startswith(base)
            }
            assert refused == {"/": 403, "/login": 403}, statuses
            time.sleep(1.0)  # give a (wrongly) opened tab time to record its "o"
            assert len(_events(log)) == before
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_browser_takes_keys_without_a_click(served: Served) -> None:
    """The tracker's page focuses its terminal once it shows: the first key typed reaches it,
    with no click on the page first (nothing here focuses it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            frames: list[float] = []
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _frame: frames.append(time.time())),
            )
            page.goto(f"{served.base}/?token={served.token}")
            page.wait_for_selector("body.-first-byte", timeout=30000)
            _wait_for_quiet(frames)
            assert page.evaluate("document.activeElement.className").startswith(
                "xterm-helper-textarea"
            )
            page.keyboard.press("o")  # take up the selected item: the tree starts on item 1
            event = _wait_for_event(served.log, "Ana Lima")
            assert event["type"] == "item.open" and event["item"] == "1"
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_browser_signs_in_with_a_password(tmp_path: Path) -> None:
    """The sign-in form, filled in and sent by a real browser, lets the person in (the page's
    referrer policy once made the browser send the POST with "Origin: null", refused)."""
    from playwright.sync_api import sync_playwright

    users = tmp_path / "users.txt"
    stored = hash_secret("correct horse")
    users.write_text(f"Ana Lima secretariat\nRolf Berg rapporteur {stored}\n", encoding="utf-8")
    with _serving(tmp_path, "--users", str(users)) as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.goto(served.base + "/login")
            page.fill("input[name=name]", "Rolf Berg")
            page.fill("input[name=password]", "wrong")
            page.click("button")
            assert "Wrong name or password" in page.inner_text("body")
            frames: list[float] = []
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _frame: frames.append(time.time())),
            )
            page.fill("input[name=name]", "Rolf Berg")
            page.fill("input[name=password]", "correct horse")
            page.click("button")
            page.wait_for_selector("body.-first-byte", timeout=30000)
            assert page.url == served.base + "/"
            _wait_for_quiet(frames)
            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.type("nSigned in.")
            page.keyboard.press("Control+s")
            deadline = time.time() + 30
            while not (notes := [e for e in _events(served.log) if e["type"] == "note.add"]):
                assert time.time() < deadline, _events(served.log)
                time.sleep(0.2)
            assert notes[0]["actor"] == "Rolf Berg" and notes[0]["role"] == "rapporteur"
            assert notes[0]["data"]["text"] == "Signed in."
        finally:
            browser.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl")
def test_tls_without_a_proxy(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    with _serving(tmp_path, "--certfile", str(cert), "--keyfile", str(key)) as served:
        assert served.base.startswith("http://")  # the fixture's guess; TLS is on
        https = served.base.replace("http://", "https://")
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), _NoRedirect
        )
        try:
            opener.open(f"{https}/?token={served.token}", timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as exc:
            assert exc.code == 303
            assert "Secure" in exc.headers["Set-Cookie"]
        with pytest.raises(OSError):
            urllib.request.urlopen(served.base + "/", timeout=10)  # plain http is not served


def test_hash_password_for_a_users_line() -> None:
    result = CliRunner().invoke(cli, ["serve", "--hash-password"], input="correct horse\n")
    assert result.exit_code == 0, result.stderr
    stored = result.stdout.strip()
    assert stored.startswith("scrypt$") and check_secret("correct horse", stored)
    assert not check_secret("correct", stored)
    empty = CliRunner().invoke(cli, ["serve", "--hash-password"], input="\n")
    assert empty.exit_code == 1 and "empty password" in empty.stderr
    missing = CliRunner().invoke(cli, ["serve"])
    assert missing.exit_code == 1 and "missing AGENDA.toml|LOG" in missing.stderr


def test_public_view_lets_anyone_follow_read_only(tmp_path: Path) -> None:
    with _serving(tmp_path, "--public-view") as served:
        status, page, _ = _request(served.base + "/")
        assert status == 200 and "data-session-websocket-url" in page
        assert _upgrade(served.base, {"Origin": served.base}) == 101
        # Still no other web page, and no other host name.
        assert _upgrade(served.base, {"Origin": "http://evil.example"}) == 403
        port = served.base.rsplit(":", 1)[1]
        assert _request(served.base + "/", {"Host": f"evil.example:{port}"})[0] == 403
    command = serve_module.app_command("/tmp/s.jsonl", VIEWER)
    assert command.endswith("--actor viewer --role viewer --read-only")
