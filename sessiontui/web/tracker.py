"""The tracker in browsers: textual-serve with a credential on every request and websocket.

textual-serve (one app process per tab) accepts any ``Host``, any ``Origin`` and anyone; this
server sits in front of every route it has: a request must name this server (``Host``: no DNS
rebinding), come from its own page (``Origin``: no other web page can drive it), and carry a
credential (a token URL, a password login, or the browser session either of them opened). The
tab's process then runs as the credential's name and role, whatever the page asks.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from sessiontui.web.auth import Addresses, Credentials, Identity

COOKIE = "sessiontui_session"
VIEWER = Identity("viewer", "viewer", read_only=True)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_HEADERS = {
    # The page never shows a token in its URL (it is exchanged for a cookie at once); and no
    # other site may frame the tracker to trick a click.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sessiontui</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}}
input{{display:block;margin:.3em 0 1em;padding:.4em;width:100%}}</style></head>
<body><h1>sessiontui</h1><p>{message}</p>{form}</body></html>
"""
_FORM = """<form method="post" action="/login">
<label>Name<input name="name" autocomplete="username" required></label>
<label>Password<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>"""


_FOCUS = """<script>
// A person types into the tracker as soon as it shows, without a click on it first: the
// terminal's input takes the focus once textual-serve has made it.
(() => {
  const terminal = document.getElementById("terminal");
  const focus = () => {
    const input = terminal && terminal.querySelector("textarea.xterm-helper-textarea");
    if (input) input.focus();
    return input !== null && input !== undefined;
  };
  if (terminal && !focus()) {
    const watch = new MutationObserver(() => { if (focus()) watch.disconnect(); });
    watch.observe(terminal, { childList: true, subtree: true });
  }
})();
</script>
"""


class TrackerServer(Server):
    """textual-serve behind the checks of the module docstring."""

    def __init__(
        self,
        *,
        tab_command: Callable[[Identity], str],
        credentials: Credentials,
        addresses: Addresses,
        host: str,
        port: int,
        title: str,
        public_url: str,
        ssl_context: ssl.SSLContext | None,
        max_tabs: int,
        idle_seconds: float,
        public_view: bool,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        super().__init__("sessiontui", host=host, port=port, title=title, public_url=public_url)
        self.tab_command = tab_command
        self.credentials = credentials
        self.addresses = addresses
        self.ssl_context = ssl_context
        self.max_tabs = max_tabs
        self.idle_seconds = idle_seconds
        self.public_view = public_view
        self.extra_routes = extra_routes
        self.tabs = 0
        self.scheme = "https" if ssl_context is not None else "http"

    # -- the checks ------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        # textual-serve's page, with the terminal focused as it appears (see ``_FOCUS``).
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.ChoiceLoader(
                [
                    jinja2.FunctionLoader(self._page_source),
                    jinja2.FileSystemLoader(self.templates_path),
                ]
            ),
        )
        app.middlewares.append(self.guard)
        app.router.add_get("/login", self.handle_login_page, name="login")
        app.router.add_post("/login", self.handle_login)
        if self.extra_routes is not None:
            self.extra_routes(app)
        app.on_response_prepare.append(self._security_headers)
        return app

    def _page_source(self, name: str) -> str | None:
        """textual-serve's page of the tracker, with ``_FOCUS`` in it; None for any other."""
        if name != "app_index.html":
            return None
        source = (Path(self.templates_path) / name).read_text(encoding="utf-8")
        return source.replace("</body>", f"{_FOCUS}</body>", 1)

    async def _security_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a foreign ``Host`` or ``Origin``; find who the request is from, or refuse it."""
        if not self.addresses.host_allowed(request.headers.get("Host"), self.scheme):
            return _refuse(403, "this server does not answer to that host name")
        origin = request.headers.get("Origin")
        if origin is not None and not self.addresses.origin_allowed(origin):
            return _refuse(403, "requests from other web pages are refused")
        if _from_another_page(request):
            return _refuse(403, "requests from other web pages are refused")
        changing = request.method not in ("GET", "HEAD")
        upgrading = request.headers.get("Upgrade", "").lower() == "websocket"
        if (changing or upgrading) and origin is None:
            return _refuse(403, "a request without an Origin is refused")
        token = request.query.get("token")
        if token is not None:
            return self._login_by_token(request, token)
        identity = self._identity(request)
        if request.path == "/login":
            return await handler(request)
        if identity is None:
            if not self.public_view:
                return self._sign_in_page(request)
            identity = VIEWER
        request["identity"] = identity
        return await handler(request)

    def _identity(self, request: web.Request) -> Identity | None:
        cookie = request.cookies.get(COOKIE)
        return self.credentials.by_session(cookie) if cookie else None

    def _login_by_token(self, request: web.Request, token: str) -> web.StreamResponse:
        identity = self.credentials.by_token(token)
        if identity is None or request.method != "GET":
            return _refuse(403, "this link is not valid (was the server restarted?)")
        # The token goes no further than this request: the browser keeps a session cookie and
        # the page's address loses the token (no history, no Referer, no screen share shows it).
        query = {key: value for key, value in request.query.items() if key != "token"}
        target = request.rel_url.with_query(query)
        response = web.HTTPSeeOther(location=str(target))
        self._set_cookie(response, identity)
        return response

    def _set_cookie(self, response: web.StreamResponse, identity: Identity) -> None:
        response.set_cookie(
            COOKIE,
            self.credentials.open_session(identity),
            httponly=True,
            samesite="Strict",
            secure=self.scheme == "https" or self.public_url.startswith("https"),
            path="/",
        )

    def _sign_in_page(self, request: web.Request) -> web.StreamResponse:
        if request.path != "/":
            return _refuse(401, "sign in first")
        if self.credentials.passwords:
            message = "Sign in with the name and password you were given."
            return _page(401, message, _FORM)
        return _page(
            401, "Open the address printed by <code>sessiontui serve</code>: it carries the key."
        )

    async def handle_login_page(self, request: web.Request) -> web.StreamResponse:
        """The sign-in form (only when the users file has passwords)."""
        if not self.credentials.passwords:
            return _page(404, "This server signs in by link only.")
        return _page(200, "Sign in with the name and password you were given.", _FORM)

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        """Check a name and password; on success the browser gets a session cookie."""
        form = await request.post()
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        identity = await asyncio.get_running_loop().run_in_executor(
            None, self.credentials.by_password, name, password
        )
        if identity is None:
            return _page(401, "Wrong name or password.", _FORM)
        response = web.HTTPSeeOther(location="/")
        self._set_cookie(response, identity)
        return response

    # -- the tabs ----------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its own tracker process, as the credential's person, closed when idle."""
        identity: Identity = request["identity"]
        if self.tabs >= self.max_tabs:
            raise web.HTTPServiceUnavailable(
                text=f"sessiontui: {self.max_tabs} tabs are open already (--max-tabs)\n"
            )
        self.tabs += 1
        try:
            return await self._run_tab(request, self.tab_command(identity))
        finally:
            self.tabs -= 1

    async def _run_tab(self, request: web.Request, command: str) -> web.WebSocketResponse:
        # As textual-serve's own handler, with the command chosen per person and an idle watch.
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        watch: asyncio.Task[None] | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(
                command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,  # type: ignore[arg-type]
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            activity = [time.monotonic()]
            watch = asyncio.create_task(self._close_when_idle(websocket, activity))
            try:
                await self._relay(websocket, app_service, activity)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if watch is not None:
                watch.cancel()
            if app_service is not None:
                await app_service.stop()
        return websocket

    async def _relay(
        self, websocket: web.WebSocketResponse, app_service: AppService, activity: list[float]
    ) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                activity[0] = time.monotonic()
                await app_service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                activity[0] = time.monotonic()
                await app_service.set_terminal_size(
                    to_int(str(data.get("width", 80)), 80), to_int(str(data.get("height", 24)), 24)
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _close_when_idle(
        self, websocket: web.WebSocketResponse, activity: list[float]
    ) -> None:
        step = max(0.2, min(self.idle_seconds / 4, 30.0))
        while not websocket.closed:
            await asyncio.sleep(step)
            if time.monotonic() - activity[0] >= self.idle_seconds:
                await websocket.close(message=b"closed after being idle")
                return

    # -- running -----------------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: textual-serve would print its command line; ``serve`` has its banner."""

    def serve(self, debug: bool = False, *, listening: Callable[[], None] | None = None) -> None:
        """Listen (with TLS when given) until interrupted; no access log (URLs carry tokens).

        ``listening`` is called once the port is bound: the links printed then are links to
        this server, never to whatever already held the port.
        """
        import signal

        self.debug = debug
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            ssl_context=self.ssl_context,
            handle_signals=False,
            loop=loop,
            access_log=None,
            # aiohttp calls ``print`` once, after its sites have started listening.
            print=lambda *args: listening() if listening is not None else None,
            shutdown_timeout=2.0,
        )


def _from_another_page(request: web.Request) -> bool:
    """Whether a browser says another page made this request (``Sec-Fetch-Site``).

    A GET without ``Origin`` (an image, a no-cors fetch) carries the session cookie from a page
    of the same site (another port of 127.0.0.1 is the same site); only a top-level navigation,
    which shows the answer to the person and not to the page, may come from elsewhere.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site in (None, "same-origin", "none"):
        return False
    navigating = request.headers.get("Sec-Fetch-Mode") == "navigate"
    return not (navigating and request.headers.get("Sec-Fetch-Dest") == "document")


def _refuse(status: int, why: str) -> web.Response:
    return web.Response(status=status, text=f"sessiontui: {why}\n", headers=dict(_HEADERS))


def _page(status: int, message: str, form: str = "") -> web.Response:
    body = _PAGE.format(message=message, form=form)
    headers = dict(_HEADERS)
    if form:
        # Under "no-referrer" a browser sends the form's POST with "Origin: null", which the
        # guard refuses as another page's: nobody could sign in. "same-origin" sends this
        # page's own origin to this server alone, and the sign-in page's address holds no token.
        headers["Referrer-Policy"] = "same-origin"
    return web.Response(status=status, text=body, content_type="text/html", headers=headers)


def served_public_url(host: str, port: int, *, tls: bool, public_url: str | None) -> str:
    """The address browsers use: ``--public-url``, else the served address."""
    if public_url:
        return public_url.rstrip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"
