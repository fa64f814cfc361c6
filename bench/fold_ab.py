"""The fold's cost per event in two checkouts, interleaved, against a floor measured alongside.

``python bench/fold_ab.py BEFORE AFTER LOG [--runs N]`` runs ``bench/phases.py LOG --json``
from each checkout (``BEFORE`` and ``AFTER`` are folders holding the project, e.g. an export
made by ``git archive``), alternately, each run a fresh process, and prints the median fold
in CPU microseconds per event and as a ratio to the same run's decoding of every line (the
floor): on a shared machine the ratio moves less than either figure alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path


def one_run(tree: Path, log: Path) -> dict[str, float]:
    """``phases.py``'s figures for ``log``, measured with the code of ``tree``."""
    found = subprocess.run(
        [sys.executable, str(tree / "bench" / "phases.py"), str(log), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    measured: dict[str, float] = json.loads(found.stdout)
    return measured


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/fold_ab.py BEFORE AFTER LOG [--runs N]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("log", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.runs):
        for name in ("before", "after"):
            runs[name].append(one_run(getattr(args, name), args.log))
    for name, measured in runs.items():
        fold = statistics.median(run["fold_us_per_event"] for run in measured)
        decode = statistics.median(run["decode"] / run["events"] * 1e6 for run in measured)
        ratio = statistics.median(run["fold"] / run["decode"] for run in measured)
        print(
            f"{name:>6}: fold {fold:.2f} us/event, decode {decode:.2f} us/event, "
            f"fold/decode {ratio:.2f} (median of {len(measured)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
