"""A CND-style provisional agenda (items, sub-items, "Documentation" lists, a footnote at the
foot) reads the same from plain text and from Word."""

from __future__ import annotations

import io
import tomllib
from typing import Any

import docx

from sessiontui.core.agenda_toml import dump_agenda
from sessiontui.importers import import_bytes

CND = """\
Commission on Narcotic Drugs
Sixty-fourth session
Vienna, 12-16 April 2021

Provisional agenda*

1. Election of officers.

2. Adoption of the agenda and other organizational matters.

Documentation

Provisional agenda, annotations and proposed organization of work (E/CN.7/2021/1)

3. Implementation of the international drug control treaties:

(a) Changes in the scope of control of substances;

Documentation

Report of the Secretariat on changes in the scope of control (E/CN.7/2021/2)
Note by the Secretariat on the implementation of the treaties (E/CN.7/2021/3)

(b) Challenges and future work of the Commission on Narcotic Drugs.

4. Provisional agenda for the sixty-fifth session of the Commission.

5. Adoption of the report of the Commission on its sixty-fourth session.

* E/CN.7/2021/1.
"""


def _as_docx(text: str) -> bytes:
    """The text as a Word document, a paragraph per line (as LibreOffice converts a .txt)."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _agenda(data: bytes, name: str) -> dict[str, Any]:
    result = import_bytes(data, name)
    return tomllib.loads(dump_agenda(result.spec))


def test_a_footnote_under_no_rule_is_no_item_in_word_either() -> None:
    from_text = _agenda(CND.encode(), "cnd.txt")
    from_word = _agenda(_as_docx(CND), "cnd.docx")
    last = from_word["items"][-1]
    assert last["title"].startswith("Adoption of the report")
    assert "items" not in last  # no sub-item "E/CN.7/2021/1."
    assert last == from_text["items"][-1]


def test_a_short_document_line_is_no_section_heading() -> None:
    """ "Note by the Secretariat … (E/CN.7/2021/3)" is short, capitalised and unpunctuated, as
    a section heading is; but it names a document: it stays with its item."""
    result = import_bytes(_as_docx(CND), "cnd.docx")
    a = tomllib.loads(dump_agenda(result.spec))["items"][2]["items"][0]
    assert a["documents"] == ["E/CN.7/2021/2", "E/CN.7/2021/3"]
    assert a["annotation"].endswith(
        "\n\nNote by the Secretariat on the implementation of the treaties (E/CN.7/2021/3)"
    )
    assert not any("section heading" in doubt for doubt in result.doubts)


def test_text_keeps_a_documentation_list_one_document_a_line_as_word_does() -> None:
    from_text = _agenda(CND.encode(), "cnd.txt")
    a = from_text["items"][2]["items"][0]
    assert a["annotation"].endswith(
        "(E/CN.7/2021/2)\n\nNote by the Secretariat on the implementation of the treaties "
        "(E/CN.7/2021/3)"
    )
    assert from_text["items"] == _agenda(_as_docx(CND), "cnd.docx")["items"]


def test_a_document_wrapped_over_two_lines_is_still_joined() -> None:
    wrapped = CND.replace(
        "Note by the Secretariat on the implementation of the treaties (E/CN.7/2021/3)",
        "Report of the Executive Director on the activities of the United Nations Office on\n"
        "Drugs and Crime (E/CN.7/2021/3)\n"
        "Note by the Secretariat (E/CN.7/2021/5)",
    )
    a = _agenda(wrapped.encode(), "cnd.txt")["items"][2]["items"][0]
    assert a["annotation"].endswith(
        "(E/CN.7/2021/2)\n\nReport of the Executive Director on the activities of the United "
        "Nations Office on Drugs and Crime (E/CN.7/2021/3)\n\nNote by the Secretariat "
        "(E/CN.7/2021/5)"
    )
