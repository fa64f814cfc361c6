"""The forms real agendas are written in, one at a time: numbering, timing, presenters, doubts."""

from __future__ import annotations

import datetime as dt
import string
import textwrap

import pytest

from sessiontui.core.agenda import Agenda, AgendaFile, ItemSpec
from sessiontui.core.agenda_toml import dump_agenda, parse_agenda
from sessiontui.importers import ImportFailure, ImportResult, import_bytes
from sessiontui.importers.classify import (
    find_documents,
    parse_dates,
    parse_number,
    parse_time_prefix,
    take_duration,
    take_extras,
)


def read(text: str, name: str = "agenda.txt") -> ImportResult:
    result = import_bytes(textwrap.dedent(text).encode("utf-8"), name)
    assert parse_agenda(dump_agenda(result.spec).encode(), name) == result.spec
    return result


def doubts(result: ImportResult) -> list[str]:
    """The doubts, without the missing meeting title of the short examples here."""
    return [d for d in result.doubts if not d.startswith("title:")]


def labels(spec: AgendaFile) -> list[str]:
    return [node.label for node in Agenda(spec)]


def titles(spec: AgendaFile) -> list[str]:
    return [node.title for node in Agenda(spec)]


def flat(items: list[ItemSpec]) -> list[ItemSpec]:
    out: list[ItemSpec] = []
    for item in items:
        out.append(item)
        out.extend(flat(item.items))
    return out


# -- numbering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "printed", "kinds"),
    [
        ("1. Opening", "1.", {"arabic"}),
        ("1) Opening", "1)", {"arabic"}),
        ("(a) Status", "(a)", {"lower"}),
        ("a) Status", "a)", {"lower"}),
        ("(i) First", "(i)", {"lower", "rlower"}),
        ("(ii) Second", "(ii)", {"lower", "rlower"}),
        ("(IV) Fourth", "(IV)", {"rupper"}),
        ("11.2 Sub-item", "11.2", {"dotted"}),
        ("3.1.4 Deep", "3.1.4", {"dotted"}),
        ("A. Section", "A.", {"upper"}),
        ("AA. After Z", "AA.", {"upper"}),
        ("Item 4: Budget", "Item 4", {"item"}),
        ("Agenda item 68 Rights of children", "Agenda item 68", {"item"}),
        ("4 bis Follow-up", "4 bis", {"arabic"}),
        ("4 ter. Other", "4 ter.", {"arabic"}),
    ],
)
def test_numbers_are_read_as_printed(line: str, printed: str, kinds: set[str]) -> None:
    parsed = parse_number(line)
    assert parsed is not None
    readings, rest = parsed
    assert {r.text for r in readings} == {printed}
    assert {r.kind for r in readings} == kinds
    assert rest and rest[0].isalpha()


@pytest.mark.parametrize(
    "line", ["2021. A year", "etc. and so on", "e.g. this", "Mr. Smith", "mix. x"]
)
def test_words_and_years_are_not_numbers(line: str) -> None:
    assert parse_number(line) is None


def test_parenthesised_and_closing_forms_nest_in_four_levels() -> None:
    spec = read(
        """
        Agenda
        1) Reports
           a) Annual report
              (i) Finances
                 A. Income
                 B. Expenditure
              (ii) Activities
           b) Auditors' report
        2) Closing
        """
    ).spec
    assert labels(spec) == [
        "1)", "1)a)", "1)a)(i)", "1)a)(i)A.", "1)a)(i)B.", "1)a)(ii)", "1)b)", "2)",
    ]  # fmt: skip


def test_upper_roman_numerals_in_parentheses() -> None:
    spec = read("Agenda\n(I) Opening\n(II) Debate\n(III) Closing\n").spec
    assert labels(spec) == ["(I)", "(II)", "(III)"]


def test_letters_run_past_z_to_aa() -> None:
    lines = [f"{c}. Topic {c}" for c in string.ascii_uppercase] + ["AA. Topic AA", "BB. Topic BB"]
    spec = read("Programme\n" + "\n".join(lines)).spec
    assert [i.number for i in spec.items] == [
        *(f"{c}." for c in string.ascii_uppercase),
        "AA.",
        "BB.",
    ]
    assert spec.items[8].number == "I."  # the letter after H, not roman one


def test_item_numbers_of_an_order_of_the_day_may_jump() -> None:
    result = read(
        """
        Order of the day
        Item 4: Election of officers
        Item 7: Report of the Credentials Committee
        Item 68: Promotion and protection of the rights of children
        """
    )
    assert [i.number for i in result.spec.items] == ["Item 4", "Item 7", "Item 68"]
    assert result.spec.items[0].title == "Election of officers"
    assert doubts(result) == []


def test_bis_and_ter_items_sit_between_their_neighbours() -> None:
    spec = read(
        """
        Provisional agenda
        4. Technical assistance.
        4 bis. Financial and budgetary matters.
        4 ter. Staffing.
        5. Other matters.
        """
    ).spec
    assert labels(spec) == ["4.", "4 bis.", "4 ter.", "5."]


def test_a_skipped_letter_is_a_doubt_kept_as_written() -> None:
    result = read(
        """
        Agenda

        1. Opening
           (a) First
           (b) Second
           (d) Fourth
           (f) Sixth
        2. Closing
        """
    )
    assert labels(result.spec) == ["1.", "1(a)", "1(b)", "1(d)", "1(f)", "2."]
    assert doubts(result) == [
        "line 7: '(d)' follows '(b)' - kept as written",
        "line 8: '(f)' follows '(d)' - kept as written",
    ]


def test_i_after_h_is_a_letter_unless_ii_follows() -> None:
    letters = read("Agenda\n" + "\n".join(f"({c}) Topic {c}" for c in "abcdefghij") + "\n").spec
    assert [i.number for i in letters.items] == [f"({c})" for c in "abcdefghij"]
    roman = read(
        """
        Agenda
        (g) Topic g
        (h) Topic h
        (i) First part of h
        (ii) Second part of h
        (j) Topic j
        """
    )
    assert labels(roman.spec) == ["(g)", "(h)", "(h)(i)", "(h)(ii)", "(j)"]
    assert doubts(roman) == [
        "line 3: the agenda starts at '(g)'",
        "line 5: '(i)' read as roman numeral one under (h)",
        "line 7: '(j)' follows '(h)' - kept as written",  # no letter (i) after all
    ]


def test_indentation_settles_i_after_h() -> None:
    spec = read(
        """
        Agenda
        (g) Topic g
        (h) Topic h
            (i) First part of h
        (i) Topic i
        """
    ).spec
    assert labels(spec) == ["(g)", "(h)", "(h)(i)", "(i)"]


def test_wrapped_sub_item_titles_are_joined() -> None:
    spec = read(
        """
        Provisional agenda

        1. Organizational matters:
           (a) Adoption of the agenda and organization of work, including the
               schedule of the informal consultations on the draft
               political declaration;
           (b) Other organizational matters.
        """
    ).spec
    assert titles(spec)[1] == (
        "Adoption of the agenda and organization of work, including the schedule of the "
        "informal consultations on the draft political declaration"
    )
    assert titles(spec)[2] == "Other organizational matters"


def test_numbered_paragraphs_of_an_introduction_are_not_items() -> None:
    prose = read(
        """
        Meeting of the Working Group on Asset Recovery

        1. In its resolution 8/9, the Conference decided that the Working Group should continue its work. The Group met in Vienna on several occasions since then.
        2. The present document contains the provisional agenda of the meeting. It was prepared by the Secretariat in consultation with the Chair.

        1. Opening of the meeting
        2. Adoption of the agenda
        3. Closure of the meeting
        """
    )
    assert titles(prose.spec) == [
        "Opening of the meeting",
        "Adoption of the agenda",
        "Closure of the meeting",
    ]
    # the paragraphs are named as left out, with their lines
    [unplaced] = prose.doubts
    assert unplaced.startswith("lines 4-5: in no item, annotation or meeting field - left out")
    sentences = read(
        """
        Meeting of the Working Group on Asset Recovery

        1. The meeting will be held in Vienna.
        2. Documents are available online.

        1. Opening of the meeting
        2. Closure of the meeting
        """
    )
    assert titles(sentences.spec) == ["Opening of the meeting", "Closure of the meeting"]
    assert sentences.doubts == [
        "line 4: numbered paragraphs before the agenda (to line 5) are not items"
    ]


def test_a_number_that_continues_no_series_is_text() -> None:
    result = read(
        """
        Agenda
        1. Opening
        2. Reports
        12. The report was adopted in 2019 and is available on the website of the Federation, as the previous ones. It will not be discussed again.
        3. Closing
        """
    )
    assert labels(result.spec) == ["1.", "2.", "3."]
    assert result.spec.items[1].annotation is not None
    assert result.spec.items[1].annotation.startswith("12. The report was adopted")


def test_lettered_headings_between_items_numbered_on_are_sections() -> None:
    result = read(
        """
        Agenda
        1. Opening
        2. Reports
        A. Matters for decision
        3. Budget
        B. Matters for information
        4. Any other business
        """
    )
    assert labels(result.spec) == ["1.", "2.", "3.", "4."]
    assert doubts(result) == [
        "line 5: 'A. Matters for decision' is a section heading - left out",
        "line 7: 'B. Matters for information' is a section heading - left out",
    ]


def test_the_first_part_heading_is_a_section_heading_too() -> None:
    result = read(
        """
        Board of the Authority

        AGENDA

        PART I. PROCEDURAL MATTERS

        1. Opening
        2. Adoption of the agenda

        PART II. ITEMS FOR DECISION

        3. Budget
        """
    )
    assert labels(result.spec) == ["1.", "2.", "3."]
    assert doubts(result) == [
        "line 6: 'PART I. PROCEDURAL MATTERS' is a section heading - left out",
        "line 11: 'PART II. ITEMS FOR DECISION' is a section heading - left out",
    ]


@pytest.mark.parametrize(
    ("above", "heading"),
    [
        ("Opening of the session", "PROVISIONAL AGENDA"),  # an IMO agenda
        ("Opening of the session.", "Provisional agenda"),  # as a web page copies it
        ("Call to Order", "AGENDA"),  # a council's order of business
        ("Ouverture de la session", "Ordre du jour provisoire"),
        ("Call to Order", None),  # no agenda heading: not the meeting's title either
    ],
)
def test_a_procedural_step_above_the_first_item_is_an_item(above: str, heading: str | None) -> None:
    """The meeting's opening printed without a number above item 1 is the meeting's first
    item (unnumbered, at the top level, the numbered items its siblings), not a section
    heading left out nor a line of the title."""
    lines = ["Board of the Authority", "Meeting of 12 May 2026", ""]
    lines += [heading, ""] if heading else []
    lines += [above, "", "1   Adoption of the agenda", "", "2   Budget", "    (a) Income"]
    result = read("\n".join(lines))
    spec = result.spec
    assert [(item.number, item.title) for item in spec.items] == [
        ("", above.rstrip(".")),
        ("1", "Adoption of the agenda"),
        ("2", "Budget"),
    ]
    assert [sub.title for sub in spec.items[2].items] == ["Income"]
    assert spec.meeting.title == "Board of the Authority"
    assert doubts(result) == []


def test_a_heading_above_the_first_item_that_names_no_step_stays_a_section() -> None:
    """Only a step of the meeting's procedure is an item: "Procedural matters" heads a part
    of the agenda, and "Opening of the session:" announces what follows."""
    for above in ("Procedural matters", "Opening of the session:"):
        result = read(f"Board\n\nAGENDA\n\n{above}\n\n1. Adoption of the agenda\n2. Budget\n")
        assert [item.number for item in result.spec.items] == ["1.", "2."]
        assert len(doubts(result)) == 1 and "line 5" in doubts(result)[0]


def test_column_heads_before_the_first_item_are_no_section_heading() -> None:
    result = read(
        """
        Board of the Authority

        AGENDA

        Item   Title                 Documents

        1.     Opening
        2.     Budget                B/1
        """
    )
    assert labels(result.spec) == ["1.", "2."]
    assert not any("section heading" in doubt for doubt in doubts(result))


def test_lettered_sub_items_before_the_next_number_stay_items() -> None:
    result = read(
        """
        Agenda
        1. Opening
        2. Reports of the committees
        A. Audit Committee
        B. Programme Committee
        3. Any other business
        """
    )
    assert labels(result.spec) == ["1.", "2.", "2A.", "2B.", "3."]
    assert doubts(result) == []


def test_an_agenda_without_items_is_refused() -> None:
    with pytest.raises(ImportFailure, match="no agenda items found"):
        read("Just a letter.\n\nDear colleagues, see you soon.\n")


# -- markdown ---------------------------------------------------------------------------------


def test_markdown_headings_are_items_and_lazy_lists_count_up() -> None:
    result = read(
        """
        # Board retreat

        ## Opening

        ## Strategy

        1. Vision
        1. Priorities
        1. Risks

        ## Budget
        - Forecast
        - Reserves

        Setext heading
        --------------
        """,
        "retreat.md",
    )
    assert result.spec.meeting.title == "Board retreat"
    # the loader joins an automatic "2" and a printed "1." into "2.1." (the boundary kept);
    # the list's own "2." under item 2 is its second sub-item, 2.2., as printed
    assert labels(result.spec) == ["1", "2", "2.1.", "2.2.", "2.3.", "3", "3(a)", "3(b)", "4"]
    assert [i.number for i in result.spec.items[1].items] == ["1.", "2.", "3."]
    assert result.doubts == []
    assert titles(result.spec)[-1] == "Setext heading"


def test_markdown_list_numbers_are_the_rendered_ones() -> None:
    result = read("# Meeting\n\n1. Opening\n2. Reports\n5. Closing\n", "m.md")
    assert [i.number for i in result.spec.items] == ["1.", "2.", "3."]
    assert result.doubts == ["line 5: '5.' shows as 3. in Markdown - numbered as shown"]


def test_markdown_table_with_a_topic_column() -> None:
    spec = read(
        """
        # Sprint review

        | # | Topic | Owner | Timebox |
        |---|-------|-------|---------|
        | 1 | Demo of the **new** search | [Ana Ruiz](mailto:ana@example.org) | 20 min |
        | 2 | Metrics | Ben Ode | 10m |
        | 3 | Retrospective | | 30 minutes |
        """,
        "review.md",
    ).spec
    assert [(i.number, i.title, i.presenters, i.minutes) for i in spec.items] == [
        ("1", "Demo of the new search", ["Ana Ruiz"], 20),
        ("2", "Metrics", ["Ben Ode"], 10),
        ("3", "Retrospective", [], 30),
    ]


def test_markdown_is_recognised_by_content_without_a_suffix() -> None:
    result = read("# Meeting\n\n## Opening\n\n- Welcome\n- Agenda\n", "agenda")
    assert result.format == "markdown"


# -- timing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start", "end", "rest"),
    [
        ("9:30am - Welcome", "09:30", None, "Welcome"),
        ("10.00-13.00 Plenary", "10:00", "13:00", "Plenary"),
        ("15:00", "15:00", None, ""),
        ("2.30 pm Prayers", "14:30", None, "Prayers"),
        ("12 noon Questions", "12:00", None, "Questions"),
        ("10 a.m.-1 p.m. Morning meeting", "10:00", "13:00", "Morning meeting"),
        ("9h30 Ouverture", "09:30", None, "Ouverture"),
    ],
)
def test_clock_times_and_slots(line: str, start: str, end: str | None, rest: str) -> None:
    parsed = parse_time_prefix(line)
    assert parsed is not None
    assert parsed.start.hhmm == start
    assert (parsed.end.hhmm if parsed.end else None) == end
    assert parsed.rest == rest


@pytest.mark.parametrize(
    ("title", "minutes", "rest"),
    [
        ("Welcome (15m)", 15, "Welcome"),
        ("Review 20 min", 20, "Review"),
        ("Deep dive - 75 minutes", 75, "Deep dive"),
        ("Workshop 1h30", 90, "Workshop"),
        ("Workshop (1 h 30 min)", 90, "Workshop"),
        ("Budget 2021", None, "Budget 2021"),
    ],
)
def test_durations(title: str, minutes: int | None, rest: str) -> None:
    assert take_duration(title) == (minutes, rest)


def test_a_timed_text_agenda_with_days_parts_and_breaks() -> None:
    result = read(
        """
        Expert group meeting on statistics
        Geneva, 19-20 November 2020

        Programme

        Day 1
        Morning
        9:30am - Opening of the meeting (15m)
        9:45am - Adoption of the agenda
        10:30am - Coffee break
        10:45am - National experiences - Dr. Ana Ruiz, Chair (75 minutes)
        12:00
        Lunch

        Friday 20 November
        10.00-11.30 Working group reports (CAC/COSP/2020/1, A/HRC/35/L.12)
        11.30-12.00 Closure (FCCC/SBI/2014/9)
        """
    )
    spec = result.spec
    rows = [(i.title, i.starts_at, i.minutes, i.kind) for i in spec.items]
    assert rows == [
        ("Opening of the meeting", "09:30", 15, "item"),
        ("Adoption of the agenda", "09:45", 45, "item"),
        ("Coffee break", "10:30", 15, "break"),
        ("National experiences", "10:45", 75, "item"),
        ("Lunch", "12:00", None, "break"),
        ("Working group reports", "10:00", 90, "item"),
        ("Closure", "11:30", 30, "item"),
    ]
    assert spec.items[3].presenters == ["Dr. Ana Ruiz, Chair"]
    assert spec.items[5].documents == ["CAC/COSP/2020/1", "A/HRC/35/L.12"]
    assert spec.items[6].documents == ["FCCC/SBI/2014/9"]
    assert [(s.label, s.date, s.start, s.end) for s in spec.sittings] == [
        ("Day 1, Morning", dt.date(2020, 11, 19), "09:30", "12:00"),
        ("Friday 20 November", dt.date(2020, 11, 20), "10:00", "12:00"),
    ]
    assert [i.sitting for i in spec.items] == [spec.sittings[0].id] * 5 + [spec.sittings[1].id] * 2


def test_days_without_known_dates_are_doubts_not_sittings() -> None:
    result = read(
        """
        Workshop

        Agenda
        Thursday 19 November
        10:00 Opening
        11:00 Closing
        """
    )
    assert result.spec.sittings == []
    assert result.doubts == [
        "line 5: 'Thursday 19 November' gives no year - no sitting recorded for it",
        "line 5: 'Thursday 19 November': date unknown - no sitting recorded",
    ]
    assert [i.starts_at for i in result.spec.items] == ["10:00", "11:00"]


def test_a_weekday_that_does_not_match_the_date_is_a_doubt() -> None:
    result = read("Meeting\n2020\n\nAgenda\nWednesday 19 November 2020\n10:00 Opening\n12:00 End\n")
    assert "line 5: 'Wednesday 19 November 2020': 2020-11-19 is a Thursday - date kept" in (
        result.doubts
    )


def test_afternoon_times_without_pm_are_a_doubt() -> None:
    result = read("Order paper\n11.30am Prayers\n12 noon Questions\n2.30 Debate\n")
    assert [i.starts_at for i in result.spec.items] == ["11:30", "12:00", "14:30"]
    assert doubts(result) == ["line 4: 14:30 read as afternoon (no am/pm)"]


def test_a_dotted_time_is_a_number_only_when_it_continues_a_series() -> None:
    result = read("Agenda\n9.8 Eighth\n9.9 Ninth\n9.10 Tenth\n9.45 Later\n")
    rows = [(i.number, i.starts_at) for i in result.spec.items]
    assert rows == [("9.8", None), ("9.9", None), ("9.10", None), ("", "09:45")]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("19-20 November 2020", dt.date(2020, 11, 19), dt.date(2020, 11, 20)),
        ("30 November–2 December 2021", dt.date(2021, 11, 30), dt.date(2021, 12, 2)),
        ("November 19-20, 2020", dt.date(2020, 11, 19), dt.date(2020, 11, 20)),
        ("Monday, 3 March 2026", dt.date(2026, 3, 3), dt.date(2026, 3, 3)),
        ("2020-11-19", dt.date(2020, 11, 19), dt.date(2020, 11, 19)),
        ("28 December 2020 - 3 January 2021", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),
    ],
)
def test_meeting_dates(text: str, first: dt.date, last: dt.date) -> None:
    span = parse_dates(text)
    assert span is not None and span.year_known
    assert (span.dates[0], span.dates[-1]) == (first, last)


# -- presenters and documents -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "rest", "presenters"),
    [
        ("Opening remarks (Chair)", "Opening remarks", ["Chair"]),
        ("Incident review - Ben Ode", "Incident review", ["Ben Ode"]),
        ("Panel – Ana Ruiz and Ben Ode", "Panel", ["Ana Ruiz", "Ben Ode"]),
        ("Urgent questions (if any)", "Urgent questions (if any)", None),
        ("Budget (continued)", "Budget (continued)", None),
        ("Thematic discussion – international cooperation", None, None),
    ],
)
def test_presenters_in_parentheses_or_after_a_dash(
    title: str, rest: str | None, presenters: list[str] | None
) -> None:
    words, extras = take_extras(title)
    assert words == (rest or title)
    assert extras.presenters == presenters


def test_document_symbols() -> None:
    text = "See CAC/COSP/2020/1, A/HRC/35/L.12 and FCCC/SBI/2014/9. Not TCP/IP/UDP or and/or."
    assert find_documents(text) == ["CAC/COSP/2020/1", "A/HRC/35/L.12", "FCCC/SBI/2014/9"]


def test_labelled_lines_under_an_item() -> None:
    spec = read(
        """
        Agenda
        1. Budget
        Documents: CAC/COSP/2020/7
        Presenter: Ana Ruiz
        Duration: 20 min
        2. Closing
        """
    ).spec
    budget = spec.items[0]
    assert (budget.documents, budget.presenters, budget.minutes) == (
        ["CAC/COSP/2020/7"],
        ["Ana Ruiz"],
        20,
    )


def test_the_body_beside_the_date_of_issue_is_not_the_venue() -> None:
    # a UN cover in two columns: the left holds the body's name, the right "Distr.", the date
    # of issue and "Original:"; the line under the date of issue is no venue
    meeting = read(
        """
        United Nations                                            CTOC/COP/WG.3/2025/1
        Conference of the Parties to the                          Distr.: General
        United Nations Convention against                         12 February 2025
        Transnational Organized Crime                             Original: English

        Working Group on the Smuggling of Migrants
        Vienna, 2-4 June 2025

        Provisional agenda
        1. Opening of the meeting.
        2. Adoption of the report.
        """
    ).spec.meeting
    assert meeting.title == "Working Group on the Smuggling of Migrants"
    assert meeting.venue == "Vienna"
    assert meeting.dates[0] == dt.date(2025, 6, 2)


@pytest.mark.parametrize("apart", ["", "\n"])
def test_the_body_in_the_masthead_above_a_session_line_apart(apart: str) -> None:
    # pdftotext writes "General Assembly" and "Distr.: General" on one line; the organ's name
    # stands apart from the session line (a blank line between them) or runs on into it
    text = f"""
        United Nations                        A/AC.289/2023/1
        General Assembly                      Distr.: General
                                              3 March 2023
                                              Original: English

        Ad Hoc Committee on Cybercrime{apart}
        Sixth session

        New York, 21 August-1 September 2023

        Provisional agenda
        1. Opening of the session.
        2. Adoption of the report.
        """
    result = read(text)
    meeting = result.spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.body, meeting.symbol) == (
        "Ad Hoc Committee on Cybercrime",
        "Sixth session",
        "General Assembly",
        "A/AC.289/2023/1",
    )
    assert not [d for d in result.doubts if "left out" in d]


COSP_BODY = "Conference of the States Parties to the United Nations Convention against Corruption"


@pytest.mark.parametrize(
    "body",
    [
        # the left column wraps under the right column's "Original: English"
        """
        United Nations                                         CAC/COSP/2021/1
              Conference of the States Parties to the          Distr.: General
              United Nations Convention against                27 September 2021
                                                               Original: English
              Corruption
        """,
        # wrapped otherwise, "Original: English" printed on the body's last line
        """
        United Nations                                         CAC/COSP/2021/1
              Conference of the States Parties                 Distr.: General
              to the United Nations                            27 September 2021
              Convention against Corruption                    Original: English
        """,
        # an extraction that kept one space before the right column
        """
        United Nations
        Conference of the States Parties   Distr.: General
        to the United Nations
        27 September 2021
        Convention against Corruption Original: English
        """,
    ],
)
@pytest.mark.parametrize(
    ("organ", "session"), [(None, "Ninth session"), ("Implementation Review Group", None)]
)
def test_the_body_wrapped_in_the_mastheads_left_column_comes_through_whole(
    body: str, organ: str | None, session: str | None
) -> None:
    """The convening body's name, wrapped over the masthead's left column beside "Distr.",
    the date of issue and "Original:", is read whole: as the title above a session line, as
    the body above the organ's name, with or without a session line."""
    lines = [*filter(None, [organ, session]), "Vienna, 13-17 December 2021", ""]
    lines += ["Provisional agenda", "1. Opening of the session.", "2. Technical assistance."]
    text = textwrap.dedent(body) + "\n" + "\n".join(lines) + "\n"
    result = import_bytes(text.encode(), "agenda.txt")
    meeting = result.spec.meeting
    if organ is None:
        assert (meeting.title, meeting.subtitle, meeting.body) == (COSP_BODY, session, None)
    else:
        assert (meeting.title, meeting.body) == (organ, COSP_BODY)
    assert meeting.dates[0] == dt.date(2021, 12, 13)
    assert not [d for d in result.doubts if "left out" in d]


@pytest.mark.parametrize("letter", list("ACEFRS"))
def test_a_language_letter_is_masthead_only_at_the_top(letter: str) -> None:
    """The letter of a document's edition ("E" above an IMO masthead, "R" or "C" on the
    Russian and Chinese ones) is masthead at the top of the document; alone further down it
    is text: never dropped unsaid (a room's letter under its name), never a page number (a
    section "C" of a list)."""
    top = read(
        f"""
                                                                    {letter}
        MARITIME SAFETY COMMITTEE                                   MSC 107/1
        107th session                                               2 December 2022

                                 PROVISIONAL AGENDA

        1        Adoption of the agenda
        2        Any other business
        """
    )
    assert top.spec.meeting.title == "MARITIME SAFETY COMMITTEE"
    assert doubts(top) == []
    below = read(
        f"""
        Board of the Authority
        Annual meeting
        Tuesday, 12 May 2026, 10 a.m.
        Conference Room
        {letter}

        AGENDA

        1. Reports of the sections:
           {letter}
           B
        2. Any other business
        """
    )
    assert f"line 6: in no item, annotation or meeting field - left out: {letter!r}" in doubts(
        below
    )
    assert [sub.title for sub in below.spec.items[0].items] == [letter, "B"]


def test_the_place_of_the_meetings_date_is_its_venue() -> None:
    # the line under a date taken first (the circular's) gives way to the place printed
    # with the meeting's own dates
    meeting = read(
        """
        Circular 4/2025
        12 February 2025
        Members' services
        General Assembly of Members
        Geneva, 2-4 June 2025

        Agenda
        1. Opening
        2. Closing
        """
    ).spec.meeting
    assert meeting.venue == "Geneva"
    assert meeting.dates[0] == dt.date(2025, 6, 2)


# -- annotations --------------------------------------------------------------------------------


def test_an_annotation_heading_with_another_title_is_a_doubt() -> None:
    result = read(
        """
        Agenda
        1. Opening
        2. Closing

        Annotations

        1. Opening

        The Chair opens the meeting.

        2. Something else entirely

        Text.
        """
    )
    assert result.spec.items[0].annotation == (
        "The Chair opens the meeting.\n\n2. Something else entirely\n\nText."
    )
    assert doubts(result) == [
        "line 12: '2. Something else entirely' in the annotations does not repeat the title of "
        "item 2. - kept as annotation text"
    ]


def test_annotations_without_a_heading_follow_a_repeated_agenda() -> None:
    spec = read(
        """
        Agenda
        1. Opening
        2. Closing

        1. Opening
        The Chair opens the meeting.
        2. Closing
        The Chair closes the meeting.
        """
    ).spec
    assert [i.annotation for i in spec.items] == [
        "The Chair opens the meeting.",
        "The Chair closes the meeting.",
    ]


@pytest.mark.parametrize("items", ["### ", ""])
def test_a_markdown_annotations_heading_after_a_listed_agenda(items: str) -> None:
    # the agenda a list under "## Provisional agenda", then "## Annotations" at the same level:
    # the annotations part, not the next section of the document
    result = read(
        f"""
        # Executive Board - Annual session 2025

        ## Provisional agenda
        1. Organizational matters
        2. Annual report of the Executive Director
           a. Progress on the strategic plan (DP/2025/12)
        3. Other matters

        ## Annotations
        {items}1. Organizational matters

        The Board will adopt the agenda.

        {items}2. Annual report of the Executive Director

        The Executive Director will present the report (DP/2025/11).

        ## Minutes of the last session
        Adopted without change.
        """,
        "board.md",
    )
    spec = result.spec
    assert [i.annotation for i in spec.items] == [
        "The Board will adopt the agenda.",
        "The Executive Director will present the report (DP/2025/11).",
        None,
    ]
    assert spec.items[1].documents == ["DP/2025/11"]
    # the next section of the document still ends the agenda
    assert any("'Minutes of the last session' and what follows" in d for d in result.doubts)


# -- text hygiene -------------------------------------------------------------------------------


def test_controls_bidi_overrides_and_other_scripts() -> None:
    spec = read(
        "Agenda\n1. Opening\u202e of the \x1b]52;c;aGk=\x07session\n2. افتتاح الدورة\n3. 会议开幕\n"
    ).spec
    assert titles(spec) == ["Opening of the session", "افتتاح الدورة", "会议开幕"]


def test_crlf_utf16_and_invalid_utf8() -> None:
    crlf = import_bytes(b"Agenda\r\n1. Opening\r\n2. Closing\r\n", "a.txt")
    assert titles(crlf.spec) == ["Opening", "Closing"]
    utf16 = import_bytes("Agenda\n1. Ouverture\n2. Clôture\n".encode("utf-16"), "a.txt")
    assert titles(utf16.spec) == ["Ouverture", "Clôture"]
    latin = import_bytes("Agenda\n1. Ouverture\n2. Clôture\n".encode("latin-1"), "a.txt")
    assert titles(latin.spec) == ["Ouverture", "Cl\ufffdture"]
    assert doubts(latin) == [
        "line 3: 1 byte(s) that are not UTF-8 were replaced by '\ufffd' (save the file as UTF-8)"
    ]


def test_hyphenated_line_breaks_are_mended() -> None:
    spec = read(
        """
        Agenda

        1.   Promotion of the co-
             facilitators' work and of eco-
             nomic rights in the Secretary-
             General's report
        """
    ).spec
    assert titles(spec) == [
        "Promotion of the co-facilitators' work and of economic rights in the "
        "Secretary-General's report"
    ]


def test_an_item_printed_twice_in_a_row_is_one_item() -> None:
    result = read("Meeting\n\nAgenda\n1. Opening\n2. Reports\n2. Reports\n3. Closing\n")
    assert labels(result.spec) == ["1.", "2.", "3."]
    assert result.doubts == ["line 6: '2.' repeats item 2. - taken as the same item"]


def test_a_programme_typed_in_columns() -> None:
    spec = read(
        "Workshop\n19 November 2020\n\nProgramme\n"
        "09:00\tWelcome\tAna Ruiz\t15 min\n"
        "09:15\tNational reports\tCAC/COSP/2020/3\n"
        "10:00\tCoffee break\n"
        "10:15   Panel on asset return   Ben Ode, Chen Li   1h\n"
    ).spec
    rows = [(i.title, i.starts_at, i.minutes, i.presenters, i.documents) for i in spec.items]
    assert rows == [
        ("Welcome", "09:00", 15, ["Ana Ruiz"], []),
        ("National reports", "09:15", 45, [], ["CAC/COSP/2020/3"]),
        ("Coffee break", "10:00", 15, [], []),
        ("Panel on asset return", "10:15", 60, ["Ben Ode", "Chen Li"], []),
    ]


def test_a_sentence_under_a_complete_title_is_a_note_not_more_title() -> None:
    # the title line ends in a presenter, a duration or an address: it is complete
    result = read(
        """\
        # Accessibility working group

        1. Caption timing requirements (20 min) -- L. Brandt
           See the background paper before the call.
        2. Draft charter https://example.org/charter
           Comments are due on Friday.
        3. Report of the Executive Director on the
           United Nations Office at Geneva
        """,
        "telecon.md",
    )
    first, second, third = result.spec.items
    assert (first.title, first.presenters, first.minutes) == (
        "Caption timing requirements",
        ["L. Brandt"],
        20,
    )
    assert first.annotation == "See the background paper before the call."
    assert second.title == "Draft charter"
    assert second.annotation == "Comments are due on Friday.\n\nhttps://example.org/charter"
    # a title wrapped before a capitalised word is still one title
    assert third.title == "Report of the Executive Director on the United Nations Office at Geneva"


def test_the_distribution_under_distr_on_its_own_line_is_no_body() -> None:
    # an older UN masthead, as its HTML edition is copied: "Distr." and "GENERAL" apart
    meeting = read(
        """
        Distr.

        GENERAL

        FCCC/SBSTA/1997/2

        10 January 1997

        Original: ENGLISH

        SUBSIDIARY BODY FOR SCIENTIFIC AND TECHNOLOGICAL ADVICE

        Fifth session

        Bonn, 25-28 February 1997

        PROVISIONAL AGENDA

        1. Opening of the session.
        2. Report on the session.
        """
    ).spec.meeting
    assert (meeting.title, meeting.subtitle, meeting.body, meeting.symbol) == (
        "SUBSIDIARY BODY FOR SCIENTIFIC AND TECHNOLOGICAL ADVICE",
        "Fifth session",
        None,
        "FCCC/SBSTA/1997/2",
    )


def test_a_paragraph_under_a_short_last_item_is_not_its_title() -> None:
    # a notice of an AGM pasted from a web page: one line a paragraph, no blank line after
    # the list; the line under the last item starts a paragraph its first word could not
    # have been wrapped from
    result = read(
        """
        NOTICE OF ANNUAL GENERAL MEETING

        The meeting will be held on 24 September 2025 at 16.00 for the following purposes:
        - to approve the minutes of the last Annual General Meeting
        - to receive the Annual Report and Accounts for the year ended 31 July 2025
        - to transact any other business of the Company
        A member entitled to attend and vote may appoint a proxy to attend and vote instead. A proxy need not be a member of the Company.
        """
    )
    assert titles(result.spec)[-1] == "to transact any other business of the Company"
    # a title wrapped at the margin still runs on, sentence or not
    wrapped = read(
        """
        Provisional agenda
        1. Opening of the session.
        2. Consideration of the report of the Working Group on the Implementation of the
           Convention on its fifth session. The report is before the Conference in English.
        3. Closure of the session.
        """
    )
    assert titles(wrapped.spec)[1] == (
        "Consideration of the report of the Working Group on the Implementation of the "
        "Convention on its fifth session. The report is before the Conference in English"
    )


def test_bullets_indented_under_a_bullet_are_its_sub_items() -> None:
    # a typed or pasted list: the consent agenda's entries indented under it, same marker
    spec = read(
        """
        Agenda

        - Call to Order
        - Consent Agenda
            - Approval of Payroll Claims
            - Renewal of Liquor Licenses
        - Adjournment
        """
    ).spec
    assert [item.title for item in spec.items] == ["Call to Order", "Consent Agenda", "Adjournment"]
    assert [item.title for item in spec.items[1].items] == [
        "Approval of Payroll Claims",
        "Renewal of Liquor Licenses",
    ]


def test_a_who_symbol_naming_its_edition_is_the_symbol() -> None:
    # WHO prints "EB156/1 (annotated)" in the masthead, as the running header and in the
    # Documents line
    result = read(
        """
        EXECUTIVE BOARD                                              EB158/1 (annotated)
        158th session                                                9 January 2026
        Geneva, 2-7 February 2026

                               Provisional agenda (annotated)

        1.   Opening of the session and adoption of the agenda

             Documents EB158/1 and EB158/1 (annotated)

        2.   Report by the Director-General
        """
    )
    meeting = result.spec.meeting
    assert (meeting.title, meeting.symbol) == ("EXECUTIVE BOARD", "EB158/1")
    assert result.spec.items[0].documents == ["EB158/1"]


def test_a_heading_at_the_margin_after_a_page_break_is_not_the_title_s() -> None:
    # pdftotext -layout: the sub-item's title ends at the page's foot, the next page opens
    # (after its number and running header) with a section heading at the margin
    spec = read(
        """
        EXECUTIVE BOARD                                                          EB158/1
        158th session                                                            9 January 2026

        Provisional agenda

        5.     Health emergencies

               5.1    Strengthening the global architecture for health emergency prevention,
                      preparedness, response and resilience

                                                                                     2
        EB158/1
        Pillar 3: One billion more people enjoying better health and well-being

        6.     Healthier populations
                                                                                     3
        EB158/1
        7.     Closure of the session
        """
    ).spec
    assert [item.title for item in flat_items(spec.items)] == [
        "Health emergencies",
        "Strengthening the global architecture for health emergency prevention, "
        "preparedness, response and resilience",
        "Healthier populations",
        "Closure of the session",
    ]


def flat_items(items: list[ItemSpec]) -> list[ItemSpec]:
    return [x for item in items for x in (item, *flat_items(item.items))]


def test_the_first_running_header_after_a_masthead_column_is_furniture() -> None:
    # the symbol stands in the masthead's right column, then at the head of every page
    spec = read(
        """
        EXECUTIVE BOARD                                                          EB158/1
        158th session                                                            9 January 2026

        Provisional agenda

        1.     Opening of the session and adoption of the agenda
        2.     Report by the Director-General
                                                                                     2
        EB158/1
        3.     Report of the Programme, Budget and Administration Committee
                                                                                     3
        EB158/1
        4.     Closure of the session
        """
    ).spec
    assert spec.meeting.symbol == "EB158/1"
    assert [(item.documents, item.annotation) for item in spec.items] == [([], None)] * 4


def test_a_short_sentence_with_a_footnote_number_is_a_note_not_a_heading() -> None:
    # the annotation's sentence ends at its stop, then the footnote's number ("(2019).1")
    spec = read(
        """
        Provisional agenda

        4.1    Primary health care

               The report describes progress on resolution WHA72.2 (2019).1

        4.2    Universal health coverage
        """
    ).spec
    assert spec.items[0].annotation == "The report describes progress on resolution WHA72.2 (2019)."


def test_a_documents_line_naming_the_agenda_itself_is_not_a_running_header() -> None:
    spec = read(
        """
        A/AC.300/2026/1

        Ad Hoc Committee on Examples
        First session
        New York, 2-6 March 2026

        Provisional agenda

        1.     Opening of the session.
        2.     Adoption of the agenda.
               Document A/AC.300/2026/1
               The Committee will be invited to adopt its agenda.
        3.     Closure of the session.
        """
    ).spec
    assert spec.items[1].title == "Adoption of the agenda"
    assert spec.items[1].documents == ["A/AC.300/2026/1"]


def test_yaml_front_matter_is_left_out_of_the_meeting() -> None:
    # a static site's page: its settings first, between "---" lines, and no "#" title
    result = read(
        """
        ---
        title: "Committee meeting"
        pubDate: "Nov 20 2025"
        location: "Clubhouse"
        ---

        ## Agenda

        1. Apologies
        2. Any other business
        """,
        "agenda.md",
    )
    meeting = result.spec.meeting
    assert not meeting.title.startswith("title:")
    assert meeting.venue is None
    assert "lines 2-6: front matter - left out" in result.doubts


def test_markdown_headings_repeating_the_agenda_carry_its_annotations() -> None:
    # the agenda as a list under "## Agenda", then each item again as a heading, annotated
    spec = read(
        """
        # Riverside Rowing Club Committee Meeting

        ## Agenda

        1. Apologies
        2. Minutes of the last meeting
        3. Treasurer's report

        ## 1. Apologies

        Apologies should be sent to the secretary before the meeting.

        ## 3. Treasurer's report

        The treasurer will present the accounts to 31 October.
        """,
        "agenda.md",
    ).spec
    assert [(item.number, item.title) for item in spec.items] == [
        ("1.", "Apologies"),
        ("2.", "Minutes of the last meeting"),
        ("3.", "Treasurer's report"),
    ]
    assert (
        spec.items[0].annotation == "Apologies should be sent to the secretary before the meeting."
    )
    assert spec.items[2].annotation == "The treasurer will present the accounts to 31 October."
