"""The list of speakers through the CLI: a speaker for a group is kept as both, and named so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.state import speaker_who
from tests.test_ui_support import AGENDA

G77 = "the representative of Brazil (on behalf of the Group of 77 and China)"


def _run(log: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--log", str(log)] if args[0] != "init" else list(args))


def test_speaker_who() -> None:
    assert speaker_who("Brazil") == "Brazil"
    assert speaker_who("Brazil", "Group of 77 and China") == G77.removeprefix(
        "the representative of "
    )
    assert speaker_who("Egypt", "the African Group") == "Egypt (on behalf of the African Group)"
    assert speaker_who("European Union", "European Union") == "European Union"


def test_on_behalf_of_and_person_from_the_cli_to_every_export(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    for args in (
        ("open", "2b", "--at", "2020-11-19T10:00Z"),
        (
            "speaker",
            "2b",
            "Brazil",
            "--on-behalf-of",
            "Group of 77 and China",
            "--person",
            "Ms. Silva",
            "--start",
            "--at",
            "2020-11-19T10:01Z",
        ),
        ("speaker", "2b", "Brazil", "--stop", "--at", "2020-11-19T10:04Z"),
    ):
        done = _run(log, *args)
        assert done.exit_code == 0, done.output
    report = json.loads(_run(log, "report", "--json").stdout)
    (entry,) = next(item for item in report["items"] if item["label"] == "2(b)")["speakers"]
    assert (entry["name"], entry["on_behalf_of"], entry["person"]) == (
        "Brazil",
        "Group of 77 and China",
        "Ms. Silva",
    )
    assert "Brazil (on behalf of the Group of 77 and China)" in _run(log, "report").stdout
    for fmt in ("md", "html", "csv"):
        page = _run(log, "export", "--format", fmt, "-o", "-").stdout
        assert G77[1:] in page.replace("\n", " "), fmt  # "The representative" opens a sentence
    journal = _run(log, "journal").stdout
    assert "on behalf of Group of 77 and China" in journal and "Ms. Silva" in journal


def test_bad_speaker_input_is_one_line(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    assert _run(log, "init", str(AGENDA), "--log", str(log)).exit_code == 0
    done = _run(log, "speaker", "2b", "Brazil", "--limit", "soon")
    assert done.exit_code != 0 and done.stderr.count("\n") == 1 and "--limit" in done.stderr
