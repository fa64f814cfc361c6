"""Make the pictures of the report in docs/exports.md from the real export of the worked example.

The worked example's log is recorded by ``tests/export_scenario.py``; the report is exported by
the real command line. ``report-un-page.png``: the PDF (Word through LibreOffice), one page
drawn by ``pdftoppm``:

    sessiontui export session.jsonl --format pdf -o report.pdf
    pdftoppm -png -r 70 -f 2 -l 2 -singlefile report.pdf report-un-page

``report.png``: the first screen of an HTML excerpt in headless Chromium:

    sessiontui export session.jsonl --format html --items 2a,2b -o report.html
    chromium --headless --window-size=900,1100 --screenshot=report.png report.html

Run it again whenever the report's words or layout change.
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


def main(target: Path, page: int = 2, html_target: Path | None = None) -> None:
    """Record the worked example, export it as PDF and save one page as PNG; with
    ``html_target``, also the first screen of its HTML excerpt of items 2(a) and 2(b)."""
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
        if html_target is None:
            return
        html = work / "report.html"
        excerpt = [program, "export", str(log), "--format", "html", "--items", "2a,2b"]
        subprocess.run([*excerpt, "-o", str(html)], check=True)
        shot = work / "report.png"
        browser = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
        screen = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
        screen += ["--window-size=900,1100", f"--screenshot={shot}", html.as_uri()]
        subprocess.run(screen, check=True, capture_output=True)
        shutil.copyfile(shot, html_target)


if __name__ == "__main__":
    docs = ROOT / "docs"
    main(
        docs / "report-un-page.png",
        int(sys.argv[1]) if len(sys.argv) > 1 else 2,
        docs / "report.png",
    )
