"""Who spoke, as the draft report tells it: each speaker once, in the order they first spoke."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def _run(log: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--log", str(log)])
    assert result.exit_code == 0, result.output
    return result.output


def _speak(log: Path, item: str, names: list[str], *, hour: int = 10) -> None:
    """``names`` take the floor on ``item`` one a minute from ``hour``:01."""
    for minute, name in enumerate(names, 1):
        _run(log, "speaker", item, name, "--start", "--at", f"2020-11-19 {hour}:{minute:02}")


def _meeting(log: Path) -> None:
    _run(log, "init", str(AGENDA))
    _run(log, "sitting", "open", "--at", "2020-11-19 09:59")
    _run(log, "open", "2a", "--at", "2020-11-19 10:00")


def test_a_delegation_that_spoke_twice_is_named_once(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _speak(log, "2a", ["Mexico", "Saudi Arabia", "Mexico"])
    _run(log, "speaker", "2a", "Brazil", "--kind", "reply", "--start", "--at", "2020-11-19 10:04")
    _run(log, "speaker", "2a", "Mexico", "--start", "--at", "2020-11-19 10:05")
    _run(log, "speaker", "2a", "Chile", "--start", "--at", "2020-11-19 10:06")
    _run(log, "speaker", "2a", "Brazil", "--kind", "reply", "--start", "--at", "2020-11-19 10:07")
    _run(log, "close", "2a", "--at", "2020-11-19 10:10")
    for fmt in ("md", "csv"):
        report = " ".join(_run(log, "export", "--format", fmt).split())
        assert "Statements were made by the representatives of Mexico and Saudi Arabia." in report
        # Each reply is an act of its own: counted where Brazil is named, never dropped.
        reply = (
            "The representative of Brazil made two statements in exercise of the right of reply."
        )
        chile = "A statement was also made by the representative of Chile."
        assert 0 < report.index(reply) < report.index(chile)
        assert report.count("right of reply") == 1
        assert report.count("made by the representative of ") == 1  # Chile, and not Mexico again


def test_officers_and_the_secretariat_are_no_delegations(tmp_path: Path) -> None:
    """An office ("Chair", "President of the Conference", "Co-facilitator") is said by its
    office and the secretariat as the secretariat, never "the representatives of Chair"; in
    every format and language, by ``office_of``'s one table of offices."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _speak(log, "2a", ["Kenya", "Chair", "Brazil", "Co-facilitator", "Secretariat"])
    _run(log, "open", "2b", "--at", "2020-11-19 11:00")
    _speak(log, "2b", ["President of the Conference"], hour=11)
    _run(log, "close", "2b", "--at", "2020-11-19 11:10")
    for fmt in ("md", "csv"):
        report = " ".join(_run(log, "export", "--format", fmt).split())
        assert "Statements were made by the representatives of Kenya and Brazil." in report
        assert "The Chair and the Co-facilitator also made statements." in report
        assert "A statement was also made by the representative of the secretariat." in report
        assert "The President of the Conference made a statement." in report
        assert "representative of Chair" not in report
        assert "representatives of Kenya, Chair" not in report
    french = " ".join(_run(log, "export", "--format", "md", "--lang", "fr").split())
    assert "La présidence et le Cofacilitateur ont également fait des déclarations." in french
    assert "été faite par le représentant du secrétariat." in french


def test_the_register_decides_before_the_offices(tmp_path: Path) -> None:
    """A name the register holds is named as it says, whatever words it starts with."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _run(log, "participant", "add", "Bureau of Investigation", "--kind", "IGO")
    _speak(log, "2a", ["Bureau of Investigation", "Chair"])
    _run(log, "close", "2a", "--at", "2020-11-19 10:10")
    report = " ".join(_run(log, "export", "--format", "md").split())
    assert "The observer for Bureau of Investigation made a statement." in report
    assert "The Chair also made a statement." in report


def test_an_item_just_taken_up_was_considered_at_that_meeting(tmp_path: Path) -> None:
    """Taken up by the last thing recorded, no time on its clock yet: it was considered at the
    meeting that took it up, and the report says so before "was not concluded"."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _speak(log, "2a", ["Kenya"])
    _run(log, "open", "2c", "--at", "2020-11-19 10:05")
    for fmt in ("md", "html"):
        report = " ".join(_run(log, "export", "--format", fmt).split())
        considered = (
            "At its 1st meeting, on 19 November 2020, the meeting considered agenda item 2(c),"
        )
        assert considered in report
        assert report.index(considered) < report.index("agenda item 2(c) was not concluded.")
    french = " ".join(_run(log, "export", "--format", "md", "--lang", "fr").split())
    assert "la réunion a examiné le point 2(c) de l’ordre du jour" in french


def test_a_sub_item_just_taken_up_brings_its_item_to_that_meeting(tmp_path: Path) -> None:
    """2(b) taken up at the opening of the 2nd meeting, the last thing recorded: 2(b) and its
    item 2 were considered at that meeting."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _speak(log, "2a", ["Kenya"])
    _run(log, "close", "2a", "--at", "2020-11-19 10:10")
    _run(log, "sitting", "close", "--at", "2020-11-19 13:00")
    _run(log, "sitting", "open", "--at", "2020-11-20 10:00")
    _run(log, "open", "2b", "--at", "2020-11-20 10:00")
    report = " ".join(_run(log, "export", "--format", "md").split())
    assert (
        "At its 1st and 2nd meetings, on 19 and 20 November 2020, the meeting considered"
        " agenda item 2," in report
    )
    assert (
        "At its 2nd meeting, on 20 November 2020, the meeting considered agenda item 2(b),"
        in report
    )


def _take(log: Path, item: str, name: str, kind: str, minute: int, hour: int = 10) -> None:
    """``name`` speaks on ``item`` for half a minute from ``hour``:``minute``."""
    at = f"2020-11-19 {hour}:{minute:02}"
    _run(log, "speaker", item, name, "--kind", kind, "--start", "--at", at)
    _run(log, "speaker", item, name, "--stop", "--at", f"{at}:30")


def test_a_second_point_of_order_or_reply_is_not_dropped(tmp_path: Path) -> None:
    """Two points of order by one delegation on one item are two acts: the report counts them
    where it names the delegation, as it counts two replies; a statement is still told once."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _take(log, "2a", "Pakistan", "point_of_order", 1)
    _take(log, "2a", "Kenya", "statement", 2)
    _take(log, "2a", "Pakistan", "point_of_order", 3)
    _take(log, "2a", "Brazil", "reply", 4)
    _take(log, "2a", "Brazil", "reply", 5)
    _take(log, "2a", "Kenya", "statement", 6)
    _take(log, "2a", "Brazil", "reply", 7)
    _take(log, "2a", "Chair", "point_of_order", 8)
    _take(log, "2a", "Chair", "point_of_order", 9)
    _run(log, "open", "2b", "--at", "2020-11-19 11:00")
    for minute, name in enumerate(("Chile", "Peru", "Chile"), 1):
        _take(log, "2b", name, "reply", minute, hour=11)
    _run(log, "close", "2b", "--at", "2020-11-19 11:10")
    for fmt in ("md", "csv"):
        report = " ".join(_run(log, "export", "--format", fmt).split())
        assert "The representative of Pakistan raised two points of order." in report
        assert "raised a point of order" not in report
        assert (
            "The representative of Brazil made three statements in exercise of the right of reply."
            in report
        )
        assert "The Chair raised two points of order." in report
        assert (
            "The representatives of Chile (twice) and Peru made statements in exercise of the "
            "right of reply." in report
        )
        assert report.count("Kenya") == 1
    french = " ".join(_run(log, "export", "--format", "md", "--lang", "fr").split())
    assert "Le représentant du Pakistan a soulevé deux motions d’ordre." in french
    assert "a fait trois déclarations dans l’exercice du droit de réponse." in french
    assert "droit de réponse : Chili (deux fois) et Pérou." in french
    minutes = " ".join(_run(log, "export", "--format", "md", "--style", "minutes").split())
    assert "Pakistan (2 points of order)" in minutes and "Brazil (3 replies)" in minutes


SECRETARIAT_AGENDA = """\
[meeting]
title = "Tenth session of the Conference of the Parties"
dates = [2020-11-19]
{secretariat}
[[items]]
number = "1"
title = "Review of implementation"
"""


def _session(folder: Path, secretariat: str, names: list[str]) -> str:
    """A meeting whose agenda names its secretariat (or not), ``names`` speaking on item 1:
    its report in English, on one line."""
    agenda, log = folder / "agenda.toml", folder / "s.jsonl"
    agenda.write_text(SECRETARIAT_AGENDA.format(secretariat=secretariat), "utf-8")
    _run(log, "init", str(agenda))
    _run(log, "open", "1", "--at", "2020-11-19 10:00")
    _speak(log, "1", names)
    return " ".join(_run(log, "export", "--format", "md").split())


SECRETARIAT = "A statement was also made by the representative of the secretariat."


@pytest.mark.parametrize(
    "name",
    [
        "Secretariat",
        "the secretariat",
        "IMO Secretariat",
        "UNFCCC secretariat",
        "the secretariat of the Basel Convention",
        "Secretariat (UNODC)",
        "Secrétariat de la Convention",
    ],
)
def test_a_secretariat_is_known_by_how_its_name_says_it(tmp_path: Path, name: str) -> None:
    """However a speaker's name says it is a secretariat, it is the secretariat, never a
    delegation ("the representative of IMO Secretariat"), with no list of secretariats."""
    report = _session(tmp_path, "", ["Kenya", name])
    assert SECRETARIAT in report
    assert "A statement was made by the representative of Kenya." in report
    assert "representatives of Kenya and" not in report and "observer for" not in report


def test_the_agenda_names_the_meeting_s_secretariat(tmp_path: Path) -> None:
    """``[meeting] secretariat = "UNODC"``: a speaker "UNODC" (or "UNODC Secretariat") is the
    secretariat; another body's secretariat speaks as an organization's observer."""
    report = _session(
        tmp_path,
        'secretariat = "UNODC"',
        ["Kenya", "UNODC", "Basel Convention Secretariat", "UNODC Secretariat"],
    )
    assert SECRETARIAT in report
    assert "representative of UNODC" not in report
    assert "The observer for the Basel Convention Secretariat also made a statement." in report
    assert report.count("secretariat") == 1  # UNODC and its secretariat: one speaker


def test_without_it_a_name_of_no_secretariat_is_a_delegation(tmp_path: Path) -> None:
    report = _session(tmp_path, "", ["Kenya", "UNODC"])
    assert "Statements were made by the representatives of Kenya and UNODC." in report


@pytest.mark.parametrize(
    ("name", "office"),
    [
        ("Ms. Ana Ruiz, Chair", "The Chair"),
        ("Mr. Li Wei (Vice-Chair)", "The Vice-Chair"),
        ("Rapporteur", "The Rapporteur"),
        ("Ana Ruiz, President of the Conference", "The President of the Conference"),
    ],
)
def test_a_person_with_an_office_is_named_by_the_office(
    tmp_path: Path, name: str, office: str
) -> None:
    """An officer is the office, whoever holds it: "The Chair also made a statement.", never
    "the representatives of Kenya and Ms. Ana Ruiz, Chair"."""
    report = _session(tmp_path, "", ["Kenya", name])
    assert "A statement was made by the representative of Kenya." in report
    assert f"{office} also made a statement." in report
    assert "Ana" not in report and "Li Wei" not in report


def test_a_delegation_chairing_a_group_stays_a_delegation(tmp_path: Path) -> None:
    report = _session(tmp_path, "", ["Egypt (Chair of the Group of Arab States)"])
    assert "office" not in report and "The Chair" not in report
    assert "representative of Egypt (Chair of the Group of Arab States)" in report


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Ms. Ana Ruiz, Chair", "La Présidente a fait une déclaration."),
        ("Mme Ana Ruiz (Présidente)", "La Présidente a fait une déclaration."),
        ("Mr. Li Wei (Vice-Chair)", "Le Vice-Président a fait une déclaration."),
        ("Chair", "La présidence a fait une déclaration."),
        ("Председатель", "La présidence a fait une déclaration."),
        ("Ana Ruiz, Chair", "La présidence a fait une déclaration."),
    ],
)
def test_an_office_in_french_is_of_the_gender_its_holder_is_known_by(
    tmp_path: Path, name: str, said: str
) -> None:
    """The courtesy title says the holder's gender; nothing else does (never a first name):
    without it, the neutral form UN French has for the office, not the masculine."""
    agenda, log = tmp_path / "agenda.toml", tmp_path / "s.jsonl"
    agenda.write_text(SECRETARIAT_AGENDA.format(secretariat=""), "utf-8")
    _run(log, "init", str(agenda))
    _run(log, "open", "1", "--at", "2020-11-19 10:00")
    _speak(log, "1", [name])
    french = " ".join(_run(log, "export", "--format", "md", "--lang", "fr").split())
    assert said in french


def test_a_speaker_s_courtesy_title_tells_the_office_s_gender(tmp_path: Path) -> None:
    """ "Chair" on the list, "Ms. Ana Ruiz" as the person speaking: the Chair is a woman."""
    log = tmp_path / "s.jsonl"
    _meeting(log)
    _run(
        log,
        "speaker",
        "2a",
        "Chair",
        "--person",
        "Ms. Ana Ruiz",
        "--start",
        "--at",
        "2020-11-19 10:01",
    )
    french = " ".join(_run(log, "export", "--format", "md", "--lang", "fr").split())
    assert "La Présidente a fait une déclaration." in french
