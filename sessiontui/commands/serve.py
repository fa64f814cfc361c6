"""``sessiontui serve``: the tracker in browsers, one app process per tab, all on one log."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sessiontui.commands.common import fail

SECURITY_NOTE = (
    "sessiontui serve has NO authentication and NO encryption of its own: anyone who can reach "
    "{where} can record in this session under any name. Keep it on 127.0.0.1 behind a TLS "
    "reverse proxy with authentication, e.g. Caddy:\n"
    "  meeting.example.org {{\n"
    "    basic_auth {{ ana <hash from `caddy hash-password`> }}\n"
    "    reverse_proxy 127.0.0.1:8000\n"
    "  }}\n"
    "and run `sessiontui serve LOG --public-url https://meeting.example.org` "
    "(see docs/sharing.md for nginx)."
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_users(path: Path) -> dict[str, str]:
    """``--users FILE``: lines ``NAME ROLE`` (the role is the last word; ``#`` starts a comment).

    Raises:
        click.ClickException: unreadable file or a bad line (file:line: why).
    """
    from sessiontui.core.commands import ROLES

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(
            f"--users {path}: cannot read it: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    users: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, role = line.rpartition(" ")
        name = name.strip()
        if not name or role not in ROLES:
            raise fail(f"{path}:{number}: expected 'NAME ROLE' with ROLE one of {', '.join(ROLES)}")
        users[name] = role
    return users


def prepare_log(target: str, log: str | None) -> str:
    """The location every tab opens: an existing log or session, or one made from an agenda.

    Raises:
        click.ClickException: it cannot be opened or created (one line).
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import is_postgres, normalize_location, open_store

    agenda = Path(target)
    if not is_postgres(target) and agenda.suffix.lower() == ".toml":
        location = log or os.environ.get("SESSIONTUI_LOG") or ""
        if location and is_postgres(location):
            location = _postgres_session_for(agenda, normalize_location(location))
        else:
            from sessiontui.commands.record import create_log, default_log_for

            path = Path(location) if location else default_log_for(agenda)
            if not path.exists():
                create_log(agenda, str(path))
            location = str(path.resolve())
    else:
        location = normalize_location(target)
    try:
        open_store(location, read_only=True).close()
    except StoreError as exc:
        raise fail(str(exc)) from None
    return location


def _postgres_session_for(agenda: Path, url: str) -> str:
    """Resume the session the URL names, or create one in that database from the agenda."""
    from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
    from sessiontui.core.events import new_header
    from sessiontui.store.base import StoreError
    from sessiontui.store.postgres import PostgresStore, parse_location

    try:
        if parse_location(url).session is not None:
            return url
        spec = load_agenda_file(agenda)
        raw = agenda.read_bytes()
        header = new_header(
            spec,
            created=dt.datetime.now(dt.UTC),
            agenda_path=str(agenda.resolve()),
            agenda_sha256=hashlib.sha256(raw).hexdigest(),
        )
        store = PostgresStore.create(url, header)
    except AgendaError as exc:
        raise fail(str(exc.problems[0]) if exc.problems else str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot read {agenda}: {exc.strerror}") from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    click.echo(f"sessiontui: session created at {store.url}", err=True)
    store.close()
    return f"{url}#{header.session}"


def app_command(location: str, user: tuple[str, str] | None = None) -> str:
    """The shell command one browser tab runs (textual-serve starts it through the shell)."""
    words = [sys.executable, "-m", "sessiontui", "tui", location]
    words += ["--actor", user[0], "--role", user[1]] if user else ["--ask-identity"]
    return " ".join(shlex.quote(word) for word in words)


def make_server(
    location: str,
    users: dict[str, str],
    *,
    host: str,
    port: int,
    title: str,
    public_url: str | None,
) -> Any:
    """A textual-serve ``Server`` that knows ``?user=NAME`` from the --users list.

    textual-serve's page connects its websocket to a URL fixed by the server, and appends only
    ``?width=&height=`` to it, so the page's own query never reaches the app process. The user is
    therefore carried in the websocket *path* (``/ws/as/NAME``), which the index page writes in
    when ``?user=NAME`` is on the list; that tab's process gets ``--actor NAME --role ROLE``.
    Every other tab asks the person's name and role before anything is recorded.
    """
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    def check_user(name: str | None) -> tuple[str, str] | None:
        if name is None:
            return None
        if name not in users:
            raise web.HTTPForbidden(
                text=f"sessiontui: {name!r} is not on the list of users of this session\n"
            )
        return name, users[name]

    class SessionServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/as/{user}", self.handle_user_websocket, name="user_websocket")
            return app

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            user = check_user(request.query.get("user"))
            original: Callable[..., Any] = getattr(Server.handle_index, "__wrapped__")  # noqa: B009
            context: dict[str, Any] = await original(self, request)
            if user is not None:
                path = request.app.router["user_websocket"].url_for(user=user[0])
                scheme = "wss" if self.public_url.startswith("https") else "ws"
                base = self.public_url.split(":", 1)[1]
                context["app_websocket_url"] = f"{scheme}:{base}{path}"
            return context

        async def handle_user_websocket(self, request: web.Request) -> web.WebSocketResponse:
            user = check_user(request.match_info["user"])
            return await self.run_websocket(request, app_command(location, user))

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            return await self.run_websocket(request, self.command)

        async def run_websocket(self, request: web.Request, command: str) -> web.WebSocketResponse:
            # As textual-serve's own handler, with the command chosen per tab.
            import asyncio

            from textual_serve.server import log, to_int

            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None
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
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return SessionServer(
        app_command(location), host=host, port=port, title=title, public_url=public_url
    )


@click.command()
@click.argument("target", metavar="AGENDA.toml|LOG")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host (the server itself has no authentication or TLS).",
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Lines 'NAME ROLE': a tab opened with ?user=NAME records as NAME in ROLE.",
)
@click.option(
    "--log", "log", default=None, help="The log to create for an agenda (default: see README)."
)
@click.option(
    "--public-url",
    default=None,
    help="The address browsers use, e.g. https://meeting.example.org behind a reverse proxy.",
)
def serve(
    target: str,
    host: str,
    port: int,
    allow_remote: bool,
    users_file: Path | None,
    log: str | None,
    public_url: str | None,
) -> None:
    """Serve the tracker to browsers: every tab is its own app on the same session log."""
    if not is_loopback(host) and not allow_remote:
        raise fail(
            f"--host {host} is not a loopback address and the server has no authentication or "
            "encryption of its own; add --allow-remote to do it anyway (see docs/sharing.md)"
        )
    users = read_users(users_file) if users_file else {}
    location = prepare_log(target, log)
    if not is_loopback(host):
        shown = f"{host}:{port}"
        click.echo("sessiontui: WARNING: " + SECURITY_NOTE.format(where=shown), err=True)
    title = "sessiontui"
    try:
        from sessiontui.store.open import open_store

        with_title = open_store(location, read_only=True)
        title = str(with_title.header.agenda.get("meeting", {}).get("title") or title)[:80]
        with_title.close()
    except Exception:  # the title is cosmetic; prepare_log already proved the log opens
        title = "sessiontui"
    server = make_server(
        location,
        users,
        host=host,
        port=port,
        title=title,
        public_url=public_url.rstrip("/") if public_url else None,
    )
    click.echo(f"sessiontui: serving {location_name(location)} on http://{host}:{port}", err=True)
    try:
        server.serve()
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def location_name(location: str) -> str:
    """A location fit to print (a PostgreSQL URL without its password)."""
    from sessiontui.store.open import is_postgres

    if is_postgres(location):
        from sessiontui.store.postgres import parse_location

        parsed = parse_location(location)
        return parsed.with_session(parsed.session or "")
    return location
