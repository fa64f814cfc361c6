"""Item references compare by tokens: "2c" is "2(c)", while "1.1", "11" and "1.1.1" stay apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.core.agenda import (
    Agenda,
    AgendaFile,
    ItemSpec,
    MeetingSpec,
    ReferenceError_,
    full_label,
    normalize_reference,
    reference_tokens,
)
from sessiontui.core.agenda_toml import AgendaError, parse_agenda


def agenda_of(*items: ItemSpec) -> Agenda:
    return Agenda(AgendaFile(meeting=MeetingSpec(title="M"), items=list(items)))


def who_agenda() -> Agenda:
    """Items 1, 1.1, 1.1.1, 11 and 11.2, as a World Health Assembly agenda prints them."""
    return agenda_of(
        ItemSpec(
            number="1",
            title="Opening",
            items=[
                ItemSpec(
                    number="1.1",
                    title="Credentials",
                    items=[ItemSpec(number="1.1.1", title="Deep")],
                )
            ],
        ),
        ItemSpec(
            number="11", title="Health emergencies", items=[ItemSpec(number="11.2", title="Polio")]
        ),
        ItemSpec(number="12", title="Budget"),
    )


def test_punctuation_between_tokens_is_ignored() -> None:
    agenda = agenda_of(
        ItemSpec(number="2", title="Two", items=[ItemSpec(number="(c)", title="Safe havens")])
    )
    for spelling in ("2c", "2(c)", "2 (c)", "2.c", "2 C", "2-c", " 2 ( C ) "):
        assert agenda.resolve(spelling).title == "Safe havens", spelling


def test_the_boundary_between_numbers_is_kept() -> None:
    agenda = who_agenda()
    assert agenda.resolve("1.1").title == "Credentials"
    assert agenda.resolve("11").title == "Health emergencies"
    assert agenda.resolve("1.1.1").title == "Deep"
    assert agenda.resolve("1 1 1").title == "Deep"
    assert agenda.resolve("11.2").title == "Polio"
    with pytest.raises(ReferenceError_):
        agenda.resolve("1.12")
    # generated ids stay compact ("112": logs recorded before the token rule keep their ids)
    # except where that would spell another item's label: "1.1" is not "11"
    assert [node.id for node in agenda] == ["1", "1.1", "111", "11", "112", "12"]


def test_ids_stay_compact_where_nothing_collides() -> None:
    agenda = agenda_of(
        ItemSpec(number="2", title="Two", items=[ItemSpec(number="(a)", title="A")]),
        ItemSpec(number="11", title="Eleven", items=[ItemSpec(number="11.2", title="B")]),
    )
    # the ids agendas had before the token rule: logs recorded then still find their items
    assert [node.id for node in agenda] == ["2", "2a", "11", "112"]


def test_nested_letters_and_romans_are_tokens() -> None:
    agenda = agenda_of(
        ItemSpec(
            number="3",
            title="Three",
            items=[
                ItemSpec(number="(a)", title="A", items=[ItemSpec(number="(i)", title="Roman")])
            ],
        )
    )
    assert agenda.resolve("3(a)(i)").title == "Roman"
    assert agenda.resolve("3.a.i").title == "Roman"
    assert reference_tokens("3(a)(i)") == ("3", "a", "i") == reference_tokens("3.A.I")
    assert normalize_reference("٣(a)") == "3.a"


def test_an_ambiguous_reference_names_the_candidates() -> None:
    agenda = agenda_of(
        ItemSpec(number="2", title="Two", items=[ItemSpec(number="(a)", title="Two (a)")]),
        ItemSpec(number="2a", title="Two a", id="second"),
    )
    with pytest.raises(ReferenceError_) as caught:
        agenda.resolve("2 a")
    assert caught.value.candidates == ("2(a) Two (a)", "2a Two a")
    assert "ambiguous" in caught.value.message


def test_a_sub_item_never_runs_into_its_parents_number() -> None:
    assert full_label("1", "2.") == "1.2."
    assert full_label("1.", "2") == "1.2"
    assert full_label("1", "(2)") == "1(2)"
    agenda = agenda_of(
        ItemSpec(number="1", title="One", items=[ItemSpec(number="2.", title="Sub")]),
        ItemSpec(number="12.", title="Twelve"),
    )
    assert agenda.resolve("1.2").title == "Sub"
    assert agenda.resolve("12").title == "Twelve"


def test_check_accepts_1_and_1_1_and_11(tmp_path: Path) -> None:
    path = tmp_path / "wha.toml"
    path.write_text(
        '[meeting]\ntitle = "WHA"\n\n'
        '[[items]]\nnumber = "1"\ntitle = "Opening"\n\n'
        '[[items.items]]\nnumber = "1.1"\ntitle = "Credentials"\n\n'
        '[[items]]\nnumber = "11"\ntitle = "Emergencies"\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    # the same reference twice is still refused, with the line of the first
    path.write_text(
        '[meeting]\ntitle = "X"\n\n[[items]]\nnumber = "2(c)"\ntitle = "A"\n\n'
        '[[items]]\nnumber = "2.c"\ntitle = "B"\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "sessiontui", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert 'label "2.c" is the same reference as label "2(c)" on line 5' in run.stderr


# -- properties ------------------------------------------------------------------------------

_NUMBER = st.one_of(
    st.integers(1, 30).map(str),
    st.sampled_from(["a", "b", "c", "i", "ii", "iv", "I", "II", "A", "bis"]),
)
_SEPARATORS = ["", ".", " ", "-", "(", ")", ". ", " (", ")("]


@st.composite
def printed_numbers(draw: st.DrawFn) -> str:
    """An item's own number as agendas print it: "2", "(a)", "11.2", "4 bis", "1-2-1"."""
    tokens = draw(st.lists(_NUMBER, min_size=1, max_size=3))
    text = ""
    for token in tokens:
        if text and (text[-1].isdigit() == token[0].isdigit()):
            text += draw(st.sampled_from([".", "-", " "]))
        text += token
    return draw(st.sampled_from(["{}", "{}.", "({})", "{})", "Item {}"])).format(text)


@st.composite
def item_trees(draw: st.DrawFn, depth: int = 0) -> ItemSpec:
    children = draw(st.lists(item_trees(depth + 1), max_size=3)) if depth < 2 else []
    return ItemSpec(number=draw(printed_numbers()), title="t", items=children)


def respell(label: str, data: st.DataObject) -> str:
    """The label with other punctuation, spaces and case between its tokens."""
    out = ""
    previous = ""
    for token in reference_tokens(label):
        separator = data.draw(st.sampled_from(_SEPARATORS))
        if previous and not separator and previous[-1].isdigit() == token[0].isdigit():
            separator = "."
        out += separator + data.draw(st.sampled_from([token, token.upper()]))
        previous = token
    return out + data.draw(st.sampled_from(["", ".", ")", " "]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(item_trees(), min_size=1, max_size=5), st.data())
def test_no_two_labels_of_a_valid_agenda_collide(
    items: list[ItemSpec], data: st.DataObject
) -> None:
    spec = AgendaFile(meeting=MeetingSpec(title="M"), items=items)
    text = tomli_w.dumps(msgspec.to_builtins(spec)).encode()
    try:
        parse_agenda(text)
    except AgendaError:
        # refused only for a real clash: two labels with the same tokens
        agenda = Agenda(spec)
        keys = [normalize_reference(node.label) for node in agenda]
        assert len(set(keys)) < len(keys)
        return
    agenda = Agenda(spec)
    for node in agenda:
        assert agenda.resolve(node.label) is node
        assert agenda.resolve(node.id) is node
        assert agenda.resolve(respell(node.label, data)) is node


def test_an_id_never_spells_another_label_made_of_words() -> None:
    # found by hypothesis: "i.i" and "ii." are two labels; the compact id "ii" would be both
    agenda = agenda_of(
        ItemSpec(number="i.i", title="first"), ItemSpec(number="ii.", title="second")
    )
    assert [node.id for node in agenda] == ["i.i", "ii"]
    assert agenda.resolve("i.i").title == "first"
    assert agenda.resolve("II").title == "second"


def test_reference_tokens_of_ascii_text_as_of_any_text() -> None:
    """ASCII text takes a shorter way to its tokens: the same ones the long way gives."""
    import string

    samples = ["", "2(c)", "2 (C).", "1.1", "11", "Item 10 bis", "AA.", "3.(a)(i)", "x2y33zz"]
    samples += ["--__..", string.printable, "\x00\x1f\x7fA1", "Ab9_cD 0.e"]
    for sample in samples:
        # A middle dot (not ASCII, and only a separator) sends the same text the long way.
        assert reference_tokens(sample) == reference_tokens("\u00b7" + sample), sample
