"""Hostile text, file writing and the command line of ``sessiontui export``."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from sessiontui.cli import cli
from sessiontui.core.events import EventText
from sessiontui.exporters import (
    FORMATS,
    ExportError,
    ExportOptions,
    render,
    suggested_filename,
    write_export,
)
from sessiontui.exporters.model import log_digest
from sessiontui.store import durable
from sessiontui.store.base import StoreError
from sessiontui.store.file import FileStore
from tests.export_scenario import Recorded, cosp_scenario, hostile_scenario


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """A log full of hostile text."""
    return hostile_scenario(tmp_path_factory.mktemp("hostile") / "session.jsonl")


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def export(rec: Recorded, fmt: str, **options: Any) -> bytes:
    """Render ``rec`` in ``fmt`` with the journal appended where it applies."""
    return bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions(**options)))


def _texts(fmt: str, data: bytes) -> str:
    if fmt != "docx":
        return data.decode("utf-8")
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "pdf"])
def test_no_control_characters_survive(hostile: Recorded, fmt: str) -> None:
    text = _texts(fmt, export(hostile, fmt, journal=True))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "]52;" not in text and "]0;pwned" not in text


def test_html_defused(hostile: Recorded) -> None:
    page = export(hostile, "html", journal=True).decode()
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:" not in page.replace("[x](javascript:alert(1))", "")


def test_markdown_defused(hostile: Recorded) -> None:
    source = export(hostile, "md", journal=True).decode()
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    flat = [t for tok in tokens for t in (tok.children or [tok])]
    kinds = {t.type for t in flat}
    assert not kinds & {"html_inline", "html_block", "link_open", "image"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "not a heading" not in " ".join(headings)
    rendered = MarkdownIt("commonmark").render(source)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_csv_defused(hostile: Recorded) -> None:
    for options in ({}, {"events": True}):
        data = export(hostile, "csv", **options).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(data)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert "'=HYPERLINK" in data or "'@SUM" in data


def test_json_defused(hostile: Recorded) -> None:
    document = json.loads(export(hostile, "json"))
    text = json.dumps(document, ensure_ascii=False)
    assert "\\u001b" not in text and "\\u0007" not in text
    assert document["events"][2]["actor"] == "sec"


def test_suggested_filename_stays_in_folder(hostile: Recorded) -> None:
    for fmt in FORMATS:
        name = suggested_filename(hostile.state, fmt)
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not name.startswith(".") and "\x1b" not in name
        assert Path(name).name == name


def test_digest_matches_file_bytes(hostile: Recorded) -> None:
    digest, exact = log_digest(hostile.header, hostile.events)
    assert exact
    with FileStore(hostile.path, read_only=True) as store:
        assert (
            digest
            == store.checkpoint().sha256
            == hashlib.sha256(hostile.path.read_bytes()).hexdigest()
        )
        last = store.last_event()
        assert last is not None and last.seq == hostile.events[-1].seq


# -- writing files -------------------------------------------------------------------------------


def test_write_export_atomic_and_private(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_export(target, b"one", force=False, log_path=None)
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(ExportError, match="--force"):
        write_export(target, b"two", force=False, log_path=None)
    assert target.read_bytes() == b"one"
    write_export(target, b"two", force=True, log_path=None)
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp left


def test_write_export_refuses_the_log(cosp: Recorded, tmp_path: Path) -> None:
    before = cosp.path.read_bytes()
    link = tmp_path / "link.md"
    link.symlink_to(cosp.path)
    for target in (
        cosp.path,
        link,
        cosp.path.parent / ".." / cosp.path.parent.name / "session.jsonl",
    ):
        with pytest.raises(ExportError, match="session log itself"):
            write_export(target, b"x", force=True, log_path=cosp.path)
    assert cosp.path.read_bytes() == before


def test_write_export_symlink_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    with pytest.raises(ExportError, match="already exists"):
        write_export(link, b"x", force=False, log_path=None)
    write_export(link, b"new", force=True, log_path=None)
    assert victim.read_bytes() == b"keep" and not link.is_symlink()


def test_write_export_missing_folder_and_read_only(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_export(tmp_path / "nope" / "r.md", b"x", force=False, log_path=None)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        target = locked / "r.md"
        if os.access(locked, os.W_OK):
            # Root writes anywhere it may; sysfs refuses new files even to root.
            target = Path("/sys/sessiontui-export-test.md")
            if not os.path.isdir("/sys"):
                pytest.skip("no read-only place to try as this user")
        refused = r"^cannot write .*: (permission denied|the file system is read-only)"
        with pytest.raises(ExportError, match=refused):
            write_export(target, b"x", force=False, log_path=None)
    finally:
        locked.chmod(0o700)


def test_write_export_in_chunks(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    chunks: list[bytes | bytearray | memoryview] = [b"{", bytearray(b'"a": '), memoryview(b"[1]}")]
    write_export(target, iter(chunks), force=False, log_path=None)
    assert target.read_bytes() == b'{"a": [1]}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]  # no temp left


@pytest.mark.parametrize("existing", [False, True])
def test_write_export_chunks_that_fail_midway_change_nothing(
    tmp_path: Path, existing: bool
) -> None:
    """The chunks' source fails (the log changed while being read): no file, or the old one."""
    target = tmp_path / "data.json"
    if existing:
        target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"part one"
        raise StoreError("session.jsonl changed while being read")

    with pytest.raises(StoreError, match="changed while being read"):
        write_export(target, chunks(), force=True, log_path=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["data.json"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old"


@pytest.mark.parametrize("existing", [False, True])
def test_write_export_failing_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    target = tmp_path / "data.json"
    if existing:
        target.write_bytes(b"old")
    calls = {"n": 0}
    real_write = durable._write

    def full_at_the_second(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written: int = real_write(fd, data)
        return written

    monkeypatch.setattr(durable, "_write", full_at_the_second)
    with pytest.raises(ExportError, match="the disk is full"):
        write_export(target, iter([b"one", b"two", b"three"]), force=True, log_path=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["data.json"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old"


# -- the command -----------------------------------------------------------------------------


def run(*args: str) -> Any:
    """Invoke ``sessiontui export`` in-process, through the group as a user's command line is:
    invoked alone, the command is given click's default help option (``--help`` only), which
    it keeps, and a later test in the same process reading its help saw that, not ``-h``."""
    return CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)


def test_cli_stdout_and_file(cosp: Recorded, tmp_path: Path) -> None:
    result = run(str(cosp.path), "--format", "md")
    assert result.exit_code == 0
    assert result.stdout_bytes == export(cosp, "md", log_sha256=None)
    out = tmp_path / "r.html"
    assert run(str(cosp.path), "-o", str(out)).exit_code == 0  # format from the extension
    assert out.read_bytes() == export(cosp, "html")
    again = run(str(cosp.path), "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr
    assert run(str(cosp.path), "-o", str(out), "--force").exit_code == 0


def test_cli_errors_are_one_line(cosp: Recorded, tmp_path: Path) -> None:
    cases = [
        (str(cosp.path), "--format", "md", "--items", "9z"),
        (str(cosp.path), "--format", "md", "-o", str(tmp_path / "missing" / "r.md")),
        (str(cosp.path), "--format", "md", "-o", str(cosp.path), "--force"),
        (str(tmp_path / "no-such.jsonl"), "--format", "md"),
        (str(cosp.path), "-o", str(tmp_path / "r.unknown")),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sessiontui: error: "), result.stderr


def test_cli_an_empty_output_path_is_named_as_such(cosp: Recorded) -> None:
    """``-o ""`` (a variable left empty in a script) is not the folder "." to write into."""
    result = run(str(cosp.path), "--format", "md", "-o", "")
    assert result.exit_code == 1
    assert result.stderr == (
        "sessiontui: error: -o is empty: give a file name, or - for standard output\n"
    )
    assert result.stdout == ""


def test_cli_a_path_ending_in_a_separator_names_a_folder(cosp: Recorded, tmp_path: Path) -> None:
    """``-o reports/`` writes the dialog's file name in that folder; a folder not there is
    refused, never taken for a file named like it."""
    missing = tmp_path / "nodir"
    result = run(str(cosp.path), "--format", "md", "-o", f"{missing}{os.sep}")
    assert result.exit_code == 1 and not missing.exists()
    assert result.stderr == f"sessiontui: error: -o {missing}{os.sep}: no such folder\n"
    folder = tmp_path / "reports"
    folder.mkdir()
    for fmt in ("md", "txt"):  # (txt: also the cold path, which reads no state)
        result = run(str(cosp.path), "--format", fmt, "-o", f"{folder}{os.sep}")
        assert result.exit_code == 0, result.stderr
        written = folder / suggested_filename(cosp.state, fmt)
        assert written.is_file() and written.stat().st_size > 0
        assert result.stderr == f"sessiontui: wrote {written}\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        suggested_filename(cosp.state, fmt) for fmt in ("md", "txt")
    )


def test_cli_json_is_streamed_as_rendered(
    cosp: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read from the log and written a few events at a time: the bytes ``render`` makes whole."""
    from sessiontui.exporters import jsondoc

    real = FileStore.iter_texts

    def small_blocks(store: FileStore, block_bytes: int = 0) -> Iterator[list[EventText]]:
        return real(store, 300)

    monkeypatch.setattr(FileStore, "iter_texts", small_blocks)
    monkeypatch.setattr(jsondoc, "_EVENTS_PER_CHUNK", 5)
    digest = hashlib.sha256(cosp.path.read_bytes()).hexdigest()
    expected = export(cosp, "json", log_sha256=digest)
    out = tmp_path / "data.json"
    assert run(str(cosp.path), "-o", str(out)).exit_code == 0
    assert out.read_bytes() == expected
    assert run(str(cosp.path), "--format", "json").stdout_bytes == expected
    for args in (("--items", "2a,2b", "--no-notes"), ("--no-speakers",)):
        options: dict[str, Any] = {"log_sha256": digest}
        options.update({"items": ("2a", "2b"), "notes": False} if "--items" in args else {})
        options.update({"speakers": False} if "--no-speakers" in args else {})
        result = run(str(cosp.path), "--format", "json", *args)
        assert result.stdout_bytes == export(cosp, "json", **options), args


@pytest.mark.parametrize("existing", [False, True])
def test_cli_json_read_failing_midway_writes_nothing(
    cosp: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """The log cannot be read to the end: a one-line error; no file, or the old one intact."""
    real = FileStore.iter_texts

    def failing(store: FileStore, block_bytes: int = 0) -> Iterator[list[EventText]]:
        yield next(real(store, 300))
        raise StoreError(f"{store.path} changed while being read: test")

    monkeypatch.setattr(FileStore, "iter_texts", failing)
    out = tmp_path / "data.json"
    if existing:
        out.write_bytes(b"old")
    result = run(str(cosp.path), "-o", str(out), "--force")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"sessiontui: error: {cosp.path} changed while being read: test"]
    assert sorted(p.name for p in tmp_path.iterdir()) == (["data.json"] if existing else [])
    if existing:
        assert out.read_bytes() == b"old"


def test_cli_options(cosp: Recorded) -> None:
    result = run(str(cosp.path), "--format", "csv", "--events", "--items", "2a,2b", "--no-speakers")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert {row[6] for row in rows[1:]} <= {"", "2(a)", "2(b)"}
    assert not any(row[5].startswith("speaker.") for row in rows[1:])


def test_export_imports_no_textual() -> None:
    code = (
        "import sys, sessiontui.commands.export, sessiontui.exporters.word, "
        "sessiontui.exporters.html, sessiontui.exporters.markdown, sessiontui.exporters.jsondoc, "
        "sessiontui.exporters.csvfile; assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.libreoffice
def test_pdf_through_libreoffice(cosp: Recorded, tmp_path: Path) -> None:
    """``--format pdf``: the Word report converted by LibreOffice, numbered paragraphs and all."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(export(cosp, "pdf"))
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for node in cosp.state.agenda:
        assert node.title[:40] in flat, node.title
    # Word's own numbering, laid out by LibreOffice: the paragraphs count on across chapters.
    assert re.search(r"\b1\. The meeting was opened on ", flat)
    took_note = re.search(r"\b(\d+)\. The meeting took note of the progress report", flat)
    assert took_note and int(took_note.group(1)) > 10
    size = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "595.3 x 841.9 pts (A4)" in size.stdout or "(A4)" in size.stdout
