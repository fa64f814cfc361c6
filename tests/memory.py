"""An in-memory session for pure domain tests: decide, number, fold, with no file I/O."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.commands import Command, Context, Undo, check_undo, decide, undo_reads_after
from sessiontui.core.events import Event, Header, new_header, seal_drafts
from sessiontui.core.replay import Replayer
from sessiontui.core.state import SessionState

from .conftest import COSP, START, counter_ids


class MemorySession:
    """Events kept in a list; commands validated and folded exactly as the service does."""

    def __init__(self, agenda: Path = COSP, header: Header | None = None) -> None:
        self.header = header or new_header(
            load_agenda_file(agenda), created=START, session_id="mem"
        )
        self.events: list[Event] = []
        self.replayer = Replayer(self.header, lambda: iter(self.events))
        self.new_id = counter_ids()
        self.now = START

    @property
    def state(self) -> SessionState:
        """The folded state."""
        return self.replayer.state

    def at(self, hh_mm: str, day: int = 19) -> dt.datetime:
        """19 November 2020 at HH:MM UTC."""
        hours, minutes = (int(part) for part in hh_mm.split(":"))
        return dt.datetime(2020, 11, day, hours, minutes, tzinfo=dt.UTC)

    def run(
        self,
        command: Command,
        when: str | dt.datetime | None = None,
        actor: str = "ana",
        role: str | None = None,
    ) -> list[Event]:
        """Decide and fold one command (``when`` as "HH:MM", a datetime, or the last time)."""
        moment = self.at(when) if isinstance(when, str) else when or self.now
        self.now = max(self.now, moment)
        ctx = Context(actor=actor, at=moment, role=role, corrected=False, new_id=self.new_id)
        drafts = decide(self.state, command, ctx)
        if isinstance(command, Undo):
            after = undo_reads_after(self.state, actor)
            check_undo(self.state, drafts, [e for e in self.events if e.seq > after])
        prev = self.events[-1].sum if self.events else ""
        new, _ = seal_drafts(drafts, prev=prev, seq=len(self.events), recorded=self.now)
        self.events.extend(new)
        self.replayer.feed(new)
        return new

    def minutes(self, item: str) -> float:
        """Minutes used by an item (closed intervals only)."""
        return self.state.used_seconds(item) / 60
