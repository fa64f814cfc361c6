"""Refused commands leave a ``command.refused`` event: harmless to the state, seen in the journal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.events import new_header
from sessiontui.core.replay import replay
from sessiontui.core.report import build_report
from sessiontui.store.file import FileStore

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A new session log of the model agenda."""
    spec = load_agenda_file(REPO / "agendas" / "cosp-intersessional-2020.toml")
    path = tmp_path / "session.jsonl"
    FileStore.create(path, new_header(spec, created=dt.datetime.now(dt.UTC))).close()
    return path


def run(log: Path, *args: str) -> Result:
    """One CLI command on ``log`` as ana."""
    env = {"SESSIONTUI_LOG": str(log), "SESSIONTUI_ROLE": None, "SESSIONTUI_ACTOR": None}
    return CliRunner().invoke(cli, [*args, "--actor", "ana"], env=env, catch_exceptions=False)


def records(log: Path) -> list[dict[str, object]]:
    """The log's events as plain dicts."""
    lines = log.read_text(encoding="utf-8").splitlines()[1:]
    return [json.loads(line) for line in lines]


def test_refusal_is_recorded_and_changes_nothing(log: Path) -> None:
    assert run(log, "open", "2a").exit_code == 0
    assert run(log, "close", "2a").exit_code == 0
    with FileStore(log, read_only=True, recover=False) as store:
        before = build_report(replay(store.header, list(store.read())), None)
    result = run(log, "close", "2a")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(
        "sessiontui: error: refused: 2(a) was already closed by ana at "
    )
    last = records(log)[-1]
    assert last["type"] == "command.refused"
    assert last["item"] == "2a"
    assert last["batch"] is None
    data = last["data"]
    assert isinstance(data, dict)
    assert data["what"] == "close 2(a)"
    assert data["command"] == "item.close"  # the command's kind, never its class name
    assert str(data["reason"]).startswith("2(a) was already closed by ana")
    with FileStore(log, read_only=True, recover=False) as store:
        after = build_report(replay(store.header, list(store.read())), None)
    # Only the bookkeeping moves (as_of, last_seq); items, times and sittings do not.
    for key in ("as_of", "last_seq"):
        before.pop(key, None)
        after.pop(key, None)
    assert after == before
    verify = CliRunner().invoke(cli, ["verify", str(log)])
    assert verify.exit_code == 0, verify.output


def test_undo_skips_the_refusal(log: Path) -> None:
    assert run(log, "open", "2a").exit_code == 0
    assert run(log, "close", "2a").exit_code == 0
    assert run(log, "close", "2a").exit_code == 1
    assert run(log, "undo").exit_code == 0
    undo = records(log)[-1]
    assert undo["type"] == "undo"
    assert isinstance(undo["data"], dict) and undo["data"]["what"] == "closed 2(a)"


def test_viewer_refusal_records_nothing(log: Path) -> None:
    size = log.stat().st_size
    result = run(log, "open", "2a", "--role", "viewer")
    assert result.exit_code == 1
    assert "refused" in result.stderr
    assert log.stat().st_size == size


def test_a_failing_refusal_record_never_masks_the_refusal(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise OSError("disk on fire")

    monkeypatch.setattr("sessiontui.service.refusal_draft", broken)
    assert run(log, "open", "1").exit_code == 0
    assert run(log, "close", "1").exit_code == 0
    size = log.stat().st_size
    result = run(log, "close", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith("sessiontui: error: refused: 1 was already closed by ana at ")
    assert len(result.stderr.splitlines()) == 1
    assert log.stat().st_size == size


def test_input_mistakes_are_not_recorded(log: Path) -> None:
    size = log.stat().st_size
    for args in (["close", "1"], ["note", "1", " "], ["open", "1", "--at", "2999-01-01T00:00Z"]):
        result = run(log, *args)
        assert result.exit_code == 1
    assert log.stat().st_size == size
