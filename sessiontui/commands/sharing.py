"""``sessiontui copy``: move a session between a log file and PostgreSQL, line for line."""

from __future__ import annotations

import fcntl
from pathlib import Path

import click

from sessiontui.commands.common import fail


def read_records(source: str) -> tuple[bytes, list[bytes], str]:
    """The sealed header line and event lines of an undamaged session, and a name for it.

    Raises:
        click.ClickException: the session cannot be opened or is damaged (one line).
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.durable import open_regular
    from sessiontui.store.file import FileStore
    from sessiontui.store.open import is_postgres, normalize_location
    from sessiontui.store.postgres import PostgresStore

    try:
        if is_postgres(source):
            with PostgresStore(normalize_location(source), read_only=True) as store:
                for notice in store.notices:
                    click.echo(f"sessiontui: {notice}", err=True)
                _good, damage, _torn = store.verify()
                if damage:
                    raise fail(f"{store.url}: damaged at {damage[0]}; nothing was copied")
                header_line, lines = store.records()
                return header_line, lines, store.url
        with FileStore(source, read_only=True, recover=False) as log:
            good, damage, torn = log.verify()
            if damage or torn:
                problem = damage[0] if damage else f"{torn} bytes of an interrupted write"
                raise fail(
                    f"{source}: damaged ({problem}); run `sessiontui verify` / `sessiontui repair` "
                    "first; nothing was copied"
                )
            with open_regular(source) as handle:
                # A shared lock: no writer is halfway through a batch while we read.
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
                data = handle.read()
    except StoreError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot read {source}: {exc.strerror or exc}") from None
    records = data.splitlines(keepends=True)
    # Lines appended after verify are whole (written under flock); an unterminated tail is not ours.
    if records and not records[-1].endswith(b"\n"):
        records.pop()
    if len(records) - 1 < good:
        raise fail(f"{source}: changed while being read; try again")
    return records[0], records[1:], source


def write_file(target: Path, header_line: bytes, lines: list[bytes]) -> int:
    """Create ``target`` (0600, never overwriting) with exactly these lines; check it back.

    Raises:
        click.ClickException: it exists, cannot be written, or does not verify.
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.durable import missing_folder, write_private
    from sessiontui.store.file import FileStore

    if (missing := missing_folder(target)) is not None:
        raise fail(f"cannot write {target}: {missing}")
    try:
        write_private(target, header_line + b"".join(lines))
    except FileExistsError:
        raise fail(f"{target} already exists; a session log is never overwritten") from None
    except OSError as exc:
        target.unlink(missing_ok=True)  # a partly written copy is no copy
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with FileStore(target, read_only=True, recover=False) as log:
            good, damage, torn = log.verify()
    except StoreError as exc:
        target.unlink(missing_ok=True)
        raise fail(f"the copy did not verify ({exc}); it was removed") from None
    if damage or torn:
        target.unlink(missing_ok=True)
        raise fail(f"the copy did not verify ({damage[0] if damage else 'torn'}); it was removed")
    return good


@click.command()
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="TARGET")
def copy(source: str, target: str) -> None:
    """Copy a session: log file <-> postgresql://HOST/DB[#SESSION], every event, id and hash kept.

    The target must not exist yet. The PostgreSQL session keeps the log's session id; the
    location of the copy is printed on stdout.
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import is_postgres, normalize_location
    from sessiontui.store.postgres import PostgresStore

    header_line, lines, name = read_records(source)
    if is_postgres(target):
        try:
            with PostgresStore.import_records(
                normalize_location(target), header_line, lines
            ) as store:
                good, damage, _torn = store.verify()
                where = store.url
        except StoreError as exc:
            raise fail(str(exc)) from None
        if damage:
            raise fail(f"{where}: the copy did not verify ({damage[0]})")
    else:
        path = Path(target)
        good = write_file(path, header_line, lines)
        where = str(path)
    click.echo(f"sessiontui: copied {good} events from {name} to {where}", err=True)
    click.echo(where)
