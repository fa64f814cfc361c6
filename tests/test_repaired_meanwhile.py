"""A log damaged under a running tracker and repaired meanwhile: the tracker's store says to
restart it to take the repair in, not to run the repair just run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.base import ReadOnlyStore
from sessiontui.store.file import FileStore
from sessiontui.store.repair import repair_log

from .conftest import START, make_log


def test_a_repair_made_meanwhile_asks_for_a_restart(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    service.run(AddNote("1", "kept"))
    with log.open("ab") as handle:
        handle.write(b"garbage appended by someone\n")
    service.refresh()  # the tracker's tick: it reads the damage, and goes read-only
    with pytest.raises(ReadOnlyStore, match="repair"):
        service.run(AddNote("1", "before the repair"))
    repair_log(log)
    with pytest.raises(ReadOnlyStore) as refused:
        service.run(AddNote("1", "after the repair"))
    assert "restart the tracker" in str(refused.value)
    assert "damaged" not in str(refused.value)
    service.close()
