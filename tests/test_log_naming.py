"""Default logs never shared by two agendas; a log of another meeting is not resumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import COSP


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SESSIONTUI_LOG", raising=False)


def agenda_in(folder: Path, title: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "agenda.toml"
    text = COSP.read_text(encoding="utf-8")
    start = text.index("title = ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f'title = "{title}"' + text[end:], encoding="utf-8")
    return path


def test_two_agendas_of_the_same_name_never_share_a_log(tmp_path: Path) -> None:
    runner = CliRunner()
    old = agenda_in(tmp_path / "agendas" / "2024", "Meeting of 2024")
    new = agenda_in(tmp_path / "agendas" / "2025", "Meeting of 2025")
    first = runner.invoke(cli, ["init", str(old)])
    second = runner.invoke(cli, ["init", str(new)])
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    assert first.stdout.strip() != second.stdout.strip()
    # The same agenda again finds its own log (it is never overwritten).
    again = runner.invoke(cli, ["init", str(old)])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_a_log_of_another_meeting_is_refused_with_the_way_forward(tmp_path: Path) -> None:
    runner = CliRunner()
    old = agenda_in(tmp_path / "2024", "Meeting of 2024")
    new = agenda_in(tmp_path / "2025", "Meeting of 2025")
    log = tmp_path / "s.jsonl"
    assert runner.invoke(cli, ["init", str(old), "--log", str(log)]).exit_code == 0
    refused = runner.invoke(cli, [str(new), "--log", str(log)])
    assert refused.exit_code == 1
    line = refused.stderr.strip()
    assert "\n" not in line and "another meeting" in line and "give a new --log" in line


@pytest.mark.parametrize(
    ("at", "words"),
    [
        # Said in the meeting's time, as typed (Vienna), never in another zone's.
        ("1970-01-01T09:00Z", "1970-01-01 10:00 Europe/Vienna is more than a day"),
        ("2021-05-01 10:00", "2021-05-01 10:00 Europe/Vienna is more than a day"),
    ],
)
def test_an_at_far_from_the_meeting_and_from_now_needs_force(
    tmp_path: Path, at: str, words: str
) -> None:
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(COSP), "--log", str(log)]).exit_code == 0
    refused = runner.invoke(cli, ["open", "1", "--at", at, "--log", str(log)])
    assert refused.exit_code == 1 and words in refused.stderr and "--force" in refused.stderr
    # The meeting's own days (recorded from paper notes afterwards) need no --force.
    ok = runner.invoke(cli, ["open", "1", "--at", "2020-11-20 10:00Z", "--log", str(log)])
    assert ok.exit_code == 0, ok.output
    forced = runner.invoke(
        cli, ["close", "1", "--at", "2021-05-01T10:00Z", "--force", "--log", str(log)]
    )
    assert forced.exit_code == 0, forced.output


def test_local_times_the_clocks_skipped_or_repeated_are_refused(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.toml"
    text = COSP.read_text(encoding="utf-8")
    assert 'timezone = "Europe/Vienna"' in text  # the meeting's own zone, shipped
    agenda.write_text(text, encoding="utf-8")
    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    gap = runner.invoke(
        cli, ["open", "1", "--at", "2020-03-29 02:30", "--force", "--log", str(log)]
    )
    assert gap.exit_code == 1 and "no such time" in gap.stderr, gap.output
    twice = runner.invoke(
        cli, ["open", "1", "--at", "2020-10-25 02:30", "--force", "--log", str(log)]
    )
    assert twice.exit_code == 1 and "happened twice" in twice.stderr, twice.output
    offset = runner.invoke(
        cli, ["open", "1", "--at", "2020-10-25T02:30+01:00", "--force", "--log", str(log)]
    )
    assert offset.exit_code == 0, offset.output
