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
