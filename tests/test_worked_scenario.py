"""The worked scenario of docs/rules.md, run command by command through the real CLI, asserted to the second."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import ROOT


def scenario_commands() -> list[list[str]]:
    """The commands of the docs/rules.md block fenced as ``sh scenario``."""
    readme = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    match = re.search(r"```sh scenario\n(.*?)```", readme, re.S)
    assert match, "docs/rules.md lost its worked scenario"
    return [shlex.split(line) for line in match.group(1).splitlines() if line.strip()]


def run_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], Path]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SESSIONTUI_ACTOR", "secretariat-officer")
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    output = ""
    for words in scenario_commands():
        if words[0] == "export":
            name, _, _value = words[1].partition("=")
            monkeypatch.setenv(name, str(log))
            continue
        assert words[0] == "sessiontui"
        args = [str(log) if word == "s.jsonl" else word for word in words[1:]]
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, f"{shlex.join(words)}: {result.output}"
        output = result.stdout
    return json.loads(output), log


def test_worked_scenario_report_to_the_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, log = run_scenario(tmp_path, monkeypatch)
    items = {item["label"]: item for item in report["items"]}
    used = {label: item["used_seconds"] for label, item in items.items()}
    assert used == {
        "1": 1020.0,
        "2": 12180.0,
        "2(a)": 1500.0,
        "2(b)": 2400.0,
        "2(c)": 6000.0,
        "2(d)": 0.0,
        "2(e)": 1800.0,
        "3": 600.0,
    }
    status = {label: item["status"] for label, item in items.items()}
    assert status == dict.fromkeys(used, "closed") | {"2(d)": "deferred"}
    assert items["1"]["reopened"] == 1
    assert report["sitting_seconds"] == 13800.0
    assert [s["running_seconds"] for s in report["sittings"]] == [9000.0, 4800.0]
    assert [s["implicit"] for s in report["sittings"]] == [False, True]
    assert report["sittings"][0]["suspensions"] == [
        ["2020-11-19T11:00:00Z", "2020-11-19T11:30:00Z"]
    ]
    speakers = {
        (s["name"], s["kind"]): s["seconds"] for i in report["items"] for s in i["speakers"]
    }
    assert speakers == {
        ("Co-facilitator", "statement"): 1440.0,
        ("Brazil", "statement"): 240.0,
        ("Kenya", "reply"): 180.0,
    }
    assert (items["2(a)"]["notes"], items["2(c)"]["decisions"], items["2(e)"]["notes"]) == (1, 1, 0)
    assert items["2(c)"]["sittings"] == [1, 2]
    assert (
        sum(i["used_seconds"] for i in report["items"] if i["depth"] == 0)
        == report["sitting_seconds"]
    )
    assert CliRunner().invoke(cli, ["verify", str(log)]).exit_code == 0


def test_bad_inputs_are_one_line_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["init", "agendas/cosp-intersessional-2020.toml", "--log", str(log)]
        ).exit_code
        == 0
    )
    cases = [
        (["open", "9z", "--log", str(log)], "no agenda item '9z'"),
        (["close", "2a", "--log", str(log)], "refused: 2(a) has not been taken up"),
        (["open", "2a", "--log", str(log), "--at", "yesterday"], "not a time"),
        # Said in the meeting's time, named: the time typed, not UTC.
        (
            ["open", "2a", "--log", str(log), "--at", "2999-01-01 10:00"],
            "2999-01-01 10:00 Europe/Vienna is in the future",
        ),
        (["open", "2a", "--log", str(tmp_path / "missing.jsonl")], "no session log at"),
        (["open", "2a", "--log", str(tmp_path)], "is a folder"),
        (["note", "2a", "", "--log", str(log)], "the note is empty"),
        (["speaker", "2a", "X", "--start", "--log", str(log)], "not on the floor"),
        (["speaker", "2a", "X", "--limit", "soon", "--log", str(log)], "not a duration"),
        (["sitting", "resume", "--log", str(log)], "no sitting is open"),
        (["undo", "--log", str(log)], "nothing to undo"),
        (["report", str(tmp_path / "nope.jsonl")], "no session log at"),
        (["open", "2a", "--log", str(log), "--role", "rapporteur"], "needs the secretariat role"),
    ]
    for args, message in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sessiontui: error: "), result.output
        assert message in lines[0], (args, lines[0])


def test_amend_sync_records_a_changed_agenda_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["init", "agendas/cosp-intersessional-2020.toml", "--log", str(log)]
        ).exit_code
        == 0
    )
    changed = tmp_path / "changed.toml"
    text = (ROOT / "agendas" / "cosp-intersessional-2020.toml").read_text(encoding="utf-8")
    changed.write_text(text.replace('"General discussion"', '"General debate"'), encoding="utf-8")
    dry = runner.invoke(cli, ["amend", "sync", str(changed), "--log", str(log), "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout == "retitle 2b: General debate\n"
    assert "retitle" not in log.read_text(encoding="utf-8")
    assert runner.invoke(cli, ["amend", "sync", str(changed), "--log", str(log)]).exit_code == 0
    report = json.loads(runner.invoke(cli, ["report", str(log), "--json"]).stdout)
    assert [i["title"] for i in report["items"] if i["id"] == "2b"] == ["General debate"]
    again = runner.invoke(cli, ["amend", "sync", str(changed), "--log", str(log)])
    assert again.exit_code == 0 and "already matches" in again.output


def test_amend_sync_brings_back_an_item_taken_off_the_agenda(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item deleted by amendment and still in the file comes back with its history, under
    its own id; the log is named once, not once per amendment."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)
    runner = CliRunner()
    agenda = "agendas/cosp-intersessional-2020.toml"
    assert runner.invoke(cli, ["init", agenda]).exit_code == 0
    assert runner.invoke(cli, ["note", "2a", "Co-facilitators to report"]).exit_code == 0
    assert runner.invoke(cli, ["amend", "delete", "2"]).exit_code == 0
    dry = runner.invoke(cli, ["amend", "sync", agenda, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert [line.split(":")[0] for line in dry.stdout.splitlines()] == [
        "add 2",
        "add 2a",
        "add 2b",
        "add 2c",
        "add 2d",
        "add 2e",
    ]
    synced = runner.invoke(cli, ["amend", "sync", agenda])
    assert synced.exit_code == 0, synced.output
    assert synced.stderr.count("the one last opened here") == 1
    report = json.loads(runner.invoke(cli, ["report", "--json"]).stdout)
    assert [item["label"] for item in report["items"]] == [
        "1",
        "2",
        "2(a)",
        "2(b)",
        "2(c)",
        "2(d)",
        "2(e)",
        "3",
    ]
    (status,) = [item for item in report["items"] if item["id"] == "2a"]
    assert status["notes"] == 1
    again = runner.invoke(cli, ["amend", "sync", agenda])
    assert again.exit_code == 0 and "already matches" in again.output


def test_amend_sync_moves_nothing_for_an_item_added_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    agenda = ROOT / "agendas" / "cosp-intersessional-2020.toml"
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    text = agenda.read_text(encoding="utf-8")
    last = text.rindex("[[items]]")
    changed = tmp_path / "changed.toml"
    changed.write_text(
        text[:last] + '[[items]]\nnumber = "2 bis"\ntitle = "New business"\n\n' + text[last:],
        encoding="utf-8",
    )
    dry = runner.invoke(cli, ["amend", "sync", str(changed), "--log", str(log), "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout == "add 2bis: New business\n", dry.output


def test_the_current_session_pointer_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)
    result = CliRunner().invoke(cli, ["init", "agendas/cosp-intersessional-2020.toml"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "xdg" / "sessiontui"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "current").stat().st_mode) == 0o600
    (log,) = folder.glob("cosp-intersessional-2020-*.jsonl")  # named after the agenda's path
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    # The pointer makes --log optional afterwards.
    assert CliRunner().invoke(cli, ["open", "1"]).exit_code == 0


def test_no_log_anywhere_says_every_way_to_name_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No LOG, no --log, no $SESSIONTUI_LOG, no session initialised: one line naming each way,
    for the readers (LOG) and the recording commands (--log) alike."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)
    for args in (["report"], ["export", "--format", "md"], ["note", "2a", "text"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        (line,) = result.output.strip().splitlines()
        assert "LOG, or --log LOG" in line and "$SESSIONTUI_LOG" in line and "init" in line


def test_amend_sync_refuses_the_agenda_of_another_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another meeting's agenda file (a slip of the path) retitled every item of the session
    one amendment at a time, its times and speakers kept under the other titles, until an
    item it could not delete stopped it half way; it is refused before anything is recorded."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    init = ["init", "agendas/cosp-intersessional-2020.toml", "--log", str(log)]
    assert runner.invoke(cli, init).exit_code == 0
    assert runner.invoke(cli, ["open", "2a", "--log", str(log)]).exit_code == 0
    before = log.read_bytes()
    other = "agendas/example-two-day-meeting.toml"
    for dry in ([], ["--dry-run"]):
        result = runner.invoke(cli, ["amend", "sync", other, "--log", str(log), *dry])
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.startswith(f"sessiontui: error: {other} is the agenda of another")
        assert result.stderr.rstrip().endswith("nothing recorded")
    assert log.read_bytes() == before
