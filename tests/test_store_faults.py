"""Write failures: injected OSError at the k-th write/fdatasync/replace, RLIMIT_FSIZE, a full tmpfs."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote
from sessiontui.core.events import NoteAddData
from sessiontui.service import SessionService
from sessiontui.store import durable
from sessiontui.store.base import ReadOnlyStore, SaveError, StoreError
from sessiontui.store.file import FileStore

from .conftest import COSP, START, make_log


def failing_at(k: int, real: Callable[..., Any], err: int = errno.ENOSPC) -> Callable[..., Any]:
    calls = {"n": 0}

    def wrapper(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == k:
            raise OSError(err, os.strerror(err))
        return real(*args)

    return wrapper


def verified_ids(path: Path) -> list[str]:
    with FileStore(path, read_only=True, recover=False) as store:
        _good, damage, torn = store.verify()
        assert (damage, torn) == ([], 0)
        return [e.id for e in store.read()]


@pytest.mark.parametrize("target", ["_write", "_fdatasync"])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_injected_failure_at_the_kth_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, k: int
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    monkeypatch.setattr(durable, target, failing_at(k, getattr(durable, target)))
    acknowledged: list[str] = []
    failed_text = None
    for n in range(6):
        clock.advance(60)
        try:
            acknowledged += [e.id for e in service.run(AddNote("1", f"note {n}"))]
        except SaveError as exc:
            assert "disk is full" in str(exc) and "nothing was recorded" in str(exc)
            assert exc.drafts[0].data == NoteAddData(
                note=ANY, kind="note", text=f"note {n}"
            )  # kept in memory for the user
            failed_text = f"note {n}"
            break
    assert failed_text == f"note {k - 1}"
    with pytest.raises(ReadOnlyStore):
        service.run(AddNote("1", "after the failure"))
    service.close()
    monkeypatch.undo()
    assert verified_ids(log) == acknowledged
    # A new process (after the disk was freed) carries on from a consistent log.
    again = SessionService(FileStore(log), actor="ana", clock=clock)
    again.run(AddNote("1", failed_text))
    again.close()
    assert len(verified_ids(log)) == len(acknowledged) + 1


def test_a_short_write_is_cut_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    before = log.stat().st_size
    real = durable._write
    calls = {"n": 0}

    def half_then_full_disk(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return int(real(fd, data[: len(data) // 2]))

    monkeypatch.setattr(durable, "_write", half_then_full_disk)
    with pytest.raises(SaveError):
        service.run(AddNote("1", "half of me"))
    assert log.stat().st_size == before
    service.close()


@pytest.mark.parametrize("k", [1, 2])
def test_injected_failure_in_repair_replace_leaves_the_log_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    log = make_log(tmp_path / "s.jsonl")
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    for n in range(3):
        service.run(AddNote("1", f"n{n}"))
    service.close()
    data = bytearray(log.read_bytes())
    data[data.index(b"n1")] ^= 0x02
    log.write_bytes(bytes(data))
    monkeypatch.setattr(durable, "_replace", failing_at(1, durable._replace, errno.EIO))
    result = CliRunner().invoke(cli, ["repair", str(log)])
    assert result.exit_code == 1
    assert "unchanged" in result.output
    assert log.read_bytes() == bytes(data)
    assert not list(tmp_path.glob(".s.jsonl.repair-*"))


SCRIPT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from sessiontui.cli import main
main(sys.argv[2:])
"""


def test_file_size_limit_refuses_cleanly(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    size = log.stat().st_size
    env = {**os.environ, "SESSIONTUI_LOG": str(log)}
    ok = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(size + 2000), "note", "1", "short"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    big = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(size + 2000), "note", "1", "x" * 5000],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert big.returncode == 1
    assert (
        big.stderr.strip()
        .splitlines()[-1]
        .startswith("sessiontui: error: NOT saved: the file size limit was reached; nothing")
    )
    assert "Traceback" not in big.stderr
    assert len(verified_ids(log)) == 1


def test_real_enospc_on_a_tiny_tmpfs(tmp_path: Path) -> None:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        log = make_log(mount / "s.jsonl")
        service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
        acknowledged: list[str] = []
        with pytest.raises(SaveError, match="disk is full"):
            for n in range(1000):
                acknowledged += [e.id for e in service.run(AddNote("1", f"{n} " + "y" * 400))]
        service.close()
        assert verified_ids(log) == acknowledged
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_create_on_a_full_disk_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(durable, "_fdatasync", failing_at(1, durable._fdatasync))
    with pytest.raises(StoreError, match="disk is full"):
        make_log(tmp_path / "s.jsonl", COSP)
    assert not (tmp_path / "s.jsonl").exists()
