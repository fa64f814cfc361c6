"""A command remembers the head with its own write: a repair that later sets that write aside
is recognised as a repair, not taken for a rewrite (which would refuse this account's writes)."""

from __future__ import annotations

from pathlib import Path

from .conftest import COSP, sessiontui_on


def test_a_repair_of_this_accounts_last_write_leaves_it_writing(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert sessiontui_on(log, "init", str(COSP), "--log", str(log)).returncode == 0
    steps = (("sitting", "open"), ("open", "1"), ("note", "1", "a note to damage"), ("close", "1"))
    for args in steps:
        done = sessiontui_on(log, *args)
        assert done.returncode == 0, done.stderr
    # This account's note, damaged on the disk: the head its last command saw at open (the
    # note the last line then) is gone; then the damage is repaired.
    data = log.read_bytes()
    log.write_bytes(data.replace(b"a note to damage", b"a note to damagE"))
    repaired = sessiontui_on(log, "repair", str(log))
    assert repaired.returncode == 0, repaired.stderr
    journal = sessiontui_on(log, "journal")
    assert "no longer extends" not in journal.stderr
    after = sessiontui_on(log, "note", "1", "written after the repair")
    assert after.returncode == 0, after.stderr
    assert "no longer extends" not in after.stderr
