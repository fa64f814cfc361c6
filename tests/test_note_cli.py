"""`sessiontui note`: a note is edited or deleted by the number the tracker shows for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import sessiontui.service
from sessiontui.cli import cli, main
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import DAY_AGENDA, day_log


@pytest.fixture(autouse=True)
def ids_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every id begins "ab": a short prefix then names many notes, and "1" none of them (with
    random ids a test of numbers could pass on an id that happens to begin with the digit)."""
    ids_of = sessiontui.service.command_ids

    def alike(key: str) -> Callable[[], str]:
        ids = ids_of(key)
        return lambda: "ab" + ids()[2:]

    monkeypatch.setattr(sessiontui.service, "command_ids", alike)


def session(folder: Path) -> Path:
    """Three notes and a decision on item 1, two notes on item 2."""
    return day_log(
        folder,
        DAY_AGENDA,
        ("sitting", "open", "10:00"),
        ("open", "1", "10:01"),
        ("note", "1", "First words.", "10:02"),
        ("note", "1", "Second words.", "10:03"),
        ("note", "1", "Agreed words.", "--kind", "decision", "10:03"),
        ("note", "1", "Third words.", "10:04"),
        ("note", "2", "Elsewhere.", "10:05"),
        ("note", "2", "Also elsewhere.", "10:06"),
    )


def note_cli(log: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["note", *args, "--log", str(log), "--actor", "rao"])


def texts(log: Path, item: str) -> dict[str, str]:
    """The item's notes standing, as the tracker names them: "note 2" -> its text."""
    service = SessionService(FileStore(log), actor="test")
    try:
        state = service.state
        numbers = state.note_numbers(item)
        return {f"{note.kind} {numbers[note.id]}": note.text for note in state.notes_of(item)}
    finally:
        service.close()


def test_a_note_is_edited_and_deleted_by_its_number_in_the_tracker(tmp_path: Path) -> None:
    log = session(tmp_path)
    deleted = note_cli(log, "1", "--delete", "note 1")
    assert deleted.exit_code == 0, deleted.output
    # A deleted note's number is not given again: the third written stays note 3.
    edited = note_cli(log, "1", "Third words, revised.", "--edit", "3")
    assert edited.exit_code == 0, edited.output
    kind_given = note_cli(log, "1", "Agreed, revised.", "--edit", "Decision 1")
    assert kind_given.exit_code == 0, kind_given.output
    assert texts(log, "1") == {
        "note 2": "Second words.",
        "decision 1": "Agreed, revised.",
        "note 3": "Third words, revised.",
    }
    assert texts(log, "2") == {"note 1": "Elsewhere.", "note 2": "Also elsewhere."}


def test_a_number_two_kinds_have_names_both(tmp_path: Path) -> None:
    log = session(tmp_path)
    size = log.stat().st_size
    refused = note_cli(log, "1", "Text.", "--edit", "1")
    assert refused.exit_code == 1
    line = refused.output
    assert line.count("\n") == 1
    assert line.startswith("sessiontui: error: refused: 1 has more than one note numbered 1: ab")
    assert "note 1 on 1 “First words.”; ab" in line
    assert "decision 1 on 1 “Agreed words.”" in line
    assert line.endswith('; give its kind too, e.g. "note 1"\n')
    assert log.stat().st_size == size


def test_a_number_no_note_has_says_the_numbers_there_are(tmp_path: Path) -> None:
    log = session(tmp_path)
    size = log.stat().st_size
    refused = note_cli(log, "1", "Text.", "--edit", "4")
    assert refused.output == (
        "sessiontui: error: refused: 1 has no note 4: it has decision 1; note 1, 2, 3 "
        "(each kind numbered on its own, as in the tracker)\n"
    )
    refused = note_cli(log, "2", "--delete", "decision 1")
    assert refused.output.startswith(
        "sessiontui: error: refused: 2 has no decision 1: it has note 1"
    )
    assert log.stat().st_size == size


def test_an_ambiguous_id_names_the_notes_it_could_be(tmp_path: Path) -> None:
    log = session(tmp_path)
    refused = note_cli(log, "1", "--delete", "ab")
    assert refused.exit_code == 1
    line = refused.output
    assert line.count("\n") == 1
    assert line.startswith("sessiontui: error: refused: note 'ab' is ambiguous: ab")
    for words in ("note 1 on 1 “First words.”", "decision 1 on 1 “Agreed words.”"):
        assert words in line
    assert line.endswith("; and 1 more\n")  # five named, of six
    assert len(texts(log, "1")) == 4


def test_a_note_beginning_with_a_dash_is_told_how_to_give_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Click took "-3 percent growth" for options and said only "No such option '-3'"."""
    log = session(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["note", "--log", str(log), "2", "-3 percent growth"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "a note that begins with '-' goes after '--'" in err
    assert "(sessiontui note 2 -- '-3 percent growth')" in err and "stdin" in err
    # Given so, it is recorded.
    assert (
        main(["note", "--log", str(log), "--actor", "rao", "2", "--", "-3 percent growth"]) is None
    )
    assert texts(log, "2") == {
        "note 1": "Elsewhere.",
        "note 2": "Also elsewhere.",
        "note 3": "-3 percent growth",
    }


def test_a_mistyped_option_still_names_the_one_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = session(tmp_path)
    with pytest.raises(SystemExit):
        main(["note", "--log", str(log), "2", "Text.", "--kidn", "decision"])
    assert "Did you mean '--kind'?" in capsys.readouterr().err
