"""Titles keep only their words: footnote markers, symbols, presenters and timings are taken out."""

from __future__ import annotations

import pytest

from sessiontui.importers.classify import take_extras


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
