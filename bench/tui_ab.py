"""The tracker's start from several checkouts and the bare Textual app, interleaved.

``python bench/tui_ab.py DATA NAME=TREE [NAME=TREE ...] --runs 7`` runs, per round, the bare
app once and then each checkout's product (``TREE/bench/tui_probe.py``: each a fresh process
on a fresh copy of ``DATA/session.jsonl`` with its checkpoints, as ``bench/run.py`` does), and
prints the medians of each: the start (spawn to the first complete screen) and its ratio to
the same round's bare app, the processor time of the whole probe (user + system, start and
key presses: the figure to read on a shared machine), the key press and the peak memory.
``TREE`` is a folder holding the project (a worktree, or an export made by ``git archive``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from measured import Measured  # noqa: E402


@dataclass(frozen=True)
class Run:
    """One probe process: its start, processor time, median key press and peak memory."""

    ready: float
    cpu: float
    key: float
    rss_mb: float


def probe(tree: Path, kind: str, data: Path, work: Path, expected: int) -> Run:
    """One run of ``tree``'s probe (``kind``: product or bare) on a fresh copy of the log."""
    log = work / f"tui-{kind}.jsonl"
    shutil.copyfile(data / "session.jsonl", log)
    for cache in ("checkpoint", "journal"):
        found = data / f"session.jsonl.{cache}"
        if found.exists():
            shutil.copyfile(found, log.with_name(f"{log.name}.{cache}"))
    os.chmod(log, 0o600)
    command = [sys.executable, str(tree / "bench" / "tui_probe.py"), "--app", kind]
    command += ["--log", str(log), "--agenda", str(data / "agenda.toml")]
    command += ["--presses", "3", "--expected", str(expected)]
    run = Measured(
        command, cwd=tree, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc = run.proc
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    shown = time.monotonic()
    rest = proc.stdout.read()
    errors = proc.stderr.read()
    usage = run.wait()
    ready = shown - usage.started
    if usage.returncode != 0 or not first:
        raise SystemExit(f"{tree} ({kind}): {errors.decode('utf-8', 'replace')[-500:]}")
    keys = json.loads(rest.decode().strip().splitlines()[-1])
    return Run(
        ready,
        usage.cpu_seconds,
        statistics.median(keys["times"]),
        usage.max_rss_mb,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="a folder made by bench/generate.py")
    parser.add_argument("trees", nargs="+", metavar="NAME=TREE")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    trees = [
        (name, Path(path).resolve()) for name, _, path in (t.partition("=") for t in args.trees)
    ]
    data = args.data.resolve()
    expected = int(json.loads((data / "summary.json").read_text())["items"])
    bare: list[Run] = []
    product: dict[str, list[Run]] = {name: [] for name, _ in trees}
    with tempfile.TemporaryDirectory(prefix="sessiontui-tui-ab-") as tmp:
        for round_ in range(args.runs):
            bare.append(probe(trees[0][1], "bare", data, Path(tmp), expected))
            for name, tree in trees:
                product[name].append(probe(tree, "product", data, Path(tmp), expected))
            line = "; ".join(
                f"{name} {product[name][-1].ready / bare[-1].ready:.2f}x" for name, _ in trees
            )
            print(f"round {round_ + 1}: bare {bare[-1].ready * 1000:.0f} ms; {line}", flush=True)
    med = statistics.median
    print(
        f"bare: start {med(r.ready for r in bare) * 1000:.0f} ms, "
        f"CPU {med(r.cpu for r in bare) * 1000:.0f} ms, key {med(r.key for r in bare) * 1000:.1f} ms"
    )
    for name, _ in trees:
        runs = product[name]
        ratios = [run.ready / base.ready for run, base in zip(runs, bare, strict=True)]
        keys = [run.key / base.key for run, base in zip(runs, bare, strict=True)]
        print(
            f"{name}: start {med(r.ready for r in runs) * 1000:.0f} ms = {med(ratios):.2f}x bare "
            f"(spread {min(ratios):.2f}x-{max(ratios):.2f}x), "
            f"CPU {med(r.cpu for r in runs) * 1000:.0f} ms, "
            f"key {med(r.key for r in runs) * 1000:.1f} ms = {med(keys):.2f}x bare, "
            f"peak {max(r.rss_mb for r in runs):.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
