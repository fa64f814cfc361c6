"""``sessiontui export``: the draft meeting report or the data, to a file or to stdout."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import click

from sessiontui.commands.common import fail
from sessiontui.exporters import BINARY_FORMATS, FORMATS, ExportError, ExportOptions, render

_BY_EXTENSION = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx"}
_BY_EXTENSION.update({"csv": "csv", "json": "json", "txt": "txt"})


def file_digest(path: Path, last_seq: int) -> str | None:
    """SHA-256 of the log file's bytes up to and including the line of event ``last_seq``.

    None when the file cannot be read or that line is not found (the exporter then rebuilds
    the digest from the records).
    """
    from sessiontui.core.events import LineError, decode_event

    try:
        data = path.read_bytes()
    except OSError:
        return None
    end = data.find(b"\n") + 1
    if end <= 0:
        return None
    if last_seq == 0:
        return hashlib.sha256(data[:end]).hexdigest()
    while end < len(data):
        stop = data.find(b"\n", end)
        if stop < 0:
            return None
        try:
            seq = decode_event(data[end : stop + 1]).seq
        except LineError:
            seq = -1
        end = stop + 1
        if seq == last_seq:
            return hashlib.sha256(data[:end]).hexdigest()
    return None


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
@click.option("--journal", is_flag=True, help="Append the journal (md, html, docx).")
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
    force: bool,
) -> None:
    """Export the session: the draft report (md, html, docx) or the data (csv, json, txt)."""
    from sessiontui.commands.record import open_service
    from sessiontui.exporters import write_export
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
        records = list(service.store.read())
        state = service.state
        log_path = getattr(service.store, "path", None)
        digest = None
        if isinstance(log_path, Path):
            digest = file_digest(log_path, records[-1].seq if records else 0)
        options = ExportOptions(
            notes=not no_notes,
            speakers=not no_speakers,
            times=not no_times,
            items=references,
            journal=journal,
            events=events,
            log_sha256=digest,
        )
        data = render(chosen, service.store.header, records, state, options)
        if to_stdout:
            stdout.write(data)
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
