"""The ``EventStore`` interface that the file log and PostgreSQL both implement."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from sessiontui.core.clock import Clock
from sessiontui.core.events import Draft, Event, Header


class StoreError(Exception):
    """The log cannot be used as asked; the message is one line for a person."""


class ReadOnlyStore(StoreError):
    """The log was opened read-only (damage found, a failed write, or asked for)."""


class SaveError(StoreError):
    """A write failed; nothing of it is in the log. ``drafts`` keeps what was not saved."""

    def __init__(self, message: str, drafts: Sequence[Draft]) -> None:
        super().__init__(message)
        self.drafts = list(drafts)


class Unreachable(SaveError):
    """The server could not be reached, or the link dropped before the outcome was known.

    Retrying the same command with the same event ids is safe: a saved one is recognised.
    """


class PositionConflict(StoreError):
    """Someone appended since the position the caller expected."""


@dataclass(frozen=True, slots=True)
class Damage:
    """A record that failed its checks."""

    line: int
    offset: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} (byte {self.offset}): {self.reason}"


Decide = Callable[[Sequence[Event]], Sequence[Draft]]


class EventStore(Protocol):
    """Where a session's events live.

    ``transact`` is the one way to record: under the store's lock it reads what others appended
    since (handing it to ``decide`` with the command), and appends what ``decide`` returns.
    """

    header: Header
    damage: list[Damage]
    notices: list[str]

    @property
    def read_only(self) -> bool:
        """Whether appends are refused."""
        ...

    @property
    def last_seq(self) -> int:
        """The ``seq`` of the last event this store has read."""
        ...

    def read(self, after_seq: int = 0) -> Iterator[Event]:
        """Every event with ``seq`` greater than ``after_seq``, in ``seq`` order."""
        ...

    def catch_up(self) -> list[Event]:
        """Events others appended since the last read (empty when none)."""
        ...

    def has_id(self, event_id: str) -> bool:
        """Whether an event with this id was read or written (under the lock: is in the log)."""
        ...

    def append(self, drafts: Sequence[Draft], expected_seq: int, clock: Clock) -> list[Event]:
        """Append when the log still ends at ``expected_seq``; else ``PositionConflict``."""
        ...

    def transact(self, decide: Decide, clock: Clock) -> list[Event]:
        """Catch up, decide, append, atomically with respect to other writers."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...
