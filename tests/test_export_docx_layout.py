"""The Word report's layout where text alone does not show it: the agenda list's hanging indents
and the widths of the annex's table columns."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Pt

from tests.export_scenario import Recorded
from tests.test_export import export


def _agenda_entries(document: Any) -> dict[str, Any]:
    return {
        p.text.split("\t")[-2]: p
        for p in document.paragraphs
        if p.style.name == "Agenda list" and "\t" in p.text
    }


def test_every_sub_item_of_the_agenda_hangs_its_title_under_the_same_indent(
    cosp: Recorded,
) -> None:
    document = docx.Document(io.BytesIO(export(cosp, "docx")))
    entries = _agenda_entries(document)
    subs = [entries[label] for label in ("2(a)", "2(b)", "2(c)", "2(d)", "2(e)")]
    for paragraph in subs:
        fmt = paragraph.paragraph_format
        # The title and its wrapped lines start at the left indent, right of the label ...
        assert fmt.left_indent == Pt(117)
        # ... and the first line where the style's does, its label at a stop under the title of 2.
        assert fmt.left_indent + fmt.first_line_indent == Pt(36)
        assert [stop.position for stop in fmt.tab_stops] == [Pt(72)]
    top = entries["2"].paragraph_format
    assert top.left_indent is None and top.first_line_indent is None  # the style's, as before


@pytest.fixture
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    from tests.export_scenario import cosp_scenario

    return cosp_scenario(tmp_path_factory.mktemp("docx") / "session.jsonl")


def test_the_title_column_of_the_timings_takes_the_room_the_figures_leave(cosp: Recorded) -> None:
    document = docx.Document(io.BytesIO(export(cosp, "docx")))
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells][:2] == ["Item", "Title"]
    widths = [cell.width for cell in summary.rows[0].cells]
    assert None not in widths
    assert widths[1] > sum(w or 0 for w in widths) * 2 / 5  # the titles, not a fifth
    assert all((w or 0) >= (widths[0] or 0) for w in widths[2:])  # "Difference" no narrower
    section = document.sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert page is not None and left is not None and right is not None
    assert abs(sum(w or 0 for w in widths) - (page - left - right)) < 20 * 635  # a few twips


def test_column_widths_share_out_the_whole_width() -> None:
    from sessiontui.exporters.word import column_widths

    rows = [["Item", "Title", "Used"], ["2(a)", "A title of some length " * 4, "0:20"]]
    widths = column_widths(rows, 9000)
    assert sum(widths) == 9000 and widths[1] == max(widths)
    assert column_widths([["a", "b"]], 100) == [90, 10]  # the first widest takes the rest


def test_no_head_word_is_broken_in_a_crowded_table() -> None:
    from sessiontui.exporters.word import column_widths

    # The report's Meetings table: five columns of dates and figures, none a title.
    rows = [
        ["Meeting", "Opened", "Closed", "Suspensions", "Time"],
        ["1st meeting", "2020-11-19 10:00", "2020-11-19 18:00", "13:00–15:00", "6:00:00"],
    ]
    widths = column_widths(rows, 6400)
    assert sum(widths) == 6400
    # 64 characters to the width: "Suspensions" in bold and the cell's margins need 14.
    for head, got in zip(rows[0], widths, strict=True):
        assert got >= (len(head) + 3) * 100, head


def _cosp_docx(tmp_path: Path, *options: str) -> Path:
    """The worked example exported through the command line, as a user does."""
    from click.testing import CliRunner

    from sessiontui.cli import cli
    from tests.export_scenario import cosp_scenario

    log = cosp_scenario(tmp_path / "session.jsonl").path
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(cli, ["export", str(log), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def test_the_first_page_has_the_symbol_block_and_the_others_the_running_header(
    tmp_path: Path,
) -> None:
    document = docx.Document(str(_cosp_docx(tmp_path, "--symbol", "CAC/COSP/2020/9")))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    first = [p.text for p in section.first_page_header.paragraphs]
    assert first == [
        "United Nations",
        "CAC/COSP/2020/9",
        "Distr.: General",
        "20 November 2020",
        "Original: English",
    ]
    assert [p.text for p in section.header.paragraphs] == ["CAC/COSP/2020/9 · 20 November 2020"]
    # Said once, in the header: the body starts with the title.
    assert getattr(document.paragraphs[0].style, "name", "") == "Title"
    assert not any(p.text == "Distr.: General" for p in document.paragraphs)
    # No job number given, none printed.
    assert not any(p.text for p in section.first_page_footer.paragraphs)


def test_the_footer_carries_the_job_number(tmp_path: Path) -> None:
    document = docx.Document(str(_cosp_docx(tmp_path, "--job", "GE.20-12345")))
    section = document.sections[0]
    assert [p.text for p in section.first_page_footer.paragraphs] == ["GE.20-12345"]
    # The page number (a PAGE field, no text to python-docx), then the job number under it.
    assert [p.text for p in section.footer.paragraphs] == ["", "GE.20-12345"]
    assert 'w:instr="PAGE"' in section.footer._element.xml
    assert 'w:instr="PAGE"' not in section.first_page_footer._element.xml


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler's pdftotext",
)
def test_libreoffice_prints_the_symbol_block_on_page_one_only(tmp_path: Path) -> None:
    # What a reader of the printed draft sees: LibreOffice lays the pages out.
    report = _cosp_docx(tmp_path, "--symbol", "CAC/COSP/2020/9", "--job", "GE.20-12345")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    def page(number: int) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(tmp_path / "report.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    first, second = page(1), page(2)
    assert "Distr.: General" in first and "CAC/COSP/2020/9" in first
    assert "CAC/COSP/2020/9 · 20 November 2020" not in first
    assert "GE.20-12345" in first
    assert "CAC/COSP/2020/9 · 20 November 2020" in second
    assert "Distr.: General" not in second
    assert "GE.20-12345" in second
