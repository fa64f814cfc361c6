"""The UN-style report of an imported UN agenda, through ``sessiontui export`` as a user runs it:
its own symbol, its closing chapters, its lead-ins and its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.exporters.model import occasion

from .conftest import run_cli

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


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Items 1, 2, 4 and 5 taken up; item 3 (with a document) not taken up."""
    folder = tmp_path_factory.mktemp("wg2")
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
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
        run_cli(command, arg, "--at", f"2026-07-01 {at}", "--log", str(log))
    return log


def _report(log: Path, *options: str) -> str:
    return run_cli("export", str(log), "--format", "md", "-o", "-", "--no-times", *options)


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
    run_cli("export", str(log), "-o", str(target), "--symbol", "CTOC/COP/WG.2/2026/3")
    header = docx.Document(str(target)).sections[0].header
    assert "CTOC/COP/WG.2/2026/3" in " ".join(p.text for p in header.paragraphs)


def _chapter(text: str, title: str) -> str:
    return text.split(f". {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_agendas_own_closing_items_take_the_closing_sentences(log: Path, lang: str) -> None:
    text = _report(log, "--lang", lang)
    added = {"en": "Adoption of the report and closure", "fr": "Adoption du rapport et clôture"}
    assert added[lang] not in text
    adopted = {"en": "the meeting adopted the present report", "fr": "a adopté le présent rapport"}
    closed = {"en": "The meeting was closed", "fr": "La réunion a été close"}
    assert adopted[lang] in _chapter(text, "Adoption of the report")
    assert closed[lang] not in _chapter(text, "Adoption of the report")
    assert closed[lang] in _chapter(text, "Closure of the meeting")
    assert text.count(adopted[lang]) == 1 and text.count(closed[lang]) == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_documents_of_an_item_not_taken_up_have_their_lead_in(log: Path, lang: str) -> None:
    text = _report(log, "--lang", lang)
    chapter = _chapter(text, "Technical assistance").strip().split("\n\n")
    not_taken = {"en": "did not take up agenda item 3.", "fr": "n’a pas examiné le point 3"}
    lead_in = {  # one document
        "en": "The meeting had before it the following document:",
        "fr": "La réunion était saisie du document suivant :",
    }
    listed = chapter.index("- CTOC/COP/WG.2/2026/2")
    assert not_taken[lang] in chapter[listed - 2]
    assert chapter[listed - 1].endswith(lead_in[lang])


@pytest.mark.parametrize(
    ("title", "report", "closure"),
    [
        ("Adoption of the report", True, False),
        ("ADOPTION OF THE DRAFT REPORT", True, False),
        ("Adoption du rapport", True, False),
        ("Adoption du projet de rapport", True, False),
        ("Adoption of the report and closure of the meeting", True, True),
        ("Closure of the meeting", False, True),
        ("Closing of the session", False, True),
        ("Clôture de la réunion", False, True),
        ("Clôture de la session", False, True),
        ("Adoption of the agenda", False, False),
        ("Closure of detention centres", False, False),
        ("Report of the Secretary-General", False, False),
        ("Утверждение доклада", True, False),
        ("Закрытие сессии", False, True),
        ("Закрытие границ", False, False),
    ],
)
def test_closing_items_are_known_by_their_words(title: str, report: bool, closure: bool) -> None:
    from sessiontui.exporters.model import ItemView

    item = ItemView("7", "7", title, 0, "7", "closed", 0, None, 0.0, [], [], "")
    assert (item.adopts_report, item.closes_meeting) == (report, closure)
    sub = ItemView("7a", "(a)", title, 1, "7", "closed", 0, None, 0.0, [], [], "")
    assert not sub.adopts_report and not sub.closes_meeting


def test_the_title_of_a_body_reads_as_its_meeting(log: Path) -> None:
    title = _report(log).split("\n# ", 1)[1].split("\n", 1)[0]
    assert title == (
        "Report on the meeting of the Working Group on Technical Assistance,"
        " held in Vienna on 1 July 2026"
    )


@pytest.mark.parametrize(
    ("title", "subtitle", "body", "reads"),
    [
        (
            "Working Group on Technical Assistance",
            "",
            "Conference of the Parties",
            "Report on the meeting of the Working Group on Technical Assistance",
        ),
        (
            "Working Group on Technical Assistance",
            "Fifth session",
            "Conference of the Parties",
            "Report of the Working Group on Technical Assistance on its fifth session",
        ),
        (
            "Working Group on Technical Assistance",
            "Second meeting",
            "",
            "Report on the second meeting of the Working Group on Technical Assistance",
        ),
        ("Fifth session", "", "", "Report on the fifth session"),
        (
            "Fifth session",
            "",
            "Conference of the Parties",
            "Report of the Conference of the Parties on its fifth session",
        ),
        (
            "Sixth session of the Conference of the States Parties",
            "",
            "",
            "Report of the Conference of the States Parties on its sixth session",
        ),
        ("Second intersessional meeting", "", "", "Report on the second intersessional meeting"),
        (
            "Second intersessional meeting",
            "",
            "Conference of the Parties",
            "Report on the second intersessional meeting of the Conference of the Parties",
        ),
        (
            "Second intersessional meeting of the Conference",
            "",
            "Conference of the Parties",
            "Report on the second intersessional meeting of the Conference",
        ),
        ("Meeting of the Board", "", "", "Report on the meeting of the Board"),
        ("Resumed twelfth session", "", "", "Report on the resumed twelfth session"),
        ("12th session of the Board", "", "", "Report of the Board on its 12th session"),
        # "of a …" names no body: the title as written, never "Report of the a …".
        (
            "Benchmark session of a subsidiary body (three weeks)",
            "",
            "",
            "Report on the Benchmark session of a subsidiary body (three weeks)",
        ),
    ],
)
@pytest.mark.parametrize(
    ("venue", "held"),
    [
        ("", ""),
        ("Vienna", ", held in Vienna"),
    ],
)
def test_report_titles(
    title: str, subtitle: str, body: str, reads: str, venue: str, held: str
) -> None:
    from types import SimpleNamespace

    from sessiontui.exporters.templating import _environment

    phrases = _environment("un", None).get_template("phrases/en.j2").module
    r = SimpleNamespace(
        title=title, venue=venue, held_on=[], occasion=occasion(title, subtitle, body)
    )
    said = getattr(phrases, "report_title")(r)  # noqa: B009 - a template's macro
    assert str(said).strip() == reads + held


@pytest.mark.parametrize(
    ("title", "subtitle", "body", "reads"),
    [
        (
            "Cinquième session",
            "",
            "Conférence des Parties",
            "Rapport de la Conférence des Parties sur les travaux de sa cinquième session",
        ),
        (
            "Groupe de travail sur l’assistance technique",
            "Cinquième session",
            "",
            "Rapport du Groupe de travail sur l’assistance technique sur les travaux de sa"
            " cinquième session",
        ),
        (
            "Groupe de travail sur l’assistance technique",
            "",
            "",
            "Rapport sur la réunion du Groupe de travail sur l’assistance technique",
        ),
        ("Cinquième session", "", "", "Rapport sur la cinquième session"),
        # Names not in French: quoted after a colon, never glued to French words.
        (
            "Fifth session",
            "",
            "Conference of the Parties",
            "Rapport sur la réunion : Fifth session",
        ),
    ],
)
def test_report_titles_in_french(title: str, subtitle: str, body: str, reads: str) -> None:
    from types import SimpleNamespace

    from sessiontui.exporters.templating import _environment

    phrases = _environment("un", None).get_template("phrases/fr.j2").module
    r = SimpleNamespace(title=title, venue="", held_on=[], occasion=occasion(title, subtitle, body))
    said = getattr(phrases, "report_title")(r)  # noqa: B009 - a template's macro
    assert str(said).strip() == reads


def test_the_title_leaves_out_what_the_agenda_does_not_give(tmp_path: Path) -> None:
    # A session of a body with no place and no dates: no "held", no empty brackets, and the
    # subtitle the title says is not printed again under it.
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    agenda.write_text(
        '[meeting]\ntitle = "Working Group on Asset Recovery"\nsubtitle = "Fifth session"\n'
        '\n[[items]]\ntitle = "Opening of the session"\n',
        "utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(agenda), "--log", str(log)]).exit_code == 0
    result = runner.invoke(cli, ["export", str(log), "--format", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    title = result.output.split("\n# ", 1)[1].split("\n\n", 2)
    assert title[0] == "Report of the Working Group on Asset Recovery on its fifth session"
    assert "Fifth session" not in title[1]
