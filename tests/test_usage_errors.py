"""A mistyped command line is one line on stderr and a non-zero exit, like every other error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.cli import main

from .conftest import make_log


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "LOG", "--format", "pdfx"], "Invalid value for '--format': 'pdfx'"),
        (["serve", "--port", "99999", "LOG"], "Invalid value for '--port'"),
        (["check"], "Missing argument 'AGENDA.toml'"),
        (["report", "--bogus"], "No such option"),
    ],
)
def test_a_usage_error_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    # Click's own said it in four lines: the usage, a hint, a blank line, then the error.
    log = str(make_log(tmp_path / "s.jsonl"))
    with pytest.raises(SystemExit) as exited:
        main([log if arg == "LOG" else arg for arg in args])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("sessiontui: error: ") and words in err
    assert f"`sessiontui {args[0]} --help` says more" in err


def test_help_and_version_still_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["report", "--help"], ["--version"]):
        assert main(args) is None
    assert "Usage: sessiontui report" in capsys.readouterr().out


@pytest.mark.parametrize("args", [[], ["participant"]])
def test_a_command_typed_alone_shows_its_help_as_help_lays_it_out(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"Usage: {' '.join(['sessiontui', *args])} [OPTIONS] COMMAND")
    assert "error" not in err.splitlines()[0] and err.count("\n") > 5


@pytest.mark.parametrize(
    ("args", "meant"),
    [(["opne", "2a"], "open"), (["sittign", "open"], "sitting"), (["repot"], "report")],
)
def test_a_mistyped_command_names_the_command_meant(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    meant: str,
) -> None:
    """Taken as the tracker's path, `opne 2a` said "unexpected extra argument (2a)" and `repot`
    "no such file": nothing about the command the person meant."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"sessiontui: error: no command '{args[0]}'; did you mean '{meant}'?")


def test_a_file_named_like_a_command_still_opens_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a word that names no file is taken for a slip: a log called `repot` is a path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repot").write_text("not a log\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["repot", "--read-only"])
    assert "did you mean" not in capsys.readouterr().err


# Every command that reads a session log, given one that is not there (``LOG``). check,
# import and init read an agenda: a missing agenda has its own wording (test_agenda_cli).
_MISSING_LOG = {
    "open": ["open", "2a", "--log", "LOG"],
    "close": ["close", "2a", "--log", "LOG"],
    "suspend": ["suspend", "2a", "--log", "LOG"],
    "resume": ["resume", "2a", "--log", "LOG"],
    "defer": ["defer", "2a", "--log", "LOG"],
    "next": ["next", "--log", "LOG"],
    "sitting": ["sitting", "open", "--log", "LOG"],
    "note": ["note", "2a", "text", "--log", "LOG"],
    "speaker": ["speaker", "2a", "Peru", "--log", "LOG"],
    "amend": ["amend", "retitle", "2a", "--title", "X", "--log", "LOG"],
    "undo": ["undo", "--log", "LOG"],
    "report": ["report", "LOG"],
    "participant": ["participant", "list", "--log", "LOG"],
    "rollcall": ["rollcall", "Peru", "--log", "LOG"],
    "journal": ["journal", "LOG"],
    "export": ["export", "LOG", "--format", "md", "-o", "-"],
    "verify": ["verify", "LOG"],
    "repair": ["repair", "LOG"],
    "copy": ["copy", "LOG", "OTHER"],
    "outbox": ["outbox", "--log", "LOG"],
    "tui": ["tui", "LOG"],
    "serve": ["serve", "LOG"],
}


@pytest.mark.parametrize(
    "args",
    [
        *_MISSING_LOG.values(),
        ["LOG"],  # the tracker, named by its log alone
        ["verify", "LOG", "--anchor", "0" * 64],
        ["journal", "LOG", "--item", "2a"],
    ],
    ids=" ".join,
)
def test_a_missing_log_is_worded_alike_by_every_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "gone.jsonl"
    other = tmp_path / "other.jsonl"
    with pytest.raises(SystemExit) as exited:
        main([{"LOG": str(missing), "OTHER": str(other)}.get(arg, arg) for arg in args])
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"sessiontui: error: no session log at {missing}\n"
    assert not missing.exists() and not other.exists()


def test_every_command_reading_a_log_is_tried_missing() -> None:
    from sessiontui.cli import COMMANDS

    assert set(COMMANDS) - {"check", "import", "init"} == set(_MISSING_LOG)


@pytest.mark.parametrize("word", ["help", "status"])
def test_a_word_that_is_no_command_and_no_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], word: str
) -> None:
    """`sessiontui help` was taken for the tracker's path: "no session log at help"."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main([word])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert (
        err == f"sessiontui: error: no command or file '{word}' (`sessiontui --help` says more)\n"
    )
