"""The built agenda: labels as printed, automatic numbering, references and planned times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sessiontui.core.agenda import (
    Agenda,
    AgendaFile,
    ItemSpec,
    MeetingSpec,
    ReferenceError_,
    SittingSpec,
    format_number,
    full_label,
    normalize_reference,
    own_numbers,
    parse_duration,
)
from sessiontui.core.agenda_toml import load_agenda

CORPUS = Path(__file__).parent / "agenda_corpus"
AGENDAS = Path(__file__).parent.parent / "agendas"


def build(*items: ItemSpec, numbering: list[str] | None = None) -> Agenda:
    meeting = MeetingSpec(title="Test", numbering=numbering or [])
    return Agenda(AgendaFile(meeting=meeting, items=list(items)))


def labels(agenda: Agenda) -> list[str]:
    return [node.label for node in agenda]


# -- labels -----------------------------------------------------------------------------------


def test_labels_are_kept_as_printed() -> None:
    agenda = load_agenda(CORPUS / "valid" / "labels.toml")
    assert labels(agenda) == [
        "2",
        "2(a)",
        "3.",
        "3.(a)",
        "3.(a)(i)",
        "11",
        "11.2",
        "AA.",
        "4 bis",
        "Item 10",
    ]
    assert [node.number for node in agenda][:5] == ["2", "(a)", "3.", "3.(a)", "(i)"]


@pytest.mark.parametrize(
    ("parent", "own", "label"),
    [
        (None, "1", "1"),
        ("2", "(a)", "2(a)"),
        ("2.", "(a)", "2(a)"),
        ("11", "11.2", "11.2"),
        ("3.", "3.(a)", "3.(a)"),
        ("3.(a)", "(i)", "3.(a)(i)"),
        ("2", "2a", "2a"),
        ("1", "(1)", "1(1)"),  # "(1)" does not start with "1": not a repeat of the parent
        ("1", "10", "1.10"),  # nor does "10" under "1": the boundary between numbers is kept
        ("1", "2.", "1.2."),  # never "12.", which is item 12
        ("3.", "3.", "3.3."),  # a nested list's third sub-item, not the item itself again
        ("3", "3.", "3.3."),
        ("II", "A", "II.A"),
        ("2", "", ""),  # an unnumbered sub-item has no label of its own
    ],
)
def test_full_label(parent: str | None, own: str, label: str) -> None:
    assert full_label(parent, own) == label


# -- automatic numbering ----------------------------------------------------------------------


def test_default_numbering_is_1_a_i() -> None:
    agenda = load_agenda(CORPUS / "valid" / "auto-numbering.toml")
    assert labels(agenda) == ["1", "2", "2(a)", "2(b)", "2(b)(i)", "2(b)(ii)", "", "3"]


def test_an_unnumbered_break_does_not_count_and_gets_an_id_from_its_title() -> None:
    agenda = load_agenda(CORPUS / "valid" / "auto-numbering.toml")
    lunch = agenda.resolve("lunchbreak")
    assert (lunch.kind, lunch.label, lunch.number) == ("break", "", "")
    assert agenda.display(lunch.id) == "Lunch break"
    assert agenda.resolve("3").title == "Closure"


def test_numbering_is_configurable_per_level() -> None:
    agenda = load_agenda(CORPUS / "valid" / "custom-numbering.toml")
    assert labels(agenda) == [
        "Item 1",
        "Item 1A.",
        "Item 1B.",
        "Item 1B(i)",
        "Item 1B(ii)",
        "Item 2",
    ]


def test_the_last_numbering_pattern_repeats_for_deeper_levels() -> None:
    deep = ItemSpec(title="c", items=[ItemSpec(title="d")])
    agenda = build(ItemSpec(title="a", items=[ItemSpec(title="b", items=[deep])]), numbering=["1"])
    assert labels(agenda) == ["1", "1.1", "1.1.1", "1.1.1.1"]


@pytest.mark.parametrize(
    ("pattern", "n", "expected"),
    [
        ("1", 3, "3"),
        ("1.", 12, "12."),
        ("(a)", 2, "(b)"),
        ("(a)", 27, "(aa)"),
        ("A.", 3, "C."),
        ("(i)", 4, "(iv)"),
        ("(I)", 9, "(IX)"),
        ("Item 1", 10, "Item 10"),  # the "I" of "Item" is not the counter
        ("Article I", 2, "Article II"),
        ("bis", 2, "bis2"),  # no counter at all: the number is appended
    ],
)
def test_format_number(pattern: str, n: int, expected: str) -> None:
    assert format_number(pattern, n) == expected


def test_explicit_numbers_and_automatic_ones_mix() -> None:
    pairs: list[tuple[str | None, str]] = [
        ("1", "item"),
        (None, "item"),
        (None, "break"),
        (None, "item"),
    ]
    assert own_numbers(pairs, "1") == ["1", "2", "", "3"]


# -- references -------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["2(a)", "2a", "2 (a)", "2.a", "2 A", " 2(A). "])
def test_references_ignore_case_spaces_and_punctuation(reference: str) -> None:
    agenda = load_agenda(AGENDAS / "cosp-intersessional-2020.toml")
    assert agenda.resolve(reference).title == "Status of the preparations for the special session"


@pytest.mark.parametrize(
    ("reference", "title"),
    [
        ("3.(a)(i)", "Three (a) (i)"),
        ("3ai", "Three (a) (i)"),
        ("3 (a) (i)", "Three (a) (i)"),
        ("11.2", "Eleven point two"),
        ("112", "Eleven point two"),
        ("aa", "Double A"),
        ("AA.", "Double A"),
        ("4 bis", "Four bis"),
        ("4BIS", "Four bis"),
        ("item 10", "Item ten"),
        ("Item-10", "Item ten"),
    ],
)
def test_every_label_form_resolves(reference: str, title: str) -> None:
    agenda = load_agenda(CORPUS / "valid" / "labels.toml")
    assert agenda.resolve(reference).title == title


def test_reference_by_explicit_id() -> None:
    agenda = load_agenda(AGENDAS / "example-two-day-meeting.toml")
    assert agenda.resolve("panel").label == "3(b)"
    assert agenda.resolve("3(b)").id == "panel"
    assert agenda.resolve("3 b ii").title == "Interactive discussion"


def test_references_in_other_scripts() -> None:
    russian = load_agenda(AGENDAS / "non-latin-russian.toml")
    assert russian.resolve("2 а").title == "Выборы должностных лиц"
    assert russian.resolve("2б)").title == "Утверждение повестки дня и организация работы"
    arabic = load_agenda(CORPUS / "valid" / "non-latin.toml")
    # Arabic-Indic digits match ASCII ones, so "2(أ)" finds "٢(أ)".
    assert arabic.resolve("2(أ)").title == "حالة التحضيرات"
    assert arabic.resolve("٣").title == "会议闭幕"


def test_normalize_reference() -> None:
    assert normalize_reference(" 2 (C). ") == "2.c"
    assert normalize_reference("٢(ب)") == "2.ب"
    assert normalize_reference("Ⅳ") == "iv"  # NFKC folds the roman-numeral sign


def test_ambiguous_reference_lists_the_candidates() -> None:
    agenda = build(
        ItemSpec(number="2", title="Two", items=[ItemSpec(number="(a)", title="Two (a)")]),
        ItemSpec(number="2a", title="Two a", id="second"),
    )
    with pytest.raises(ReferenceError_) as caught:
        agenda.resolve("2 a")
    assert caught.value.candidates == ("2(a) Two (a)", "2a Two a")
    assert caught.value.message == "'2 a' is ambiguous: 2(a) Two (a) (id 2a); 2a Two a (id second)"
    # The exact id still wins.
    assert agenda.resolve("2a").title == "Two (a)"


def test_unknown_reference_suggests_close_labels() -> None:
    agenda = load_agenda(AGENDAS / "cosp-intersessional-2020.toml")
    with pytest.raises(ReferenceError_) as caught:
        agenda.resolve("2(f)")
    assert caught.value.message == "no agenda item '2(f)'; did you mean 2(e) or 2(d) or 2(c)?"
    with pytest.raises(ReferenceError_, match=r"^no agenda item 'zzz'$"):
        agenda.resolve("zzz")
    with pytest.raises(ReferenceError_):
        agenda.resolve("...")


def test_explicit_ids_are_kept_even_when_a_generated_one_came_first() -> None:
    agenda = build(ItemSpec(title="Opening", kind="break"), ItemSpec(title="Other", id="opening"))
    assert [node.id for node in agenda] == ["opening-2", "opening"]


def test_deleted_items_no_longer_resolve() -> None:
    agenda = load_agenda(AGENDAS / "cosp-intersessional-2020.toml")
    agenda.delete("2")
    with pytest.raises(ReferenceError_, match="taken off the agenda"):
        agenda.resolve("2a")
    with pytest.raises(ReferenceError_):
        agenda.resolve("2(a)")
    assert labels(agenda) == ["1", "3"]
    assert agenda.max_depth() == 0


# -- planned times, limits, sittings ----------------------------------------------------------


def test_planned_times_add_up_from_sub_items() -> None:
    agenda = load_agenda(AGENDAS / "example-two-day-meeting.toml")
    assert agenda.planned_seconds_of("2") == 20 * 60
    assert agenda.planned_seconds_of("panel") == 90 * 60
    assert agenda.planned_seconds_of("3") == 150 * 60
    assert agenda.planned_total_seconds() == (11 * 60 + 10) * 60
    assert agenda.max_depth() == 2


def test_speaking_limit_comes_from_the_item_its_ancestors_or_the_meeting() -> None:
    agenda = load_agenda(AGENDAS / "example-two-day-meeting.toml")
    assert agenda.speaking_limit_for("3bi") == 600
    assert agenda.speaking_limit_for("3bii") == 300
    assert agenda.speaking_limit_for("4") == 180
    cosp = load_agenda(AGENDAS / "cosp-intersessional-2020.toml")
    assert cosp.speaking_limit_for("2a") is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3m", 180), ("90s", 90), ("1h30m", 5400), ("2m30s", 150), ("2", 120), ("1.5m", 90)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "3 minutes", "-1m", "1x"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_sittings_are_found_by_id_or_label() -> None:
    agenda = load_agenda(AGENDAS / "example-two-day-meeting.toml")
    first = agenda.find_sitting("m1")
    assert first is not None
    assert first == agenda.find_sitting("1st Meeting")
    assert first == SittingSpec(
        date=dt.date(2025, 6, 2), start="10:00", end="13:00", label="1st meeting", id="m1"
    )
    assert agenda.find_sitting("5th meeting") is None
    assert agenda.get("8").sitting == "4th meeting"


def test_sub_items_of_an_unnumbered_item_build_on_the_label_above() -> None:
    unnumbered = ItemSpec(number="", title="Unnumbered heading", items=[ItemSpec(title="Below")])
    agenda = build(ItemSpec(number="2", title="Two", items=[unnumbered]))
    assert labels(agenda) == ["2", "", "2(i)"]
    assert agenda.resolve("unnumberedheading").title == "Unnumbered heading"
    assert agenda.resolve("2 (i)").title == "Below"
