"""A gap that ``repair`` recorded is never skipped silently: the journal, the report and every
export say it, and the draft report carries it (RELIABILITY.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli

from .conftest import ROOT

AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"
DECISION = "The meeting took note of the oral report of the co-facilitators."


def _run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def repaired(tmp_path: Path) -> Path:
    """A log whose decision on 2(a) had a byte flipped, then set aside by ``repair``."""
    log = tmp_path / "s.jsonl"
    _run("init", str(AGENDA), "--log", str(log))
    _run("open", "2a", "--at", "2020-11-19 10:00", "--log", str(log))
    _run(
        "note", "2a", DECISION, "--kind", "decision", "--at", "2020-11-19 10:05", "--log", str(log)
    )
    _run("close", "2a", "--at", "2020-11-19 10:10", "--log", str(log))
    data = bytearray(log.read_bytes())
    at = data.find(b"took note")
    data[at + 2] ^= 1
    log.write_bytes(bytes(data))
    CliRunner().invoke(cli, ["repair", "--log", str(log)])
    assert DECISION.encode() not in log.read_bytes()
    return log


def test_every_reader_says_the_recorded_gap(repaired: Path) -> None:
    for args in (
        ("journal", "--log", str(repaired)),
        ("report", "--log", str(repaired)),
        ("export", "--log", str(repaired), "--format", "csv", "-o", "-"),
        ("export", "--log", str(repaired), "--format", "txt", "-o", "-"),
    ):
        said = _run(*args).stderr
        assert "recorded as a gap by repair" in said, args
        assert ".damaged-" in said and "missing from the journal" in said, args


@pytest.mark.parametrize(("style", "lang"), [("un", "en"), ("un", "fr"), ("minutes", "en")])
def test_the_draft_report_carries_the_gap(repaired: Path, style: str, lang: str) -> None:
    args = ["--format", "md", "-o", "-", "--style", style, "--lang", lang]
    text = _run("export", "--log", str(repaired), *args).stdout
    head = text.split("\n## ", 1)[0]
    assert "recorded as a gap by repair (set aside in" in head
    assert ("known gap" if lang == "en" else "lacune connue") in head


def test_a_reader_starting_from_a_checkpoint_still_says_the_gap(
    repaired: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gap was found only while the log was read: a checkpoint past it made every later
    reader start after the repair record, silent again."""
    from sessiontui import service
    from sessiontui.service import open_session
    from sessiontui.store.file import FileStore

    monkeypatch.setattr(service, "CHECKPOINT_EVERY", 1)
    _run("report", "--log", str(repaired))  # leaves a checkpoint past the gap
    warm = open_session(str(repaired), read_only=True)
    try:
        assert isinstance(warm.store, FileStore) and warm.store.checkpoint_used is not None
        assert any("recorded as a gap by repair" in gap for gap in warm.store.gaps)
        # Opened past it, the store still finds its record, for the journal to place it.
        assert [gap.data.missing for gap in warm.store.repair_gaps()] == [[3]]
    finally:
        warm.close()
    for args in (("report", "--log", str(repaired)), ("journal", "--log", str(repaired))):
        assert "recorded as a gap by repair" in _run(*args).stderr, args


def _at_its_place(journal: str) -> None:
    """The gap's line stands where the lost decision stood, once, and says what is missing."""
    lines = journal.splitlines()
    gaps = [n for n, line in enumerate(lines) if "gap in the record" in line]
    assert len(gaps) == 1, journal
    (at,) = gaps
    assert "took up 2(a)" in lines[at - 1] and "closed 2(a)" in lines[at + 1], journal
    assert "seq 3 recorded as a gap by repair (set aside in s.jsonl.damaged-" in lines[at]
    assert "sessiontui repair" in lines[at]  # who made the gap, as every line names someone
    # The item the events before it had on the floor, said to be inferred: the record names
    # none (what the missing records held cannot be known).
    assert (
        "; 2(a) was on the floor when it began (inferred from the records before it);"
        in (lines[at])
    )


@pytest.mark.parametrize(
    "how", ["cold", "filtered", "txt", "from its checkpoint", "after a state checkpoint"]
)
def test_the_journal_says_the_gap_at_its_place(
    repaired: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A journal is read afterwards: the gap is in it, not only on stderr at the time."""
    from sessiontui import service

    monkeypatch.setattr(service, "CHECKPOINT_EVERY", 1)
    log = str(repaired)
    if how == "from its checkpoint":
        _run("journal", log)  # leaves the journal checkpoint (LOG.journal), past the gap
        assert repaired.with_name("s.jsonl.journal").exists()
    if how == "after a state checkpoint":
        _run("report", log)  # opened past the gap from here on
    args = {
        "filtered": ("journal", log, "--item", "2a"),
        "txt": ("export", log, "--format", "txt", "-o", "-"),
    }.get(how, ("journal", log))
    done = _run(*args)
    _at_its_place(done.stdout)
    assert "recorded as a gap by repair" in done.stderr  # and still said at the time


def test_the_gap_shows_in_the_journal_of_the_item_on_the_floor(repaired: Path) -> None:
    """The tracker's journal of an item (its panel) showed every line of that item but the
    gap in its middle: the gap concerned no item. It concerns the one on the floor."""
    from sessiontui.service import JournalStream, open_session

    session = open_session(str(repaired), read_only=True)
    try:
        entries = list(JournalStream(session.store).entries())
    finally:
        session.close()
    (gap,) = [items for line, items in entries if "gap in the record" in line]
    assert gap == {"2a"}


def test_a_gap_with_no_item_on_the_floor_names_none(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    _run("init", str(AGENDA), "--log", str(log))
    _run("sitting", "open", "--at", "2020-11-19 10:00", "--log", str(log))
    _run(
        "note", "2a", DECISION, "--kind", "decision", "--at", "2020-11-19 10:05", "--log", str(log)
    )
    _run("open", "2a", "--at", "2020-11-19 10:10", "--log", str(log))
    data = bytearray(log.read_bytes())
    data[data.find(b"took note") + 2] ^= 1
    log.write_bytes(bytes(data))
    _run("repair", "--log", str(log))
    (line,) = [line for line in _run("journal", str(log)).stdout.splitlines() if "gap in" in line]
    assert "on the floor" not in line and "inferred" not in line
