"""``sessiontui export`` with --style, --lang, --templates and --reference-doc, as a user runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from tests.export_scenario import Recorded, cosp_scenario
from tests.test_export import docx_text

SHIPPED = Path(__file__).resolve().parent.parent / "sessiontui" / "exporters" / "templates"


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked scenario: a register with groups, an observer, replies, roll calls."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def _export(log: Path, target: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["export", str(log), "-o", str(target), *options])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("style", ["un", "minutes"])
def test_every_style_and_language_in_every_report_format(
    cosp: Recorded, tmp_path: Path, style: str, lang: str
) -> None:
    said = {
        ("un", "en"): "the representative of Egypt (on behalf of the Group of 77 and China)",
        ("un", "fr"): "À ses 1re et 2e séances, les 19 et 20 novembre 2020, la réunion a examiné",
        ("minutes", "en"): "Egypt (for Group of 77 and China)",
        ("minutes", "fr"): "Égypte (au nom du Groupe des 77 et de la Chine)",
    }[style, lang]
    for fmt in ("md", "html", "docx"):
        target = tmp_path / f"report.{fmt}"
        _export(cosp.path, target, "--style", style, "--lang", lang, "--journal")
        text = docx_text(target.read_bytes()) if fmt == "docx" else target.read_text("utf-8")
        assert said in text.replace("&#x27;", "'"), (fmt, said)


def _house(folder: Path) -> tuple[Path, Path]:
    """A secretariat's own templates (one phrase changed) and its own Word document (US Letter,
    its header and footer)."""
    import docx
    from docx.shared import Mm

    templates = folder / "house"
    (templates / "phrases").mkdir(parents=True)
    phrases = (SHIPPED / "un" / "phrases" / "fr.j2").read_text("utf-8")
    (templates / "phrases" / "fr.j2").write_text(
        phrases.replace('"Distr. générale"', '"Distr. restreinte"'), "utf-8"
    )
    reference = folder / "house.docx"
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(216), Mm(279)
    section.header.paragraphs[0].text = "SECRÉTARIAT"
    document.add_paragraph("Texte du modèle")
    document.save(str(reference))
    return templates, reference


def test_own_templates_and_reference_document_together(cosp: Recorded, tmp_path: Path) -> None:
    import docx

    templates, reference = _house(tmp_path)
    target = tmp_path / "rapport.docx"
    options = ("--lang", "fr", "--templates", str(templates), "--reference-doc", str(reference))
    _export(cosp.path, target, *options)
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "Distr. restreinte" in texts and "Distr. générale" not in texts
    assert "Texte du modèle" not in texts
    assert "I. Organisation de la réunion" in texts
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.mm), round(height.mm)) == (216, 279)
    assert section.header.paragraphs[0].text == "SECRÉTARIAT"


@pytest.mark.libreoffice
def test_pdf_on_a_reference_document_in_french(cosp: Recorded, tmp_path: Path) -> None:
    """LibreOffice lays out the Word report on the secretariat's page, in French."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    templates, reference = _house(tmp_path)
    target = tmp_path / "rapport.pdf"
    options = ("--lang", "fr", "--templates", str(templates), "--reference-doc", str(reference))
    _export(cosp.path, target, *options)
    info = subprocess.run(["pdfinfo", str(target)], check=True, capture_output=True, text=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert size is not None
    # 216 x 279 mm in points, not A4's 595 x 842.
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (612, 791)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Distr. restreinte" in flat and "SECRÉTARIAT" in flat
    assert "1. La réunion a été ouverte à la 1re séance, le 19 novembre 2020, à 10 heures." in flat
