"""Write the two Word documents of the lead's corpus (run with python-docx installed)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).parent


def add_numbering(document) -> int:  # type: ignore[no-untyped-def]
    """Add an abstract numbering '%1' / '%1.%2' (Word automatic numbering) and return its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="1134" w:hanging="567"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    numbering.append(num)
    return 90


def numbered(document, text: str, num_id: int, level: int) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph(text)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def college_committee() -> None:
    document = Document()
    num_id = add_numbering(document)
    document.add_paragraph("To: The Master, Fellows and Student Representatives")
    document.add_paragraph("From: The Academic Registrar")
    document.add_heading("St Aldate's College -- Academic Committee", level=1)
    document.add_paragraph(
        "Agenda for the meeting to be held on Wednesday, 12 March 2025 at 2.15 pm in the Old Library"
    )
    numbered(document, "Apologies for absence", num_id, 0)
    numbered(
        document, "Minutes of the previous meeting held on 5 February 2025 (AC(25)07)", num_id, 0
    )
    numbered(document, "Report on the following items:", num_id, 0)
    numbered(document, "Admission", num_id, 1)
    numbered(document, "Orientation", num_id, 1)
    numbered(document, "Graduate teaching allowances -- Senior Tutor", num_id, 0)
    numbered(document, "Any other business", num_id, 0)
    document.add_paragraph(
        "Papers for the meeting are available on the Committee's SharePoint site."
    )
    document.save(str(HERE / "college-committee-autonumber.docx"))


def programme_table() -> None:
    document = Document()
    document.add_heading("Expert Group Meeting on Digital Public Infrastructure", level=1)
    document.add_paragraph("Palais des Nations, Geneva, Monday, 5 May 2025")
    document.add_paragraph("Programme")
    rows = [
        ("Time", "Session", "Speaker"),
        ("10:00-10:20", "Opening and welcome", "Chief, Technology Section"),
        ("10:20-11:30", "Session 1: Digital identity systems", "Amina Diallo"),
        ("11:30-11:45", "Coffee break", ""),
        ("11:45-13:00", "Session 2: Payment interoperability", "Lars Eriksen"),
        ("13:00-14:30", "Lunch break", ""),
        ("14:30-16:00", "Session 3: Data exchange and safeguards", "Priya Raman"),
        ("16:00-16:30", "Conclusions and closing", "Chair"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(HERE / "egm-programme-table.docx"))


if __name__ == "__main__":
    college_committee()
    programme_table()
