"""The report in a house style: templates, languages, numbering, HTML direction, Word read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import msgspec
import pytest

from sessiontui.core import commands as s
from sessiontui.exporters import ExportError, ExportOptions, render
from tests.export_scenario import Recorded, cosp_agenda, cosp_scenario, create, utc
from tests.test_export import check_golden, docx_text


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def export(rec: Recorded, fmt: str, **options: Any) -> bytes:
    return bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions(**options)))


@pytest.mark.parametrize(("style", "lang"), [("un", "fr"), ("minutes", "en"), ("minutes", "fr")])
def test_golden_styles_and_languages(cosp: Recorded, style: str, lang: str) -> None:
    data = export(cosp, "md", style=style, lang=lang, journal=True)
    assert data == export(cosp, "md", style=style, lang=lang, journal=True)
    check_golden(f"cosp-{style}-{lang}.md", data.decode("utf-8"))


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize(("style", "lang"), [("minutes", "en"), ("un", "fr"), ("minutes", "fr")])
def test_golden_html_and_word(cosp: Recorded, fmt: str, style: str, lang: str) -> None:
    """The UN style's English html and docx goldens are in test_export; the others' are here."""
    data = export(cosp, fmt, style=style, lang=lang, journal=lang == "fr")
    assert data == export(cosp, fmt, style=style, lang=lang, journal=lang == "fr")
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    check_golden(f"cosp-{style}-{lang}.{fmt}" + (".txt" if fmt == "docx" else ""), text)


def test_paragraphs_are_numbered_through_the_document(cosp: Recorded) -> None:
    page = export(cosp, "md").decode()
    numbers = [int(n) for n in re.findall(r"^(?:> )?(\d+)\\\. ", page, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 20
    assert "At its 1st and 2nd meetings, on 19 and 20 November 2020, the meeting considered" in page
    assert "agenda item 2(b), entitled “General discussion”" in page
    # Times are not in the body of the report: only in the timings annex.
    body = page.split("## Annex I. Timings")[0]
    assert "10:02" not in body and "09:02" not in body


class _Tags(HTMLParser):
    """Every start tag with its attributes; fails on a mismatched end tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "rect", "line", "path"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("rect", "line", "path"):
            return
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()


def test_html_text_blocks_say_dir_auto(cosp: Recorded) -> None:
    parser = _Tags()
    parser.feed(export(cosp, "html", lang="fr").decode())
    parser.close()
    assert parser.open == []
    html = [attrs for tag, attrs in parser.tags if tag == "html"]
    assert html == [{"lang": "fr", "dir": "auto"}]
    blocks = [(tag, attrs) for tag, attrs in parser.tags if tag in ("p", "li", "h1", "h2", "td")]
    assert blocks and all(attrs.get("dir") == "auto" for _, attrs in blocks)
    numbered = [attrs["id"] for tag, attrs in parser.tags if tag == "p" and "id" in attrs]
    assert numbered == [f"para-{n}" for n in range(1, len(numbered) + 1)]


def test_a_user_template_folder_replaces_files_by_name(cosp: Recorded, tmp_path: Path) -> None:
    (tmp_path / "phrases").mkdir()
    shipped = Path(__file__).resolve().parent.parent / "sessiontui/exporters/templates/un"
    phrases = (shipped / "phrases" / "en.j2").read_text(encoding="utf-8")
    (tmp_path / "phrases" / "en.j2").write_text(
        phrases.replace('"Distr.: General"', '"Distr.: Limited"'), encoding="utf-8"
    )
    page = export(cosp, "md", templates=tmp_path).decode()
    assert "Distr.: Limited" in page and "Distr.: General" not in page
    # A language of one's own: a phrase file the style does not ship.
    (tmp_path / "phrases" / "xx.j2").write_text(
        phrases.replace('"Contents"', '"Inhalt"'), encoding="utf-8"
    )
    assert "**Inhalt**" in export(cosp, "md", templates=tmp_path, lang="xx").decode()
    # Its journal appendix needs the journal's phrases in that language too.
    with pytest.raises(ExportError, match=r"--journal: no journal phrases for language 'xx'"):
        export(cosp, "md", templates=tmp_path, lang="xx", journal=True)
    common = shipped.parent / "common" / "journal" / "en.j2"
    (tmp_path / "journal").mkdir()
    (tmp_path / "journal" / "xx.j2").write_text(
        common.read_text(encoding="utf-8").replace("gave the floor to", "gab das Wort an"),
        encoding="utf-8",
    )
    appendix = export(cosp, "md", templates=tmp_path, lang="xx", journal=True).decode()
    assert "rapporteur gab das Wort an Egypt on 2(b)" in appendix


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"report.xml.j2": "{% if %}"}, "report.xml.j2:1: Expected an expression"),
        ({"report.xml.j2": "<p>{{ nothing.here }}</p>"}, "'nothing' is undefined"),
        ({"report.xml.j2": "<p>unclosed"}, "not well-formed at line"),
        ({"report.xml.j2": "<blink>x</blink>"}, "unknown element <blink>"),
    ],
)
def test_a_broken_user_template_is_one_clear_error(
    cosp: Recorded, tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ExportError, match=message.replace("(", r"\(")):
        export(cosp, "html", templates=tmp_path)


@pytest.mark.parametrize("name", ["report.xml.j2", "phrases/en.j2"])
def test_a_user_template_not_in_utf8_is_one_clear_error(
    cosp: Recorded, tmp_path: Path, name: str
) -> None:
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_bytes("Distr. générale".encode("latin-1"))
    with pytest.raises(ExportError, match=f"template {name}:1: not UTF-8 text"):
        export(cosp, "html", templates=tmp_path)


@pytest.mark.parametrize(
    ("report", "phrases", "message"),
    [
        ("<p>{{ r.__class__ }}</p>", "", "'__class__' of 'Report' object is unsafe"),
        ("<p>{{ (r.items | first).__slots__ }}</p>", "", "'__slots__' of 'ItemView'"),
        ("<p>{{ (r.items | first).__init__ }}</p>", "", "'__init__' of 'ItemView'"),
        ("<p>{{ t.__dict__ }}</p>", "", "'__dict__' of 'TemplateModule'"),
        (
            "<p>{{ t.say(r) }}</p>",
            '{% set say = "{0.__class__}".format %}',
            "'__class__' of 'Report' object is unsafe",
        ),
    ],
)
def test_a_user_template_cannot_reach_past_the_report(
    cosp: Recorded, tmp_path: Path, report: str, phrases: str, message: str
) -> None:
    # The sandbox's answer for the report's own objects (read quickly, see ``_Sandbox``) is
    # the same as for any other: no private names, and str.format checked as it formats.
    (tmp_path / "phrases").mkdir()
    (tmp_path / "phrases" / "en.j2").write_text(phrases, encoding="utf-8")
    (tmp_path / "report.xml.j2").write_text(
        '{% import "phrases/en.j2" as t %}' + report, encoding="utf-8"
    )
    with pytest.raises(ExportError, match=re.escape(message)):
        export(cosp, "md", templates=tmp_path)


def test_unknown_style_language_and_folder(cosp: Recorded, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no style 'fancy'"):
        export(cosp, "md", style="fancy")
    with pytest.raises(ExportError, match=r"no phrases for language 'es' \(has en, fr\)"):
        export(cosp, "md", lang="es")
    with pytest.raises(ExportError, match="is not a folder"):
        export(cosp, "md", templates=tmp_path / "missing")


def _docx(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def test_docx_is_a4_numbered_with_header_and_page_numbers(cosp: Recorded) -> None:
    from docx.oxml.ns import qn

    document = _docx(export(cosp, "docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "20 November 2020" in section.header.paragraphs[0].text
    assert 'w:instr="PAGE"' in section.footer._element.xml
    numbered = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert numbered[0].text.startswith("The meeting was opened on ")
    assert {p._p.pPr.numPr.numId.val for p in numbered} == {7301}  # one list through the report
    numbering = document.part.numbering_part.element
    formats = [
        lvl.find(qn("w:numFmt")).get(qn("w:val"))
        for abstract in numbering.findall(qn("w:abstractNum"))
        if abstract.get(qn("w:abstractNumId")) == "7301"
        for lvl in abstract.findall(qn("w:lvl"))
    ]
    assert formats == ["decimal"]
    assert {p.style.name for p in numbered} >= {"Numbered paragraph", "Decision", "Action point"}
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "SimSun"


def test_docx_arabic_runs_right_to_left(tmp_path: Path) -> None:
    r = create(tmp_path / "ar.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.run("sec", s.OpenItem("1"))
    r.at(utc(19, 9, 5)).run("rap", s.AddNote("1", "افتتح الرئيس الاجتماع ورحب بالمشاركين."))
    r.run("rap", s.AddNote("1", "中国代表团发了言。"))
    r.at(utc(19, 9, 10)).run("sec", s.CloseItem("1"))
    rec = r.finish(tmp_path / "ar.jsonl")
    document = _docx(export(rec, "docx"))
    arabic = next(p for p in document.paragraphs if "افتتح" in p.text)
    from docx.oxml.ns import qn

    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    assert all(run._r.rPr is not None and run._r.rPr.rtl is not None for run in arabic.runs)
    english = next(p for p in document.paragraphs if p.text.startswith("The meeting was opened"))
    assert english._p.pPr.find(qn("w:bidi")) is None
    chinese = next(p for p in document.paragraphs if "中国" in p.text)
    assert 'w:hint="eastAsia"' in chinese.runs[0]._r.xml


def _reference(path: Path) -> Path:
    """A secretariat's own Word template: Letter landscape-ish page, its own header and footer,
    its own Heading 1 and a body paragraph that must not be copied."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(216), Mm(279)
    section.header.paragraphs[0].text = "SECRETARIAT HEADER"
    section.footer.paragraphs[0].text = "Secretariat footer"
    document.styles["Heading 1"].font.size = Pt(21)
    document.add_paragraph("Template body text that must not appear")
    document.save(str(path))
    return path


def test_docx_on_a_reference_document(cosp: Recorded, tmp_path: Path) -> None:
    reference = _reference(tmp_path / "house.docx")
    document = _docx(export(cosp, "docx", reference_doc=reference))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (216, 279)
    assert section.header.paragraphs[0].text == "SECRETARIAT HEADER"
    assert section.footer.paragraphs[0].text == "Secretariat footer"
    assert document.styles["Heading 1"].font.size.pt == 21
    texts = [p.text for p in document.paragraphs]
    assert "Template body text that must not appear" not in texts
    assert "I. Organization of the meeting" in texts
    assert any(p.style.name == "Numbered paragraph" for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(export(cosp, "docx", reference_doc=reference))) as z:
        assert z.testzip() is None


def test_docx_reference_document_errors(cosp: Recorded, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="--reference-doc: no file"):
        export(cosp, "docx", reference_doc=tmp_path / "none.docx")
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ExportError) as refused:
        export(cosp, "docx", reference_doc=bad)
    # In words a person can act on, not the reading library's error class.
    assert str(refused.value) == (
        f"--reference-doc: {bad} is not a Word document (.docx): save it as one from Word or "
        "LibreOffice"
    )


@pytest.mark.parametrize("style", ["un", "minutes"])
def test_a_note_with_a_blank_line_is_one_numbered_paragraph(tmp_path: Path, style: str) -> None:
    """A recorded decision is one paragraph, its blank line a break inside it, its label kept."""
    r = create(tmp_path / "blank.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.run("sec", s.OpenItem("1"))
    r.run("rap", s.AddNote("1", "The meeting decided:\n\n(a) to adopt the agenda.", "decision"))
    rec = r.finish(tmp_path / "blank.jsonl")
    page = export(rec, "md", style=style).decode()
    decided = [line for line in page.splitlines() if "adopt the agenda" in line]
    assert len(decided) == 1
    block = page[: page.index(decided[0])].rsplit("\n\n", 1)[-1]
    assert "The meeting decided:" in block
    if style == "minutes":
        assert "Decided:" in block
    assert re.search(r"\d+\\\. ", block)
    html = export(rec, "html", style=style).decode()
    para = re.search(r"<p[^>]*>(?:(?!</p>).)*The meeting decided:(?:(?!</p>).)*</p>", html, re.S)
    assert para and "adopt the agenda" in para.group(0) and "<br>" in para.group(0)


def test_an_excerpt_journal_leaves_out_undos_of_other_items(tmp_path: Path) -> None:
    """An undo belongs to the items of what it undid: an excerpt of 2(a) carries none of 1's."""
    r = create(tmp_path / "undo.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.run("sec", s.OpenItem("1"))
    r.at(utc(19, 9, 1)).run("rap", s.AddNote("1", "Adopted the agenda.", "action"))
    r.at(utc(19, 9, 2)).run("rap", s.Undo())
    r.at(utc(19, 9, 3)).run("sec", s.OpenItem("2a"))
    r.at(utc(19, 9, 4)).run("rap", s.AddNote("2a", "Consultations held."))
    r.at(utc(19, 9, 5)).run("rap", s.Undo())
    rec = r.finish(tmp_path / "undo.jsonl")
    whole = export(rec, "md", journal=True).decode().split("Journal", 1)[1]
    assert whole.count("undid") == 2
    for fmt in ("md", "html"):
        appendix = export(rec, fmt, journal=True, items=("2a",)).decode().split("Journal", 1)[1]
        assert appendix.count("undid") == 1 and "Consultations held" in appendix
        assert "Adopted the agenda" not in appendix
    journal = export(rec, "txt", items=("2a",)).decode()
    assert journal.count("undid") == 1 and "Adopted the agenda" not in journal
    # The data exports list the events of the excerpt's items: their own undo, not 1's.
    rows = export(rec, "csv", events=True, items=("2a",)).decode("utf-8-sig")
    assert rows.count(",undo,") == 1
    listed = json.loads(export(rec, "json", items=("2a",)))["events"]
    assert [e["type"] for e in listed].count("undo") == 1


@pytest.mark.parametrize("style", ["un", "minutes"])
def test_a_french_report_words_its_meetings_in_french(cosp: Recorded, style: str) -> None:
    """Meeting ordinals come from the phrase files, the journal appendix's included."""
    page = export(cosp, "md", style=style, lang="fr", journal=True).decode()
    assert "| 1re séance |" in page and "| 2e séance |" in page
    assert "── 1re séance ouverte ──" in page
    assert "1st meeting" not in page and "2nd meeting" not in page


def test_a_sitting_label_the_record_gave_is_kept(tmp_path: Path) -> None:
    r = create(tmp_path / "named.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open", label="Morning plenary"))
    r.at(utc(19, 9, 30)).run("sec", s.SittingCommand("close"))
    page = export(r.finish(tmp_path / "named.jsonl"), "md", lang="fr").decode()
    assert "| Morning plenary |" in page


def _svg_words(page: str) -> list[str]:
    """Every text and tooltip drawn in the HTML report's charts."""
    words: list[str] = []
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        words += [w for w in re.findall(r">([^<>]+)<", svg) if w.strip()]
    return words


def test_a_french_report_draws_its_charts_in_french(tmp_path: Path) -> None:
    """The charts' titles, tooltips and legend, and a sitting still running in the meetings
    table, are worded by the phrase files, not by the code."""
    r = create(tmp_path / "open.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.run("sec", s.OpenItem("1"))
    r.at(utc(19, 9, 10)).run("sec", s.SittingCommand("suspend"))
    r.at(utc(19, 9, 20)).run("sec", s.SittingCommand("resume"))
    r.at(utc(19, 9, 30)).run("sec", s.OpenItem("2a"))
    rec = r.finish(tmp_path / "open.jsonl")
    page = export(rec, "html", lang="fr").decode()
    drawn = _svg_words(page)
    assert "Déroulement des séances" in drawn and "1re séance" in drawn
    assert "suspendue 10:10–10:20" in drawn
    assert {"utilisé", "prévu", "utilisé, au-delà du temps prévu"} <= set(drawn)
    assert not [w for w in drawn if re.search(r"\b(used|planned|suspended|meeting|sittings?)\b", w)]
    assert '<td dir="auto">en cours</td>' in page  # the sitting is still running
    english = export(rec, "html").decode()
    assert '<td dir="auto">open</td>' in english
    assert "suspended 10:10–10:20" in _svg_words(english)
    md = export(rec, "md", lang="fr").decode()
    assert "| 1re séance | 2020-11-19 10:00 | en cours | 10:10–10:20 |" in md


def test_a_french_report_names_states_in_french(cosp: Recorded) -> None:
    """States, observers and groups under their French names, "de" and the article joined."""
    page = export(cosp, "md", lang="fr").decode()
    assert (
        "Une déclaration a été faite par le représentant de l’Égypte (au nom du Groupe des 77"
        " et de la Chine)." in page
    )
    assert "L’observateur de l’Union européenne a également fait une déclaration." in page
    assert "Le représentant du Pakistan a soulevé une motion d’ordre." in page
    assert "Le représentant du Brésil a fait une déclaration dans l’exercice du droit" in page
    # A list: no articles, in French dictionary order.
    assert (
        "Les États suivants étaient représentés à la réunion : Autriche, Brésil, Chine, Égypte,"
        " États-Unis d’Amérique, Nigéria, Pakistan et Pérou." in page
    )


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Brazil", "du Brésil"),
        ("China", "de la Chine"),
        ("Egypt", "de l’Égypte"),
        ("Philippines", "des Philippines"),
        ("Israel", "d’Israël"),
        ("Cuba", "de Cuba"),
        ("Haiti", "d’Haïti"),
        ("Iran (Islamic Republic of)", "de l’Iran (République islamique d’)"),
        ("Transparency International", "de Transparency International"),
        ("Oxfam International", "d’Oxfam International"),
    ],
)
def test_french_names_take_de_and_their_article(name: str, said: str) -> None:
    from sessiontui.exporters.templating import _environment

    names = _environment("un", None).get_template("names/fr.j2").module
    assert str(getattr(names, "of")(name)).strip() == said  # noqa: B009 - a template's macro


def test_every_shipped_name_has_a_french_name() -> None:
    from sessiontui.core.register import shipped
    from sessiontui.exporters.templating import _environment

    module = _environment("un", None).get_template("names/fr.j2").module
    table = getattr(module, "names")  # noqa: B009 - a template's variable
    missing = [p.name for p in shipped() if p.name not in table]
    assert not missing
    assert len(set(table.values())) == len(table)


def test_a_span_within_a_minute_is_given_to_the_second(tmp_path: Path) -> None:
    """No interval reads as lasting no time ("10:05–10:05"): within one minute, seconds."""
    r = create(tmp_path / "quick.jsonl", cosp_agenda())
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.at(utc(19, 9, 0) + dt.timedelta(seconds=10)).run("sec", s.OpenItem("1"))
    r.at(utc(19, 9, 0) + dt.timedelta(seconds=40)).run("sec", s.OpenItem("2a"))
    r.at(utc(19, 9, 5) + dt.timedelta(seconds=10)).run("sec", s.SittingCommand("suspend"))
    r.at(utc(19, 9, 5) + dt.timedelta(seconds=40)).run("sec", s.SittingCommand("resume"))
    r.at(utc(19, 9, 30)).run("sec", s.CloseItem("2a"))
    r.run("sec", s.SittingCommand("close"))
    rec = r.finish(tmp_path / "quick.jsonl")
    page = export(rec, "html").decode()
    md = export(rec, "md").decode()
    spans = re.findall(r"(\d\d:\d\d(?::\d\d)?)–(\d\d:\d\d(?::\d\d)?)", page + md)
    assert spans and all(a != b for a, b in spans), spans
    assert "suspended 10:05:10–10:05:40" in page and "1 10:00:10–10:00:40" in page
    assert "| 10:05:10–10:05:40 |" in md


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_number_printed_with_a_full_stop_reads_well_in_a_sentence(
    tmp_path: Path, lang: str
) -> None:
    """An imported agenda numbers its items "1.", "2.": "agenda item 3.." was the report's."""
    agenda = cosp_agenda()
    items = [msgspec.structs.replace(i, number=f"{n}.") for n, i in enumerate(agenda.items, 1)]
    r = create(tmp_path / "dotted.jsonl", msgspec.structs.replace(agenda, items=items))
    r.at(utc(19, 9, 0)).run("sec", s.SittingCommand("open"))
    r.run("sec", s.OpenItem("1"))
    r.at(utc(19, 9, 30)).run("sec", s.SittingCommand("close"))
    page = export(r.finish(tmp_path / "dotted.jsonl"), "md", lang=lang).decode()
    assert ".." not in page.replace("...", "")
    # Item 2 was not taken up (item 3, the closure, is closed with the meeting: no sentence).
    assert ("agenda item 2." if lang == "en" else "point 2 de l’ordre du jour") in page
    assert ("agenda item 1, entitled" if lang == "en" else "le point 1 de l’ordre") in page
    assert "- 1\\. Opening" in page  # the agenda as printed keeps its numbers


def test_speakers_of_many_items_are_worded_as_each_alone() -> None:
    """The CSV words every item's speakers in one render: each item's sentences are the ones
    it has alone ("also" starts afresh in each item), an item without speakers has none, and
    an unknown language is refused only when some item has speakers."""
    from sessiontui.exporters.model import SpeechRun, Who
    from sessiontui.exporters.templating import items_speaker_sentences, speaker_sentences

    peru, eu = Who("Peru"), Who("European Union", "observer")
    first = [SpeechRun("statement", [peru, eu]), SpeechRun("reply", [Who("Brazil")])]
    second = [SpeechRun("statement", [Who("Austria")]), SpeechRun("statement", [peru])]
    items = [first, [], second, [SpeechRun("point_of_order", [Who("Pakistan")])]]
    for lang in ("en", "fr"):
        together = items_speaker_sentences(items, lang)
        assert together == [speaker_sentences(runs, lang) for runs in items]
        assert together[1] == [] and all(together[i] for i in (0, 2, 3))
    assert items_speaker_sentences(items)[2] == [
        "A statement was made by the representative of Austria.",
        "A statement was also made by the representative of Peru.",
    ]
    assert items_speaker_sentences([[], []], "xx") == [[], []]
    with pytest.raises(ExportError, match="no phrases for language 'xx'"):
        items_speaker_sentences([[], second], "xx")


def test_compiled_templates_are_kept_sealed_and_a_forged_one_is_ignored(tmp_path: Path) -> None:
    """The compiled templates are kept between runs only under this account's seal: a file
    changed by anyone else is not loaded (the template is compiled again), and a folder that
    cannot be written keeps nothing and fails nothing."""
    from jinja2.bccache import Bucket

    from sessiontui.exporters.templating import _environment, _SealedBytecode

    env = _environment("un", None)
    cache = _SealedBytecode(tmp_path / "templates")
    written = Bucket(env, "report", "source-sum")
    written.code = compile("said = 'kept'", "<template>", "exec")
    cache.dump_bytecode(written)
    (kept,) = (tmp_path / "templates").iterdir()
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_bytes().startswith(b"hmac-sha256:")

    loaded = Bucket(env, "report", "source-sum")
    cache.load_bytecode(loaded)
    assert loaded.code == written.code
    changed = Bucket(env, "report", "another-source")  # the template's source changed
    cache.load_bytecode(changed)
    assert changed.code is None

    tag, body = kept.read_bytes().split(b"\n", 1)
    forged_code = compile("said = 'forged'", "<template>", "exec")
    forged = Bucket(env, "report", "source-sum")
    forged.code = forged_code
    kept.write_bytes(tag + b"\n" + forged.bytecode_to_string())  # the old seal, new code
    refused = Bucket(env, "report", "source-sum")
    cache.load_bytecode(refused)
    assert refused.code is None
    kept.write_bytes(b"\n" + body)  # no seal at all
    cache.load_bytecode(refused)
    assert refused.code is None

    (tmp_path / "a-file").write_text("")
    _SealedBytecode(tmp_path / "a-file" / "templates").dump_bytecode(written)  # no error
    assert not (tmp_path / "a-file").read_text()


def test_a_report_worded_from_kept_templates_is_the_same(cosp: Recorded) -> None:
    from sessiontui.exporters.templating import _bytecode_cache, _environment

    first = export(cosp, "md", lang="fr")
    assert any(_bytecode_cache().folder.glob("*.cache"))
    _environment.cache_clear()  # the templates loaded afresh, from the kept ones, as in a new run
    assert export(cosp, "md", lang="fr") == first


def test_join_last_escapes_each_name_once() -> None:
    import markupsafe

    from sessiontui.exporters.templating import _environment

    env = _environment("un", None)
    template = env.from_string("{{ names | join_last(' and ') }}")
    names = ["Trinidad & Tobago", "Peru", markupsafe.Markup("<b>Chile</b>")]
    assert template.render(names=names) == "Trinidad &amp; Tobago, Peru and <b>Chile</b>"
    assert template.render(names=["A & B", "C & D"]) == "A &amp; B and C &amp; D"
