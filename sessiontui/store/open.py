"""Open the store a location names: a log file path (or, later, a postgresql:// URL)."""

from __future__ import annotations

from sessiontui.store.base import EventStore, StoreError
from sessiontui.store.file import FileStore


def open_store(location: str, *, read_only: bool = False) -> EventStore:
    """The store at ``location``.

    Raises:
        StoreError: it cannot be opened (one line saying why).
    """
    if location.startswith(("postgresql://", "postgres://")):
        raise StoreError("PostgreSQL sessions are not available in this build")
    return FileStore(location, read_only=read_only)
