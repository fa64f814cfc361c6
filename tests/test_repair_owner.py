"""``repair`` never leaves a log its own writers can no longer open: the repaired log (and the
lines set aside) keep the old log's owner, group and mode, or nothing is changed."""

from __future__ import annotations

import importlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as other accounts")

OWNER = 45001
"""An account the test hands the log to (no login needed: root may chown to any id)."""
OTHER = 45002


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder other accounts can reach (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="sessiontui-owner-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def _damaged(folder: Path) -> tuple[Path, bytes]:
    log = make_log(folder / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    for n in range(3):
        service.run(AddNote("1", f"n{n}"))
    service.close()
    data = bytearray(log.read_bytes())
    data[data.index(b"n1")] ^= 0x02
    log.write_bytes(bytes(data))
    return log, bytes(data)


def _as(uid: int, act: Callable[[], int]) -> int:
    """``act()``'s answer, run in a forked child as ``uid`` (its own group too).

    The child may not read the interpreter's own folder (root's): what the command imports
    when it runs is imported here first.
    """
    for module in (
        "sessiontui.commands.logfile",
        "sessiontui.store.repair",
        "sessiontui.store.open",
    ):
        importlib.import_module(module)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status
        code = 99
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            code = act()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _appends(log: Path) -> Callable[[], int]:
    """0 when the log can be opened for writing and a line appended, as its writer does."""

    def act() -> int:
        try:
            fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC | os.O_NOFOLLOW)
        except PermissionError:
            return 1
        os.close(fd)
        return 0

    return act


def test_repair_keeps_the_mode_of_a_log_shared_with_its_group(tmp_path: Path) -> None:
    log, _ = _damaged(tmp_path)
    log.chmod(0o660)  # shared with the group's other writers
    result = CliRunner().invoke(cli, ["repair", str(log)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(log.stat().st_mode) == 0o660
    (side,) = tmp_path.glob("s.jsonl.damaged-*")
    assert stat.S_IMODE(side.stat().st_mode) == 0o660


@as_root
def test_repair_by_root_gives_the_log_back_to_its_owner(shared: Path) -> None:
    """Seen: root's repair of a user's log left it root's, 0600: the user could not even open
    it any more (nor repair it again)."""
    log, _ = _damaged(shared)
    os.chown(shared, OWNER, OWNER)
    os.chown(log, OWNER, OWNER)
    assert _as(OWNER, _appends(log)) == 0
    result = CliRunner().invoke(cli, ["repair", str(log)])
    assert result.exit_code == 0, result.output
    info = log.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (OWNER, OWNER, 0o600)
    (side,) = shared.glob("s.jsonl.damaged-*")
    assert (side.stat().st_uid, side.stat().st_gid) == (OWNER, OWNER)  # their record
    assert _as(OWNER, _appends(log)) == 0


@as_root
def test_repair_by_another_account_that_cannot_give_it_back_changes_nothing(
    shared: Path,
) -> None:
    """An account that may write the log and its folder, but not hand a file to the log's
    owner, is refused: its repaired copy would be its own and lock the owner out."""
    log, before = _damaged(shared)
    os.chown(log, OWNER, OWNER)
    log.chmod(0o666)
    shared.chmod(0o777)

    def repair() -> int:
        result = CliRunner().invoke(cli, ["repair", str(log)])
        ok = result.exit_code == 1 and "run `sessiontui repair` as its owner" in result.output
        return 0 if ok else 1

    assert _as(OTHER, repair) == 0
    assert log.read_bytes() == before
    assert (log.stat().st_uid, stat.S_IMODE(log.stat().st_mode)) == (OWNER, 0o666)
    assert sorted(path.name for path in shared.iterdir()) == ["s.jsonl"]
