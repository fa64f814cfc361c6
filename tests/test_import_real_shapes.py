"""``sessiontui import`` on agendas in the shapes real ones arrive in, as the reviewer found them
misread: nested Markdown lists, date headings, a board's own heading as the title, pastes of
one paragraph a line, an addendum holding only the annotations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sessiontui.core.agenda import Agenda, ItemSpec
from sessiontui.core.agenda_toml import dump_agenda, parse_agenda
from sessiontui.importers import ImportResult, import_bytes, import_document
from sessiontui.importers.text import wrap_width

CORPUS = Path(__file__).parent / "import_corpus"


def imported(name: str) -> ImportResult:
    """Import a corpus file and prove the agenda survives the loader unchanged."""
    result = import_document(str(CORPUS / name))
    assert parse_agenda(dump_agenda(result.spec).encode(), name) == result.spec
    return result


def by_title(result: ImportResult, title: str) -> ItemSpec:
    """The one item (at any depth) with this title."""
    found: list[ItemSpec] = []
    todo = list(result.spec.items)
    while todo:
        item = todo.pop()
        found.extend([item] if item.title == title else [])
        todo.extend(item.items)
    assert len(found) == 1, title
    return found[0]


def test_a_nested_markdown_list_keeps_the_sub_items_numbers_as_printed() -> None:
    result = imported("association-nested-ordered-list.md")
    agenda = Agenda(result.spec)
    assert [(node.label, node.title) for node in agenda if node.depth == 1] == [
        ("2.1.", "Accuracy"),
        ("2.2.", "Matters arising"),
        ("3.1.", "Chair's report"),
        ("3.2.", "Treasurer's report"),
        ("3.3.", "Repairs officer's report"),
        ("4.1.", "Quotes received"),
        ("4.2.", "Volunteers for the spring work day"),
    ]
    assert [item.number for item in result.spec.items[2].items] == ["1.", "2.", "3."]
    assert not [doubt for doubt in result.doubts if doubt.startswith("labels")]


def test_a_board_meeting_heading_is_the_meeting_title() -> None:
    result = imported("board-meeting-heading.md")
    meeting = result.spec.meeting
    assert (meeting.title, meeting.subtitle) == ("Board meeting", None)
    assert [item.title for item in result.spec.items][:3] == [
        "Apologies for absence",
        "Approval of the minutes of 10 December 2025",
        "Budget 2026",
    ]
    assert not [doubt for doubt in result.doubts if doubt.startswith("title")]


def test_a_title_heading_with_a_date_stays_the_title_and_gives_the_date() -> None:
    result = imported("committee-dated-title.md")
    meeting = result.spec.meeting
    assert meeting.title == "Meeting of 12 May 2025"
    assert meeting.dates == [dt.date(2025, 5, 12)]
    assert [(s.date, s.start) for s in result.spec.sittings] == [(dt.date(2025, 5, 12), "14:00")]
    assert result.doubts == []


def test_date_headings_before_the_items_give_the_meetings_days() -> None:
    result = imported("parish-council-day-headings.md")
    spec = result.spec
    assert spec.meeting.title == (
        "Ashby Parva Parish Council — Annual Parish Meeting and Council meeting"
    )
    assert spec.meeting.dates == [dt.date(2026, 3, 3), dt.date(2026, 3, 4)]
    assert len(spec.items) == 8  # the day headings are not items
    # without times a day records no sitting, and says so
    assert result.doubts == [
        "line 3: 'Tuesday 3 March 2026' gives no times - no sitting recorded",
        "line 10: 'Wednesday 4 March 2026' gives no times - no sitting recorded",
    ]


# -- one paragraph a line, as a web page or a word processor gives it when copied -----------


def test_a_pasted_order_paper_keeps_each_items_notes_apart_from_its_title() -> None:
    result = imported("commons-order-paper-paste.txt")
    second_reading = by_title(result, "Rural Broadband Bill: Second Reading")
    assert second_reading.annotation == (
        "Until 7.00pm (Standing Order No. 14(2)(a))\n\nSecretary Mira Lane\n\n"
        "That the Bill be now read a second time.\n\n"
        "Notes: The Reasoned Amendment in the name of the Leader of the Opposition has been "
        "selected."
    )
    money = by_title(result, "Rural Broadband Bill: Money")
    assert money.annotation is not None
    assert money.annotation.startswith("No debate (Standing Order No. 52(1)(a))\n\nMr Daniel Cole")


def test_a_pasted_council_page_keeps_each_items_notes_apart_from_its_title() -> None:
    result = imported("council-web-agenda-paste.txt")
    assert [(item.title, item.annotation) for item in result.spec.items[:3]] == [
        ("Apologies for absence", "To receive any apologies for absence."),
        (
            "Declarations of interest",
            "Members are reminded to declare any disclosable pecuniary interests in items on "
            "this agenda.",
        ),
        (
            "Minutes of the previous meeting",
            "To approve as a correct record the minutes of the meeting held on 14 January 2026."
            "\n\nMinutes: PDF 210 KB",
        ),
    ]


def test_a_list_after_a_section_heading_is_not_the_item_above_its_sub_items() -> None:
    result = imported("commons-order-paper-paste.txt")
    assert [(item.number, item.title) for item in result.spec.items if item.number] == [
        ("1.", "Rural Broadband Bill: Second Reading"),
        ("2.", "Rural Broadband Bill: Money"),
        ("3.", "Rural Broadband Bill: Programme"),
    ]
    assert result.spec.items[0].starts_at == "11:30"
    assert "line 16: 'Business of the Day' is a section heading - left out" in result.doubts


def test_a_pasted_council_page_is_titled_by_the_name_above_its_date() -> None:
    result = imported("council-web-agenda-paste.txt")
    meeting = result.spec.meeting
    assert (meeting.title, meeting.venue) == (
        "Cabinet",
        "Council Chamber, Town Hall, Market Street",
    )
    assert meeting.dates == [dt.date(2026, 2, 11)]


def test_appendices_listed_under_an_item_do_not_end_the_agenda() -> None:
    result = imported("council-web-agenda-paste.txt")
    items = result.spec.items
    assert [item.number for item in items] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    budget = items[3].annotation
    assert budget is not None
    assert "Appendix B - Capital programme, item 4 PDF 60 KB" in budget
    assert budget.endswith("approved the virements set out in Appendix B.")
    assert not [doubt for doubt in result.doubts if "are not read" in doubt]


# -- an addendum holding only the annotations ------------------------------------------------


def test_an_annotations_addendum_takes_its_items_from_the_annotations_headings() -> None:
    result = imported("un-annotations-addendum.txt")
    spec = result.spec
    agenda = Agenda(spec)
    assert [(node.label, node.title) for node in agenda] == [
        ("1.", "Opening of the session"),
        ("2.", "Organizational matters"),
        ("2(a)", "Adoption of the agenda"),
        ("2(b)", "Organization of work"),
        ("3.", "Consideration of the draft framework on maritime data exchange"),
        ("4.", "Adoption of the report"),
    ]
    framework = spec.items[2]
    assert framework.annotation is not None
    assert framework.annotation.startswith("4. At its second session, the Committee requested")
    assert framework.annotation.endswith("written comments to the secretariat by 27 March 2026.")
    assert framework.documents == ["A/AC.301/2026/2"]
    assert spec.items[1].annotation is None  # its text is under (a) and (b)
    assert (spec.meeting.title, spec.meeting.subtitle, spec.meeting.symbol) == (
        "Ad Hoc Committee on Maritime Data Cooperation",
        "Third session",
        "A/AC.301/2026/1/Add.1",
    )
    assert spec.meeting.dates[0] == dt.date(2026, 4, 13)


def test_annotations_alone_in_markdown_are_read_the_same_way() -> None:
    text = (
        "# Ad Hoc Committee on Maritime Data Cooperation\n\n"
        "Third session, New York, 13-17 April 2026\n\n"
        "## Annotations to the provisional agenda\n\n"
        "### 1. Opening of the session\n\n"
        "1. The session will be opened by the Chair on Monday, 13 April 2026.\n\n"
        "### 2. Adoption of the agenda\n\n"
        "2. The Committee will have before it its provisional agenda (A/AC.301/2026/1).\n"
    )
    result = import_bytes(text.encode(), "addendum.md")
    assert [(item.number, item.title, item.annotation) for item in result.spec.items] == [
        (
            "1.",
            "Opening of the session",
            "1. The session will be opened by the Chair on Monday, 13 April 2026.",
        ),
        (
            "2.",
            "Adoption of the agenda",
            "2. The Committee will have before it its provisional agenda (A/AC.301/2026/1).",
        ),
    ]


def test_headings_numbered_without_a_dot_are_the_items_numbers() -> None:
    result = imported("club-numbered-headings.md")
    assert [(item.number, item.title) for item in result.spec.items] == [
        ("1", "Apologies"),
        ("2", "Minutes of the meeting of 12 February 2026"),
        ("3", "Commodore's report"),
        ("4", "Racing programme for 2026"),
        ("5", "Any other business"),
    ]
    assert result.spec.meeting.title == "Harbour Sailing Club — Committee"


def test_a_heading_starting_with_a_year_is_not_numbered_by_it() -> None:
    text = "# Finance committee\n\n## Agenda\n\n## 2026 budget\n\n## Reserves policy\n"
    result = import_bytes(text.encode(), "finance.md")
    assert [(item.number, item.title) for item in result.spec.items] == [
        (None, "2026 budget"),
        (None, "Reserves policy"),
    ]


# -- days, sittings and sessions -------------------------------------------------------------


def test_first_day_headings_open_days_and_meeting_headings_their_sittings() -> None:
    result = imported("programme-first-day-headings.txt")
    spec = result.spec
    meeting = spec.meeting
    # "Third session" names the session, the meeting itself: no day, no sitting
    assert (meeting.title, meeting.subtitle) == (
        "Ad Hoc Committee on Maritime Data Cooperation",
        "Third session",
    )
    assert [(s.date, s.start, s.end, s.label) for s in spec.sittings] == [
        (dt.date(2026, 3, 2), "10:00", "13:00", "First day, 1st meeting"),
        (dt.date(2026, 3, 2), "15:00", "18:00", "First day, 2nd meeting"),
        (dt.date(2026, 3, 3), "10:00", "13:00", "Second day, 3rd meeting"),
        (dt.date(2026, 3, 3), "15:00", "18:00", "Second day, 4th meeting"),
    ]
    ids = [s.id for s in spec.sittings]
    assert [item.sitting for item in spec.items] == [ids[0], ids[0], ids[1], ids[2], ids[3]]
    assert result.doubts == []


def test_a_session_heading_between_items_is_a_section_not_a_sitting() -> None:
    text = (
        "Working Group on Asset Recovery\n\nProvisional agenda\n\n"
        "1. Opening of the meeting.\n2. Adoption of the agenda.\n\n"
        "Third session of the Conference\n\n"
        "3. Preparations for the third session of the Conference.\n\n"
        "Third session\n\n"
        "4. Arrangements for the session.\n5. Adoption of the report.\n"
    )
    result = import_bytes(text.encode(), "agenda.txt")
    assert [item.number for item in result.spec.items] == ["1.", "2.", "3.", "4.", "5."]
    assert result.spec.sittings == []
    assert result.doubts == [
        "line 8: 'Third session of the Conference' is a section heading - left out",
        "line 12: 'Third session' is a section heading - left out",
    ]


# -- the width a text was wrapped at ---------------------------------------------------------


def test_one_long_line_does_not_make_wrapped_titles_pass_for_a_paste() -> None:
    result = imported("council-agenda-wrapped-with-link.txt")
    assert [item.title for item in result.spec.items] == [
        "Call to order and roll call",
        "Approval of the minutes of the regular meeting of 24 March 2026 and of the Special "
        "Meeting of 31 March 2026",
        "Public comment on items not on the agenda",
        "Public hearing on the proposed amendments to the Zoning Ordinance regarding Accessory "
        "Dwelling Units in the R-1 and R-2 residential districts",
        "Award of the contract for the resurfacing of Elm Street and Oak Avenue to Northside "
        "Paving Company",
        "Resolution adopting the Capital Improvement Program and the Five-Year Financial "
        "Forecast for fiscal years 2027 to 2031",
        "Adjournment",
    ]
    assert not [doubt for doubt in result.doubts if "section heading" in doubt]


def test_a_paste_with_one_long_line_is_still_read_one_paragraph_a_line() -> None:
    page = (CORPUS / "council-web-agenda-paste.txt").read_text()
    address = "https://democracy.example.gov.uk/ieListDocuments.aspx?CId=133&MId=5012&Ver=4"
    page = page.replace("Items\n", f"Watch the meeting: {address}\nItems\n")
    result = import_bytes(page.encode(), "cabinet.txt")
    assert [(item.title, item.annotation) for item in result.spec.items[:2]] == [
        ("Apologies for absence", "To receive any apologies for absence."),
        (
            "Declarations of interest",
            "Members are reminded to declare any disclosable pecuniary interests in items on "
            "this agenda.",
        ),
    ]


def test_the_wrap_width_sets_an_outlier_aside() -> None:
    assert wrap_width([78, 80, 79, 40, 77, 35, 142]) == 80
    assert wrap_width([78, 80, 79, 40, 77, 35, 84]) == 84  # within a word: no outlier
    assert wrap_width([80]) == 80


# -- the documents a council's web agenda attaches to its items -----------------------------


def test_an_attached_document_line_is_kept_with_its_item() -> None:
    result = imported("council-web-agenda-paste.txt")
    minutes = by_title(result, "Minutes of the previous meeting")
    assert minutes.annotation == (
        "To approve as a correct record the minutes of the meeting held on 14 January 2026."
        "\n\nMinutes: PDF 210 KB"
    )
    # a document named with its file's size is no section heading, nor a note in doubt
    assert not [doubt for doubt in result.doubts if "KB" in doubt]


def test_a_title_linked_to_its_report_keeps_the_file_in_the_annotation() -> None:
    result = imported("council-moderngov-attachments.txt")
    items = result.spec.items
    assert [(item.number, item.title) for item in items] == [
        ("1.", "Apologies for absence"),
        ("2.", "Declarations of Interest"),
        (
            "3.",
            "To confirm the accuracy of the minutes of the meeting of the Council held on "
            "15th July 2026",
        ),
        ("4.", "Recommendations from the Cabinet"),
        ("5.", "Motions on Notice"),
    ]
    assert items[4].annotation == (
        "A period of up to one hour is allocated to consider the motions on notice."
        "\n\nMotions on Notice (PDF 268 KB)"
    )
    recommendations = items[3].annotation
    assert recommendations is not None
    # one attached file a paragraph, without the alt text of its icon
    assert recommendations.split("\n\n")[:3] == [
        "Cabinet recommendations 22.07.26 PDF 145 KB",
        "Additional documents:",
        "Medium Term Financial Plan 2027-28 to 2029-30 PDF 1 MB",
    ]


# -- a parliament's running order ------------------------------------------------------------


def test_each_followed_by_line_of_a_running_order_is_an_item() -> None:
    result = imported("scottish-business-bulletin-paste.txt")
    items = result.spec.items
    assert [(item.title, item.starts_at) for item in items] == [
        (
            "Time for Reflection: The Reverend Jane Smith, Minister of St Andrew's Parish "
            "Church, Dundee",
            "14:00",
        ),
        ("Parliamentary Bureau Motions", None),
        ("Topical Questions (if selected)", None),
        ("Ministerial Statement: Scotland's Energy Strategy", None),
        ("Scottish Government Debate: Supporting Scotland's Islands", None),
        ("Business Motions", None),
        ("Parliamentary Bureau Motions", None),
        ("Decision Time", "17:00"),
        (
            "Members' Business — S6M-15790 Margaret Mitchell: Hamilton Accies' Exemplary "
            "Community Work",
            None,
        ),
    ]
    debate = items[4].annotation
    assert debate is not None and debate.startswith("S6M-16001 Mairi Gougeon")


def test_a_followed_by_line_alone_is_no_note() -> None:
    result = imported("commons-order-paper-paste.txt")
    assert not [doubt for doubt in result.doubts if "Followed by" in doubt]
    prayers = result.spec.items[0].annotation
    assert prayers is None or "Followed by" not in prayers


def test_an_order_papers_questions_and_adjournment_debate_are_items() -> None:
    result = imported("commons-order-paper-paste.txt")
    items = result.spec.items
    assert [(item.title, item.starts_at) for item in items] == [
        ("Prayers", "11:30"),
        ("Oral Questions to the Secretary of State for Transport", None),
        ("Urgent Questions and Statements", "12:30"),  # "At 12.30pm" above it
        ("Rural Broadband Bill: Second Reading", None),
        ("Rural Broadband Bill: Money", None),
        ("Rural Broadband Bill: Programme", None),
        ("Adjournment Debate: Flood defences in the Ouse valley", None),
    ]
    questions = items[1].annotation
    assert questions is not None
    assert questions.startswith("1Anna Field (Northport)\n\nWhat steps she is taking")
    assert questions.endswith("support bus services in rural areas. (901103)")
    # the debate is named by its subject, raised by the Member after the colon
    assert items[6].annotation == (
        "Until 7.30pm or for half an hour (whichever is later) (Standing Order No. 9(7))"
    )
    assert items[6].presenters == ["Ruth Moss"]
    # "Questions" heads the oral questions; "No debate" under a motion is no debate
    assert "line 6: 'Questions' is a section heading - left out" in result.doubts
    assert items[4].annotation is not None
    assert items[4].annotation.startswith("No debate (Standing Order No. 52(1)(a))")
    assert not [doubt for doubt in result.doubts if "At 12.30pm" in doubt]


def test_an_order_papers_statements_are_an_item_with_their_subjects() -> None:
    result = imported("commons-order-paper-statements-paste.txt")
    items = result.spec.items
    assert [(item.number, item.title) for item in items][:4] == [
        ("", "Prayers"),
        ("", "Urgent Questions and Statements"),
        ("1.", "General Debate on making Britain a clean energy superpower"),
        ("", "Adjournment Debate: Government support for pharmacy provision in Hampton"),
    ]
    assert items[1].annotation == (
        "Ministerial Statements, including on:\n\nUpdate on the Government response to the "
        "infected blood inquiry (Paymaster General and Minister for the Cabinet Office)"
    )
    assert items[3].presenters == ["Munira Wilson"]
    assert not [doubt for doubt in result.doubts if "Munira Wilson" in doubt]


def test_an_order_papers_written_statements_are_not_business_of_the_sitting() -> None:
    # laid that day and numbered from 1 again under their ministers: published, not taken up
    result = imported("commons-order-paper-statements-paste.txt")
    titles = [item.title for item in result.spec.items]
    assert titles[-1].startswith("Adjournment Debate")
    assert "Statements to be Made Today" not in titles
    assert not [doubt for doubt in result.doubts if "repeated" in doubt or "again" in doubt]
    assert "line 17: 'Written Statements' and what follows are not read" in result.doubts
    # a line that only mentions written statements is an item like any other
    page = "Agenda\n\n1. Opening\n2. Written statements received\n3. Closure\n"
    kept = import_bytes(page.encode(), "agenda.txt").spec.items
    assert [item.title for item in kept][1] == "Written statements received"


def test_an_order_papers_until_lines_end_the_business_they_are_under() -> None:
    result = imported("commons-order-paper-statements-paste.txt")
    debate, adjournment = result.spec.items[2:4]
    # "Until 2.30pm", then "Until 3.00pm or for half an hour": thirty minutes, the sitting's end
    assert (debate.minutes, adjournment.minutes) == (None, 30)
    assert [(s.start, s.end) for s in result.spec.sittings] == [("09:30", "15:00")]
    assert adjournment.annotation is not None
    assert adjournment.annotation.startswith("Until 3.00pm or for half an hour")
    assert not [doubt for doubt in result.doubts if "Until" in doubt]
    assert "line 2: 'Friday 17 January 2025' gives no times - no sitting recorded" not in (
        result.doubts
    )
    page = (CORPUS / "commons-order-paper-statements-paste.txt").read_text(encoding="utf-8")
    page = page.replace("Until 2.30pm", "Not later than 2 pm").replace("Until 3.00pm", "until 3 pm")
    items = import_bytes(page.encode(), "order.txt").spec.items
    assert [item.minutes for item in items] == [None, None, None, 60]


def test_an_adjournment_debate_is_named_by_its_subject() -> None:
    page = (CORPUS / "commons-order-paper-paste.txt").read_text(encoding="utf-8")
    older = page.replace(
        "Flood defences in the Ouse valley: Ruth Moss",
        "Proposed subject: Flood defences in the Ouse valley (Ruth Moss)",
    )
    for text in (page, older):
        debate = import_bytes(text.encode(), "order.txt").spec.items[-1]
        assert (debate.title, debate.presenters) == (
            "Adjournment Debate: Flood defences in the Ouse valley",
            ["Ruth Moss"],
        )


def test_an_order_papers_oral_questions_are_their_stages_notes_without_doubt() -> None:
    pasted = imported("commons-order-paper-paste.txt")  # "1Anna Field (Northport)" / question
    assert not [doubt for doubt in pasted.doubts if "(Northport)" in doubt or "What " in doubt]
    questions = by_title(pasted, "Oral Questions to the Secretary of State for Transport")
    assert questions.annotation is not None and questions.annotation.count("\n\n") == 5
    table = CORPUS / "table" / "h34e"
    for name in ("commons-order-paper-questions.txt", "commons-order-paper-numbered-questions.txt"):
        result = import_document(str(table / name))
        assert not [doubt for doubt in result.doubts if "(Lowbridge)" in doubt]
        topical = result.spec.items[2]
        assert topical.title.startswith("Topical Questions to the Secretary of State")
        assert topical.annotation is not None
        assert topical.annotation.startswith(("T1 Ben Lee (Southby)", "T1. Mr David Amess"))
        assert [item.number for item in result.spec.items if item.number] == ["1.", "2."]


def test_an_order_papers_questions_printed_over_four_lines_are_its_stages_notes() -> None:
    """The web page of 2013 prints each question over four lines: its number, the Member, the
    seat in brackets, the question ("1" / "Jane Smith" / "(Northtown)" / "What ... (900943)").
    They are the questions under their stage, not items titled by the Member."""
    result = imported("commons-order-paper-2013-four-line-questions.txt")
    assert [item.title for item in result.spec.items] == [
        "Prayers",
        "Oral Questions to the Secretary of State for Transport",
        "Topical Questions to the Secretary of State for Transport",
        "URGENT QUESTIONS AND STATEMENTS",
        "Backbench Business: General Debate on the contribution of volunteers",
        "ADJOURNMENT DEBATE: Flood defences in the Ouse valley",
    ]
    oral, topical = result.spec.items[1:3]
    assert oral.annotation is not None and topical.annotation is not None
    assert oral.annotation.startswith(
        "1 Jane Smith (Northtown)\n\nWhat progress his Department has made"
    )
    assert topical.annotation.endswith("T2 Ben Ode (Southgate)\n\n(900961)")
    assert not [d for d in result.doubts if "(Northtown)" in d or "Jane Smith" in d]
    # some printed no seat: "1" / "Mark Tami" / "What ... (153883)", and "Q1" to the PM
    unseated = imported("commons-order-paper-2013-questions-without-seats.txt")
    assert [item.title for item in unseated.spec.items] == [
        "Prayers",
        "Oral Questions to the Secretary of State for Wales",
        "Oral Questions to the Prime Minister",
    ]
    wales, prime_minister = unseated.spec.items[1:]
    assert wales.annotation is not None and wales.annotation.count("\n\n") == 2
    assert wales.annotation.startswith("1 Mark Tami: What recent discussions he has had")
    assert prime_minister.annotation == (
        "Q1 Jane Smith: If he will list his official engagements for Wednesday 15 May. (153900)"
    )
    assert unseated.doubts == ["line 5: 'QUESTIONS' is a section heading - left out"]


def test_the_outcome_printed_under_a_council_item_is_its_note() -> None:
    result = import_document(str(CORPUS / "table" / "h34e" / "coreper-part1-outcomes.txt"))
    outcomes = {item.title: item.annotation for item in result.spec.items}
    assert outcomes["Regulation on the European Innovation Act (First reading)"] == (
        "Analysis of the final compromise text with a view to agreement"
    )
    assert [sub.annotation for sub in result.spec.items[2].items] == [
        "General approach",
        "Approval",
        "Endorsement of the draft Council conclusions",
    ]
    # undashed right above the next item, it is no section heading, nor in doubt
    page = (
        "PROVISIONAL AGENDA\n\n1.\nAdoption of the agenda\n\n2.\nRegulation on soil monitoring\n"
        "General approach\n\n3.\nConclusions on water resilience\nPolicy debate\n\n"
        "4.\nAny other business\n"
    )
    council = import_bytes(page.encode(), "coreper.txt")
    assert [item.annotation for item in council.spec.items] == [
        None,
        "General approach",
        "Policy debate",
        None,
    ]
    assert not [doubt for doubt in council.doubts if "approach" in doubt or "debate" in doubt]
    # a board's minutes to approve, dashed under an item, stay its sub-items
    board = "Agenda\n\n1. Opening\n2. Consent items\n   - Approval of the minutes\n   - Approval of the budget\n"
    consent = import_bytes(board.encode(), "board.txt").spec.items[1]
    assert [sub.title for sub in consent.items] == [
        "Approval of the minutes",
        "Approval of the budget",
    ]


def test_a_un_agendas_proposed_organization_of_work_is_a_heading() -> None:
    table = CORPUS / "table" / "h34e"
    # the annex after the annotations: a timetable of the items, not more of the last one
    annexed = import_document(str(table / "un-annotations-organization-of-work-annex.txt"))
    assert annexed.spec.items[-1].annotation == (
        "The Working Group will adopt a report on its meeting."
    )
    assert "line 44: 'Proposed organization of work' and what follows are not read" in (
        annexed.doubts
    )
    # the agenda's own heading, after a note's numbered paragraphs and above the first day
    headed = import_document(str(table / "un-agenda-and-organization-of-work.txt"))
    assert [item.annotation for item in headed.spec.items] == [None] * 7
    assert not [doubt for doubt in headed.doubts if "organization of work' " in doubt]
    assert [item.title for item in headed.spec.items][1] == (
        "Adoption of the agenda and organization of work"
    )


def test_a_council_document_numbered_below_10000_is_no_page_number() -> None:
    # the Council's numbers run from 1/25 each year: "9044/25" alone on its line is the
    # document of the item above, not page 9044 of 25
    page = (CORPUS / "table" / "h34e" / "coreper-part1-outcomes.txt").read_text(encoding="utf-8")
    page = page.replace("10044/25", "9044/25").replace("10312/25", "9312/25")
    result = import_bytes(page.encode(), "coreper.txt")
    assert result.spec.items[2].items[0].documents == ["9044/25"]
    assert result.spec.meeting.symbol == "9312/25"
    alone = (CORPUS / "table" / "h16" / "coreper-number-alone.txt").read_text(encoding="utf-8")
    alone = alone.replace("14601/25", "4601/25")
    assert import_bytes(alone.encode(), "c.txt").spec.items[1].documents == ["4601/25"]
    pages = "Agenda\n\n1. Opening\n\n2/3\n\n2. Closure\nPage 3 of 3\n"
    assert [i.annotation for i in import_bytes(pages.encode(), "p.txt").spec.items] == [None, None]


def test_a_start_time_gives_no_duration_across_items_without_one() -> None:
    # "2:00 pm Time for Reflection" is followed by six stages before "5:00 pm Decision Time"
    bulletin = imported("scottish-business-bulletin-paste.txt").spec.items
    assert [item.minutes for item in bulletin] == [None] * len(bulletin)
    # "11.30am Prayers", then the oral questions, then "At 12.30pm" the statements
    order_paper = imported("commons-order-paper-paste.txt").spec.items
    assert (order_paper[0].title, order_paper[0].minutes) == ("Prayers", None)
    programme = import_bytes(b"Programme\n\n09:00 Opening\n10:00 Keynote\n11:00 Panel\n", "p.txt")
    assert [item.minutes for item in programme.spec.items] == [60, 60, None]


def test_a_pasted_title_ending_in_its_file_leaves_the_page_a_paste() -> None:
    # the longest line, item 3's title, ends in "pdf icon PDF 312 KB", not a full stop: it
    # was not wrapped there, so "Minutes:" under it is a paragraph of its own
    result = imported("council-moderngov-attachments.txt")
    minutes = result.spec.items[2].annotation
    assert minutes is not None
    assert minutes.split("\n\n")[:2] == [
        "Minutes:",
        "The minutes of the meeting of the Council held on 15th July 2026 were submitted.",
    ]


def test_a_council_page_headed_name_dash_date_is_titled_by_the_name() -> None:
    result = imported("council-moderngov-attachments.txt")
    meeting = result.spec.meeting
    assert (meeting.title, meeting.dates) == ("Council", [dt.date(2026, 8, 5)])
    page = (CORPUS / "council-web-agenda-paste.txt").read_text()
    page = page.replace(
        "Cabinet\nWednesday, 11th February, 2026 10.00 am\n",
        "Cabinet - Wednesday, 11th February, 2026 10.00 am\n",
    )
    assert import_bytes(page.encode(), "cabinet.txt").spec.meeting.title == "Cabinet"


# -- a board's agenda numbering its sub-items 1.A., 1.B. -------------------------------------


def test_sub_items_lettered_after_their_items_number_nest_under_it() -> None:
    result = imported("board-lettered-subitems-paste.txt")
    agenda = Agenda(result.spec)
    assert [(node.label, node.depth) for node in agenda] == [
        ("1.", 0),
        ("1.A.", 1),
        ("1.B.", 1),
        ("1.C.", 1),
        ("2.", 0),
        ("3.", 0),
        ("3.A.", 1),
        ("4.", 0),
        ("4.A.", 1),
        ("4.B.", 1),
        ("5.", 0),
        ("5.A.", 1),
        ("5.B.", 1),
        ("6.", 0),
    ]
    assert result.spec.items[0].items[0].title == "Call to Order"
    assert result.doubts == []


def test_a_page_headed_date_dash_name_is_titled_by_the_name() -> None:
    result = imported("board-workshop-dated-title.txt")
    meeting = result.spec.meeting
    assert (meeting.title, meeting.dates) == (
        "Board Meeting Structure Workshop",
        [dt.date(2023, 10, 18)],
    )
    assert [(s.date, s.start) for s in result.spec.sittings] == [(dt.date(2023, 10, 18), "18:00")]
    assert [item.number for item in result.spec.items[0].items] == ["1.A.", "1.B."]


def test_names_listed_under_an_items_colon_are_its_sub_items() -> None:
    result = imported("council-reports-listed-under-colon.txt")
    reports = by_title(result, "Reports of standing committees")
    assert [(item.number, item.title) for item in reports.items] == [
        (None, "Budget"),
        (None, "Finance"),
        (None, "Tax Compliance/Appeal"),
        (None, "Municipal Development"),
        (None, "Safety"),  # once left out as a section heading above item 8
    ]
    assert [item.number for item in result.spec.items][-3:] == ["8.", "9.", "10."]
    assert result.doubts == []


def test_the_eu_councils_dashed_procedure_lines_are_notes_not_sub_items() -> None:
    result = imported("eu-council-indicative-agenda.txt")
    agenda = Agenda(result.spec)
    assert [node.label for node in agenda] == ["1.", "1a)", "1b)", "1c)", "1d)", "2.", "3."]
    spring = result.spec.items[0].items
    assert [item.annotation for item in spring] == [
        "Adoption\n\nPolicy debate on employment situation in the EU",
        None,
        "Adoption",
        "(poss.) General approach",
    ]
    assert result.spec.items[1].annotation == "Progress report"


def test_sub_items_printed_with_their_items_number_nest_under_it() -> None:
    result = imported("unfccc-numbered-letter-subitems.txt")
    agenda = Agenda(result.spec)
    assert [(node.label, node.depth) for node in agenda] == [
        ("1.", 0),
        ("2.", 0),
        ("2 (a).", 1),
        ("2 (b).", 1),
        ("2 (c).", 1),
        ("3.", 0),
        ("4.", 0),
    ]
    assert result.spec.items[1].annotation is None
    assert result.spec.items[1].items[0].title == "Adoption of the agenda"


CCPCJ_QUOTED_THEME = """\
United Nations                                                    E/CN.15/2024/1
Economic and Social Council                                       Distr.: General

Commission on Crime Prevention and Criminal Justice
Thirty-third session
Vienna, 13-17 May 2024

Provisional agenda

1.      Election of officers.
2.      Thematic discussion on the theme "Promoting the rule of law through
        crime prevention and criminal justice".
3.      Preparations for the Fifteenth Congress (resolutions 76/181 and 77/232).
4.      Other business.

Annotations

2.      Thematic discussion on the theme "Promoting the rule of law through crime
        prevention and criminal justice"

        In its resolution 2023/19, the Council decided the theme of the thematic discussion.

3.      Preparations for the Fifteenth Congress (resolutions 76/181 and 77/232)

        The Commission will have before it a report of the Secretariat (E/CN.15/2024/5).
"""


def test_a_title_ending_in_a_quote_or_a_bracket_keeps_it_out_of_its_annotation() -> None:
    # folding compares letters and digits only: the closing quote of the repeated title was
    # left over as the first character of the annotation
    spec = import_bytes(CCPCJ_QUOTED_THEME.encode(), "agenda.txt", "text").spec
    assert [item.annotation for item in spec.items] == [
        None,
        "In its resolution 2023/19, the Council decided the theme of the thematic discussion.",
        "The Commission will have before it a report of the Secretariat (E/CN.15/2024/5).",
        None,
    ]


def test_an_annotation_heading_cut_short_is_its_items_heading_in_text_too() -> None:
    text = (
        "Commission on Narcotic Drugs\nSixty-sixth session\nVienna, 13-17 March 2023\n\n"
        "Provisional agenda\n\n1.      Election of officers.\n"
        "2.      Adoption of the agenda and other organizational matters.\n"
        "3.      Other business.\n\nAnnotations\n\n"
        "2.      Adoption of the agenda\n\n"
        "        The Council approved the provisional agenda in its decision 2022/338.\n\n"
        "3.      Other business\n\n        None.\n"
    )
    result = import_bytes(text.encode(), "agenda.txt", "text")
    assert [item.annotation for item in result.spec.items] == [
        None,
        "The Council approved the provisional agenda in its decision 2022/338.",
        "None.",
    ]
    assert result.doubts == []


def test_the_footnote_under_the_list_of_items_does_not_end_the_agenda() -> None:
    # "____" / "* E/CN.7/2023/1." at the foot of page 1, with no page break left in the text:
    # the annotations under it were not read; a page break inside an annotation leaves its
    # furniture (job number, running header, "2/4") out of it
    result = imported("un-cnd-footnote-under-the-list.txt")
    agenda = Agenda(result.spec)
    assert [node.label for node in agenda] == [
        *("1.", "2.", "3.", "4.", "4(a)", "4(b)", "5.", "6.", "7."),
    ]
    annotated = {node.label: node.annotation for node in agenda if node.annotation}
    assert list(annotated) == ["1.", "2.", "3.", "4(a)", "4(b)", "7."]
    assert (annotated["3."] or "").endswith(
        "and that the speakers would be requested to keep their statements to five minutes."
    )
    assert by_title(result, "Changes in the scope of control of substances").documents == [
        "E/CN.7/2023/3"
    ]
    everything = dump_agenda(result.spec)
    for furniture in ("____", "* E/CN.7", "V.23-01234", "2301234", "2/4"):
        assert furniture not in everything
    assert result.doubts == []


def test_items_numbered_without_dots_after_a_footnote_are_items_not_notes() -> None:
    # an IMO agenda's first page ends with its footnote; "3  Consideration ..." after note 1
    # does not count on from it, so it is the list again
    text = (
        "MARINE ENVIRONMENT PROTECTION COMMITTEE\n80th session\n"
        "Agenda item 1                                        MEPC 80/1\n\n"
        "PROVISIONAL AGENDA FOR THE EIGHTIETH SESSION*\n\n"
        "1       Adoption of the agenda\n\n2       Decisions of other bodies\n\n"
        "_____________\n1 Documents are listed in the annotations.\n\n"
        "3       Consideration of amendments to mandatory instruments\n\n"
        "4       Any other business\n"
    )
    result = import_bytes(text.encode(), "agenda.txt", "text")
    assert [item.title for item in result.spec.items] == [
        "Adoption of the agenda",
        "Decisions of other bodies",
        "Consideration of amendments to mandatory instruments",
        "Any other business",
    ]
    assert "listed in the annotations" not in dump_agenda(result.spec)
