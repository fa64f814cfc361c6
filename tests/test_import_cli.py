"""``sessiontui import`` on the command line: output, atomic writes, and hostile input."""

from __future__ import annotations

import importlib.util
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sessiontui.cli import cli
from sessiontui.core.agenda import Agenda
from sessiontui.core.agenda_toml import parse_agenda
from sessiontui.importers import import_document
from sessiontui.importers.source import detect_format

CORPUS = Path(__file__).parent / "import_corpus"
SEED = CORPUS / "seed-agenda-cosp-intersessional-2020.txt"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["import", *args], input=stdin)


def one_line_error(result: Result) -> str:
    """The refusal is one line on stderr, exit status 1, nothing on stdout, no traceback."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("sessiontui: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def test_toml_goes_to_stdout_and_the_summary_to_stderr() -> None:
    result = run(str(SEED))
    assert result.exit_code == 0, result.stderr
    spec = parse_agenda(result.stdout.encode(), "stdout")
    assert [n.label for n in Agenda(spec)][:3] == ["1.", "2.", "2(a)"]
    assert result.stderr.splitlines()[:2] == [
        f"read {SEED} as text",
        "  meeting: Second intersessional meeting of the Conference of the States Parties to the "
        "UN Convention against Corruption on preparations for the special session of the "
        "General Assembly against corruption",
    ]
    assert "  items: 8 (3 at level 1, 5 at level 2)" in result.stderr.splitlines()
    assert "  annotations attached: 5" in result.stderr.splitlines()


REPORTS = CORPUS / "reports"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        # a UN report: chapters, sections and numbered paragraphs, made items
        ("un-report-numbered-paragraphs.txt", "6 of its 19 items read as paragraphs"),
        # a board's summary of a meeting: paragraphs of prose, a short numbered list
        ("board-summary-of-meeting.txt", "long paragraphs, and 11 of its 18 lines in no item"),
    ],
)
def test_a_report_is_refused_unless_imported_as_an_agenda(
    tmp_path: Path, name: str, why: str
) -> None:
    """A report is not an agenda: refused in one line, nothing written, unless --as-agenda."""
    out = tmp_path / "agenda.toml"
    error = one_line_error(run(str(REPORTS / name), "-o", str(out)))
    assert "this looks like a report, not an agenda: no agenda heading" in error
    assert why in error and error.endswith("use --as-agenda to import it anyway")
    assert not out.exists()
    forced = run(str(REPORTS / name), "-o", str(out), "--as-agenda")
    assert forced.exit_code == 0, forced.stderr
    assert parse_agenda(out.read_bytes(), str(out)).items


def test_no_agenda_of_the_corpus_reads_as_a_report() -> None:
    """Agendas with long titles, annotations and introductions are agendas."""
    agendas = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md", ".docx")]
    agendas = [p for p in agendas if REPORTS not in p.parents and p.name != "README.md"]
    assert len(agendas) > 80
    for path in agendas:
        assert import_document(str(path)).not_agenda is None, path


def test_doubts_are_printed_with_their_source_line() -> None:
    result = run(str(CORPUS / "three-level-roman.txt"))
    assert result.exit_code == 0
    assert "doubt: line 26: '(h)' follows '(f)' - kept as written" in result.stderr.splitlines()


def test_output_file_is_written_atomically_with_mode_0600(tmp_path: Path) -> None:
    out = tmp_path / "agenda.toml"
    result = run(str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"wrote {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(Agenda(parse_agenda(out.read_bytes(), str(out)))) == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agenda.toml"]  # no temp file left


def test_an_existing_output_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    out = tmp_path / "agenda.toml"
    out.write_text("keep me\n")
    message = one_line_error(run(str(SEED), "-o", str(out)))
    assert message == f"sessiontui: error: {out} already exists; use --force to replace it"
    assert out.read_text() == "keep me\n"
    result = run(str(SEED), "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("[meeting]")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_output_into_a_directory_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    assert "is a folder" in one_line_error(run(str(SEED), "-o", str(tmp_path)))
    missing = tmp_path / "nowhere" / "agenda.toml"
    assert "does not exist" in one_line_error(run(str(SEED), "-o", str(missing)))


def test_format_option_and_standard_input() -> None:
    text = b"# Retreat\n\n## Opening\n\n## Closing\n"
    as_markdown = run("-", "--format", "markdown", stdin=text)
    assert as_markdown.exit_code == 0, as_markdown.stderr
    assert as_markdown.stderr.startswith("read <stdin> as markdown")
    sniffed = run("-", stdin=text)
    assert sniffed.exit_code == 0
    assert "as markdown" in sniffed.stderr.splitlines()[0]


def test_a_pdftotext_agenda_on_standard_input_reads_as_it_does_by_name(tmp_path: Path) -> None:
    # "pdftotext -layout agenda.pdf - | sessiontui import -", as the docs recommend: every
    # numbered agenda has lines like "1.      Election of officers.", which are no sign of
    # Markdown; read as Markdown, the masthead lost its columns (no symbol, the body's name
    # run into "United Nations ... Distr.: General")
    source = CORPUS / "un-cnd-footnote-under-the-list.txt"
    by_name, piped = tmp_path / "by-name.toml", tmp_path / "piped.toml"
    named = subprocess.run(
        [sys.executable, "-m", "sessiontui", "import", str(source), "-o", str(by_name)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    with source.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "sessiontui", "import", "-", "-o", str(piped)],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert named.returncode == 0, named.stderr
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == "read <stdin> as text"
    assert piped.read_text(encoding="utf-8") == by_name.read_text(encoding="utf-8")
    spec = parse_agenda(piped.read_bytes(), str(piped))
    assert spec.meeting.symbol == "E/CN.7/2023/1"
    assert spec.meeting.body == "Economic and Social Council"
    assert sum(1 for node in Agenda(spec) if node.annotation) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Provisional agenda\n\n1. Election of officers.\n2. Other business.\n", "text"),
        ("Agenda\n\n1) Opening\n2) Minutes\n   (a) Approval\n3) Closing\n", "text"),
        ("Draft agenda\n\n1. Opening\n - (a) Status\n - (b) Discussion\n2. Closure\n", "text"),
        ("Provisional agenda\n______________\n* E/CN.7/2023/1.\n_____\n", "text"),
        ("# Agenda\n\n## 1. Opening\n\n## 2. Closing\n", "markdown"),
        ("**Board meeting**\n\n1. **Opening**\n2. Closing\n", "markdown"),
        ("Agenda\n\n1. [Minutes](https://x.org/m)\n2. [Budget](https://x.org/b)\n", "markdown"),
        ("| Time | Item |\n|---|---|\n| 9:00 | Opening |\n", "markdown"),
    ],
)
def test_standard_input_is_markdown_by_what_only_markdown_writes(text: str, expected: str) -> None:
    assert detect_format(text.encode(), "<stdin>") == expected


def test_every_corpus_document_on_standard_input_is_read_as_its_suffix_says() -> None:
    documents = [p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md") and p.stem != "README"]
    misread = [
        str(path.relative_to(CORPUS))
        for path in documents
        if detect_format(path.read_bytes(), "<stdin>") != detect_format(b"", path.name)
    ]
    assert len(documents) > 80
    assert misread == []


# -- hostile and broken input -------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert one_line_error(run(str(missing))) == f"sessiontui: error: {missing}: no such file"
    assert "is a folder" in one_line_error(run(str(tmp_path)))


def test_empty_and_blank_files(tmp_path: Path) -> None:
    for content in (b"", b"\n \n\t\n"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        assert one_line_error(run(str(path))).endswith("file is empty")


def test_binary_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "agenda.txt"
    path.write_bytes(bytes(range(256)) * 64)
    assert "binary data" in one_line_error(run(str(path)))
    unknown = tmp_path / "agenda"
    unknown.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(4000))
    assert "binary data" in one_line_error(run(str(unknown)))


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk and no time
    message = one_line_error(run(str(path)))
    assert f"file is {50 * 1024 * 1024} bytes" in message


def test_a_large_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"1. Opening\n" * 100_000)
    assert "too large for a text agenda" in one_line_error(run(str(path)))
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"1.\n" * 20_000)
    assert "too long for an agenda" in one_line_error(run(str(lines)))


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "agenda.txt"
    path.write_bytes("Meeting\n\nAgenda\n1. Ouverture\n2. Clôture\n".encode("latin-1"))
    result = run(str(path))
    assert result.exit_code == 0
    assert "doubt: line 5: 1 byte(s) that are not UTF-8 were replaced" in result.stderr
    mostly_bad = tmp_path / "bad.txt"
    mostly_bad.write_bytes(bytes(range(0x80, 0x100)) * 40 + b"\n1. x\n")
    assert "not UTF-8 text" in one_line_error(run(str(mostly_bad)))


def test_word_files_that_are_not_word_files(tmp_path: Path) -> None:
    not_zip = tmp_path / "agenda.docx"
    not_zip.write_bytes(b"Just some text pretending to be Word.")
    assert "not a zip archive" in one_line_error(run(str(not_zip)))
    bomb = tmp_path / "bomb.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"\0" * (17 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    assert "too large" in one_line_error(run(str(bomb)))
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    assert "pdftotext" in one_line_error(run(str(pdf)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(run(str(fifo)))


# -- the imported agenda passes `check` and runs as a module -----------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("sessiontui.commands.agenda") is None,
    reason="sessiontui check is not there yet",
)
def test_the_imported_seed_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "seed.toml"
    assert run(str(SEED), "-o", str(out)).exit_code == 0
    result = CliRunner().invoke(cli, ["check", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{out}: valid agenda\n")


def test_python_m_sessiontui_import_writes_the_agenda(tmp_path: Path) -> None:
    out = tmp_path / "seed.toml"
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "import", str(SEED), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert len(Agenda(parse_agenda(out.read_bytes(), str(out)))) == 8


def test_python_m_sessiontui_import_refuses_garbage_in_one_line(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(os.urandom(4096))
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "import", str(garbage)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"sessiontui: error: {garbage}: not a Word document (not a zip archive)\n"


def test_explain_names_the_lines_of_each_item() -> None:
    result = run(str(SEED), "--explain")
    assert result.exit_code == 0, result.stderr
    explained = [line for line in result.stderr.splitlines() if line.startswith("explain: ")]
    assert len(explained) == 8
    # item 2(a): its line in the list and its heading and paragraph under "Annotations"
    assert explained[2] == (
        "explain: (a) 'Status of the preparations for the special session': lines 13, 24, 26"
    )
    assert "explain:" not in run(str(SEED)).stderr


def test_the_example_in_the_import_docs_is_what_import_says(tmp_path: Path) -> None:
    """docs/import.md shows a document, what import says about it and the TOML: keep it true."""
    page = (Path(__file__).parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    example = page.split("## An example end to end", 1)[1]
    document, said, toml = (block.split("\n", 1)[1] for block in example.split("```")[1:6:2])
    source = tmp_path / "coreper.txt"
    source.write_text(document, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(source), "--explain"])
    assert result.exit_code == 0, result.stderr
    shown = [line for line in said.splitlines() if line.startswith(("doubt:", "explain:"))]
    assert shown == [
        line for line in result.stderr.splitlines() if line.startswith(("doubt:", "explain:"))
    ]
    assert parse_agenda(toml.encode(), "docs") == parse_agenda(result.stdout.encode(), "out")


HOSTILE_SEQUENCES = {
    "title change (OSC, BEL)": "\x1b]0;PWN\x07",
    "clipboard write (OSC, ST)": "\x1b]52;c;UFdO\x1b\\",
    "colour (CSI)": "\x1b[1;31m",
    "screen clear (CSI)": "\x1b[2J",
    "device control string (DCS)": "\x1bP1$tPWN\x1b\\",
    "application command (APC)": "\x1b_PWN\x1b\\",
    "charset (ESC ( B)": "\x1b(B",
    "reset (ESC c)": "\x1bc",
    "unterminated OSC": "\x1b]2;PWN",
}


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("sequence", HOSTILE_SEQUENCES.values(), ids=HOSTILE_SEQUENCES.keys())
def test_import_removes_whole_escape_sequences(tmp_path: Path, suffix: str, sequence: str) -> None:
    """An escape sequence in an agenda document is removed whole: removing only its ESC and BEL
    left its payload ("]0;PWN") in the title, the items and the summary."""
    from sessiontui.core.agenda_toml import load_agenda_file

    source = tmp_path / f"agenda{suffix}"
    source.write_text(
        f"Meeting of the States Parties{sequence}\nVienna, 19 November 2020\n\n"
        "Provisional agenda\n\n"
        f"1. Opening of the meeting{sequence}\n2. Closure of the meeting\n",
        encoding="utf-8",
    )
    out = tmp_path / "agenda.toml"
    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "import", str(source), "-o", str(out)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    spec = load_agenda_file(out)
    assert spec.meeting.title == "Meeting of the States Parties"
    assert [item.title for item in spec.items] == [
        "Opening of the meeting",
        "Closure of the meeting",
    ]
    written = out.read_text(encoding="utf-8") + result.stdout + result.stderr
    assert "PWN" not in written and "\x1b" not in written and "UFdO" not in written
