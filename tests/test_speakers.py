"""The list of speakers through the CLI: a speaker for a group is kept as both, and named so."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from unittest.mock import ANY

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.commands import (
    AddSpeaker,
    CloseItem,
    Command,
    MoveSpeaker,
    NextItem,
    OpenItem,
    Refused,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    SuspendItem,
)
from sessiontui.core.events import SpeakerStopData
from sessiontui.core.state import speaker_who
from sessiontui.service import SessionService, whole_journal
from tests.test_ui_support import AGENDA

G77 = "the representative of Brazil (on behalf of the Group of 77 and China)"


def _run(log: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--log", str(log)] if args[0] != "init" else list(args))


def test_speaker_who() -> None:
    assert speaker_who("Brazil") == "Brazil"
    assert speaker_who("Brazil", "Group of 77 and China") == G77.removeprefix(
        "the representative of "
    )
    assert speaker_who("Egypt", "the African Group") == "Egypt (on behalf of the African Group)"
    assert speaker_who("European Union", "European Union") == "European Union"


def test_on_behalf_of_and_person_from_the_cli_to_every_export(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    for args in (
        ("open", "2b", "--at", "2020-11-19T10:00Z"),
        (
            "speaker",
            "2b",
            "Brazil",
            "--on-behalf-of",
            "Group of 77 and China",
            "--person",
            "Ms. Silva",
            "--start",
            "--at",
            "2020-11-19T10:01Z",
        ),
        ("speaker", "2b", "Brazil", "--stop", "--at", "2020-11-19T10:04Z"),
    ):
        done = _run(log, *args)
        assert done.exit_code == 0, done.output
    report = json.loads(_run(log, "report", "--json").stdout)
    (entry,) = next(item for item in report["items"] if item["label"] == "2(b)")["speakers"]
    assert (entry["name"], entry["on_behalf_of"], entry["person"]) == (
        "Brazil",
        "Group of 77 and China",
        "Ms. Silva",
    )
    assert "Brazil (on behalf of the Group of 77 and China)" in _run(log, "report").stdout
    for fmt in ("md", "html", "csv"):
        page = _run(log, "export", "--format", fmt, "-o", "-").stdout
        assert G77[1:] in page.replace("\n", " "), fmt  # "The representative" opens a sentence
    journal = _run(log, "journal").stdout
    assert "on behalf of Group of 77 and China" in journal and "Ms. Silva" in journal


def test_the_cli_echo_names_the_speaker_as_the_journal_does(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    echoed = []
    for args in (
        ("open", "2a", "--at", "2020-11-19T10:00Z"),
        ("speaker", "2a", "Brazil", "--start", "--at", "2020-11-19T10:01Z"),
        ("speaker", "2a", "Brazil", "--stop", "--at", "2020-11-19T10:04Z"),
        ("speaker", "2a", "Kenya", "--at", "2020-11-19T10:05Z"),
        ("speaker", "2a", "Kenya", "--start", "--at", "2020-11-19T10:06Z"),
        ("speaker", "2a", "Egypt", "--at", "2020-11-19T10:07Z"),
        ("speaker", "2a", "Egypt", "--remove", "--at", "2020-11-19T10:08Z"),
    ):
        done = _run(log, *args)
        assert done.exit_code == 0, done.output
        echoed += [line.split(" ", 2)[2] for line in done.stderr.splitlines()]
    assert echoed[2:] == [  # after the sitting opened and 2(a) taken up
        "added speaker Brazil to 2(a)",  # --start on someone not on the list adds them first
        "gave the floor to Brazil on 2(a)",
        "ended the speech of Brazil on 2(a)",
        "added speaker Kenya to 2(a)",
        "gave the floor to Kenya on 2(a)",
        "added speaker Egypt to 2(a)",
        "removed Egypt from the speakers on 2(a)",
    ]
    journal = _run(log, "journal").stdout
    for phrase in echoed[2:]:
        if not phrase.startswith("added"):  # the journal says more of an addition
            assert phrase in journal, phrase


def test_bad_speaker_input_is_one_line(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    done = _run(log, "speaker", "2b", "Brazil", "--limit", "soon")
    assert done.exit_code != 0 and done.stderr.count("\n") == 1 and "--limit" in done.stderr


@pytest.mark.parametrize(
    ("ending", "then"),
    [
        (CloseItem("2b"), "item.close"),
        (CloseItem("2"), "item.close"),
        (SuspendItem("2b"), "item.suspend"),
        (OpenItem("2c"), "item.open"),
        (NextItem(), "item.close"),
        (SittingCommand("close"), "sitting.close"),
    ],
)
def test_a_speech_ended_implicitly_is_recorded(
    make_service: Callable[..., SessionService], ending: Command, then: str
) -> None:
    service = make_service()
    service.run(OpenItem("2b"))
    service.run(AddSpeaker("2b", "Brazil", start=True))
    written = service.run(ending)
    types = [event.type for event in written]
    assert types[0] == "speaker.stop" and then in types, types
    assert written[0].data == SpeakerStopData(speaker=ANY, implicit=True)
    assert service.state.speaking is None
    assert [sp.status for sp in service.state.items["2b"].speakers] == ["done"]
    lines = whole_journal(service.store).lines
    assert any("ended the speech of Brazil on 2(b)" in line for line in lines)


def test_a_secretariat_may_close_while_someone_speaks(
    make_service: Callable[..., SessionService],
) -> None:
    chair = make_service(role="secretariat")
    make_service().run(OpenItem("2b"))
    make_service().run(AddSpeaker("2b", "Brazil", start=True))
    chair.refresh()
    assert [e.type for e in chair.run(CloseItem("2b"))] == ["speaker.stop", "item.close"]


def test_opening_the_item_spoken_on_ends_nothing(
    make_service: Callable[..., SessionService],
) -> None:
    service = make_service()
    service.run(OpenItem("2b"))
    service.run(AddSpeaker("2b", "Brazil", start=True))
    service.run(SittingCommand("suspend"))  # a break pauses the speech, it does not end it
    service.run(SittingCommand("resume"))
    assert service.state.speaking is not None


def test_a_point_of_order_in_the_journal_and_closing_during_it(
    make_service: Callable[..., SessionService],
) -> None:
    service = make_service()
    service.run(OpenItem("2b"))
    service.run(AddSpeaker("2b", "Brazil", start=True))
    service.run(AddSpeaker("2b", "Pakistan", "point_of_order"))
    service.run(StartSpeaker("2b", "Pakistan"))
    service.run(StopSpeaker("2b"))
    service.run(AddSpeaker("2b", "Peru", "point_of_order"))
    service.run(StartSpeaker("2b", "Peru"))
    written = service.run(CloseItem("2b"))  # during the second point of order
    assert [e.type for e in written] == ["speaker.stop", "speaker.stop", "item.close"]
    assert {sp.name: sp.status for sp in service.state.items["2b"].speakers} == {
        "Brazil": "done",
        "Pakistan": "done",
        "Peru": "done",
    }
    lines = "\n".join(whole_journal(service.store).lines)
    assert "on a point of order, interrupting Brazil" in lines
    assert "gave the floor back to Brazil on 2(b) (the speech resumes)" in lines


def test_moving_a_speaker_past_the_end_is_refused(
    make_service: Callable[..., SessionService],
) -> None:
    service = make_service()
    service.run(AddSpeaker("2b", "Brazil"))
    service.run(AddSpeaker("2b", "Kenya"))
    service.run(MoveSpeaker("2b", "Kenya", -1))
    assert [sp.name for sp in service.state.items["2b"].speakers] == ["Kenya", "Brazil"]
    with pytest.raises(Refused, match="already first"):
        service.run(MoveSpeaker("2b", "Kenya", -1))


def _speeches(log: Path) -> list[tuple[str, str, bool]]:
    """The speech events of a log as recorded: type, the speaker's name, ``implicit``."""
    names: dict[str, str] = {}
    found = []
    for line in log.read_text(encoding="utf-8").splitlines()[1:]:
        event = json.loads(line)
        data = event.get("data", {})
        if event["type"] == "speaker.add":
            names[data["speaker"]] = data["name"]
        elif event["type"] in ("speaker.start", "speaker.stop"):
            found.append((event["type"], names[data["speaker"]], bool(data.get("implicit"))))
    return found


@pytest.mark.parametrize("kind", ["statement", "point_of_order"])
def test_start_for_a_new_speaker_records_what_giving_the_floor_records(
    tmp_path: Path, kind: str
) -> None:
    # The CLI adds and starts at once; the tracker adds, then gives the floor (g): the log,
    # the official record, is the same either way: the speech under way ends on record (or a
    # point of order interrupts it), never only in the fold.
    logs = {how: tmp_path / f"{how}.jsonl" for how in ("at-once", "queued-first")}
    for how, log in logs.items():
        assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
        steps = [
            ("open", "2a", "--at", "2020-11-19T10:00Z"),
            ("speaker", "2a", "Brazil", "--start", "--at", "2020-11-19T10:01Z"),
        ]
        if how == "queued-first":
            steps.append(("speaker", "2a", "Kenya", "--kind", kind, "--at", "2020-11-19T10:03Z"))
        steps.append(
            ("speaker", "2a", "Kenya", "--kind", kind, "--start", "--at", "2020-11-19T10:03Z")
        )
        for args in steps:
            done = _run(log, *args)
            assert done.exit_code == 0, done.output
    expected = [("speaker.start", "Brazil", False)]
    if kind == "statement":
        expected += [("speaker.stop", "Brazil", False), ("speaker.start", "Kenya", False)]
    else:
        expected += [("speaker.start", "Kenya", False)]  # interrupting Brazil
    assert _speeches(logs["at-once"]) == _speeches(logs["queued-first"]) == expected
    journal = _run(logs["at-once"], "journal").stdout
    if kind == "statement":
        assert "ended the speech of Brazil on 2(a) (spoke 2:00)" in journal
    else:
        assert "interrupting Brazil" in journal
