"""One session in use: a store, the state folded from it, and commands run through both.

The CLI and the TUI both record through ``SessionService.run``: the store locks and catches up,
the domain validates the command against the now-current state, the store appends the result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from collections.abc import Sequence

from sessiontui.core.clock import Clock, SystemClock
from sessiontui.core.events import Draft, Event
from sessiontui.core.session import (
    Command,
    Conflict,
    Context,
    Replayer,
    SessionState,
    decide,
    refusal_draft,
)
from sessiontui.store.base import EventStore

FUTURE_TOLERANCE = dt.timedelta(minutes=1)


def default_actor() -> str:
    """The login name, the default author of recorded events."""
    try:
        return os.environ.get("SESSIONTUI_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class SessionService:
    """A session log opened for use by one person (actor) in one role."""

    def __init__(
        self,
        store: EventStore,
        *,
        actor: str | None = None,
        role: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.actor = actor or default_actor()
        self.role = role
        self.clock: Clock = clock or SystemClock()
        self.replayer = Replayer(store.header, store.read)
        self.replayer.rebuild()

    @property
    def state(self) -> SessionState:
        """The state as of the last event read or written."""
        return self.replayer.state

    def refresh(self) -> list[Event]:
        """Fold what other writers appended since the last look; returns those events."""
        news = self.store.catch_up()
        if news:
            self.replayer.feed(news)
        return news

    def run(self, command: Command, *, at: dt.datetime | None = None) -> list[Event]:
        """Record a command: validated against the current state under the store's lock.

        Raises:
            Refused: the command does not fit the state; nothing was written.
            StoreError: the log could not be written (``SaveError`` keeps the unsaved events).
        """
        now = self.clock.now()
        if at is not None and at > now + FUTURE_TOLERANCE:
            from sessiontui.core.session import Refused

            raise Refused(f"{at:%Y-%m-%d %H:%M} is in the future; --at is for times already past")
        ctx = Context(actor=self.actor, at=at or now, role=self.role, corrected=at is not None)

        def decide_now(news: object) -> list:  # type: ignore[type-arg]
            if news:
                self.replayer.feed(news)  # type: ignore[arg-type]
            return decide(self.state, command, ctx)

        try:
            written = self.store.transact(decide_now, self.clock)
        except Conflict as exc:
            self._record_conflict(command, str(exc))
            raise
        self.replayer.feed(written)
        return written

    def _record_conflict(self, command: Command, reason: str) -> None:
        """Best effort: a ``command.refused`` event, so the journal shows who tried what.

        Any failure here (read-only or damaged log, full disk) is swallowed: the refusal the
        person is told about matters more than its trace. A viewer records nothing at all.
        """
        if self.role == "viewer":
            return

        def record(news: Sequence[Event]) -> list[Draft]:
            if news:
                self.replayer.feed(news)
            at = self.clock.now()
            return [
                refusal_draft(self.state, command, reason, actor=self.actor, role=self.role, at=at)
            ]

        with contextlib.suppress(Exception):
            self.replayer.feed(self.store.transact(record, self.clock))

    def close(self) -> None:
        """Release the store."""
        self.store.close()
