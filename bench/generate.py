"""Generate a large agenda, a session log on it, and the same intervals for Timewarrior and Watson."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script from anywhere: the product package lives one folder up.
    sys.path.insert(0, str(ROOT))

from sessiontui.core.agenda_toml import load_agenda_file  # noqa: E402
from sessiontui.core.commands import (  # noqa: E402
    AddNote,
    AddSpeaker,
    CloseItem,
    Command,
    Context,
    OpenItem,
    SittingCommand,
    StopSpeaker,
    decide,
)
from sessiontui.core.events import Draft, event_class, new_header, seal  # noqa: E402
from sessiontui.core.fold import apply  # noqa: E402
from sessiontui.core.state import SessionState  # noqa: E402

SEED = 20201119
START = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)
# Agenda shape: 40 items x 4 sub-items x 5 sub-sub-items = 40 + 160 + 800 = 1,000 items.
TOP, SUB, LEAF = 40, 4, 5
SITTING_SECONDS = 3 * 3600
SPEAKERS = (
    "Argentina", "Brazil", "China", "Egypt", "France", "Germany", "India", "Japan", "Kenya",
    "Mexico", "Nigeria", "Norway", "Pakistan", "Russian Federation", "South Africa",
    "United Kingdom", "United States", "European Union", "Group of 77 and China", "Viet Nam",
)  # fmt: skip
WORDS = (
    "delegation", "welcomed", "report", "Secretariat", "noted", "progress", "draft", "resolution",
    "recommended", "adoption", "consultations", "informal", "text", "paragraph", "agreed",
    "proposal", "review", "mechanism", "implementation", "chapter", "assets", "recovery",
)  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """One time an item was on the floor, in whole seconds since the epoch."""

    start: int
    end: int
    item: str
    root: str


def agenda_document() -> dict[str, object]:
    """The agenda as a TOML document: 1,000 items over three levels."""
    items: list[dict[str, object]] = []
    for top in range(1, TOP + 1):
        subs: list[dict[str, object]] = []
        for sub in range(SUB):
            leaves = [
                {"title": f"Question {top}.{sub + 1}.{leaf + 1} under consideration", "minutes": 20}
                for leaf in range(LEAF)
            ]
            subs.append({"title": f"Sub-item {sub + 1} of agenda item {top}", "items": leaves})
        items.append({"title": f"Agenda item {top} of the benchmark session", "items": subs})
    return {
        "meeting": {
            "title": "Benchmark session of a subsidiary body (three weeks, 1,000 items)",
            "body": "Conference of the States Parties",
            "dates": [dt.date(2020, 11, 19), dt.date(2020, 12, 10)],
            "timezone": "UTC",
            "numbering": ["1", "(a)", "(i)"],
        },
        "items": items,
    }


class _Writer:
    """Seals drafts into chained events, writes them, and folds them into the state."""

    def __init__(
        self, out: BinaryIO, header_line: bytes, header_sum: str, state: SessionState
    ) -> None:
        self.out = out
        self.prev = header_sum
        self.seq = 0
        self.state = state
        out.write(header_line)

    def emit(self, drafts: list[Draft]) -> None:
        """Give each draft the next ``seq`` and the previous line's sum, write and fold it."""
        for draft in drafts:
            self.seq += 1
            event = event_class(draft.type)(
                seq=self.seq,
                id=draft.id,
                at=draft.at,
                recorded=draft.at,
                actor=draft.actor,
                item=draft.item,
                data=draft.data,
                role=draft.role,
                batch=draft.batch,
                prev=self.prev,
            )
            self.out.write(seal(event))
            self.prev = event.sum
            apply(self.state, event)


def generate(events: int, out: Path, *, seed: int = SEED) -> dict[str, object]:
    """Write the agenda, the log, and the Timewarrior and Watson data into ``out``.

    Returns:
        A summary: event and interval counts and the total floor time in seconds.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    agenda_path = out / "agenda.toml"
    agenda_path.write_text(tomli_w.dumps(agenda_document()), encoding="utf-8")
    spec = load_agenda_file(agenda_path)
    header = new_header(
        spec,
        created=START - dt.timedelta(hours=1),
        agenda_path=str(agenda_path),
        agenda_sha256=hashlib.sha256(agenda_path.read_bytes()).hexdigest(),
        session_id=uuid.UUID(int=rng.getrandbits(128)).hex,
    )
    header_line = seal(header)
    state = SessionState(header)
    leaves = [node.id for node in state.agenda if not node.children]

    def new_id() -> str:
        # Seeded ids, so the same seed writes the same bytes.
        return uuid.UUID(int=rng.getrandbits(128)).hex

    log_path = out / "session.jsonl"
    log_path.unlink(missing_ok=True)
    with log_path.open("wb", buffering=1 << 20) as fh:
        writer = _Writer(fh, header_line, header.sum, state)
        clock = START

        def run(command: Command, actor: str = "officer") -> None:
            ctx = Context(actor=actor, at=clock, new_id=new_id)
            writer.emit(decide(state, command, ctx))

        def intervals_so_far() -> int:
            return len(state.floor_log)

        sitting_number = 0
        cursor = 0
        # Leave room for the longest visit plus closing the sitting.
        while writer.seq < events - 8:
            day, half = divmod(sitting_number, 2)
            clock = START + dt.timedelta(days=day, hours=5 * half)
            sitting_end = clock + dt.timedelta(seconds=SITTING_SECONDS)
            run(SittingCommand("open"))
            sitting_number += 1
            while clock < sitting_end and writer.seq < events - 8:
                cursor = (cursor + rng.choice((1, 1, 1, 2, 3))) % len(leaves)
                leaf = leaves[cursor]
                run(OpenItem(leaf))
                clock += dt.timedelta(seconds=rng.randint(30, 420))
                # Steer extras so that intervals stay at half the events: 2 per visit.
                if intervals_so_far() * 2 >= writer.seq:
                    if rng.random() < 0.5:
                        name = rng.choice(SPEAKERS)
                        run(AddSpeaker(leaf, name, start=True), actor="rapporteur")
                        clock += dt.timedelta(seconds=rng.randint(20, 300))
                        run(StopSpeaker(leaf), actor="rapporteur")
                    else:
                        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
                        kind = rng.choice(("note", "note", "decision", "action"))
                        run(AddNote(leaf, text.capitalize() + ".", kind), actor="rapporteur")
                    clock += dt.timedelta(seconds=rng.randint(5, 120))
                run(CloseItem(leaf))
                # The parent item is back on the floor until the next item is taken up.
                clock += dt.timedelta(seconds=rng.randint(5, 90))
                if rng.random() < 0.02 and writer.seq < events - 10:
                    run(SittingCommand("suspend"))
                    clock += dt.timedelta(seconds=rng.randint(300, 1200))
                    run(SittingCommand("resume"))
                    clock += dt.timedelta(seconds=rng.randint(5, 60))
            run(SittingCommand("close"))
        # Pad to the exact count with notes written after the last sitting closed.
        while writer.seq < events:
            clock += dt.timedelta(seconds=1)
            run(
                AddNote(leaves[0], "Closing remark recorded after the sitting."),
                actor="rapporteur",
            )

    intervals = [
        Interval(
            int(f.start.timestamp()),
            int(f.end.timestamp()),
            f.item,
            _root_of(state, f.item),
        )
        for f in state.floor_log
        if f.end > f.start
    ]
    _write_timewarrior(out / "timewarrior", intervals)
    _write_watson(out / "watson", intervals, rng)
    total = sum(i.end - i.start for i in intervals)
    summary: dict[str, object] = {
        "events": writer.seq,
        "intervals": len(intervals),
        "sittings": len(state.sittings),
        "items": len(state.agenda),
        "total_seconds": total,
        "seed": seed,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def _root_of(state: SessionState, item_id: str) -> str:
    ancestors = state.agenda.ancestors(item_id)
    return ancestors[-1] if ancestors else item_id


def _tag(item_id: str) -> str:
    # Ids are letters and digits; a prefix keeps tags and projects from looking like numbers.
    return f"item-{item_id}"


def _stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _write_timewarrior(folder: Path, intervals: list[Interval]) -> None:
    """A ``TIMEWARRIORDB``: monthly data files, an empty config, a tags file."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    for old in data.glob("*.data"):
        old.unlink()
    (folder / "timewarrior.cfg").write_text("", encoding="utf-8")
    (folder / "extensions").mkdir(exist_ok=True)
    months: dict[str, list[str]] = {}
    tags: dict[str, int] = {}
    for interval in intervals:
        start = dt.datetime.fromtimestamp(interval.start, dt.UTC)
        tag = _tag(interval.item)
        tags[tag] = tags.get(tag, 0) + 1
        line = f"inc {_stamp(interval.start)} - {_stamp(interval.end)} # {tag}\n"
        months.setdefault(f"{start:%Y-%m}", []).append(line)
    for month, lines in months.items():
        (data / f"{month}.data").write_text("".join(lines), encoding="utf-8")
    (data / "tags.data").write_text(
        json.dumps({tag: {"count": count} for tag, count in sorted(tags.items())}) + "\n",
        encoding="utf-8",
    )
    (data / "undo.data").write_text("", encoding="utf-8")


def _write_watson(folder: Path, intervals: list[Interval], rng: random.Random) -> None:
    """A ``WATSON_DIR``: the ``frames`` file and an empty ``state``."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = [
        [
            i.start,
            i.end,
            _tag(i.root),
            uuid.UUID(int=rng.getrandbits(128)).hex,
            [_tag(i.item)],
            i.end,
        ]
        for i in intervals
    ]
    (folder / "frames").write_text(json.dumps(frames), encoding="utf-8")
    (folder / "state").write_text("{}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/generate.py --events N --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000, help="events in the session log")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.events < 20:
        parser.error("--events must be at least 20")
    started = time.perf_counter()
    summary = generate(args.events, args.out, seed=args.seed)
    elapsed = time.perf_counter() - started
    print(
        f"generated {summary['events']} events, {summary['intervals']} intervals in "
        f"{summary['sittings']} sittings, {summary['total_seconds']} s on the floor "
        f"into {args.out} ({elapsed:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
