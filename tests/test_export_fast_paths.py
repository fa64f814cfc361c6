"""The exporters' fast paths give what the slow paths they skip would give."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import types
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessiontui.core.replay import Replayer
from sessiontui.core.state import SessionState
from sessiontui.core.text import _ESCAPE_SEQUENCE, _UNSAFE, safe_display
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.html import _runs as _html_runs
from sessiontui.exporters.html import _to_seconds, esc
from sessiontui.exporters.model import (
    _NOT_XML,
    build_report,
    clean,
    considerations_of,
    one_line,
    xml_safe,
)
from sessiontui.exporters.templating import (
    Block,
    Run,
    Style,
    _breaks,
    _environment,
    _escape,
    _figure,
    _flat,
    _folded,
    _inline,
    _number_runs,
    _ordinal_runs,
    _para,
    _parse,
    _runs_of,
    _table,
    document,
)
from sessiontui.exporters.word import (
    _CELL_BREAKS,
    _CJK,
    _EMPHASIS,
    _Body,
    _cell_content,
    _cjk,
    _run_properties,
    right_to_left,
)
from sessiontui.exporters.word import (
    _escape as _word_escape,
)
from sessiontui.store.file import FileStore
from tests.export_scenario import cosp_scenario

ROOT = Path(__file__).resolve().parent.parent

# Every code point, surrogates included: what a decoded log or a template can hold.
_ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=sys.maxunicode, categories=None))


def test_no_printable_character_is_one_the_cleaning_removes() -> None:
    # ``clean`` and ``xml_safe`` return printable text untouched: checked for every character.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert _NOT_XML.search(char) is None, hex(code)
            assert _UNSAFE.search(char) is None, hex(code)
            assert char != "\x1b"  # every escape sequence starts with ESC
    assert _ESCAPE_SEQUENCE.pattern.startswith("\\x1b")


@given(_ANY_TEXT)
def test_clean_is_safe_display(text: str) -> None:
    assert clean(text) == safe_display(text)


@given(_ANY_TEXT)
def test_xml_safe_drops_what_xml_cannot_carry(text: str) -> None:
    assert xml_safe(text) == _NOT_XML.sub("", text)


def test_clean_of_nothing() -> None:
    assert clean(None) == clean("") == ""


def _considerations_one_by_one(
    state: SessionState,
) -> dict[str, list[tuple[int, str, list[float]]]]:
    """``considerations_of`` as first written: every instant made a stamp of its own."""
    labels = {s.number: one_line(s.label) for s in state.sittings}
    out: dict[str, list[tuple[int, str, list[float]]]] = {}
    for interval in sorted(state.floor_log_until(state.last_at), key=lambda i: (i.start, i.end)):
        start, end = interval.start.timestamp(), interval.end.timestamp()
        for member in (interval.item, *state.ancestors(interval.item)):
            found = out.setdefault(member, [])
            if found and found[-1][0] == interval.sitting:
                stamps = found[-1][2]
                if stamps[-1] == start:
                    stamps[-1] = end
                else:
                    stamps += (start, end)
            else:
                found.append((interval.sitting, labels.get(interval.sitting, ""), [start, end]))
    return out


def test_considerations_match_stamps_made_one_by_one(tmp_path: Path) -> None:
    # Items taken up back to back (one stamp for the end and the next start), with gaps,
    # sub-items and their parents, several sittings, and an item still on the floor.
    out = tmp_path / "bench"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--events",
            "3000",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    store = FileStore(out / "session.jsonl")
    replayer = Replayer(store.header, store.read)
    replayer.rebuild()
    state = replayer.state
    found = {
        item: [(c.sitting, c.sitting_label, c.stamps) for c in considered]
        for item, considered in considerations_of(state).items()
    }
    assert found == _considerations_one_by_one(state)
    assert len(found) > 10


def _number_runs_one_by_one(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    out: list[tuple[int, int]] = []
    for run in runs:
        out += [(run[0], run[-1])] if len(run) >= 3 else [(n, n) for n in run]
    return out


def _runs_of_one_by_one(days: list[dt.date]) -> list[list[dt.date]]:
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


@given(st.lists(st.integers(min_value=-3, max_value=40)))
def test_number_runs_as_one_by_one(numbers: list[int]) -> None:
    assert _number_runs(numbers) == _number_runs_one_by_one(numbers)
    said = {n: markupsafe.Markup(f"{n}.") for n in range(-3, 41)}
    expected = [
        said[a] if a == b else said[a] + markupsafe.escape(" & ") + said[b]
        for a, b in _number_runs_one_by_one(numbers)
    ]
    assert _ordinal_runs(numbers, lambda n: said[n], " & ") == expected


@given(st.lists(st.dates(dt.date(2020, 12, 25), dt.date(2021, 1, 20))))
def test_runs_of_days_as_one_by_one(days: list[dt.date]) -> None:
    assert _runs_of(days) == _runs_of_one_by_one(days)


def test_runs_of_the_first_days() -> None:
    days = [dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(1, 1, 4)]
    assert _runs_of(days) == _runs_of_one_by_one(days)


class _Html:
    def __html__(self) -> str:
        return "<b>x</b>"


class _Marked(markupsafe.Markup):
    pass


@given(st.one_of(_ANY_TEXT, _ANY_TEXT.map(markupsafe.Markup), st.integers(), st.none()))
def test_templates_escape_as_markupsafe(value: object) -> None:
    made = _escape(value)
    assert type(made) is markupsafe.Markup
    assert made == markupsafe.escape(value)


def test_templates_escape_other_values_as_markupsafe() -> None:
    for value in (_Html(), _Marked("<i>"), 1.5, "<&>'\""):
        assert _escape(value) == markupsafe.escape(value)
        assert type(_escape(value)) is markupsafe.Markup


def test_compiled_templates_escape_through_the_fast_path() -> None:
    env = _environment("un", None)
    for template in (env.get_template("report.xml.j2"), env.from_string("{{ x }}")):
        assert template.root_render_func.__globals__["escape"] is _escape
    assert env.from_string("{{ x }}{{ y }}").render(x="<&>", y=markupsafe.Markup("<b/>")) == (
        "&lt;&amp;&gt;<b/>"
    )


@given(st.lists(st.tuples(st.text(" ab\n\t\r\xa0&<"), st.booleans(), st.booleans()), max_size=6))
def test_a_paragraph_of_text_alone_is_parsed_as_any_other(
    paras: list[tuple[str, bool, bool]],
) -> None:
    xml = "".join(
        "<p"
        + (' numbered="no"' if unnumbered else "")
        + (' kind="small"' if small else "")
        + f">{markupsafe.escape(text)}</p>"
        for text, unnumbered, small in paras
    )
    parsed = _parse(ET.fromstring(f"<report>{xml}</report>"), "en").blocks
    # Each through ``_para``, the builder of every paragraph.
    expected = []
    number = 0
    for element in ET.fromstring(f"<report>{xml}</report>"):
        block = _para(element)
        if block is not None:
            if element.get("numbered", "yes") != "no":
                number += 1
                block.number = number
            expected.append(block)
    assert parsed == expected


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu"])
def test_a_time_to_the_second_as_strftime_writes_it(zone: str) -> None:
    clock = Clock(ZoneInfo(zone))
    # Both sides of a change of offset, before 1970, and instants with microseconds.
    starts = [
        dt.datetime(2021, 3, 28, 0, tzinfo=dt.UTC),
        dt.datetime(2021, 10, 31, 0, tzinfo=dt.UTC),
    ]
    moments = [
        start + dt.timedelta(seconds=seconds, microseconds=micro)
        for start in starts
        for seconds in range(0, 4 * 3600, 7)
        for micro in (0, 999_999)
    ]
    moments += [dt.datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=dt.UTC)]
    # At the edges of what a zone can show (a hostile record's instants).
    moments += [
        dt.datetime(year, month, day, hour, 0, 5, tzinfo=dt.UTC)
        for year, month, day in ((1, 1, 1), (1, 1, 2), (9999, 12, 31))
        for hour in (0, 1, 23)
    ]
    for moment in moments:
        assert _to_seconds(clock, moment) == f"{clock.local(moment):%H:%M:%S}", moment


@given(_ANY_TEXT)
def test_cjk_found_as_the_search_finds_it(text: str) -> None:
    assert _cjk(text) == (_CJK.search(text) is not None)


def test_no_ascii_character_reads_right_to_left() -> None:
    # ``right_to_left`` and ``_run`` answer ASCII text without reading it: checked for each.
    for code in range(128):
        assert unicodedata.bidirectional(chr(code)) not in ("R", "AL"), hex(code)
    assert right_to_left("ab \u05d0") is False
    assert right_to_left("1. \u05d0 b") is True


@given(_ANY_TEXT, st.booleans(), st.booleans())
def test_a_run_of_ascii_text_has_its_emphasis_alone(text: str, bold: bool, italic: bool) -> None:
    ascii_text = text.encode("ascii", "ignore").decode("ascii")
    assert _EMPHASIS[bold, italic] == _run_properties(ascii_text, bold, italic)


def _cell_content_split(text: str) -> str:
    """``_cell_content`` as first written: the text split at every tab and line break."""
    content = []
    for piece in _CELL_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            content.append(f'<w:t xml:space="preserve">{_word_escape(piece)}</w:t>')
    return "".join(content)


@given(st.one_of(_ANY_TEXT, st.text(" ab\t\r\n&<")))
def test_a_cell_of_one_piece_as_split(text: str) -> None:
    assert _cell_content(text) == _cell_content_split(text)


class _Styles:
    """What ``_Body`` reads of a document: each style's id."""

    def __getitem__(self, name: str) -> object:
        return types.SimpleNamespace(style_id=name.replace(" ", ""))


def test_a_paragraph_opens_as_its_properties_say_each_time() -> None:
    body = _Body(types.SimpleNamespace(styles=_Styles()))
    cases = [
        (style, number, rtl)
        for style in (None, "Numbered paragraph", "Decision")
        for number in (False, True)
        for rtl in (False, True)
    ]
    for numbering in (7301, 12):
        body.numbering = numbering
        for _ in range(2):  # the second time from what the first made
            for style, number, rtl in cases:
                body.parts.clear()
                body.paragraph("<w:r/>", style=style, number=number, rtl=rtl)
                head = body._head(style, number, rtl, None)
                assert body.parts == [f"{head}<w:r/></w:p>"]
                assert (f'w:numId w:val="{numbering}"' in head) is number


_CELL_TEXT = st.text(" ab\n\t\r\xa0&<")


@given(
    st.lists(
        st.lists(st.tuples(_CELL_TEXT, st.sampled_from(["", "<br/>", "<b>x</b>"])), max_size=4),
        min_size=1,
        max_size=4,
    )
)
def test_a_cell_of_text_alone_is_parsed_as_any_other(rows: list[list[tuple[str, str]]]) -> None:
    xml = (
        "<table>"
        + "".join(
            "<tr>"
            + "".join(
                f"<td>{markupsafe.escape(text)}{inner}{markupsafe.escape(text)}</td>"
                for text, inner in row
            )
            + "</tr>"
            for row in rows
        )
        + "</table>"
    )
    parsed = ET.fromstring(xml)
    _breaks(parsed)  # as ``_parse`` does to a block holding a line break
    block = _table(parsed)
    expected = ET.fromstring(xml)
    _breaks(expected)
    # Each cell through ``_folded(_inline(…))``, as every cell once was.
    cells = [[_folded(_inline(cell)) for cell in tr] for tr in expected]
    assert block is not None
    assert block.rows == cells


def _figure_one_by_one(element: ET.Element) -> Block:
    """``_figure`` as first written: each label found again and removed one by one."""
    rows = [_flat(child) for child in element if child.tag == "label"]
    for child in [child for child in element if child.tag == "label"]:
        index = list(element).index(child)
        tail = child.tail or ""
        if index == 0:
            element.text = (element.text or "") + tail
        else:
            element[index - 1].tail = (element[index - 1].tail or "") + tail
        element.remove(child)
    words = {key: " ".join(value.split()) for key, value in element.attrib.items() if key != "name"}
    runs = _folded(_inline(element))
    return Block("figure", runs, role=element.get("name", ""), lines=rows, words=words)


@given(
    st.text("ab &"),
    st.lists(
        st.tuples(st.sampled_from(["label", "b", "i"]), st.text("ab &"), st.text(" c\n&")),
        max_size=8,
    ),
)
def test_a_figure_is_parsed_as_label_by_label(
    text: str, children: list[tuple[str, str, str]]
) -> None:
    xml = (
        f'<figure name="timeline" title=" A  b ">{markupsafe.escape(text)}'
        + "".join(
            f"<{tag}>{markupsafe.escape(inner)}</{tag}>{markupsafe.escape(tail)}"
            for tag, inner, tail in children
        )
        + "</figure>"
    )
    assert _figure(ET.fromstring(xml)) == _figure_one_by_one(ET.fromstring(xml))


@given(st.lists(st.tuples(st.one_of(_ANY_TEXT, st.text("a\n<&")), st.booleans(), st.booleans())))
def test_html_runs_of_one_line_as_split(runs: list[tuple[str, bool, bool]]) -> None:
    expected = ""
    for text, bold, italic in runs:
        # As every run was written: split at its line breaks, each line escaped.
        html = "<br>".join(esc(line) for line in text.split("\n"))
        html = f"<strong>{html}</strong>" if bold else html
        expected += f"<em>{html}</em>" if italic else html
    assert _html_runs([Run(text, bold, italic) for text, bold, italic in runs]) == expected


@pytest.mark.parametrize(("style", "lang"), [("un", "en"), ("un", "fr"), ("minutes", "en")])
def test_the_timeline_names_each_meeting_as_the_phrases_do(
    tmp_path: Path, style: str, lang: str
) -> None:
    # The timings annex words each meeting's name once, for its row and its timeline label.
    recorded = cosp_scenario(tmp_path / "session.jsonl")
    state = recorded.state
    state.sittings[-1].label = "Resumed <b>&</b> sitting"  # a name the record gave
    report = build_report(
        recorded.header, recorded.events, state, items=None, notes=True, speakers=True, journal=[]
    )
    blocks = document(report, Style(style, lang), times=True).blocks
    timeline = next(b for b in blocks if b.kind == "figure" and b.role == "timeline")
    table = [b for b in blocks if b.kind == "table"][-1]
    env = _environment(style, None)
    phrases: Any = env.get_template(f"phrases/{lang}.j2").make_module({})
    names = [
        " ".join(markupsafe.Markup(phrases.meeting_name(s.number, s.given)).unescape().split())
        for s in report.sittings
    ]
    assert len(names) > 1 and "Resumed <b>&</b> sitting" in names
    assert timeline.lines == names
    assert [_flat_runs(row[0]) for row in table.rows[table.head :]] == names


def _flat_runs(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)
