"""Several processes on one log: concurrent appends, kill -9 mid-write, the close race."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sessiontui.core.events import NoteAddData
from sessiontui.store.file import FileStore

from .conftest import make_log

WRITER = """
import sys
from sessiontui.core.commands import AddNote
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
log, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
service = SessionService(FileStore(log), actor=name)
for n in range(count):
    for event in service.run(AddNote("1", f"{name} {n}")):
        sys.stdout.write(event.id + "\\n")
        sys.stdout.flush()
"""

CLOSER = """
import sys, time
from sessiontui.core.commands import CloseItem, Refused
from sessiontui.service import SessionService
from sessiontui.store.file import FileStore
log, name, go = sys.argv[1], sys.argv[2], float(sys.argv[3])
service = SessionService(FileStore(log), actor=name)
while time.time() < go:
    pass
try:
    service.run(CloseItem("2a"))
    print("closed")
except Refused as exc:
    print("refused:", exc)
"""


def read_all(log: Path) -> list[tuple[int, str, str, str]]:
    with FileStore(log, read_only=True, recover=False) as store:
        _good, damage, _torn = store.verify()
        assert damage == []
        return [
            (e.seq, e.id, e.actor, e.data.text if isinstance(e.data, NoteAddData) else e.type)
            for e in store.read()
        ]


def test_n_processes_times_m_appends(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    writers, per_writer = 4, 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(log), f"w{i}", str(per_writer)],
            stdout=subprocess.PIPE,
        )
        for i in range(writers)
    ]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    events = read_all(log)
    assert [seq for seq, *_ in events] == list(range(1, writers * per_writer + 1))
    for i in range(writers):
        texts = [text for _, _, actor, text in events if actor == f"w{i}"]
        assert texts == [f"w{i} {n}" for n in range(per_writer)]


def test_kill_9_never_loses_an_acknowledged_event(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    rng = random.Random(7)
    acknowledged: list[str] = []
    for round_ in range(12):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(log), f"r{round_}w{i}", "100000"],
                stdout=subprocess.PIPE,
            )
            for i in range(2)
        ]
        # Kill once every writer is writing (start-up time varies with the machine's load),
        # then at a random moment in the middle of its appends.
        for proc in procs:
            assert proc.stdout is not None
            acknowledged.append(proc.stdout.readline().decode().strip())
        time.sleep(rng.random() * 0.3)
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
        for proc in procs:
            out, _ = proc.communicate()
            acknowledged += out.decode().split()
    # Opening for writing sets a torn tail aside; then every acknowledged event is there once.
    FileStore(log).close()
    events = read_all(log)
    ids = [event_id for _, event_id, _, _ in events]
    assert [seq for seq, *_ in events] == list(range(1, len(events) + 1))
    assert len(set(ids)) == len(ids)
    missing = set(acknowledged) - set(ids)
    assert not missing
    assert len(acknowledged) > 50  # the rounds really wrote


def test_two_processes_close_the_same_item_at_once(tmp_path: Path) -> None:
    log = make_log(tmp_path / "s.jsonl")
    subprocess.run(
        [sys.executable, "-m", "sessiontui", "open", "2a", "--log", str(log), "--actor", "chair"],
        check=True,
        capture_output=True,
    )
    for attempt in range(3):
        go = time.time() + 1.5
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CLOSER, str(log), name, str(go)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for name in ("ana", "ben")
        ]
        outputs = sorted(proc.communicate(timeout=60)[0].strip() for proc in procs)
        closes = [e for e in read_all(log) if e[3] == "item.close" and e[2] in ("ana", "ben")]
        assert outputs[0] == "closed"
        assert outputs[1].startswith("refused: 2(a) was already closed by ")
        assert len(closes) == 1 + attempt
        if attempt < 2:
            subprocess.run(
                [sys.executable, "-m", "sessiontui", "open", "2a", "--log", str(log)],
                check=True,
                capture_output=True,
                env={**os.environ, "SESSIONTUI_ACTOR": "chair"},
            )
