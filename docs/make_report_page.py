"""Make docs/report-un-page.png: a page of the UN-style report of the worked example.

The worked example's log is recorded by ``tests/export_scenario.py``; the report is exported by
the real command line as PDF (Word through LibreOffice) and one page drawn by ``pdftoppm``:

    sessiontui export session.jsonl --format pdf -o report.pdf
    pdftoppm -png -r 70 -f 2 -l 2 -singlefile report.pdf report-un-page
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.export_scenario import cosp_scenario  # noqa: E402


def main(target: Path, page: int = 2) -> None:
    """Record the worked example, export it as PDF and save one page as PNG."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        log = cosp_scenario(work / "session.jsonl").path
        pdf = work / "report.pdf"
        program = shutil.which("sessiontui") or str(Path(sys.executable).parent / "sessiontui")
        export = [program, "export", str(log), "--format", "pdf", "-o", str(pdf)]
        subprocess.run(export, check=True)
        stem = work / "page"
        draw = ["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*draw, str(pdf), str(stem)], check=True)
        shutil.copyfile(stem.with_suffix(".png"), target)


if __name__ == "__main__":
    main(ROOT / "docs" / "report-un-page.png", int(sys.argv[1]) if len(sys.argv) > 1 else 2)
