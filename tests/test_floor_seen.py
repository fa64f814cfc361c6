"""Commands on "the item on the floor" or "the current speech" act on what the person saw:
two people pressing "next" at once never skip an item, nor end a speech they never saw."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddSpeaker,
    Conflict,
    NextItem,
    OpenItem,
    StartSpeaker,
    StopSpeaker,
)
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log


def _pair(log: Path, clock: FakeClock) -> tuple[SessionService, SessionService]:
    return (
        SessionService(FileStore(log), actor="ana", clock=clock),
        SessionService(FileStore(log), actor="ben", clock=clock),
    )


def _events(log: Path) -> list[tuple[str, str, str | None]]:
    with FileStore(log, read_only=True) as store:
        return [(e.actor, e.type, e.item) for e in store.read()]


def test_two_nexts_at_once_skip_nothing(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    ana, ben = _pair(log, clock)
    ana.run(OpenItem("2a"))
    ben.refresh()  # both see 2(a) on the floor
    seen = ben.state.floor
    assert seen == "2a"
    clock.advance(5)
    ana.run(NextItem(ana.state.floor))
    with pytest.raises(Conflict, match=r"^2\(a\) was already closed by ana at \d\d:\d\d$"):
        ben.run(NextItem(seen))
    kinds = _events(log)
    assert ("ben", "item.close", "2b") not in kinds
    assert kinds[-1][:2] == ("ben", "command.refused")  # the journal shows the attempt
    assert ben.state.floor == "2b"
    # Having seen 2(b) now, ben moves on from it.
    ben.run(NextItem("2b"))
    assert ben.state.floor == "2c"


def test_next_seeing_nothing_on_the_floor_is_refused_once_an_item_is_taken_up(
    tmp_path: Path,
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    ana, ben = _pair(log, clock)
    ana.run(OpenItem("1"))
    with pytest.raises(Conflict, match=r"^1 was taken up meanwhile by ana at "):
        ben.run(NextItem(None))
    # Unset: whatever is on the floor (a script's own sequence).
    ben.run(NextItem())
    assert ben.state.floor == "2"


def test_ending_a_speech_already_ended_is_refused(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    ana, ben = _pair(log, clock)
    ana.run(OpenItem("2a"))
    ana.run(AddSpeaker("2a", "Kenya", start=True))
    ana.run(AddSpeaker("2a", "Brazil"))
    ben.refresh()
    assert ben.state.speaking is not None
    kenya = ben.state.speaking[1]
    brazil = next(s.id for s in ben.state.items["2a"].speakers if s.name == "Brazil")
    clock.advance(30)
    ana.run(StartSpeaker("2a", brazil, kenya))  # ends Kenya's speech, Brazil speaks
    clock.advance(1)
    with pytest.raises(
        Conflict, match=r"^Kenya has already spoken on 2\(a\): Brazil has the floor now \(since "
    ):
        ben.run(StopSpeaker("2a", seen=kenya))  # would end Brazil's, after 0:01
    with pytest.raises(Conflict, match=r"^Brazil already has the floor on 2\(a\)"):
        ben.run(StartSpeaker("2a", brazil, kenya))
    ana.run(StopSpeaker("2a", seen=brazil))
    with pytest.raises(Conflict, match=r"^Brazil has already spoken on 2\(a\)$"):
        ben.run(StopSpeaker("2a", seen=brazil))
    # Giving the floor ends the speech under way: not one the person never saw.
    ana.run(AddSpeaker("2a", "Chile", start=True))
    ana.run(AddSpeaker("2a", "Peru"))
    ben.refresh()
    chile = ben.state.speaking[1] if ben.state.speaking else None
    peru = next(s.id for s in ben.state.items["2a"].speakers if s.name == "Peru")
    ana.run(AddSpeaker("2a", "Togo", start=True))  # ends Chile's speech
    with pytest.raises(
        Conflict, match=r"^Chile has already spoken on 2\(a\): Togo has the floor now"
    ):
        ben.run(StartSpeaker("2a", peru, chile))
    assert [e for e in _events(log) if e[0] == "ben" and e[1] != "command.refused"] == []


NEXT_FROM = """
import sys, time
from sessiontui.core.commands import NextItem, Refused
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
log, name, go = sys.argv[1], sys.argv[2], float(sys.argv[3])
service = SessionService(FileStore(log), actor=name)
seen = service.state.floor  # what this person saw, read before the other one wrote
while time.time() < go:
    pass
try:
    service.run(NextItem(seen))
    print("moved on")
except Refused as exc:
    print("refused:", exc)
"""


def test_two_processes_press_next_at_once(tmp_path: Path) -> None:
    """Two real processes on one log, each moving on from the 2(a) it saw: one does, the other
    is refused naming who closed 2(a); 2(b) is on the floor, never closed after 0:00."""
    log = make_log(tmp_path / "s.jsonl")
    subprocess.run(
        [sys.executable, "-m", "sessiontui", "open", "2a", "--log", str(log), "--actor", "chair"],
        check=True,
        capture_output=True,
    )
    go = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", NEXT_FROM, str(log), name, str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("ana", "ben")
    ]
    outputs = sorted(proc.communicate(timeout=60)[0].strip() for proc in procs)
    assert outputs[0] == "moved on"
    assert outputs[1].startswith("refused: 2(a) was already closed by ")
    closes = [item for _, kind, item in _events(log) if kind == "item.close"]
    assert closes == ["2a"]
    with FileStore(log, read_only=True) as store:
        assert SessionService(store).state.floor == "2b"


def test_the_command_line_next_from(tmp_path: Path) -> None:
    """`next --from 2a` twice, as two people who saw 2(a): the second is refused, one line."""
    log = make_log(tmp_path / "s.jsonl")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sessiontui", *args, "--log", str(log)],
            capture_output=True,
            text=True,
            check=False,
        )

    assert cli("open", "2a", "--actor", "chair").returncode == 0
    assert cli("next", "--from", "2a", "--actor", "ana").returncode == 0
    second = cli("next", "--from", "2(a)", "--actor", "ben")
    assert second.returncode != 0
    assert (
        second.stderr.strip()
        .splitlines()[-1]
        .startswith("sessiontui: error: refused: 2(a) was already closed by ana at ")
    )
    assert len(second.stderr.strip().splitlines()) == 1
    closes = [item for _, kind, item in _events(log) if kind == "item.close"]
    assert closes == ["2a"]
    # Without --from, the floor as the command read the log: it moves on from 2(b), which
    # ana took up a moment ago, and says so (it may have been pressed at once with hers).
    third = cli("next", "--actor", "ben")
    assert third.returncode == 0
    assert [item for _, kind, item in _events(log) if kind == "item.close"] == ["2a", "2b"]
    assert third.stderr.splitlines()[-1].startswith(
        "sessiontui: warning: 2(b) was taken up by ana at "
    ), third.stderr
    assert "just before this `next` closed it (with --from ITEM" in third.stderr
    mine = cli("next", "--actor", "ben")  # 2(c), which ben took up himself: nothing to say
    assert mine.returncode == 0 and "warning" not in mine.stderr


def test_the_tracker_acts_on_what_its_view_shows(tmp_path: Path) -> None:
    """`>`, `e` and `g` carry the floor and the speech the tracker shows; with a time set by @
    they are decided on the session as it stood then, and carry nothing."""
    from types import SimpleNamespace

    from sessiontui.ui.actions import BY_NAME

    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    service.run(OpenItem("2a"))
    service.run(AddSpeaker("2a", "Kenya", start=True))
    service.run(AddSpeaker("2a", "Brazil"))
    kenya, brazil = (s.id for s in service.state.items["2a"].speakers)
    view = SimpleNamespace(state=service.state, pending_at=None, selected=lambda: "2a")

    def command(name: str) -> object:
        probe = BY_NAME[name].command
        assert probe is not None
        return probe(view)  # type: ignore[arg-type]

    assert command("next_item") == NextItem("2a")
    assert command("stop_speaker") == StopSpeaker("2a", seen=kenya)
    assert command("start_speaker") == StartSpeaker("2a", brazil, kenya)
    view.pending_at = START
    assert command("next_item") == NextItem()
    assert command("stop_speaker") == StopSpeaker("2a")
