"""Corrections (``--at``) are decided against the session as it stood at that moment."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import (
    AddNote,
    AddParticipants,
    AddSpeaker,
    Amend,
    CloseItem,
    OpenItem,
    Refused,
    RollCall,
    SittingCommand,
    StopSpeaker,
    SuspendItem,
    Undo,
)
from sessiontui.core.register import Participant
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log, run_cli

VIENNA = ZoneInfo("Europe/Vienna")
"""The shipped agenda's time zone: refusals say their moment in it."""


def at(hh_mm: str) -> dt.datetime:
    """HH:MM on the first day, in the meeting's time zone."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return dt.datetime.combine(START.date(), dt.time(hours, minutes), tzinfo=VIENNA)


@pytest.fixture
def service(tmp_path: Path) -> SessionService:
    clock = FakeClock(at("11:00"))
    return SessionService(FileStore(make_log(tmp_path / "s.jsonl")), actor="ana", clock=clock)


def test_closing_an_item_before_it_was_taken_up_is_refused(service: SessionService) -> None:
    service.run(OpenItem("2a"), at=at("10:00"))
    size = service.store.size  # type: ignore[attr-defined]
    with pytest.raises(Refused, match=r"^at 09:59: 2\(a\)"):
        service.run(CloseItem("2a"), at=at("09:59"))
    assert service.store.size == size  # type: ignore[attr-defined]  # nothing written
    assert service.state.items["2a"].status == "open"


def test_a_correction_that_fits_its_moment_is_taken_even_if_now_differs(
    service: SessionService,
) -> None:
    service.run(OpenItem("2a"), at=at("10:00"))
    service.run(OpenItem("2b"), at=at("10:20"))  # 2(a) is suspended now
    # At 10:10 2(a) was still on the floor: it was closed then, by a correction.
    service.run(CloseItem("2a"), at=at("10:10"))
    state = service.state
    assert state.items["2a"].status == "closed"
    assert state.floor == "2b"
    assert round(state.used_seconds("2a")) == 10 * 60


def test_a_note_before_the_item_was_added_is_refused(service: SessionService) -> None:
    service.run(Amend("add", None, title="Any other business", number="4"), at=at("10:30"))
    added = next(n.id for n in service.state.agenda.nodes.values() if n.label == "4")
    with pytest.raises(Refused, match=r"^at 10:00: "):
        service.run(AddNote(added, "too early"), at=at("10:00"))
    service.run(AddNote(added, "in time"), at=at("10:40"))
    assert [n.text for n in service.state.notes_of(added)] == ["in time"]


def test_undone_actions_do_not_count_at_that_moment(service: SessionService) -> None:
    service.run(OpenItem("2a"), at=at("10:00"))
    service.run(OpenItem("2b"), at=at("10:05"))
    service.run(Undo())  # 2(b) was never taken up: 2(a) stayed on the floor
    service.run(OpenItem("2c"), at=at("10:10"))
    with pytest.raises(Refused, match=r"^at 10:07: 2\(b\) has not been taken up"):
        service.run(CloseItem("2b"), at=at("10:07"))
    service.run(SuspendItem("2a"), at=at("10:07"))  # it was on the floor then
    assert service.state.items["2a"].status == "suspended"


def test_the_command_line_says_when(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    runner = CliRunner()
    env = {"SESSIONTUI_LOG": str(log)}
    # Times without a zone are the meeting's (Vienna), and the refusal says them the same way.
    opened = runner.invoke(cli, ["open", "2a", "--at", "2020-11-19 10:00"], env=env)
    assert opened.exit_code == 0, opened.output
    refused = runner.invoke(cli, ["close", "2a", "--at", "2020-11-19 09:30"], env=env)
    assert refused.exit_code != 0
    # A day other than today's is named with the time (11:00 is later than 10:00 on one day).
    assert "at 19 Nov 09:30:" in refused.output and "Traceback" not in refused.output
    assert len(refused.output.strip().splitlines()) == 1


def test_a_take_up_before_the_recorded_opening_is_refused(service: SessionService) -> None:
    # Without the check the take-up opened a sitting at 09:30 implicitly and the fold
    # dropped the opening recorded at 10:00: the official opening moved, silently.
    service.run(SittingCommand("open"), at=at("10:00"))
    size = service.store.size  # type: ignore[attr-defined]
    with pytest.raises(Refused, match=r"^at 09:30: the 1st meeting was opened at 10:00"):
        service.run(OpenItem("2a"), at=at("09:30"))
    assert service.store.size == size  # type: ignore[attr-defined]  # nothing written
    assert service.state.sittings[0].opened == at("10:00")
    service.run(OpenItem("2a"), at=at("10:05"))  # inside the sitting: taken
    assert service.state.floor == "2a"


def test_the_command_line_refuses_a_take_up_before_the_opening(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    runner = CliRunner()
    env = {"SESSIONTUI_LOG": str(log)}
    opened = runner.invoke(cli, ["sitting", "open", "--at", "2020-11-19T10:00Z"], env=env)
    assert opened.exit_code == 0, opened.output
    refused = runner.invoke(cli, ["open", "2a", "--at", "2020-11-19T09:30Z"], env=env)
    assert refused.exit_code != 0
    assert "was opened at" in refused.output and "Traceback" not in refused.output
    assert len(refused.output.strip().splitlines()) == 1


def test_a_take_up_a_later_one_takes_off_the_floor_says_so(tmp_path: Path) -> None:
    """Taking up 2(b) "at 10:05" when 2(a) is recorded as taken up at 10:10 is true to the
    record, but 2(b) is suspended at once, by the later take-up in the meeting's time: the
    command said only "took up 2(b)"; it names the take-up that follows it."""
    log = str(make_log(tmp_path / "s.jsonl"))
    run_cli("sitting", "open", "--at", "2020-11-19 10:00", "--log", log, "--actor", "ana")
    run_cli("open", "2a", "--at", "2020-11-19 10:10", "--log", log, "--actor", "ana")
    said = run_cli("open", "2b", "--at", "2020-11-19 10:05", "--log", log, "--actor", "bo")
    assert said.splitlines()[-1] == (
        "sessiontui: warning: 2(b) was on the floor only until 10:10, when ana took up "
        "2(a) (recorded before this correction)"
    )
    # Item 2 holds 2(a) and 2(b): it stays in consideration, nothing to say.
    said = run_cli("open", "2", "--at", "2020-11-19 10:02", "--log", log)
    assert "warning" not in said


def test_a_take_up_concluded_or_continued_later_is_not_warned(service: SessionService) -> None:
    service.run(OpenItem("2"), at=at("10:00"))
    service.run(OpenItem("2b"), at=at("10:20"))
    service.run(CloseItem("2"), at=at("10:30"))  # closes 2(b) with it
    service.run(OpenItem("3"), at=at("10:40"))
    service.run(OpenItem("2b"), at=at("10:15"))  # on the floor from 10:15 to 10:30
    assert service.notices == []
    service.run(OpenItem("2a"), at=at("10:10"))  # until 2(b) is taken up at 10:15
    assert service.notices == [
        "2(a) was on the floor only until 10:15, when ana took up 2(b) (recorded before this "
        "correction)"
    ]
    service.run(OpenItem("2c"))  # now: nothing recorded after it
    assert service.notices == []


def test_the_earliest_time_offered_is_one_that_is_taken(service: SessionService) -> None:
    # Opened at 10:00:41, "record this at 10:00 or later" was refused again at 10:00.
    service.run(SittingCommand("open"), at=at("10:00") + dt.timedelta(seconds=41))
    with pytest.raises(
        Refused, match=r"at 10:00:00: .* was opened at 10:00:41: record this at 10:01 or later$"
    ):
        service.run(OpenItem("2a"), at=at("10:00"))
    service.run(OpenItem("2a"), at=at("10:01"))
    assert service.state.floor == "2a"


def test_a_speaker_added_with_the_floor_inside_another_speech_is_refused(
    service: SessionService,
) -> None:
    """Giving the floor to a new speaker "at 10:04" inside a speech recorded from 10:02 to
    10:07 was taken, and cut that speech to two minutes without a word."""
    service.run(OpenItem("2a"), at=at("10:00"))
    service.run(AddSpeaker("2a", "Brazil", start=True), at=at("10:02"))
    service.run(StopSpeaker("2a", "Brazil"), at=at("10:07"))
    before = service.state.last_seq
    with pytest.raises(Refused, match=r"^at 10:04: it would end a speech whose end is recorded"):
        service.run(AddSpeaker("2a", "Chile", start=True), at=at("10:04"))
    assert service.state.last_seq == before
    (brazil,) = service.state.items["2a"].speakers
    assert round(brazil.seconds) == 5 * 60


def test_the_command_line_names_an_action_point_in_words(tmp_path: Path) -> None:
    # It said "wrote a action on 2(a)".
    env = {"SESSIONTUI_LOG": str(make_log(tmp_path / "s.jsonl"))}
    done = CliRunner().invoke(
        cli, ["note", "2a", "Circulate the text.", "--kind", "action"], env=env
    )
    assert done.exit_code == 0, done.output
    assert "wrote an action point on 2(a)" in done.stderr


def test_a_correction_never_ends_a_speech_a_second_time(service: SessionService) -> None:
    """A speech recorded as ended at 10:20: taking 2(c) up "at 10:05" would end it at 10:05
    as well (two ends, the speech counted short) -- refused, nothing written."""
    service.run(OpenItem("2"), at=at("10:00"))
    service.run(AddSpeaker("2", "Germany", start=True), at=at("10:01"))
    service.run(StopSpeaker("2", "Germany"), at=at("10:20"))
    before = service.state.last_seq
    with pytest.raises(Refused, match=r"^at 10:05: it would end a speech whose end is recorded"):
        service.run(OpenItem("2c"), at=at("10:05"))
    assert service.state.last_seq == before
    (germany,) = service.state.items["2"].speakers
    assert round(germany.seconds) == 19 * 60
    # After that end, the same correction fits.
    service.run(OpenItem("2c"), at=at("10:25"))
    assert service.state.floor == "2c"


def _item_with_speeches(service: SessionService) -> None:
    """2(a) on the floor from 10:00, Brazil speaking 10:02-10:07, 2(a) closed at 10:40."""
    service.run(OpenItem("2a"), at=at("10:00"))
    service.run(AddSpeaker("2a", "Brazil", start=True), at=at("10:02"))
    service.run(StopSpeaker("2a", "Brazil"), at=at("10:07"))
    service.run(CloseItem("2a"), at=at("10:40"))


@pytest.mark.parametrize(
    ("command", "moment", "first"),
    [
        (CloseItem("2a"), "10:01", "gave the floor to Brazil on 2(a) at 10:02"),
        (SuspendItem("2a"), "10:20", "closed 2(a) at 10:40"),
        (SittingCommand("suspend"), "10:05", "ended the speech of Brazil on 2(a) at 10:07"),
        (SittingCommand("close"), "10:30", "closed 2(a) at 10:40"),
    ],
)
def test_a_correction_that_rewrites_what_followed_it_is_refused(
    service: SessionService, command: object, moment: str, first: str
) -> None:
    """A mistyped --at (10:01 for 16:01) closed 2(a) hours early, cut the speeches on it and
    moved the break, all without a word: refused, naming the first record it would rewrite."""
    _item_with_speeches(service)
    before = service.state.last_seq
    with pytest.raises(Refused, match=rf"^at {moment}: .*: {re.escape(first)}; record this after"):
        service.run(command, at=at(moment))  # type: ignore[arg-type]
    assert service.state.last_seq == before
    assert service.state.items["2a"].status == "closed"


def test_a_correction_that_leaves_what_followed_it_true_is_taken(service: SessionService) -> None:
    # 2(a) was left on the floor by mistake until 2(b) was taken up: closing it at 10:20, before
    # anything recorded on it after that, is the correction the secretariat needs.
    service.run(OpenItem("2a"), at=at("10:00"))
    service.run(AddNote("2a", "Introduced by the secretariat."), at=at("10:05"))
    service.run(OpenItem("2b"), at=at("10:40"))
    service.run(AddNote("2a", "A note after the fact."), at=at("10:45"))
    service.run(CloseItem("2a"), at=at("10:20"))
    assert service.state.items["2a"].status == "closed"
    assert round(service.state.items["2a"].used_seconds) == 20 * 60
    # A break recorded after everything on the floor had ended fits too.
    service.run(SittingCommand("suspend"), at=at("10:50"))


def test_a_sitting_opened_before_one_on_record_that_nothing_closes_is_refused(
    service: SessionService,
) -> None:
    service.run(OpenItem("2a"), at=at("10:00"))  # opens the 1st meeting implicitly
    with pytest.raises(Refused, match=r"^at 09:00: a sitting is recorded as opened at 10:00"):
        service.run(SittingCommand("open"), at=at("09:00"))
    assert len(service.state.sittings) == 1


def test_a_roll_call_taken_back_then_names_whom_the_register_holds_now(
    service: SessionService,
) -> None:
    """Brazil added to the register now, then the morning's roll call recorded "at 10:01":
    it was refused, "'Brazil' is not in the register: add it first", right after adding it."""
    service.run(SittingCommand("open"), at=at("10:00"))
    service.run(AddParticipants((Participant(name="Brazil"),)))
    service.run(RollCall(("Brazil",)), at=at("10:01"))
    assert service.state.attendance[1] == {"brazil": True}
    with pytest.raises(Refused, match=r"'Kenya' is not in the register"):
        service.run(RollCall(("Kenya",)), at=at("10:02"))
