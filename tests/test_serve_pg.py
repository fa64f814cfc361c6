"""``serve`` on a PostgreSQL session: no database password in any output or command line."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import pg
from .conftest import make_log
from .test_serve import Served, _cookie_for, _free_port, _open_websocket, _wait_until_listening

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url
pytestmark = pytest.mark.postgres


def _command_lines(besides: int = 0) -> list[bytes]:
    """Every process's command line as bytes (but ``besides``'s: the one the person typed).

    Command lines are bytes in no particular encoding, and a process may end or be out of reach
    between listing ``/proc`` and reading it: such a one is skipped, not an error.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != besides:
            try:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" "))
            except OSError:
                continue
    return found


def test_no_password_in_output_or_any_command_line(tmp_path: Path, pg_url: str) -> None:
    # Unique to this run: another run of this test at the same time (another checkout, another
    # worker) has its own ``serve`` with its own password in the command line it was given.
    secret = f"s3cret-{secrets.token_hex(8)}-in-the-url"
    session = f"sv{time.time_ns()}"
    log = make_log(tmp_path / "seed.jsonl", session_id=session)
    copied = subprocess.run(
        [sys.executable, "-m", "sessiontui", "copy", str(log), pg_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert copied.returncode == 0, copied.stderr
    # The test server trusts loopback, so the password is carried but never needed.
    url = copied.stdout.strip().replace(
        "postgresql://sessiontui@", f"postgresql://sessiontui:{secret}@"
    )
    port = _free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PGPASSWORD", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "serve", url, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    banner = ""
    try:
        assert server.stderr is not None
        for raw in server.stderr:
            banner += raw.decode(errors="replace")
            if "token=" in banner:
                break
        token = re.search(r"token=(\S+)", banner)
        assert token, banner
        _wait_until_listening(base, server)
        served = Served(base, log, token.group(1))
        cookie = _cookie_for(served)
        with _open_websocket(base, {"Cookie": cookie, "Origin": base}) as (status, sock):
            assert status == 101
            deadline = time.monotonic() + 30
            tab: list[bytes] = []
            while not tab:
                assert time.monotonic() < deadline, "no tab process started"
                tab = [
                    line
                    for line in _command_lines()
                    if b" tui " in line and f"#{session}".encode() in line
                ]
                time.sleep(0.2)
            sock.settimeout(30)
            assert sock.recv(1)  # the tab's tracker is talking
            leaks = [line for line in _command_lines(besides=server.pid) if secret.encode() in line]
            assert not leaks, leaks
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    assert secret not in banner + out.decode(errors="replace") + err.decode(errors="replace")
