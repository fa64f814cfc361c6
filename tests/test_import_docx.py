"""Word agendas: automatic numbering rebuilt from numbering.xml, tables, and hostile archives."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from sessiontui.core.agenda import Agenda
from sessiontui.core.agenda_toml import dump_agenda, parse_agenda
from sessiontui.importers import ImportFailure, ImportResult, import_bytes, import_document

W = nsdecls("w")

# decimal "1.", then "(a)", then "(i)", then bullets: the numbering of a UN provisional agenda
ABSTRACT = (
    f'<w:abstractNum {W} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="(%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
    '<w:lvlText w:val="(%3)"/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="\u2022"/></w:lvl>'
    "</w:abstractNum>"
)
# an outline list: "1", "1.1", "1.1.1" (isLgl), starting at 5 via startOverride on instance 92
OUTLINE = (
    f'<w:abstractNum {W} w:abstractNumId="91">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>'
    "</w:abstractNum>"
)


def add_numbering(document: Any) -> None:
    """Add list definitions to the document's numbering part (python-docx has no API for it)."""
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(ABSTRACT))
    numbering.append(parse_xml(OUTLINE))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {W} w:numId="92"><w:abstractNumId w:val="91"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        )
    )


def number(paragraph: Any, num_id: int, level: int) -> Any:
    """Number a paragraph directly (w:numPr on the paragraph)."""
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def board_agenda() -> bytes:
    """An executive board agenda whose numbers exist only in numbering.xml."""
    document = docx.Document()
    add_numbering(document)
    # top-level items are numbered through their paragraph style, not the paragraph
    style = document.styles.add_style("Agenda Item", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
    )
    document.add_paragraph("Executive Board, second regular session 2026", style="Title")
    document.add_paragraph("New York, 8-11 September 2026")
    document.add_paragraph("Provisional agenda", style="Heading 1")

    def item(text: str, level: int | None = None) -> Any:
        paragraph = document.add_paragraph(text, style="Agenda Item")
        return number(paragraph, 90, level) if level is not None else paragraph

    item("Organizational matters")
    item("Election of the Bureau", 1)
    item("Adoption of the agenda and workplan", 1)
    item("Financial, budgetary and administrative matters")
    item("Annual financial report (DP/FPA/2026/3)", 1)
    item("Audit and oversight:", 1)
    item("Internal audit report", 2)
    item("Report of the Ethics Office - Director, Ethics Office", 2)
    item("Joint inspection findings", 3)
    deleted = item("Evaluation")
    # a tracked deletion is not part of the text
    deleted.add_run().element.append(
        parse_xml(
            f'<w:del {W} w:id="1" w:author="x"><w:r><w:delText> (withdrawn)</w:delText></w:r></w:del>'
        )
    )
    item("Other matters")
    document.add_paragraph("Annex", style="Heading 1")
    document.add_paragraph("Tentative timetable (not part of the agenda).")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(data: bytes, name: str = "agenda.docx") -> ImportResult:
    result = import_bytes(data, name)
    text = dump_agenda(result.spec)
    assert parse_agenda(text.encode(), name) == result.spec
    return result


def test_word_automatic_numbering_is_rebuilt_from_the_numbering_definitions() -> None:
    result = read(board_agenda())
    spec = result.spec
    assert result.format == "docx"
    assert spec.meeting.title == "Executive Board, second regular session 2026"
    assert spec.meeting.venue == "New York"
    assert spec.meeting.dates[0] == dt.date(2026, 9, 8)
    agenda = Agenda(spec)
    assert [(n.label, n.title) for n in agenda] == [
        ("1.", "Organizational matters"),
        ("1(a)", "Election of the Bureau"),
        ("1(b)", "Adoption of the agenda and workplan"),
        ("2.", "Financial, budgetary and administrative matters"),
        ("2(a)", "Annual financial report"),
        ("2(b)", "Audit and oversight"),
        ("2(b)(i)", "Internal audit report"),
        ("2(b)(ii)", "Report of the Ethics Office"),
        ("2(b)(ii)(A)", "Joint inspection findings"),
        ("3.", "Evaluation"),
        ("4.", "Other matters"),
    ]
    nodes = {n.title: n for n in agenda}
    assert nodes["Annual financial report"].documents == ("DP/FPA/2026/3",)
    assert nodes["Report of the Ethics Office"].presenters == ("Director, Ethics Office",)
    # a bullet level has no number: the loader numbers it automatically
    assert spec.items[1].items[1].items[1].items[0].number is None
    assert any("'Annex' and what follows are not read" in d for d in result.doubts)


def test_outline_numbering_with_start_override_and_legal_style() -> None:
    document = docx.Document()
    add_numbering(document)
    document.add_paragraph("Governing Council", style="Title")
    number(document.add_paragraph("Programme matters"), 92, 0)
    number(document.add_paragraph("Country programmes"), 92, 1)
    number(document.add_paragraph("Regional programmes"), 92, 1)
    number(document.add_paragraph("Closing"), 92, 0)
    out = io.BytesIO()
    document.save(out)
    spec = read(out.getvalue()).spec
    assert [(n.label, n.title) for n in Agenda(spec)] == [
        ("V.", "Programme matters"),
        ("V5.1", "Country programmes"),
        ("V5.2", "Regional programmes"),
        ("VI.", "Closing"),
    ]


def test_word_table_agenda_with_times_presenters_and_a_break() -> None:
    document = docx.Document()
    document.add_paragraph("Regional workshop on asset recovery", style="Title")
    document.add_paragraph("Date: Thursday 19 November 2020")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["Time", "Session", "Speaker", "Documents"], strict=True
    ):
        cell.text = text
    rows = [
        ("09:30-10:00", "Opening remarks", "Ms. Ana Ruiz, Chair", ""),
        ("10:00-11:00", "National experiences", "", "CAC/COSP/WG.2/2020/2"),
        ("11:00-11:15", "Coffee break", "", ""),
        ("11:15-12:30", "Panel on beneficial ownership", "Ben Ode; Chen Li", ""),
    ]
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    spec = read(out.getvalue()).spec
    assert [(i.title, i.starts_at, i.minutes, i.kind) for i in spec.items] == [
        ("Opening remarks", "09:30", 30, "item"),
        ("National experiences", "10:00", 60, "item"),
        ("Coffee break", "11:00", 15, "break"),
        ("Panel on beneficial ownership", "11:15", 75, "item"),
    ]
    assert spec.items[0].presenters == ["Ms. Ana Ruiz, Chair"]
    assert spec.items[1].documents == ["CAC/COSP/WG.2/2020/2"]
    assert spec.items[3].presenters == ["Ben Ode", "Chen Li"]
    assert [(s.date, s.start, s.end) for s in spec.sittings] == [
        (dt.date(2020, 11, 19), "09:30", "12:30")
    ]


def test_a_docx_file_imports_from_disk_and_by_content_without_suffix(tmp_path: Path) -> None:
    data = board_agenda()
    (tmp_path / "board.docx").write_bytes(data)
    (tmp_path / "board").write_bytes(data)
    assert import_document(str(tmp_path / "board.docx")).format == "docx"
    assert import_document(str(tmp_path / "board")).format == "docx"


@pytest.mark.parametrize("numbering", ["List Number", "numPr"])
def test_annotations_after_an_agenda_in_word_automatic_numbering(numbering: str) -> None:
    # the drafter pressed the numbering button for the items (the number is in numbering.xml,
    # not the text), then typed the annotations' headings under a heading "Annotations" of
    # the agenda heading's level
    document = docx.Document()
    add_numbering(document)
    document.add_paragraph("Ad Hoc Committee on Cybercrime")
    document.add_paragraph("New York, 21 August-1 September 2023")
    document.add_paragraph("Provisional agenda", style="Heading 1")
    for title in ("Opening of the session.", "Organizational matters:"):
        if numbering == "numPr":
            number(document.add_paragraph(title), 90, 0)
        else:
            document.add_paragraph(title, style="List Number")
    document.add_paragraph("(a)\tAdoption of the agenda;")
    document.add_paragraph("(b)\tOrganization of work.")
    document.add_paragraph("3.\tAdoption of the report.")
    document.add_paragraph("Annotations", style="Heading 1")
    document.add_paragraph("1.\tOpening of the session")
    document.add_paragraph("The session will be opened on Monday, 21 August 2023, at 10 a.m.")
    document.add_paragraph("2.\tOrganizational matters")
    document.add_paragraph("(a)\tAdoption of the agenda")
    document.add_paragraph("The provisional agenda (A/AC.289/2023/1) was prepared.")
    document.add_paragraph("3.\tAdoption of the report")
    document.add_paragraph("The Committee will adopt a report (A/AC.289/2023/L.1).")
    out = io.BytesIO()
    document.save(out)
    result = read(out.getvalue())
    nodes = {n.label: n for n in Agenda(result.spec)}
    assert list(nodes) == ["1.", "2.", "2(a)", "2(b)", "3."]
    assert (nodes["1."].annotation or "").startswith("The session will be opened on Monday")
    assert nodes["2(a)"].documents == ("A/AC.289/2023/1",)
    assert nodes["3."].documents == ("A/AC.289/2023/L.1",)
    assert not any("not read" in doubt for doubt in result.doubts)


def conference_agenda(heading_of_item_3: str) -> bytes:
    """A UN conference's provisional agenda in Word whose annotations head item 3 with its
    title cut short, as drafters do for a long title."""
    document = docx.Document()
    document.add_paragraph("A/CONF.240/2024/1")
    document.add_paragraph("United Nations Conference on Transnational Crime", style="Title")
    document.add_paragraph("New York, 11-22 March 2024")
    document.add_paragraph("Provisional agenda", style="Heading 1")
    document.add_paragraph("Opening of the Conference.", style="List Number")
    document.add_paragraph("Election of the President.", style="List Number")
    document.add_paragraph(
        "Follow-up to the Fourth World Conference on Women and to the twenty-third special "
        "session of the General Assembly:",
        style="List Number",
    )
    document.add_paragraph("(a)\tImplementation of strategic objectives;")
    document.add_paragraph("(b)\tEmerging issues and new approaches.")
    document.add_paragraph("4.\tAdoption of the report of the Conference.")
    document.add_paragraph("Annotations", style="Heading 1")
    document.add_paragraph(heading_of_item_3)
    document.add_paragraph("The Conference will have before it a note (A/CONF.240/2024/2).")
    document.add_paragraph("(b)\tEmerging issues and new approaches")
    document.add_paragraph("The Conference will hold an interactive dialogue.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_annotation_heading_shortening_the_title_is_that_items_heading() -> None:
    result = read(conference_agenda("3.\tFollow-up to the Fourth World Conference on Women"))
    nodes = {n.label: n for n in Agenda(result.spec)}
    assert (
        nodes["3."].annotation == "The Conference will have before it a note (A/CONF.240/2024/2)."
    )
    assert nodes["3(b)"].annotation == "The Conference will hold an interactive dialogue."
    assert result.doubts == []


def test_an_unmatched_annotation_heading_before_any_item_is_one_true_doubt() -> None:
    # the heading names item 3 by another title: it is left out, and one doubt says so (not
    # also that it was kept as annotation text); so is the paragraph under it
    result = read(conference_agenda("3.\tBeijing follow-up"))
    nodes = {n.label: n for n in Agenda(result.spec)}
    assert nodes["3."].annotation is None
    assert nodes["3(b)"].annotation == "The Conference will hold an interactive dialogue."
    assert result.doubts == [
        "paragraph 12: '3. Beijing follow-up' in the annotations does not repeat the title of "
        "item 3. and comes before any annotated item - left out",
        "paragraph 13: in no item, annotation or meeting field - left out: "
        "'The Conference will have before it a...'",
    ]


def test_a_typed_footnote_under_the_list_of_items_does_not_end_the_agenda() -> None:
    # the drafter typed the first page's footnote under the items: a rule of underscores
    # and "* A/CONF.240/2024/1." above the annotations
    document = docx.Document()
    document.add_paragraph("United Nations Conference on Transnational Crime", style="Title")
    document.add_paragraph("New York, 11-22 March 2024")
    document.add_paragraph("Provisional agenda*", style="Heading 1")
    document.add_paragraph("Opening of the Conference.", style="List Number")
    document.add_paragraph("Adoption of the report of the Conference.", style="List Number")
    document.add_paragraph("______________")
    document.add_paragraph("* A/CONF.240/2024/1.")
    document.add_paragraph("Annotations", style="Heading 1")
    document.add_paragraph("1.\tOpening of the Conference")
    document.add_paragraph("The Conference will be opened by the Secretary-General.")
    document.add_paragraph("2.\tAdoption of the report of the Conference")
    document.add_paragraph("The Conference will adopt its report (A/CONF.240/2024/L.1).")
    out = io.BytesIO()
    document.save(out)
    result = read(out.getvalue())
    assert [item.annotation for item in result.spec.items] == [
        "The Conference will be opened by the Secretary-General.",
        "The Conference will adopt its report (A/CONF.240/2024/L.1).",
    ]
    assert "A/CONF.240/2024/1." not in dump_agenda(result.spec)
    assert result.doubts == []


# -- hostile archives -----------------------------------------------------------------------


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def refused(data: bytes, name: str = "agenda.docx") -> str:
    with pytest.raises(ImportFailure) as caught:
        import_bytes(data, name)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_zip_bomb_is_refused_from_the_declared_sizes() -> None:
    bomb = zipped({"word/document.xml": b"<" + b"\0" * (17 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "too large" in refused(bomb)


def test_a_part_that_lies_about_its_size_is_refused() -> None:
    real = b"<w:document>" + b" " * 50_000 + b"</w:document>"
    data = bytearray(zipped({"word/document.xml": real}))
    # patch the declared uncompressed size (local header and central directory) to 100 bytes
    size = len(real).to_bytes(4, "little")
    assert data.count(size) == 2
    data = bytearray(bytes(data).replace(size, (100).to_bytes(4, "little")))
    # zipfile stops at the declared size and checks the CRC: nothing past the claim is read
    message = refused(bytes(data))
    assert "cannot be read" in message or "does not parse" in message


def test_not_a_zip_a_zip_without_a_document_and_xml_declarations_are_refused() -> None:
    assert "not a zip archive" in refused(b"this is plain text, not Word")
    assert "without word/document.xml" in refused(zipped({"hello.txt": b"hi"}))
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>'
    )
    assert "DOCTYPE or ENTITY" in refused(zipped({"word/document.xml": laughs}))
    assert "does not parse" in refused(zipped({"word/document.xml": b"<w:document><unclosed>"}))
    odd = b'<?xml version="1.0" encoding="UTF-8es"?><w:document/>'
    assert "does not parse" in refused(zipped({"word/document.xml": odd}))


def test_deeply_nested_content_controls_are_refused() -> None:
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    depth = 5000
    body = b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth
    xml = b"<w:document " + w + b"><w:body>" + body + b"</w:body></w:document>"
    assert "nests too deeply" in refused(zipped({"word/document.xml": xml}))


def hostile_numbering(start: str, override: str | None = None) -> bytes:
    """A Word list in upper roman numerals starting at ``start`` (or restarted at ``override``)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="80">'
            f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        )
    )
    restart = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>'
        if override
        else ""
    )
    numbering.append(
        parse_xml(f'<w:num {W} w:numId="80"><w:abstractNumId w:val="80"/>{restart}</w:num>')
    )
    for title in ("Opening", "Budget", "Closure"):
        number(document.add_paragraph(title), 80, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("start", "override"),
    [("1000000000000", None), ("1", "1000000000000"), ("9" * 5000, None), ("40000", None)],
)
def test_an_absurd_list_start_is_refused_in_constant_memory(
    start: str, override: str | None
) -> None:
    import tracemalloc

    data = hostile_numbering(start, override)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailure) as caught:
            import_bytes(data, "hostile.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "a Word list starts at" in str(caught.value)
    assert "refused" in str(caught.value)
    assert peak < 50 * 1024 * 1024


def test_a_list_starting_at_a_plausible_number_still_reads() -> None:
    result = import_bytes(hostile_numbering("10"), "roman.docx")
    assert [item.number for item in result.spec.items] == ["X.", "XI.", "XII."]


def test_a_table_cell_of_no_known_column_is_kept_as_the_items_note() -> None:
    document = docx.Document()
    document.add_paragraph("GOVERNING COUNCIL")
    document.add_paragraph("AGENDA")
    rows = [
        ("1. Opening of the meeting", ""),
        ("2. Adoption of the agenda", "GC.12/1"),
        ("3. Report of the Executive Director", "GC.12/3 and GC.12/4"),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for r, (title, papers) in enumerate(rows):
        table.cell(r, 0).text = title
        table.cell(r, 1).text = papers
    out = io.BytesIO()
    document.save(out)
    items = read(out.getvalue()).spec.items
    assert [(i.title, i.annotation) for i in items] == [
        ("Opening of the meeting", None),
        ("Adoption of the agenda", "GC.12/1"),
        ("Report of the Executive Director", "GC.12/3 and GC.12/4"),
    ]


@pytest.mark.parametrize("breaks", [False, True])
def test_sub_items_in_the_cell_of_their_item_are_items(breaks: bool) -> None:
    document = docx.Document()
    document.add_paragraph("GOVERNING COUNCIL")
    document.add_paragraph("AGENDA")
    rows = [
        (["1. Opening of the meeting"], ""),
        (["3. Report of the Director", "(a) Programme performance", "(b) Finances"], "GC/3"),
        (["4. Closure of the meeting"], ""),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for r, (paragraphs, papers) in enumerate(rows):
        cell = table.cell(r, 0)
        if breaks:  # one paragraph, its lines broken (python-docx writes w:br for "\n")
            cell.text = "\n".join(paragraphs)
        else:
            cell.text = paragraphs[0]
            for paragraph in paragraphs[1:]:
                cell.add_paragraph(paragraph)
        table.cell(r, 1).text = papers
    out = io.BytesIO()
    document.save(out)
    items = read(out.getvalue()).spec.items
    assert [(i.number, i.title) for i in items] == [
        ("1.", "Opening of the meeting"),
        ("3.", "Report of the Director"),
        ("4.", "Closure of the meeting"),
    ]
    assert items[1].annotation == "GC/3"
    assert [(i.number, i.title) for i in items[1].items] == [
        ("(a)", "Programme performance"),
        ("(b)", "Finances"),
    ]


def test_sub_items_under_a_title_column_keep_the_tables_columns() -> None:
    document = docx.Document()
    document.add_paragraph("Board")
    document.add_paragraph("Provisional agenda")
    rows = [
        ("No.", "Agenda item", "Documents"),
        ("1.", "Opening", ""),
        ("2.", "Financial matters\n(a) Accounts\n(b) Budget", "EB/2027/3"),
        ("3.", "Report of the Secretary", "EB/2027/5"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    items = read(out.getvalue()).spec.items
    assert [(i.number, i.title) for i in items] == [
        ("1.", "Opening"),
        ("2.", "Financial matters"),
        ("3.", "Report of the Secretary"),
    ]
    assert [(i.number, i.title) for i in items[1].items] == [("(a)", "Accounts"), ("(b)", "Budget")]
    # the header's columns still hold for the rows after the sub-items
    assert items[2].documents == ["EB/2027/5"]


# -- the masthead of a UN document in Word (issue #16) ------------------------------------------

UN_SYMBOL = "CTOC/COP/WG.2/2026/1"
UN_BODY = [
    "Conference of the Parties to the United Nations",
    "Convention against Transnational Organized Crime",
]
UN_ISSUE = ["Distr.: General", "20 March 2026", "Original: English"]
UN_REST = [
    "Working Group on Technical Assistance",
    "Vienna, 8 and 9 June 2026",
    "Annotated provisional agenda and proposed organization of work",
    "I. Provisional agenda",
    "1. Opening of the meeting.",
    "2. Adoption of the agenda.",
    "3. Technical assistance for the implementation of the Convention.",
    "4. Capacity-building in the prevention of cybercrime.",
    "5. Mutual legal assistance and extradition.",
    "6. Financial and budgetary matters.",
    "7. Other matters.",
    "8. Adoption of the report.",
    "II. Annotations",
    "1. Opening of the meeting",
    "1. The meeting will be opened on Monday, 8 June 2026, at 10 a.m.",
]


def un_agenda_txt() -> str:
    """The annotated provisional agenda as plain text: the masthead's columns spaced apart."""
    lines = [f"United Nations{' ' * 40}{UN_SYMBOL}", "", *UN_BODY, "", *UN_ISSUE, ""]
    return "\n".join([*lines, *UN_REST]) + "\n"


def un_agenda_docx(masthead: str) -> bytes:
    """The same agenda in Word, one paragraph a line and no empty paragraphs, the masthead
    one paragraph (columns apart by a tab or spaces) or a table, as UN Word files have it."""
    document = docx.Document()
    if masthead == "table":
        table = document.add_table(rows=1 + len(UN_ISSUE), cols=2)
        table.cell(0, 0).text = "United Nations"
        table.cell(0, 1).text = UN_SYMBOL
        for row, text in enumerate(UN_ISSUE, 1):
            table.cell(row, 1).text = text
        lines = [*UN_BODY, *UN_REST]
    elif masthead in ("cell-breaks", "cell-paragraphs"):
        # one row: the symbol, "Distr.", the date of issue and "Original:" in the right cell,
        # as line breaks (python-docx's cell.text with newlines) or paragraphs of the cell
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "United Nations"
        right = table.cell(0, 1)
        if masthead == "cell-breaks":
            right.text = "\n".join([UN_SYMBOL, *UN_ISSUE])
        else:
            right.text = UN_SYMBOL
            for text in UN_ISSUE:
                right.add_paragraph(text)
        lines = [*UN_BODY, *UN_REST]
    else:
        gap = "\t" if masthead == "tab" else " " * 12
        document.add_paragraph(f"United Nations{gap}{UN_SYMBOL}")
        lines = [*UN_BODY, *UN_ISSUE, *UN_REST]
    for text in lines:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cli_import(source: Path) -> dict[str, Any]:
    """``sessiontui import`` then ``sessiontui check`` on its output, as a user runs them."""
    out = source.with_suffix(".toml")
    for command in (["import", str(source), "-o", str(out)], ["check", str(out)]):
        done = subprocess.run(
            [sys.executable, "-m", "sessiontui", *command],
            check=False,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, (command, done.stderr)
    return tomllib.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("masthead", ["tab", "spaces", "table", "cell-breaks", "cell-paragraphs"])
def test_a_word_masthead_gives_the_meeting_the_text_gives(tmp_path: Path, masthead: str) -> None:
    text_file = tmp_path / "agenda.txt"
    text_file.write_text(un_agenda_txt(), encoding="utf-8")
    word_file = tmp_path / f"agenda-{masthead}.docx"
    word_file.write_bytes(un_agenda_docx(masthead))
    from_text, from_word = cli_import(text_file), cli_import(word_file)
    assert from_text["meeting"]["title"] == "Working Group on Technical Assistance"
    assert from_text["meeting"]["symbol"] == UN_SYMBOL
    assert from_word["meeting"] == from_text["meeting"]
    assert [item["title"] for item in from_word["items"]] == [
        item["title"] for item in from_text["items"]
    ]


@pytest.mark.parametrize("paragraphs", [False, True])
def test_a_masthead_cell_of_several_lines_gives_symbol_and_body(paragraphs: bool) -> None:
    # "United Nations" / "General Assembly" in the left cell, the symbol and the three lines
    # under it in the right one: each line of a cell read as a line of the masthead
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    issue = ["A/AC.289/2023/1", "Distr.: General", "3 March 2023", "Original: English"]
    if paragraphs:
        left.text = "United Nations"
        left.add_paragraph("General Assembly")
        right.text = issue[0]
        for text in issue[1:]:
            right.add_paragraph(text)
    else:
        left.text = "United Nations\nGeneral Assembly"
        right.text = "\n".join(issue)
    for text in (
        "Ad Hoc Committee on Cybercrime",
        "Sixth session",
        "New York, 21 August-1 September 2023",
        "Provisional agenda",
        "1.\tOpening of the session.",
        "2.\tAdoption of the report.",
    ):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    result = read(out.getvalue())
    meeting = result.spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.body, meeting.symbol) == (
        "Ad Hoc Committee on Cybercrime",
        "Sixth session",
        "General Assembly",
        "A/AC.289/2023/1",
    )
    assert meeting.dates[0] == dt.date(2023, 8, 21)  # not the date of issue
    assert [d for d in result.doubts if "table 1" in d] == []


def test_footnote_marks_typed_as_superscripts_stay_out_of_titles_and_annotations() -> None:
    # a drafter without Word's footnote button types the mark and raises it: "officers.¹"
    document = docx.Document()
    document.add_paragraph("Commission on Narcotic Drugs")
    document.add_paragraph("Provisional agenda", style="Heading 1")
    first = document.add_paragraph("1.\tElection of officers")
    first.add_run("*").font.superscript = True
    document.add_paragraph("2.\tAdoption of the agenda")
    document.add_paragraph("Annotations", style="Heading 1")
    document.add_paragraph("1.\tElection of officers")
    note = document.add_paragraph("The Commission shall elect officers.")
    note.add_run("1").font.superscript = True
    note.add_run(" It meets on the 21")
    note.add_run("st").font.superscript = True
    note.add_run(" of May.")
    note.add_run("2").font.superscript = True
    out = io.BytesIO()
    document.save(out)
    nodes = {n.label: n for n in Agenda(read(out.getvalue()).spec)}
    assert nodes["1."].title == "Election of officers"
    assert nodes["1."].annotation == (
        "The Commission shall elect officers. It meets on the 21st of May."
    )
