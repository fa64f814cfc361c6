"""Where `amend add|move` puts an item: among the siblings named, and what its label becomes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core.commands import Amend, Refused

from .conftest import ROOT, run_cli
from .memory import MemorySession

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"


def _session(tmp_path: Path) -> tuple[CliRunner, Path]:
    runner = CliRunner()
    log = tmp_path / "s.jsonl"
    assert runner.invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    return runner, log


def _amend(runner: CliRunner, log: Path, *args: str) -> str:
    done = runner.invoke(cli, ["amend", *args, "--log", str(log), "--actor", "S"])
    assert done.exit_code == 0, done.output
    return done.output


def _labels(runner: CliRunner, log: Path) -> list[str]:
    import json

    report = json.loads(runner.invoke(cli, ["report", str(log), "--json"]).output)
    return [item["label"] for item in report["items"]]


ORDER = ["1", "2", "2(a)", "2(b)", "2(c)", "2(d)", "2(e)", "3"]


@pytest.mark.parametrize(
    ("args", "labels"),
    [
        (["move", "2e", "--after", "2a"], ["1", "2", "2(a)", "2(e)", "2(b)", "2(c)", "2(d)", "3"]),
        (["move", "2e", "--before", "2a"], ["1", "2", "2(e)", "2(a)", "2(b)", "2(c)", "2(d)", "3"]),
        (["move", "2a", "--before", "2c"], ["1", "2", "2(b)", "2(a)", "2(c)", "2(d)", "2(e)", "3"]),
        (["move", "2a", "--under", "2"], ["1", "2", "2(b)", "2(c)", "2(d)", "2(e)", "2(a)", "3"]),
        (["move", "2e", "--under", "2", "--after", "2b"], [*ORDER[:4], "2(e)", *ORDER[4:6], "3"]),
        (["move", "2e", "--under", "3"], [*ORDER[:6], "3", "3(e)"]),
        (["move", "3", "--before", "2"], ["1", "3", *ORDER[1:7]]),
        (
            ["add", "--title", "Other", "--number", "(f)", "--after", "2a"],
            ["1", "2", "2(a)", "2(f)", *ORDER[3:]],
        ),
        (
            ["add", "--title", "Other", "--number", "(f)", "--before", "2a"],
            ["1", "2", "2(f)", *ORDER[2:]],
        ),
        # Without --number, numbered as the agenda numbers its own items at that level.
        (["add", "--title", "Other", "--under", "2"], [*ORDER[:7], "2(f)", "3"]),
        (["add", "--title", "Other matters"], [*ORDER, "4"]),
        # Moved under an item without sub-items, it is numbered as the first of them.
        (["move", "2e", "--under", "3", "--number", "(a)"], [*ORDER[:6], "3", "3(a)"]),
        # Renumbered where it stands.
        (["move", "3", "--number", "4"], [*ORDER[:7], "4"]),
    ],
)
def test_an_item_goes_among_the_siblings_named(
    tmp_path: Path, args: list[str], labels: list[str]
) -> None:
    runner, log = _session(tmp_path)
    _amend(runner, log, *args)
    assert _labels(runner, log) == labels


def test_an_item_added_before_another_is_numbered_after_the_one_before_it(tmp_path: Path) -> None:
    """Items keep their numbers, so one added between 2 and 3 is "2 bis" (then "2 ter"), as
    agendas number it, never "4" above item 3; the next one added at the end is 4."""
    log = str(tmp_path / "s.jsonl")
    run_cli("init", str(AGENDA), "--log", log)
    said = run_cli("amend", "add", "--before", "3", "--title", "Other matters", "--log", log)
    assert "amended the agenda (add) 2 bis" in said
    run_cli("amend", "add", "--before", "3", "--title", "Still other", "--log", log)
    run_cli("amend", "add", "--before", "2b", "--title", "New", "--log", log)
    run_cli("amend", "add", "--title", "Last", "--log", log)
    runner = CliRunner()
    assert _labels(runner, Path(log)) == [
        *ORDER[:3],
        "2(a) bis",
        *ORDER[3:7],
        "2 bis",
        "2 ter",
        "3",
        "4",
    ]
    run_cli("open", "2 bis", "--log", log)  # named as printed
    first = runner.invoke(cli, ["amend", "add", "--before", "1", "--title", "X", "--log", log])
    assert first.exit_code == 1
    assert "a new item before 1, the first there, needs its number given" in first.output
    run_cli("amend", "add", "--before", "1", "--title", "X", "--number", "0", "--log", log)
    assert _labels(runner, Path(log))[0] == "0"


def test_a_moved_item_is_labelled_from_its_new_parent(tmp_path: Path) -> None:
    runner, log = _session(tmp_path)
    _amend(runner, log, "move", "2e", "--under", "3")
    _amend(runner, log, "move", "2e", "--after", "2d")  # back by its id, which it keeps
    assert _labels(runner, log) == ORDER


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["move", "2c", "--under", "3", "--after", "2a"], "2(a) is not under 3"),
        (["move", "2e", "--after", "2e"], "cannot be placed next to itself"),
        (["move", "2", "--under", "2a"], "cannot move under itself"),
        (["move", "2e", "--after", "2a", "--before", "2b"], "not both"),
        (["move", "2c", "--under", "2", "--number", "(a)"], "an item 2(a) already exists"),
    ],
)
def test_a_place_that_cannot_be_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    runner, log = _session(tmp_path)
    done = runner.invoke(cli, ["amend", *args, "--log", str(log), "--actor", "S"])
    assert done.exit_code != 0
    assert message in done.output
    assert _labels(runner, log) == ORDER


def test_the_core_refuses_a_sibling_under_another_parent() -> None:
    m = MemorySession()
    with pytest.raises(Refused, match=r"2\(a\) is not at the top level"):
        m.run(Amend("move", "2e", parent=None, after="2a"), "10:00")
    with pytest.raises(Refused, match=r"2\(a\) is not under 3"):
        m.run(Amend("add", title="Other", number="(a)", parent="3", after="2a"), "10:00")


def test_a_move_onto_a_label_already_taken_is_refused() -> None:
    m = MemorySession()
    m.run(Amend("add", title="Other", number="(a)", parent="3"), "10:00")
    with pytest.raises(Refused, match=r"an item 3\(a\) already exists"):
        m.run(Amend("move", "2a", parent="3"), "10:01")


def test_an_item_taken_off_comes_back_where_the_add_puts_it_without_its_sub_items() -> None:
    m = MemorySession()
    m.run(Amend("delete", "2"), "10:00")
    m.run(Amend("add", title="Preparations", number="2", after="1", new_id="2"), "10:01")
    agenda = m.state.agenda
    assert [node.label for node in agenda] == ["1", "2", "3"]  # 2(a)-(e) stay off
    assert agenda.nodes["2"].title == "Preparations" and not agenda.nodes["2"].deleted
    assert agenda.nodes["2a"].deleted
    m.run(Amend("add", title="Status", number="(a)", parent="2", new_id="2a"), "10:02")
    assert [node.label for node in agenda] == ["1", "2", "2(a)", "3"]
    with pytest.raises(Refused, match="an item with id '2a' already exists"):
        m.run(Amend("add", title="Again", number="(z)", parent="2", new_id="2a"), "10:03")


def test_a_renumbered_item_is_named_by_its_new_label_in_the_journal(tmp_path: Path) -> None:
    runner, log = _session(tmp_path)
    _amend(runner, log, "move", "2e", "--under", "3", "--number", "(a)")
    journal = runner.invoke(cli, ["journal", str(log)]).output
    assert "amended the agenda: moved 2(e) under 3, as 3(a)" in journal


def test_amend_sync_renumbers_an_item_the_file_renumbers(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.toml"
    text = AGENDA.read_text(encoding="utf-8")
    text = text.replace('number = "3"', 'id = "closure"\nnumber = "3"')
    agenda.write_text(text, encoding="utf-8")
    runner = CliRunner()
    log = tmp_path / "s.jsonl"
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    agenda.write_text(text.replace('number = "3"', 'number = "4"'), encoding="utf-8")
    dry = runner.invoke(cli, ["amend", "sync", str(agenda), "--log", str(log), "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout == "move closure\n", dry.output
    assert runner.invoke(cli, ["amend", "sync", str(agenda), "--log", str(log)]).exit_code == 0
    assert _labels(runner, log) == [*ORDER[:7], "4"]
    again = runner.invoke(cli, ["amend", "sync", str(agenda), "--log", str(log)])
    assert again.exit_code == 0 and "already matches" in again.output


def test_amend_sync_refused_part_way_records_nothing(tmp_path: Path) -> None:
    """A sync whose last amendment is refused (an item already taken up cannot be deleted)
    recorded the ones before it all the same; now all of them or none, and one undo reverts a
    sync that was recorded."""
    text = AGENDA.read_text(encoding="utf-8")
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(text, encoding="utf-8")
    log = tmp_path / "s.jsonl"
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1", "--log", str(log))
    before = log.read_bytes()
    opening = text[text.index("[[items]]") : text.index("[[items]]", text.index("[[items]]") + 1)]
    added = '\n[[items]]\nnumber = "4"\ntitle = "Other matters"\n\n  [[items.items]]\n'
    added += 'number = "(a)"\ntitle = "Its first part"\n'
    agenda.write_text(text.replace(opening, "") + added, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["amend", "sync", str(agenda), "--log", str(log)])
    assert refused.exit_code == 1 and refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line == (
        "sessiontui: error: refused: amend the agenda (delete 1): 1 was already taken up; "
        "close or defer it instead; none of the 3 amendments is recorded"
    )
    assert log.read_bytes() == before

    agenda.write_text(text + added, encoding="utf-8")  # item 1 stays: nothing refused
    said = run_cli("amend", "sync", str(agenda), "--log", str(log))
    assert {"add 4: Other matters", "add 4a: Its first part"} <= set(said.splitlines())
    assert _labels(CliRunner(), log) == [*ORDER, "4", "4(a)"]
    run_cli("undo", "--log", str(log))
    assert _labels(CliRunner(), log) == ORDER


def test_amend_sync_adds_an_item_the_file_lists_first_in_the_first_place(tmp_path: Path) -> None:
    """An item the edited file lists before every other at its level goes there, not last."""
    text = AGENDA.read_text(encoding="utf-8")
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(text, encoding="utf-8")
    log = tmp_path / "s.jsonl"
    run_cli("init", str(agenda), "--log", str(log))
    first = text.index("[[items]]")
    opening = '[[items]]\nnumber = "0"\ntitle = "Statements by the officers"\n\n'
    sub = text.index("[[items.items]]")
    under = '[[items.items]]\nnumber = "(0)"\ntitle = "Before the first sub-item"\n\n  '
    agenda.write_text(text[:first] + opening + text[first:sub] + under + text[sub:], "utf-8")
    run_cli("amend", "sync", str(agenda), "--log", str(log))
    assert _labels(CliRunner(), log) == ["0", "1", "2", "2(0)", *ORDER[2:]]


def test_amend_sync_adds_a_break_as_a_break(tmp_path: Path) -> None:
    """A break the edited file adds (``kind = "break"``) is recorded as one: no number of its
    own, the items after it keep theirs, and it is named by its title."""
    import json

    text = AGENDA.read_text(encoding="utf-8")
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(text, encoding="utf-8")
    log = tmp_path / "s.jsonl"
    run_cli("init", str(agenda), "--log", str(log))
    closure = text.index('[[items]]\nnumber = "3"')
    pause = '[[items]]\nkind = "break"\ntitle = "Tea break"\nminutes = 15\n\n'
    agenda.write_text(text[:closure] + pause + text[closure:], encoding="utf-8")
    said = run_cli("amend", "sync", str(agenda), "--log", str(log))
    assert "add teabreak: Tea break" in said.splitlines()
    report = json.loads(CliRunner().invoke(cli, ["report", str(log), "--json"]).output)
    labels = [(item["label"], item["title"]) for item in report["items"]]
    assert labels[-2:] == [("", "Tea break"), ("3", "Closure of the meeting")]
    journal = run_cli("journal", str(log))
    assert "amended the agenda: added Tea break" in journal
    again = run_cli("amend", "sync", str(agenda), "--log", str(log))
    assert "already matches" in again
