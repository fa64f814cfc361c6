"""Whether a cold read costs more per event the further into a long log it is, and why.

``python bench/fold_growth.py LOG [--segment N] [--fresh-state]`` decodes ``LOG`` a block at a
time as the store's opening scan does (``decode_block_bounded``), folds each block as it comes
(``Stream.push_run``, the collector off) and prints the CPU microseconds per event of the decode
and of the fold for each ``N`` events. ``--fresh-state`` folds each segment onto a new state,
the last one dropped: if the cost per event then stays flat while it grows without the option,
what grows is not the work an event asks for but the cost of the memory the folded state
holds (the longer the session, the more of it), since nothing else differs between the two.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sessiontui.core.events import decode_block_bounded, decode_header  # noqa: E402
from sessiontui.core.replay import Replayer, Stream  # noqa: E402
from sessiontui.store.file import READ_BLOCK  # noqa: E402


def segments(log: Path, segment: int, *, fresh_state: bool) -> list[tuple[int, float, float]]:
    """``(events so far, decode µs per event, fold µs per event)`` of each ``segment`` events."""
    gc.disable()
    data = log.read_bytes()
    start = data.index(b"\n") + 1
    header = decode_header(data[:start])

    def new_stream() -> Stream:
        return Replayer(header, lambda: iter(())).stream()

    stream = new_stream()
    rows: list[tuple[int, float, float]] = []
    decode = fold = 0.0
    count = counted = 0
    while start < len(data):
        end = data.rfind(b"\n", start, start + READ_BLOCK) + 1 or len(data)
        began = time.process_time()
        events = decode_block_bounded(memoryview(data)[start:end])
        decoded = time.process_time()
        if events is None:
            raise SystemExit(f"{log}: a block from byte {start} is not sound; verify it first")
        if not stream.push_run(events, bounded=True):
            raise SystemExit(f"{log}: not in time order; this measures an ordered log")
        fold += time.process_time() - decoded
        decode += decoded - began
        count += len(events)
        start = end
        if count - counted >= segment or start >= len(data):
            size = count - counted
            rows.append((count, decode / size * 1e6, fold / size * 1e6))
            decode = fold = 0.0
            counted = count
            if fresh_state:
                stream = new_stream()
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/fold_growth.py LOG [--segment N] [--fresh-state]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--segment", type=int, default=200_000, help="events per row")
    parser.add_argument(
        "--fresh-state", action="store_true", help="fold each segment onto a new state"
    )
    args = parser.parse_args(argv)
    print(f"{'events':>10}  {'decode µs/event':>16}  {'fold µs/event':>14}")
    for count, decode, fold in segments(args.log, args.segment, fresh_state=args.fresh_state):
        print(f"{count:>10,}  {decode:>16.3f}  {fold:>14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
