"""``sessiontui export``: the draft meeting report or the data, to a file or to stdout."""

from __future__ import annotations

import os
import sys
from itertools import chain
from pathlib import Path

import click

from sessiontui.commands.common import fail
from sessiontui.exporters import BINARY_FORMATS, FORMATS, ExportError, ExportOptions, render_chunks
from sessiontui.store.file import FileStore

_BY_EXTENSION = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx"}
_BY_EXTENSION["pdf"] = "pdf"
_BY_EXTENSION.update({"csv": "csv", "json": "json", "txt": "txt"})


def _format_of(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output and output != "-":
        extension = Path(output).suffix.lstrip(".").lower()
        if extension in _BY_EXTENSION:
            return _BY_EXTENSION[extension]
    raise fail(f"which format? give --format ({'|'.join(FORMATS)})")


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@click.option("--log", "log", default=None, hidden=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option("-o", "--output", default=None, metavar="PATH|-", help="Write here (- : stdout).")
@click.option("--no-notes", is_flag=True, help="Leave plain notes out (decisions stay).")
@click.option("--no-speakers", is_flag=True, help="Leave the speakers out.")
@click.option("--no-times", is_flag=True, help="Leave times and the time summary out.")
@click.option("--items", default=None, metavar="2a,2b", help="Only these items (and sub-items).")
@click.option("--events", is_flag=True, help="CSV: one row per event.")
@click.option("--journal", is_flag=True, help="Append the journal (md, html, docx, pdf).")
@click.option(
    "--style",
    default="un",
    show_default=True,
    metavar="un|minutes",
    help="House style of the report: a UN-style report or plain minutes.",
)
@click.option(
    "--lang", default="en", show_default=True, metavar="en|fr", help="Language of the report."
)
@click.option(
    "--templates",
    "templates",
    default=None,
    metavar="DIR",
    help="Your own templates: files here replace the style's of the same name.",
)
@click.option(
    "--reference-doc",
    "reference_doc",
    default=None,
    metavar="FILE.docx",
    help="docx/pdf: take styles, header, footer and page size from this Word document.",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
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
    force: bool,
) -> None:
    """Export the session: the draft report (md, html, docx, pdf) or the data (csv, json, txt)."""
    from sessiontui.commands.record import open_service
    from sessiontui.core.replay import collector_paused
    from sessiontui.exporters import write_export
    from sessiontui.service import whole_journal
    from sessiontui.store.base import StoreError

    chosen = _format_of(fmt, output)
    to_stdout = output is None or output == "-"
    stdout = click.get_binary_stream("stdout")
    if to_stdout and chosen in BINARY_FORMATS and stdout.isatty():
        raise fail(f"{chosen} is a binary format: give -o FILE or redirect stdout")
    references = None
    if items is not None:
        references = tuple(part.strip() for part in items.split(",") if part.strip())
        if not references:
            raise fail("--items: name at least one item, e.g. --items 2a,2b")
    service = open_service(log_arg or log, read_only=True)
    try:
        for damage in service.store.damage:
            click.echo(
                f"sessiontui: warning: damaged record at {damage}; exporting the good part",
                err=True,
            )
        store = service.store
        state = service.state
        log_path = getattr(store, "path", None)
        digest = None
        # The whole journal (the txt format, --journal) comes from the log's journal checkpoint
        # and the events after it; filtered, it is made from every event.
        whole = None
        unfiltered = references is None and not no_notes and not no_speakers
        if journal or (chosen == "txt" and unfiltered):
            whole = whole_journal(store).lines
        # The data formats, --events and a filtered journal need every event; the rest only the
        # last one (its time is the export time), and the digest of the verified log.
        every_event = (
            events or chosen == "json" or ((chosen == "txt" or journal) and not unfiltered)
        )
        texts = None
        # Records that all stay alive until written: nothing for the cyclic collector to find.
        with collector_paused():
            if isinstance(store, FileStore):
                digest = store.checkpoint().sha256
                if chosen == "json" and not events:
                    # Copied out as written, without decoding instants and data, and read a block
                    # at a time while the export is written: never the whole log in memory.
                    texts, every_event = chain.from_iterable(store.iter_texts()), False
                last = None if every_event else store.last_event()
                records = [last] if last is not None else list(store.read())
            else:
                records = list(store.read())
        options = ExportOptions(
            notes=not no_notes,
            speakers=not no_speakers,
            times=not no_times,
            items=references,
            journal=journal,
            events=events,
            log_sha256=digest,
            style=style,
            lang=lang,
            templates=Path(templates) if templates else None,
            reference_doc=Path(reference_doc) if reference_doc else None,
        )
        data = render_chunks(chosen, service.store.header, records, state, options, whole, texts)
        if to_stdout:
            # Written as it comes: a reader (`| jq`, `| head`) starts before the end is made.
            for chunk in data:
                stdout.write(chunk)
            stdout.flush()
            return
        assert output is not None
        write_export(
            Path(output),
            data,
            force=force,
            log_path=log_path if isinstance(log_path, Path) else None,
        )
        click.echo(f"sessiontui: wrote {output}", err=True)
    except ExportError as exc:
        raise fail(str(exc)) from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    finally:
        service.close()
