"""The ``EventStore`` interface that the file log and PostgreSQL both implement."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, Self

from sessiontui.core.clock import Clock
from sessiontui.core.events import Draft, Event, Header


class StoreError(Exception):
    """The log cannot be used as asked; the message is one line for a person."""


def no_log_at(path: object) -> StoreError:
    """The one wording of a session log that is not there, whichever command looked for it."""
    return StoreError(f"no session log at {path}")


class ReadOnlyStore(StoreError):
    """The log was opened read-only (damage found, a failed write, or asked for)."""


class SaveError(StoreError):
    """A write failed; nothing of it is in the log. ``drafts`` keeps what was not saved.

    The message is the cause ("the disk is full; nothing was recorded"): whoever shows it
    says "NOT saved" once, in its own words."""

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
    failed_write: str | None
    """The cause of a failed write that made the store read-only for this process."""

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


class StoreBase(ABC):
    """What the file log and PostgreSQL do alike: the read-only state, ``append`` over
    ``transact``, and closing at the end of a ``with``.

    Both stores keep these here so that a refusal reads the same from either.
    """

    _read_only_reason: str | None
    failed_write: str | None = None
    """The cause of the failed write that made the log read-only ("the disk is full"), if one
    did: that lasts until the program is restarted (a failed sync is never retried)."""
    _moved_on = "log"
    """What ``PositionConflict`` says moved on: the log, or (PostgreSQL) the session."""

    @property
    def read_only(self) -> bool:
        """Whether appends are refused (asked for, damage found, or a failed write)."""
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why appends are refused, if they are."""
        return self._read_only_reason

    def refuse_writes(self, reason: str) -> None:
        """Refuse appends from now on, saying ``reason`` (unless refused for another already):
        a log that no longer holds what this account last saw is not written on."""
        if self._read_only_reason is None:
            self._read_only_reason = reason

    @property
    @abstractmethod
    def last_seq(self) -> int:
        """The ``seq`` of the last event read."""

    @abstractmethod
    def transact(self, decide: Decide, clock: Clock) -> list[Event]:
        """Catch up, decide, append: atomically with respect to every other writer."""

    def append(self, drafts: Sequence[Draft], expected_seq: int, clock: Clock) -> list[Event]:
        """Append if nobody else has since ``expected_seq`` (else ``PositionConflict``)."""

        def check(news: Sequence[Event]) -> Sequence[Draft]:
            if self.last_seq != expected_seq:
                raise PositionConflict(
                    f"the {self._moved_on} moved on to seq {self.last_seq} "
                    f"(expected {expected_seq})"
                )
            return drafts

        return self.transact(check, clock)

    @abstractmethod
    def close(self) -> None:
        """Let go of the log (a descriptor, a connection)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
