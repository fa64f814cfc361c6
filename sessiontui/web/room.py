"""The room view: a read-only live page for the projector and delegates' phones.

No terminal and no process per viewer: the ``serve`` process follows the session once (a thread
reading the log, or woken by PostgreSQL's NOTIFY), folds it, and after every change sends one
small JSON snapshot to every open page over server-sent events. The page draws it with plain
DOM text (nothing a person typed is ever parsed as HTML) and runs the clocks itself between
snapshots. A slow viewer only ever gets the latest snapshot, never a backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
from importlib import resources
from typing import Any

import msgspec
from aiohttp import web

from sessiontui.core.state import SessionState
from sessiontui.core.vocabulary import NoteKind

DECISIONS = 5
"""How many of the latest decisions the room view shows."""
KEEPALIVE_SECONDS = 15.0
RETRY = b"retry: 1000\n\n"
"""Opens every stream: a page that lost it reconnects after a second (the browser's default is
longer and varies)."""
FOLLOW_SECONDS = 0.2
"""How often a log file is looked at (an fstat when nothing changed)."""
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def snapshot(state: SessionState, now: dt.datetime) -> dict[str, Any]:
    """What the room view shows, as JSON-able data (times in seconds, as of ``now``)."""
    sitting = state.sitting
    floor = state.floor
    data: dict[str, Any] = {
        "seq": state.last_seq,
        "now": now.timestamp(),
        "title": state.agenda.meeting.title,
        "running": state.running,
        "sitting": None if sitting is None else {"label": sitting.label, "status": sitting.status},
        "floor": None,
        "speakers": [],
        "decisions": [],
    }
    if floor is not None:
        node = state.agenda.nodes[floor]
        data["floor"] = {
            "label": node.label,
            "title": node.title,
            "used": state.used_seconds(floor, now),
            "planned": state.agenda.planned_seconds_of(floor),
        }
        data["speakers"] = [
            {
                "who": speaker.who(),
                "kind": speaker.kind,
                "status": speaker.status,
                "seconds": state.speaker_seconds(floor, speaker, now),
                "limit": speaker.limit_seconds,
            }
            for speaker in state.items[floor].speakers
            if speaker.status != "done" or state.speaking == (floor, speaker.id)
        ][:30]
    decisions = [
        note for note in state.notes.values() if note.kind == NoteKind.DECISION and not note.deleted
    ]
    decisions.sort(key=lambda note: note.at)
    data["decisions"] = [
        {"label": state.label(note.item), "text": note.text} for note in decisions[-DECISIONS:]
    ]
    return data


class Room:
    """One follower of the session and every page watching it."""

    def __init__(self, location: str, *, max_viewers: int) -> None:
        self.location = location
        self.max_viewers = max_viewers
        self.viewers: set[asyncio.Queue[bytes]] = set()
        self.message = b""
        """The latest view as one event (empty until the session is first folded)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def routes(self, app: web.Application) -> None:
        """Add ``/room``, ``/room.js``, ``/room.css`` and ``/room/events`` to the app."""
        app.router.add_get("/room", self.handle_page)
        app.router.add_get("/room.js", self.handle_asset)
        app.router.add_get("/room.css", self.handle_asset)
        app.router.add_get("/room/events", self.handle_events)
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._end)

    async def _start(self, app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._follow, name="room-follow", daemon=True)
        self._thread.start()

    async def _end(self, app: web.Application) -> None:
        self._stop.set()
        self._broadcast(b"")  # every page's stream ends (the server is stopping)

    def _follow(self) -> None:
        """Fold the session as it grows; publish a snapshot after every change (a thread)."""
        from sessiontui.service import SessionService
        from sessiontui.store.base import StoreError
        from sessiontui.store.open import open_store

        service: SessionService | None = None
        while not self._stop.is_set():
            try:
                if service is None:
                    service = SessionService(open_store(self.location, read_only=True))
                    self._publish(service.state)
                wait = getattr(service.store, "wait", None)
                if wait is not None:
                    wait(1.0)
                else:
                    self._stop.wait(FOLLOW_SECONDS)
                if service.refresh():
                    self._publish(service.state)
            except StoreError:
                self._stop.wait(1.0)  # the server is out of reach: the pages keep the last view

    def _publish(self, state: SessionState) -> None:
        data = msgspec.json.encode(snapshot(state, dt.datetime.now(dt.UTC)))
        message = b"data: " + data + b"\n\n"
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._broadcast, message)

    def _broadcast(self, message: bytes) -> None:
        self.message = message
        for queue in self.viewers:
            if queue.full():
                queue.get_nowait()  # a slow page skips to the latest view
            queue.put_nowait(message)

    async def handle_page(self, request: web.Request) -> web.StreamResponse:
        """The page (static HTML; the data comes over ``/room/events``)."""
        return web.Response(
            text=_asset("room.html"),
            content_type="text/html",
            headers={"Content-Security-Policy": _CSP},
        )

    async def handle_asset(self, request: web.Request) -> web.StreamResponse:
        """The page's script and style."""
        name = request.path.lstrip("/")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return web.Response(text=_asset(name), content_type=kind)

    async def handle_events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the current view at once, then one message per change."""
        if len(self.viewers) >= self.max_viewers:
            raise web.HTTPServiceUnavailable(text="sessiontui: the room view is full\n")
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=1)
        self.viewers.add(queue)
        try:
            # The retry field, then the current view if there is one yet (else it follows as
            # soon as the session is folded).
            await response.write(RETRY + self.message)
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    message = b": keepalive\n\n"
                if not message:
                    break
                await response.write(message)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.viewers.discard(queue)
        with contextlib.suppress(ConnectionResetError):
            await response.write_eof()
        return response


def _asset(name: str) -> str:
    return resources.files("sessiontui.web").joinpath("room", name).read_text(encoding="utf-8")
