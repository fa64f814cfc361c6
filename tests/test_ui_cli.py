"""The ``tui`` command: which log it opens or creates, and one-line errors for bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.commands import tui as tui_command
from sessiontui.ui.app import SessionApp
from tests.test_ui_support import AGENDA

Opened = list[tuple[str, bool, bool]]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Opened:
    """Record the apps the command would run instead of running them."""
    runs: Opened = []

    def fake_run(self: SessionApp) -> None:
        runs.append((self.service.actor, self.read_only, self.identity_pending))

    monkeypatch.setattr(SessionApp, "run", fake_run)
    # Run from the test's runner, with no terminal: the fake run needs none.
    monkeypatch.setattr(tui_command, "_no_terminal", lambda: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)
    return runs


def test_agenda_creates_then_resumes_its_log(opened: Opened, tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    first = runner.invoke(cli, [str(AGENDA), "--log", str(log), "--actor", "ana"])
    assert first.exit_code == 0, first.output
    assert log.exists()
    assert f"created at {log}" in first.stderr
    second = runner.invoke(cli, ["tui", str(AGENDA), "--log", str(log), "--read-only"])
    assert second.exit_code == 0, second.output
    assert f"resuming the session log at {log}" in second.stderr
    third = runner.invoke(cli, [str(log), "--ask-identity"])
    assert third.exit_code == 0, third.output
    assert opened[0][:2] == ("ana", False)
    assert opened[1][1] is True
    assert opened[2][2] is True


def test_default_log_goes_to_the_data_folder(opened: Opened, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [str(AGENDA)])
    assert result.exit_code == 0, result.output
    # Named after the agenda and its path: another folder's agenda.toml gets another log.
    assert len(list((tmp_path / "data" / "sessiontui").glob(f"{AGENDA.stem}-*.jsonl"))) == 1


def test_bad_input_is_one_line(opened: Opened, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, [str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1
    assert missing.stderr.strip().count("\n") == 0 and "no such file" in missing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[meeting]\ntitle = "x"\nbogus = 1\n', encoding="utf-8")
    result = runner.invoke(cli, [str(bad), "--log", str(tmp_path / "b.jsonl")])
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.output
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\x00\xff not a log\n")
    result = runner.invoke(cli, [str(garbage)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # A document given as the log: its error alone, not first "resuming" or "session log".
    document = tmp_path / "agenda.txt"
    document.write_text("Provisional agenda\n1. Opening of the session\n", encoding="utf-8")
    for args in ([str(AGENDA), "--log", str(document)], [str(document)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "is not a session log" in result.stderr
    assert opened == []


def test_the_cli_stays_textual_free() -> None:
    import subprocess

    code = "import sys, sessiontui.cli, sessiontui.commands.tui; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_changed_agenda_is_offered_as_amendments_never_swapped(
    opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(AGENDA.read_text(encoding="utf-8"), encoding="utf-8")
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, [str(agenda), "--log", str(log)]).exit_code == 0
    agenda.write_text(
        agenda.read_text(encoding="utf-8").replace("General discussion", "General debate"),
        encoding="utf-8",
    )
    notices: list[list[str]] = []

    def fake_run(self: SessionApp) -> None:
        notices.append(list(self.service.store.notices))
        assert self.service.state.agenda.nodes["2b"].title == "General discussion"

    monkeypatch.setattr(SessionApp, "run", fake_run)
    assert runner.invoke(cli, [str(agenda), "--log", str(log)]).exit_code == 0
    assert any("changed since the session began" in n and "amend sync" in n for n in notices[0])


def test_first_start_without_actor_asks_the_name_then_remembers_it(
    opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SESSIONTUI_ACTOR", raising=False)
    log = tmp_path / "s.jsonl"
    first = CliRunner().invoke(cli, [str(AGENDA), "--log", str(log)])
    assert first.exit_code == 0, first.output
    assert opened[-1][2] is True  # the name is asked before anything is recorded
    name_file = tmp_path / "data" / "sessiontui" / "name"
    name_file.parent.mkdir(parents=True, exist_ok=True)
    name_file.write_text("Ana Lima\n", encoding="utf-8")
    second = CliRunner().invoke(cli, [str(log)])
    assert second.exit_code == 0, second.output
    assert opened[-1] == ("Ana Lima", False, False)
    third = CliRunner().invoke(cli, [str(log), "--actor", "bo"])
    assert opened[-1] == ("bo", False, False) and third.exit_code == 0


def test_the_command_line_records_the_name_the_tracker_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One person, one name: a note from the command line is recorded under the name the
    tracker asked on this account, not the login name; $SESSIONTUI_ACTOR and --actor win."""
    import json

    monkeypatch.delenv("SESSIONTUI_ACTOR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    name_file = tmp_path / "data" / "sessiontui" / "name"
    name_file.parent.mkdir(parents=True, exist_ok=True)
    name_file.write_text("Ana Lima\n", encoding="utf-8")
    for args, env in (([], {}), (["--actor", "bo"], {}), ([], {"SESSIONTUI_ACTOR": "cy"})):
        result = runner.invoke(cli, ["note", "2b", "text", "--log", str(log), *args], env=env)
        assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    notes = [r["actor"] for r in records if r["type"] == "note.add"]
    assert notes == ["Ana Lima", "bo", "cy"]


async def test_the_name_asked_is_used_and_kept(tmp_path: Path) -> None:
    import os
    import stat

    from sessiontui.ui.dialogs.identity_dialog import IdentityDialog
    from tests.test_ui_support import SIZE, log_records, make_app, make_service

    service, clock = make_service(tmp_path, actor="root")
    name_file = tmp_path / "machine" / "name"
    app = make_app(service, clock, remember_name=name_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, IdentityDialog)
        assert not app.screen.query("#identity-role")  # the name only: every right
        await pilot.press(*"Ana Lima", "enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
    assert {record["actor"] for record in log_records(service)} == {"Ana Lima"}
    assert service.role is None
    assert name_file.read_text(encoding="utf-8") == "Ana Lima\n"
    assert stat.S_IMODE(os.stat(name_file).st_mode) == 0o600


def test_a_broken_agenda_never_resumes_another_meetings_log(
    opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # $SESSIONTUI_LOG names another meeting's log: a valid agenda was refused, a broken one
    # was not read at all and the tracker opened on the other meeting's session.
    log = tmp_path / "other.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    monkeypatch.setenv("SESSIONTUI_LOG", str(log))
    bad = tmp_path / "bad.toml"
    bad.write_text('[meeting]\ntitle = "x"\ndates = [2026-11-09\n', encoding="utf-8")
    result = runner.invoke(cli, [str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:") and "resuming" not in result.stderr
    assert opened == []
    # The log's own agenda, broken while being edited, still resumes its session.
    own = tmp_path / "own.toml"
    own.write_bytes(AGENDA.read_bytes())
    mine = tmp_path / "own.jsonl"
    assert runner.invoke(cli, ["init", str(own), "--log", str(mine)]).exit_code == 0
    own.write_text('[meeting]\ntitle = "x"\ndates = [2026-11-09\n', encoding="utf-8")
    resumed = runner.invoke(cli, [str(own), "--log", str(mine)])
    assert resumed.exit_code == 0, resumed.output
    assert len(opened) == 1


def test_an_agenda_changed_only_in_form_raises_no_amendment_notice(
    opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that differs only where ``amend sync`` finds nothing to record (a comment,
    spacing): the tracker does not send the person to a command that answers "matches"."""
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(AGENDA.read_text(encoding="utf-8"), encoding="utf-8")
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, [str(agenda), "--log", str(log)]).exit_code == 0
    agenda.write_text("# re-saved\n" + agenda.read_text(encoding="utf-8"), encoding="utf-8")
    notices: list[list[str]] = []
    monkeypatch.setattr(
        SessionApp, "run", lambda self: notices.append(list(self.service.store.notices))
    )
    assert runner.invoke(cli, [str(agenda), "--log", str(log)]).exit_code == 0
    assert not any("changed since the session began" in n for n in notices[0])
    synced = runner.invoke(cli, ["amend", "sync", str(agenda), "--log", str(log), "--dry-run"])
    assert "already matches" in synced.output


def test_a_command_without_log_records_in_the_session_open_in_the_tracker(
    opened: Opened, tmp_path: Path
) -> None:
    """A practice log created last, then the tracker opened on the sitting's own log: a note
    typed in another terminal without --log went to the practice log, saying nothing."""
    runner = CliRunner()
    practice, sitting = tmp_path / "practice.jsonl", tmp_path / "sitting.jsonl"
    for log in (sitting, practice):
        assert runner.invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    assert runner.invoke(cli, [str(sitting), "--actor", "ana"]).exit_code == 0
    assert opened  # the tracker ran on it
    noted = runner.invoke(cli, ["note", "1", "hi", "--actor", "ana"])
    assert noted.exit_code == 0, noted.output
    assert f"session log {sitting.resolve()} (the one last opened here" in noted.stderr
    assert b'"hi"' in sitting.read_bytes() and b'"hi"' not in practice.read_bytes()
    # Read-only, the tracker leaves the choice as it was.
    runner.invoke(cli, [str(practice), "--read-only"])
    assert f"session log {sitting.resolve()}" in runner.invoke(cli, ["report"]).stderr


def test_the_tracker_without_a_terminal_is_one_line(tmp_path: Path) -> None:
    """Started from a script (its input /dev/null, its output a pipe), the tracker says it
    needs a terminal, at once, instead of waiting for keys that never come on a busy
    processor; the session it opened is left as it was."""
    import os
    import subprocess

    log = tmp_path / "s.jsonl"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "SESSIONTUI_ACTOR": "ana"}
    env.pop("TEXTUAL_DRIVER", None)
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", str(AGENDA), "--log", str(log)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "sessiontui: error: the tracker needs a terminal, and its input is not one: run it in "
        "a terminal window (`sessiontui report`, `journal` and `export` need none)"
    )
    assert "Traceback" not in done.stderr
