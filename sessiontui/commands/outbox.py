"""``sessiontui outbox``: what waits to be sent to a PostgreSQL session's server, and sending it."""

from __future__ import annotations

from pathlib import Path

import click

from sessiontui.commands.common import fail


@click.command()
@click.option("--log", "log", default=None, help="The session (default: $SESSIONTUI_LOG).")
@click.option("--send", is_flag=True, help="Send what waits, in order, each with its own time.")
def outbox(log: str | None, send: bool) -> None:
    """List what was recorded while the server could not be reached (waiting, refused).

    Waiting entries go out in the order they were kept, with the time they happened; the same
    entry sent twice is recorded once. A refused entry stays listed with the reason.
    """
    from sessiontui.commands.record import locate_log, open_service, tell_outbox
    from sessiontui.store.base import StoreError, no_log_at
    from sessiontui.store.open import is_postgres, normalize_location
    from sessiontui.store.outbox import Outbox, OutboxError
    from sessiontui.store.postgres import parse_location

    location = normalize_location(locate_log(log))
    if not is_postgres(location):
        if not Path(location).exists():
            raise fail(str(no_log_at(location)))
        raise fail(f"{location} is a log file: it is written directly and has no outbox")
    try:
        session = parse_location(location).session
    except StoreError as exc:
        raise fail(str(exc)) from None
    if session is None:
        raise fail("which session? add #SESSION_ID to the URL")
    box = Outbox(session)
    try:
        if send and box.waiting():
            service = open_service(location)
            try:
                report = service.send_outbox(box)
            finally:
                service.close()
            tell_outbox(report)
            if report.error is not None:
                raise fail(f"{report.error}; {len(box.waiting())} still waiting in the outbox")
        entries = box.entries()
    except OutboxError as exc:
        raise fail(str(exc)) from None
    counts = {"waiting": 0, "refused": 0, "sent": 0}
    for entry in entries:
        counts[entry.status] += 1
        if entry.status == "waiting":
            click.echo(f"waiting  {entry.describe()}")
        elif entry.status == "refused":
            click.echo(f"refused  {entry.describe()}: {entry.reason}")
    click.echo(
        f"sessiontui: outbox of {session}: {counts['waiting']} waiting, "
        f"{counts['refused']} refused, {counts['sent']} sent",
        err=True,
    )
