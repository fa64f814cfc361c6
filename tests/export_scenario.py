"""A worked meeting recorded with fixed times and ids: the input of the export golden tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from sessiontui.core.agenda import AgendaFile, ItemSpec
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddNote,
    AddParticipants,
    AddSpeaker,
    CloseItem,
    Command,
    Context,
    DeferItem,
    DeleteNote,
    EditNote,
    OpenItem,
    ResumeItem,
    RollCall,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    decide,
)
from sessiontui.core.events import Draft, Event, Header, event_class, new_header, payload_type
from sessiontui.core.register import shipped
from sessiontui.core.replay import Replayer
from sessiontui.core.state import SessionState
from sessiontui.store.file import FileStore

ROOT = Path(__file__).resolve().parent.parent
COSP = ROOT / "agendas" / "cosp-intersessional-2020.toml"
CREATED = dt.datetime(2020, 11, 18, 17, 0, tzinfo=dt.UTC)
# Planned minutes per item id: the agenda file has none, and the report compares plan and use.
PLANS = {"1": 15, "2a": 30, "2b": 60, "2c": 45, "2d": 45, "2e": 45, "3": 15}


@dataclass
class Recorded:
    """A finished scenario log and what the exporters need from it."""

    path: Path
    header: Header
    events: list[Event]
    state: SessionState


class Runner:
    """Records commands the way ``SessionService`` does, with a fake clock and counted ids."""

    def __init__(self, path: Path, clock: FakeClock) -> None:
        self.store = FileStore(path)
        self.clock = clock
        self.replayer = Replayer(self.store.header, self.store.read)
        self.replayer.rebuild()
        self._ids = itertools.count(1)

    def new_id(self) -> str:
        """A deterministic event/note/speaker id."""
        return f"id{next(self._ids):04d}"

    @property
    def state(self) -> SessionState:
        """The state so far."""
        return self.replayer.state

    def at(self, moment: dt.datetime) -> Runner:
        """Set the clock (UTC) before the next command."""
        self.clock.set(moment)
        return self

    def run(self, actor: str, command: Command) -> list[Event]:
        """Record one command, as ``actor``, now."""
        ctx = Context(actor=actor, at=self.clock.now(), new_id=self.new_id)

        def decide_now(news: Sequence[Event]) -> list[Draft]:
            if news:
                self.replayer.feed(news)
            return decide(self.state, command, ctx)

        written = self.store.transact(decide_now, self.clock)
        self.replayer.feed(written)
        return written

    def raw(self, actor: str, type_: str, item: str | None, **data: object) -> None:
        """Append an event that bypasses input cleaning (as an old or hand-made log might hold)."""
        payload = msgspec.convert(data, payload_type(event_class(type_)))
        draft = Draft(
            id=self.new_id(), at=self.clock.now(), actor=actor, type=type_, item=item, data=payload
        )
        written = self.store.append([draft], self.store.last_seq, self.clock)
        self.replayer.feed(written)

    def finish(self, path: Path) -> Recorded:
        """Close the store; the events as read back from the file."""
        events = list(self.store.read())
        header = self.store.header
        self.store.close()
        return Recorded(path, header, events, self.state)


def cosp_agenda() -> AgendaFile:
    """The model agenda with a venue, a timezone and planned minutes added."""
    spec = load_agenda_file(COSP)
    meeting = msgspec.structs.replace(
        spec.meeting, venue="Vienna", timezone="Europe/Vienna", body=None, symbol=None, quorum=5
    )
    ids = iter(["1", "2", "2a", "2b", "2c", "2d", "2e", "3"])

    def planned(items: list[ItemSpec]) -> list[ItemSpec]:
        out = []
        for item in items:
            minutes = PLANS.get(next(ids))
            children = planned(item.items)
            out.append(msgspec.structs.replace(item, minutes=minutes, items=children))
        return out

    return msgspec.structs.replace(spec, meeting=meeting, items=planned(spec.items))


def create(path: Path, agenda: AgendaFile) -> Runner:
    """A new log for ``agenda`` with a fixed session id, and a runner on it."""
    FileStore.create(path, new_header(agenda, created=CREATED, session_id="fixed")).close()
    return Runner(path, FakeClock(CREATED))


def utc(day: int, hour: int, minute: int) -> dt.datetime:
    """An instant in November 2020, UTC (Vienna is UTC+1 then)."""
    return dt.datetime(2020, 11, day, hour, minute, tzinfo=dt.UTC)


def cosp_scenario(path: Path) -> Recorded:
    """Two sittings on two days, suspensions, the break between them, a reopening, speakers with
    a point of order and rights of reply, notes, an edited and a deleted note, decisions and an
    action point; item 2(c) left unfinished, 2(d) deferred, 2(e) never taken up."""
    r = create(path, cosp_agenda())
    sec, rap = "secretariat", "rapporteur"
    # The participants register: States from the shipped UN list (with their groups), and the
    # European Union, an observer here; a roll call at each sitting.
    un = {p.name: p for p in shipped()}
    states = ["Peru", "Austria", "Egypt", "United States of America", "Pakistan", "China"]
    states += ["Brazil", "Nigeria"]
    r.at(utc(19, 8, 30)).run(sec, AddParticipants(tuple(un[name] for name in states)))
    r.run(sec, AddParticipants((un["European Union"],)))
    r.at(utc(19, 9, 0)).run(sec, SittingCommand("open"))
    present = tuple(n for n in [*states, "European Union"] if n != "Nigeria")
    r.at(utc(19, 9, 1)).run(sec, RollCall(present, ("Nigeria",)))
    r.at(utc(19, 9, 2)).run(sec, OpenItem("1"))
    r.at(utc(19, 9, 8)).run(
        rap, AddNote("1", "The meeting adopted its provisional agenda.", "decision")
    )
    r.at(utc(19, 9, 10)).run(sec, CloseItem("1"))
    r.at(utc(19, 9, 10)).run(sec, OpenItem("2a"))
    r.at(utc(19, 9, 11)).run(rap, AddSpeaker("2a", "Ms. Ruiz", delegation="Peru", start=True))
    r.at(utc(19, 9, 19)).run(rap, AddSpeaker("2a", "Mr. Maier", delegation="Austria", start=True))
    r.at(utc(19, 9, 24)).run(rap, StopSpeaker("2a"))
    r.at(utc(19, 9, 25)).run(
        rap,
        AddNote(
            "2a",
            "The co-facilitators reported on the informal consultations on the draft political"
            " declaration.\n\nFive rounds had been held; a revised draft would follow.",
        ),
    )
    r.at(utc(19, 9, 40)).run(sec, CloseItem("2a"))
    r.at(utc(19, 9, 40)).run(sec, OpenItem("2b"))
    # Egypt speaks for a group; the European Union is an observer (the register says so).
    r.run(rap, AddSpeaker("2b", "Egypt", on_behalf_of="Group of 77 and China", person="Mr. Salem"))
    for name in ("European Union", "United States of America"):
        r.run(rap, AddSpeaker("2b", name))
    r.at(utc(19, 9, 41)).run(rap, StartSpeaker("2b", "Egypt"))
    r.at(utc(19, 9, 46)).run(rap, StartSpeaker("2b", "European Union"))
    # A point of order interrupts the European Union, which has the floor again once it is heard.
    r.at(utc(19, 9, 52)).run(rap, AddSpeaker("2b", "Pakistan", "point_of_order", start=True))
    r.at(utc(19, 9, 53)).run(rap, StopSpeaker("2b"))
    r.at(utc(19, 9, 54)).run(rap, StartSpeaker("2b", "United States of America"))
    r.at(utc(19, 10, 0)).run(rap, StopSpeaker("2b"))
    r.at(utc(19, 10, 15)).run(sec, SittingCommand("suspend"))
    r.at(utc(19, 10, 35)).run(sec, SittingCommand("resume"))
    r.at(utc(19, 10, 36)).run(rap, AddSpeaker("2b", "Mr. Chen", delegation="China", start=True))
    r.at(utc(19, 10, 42)).run(rap, AddSpeaker("2b", "Brazil", "reply", start=True))
    r.at(utc(19, 10, 45)).run(rap, StopSpeaker("2b"))
    r.at(utc(19, 10, 50)).run(rap, AddNote("2b", "Speakers stresed asset recovery."))
    note = next(n for n in r.state.notes.values() if n.item == "2b")
    r.at(utc(19, 10, 52)).run(
        rap, EditNote(note.id, "Speakers stressed international cooperation and asset recovery.")
    )
    r.at(utc(19, 10, 53)).run(rap, AddNote("2b", "draft - ignore"))
    draft = [n for n in r.state.notes.values() if n.item == "2b"][-1]
    r.at(utc(19, 10, 54)).run(rap, DeleteNote(draft.id))
    r.at(utc(19, 11, 0)).run(sec, SittingCommand("close"))
    # The break between the sittings: nothing runs until the next morning.
    r.at(utc(20, 9, 0)).run(sec, SittingCommand("open"))
    r.run(sec, RollCall(("Brazil", "China", "Nigeria", "Austria")))
    r.at(utc(20, 9, 1)).run(sec, ResumeItem("2b"))
    r.at(utc(20, 9, 20)).run(sec, CloseItem("2b"))
    r.at(utc(20, 9, 20)).run(sec, OpenItem("2c"))
    r.at(utc(20, 9, 22)).run(rap, AddSpeaker("2c", "Ms. Okafor", delegation="Nigeria", start=True))
    r.at(utc(20, 9, 30)).run(rap, StopSpeaker("2c"))
    r.at(utc(20, 9, 40)).run(sec, SittingCommand("suspend"))
    r.at(utc(20, 9, 50)).run(sec, SittingCommand("resume"))
    r.at(utc(20, 10, 0)).run(sec, OpenItem("2a"))
    r.at(utc(20, 10, 4)).run(
        rap,
        AddNote(
            "2a",
            "The meeting took note of the progress report of the co-facilitators.",
            "decision",
        ),
    )
    r.at(utc(20, 10, 6)).run(
        rap,
        AddNote("2a", "Secretariat to circulate the revised draft by 1 December.", "action"),
    )
    r.at(utc(20, 10, 10)).run(sec, CloseItem("2a"))
    r.at(utc(20, 10, 10)).run(sec, DeferItem("2d"))
    r.at(utc(20, 10, 11)).run(sec, OpenItem("3"))
    r.at(utc(20, 10, 15)).run(rap, AddNote("3", "The Chair declared the meeting closed."))
    r.at(utc(20, 10, 20)).run(sec, CloseItem("3"))
    r.at(utc(20, 10, 21)).run(sec, SittingCommand("close"))
    return r.finish(path)


def non_latin_scenario(path: Path, agenda_path: Path) -> Recorded:
    """A short sitting on a non-Latin agenda: items in agenda order, names in that script."""
    r = create(path, load_agenda_file(agenda_path))
    order = [node.id for node in r.state.agenda]
    first, second = order[0], order[1]
    start = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
    r.at(start).run("секретариат", SittingCommand("open"))
    r.run("секретариат", OpenItem(first))
    r.at(start + dt.timedelta(minutes=3)).run(
        "докладчик", AddSpeaker(first, "г-жа Иванова", delegation="Казахстан", start=True)
    )
    r.at(start + dt.timedelta(minutes=6)).run(
        "докладчик", AddSpeaker(first, "王先生", delegation="中国", start=True)
    )
    r.at(start + dt.timedelta(minutes=8)).run(
        "докладчик", AddSpeaker(first, "مصر", "reply", start=True)
    )
    r.at(start + dt.timedelta(minutes=9)).run("докладчик", StopSpeaker(first))
    r.run("докладчик", AddNote(first, "Сессия открыта. Председатель приветствовал участников."))
    r.run("докладчик", AddNote(first, "Повестка дня утверждена.", "decision"))
    r.at(start + dt.timedelta(minutes=10)).run("секретариат", CloseItem(first))
    r.run("секретариат", OpenItem(second))
    r.at(start + dt.timedelta(minutes=25)).run("секретариат", SittingCommand("close"))
    return r.finish(path)


def hostile_scenario(path: Path) -> Recorded:
    """A log carrying hostile text that skipped input cleaning: every exporter must defuse it."""
    spec = load_agenda_file(COSP)
    meeting = msgspec.structs.replace(
        spec.meeting,
        title="<script>alert('t')</script> ../../etc/passwd \x1b]0;pwned\x07Title",
        venue='=HYPERLINK("http://evil.example","x")',
    )
    r = create(path, msgspec.structs.replace(spec, meeting=meeting))
    r.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    r.run("sec", OpenItem("1"))
    r.at(utc(19, 9, 1)).raw(
        "sec\x1b[2J",
        "note.add",
        "1",
        note="evil1",
        kind="note",
        text="<script>alert(1)</script> [x](javascript:alert(1)) \x1b]52;c;ZXZpbA==\x07"
        "\x1b[31mred\u202e",
    )
    r.raw("sec", "note.add", "1", note="evil2", kind="decision", text='=HYPERLINK("http://e")')
    r.raw("sec", "note.add", "1", note="evil3", kind="action", text="@SUM(A1)\n# not a heading")
    r.raw(
        "sec",
        "speaker.add",
        "1",
        speaker="sp1",
        name="+cmd|' /C calc'!A0",
        kind="statement",
        delegation="<img src=x onerror=alert(1)>",
    )
    r.raw("sec", "speaker.start", "1", speaker="sp1")
    r.at(utc(19, 9, 5)).run("sec", CloseItem("1"))
    r.run("sec", SittingCommand("close"))
    return r.finish(path)
