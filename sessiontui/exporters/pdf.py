"""The draft report as PDF: the Word document converted by LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sessiontui.exporters.files import ExportError

# A conversion of a long report on a loaded machine; LibreOffice's first start alone takes seconds.
TIMEOUT_SECONDS = 300


def soffice() -> str | None:
    """The LibreOffice program on the PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice, headless, in a private profile (so a
    LibreOffice the user has open, or another conversion running, does not get in the way).

    Raises:
        ExportError: LibreOffice is not installed, or the conversion failed.
    """
    program = soffice()
    if program is None:
        raise ExportError(
            "pdf needs LibreOffice (soffice) on the PATH: install it, or export docx and print that"
        )
    with tempfile.TemporaryDirectory(prefix="sessiontui-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ExportError(
                f"LibreOffice did not convert the report within {TIMEOUT_SECONDS} s"
            ) from None
        except OSError as exc:
            raise ExportError(f"LibreOffice could not be started: {exc.strerror}") from None
        target = work / "report.pdf"
        if done.returncode != 0 or not target.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            last = detail.splitlines()[-1] if detail else f"exit status {done.returncode}"
            raise ExportError(f"LibreOffice could not convert the report: {last}")
        return target.read_bytes()
