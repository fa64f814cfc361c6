"""The benchmark suite runs end to end on a few hundred events (timings are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_completes_and_totals_agree(tmp_path: Path) -> None:
    """generate.py writes a valid log and peer data; run.py --size smoke finishes with totals agreeing."""
    out = tmp_path / "smoke"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--events", "300", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["events"] == 300
    assert summary["intervals"] > 0
    verify = subprocess.run(
        [sys.executable, "-m", "sessiontui", "verify", str(out / "session.jsonl")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert verify.returncode == 0, verify.stderr
    frames = json.loads((out / "watson" / "frames").read_text(encoding="utf-8"))
    assert sum(stop - start for start, stop, *_ in frames) == summary["total_seconds"]
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--size",
            "smoke",
            "--runs",
            "1",
            "--out",
            str(tmp_path / "run"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(agree)" in done.stdout
    assert "| measure |" in done.stdout


def test_a_command_over_its_time_is_stopped_and_said_so() -> None:
    """At the xl size an export may be hopeless: the bench stops it and its row says so."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = bench  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(bench)
        results = bench.Results()
        peaks: list[str] = []
        bench.TIMED_OUT["smoke"] = 1.0
        sleeper = [sys.executable, "-c", "import time; time.sleep(30)"]
        bench.timed_command_row("`sleep`", sleeper, {}, 3, None, "smoke", results, peaks)
    finally:
        del sys.modules["bench_run"]
    (row,) = results.rows
    assert row.product == "over 1 s (stopped)"
    assert row.met == "n/a"
    assert any("stopped after" in note for note in results.notes)
    assert peaks and peaks[0].startswith("sleep ")


def test_the_tracker_is_measured_from_a_checkpoint_its_run_can_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bench run has an account of its own: measured alone (``--only tui``), the tracker
    must still start from a checkpoint of the log that account can read, not fold it cold."""
    import importlib.util

    from sessiontui.service import CHECKPOINT_EVERY
    from sessiontui.store import checkpoints

    data = tmp_path / "smoke"
    # Enough events for a report to leave a checkpoint (``CHECKPOINT_EVERY``).
    events = str(CHECKPOINT_EVERY + 100)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--events",
            events,
            "--out",
            str(data),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    log = data / "session.jsonl"
    # A checkpoint left under another account (an earlier run's), as a new run finds it.
    other = tmp_path / "earlier-run"
    other.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_DATA_HOME", str(other))
    subprocess.run(
        [sys.executable, "-m", "sessiontui", "report", str(log)],
        check=True,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )
    account = tmp_path / "this-run"
    account.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_DATA_HOME", str(account))

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = bench  # dataclasses look their module up while the class is made
    readable: list[bool] = []

    def probe(kind: str, data: Path, work: Path, *args: object, **options: object) -> object:
        found = checkpoints.read(data / "session.jsonl")
        readable.append(found is not None and found.check() is not None)
        return 0.1, [0.01], 50.0, 1

    try:
        spec.loader.exec_module(bench)
        monkeypatch.setattr(bench, "_probe_once", probe)
        bench.bench_tui(data, 1, 10, 1, bench.Results(), "smoke")
    finally:
        del sys.modules["bench_run"]
    assert readable and all(readable)


def test_a_command_s_peak_memory_is_its_own_not_the_bench_s() -> None:
    """A bench holding a large output must not report its own size as the next command's peak
    (Linux carries a spawning process's high-water mark into the spawned program's count)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_measured", ROOT / "bench" / "measured.py")
    assert spec is not None and spec.loader is not None
    measured = importlib.util.module_from_spec(spec)
    sys.modules["bench_measured"] = measured  # dataclasses look their module up
    try:
        spec.loader.exec_module(measured)
        held = bytearray(300 * 1024 * 1024)
        held[::4096] = b"\x01" * len(held[::4096])  # resident, page by page
        tiny = [sys.executable, "-c", "import sys; sys.exit(3)"]
        usage = measured.Measured(tiny).wait()
        del held
    finally:
        del sys.modules["bench_measured"]
    assert usage.returncode == 3
    assert usage.seconds > 0 and usage.cpu_seconds > 0
    # Python alone is a few tens of megabytes; the bench held 300 MB more.
    assert usage.max_rss_mb < 100
