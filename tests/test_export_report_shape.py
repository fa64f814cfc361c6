"""The UN-style report of an imported UN agenda, through ``sessiontui export`` as a user runs it:
its own symbol, its closing chapters, its lead-ins and its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli

AGENDA = """\
[meeting]
title = "Working Group on Technical Assistance"
symbol = "CTOC/COP/WG.2/2026/1"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "Opening of the meeting"
[[items]]
title = "Adoption of the agenda"
[[items]]
title = "Technical assistance"
documents = ["CTOC/COP/WG.2/2026/2"]
[[items]]
title = "Adoption of the report"
[[items]]
title = "Closure of the meeting"
"""


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Items 1, 2, 4 and 5 taken up; item 3 (with a document) not taken up."""
    folder = tmp_path_factory.mktemp("wg2")
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    _run("init", str(agenda), "--log", str(log))
    steps = [
        ("sitting", "open", "10:00"),
        ("open", "1", "10:01"),
        ("close", "1", "10:05"),
        ("open", "2", "10:06"),
        ("close", "2", "10:10"),
        ("open", "4", "10:20"),
        ("close", "4", "10:21"),
        ("open", "5", "10:22"),
        ("close", "5", "10:25"),
        ("sitting", "close", "10:26"),
    ]
    for command, arg, at in steps:
        _run(command, arg, "--at", f"2026-07-01 {at}", "--log", str(log))
    return log


def _report(log: Path, *options: str) -> str:
    return _run("export", str(log), "--format", "md", "-o", "-", "--no-times", *options)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_masthead_never_takes_the_agendas_symbol(log: Path, lang: str) -> None:
    text = _report(log, "--lang", lang)
    masthead = text.split("\n# ", 1)[0]
    assert "CTOC/COP/WG.2/2026/1" not in masthead
    assert "CTOC/COP/WG.2/2026/\\[…\\]" in masthead
    # The agenda is a document before the meeting, listed as one.
    documentation = text.split(". Documentation\n", 1)[1].split("\n## ", 1)[0]
    agenda = "Provisional agenda" if lang == "en" else "Ordre du jour provisoire"
    assert f"- {agenda} (CTOC/COP/WG.2/2026/1)" in documentation
    assert "- CTOC/COP/WG.2/2026/2" in documentation


def test_the_reports_own_symbol_heads_it_and_the_word_page(log: Path, tmp_path: Path) -> None:
    import docx

    text = _report(log, "--symbol", "CTOC/COP/WG.2/2026/3")
    masthead = text.split("\n# ", 1)[0]
    assert "CTOC/COP/WG.2/2026/3" in masthead
    assert "[…]" not in masthead and "CTOC/COP/WG.2/2026/1" not in masthead
    target = tmp_path / "report.docx"
    _run("export", str(log), "-o", str(target), "--symbol", "CTOC/COP/WG.2/2026/3")
    header = docx.Document(str(target)).sections[0].header
    assert "CTOC/COP/WG.2/2026/3" in " ".join(p.text for p in header.paragraphs)
