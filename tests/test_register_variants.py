"""A State's name typed another way is the State the UN list names: "Cote d’Ivoire" (no accent,
a word processor's apostrophe) is Côte d'Ivoire, never a new Member State beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.register import Participant, find, fold, shipped

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


@pytest.mark.parametrize(
    "typed", ["Cote d’Ivoire", "Côte d‘Ivoire", "COTE DʼIVOIRE", "Cote d´Ivoire"]
)
def test_apostrophes_compare_alike(typed: str) -> None:
    assert fold(typed) == fold("Côte d'Ivoire")
    found = find(typed, shipped())
    assert found is not None and found.name == "Côte d'Ivoire"


def test_a_registered_name_is_found_by_any_apostrophe() -> None:
    registered = [Participant(name="Conseil de l’Europe", kind="IGO")]
    assert find("Conseil de l'Europe", registered) is registered[0]


def _add(log: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["participant", "add", *args, "--log", log])
    return result.exit_code, result.stdout, result.stderr


def _listed(log: str) -> list[str]:
    result = CliRunner().invoke(cli, ["participant", "list", log])
    assert result.exit_code == 0, result.output
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = str(tmp_path / "s.jsonl")
    assert CliRunner().invoke(cli, ["init", str(AGENDA), "--log", path]).exit_code == 0
    return path


def test_a_typographic_apostrophe_adds_the_state_the_un_list_names(log: str) -> None:
    code, _, err = _add(log, "Cote d’Ivoire")
    assert code == 0 and "not on the UN list" not in err, err  # the UN list's State
    assert _listed(log) == ["Côte d'Ivoire"]
    code, _, err = _add(log, "Côte d'Ivoire")
    assert code == 1 and "already" in err, err
    assert _listed(log) == ["Côte d'Ivoire"]  # one State, not two


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Turkey", "Türkiye"),  # commonly said
        ("Cote dIvoire", "Côte d'Ivoire"),  # no apostrophe
        ("Cote d Ivoire", "Côte d'Ivoire"),
        ("Guinea Bissau", "Guinea-Bissau"),
        ("Kenia", "Kenya"),  # a slip
        ("Brasil", "Brazil"),
    ],
)
def test_a_near_variant_of_a_un_name_is_refused_as_turkey_is(
    log: str, typed: str, listed: str
) -> None:
    code, _, err = _add(log, typed)
    assert code == 1, err
    assert f"which names it {listed!r}" in err and err.count("\n") == 1, err
    assert _listed(log) == []
    # Kept as typed when the kind is given: a choice, not a slip.
    assert _add(log, typed, "--kind", "Member State")[0] == 0
    assert _listed(log) == [typed]


@pytest.mark.parametrize("typed", ["Greenpeace", "Kosovo", "Scotland"])
def test_a_name_near_no_un_name_is_added_with_a_warning(log: str, typed: str) -> None:
    code, _, err = _add(log, typed)
    assert code == 0 and "is not on the UN list: recorded as Member State" in err, err
    assert _listed(log) == [typed]
