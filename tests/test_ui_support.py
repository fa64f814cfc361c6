"""Helpers shared by the tracker's tests: a session on a temporary log with a fake clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sessiontui.core.agenda import AgendaFile
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.clock import FakeClock
from sessiontui.core.events import new_header
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
from sessiontui.ui.app import SessionApp

ROOT = Path(__file__).resolve().parent.parent
AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"
START = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)
SIZE = (120, 40)


def agenda_file(tmp_path: Path, *, extra_meeting: str = "", programme: bool = True) -> Path:
    """The model agenda in UTC (so times on screen do not depend on the machine), with a plan."""
    text = AGENDA.read_text(encoding="utf-8").replace('timezone = "Europe/Vienna"\n', "", 1)
    meeting = 'timezone = "UTC"\nspeaking_limit = "3m"\n' + extra_meeting
    text = text.replace("[meeting]\n", "[meeting]\n" + meeting, 1)
    text = text.replace(
        'title = "Status of the preparations for the special session"',
        'title = "Status of the preparations for the special session"\n  minutes = 30',
        1,
    )
    text = text.replace(
        'title = "General discussion"', 'title = "General discussion"\n  minutes = 60', 1
    )
    if programme:
        text += '\n[[sittings]]\ndate = 2020-11-19\nstart = "10:00"\nend = "13:00"\nlabel = "1st meeting"\n'
    path = tmp_path / "agenda.toml"
    path.write_text(text, encoding="utf-8")
    return path


def make_service(
    tmp_path: Path,
    *,
    spec: AgendaFile | None = None,
    clock: FakeClock | None = None,
    actor: str = "ana",
    role: str | None = None,
) -> tuple[SessionService, FakeClock]:
    """A new session log in ``tmp_path`` and a service on it."""
    clock = clock or FakeClock(START)
    if spec is None:
        spec = load_agenda_file(agenda_file(tmp_path))
    store = FileStore.create(tmp_path / "s.jsonl", new_header(spec, created=clock.now()))
    return SessionService(store, actor=actor, role=role, clock=clock), clock


def second_writer(service: SessionService, actor: str = "bo") -> SessionService:
    """Another process's view of the same log (another terminal, the CLI)."""
    store = FileStore(service.store.path)  # type: ignore[attr-defined]
    return SessionService(store, actor=actor, clock=service.clock)


def make_app(service: SessionService, clock: FakeClock, **options: Any) -> SessionApp:
    """The tracker on ``service`` with the same fake clock."""
    return SessionApp(service, clock=clock, **options)


def log_records(service: SessionService) -> list[dict[str, Any]]:
    """The log file's events as JSON objects (the header line left out)."""
    path: Path = service.store.path  # type: ignore[attr-defined]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def log_types(service: SessionService) -> list[str]:
    """The types of the events in the log file, in order."""
    return [str(record["type"]) for record in log_records(service)]
