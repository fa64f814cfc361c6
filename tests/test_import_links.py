"""Links kept: an agenda's links to its documents reach the imported items' annotations."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from sessiontui.importers import ImportFailure, import_bytes

MARKDOWN = """\
# Working Group on Asset Recovery

Vienna, 2-3 June 2026

## Provisional agenda

1. Opening of the meeting
2. Adoption of the agenda ([CAC/COSP/WG.2/2026/1](https://undocs.org/CAC/COSP/WG.2/2026/1))
3. [Thematic discussion on beneficial ownership][thematic] (45 min)
4. Draft guidelines https://www.unodc.org/wg2026/guidelines.pdf
5. Other matters: see [the note by the Secretariat](https://example.org/note.pdf) and
   [the conference room paper](https://example.org/crp.pdf).
6. [Adoption of the report]()

[thematic]: https://example.org/wg2026/thematic "Thematic discussion"
"""


def sessiontui(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sessiontui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def imported(source: Path) -> list[dict[str, Any]]:
    """Import through the command line, check the agenda written, return its items."""
    out = source.with_name("out.toml")
    done = sessiontui("import", str(source), "-o", str(out), cwd=source.parent)
    assert done.returncode == 0, done.stderr
    checked = sessiontui("check", str(out), cwd=source.parent)
    assert checked.returncode == 0, checked.stderr
    items: list[dict[str, Any]] = tomllib.loads(out.read_text(encoding="utf-8"))["items"]
    return items


def test_markdown_links_reach_the_annotations(tmp_path: Path) -> None:
    source = tmp_path / "agenda.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    items = imported(source)
    assert [i["title"] for i in items] == [
        "Opening of the meeting",
        "Adoption of the agenda",
        "Thematic discussion on beneficial ownership",
        "Draft guidelines",
        "Other matters: see the note by the Secretariat and the conference room paper",
        "Adoption of the report",
    ]
    assert "annotation" not in items[0]
    # a linked symbol: the symbol in documents as always, the address kept beside it
    assert items[1]["documents"] == ["CAC/COSP/WG.2/2026/1"]
    assert items[1]["annotation"] == (
        "CAC/COSP/WG.2/2026/1 (https://undocs.org/CAC/COSP/WG.2/2026/1)"
    )
    # a reference link, resolved through its definition (which is not an item's text)
    assert items[2]["annotation"] == (
        "Thematic discussion on beneficial ownership (https://example.org/wg2026/thematic)"
    )
    assert items[2]["minutes"] == 45
    # an address written out leaves the title, and is kept
    assert items[3]["annotation"] == "https://www.unodc.org/wg2026/guidelines.pdf"
    assert items[4]["annotation"].splitlines() == [
        "the note by the Secretariat (https://example.org/note.pdf)",
        "the conference room paper (https://example.org/crp.pdf)",
    ]
    # link text without an address (no definition) imports as plain text, as before
    assert "annotation" not in items[5]


def test_an_annotation_that_shows_the_address_does_not_repeat_it(tmp_path: Path) -> None:
    source = tmp_path / "agenda.txt"
    source.write_text(
        "PROVISIONAL AGENDA\n\n"
        "1. Opening of the meeting\n\n"
        "2. Report of the Secretariat (https://example.org/report.pdf)\n\n"
        "ANNOTATIONS\n\n"
        "2. Report of the Secretariat\n\n"
        "The report is available at https://example.org/report.pdf, with its annex.\n",
        encoding="utf-8",
    )
    items = imported(source)
    assert items[1]["title"] == "Report of the Secretariat"
    assert items[1]["annotation"] == (
        "The report is available at https://example.org/report.pdf, with its annex."
    )


# -- Word -------------------------------------------------------------------------------------


def hyperlink(paragraph: Any, text: str, url: str) -> None:
    """A real Word hyperlink: a w:hyperlink whose r:id names an external relationship."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def field_link(paragraph: Any, text: str, url: str) -> None:
    """A hyperlink as older Word writes it: a HYPERLINK field spread over runs."""
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> HYPERLINK "{url}" '
        "</w:instrText></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}><w:t>{text}</w:t></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))


def word_agenda() -> bytes:
    document = docx.Document()
    document.add_heading("Working Group on Asset Recovery", level=1)
    document.add_paragraph("Vienna, 2-3 June 2026")
    document.add_paragraph("Provisional agenda")
    document.add_paragraph("1. Opening of the meeting")
    paragraph = document.add_paragraph("2. Adoption of the agenda (")
    hyperlink(paragraph, "CAC/COSP/WG.2/2026/1", "https://undocs.org/CAC/COSP/WG.2/2026/1")
    paragraph.add_run(")")
    paragraph = document.add_paragraph("3. ")
    hyperlink(paragraph, "Thematic discussion", "https://example.org/wg2026/thematic")
    paragraph = document.add_paragraph("4. Draft guidelines, see ")
    field_link(paragraph, "the draft", "https://example.org/wg2026/draft.pdf")
    paragraph = document.add_paragraph("5. ")
    # link text whose relationship is missing (a damaged or internal link): text only
    broken = OxmlElement("w:hyperlink")
    broken.set(qn("r:id"), "rId999")
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = "Closure of the meeting"
    run.append(words)
    broken.append(run)
    paragraph._p.append(broken)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_hyperlinks_reach_the_annotations(tmp_path: Path) -> None:
    source = tmp_path / "agenda.docx"
    source.write_bytes(word_agenda())
    items = imported(source)
    assert [i["title"] for i in items] == [
        "Opening of the meeting",
        "Adoption of the agenda",
        "Thematic discussion",
        "Draft guidelines, see the draft",
        "Closure of the meeting",
    ]
    assert items[1]["documents"] == ["CAC/COSP/WG.2/2026/1"]
    assert items[1]["annotation"] == (
        "CAC/COSP/WG.2/2026/1 (https://undocs.org/CAC/COSP/WG.2/2026/1)"
    )
    assert items[2]["annotation"] == "Thematic discussion (https://example.org/wg2026/thematic)"
    assert items[3]["annotation"] == "the draft (https://example.org/wg2026/draft.pdf)"
    assert "annotation" not in items[4]
    assert "annotation" not in items[0]


def test_a_linked_word_table_row_keeps_its_link() -> None:
    document = docx.Document()
    document.add_heading("Programme", level=1)
    table = document.add_table(rows=3, cols=3)
    for column, header in enumerate(("Time", "Topic", "Documents")):
        table.cell(0, column).text = header
    for row, (time, topic, symbol) in enumerate(
        (("10:00", "Opening", "A/80/1"), ("10:30", "Budget", "A/80/2")), start=1
    ):
        table.cell(row, 0).text = time
        table.cell(row, 1).text = topic
        hyperlink(table.cell(row, 2).paragraphs[0], symbol, f"https://undocs.org/{symbol}")
    out = io.BytesIO()
    document.save(out)
    items = import_bytes(out.getvalue(), "programme.docx").spec.items
    assert [(i.title, i.documents, i.annotation) for i in items] == [
        ("Opening", ["A/80/1"], "A/80/1 (https://undocs.org/A/80/1)"),
        ("Budget", ["A/80/2"], "A/80/2 (https://undocs.org/A/80/2)"),
    ]


# -- hostile documents ------------------------------------------------------------------------


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same .docx with one part replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


RELS = "word/_rels/document.xml.rels"


def test_hostile_relationships_are_refused_like_any_part() -> None:
    data = word_agenda()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b"&a;</Relationships>"
    )
    with pytest.raises(ImportFailure, match="DOCTYPE or ENTITY"):
        import_bytes(with_part(data, RELS, laughs), "agenda.docx")
    huge = b"<Relationships>" + b" " * (17 * 1024 * 1024) + b"</Relationships>"
    with pytest.raises(ImportFailure, match="too large"):
        import_bytes(with_part(data, RELS, huge), "agenda.docx")
    with pytest.raises(ImportFailure, match="does not parse"):
        import_bytes(with_part(data, RELS, b"<Relationships><unclosed>"), "agenda.docx")


def test_a_paragraph_of_thousands_of_links_keeps_a_bounded_number_and_says_so() -> None:
    document = docx.Document()
    document.add_paragraph("Agenda")
    document.add_paragraph("1. Opening")
    paragraph = document.add_paragraph("2. Documents ")
    for n in range(3000):
        hyperlink(paragraph, f"d{n} ", f"https://example.org/{n}")
    out = io.BytesIO()
    document.save(out)
    result = import_bytes(out.getvalue(), "links.docx")
    annotation = result.spec.items[1].annotation or ""
    assert len(annotation.splitlines()) == 64
    assert any("2936 more links than the 64 kept" in d for d in result.doubts)


def test_an_absurdly_long_address_is_a_doubt_not_an_annotation() -> None:
    text = "# Agenda\n\n1. [Opening](https://example.org/" + "a" * 3000 + ")\n2. Closure\n"
    result = import_bytes(text.encode(), "long.md")
    assert result.spec.items[0].title == "Opening"
    assert result.spec.items[0].annotation is None
    assert any("a link of 3020 characters - left out" in d for d in result.doubts)


def test_a_link_outside_the_items_is_named_in_the_doubts() -> None:
    text = (
        "# [Working Group](https://example.org/wg)\n\nSee https://example.org/info\n\n"
        "## Agenda\n\n1. Opening\n2. Closure\n"
    )
    result = import_bytes(text.encode(), "outside.md")
    assert result.spec.meeting.title == "Working Group"
    assert "line 1: a link outside the items - left out: 'https://example.org/wg'" in (
        result.doubts
    )
    # the line that went nowhere is named once, with its text (which shows the address)
    named = [d for d in result.doubts if "https://example.org/info" in d]
    assert named == [
        "line 3: in no item, annotation or meeting field - left out: 'See https://example.org/info'"
    ]
