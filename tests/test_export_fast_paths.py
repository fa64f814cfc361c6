"""The exporters' fast paths give what the slow paths they skip would give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sessiontui.core.replay import Replayer
from sessiontui.core.state import SessionState
from sessiontui.core.text import _ESCAPE_SEQUENCE, _UNSAFE, safe_display
from sessiontui.exporters.model import _NOT_XML, clean, considerations_of, one_line, xml_safe
from sessiontui.store.file import FileStore

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
