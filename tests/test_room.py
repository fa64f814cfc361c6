"""The room view: the snapshot it sends, and a real page following a session live."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import time
from pathlib import Path
from typing import Any

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem, StartSpeaker
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
from sessiontui.web.room import snapshot

from .conftest import START, make_log
from .test_serve import CHROMIUM, CHROMIUM_ARGS, _browser_ready, _request, _serving


def test_snapshot_of_the_floor_speakers_and_decisions(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(OpenItem("2a"))
    service.run(AddNote("2a", "Adopted as <b>orally</b> amended.", kind="decision"))
    service.run(AddSpeaker("2a", "Brazil", limit_seconds=180))
    service.run(AddSpeaker("2a", "Kenya"))
    service.run(StartSpeaker("2a", "Brazil"))
    clock.advance(200)
    data = snapshot(service.state, clock.now())
    assert data["floor"]["label"] == "2(a)" and data["floor"]["used"] == 200.0
    assert data["running"] and data["sitting"]["status"] == "open"
    speakers = data["speakers"]
    assert [s["who"] for s in speakers] == ["Brazil", "Kenya"]
    assert speakers[0]["status"] == "speaking" and speakers[0]["limit"] == 180
    assert data["decisions"] == [{"label": "2(a)", "text": "Adopted as <b>orally</b> amended."}]
    json.dumps(data)  # JSON as it is
    service.close()


def _first_view(base: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """The status of ``/room/events`` and the first view it streams, read as server-sent events.

    Fields other than ``data`` (the stream opens with ``retry:``) and comments are legitimate
    anywhere; the view is the ``data`` of the first event that has one.
    """
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", "/room/events", headers=headers or {})
        response = conn.getresponse()
        if response.status != 200:
            response.read()
            return response.status, {}
        assert response.getheader("Content-Type", "").startswith("text/event-stream")
        data: list[bytes] = []
        while True:
            line = response.readline()
            assert line, "the stream ended before any view"
            line = line.rstrip(b"\r\n")
            if not line:
                if data:
                    return 200, json.loads(b"\n".join(data))
                continue
            name, _, value = line.partition(b":")
            if name == b"data":
                data.append(value.removeprefix(b" "))
            else:
                assert name in (b"", b"retry", b"event", b"id"), line
    finally:
        conn.close()


def test_room_view_needs_a_credential_unless_public(tmp_path: Path) -> None:
    with _serving(tmp_path) as served:
        assert _request(served.base + "/room")[0] == 401
        assert _first_view(served.base)[0] == 401
        status, _page, headers = _request(f"{served.base}/room?token={served.token}")
        assert status == 303 and headers["Location"] == "/room"
        cookie = str(headers["Set-Cookie"]).split(";", 1)[0]
        status, _page, headers = _request(served.base + "/room", {"Cookie": cookie})
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        status, view = _first_view(served.base, {"Cookie": cookie})
        assert status == 200 and view["seq"] == 0 and view["floor"] is None


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_room_page_follows_the_session(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with _serving(tmp_path, "--public-view") as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(served.base + "/room")
            page.wait_for_selector("body[data-seq='0']", timeout=20000)
            service = SessionService(FileStore(served.log), actor="ana")
            service.run(OpenItem("2a"))
            service.run(AddNote("2a", "<img src=x onerror=alert(1)> stays text", kind="decision"))
            wrote = time.monotonic()
            page.wait_for_selector("body[data-seq='3']", timeout=20000)
            assert time.monotonic() - wrote < 5
            assert page.text_content("#floor-label") == "2(a)"
            decision = page.text_content("#decision-list")
            assert decision is not None and "<img src=x onerror=alert(1)> stays text" in decision
            assert page.locator("#decision-list img").count() == 0
            # The floor clock runs in the page between snapshots.
            first = page.text_content("#floor-used")
            deadline = time.monotonic() + 5
            while page.text_content("#floor-used") == first:
                assert time.monotonic() < deadline, "the clock does not run"
                time.sleep(0.1)
            service.close()
        finally:
            browser.close()


def test_snapshot_with_nothing_on_the_floor(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    data = snapshot(service.state, START + dt.timedelta(minutes=1))
    assert data["floor"] is None and data["speakers"] == [] and data["sitting"] is None
    service.close()


@pytest.mark.browser
@pytest.mark.skipif(_browser_ready() is not None, reason=str(_browser_ready()))
def test_room_benchmark_runs() -> None:
    """``bench/room.py`` at a tiny size: it runs and reports every update (no timing asserted)."""
    import asyncio
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import room
    finally:
        sys.path.remove(str(ROOT / "bench"))
    result = asyncio.run(room.run(3, 2, 0.2, None))
    assert result["viewers"] == 3 and result["events"] == 2
    assert result["missed_updates"] == 0
    assert "server memory" in room.table(result)
