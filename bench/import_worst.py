"""Time and memory of ``sessiontui import`` on generated worst cases of up to 5 MB.

Each case is written to a temporary folder and imported by a fresh ``sessiontui import`` process;
its wall time and peak resident memory (the child's ``ru_maxrss``) are printed against the
targets of issue 16 (2 s, 200 MB). Run: ``python bench/import_worst.py``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from measured import Measured  # noqa: E402

LIMIT_BYTES = 5 * 1024 * 1024
TARGET_SECONDS = 2.0
TARGET_MB = 200.0


def numbered_text() -> bytes:
    """As many short numbered items as the importer accepts, padded with annotation prose."""
    items = "".join(f"{n}. Item number {n} of a very long agenda\n" for n in range(1, 4001))
    prose = ("Annotation text that goes on and on without numbers. " * 20 + "\n\n") * 200
    return (items + prose).encode()[:LIMIT_BYTES]


def one_flat_line() -> bytes:
    """Flattened agendas: long lines full of "1. " that the unflattening must not make quadratic."""
    line = "Provisional agenda " + " ".join(f"{n % 50 + 1}. Title {n}" for n in range(1500))
    return "\n".join([line] * 200).encode()[:LIMIT_BYTES]


def dates_everywhere() -> bytes:
    """A preamble of lines packed with dates and times in four languages."""
    line = "Tuesday, 10 September 2002, at 3 p.m.; mardi 14 octobre 2025 à 19 h 00; " * 4
    preamble = "\n".join([line] * 3000)
    return (preamble + "\n\nAgenda\n\n1. Opening\n2. Closure\n").encode()[:LIMIT_BYTES]


def markdown_table() -> bytes:
    """A programme table of 4,000 rows with a presenter column."""
    rows = "".join(
        f"| {9 + n // 60 % 10:02d}:{n % 60:02d} | {n} | Topic {n} with words | Ms. A. Person |\n"
        for n in range(4000)
    )
    return (
        "# Programme\n\n| Time | Item | Topic | Presenter |\n|---|---|---|---|\n" + rows
    ).encode()


def word_document() -> bytes:
    """A Word document of 4,000 automatically numbered paragraphs."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="60">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="60"><w:abstractNumId w:val="60"/></w:num>')
    )
    for n in range(4000):
        paragraph = document.add_paragraph(f"Item title {n} with several words in it")
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="60"/></w:numPr>')
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def markdown_links() -> bytes:
    """4,000 items, each linked to its document, and a paragraph of 5,000 links."""
    items = "".join(
        f"{n}. [Item {n} of a long agenda](https://example.org/docs/{n}.pdf) (A/80/{n})\n"
        for n in range(1, 4001)
    )
    crowd = " ".join(f"[d{n}](https://example.org/{n})" for n in range(5_000))
    return ("# Agenda\n\n" + items + "\n" + crowd + "\n").encode()[:LIMIT_BYTES]


def word_links() -> bytes:
    """A Word list of 4,000 hyperlinked items, and one paragraph of 20,000 hyperlinks."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("Agenda")

    def link(paragraph: Any, text: str, url: str) -> None:
        rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        paragraph._p.append(
            parse_xml(
                f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel_id}"><w:r><w:t>{text}</w:t></w:r>'
                "</w:hyperlink>"
            )
        )

    for n in range(1, 4001):
        link(document.add_paragraph(f"{n}. "), f"Item {n} title", f"https://example.org/{n}")
    crowd = document.add_paragraph("Documents: ")
    for n in range(20_000):
        link(crowd, f"d{n} ", f"https://example.org/d/{n}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "numbered text": ("agenda.txt", numbered_text),
    "flattened lines": ("flat.txt", one_flat_line),
    "dates everywhere": ("dates.txt", dates_everywhere),
    "markdown table": ("table.md", markdown_table),
    "word numbering": ("agenda.docx", word_document),
    "markdown links": ("links.md", markdown_links),
    "word hyperlinks": ("links.docx", word_links),
}


def measure(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak MB and exit code of one ``sessiontui import`` of ``path``."""
    usage = Measured(
        [sys.executable, "-m", "sessiontui", "import", str(path), "-o", str(path) + ".toml"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ).wait()
    return usage.seconds, usage.max_rss_mb, usage.returncode


def main() -> None:
    """Generate every case, import it, print one line per case."""
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, make) in CASES.items():
            data = make()
            path = Path(folder) / name
            path.write_bytes(data)
            seconds, peak, code = measure(path)
            ok = seconds <= TARGET_SECONDS and peak <= TARGET_MB
            print(
                f"{label:18} {len(data) / 1e6:5.2f} MB  {seconds:5.2f} s  {peak:6.1f} MB peak  "
                f"exit {code}  {'within target' if ok else 'MISSES TARGET'}"
            )


if __name__ == "__main__":
    main()
