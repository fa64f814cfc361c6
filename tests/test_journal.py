"""The journal: a worked meeting as a golden file, every filter, a damaged log, the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.clock import FakeClock
from sessiontui.core.events import NoteAddData, NoteAdded
from sessiontui.core.journal import Journal, journal_heading, journal_lines
from sessiontui.store.file import FileStore

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "journal"
VIENNA = dt.timezone(dt.timedelta(hours=1))  # Vienna in November (CET); the meeting's zone


# The model meeting's agenda (annotations left out), kept here so the golden files do not move
# when the shipped agenda file is edited.
AGENDA = '''
[meeting]
title = """Second intersessional meeting of the Conference of the States Parties to the UN \\
Convention against Corruption on preparations for the special session of the General Assembly \\
against corruption"""
dates = [2020-11-19, 2020-11-20]
speaking_limit = "3m"
{timezone}

[[items]]
number = "1"
title = "Opening of the meeting and adoption of the agenda"

[[items]]
number = "2"
title = "Preparations for the special session of the General Assembly against corruption in 2021"

  [[items.items]]
  number = "(a)"
  title = "Status of the preparations for the special session"

  [[items.items]]
  number = "(b)"
  title = "General discussion"

  [[items.items]]
  number = "(c)"
  title = "Denying safe havens to corruption offenders and their proceeds of crime"

  [[items.items]]
  number = "(d)"
  title = """Challenges in identifying, tracing and freezing proceeds of corruption, and possible \\
solutions"""

  [[items.items]]
  number = "(e)"
  title = """Optimizing cooperation and assistance mechanisms, especially those involving vast \\
quantities of assets"""

[[items]]
number = "3"
title = "Closure of the meeting"
'''


def write_agenda(folder: Path, timezone: str | None = "Europe/Vienna") -> Path:
    """The model agenda, with a speaking limit and (optionally) the meeting's time zone."""
    path = folder / "agenda.toml"
    zone = f'timezone = "{timezone}"' if timezone else ""
    path.write_text(AGENDA.format(timezone=zone), encoding="utf-8")
    return path


class Meeting:
    """Drives the real CLI in-process, with the clock fixed so the record is the same every run."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch, timezone: str | None) -> None:
        self.clock = FakeClock(dt.datetime(2020, 11, 19, 9, 0, tzinfo=dt.UTC))
        # Every SessionService the CLI builds reads this clock: `at` and `recorded` are fixed.
        monkeypatch.setattr("sessiontui.service.SystemClock", lambda: self.clock)
        self.folder = folder
        self.log = folder / "session.jsonl"
        self.env: dict[str, str | None] = {
            "SESSIONTUI_LOG": str(self.log),
            "XDG_DATA_HOME": str(folder / "xdg"),
            "SESSIONTUI_ROLE": None,
            "SESSIONTUI_ACTOR": None,
            "NO_COLOR": "1",
        }
        self.runner = CliRunner()
        agenda = write_agenda(folder, timezone)
        self.cli("init", str(agenda), "--log", str(self.log))

    def cli(self, *args: str, ok: bool = True) -> Result:
        """Run one command; check it succeeded (or failed, when ``ok`` is False)."""
        result = self.runner.invoke(cli, list(args), env=self.env, catch_exceptions=False)
        assert (result.exit_code == 0) is ok, (args, result.output)
        return result

    def at(self, hhmm: str, day: int = 19) -> Meeting:
        """Set the clock to a local (Vienna) time of the meeting."""
        hour, minute, second = (int(part) for part in f"{hhmm}:00".split(":")[:3])
        local = dt.datetime(2020, 11, day, hour, minute, second, tzinfo=VIENNA)
        self.clock.set(local.astimezone(dt.UTC))
        return self

    def do(self, hhmm: str, actor: str, *args: str, day: int = 19, ok: bool = True) -> Result:
        """At a local time, ``actor`` runs a recording command."""
        self.at(hhmm, day)
        return self.cli(*args, "--actor", actor, ok=ok)

    def last_note(self) -> str:
        """The id of the last note written (notes are edited by id)."""
        lines = self.log.read_text(encoding="utf-8").splitlines()[1:]
        notes = [json.loads(line) for line in lines if '"note.add"' in line]
        return str(notes[-1]["data"]["note"])

    def journal(self, *args: str, ok: bool = True) -> Result:
        """``sessiontui journal LOG ...``."""
        return self.cli("journal", str(self.log), *args, ok=ok)


def play(meeting: Meeting) -> Meeting:
    """Two sittings of the model meeting: items, speakers, notes, a break, a correction, a
    refused conflict, an undo, amendments, a deferral and an implicit opening."""
    m = meeting
    m.do("10:00", "ana", "sitting", "open")
    m.do("10:01", "ana", "open", "1")
    m.do(
        "10:05",
        "rao",
        "note",
        "1",
        "The agenda was adopted as orally amended.",
        "--kind",
        "decision",
    )
    m.do("10:06", "ana", "close", "1")
    m.do("10:07", "ana", "open", "2a")
    m.do("10:08", "ana", "speaker", "2a", "Brazil", "--delegation", "GRULAC", "--start")
    m.do("10:10", "ana", "speaker", "2a", "Austria")
    m.do("10:12", "ana", "speaker", "2a", "Austria", "--start")
    m.do("10:14", "ana", "speaker", "2a", "Austria", "--stop")
    m.do("10:14:30", "ana", "speaker", "2a", "Mexico", "--kind", "reply")
    m.do("10:15", "ana", "speaker", "2a", "Mexico", "--remove")
    m.do(
        "10:16",
        "rao",
        "note",
        "2a",
        "The co-facilitators reported progress.\nConsultations continue.",
    )
    m.do("10:20", "ana", "sitting", "suspend")
    m.do("10:35", "ana", "sitting", "resume")
    m.do("10:40", "ana", "open", "2b")
    m.do("10:45", "ana", "close", "2b")
    # 2(a) was in fact concluded at 10:38; the secretariat records it afterwards.
    m.do("10:50", "ana", "close", "2a", "--at", "2020-11-19 10:38")
    # A second officer, not yet caught up, tries the same: refused, and the journal shows it.
    m.do("10:52", "bob", "close", "2a", ok=False)
    m.do("10:55", "ana", "open", "2c")
    m.do("11:00", "ana", "close", "2c")
    m.do("11:01", "ana", "undo")
    m.do("11:05", "rao", "note", "2c", "Panel on safe havens.")
    m.do("11:06", "rao", "note", "2c", "Panel on denying safe havens.", "--edit", m.last_note())
    m.do("11:08", "rao", "note", "2c", "Draft text circulated.")
    m.do("11:09", "rao", "note", "2c", "--delete", m.last_note())
    m.do("11:10", "ana", "amend", "retitle", "2e", "--title", "Cooperation mechanisms")
    m.do("11:12", "ana", "amend", "add", "--title", "Other matters")
    m.do("12:00", "ana", "sitting", "close")
    m.do("10:00", "ana", "resume", "2c", day=20)
    m.do("10:30", "ana", "close", "2c", day=20)
    m.do("10:31", "ana", "open", "2d", day=20)
    m.do("11:00", "ana", "defer", "2e", day=20)
    m.do("11:30", "ana", "next", day=20)
    m.do(
        "11:45",
        "rao",
        "note",
        "3",
        "Secretariat to circulate the report.",
        "--kind",
        "action",
        day=20,
    )
    m.do("12:00", "ana", "close", "3", day=20)
    m.do("12:01", "ana", "sitting", "close", day=20)
    return m


@pytest.fixture
def meeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Meeting:
    """The worked meeting, played through the CLI, in Vienna time."""
    return play(Meeting(tmp_path, monkeypatch, "Europe/Vienna"))


def check_golden(name: str, text: str, log: Path) -> None:
    """Compare with ``tests/golden/journal/<name>``; ``UPDATE_GOLDEN=1`` rewrites it.

    The closing line names the head of ``log`` (its ids and session differ from run to run):
    it must be the SHA-256 of the whole log, and stands as ``<head>`` in the golden file.
    """
    head = hashlib.sha256(log.read_bytes()).hexdigest()
    assert text.endswith(f"SHA-256 of the log up to that event: {head}\n"), text[-200:]
    text = text.replace(head, "<head>")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def body(result: Result, *, closed: bool = True) -> list[str]:
    """The journal's lines without the heading and the closing head (``closed``: it has one)."""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Journal of the session: ")
    if not closed:
        assert not any(line.startswith("Made from the log") for line in lines)
        return lines[1:]
    assert re.fullmatch(
        r"Made from the log up to event \d+\. SHA-256 of the log up to that event: [0-9a-f]{64}",
        lines[-1],
    ), lines[-1]
    return lines[1:-1]


# -- the golden file ---------------------------------------------------------------------------


def test_journal_golden(meeting: Meeting) -> None:
    result = meeting.journal()
    check_golden("meeting.txt", result.stdout, meeting.log)
    assert "\x1b" not in result.stdout  # no colours, no cursor movement: plain lines


def test_journal_golden_ascii(meeting: Meeting) -> None:
    result = meeting.journal("--ascii")
    check_golden("meeting-ascii.txt", result.stdout, meeting.log)
    assert result.stdout.isascii()


def test_journal_utc_without_timezone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = Meeting(tmp_path, monkeypatch, None)
    m.do("10:00", "ana", "open", "2a")
    lines = m.journal().stdout.splitlines()
    assert lines[0].endswith("Times are in UTC.")
    # 10:00 in Vienna is 09:00 UTC; the implicit opening is shown as such.
    assert (
        lines[1]
        == "19 Nov 09:00:00  ana  ── 1st meeting opened (implicitly, by taking up an item) ──"
    )
    assert lines[2].startswith("19 Nov 09:00:00  ana  ▶ took up 2(a) Status of the preparations")


def test_journal_what_it_shows(meeting: Meeting) -> None:
    lines = body(meeting.journal())
    text = "\n".join(lines)
    assert "── 1st meeting opened ──" in text
    assert "── 2nd meeting opened (implicitly, by taking up an item) ──" in text
    assert "19 Nov 10:38:00  ana  closed 2(a) (recorded 10:50, correction)" in lines
    assert any(
        line.startswith("19 Nov 10:52:00  bob  ✗ was refused: close 2(a) (2(a) was already closed")
        for line in lines
    )
    assert "19 Nov 11:01:00  ana  undid: closed 2(c) (2(c) open)" in lines
    assert "The co-facilitators reported progress. / Consultations continue." in text
    assert "(spoke 4:00, over the 3:00 limit)" in text
    # One line per event (the header aside), in seq order.
    events = list(FileStore(meeting.log, read_only=True, recover=False).read())
    assert len(lines) == len(events)


# -- filters -----------------------------------------------------------------------------------


def test_filter_actor(meeting: Meeting) -> None:
    full = body(meeting.journal())
    rao = body(meeting.journal("--actor", "RAO"))
    assert rao == [line for line in full if line[17:].startswith("rao  ")]
    assert len(rao) == 7


def test_filter_kind(meeting: Meeting) -> None:
    notes = body(meeting.journal("--kind", "notes"))
    assert notes and all(" wrote " in line or " the note " in line for line in notes)
    assert len(notes) == 7
    sittings = body(meeting.journal("--kind", "sittings"))
    assert all("──" in line for line in sittings)
    assert len(sittings) == 6
    check_golden(
        "kind-speakers-sittings.txt",
        meeting.journal("--kind", "speakers", "--kind", "sittings").stdout,
        meeting.log,
    )
    status = body(meeting.journal("--kind", "status"))
    # The undo of a close and the refused close are about status too.
    assert any("undid: closed 2(c)" in line for line in status)
    assert any("was refused: close 2(a)" in line for line in status)
    assert not any("──" in line or "wrote" in line for line in status)


def test_filter_item(meeting: Meeting) -> None:
    check_golden("item-2a.txt", meeting.journal("--item", "2(a)").stdout, meeting.log)
    whole = body(meeting.journal("--item", "2"))
    assert any("took up 2(b)" in line for line in whole)
    assert any("undid: closed 2(c)" in line for line in whole)
    assert not any(" 1 " in line or line.endswith(" 1") for line in whole)
    # An item added by amendment can be named.
    added = body(meeting.journal("--item", "4"))
    assert added == ["19 Nov 11:12:00  ana  amended the agenda: added 4 Other matters"]
    assert "no agenda item '9'" in meeting.journal("--item", "9", ok=False).output


def test_filter_since_until(meeting: Meeting) -> None:
    full = body(meeting.journal())
    day_two = body(meeting.journal("--since", "2020-11-20 00:00"))
    assert day_two == [line for line in full if line.startswith("20 Nov")]
    # A bare HH:MM means that time on the day of the last event (20 Nov here).
    morning = body(meeting.journal("--since", "10:30", "--until", "11:30"))
    assert morning == [line for line in day_two if "10:30:00" <= line[7:15] < "11:30:00"]
    assert len(morning) == 3
    iso = body(
        meeting.journal("--since", "2020-11-19T09:20:00Z", "--until", "2020-11-19T10:36:00+01:00")
    )
    assert iso[0].startswith("19 Nov 10:20:00") and iso[-1].startswith("19 Nov 10:35:00")
    # Corrections count at the time they say things happened.
    assert any(
        "recorded 10:50, correction" in line
        for line in body(
            meeting.journal("--since", "2020-11-19 10:38", "--until", "2020-11-19 10:39")
        )
    )
    bad = meeting.journal("--since", "teatime", ok=False)
    assert "--since 'teatime': not a time" in bad.output
    assert "Traceback" not in bad.output


def test_filter_since_until_as_the_report_writes_times(meeting: Meeting) -> None:
    """``10.30 a.m.``, as the draft report prints a time, and ``11.30`` (UN style) read as
    ``10:30`` and ``11:30`` do."""
    wanted = body(meeting.journal("--since", "10:30", "--until", "11:30"))
    assert body(meeting.journal("--since", "10.30 a.m.", "--until", "11.30")) == wanted
    assert body(meeting.journal("--since", "10h30", "--until", "11:30 AM")) == wanted
    bad = meeting.journal("--since", "13.30 p.m.", ok=False)
    assert "--since '13.30 p.m.': not a time" in bad.output


def test_filters_combine(meeting: Meeting) -> None:
    lines = body(meeting.journal("--actor", "rao", "--item", "2c", "--kind", "notes"))
    assert len(lines) == 4
    assert all("rao  " in line and "2(c)" in line for line in lines)


# -- a damaged log -----------------------------------------------------------------------------


def test_damaged_log(meeting: Meeting) -> None:
    raw = meeting.log.read_bytes().splitlines(keepends=True)
    victim = 10  # line 11 of the file: a record in the middle
    assert b'"actor":"ana"' in raw[victim]
    raw[victim] = raw[victim].replace(b'"actor":"ana"', b'"actor":"anb"', 1)
    meeting.log.write_bytes(b"".join(raw))
    verify = meeting.cli("verify", str(meeting.log), ok=False)
    damage_line = verify.stderr.splitlines()[0]
    assert "line 11 (byte" in damage_line and "checksum mismatch" in damage_line
    result = meeting.journal(ok=False)
    assert result.exit_code == 1
    assert damage_line in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1].startswith("sessiontui: error: ")
    assert "Traceback" not in result.stderr
    # The journal of the good part: the nine events before the damaged line; no head (the log
    # has none that can be vouched for).
    good = body(result, closed=False)
    assert len(good) == victim - 1
    assert good[-1].startswith("19 Nov 10:12:00  ana  ended the speech of Brazil")


# -- the API the TUI and the exporters use -----------------------------------------------------


def test_incremental_equals_batch(meeting: Meeting) -> None:
    with FileStore(meeting.log, read_only=True, recover=False) as store:
        events = list(store.read())
        header = store.header
    whole = list(journal_lines(header, events))
    journal = Journal(header)
    pieces: list[str] = []
    for start in range(0, len(events), 4):
        pieces.extend(journal.lines(events[start : start + 4]))
    assert pieces == whole
    assert whole == body(meeting.journal())
    assert journal_heading(header).endswith("Times are in Europe/Vienna.")
    assert list(journal_lines(header, events, kinds={"sittings"}, actor="bob")) == []


def test_hostile_text_is_plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = Meeting(tmp_path, monkeypatch, None)
    m.do("10:00", "ana", "open", "1")
    with FileStore(m.log, read_only=True, recover=False) as store:
        header, events = store.header, list(store.read())
    # An old or hand-made record that was never cleaned on input.
    last = events[-1]
    hostile = NoteAdded(
        seq=last.seq + 1,
        id="x",
        at=last.at,
        recorded=last.at,
        actor="eve\x1b[2J",
        item="1",
        data=NoteAddData(note="n1", kind="note", text="a\x1b]52;c;ZXZpbA==\x07b\u202e\nc"),
    )
    lines = list(journal_lines(header, [*events, hostile]))
    assert lines[-1].endswith("eve  wrote a note on 1: ab / c")
    assert not any(ch in "".join(lines) for ch in "\x1b\x07\u202e")


def test_exporter_imports_no_ui() -> None:
    code = (
        "import sys, sessiontui.core.journal, sessiontui.commands.journal\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
