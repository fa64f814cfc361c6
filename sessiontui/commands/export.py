"""``sessiontui export``: the draft meeting report or the data, to a file or to stdout."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from sessiontui.commands.common import damage_notice, fail, log_alias_option
from sessiontui.exporters import (
    FORMAT_OPTIONS,
    FORMATS,
    REGISTRY,
    ExportError,
    ExportFormat,
    ExportOptions,
    format_for_extension,
    get_format,
    render_material,
    takers,
)

if TYPE_CHECKING:
    from sessiontui.service import JournalStream
    from sessiontui.store.file import FileStore


# What a path ends with when it names a folder.
_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep, "/") if sep)


def _folder_named(output: str | None) -> Path | None:
    """The folder ``-o`` names by ending in a separator ("-o reports/"), where the export goes
    under the name the tracker's export dialog offers; ``None`` for a file. A folder that is
    not there is refused, never taken for a file named like it."""
    if output is None or not output.endswith(_SEPARATORS):
        return None
    if not Path(output).is_dir():
        raise fail(f"-o {output}: no such folder")
    return Path(output)


def _format_of(fmt: str | None, output: str | None) -> ExportFormat:
    if fmt:
        return get_format(fmt)
    if output and output != "-":
        extension = Path(output).suffix
        found = format_for_extension(extension.lstrip("."))
        if found is not None:
            return found
        if extension:
            # Named, so the person sees the format was read from it and is not one of ours.
            raise fail(
                f"{extension!r} is not a format sessiontui writes: "
                f"give --format {'|'.join(FORMATS)}"
            )
    raise fail(f"which format? give --format ({'|'.join(FORMATS)})")


_FORMATS_HELP = "\b\nFormats:\n" + "\n".join(
    f"  {fmt.name:<6}{fmt.description}" for fmt in REGISTRY
)


def _for(option: str) -> str:
    """The formats ``--OPTION`` is for, as its help says them (read from the registry)."""
    taking = takers(option)
    if len(taking) == len(REGISTRY):
        return ""
    if 2 * len(taking) > len(REGISTRY):
        others = [fmt.name for fmt in REGISTRY if fmt.name not in taking]
        return f" (not for {_listed(others, 'or')})"
    return f" ({_listed(taking)} only)"


def _listed(names: Sequence[str], last: str = "and") -> str:
    """``md, html and docx``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


@click.command(epilog=_FORMATS_HELP)
@click.argument("log_arg", metavar="[LOG]", required=False)
@log_alias_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option("-o", "--output", default=None, metavar="PATH|-", help="Write here (- : stdout).")
@click.option(
    "--no-notes", is_flag=True, help=f"Leave plain notes out, decisions stay{_for('no-notes')}."
)
@click.option("--no-speakers", is_flag=True, help=f"Leave the speakers out{_for('no-speakers')}.")
@click.option(
    "--no-times", is_flag=True, help=f"Leave times and the time summary out{_for('no-times')}."
)
@click.option("--items", default=None, metavar="2a,2b", help="Only these items (and sub-items).")
@click.option("--events", is_flag=True, help=f"One row per event{_for('events')}.")
@click.option("--journal", is_flag=True, help=f"Append the journal{_for('journal')}.")
@click.option(
    "--style",
    default="un",
    show_default=True,
    metavar="un|minutes",
    help=f"House style of the report: a UN-style report or plain minutes{_for('style')}.",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    metavar="en|fr",
    help=f"Language of the report and of the CSV's speakers{_for('lang')}.",
)
@click.option(
    "--templates",
    "templates",
    default=None,
    metavar="DIR",
    help=f"Your own templates: files here replace the style's of the same name{_for('templates')}.",
)
@click.option(
    "--reference-doc",
    "reference_doc",
    default=None,
    metavar="FILE.docx",
    help=f"Take styles, header, footer and page size from this Word document{_for('reference-doc')}.",
)
@click.option(
    "--symbol",
    default=None,
    metavar="SYMBOL",
    help=f"The report's own document symbol for its masthead, else a placeholder to fill in{_for('symbol')}.",
)
@click.option(
    "--job",
    default=None,
    metavar="NUMBER",
    help=f"The report's job number for the page footer, e.g. GE.20-12345{_for('job')}.",
)
@click.option("--force", is_flag=True, help="Replace an existing file (-o PATH only).")
def export(
    log_arg: str | None,
    log: str | None,
    fmt: str | None,
    output: str | None,
    no_notes: bool,
    no_speakers: bool,
    no_times: bool,
    items: str | None,
    events: bool,
    journal: bool,
    style: str,
    lang: str,
    templates: str | None,
    reference_doc: str | None,
    symbol: str | None,
    job: str | None,
    force: bool,
) -> None:
    """Export the session: the draft report, the data or a calendar (see the formats below)."""
    from sessiontui.commands.record import open_service
    from sessiontui.exporters import suggested_filename, write_export
    from sessiontui.service import JournalStream, gather
    from sessiontui.store.base import StoreError

    if output is not None and not output.strip():
        raise fail("-o is empty: give a file name, or - for standard output")
    chosen = _format_of(fmt, output)
    _refuse_what_it_does_not_take(click.get_current_context(), chosen)
    # An option that does nothing with one value of another (the registry's ``idle`` pairs
    # two options given; this one depends on the style asked for).
    if symbol is not None and style == "minutes" and templates is None:
        raise fail("--symbol does nothing with --style minutes: the minutes have no masthead")
    to_stdout = output is None or output == "-"
    folder = None if to_stdout else _folder_named(output)
    if force and to_stdout:
        # Standard output replaces no file: a user who meant -o FILE would get the export on
        # the terminal, or in whatever a redirection names, and no word that --force was idle.
        raise fail("--force does nothing on standard output: it replaces a file given with -o")
    stdout = click.get_binary_stream("stdout")
    if to_stdout and chosen.binary and stdout.isatty():
        raise fail(f"{chosen.name} is a binary format: give -o FILE or redirect stdout")
    references = None
    if items is not None:
        references = tuple(part.strip() for part in items.split(",") if part.strip())
        if not references:
            raise fail("--items: name at least one item, e.g. --items 2a,2b")
    options = ExportOptions(
        notes=not no_notes,
        speakers=not no_speakers,
        times=not no_times,
        items=references,
        journal=journal,
        events=events,
        style=style,
        lang=lang,
        templates=Path(templates) if templates else None,
        reference_doc=Path(reference_doc) if reference_doc else None,
        symbol=symbol,
        job=job,
    )
    # (A folder's file is named from the agenda: the service below reads it.)
    if chosen.name == "txt" and chosen.needs(options).journal and folder is None:
        location = _cold_location(log_arg or log)
        if location is not None:
            _cold_txt(location, None if to_stdout else output, force=force)
            return
    whole_journal: JournalStream | None = None
    if chosen.needs(options).journal and (cold := _cold_journal_of(log_arg or log)) is not None:
        # The whole journal of a log without a journal checkpoint folds every event to describe
        # it: its fold is the session's state, so the log is not folded a first time for it.
        service: Any = cold
        whole_journal = JournalStream(cold.store)
    else:
        service = open_service(log_arg or log, read_only=True)
    try:
        for damage in service.store.damage:
            click.echo(damage_notice(damage, "exporting"), err=True)
        log_path = getattr(service.store, "path", None)
        if folder is not None:
            output = str(folder / suggested_filename(service.state, chosen.name))
        material = gather(
            service.store, chosen.name, options, journal=whole_journal, state=service.state
        )
        data = render_material(chosen.name, material, service.state, options)
        if to_stdout:
            # Written as it comes: a reader (`| jq`, `| head`) starts before the end is made.
            for chunk in data:
                stdout.write(chunk)
            stdout.flush()
            _left_out(whole_journal)
            _short_if_damaged(service.store)
            return
        assert output is not None
        write_export(
            Path(output),
            data,
            force=force,
            log_path=log_path if isinstance(log_path, Path) else None,
        )
        _left_out(whole_journal)
        click.echo(f"sessiontui: wrote {output}", err=True)
        _short_if_damaged(service.store)
    except (ExportError, StoreError, BrokenPipeError) as exc:
        _export_failed(exc)
    finally:
        service.close()


def _refuse_what_it_does_not_take(context: click.Context, chosen: ExportFormat) -> None:
    """Refuse an option given for a format that does not take it, or beside another one it
    does nothing with (``ExportFormat.idle``): it would change nothing, and a user who asked
    for it would get an export without it and no word about it."""
    asked = [
        _option_name(param)
        for param in context.command.params
        # The default of an option is no request; asking for the default value is one.
        if context.get_parameter_source(param.name or "")
        not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
    ]
    for option in asked:
        if option in FORMAT_OPTIONS and option not in chosen.takes:
            taking = _listed(takers(option))
            raise fail(f"--{option} is for {taking} only: it does nothing for {chosen.name}")
    for idle in chosen.idle:
        if idle.option in asked and idle.beside in asked:
            raise fail(f"--{idle.option} does nothing with --{idle.beside}: {idle.why}")
    if "journal" in asked and "no-times" in asked:
        # The journal appendix is the record line by line, each line led by its time: with
        # --no-times it would print the very times asked to be left out.
        raise fail("--journal gives the time of every event: it does not go with --no-times")


def _option_name(param: click.Parameter) -> str:
    """An option's long name without its dashes (``reference-doc``); "" for an argument."""
    longs = [name for name in param.opts if name.startswith("--")]
    return longs[0][2:] if isinstance(param, click.Option) and longs else ""


def _export_failed(exc: Exception) -> NoReturn:
    """An export that could not be made, said in one line (exit 1)."""
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`| head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    raise fail(str(exc)) from None


def _short_if_damaged(store: Any) -> None:
    """Exit 1 after an export of a damaged log: a script must not take the part for the whole."""
    if store.damage:
        sys.exit(1)


class _UnfoldedLog:
    """A log file opened to be read, not folded: its store, and the state of its agenda before
    any event (all that the whole journal's export takes from the state; the journal folds)."""

    def __init__(self, store: FileStore) -> None:
        from sessiontui.core.state import SessionState

        self.store = store
        self.state = SessionState(store.header)

    def close(self) -> None:
        self.store.close()


def _cold_location(log: str | None) -> str | None:
    """The log file's location when its whole journal is made from its first event (it has no
    journal checkpoint to start from); None otherwise (a server's session, or a checkpoint)."""
    from sessiontui.commands.record import locate_log
    from sessiontui.service import journal_is_cold
    from sessiontui.store.open import is_postgres, normalize_location

    location = normalize_location(locate_log(log))
    if not location or is_postgres(location) or not journal_is_cold(Path(location)):
        return None
    return location


def _cold_txt(location: str, output: str | None, *, force: bool) -> None:
    """The txt export (the whole journal) of a log file without a journal checkpoint, made in
    the pass that opens the log: each run of lines written (to ``output``, else stdout) as the
    scan verifies and decodes its events, the log read and decoded once. What opening the log
    has to say (notices, damage) is known once the scan is over: it follows the text on a
    terminal, and a file is still only put in place at the end."""
    from sessiontui.core.bounds import invalid_notice
    from sessiontui.core.journal import journal_closing, journal_heading
    from sessiontui.core.replay import collector_paused
    from sessiontui.exporters.base import text_of
    from sessiontui.exporters.files import ExportFile
    from sessiontui.service import OpeningJournal
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    target: ExportFile | None = None
    stdout = click.get_binary_stream("stdout")
    try:
        if output is not None:
            target = ExportFile(Path(output), force=force, log_path=Path(location))
        write = target.write if target is not None else stdout.write

        def write_lines(lines: list[str]) -> None:
            write(text_of(lines))

        def begin(store: FileStore) -> None:
            write_lines([journal_heading(store.header)])

        opening = OpeningJournal(write_lines, begin=begin)
        try:
            # The fold's objects all stay alive: nothing for the cyclic collector to find.
            with collector_paused():
                # ``hash_ahead``: the head written at the end is hashed while the scan reads,
                # as the journal's is, not in a second read after it.
                store = FileStore(location, read_only=True, fold=opening.start, hash_ahead=True)
        except StoreError as exc:
            raise fail(str(exc)) from None
        with store:
            _tell_opened(store)
            opening.finish(store)
            # The head it was made from, as ``gather`` and the txt format name it.
            last = store.last_event()
            digest = store.checkpoint(with_blocks=False).sha256
            write_lines([journal_closing(last.seq if last is not None else 0, digest)])
        if target is not None:
            target.place()
        else:
            stdout.flush()
    except (ExportError, StoreError, BrokenPipeError) as exc:
        _export_failed(exc)
    finally:
        if target is not None:
            target.discard()
    if opening.journal is not None:
        left_out = invalid_notice(opening.journal.state.invalid)
        if left_out is not None:
            click.echo(f"sessiontui: {left_out}", err=True)
    if target is not None:
        click.echo(f"sessiontui: wrote {output}", err=True)
    _short_if_damaged(store)


def _tell_opened(store: FileStore) -> None:
    """What opening a log file found, as ``open_service`` and ``_cold_journal_of`` say it: a
    head this account saw that the log no longer extends, the notices, the damage."""
    from sessiontui.commands.record import note_head

    note_head(store)
    for notice in store.notices:
        click.echo(f"sessiontui: {notice}", err=True)
    for damage in store.damage:
        click.echo(
            f"sessiontui: damaged record at {damage}; exporting the part before it "
            "(exit status 1; see `sessiontui verify` and `sessiontui repair`)",
            err=True,
        )


def _cold_journal_of(log: str | None) -> _UnfoldedLog | None:
    """The log file, opened without a fold, when its whole journal will fold it anyway (it has
    no journal checkpoint to start from); None otherwise (a server's session, or a checkpoint:
    the export then opens the session as every other does)."""
    from sessiontui.commands.record import note_head
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    location = _cold_location(log)
    if location is None:
        return None
    try:
        store = FileStore(location, read_only=True)
    except StoreError as exc:
        raise fail(str(exc)) from None
    note_head(store)
    for notice in store.notices:
        click.echo(f"sessiontui: {notice}", err=True)
    return _UnfoldedLog(store)


def _left_out(journal: JournalStream | None) -> None:
    """Once a whole journal folded the log: the records its fold left out as invalid, named as
    opening the session names them (``open_service``)."""
    from sessiontui.core.bounds import invalid_notice

    if journal is None or journal.journal is None:
        return
    notice = invalid_notice(journal.journal.state.invalid)
    if notice is not None:
        click.echo(f"sessiontui: {notice}", err=True)
