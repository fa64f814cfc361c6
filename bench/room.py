"""The room view under load: 200 streaming viewers and one real Chromium page on one server.

Starts ``sessiontui serve LOG --public-view``, connects ``--viewers`` server-sent-event clients
to ``/room/events`` and one headless Chromium page to ``/room``, records ``--events`` events
(one every ``--interval`` seconds), and measures for each event the time from its durable
append to its arrival at every client and at the page, and the server's memory (resident and
peak, the one process that serves every viewer). Prints a Markdown table and JSON.

    python bench/room.py [--viewers 200] [--events 20] [--interval 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MEMORY_TARGET_MB = 150.0
LATENCY_TARGET_S = 1.0
_SEQ = re.compile(rb'"seq":(\d+)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Viewer:
    """One streaming client: when each ``seq`` arrived."""

    def __init__(self) -> None:
        self.arrived: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def follow(self, session: Any, url: str) -> None:
        async with session.get(url) as response:
            response.raise_for_status()
            async for line in response.content:
                found = _SEQ.search(line)
                if found:
                    self.arrived.setdefault(int(found.group(1)), time.monotonic())
                    self.ready.set()


async def run(viewers: int, events: int, interval: float, keep: Path | None) -> dict[str, Any]:
    import aiohttp
    from playwright.async_api import async_playwright

    from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem
    from sessiontui.service import SessionService
    from sessiontui.store.file import FileStore

    folder = Path(tempfile.mkdtemp(prefix="sessiontui-room-"))
    log = folder / "room.jsonl"
    env = {**os.environ, "XDG_DATA_HOME": str(folder / "data")}
    subprocess.run(
        [sys.executable, "-m", "sessiontui", "init", str(AGENDA), "--log", str(log)],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sessiontui", "serve", str(log), "--port", str(port),
         "--public-view", "--max-viewers", str(viewers + 10)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                await asyncio.sleep(0.1)
        idle_mb = _memory_mb(server.pid)[0]
        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            clients = [Viewer() for _ in range(viewers)]
            tasks = [
                asyncio.create_task(client.follow(session, base + "/room/events"))
                for client in clients
            ]
            await asyncio.wait_for(asyncio.gather(*(client.ready.wait() for client in clients)), 60)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = await browser.new_page()
                await page.goto(base + "/room")
                await page.wait_for_selector("body[data-seq='0']", timeout=30000)
                connected_mb = _memory_mb(server.pid)[0]
                service = SessionService(FileStore(log), actor="bench")
                page_latency: list[float] = []
                appended: dict[int, float] = {}
                commands: list[Any] = [OpenItem("2a")]
                for n in range(events - 1):
                    commands.append(
                        AddSpeaker("2a", f"Speaker {n}")
                        if n % 2
                        else AddNote("2a", f"Decision {n}", kind="decision")
                    )
                for command in commands:
                    await asyncio.sleep(interval)
                    written = await asyncio.to_thread(service.run, command)
                    seq = written[-1].seq
                    appended[seq] = time.monotonic()
                    await page.wait_for_selector(f"body[data-seq='{seq}']", timeout=30000)
                    page_latency.append(time.monotonic() - appended[seq])
                await asyncio.sleep(1.5)
                resident_mb, peak_mb = _memory_mb(server.pid)
                await browser.close()
                service.close()
            for task in tasks:
                task.cancel()
        stream_latency = [
            client.arrived[seq] - at
            for seq, at in appended.items()
            for client in clients
            if seq in client.arrived
        ]
        missing = sum(1 for seq in appended for client in clients if seq not in client.arrived)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if keep is not None:
        keep.write_text(log.read_text())
    worst = max(stream_latency + page_latency)
    return {
        "viewers": viewers,
        "events": len(appended),
        "server_idle_mb": round(idle_mb, 1),
        "server_connected_mb": round(connected_mb, 1),
        "server_resident_mb": round(resident_mb, 1),
        "server_peak_mb": round(peak_mb, 1),
        "stream_median_ms": round(statistics.median(stream_latency) * 1000, 1),
        "stream_p99_ms": round(
            sorted(stream_latency)[int(len(stream_latency) * 0.99) - 1] * 1000, 1
        ),
        "stream_max_ms": round(max(stream_latency) * 1000, 1),
        "page_median_ms": round(statistics.median(page_latency) * 1000, 1),
        "page_max_ms": round(max(page_latency) * 1000, 1),
        "missed_updates": missing,
        "memory_met": peak_mb <= MEMORY_TARGET_MB,
        "latency_met": worst <= LATENCY_TARGET_S and missing == 0,
    }


def table(result: dict[str, Any]) -> str:
    """The figures as Markdown rows."""
    yes = {True: "yes", False: "**NO**"}
    return "\n".join(
        [
            "| measure | value | target | met |",
            "|---|---|---|---|",
            f"| server memory, {result['viewers']} viewers + 1 Chromium page (peak resident) "
            f"| {result['server_peak_mb']} MB | <= {MEMORY_TARGET_MB:.0f} MB "
            f"| {yes[result['memory_met']]} |",
            f"| event to every streaming viewer (median / p99 / max of "
            f"{result['viewers']} x {result['events']}) | {result['stream_median_ms']} / "
            f"{result['stream_p99_ms']} / {result['stream_max_ms']} ms | <= 1 s "
            f"| {yes[result['latency_met']]} |",
            f"| event to the Chromium page drawn (median / max) | {result['page_median_ms']} / "
            f"{result['page_max_ms']} ms | <= 1 s | {yes[result['latency_met']]} |",
            f"| updates missed | {result['missed_updates']} | 0 | "
            f"{yes[result['missed_updates'] == 0]} |",
        ]
    )


def main() -> None:
    """Run once and print the table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()
    result = asyncio.run(run(args.viewers, args.events, args.interval, None))
    print(table(result))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
