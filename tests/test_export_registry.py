"""The export formats as data: one registry read by the CLI, the dialog and the docs; one gather()."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.exporters import (
    FORMAT_OPTIONS,
    FORMATS,
    REGISTRY,
    ExportError,
    ExportOptions,
    Idle,
    format_for_extension,
    get_format,
    render,
    render_material,
    whole,
)
from sessiontui.service import finish_gathering, gather, whole_journal
from sessiontui.store.file import FileStore
from tests.export_scenario import ROOT, Recorded, cosp_scenario


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """The worked COSP scenario."""
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def test_each_format_has_one_name_and_one_extension() -> None:
    names = [fmt.name for fmt in REGISTRY]
    extensions = [name for fmt in REGISTRY for name in (fmt.extension, *fmt.aliases)]
    assert len(set(names)) == len(names)
    assert len(set(extensions)) == len(extensions)
    assert tuple(names) == FORMATS
    assert all(fmt.description and "\n" not in fmt.description for fmt in REGISTRY)


# -- each option only with the formats it changes ---------------------------------------------

SHIPPED = ROOT / "sessiontui" / "exporters" / "templates"


def _given(option: str, folder: Path) -> list[str]:
    """``--OPTION`` as a user gives it, with a value that changes what the formats taking it
    make (``--lang en`` would be the default: asking for it is asking all the same)."""
    if option == "templates":
        own = folder / "own"
        (own / "phrases").mkdir(parents=True, exist_ok=True)
        phrases = (SHIPPED / "un" / "phrases" / "en.j2").read_text("utf-8")
        changed = phrases.replace('"Distr.: General"', '"Distr.: Limited"')
        (own / "phrases" / "en.j2").write_text(changed, "utf-8")
        return ["--templates", str(own)]
    if option == "reference-doc":
        import docx
        from docx.shared import Mm

        reference = folder / "house.docx"
        document = docx.Document()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(216), Mm(279)
        document.save(str(reference))
        return ["--reference-doc", str(reference)]
    value = {"items": "2", "style": "minutes", "lang": "fr", "symbol": "X/1", "job": "GE.1"}
    return [f"--{option}", value[option]] if option in value else [f"--{option}"]


_NOT_TAKEN = [
    (option, fmt.name) for option in FORMAT_OPTIONS for fmt in REGISTRY if option not in fmt.takes
]
_TAKEN = [
    (option, fmt.name)
    for option in FORMAT_OPTIONS
    for fmt in REGISTRY
    if option in fmt.takes and fmt.name != "pdf"  # pdf is docx through LibreOffice
]


@pytest.mark.parametrize(("option", "fmt"), _NOT_TAKEN)
def test_an_option_is_refused_for_a_format_it_does_nothing_for(
    cosp: Recorded, tmp_path: Path, option: str, fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    given = ["export", str(cosp.path), *_given(option, tmp_path), "-o", str(target)]
    result = CliRunner().invoke(cli, [*given, "--format", fmt])
    assert result.exit_code == 1
    taking = [name for name in FORMATS if option in get_format(name).takes]
    listed = taking[0] if len(taking) == 1 else f"{', '.join(taking[:-1])} and {taking[-1]}"
    assert result.output == (
        f"sessiontui: error: --{option} is for {listed} only: it does nothing for {fmt}\n"
    )
    assert not target.exists()
    # Named by the file's extension alone, the format is refused the option all the same.
    assert CliRunner().invoke(cli, given).output == result.output
    assert not target.exists()


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            ["--job", "GE.1", "reference-doc"],
            "--job does nothing with --reference-doc: the page footer is the reference "
            "document's (put the job number in it)",
        ),
        (
            ["--style", "minutes", "--symbol", "X/1"],
            "--symbol does nothing with --style minutes: the minutes have no masthead",
        ),
        (
            ["--format", "csv", "--events", "--lang", "fr"],
            "--lang does nothing with --events: a row per event is not worded (--lang words "
            "the speakers per item)",
        ),
        (
            ["--format", "csv", "--lang", "en", "--events"],
            "--lang does nothing with --events: a row per event is not worded (--lang words "
            "the speakers per item)",
        ),
    ],
)
def test_an_option_that_does_nothing_beside_another_is_refused(
    cosp: Recorded, tmp_path: Path, options: list[str], said: str
) -> None:
    """Both taken by the format, but one changes nothing beside the other (checked: the same
    bytes with it and without it)."""
    if "reference-doc" in options:
        options = [*options[:-1], *_given("reference-doc", tmp_path)]
    target = tmp_path / ("out.csv" if "csv" in options else "out.docx")
    result = CliRunner().invoke(cli, ["export", str(cosp.path), *options, "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"sessiontui: error: {said}\n"
    assert not target.exists()


_IDLE = [(fmt.name, idle) for fmt in REGISTRY if fmt.name != "pdf" for idle in fmt.idle]


@pytest.mark.parametrize(("fmt", "idle"), _IDLE, ids=[f"{f}-{i.option}" for f, i in _IDLE])
def test_an_idle_pair_of_the_registry_changes_nothing(
    cosp: Recorded, tmp_path: Path, fmt: str, idle: Idle
) -> None:
    """What the registry calls idle is: the same bytes with the option beside the other one
    as without it (so refusing it takes nothing from anyone)."""
    beside = ["export", str(cosp.path), "--format", fmt, *_given(idle.beside, tmp_path)]
    plain = CliRunner().invoke(cli, [*beside, "-o", "-"])
    assert plain.exit_code == 0, plain.output
    options = _as_options((idle.beside, idle.option), tmp_path)
    assert render(fmt, cosp.header, cosp.events, cosp.state, options) == plain.stdout_bytes
    refused = CliRunner().invoke(cli, [*beside, *_given(idle.option, tmp_path), "-o", "-"])
    assert refused.exit_code == 1
    assert refused.output == (
        f"sessiontui: error: --{idle.option} does nothing with --{idle.beside}: {idle.why}\n"
    )


def _as_options(names: tuple[str, ...], folder: Path) -> ExportOptions:
    """The ``ExportOptions`` of the options ``names`` given as ``_given`` gives them."""
    options = ExportOptions()
    for name in names:
        if name == "job":
            options = replace(options, job="GE.1")
        elif name == "reference-doc":
            options = replace(options, reference_doc=Path(_given(name, folder)[1]))
        elif name == "lang":
            options = replace(options, lang="fr")
        elif name == "events":
            options = replace(options, events=True)
        else:
            raise AssertionError(f"say how --{name} is given")
    return options


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_force_is_refused_on_standard_output(cosp: Recorded, output: list[str]) -> None:
    """--force replaces a file: on stdout there is none, and it would do nothing unsaid."""
    result = CliRunner().invoke(
        cli, ["export", str(cosp.path), "--format", "md", *output, "--force"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "sessiontui: error: --force does nothing on standard output: it replaces a file "
        "given with -o\n"
    )


def test_force_replaces_a_file(cosp: Recorded, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", "utf-8")
    given = ["export", str(cosp.path), "-o", str(target)]
    assert CliRunner().invoke(cli, given).exit_code == 1
    assert CliRunner().invoke(cli, [*given, "--force"]).exit_code == 0
    assert target.read_text("utf-8") != "old"


def test_an_option_given_as_its_default_is_refused_too(cosp: Recorded) -> None:
    result = CliRunner().invoke(cli, ["export", str(cosp.path), "--format", "json", "--lang", "en"])
    assert result.exit_code == 1
    assert result.output == (
        "sessiontui: error: --lang is for md, html, docx, pdf and csv only: "
        "it does nothing for json\n"
    )


@pytest.mark.parametrize(("option", "fmt"), _TAKEN)
def test_an_option_changes_every_format_that_takes_it(
    cosp: Recorded, tmp_path: Path, option: str, fmt: str
) -> None:
    plain = CliRunner().invoke(cli, ["export", str(cosp.path), "--format", fmt, "-o", "-"])
    given = _given(option, tmp_path)
    made = CliRunner().invoke(cli, ["export", str(cosp.path), "--format", fmt, *given, "-o", "-"])
    assert plain.exit_code == 0 and made.exit_code == 0, made.output
    assert made.stdout_bytes != plain.stdout_bytes


def test_every_export_option_says_which_formats_it_is_for() -> None:
    """An option of the export command is either for every format (where to write it) or one of
    ``FORMAT_OPTIONS``, which each format takes or refuses: a new option must say which."""
    from sessiontui.commands.export import export as command

    names = {opt[2:] for param in command.params for opt in param.opts if opt.startswith("--")}
    assert set(FORMAT_OPTIONS) <= names
    assert names - set(FORMAT_OPTIONS) == {"log", "format", "output", "force"}
    flat = " ".join(CliRunner().invoke(cli, ["export", "--help"]).output.split())
    assert "--journal Append the journal (md, html, docx and pdf only)." in flat
    assert (
        "--job NUMBER The report's job number for the page footer, e.g. GE.20-12345 (docx and pdf only)."
        in flat
    )


def test_the_docs_say_which_options_go_with_which_formats() -> None:
    page = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    header = "| option | " + " | ".join(FORMATS) + " |"
    assert header in page
    rows = {}
    for line in page.splitlines():
        if line.startswith("| `--"):
            option, *marks = (cell.strip() for cell in line.strip("|").split("|"))
            rows[option.strip("`-")] = {f for f, mark in zip(FORMATS, marks, strict=True) if mark}
    assert rows == {
        option: {fmt.name for fmt in REGISTRY if option in fmt.takes} for option in FORMAT_OPTIONS
    }


def test_events_makes_the_csv_one_row_per_event(cosp: Recorded) -> None:
    result = CliRunner().invoke(cli, ["export", str(cosp.path), "--format", "csv", "--events"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) > len(cosp.state.agenda.nodes) + 1


def test_formats_are_found_by_name_and_by_extension() -> None:
    assert get_format("html").name == "html"
    with pytest.raises(ExportError, match="unknown format 'rtf'"):
        get_format("rtf")
    assert format_for_extension("htm") is get_format("html")
    assert format_for_extension("MARKDOWN") is get_format("md")
    assert format_for_extension("rtf") is None


def test_the_cli_offers_every_registered_format_with_its_description() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    choices = re.search(r"--format \[([^\]]+)\]", result.output)
    assert choices is not None
    assert tuple(choices.group(1).split("|")) == FORMATS
    flat = " ".join(result.output.split())
    for fmt in REGISTRY:
        assert f"{fmt.name} {fmt.description}" in flat


def test_the_cli_takes_the_format_from_an_alias_extension(cosp: Recorded, tmp_path: Path) -> None:
    target = tmp_path / "record.htm"
    result = CliRunner().invoke(cli, ["export", str(cosp.path), "-o", str(target)])
    assert result.exit_code == 0, result.output
    expected = render("html", cosp.header, cosp.events, cosp.state, ExportOptions())
    assert target.read_bytes() == expected


def test_the_docs_list_every_registered_format() -> None:
    page = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    rows = {match.group(1) for match in re.finditer(r"^\| `(\w+)` \|", page, re.M)}
    assert set(FORMATS) <= rows, f"add to the table of docs/exports.md: {set(FORMATS) - rows}"


# -- gather: what each format reads, read in one place ---------------------------------------


def test_gather_reads_only_what_the_format_needs(cosp: Recorded) -> None:
    with FileStore(cosp.path, read_only=True) as store:
        digest = store.checkpoint().sha256
        last = store.last_event()
        report = gather(store, "md", ExportOptions(), state=cosp.state)
        assert (list(report.events), report.texts, report.journal) == ([last], None, None)
        assert report.digest == digest
        # Without the state, whether the agenda was amended is unknown: every event is read.
        assert list(gather(store, "md", ExportOptions()).events) == cosp.events
        data = gather(store, "json", ExportOptions())
        assert data.texts is not None and list(data.events) == [last]
        journal = gather(store, "txt", ExportOptions())
        # Made as it is taken (written line by line), not read whole here.
        assert journal.journal is not None and not isinstance(journal.journal, list)
        assert list(journal.journal) == whole_journal(store).lines
        assert list(journal.events) == [last]
        excerpt = gather(store, "txt", ExportOptions(items=("2a",)))
        assert excerpt.journal is None and list(excerpt.events) == cosp.events
        rows = gather(store, "csv", ExportOptions(events=True))
        assert list(rows.events) == cosp.events
        # The journal appendix is worded by the report's templates from every event.
        appendix = gather(store, "html", ExportOptions(journal=True))
        assert appendix.journal is None and list(appendix.events) == cosp.events


def test_gather_for_another_thread_leaves_the_journal_to_it(cosp: Recorded) -> None:
    with FileStore(cosp.path, read_only=True) as store:
        deferred = gather(store, "txt", ExportOptions(), elsewhere=True)
        assert deferred.journal is None and deferred.journal_of == cosp.path
        listed = gather(store, "json", ExportOptions(), elsewhere=True)
        assert isinstance(listed.texts, list)  # read now, on the store's own thread
        now = gather(store, "txt", ExportOptions())
        assert now.journal is not None
        lines = list(now.journal)  # taken while the store is open
    finished = finish_gathering(deferred)
    assert finished.journal == lines and finished.journal_of is None


# PDF is the docx through LibreOffice, which stamps each file: compared as docx.
@pytest.mark.parametrize("fmt", [name for name in FORMATS if name != "pdf"])
@pytest.mark.parametrize(
    "options",
    [ExportOptions(), ExportOptions(items=("2b",), journal=True), ExportOptions(events=True)],
    ids=["all", "excerpt", "events"],
)
def test_what_gather_reads_renders_as_every_event_would(
    cosp: Recorded, fmt: str, options: ExportOptions
) -> None:
    expected = render(fmt, cosp.header, cosp.events, cosp.state, options)
    with FileStore(cosp.path, read_only=True) as store:
        material = gather(store, fmt, options)
        assert whole(render_material(fmt, material, cosp.state, options)) == expected
        later = finish_gathering(gather(store, fmt, options, elsewhere=True))
        assert whole(render_material(fmt, later, cosp.state, options)) == expected


def test_a_report_reads_every_event_once_the_agenda_was_amended(
    cosp: Recorded, tmp_path: Path
) -> None:
    """The report tells when each amendment was made: it needs them, the last event is not
    enough (and only then, so a long unamended session's report reads one line)."""
    import shutil

    log = tmp_path / "s.jsonl"
    shutil.copy(cosp.path, log)
    done = CliRunner().invoke(
        cli, ["amend", "retitle", "3", "--title", "Closure", "--log", str(log), "--actor", "S"]
    )
    assert done.exit_code == 0, done.output
    with FileStore(log, read_only=True) as store:
        from sessiontui.core.replay import replay

        events = list(store.read())
        state = replay(store.header, events)
        assert list(gather(store, "md", ExportOptions(), state=state).events) == events
