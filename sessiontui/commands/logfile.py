"""Commands on the log file itself: verify its records, repair damage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sessiontui.commands.common import fail
from sessiontui.commands.record import locate_log


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@click.option("--log", "log", default=None, hidden=True)
def verify(log_arg: str | None, log: str | None) -> None:
    """Check every record's checksum and the hash chain; exit 1 on any damage."""
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore
    from sessiontui.store.open import is_postgres, normalize_location

    located = locate_log(log_arg or log)
    path: object = located
    store: Any
    try:
        if is_postgres(str(located)):  # a postgresql://...#SESSION: check the stored lines
            from sessiontui.store.postgres import PostgresStore

            store = PostgresStore(normalize_location(str(located)), read_only=True)
            path = store.url  # printable: without the password
        else:
            store = FileStore(located, read_only=True, recover=False)
    except StoreError as exc:
        raise fail(str(exc)) from None
    with store:
        good, damage, torn = store.verify()
    for problem in damage:
        click.echo(f"{path}: {problem}", err=True)
    if torn:
        click.echo(f"{path}: {torn} bytes at the end are an interrupted write", err=True)
    if damage or torn:
        raise fail(
            f"{path}: damaged ({len(damage)} bad record(s), {torn} torn bytes); `sessiontui repair` sets them aside"
        )
    gaps = f", {store.repairs} repaired gap(s) (see log.repair records)" if store.repairs else ""
    click.echo(f"{path}: ok, {good} events{gaps}, session {store.header.session}")


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@click.option("--log", "log", default=None, hidden=True)
def repair(log_arg: str | None, log: str | None) -> None:
    """Move damaged records aside into a side file (never deleted) and mark the gap in the log."""
    from sessiontui.store.base import StoreError
    from sessiontui.store.repair import repair_log

    path = Path(locate_log(log_arg or log))
    try:
        messages = repair_log(path)
    except StoreError as exc:
        raise fail(str(exc)) from None
    for message in messages:
        click.echo(message)
