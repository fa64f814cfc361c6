"""The JSON export copies events out of the log as written (``EventText``): same bytes as decoding."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sessiontui.core import session as s
from sessiontui.core.clock import FakeClock
from sessiontui.core.session import replay
from sessiontui.exporters import ExportOptions, render
from sessiontui.exporters.jsondoc import _instant_text
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore

from .conftest import START, make_log

HOSTILE = [
    "plain",
    'quote " and backslash \\ and a tab\there',
    "line one\nline two",
    "escape \x1b]52;c;eA==\x07 and bell",
    "bidi \u202e override, zero width \u200b, NBSP\xa0here",
    "Ωμέγα, 中文, عربى",
]


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(notes=False),
        ExportOptions(speakers=False),
        ExportOptions(items=("2a",)),
    ],
)
def test_texts_give_the_same_document_as_events(tmp_path: Path, options: ExportOptions) -> None:
    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana\x1b[31m", clock=clock)
    service.run(s.OpenItem("2a"))
    for number, text in enumerate(HOSTILE):
        clock.advance(30)
        service.run(s.AddNote("2a", text, kind="decision" if number % 2 else "note"))
        service.run(s.AddSpeaker("2a", text, start=True))
    service.run(s.OpenItem("2b"))
    service.store.close()
    with FileStore(log, read_only=True) as store:
        events = list(store.read())
        texts = store.read_texts()
        state = replay(store.header, events)
        # As the export command does: the digest of the verified log, not rebuilt.
        options = dataclasses.replace(options, log_sha256=store.checkpoint().sha256)
        decoded = render("json", store.header, events, state, options)
        copied = render("json", store.header, events[-1:], state, options, texts=texts)
    assert [t.seq for t in texts] == [e.seq for e in events]
    assert copied == decoded


def test_an_instant_with_an_offset_is_written_in_utc() -> None:
    assert _instant_text("2020-11-19T10:00:00Z") == "2020-11-19T10:00:00Z"
    assert _instant_text("2020-11-19T11:00:00.250000+01:00") == "2020-11-19T10:00:00.250000Z"


def test_texts_of_a_repaired_or_damaged_log_are_those_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessiontui.cli import cli

    log = make_log(tmp_path / "s.jsonl")
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    for text in ("n1", "n2", "n3", "n4"):
        service.run(s.AddNote("1", text))
    service.store.close()
    data = bytearray(log.read_bytes())
    data[data.index(b"n2")] ^= 0x02
    log.write_bytes(bytes(data))
    with FileStore(log, read_only=True) as damaged:  # good up to the damaged line
        assert [t.seq for t in damaged.read_texts()] == [e.seq for e in damaged.read()] == [1]
    assert CliRunner().invoke(cli, ["repair", str(log)]).exit_code == 0
    with FileStore(log, read_only=True) as repaired:  # the repair marker is not an event
        assert [t.seq for t in repaired.read_texts()] == [e.seq for e in repaired.read()]
        assert [t.type for t in repaired.read_texts()] == ["note.add"] * 3
