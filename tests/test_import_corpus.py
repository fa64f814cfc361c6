"""``sessiontui import`` on the fixture corpus: real agenda styles, read item by item."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.core.agenda import Agenda, AgendaFile, ItemSpec
from sessiontui.core.agenda_toml import dump_agenda, parse_agenda
from sessiontui.importers import ImportResult, import_document

CORPUS = Path(__file__).parent / "import_corpus"
SEED = CORPUS / "seed-agenda-cosp-intersessional-2020.txt"


def imported(name: str) -> ImportResult:
    """Import a corpus file and prove the agenda survives the loader unchanged."""
    result = import_document(str(CORPUS / name))
    text = dump_agenda(result.spec)
    assert parse_agenda(text.encode(), name) == result.spec
    return result


def labels(spec: AgendaFile) -> list[str]:
    return [node.label for node in Agenda(spec)]


def flat(items: list[ItemSpec]) -> list[ItemSpec]:
    out: list[ItemSpec] = []
    for item in items:
        out.append(item)
        out.extend(flat(item.items))
    return out


def by_title(spec: AgendaFile, title: str) -> ItemSpec:
    matches = [item for item in flat(spec.items) if item.title == title]
    assert len(matches) == 1, [item.title for item in flat(spec.items)]
    return matches[0]


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.iterdir() if p.is_file()), ids=lambda p: p.name
)
def test_every_fixture_imports_to_a_valid_agenda(path: Path) -> None:
    result = imported(path.name)
    assert result.spec.items
    assert result.spec.meeting.title


# -- the seed agenda ------------------------------------------------------------------------


SEED_TITLES = {
    "1": "Opening of the meeting and adoption of the agenda",
    "2": "Preparations for the special session of the General Assembly against corruption in 2021",
    "2a": "Status of the preparations for the special session",
    "2b": "General discussion",
    "2c": "Denying safe havens to corruption offenders and their proceeds of crime",
    "2d": "Challenges in identifying, tracing and freezing proceeds of corruption, and possible "
    "solutions",
    "2e": "Optimizing cooperation and assistance mechanisms, especially those involving vast "
    "quantities of assets",
    "3": "Closure of the meeting",
}


def test_seed_imports_exactly_its_items_titles_and_annotations() -> None:
    result = imported(SEED.name)
    spec = result.spec
    agenda = Agenda(spec)
    assert [node.id for node in agenda] == list(SEED_TITLES)
    assert [node.label for node in agenda] == ["1.", "2.", *(f"2({c})" for c in "abcde"), "3."]
    assert {node.id: node.title for node in agenda} == SEED_TITLES
    assert spec.meeting.title == (
        "Second intersessional meeting of the Conference of the States Parties to the UN "
        "Convention against Corruption on preparations for the special session of the General "
        "Assembly against corruption"
    )
    assert spec.meeting.dates == [dt.date(2020, 11, 19), dt.date(2020, 11, 20)]
    annotations = {node.id: node.annotation for node in agenda}
    assert annotations["1"] is None and annotations["2"] is None and annotations["3"] is None
    seed_text = SEED.read_text(encoding="utf-8")
    for item_id in "abcde":
        annotation = annotations[f"2{item_id}"]
        assert annotation is not None and "\n" not in annotation
        assert annotation in seed_text  # word for word, one paragraph each
    assert annotations["2a"].startswith("Under this item, the co-facilitators")  # type: ignore[union-attr]
    assert annotations["2e"].endswith("Vast Quantities of Assets.")  # type: ignore[union-attr]
    assert result.doubts == []
    assert "items: 8 (3 at level 1, 5 at level 2)" in result.summary
    assert "annotations attached: 5" in result.summary


def test_seed_matches_the_hand_written_agenda_except_the_printed_dots() -> None:
    shipped = Path(__file__).resolve().parent.parent / "agendas" / "cosp-intersessional-2020.toml"
    if not shipped.exists():
        pytest.skip("the shipped seed agenda is not there")
    from sessiontui.core.agenda_toml import load_agenda_file

    want = Agenda(load_agenda_file(shipped))
    got = Agenda(imported(SEED.name).spec)
    assert [(n.id, n.title, n.annotation) for n in got] == [
        (n.id, n.title, n.annotation) for n in want
    ]


# -- the styles of real agendas -------------------------------------------------------------


def test_un_provisional_agenda_with_annotations() -> None:
    result = imported("un-provisional-agenda-annotations.txt")
    spec = result.spec
    meeting = spec.meeting
    assert meeting.title == "Implementation Review Group"
    assert meeting.subtitle == "Twelfth session"
    assert meeting.body == (
        "Conference of the States Parties to the United Nations Convention against Corruption"
    )
    assert meeting.symbol == "CAC/COSP/IRG/2021/1"
    assert meeting.venue == "Vienna"
    assert meeting.dates[0] == dt.date(2021, 6, 14) and meeting.dates[-1] == dt.date(2021, 6, 18)
    assert labels(spec) == [
        "1.", "1(a)", "1(b)", "2.", "3.", "4.", "4 bis.", "5.", "6.", "7.",
    ]  # fmt: skip
    # list punctuation goes, wrapped titles are joined, "for the next session" is an item
    assert by_title(spec, "Adoption of the agenda and organization of work").number == "(b)"
    by_title(spec, "Review of implementation of the United Nations Convention against Corruption")
    by_title(
        spec, "Provisional agenda for the thirteenth session of the Implementation Review Group"
    )
    # each annotation under the item whose number and title it repeats; paragraph numbers stay
    opening = by_title(spec, "Opening of the session")
    assert opening.annotation is not None
    assert opening.annotation.startswith("1. The twelfth session of the Implementation Review")
    technical = by_title(spec, "Technical assistance")
    assert technical.annotation is not None and technical.annotation.startswith("5. The Group")
    bis = by_title(spec, "Financial and budgetary matters")
    assert bis.annotation is not None and "expenditures of the Mechanism" in bis.annotation
    assert by_title(spec, "Other matters").annotation is None
    performance = by_title(spec, "Performance of the Implementation Review Mechanism")
    assert performance.documents == ["CAC/COSP/IRG/2021/3"]
    assert by_title(spec, "Organizational matters").annotation is None
    assert result.doubts == []
    assert "annotations attached: 7" in result.summary


def test_un_order_of_the_day_with_morning_and_afternoon_blocks() -> None:
    spec = imported("un-order-of-the-day.txt").spec
    assert labels(spec) == ["1.", "1(a)", "1(b)", "1(c)", "2.", "", "3.", "4.", "5."]
    sittings = {(s.label, s.start, s.end, s.date) for s in spec.sittings}
    assert sittings == {
        ("Monday, 16 December 2019, Morning, 1st meeting", "10:00", "13:00", dt.date(2019, 12, 16)),
        (
            "Monday, 16 December 2019, Afternoon, 2nd meeting",
            "15:00",
            "18:00",
            dt.date(2019, 12, 16),
        ),
        (
            "Tuesday, 17 December 2019, Morning, 3rd meeting",
            "10:00",
            "13:00",
            dt.date(2019, 12, 17),
        ),
    }
    ids = {s.label: s.id for s in spec.sittings}
    review = by_title(
        spec, "Review of implementation of the United Nations Convention against Corruption"
    )
    # "(continued)" in the afternoon is the same item, not a second one
    assert review.documents == ["CAC/COSP/2019/2"]
    assert review.sitting == ids["Monday, 16 December 2019, Morning, 1st meeting"]
    assert (
        by_title(spec, "Asset recovery").sitting
        == ids["Monday, 16 December 2019, Afternoon, 2nd meeting"]
    )
    assert (
        by_title(spec, "Technical assistance").sitting
        == ids["Tuesday, 17 December 2019, Morning, 3rd meeting"]
    )
    lunch = by_title(spec, "Lunch break")
    assert (lunch.kind, lunch.starts_at, lunch.minutes, lunch.number) == (
        "break",
        "13:00",
        120,
        None,
    )


def test_three_levels_with_roman_numerals() -> None:
    result = imported("three-level-roman.txt")
    spec = result.spec
    assert labels(spec) == [
        "I.", "II.", "II.A.", "II.A(i)", "II.A(ii)", "II.A(iii)", "II.A(iii)a.", "II.A(iii)b.",
        "II.A(iv)", "III.", "III.A.", "III.A(a)", "III.A(b)", "III.A(c)", "III.A(d)", "III.A(e)",
        "III.A(f)", "III.A(h)", "III.A(i)", "III.B.", "IV.", "V.", "VI.",
    ]  # fmt: skip
    # "(i)" after "(h)" is the letter; the gap before "(h)" is a doubt, kept as written
    assert result.doubts == ["line 26: '(h)' follows '(f)' - kept as written"]
    wrapped = flat(spec.items)[3]
    assert wrapped.title == (
        "Work of the standing open-ended intergovernmental working group on improving the "
        "governance and financial situation of the United Nations Office on Drugs and Crime"
    )
    assert "items: 23 (6 at level 1, 3 at level 2, 12 at level 3, 2 at level 4)" in result.summary


def test_dotted_assembly_agenda_skips_the_numbered_introduction() -> None:
    result = imported("dotted-assembly.txt")
    spec = result.spec
    assert labels(spec) == [
        "1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "2.3.1", "2.3.1.1", "2.3.1.2", "2.3.2",
        "3", "3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.2", "4", "5", "6",
    ]  # fmt: skip
    assert by_title(spec, "Pillar 4: optimising the organisation").number == "3.1.4"
    assert spec.meeting.venue == "Rotterdam"
    assert spec.meeting.dates == [dt.date(2025, 8, 21)]
    # the organisation's name and the numbered introduction are named, not silently dropped
    [unplaced] = result.doubts
    assert unplaced.startswith("lines 1, 5, 7-10: in no item, annotation or meeting field")


def test_parliamentary_order_paper_keyed_by_times() -> None:
    spec = imported("parliamentary-order-paper.txt").spec
    items = spec.items
    assert [i.starts_at for i in items] == [
        "11:30", "11:35", "12:00", "12:30", "12:45", "13:00", "19:00", "19:30",
    ]  # fmt: skip
    # planned durations from the next start time; the last item has none
    assert [i.minutes for i in items] == [5, 25, 30, 15, 15, 360, 30, None]
    motion = items[4]
    assert motion.title == "Ten Minute Rule Motion: Water Companies (Executive Pay)"
    assert motion.presenters == ["Ms Jane Doe"]
    assert items[3].title == "Urgent Questions and Ministerial Statements (if any)"
    assert items[7].presenters == [] and items[6].presenters == ["Tim Farron"]
    # one day, no day headings: one sitting from the first to the last time
    assert [(s.date, s.start, s.end) for s in spec.sittings] == [
        (dt.date(2026, 3, 11), "11:30", "19:30")
    ]
    assert all(i.sitting == spec.sittings[0].id for i in items)
    assert all(i.number is None for i in items)


def test_technical_meeting_with_timeboxes_and_presenters_in_markdown_tables() -> None:
    result = imported("technical-meeting.md")
    spec = result.spec
    assert result.format == "markdown"
    rows = [(i.title, i.starts_at, i.minutes, i.presenters, i.kind) for i in spec.items]
    assert rows == [
        ("Welcome and goals", "09:00", 15, ["Ana Ruiz"], "item"),
        ("Incident review Q1", "09:15", 45, ["Ben Ode"], "item"),
        ("Coffee break", "10:00", 15, [], "break"),
        ("Capacity plan", "10:15", 90, ["Chen Li", "Dana Roy"], "item"),
        ("Lunch", "11:45", 75, [], "break"),
        ("Observability roadmap", "13:00", 60, ["Ben Ode"], "item"),
        ("Security review", "09:30", 20, ["Dana Roy"], "item"),
        ("Database upgrade plan", "09:50", 40, ["Chen Li"], "item"),
        ("Break", "10:30", 15, [], "break"),
        ("Decisions and owners", "10:45", None, [], "item"),
    ]
    assert by_title(spec, "Capacity plan").documents == ["PLAT/CAP/2026/3"]
    assert spec.meeting.venue == "Room 4.12 and video call"
    assert [(s.date, s.start, s.end, s.label) for s in spec.sittings] == [
        (dt.date(2026, 3, 2), "09:00", "14:00", "Day 1 - Monday 2 March 2026"),
        (dt.date(2026, 3, 3), "09:30", "10:45", "Day 2 - Tuesday 3 March 2026, Morning"),
    ]
    assert spec.items[0].sitting == spec.sittings[0].id
    assert spec.items[-1].sitting == spec.sittings[1].id


def test_association_general_assembly_in_markdown_headings_and_lists() -> None:
    result = imported("association-general-assembly.md")
    spec = result.spec
    assert labels(spec) == [
        "1.", "2.", "3.", "3.1.", "3.2.", "3.3.", "4.", "4 bis.", "5.", "5(a)", "5(b)", "5(b)a)",
        "5(b)b)", "6.",
    ]  # fmt: skip
    # a list written "1." "1." "1." shows 1, 2, 3; its "3." under item 3. is 3.3., as printed
    assert [i.number for i in spec.items[2].items] == ["1.", "2.", "3."]
    assert result.doubts == []
    assert spec.items[0].annotation == (
        "The President opens the Assembly and establishes that the quorum is present."
    )
    accounts = by_title(spec, "Accounts 2025 and discharge of the Board")
    assert accounts.presenters == ["Treasurer"]
    assert spec.meeting.dates == [dt.date(2026, 3, 14)]
    assert spec.meeting.venue == "Clubhouse, Riverside Road 4"


def test_pdf_extracted_text_without_masthead_page_numbers_or_hyphenation() -> None:
    result = imported("pdf-extracted-hrc.txt")
    spec = result.spec
    meeting = spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.body, meeting.symbol) == (
        "Human Rights Council",
        "Fifty-fifth session",
        "General Assembly",
        "A/HRC/55/1",
    )
    assert meeting.dates == [dt.date(2024, 2, 26), dt.date(2024, 4, 5)]  # first and last day
    assert labels(spec) == [f"{n}." for n in range(1, 9)]
    titles = [i.title for i in spec.items]
    assert titles[2] == (
        "Promotion and protection of all human rights, civil, political, economic, social and "
        "cultural rights, including the right to development"
    )
    assert titles[1].endswith("the Office of the High Commissioner and the Secretary-General")
    assert titles[6] == (
        "Follow-up and implementation of the Vienna Declaration and Programme of Action"
    )
    assert titles[7] == "Technical assistance and capacity-building"
    assert spec.items[0].annotation is not None
    assert "The organizational meeting will be held" in spec.items[0].annotation
    assert spec.items[1].documents == ["A/HRC/55/23"]
    assert spec.items[7].documents == ["A/HRC/55/60"]
    assert not any("GE.23" in t or "A/HRC/55/1" in t for t in titles)
    assert result.doubts == [
        "line 14: in no item, annotation or meeting field - left out: "
        "'Note by the Secretary-General'"
    ]


def test_seed_as_markdown_and_as_word_paragraphs_gives_the_same_agenda() -> None:
    import io

    import docx

    from sessiontui.importers import import_bytes

    want = imported(SEED.name).spec
    text = SEED.read_bytes()
    assert import_bytes(text, "seed.md", "markdown").spec == want
    document = docx.Document()
    bold = False
    for raw in text.decode("utf-8").splitlines():
        line = raw.strip().removeprefix("- ")
        bold = bold or line.startswith("**")
        if bold:  # the title is bold over three lines
            document.add_paragraph().add_run(line.strip("*")).bold = True
            bold = not line.endswith("**")
        elif line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    assert import_bytes(out.getvalue(), "seed.docx").spec == want


@pytest.mark.parametrize("page_marks", [True, False])
def test_a_rule_above_a_pages_footnotes_does_not_end_the_agenda(page_marks: bool) -> None:
    """PDF-extracted text sets each page's footnotes under a rule; the items and annotations
    go on over the page. With or without the form feed and job number at the page's foot
    (a copy of the text keeps only the running header), only the last page's rule ends it."""
    from sessiontui.importers import import_bytes

    text = (CORPUS / "pdf-extracted-footnote-pages.txt").read_text(encoding="utf-8")
    if not page_marks:
        text = text.replace("\f", "").replace("V.21-00123 (E)\n", "")
    result = import_bytes(text.encode(), "agenda.txt", "text")
    spec = result.spec
    assert [item.number for item in spec.items] == [f"{n}." for n in range(1, 9)]
    assert [item.number for item in spec.items[3].items] == ["(a)", "(b)"]
    assert spec.items[4].title == "World crime trends and emerging issues"
    assert spec.items[7].title == (
        "Adoption of the report of the Commission on its thirtieth session"
    )
    annotations = {item.number or "": item.annotation for item in spec.items if item.annotation}
    assert sorted(annotations) == ["1.", "2.", "8."]
    assert annotations["8."] == "The Commission will adopt the report on its thirtieth session."
    everything = dump_agenda(spec)
    for footnote in ("submitted late", "Rule 15 of the rules", "E/2020/28", "meeting room"):
        assert footnote not in everything
    assert any("are not read" in doubt for doubt in result.doubts)


def test_footnote_numbers_after_an_annotations_sentences_are_left_out() -> None:
    from sessiontui.importers import import_bytes

    text = (
        "Provisional agenda\n\n1. Election of officers\n2. Other matters\n\nAnnotations\n\n"
        "1. Election of officers\n\nThe Commission shall elect officers.1 The Bureau of the"
        " session consists of five members, as in annex I.2 of the rules; see section 3.1.\n\n"
        "2. Other matters\n\nThe Commission will consider other matters.23\n"
    )
    spec = import_bytes(text.encode(), "agenda.txt", "text").spec
    assert [item.annotation for item in spec.items] == [
        "The Commission shall elect officers. The Bureau of the session consists of five"
        " members, as in annex I.2 of the rules; see section 3.1.",
        "The Commission will consider other matters.",
    ]


def test_eu_council_symbols_with_addenda_and_register_form_are_documents() -> None:
    """A Coreper agenda prints each item's documents at the end of its line, as the Council's
    register gives them: with an addendum after a "+", or as "ST 10233 2025 INIT"."""
    result = imported("eu-coreper-council-symbols.txt")
    spec = result.spec
    assert labels(spec) == ["1.", "2.", "3.", "4.", "5.", "5a)", "5b)", "6."]
    rows = [(item.title, item.documents) for item in flat(spec.items)]
    assert rows == [
        ("Adoption of the agenda", []),
        (
            "Regulation on the European Innovation Act (First reading)",
            ["10120/25", "10120/25 ADD 1"],
        ),
        ("Directive on the energy performance of buildings (recast)", ["ST 10233 2025 INIT"]),
        ("Council conclusions on the European Ocean Pact", ["10120/25 ADD 1 REV 1"]),
        ("Preparation for the Council meeting (Agriculture and Fisheries) on 14 July 2025", []),
        (
            "Conclusions on the future of the common fisheries policy",
            ["10302/25", "10302/25 COR 1"],
        ),
        ("Any other business", []),
        ("Any other business", []),
    ]
    assert by_title(spec, "Council conclusions on the European Ocean Pact").annotation == "Approval"
    # the part headings are sections, named in doubts, not items
    assert any("'Discussion items (II)' is a section heading" in d for d in result.doubts)
    assert any("'Non-legislative activities' is a section heading" in d for d in result.doubts)


@pytest.mark.parametrize(
    ("line", "documents"),
    [
        ("10120/25 + ADD 1", ["10120/25", "10120/25 ADD 1"]),
        ("ST 10120 2025 INIT", ["ST 10120 2025 INIT"]),
        ("10120/25 ADD 1 REV 1", ["10120/25 ADD 1 REV 1"]),
        ("10120/1/25 REV 1", ["10120/1/25 REV 1"]),
        ("10120/25 + ADD 1 + ADD 2", ["10120/25", "10120/25 ADD 1", "10120/25 ADD 2"]),
    ],
)
def test_a_council_symbol_on_its_own_line_is_the_items_document(
    line: str, documents: list[str]
) -> None:
    from sessiontui.importers import import_bytes

    text = f"PROVISIONAL AGENDA\n\n1.\nAdoption of the agenda\n\n2.\nConclusions on water\n{line}\n"
    spec = import_bytes(text.encode(), "agenda.txt", "text").spec
    assert [(item.title, item.documents) for item in spec.items] == [
        ("Adoption of the agenda", []),
        ("Conclusions on water", documents),
    ]


# -- IMO agendas ----------------------------------------------------------------------------

MSC_TITLES = [
    "Adoption of the agenda; report on credentials",
    "Decisions of other IMO bodies",
    "Consideration and adoption of amendments to mandatory instruments",
    "Goal-based new ship construction standards",
    "Development of a goal-based instrument for Maritime Autonomous Surface Ships (MASS)",
    "Development of further measures to enhance the safety of ships relating to the use of "
    "fuel oil",
    "Measures to enhance maritime security",
    "Piracy and armed robbery against ships",
    "Unsafe mixed migration by sea",
    "Formal safety assessment",
    "Carriage of cargoes and containers (Report of the eighth session of the Sub-Committee)",
    "Ship design and construction (Report of the ninth session of the Sub-Committee)",
    "Human element, training and watchkeeping (Report of the ninth session of the Sub-Committee)",
    "Ship systems and equipment (Report of the ninth session of the Sub-Committee)",
    "Navigation, communications and search and rescue (Urgent matters emanating from the "
    "tenth session of the Sub-Committee)",
    "Application of the Committee's method of work",
    "Work programme",
    "Election of Chair and Vice-Chair for 2024",
    "Any other business",
    "Consideration of the report of the Committee on its 107th session",
]


def test_imo_agenda_as_pdftotext_layout_gives_it() -> None:
    """An IMO agenda (MSC 107/1 in shape): the masthead in two columns, bare numbers a column
    apart from their titles, titles wrapped under themselves, the file's path and the
    running header at each page's foot and head, "***" under the last item."""
    result = imported("imo-msc-provisional-agenda-layout.txt")
    spec = result.spec
    # "Opening of the session", unnumbered above item 1, is the session's first item
    assert [item.number for item in spec.items] == ["", *(str(n) for n in range(1, 21))]
    assert [item.title for item in spec.items] == ["Opening of the session", *MSC_TITLES]
    assert all(not item.items and item.annotation is None for item in spec.items)
    meeting = spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.body, meeting.symbol) == (
        "MARITIME SAFETY COMMITTEE",
        "107th session",
        None,
        "MSC 107/1",
    )
    # the session's dates, not the document's date of issue (2 December 2022)
    assert meeting.dates[0] == dt.date(2023, 5, 31) and meeting.dates[-1] == dt.date(2023, 6, 9)
    assert meeting.venue == "IMO Headquarters, 4 Albert Embankment, London SE1 7SR"
    assert [(s.date, s.start) for s in spec.sittings] == [(dt.date(2023, 5, 31), "09:30")]
    assert result.doubts == []


def test_imo_agenda_with_each_number_above_its_title() -> None:
    """Text extracted without layout puts each bare number on a line of its own above its
    title: the numbers are the items', not page numbers, and the notes end the agenda."""
    result = imported("imo-mepc-numbers-above-titles.txt")
    spec = result.spec
    assert [item.number for item in spec.items] == ["", *(str(n) for n in range(1, 16))]
    assert spec.items[0].title == "Opening of the session"
    spec.items = spec.items[1:]
    assert spec.items[7].title == (
        "Follow-up work emanating from the Action Plan to address marine plastic litter from ships"
    )
    assert spec.items[8].title == (
        "Pollution prevention and response (Report of the tenth session of the Sub-Committee)"
    )
    assert spec.items[9].title == "Identification and protection of Special Areas, ECAs and PSSAs"
    assert spec.items[14].title == (
        "Consideration of the report of the Committee on its eightieth session"
    )
    assert not any("edocs" in item.title or "MEPC 80/1" in item.title for item in spec.items)
    meeting = spec.meeting
    assert (meeting.title, meeting.body, meeting.symbol) == (
        "MARINE ENVIRONMENT PROTECTION COMMITTEE",
        None,
        "MEPC 80/1",
    )
    assert meeting.dates[0] == dt.date(2023, 7, 3) and meeting.dates[-1] == dt.date(2023, 7, 7)
    assert meeting.venue == "IMO Headquarters, 4 Albert Embankment, London SE1 7SR"
    assert [(s.date, s.start) for s in spec.sittings] == [(dt.date(2023, 7, 3), "09:30")]
    assert result.doubts == ["line 56: 'Notes:' and what follows are not read"]


def test_imo_agenda_headed_for_its_session_with_web_footers() -> None:
    result = imported("imo-leg-agenda-for-the-session.txt")
    spec = result.spec
    assert [item.number for item in spec.items] == ["", *(str(n) for n in range(1, 14))]
    assert spec.items[0].title == "Opening of the session"
    spec.items = spec.items[1:]
    assert spec.items[3].title == (
        "Provision of financial security in case of abandonment of seafarers, and shipowners' "
        "liability in respect of contractual claims for personal injury to, or death of, "
        "seafarers, in light of the progress of amendments to the ILO Maritime Labour "
        "Convention, 2006"
    )
    assert spec.items[6].title.startswith("Unified interpretation of provisions of IMO safety")
    assert (spec.meeting.title, spec.meeting.symbol) == ("LEGAL COMMITTEE", "LEG 110/1")
    assert spec.meeting.dates[0] == dt.date(2023, 3, 27)
    assert spec.meeting.dates[-1] == dt.date(2023, 3, 31)
    assert "edocs.imo.org" not in dump_agenda(spec)


def test_imo_agenda_as_text_without_its_layout() -> None:
    """An IMO agenda as a PDF's text without layout: no blank lines, the masthead's lines one
    under another ("Agenda item 1" above the symbol is the masthead's, not an item), the
    heading with its footnote's number ("PROVISIONAL AGENDA1"), numbers above titles."""
    result = imported("imo-sub-committee-text-without-layout.txt")
    spec = result.spec
    assert [item.number for item in spec.items] == ["", "1", "2", "3", "4", "5", "6"]
    assert spec.items[4].title == (
        "Revision of the guidelines for the maintenance of fixed fire-extinguishing systems (1.12)"
    )
    meeting = spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.symbol) == (
        "SUB-COMMITTEE ON SHIP SYSTEMS AND EQUIPMENT",
        "11th session",
        "SSE 11/1",
    )
    # the announcement under the heading is read, not swallowed as the item's title
    assert meeting.dates[0] == dt.date(2025, 3, 10) and meeting.dates[-1] == dt.date(2025, 3, 14)
    assert meeting.venue == "IMO Headquarters, 4 Albert Embankment, London SE1 7SR"
    assert [(s.date, s.start) for s in spec.sittings] == [(dt.date(2025, 3, 10), "09:30")]
    assert result.doubts == ["line 28: 'Notes:' and what follows are not read"]


def test_imo_agenda_copied_from_a_web_page_numbers_its_items_with_one_space() -> None:
    """ "1 Adoption of the agenda", one space after the number, counting up from 1: items;
    the date under the symbol is the document's date of issue, not the session's."""
    result = imported("imo-assembly-web-copy.txt")
    spec = result.spec
    assert [(item.number, item.title) for item in spec.items][:3] == [
        ("", "Opening of the session"),
        ("1", "Adoption of the agenda"),
        ("2", "Election of the President and of the three Vice-Presidents of the Assembly"),
    ]
    assert len(spec.items) == 6
    meeting = spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.symbol) == (
        "ASSEMBLY",
        "34th session",
        "A 34/1",
    )
    assert meeting.dates[0] == dt.date(2025, 11, 24) and meeting.dates[-1] == dt.date(2025, 12, 3)
    assert result.doubts == []


def test_bare_page_numbers_stay_page_numbers() -> None:
    """Bare numbers far apart, over a page's first line, are the pages', not items."""
    from sessiontui.importers import import_bytes

    filler = "\n".join(f"Paragraph {n} of the introduction goes on." for n in range(20))
    text = (
        f"Provisional agenda\n\n1. Opening\n2. Other matters\n\n{filler}\n\n1\n\n{filler}\n\n"
        f"2\n\n{filler}\n\n3\n\nThe end of the introduction.\n"
    )
    spec = import_bytes(text.encode(), "agenda.txt", "text").spec
    assert [(item.number, item.title) for item in spec.items] == [
        ("1.", "Opening"),
        ("2.", "Other matters"),
    ]


def test_a_wrapped_title_line_that_reads_like_an_agenda_heading_is_still_the_title() -> None:
    """ "... the 2030" / "Agenda for Sustainable Development.", "... Declaration and" /
    "Programme of Action.", "... and of the" / "Timetable for 2027.": the second line of a
    wrapped title, indented or not, joins it (it is not the agenda's heading repeated), in
    the list and in the annotations that repeat it."""
    result = imported("un-titles-wrapped-before-agenda-words.txt")
    spec = result.spec
    assert [(item.number, item.title) for item in spec.items] == [
        ("1.", "Adoption of the agenda"),
        (
            "2.",
            "Follow-up to and review of the implementation of the 2030 Agenda for Sustainable "
            "Development",
        ),
        ("3.", "Follow-up to and implementation of the Vienna Declaration and Programme of Action"),
        ("4.", "Review of the Programme of Work of the Forum and of the Timetable for 2027"),
        ("5.", "Adoption of the report"),
    ]
    assert (
        spec.items[1].annotation == "The Forum will review the implementation of the 2030 Agenda."
    )
    assert spec.items[2].annotation == "The Forum will consider the follow-up."


def test_a_title_wrapped_over_a_page_break_keeps_its_last_line() -> None:
    result = imported("pdf-extracted-hrc-wrapped-over-page.txt")
    titles = [item.title for item in result.spec.items]
    assert len(titles) == 10
    assert titles[6] == "Human rights situation in Palestine and other occupied Arab territories"
    assert titles[7] == (
        "Follow-up to and implementation of the Vienna Declaration and Programme of Action"
    )
    assert titles[8].endswith("implementation of the Durban Declaration and Programme of Action")
    assert result.doubts == []


def test_council_part_headings_between_items_are_sections_not_titles() -> None:
    """Text taken from a Coreper agenda without its blank lines: the parts' headings
    ("Discussion items (II)", "Non-legislative activities") and the procedure ("Approval")
    stand on the lines under the titles, and are neither more of the titles nor items."""
    result = imported("eu-coreper-parts-without-blank-lines.txt")
    spec = result.spec
    assert [(item.number, item.title, item.annotation) for item in spec.items] == [
        ("1.", "Adoption of the agenda", None),
        ("2.", "Preparation for the Council meeting (Foreign Affairs) on 14 July 2025", None),
        ("3.", "Conclusions on the enlargement strategy", "Approval"),
        ("4.", "Any other business", None),
    ]
    assert spec.items[1].documents == ["10120/25", "10120/25 ADD 1"]
    assert result.doubts[:2] == [
        "line 14: 'Discussion items (II)' is a section heading - left out",
        "line 17: 'Non-legislative activities' is a section heading - left out",
    ]


def test_council_legislative_deliberations_heading_is_a_section_not_the_title() -> None:
    """A Council meeting's agenda opens with "Legislative deliberations" and the public
    deliberation it is held in: a part of the agenda, not more of the meeting's title."""
    result = imported("eu-council-legislative-parts.txt")
    spec = result.spec
    assert spec.meeting.title == "4098th meeting of the COUNCIL OF THE EUROPEAN UNION (Environment)"
    assert [(item.title, item.annotation, item.documents) for item in spec.items] == [
        ("Adoption of the agenda", None, []),
        (
            "Regulation on soil monitoring and resilience (First reading)",
            "General approach",
            ["10044/25", "10044/25 ADD 1"],
        ),
        ('Approval of the list of "A" items', None, ["10140/25"]),
        ("Council conclusions on water resilience", "Approval", ["ST 10101 2025 INIT"]),
        ("(poss.) Current legislative proposals", None, []),
    ]
    assert result.doubts[:3] == [
        "line 16: 'Legislative deliberations' is a section heading - left out",
        "line 25: 'Non-legislative activities' is a section heading - left out",
        "line 34: 'Any other business' is a section heading - left out",
    ]
