"""Open the store a location names: a log file path or a ``postgresql://...#SESSION`` URL."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sessiontui.core.events import Header
from sessiontui.store.base import EventStore, StoreError
from sessiontui.store.file import FileStore

STORE_ENV = "SESSIONTUI_STORE"
_SCHEMES = ("postgresql://", "postgres://")
# ``Path(url)`` (how ``locate_log`` hands a --log value on) folds "//" into "/".
_FOLDED = re.compile(r"^(postgres(?:ql)?):/(?!/)")
_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def normalize_location(location: str) -> str:
    """Undo what ``Path()`` does to a URL (``postgresql:/host`` back to ``postgresql://host``).

    A bare session id with ``$SESSIONTUI_STORE`` set (a ``postgresql://`` URL of the server)
    names that session on that server, unless a file of that name exists.
    """
    location = _FOLDED.sub(r"\1://", location)
    server = os.environ.get(STORE_ENV, "").strip()
    if (
        server.startswith(_SCHEMES)
        and _SESSION_ID.fullmatch(location)
        and not Path(location).exists()
    ):
        return f"{server.split('#', 1)[0]}#{location}"
    return location


def is_postgres(location: str) -> bool:
    """Whether the location (as given or after ``Path()``) names a PostgreSQL session."""
    return normalize_location(location).startswith(_SCHEMES)


def open_store(location: str, *, read_only: bool = False) -> EventStore:
    """The store at ``location``: a log file path, or ``postgresql://[user@]host[:port]/db#SESSION``.

    The session may also be given as ``?session=SESSION``. With ``$SESSIONTUI_STORE`` set to a
    server URL, a bare session id is enough.

    Raises:
        StoreError: it cannot be opened (one line saying why).
    """
    location = normalize_location(location)
    if location.startswith(_SCHEMES):
        from sessiontui.store.postgres import PostgresStore

        return PostgresStore(location, read_only=read_only)
    if not location:
        raise StoreError("no session log given")
    return FileStore(location, read_only=read_only)


def create_store(location: str, header: Header) -> str:
    """Create a new session at ``location`` (a file or a PostgreSQL server); returns where it is.

    For PostgreSQL the session keeps the header's id, so the returned URL names it.

    Raises:
        StoreError: it exists already, or cannot be created.
    """
    location = normalize_location(location)
    if location.startswith(_SCHEMES):
        from sessiontui.store.postgres import PostgresStore, parse_location

        PostgresStore.create(location, header).close()
        return parse_location(location).with_session(header.session)
    FileStore.create(location, header).close()
    return location
