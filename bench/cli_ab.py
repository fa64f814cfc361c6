"""One ``sessiontui`` command run from two checkouts, interleaved: wall time, CPU time, memory.

``python bench/cli_ab.py BEFORE AFTER --runs 5 -- export LOG --format html -o /tmp/x.html``
runs ``python -m sessiontui ARGS`` with the code of ``BEFORE``, then of ``AFTER`` (folders
holding the project, e.g. an export made by ``git archive``, or a worktree), alternately,
each run a fresh process, and prints the medians of each: wall time from spawn to exit,
processor time (user + system, the figure to read on a shared machine) and peak memory.
``--env NAME=VALUE`` sets a variable for both (``SESSIONTUI_NO_CHECKPOINT=1`` for a cold
run). An ``-o`` path gets the checkout's name before its suffix, so that the two outputs can
be compared with ``cmp`` afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from measured import Measured  # noqa: E402


def one_run(tree: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of ``python -m sessiontui args`` run in ``tree``."""
    # ``-m`` puts the working folder first on the path: the checkout's own package is run.
    run = Measured(
        [sys.executable, "-m", "sessiontui", *args],
        cwd=tree,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert run.proc.stderr is not None
    errors = run.proc.stderr.read().decode("utf-8", "replace")
    run.proc.stderr.close()
    usage = run.wait()
    if usage.returncode != 0:
        raise SystemExit(f"{tree}: sessiontui {' '.join(args)} failed: {errors.strip()[-300:]}")
    return usage.seconds, usage.cpu_seconds, usage.max_rss_mb


def named_output(args: list[str], name: str) -> list[str]:
    """``args`` with the ``-o`` path made the checkout's own (``x.html`` -> ``x.before.html``)."""
    out = list(args)
    for flag in ("-o", "--output"):
        if flag in out[:-1]:
            index = out.index(flag) + 1
            if out[index] != "-":
                path = Path(out[index])
                out[index] = str(path.with_name(f"{path.stem}.{name}{path.suffix}"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/cli_ab.py BEFORE AFTER [--runs N] [--env K=V] -- ARGS``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        parser.error("give the command after --")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    env = dict(pair.split("=", 1) for pair in args.env)
    # Byte-compiled as an installed package is (see bench/run.py), outside the timed runs.
    for tree in (args.before, args.after):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(tree / "sessiontui")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    runs: dict[str, list[tuple[float, float, float]]] = {"before": [], "after": []}
    for _ in range(args.runs):
        for name in ("before", "after"):
            tree = getattr(args, name).resolve()
            runs[name].append(one_run(tree, named_output(command, name), env))
    for name, measured in runs.items():
        wall, cpu, rss = (statistics.median(run[k] for run in measured) for k in range(3))
        spread = ", ".join(f"{run[1]:.2f}" for run in measured)
        print(
            f"{name:>6}: wall {wall:.3f} s, CPU {cpu:.3f} s ({spread}), peak {rss:.0f} MB"
            f" (median of {len(measured)})"
        )
    before = statistics.median(run[1] for run in runs["before"])
    after = statistics.median(run[1] for run in runs["after"])
    print(f" after/before CPU: {after / before:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
