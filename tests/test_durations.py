"""One rounding rule: a duration reads the same on screen, in the journal, the report and exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.clock import format_duration, whole_seconds
from sessiontui.exporters.model import duration
from sessiontui.ui.format import clock
from tests.test_ui_support import AGENDA


def _run(log: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--log", str(log)] if args[0] != "init" else list(args))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.4, "0:00"),
        (0.5, "0:01"),  # half up, not to even
        (1.6, "0:02"),
        (2.5, "0:03"),
        (19.6, "0:20"),
        (179.5, "3:00"),
        (3599.5, "1:00:00"),
        (-0.4, "0:00"),
        (-19.6, "-0:20"),
    ],
)
def test_one_rule_for_every_view(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
    assert clock(seconds) == text  # what the tracker's widgets call
    assert duration(seconds) == text  # what the Markdown/HTML/Word report calls
    assert whole_seconds(seconds) == (-1 if text.startswith("-") else 1) * sum(
        int(part) * 60**i for i, part in enumerate(reversed(text.lstrip("-").split(":")))
    )


def test_signed_figures() -> None:
    assert format_duration(19.6, signed=True) == "+0:20"
    assert format_duration(-19.6, signed=True) == "-0:20"
    assert format_duration(0.2, signed=True) == "0:00"
    assert format_duration(None) == "-"


@pytest.mark.parametrize(("stop", "spoke"), [("10:01:01.6", "0:02"), ("10:01:19.6", "0:20")])
def test_screen_journal_and_report_agree(tmp_path: Path, stop: str, spoke: str) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    for args in (
        ("open", "2b", "--at", "2020-11-19T10:00Z"),
        ("speaker", "2b", "Brazil", "--start", "--at", "2020-11-19T10:01Z"),
        ("speaker", "2b", "Brazil", "--stop", "--at", f"2020-11-19T{stop}Z"),
    ):
        done = _run(log, *args)
        assert done.exit_code == 0, done.output
    report = json.loads(_run(log, "report", "--json").stdout)
    (entry,) = next(item for item in report["items"] if item["label"] == "2(b)")["speakers"]
    # The tracker's speakers list writes the speaker's seconds through ``clock``.
    assert clock(entry["seconds"]) == spoke
    assert f"spoke {spoke}" in _run(log, "journal").stdout
    assert f"Brazil: {spoke}" in _run(log, "report").stdout


def test_a_column_of_durations_reads_in_one_unit() -> None:
    # The report's timing annex: "13:00" beside "7:44:00" would read as thirteen hours.
    assert format_duration(13 * 60, hours=True) == "0:13:00"
    assert format_duration(-19.6, signed=True, hours=True) == "-0:00:20"
    assert format_duration(7 * 3600 + 44 * 60, hours=True) == "7:44:00"
    assert duration(13 * 60, hours=True) == "0:13:00"
    assert duration(None, hours=True) == "–"
