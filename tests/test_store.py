"""The file log: creation, permissions, torn tails at every offset, bit flips, fuzzing, repair."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.cli import cli
from sessiontui.commands.logfile import GAPS_EXIT
from sessiontui.core.agenda_toml import load_agenda_file
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, CloseItem, OpenItem, Refused
from sessiontui.core.events import new_header
from sessiontui.service import SessionService
from sessiontui.store.base import ReadOnlyStore, StoreError
from sessiontui.store.file import FileStore

from .conftest import COSP, START, make_log


def fill(path: Path, notes: int = 6) -> list[str]:
    """Record a take-up and some notes; returns the acknowledged event ids."""
    clock = FakeClock(START)
    service = SessionService(FileStore(path), actor="ana", clock=clock)
    ids = [e.id for e in service.run(OpenItem("2a"))]
    for n in range(notes):
        clock.advance(60)
        ids += [e.id for e in service.run(AddNote("2a", f"note {n}"))]
    service.close()
    return ids


def event_ids(path: Path) -> list[str]:
    with FileStore(path) as store:
        return [e.id for e in store.read()]


def boundaries(data: bytes) -> list[int]:
    """Byte offsets just after each line."""
    return [i + 1 for i, byte in enumerate(data) if byte == 0x0A]


def test_new_log_is_private_and_never_overwritten(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    # Its folder is never made (tests/test_log_folders.py): a typo starts no session.
    header = new_header(load_agenda_file(COSP), created=START)
    with pytest.raises(StoreError, match="does not exist"):
        FileStore.create(tmp_path / "new" / "s.jsonl", header)
    with pytest.raises(StoreError, match="never overwritten"):
        make_log(log)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["init", "agendas/cosp-intersessional-2020.toml", "--log", str(log)]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_a_symlinked_log_is_refused(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    link = tmp_path / "link.jsonl"
    link.symlink_to(log)
    with pytest.raises(StoreError, match="symbolic link"):
        FileStore(link)


@pytest.mark.parametrize("content", [b"", b"not a log\n", b'{"format":"x"}\n', b"\x00" * 50])
def test_not_a_log_gives_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        FileStore(path)
    assert "\n" not in str(info.value)


def test_truncation_at_every_byte_offset_keeps_the_complete_prefix(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    ids = fill(log, notes=3)
    data = log.read_bytes()
    ends = boundaries(data)
    header_end = ends[0]
    work = tmp_path / "cut.jsonl"
    for offset in range(header_end, len(data) + 1):
        work.write_bytes(data[:offset])
        # A record cut just before its newline is whole: the newline is added, it is kept.
        complete = sum(1 for end in ends[1:] if end - 1 <= offset)
        kept = max(end for end in ends if end - 1 <= offset)
        store = FileStore(work)
        try:
            assert [e.id for e in store.read()] == ids[:complete]
            torn = offset - kept
            if torn > 0:
                assert any(f"{torn} bytes" in n and "set aside" in n for n in store.notices)
            elif torn < 0:
                assert any("lacked its final newline" in n for n in store.notices)
            else:
                assert store.notices == []
        finally:
            store.close()
        assert work.stat().st_size == kept
        for side in tmp_path.glob("cut.jsonl.torn-*"):
            assert side.read_bytes() == data[kept:offset]
            side.unlink()


def test_truncation_inside_the_header_is_a_clear_error(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    data = log.read_bytes()
    for offset in range(0, boundaries(data)[0], 97):
        log.write_bytes(data[:offset])
        with pytest.raises(StoreError):
            FileStore(log)


def test_zero_filled_tail_is_set_aside(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    ids = fill(log, notes=2)
    good = log.stat().st_size
    with log.open("ab") as handle:
        handle.write(b"\x00" * 4096)
    assert event_ids(log) == ids
    assert log.stat().st_size == good


def test_single_bit_flips_are_reported_with_line_and_byte(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    ids = fill(log, notes=2)
    data = log.read_bytes()
    ends = boundaries(data)
    work = tmp_path / "flip.jsonl"
    for offset in range(ends[0], len(data)):
        for bit in (0, 5):
            flipped = bytearray(data)
            flipped[offset] ^= 1 << bit
            work.write_bytes(bytes(flipped))
            line = next(n for n, end in enumerate(ends, start=1) if offset < end)
            store = FileStore(work, read_only=True, recover=False)
            try:
                got = [e.id for e in store.read()]
                assert got == ids[: len(got)]
                if store.damage:
                    first = store.damage[0]
                    assert first.line <= line
                    assert ends[first.line - 2] == first.offset
                else:
                    # A flipped final newline leaves an unterminated last line: a torn write.
                    assert offset == len(data) - 1
                    assert any("interrupted write" in n for n in store.notices)
            finally:
                store.close()


def test_damage_makes_the_log_read_only_and_repair_marks_the_gap(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    ids = fill(log, notes=4)
    data = bytearray(log.read_bytes())
    ends = boundaries(bytes(data))
    data[ends[2] + 40] ^= 0x01  # inside line 4 (the 3rd event)
    log.write_bytes(bytes(data))
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", str(log)])
    assert result.exit_code == 1
    assert "line 4 (byte" in result.output
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    with pytest.raises(ReadOnlyStore, match="damaged at line 4"):
        service.run(AddNote("1", "lost?"))
    service.close()
    result = runner.invoke(cli, ["repair", str(log)])
    assert result.exit_code == 0, result.output
    side = next(tmp_path.glob("s.jsonl.damaged-*"))
    assert side.read_bytes() == bytes(data[ends[2] : ends[3]])
    result = runner.invoke(cli, ["verify", str(log)])
    # Whole again, with a known gap the repair recorded: named, and a status of its own.
    assert result.exit_code == GAPS_EXIT, result.output
    assert "recorded gap: line 4: seq 3 recorded as a gap" in result.output
    assert "1 known gap(s)" in result.output
    assert event_ids(log) == ids[:2] + ids[3:]
    # The repaired log takes new events again.
    service = SessionService(FileStore(log), actor="ana", clock=FakeClock(START))
    service.run(AddNote("1", "after repair"))
    service.close()
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == GAPS_EXIT


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tail=st.binary(max_size=600), keep=st.integers(min_value=0, max_value=3))
def test_fuzzed_logs_are_clean_or_reported(tmp_path: Path, tail: bytes, keep: int) -> None:
    log = tmp_path / "fuzz.jsonl"
    if not log.exists():
        make_log(log)
        fill(log, notes=3)
    data = log.read_bytes()
    ends = boundaries(data)
    fuzzed = tmp_path / "f.jsonl"
    fuzzed.write_bytes(data[: ends[keep]] + tail)
    try:
        store = FileStore(fuzzed, read_only=True, recover=False)
    except StoreError:
        return
    with store:
        events = list(store.read())
        assert len(events) >= keep - 1 if keep else True
        good, damage, torn = store.verify()
        assert good == len(events) or damage or torn


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_store_error(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "any.jsonl"
    path.write_bytes(blob)
    with contextlib.suppress(StoreError):
        FileStore(path, read_only=True, recover=False).close()


def test_lines_with_duplicate_keys_or_nan_are_not_records() -> None:
    from sessiontui.core.events import LineError, strict_check

    for body in (b'{"a":1,"a":2}', b'{"a":NaN}', b'{"a":Infinity}'):
        with pytest.raises(LineError):
            strict_check(body)


def test_catch_up_sees_other_writers(make_service: object) -> None:
    from collections.abc import Callable

    assert callable(make_service)
    factory: Callable[..., SessionService] = make_service
    ana, ben = factory("ana"), factory("ben")
    ana.run(OpenItem("2a"))
    assert ben.state.floor is None
    assert [e.type for e in ben.refresh()] == ["sitting.open", "item.open"]
    assert ben.state.floor == "2a"
    assert ben.refresh() == []
    # ben's command is validated against what ana did, even without a refresh first.
    ana.run(CloseItem("2a"))
    with pytest.raises(Refused, match="already closed by ana"):
        ben.run(CloseItem("2a"))


def test_log_permissions_survive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        log = make_log(tmp_path / "u" / "s.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_verify_refuses_a_resealed_line_with_a_duplicate_key(tmp_path: Path) -> None:
    from sessiontui.core.events import line_sum, split_sum

    log = make_log(tmp_path / "s.jsonl")
    fill(log, notes=1)
    lines = log.read_bytes().splitlines(keepends=True)
    body, _ = split_sum(lines[-1])
    forged = body[:-1] + b',"actor":"mallory"}'
    lines[-1] = forged[:-1] + b',"sum":"' + line_sum(forged).encode() + b'"}\n'
    log.write_bytes(b"".join(lines))
    result = CliRunner().invoke(cli, ["verify", str(log)])
    assert result.exit_code == 1
    assert "duplicate key" in result.output
