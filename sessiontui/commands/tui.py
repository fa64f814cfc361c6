"""The ``tui`` command: open the tracker on an agenda (creating its log) or on a session log."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sessiontui.commands.common import AGENDA_LOG_DEFAULT, fail, refuse_agenda
from sessiontui.core.commands import ROLES

if TYPE_CHECKING:
    from sessiontui.core.agenda import Agenda
    from sessiontui.service import SessionService


def _log_for_agenda(agenda: Path, log: str | None) -> str:
    """The agenda's session log: resumed when it exists, else created (and said where)."""
    from sessiontui.commands.common import LOG_ENV
    from sessiontui.commands.record import create_log, default_log_for
    from sessiontui.store.open import is_postgres

    given = log or os.environ.get(LOG_ENV) or None
    target = given or str(default_log_for(agenda))
    # A PostgreSQL location names its session: create_log decides whether it is new.
    if not is_postgres(target) and Path(target).exists():
        from sessiontui.commands.record import made_from, refuse_another_meeting
        from sessiontui.core.agenda_toml import AgendaError, load_agenda_file

        try:
            title = load_agenda_file(agenda).meeting.title
        except AgendaError as exc:
            # The log's own agenda, broken while being edited, still resumes its session; a
            # broken agenda never resumes another meeting's log (a typo, or $SESSIONTUI_LOG).
            if not made_from(Path(target), agenda):
                refuse_agenda(exc)
            title = None
        if title is not None:
            refuse_another_meeting(Path(target), agenda, title)
        _say_opening(target, f"resuming the session log at {target}")
        return target
    # Given, or None: the default, whose data folder is made as needed.
    return create_log(agenda, given)


def _say_opening(log: str, words: str) -> None:
    """Say which log is opened (a long one takes a moment), unless it plainly is no session
    log at all: then the opening's error is said alone."""
    from sessiontui.store.durable import open_regular
    from sessiontui.store.recognise import not_a_log

    try:
        with open_regular(log) as file:
            start = file.read(64 * 1024)
    except OSError:
        start = b"?"  # the opening says why it cannot be read
    if not start or not_a_log(Path(log), start) is not None:
        return
    click.echo(f"sessiontui: {words}", err=True)


def open_while_textual_loads(
    location: str, actor: str | None, role: str | None, *, read_only: bool
) -> SessionService:
    """Open the session (``open_service``) in a thread while Textual and the tracker are imported.

    Reading and hashing a long session's log and checkpoint (tens of megabytes) release the
    GIL, so they overlap with the imports. Everything the opening imports is imported here
    first, and neither Textual nor the tracker's modules import anything the opening still
    has to: the two threads never import the same module at the same time.

    The cyclic garbage collector is paused until both are done, and what exists then is
    frozen (exempt from collection, as ``SessionApp`` does with the rest when it loads): the
    modules and the folded session live as long as the tracker, and the collections on the
    way walked the tens of thousands of objects just decoded from the checkpoint again and
    again (two passes on a long session, before the first screen).
    """
    import importlib
    from concurrent.futures import ThreadPoolExecutor

    from sessiontui.commands.record import open_service
    from sessiontui.store.open import is_postgres

    for module in ("service", "store.checkpoints", "store.file", "core.snapshot"):
        importlib.import_module(f"sessiontui.{module}")
    if is_postgres(location):
        importlib.import_module("sessiontui.store.postgres")

    collecting = gc.isenabled()
    gc.disable()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="open-session") as pool:
            opening = pool.submit(open_service, location, actor, role, read_only=read_only)
            # Loaded now, used by the tracker once the session is open.
            import textual.app
            import textual.widgets  # noqa: F401

            import sessiontui.ui.app  # noqa: F401

            service = opening.result()  # its one-line errors are raised here
    except BaseException:
        if collecting:
            gc.enable()
        raise
    if collecting:
        gc.freeze()  # until the tracker ends: ``SessionApp.on_unmount`` and ``_run`` unfreeze
        gc.enable()
    return service


def _agenda_changed(agenda: Path, header_sha256: str | None) -> bool:
    import hashlib

    try:
        return hashlib.sha256(agenda.read_bytes()).hexdigest() != header_sha256
    except OSError:
        return False


def _agenda_notice(path: Path, agenda: Agenda, log_path: str) -> str | None:
    """What to say of an agenda file that is not the one the session began with: the items
    ``amend sync`` would record (the same comparison, so the two never disagree), or nothing
    when the file differs only in form."""
    from sessiontui.core.agenda import Agenda
    from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
    from sessiontui.core.amendments import agenda_changes

    try:
        changes = agenda_changes(agenda, Agenda(load_agenda_file(path)))
    except (AgendaError, OSError):
        return (
            f"{path} changed since the session began and cannot be read as an agenda now "
            f"(`sessiontui check {path}` says why); the session keeps its own agenda"
        )
    if not changes:
        return None
    return (
        f"{path} changed since the session began ({len(changes)} item change"
        f"{'s' if len(changes) != 1 else ''}); `sessiontui amend sync {path} --log {log_path}` "
        "records them as amendments (--dry-run lists them)"
    )


@click.command()
@click.argument("location", metavar="PATH")
@click.option(
    "--log",
    "log",
    default=None,
    help=f"With an agenda: the session log to resume or create (default: {AGENDA_LOG_DEFAULT}).",
)
@click.option(
    "--actor",
    default=None,
    help="Who records (default: $SESSIONTUI_ACTOR, else the name asked at the first start).",
)
@click.option("--role", type=click.Choice(ROLES), default=None, help="Record as this role.")
@click.option("--read-only", is_flag=True, help="Record nothing (a viewer or a projector).")
@click.option(
    "--ask-identity", is_flag=True, help="Ask the person's name and role first (browsers)."
)
def tui(
    location: str,
    log: str | None,
    actor: str | None,
    role: str | None,
    read_only: bool,
    ask_identity: bool,
) -> None:
    """Open the tracker on PATH: an agenda (.toml; creates or resumes its log), a log (.jsonl),
    or a PostgreSQL session (postgresql://HOST/DB#SESSION)."""
    from sessiontui.store.open import is_postgres

    actor, ask_name = _who(actor, read_only=read_only or ask_identity)
    path = Path(location)
    if is_postgres(location):
        if log:
            raise fail("give either a session or an agenda with --log, not both")
        service = open_while_textual_loads(location, actor, role, read_only=read_only)
        _run(service, location, read_only=read_only, ask_identity=ask_identity, ask_name=ask_name)
        return
    if not path.exists():
        if path.suffix.lower() == ".toml":
            raise fail(f"{path}: no such file")  # as every command words a missing agenda
        from sessiontui.store.base import no_log_at

        raise fail(str(no_log_at(path)))
    if path.is_dir():
        raise fail(f"{path}: is a folder, not an agenda or a session log")
    if path.suffix.lower() == ".toml":
        log_path = _log_for_agenda(path, log)
    else:
        if log:
            raise fail("give either a session log or an agenda with --log, not both")
        log_path = str(path)
        _say_opening(log_path, f"session log {log_path}")
    service = open_while_textual_loads(log_path, actor, role, read_only=read_only)
    if path.suffix.lower() == ".toml" and _agenda_changed(path, service.store.header.agenda_sha256):
        # Never swapped silently: the session keeps its agenda until the change is recorded.
        notice = _agenda_notice(path, service.state.agenda, log_path)
        if notice is not None:
            service.store.notices.append(notice)
    _run(service, log_path, read_only=read_only, ask_identity=ask_identity, ask_name=ask_name)


def _no_terminal() -> str | None:
    """Why the tracker cannot run here (None: it can): it reads keys from its input and draws
    on its error stream (Textual's), which must be a terminal, unless a browser's tab drives it
    (``sessiontui serve``: textual-serve names its driver). Started from a script, with its
    input from /dev/null, it would wait for keys on a stream that never has one, a processor
    busy the while. Asked once the session is open: a log that cannot be is said first."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    for name, stream in (("input", sys.stdin), ("error output", sys.__stderr__)):
        try:
            terminal = stream is not None and stream.isatty()
        except ValueError:  # closed
            terminal = False
        if not terminal:
            return (
                f"the tracker needs a terminal, and its {name} is not one: run it in a "
                "terminal window (`sessiontui report`, `journal` and `export` need none)"
            )
    return None


def _who(actor: str | None, *, read_only: bool) -> tuple[str | None, Path | None]:
    """Who records: ``--actor``, ``$SESSIONTUI_ACTOR``, the name remembered on this machine, or
    (first start) nobody yet: then the file where the tracker keeps the name it asks."""
    from sessiontui.service import name_file, remembered_name

    if actor or os.environ.get("SESSIONTUI_ACTOR") or read_only:
        return actor, None
    name = remembered_name()
    if name:
        return name, None
    return None, name_file()


def _run(
    service: SessionService,
    location: str,
    *,
    read_only: bool,
    ask_identity: bool,
    ask_name: Path | None,
) -> None:
    # Textual is imported here only: every other command stays fast and Textual-free.
    from sessiontui.commands.record import remember_current
    from sessiontui.ui.app import SessionApp

    missing = _no_terminal()
    if missing is not None:
        service.close()
        raise fail(missing)

    if not read_only and not service.store.read_only:
        # Commands typed without --log in another terminal go to the session in use here.
        remember_current(location)

    app = SessionApp(
        service, read_only=read_only, ask_identity=ask_identity, remember_name=ask_name
    )
    try:
        app.run()
        if app.notes.unwritten is not None:
            # Said once the screen is gone: the tracker's own messages went with it.
            click.echo(f"sessiontui: {app.notes.unwritten}", err=True)
        if app.return_code:
            # Textual has shown the traceback; the shell (and a script) must see a failure.
            raise SystemExit(app.return_code)
        if app.signal_exit_code is not None:
            # Ended by SIGHUP or SIGTERM, cleanly: 128 + the signal, as shells and systemd expect.
            raise SystemExit(app.signal_exit_code)
    finally:
        service.close()
        # What ``open_while_textual_loads`` froze goes back to the collector (the app does
        # this when it unmounts; it may not have run).
        gc.unfreeze()
