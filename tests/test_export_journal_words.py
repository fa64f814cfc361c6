"""The journal appendix of a report, worded by the templates in the report's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sessiontui.core.journal import journal_lines
from sessiontui.core.replay import Replayer
from sessiontui.exporters import ExportOptions, render
from sessiontui.store.file import FileStore
from tests.export_scenario import Recorded, cosp_scenario
from tests.test_export import docx_text
from tests.test_journal import Meeting, play


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario (register, groups, an observer, replies, roll calls)."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def _appendix(page: str, heading: str) -> list[str]:
    """The lines of a Markdown report's journal appendix."""
    part = page.split(heading, 1)[1].split("\n## ", 1)[0]
    return [line[2:].replace("\\", "") for line in part.splitlines() if line.startswith("- ")]


def _journal(path: Path) -> list[str]:
    """What ``sessiontui journal`` prints for the log, folded as a report folds a line."""
    with FileStore(path, read_only=True) as store:
        lines = list(journal_lines(store.header, store.read()))
    return [" ".join(line.split()) for line in lines]


def _markdown(path: Path, style: str = "un") -> str:
    """The report of the log as Markdown with its journal appendix."""
    with FileStore(path, read_only=True) as store:
        events = list(store.read())
        replayer = Replayer(store.header, lambda: iter(events))
        replayer.feed(events)
        options = ExportOptions(journal=True, style=style)
        made = render("md", store.header, events, replayer.state, options)
    return bytes(made).decode("utf-8")


def test_the_english_appendix_says_what_the_journal_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cosp: Recorded
) -> None:
    """The phrase file words every event as ``sessiontui journal`` does: corrections, a refused
    command, an undo, amendments, notes edited and deleted, speakers, roll calls."""
    meeting = play(Meeting(tmp_path, monkeypatch, "Europe/Vienna"))
    for log in (meeting.log, cosp.path):
        expected = _journal(log)
        assert _appendix(_markdown(log), "## Annex II. Journal") == expected
        assert _appendix(_markdown(log, style="minutes"), "## Journal") == expected
    said = "\n".join(_journal(meeting.log))
    assert "correction" in said and "was refused" in said and "undid" in said
    assert "amended the agenda" in said and "edited the note" in said


# English words the code used to put in a French report (the journal's verbs, the charts',
# the meetings table's): none is in a French export of the worked example.
ENGLISH = [
    "took up", "resumed", "reopened", "closed", "deferred", "suspended", "wrote", "edited",
    "deleted", "added", "to the speakers", "gave the floor", "ended the speech", "spoke",
    "on the floor", "roll call", "present:", "absent:", "to the register", "meeting", "sitting",
    "Member State", "right of reply", "point of order", "on behalf of", "undid", "refused",
    "Timeline", "used", "planned", "none", "Journal of the session", "Nov ",
]  # fmt: skip
# Words of the record itself (agenda titles, notes, the register's names and groups), which
# the export keeps as recorded.
RECORDED = [
    "Opening of the meeting and adoption of the agenda", "Closure of the meeting",
    "The meeting adopted its provisional agenda.", "The Chair declared the meeting closed.",
    "The meeting took note of the progress report of the co-facilitators.",
    "Second intersessional meeting", "special session", "Group of 77 and China",
    "Western European and other States", "European Union", "Speakers stresed",
]  # fmt: skip


def _without_the_record(text: str) -> str:
    for words in RECORDED:
        text = text.replace(words, "")
    return text


@pytest.mark.parametrize("style", ["un", "minutes"])
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_french_report_has_no_english_words(cosp: Recorded, style: str, fmt: str) -> None:
    made = bytes(
        render(
            fmt,
            cosp.header,
            cosp.events,
            cosp.state,
            ExportOptions(style=style, lang="fr", journal=True),
        )
    )
    text = docx_text(made) if fmt == "docx" else made.decode("utf-8")
    if fmt == "html":
        text = re.sub(r"<style>.*?</style>|<[^>]*>", " ", text, flags=re.S)
    text = _without_the_record(text)
    found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?!\w)", text)]
    assert not found, found
    assert "a donné la parole à" in text and "appel nominal à la 1re séance" in text
    # French punctuation too: a space before the colon of a label.
    assert "Dernier événement : " in text and "Dernier événement:" not in text
