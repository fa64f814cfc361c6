"""The JSON export copies events out of the log as written (``EventText``): same bytes as decoding."""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import chain
from pathlib import Path
from typing import Any

import msgspec
import pytest

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, AddSpeaker, OpenItem
from sessiontui.core.events import EventText
from sessiontui.core.replay import replay
from sessiontui.exporters import ExportOptions, render, render_chunks
from sessiontui.exporters.jsondoc import _instant_text
from sessiontui.service import SessionService
from sessiontui.store.base import StoreError
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
    service.run(OpenItem("2a"))
    for number, text in enumerate(HOSTILE):
        clock.advance(30)
        service.run(AddNote("2a", text, kind="decision" if number % 2 else "note"))
        service.run(AddSpeaker("2a", text, start=True))
    service.run(OpenItem("2b"))
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
        service.run(AddNote("1", text))
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


def _mixed_log(path: Path) -> Path:
    """Clean events with hostile ones here and there: chunks listed as written and chunks not."""
    log = make_log(path)
    clock = FakeClock(START)
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(OpenItem("2a"))
    for n in range(30):
        clock.advance(30)
        text = HOSTILE[n // 5] if n % 5 == 3 else f"note {n}"
        service.run(AddNote("2a", text, kind="decision" if n % 2 else "note"))
        if n % 5 == 0:
            service.run(AddSpeaker("2a", f"speaker {n}", start=True))
    service.store.close()
    # Another person, whose name needs cleaning, records a few events in the middle.
    other = SessionService(FileStore(log), actor=" bob\x1b[2J  ", clock=clock)
    other.run(AddNote("2a", "by bob"))
    other.store.close()
    service = SessionService(FileStore(log), actor="ana", clock=clock)
    service.run(OpenItem("2b"))
    service.store.close()
    return log


@pytest.mark.parametrize("per_chunk", [1, 3, 4096])
@pytest.mark.parametrize(
    "options", [ExportOptions(), ExportOptions(notes=False), ExportOptions(items=("2a",))]
)
def test_streamed_texts_give_the_same_document_as_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: ExportOptions, per_chunk: int
) -> None:
    """Read a block at a time and listed a chunk at a time: the bytes of the decoded events."""
    from sessiontui.exporters import jsondoc

    log = _mixed_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        events = list(store.read())
        state = replay(store.header, events)
        options = dataclasses.replace(options, log_sha256=store.checkpoint().sha256)
        decoded = render("json", store.header, events, state, options)
        monkeypatch.setattr(jsondoc, "_EVENTS_PER_CHUNK", per_chunk)
        for block_bytes in (1, 700, 1 << 22):
            texts = chain.from_iterable(store.iter_texts(block_bytes))
            streamed = render_chunks("json", store.header, events[-1:], state, options, texts=texts)
            assert b"".join(streamed) == decoded


def test_iter_texts_reads_every_event_a_block_at_a_time(tmp_path: Path) -> None:
    log = _mixed_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        seqs = [e.seq for e in store.read()]
        for block_bytes in (1, 500, 1 << 22):  # smaller than a line, a few lines, the whole log
            blocks = list(store.iter_texts(block_bytes))
            assert all(blocks)
            assert [t.seq for block in blocks for t in block] == seqs
        assert len(list(store.iter_texts(500))) > 1
        assert store.read_texts() == [t for block in store.iter_texts(1) for t in block]


def test_an_instant_with_an_offset_among_others_is_written_in_utc(tmp_path: Path) -> None:
    log = _mixed_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        events = list(store.read())
        state = replay(store.header, events)
        texts = store.read_texts()
        expected = render("json", store.header, events[-1:], state, ExportOptions(), texts=texts)
        moment = dt.datetime.fromisoformat(texts[4].at).astimezone(
            dt.timezone(dt.timedelta(hours=1))
        )
        texts[4] = msgspec.structs.replace(texts[4], at=moment.isoformat())
        assert not texts[4].at.endswith("Z")
        offset = render("json", store.header, events[-1:], state, ExportOptions(), texts=texts)
    assert offset == expected


def test_an_event_text_encodes_as_the_event_out_of_its_values() -> None:
    """The export writes an event it lists as written as the ``EventText`` itself."""
    from sessiontui.exporters.jsondoc import EventOut

    assert EventText.__struct_fields__ == EventOut.__struct_fields__
    values: dict[str, Any] = {
        "seq": 7,
        "id": "e7",
        "at": "2020-11-19T10:00:00Z",
        "recorded": "2020-11-19T10:00:01.5Z",
        "actor": "ana",
        "role": None,
        "type": "note.add",
        "item": "2a",
        "batch": "b1",
        "data": msgspec.Raw(b'{"note":"n1","text":"x"}'),
    }
    encode = msgspec.json.encode
    assert encode(EventText(**values)) == encode(EventOut(**values))
    assert encode(EventText(seq=1, id="e", at="a", recorded="r", actor="x", type="t")) == encode(
        EventOut(
            seq=1,
            id="e",
            at="a",
            recorded="r",
            actor="x",
            role=None,
            type="t",
            item=None,
            batch=None,
            data=msgspec.Raw(b"{}"),  # type: ignore[arg-type]
        )
    )


def test_texts_of_a_log_changed_while_read_are_refused(tmp_path: Path) -> None:
    """Every line was verified when the store opened the log: a change since is an error."""
    log = _mixed_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        data = log.read_bytes()
        log.write_bytes(data[:-1] + b" ")  # the same length, its last line no longer ended
        for block_bytes in (1, 500, 1 << 22):
            with pytest.raises(StoreError, match="changed while being read"):
                list(store.iter_texts(block_bytes))
        log.write_bytes(data[:-100])
        with pytest.raises(StoreError, match="became shorter while being read"):
            list(store.iter_texts())


def test_iter_texts_lists_what_the_store_had_read_when_called(tmp_path: Path) -> None:
    """Another writer appends while the texts are taken: they stop where the store was when
    asked (the state and digest of the export), even if it reads on meanwhile."""
    log = _mixed_log(tmp_path / "s.jsonl")
    with FileStore(log, read_only=True) as store:
        seqs = [e.seq for e in store.read()]
        texts = store.iter_texts(500)  # nothing read yet
        writer = SessionService(FileStore(log), actor="bo", clock=FakeClock(START))
        writer.run(AddNote("1", "appended meanwhile"))
        writer.store.close()
        assert store.catch_up()  # the store has read the new event
        assert [t.seq for block in texts for t in block] == seqs
