"""A name given with ``--actor`` is recorded tidy: one person is one name in the record."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import COSP, sessiontui_on


def _actors(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines()[1:]  # the header aside
    return [json.loads(line)["actor"] for line in lines]


def test_spaces_around_or_inside_a_name_do_not_make_another_person(tmp_path: Path) -> None:
    """``--actor " CY "`` and ``--actor "Bo  Lin"`` record as "CY" and "Bo Lin": before, "CY "
    and "CY" were two people in the journal, the report and the top bar."""
    log = tmp_path / "session.jsonl"
    assert sessiontui_on(log, "init", str(COSP), "--log", str(log)).returncode == 0
    for actor, command in ((" CY ", ("sitting", "open")), ("Bo  Lin", ("open", "1"))):
        done = sessiontui_on(log, *command, "--actor", actor)
        assert done.returncode == 0, done.stderr
    assert _actors(log) == ["CY", "Bo Lin"]


def test_a_blank_name_is_refused_and_nothing_is_recorded(tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    assert sessiontui_on(log, "init", str(COSP), "--log", str(log)).returncode == 0
    before = log.read_bytes()
    done = sessiontui_on(log, "sitting", "open", "--actor", "   ")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["sessiontui: error: --actor: the name is blank"]
    assert log.read_bytes() == before
