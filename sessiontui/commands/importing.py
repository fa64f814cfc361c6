"""``sessiontui import``: an agenda document (.txt, .md, .docx) into an agenda TOML file."""

from __future__ import annotations

from pathlib import Path

import click

from sessiontui.commands.common import fail
from sessiontui.core.agenda_toml import AgendaError, dump_agenda, parse_agenda
from sessiontui.importers import ImportFailure, import_document
from sessiontui.store.durable import place_file


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
@click.option("--explain", is_flag=True, help="Also show, per item, which lines of SOURCE made it.")
@click.option(
    "--as-agenda",
    is_flag=True,
    help="Import SOURCE even if it reads as a report rather than an agenda.",
)
def import_agenda(
    source: str, output: str | None, force: bool, fmt: str | None, explain: bool, as_agenda: bool
) -> None:
    """Import an agenda document (.txt, .md, .docx) as agenda TOML.

    What was recognised, and every doubt with its source line, goes to standard error; check
    the doubts before using the agenda. SOURCE "-" reads standard input.
    """
    target = Path(output) if output and output != "-" else None
    if target is not None:
        if target.is_dir():
            raise fail(f"{output}: is a folder; give a file name for the agenda")
        if (target.exists() or target.is_symlink()) and not force:
            raise fail(f"{output} already exists; use --force to replace it")
        if not (target.parent if str(target.parent) else Path(".")).is_dir():
            raise fail(f"{output}: the folder {target.parent} does not exist")
    try:
        result = import_document(source, fmt)  # type: ignore[arg-type]
    except ImportFailure as exc:
        raise fail(str(exc)) from None
    if result.not_agenda and not as_agenda:
        # a report's paragraphs would make an agenda nobody can record against; its
        # --force replaces the output file, so saying "yes, read it as an agenda" is its own
        raise fail(
            f"{source}: this looks like a report, not an agenda: {result.not_agenda}; "
            "use --as-agenda to import it anyway"
        )
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
    if explain:
        for line in result.explain:
            click.echo(f"explain: {line}", err=True)
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        place_file(target, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise fail(f"{output} already exists; use --force to replace it") from None
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)
