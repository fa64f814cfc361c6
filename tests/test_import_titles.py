"""Titles keep only their words: footnote markers, symbols, presenters and timings are taken out."""

from __future__ import annotations

import pytest

from sessiontui.importers import import_bytes
from sessiontui.importers.classify import (
    parse_number,
    shown_in_capitals,
    take_extras,
    title_case,
)


@pytest.mark.parametrize(
    ("raw", "title", "documents", "presenters", "minutes"),
    [
        ("Universal health coverage A79/4", "Universal health coverage", ["A79/4"], None, None),
        ("Preparedness A78/5, A78/6", "Preparedness", ["A78/5", "A78/6"], None, None),
        (
            "Conclusions on aquaculture 10725/22",
            "Conclusions on aquaculture",
            ["10725/22"],
            None,
            None,
        ),
        ("Opening of the Committee¹", "Opening of the Committee", None, None, None),
        ("Election of the President.1", "Election of the President", None, None, None),
        ("Follow-up to the Summit.[3]", "Follow-up to the Summit.", None, None, None),
        (
            "Implementation (resolution 56/266 of 8 July 2002).3",
            "Implementation (resolution 56/266 of 8 July 2002)",
            None,
            None,
            None,
        ),
        (
            "Scale of assessments (A/57/11 and Add.1)*)",
            "Scale of assessments",
            ["A/57/11", "A/57/11/Add.1"],
            None,
            None,
        ),
        ("Report (A/57/1).", "Report", ["A/57/1"], None, None),
        ("Minutes of 5 February (AC(25)07)", "Minutes of 5 February", ["AC(25)07"], None, None),
        (
            "Finance report (Paper B/22/31) -- Treasurer",
            "Finance report",
            ["B/22/31"],
            ["Treasurer"],
            None,
        ),
        (
            "Chief Executive's report -- Dr. Helen Park",
            "Chief Executive's report",
            None,
            ["Dr. Helen Park"],
            None,
        ),
        (
            "20 min - Structured error pages -- Dan Wing",
            "Structured error pages",
            None,
            ["Dan Wing"],
            20.0,
        ),
        (
            "Proposed programme budget for 2028    A/82/6 (Sect. 2)",
            "Proposed programme budget for 2028",
            ["A/82/6 (Sect. 2)"],
            None,
            None,
        ),
        (
            "Human resources (A/78/6 (Sect. 29A))",
            "Human resources",
            ["A/78/6 (Sect. 29A)"],
            None,
            None,
        ),
        ("Budget 2024/25", "Budget 2024/25", None, None, None),
        ("Section 4.2", "Section 4.2", None, None, None),
    ],
)
def test_title_extras(
    raw: str,
    title: str,
    documents: list[str] | None,
    presenters: list[str] | None,
    minutes: float | None,
) -> None:
    words, extras = take_extras(raw)
    assert (words, extras.documents, extras.presenters, extras.minutes) == (
        title,
        documents,
        presenters,
        minutes,
    )


@pytest.mark.parametrize(
    ("line", "number", "rest"),
    [
        ("1-2-1 Participants", "1-2-1", "Participants"),
        ("2-1 Décision modificative", "2-1", "Décision modificative"),
        ("1 - Approbation du procès-verbal", "1", "Approbation du procès-verbal"),
        ("9-10 am Registration", None, None),
        ("2025-12-03 Plenary", None, None),
    ],
)
def test_hyphenated_and_dashed_numbers(line: str, number: str | None, rest: str | None) -> None:
    parsed = parse_number(line)
    if number is None:
        assert parsed is None or parsed[0][0].kind != "dotted"
        return
    assert parsed is not None
    assert (parsed[0][0].text, parsed[1]) == (number, rest)


@pytest.mark.parametrize(
    ("raw", "title", "presenters"),
    [
        (
            'Bebauungsplan "Am Mühlbach" – Aufstellungsbeschluss',
            'Bebauungsplan "Am Mühlbach" – Aufstellungsbeschluss',
            None,
        ),
        ("Document status -- Chairs", "Document status", ["Chairs"]),
        ("Fisheries policy (Presidency)", "Fisheries policy", ["Presidency"]),
    ],
)
def test_one_word_after_a_dash_is_a_presenter_only_as_a_role(
    raw: str, title: str, presenters: list[str] | None
) -> None:
    words, extras = take_extras(raw)
    assert (words, extras.presenters) == (title, presenters)


def test_a_fenced_block_is_named_in_the_doubts() -> None:
    from sessiontui.importers import import_bytes

    document = "# Board\n\n1. Opening\n\n```\nnot an item\n```\n\n2. Closure\n"
    result = import_bytes(document.encode(), "board.md")
    assert [item.title for item in result.spec.items] == ["Opening", "Closure"]
    assert "lines 5-7: a fenced block - left out" in result.doubts


@pytest.mark.parametrize(
    ("capitals", "titled", "sentence"),
    [
        (
            "SUB-COMMITTEE ON IMPLEMENTATION OF IMO INSTRUMENTS",
            "Sub-Committee on Implementation of IMO Instruments",
            "Sub-committee on implementation of IMO instruments",
        ),
        (
            "AMENDMENTS TO MARPOL ANNEX VI AND THE UN CONVENTION",
            "Amendments to MARPOL Annex VI and the UN Convention",
            "Amendments to MARPOL annex VI and the UN convention",
        ),
        (
            "THIRTY-THIRD REGULAR SESSION",
            "Thirty-Third Regular Session",
            "Thirty-third regular session",
        ),
        ("33RD SESSION", "33rd Session", "33rd session"),
        ("THE COUNCIL'S WORK", "The Council's Work", "The council's work"),
        ("Maritime Safety Committee", "Maritime Safety Committee", "Maritime Safety Committee"),
    ],
)
def test_a_heading_in_capitals_is_title_cased(capitals: str, titled: str, sentence: str) -> None:
    """Small words in lower case but the first, acronyms and roman numerals kept; a title not
    all in capitals is left as printed."""
    assert title_case(capitals) == titled
    assert title_case(capitals, sentence=True) == sentence


def test_the_documents_own_acronyms_stay_in_capitals() -> None:
    """A word the document prints in capitals amid lower case is its acronym ("the ABC
    Convention"), whatever a list of known ones says; a line in capitals shows nothing."""
    acronyms = shown_in_capitals(["Review of the ABC Convention", "THE XYZ WORKING PARTY"])
    assert acronyms == {"ABC"}
    assert title_case("REVIEW OF THE ABC AND XYZ CONVENTIONS", acronyms) == (
        "Review of the ABC and Xyz Conventions"
    )


IMO_TOP = """\
                                                                  E
INTERNATIONAL MARITIME ORGANIZATION                               III 2/1
                                                                  2 December 2014

{heading}

     to be held at IMO Headquarters, 4 Albert Embankment, London SE1 7SR
                  from Monday, 13 to Friday, 17 July 2015

Opening of the session

1        Adoption of the agenda

2        Decisions of other IMO bodies
"""


def test_an_agenda_heading_in_capitals_naming_the_meeting_gives_its_title() -> None:
    """No line above names the meeting: the heading does ("PROVISIONAL AGENDA FOR THE SECOND
    SESSION OF THE SUB-COMMITTEE ON ..."), its capitals set for the heading, not the name."""
    heading = (
        "PROVISIONAL AGENDA FOR THE SECOND SESSION OF THE SUB-COMMITTEE ON IMPLEMENTATION OF "
        "IMO INSTRUMENTS"
    )
    meeting = import_bytes(IMO_TOP.format(heading=heading).encode(), "a.txt").spec.meeting
    assert (meeting.title, meeting.subtitle) == (
        "Sub-Committee on Implementation of IMO Instruments",
        "Second session",
    )
    assert meeting.dates[0].isoformat() == "2015-07-13"


def test_a_long_agenda_heading_in_capitals_is_not_the_title() -> None:
    """A bold heading naming a long session is the agenda heading, not the meeting's title:
    the masthead names the meeting ("COUNCIL", as printed there)."""
    text = IMO_TOP.replace("INTERNATIONAL MARITIME ORGANIZATION", "COUNCIL").format(
        heading="**PROVISIONAL AGENDA FOR THE ONE HUNDRED AND TWENTY-EIGHTH REGULAR SESSION OF "
        "THE COUNCIL**"
    )
    result = import_bytes(text.encode(), "a.txt")
    assert result.spec.meeting.title == "COUNCIL"
    assert [item.title for item in result.spec.items][:2] == [
        "Opening of the session",
        "Adoption of the agenda",
    ]
