"""Fuzzing the importer: any input gives a valid agenda or one clear refusal, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessiontui.core.agenda_toml import dump_agenda, parse_agenda
from sessiontui.importers import ImportFailure, import_bytes

CORPUS = Path(__file__).parent / "import_corpus"
PIECES = [
    "1.", "2.", "(a)", "(b)", "(i)", "(ii)", "I.", "II.", "A.", "AA.", "Item 4", "4 bis", "11.2",
    "3.1.4", "1)", "a)", "Opening", "of the meeting", "Annotations", "Provisional agenda",
    "Day 1", "Morning", "Thursday 19 November", "19-20 November 2020", "9:30am -", "10.00-13.00",
    "15:00", "(15m)", "20 min", "1h30", "Coffee break", "Lunch", "(Ana Ruiz)", "- Ben Ode",
    "CAC/COSP/2020/1", "Distr.: General", "**", "#", "##", "|", "|---|", "-", "\n", "\n\n",
    "   ", "\f", "2/5", "co-", "\u202e", "\x00", "Annex", ";", "(continued)", "12 noon",
    "1st meeting", "Documents:", "\t", "\r",
]  # fmt: skip
SEEDS = [path.read_bytes() for path in sorted(CORPUS.iterdir()) if path.is_file()]


def check(data: bytes, name: str) -> None:
    try:
        result = import_bytes(data, name)
    except ImportFailure as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert parse_agenda(dump_agenda(result.spec).encode(), name) == result.spec


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), max_size=80),
    st.sampled_from(["agenda.txt", "agenda.md", "agenda"]),
)
def test_agenda_like_noise(pieces: list[str], name: str) -> None:
    check(" ".join(pieces).encode("utf-8", "surrogatepass"), name)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 60), st.binary(max_size=12)), max_size=8
    ),
    st.sampled_from(["agenda.txt", "agenda.md"]),
)
def test_damaged_fixtures(seed: bytes, edits: list[tuple[int, int, bytes]], name: str) -> None:
    data = bytearray(seed)
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data[at : at + length] = insert
    check(bytes(data), name)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["agenda.txt", "agenda.docx", "agenda"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    check(data, name)
