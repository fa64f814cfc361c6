"""``sessiontui serve``: the tracker in browsers, one app process per tab, all on one log."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import shlex
import ssl
import sys
from pathlib import Path
from typing import Any

import click

from sessiontui.commands.common import AGENDA_LOG_DEFAULT, fail
from sessiontui.core.commands import ROLES
from sessiontui.web.auth import Credentials, Identity

CLEARTEXT_NOTE = (
    "sessiontui: WARNING: {where} is reachable from other machines without TLS: the links, "
    "passwords and everything typed cross the network in clear. Give --certfile/--keyfile, or "
    "keep it on 127.0.0.1 behind a TLS reverse proxy and pass --public-url (see docs/sharing.md)."
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
                # None for the default: its data folder is made as needed, a named one is not.
                create_log(agenda, location or None)
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


def app_command(location: str, identity: Identity) -> str:
    """The shell command one browser tab runs: the tracker as the credential's person.

    ``location`` must hold no password (``child_location``): ``ps`` shows this line to anyone.
    """
    words = [sys.executable, "-m", "sessiontui", "tui", location, "--actor", identity.name]
    if identity.role is not None:
        words += ["--role", identity.role]
    if identity.read_only:
        words.append("--read-only")
    return " ".join(shlex.quote(word) for word in words)


def child_location(location: str) -> str:
    """The location for the tabs' command lines; a PostgreSQL password goes to ``$PGPASSWORD``
    (inherited by every tab, read by libpq) instead of the command line that ``ps`` shows."""
    from sessiontui.store.open import is_postgres

    if not is_postgres(location):
        return location
    from sessiontui.store.postgres import split_password

    bare, password = split_password(location)
    if password is not None:
        os.environ["PGPASSWORD"] = password
    return bare


def make_credentials(
    users: list[tuple[str, str, str | None]], owner: Identity
) -> tuple[Credentials, list[tuple[Identity, str]]]:
    """Who may come in, and the links to print once: one per listed person without a stored
    password, or the owner's alone when there is no users list."""
    credentials = Credentials()
    links: list[tuple[Identity, str]] = []
    if not users:
        links.append((owner, credentials.add_token(owner)))
    for name, role, stored in users:
        identity = Identity(name, role, read_only=role == "viewer")
        if stored is not None:
            credentials.passwords[name] = (stored, identity)
        else:
            links.append((identity, credentials.add_token(identity)))
    return credentials, links


def tls_context(certfile: Path | None, keyfile: Path | None) -> ssl.SSLContext | None:
    """The server's TLS context from ``--certfile``/``--keyfile`` (None without them).

    Raises:
        click.ClickException: one given without the other, or they cannot be loaded.
    """
    if certfile is None and keyfile is None:
        return None
    if certfile is None:
        raise fail("--keyfile needs --certfile")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise fail(
            f"cannot use the certificate {certfile}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    return context


@click.command()
@click.argument("target", metavar="AGENDA.toml|LOG", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host without --certfile (all crosses the network in clear).",
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Lines 'NAME ROLE' (a link each, printed once) or 'NAME ROLE scrypt$...' (a password).",
)
@click.option("--actor", default=None, help="Without --users: who the printed link records as.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=None,
    help="Without --users: the printed link's role (default: every right).",
)
@click.option(
    "--log",
    "log",
    default=None,
    help=f"The log to resume or create for an agenda (default: {AGENDA_LOG_DEFAULT}).",
)
@click.option(
    "--public-url",
    default=None,
    help="The address browsers use, e.g. https://meeting.example.org behind a reverse proxy.",
)
@click.option(
    "--public-view", is_flag=True, help="Let anyone who reaches the server follow, read-only."
)
@click.option(
    "--max-tabs",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Tracker tabs open at once (each is its own process).",
)
@click.option(
    "--idle-minutes",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Close a tab nobody typed in for this long.",
)
@click.option(
    "--max-viewers",
    default=500,
    show_default=True,
    type=click.IntRange(1, 100000),
    help="Room view pages open at once (all served by this one process).",
)
@click.option(
    "--certfile",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TLS certificate chain (PEM): serve https.",
)
@click.option(
    "--keyfile",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The certificate's private key (PEM), if not in --certfile.",
)
@click.option(
    "--hash-password",
    is_flag=True,
    help="Read a password on stdin, print its hash for a --users line, and exit.",
)
def serve(
    target: str | None,
    host: str,
    port: int,
    allow_remote: bool,
    users_file: Path | None,
    actor: str | None,
    role: str | None,
    log: str | None,
    public_url: str | None,
    public_view: bool,
    max_tabs: int,
    idle_minutes: float,
    max_viewers: int,
    certfile: Path | None,
    keyfile: Path | None,
    hash_password: bool,
) -> None:
    """Serve the tracker to browsers: every tab is its own app on the same session log.

    Only who holds a credential comes in: the link printed at start (a secret token), or with
    --users a link per person or their password. Each tab records as the credential's name and
    role. Requests from other web pages or for another host name are refused.
    """
    from sessiontui.service import default_actor
    from sessiontui.web.auth import Addresses, UsersFileError, read_users
    from sessiontui.web.room import Room
    from sessiontui.web.tracker import served_public_url

    if hash_password:
        click.echo(hashed_from_stdin())
        return
    if target is None:
        raise fail("missing AGENDA.toml|LOG: what to serve")
    ssl_context = tls_context(certfile, keyfile)
    if not is_loopback(host) and ssl_context is None and not allow_remote:
        raise fail(
            f"--host {host} is not a loopback address and there is no --certfile: give one, or "
            "add --allow-remote to serve in clear anyway (see docs/sharing.md)"
        )
    try:
        users = read_users(users_file, ROLES) if users_file else []
    except UsersFileError as exc:
        raise fail(str(exc)) from None
    if users and (actor or role):
        raise fail(
            "--actor and --role are for the single link; with --users, the file names people"
        )
    location = prepare_log(target, log)
    if not is_loopback(host) and ssl_context is None:
        click.echo(CLEARTEXT_NOTE.format(where=f"{host}:{port}"), err=True)
    owner = Identity(actor or default_actor(), role, read_only=role == "viewer")
    credentials, links = make_credentials(users, owner)
    tls = ssl_context is not None
    address = served_public_url(host, port, tls=tls, public_url=public_url)
    for_tabs = child_location(location)
    server = make_server(
        tab_command=lambda identity: app_command(for_tabs, identity),
        credentials=credentials,
        addresses=Addresses.served(host, port, tls=tls, public_url=public_url),
        host=host,
        port=port,
        title=meeting_title(location),
        public_url=address,
        ssl_context=ssl_context,
        max_tabs=max_tabs,
        idle_seconds=idle_minutes * 60,
        public_view=public_view,
        extra_routes=Room(location, max_viewers=max_viewers).routes,
    )

    def banner() -> None:
        click.echo(f"sessiontui: serving {location_name(location)} on {address}", err=True)
        for identity, token in links:
            who = f"{identity.name} ({identity.role or 'every right'})"
            click.echo(f"sessiontui: {who}: open {address}/?token={token}", err=True)
        if credentials.passwords:
            click.echo(f"sessiontui: people with a password sign in at {address}/login", err=True)
        if public_view:
            click.echo(
                f"sessiontui: anyone may follow read-only at {address}/ and {address}/room",
                err=True,
            )
        else:
            click.echo(
                f"sessiontui: the room view (read-only, live) is at {address}/room, once signed "
                "in (--public-view opens it to anyone)",
                err=True,
            )

    try:
        server.serve(listening=banner)
    except OSError as exc:
        # aiohttp words the bind error with the address again: the system's reason says it.
        reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
        raise fail(f"cannot listen on {host}:{port}: {reason}") from None


def hashed_from_stdin() -> str:
    """The hash of the password typed (hidden on a terminal) or piped in.

    Raises:
        click.ClickException: an empty password.
    """
    from sessiontui.web.auth import hash_secret

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise fail("an empty password is no password")
    return hash_secret(password)


def make_server(**kwargs: Any) -> Any:
    """The web server (a ``TrackerServer``); a seam for the option-handling tests."""
    from sessiontui.web.tracker import TrackerServer

    return TrackerServer(**kwargs)


def meeting_title(location: str) -> str:
    """The meeting's title for the page (cosmetic: any failure gives "sessiontui")."""
    from sessiontui.store.open import open_store

    try:
        store = open_store(location, read_only=True)
        try:
            return str(store.header.agenda.get("meeting", {}).get("title") or "sessiontui")[:80]
        finally:
            store.close()
    except Exception:  # prepare_log already proved the log opens
        return "sessiontui"


def location_name(location: str) -> str:
    """A location fit to print (a PostgreSQL URL without its password)."""
    from sessiontui.store.open import is_postgres

    if is_postgres(location):
        from sessiontui.store.postgres import parse_location

        parsed = parse_location(location)
        return parsed.with_session(parsed.session or "")
    return location
