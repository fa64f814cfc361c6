"""The participants register: the shipped UN list, files, events, roll calls, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.register import (
    Participant,
    RegisterError,
    complete,
    find,
    groups_of,
    read_file,
    shipped,
    unlisted_speaker,
)

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def test_the_shipped_list_is_the_un_membership() -> None:
    register = shipped()
    kinds = [p.kind for p in register]
    assert kinds.count("Member State") == 193
    assert [p.name for p in register if p.kind == "observer State"] == [
        "Holy See",
        "State of Palestine",
    ]
    names = {p.name for p in register}
    assert len(names) == len(register)  # no name twice
    # Official UN short names, not the everyday ones.
    for official in (
        "Bolivia (Plurinational State of)",
        "Iran (Islamic Republic of)",
        "Türkiye",
        "United Kingdom of Great Britain and Northern Ireland",
        "Netherlands (Kingdom of the)",
        "Côte d'Ivoire",
        "Czechia",
        "Viet Nam",
    ):
        assert official in names, official
    for everyday in ("Turkey", "Bolivia", "Iran", "Vietnam", "Ivory Coast", "United Kingdom"):
        assert everyday not in names


def test_group_counts_match_the_published_membership() -> None:
    """The regional groups as the UN's Department for General Assembly and Conference
    Management lists them (Türkiye in both the Asia-Pacific and the Western European and other
    States; Kiribati in the Asia-Pacific States; the United States of America in none, an
    observer of the Western European and other States), the African Group, the Group of 77 and
    China (134 members and China, as of 2024), and the 27 member States of the European Union."""
    groups = groups_of(shipped())
    counts = {name: len(members) for name, members in groups.items()}
    assert counts == {
        "Asia-Pacific States": 55,
        "Group of 77 and China": 135,
        "Eastern European States": 23,
        "African States": 54,
        "African Group": 54,
        "Western European and other States": 28,
        "Latin American and Caribbean States": 33,
        "European Union": 27,
    }
    assert set(groups["Asia-Pacific States"]) & set(
        groups["Western European and other States"]
    ) == {"Türkiye"}
    in_a_region = {
        name
        for group in (
            "African States",
            "Asia-Pacific States",
            "Eastern European States",
            "Latin American and Caribbean States",
            "Western European and other States",
        )
        for name in groups[group]
    }
    states = {p.name for p in shipped() if p.kind == "Member State"}
    assert states - in_a_region == {"United States of America"}
    assert "State of Palestine" in groups["Group of 77 and China"]
    assert "Mexico" not in groups["Group of 77 and China"]
    assert find("european union", shipped()) is not None


def test_names_complete_case_and_accent_blind() -> None:
    names = [p.name for p in shipped()]
    assert complete("tur", names)[:2] == ["Turkmenistan", "Türkiye"]
    assert complete("cote", names) == ["Côte d'Ivoire"]
    assert "Republic of Korea" in complete("kor", names)
    assert "Bolivia (Plurinational State of)" in complete("plurinational", names)


def test_register_files(tmp_path: Path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(
        "name,kind,groups,persons\nBrazil,Member State,Group of 77 and China,Ms. Lima;Mr. Souza\n"
        "UNODC,UN entity,,\n",
        encoding="utf-8",
    )
    entries = read_file(csv_file)
    assert [(p.name, p.kind, p.persons) for p in entries] == [
        ("Brazil", "Member State", ["Ms. Lima", "Mr. Souza"]),
        ("UNODC", "UN entity", []),
    ]
    toml_file = tmp_path / "p.toml"
    toml_file.write_text(
        '[[participants]]\nname = "Transparency International"\nkind = "ngo"\n', encoding="utf-8"
    )
    assert read_file(toml_file)[0].kind == "NGO"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nX,Planet\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"bad.csv:2: unknown kind 'Planet'"):
        read_file(bad)
    with pytest.raises(RegisterError, match="first row must name the columns"):
        (tmp_path / "h.csv").write_text("Brazil\n", encoding="utf-8")
        read_file(tmp_path / "h.csv")
    with pytest.raises(RegisterError, match="unknown key 'colour'"):
        (tmp_path / "k.toml").write_text('[[participants]]\nname="A"\ncolour="red"\n')
        read_file(tmp_path / "k.toml")


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _fails(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sessiontui: error: "), result.output
    assert message in lines[0], lines[0]


def test_register_and_roll_call_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = str(tmp_path / "s.jsonl")
    agenda = tmp_path / "a.toml"
    agenda.write_text(
        AGENDA.read_text(encoding="utf-8").replace("dates = [", "quorum = 2\ndates = ["),
        encoding="utf-8",
    )
    _run("init", str(agenda), "--log", log)
    early = ("--log", log, "--at", "2020-11-19T08:00Z")
    _run("participant", "add", "türkiye", *early)  # the UN list's spelling and groups
    _run("participant", "add", "European Union", *early)
    _run("participant", "add", "Kenya", "--person", "Ms. Wanjiru", *early)
    listed = _run("participant", "list", log).splitlines()
    assert listed[0].split("\t") == [
        "Türkiye",
        "Member State",
        "Asia-Pacific States; Western European and other States",
    ]
    assert listed[1].split("\t")[:2] == ["European Union", "IGO"]
    _fails(["participant", "add", "Kenya", "--log", log], "Kenya is already in the register")
    _fails(["participant", "add", "X", "--kind", "planet", "--log", log], "--kind 'planet'")
    _fails(["rollcall", "Kenya", "--log", log], "no sitting is open")
    _run("sitting", "open", "--log", log, "--at", "2020-11-19T09:00Z")
    _fails(["rollcall", "Narnia", "--log", log], "'Narnia' is not in the register")
    _fails(["rollcall", "--log", log], "name at least one participant")
    _fails(["rollcall", "Kenya", "--sitting", "7", "--log", log], "there is no sitting 7")
    _run("rollcall", "--all", "--absent", "Kenya", "--log", log, "--at", "2020-11-19T09:01Z")
    summary = json.loads(_run("report", log, "--json"))
    assert summary["quorum"] == 2
    kenya = next(p for p in summary["participants"] if p["name"] == "Kenya")
    assert kenya == {
        "name": "Kenya",
        "kind": "Member State",
        "groups": ["African States", "African Group", "Group of 77 and China"],
        "persons": ["Ms. Wanjiru"],
        "present": [],
        "absent": [1],
    }
    report = _run("export", log, "--format", "md")
    assert "The following State was represented at the meeting: Türkiye." in report
    assert "represented by an observer: European Union." in report
    assert "1 State was present; the quorum of 2 was not met." in report
    _fails(["participant", "load", str(tmp_path / "none.csv"), "--log", log], "no register file")
    _run("participant", "load", "un", "--log", log)
    assert len(_run("participant", "list", log).splitlines()) == 196
    _fails(["participant", "load", "un", "--log", log], "already in the register")
    _run("participant", "remove", "Kenya", "--log", log)
    _fails(["participant", "remove", "Kenya", "--log", log], "'Kenya' is not in the register")
    journal = _run("journal", log)
    assert "added Türkiye to the register" in journal or "Türkiye" in journal
    assert _run("verify", log)


def test_a_register_file_that_is_no_text_is_refused_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder or a binary file given as the register: one plain line, nothing recorded."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = tmp_path / "s.jsonl"
    _run("init", str(AGENDA), "--log", str(log))
    before = log.read_bytes()
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    for name, words in (("folder.csv", "is a folder"), ("binary.csv", "not a text file")):
        _fails(["participant", "load", str(tmp_path / name), "--log", str(log)], words)
        result = CliRunner().invoke(cli, ["participant", "load", str(tmp_path / name)])
        # Python's own wording ("[Errno 21]", "codec can't decode") is no message for a person.
        assert "Errno" not in result.output and "codec" not in result.output, result.output
    assert log.read_bytes() == before


def test_quorum_is_checked_in_the_agenda(tmp_path: Path) -> None:
    agenda = tmp_path / "q.toml"
    agenda.write_text('[meeting]\ntitle = "T"\nquorum = 0\n[[items]]\ntitle = "A"\n')
    result = CliRunner().invoke(cli, ["check", str(agenda)])
    assert result.exit_code == 1 and result.output.strip().endswith(
        "q.toml:3:10: Expected `int` >= 1"
    )
    schema = json.loads((ROOT / "sessiontui/schema/agenda.schema.json").read_text())
    assert "quorum" in json.dumps(schema)


def test_names_complete_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.shell_completion import ShellComplete

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = str(tmp_path / "s.jsonl")
    _run("init", str(AGENDA), "--log", log)
    _run("participant", "add", "Transparency International", "--kind", "NGO", "--log", log)
    monkeypatch.setenv("SESSIONTUI_LOG", log)
    shell = ShellComplete(cli, {}, "sessiontui", "_SESSIONTUI_COMPLETE")
    names = [c.value for c in shell.get_completions(["speaker", "2a"], "tur")]
    assert names[:2] == ["Turkmenistan", "Türkiye"]
    # The session's own register comes first, then the UN list.
    names = [c.value for c in shell.get_completions(["speaker", "2a", "X", "--delegation"], "tr")]
    assert names[0] == "Transparency International" and "Trinidad and Tobago" in names
    assert [c.value for c in shell.get_completions(["rollcall"], "plurin")] == [
        "Bolivia (Plurinational State of)"
    ]


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Turkey", "Türkiye"),
        ("United Kingdom", "United Kingdom of Great Britain and Northern Ireland"),
        ("Bolivia", "Bolivia (Plurinational State of)"),
        ("vietnam", "Viet Nam"),
    ],
)
def test_a_common_name_is_not_taken_for_a_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, listed: str
) -> None:
    """ "Turkey", typed in haste, was recorded as a new Member State with no groups, and the
    report then named it so, not as the UN list does."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = str(tmp_path / "s.jsonl")
    _run("init", str(AGENDA), "--log", log)
    _fails(["participant", "add", typed, "--log", log], f"which names it {listed!r}")
    assert _run("participant", "list", log) == ""
    _run("participant", "add", listed, "--log", log)
    # Kept as typed when the kind is given: a choice, not a slip.
    _run("participant", "add", typed, "--kind", "Member State", "--log", log)
    names = [line.split("\t")[0] for line in _run("participant", "list", log).splitlines()]
    assert names == [listed, typed]


# -- speakers' names on no list ----------------------------------------------------------------

_NGO = Participant(name="Transparency International", kind="NGO")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Brasil", ("Brazil",)),  # a typo
        ("Untied States", ("United States of America",)),  # a typo of a name commonly said
        ("Unitd Kingdom", ("United Kingdom of Great Britain and Northern Ireland",)),
        ("Cote divoire", ("Côte d'Ivoire",)),  # no accent, no apostrophe
        ("Boliva", ("Bolivia (Plurinational State of)",)),  # the name before the brackets
        ("Turkey", ("Türkiye",)),  # commonly said, as `participant add` refuses it
        ("UK", ("United Kingdom of Great Britain and Northern Ireland",)),
        ("Transparency Internatinal", ("Transparency International",)),  # the register's
        ("Secretariet", ("Secretariat",)),  # an office's
        ("UNDOC", ("UNODC",)),  # the agenda's secretariat
        ("Chiar", ("China", "Chair")),  # as close to both: both offered
    ],
)
def test_a_name_on_no_list_is_said_with_what_was_meant(typed: str, meant: tuple[str, ...]) -> None:
    found = unlisted_speaker(typed, [_NGO], ["Kenya"], "UNODC")
    assert found is not None and found.meant == meant
    said = found.said("u undoes it")
    assert said.startswith(f"{typed!r} is on neither the register nor the UN list: did you mean")
    assert said.endswith("? (u undoes it)") and "\n" not in said


@pytest.mark.parametrize("typed", ["Greenpeace", "Ms. Ana Ruiz", "Peur"])
def test_a_name_close_to_none_says_how_the_report_takes_it(typed: str) -> None:
    found = unlisted_speaker(typed, [_NGO], ["Kenya"], "UNODC")
    assert found is not None and found.meant == ()
    assert found.said("u undoes it") == (
        f"{typed!r} is on neither the register nor the UN list: the report will name it as a "
        "State's (`sessiontui participant add --kind` registers it)"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Brazil",
        "  brazil ",  # case and spaces
        "turkiye",  # accents
        "European Union",
        "transparency international",  # the register's NGO
        "Kenia",  # used for a speaker before in the session
        "Chair",  # an office
        "Présidente",
        "Ms. Ana Ruiz, Chair",  # a person holding one
        "Egypt (Chair of the Group of Arab States)",
        "Secretariat",  # a secretariat by its words
        "IMO Secretariat",
        "UNODC",  # the agenda's secretariat
        "Office on Drugs and Crime",
    ],
)
def test_a_name_the_report_knows_is_not_said(typed: str) -> None:
    secretariat = "Office on Drugs and Crime (UNODC)"
    assert unlisted_speaker(typed, [_NGO], ["Kenia"], secretariat) is None


def test_without_a_register_or_session_the_un_list_still_counts() -> None:
    assert unlisted_speaker("Brazil", []) is None
    found = unlisted_speaker("Brasil", [])
    assert found is not None and found.meant == ("Brazil",)
    # A name kept as typed in the register (`participant add Turkey --kind`) is known.
    assert unlisted_speaker("Turkey", [Participant(name="Turkey")]) is None


def test_the_cli_says_a_name_on_no_list_and_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Brasil" typed in haste went on the list unseen, and the report said "The
    representative of Brasil made a statement"."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    log = str(tmp_path / "s.jsonl")
    _run("init", str(AGENDA), "--log", log)

    def speaker(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["speaker", "2a", *args, "--log", log])
        assert result.exit_code == 0, result.output
        return [line for line in result.stderr.splitlines() if "warning" in line]

    assert speaker("Brasil") == [
        "sessiontui: warning: 'Brasil' is on neither the register nor the UN list: did you mean "
        "'Brazil'? (`sessiontui undo` takes it back)"
    ]
    assert speaker("Brazil") == []
    assert speaker("Brasil") == []  # used before: a choice, said once
    assert speaker("Chair") == []
    assert speaker("Mr. Otieno", "--delegation", "Kenia") == [
        "sessiontui: warning: 'Kenia' is on neither the register nor the UN list: did you mean "
        "'Kenya'? (`sessiontui undo` takes it back)"
    ]
    assert speaker("Greenpeace")[0].endswith(
        "the report will name it as a State's (`sessiontui participant add --kind` registers it)"
    )
    records = [json.loads(line) for line in Path(log).read_text("utf-8").splitlines()[1:]]
    added = [r["data"]["name"] for r in records if r["type"] == "speaker.add"]
    assert added == ["Brasil", "Brazil", "Brasil", "Chair", "Mr. Otieno", "Greenpeace"]


def test_what_is_said_is_what_the_report_would_take_for_a_state() -> None:
    """The warning reads names as the report does: an office or a secretariat is never said,
    and a name said is one the report names as a State's representative."""
    from sessiontui.core.offices import Secretariat
    from sessiontui.core.register import speaker_roles
    from sessiontui.exporters.model import Roles, speaker_role

    secretariat = "Office on Drugs and Crime (UNODC)"
    roles = Roles(
        speaker_roles({"transparency international": _NGO}), Secretariat.named(secretariat)
    )
    for name in ["Chair", "Ms. Ana Ruiz, Chair", "IMO Secretariat", "UNODC", "Présidente"]:
        assert unlisted_speaker(name, [_NGO], [], secretariat) is None
        assert speaker_role(name, roles) != "representative", name
    for name in ["Brasil", "Greenpeace", "Ms. Ana Ruiz", "Chiar", "Turkey"]:
        assert unlisted_speaker(name, [_NGO], [], secretariat) is not None
        assert speaker_role(name, roles) == "representative", name
