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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sessiontui.core.events import Event, check_line, decode_event, decode_header  # noqa: E402
from sessiontui.core.replay import Replayer  # noqa: E402

try:
    from sessiontui.core.events import decode_event_bounded
except ImportError:  # an older checkout: the fold checks every payload

    def decode_event_bounded(line: bytes) -> tuple[Event, bool]:
        return decode_event(line), False


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
    decoded = [decode_event_bounded(line) for line in body]
    decode = time.process_time() - started
    del data, lines, body
    events = [event for event, _ in decoded]
    # The product's fold (undo memory included), over events already decoded, fed as the
    # store's opening scan feeds it (each event with whether its payload was decoded within
    # the bounds), and sorted if that stream gives up.
    replayer = Replayer(header, lambda: iter(events))
    started = time.process_time()
    stream = replayer.stream()
    for event, bounded in decoded:
        if not stream.push(event, bounded):
            break
    if not replayer.adopt(stream):
        replayer.rebuild()
    fold = time.process_time() - started
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
