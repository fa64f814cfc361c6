"""A folder a person names is never created: a log, a copy and an export all refuse a missing
one in the same words; only the default data folder is made as needed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import COSP, make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)


def test_a_named_folder_that_does_not_exist_is_refused_alike(tmp_path: Path) -> None:
    runner = CliRunner()
    log = make_log(tmp_path / "s.jsonl")
    missing = tmp_path / "typo"
    runs = {
        "init": ["init", str(COSP), "--log", str(missing / "x.jsonl")],
        "copy": ["copy", str(log), str(missing / "a.jsonl")],
        "export": ["export", str(log), "--format", "md", "-o", str(missing / "x.md")],
    }
    for name, args in runs.items():
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (name, result.output)
        assert f"the folder {missing} does not exist" in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.output
    assert not missing.exists()


def test_the_environments_log_in_a_missing_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "typo"
    monkeypatch.setenv("SESSIONTUI_LOG", str(missing / "s.jsonl"))
    result = CliRunner().invoke(cli, ["init", str(COSP)])
    assert result.exit_code == 1
    assert f"the folder {missing} does not exist" in result.stderr
    assert not missing.exists()


def test_the_tracker_does_not_create_a_named_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessiontui.commands import tui

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tracker started")

    monkeypatch.setattr(tui, "_run", started)
    missing = tmp_path / "typo"
    result = CliRunner().invoke(cli, [str(COSP), "--log", str(missing / "s.jsonl")])
    assert result.exit_code == 1
    assert f"the folder {missing} does not exist" in result.stderr
    assert not missing.exists()


def test_the_default_data_folder_is_made_private(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(COSP)])
    assert result.exit_code == 0, result.output
    log = Path(result.stdout.strip())
    assert log.parent == tmp_path / "xdg" / "sessiontui"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_every_folder_made_on_the_way_is_private(tmp_path: Path) -> None:
    # A report remembers the head it saw in <data>/sessiontui/heads/: the data folder itself
    # (and the XDG folder above it, missing here) are made on the way, 0700 too, whatever
    # the umask would give.
    log = make_log(tmp_path / "s.jsonl")
    result = CliRunner().invoke(cli, ["report", str(log)])
    assert result.exit_code == 0, result.output
    made = [
        tmp_path / "xdg",
        tmp_path / "xdg" / "sessiontui",
        tmp_path / "xdg" / "sessiontui" / "heads",
    ]
    assert all(folder.is_dir() for folder in made)
    assert [stat.S_IMODE(folder.stat().st_mode) for folder in made] == [0o700] * 3
