"""Caches can't lie: checkpoints and saved journals are sealed with this account's key."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from sessiontui import service as service_module
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem
from sessiontui.core.report import build_report
from sessiontui.service import SessionService, open_session, whole_journal
from sessiontui.store import cachekey, checkpoints
from sessiontui.store.file import FileStore

from .conftest import START, make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "mine"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setattr(service_module, "CHECKPOINT_EVERY", 2)
    monkeypatch.delenv(checkpoints.DISABLE_ENV, raising=False)
    cachekey.forget()
    yield folder
    cachekey.forget()


def recorded(tmp_path: Path) -> Path:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    for command in (OpenItem("1"), AddNote("1", "genuine note"), CloseItem("1")):
        clock.advance(60)
        service.run(command)
    service.store.close()
    return log


def forge(path: Path, old: bytes, new: bytes) -> None:
    """Change a cache's payload and seal it again under the key of whoever runs this."""
    data = path.read_bytes()
    newline = data.index(b"\n")
    meta = msgspec.json.decode(data[:newline])
    payload = data[newline + 1 :].replace(old, new)
    assert payload != data[newline + 1 :]
    meta["digest"] = ""
    line = msgspec.json.encode(meta)
    tag = cachekey.seal(line, b"\n", payload)
    assert tag is not None
    meta["digest"] = tag
    path.write_bytes(msgspec.json.encode(meta) + b"\n" + payload)


def as_another_account(folder: Path) -> None:
    os.environ["XDG_DATA_HOME"] = str(folder)
    cachekey.forget()


def test_the_key_is_created_private_once_and_kept(own_data_folder: Path) -> None:
    key = cachekey.load_key()
    assert key is not None and len(key) == cachekey.KEY_BYTES
    path = own_data_folder / "sessiontui" / cachekey.KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    cachekey.forget()
    assert cachekey.load_key() == key
    tag = cachekey.seal(b"a", b"b")
    assert tag is not None and cachekey.check(tag, b"ab") and not cachekey.check(tag, b"ac")


def test_a_key_others_can_read_is_not_used(own_data_folder: Path, tmp_path: Path) -> None:
    assert cachekey.load_key() is not None
    path = own_data_folder / "sessiontui" / cachekey.KEY_NAME
    path.chmod(0o644)
    cachekey.forget()
    assert cachekey.load_key() is None
    assert cachekey.seal(b"x") is None and not cachekey.check("", b"x")
    # Without a usable key no cache is written, and everything works from the log.
    log = recorded(tmp_path)
    service = open_session(str(log))
    service.close()
    assert not checkpoints.path_for(log).exists()


def test_a_resealed_checkpoint_from_another_account_is_ignored(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    open_session(str(log)).close()
    saved = checkpoints.path_for(log)
    assert saved.exists()
    genuine = build_report(open_session(str(log), read_only=True).state, None)
    assert genuine["items"][0]["status"] == "closed"
    # The forger seals the changed state with the only key they have: their own.
    found = checkpoints.load(log)
    assert found is not None
    parts = [(name, found.part(name)) for name in (checkpoints.NOTES, checkpoints.FLOOR)]
    as_another_account(tmp_path / "other")
    assert checkpoints.save(
        log,
        found.checkpoint,
        found.session,
        bytes(found.state).replace(b'"closed"', b'"deferred"'),
        parts=[(name, data) for name, data in parts if data is not None],
    )
    as_another_account(tmp_path / "mine")
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert build_report(service.state, None) == genuine
    service.close()


def test_a_checkpoint_sealed_with_the_old_unkeyed_digest_is_ignored(tmp_path: Path) -> None:
    import hashlib

    log = recorded(tmp_path)
    open_session(str(log)).close()
    saved = checkpoints.path_for(log)
    data = saved.read_bytes()
    newline = data.index(b"\n")
    meta = msgspec.json.decode(data[:newline])
    payload = data[newline + 1 :].replace(b'"closed"', b'"deferred"')
    meta["digest"] = ""
    digest = hashlib.sha256(msgspec.json.encode(meta) + b"\n" + payload).hexdigest()
    meta["digest"] = digest
    saved.write_bytes(msgspec.json.encode(meta) + b"\n" + payload)
    service = open_session(str(log), read_only=True)
    assert service.store.checkpoint_used is None  # type: ignore[attr-defined]
    assert build_report(service.state, None)["items"][0]["status"] == "closed"
    service.close()


def test_a_resealed_journal_from_another_account_is_ignored(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    with FileStore(log, read_only=True) as store:
        genuine = whole_journal(store).lines
    saved = checkpoints.path_for(log, checkpoints.JOURNAL)
    assert saved.exists()
    assert any("genuine note" in line for line in genuine)
    as_another_account(tmp_path / "other")
    forge(saved, b"genuine note", b"forged note!")
    as_another_account(tmp_path / "mine")
    with FileStore(log, read_only=True) as store:
        assert whole_journal(store).lines == genuine


def test_verify_deep_refolds_and_compares_the_caches(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessiontui.cli import cli

    log = recorded(tmp_path)
    open_session(str(log)).close()
    with FileStore(log, read_only=True) as store:
        whole_journal(store)
    runner = CliRunner()
    ok = runner.invoke(cli, ["verify", str(log), "--deep"])
    assert ok.exit_code == 0 and "caches agree" in ok.output, ok.output
    # Sealed with this account's own key (a bug, or someone holding the key): only a refold
    # shows that the cache says what the log does not.
    saved = checkpoints.load(log)
    assert saved is not None
    state = bytes(saved.state)
    assert b'"closed"' in state
    parts = [(name, saved.part(name)) for name in (checkpoints.NOTES, checkpoints.FLOOR)]
    assert checkpoints.save(
        log,
        saved.checkpoint,
        saved.session,
        state.replace(b'"closed"', b'"deferred"'),
        parts=[(name, data) for name, data in parts if data is not None],
    )
    bad = runner.invoke(cli, ["verify", str(log), "--deep"])
    assert bad.exit_code == 1 and "disagree with the log" in bad.output, bad.output
    assert "s.jsonl.checkpoint" in bad.output
