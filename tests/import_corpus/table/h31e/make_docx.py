"""Write the Word documents of h31e's corpus (run with python-docx installed)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).parent


def add_numbering(document, num_id: int, levels: list[tuple[str, str]]) -> int:  # type: ignore[no-untyped-def]
    """Add an abstract numbering with these (numFmt, lvlText) levels and its instance."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{567 * (i + 1)}" w:hanging="567"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
        )
    )
    return num_id


def numbered(document, text: str, num_id: int, level: int) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def unfccc_word_intro() -> None:
    """A secretariat's Word agenda: the introduction's paragraphs and the items in two
    automatic numberings, the paragraphs running on under "II. Provisional agenda"."""
    document = Document()
    items = add_numbering(
        document, 91, [("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)")]
    )
    paragraphs = add_numbering(document, 92, [("decimal", "%1.")])
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "United Nations"
    right = table.cell(0, 1)
    right.text = "FCCC/SBI/1998/2"
    for text in ("Distr.: General", "20 March 1998", "Original: English"):
        right.add_paragraph(text)
    document.add_paragraph("Subsidiary Body for Implementation")
    document.add_paragraph("Eighth session")
    document.add_paragraph("Bonn, 2-12 June 1998")
    document.add_paragraph("Item 2 (a) of the provisional agenda")
    document.add_paragraph().add_run("Provisional agenda and annotations").bold = True
    document.add_paragraph("Note by the Executive Secretary")
    document.add_heading("I. Introduction", level=1)
    numbered(
        document,
        "Arrangements have been made for the eighth session of the Subsidiary Body for "
        "Implementation to be held at the Hotel Maritim, Bonn, from 2 to 12 June 1998.",
        paragraphs,
        0,
    )
    document.add_heading("II. Provisional agenda", level=1)
    numbered(
        document,
        "The provisional agenda for the eighth session, proposed after consultation with the "
        "Chairman, is as follows:",
        paragraphs,
        0,
    )
    numbered(document, "Opening of the session.", items, 0)
    numbered(document, "Organizational matters:", items, 0)
    numbered(document, "Adoption of the agenda;", items, 1)
    numbered(document, "Organization of the work of the session.", items, 1)
    numbered(document, "National communications:", items, 0)
    numbered(document, "Communications from Parties included in Annex I:", items, 1)
    numbered(document, "Status of in-depth reviews;", items, 2)
    numbered(document, "Third compilation and synthesis report.", items, 2)
    numbered(document, "Financial mechanism.", items, 0)
    numbered(document, "Report on the session.", items, 0)
    document.save(str(HERE / "unfccc-word-intro.docx"))


if __name__ == "__main__":
    unfccc_word_intro()
