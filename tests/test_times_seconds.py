"""Refusals and warnings write seconds where two times they name (or refer to) share a
minute: "at 15:09: 2(c) has not been taken up" of a take-up at 15:09:05 reads as a
contradiction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import CloseItem, OpenItem, Refused, SittingCommand
from sessiontui.core.phrases import meeting_time_beside
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log


def test_two_times_of_one_minute_are_written_with_seconds(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="c", clock=FakeClock(START))
    state = service.state
    moment = START + dt.timedelta(minutes=9, seconds=5)
    assert meeting_time_beside(moment, state, START).endswith(":09")
    assert meeting_time_beside(moment, state, START + dt.timedelta(minutes=9)).endswith(":09:05")
    assert (
        meeting_time_beside(moment, state, START, START + dt.timedelta(minutes=9, seconds=59))[-6:]
        == ":09:05"
    )


def test_a_correction_in_the_minute_of_a_take_up_says_the_seconds(tmp_path: Path) -> None:
    """2(c) taken up at 10:09:05; `@ 10:09` then close: refused at 10:09:00, not "at 10:09"
    beside a take-up shown "at 10:09"."""
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START + dt.timedelta(minutes=9, seconds=5))
    service = SessionService(FileStore(log), actor="c", clock=clock)
    service.run(OpenItem("2c"))
    clock.advance(minutes=2)
    with pytest.raises(Refused, match=r"^at \d\d:09:00: 2\(c\) has not been taken up$"):
        service.run(CloseItem("2c"), at=START + dt.timedelta(minutes=9))


def test_on_the_floor_only_until_says_the_seconds(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START + dt.timedelta(minutes=18, seconds=5))
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(SittingCommand("open"), at=START)
    service.run(OpenItem("2a"))
    clock.advance(minutes=5)
    service.run(OpenItem("2b"), at=START + dt.timedelta(minutes=18))
    (notice,) = service.notices
    assert notice.startswith("2(b) was on the floor only until ")
    assert ":18:05, when ana took up 2(a)" in notice
