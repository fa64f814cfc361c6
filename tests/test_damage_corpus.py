"""A damage corpus: every kind of damage, at every place, and what verify and repair make of it.

For each damaged copy of a real log, ``verify`` must name the line at fault (and the kind of
fault) and ``repair`` must keep every event it can place, setting aside only what fails its own
checksum or cannot be placed. The counts per kind are printed with the test's output.
"""

from __future__ import annotations

import collections
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.commands.logfile import GAPS_EXIT
from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, CloseItem, NextItem, OpenItem
from sessiontui.core.events import Event, decode_event, seal
from sessiontui.service import SessionService
from sessiontui.store.evidence import examine
from sessiontui.store.file import FileStore
from sessiontui.store.repair import repair_log

from .conftest import START, make_log

Damage = Callable[[list[bytes]], tuple[list[bytes], int, str, set[int]]]
"""Lines in -> (damaged lines, the line verify must name, the kind, seqs repair may not keep)."""


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    log = make_log(tmp_path_factory.mktemp("corpus") / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    commands = [
        OpenItem("1"),  # two events: the sitting opens implicitly
        AddNote("1", "first note"),
        AddNote("1", "adopted", kind="decision"),
        NextItem(),  # close 1, open 2
        AddSpeaker("2", "Brazil", start=True),  # two events
        AddNote("2", "a statement"),
        CloseItem("2"),
        OpenItem("3"),
        AddSpeaker("3", "Chile", start=True),  # two events: a cut at their boundary shows
    ]
    for command in commands:
        clock.advance(60)
        service.run(command)
    service.close()
    return log


def events_of(data: bytes) -> list[Event]:
    return [decode_event(line + b"\n") for line in data.split(b"\n")[1:] if line]


def kept_after_repair(tmp: Path, data: bytes) -> tuple[set[tuple[int, str]], int]:
    log = tmp / "s.jsonl"
    log.write_bytes(data)
    repair_log(log)
    result = CliRunner().invoke(cli, ["verify", str(log)])
    with FileStore(log, read_only=True) as store:
        return {(event.seq, event.id) for event in store.read()}, result.exit_code


def flip(at: int, bit: int = 0) -> Damage:
    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        index, position = at, len(lines[at]) // 3
        line = bytearray(lines[index])
        line[position] ^= 1 << bit
        out = [*lines[:index], bytes(line), *lines[index + 1 :]]
        if index == 0:
            return out, 1, "header", set()
        return out, index + 1, "damaged", {json.loads(lines[index])["seq"]}

    return damage


def delete(at: int) -> Damage:
    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        out = [*lines[:at], *lines[at + 1 :]]
        return out, at + 1, "missing", {json.loads(lines[at])["seq"]}

    return damage


def swap(at: int) -> Damage:
    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        out = [*lines[:at], lines[at + 1], lines[at], *lines[at + 2 :]]
        return out, at + 1, "order", set()

    return damage


def duplicate(at: int) -> Damage:
    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        out = [*lines[: at + 1], lines[at], *lines[at + 1 :]]
        return out, at + 2, "duplicate", set()

    return damage


def reseal(at: int) -> Damage:
    """Edit a line and recompute its checksum (what anyone can do)."""

    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        event = decode_event(lines[at])
        event.actor = "forger"
        out = [*lines[:at], seal(event), *lines[at + 1 :]]
        return out, at + 1, "altered", {event.seq}

    return damage


def truncate(at: int) -> Damage:
    def damage(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
        out = [*lines[:at], lines[at][: len(lines[at]) // 2]]
        lost = {json.loads(line)["seq"] for line in lines[at:]}
        return out, at + 1, "torn", lost

    return damage


def crlf(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
    return [line[:-1] + b"\r\n" for line in lines], 1, "crlf", set()


def no_final_newline(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
    return [*lines[:-1], lines[-1][:-1]], len(lines), "newline", set()


def cut_command(lines: list[bytes]) -> tuple[list[bytes], int, str, set[int]]:
    lost = json.loads(lines[-1])["seq"]
    return lines[:-1], len(lines) - 1, "cut", {lost}


def test_the_damage_corpus(
    genuine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = genuine.read_bytes().splitlines(keepends=True)
    original = {(event.seq, event.id) for event in events_of(genuine.read_bytes())}
    count = len(lines)
    cases: list[tuple[str, Damage]] = [
        ("bit flip", flip(i, bit)) for i in range(count) for bit in (0, 3, 6)
    ]
    cases += [("truncation", truncate(i)) for i in range(1, count)]
    cases += [("deleted line", delete(i)) for i in range(1, count - 1)]  # the last: see anchors
    cases += [("swapped lines", swap(i)) for i in range(1, count - 1)]
    cases += [("duplicated line", duplicate(i)) for i in range(1, count)]
    cases += [("edited and resealed", reseal(i)) for i in range(1, count - 1)]
    cases += [
        ("CRLF", crlf),
        ("missing final newline", no_final_newline),
        ("cut command", cut_command),
    ]
    tally: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    for number, (kind, damage) in enumerate(cases):
        damaged, line, fault, may_lose = damage(list(lines))
        data = b"".join(damaged)
        found = examine(data)
        named = [(finding.line, finding.kind) for finding in found.findings]
        if (line, fault) not in named:
            failures.append(f"{kind} #{number}: expected line {line} {fault}, got {named}")
            continue
        folder = tmp_path / str(number)
        folder.mkdir()
        kept, status = kept_after_repair(folder, data)
        lost = {seq for seq, _ in original - kept}
        if not lost <= may_lose or kept - original:
            failures.append(f"{kind} #{number}: repair lost {sorted(lost - may_lose)}")
            continue
        if status not in (0, GAPS_EXIT):
            failures.append(f"{kind} #{number}: verify after repair exited {status}")
            continue
        shutil.rmtree(folder)
        tally[kind] += 1
    with capsys.disabled():
        print(
            "\ndamage corpus (cases where verify named the line and repair kept every placeable event):"
        )
        for kind in dict.fromkeys(kind for kind, _ in cases):
            total = sum(1 for k, _ in cases if k == kind)
            print(f"  {kind:24} {tally[kind]:3} / {total}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "command",
    [["report"], ["report", "--json"], ["export", "--format", "md"], ["export", "--format", "csv"]],
)
def test_a_damaged_log_is_reported_up_to_the_damage_with_exit_1(
    genuine: Path, tmp_path: Path, command: list[str]
) -> None:
    """A record damaged mid-log: the part before it is given, the damage named on stderr, and
    the exit status is 1 (as `journal`'s), so that a script never takes the part for the whole;
    the log is left as it was."""
    lines = genuine.read_bytes().split(b"\n")
    damaged, line_no, _kind, _lost = flip(6)(lines)
    log = tmp_path / "s.jsonl"
    log.write_bytes(b"\n".join(damaged))
    before = log.read_bytes()
    result = CliRunner().invoke(cli, [*command, str(log)])
    assert result.exit_code == 1, result.output
    assert f"damaged record at line {line_no}" in result.stderr
    assert "repair" in result.stderr
    assert result.stdout.strip()  # the part before the damage is there
    assert log.read_bytes() == before
