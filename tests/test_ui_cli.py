"""The ``tui`` command: which log it opens or creates, and one-line errors for bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
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
    assert (tmp_path / "data" / "sessiontui" / f"{AGENDA.stem}.jsonl").exists()


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
