"""Speakers are named as the register knows them, and without one as the shipped UN list does:
the European Union speaks through an observer, not a representative."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.register import Participant, fold, speaker_roles

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def _run(log: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--log", str(log)])
    assert result.exit_code == 0, result.output
    return result.output


def _brazil_then_the_eu(log: Path, *register: str) -> None:
    _run(log, "init", str(AGENDA))
    for name in register:
        _run(log, "participant", "add", name)
    _run(log, "open", "2b", "--at", "2020-11-19 10:00")
    _run(log, "speaker", "2b", "Brazil", "--start", "--at", "2020-11-19 10:01")
    _run(log, "speaker", "2b", "European Union", "--start", "--at", "2020-11-19 10:03")
    _run(log, "close", "2b", "--at", "2020-11-19 10:10")


def test_without_a_register_the_eu_speaks_through_an_observer(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _brazil_then_the_eu(log)
    report = _run(log, "export", "--format", "md")
    assert "A statement was made by the representative of Brazil." in report
    assert "The observer for the European Union also made a statement." in report
    assert "representatives of Brazil and the European Union" not in report
    csv = _run(log, "export", "--format", "csv")
    assert "The observer for the European Union also made a statement." in csv


def test_a_register_without_the_eu_still_knows_it_from_the_un_list(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _brazil_then_the_eu(log, "Brazil")
    report = _run(log, "export", "--format", "md")
    assert "The observer for the European Union also made a statement." in report


def test_the_register_decides_for_the_names_it_holds() -> None:
    registered = {fold("Brazil"): Participant(name="Brazil", kind="observer State")}
    roles = speaker_roles(registered)
    assert roles[fold("Brazil")] == "observer"
    assert roles[fold("European Union")] == "observer"
    assert roles[fold("Egypt")] == "representative"
    assert fold("Atlantis") not in roles  # not on any list: the report's default, a State
    assert speaker_roles({})[fold("Brazil")] == "representative"  # the cache is not changed


def test_organizations_are_observers_named_with_the(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _run(log, "init", str(AGENDA))
    _run(log, "participant", "add", "World Bank", "--kind", "IGO")
    _run(log, "participant", "add", "Transparency International", "--kind", "NGO")
    # Not on the UN list, no --kind: a United Nations entity by its name, and said so.
    result = CliRunner().invoke(
        cli, ["participant", "add", "United Nations Office on Drugs and Crime", "--log", str(log)]
    )
    assert result.exit_code == 0, result.output
    assert "not on the UN list: recorded as UN entity" in result.output
    _run(log, "open", "2b", "--at", "2020-11-19 10:00")
    names = ["Brazil", "World Bank", "Transparency International"]
    names.append("United Nations Office on Drugs and Crime")
    for minute, name in enumerate(names, 1):
        _run(log, "speaker", "2b", name, "--start", "--at", f"2020-11-19 10:0{minute}")
    _run(log, "close", "2b", "--at", "2020-11-19 10:10")
    report = _run(log, "export", "--format", "md")
    assert "A statement was made by the representative of Brazil." in report
    assert (
        "The observers for the World Bank, Transparency International and the United Nations"
        " Office on Drugs and Crime also made statements." in report
    )


def test_an_unlisted_name_taken_for_a_state_is_said(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _run(log, "init", str(AGENDA))
    output = _run(log, "participant", "add", "Atlantis")
    assert "'Atlantis' is not on the UN list: recorded as Member State" in output
    assert "not on the UN list" not in _run(log, "participant", "add", "Kenya")
