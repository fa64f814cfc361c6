"""``sessiontui check``: a summary on success, every problem as file:line:col on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli

ROOT = Path(__file__).resolve().parent.parent
AGENDAS = ROOT / "agendas"
CORPUS = Path(__file__).parent / "agenda_corpus"


def check(path: Path | str) -> Result:
    return CliRunner().invoke(cli, ["check", str(path)])


@pytest.mark.parametrize("path", sorted(AGENDAS.glob("*.toml")), ids=lambda p: p.stem)
def test_check_passes_on_every_shipped_agenda(path: Path) -> None:
    result = check(path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{path}: valid agenda\n")
    assert result.stderr == ""


def test_check_summarises_the_agenda() -> None:
    path = AGENDAS / "example-two-day-meeting.toml"
    assert check(path).stdout == (
        f"{path}: valid agenda\n"
        "  Open-ended Working Group on Sample Procedures\n"
        "  dates: 2025-06-02 to 2025-06-03\n"
        "  16 items in 3 levels\n"
        "  planned: 11h 10m\n"
        "  sittings: 4 over 2 days\n"
    )


def test_check_summary_of_an_agenda_without_plans() -> None:
    path = AGENDAS / "cosp-intersessional-2020.toml"
    lines = check(path).stdout.splitlines()
    assert lines[2:] == [
        "  dates: 2020-11-19 to 2020-11-20",
        "  8 items in 2 levels",
        "  planned: no durations",
        "  sittings: none",
    ]
    minimal = check(CORPUS / "valid" / "minimal.toml").stdout.splitlines()
    assert minimal[1:] == [
        "  Minimal meeting",
        "  no items",
        "  planned: no durations",
        "  sittings: none",
    ]


def test_check_lists_every_problem_on_stderr() -> None:
    path = CORPUS / "invalid" / "wrong-types.toml"
    result = check(path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 9
    assert lines[0] == f'{path}:3:9: "title" must be a string, not an integer (write title = "42")'
    assert all(line.startswith(f"{path}:") for line in lines)


@pytest.mark.parametrize(
    ("limit", "said"),
    [
        (
            "-3",
            '"speaking_limit" must be a positive duration such as "3m" or "90s", not the number -3',
        ),
        (
            "0",
            '"speaking_limit" must be a positive duration such as "3m" or "90s", not the number 0',
        ),
        (
            "90",
            '"speaking_limit" must be a duration of at most 1 hour such as "3m" or "90s", '
            "not the number 90",
        ),
        (
            "3",
            '"speaking_limit" must be a string such as "3m" or "90s", not a number '
            '(write speaking_limit = "3m")',
        ),
    ],
)
def test_check_advises_only_what_its_next_run_accepts(
    tmp_path: Path, limit: str, said: str
) -> None:
    """For -3 it advised writing "-3m", which the next check refused in turn."""
    path = tmp_path / "agenda.toml"
    path.write_text(f'[meeting]\ntitle = "M"\nspeaking_limit = {limit}\n', "utf-8")
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:3:18: {said}\n"
    advised = said.partition("(write speaking_limit = ")[2].rstrip(")")
    if advised:
        path.write_text(f'[meeting]\ntitle = "M"\nspeaking_limit = {advised}\n', "utf-8")
        assert check(path).exit_code == 0


@pytest.mark.parametrize(("minutes", "advice"), [("90m", " (write minutes = 90)"), ("30h", "")])
def test_minutes_advice_is_within_a_day(tmp_path: Path, minutes: str, advice: str) -> None:
    """For "30h" it advised 1800 minutes, which the next check refused as more than 24 hours."""
    path = tmp_path / "agenda.toml"
    path.write_text(f'[meeting]\ntitle = "M"\n[[items]]\ntitle = "A"\nminutes = "{minutes}"\n')
    said = check(path).stderr
    assert said == f'{path}:5:11: "minutes" must be a number, not a string{advice}\n'


def test_a_file_toml_cannot_read_says_the_rest_is_checked_later(tmp_path: Path) -> None:
    """An impossible date stops TOML reading the file at all: "item 1 has no title" comes once
    it is fixed, and the one problem said must not read as the only one."""
    path = tmp_path / "agenda.toml"
    agenda = '[meeting]\ntitle = "M"\ndates = [{}]\n\n[[items]]\nnumber = "1"\n'
    path.write_text(agenda.format("2024-02-30"), "utf-8")
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:3:10: 2024-02-30 is not a date: day is out of range for month; "
        "the rest of the file is checked once this is fixed\n"
    )
    path.write_text(agenda.format("2024-02-29"), "utf-8")
    assert check(path).stderr == f'{path}:5:1: item 1 has no "title"\n'


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.toml", "no such file"), (".", "is a folder, not an agenda file")],
)
def test_unreadable_file_is_one_line(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr == f"sessiontui: error: {path}: {message}\n"
    # Every command that reads an agenda says it alike, never as a bare line of its own.
    log = str(tmp_path / "s.jsonl")
    served = [["serve", str(path), "--log", log]] if path.suffix == ".toml" else []
    for args in [["init", str(path)], *served]:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr == f"sessiontui: error: {path}: {message}\n", args


def test_empty_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"sessiontui: error: {path}: file is empty; an agenda needs a [meeting] table with a title\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a" + b".a" * 100_000 + b" = 1\n", "1:1: dotted key with more than 64 parts"),
        (b"a = " + b"[" * 100_000, "1:37: nested more than 32 levels deep"),
        (b"[meeting]\ntitle = 1\x00\n", "2:10: NUL byte: this is not a text file"),
        (
            b"[meeting]\ntitle = '\xff'\n",
            "2:10: not valid UTF-8 (byte 0xff); save the file as UTF-8",
        ),
        (b"n = " + b"1" * 10_000, "1:5: number with more than 100 digits"),
    ],
    ids=["dotted-key", "nesting", "nul", "utf8", "bigint"],
)
def test_hostile_input_in_cli_runner(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_bytes(content)
    result = check(path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == f"{path}:{message}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" + b"a." * 200_000 + b"a]\n", "1:2: dotted key with more than 64 parts"),
        (b"a = " + b"{b=" * 200_000, "1:101: nested more than 32 levels deep"),
    ],
    ids=["dotted-key", "nesting"],
)
def test_hostile_input_in_a_real_process(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hostile.toml"
    path.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SESSIONTUI_DEBUG", None)
    completed = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", str(path)],
        capture_output=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == b""
    assert completed.stderr.decode() == f"{path}:{message}\n"
    assert b"Traceback" not in completed.stderr
