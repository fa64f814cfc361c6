"""The tracker's journal feed: the session in words, its last lines and each item's last lines."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from sessiontui.core.events import Event
from sessiontui.service import SessionService
from sessiontui.store.base import StoreError
from sessiontui.ui.format import safe

if TYPE_CHECKING:
    # The journal writer is imported when first used: it is not on the first screen, and
    # importing it at start cost every start.
    from sessiontui.core.journal import Journal

JOURNAL_LINES = 200
"""How many of the session's last lines the journal panel can show."""

ITEM_JOURNAL_LINES = 8
"""How many of an item's last lines the item panel shows."""

JOURNAL_AT_START = 20_000
"""Sessions up to this many events have their journal built at start; longer ones when the
journal panel is first shown (describing a long session takes seconds)."""


def _keep(
    entries: Iterable[tuple[str, frozenset[str]]],
    lines: deque[str],
    per_item: dict[str, deque[str]],
) -> None:
    """Add journal entries to the last lines, and to the last lines of each item concerned."""
    for line, items in entries:
        shown = safe(line)
        lines.append(shown)
        for item in items:
            recent = per_item.get(item)
            if recent is None:
                recent = per_item[item] = deque(maxlen=ITEM_JOURNAL_LINES)
            recent.append(shown)


class JournalFeed:
    """The journal of the session the tracker shows, fed with every event the service sees.

    The journal is built when first asked for (``load``): until then new events are not
    described; while it is built (in a worker, from a reader of its own) they wait here.
    ``lines`` and ``per_item`` are kept as the same objects throughout, so views may hold them.
    """

    def __init__(
        self, app: App[Any], service: SessionService, on_built: Callable[[], None]
    ) -> None:
        """Make the feed.

        Args:
            app: The app whose workers build the journal.
            service: The session whose events are described.
            on_built: Called on the UI thread once the journal of the session so far is in.
        """
        self.app = app
        self.service = service
        self.on_built = on_built
        self.lines: deque[str] = deque(maxlen=JOURNAL_LINES)
        self.per_item: dict[str, deque[str]] = {}
        self._writer: Journal | None = None
        self._pending: list[Event] | None = None

    @property
    def ready(self) -> bool:
        """Whether the journal of the session so far is built."""
        return self._writer is not None

    def recent(self, count: int = 12) -> list[str]:
        """The last ``count`` lines."""
        return list(self.lines)[-count:]

    def load(self) -> None:
        """Build the journal of the session so far, off the UI thread when the log is a file."""
        if self._writer is not None or self._pending is not None:
            return
        path = getattr(self.service.store, "path", None)
        if not isinstance(path, Path):
            from sessiontui.core.journal import Journal

            # Not a log file (PostgreSQL): read through the service's own store, here.
            self._writer = Journal(self.service.store.header)
            with contextlib.suppress(StoreError):
                self.add(self.service.store.read())
            return
        self._pending = []
        self.app.run_worker(
            lambda: self._build(path),
            thread=True,
            exclusive=True,
            group="journal",
            exit_on_error=False,
        )

    def _build(self, path: Path) -> None:
        # A descriptor of its own: the service's descriptor and its flock stay on the UI thread.
        from sessiontui.core.journal import Journal
        from sessiontui.service import JournalStream
        from sessiontui.store.file import FileStore

        lines: deque[str] = deque(maxlen=JOURNAL_LINES)
        per_item: dict[str, deque[str]] = {}
        try:
            with FileStore(path, read_only=True, recover=False) as reader:
                # From the log's journal checkpoint when there is one: a long session's
                # journal is then at hand at once instead of after seconds of folding. Kept
                # as it is made: only the last lines stay, never the whole journal.
                whole = JournalStream(reader, live=True)
                journal = whole.journal
                assert journal is not None
                _keep(whole.entries(), lines, per_item)
        except StoreError:
            # The journal is a convenience; damage is reported on mount.
            journal = Journal(self.service.store.header)
        self.app.call_from_thread(self._built, journal, lines, per_item)

    def _built(self, journal: Journal, lines: deque[str], per_item: dict[str, deque[str]]) -> None:
        # From now on the journal is fed here, by the service: an undo makes it fold again
        # from the service's store (on this thread, which owns that store's descriptor).
        journal.use_source(self.service.store.read)
        self._writer = journal
        self.lines.clear()
        self.lines.extend(lines)
        self.per_item.clear()
        self.per_item.update(per_item)
        # The reader may have read further than the service had when the build started.
        pending, self._pending = self._pending or [], None
        self.add(event for event in pending if event.seq > journal.seq)
        self.on_built()

    def add(self, events: Iterable[Event]) -> None:
        """Describe new events (kept until the journal is built; dropped before it is asked for)."""
        # The journal folds its own state, so each line names things as they were then.
        if self._pending is not None:
            self._pending.extend(events)
            return
        if self._writer is None:
            return  # read from the log when the journal is first shown
        entries = self._writer.entries(sorted(events, key=lambda e: e.seq))
        _keep(entries, self.lines, self.per_item)
