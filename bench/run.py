"""Run the benchmarks side by side with Timewarrior, Watson and a bare Textual app; print a table."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from measured import Measured  # noqa: E402

SIZES = {"full": 200_000, "xl": 2_000_000, "smoke": 400}
EXPORT_FORMATS = ("md", "html", "docx", "csv", "json", "txt")
EXPORT_TARGET = 2.0
COLD_EXPORT_TARGET = 4.0
WATSON_VENV = BENCH / ".venv-watson"
RESULTS = BENCH / "RESULTS.md"
TABLES = {"full": BENCH / "README-table.md", "xl": BENCH / "README-table-xl.md"}
"""Each size's latest whole table, for docs/benchmarks.md."""
START_MARK = "<!-- results:start (written by bench/run.py) -->"
END_MARK = "<!-- results:end -->"
APPEND_ROUNDS = 40
# Key presses per TUI probe run (the smoke size does fewer: CI only checks that it runs).
PRESSES = {"full": 5, "xl": 5, "smoke": 2}
# Targets that depend on the size (issue 20): peak memory of `report` and of the tracker.
REPORT_MEMORY = {"full": 150.0, "xl": 500.0, "smoke": 150.0}
TUI_MEMORY = {"full": 250.0, "xl": 600.0, "smoke": 250.0}
TUI_START_TARGET = 1.2
FOLD_TARGET_US = 1.5


@dataclass
class Row:
    """One line of the results table."""

    measure: str
    product: str
    peer_name: str = "—"
    peer: str = "—"
    ratio: str = "—"
    target: str = "—"
    met: str = "—"


@dataclass
class Timed:
    """A subprocess's wall time, peak memory and output."""

    seconds: float
    max_rss_mb: float
    stdout: str
    returncode: int
    stderr: str = ""
    timed_out: bool = False


@dataclass
class Results:
    """Everything measured, for the table and the checks."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    totals_agree: bool = True


# -- running things ----------------------------------------------------------------------------


def run_timed(
    cmd: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Timed:
    """Run a command to completion; wall time from spawn to exit and its peak RSS.

    ``timeout``: seconds after which the command is killed (``Timed.timed_out``): a measure
    that hopeless at a size is reported as such instead of holding the bench up.
    """
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # Its own peak memory, not this bench's (``measured``).
        run = Measured(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=full_env, cwd=cwd)
        killer = threading.Timer(timeout, run.kill) if timeout else None
        if killer is not None:
            killer.start()
        try:
            usage = run.wait()
        finally:
            if killer is not None:
                killer.cancel()
        killed = math.isnan(usage.seconds)  # stopped by the timer before it ended
        seconds = timeout if killed and timeout is not None else usage.seconds
        out.seek(0)
        err.seek(0)
        return Timed(
            seconds,
            usage.max_rss_mb,
            out.read().decode("utf-8", "replace"),
            usage.returncode,
            err.read().decode("utf-8", "replace"),
            timed_out=killed,
        )


def sessiontui_cmd(*args: str) -> list[str]:
    """The product's command line, with this interpreter."""
    return [sys.executable, "-m", "sessiontui", *args]


def median(values: list[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else float("nan")


def fmt_s(seconds: float) -> str:
    """Seconds for the table: ms below one second."""
    if seconds != seconds:  # NaN
        return "n/a"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def verdict(value: float, limit: float) -> str:
    """``yes``/``NO`` against an upper limit."""
    return "yes" if value <= limit else "**NO**"


# -- data ----------------------------------------------------------------------------------------


def ensure_data(size: str, out: Path, *, regenerate: bool) -> dict[str, Any]:
    """Generate the data set unless an up-to-date one is there (same size and generator)."""
    generator = BENCH / "generate.py"
    stamp = hashlib.sha256(generator.read_bytes()).hexdigest()[:16]
    summary_path = out / "summary.json"
    if not regenerate and summary_path.exists():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        if summary.get("events") == SIZES[size] and summary.get("generator") == stamp:
            return dict(summary)
    if out.exists():
        shutil.rmtree(out)
    print(f"generating the {size} data set ({SIZES[size]} events) in {out} ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, str(generator), "--events", str(SIZES[size]), "--out", str(out)],
        check=True,
        stdout=sys.stderr,
    )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    summary["generator"] = stamp
    summary_path.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return dict(summary)


def find_timew() -> str | None:
    """The ``timew`` binary, if Timewarrior is installed."""
    return shutil.which("timew")


def find_watson(*, create: bool) -> str | None:
    """Watson in its own venv (``bench/.venv-watson``), created on demand for the full run."""
    binary = WATSON_VENV / "bin" / "watson"
    if binary.exists():
        return str(binary)
    if not create:
        return None
    print(f"creating {WATSON_VENV} with td-watson ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(WATSON_VENV)], check=True)
        subprocess.run(
            [str(WATSON_VENV / "bin" / "pip"), "install", "-q", "td-watson"],
            check=True,
            stdout=sys.stderr,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"cannot install td-watson: {exc}", file=sys.stderr)
        return None
    return str(binary) if binary.exists() else None


# -- totals ------------------------------------------------------------------------------------

_HMS = re.compile(r"(\d+):(\d{2}):(\d{2})\s*$")


def product_total(log: Path) -> float:
    """Total floor time per ``sessiontui report --json``: the top-level items' used time."""
    done = run_timed(sessiontui_cmd("report", str(log), "--json"))
    if done.returncode != 0:
        raise RuntimeError(f"sessiontui report --json failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return float(sum(item["used_seconds"] for item in report["items"] if item["depth"] == 0))


def timew_total(timew: str, db: Path) -> float:
    """Total of ``timew summary :all`` (its last H:MM:SS)."""
    done = run_timed([timew, "summary", ":all"], env={"TIMEWARRIORDB": str(db)})
    match = _HMS.search(done.stdout.strip())
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"timew summary failed: {done.stderr.strip() or done.stdout[-200:]}")
    hours, minutes, seconds = (int(g) for g in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def watson_total(watson: str, folder: Path) -> float:
    """Total of ``watson report --all --json``."""
    done = run_timed([watson, "report", "--all", "--json"], env={"WATSON_DIR": str(folder)})
    if done.returncode != 0:
        raise RuntimeError(f"watson report failed: {done.stderr.strip()}")
    return float(json.loads(done.stdout)["time"])


# -- the measures ------------------------------------------------------------------------------


def bench_report(
    data: Path,
    runs: int,
    timew: str | None,
    watson: str | None,
    results: Results,
    size: str = "full",
) -> None:
    """``sessiontui report`` against ``timew summary`` and ``watson report``, interleaved."""
    log = data / "session.jsonl"
    peers: dict[str, Callable[[], Timed]] = {}
    if timew:
        peers["timew summary"] = lambda: run_timed(
            [timew, "summary", ":all"], env={"TIMEWARRIORDB": str(data / "timewarrior")}
        )
    if watson:
        peers["watson report"] = lambda: run_timed(
            [watson, "report", "--all", "-G"], env={"WATSON_DIR": str(data / "watson")}
        )
    product_times: list[float] = []
    cold_times: list[float] = []
    rss: list[float] = []
    peer_times: dict[str, list[float]] = {name: [] for name in peers}
    ratios: dict[str, list[float]] = {name: [] for name in peers}
    cold_ratios: dict[str, list[float]] = {name: [] for name in peers}
    # The first report of a session leaves a checkpoint beside the log (as the tracker does
    # on quitting); "cold" runs ignore it (SESSIONTUI_NO_CHECKPOINT) and fold the whole log.
    # Its peak memory is the report's too: folding the whole log and writing the checkpoint
    # is what a report of a log new to this machine does.
    first = run_timed(sessiontui_cmd("report", str(log)))
    if first.returncode != 0:
        raise RuntimeError(f"sessiontui report failed: {first.stderr.strip()}")
    rss.append(first.max_rss_mb)
    cold_env = {"SESSIONTUI_NO_CHECKPOINT": "1"}
    for _ in range(runs):
        for name, peer in peers.items():
            mine = run_timed(sessiontui_cmd("report", str(log)))
            if mine.returncode != 0:
                raise RuntimeError(f"sessiontui report failed: {mine.stderr.strip()}")
            theirs = peer()
            if theirs.returncode != 0:
                raise RuntimeError(f"{name} failed: {theirs.stderr.strip()[:300]}")
            cold = run_timed(sessiontui_cmd("report", str(log)), env=cold_env)
            product_times.append(mine.seconds)
            cold_times.append(cold.seconds)
            rss.extend((mine.max_rss_mb, cold.max_rss_mb))
            peer_times[name].append(theirs.seconds)
            ratios[name].append(mine.seconds / theirs.seconds)
            cold_ratios[name].append(cold.seconds / theirs.seconds)
        if not peers:
            mine = run_timed(sessiontui_cmd("report", str(log)))
            cold = run_timed(sessiontui_cmd("report", str(log)), env=cold_env)
            product_times.append(mine.seconds)
            cold_times.append(cold.seconds)
            rss.extend((mine.max_rss_mb, cold.max_rss_mb))
    # Issue 20: warm <= 0.1x either peer; cold <= 0.4x timew and <= 0.3x watson.
    warm_target = 0.1
    targets = {"timew summary": 0.4, "watson report": 0.3}
    for name in ("timew summary", "watson report"):
        if name not in peers and size == "xl":
            continue
        if name not in peers:
            results.rows.append(
                Row(
                    "`report` (whole log)",
                    fmt_s(median(product_times)),
                    name,
                    "not installed",
                    "n/a",
                    f"<= {warm_target}x",
                    "n/a",
                )
            )
            results.notes.append(f"{name}: not installed, comparison skipped")
            continue
        ratio = median(ratios[name])
        results.rows.append(
            Row(
                "`report` (whole log, from its checkpoint)",
                fmt_s(median(product_times)),
                name,
                fmt_s(median(peer_times[name])),
                f"{ratio:.2f}x",
                f"<= {warm_target}x",
                verdict(ratio, warm_target),
            )
        )
        cold_ratio = median(cold_ratios[name])
        results.rows.append(
            Row(
                "`report` (whole log, cold: no checkpoint)",
                fmt_s(median(cold_times)),
                name,
                fmt_s(median(peer_times[name])),
                f"{cold_ratio:.2f}x",
                f"<= {targets[name]}x",
                verdict(cold_ratio, targets[name]),
            )
        )
    if size == "xl":
        warm = median(product_times)
        results.rows.append(
            Row(
                "`report` cold (no checkpoint), 2,000,000 events",
                fmt_s(median(cold_times)),
                target="see below",
            )
        )
        results.rows.append(
            Row(
                "`report` from its checkpoint, 2,000,000 events",
                fmt_s(warm),
                target="<= 1 s",
                met=verdict(warm, 1.0),
            )
        )
        bench_linear(data, runs, cold_times, results)
    peak = max(rss)
    limit = REPORT_MEMORY[size]
    results.rows.append(
        Row(
            "peak memory, `report`",
            f"{peak:.0f} MB",
            target=f"<= {limit:.0f} MB",
            met=verdict(peak, limit),
        )
    )


def bench_linear(data: Path, runs: int, xl_cold: list[float], results: Results) -> None:
    """Cold ``report`` of the xl log against the full-size log's, both timed in this run."""
    # The full size's data beside the xl's (made here if missing, as the full run would).
    full = data.parent / "full" / "session.jsonl"
    try:
        ensure_data("full", full.parent, regenerate=False)
    except (OSError, subprocess.CalledProcessError) as exc:
        results.notes.append(f"no {full} ({exc}): the xl cold report is not compared")
        return
    small = [
        run_timed(
            sessiontui_cmd("report", str(full)), env={"SESSIONTUI_NO_CHECKPOINT": "1"}
        ).seconds
        for _ in range(runs)
    ]
    ratio = median(xl_cold) / median(small)
    results.rows.append(
        Row(
            "`report` cold, 2,000,000 events",
            fmt_s(median(xl_cold)),
            "the same, 200,000 events",
            fmt_s(median(small)),
            f"{ratio:.1f}x",
            "<= 10x",
            verdict(ratio, 10.0),
        )
    )


def bench_fold(data: Path, runs: int, results: Results) -> None:
    """The phases of a cold read in one process, CPU time (``bench/phases.py``); the fold per event."""
    measured: list[dict[str, float]] = []
    for _ in range(runs):
        done = run_timed(
            [sys.executable, str(BENCH / "phases.py"), str(data / "session.jsonl"), "--json"]
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench/phases.py failed: {done.stderr.strip()[-300:]}")
        measured.append(json.loads(done.stdout))
    per_event = median([m["fold_us_per_event"] for m in measured])
    results.rows.append(
        Row(
            "fold, per event (decoded events, in process, CPU time)",
            f"{per_event:.2f} µs",
            target=f"<= {FOLD_TARGET_US} µs",
            met=verdict(per_event, FOLD_TARGET_US),
        )
    )
    parts = ", ".join(
        f"{name} {fmt_s(median([m[name] for m in measured]))}"
        for name in ("read", "split", "verify", "decode", "fold")
    )
    results.notes.append(
        f"cold read phases, one process, CPU time, medians (bench/phases.py): {parts}"
    )


def _probe_once(
    kind: str, data: Path, work: Path, expected: int, presses: int, *, first_open: bool = False
) -> tuple[float, list[float], float, int]:
    """One TUI probe run: (start seconds, key press times, peak RSS MB, presses that changed).

    ``first_open``: the log without its checkpoints, as a tracker opens a log new to it.
    """
    # Its own file for a first open: the checkpoints earlier runs left beside theirs stay there.
    log = work / f"tui-{kind}{'-first' if first_open else ''}.jsonl"
    shutil.copyfile(data / "session.jsonl", log)
    for kind_of_checkpoint in () if first_open else ("checkpoint", "journal"):
        # The tracker starts from the log's checkpoints, as in real use: its state, and its
        # journal (LOG.journal, left by an earlier journal or txt export) for the journal panel.
        checkpoint = data / f"session.jsonl.{kind_of_checkpoint}"
        if checkpoint.exists():
            shutil.copyfile(checkpoint, log.with_name(f"{log.name}.{kind_of_checkpoint}"))
    os.chmod(log, 0o600)
    cmd = [
        sys.executable,
        str(BENCH / "tui_probe.py"),
        "--app",
        kind,
        "--log",
        str(log),
        "--agenda",
        str(data / "agenda.toml"),
        "--presses",
        str(presses),
        "--expected",
        str(expected),
    ]
    run = Measured(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    proc = run.proc
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    shown = time.monotonic()
    rest = proc.stdout.read()
    err = proc.stderr.read()
    usage = run.wait()
    # From the probe's start (not the launcher's) to its first line.
    ready = shown - usage.started
    if usage.returncode != 0 or not first:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(
            f"TUI probe ({kind}) failed: {message[-1] if message else usage.returncode}"
        )
    keys = json.loads(rest.decode().strip().splitlines()[-1])
    return ready, list(keys["times"]), usage.max_rss_mb, int(keys["changed"])


def leave_checkpoint(log: Path) -> None:
    """Leave beside ``log`` a checkpoint this run's account can read, as a report does.

    The tracker's probes start from the log's checkpoint, as in real use. Each run has an
    account of its own (``main``), so a checkpoint left by an earlier run is not this one's
    (its seal fails, and it is ignored): the report measure's first report leaves one, but
    the TUI measured alone (``--only tui``) opened every copy of the log cold.
    """
    done = run_timed(sessiontui_cmd("report", str(log)))
    if done.returncode != 0:
        raise RuntimeError(f"sessiontui report failed: {done.stderr.strip()}")


def product_tui_missing() -> str | None:
    """Why the product's TUI cannot be measured yet, or None when it can."""
    try:
        from sessiontui.ui.app import SessionApp  # noqa: F401
    except ImportError as exc:
        return f"n/a (not built yet: {exc})"
    return None


def bench_tui(
    data: Path, runs: int, expected: int, presses: int, results: Results, size: str = "full"
) -> None:
    """TUI start and one status change, product against the bare Textual app, interleaved."""
    missing = product_tui_missing()
    if missing:
        for measure in ("TUI start to first complete screen", "one status change, key to screen"):
            results.rows.append(Row(measure, missing, "bare Textual app", "—", "—", "", "n/a"))
        results.rows.append(Row("peak memory, TUI", missing, target="<= 250 MB", met="n/a"))
        return
    leave_checkpoint(data / "session.jsonl")
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as tmp:
        work = Path(tmp)
        start_ratio, key_ratio = [], []
        mine_start, bare_start, mine_key, bare_key, rss = [], [], [], [], []
        unchanged = 0
        for _ in range(runs):
            m_start, m_keys, m_rss, m_changed = _probe_once(
                "product", data, work, expected, presses
            )
            b_start, b_keys, _, _ = _probe_once("bare", data, work, expected, presses)
            unchanged += presses - m_changed
            mine_start.append(m_start)
            bare_start.append(b_start)
            rss.append(m_rss)
            start_ratio.append(m_start / b_start)
            mine_key.append(median(m_keys))
            bare_key.append(median(b_keys))
            key_ratio.append(median(m_keys) / median(b_keys))
            if len(mine_start) >= 3 and min(mine_start) > 20 * 1.3 * median(bare_start):
                # Twenty times over the target: more runs only lengthen the bench.
                results.notes.append(f"TUI: stopped after {len(mine_start)} runs (far over target)")
                break
        # A log new to the tracker (copied from another machine, or its checkpoints deleted):
        # the whole log folded, and a checkpoint left on quitting. Its peak counts too.
        _, _, first_rss, _ = _probe_once("product", data, work, expected, presses, first_open=True)
    ratio = median(start_ratio)
    # Issue 20 sets the start's target for the 200,000-event log; at 2,000,000 events it asks
    # for the figure, and for the tracker's peak memory below.
    start_target = None if size == "xl" else TUI_START_TARGET
    results.rows.append(
        Row(
            "TUI start to first complete screen",
            fmt_s(median(mine_start)),
            "bare Textual app, same tree",
            fmt_s(median(bare_start)),
            f"{ratio:.2f}x",
            f"<= {start_target}x" if start_target is not None else "— (none at this size)",
            verdict(ratio, start_target) if start_target is not None else "—",
        )
    )
    results.notes.append(
        f"TUI start ratio over {len(start_ratio)} runs: median {ratio:.2f}x, "
        f"spread {min(start_ratio):.2f}x-{max(start_ratio):.2f}x"
    )
    ratio = median(key_ratio)
    results.rows.append(
        Row(
            "one status change, key to updated screen",
            fmt_s(median(mine_key)),
            "Textual `set_label` repaint",
            fmt_s(median(bare_key)),
            f"{ratio:.2f}x",
            "<= 2x",
            verdict(ratio, 2.0),
        )
    )
    if unchanged:
        results.notes.append(
            f"TUI: {unchanged} key press(es) changed nothing in the log (check the probe's key)"
        )
    results.notes.append(
        f"TUI peak memory: {max(rss):.0f} MB from the log's checkpoints, "
        f"{first_rss:.0f} MB opening it with none"
    )
    peak = max(*rss, first_rss)
    limit = TUI_MEMORY[size]
    results.rows.append(
        Row(
            "peak memory, TUI",
            f"{peak:.0f} MB",
            target=f"<= {limit:.0f} MB",
            met=verdict(peak, limit),
        )
    )


def bench_append(data: Path, runs: int, results: Results) -> None:
    """One durable append through ``FileStore.append`` against raw ``os.write`` + ``fdatasync``."""
    import uuid

    import msgspec

    from sessiontui.core.clock import SystemClock
    from sessiontui.core.events import Draft, NoteAddData, seal
    from sessiontui.store.file import FileStore

    clock = SystemClock()
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-", dir=data) as tmp:
        log = Path(tmp) / "append.jsonl"
        shutil.copyfile(data / "session.jsonl", log)
        raw_path = Path(tmp) / "raw.bin"
        store = FileStore(log)
        raw = os.open(raw_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        try:

            def draft() -> Draft:
                return Draft(
                    id=uuid.uuid4().hex,
                    at=clock.now(),
                    actor="bench",
                    type="note.add",
                    item=None,
                    data=NoteAddData(
                        note=uuid.uuid4().hex,
                        kind="note",
                        text="A note of typical length for the record.",
                    ),
                    batch=uuid.uuid4().hex,
                )

            # The first append reads every event id (for idempotent retries): measured apart.
            first_started = time.perf_counter()
            store.append([draft()], store.last_seq, clock)
            first = time.perf_counter() - first_started
            ratios, mine_all, raw_all = [], [], []
            for _ in range(runs):
                mine, theirs = [], []
                for _ in range(APPEND_ROUNDS):
                    one = draft()
                    started = time.perf_counter()
                    written = store.append([one], store.last_seq, clock)
                    mine.append(time.perf_counter() - started)
                    line = seal(msgspec.structs.replace(written[0]))
                    started = time.perf_counter()
                    os.write(raw, line)
                    os.fdatasync(raw)
                    theirs.append(time.perf_counter() - started)
                ratios.append(median(mine) / median(theirs))
                mine_all.append(median(mine))
                raw_all.append(median(theirs))
        finally:
            os.close(raw)
            store.close()
    ratio = median(ratios)
    results.rows.append(
        Row(
            "one durable append (fdatasync)",
            fmt_s(median(mine_all)),
            "raw `os.write` + `fdatasync`",
            fmt_s(median(raw_all)),
            f"{ratio:.2f}x",
            "<= 1.5x",
            verdict(ratio, 1.5),
        )
    )
    results.notes.append(f"first append after opening the log: {fmt_s(first)}")


# The exports' and the journal's targets (issue 20) are set for the full size; at xl the issue
# asks for their figures only, so those rows have no target.
TIMED_OUT = {"full": 300.0, "xl": 900.0, "smoke": 120.0}
"""Seconds after which one export or journal command is stopped and its row says so."""


def timed_command_row(
    measure: str,
    cmd: list[str],
    env: dict[str, str],
    runs: int,
    limit: float | None,
    size: str,
    results: Results,
    peaks: list[str],
) -> None:
    """One row: the median wall time of ``runs`` runs of ``cmd`` (fewer when far over
    ``limit``), its verdict against ``limit`` (none: no target at this size); a command that
    fails or runs over ``TIMED_OUT[size]`` says so in its row and a note."""
    times: list[float] = []
    rss: list[float] = []
    problem = ""
    for _ in range(runs):
        done = run_timed(cmd, env=env, timeout=TIMED_OUT[size])
        rss.append(done.max_rss_mb)
        if done.timed_out:
            problem = f"over {TIMED_OUT[size]:.0f} s (stopped)"
            results.notes.append(f"{measure}: stopped after {TIMED_OUT[size]:.0f} s")
            break
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            problem = f"failed: {(lines[-1] if lines else f'exit {done.returncode}')[:80]}"
            results.notes.append(f"{measure} failed: {done.stderr.strip()[-200:]}")
            break
        times.append(done.seconds)
        if limit is not None and len(times) >= 2 and min(times) > 5 * limit:
            # Far over its target: more runs would not change the verdict, only the bench's
            # own run time.
            results.notes.append(f"{measure}: stopped after {len(times)} runs (each over 5x)")
            break
    if rss:
        short = measure.replace("`", "").replace("export --format ", "")
        peaks.append(f"{short.replace(' (cold: no checkpoints)', ' cold')} {max(rss):.0f} MB")
    target = f"<= {limit:.0f} s" if limit is not None else "— (none at this size)"
    if problem:
        results.rows.append(Row(measure, problem, target=target, met="n/a"))
        return
    value = median(times)
    met = verdict(value, limit) if limit is not None else "—"
    results.rows.append(Row(measure, fmt_s(value), target=target, met=met))


def bench_journal(
    log: Path, runs: int, results: Results, size: str = "full", peaks: list[str] | None = None
) -> None:
    """``sessiontui journal LOG`` to a file, from its journal checkpoint and cold."""
    limit = EXPORT_TARGET if size != "xl" else None
    for label, env in (("", {}), (" (cold: no checkpoints)", {"SESSIONTUI_NO_CHECKPOINT": "1"})):
        timed_command_row(
            f"`journal`{label}",
            sessiontui_cmd("journal", str(log)),
            env,
            runs,
            limit,
            size,
            results,
            peaks if peaks is not None else [],
        )


def bench_export(data: Path, runs: int, results: Results, size: str = "full") -> None:
    """``sessiontui export`` in every format, cold then from the checkpoints: median wall time
    each, and the peak memory of every command in a note."""
    probe = run_timed(sessiontui_cmd("export", "--help"))
    if probe.returncode != 0:
        for fmt in EXPORT_FORMATS:
            results.rows.append(
                Row(f"`export --format {fmt}`", "n/a (not built yet)", target="<= 2 s", met="n/a")
            )
        return
    log = data / "session.jsonl"
    journal_checkpoint = log.with_name(log.name + ".journal")
    peaks: list[str] = []
    xl = size == "xl"
    with tempfile.TemporaryDirectory(prefix="sessiontui-bench-") as tmp:
        if "txt" in EXPORT_FORMATS:
            # The first whole journal of a session leaves LOG.journal (as `journal` or an
            # earlier export does); the timed runs start from it, the cold rows below do not.
            journal_checkpoint.unlink(missing_ok=True)
            run_timed(
                sessiontui_cmd("export", str(log), "--format", "txt", "-o", f"{tmp}/first.txt"),
                timeout=TIMED_OUT[size],
            )
        bench_journal(log, runs, results, size, peaks)
        cold_env = {"SESSIONTUI_NO_CHECKPOINT": "1"}
        for fmt in EXPORT_FORMATS:
            # txt is the journal: its cold target is the journal's (2 s), the others' 4 s.
            limit = EXPORT_TARGET if fmt == "txt" else COLD_EXPORT_TARGET
            timed_command_row(
                f"`export --format {fmt}` (cold: no checkpoints)",
                sessiontui_cmd(
                    "export", str(log), "--format", fmt, "-o", f"{tmp}/cold.{fmt}", "--force"
                ),
                cold_env,
                runs,
                None if xl else limit,
                size,
                results,
                peaks,
            )
        for fmt in EXPORT_FORMATS:
            timed_command_row(
                f"`export --format {fmt}`",
                sessiontui_cmd(
                    "export", str(log), "--format", fmt, "-o", f"{tmp}/export.{fmt}", "--force"
                ),
                {},
                runs,
                None if xl else EXPORT_TARGET,
                size,
                results,
                peaks,
            )
    results.notes.append("peak memory of each command above (largest run): " + ", ".join(peaks))


def check_totals(
    data: Path, summary: dict[str, Any], timew: str | None, watson: str | None, results: Results
) -> None:
    """The three tools must report the same total time as the generator computed."""
    expected = float(summary["total_seconds"])
    totals = {"generator": expected, "sessiontui": product_total(data / "session.jsonl")}
    if timew:
        totals["timew"] = timew_total(timew, data / "timewarrior")
    if watson:
        totals["watson"] = watson_total(watson, data / "watson")
    results.totals_agree = all(abs(value - expected) < 1.0 for value in totals.values())
    shown = ", ".join(f"{name} {value:.0f} s" for name, value in totals.items())
    results.notes.append(
        f"total floor time: {shown} ({'agree' if results.totals_agree else 'DISAGREE'})"
    )


# -- output ------------------------------------------------------------------------------------


def table(results: Results) -> str:
    """The results as a Markdown table."""
    lines = [
        "| measure | sessiontui | compared with | peer | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results.rows:
        lines.append(
            f"| {row.measure} | {row.product} | {row.peer_name} | {row.peer} | {row.ratio} | {row.target} | {row.met} |"
        )
    return "\n".join(lines) + "\n"


def machine() -> str:
    """The machine the numbers come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, Python {platform.python_version()}, {platform.platform()}"


def marks(size: str) -> tuple[str, str]:
    """The lines around a size's generated block in RESULTS.md (``full`` keeps the first)."""
    if size == "full":
        return START_MARK, END_MARK
    return (
        START_MARK.replace("results:", f"results-{size}:"),
        END_MARK.replace("results:", f"results-{size}:"),
    )


def write_results(text_block: str, size: str = "full") -> None:
    """Replace a size's generated block of RESULTS.md, keeping the hand-written notes around it."""
    start_mark, end_mark = marks(size)
    block = f"{start_mark}\n{text_block}{end_mark}\n"
    if RESULTS.exists():
        current = RESULTS.read_text(encoding="utf-8")
        if start_mark in current and end_mark in current:
            head, rest = current.split(start_mark, 1)
            _, tail = rest.split(end_mark, 1)
            RESULTS.write_text(head + block + tail.lstrip("\n"), encoding="utf-8")
            return
        if size != "full" and END_MARK in current:
            # Another size's block goes right after the full size's.
            head, tail = current.split(END_MARK, 1)
            RESULTS.write_text(f"{head}{END_MARK}\n\n{block}{tail}", encoding="utf-8")
            return
        RESULTS.write_text(block + "\n" + current, encoding="utf-8")
        return
    RESULTS.write_text("# Benchmark results\n\n" + block, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/run.py [--size full|smoke] [--runs 5]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=tuple(SIZES), default="full")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (medians)")
    parser.add_argument(
        "--out", type=Path, default=None, help="data folder (default bench/out/SIZE)"
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument(
        "--only",
        action="append",
        choices=("fold", "report", "tui", "append", "export"),
        help="run only these measures",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    # Byte-compiled as an installed package is (pip compiles at install time, and Textual and
    # Watson in their environments are): otherwise every run would compile sessiontui's
    # modules again where PYTHONDONTWRITEBYTECODE is set, as on the machines this runs on.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "sessiontui")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = (args.out or BENCH / "out" / args.size).resolve()
    summary = ensure_data(args.size, data, regenerate=args.regenerate)
    # The product's own folder for this account (its cache key, the heads it has seen), new
    # for each run: what an earlier run or another log of the same session left there (a head
    # this log no longer extends is looked into, and warned of) is not part of any measure.
    account = data / "account"
    shutil.rmtree(account, ignore_errors=True)
    account.mkdir(mode=0o700)
    os.environ["XDG_DATA_HOME"] = str(account)
    results = Results()
    timew, watson = find_timew(), find_watson(create=args.size == "full")
    if args.size == "xl" and (timew or watson):
        # Its targets are absolute or against the full size in the same run; the peers took
        # over nine minutes each on a million intervals here (timew summary).
        timew = watson = None
        results.notes.append("xl: Timewarrior and Watson not run (no target compares with them)")
    for name, found in (("Timewarrior (timew)", timew), ("Watson (td-watson)", watson)):
        if not found and args.size != "xl":
            results.notes.append(f"{name} is not installed: its comparison is skipped")
            print(f"note: {name} is not installed: its comparison is skipped", file=sys.stderr)
    check_totals(data, summary, timew, watson, results)
    wanted = set(args.only or ("fold", "report", "tui", "append", "export"))
    measures: list[tuple[str, Callable[[], None]]] = [
        ("fold", lambda: bench_fold(data, args.runs, results)),
        ("report", lambda: bench_report(data, args.runs, timew, watson, results, args.size)),
        (
            "tui",
            lambda: bench_tui(
                data, args.runs, int(summary["items"]), PRESSES[args.size], results, args.size
            ),
        ),
        ("append", lambda: bench_append(data, args.runs, results)),
        ("export", lambda: bench_export(data, args.runs, results, args.size)),
    ]
    for name, measure in measures:
        if name in wanted:
            measure()
            # Rows so far, as they come: a long run cut short still says what it measured.
            print(table(results), file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = (
        f"{summary['events']} events ({summary['intervals']} floor intervals, {summary['sittings']} sittings, "
        f"{summary['items']} agenda items); medians of {args.runs} run(s), ratios per interleaved run"
    )
    rendered = table(results)
    notes = "".join(f"- {note}\n" for note in results.notes)
    print(
        f"\n{heading}\n\n{rendered}\n{notes}\nmachine: {machine()}\ndate: {today}; bench took {elapsed:.0f} s"
    )
    if args.size in ("full", "xl") and not args.only:
        TABLES[args.size].write_text(rendered, encoding="utf-8")
        write_results(
            f"Command: `python bench/run.py --size {args.size} --runs {args.runs}`  \n"
            f"Date: {today}  \nMachine: {machine()}  \nData: {heading}  \n"
            f"Bench wall time: {elapsed:.0f} s\n\n{rendered}\n{notes}",
            args.size,
        )
    return 0 if results.totals_agree else 1


if __name__ == "__main__":
    sys.exit(main())
