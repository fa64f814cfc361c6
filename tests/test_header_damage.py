"""A damaged header opens read-only, as damage to any record does: the tracker and the
readers carry on with the records and say so, nothing is written; ``repair`` restores it
(one flipped bit, one changed byte) or rebuilds it from the agenda file it names or is given
(``--agenda``), setting the damaged line aside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.cli import cli
from sessiontui.commands.logfile import GAPS_EXIT
from sessiontui.commands.record import open_service
from sessiontui.core.events import NoteAdded
from sessiontui.store.file import FileStore

from .conftest import COSP, make_log


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)


def recorded(tmp_path: Path) -> Path:
    log = make_log(tmp_path / "s.jsonl")
    runner = CliRunner()
    for args in (["open", "1"], ["note", "1", "adopted", "--kind", "decision"]):
        assert runner.invoke(cli, [*args, "--log", str(log), "--actor", "ana"]).exit_code == 0
    return log


def flip_in_header(log: Path, old: bytes, new: bytes) -> bytes:
    header, rest = log.read_bytes().split(b"\n", 1)
    assert old in header
    log.write_bytes(header.replace(old, new, 1) + b"\n" + rest)
    return log.read_bytes()


def test_a_header_that_still_reads_opens_read_only(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    damaged = flip_in_header(log, b"Opening", b"OpEning")
    runner = CliRunner()
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 1
    assert "Opening of the" in report.stdout or "OpEning" in report.stdout
    assert "the header (line 1) is damaged" in report.stderr
    assert "sessiontui repair" in report.stderr
    journal = runner.invoke(cli, ["journal", str(log)])
    assert journal.exit_code == 1 and "adopted" in journal.stdout, journal.output
    assert "the header (line 1) is damaged" in journal.stderr
    out = tmp_path / "r.md"
    export = runner.invoke(cli, ["export", str(log), "--format", "md", "-o", str(out)])
    assert export.exit_code == 1 and "adopted" in out.read_text(), export.output
    note = runner.invoke(cli, ["note", "1", "more", "--log", str(log), "--actor", "ana"])
    assert note.exit_code == 1 and "read-only" in note.stderr, note.output
    assert log.read_bytes() == damaged
    # The tracker opens it as it opens any damaged log: read-only, the damage named.
    service = open_service(str(log))
    try:
        assert service.store.read_only and service.store.damage[0].line == 1
        assert [note.text for note in service.state.notes.values()] == ["adopted"]
    finally:
        service.close()
    assert log.read_bytes() == damaged
    verify = runner.invoke(cli, ["verify", str(log)])
    assert verify.exit_code == 1 and "restored by `repair`" in verify.stderr
    assert runner.invoke(cli, ["repair", str(log)]).exit_code == 0
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == 0


def test_a_changed_digit_in_the_headers_own_checksum_hides_no_record(tmp_path: Path) -> None:
    # The header still reads, and its checksum field still reads as one: the chain must go on
    # from what the first record followed, not from the changed checksum.
    log = recorded(tmp_path)
    header, rest = log.read_bytes().split(b"\n", 1)
    at = header.rindex(b'"sum":"') + len(b'"sum":"')
    digit = header[at : at + 1]
    damaged = header[:at] + (b"0" if digit != b"0" else b"1") + header[at + 1 :]
    log.write_bytes(damaged + b"\n" + rest)
    with FileStore(log, read_only=True, recover=False) as store:
        assert [e.data.text for e in store.read() if isinstance(e, NoteAdded)] == ["adopted"]
        assert [damage.line for damage in store.damage] == [1]
    carries_on(tmp_path, log)
    assert CliRunner().invoke(cli, ["repair", str(log)]).exit_code == 0
    assert CliRunner().invoke(cli, ["verify", str(log)]).exit_code == 0


def damage_header(log: Path, damaged: bytes) -> tuple[bytes, bytes]:
    """Put ``damaged`` in place of line 1; returns the header as it was and the file now."""
    header, rest = log.read_bytes().split(b"\n", 1)
    log.write_bytes(damaged + b"\n" + rest)
    return header + b"\n", log.read_bytes()


def carries_on(tmp_path: Path, log: Path) -> None:
    """Every reader carries on with the records, read-only, the damage named (exit 1)."""
    runner = CliRunner()
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 1 and "closed" not in report.stderr, report.output
    assert "the header (line 1) is damaged" in report.stderr
    journal = runner.invoke(cli, ["journal", str(log)])
    assert journal.exit_code == 1 and "adopted" in journal.stdout, journal.output
    out = tmp_path / "r.md"
    export = runner.invoke(cli, ["export", str(log), "--format", "md", "-o", str(out)])
    assert export.exit_code == 1 and "adopted" in out.read_text(), export.output
    note = runner.invoke(cli, ["note", "1", "x", "--log", str(log), "--actor", "ana"])
    assert note.exit_code == 1 and "read-only" in note.stderr, note.output
    # The tracker opens it as it opens any damaged log: read-only, the damage named.
    service = open_service(str(log))
    try:
        assert service.store.read_only and service.store.damage[0].line == 1
        assert [note.text for note in service.state.notes.values()] == ["adopted"]
    finally:
        service.close()
    verify = runner.invoke(cli, ["verify", str(log)])
    assert verify.exit_code == 1 and "line 1 (byte 0)" in verify.stderr, verify.output
    assert "Traceback" not in report.output + journal.output + verify.output


def test_a_changed_byte_in_the_agenda_is_read_and_restored(tmp_path: Path) -> None:
    log = recorded(tmp_path)
    original = log.read_bytes()
    header = original.split(b"\n", 1)[0]
    at = header.index(b'"]')  # the end of an agenda list: the line no longer reads as JSON
    _, damaged = damage_header(log, header[: at + 1] + b"#" + header[at + 2 :])
    carries_on(tmp_path, log)
    assert log.read_bytes() == damaged
    verify = CliRunner().invoke(cli, ["verify", str(log)])
    assert f"one byte changed at byte {at + 1}" in verify.stderr, verify.output
    repair = CliRunner().invoke(cli, ["repair", str(log)])
    assert repair.exit_code == 0, repair.output
    assert log.read_bytes().split(b"\n", 1)[0] == header  # byte for byte
    (side,) = tmp_path.glob("s.jsonl.damaged-*")
    assert side.read_bytes() == damaged.split(b"\n", 1)[0] + b"\n"
    assert CliRunner().invoke(cli, ["verify", str(log)]).exit_code == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda header: header[: len(header) // 2],  # cut short
        lambda header: b"not JSON at all",
        lambda header: header.replace(b'"version":2', b'"version":2x'),
        lambda header: b"",
    ],
    ids=["cut", "not-json", "inserted-byte", "empty"],
)
def test_a_header_that_does_not_read_leaves_the_records_readable(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    log = recorded(tmp_path)
    header, _ = damage_header(log, damage(log.read_bytes().split(b"\n", 1)[0]))
    carries_on(tmp_path, log)
    runner = CliRunner()
    damaged = log.read_bytes()
    # The agenda it held is nowhere at hand: repair says what it needs, and changes nothing.
    refused = runner.invoke(cli, ["repair", str(log)])
    assert refused.exit_code == 1 and "--agenda AGENDA.toml" in refused.stderr, refused.output
    assert log.read_bytes() == damaged
    # Another meeting's agenda does not hold the items the records name.
    another = tmp_path / "another.toml"
    another.write_text('[meeting]\ntitle = "Another"\n\n[[items]]\nnumber = "A"\ntitle = "Other"\n')
    other = runner.invoke(cli, ["repair", str(log), "--agenda", str(another)])
    assert other.exit_code == 1 and "not this session's agenda" in other.stderr, other.output
    assert log.read_bytes() == damaged
    repair = runner.invoke(cli, ["repair", str(log), "--agenda", str(COSP)])
    assert repair.exit_code == 0, repair.output
    (side,) = tmp_path.glob("s.jsonl.damaged-*")
    assert side.read_bytes() == damaged.split(b"\n", 1)[0] + b"\n"  # set aside, not lost
    verify = runner.invoke(cli, ["verify", str(log)])
    assert verify.exit_code == GAPS_EXIT and "rebuilt" in verify.stdout, verify.output
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 0 and "Opening of the" in report.stdout, report.output
    assert runner.invoke(cli, ["note", "1", "more", "--log", str(log)]).exit_code == 0
    del header


def test_the_agenda_file_the_header_names_rebuilds_it(tmp_path: Path) -> None:
    agenda = tmp_path / "cosp.toml"
    agenda.write_bytes(COSP.read_bytes())
    runner = CliRunner()
    log = tmp_path / "s.jsonl"
    init = runner.invoke(cli, ["init", str(agenda), "--log", str(log)])
    assert init.exit_code == 0, init.output
    for args in (["open", "1"], ["note", "1", "adopted", "--kind", "decision"]):
        assert runner.invoke(cli, [*args, "--log", str(log), "--actor", "ana"]).exit_code == 0
    header = log.read_bytes().split(b"\n", 1)[0]
    cut = header.index(b'"agenda":') + 40
    damage_header(log, header[:cut] + b"\x00" * 5 + header[cut + 200 :])
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 1 and "Opening of the" in report.stdout, report.output
    assert str(agenda) in report.stderr
    assert runner.invoke(cli, ["repair", str(log)]).exit_code == 0
    assert runner.invoke(cli, ["verify", str(log)]).exit_code == GAPS_EXIT


def fuzz_log(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    log = tmp_path / "fuzz-src.jsonl"
    if not log.exists():
        recorded(tmp_path).rename(log)
    header, rest = log.read_bytes().split(b"\n", 1)
    return log, header, rest


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    how=st.sampled_from(["flip", "byte", "cut", "replace"]),
    where=st.floats(min_value=0, max_value=1),
    value=st.integers(min_value=0, max_value=255),
    blob=st.binary(max_size=300),
)
def test_fuzzed_headers_never_hide_the_records(
    tmp_path: Path, how: str, where: float, value: int, blob: bytes
) -> None:
    _, header, rest = fuzz_log(tmp_path)
    at = min(int(where * len(header)), len(header) - 1)
    damaged = bytearray(header)
    if how == "flip":
        damaged[at] ^= 1 << (value % 8)
    elif how == "byte":
        damaged[at] = value
    elif how == "cut":
        del damaged[at:]
    else:
        damaged = bytearray(blob)
    # A newline in the header makes two lines of it: the records still follow them, but
    # that is damage to a record too; this fuzzes the header alone.
    damaged = bytearray(damaged.replace(b"\n", b" ").replace(b"\r", b" "))
    log = tmp_path / "f.jsonl"
    log.write_bytes(bytes(damaged) + b"\n" + rest)
    with FileStore(log, read_only=True, recover=False) as store:
        texts = [e.data.text for e in store.read() if isinstance(e, NoteAdded)]
        assert texts == ["adopted"]
        good, damage, torn = store.verify()
        assert good == 3 and not torn
        assert bytes(damaged) == header or damage[0].line == 1
    if bytes(damaged) != header:
        service = open_service(str(log))
        try:
            assert service.store.read_only
            assert [note.text for note in service.state.notes.values()] == ["adopted"]
        finally:
            service.close()


NUMBERED_ALIKE = """\
[meeting]
title = "Another meeting, its items numbered as every agenda numbers them"

[[items]]
number = "1"
title = "Opening of the session"

[[items]]
number = "2"
title = "Election of officers"

[[items]]
number = "3"
title = "Other matters"
"""


def _zeroed_inside_agenda(header: bytes) -> bytes:
    at = header.index(b'"items":') + 60
    return header[:at] + b"\x00" * 40 + header[at + 40 :]


def _spliced_inside_a_title(header: bytes) -> bytes:
    # A stretch gone from inside a title: what is left still reads as one, clean but wrong.
    at = header.index(b'"title":', header.index(b'"items":')) + 14
    end = header.index(b'"number":', at + 150) + 3  # inside a key: no longer JSON
    return header[:at] + header[end:]


@pytest.mark.parametrize(
    "damage",
    [
        lambda header: header[: len(header) // 2],
        lambda header: header.replace(b'"version":2', b'"version":2x'),
        _zeroed_inside_agenda,
        _spliced_inside_a_title,
    ],
    ids=["cut", "inserted-byte", "zeroed", "spliced"],
)
def test_an_agenda_sharing_the_items_ids_is_told_apart_by_its_titles(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    log = recorded(tmp_path)
    damage_header(log, damage(log.read_bytes().split(b"\n", 1)[0]))
    damaged = log.read_bytes()
    runner = CliRunner()
    # Its items are numbered 1, 2, 3 like this session's: the records' ids all fit it.
    alike = tmp_path / "alike.toml"
    alike.write_text(NUMBERED_ALIKE, encoding="utf-8")
    other = runner.invoke(cli, ["repair", str(log), "--agenda", str(alike)])
    assert other.exit_code == 1, other.output
    assert other.stderr.count("\n") == 1 and "not this session's agenda" in other.stderr
    assert "the damaged header still reads the title" in other.stderr
    assert log.read_bytes() == damaged  # nothing changed
    # The session's own agenda still fits, damaged titles and all.
    own = runner.invoke(cli, ["repair", str(log), "--agenda", str(COSP)])
    assert own.exit_code == 0, own.output
    report = runner.invoke(cli, ["report", str(log)])
    assert report.exit_code == 0 and "Opening of the" in report.stdout, report.output
