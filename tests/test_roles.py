"""Roles end to end through the CLI: who may do what, the refusal names the role, the log keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import make_log

SECRETARIAT = [["sitting", "suspend"], ["sitting", "resume"], ["close", "1"], ["open", "2"]]
# Valid for the fixture's state (item 1 on the floor), so only the role can refuse them.
STATUS_CHANGES = [["open", "2"], ["close", "1"], ["sitting", "suspend"], ["defer", "3"]]
RAPPORTEUR = [
    ["note", "1", "a note"],
    ["note", "1", "agreed", "--kind", "decision"],
    ["note", "1", "circulate text", "--kind", "action"],
    ["speaker", "1", "Brazil"],
]


def run(log: Path, role: str | None, args: list[str], actor: str = "ana") -> tuple[int, str]:
    """Run one recording command; (exit code, stderr)."""
    extra = ["--log", str(log), "--actor", actor] + (["--role", role] if role else [])
    result = CliRunner().invoke(cli, [*args, *extra])
    return result.exit_code, result.stderr


def events(log: Path) -> list[dict[str, object]]:
    """The log's events as JSON objects."""
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A fresh log with item 1 on the floor (recorded with every right)."""
    path = make_log(tmp_path / "s.jsonl")
    assert run(path, None, ["open", "1"], actor="setup")[0] == 0
    return path


def test_secretariat_changes_status_not_the_record(log: Path) -> None:
    for args in SECRETARIAT:
        code, err = run(log, "secretariat", args)
        assert code == 0, err
    for args in RAPPORTEUR:
        code, err = run(log, "secretariat", args)
        assert code == 1
        assert "needs the rapporteur role" in err and "\n" not in err.strip()


def test_rapporteur_writes_notes_and_speakers_not_status(log: Path) -> None:
    for args in RAPPORTEUR:
        code, err = run(log, "rapporteur", args)
        assert code == 0, err
    for args in STATUS_CHANGES:
        code, err = run(log, "rapporteur", args)
        assert code == 1
        assert "needs the secretariat role" in err


def test_viewer_changes_nothing(log: Path) -> None:
    before = log.read_bytes()
    for args, needed in [(a, "secretariat") for a in STATUS_CHANGES] + [
        (a, "rapporteur") for a in RAPPORTEUR
    ]:
        code, err = run(log, "viewer", args)
        assert code == 1
        assert f"the viewer role cannot do that: it needs the {needed} role" in err
    assert log.read_bytes() == before


def test_no_role_has_every_right(log: Path) -> None:
    for args in RAPPORTEUR + SECRETARIAT:
        code, err = run(log, None, args)
        assert code == 0, err


def test_role_is_recorded_with_the_actor(log: Path) -> None:
    run(log, "rapporteur", ["note", "1", "noted"], actor="raj")
    run(log, "secretariat", ["close", "1"], actor="sec")
    recorded = [(e["actor"], e.get("role"), e["type"]) for e in events(log)]
    assert ("raj", "rapporteur", "note.add") in recorded
    assert ("sec", "secretariat", "item.close") in recorded
    assert recorded[0][1] is None  # the setup ran with every right


def test_role_from_environment(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSIONTUI_ROLE", "viewer")
    code, err = run(log, None, ["note", "1", "x"])
    assert code == 1 and "needs the rapporteur role" in err
