"""Exports of the worked scenario: golden files per format, determinism, structure and schema."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from markdown_it import MarkdownIt

from sessiontui.core.commands import AddSpeaker, OpenItem, SittingCommand, StopSpeaker
from sessiontui.exporters import ExportError, ExportOptions, render, suggested_filename
from sessiontui.exporters.html import CSP
from sessiontui.exporters.jsondoc import export_schema, schema_text
from sessiontui.exporters.model import log_digest, organizational_part
from tests.export_scenario import (
    ROOT,
    Recorded,
    cosp_agenda,
    cosp_scenario,
    create,
    non_latin_scenario,
    utc,
)

GOLDEN = Path(__file__).parent / "golden" / "export"
SCHEMA_FILE = ROOT / "sessiontui" / "schema" / "export.schema.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def non_latin_agenda() -> Path:
    """The project's non-Latin example agenda (Cyrillic)."""
    found = sorted((ROOT / "agendas").glob("non-latin-*.toml"))
    if not found:
        pytest.skip("no agendas/non-latin-*.toml")
    return found[0]


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


@pytest.fixture(scope="module")
def cyrillic(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """A short session on the non-Latin agenda."""
    return non_latin_scenario(tmp_path_factory.mktemp("ru") / "session.jsonl", non_latin_agenda())


def export(rec: Recorded, fmt: str, **options: Any) -> bytes:
    """Render ``rec`` in ``fmt``."""
    return bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions(**options)))


def docx_text(data: bytes) -> str:
    """A .docx as text: each paragraph with its style, then each table row by row."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [f"[{_style(p)}] {p.text}" for p in document.paragraphs]
    for number, table in enumerate(document.tables, 1):
        lines.append(f"[table {number}]")
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    section = document.sections[0]
    footer = section.footer._element.xml
    lines.append("[footer PAGE field] " + str('w:instr="PAGE"' in footer))
    # The first page's own header (the symbol block) and the running header of the others.
    for name, part in (
        ("first page header", section.first_page_header),
        ("header", section.header),
        ("first page footer", section.first_page_footer),
        ("footer", section.footer),
    ):
        lines += [f"[{name}] {p.text}" for p in part.paragraphs if p.text.strip()]
    return "\n".join(lines) + "\n"


def _style(paragraph: Any) -> str:
    return str(getattr(paragraph.style, "name", ""))


def check_golden(name: str, text: str) -> None:
    """Compare with ``tests/golden/export/name``; ``UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        if not UPDATE:
            pytest.fail(f"golden {name} was missing and has been written; run again")
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from golden"


GOLDEN_CASES = [
    ("md", {}, "cosp.md"),
    ("md", {"journal": True, "items": ("2b",)}, "cosp-2b-journal.md"),
    ("md", {"notes": False, "speakers": False, "times": False}, "cosp-bare.md"),
    ("html", {}, "cosp.html"),
    ("csv", {}, "cosp.csv"),
    ("csv", {"events": True}, "cosp-events.csv"),
    ("json", {}, "cosp.json"),
    ("txt", {}, "cosp.txt"),
]


@pytest.mark.parametrize(("fmt", "options", "name"), GOLDEN_CASES)
def test_golden(cosp: Recorded, fmt: str, options: dict[str, Any], name: str) -> None:
    data = export(cosp, fmt, **options)
    assert data == export(cosp, fmt, **options)  # same log, same bytes
    check_golden(name, data.decode("utf-8"))


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "txt"])
def test_golden_non_latin(cyrillic: Recorded, fmt: str) -> None:
    data = export(cyrillic, fmt)
    check_golden(f"non-latin.{fmt}", data.decode("utf-8"))


def test_docx_golden_and_same_bytes(cosp: Recorded) -> None:
    first = export(cosp, "docx", journal=True)
    assert first == export(cosp, "docx", journal=True)
    check_golden("cosp.docx.txt", docx_text(first))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_structure(cosp: Recorded) -> None:
    import docx

    document = docx.Document(io.BytesIO(export(cosp, "docx")))
    styles = [_style(p) for p in document.paragraphs]
    texts = [p.text for p in document.paragraphs]
    assert "Title" in styles
    assert "Heading 1" in styles and "Heading 2" in styles
    decisions = [p.text for p in document.paragraphs if _style(p) == "Decision"]
    assert decisions == [
        "The meeting adopted its provisional agenda.",
        "The meeting took note of the progress report of the co-facilitators.",
    ]
    assert "Status of the preparations for the special session" in "\n".join(texts)
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells] == [
        "Item",
        "Title",
        "Planned",
        "Used",
        "Difference",
    ]
    assert len(summary.rows) == 1 + len(cosp.state.agenda)
    assert document.core_properties.author == "sessiontui"


def test_docx_non_latin(cyrillic: Recorded) -> None:
    check_golden("non-latin.docx.txt", docx_text(export(cyrillic, "docx")))


# Markup, entity and CDATA look-alikes, quotes, characters XML cannot hold (C0 controls, a lone
# surrogate, U+FFFE), a CR, a tab, emoji, Arabic and Hebrew (RTL) and a bidi override.
AWKWARD = (
    "a < b && c > d ]]> <w:p/> &amp; &#13; \"double\" 'single' \x01\x0b\ud800\ufffe "
    "cr\rtab\tend \U0001f600 مرحبا עברית \u202e "
)


def test_docx_text_is_literal(cosp: Recorded) -> None:
    """The body is written as WordprocessingML text: what python-docx reads back is the text."""
    import docx

    from sessiontui.exporters.happenings import Happening
    from sessiontui.exporters.model import NoteView, build_report, xml_safe
    from sessiontui.exporters.templating import Style, document
    from sessiontui.exporters.word import render_docx

    report = build_report(
        cosp.header,
        cosp.events,
        cosp.state,
        items=None,
        notes=True,
        speakers=True,
        journal=[],
    )
    report.journal = [Happening("participant.remove", None, "x", facts={"name": AWKWARD})]
    long = AWKWARD * 2000
    item = report.items[1]
    item.title = item.top_title = AWKWARD
    item.notes = [
        NoteView("note", long),
        NoteView("decision", f"{AWKWARD}\n{AWKWARD}\n\n{AWKWARD}"),
    ]
    worded = document(report, Style(), times=True)
    data = render_docx(report, worded, created=cosp.header.created)
    assert data == render_docx(report, worded, created=cosp.header.created)

    word = docx.Document(io.BytesIO(data))
    safe = xml_safe(AWKWARD)
    assert "\x01" not in safe and "\ud800" not in safe and "\r" in safe
    paragraphs = [(_style(p), p.text) for p in word.paragraphs]
    # Paragraph text is folded onto one line of single spaces; line breaks within a note stay.
    folded = " ".join(safe.replace("\r", " ").replace("\t", " ").split())
    assert ("Heading 1", f"II. {folded}") in paragraphs  # item 1 is told in chapter I
    assert ("Numbered paragraph", " ".join(xml_safe(long).replace("\r", " ").split())) in paragraphs
    # One recorded decision is one paragraph, its blank line kept inside it.
    assert ("Decision", f"{folded}\n{folded}\n\n{folded}") in paragraphs
    assert ("Journal", f"(time out of range) x took {folded} off the register") in paragraphs


def test_markdown_is_commonmark(cosp: Recorded) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(export(cosp, "md").decode())
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    for node in cosp.state.agenda:
        if node.depth:
            assert f"{node.label} {node.title}" in headings
        elif organizational_part(node.title):
            # Told in "Organization of the meeting", under its sections' headings.
            assert not any(h.endswith(f". {node.title}") for h in headings), node.title
        else:
            assert any(h.endswith(f". {node.title}") for h in headings), node.title
    assert headings[0].startswith("Report on the second intersessional meeting")
    assert sum(1 for t in tokens if t.type == "table_open") == 2
    assert "html_block" not in {t.type for t in tokens}
    assert sum(1 for t in tokens if t.type == "blockquote_open") == 3  # 2 decisions, 1 action
    # Numbered paragraphs are paragraphs that keep their number, not a list that renumbers.
    assert "ordered_list_open" not in {t.type for t in tokens}


def test_html_is_self_contained(cosp: Recorded) -> None:
    page = export(cosp, "html").decode()
    assert (
        f'<meta http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#x27;")}">'
        in page
    )
    assert "<script" not in page.lower()
    assert not re.search(r"\b(src|href)=", page)  # nothing loaded from anywhere
    assert page.count("<svg") == 2
    assert "@media print" in page
    for node in cosp.state.agenda:
        assert node.title in page


def test_json_matches_schema(cosp: Recorded, cyrillic: Recorded) -> None:
    schema = export_schema()
    for rec in (cosp, cyrillic):
        for options in ({}, {"items": ("2",), "notes": False, "speakers": False}):
            document = json.loads(export(rec, "json", **options))
            jsonschema.validate(document, schema)
    document = json.loads(export(cosp, "json"))
    assert [item["label"] for item in document["items"]] == [n.label for n in cosp.state.agenda]
    assert len(document["events"]) == len(cosp.events)


def test_schema_file_in_sync() -> None:
    if UPDATE:
        SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "run UPDATE_GOLDEN=1 pytest tests/test_export.py to regenerate export.schema.json"
    )


def test_printable_text_needs_no_cleaning() -> None:
    """The JSON export skips ``clean`` for printable text: it must have nothing to remove."""
    from sessiontui.exporters.model import clean

    printable = "".join(c for c in map(chr, range(0x110000)) if c.isprintable())
    assert clean(printable) == printable


def _cleaned(value: Any) -> Any:
    """Every string of event data, keys too, through ``clean``: what the export must write."""
    from sessiontui.exporters.model import clean

    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def test_json_events_in_chunks(cosp: Recorded, monkeypatch: pytest.MonkeyPatch) -> None:
    """Instants in any offset, hostile text, several chunks: each event as ``iso`` and ``clean``."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import msgspec

    from sessiontui.core.events import NoteAddData, NoteEditData, Payload, SpeakerAddData
    from sessiontui.core.report import iso
    from sessiontui.exporters import jsondoc
    from sessiontui.exporters.model import one_line

    zones = (ZoneInfo("Europe/Vienna"), dt.timezone(dt.timedelta(hours=-5, seconds=30)), dt.UTC)
    hostile = 'a\x1b[31mred\u202e "quoted" back\\slash\nnext\tline\x85'

    def spoiled(data: Payload) -> Payload:
        if isinstance(data, NoteAddData | NoteEditData):
            return msgspec.structs.replace(data, text=hostile)
        if isinstance(data, SpeakerAddData):
            return msgspec.structs.replace(data, name=hostile, delegation="\x07x\x9b")
        return data

    events = [
        msgspec.structs.replace(
            e,
            at=(e.at + dt.timedelta(microseconds=e.seq)).astimezone(zones[e.seq % 3]),
            actor=f" {e.actor}\x1b[2J  \u202ex " if e.seq % 2 else e.actor,
            data=spoiled(e.data),
        )
        for e in cosp.events
    ]
    options = (ExportOptions(), ExportOptions(items=("2b",), notes=False))
    in_one_chunk = [render("json", cosp.header, events, cosp.state, o) for o in options]
    monkeypatch.setattr(jsondoc, "_EVENTS_PER_CHUNK", 4)
    assert [render("json", cosp.header, events, cosp.state, o) for o in options] == in_one_chunk
    listed = json.loads(in_one_chunk[0])["events"]
    assert [e["at"] for e in listed] == [iso(e.at) for e in events]
    assert [e["recorded"] for e in listed] == [iso(e.recorded) for e in events]
    assert [e["actor"] for e in listed] == [one_line(e.actor) for e in events]
    assert [e["data"] for e in listed] == [_cleaned(msgspec.to_builtins(e.data)) for e in events]


def test_json_given_the_digest_seals_nothing(
    cosp: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the log's digest (the CLI's verified checkpoint) the log is not sealed again."""
    from sessiontui.exporters import jsondoc

    rebuilt = export(cosp, "json")
    digest = hashlib.sha256(cosp.path.read_bytes()).hexdigest()

    def no_sealing(*_: object) -> tuple[str, bool]:
        raise AssertionError("the log was sealed again")

    monkeypatch.setattr(jsondoc, "log_digest", no_sealing)
    assert export(cosp, "json", log_sha256=digest) == rebuilt


def test_csv_has_bom_and_rows(cosp: Recorded) -> None:
    data = export(cosp, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["label", "title", "depth", "status"]
    assert [row[0] for row in rows[1:]] == [n.label for n in cosp.state.agenda]
    events = list(csv.reader(io.StringIO(export(cosp, "csv", events=True).decode("utf-8-sig"))))
    assert len(events) == 1 + len(cosp.events)


def test_provenance_is_the_log(cosp: Recorded) -> None:
    digest, exact = log_digest(cosp.header, cosp.events)
    assert exact
    assert digest == hashlib.sha256(cosp.path.read_bytes()).hexdigest()
    last = cosp.events[-1]
    page = export(cosp, "md").decode()
    assert digest in page and f"Last event: {last.seq}" in page
    assert "2020-11-20T11:21:00+01:00" in page  # the last event's recorded time, in Vienna


def test_items_excerpt_and_unknown_item(cosp: Recorded) -> None:
    page = export(cosp, "md", items=("2a", "3")).decode()
    assert "### 2(a) Status" in page and "3 Closure" in page and "### 2(b) General" not in page
    # (The agenda adopted is the whole agenda, 2(b) included: the meeting adopted all of it.)
    with pytest.raises(ExportError, match="--items"):
        export(cosp, "md", items=("9z",))
    with pytest.raises(ExportError, match="unknown format"):
        export(cosp, "odt")


def test_speaker_sentences(cosp: Recorded) -> None:
    page = export(cosp, "md").decode()
    assert "Statements were made by the representatives of Peru and Austria." in page
    assert "The representative of Pakistan raised a point of order." in page
    assert (
        "The representative of Brazil made a statement in exercise of the right of reply." in page
    )


def test_no_parts(cosp: Recorded) -> None:
    page = export(cosp, "md", notes=False, speakers=False, times=False).decode()
    assert "Speakers stressed" not in page and "Statements were" not in page
    assert "10:02" not in page and "Timings" not in page
    assert "The meeting adopted its provisional agenda." in page  # decisions stay


def test_suggested_filename(cosp: Recorded, cyrillic: Recorded) -> None:
    name = suggested_filename(cosp.state, "md")
    assert name.startswith("second-intersessional-meeting") and name.endswith("-2020-11-19.md")
    assert "/" not in name and len(name) < 90
    # Cut after a whole word of the title ("...-of-the-state-2020-11-19" cut "states" short).
    title = [
        "second",
        "intersessional",
        "meeting",
        "of",
        "the",
        "conference",
        "of",
        "the",
        "states",
        "parties",
    ]
    assert name.removesuffix("-2020-11-19.md").split("-") == title[: name.count("-") - 2]
    assert suggested_filename(cyrillic.state, "docx").endswith(".docx")


def _timeline_blocks(html: str) -> list[tuple[str, list[str]]]:
    """The timeline's item blocks: fill colour and tooltip lines, in drawing order."""
    svg = html[html.index('aria-labelledby="timeline-title"') :]
    svg = svg[: svg.index("</svg>")]
    found = re.findall(r'fill="(#[0-9A-F]{6})" stroke="#fff"[^>]*><title>(.*?)</title>', svg, re.S)
    return [(colour, tip.split("\n")) for colour, tip in found]


def test_timeline_draws_a_block_per_top_level_item(cosp: Recorded) -> None:
    """Sub-items following one another on the floor are one block of their top-level item,
    listed in its tooltip; a gap or another top-level item starts a new block; the parent's
    moment on the floor between two sub-items is not listed."""
    blocks = _timeline_blocks(export(cosp, "html").decode("utf-8"))
    tips = [lines for _, lines in blocks]
    assert ["2(a) 10:10–10:40", "2(b) 10:40–11:15"] in tips
    assert ["2(c) 10:50–11:00", "2(a) 11:00–11:10", "2 11:10–11:11"] in tips
    assert ["2(b) 11:35–12:00"] in tips  # after a gap (a suspension): a block of its own
    assert ["3 11:11–11:20"] in tips
    assert not any("10:40–10:40" in line for lines in tips for line in lines)
    # Every interval of the floor log with a duration is listed exactly once.
    listed = [line for lines in tips for line in lines]
    assert len(listed) == len(set(listed))
    with_time = [i for i in cosp.state.floor_log if i.end > i.start]
    assert len(listed) == len(with_time)


def test_timeline_colours_follow_the_top_level_item_in_an_excerpt(cosp: Recorded) -> None:
    """An excerpt of item 1 and sub-item 2(b): 2(b) is coloured as its own top-level item (2),
    not as the last top-level item before it in the excerpt (1)."""
    blocks = _timeline_blocks(export(cosp, "html", items=("1", "2b")).decode("utf-8"))
    colour_of = {lines[0].split(" ")[0]: colour for colour, lines in blocks}
    assert {"1", "2(b)"} <= set(colour_of)
    assert colour_of["1"] != colour_of["2(b)"]


def test_csv_names_speakers_as_the_report_does(tmp_path: Path) -> None:
    """The CSV's speakers column is worded by the report's phrases: one wording everywhere."""
    r = create(tmp_path / "ru.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", SittingCommand("open"))
    r.run("sec", OpenItem("1"))
    r.run("rap", AddSpeaker("1", "Russian Federation", start=True))
    r.at(utc(19, 9, 5)).run("rap", StopSpeaker("1"))
    rec = r.finish(tmp_path / "ru.jsonl")
    rows = list(csv.DictReader(io.StringIO(export(rec, "csv").decode("utf-8-sig"))))
    said = rows[0]["speakers"]
    assert said == "A statement was made by the representative of the Russian Federation."
    assert said in export(rec, "md").decode()
