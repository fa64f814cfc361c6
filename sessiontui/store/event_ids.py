"""The ids of a log's events, as a writer keeps them to make a retry idempotent."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable

SORTED_RUN = 1 << 19
"""Hashes gathered before they are sorted into a run of their own (see ``EventIds``): each
write looks for its events' ids in every run, so a long log's ids come in a few long runs (4
for 2,000,000 events: about 2 µs a look) rather than many short ones (31 runs of 65,536 took
13 µs, a tenth of a durable append); what waits to be sorted is at most this many ints."""


class EventIds:
    """Every event id of a log, for a writer's ``event_id in ids``: exact, and compact.

    A writer refuses to write an event whose id the log already holds (a retry after a lost
    acknowledgement must not record a command twice), so it knows every id. Kept as strings in
    a set, a long log's ids were a good part of the tracker's memory (about 220 MB of 2,000,000
    events). The ids the opening scan reads are kept as their 64-bit hashes instead, sorted in
    runs (8 bytes an id); those written or caught up with since stay strings.

    A hash found among the scanned ones is only a likely match: two ids may hash alike, and a
    new event taken for a retry would never be written. ``confirm(event_id)`` then asks the log
    itself (a retry of an event written before the log was opened is rare).
    """

    def __init__(self, confirm: Callable[[str], bool]) -> None:
        """Ids known from nothing yet; ``confirm`` says whether the log holds an id."""
        self._confirm = confirm
        self._runs: list[array[int]] = []
        self._gathered: list[int] = []
        self._recent: set[str] = set()

    def add_scanned(self, event_ids: Iterable[str]) -> None:
        """Take in ids read from the log, kept as their hashes."""
        gathered = self._gathered
        gathered.extend(map(hash, event_ids))
        if len(gathered) >= SORTED_RUN:
            self._sort_gathered()

    def update(self, event_ids: Iterable[str]) -> None:
        """Take in ids written or caught up with (kept as they are)."""
        self._recent.update(event_ids)

    def __contains__(self, event_id: object) -> bool:
        if event_id in self._recent:
            return True
        if not isinstance(event_id, str):
            return False
        if self._gathered:
            self._sort_gathered()
        hashed = hash(event_id)
        for run in self._runs:
            at = bisect_left(run, hashed)
            if at < len(run) and run[at] == hashed:
                return self._confirm(event_id)
        return False

    def _sort_gathered(self) -> None:
        self._runs.append(array("q", sorted(self._gathered)))
        self._gathered = []
