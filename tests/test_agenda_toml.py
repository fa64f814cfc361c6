"""Agenda files: every validation error located exactly, hostile input refused, round trip, schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.core import agenda_toml
from sessiontui.core.agenda import (
    HHMM_PATTERN,
    Agenda,
    AgendaFile,
    ItemSpec,
    MeetingSpec,
    SittingSpec,
)
from sessiontui.core.agenda_schema import SCHEMA_PATH, agenda_schema, schema_text
from sessiontui.core.agenda_toml import (
    MAX_AGENDA_BYTES,
    SCHEMA_DIRECTIVE,
    AgendaError,
    Problem,
    dump_agenda,
    load_agenda,
    load_agenda_file,
    parse_agenda,
)

HERE = Path(__file__).parent
CORPUS = HERE / "agenda_corpus"
AGENDAS = HERE.parent / "agendas"
SHIPPED = sorted(AGENDAS.glob("*.toml"))
INVALID = sorted((CORPUS / "invalid").glob("*.toml"))
VALID = sorted((CORPUS / "valid").glob("*.toml"))


def problems(data: str | bytes) -> list[str]:
    """``line:col: message`` of every problem in an agenda text (none when it is valid)."""
    raw = data.encode() if isinstance(data, str) else data
    try:
        parse_agenda(raw, "a.toml")
    except AgendaError as exc:
        return [f"{p.line}:{p.column}: {p.message}" for p in exc.problems]
    return []


def expected(path: Path) -> list[str]:
    """The ``# expect: line:col: message`` comments at the end of a corpus file."""
    marker = "# expect: "
    return [
        line.removeprefix(marker)
        for line in path.read_text().splitlines()
        if line.startswith(marker)
    ]


MEETING = '[meeting]\ntitle = "T"\n'


# -- every kind of error, located ---------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_corpus_reports_every_problem_where_it_is(path: Path) -> None:
    assert expected(path), f"{path.name} lists no expected problems"
    assert problems(path.read_bytes()) == expected(path)


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_corpus_loads(path: Path) -> None:
    assert problems(path.read_bytes()) == []


def test_problems_print_as_file_line_col_message() -> None:
    path = CORPUS / "invalid" / "timezone.toml"
    with pytest.raises(AgendaError) as caught:
        load_agenda_file(path)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:4:12: unknown timezone "Europe/Viena"; did you mean "Europe/Vienna"?'
    ]
    assert str(caught.value) == str(caught.value.problems[0])


def test_unknown_key_in_an_inline_table_is_located() -> None:
    text = 'items = [\n  { title = "A" },\n  { title = "B", minuts = 3 },\n]\n' + MEETING
    assert problems(text) == [
        '3:18: unknown key "minuts" in item 2; did you mean "minutes"?',
    ]


def test_unknown_key_under_a_dotted_key_is_located() -> None:
    assert problems('meeting.title = "T"\nmeeting.titel = "U"\n') == [
        '2:9: unknown key "titel" in [meeting]; did you mean "title"?'
    ]


def test_deeply_nested_item_problems_are_located() -> None:
    text = (
        MEETING
        + '[[items]]\ntitle = "A"\n[[items.items]]\ntitle = "B"\n'
        + '[[items.items.items]]\ntitle = "C"\n[[items.items.items]]\ntitle = "D"\nminutes = -1\n'
        + '[[items]]\ntitle = "E"\n[[items.items]]\ntitle = "F"\nminutes = -2\n'
    )
    assert problems(text) == [
        '11:11: "minutes" must not be negative (got -1)',
        '16:11: "minutes" must not be negative (got -2)',
    ]


def test_a_quoted_key_with_escapes_is_located() -> None:
    assert problems('"ti\\u0074les" = 1\n' + MEETING) == [
        '1:1: unknown key "titles" in the agenda (top level); did you mean "items"?'
    ]


def test_an_items_own_id_may_spell_its_label() -> None:
    assert problems(MEETING + '[[items]]\nnumber = "2(a)"\nid = "2a"\ntitle = "A"\n') == []


def test_a_long_or_hostile_key_is_quoted_and_shortened_in_messages() -> None:
    key = "k\u202e" + "x" * 100
    [message] = problems(f'"{key}" = 1\n' + MEETING)
    assert message == '1:1: unknown key "k\\u202e' + "x" * 58 + '…" in the agenda (top level)'


def test_past_the_cap_the_remaining_problems_are_counted() -> None:
    text = MEETING + "".join(f"k{i} = 1\n" for i in range(250))
    found = problems(text)
    assert len(found) == agenda_toml.MAX_PROBLEMS + 1
    assert found[-1] == "203:1: ... and 50 more problems"


def test_checking_stops_after_a_thousand_problems() -> None:
    text = MEETING + "".join(f"k{i} = 1\n" for i in range(20_000))
    found = refused(text.encode())
    assert len(found) == agenda_toml.MAX_PROBLEMS + 1
    assert found[-1] == "203:1: ... and 800 more problems; checking stopped there"


# -- hostile or broken input: one clear line, fast --------------------------------------------


def refused(data: bytes) -> list[str]:
    # How long a refusal takes is measured in bench/, not asserted here: this machine is shared.
    return problems(data)


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_AGENDA_BYTES + 1))
    with pytest.raises(AgendaError) as caught:
        load_agenda_file(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: file is {MAX_AGENDA_BYTES + 1} bytes; an agenda file may be at most "
        f"{MAX_AGENDA_BYTES} bytes (1 MiB)"
    ]
    assert refused(b"#" * (MAX_AGENDA_BYTES + 1)) == [
        f"0:0: file is {MAX_AGENDA_BYTES + 1} bytes; an agenda file may be at most "
        f"{MAX_AGENDA_BYTES} bytes (1 MiB)"
    ]


def test_dotted_key_with_thousands_of_parts_is_refused_before_parsing() -> None:
    # tomllib would need gigabytes for this one line (CPython gh-149231).
    assert refused(b"x = 1\n  " + b".".join([b"a"] * 50_000) + b" = 1\n") == [
        "2:3: dotted key with more than 64 parts"
    ]
    assert refused(b"[" + b".".join([b'"a"'] * 5000) + b"]\n") == [
        "1:2: dotted key with more than 64 parts"
    ]
    assert refused(b".".join([b"a"] * 5000)) == ["1:1: dotted key with more than 64 parts"]


def test_dots_in_strings_comments_and_values_are_not_key_parts() -> None:
    dots = "." * 500
    text = f"{MEETING}subtitle = \"{dots}\"  # {dots}\n[[items]]\ntitle = '{dots}'\nminutes = 1.5\n"
    assert problems(text) == []
    assert problems(MEETING + ".".join(["a"] * 65) + " = 1\n") == [
        "3:1: dotted key with more than 64 parts"
    ]
    assert problems(MEETING + ".".join(["a"] * 64) + " = 1\n") == [
        '3:1: unknown key "a" in [meeting]'
    ]


def test_deep_nesting_is_refused_before_parsing() -> None:
    assert refused(b"a = " + b"[" * 100_000) == ["1:37: nested more than 32 levels deep"]
    assert refused(b"a = " + b"{b = " * 100_000) == ["1:165: nested more than 32 levels deep"]


def test_recursion_error_is_caught_if_nesting_slips_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(agenda_toml, "_prescan", lambda text: None)
    assert refused(b"a = " + b"[" * 5000 + b"]" * 5000) == ["1:1: nested too deeply"]


def test_huge_integers_are_refused() -> None:
    assert refused(MEETING.encode() + b"n = " + b"9" * 5000 + b"\n") == [
        "3:5: number with more than 100 digits"
    ]


def test_value_error_is_caught_if_a_huge_integer_slips_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(agenda_toml, "_prescan", lambda text: None)
    [message] = refused(b"n = " + b"9" * 5000 + b"\n")
    assert message.startswith("1:1: value out of range: Exceeds the limit (4300 digits)")


def test_too_many_values_are_refused_before_parsing() -> None:
    data = MEETING.encode() + b"x = [" + b"1," * 400_000 + b"]\n"
    assert refused(data) == ["3:100003: more than 50000 keys and values: not an agenda"]


def test_invalid_utf8_is_located() -> None:
    assert refused(MEETING.encode() + b'venue = "Gen\xe8ve"\n') == [
        "3:13: not valid UTF-8 (byte 0xe8); save the file as UTF-8"
    ]


def test_utf16_is_named() -> None:
    assert refused(MEETING.encode("utf-16")) == ["1:1: the file is UTF-16; save it as UTF-8"]


def test_nul_byte_is_located() -> None:
    assert refused(MEETING.encode() + b'venue = "\xc3\xa9\x00"\n') == [
        "3:11: NUL byte: this is not a text file"
    ]


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n"])
def test_empty_file(data: bytes) -> None:
    assert refused(data) == ["0:0: file is empty; an agenda needs a [meeting] table with a title"]


def test_a_byte_order_mark_is_accepted() -> None:
    assert problems(b"\xef\xbb\xbf" + MEETING.encode()) == []


def test_directory_missing_file_and_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    cases = {
        tmp_path: "is a folder, not an agenda file",
        tmp_path / "missing.toml": "no such file",
        fifo: "is not a regular file",  # reading it would block forever
    }
    for path, message in cases.items():
        with pytest.raises(AgendaError) as caught:
            load_agenda_file(path)
        assert [str(p) for p in caught.value.problems] == [f"{path}: {message}"]


def test_problem_without_a_position_prints_without_one() -> None:
    assert str(Problem("a.toml", 0, 0, "no such file")) == "a.toml: no such file"
    assert str(Problem("a.toml", 3, 7, "bad")) == "a.toml:3:7: bad"


def test_toml_syntax_error_at_the_end_of_the_document() -> None:
    assert problems(MEETING + "x = ") == [
        "3:5: invalid TOML: Invalid value; the rest of the file is checked once this is fixed"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[2026-12-06, 2026-13-01]", "2026-13-01 is not a date: month must be in 1..12"),
        ("[2026-02-30]", "2026-02-30 is not a date: day is out of range for month"),
        ("2026-11-19T25:00:00", "2026-11-19T25:00:00 is not a date: hour must be in 0..23"),
    ],
)
def test_an_impossible_date_is_named_not_called_bad_toml(value: str, message: str) -> None:
    (problem,) = problems(MEETING + f"x = {value}\n")
    assert problem.endswith(f"{message}; the rest of the file is checked once this is fixed")
    assert problem.startswith("3:")


# -- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED + VALID, ids=[p.stem for p in SHIPPED + VALID])
def test_load_dump_load_gives_the_same_agenda(path: Path) -> None:
    spec = load_agenda_file(path)
    assert parse_agenda(dump_agenda(spec).encode()) == spec


def test_dump_is_readable_toml() -> None:
    spec = load_agenda_file(AGENDAS / "example-two-day-meeting.toml")
    text = dump_agenda(spec, schema="agenda.schema.json")
    assert text.startswith("#:schema agenda.schema.json\n")
    assert "[[items.items.items]]" in text
    assert "minutes = 10\n" in text  # not 10.0
    spec.items[0].annotation = "First paragraph.\n\nSecond paragraph."
    assert 'annotation = """\nFirst paragraph.\n\nSecond paragraph."""' in dump_agenda(spec)


def test_the_session_log_snapshot_round_trips() -> None:
    spec = load_agenda_file(AGENDAS / "example-two-day-meeting.toml")
    snapshot = json.loads(json.dumps(msgspec.to_builtins(spec)))
    again = msgspec.convert(snapshot, AgendaFile)
    assert again == spec
    assert again.meeting.dates == [dt.date(2025, 6, 2), dt.date(2025, 6, 3)]


_TEXT = st.characters(exclude_categories=("Cs", "Cc"))
_TITLES = st.text(_TEXT, min_size=1, max_size=24).filter(str.strip)
_PROSE = st.text(st.one_of(_TEXT, st.sampled_from("\n\t\"'\\")), max_size=40)
_CLOCKS = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
_LIMITS = st.sampled_from(["3m", "90s", "1h", "2m30s", "5"])


@st.composite
def _items(draw: st.DrawFn, sittings: list[str], depth: int) -> list[ItemSpec]:
    # Built by hand, not with st.builds: that re-reads ItemSpec's type hints on every draw.
    out = []
    for _ in range(draw(st.integers(0, 3))):
        title = draw(_TITLES)
        if draw(st.integers(0, 4)) == 0:
            # A break has no sub-items.
            out.append(
                ItemSpec(title=title, kind="break", minutes=draw(st.none() | st.floats(0, 60)))
            )
            continue
        out.append(
            ItemSpec(
                title=title,
                annotation=draw(st.none() | _PROSE),
                minutes=draw(
                    st.none() | st.floats(0, 24 * 60) | st.integers(0, 24 * 60).map(float)
                ),
                documents=draw(st.lists(_TITLES, max_size=2)),
                presenters=draw(st.lists(_TITLES, max_size=2)),
                starts_at=draw(st.none() | _CLOCKS),
                speaking_limit=draw(st.none() | _LIMITS),
                sitting=draw(st.none() | st.sampled_from(sittings)) if sittings else None,
                items=draw(_items(sittings, depth - 1)) if depth else [],
            )
        )
    return out


@st.composite
def agenda_files(draw: st.DrawFn) -> AgendaFile:
    first = draw(st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)))
    last = first + dt.timedelta(days=draw(st.integers(0, 4)))
    dates = draw(st.sampled_from([[], [first], [first, last]]))
    if dates:
        last = dates[-1]  # sittings fall within the meeting's dates
    sittings = [
        SittingSpec(
            date=draw(st.dates(first, last)),
            start=f"{hour:02d}:00",
            end=f"{hour + 1:02d}:30",
            label=draw(st.none() | st.just(f"Sitting number {index + 1}")),
            id=f"s{index + 1}",
        )
        for index, hour in enumerate(draw(st.lists(st.integers(0, 22), max_size=3)))
    ]
    meeting = MeetingSpec(
        title=draw(_TITLES),
        subtitle=draw(st.none() | _TITLES),
        venue=draw(st.none() | _PROSE),
        dates=dates,
        timezone=draw(st.sampled_from([None, "UTC", "Europe/Vienna", "Asia/Tokyo"])),
        languages=draw(st.lists(st.sampled_from(["ar", "en", "ru", "zh"]), max_size=2)),
        speaking_limit=draw(st.none() | _LIMITS),
        numbering=draw(st.sampled_from([[], ["1.", "(a)", "(i)"]])),
    )
    items = draw(_items([s.id for s in sittings if s.id], depth=2))
    return AgendaFile(meeting=meeting, items=items, sittings=sittings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agenda_files())
def test_generated_agendas_round_trip(spec: AgendaFile) -> None:
    text = dump_agenda(spec)
    again = parse_agenda(text.encode())
    assert again == spec
    assert dump_agenda(again) == text
    assert len(Agenda(again)) == len(Agenda(spec))


# -- the JSON Schema --------------------------------------------------------------------------


def test_shipped_schema_is_in_sync_with_the_model() -> None:
    # Regenerate with: python -m sessiontui.core.agenda_schema > sessiontui/schema/agenda.schema.json
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def _as_json(path: Path) -> Any:
    """A TOML file as a TOML-aware editor hands it to a JSON Schema validator (dates as text)."""
    return json.loads(msgspec.json.encode(tomllib.loads(path.read_text(encoding="utf-8"))))


def test_schema_accepts_every_valid_agenda() -> None:
    schema = agenda_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in SHIPPED + VALID:
        assert list(validator.iter_errors(_as_json(path))) == [], path


def test_schema_rejects_what_editors_can_see() -> None:
    validator = jsonschema.Draft7Validator(
        agenda_schema(), format_checker=jsonschema.FormatChecker()
    )
    document = {
        "meeting": {"title": "T", "dates": ["2020-13-01"], "titel": "x"},
        "items": [{"title": "A", "minutes": -1, "starts_at": "9am", "kind": "brake"}],
        "sittings": [{"date": "2020-11-19", "end": "10:00"}],
    }
    messages = sorted(error.message for error in validator.iter_errors(document))
    assert messages == sorted(
        [
            "'2020-13-01' is not a 'date'",
            "Additional properties are not allowed ('titel' was unexpected)",
            "-1 is less than the minimum of 0",
            f"'9am' does not match '{HHMM_PATTERN}'",
            "'brake' is not one of ['break', 'item']",
            "'start' is a required property",
        ]
    )


def test_dates_are_date_strings_and_optional_keys_have_no_null() -> None:
    definitions = agenda_schema()["definitions"]
    assert definitions["MeetingSpec"]["properties"]["dates"]["items"] == {
        "type": "string",
        "format": "date",
    }
    assert definitions["SittingSpec"]["properties"]["date"]["format"] == "date"
    assert "null" not in json.dumps(agenda_schema())


# -- the shipped agendas ----------------------------------------------------------------------


def test_the_cosp_agenda_comes_first() -> None:
    assert SHIPPED[0].name == "cosp-intersessional-2020.toml"
    assert len(SHIPPED) >= 3


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_agendas_name_the_schema_and_load(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_DIRECTIVE
    assert (path.parent / SCHEMA_DIRECTIVE.removeprefix("#:schema ")).resolve() == SCHEMA_PATH
    assert len(load_agenda(path)) > 0


def _words(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def test_the_cosp_agenda_is_the_seed_word_for_word() -> None:
    seed = _words((CORPUS / "seed-agenda-cosp-intersessional-2020.txt").read_text())
    agenda = load_agenda(AGENDAS / "cosp-intersessional-2020.toml")
    assert agenda.meeting.title in seed
    assert agenda.meeting.dates == [dt.date(2020, 11, 19), dt.date(2020, 11, 20)]
    outline = []
    for node in agenda:
        printed = f"{node.number}." if node.depth == 0 else f"- {node.number}"
        outline.append(f"{printed} {node.title}")
        if node.annotation:
            assert f"{node.number} {node.title} {node.annotation}" in seed
    assert " ".join(outline) in seed
    # Nothing invented: no venue, times, durations, sittings or limits.
    assert not agenda.sittings
    assert agenda.planned_total_seconds() == 0
    assert agenda.meeting.venue is None
    assert agenda.meeting.speaking_limit is None
    assert all(node.starts_at is None and not node.documents for node in agenda)


def test_the_example_meeting_exercises_the_whole_format() -> None:
    agenda = load_agenda(AGENDAS / "example-two-day-meeting.toml")
    assert agenda.max_depth() == 2
    assert len(agenda.sittings) == 4
    assert len({s.date for s in agenda.sittings}) == 2
    assert agenda.meeting.timezone == "Europe/Vienna"
    assert agenda.speaking_limit_seconds == 180
    nodes = list(agenda)
    assert any(node.kind == "break" for node in nodes)
    assert any(node.presenters for node in nodes)
    assert all(
        re.fullmatch(r"[A-Z]+/[A-Za-z0-9./]+", doc) for node in nodes for doc in node.documents
    )
    for node in nodes:
        if node.sitting is not None:
            assert agenda.find_sitting(node.sitting) is not None


def test_the_non_latin_agenda_is_cyrillic() -> None:
    agenda = load_agenda(AGENDAS / "non-latin-russian.toml")
    for node in agenda:
        assert re.search("[а-яА-ЯёЁ]", node.title), node.title


_BARE = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-"), min_size=1, max_size=8)
_SCALARS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    _PROSE,
    st.dates(),
    st.times(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_BARE, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=2000)
@given(
    st.dictionaries(_BARE.map(lambda key: f"x{key}"), _VALUES, min_size=1, max_size=4),
    st.booleans(),
)
def test_unknown_keys_in_any_valid_toml_are_located(extra: dict[str, Any], multiline: bool) -> None:
    text = tomli_w.dumps({**extra, "meeting": {"title": "T"}}, multiline_strings=multiline)
    lines = text.splitlines()
    found = problems(text)
    assert len(found) == len(extra)
    for entry in found:
        match = re.fullmatch(r'(\d+):(\d+): unknown key "([^"]+)" .*', entry)
        assert match is not None, entry
        line, column, key = int(match[1]), int(match[2]), match[3]
        assert lines[line - 1][column - 1 :].startswith(key), (entry, text)


def test_a_megabyte_of_long_dotted_keys_is_refused_before_parsing() -> None:
    """Hostile input costs bounded work (bench/hostile_agenda.py measures the time and memory)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "hostile_agenda", Path(__file__).resolve().parent.parent / "bench" / "hostile_agenda.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases: dict[str, bytes] = bench.worst_cases()
    for name, data in cases.items():
        assert len(data) <= agenda_toml.MAX_AGENDA_BYTES, name
        assert problems(data), name  # refused, in one pass of bounded work


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('secretariat = ""', '3:15: "secretariat" is empty'),
        (
            "secretariat = 3",
            '3:15: "secretariat" must be a string, not an integer (write secretariat = "3")',
        ),
        (
            'secretariats = "UNODC"',
            '3:1: unknown key "secretariats" in [meeting]; did you mean "secretariat"?',
        ),
    ],
)
def test_the_meeting_s_secretariat_is_checked_as_the_other_keys(line: str, said: str) -> None:
    assert problems(MEETING + line + "\n") == [said]


def test_the_meeting_names_its_secretariat() -> None:
    agenda = parse_agenda((MEETING + 'secretariat = "UNODC"\n').encode(), "a.toml")
    assert agenda.meeting.secretariat == "UNODC"
