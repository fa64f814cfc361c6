"""`report --json` on a PostgreSQL session with and without its local state checkpoint.

Starts a throwaway PostgreSQL cluster (``tests/pg.py``), copies a generated log into it, then
runs ``sessiontui report --json`` on the session's URL in fresh processes, the variants taking
turns so that all are timed in the same minutes:

- ``no caches``: ``SESSIONTUI_NO_CHECKPOINT=1`` (every line read from the server, all folded);
- ``line cache``: the code of ``--without`` (a checkout from before PostgreSQL sessions had a
  state checkpoint), its lines cached here: every line decoded and folded;
- ``checkpoint``: the line cache and the state checkpoint (the tail after it is folded).

Prints a Markdown table (median wall time and peak resident memory of the process).

    python bench/pg_checkpoint.py --log bench/data/session.jsonl --without ../main [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from measured import Measured  # noqa: E402

from tests import pg  # noqa: E402


def _peak_of(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time and this process's own peak memory (``/usr/bin/time`` would be a dependency).

    Its output goes to files, not pipes: a report fills a pipe long before it exits.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        run = Measured(
            [sys.executable, "-m", "sessiontui", *args],
            stdout=out,
            stderr=err,
            env=env,
            # Not in a checkout: ``-m`` would import the current folder's code before PYTHONPATH.
            cwd=tempfile.gettempdir(),
        )
        usage = run.wait()
        out.seek(0)
        err.seek(0)
        if usage.returncode != 0:
            raise SystemExit(f"sessiontui {args[0]} failed: {err.read().decode().strip()}")
        return usage.seconds, usage.max_rss_mb, out.read().decode()


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--log", type=Path, required=True, help="a session log to copy in")
    parser.add_argument(
        "--without", type=Path, required=True, help="a checkout without PostgreSQL checkpoints"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="sessiontui-pgbench-"))
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("SESSIONTUI_NO_CHECKPOINT", None)
    try:
        with pg.cluster() as cluster:
            copied = subprocess.run(
                [sys.executable, "-m", "sessiontui", "copy", str(args.log), cluster.url],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if copied.returncode != 0:
                raise SystemExit(f"copy failed: {copied.stderr.strip()}")
            url = copied.stdout.strip()
            session = url.rpartition("#")[2]
            state = data / "sessiontui" / "cache" / "pg" / f"{session}.jsonl.checkpoint"
            report = ["report", "--json", "--log", url]
            _peak_of(report, env)  # leaves the line cache and the checkpoint
            if not state.exists():
                raise SystemExit("no checkpoint was left")
            kept = state.read_bytes()
            times: dict[str, list[tuple[float, float]]] = {
                "no caches": [],
                "line cache": [],
                "checkpoint": [],
            }
            if not (args.without / "sessiontui" / "store" / "postgres.py").exists():
                raise SystemExit(f"{args.without}: not a sessiontui checkout")
            for _ in range(args.runs):
                for name, runs in times.items():
                    run_env = dict(env)
                    if name == "no caches":
                        run_env["SESSIONTUI_NO_CHECKPOINT"] = "1"
                    if name == "line cache":
                        run_env["PYTHONPATH"] = str(args.without.resolve())
                    elapsed, peak, _ = _peak_of(report, run_env)
                    if state.read_bytes() != kept:
                        raise SystemExit("the checkpoint changed between runs")
                    runs.append((elapsed, peak))
            events = sum(1 for _ in args.log.open("rb")) - 1
            print(f"`report --json` on a PostgreSQL session of {events:,} events, ")
            print(f"median of {args.runs} fresh processes each, taking turns:\n")
            print("| variant | wall s | peak MB |")
            print("|---|---:|---:|")
            for name, runs in times.items():
                wall = statistics.median(t for t, _ in runs)
                peak = statistics.median(m for _, m in runs)
                print(f"| {name} | {wall:.2f} | {peak:.0f} |")
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
