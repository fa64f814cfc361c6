"""Write the Word documents of the h16 corpus: ``python tests/import_corpus/table/h16/make_docx.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).parent


def add_numbering(document: Any, levels: list[tuple[str, str]]) -> int:
    """Add a Word list whose levels print ``lvlText`` with ``numFmt``; return its numId."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{567 * (i + 1)}" w:hanging="567"/></w:pPr></w:lvl>'
        for i, (text, fmt) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="70">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>')
    )
    return 70


def numbered(document: Any, text: str, num_id: int, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def senate_autonumber() -> None:
    """A university senate agenda in Word automatic numbering: "Item 1", "1.1", "(a)"."""
    document = Document()
    levels = [("Item %1", "decimal"), ("%1.%2", "decimal"), ("(%3)", "lowerLetter")]
    num_id = add_numbering(document, levels)
    document.add_heading("University of Eastmoor — Senate", level=1)
    document.add_paragraph("Meeting on Wednesday, 3 December 2025, at 2.15 p.m. in the Senate Room")
    document.add_paragraph("AGENDA")
    numbered(document, "Minutes of the meeting of 8 October 2025 (SEN/25/41)", num_id, 0)
    numbered(document, "Report of the Vice-Chancellor", num_id, 0)
    numbered(document, "Academic matters", num_id, 0)
    numbered(document, "New programmes for approval", num_id, 1)
    numbered(document, "MSc Data Science", num_id, 2)
    numbered(document, "BA Digital Humanities", num_id, 2)
    numbered(document, "Revised assessment regulations (SEN/25/44)", num_id, 1)
    numbered(document, "Any other business", num_id, 0)
    document.add_paragraph("Papers are circulated to members through the Senate portal.")
    document.save(str(HERE / "senate-autonumber.docx"))


def conference_table() -> None:
    """A two-column-plus programme as a Word table: Time | Session | Chair/Speaker."""
    document = Document()
    document.add_heading("Annual Conference of the Society for Coastal Research", level=1)
    document.add_paragraph("Lisbon, Thursday, 15 January 2026")
    rows = [
        ("Time", "Session", "Speaker"),
        ("08:30–09:00", "Registration", ""),
        ("09:00–09:15", "Opening remarks", "President of the Society"),
        ("09:15–10:45", "Sea-level rise and coastal planning", "Dr. Inês Cardoso"),
        ("10:45–11:15", "Coffee break", ""),
        ("11:15–12:30", "Sediment transport models", "Prof. Jan de Vries"),
        ("12:30–13:00", "General Assembly of members", "Secretary"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(HERE / "coastal-conference-table.docx"))


if __name__ == "__main__":
    senate_autonumber()
    conference_table()
