"""A cold whole journal against a floor, and its peak memory as the log grows (issue 20).

``python bench/journal_stream.py LOG [LOG ...] [--runs 3]`` runs, for each log, with
``SESSIONTUI_NO_CHECKPOINT=1`` (no checkpoint read or written: the cold path):

- the floor: a fresh Python that reads the log and decodes every line with msgspec (to dicts);
  what any cold reader of the log pays before it folds anything;
- ``sessiontui export LOG --format txt -o FILE`` and ``sessiontui journal LOG > FILE``.

Each is a subprocess (started by ``measured``'s launcher), timed from start to exit (wall) and
by its own CPU time (user + system: the machines this runs on are shared, and a process
waiting for a processor is not a process costing more), with its own peak RSS. It prints the medians, the ratio of each to
the floor (CPU), and, with two logs or more, how peak memory grows with the log: a journal
written as it is folded should grow like the fold's own state (``report``), not with its lines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from measured import Measured  # noqa: E402

FLOOR = """
import sys, msgspec
decode = msgspec.json.decode
with open(sys.argv[1], "rb") as log:
    count = sum(1 for line in log.read().splitlines() if decode(line) is not None)
print(count)
"""


def run(cmd: list[str], stdout: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run of ``cmd``."""
    env = {**os.environ, "SESSIONTUI_NO_CHECKPOINT": "1"}
    with open(stdout or os.devnull, "wb") as out:
        usage = Measured(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT).wait()
    if usage.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return usage.seconds, usage.cpu_seconds, usage.max_rss_mb


def measure(log: Path, runs: int) -> dict[str, tuple[float, float, float]]:
    """Medians of wall, CPU and peak RSS for the floor, ``report``, txt export and journal."""
    python = sys.executable
    txt = ["export", str(log), "--format", "txt", "--force", "-o"]
    with tempfile.TemporaryDirectory(prefix="sessiontui-journal-") as tmp:
        commands = {
            "floor (read + decode)": ([python, "-c", FLOOR, str(log)], None),
            "report": ([python, "-m", "sessiontui", "report", str(log)], None),
            "export --format txt": (
                [python, "-m", "sessiontui", *txt, f"{tmp}/out.txt"],
                None,
            ),
            "journal": ([python, "-m", "sessiontui", "journal", str(log)], Path(tmp, "j.txt")),
        }
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(runs):  # interleaved: each round runs every command once
            for name, (cmd, out) in commands.items():
                samples[name].append(run(cmd, out))
    return {
        name: tuple(statistics.median(values[i] for values in taken) for i in range(3))  # type: ignore[misc]
        for name, taken in samples.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/journal_stream.py LOG [LOG ...] [--runs N]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("logs", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "sessiontui")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"medians of {args.runs} interleaved runs, SESSIONTUI_NO_CHECKPOINT=1; load {os.getloadavg()[0]:.1f}"
    )
    print("| log | events | measure | wall | CPU | CPU / floor | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    peaks: dict[str, list[tuple[int, float]]] = {}
    for log in (path.resolve() for path in args.logs):
        events = sum(1 for _ in log.open("rb")) - 1
        found = measure(log, args.runs)
        floor_cpu = found["floor (read + decode)"][1]
        for name, (wall, cpu, rss) in found.items():
            print(
                f"| {log.parent.name}/{log.name} | {events} | {name} | {wall:.2f} s | "
                f"{cpu:.2f} s | {cpu / floor_cpu:.1f}x | {rss:.0f} MB |"
            )
            peaks.setdefault(name, []).append((events, rss))
    if len(args.logs) > 1:
        print()
        for name, taken in peaks.items():
            (small_n, small), (large_n, large) = min(taken), max(taken)
            growth = (large - small) / (large_n - small_n) * 1_000_000 if large_n > small_n else 0
            print(
                f"- {name}: peak RSS {small:.0f} -> {large:.0f} MB ({growth:.0f} MB per million events)"
            )
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
