"""Where a cold read of a session log spends its time: read, verify, decode, fold, one process.

``python bench/phases.py LOG`` prints the CPU seconds of each phase over the whole log (the
garbage collector off, as the product folds) and the fold's cost per event; CPU time, not
wall time, because the machines this runs on are shared and a phase waiting for a processor
is not a phase costing more; ``--json`` prints
them as one JSON object (``bench/run.py`` reads it). Each phase runs on its own, over lines
already in memory, so the figures add up to a floor for a cold read and the fold is measured
apart from reading and decoding.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sessiontui.core import events as events_module  # noqa: E402
from sessiontui.core.events import Event, check_line, decode_event, decode_header  # noqa: E402
from sessiontui.core.replay import Replayer  # noqa: E402

try:
    from sessiontui.store.file import READ_BLOCK
except ImportError:  # an older checkout: it read a block of this size too
    READ_BLOCK = 1 << 20

# An older checkout has none: it decoded a line at a time.
decode_block_bounded: Callable[[memoryview], list[Event] | None] | None = getattr(
    events_module, "decode_block_bounded", None
)

try:
    from sessiontui.core.events import decode_event_bounded
except ImportError:  # an older checkout: the fold checks every payload

    def decode_event_bounded(line: bytes) -> tuple[Event, bool]:
        return decode_event(line), False


def _runs(lines: list[bytes], decoded: list[tuple[Event, bool]]) -> list[tuple[list[Event], bool]]:
    """The events in the runs the store's scan hands on: those of the lines each block it
    reads completes (``READ_BLOCK`` bytes at a time)."""
    runs: list[tuple[list[Event], bool]] = []
    run: list[Event] = []
    bounded, size, block = True, 0, READ_BLOCK
    for line, (event, in_bounds) in zip(lines, decoded, strict=True):
        size += len(line)
        run.append(event)
        bounded = bounded and in_bounds
        if size >= block:
            runs.append((run, bounded))
            run, bounded, block = [], True, block + READ_BLOCK
    if run:
        runs.append((run, bounded))
    return runs


def _decoded_runs(data: bytes, start: int, lines: list[bytes]) -> list[tuple[list[Event], bool]]:
    """The runs the store's scan hands on, decoded as it decodes them: each block of sound
    lines from ``start`` on at once (``decode_block_bounded``), any other line by line."""
    if decode_block_bounded is None:
        return _runs(lines, [decode_event_bounded(line) for line in lines])
    runs: list[tuple[list[Event], bool]] = []
    while start < len(data):
        end = data.rfind(b"\n", start, start + READ_BLOCK) + 1 or len(data)
        block = memoryview(data)[start:end]
        events = decode_block_bounded(block)
        if events is not None:
            runs.append((events, True))
        else:
            decoded = [decode_event_bounded(line) for line in bytes(block).splitlines(True)]
            runs.append(([e for e, _ in decoded], all(bounded for _, bounded in decoded)))
        start = end
    return runs


def phases(log: Path) -> dict[str, float]:
    """Seconds per phase of a cold read of ``log``, and the fold's microseconds per event."""
    gc.disable()
    started = time.process_time()
    data = log.read_bytes()
    read = time.process_time() - started
    started = time.process_time()
    lines = data.splitlines(keepends=True)
    split = time.process_time() - started
    header = decode_header(lines[0])
    body = lines[1:]
    started = time.process_time()
    for line in body:
        check_line(line)
    verify = time.process_time() - started
    started = time.process_time()
    runs = _decoded_runs(data, len(lines[0]), body)
    decode = time.process_time() - started
    events = [event for run, _ in runs for event in run]
    # The product's fold (undo memory included), over events already decoded, fed as the
    # store's opening scan feeds it (the events of each block it reads, with whether all were
    # decoded within the bounds), and sorted if that stream gives up.
    replayer = Replayer(header, lambda: iter(events))
    started = time.process_time()
    stream = replayer.stream()
    push_run = getattr(stream, "push_run", None)
    for run, bounded in runs:
        if push_run is not None:
            if not push_run(run, bounded):
                break
        elif not all(stream.push(event, bounded) for event in run):
            break  # an older checkout: its scan pushed an event at a time
    if not replayer.adopt(stream):
        replayer.rebuild()
    fold = time.process_time() - started
    del data, lines, body
    return {
        "events": float(len(events)),
        "read": read,
        "split": split,
        "verify": verify,
        "decode": decode,
        "fold": fold,
        "fold_us_per_event": fold / max(1, len(events)) * 1e6,
        "sorted": float(replayer.needs_sort),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/phases.py LOG [--json]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    os.environ.setdefault("SESSIONTUI_NO_CHECKPOINT", "1")
    measured = phases(args.log)
    if args.json:
        print(json.dumps(measured))
        return 0
    for name, value in measured.items():
        print(f"{name:>18}: {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
