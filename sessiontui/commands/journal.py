"""``sessiontui journal``: the session in words, one line per event, printed or followed live."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sessiontui.commands.common import LOG_ENV, CommandError, fail
from sessiontui.commands.record import locate_log, note_head, parse_at
from sessiontui.core.at_time import TIME_FORMS, clock_time
from sessiontui.core.clock import session_zone_name, zone_named
from sessiontui.core.journal import KINDS
from sessiontui.core.wallclock import in_zone

if TYPE_CHECKING:
    from sessiontui.store.file import FileStore

# How often --follow looks for new events: a fstat when nothing changed, and well within the
# promised second when something did. A plain poll survives every way a log can be written.
POLL_SECONDS = 0.2

# Lines printed at a time while a whole journal is made: a long session's is never whole.
EMIT_LINES = 4096


def _emit(lines: Sequence[str]) -> None:
    """Print a batch of lines and flush, so a pipe or a screen reader gets them at once."""
    if not lines:
        return
    try:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``journal | head``): stop quietly, without Python's complaint
        # about flushing a closed pipe at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None


def _moment(
    option: str, text: str | None, timezone: str | None, day: dt.date
) -> dt.datetime | None:
    """``--since``/``--until``: like ``--at``, but a bare time means that time on ``day``."""
    if text is None:
        return None
    raw = text.strip()
    padded = raw if len(raw) > 2 else f"{raw}:00"  # "10": ten o'clock
    bare = clock_time(padded)
    if bare is None:
        try:
            dt.time.fromisoformat(padded)  # ISO's other forms of a time alone ("1005")
            bare = padded
        except ValueError:
            pass  # not a bare time: a date and time, which parse_at reads as it is
    if bare is not None:
        raw = f"{day.isoformat()} {bare}"
    try:
        return parse_at(raw, timezone)
    except CommandError:
        raise fail(f"{option} {text!r}: not a time ({TIME_FORMS})") from None


def _markers(ascii_only: bool) -> Any:
    from sessiontui.core.journal import ASCII_MARKERS, UNICODE_MARKERS

    if ascii_only:
        return ASCII_MARKERS
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "▶─✗".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKERS
    return UNICODE_MARKERS


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@click.option("--log", "log", default=None, help=f"The session log (default: ${LOG_ENV}).")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new events as they are recorded.")
@click.option("--since", default=None, metavar="TIME", help="Only what happened at or after TIME.")
@click.option("--until", default=None, metavar="TIME", help="Only what happened before TIME.")
@click.option("--item", default=None, metavar="REF", help="Only item REF and its sub-items.")
@click.option("--actor", default=None, metavar="NAME", help="Only what NAME recorded.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only these kinds of events (repeatable).",
)
@click.option(
    "--ascii", "ascii_only", is_flag=True, help="ASCII markers (* -- !) instead of ▶ ── ✗."
)
def journal(
    log_arg: str | None,
    log: str | None,
    follow: bool,
    since: str | None,
    until: str | None,
    item: str | None,
    actor: str | None,
    kinds: tuple[str, ...],
    ascii_only: bool,
) -> None:
    """The session as a chronological log in words, one line per event.

    Times are in the session's time zone (the agenda's timezone, else that of the machine that
    began the session; UTC for a log begun before sessions kept one). A bare HH:MM for
    --since/--until means that time on the day of the last recorded event.

    The last line names the head of the log it was made from (`verify --anchor` takes the
    saved journal); --follow has no last line.
    """
    from sessiontui.core.agenda import ReferenceError_
    from sessiontui.core.journal import Journal, journal_heading, with_gaps
    from sessiontui.core.replay import replay
    from sessiontui.service import JournalStream, journal_is_cold
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore
    from sessiontui.store.open import is_postgres, normalize_location

    if isinstance(sys.stdout, io.TextIOWrapper):
        # A note in a script the terminal's encoding lacks must not stop the journal.
        sys.stdout.reconfigure(errors="replace")
    path = normalize_location(locate_log(log_arg or log))
    unfiltered = not (since or until or item or actor or kinds or ascii_only)
    if unfiltered and path and not is_postgres(path) and journal_is_cold(Path(path)):
        _cold_whole(path, follow=follow)
        return
    store: Any
    try:
        if is_postgres(path):
            from sessiontui.store.postgres import PostgresStore

            store = PostgresStore(path, read_only=True)
            path = store.url  # printed in messages: no password
        else:
            # Read-only, no recovery: a reader never changes the log, not even a torn tail.
            store = FileStore(path, read_only=True, recover=False, hash_ahead=True)
    except StoreError as exc:
        raise fail(str(exc)) from None
    with store:
        note_head(store)
        for notice in store.notices:
            click.echo(f"sessiontui: {notice}", err=True)
        for damage in store.damage:
            click.echo(f"{path}: {damage}", err=True)
        header = store.header
        if unfiltered:
            # The whole journal: from the log's journal checkpoint and the events after it,
            # printed as each line is made (a cold journal folds the log as it goes).
            whole = JournalStream(store, live=True)
            _emit([journal_heading(header)])
            lines = whole.lines()
            while batch := list(itertools.islice(lines, EMIT_LINES)):
                _emit(batch)
            if store.damage:
                _damaged(path, store.damage)
            if follow:
                _follow(store, whole.journal, path)
            else:
                _closing(store)
            return
        events = list(store.read())
        zone = session_zone_name(header.timezone, header.agenda)
        last = max((event.at for event in events), default=dt.datetime.now(dt.UTC))
        day = _local_day(last, zone)
        item_id: str | None = None
        if item:
            # Resolved against the agenda as amended by now, so an added item can be named.
            try:
                item_id = replay(header, events).agenda.resolve(item).id
            except ReferenceError_ as exc:
                raise fail(f"--item: {exc.message}") from None
        journal_ = Journal(
            header,
            since=_moment("--since", since, zone, day),
            until=_moment("--until", until, zone, day),
            item=item_id,
            actor=actor,
            kinds=set(kinds) if kinds else None,
            markers=_markers(ascii_only),
        )
        _emit([journal_heading(header)])
        found = getattr(store, "repair_gaps", None)
        gaps = found() if found is not None else []
        _emit(list(with_gaps(events, gaps, journal_.lines, journal_.gap_line)))
        if store.damage:
            _damaged(path, store.damage)
        if follow:
            _follow(store, journal_, path)
        else:
            _closing(store)


def _cold_whole(path: str, *, follow: bool) -> None:
    """The whole journal of a log file without a journal checkpoint, made in the pass that
    opens the log: each line printed as the scan verifies and decodes its event, the log read
    once. Damage is known only once the scan is over: its lines follow the journal's."""
    from sessiontui.core.journal import journal_heading
    from sessiontui.core.replay import collector_paused
    from sessiontui.service import OpeningJournal
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    told = 0

    def begin(store: FileStore) -> None:
        nonlocal told
        for notice in store.notices:
            click.echo(f"sessiontui: {notice}", err=True)
        told = len(store.notices)
        _emit([journal_heading(store.header)])

    opening = OpeningJournal(_emit, begin=begin)
    try:
        # Read-only, no recovery: a reader never changes the log, not even a torn tail. The
        # fold's objects all stay alive: nothing for the cyclic collector to find.
        with collector_paused():
            store = FileStore(
                path, read_only=True, recover=False, fold=opening.start, hash_ahead=True
            )
    except StoreError as exc:
        raise fail(str(exc)) from None
    with store:
        opening.finish(store)
        note_head(store)  # after the scan: its warning follows the journal's lines
        for notice in store.notices[told:]:
            click.echo(f"sessiontui: {notice}", err=True)
        if store.damage:
            for damage in store.damage:
                click.echo(f"{path}: {damage}", err=True)
            _damaged(path, store.damage)
        if follow:
            _follow(store, opening.journal, path)
        else:
            _closing(store)


def _closing(store: Any) -> None:
    """End the journal with the head of the log it was made from (``verify --anchor`` takes the
    journal saved to a file). A followed journal has no end, so it carries none: stopped by
    Ctrl+C between reading events and printing them, a head could name events not printed."""
    from sessiontui.core.journal import journal_closing
    from sessiontui.service import log_head

    head = log_head(store)
    if head is not None:
        _emit([journal_closing(head.seq, head.sha256)])


def _local_day(moment: dt.datetime, zone: str | None) -> dt.date:
    """The date of ``moment`` in the meeting's zone (UTC when none is known)."""
    return in_zone(moment, zone_named(zone) or dt.UTC).date()


def _damaged(path: Any, damage: Iterable[Any]) -> None:
    problems = list(damage)
    if problems[0].line == 1 and len(problems) == 1:
        # The header alone: every record after it was read and journaled as it is.
        raise fail(
            f"{path}: the header (line 1) is damaged: {problems[0].reason}; the journal above "
            "is made from the records as they are"
        )
    problems = [problem for problem in problems if problem.line != 1]
    raise fail(
        f"{path}: damaged ({len(problems)} bad record(s)); the journal above stops at the last "
        f"good record before {problems[0]}; see `sessiontui verify` and `sessiontui repair`"
    )


def _follow(store: Any, journal_: Any, path: Any) -> None:
    """Print new events as any process appends them, until Ctrl+C (then exit 0, quietly).

    A log file is polled; a PostgreSQL session is woken by LISTEN/NOTIFY (and re-read at least
    every second, so a lost notification costs a moment, never a line). While its server is
    out of reach the journal says so once and carries on when it is back.
    """
    from sessiontui.store.base import StoreError

    wait = getattr(store, "wait", None)
    out_of_reach = False
    told = len(store.notices)  # said before the journal began
    try:
        while True:
            if wait is not None:
                wait(1.0)
            else:
                time.sleep(POLL_SECONDS)
            try:
                news = store.catch_up()
            except StoreError as exc:
                if not out_of_reach:
                    click.echo(f"sessiontui: {exc}; waiting for it to come back", err=True)
                out_of_reach = True
                time.sleep(1.0)
                continue
            if out_of_reach:
                click.echo(f"sessiontui: {path}: back", err=True)
                out_of_reach = False
            for notice in store.notices[told:]:
                # An interrupted write left at the end, once it stayed so (not damage).
                click.echo(f"sessiontui: {notice}", err=True)
            told = len(store.notices)
            if store.damage:
                for damage in store.damage:
                    click.echo(f"{path}: {damage}", err=True)
                _emit(journal_.lines(news))
                _damaged(path, store.damage)
            _emit(journal_.lines(news))
    except KeyboardInterrupt:
        return
