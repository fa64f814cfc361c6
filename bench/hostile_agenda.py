"""Time and memory of ``sessiontui check`` on generated hostile agendas of up to 1 MiB.

Each case is written to a temporary folder and checked by a fresh process, which reports its
wall time and peak resident memory; the targets are issue 17's (1 s, 100 MB, for any agenda
of at most 1 MiB). Run: ``python bench/hostile_agenda.py``. The test suite checks the
refusals (``tests/test_agenda_toml.py``), not the times.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

LIMIT_BYTES = 1024 * 1024
TARGET_SECONDS = 1.0
TARGET_MB = 100.0


def _fill(line: str, head: str = "") -> bytes:
    """``head`` then as many copies of ``line`` (with ``{n}`` numbered) as fit in 1 MiB."""
    out = [head]
    size = len(head.encode())
    n = 0
    while True:
        piece = line.format(n=n)
        if size + len(piece.encode()) > LIMIT_BYTES:
            return "".join(out).encode()
        out.append(piece)
        size += len(piece.encode())
        n += 1


def worst_cases() -> dict[str, bytes]:
    """Each hostile agenda, just under 1 MiB."""
    key = ".".join(f"k{i}" for i in range(63))
    return {
        "63-part dotted keys": _fill("a{n}." + key + " = 1\n"),
        "ones in an array": _fill("1,", "a = [") + b"]",
        "nested arrays": _fill("[", "a = "),
        "long numbers": _fill("a{n} = " + "9" * 99 + "\n"),
        "unknown keys": _fill("k{n} = 1\n", '[meeting]\ntitle = "M"\n'),
        "ten thousand items": _fill(
            '[[items]]\ntitle = "Item {n} with a title"\nminutes = 10\n',
            '[meeting]\ntitle = "M"\n',
        ),
    }


_CHILD = """
import resource, sys, time
from pathlib import Path
started = time.perf_counter()
from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
try:
    load_agenda_file(Path(sys.argv[1]))
    verdict = "accepted"
except AgendaError as exc:
    verdict = "refused: " + str(exc.problems[0].message)[:60]
import json
print(json.dumps([time.perf_counter() - started,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, verdict]))
"""


def main() -> None:
    """Generate every case, check it in a fresh process, print one line per case."""
    with tempfile.TemporaryDirectory() as folder:
        for label, data in worst_cases().items():
            path = Path(folder) / "agenda.toml"
            path.write_bytes(data)
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, peak, verdict = json.loads(done.stdout)
            ok = seconds <= TARGET_SECONDS and peak <= TARGET_MB
            print(
                f"{label:20} {len(data) / 2**20:4.2f} MiB  {seconds:5.2f} s  {peak:6.1f} MB peak  "
                f"{'within target' if ok else 'MISSES TARGET'}  {verdict}"
            )


if __name__ == "__main__":
    main()
