"""Write the Word documents of the h16c corpus: ``python tests/import_corpus/table/h16c/make_docx.py``."""

from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).parent


def board_agenda_table() -> None:
    """A provisional agenda laid out as a Word table: No. | Agenda item | Documents."""
    document = Document()
    document.add_heading("Executive Board of the International Seed Treaty Fund", level=1)
    document.add_paragraph("Fortieth session")
    document.add_paragraph("Rome, 4-5 October 2027")
    document.add_paragraph("Provisional agenda")
    rows = [
        ("No.", "Agenda item", "Documents"),
        ("1.", "Opening of the session", ""),
        ("2.", "Adoption of the agenda and timetable", "EB/2027/1"),
        ("3.", "Financial matters:", ""),
        ("(a)", "Audited accounts for 2026", "EB/2027/3, EB/2027/3/Add.1"),
        ("(b)", "Budget proposals for 2028-2029", "EB/2027/4"),
        ("4.", "Report of the Secretary", "EB/2027/5"),
        ("5.", "Date and place of the forty-first session", ""),
        ("6.", "Closure of the session", ""),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(HERE / "board-agenda-table.docx"))


if __name__ == "__main__":
    board_agenda_table()
