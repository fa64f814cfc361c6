"""``sessiontui import``: an agenda document (.txt, .md, .docx) into an agenda TOML file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import click

from sessiontui.commands.common import fail
from sessiontui.core.agenda_toml import AgendaError, dump_agenda, parse_agenda
from sessiontui.importers import ImportFailure, import_document


def write_atomic(path: Path, text: str, *, replace: bool) -> None:
    """Write a file so that readers see the old content or the new, never a torn one.

    A temporary file in the same folder (mode 0600) is written and fsynced, then moved into
    place; without ``replace`` an existing file is never clobbered, even one that appears
    while we write.

    Raises:
        FileExistsError: the path exists and ``replace`` is False.
        OSError: the folder cannot be written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the path exists: no clobbering, no race
            except FileExistsError:
                raise
            except OSError:
                if path.exists():  # a file system without hard links
                    raise FileExistsError(str(path)) from None
                os.replace(temporary, path)
            else:
                os.unlink(temporary)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # not every platform lets a folder be fsynced
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


@click.command("import")
@click.argument("source", metavar="SOURCE")
@click.option(
    "-o",
    "--output",
    metavar="AGENDA.toml",
    help="Write the agenda to this file (default: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "docx"]),
    help="Read SOURCE as this format (default: from the suffix, else the content).",
)
def import_agenda(source: str, output: str | None, force: bool, fmt: str | None) -> None:
    """Import an agenda document (.txt, .md, .docx) as agenda TOML.

    What was recognised, and every doubt with its source line, goes to standard error; check
    the doubts before using the agenda. SOURCE "-" reads standard input.
    """
    target = Path(output) if output and output != "-" else None
    if target is not None:
        if target.is_dir():
            raise fail(f"{output}: is a directory; give a file name for the agenda")
        if (target.exists() or target.is_symlink()) and not force:
            raise fail(f"{output} already exists; use --force to replace it")
        if not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise fail(f"{output}: the folder {target.parent} does not exist")
    try:
        result = import_document(source, fmt)  # type: ignore[arg-type]
    except ImportFailure as exc:
        raise fail(str(exc)) from None
    text = dump_agenda(result.spec)
    try:
        parse_agenda(text.encode("utf-8"), output or "<imported agenda>")
    except AgendaError as exc:
        first = exc.problems[0].message if exc.problems else str(exc)
        raise fail(f"the agenda read from {source} does not pass the checks: {first}") from None
    head, *rest = result.summary
    click.echo(head, err=True)
    for line in rest:
        click.echo(f"  {line}", err=True)
    for doubt in result.doubts:
        click.echo(f"doubt: {doubt}", err=True)
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(target, text, replace=force)
    except FileExistsError:
        raise fail(f"{output} already exists; use --force to replace it") from None
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)
