"""Commands that create a session and record what happens in it, and the report."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shlex
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import msgspec

from sessiontui.commands.common import (
    AGENDA_LOG_DEFAULT,
    LOG_ENV,
    damage_notice,
    fail,
    log_alias_option,
    refuse_agenda,
)
from sessiontui.core.agenda import ReferenceError_, parse_duration
from sessiontui.core.at_time import BadTime, far_problem, read_at
from sessiontui.core.clock import session_zone_name
from sessiontui.core.commands import (
    ROLES,
    AddNote,
    AddSpeaker,
    Amend,
    AmendAgenda,
    CloseItem,
    Command,
    DeferItem,
    DeleteNote,
    EditNote,
    NextItem,
    OpenItem,
    Refused,
    RemoveSpeaker,
    ResumeItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    SuspendItem,
    Undo,
    _find_speaker,
    note_on,
)
from sessiontui.core.phrases import (
    describe,
    meeting_moment,
    meeting_time_beside,
    sittings_off_the_agenda_days,
    speakers_left_waiting,
)
from sessiontui.core.register import unlisted_speaker
from sessiontui.core.vocabulary import NOTE_KINDS, SPEAKER_KINDS, NoteKind, SpeechKind

if TYPE_CHECKING:
    from sessiontui.service import SessionService

F = TypeVar("F", bound=Callable[..., Any])


ACTOR_DEFAULT = "$SESSIONTUI_ACTOR, else the tracker's name, else login"
ACTOR_HELP = f"Who records this (default: {ACTOR_DEFAULT})."


def data_dir() -> Path:
    """Where logs go when no path is given: ``$XDG_DATA_HOME/sessiontui`` (~/.local/share)."""
    from sessiontui.store.cachekey import data_dir as account_folder

    return account_folder()


def default_log_for(agenda_path: Path) -> Path:
    """The log an agenda's session gets by default: ``<data dir>/<name>-<8 hex>.jsonl``.

    The hex digits come from the agenda file's full path, so ``agendas/2025/agenda.toml`` and
    ``agendas/2024/agenda.toml`` never share a log. A log of the older name (``<name>.jsonl``)
    made from this very file is still used.
    """
    resolved = agenda_path.resolve()
    older = data_dir() / f"{agenda_path.stem}.jsonl"
    if agenda_of_log(older) == str(resolved):
        return older
    tag = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:8]
    return data_dir() / f"{agenda_path.stem}-{tag}.jsonl"


def agenda_of_log(log: Path) -> str | None:
    """The agenda file a log's header names (None: no log there, or no header to read)."""
    return header_of(log).get("agenda_path")


def header_of(log: Path) -> dict[str, Any]:
    """A log's first line as JSON, whatever its checksum says (empty: none to read)."""
    from sessiontui.store.durable import open_regular

    try:
        with open_regular(log) as handle:
            first = handle.readline(1024 * 1024 + 1)
        header = msgspec.json.decode(first)
    except (OSError, msgspec.DecodeError):
        return {}
    return header if isinstance(header, dict) else {}


def made_from(log: Path, agenda: Path) -> bool:
    """Whether ``log``'s session was created from the agenda file ``agenda``."""
    header = header_of(log)
    return bool(header) and header.get("agenda_path") == str(agenda.resolve())


def another_meeting(made_from_path: str | None, theirs: object, agenda: Path, title: str) -> bool:
    """Whether ``agenda`` (its meeting titled ``title``) is another meeting's than a session's
    made from the agenda file ``made_from_path``, its meeting titled ``theirs``.

    Another meeting: another agenda file, and another title. (The same file edited since, or
    the same meeting's agenda moved, are the same meeting.)
    """
    return made_from_path != str(agenda.resolve()) and theirs != title


def refuse_another_meeting(log: Path, agenda: Path, title: str) -> None:
    """Refuse to resume ``log`` for ``agenda`` when the log is another meeting's session."""
    header = header_of(log)
    meeting = header.get("agenda", {}).get("meeting", {}) if header else {}
    theirs = meeting.get("title") if isinstance(meeting, dict) else None
    path = header.get("agenda_path")
    if not header or not another_meeting(path, theirs, agenda, title):
        return
    raise fail(
        f"{log} is the session of another meeting ({theirs!r}, from {path}); give a new "
        f"--log for {agenda}, or open {log} itself to go on with that meeting"
    )


def remember_current(location: str) -> None:
    """Make ``location`` the session later commands use when neither --log nor $SESSIONTUI_LOG is set."""
    folder = data_dir()
    from sessiontui.store.durable import make_private_dir, place_file
    from sessiontui.store.open import is_postgres

    remembered = location if is_postgres(location) else str(Path(location).resolve())
    try:
        make_private_dir(folder)
        # Replaced whole, never emptied first: a failed write leaves the previous session.
        place_file(folder / "current", os.fsencode(remembered) + b"\n", replace=True)
    except OSError:
        pass  # a convenience only; --log and $SESSIONTUI_LOG always work


def locate_log(given: str | None) -> str:
    """The log to use: --log, else $SESSIONTUI_LOG, else the session last created by ``init``
    or opened in the tracker here (then said on stderr).

    A location stays a string: it may be a ``postgresql://`` URL, which ``Path`` would mangle.
    """
    if given:
        return given
    env = os.environ.get(LOG_ENV)
    if env:
        return env
    try:
        current = os.fsdecode((data_dir() / "current").read_bytes().strip())
    except OSError:
        current = ""
    if current:
        # Named: a command typed in another terminal than the tracker's must not record into
        # a session other than the one the person has in mind without saying so.
        click.echo(
            f"sessiontui: session log {current} (the one last opened here; --log or "
            f"${LOG_ENV} names another)",
            err=True,
        )
        return current
    raise fail(
        f"which session log? name it (LOG, or --log LOG for a recording command), set "
        f"${LOG_ENV}, or run `sessiontui init` (later commands then use that session)"
    )


def parse_at(text: str | None, timezone: str | None) -> dt.datetime | None:
    """``--at``: ``HH:MM[:SS]`` (today), ``YYYY-MM-DD HH:MM`` or ISO 8601 with a zone."""
    if text is None:
        return None
    try:
        return read_at(text, timezone)
    except BadTime as exc:
        raise fail(f"--at {exc}") from None


FORCE_AT = "force_at"


def _set_force(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[FORCE_AT] = value


def check_far(moment: dt.datetime | None, state: Any, now: dt.datetime) -> None:
    """Refuse an ``--at`` that looks like a typo (see ``far_problem``) unless ``--force``."""
    if moment is None or click.get_current_context().meta.get(FORCE_AT):
        return
    said = meeting_moment(moment, state)
    problem = far_problem(moment, list(state.agenda.meeting.dates or []), now, said)
    if problem is not None:
        raise fail(f"--at {problem}; add --force if that is really when it happened")


def recording_options(func: F) -> F:
    """``--at``, ``--log``, ``--actor`` and ``--role``: every recording command takes them."""
    func = click.option(
        "--role", type=click.Choice(ROLES), default=None, help="Record as this role."
    )(func)
    func = click.option("--actor", default=None, help=ACTOR_HELP)(func)
    func = click.option(
        "--log", "log", default=None, help=f"The session log (default: ${LOG_ENV})."
    )(func)
    func = click.option(
        "--force",
        is_flag=True,
        expose_value=False,
        callback=_set_force,
        help="Record an --at more than a day from the meeting's dates and from now.",
    )(func)
    return click.option("--at", "at", default=None, help="When it happened (a correction).")(func)


def check_actor(actor: str | None) -> None:
    """Refuse an ``--actor`` no event may carry (one line).

    Raises:
        CommandError: it holds a control character, or nothing but spaces.
    """
    from sessiontui.core.bounds import control_character
    from sessiontui.service import tidy_name

    if actor is not None and (bad := control_character(actor, one_line=True)) is not None:
        # A newline would split every acknowledgement and journal line it appears in.
        raise fail(f"--actor: a name cannot hold a control character (U+{ord(bad):04X})")
    if actor is not None and tidy_name(actor) is None:
        raise fail("--actor: the name is blank")


def open_service(
    log: str | None, actor: str | None = None, role: str | None = None, *, read_only: bool = False
) -> SessionService:
    """Open the session log for a command (one-line errors for every way it can fail)."""
    from sessiontui.core.bounds import invalid_notice
    from sessiontui.service import open_session
    from sessiontui.store.base import StoreError

    check_actor(actor)
    try:
        service = open_session(
            locate_log(log),
            actor=actor,
            role=role or os.environ.get("SESSIONTUI_ROLE") or None,
            read_only=read_only,
            hash_ahead=True,  # for ``check_head`` below
        )
    except StoreError as exc:
        raise fail(str(exc)) from None
    invalid = invalid_notice(service.state.invalid)
    if invalid is not None:
        service.store.notices.append(invalid)  # the tracker shows them too
    rewritten = check_head(service.store)
    if rewritten is not None and (read_only or not service.store.read_only):
        # A command that records is refused on such a log, in words that say the same: the
        # warning would only say it twice.
        service.store.notices.append(rewritten)
    for notice in service.store.notices:
        click.echo(f"sessiontui: {notice}", err=True)
    return service


def note_head(store: Any) -> None:
    """Add ``check_head``'s warning, if any, to what the store's opening has to say."""
    rewritten = check_head(store)
    if rewritten is not None:
        store.notices.append(rewritten)


def check_head(store: object, *, remember_head: bool = True) -> str | None:
    """Warn when a log no longer extends the head this account last saw of it; remember the
    head it has now (privately, per session). None: it does (or there is nothing to compare).

    A log file that no longer extends it, without a repair that recorded the move, keeps the
    head remembered (so every command warns again) and refuses writes on this store, until
    ``repair`` records the change. ``remember_head``: False for ``verify``, which only looks.
    """
    from sessiontui.store.anchors import last_seen, moved_by_repair
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    if not isinstance(store, FileStore):
        # The driver is imported only for a server's session: it costs a log file's commands
        # a tenth of a second and 15-20 MB.
        from sessiontui.store.postgres import PostgresStore

        if isinstance(store, PostgresStore) and not store.damage:
            # A session on a server: its last line's checksum, compared on the server (one row).
            session, where = store.session, store.url
            seen = last_seen(session, where)
            try:
                if seen is not None and seen.sum and not store.holds_line(seen.seq, seen.sum):
                    # As on a log file: not remembered anew, so the warning holds at every
                    # command and nothing is written on what is left until it is accepted.
                    accept = (
                        "nothing is recorded on it from this account until the change is "
                        f"accepted with `sessiontui repair {where}`"
                    )
                    store.refuse_writes(
                        f"{where} no longer extends what this account last saw of it (seq "
                        f"{seen.seq}); {accept}"
                    )
                    return (
                        f"WARNING: {where} no longer extends what this account last saw of "
                        f"session {session} (seq {seen.seq}, line checksum {seen.sum}): events "
                        f"were removed or rewritten since (a server restored from an older "
                        f"backup?); {accept} (`sessiontui verify {where} --anchor {seen.sum}` "
                        "tells which)"
                    )
            except StoreError:
                return None  # out of reach: keep the head seen for when it is back
            if remember_head:
                remember_server_head(store)
            return None
        return None
    if store.damage:
        return None
    session = store.header.session
    seen = last_seen(session, store.path)
    if seen is not None and seen.blocks:
        held = store.holds_blocks(seen.bytes, seen.blocks)
        if held and seen.bytes == store.size:
            return None  # unchanged since it was last seen: nothing to hash or remember
    else:
        held = seen is None or not seen.sha256 or store.prefix_digest(seen.bytes) == seen.sha256
    warning = None
    if seen is not None and not held:
        if not moved_by_repair(store.path, seen):
            # Not remembered anew: the warning holds, and nothing is written on top of what
            # is left, until someone accepts the cut with ``repair`` (which records it).
            accept = (
                f"nothing is recorded on it until the change is accepted with "
                f"`sessiontui repair {store.path}`"
            )
            store.refuse_writes(
                f"{store.path} no longer extends what this account last saw of it (seq "
                f"{seen.seq}); {accept}"
            )
            named = (
                f"line checksum {seen.sum}"
                if seen.blocks or not seen.sha256
                else f"SHA-256 {seen.sha256}"
            )
            return (
                f"WARNING: {store.path} no longer extends what this account last saw of session "
                f"{session} (seq {seen.seq}, {named}): events were removed or rewritten since; "
                f"{accept} (`sessiontui verify {store.path}` says more)"
            )
        warning = (
            f"{store.path} was repaired since this account last saw it (seq {seen.seq}); "
            f"`sessiontui verify {store.path}` names the repair"
        )
    if not remember_head:
        return warning
    remember_file_head(store)
    return warning


def remember_file_head(store: Any) -> None:
    """Remember the head a log file has now (as this store read or wrote it) as the one this
    account last saw."""
    from sessiontui.store.anchors import Head, remember

    # Block digests, not the whole prefix's SHA-256 (heads remembered before had that): the
    # blocks verified at open are not hashed again.
    head = Head(
        bytes=store.size, seq=store.last_seq, sum=store.last_sum, blocks=store.head_blocks()
    )
    remember(store.header.session, store.path, head)


def remember_written_head(store: Any) -> None:
    """After this account's own write, remember the head with it (best effort).

    The head remembered at open is the one before the write. Were the line written then set
    aside by a repair (damaged later), the repair would record the head it moved from, this
    one, and not the one remembered: this account would take a recorded repair for a rewrite,
    and refuse to write.
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    with contextlib.suppress(OSError, StoreError):
        if isinstance(store, FileStore):
            if not store.read_only and not store.damage:
                remember_file_head(store)
            return
        from sessiontui.store.postgres import PostgresStore

        if isinstance(store, PostgresStore) and not store.damage:
            remember_server_head(store)


def remember_server_head(store: Any) -> None:
    """Remember the head a PostgreSQL session has now as the one this account last saw."""
    from sessiontui.store.anchors import Head, remember

    now = store.checkpoint()
    remember(store.session, store.url, Head(bytes=now.offset, seq=now.last_seq, sum=now.last_sum))


def record(
    log: str | None,
    actor: str | None,
    role: str | None,
    at: str | None,
    make: Callable[[Any], Command],
    warn: Callable[[Any, list[Any]], list[str]] | None = None,
) -> None:
    """Run one command against the log and say what was recorded, or why not; ``warn`` gives
    warnings of its own about the state after it and the events recorded."""
    from sessiontui.store.base import SaveError, StoreError, Unreachable

    service = open_service(log, actor, role)
    command: Command | None = None
    try:
        command = make(service.state)
        header = service.state.header
        when = parse_at(at, session_zone_name(header.timezone, header.agenda))
        check_far(when, service.state, service.clock.now())
        happened = when or service.clock.now()
        # A speaker taken off the list is gone from the state the echo reads: named from here.
        speakers = {
            speaker.id: speaker.name
            for item in service.state.items.values()
            for speaker in item.speakers
        }
        events = send_or_keep(service, command, when, happened)
        if events:
            remember_written_head(service.store)
    except ReferenceError_ as exc:
        raise fail(exc.message) from None
    except Refused as exc:
        raise fail(f"refused: {exc}") from None
    except Unreachable as exc:
        raise fail(str(exc)) from None  # says itself whether it may have been saved
    except SaveError as exc:
        raise fail(f"NOT saved: {exc}") from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        service.close()
    state = service.state
    for event in events:
        click.echo(f"#{event.seq} {event.actor} {describe(state, event, speakers)}", err=True)
    own = warn(state, events) if warn is not None else []
    opened_off = [f"sitting opened: {w}" for w in sittings_off_the_agenda_days(state, events)]
    for warning in [*speakers_left_waiting(state, events), *opened_off, *service.notices, *own]:
        click.echo(f"sessiontui: warning: {warning}", err=True)


KEPT_EXIT = 75
"""Exit status of a command kept in the outbox (EX_TEMPFAIL: recorded later, not yet)."""


def send_or_keep(
    service: SessionService, command: Command, at: dt.datetime | None, happened: dt.datetime
) -> list[Any]:
    """Record a command; on a PostgreSQL session whose server cannot be reached, keep it in the
    outbox instead (notes and speakers), after what already waits there, and exit 75.

    Raises:
        click.exceptions.Exit: kept in the outbox (status 75).
        StoreError: not recorded (a status change while the server is out of reach, ...).
    """
    from sessiontui.store.base import Unreachable
    from sessiontui.store.outbox import OutboxError, may_wait, outbox_for

    outbox = outbox_for(service.store)
    try:
        if outbox is not None and outbox.waiting():
            report = service.send_outbox(outbox)
            tell_outbox(report)
            if report.error is not None:
                raise Unreachable(report.error, [])
        return run_with_retries(service, command, at)
    except Unreachable as exc:
        if outbox is None:
            raise
        if not may_wait(command):
            raise Unreachable(
                f"{exc}; item and sitting changes are not recorded while the server is out of "
                "reach (notes and speakers wait in the outbox)",
                [],
            ) from None
        key = service.unsaved_key(command) or uuid.uuid4().hex
        try:
            outbox.put(
                key, happened, service.actor, service.role, command, corrected=at is not None
            )
        except OutboxError as problem:
            raise fail(f"{exc}; and {problem}: NOT kept") from None
        waiting = len(outbox.waiting())
        click.echo(
            f"sessiontui: {exc}; kept in the outbox ({waiting} waiting), sent with its time "
            "when the server is back: `sessiontui outbox --send` (see docs/sharing.md)",
            err=True,
        )
        raise click.exceptions.Exit(KEPT_EXIT) from None
    except OutboxError as exc:
        raise fail(str(exc)) from None


def tell_outbox(report: Any) -> None:
    """Say on stderr what sending the outbox did."""
    for entry, events in report.sent:
        seq = f"#{events[-1].seq}" if events else "(already saved)"
        click.echo(f"sessiontui: sent from the outbox {seq}: {entry.describe()}", err=True)
    for entry in report.refused:
        click.echo(
            f"sessiontui: REFUSED from the outbox: {entry.describe()}: {entry.reason} "
            "(kept; `sessiontui outbox` lists it)",
            err=True,
        )


RETRY_SECONDS = 10.0
"""How long a command keeps trying an unreachable server (same event ids every time);
``$SESSIONTUI_RETRY_SECONDS`` changes it."""
RETRY_PAUSE = 1.0


def run_with_retries(service: SessionService, command: Command, at: Any) -> list[Any]:
    """``service.run``, tried again while the server cannot be reached.

    Every attempt carries the same event ids (the service keeps them for a command whose save
    failed), so an attempt that was saved although its answer was lost is recognised and
    nothing is recorded twice.

    Raises:
        Unreachable: still no server after ``RETRY_SECONDS``.
    """
    from sessiontui.store.base import Unreachable

    try:
        seconds = float(os.environ.get("SESSIONTUI_RETRY_SECONDS", RETRY_SECONDS))
    except ValueError:
        seconds = RETRY_SECONDS
    deadline = time.monotonic() + seconds
    while True:
        try:
            return service.run(command, at=at)
        except Unreachable as exc:
            if time.monotonic() >= deadline:
                raise
            click.echo(f"sessiontui: {exc}; trying again with the same event ids", err=True)
            time.sleep(RETRY_PAUSE)


def resolve(state: Any, reference: str) -> str:
    """An item reference to its id (ReferenceError_ names the candidates)."""
    node = state.agenda.resolve(reference)
    return str(node.id)


# -- init --------------------------------------------------------------------------------------


@click.command()
@click.argument("agenda", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--log", "log", default=None, help=f"Where to create the log (default: {AGENDA_LOG_DEFAULT})."
)
def init(agenda: Path, log: str | None) -> None:
    """Create a session log for AGENDA without the TUI (never overwrites one)."""
    log_path = create_log(agenda, log)
    click.echo(str(log_path))


def create_log(agenda: Path, log: str | None) -> str:
    """Validate the agenda and create its session (a log file or a PostgreSQL session).

    Returns the new session's location (for PostgreSQL, the URL with the session id).
    """
    from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
    from sessiontui.core.events import new_header
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import create_store, is_postgres, normalize_location

    try:
        spec = load_agenda_file(agenda)
        raw = agenda.read_bytes()
    except AgendaError as exc:
        refuse_agenda(exc)
    except OSError as exc:
        raise fail(f"cannot read {agenda}: {exc.strerror}") from None
    location = log or os.environ.get(LOG_ENV) or ""
    if not location:
        # The default data folder is made as needed; a folder the person names is not (see
        # ``missing_folder``).
        from sessiontui.store.durable import make_private_dir

        location = str(default_log_for(agenda))
        try:
            make_private_dir(data_dir())
        except OSError as exc:
            raise fail(f"cannot create {data_dir()}: {exc.strerror}") from None
    session_id = None
    if is_postgres(location):
        from sessiontui.store.postgres import parse_location

        try:
            session_id = parse_location(normalize_location(location)).session
        except StoreError as exc:
            raise fail(str(exc)) from None
    header = new_header(
        spec,
        created=dt.datetime.now(dt.UTC),
        # Where it was, for people: a name that is not UTF-8 is kept with its bytes escaped.
        agenda_path=str(agenda.resolve()).encode("utf-8", "backslashreplace").decode("utf-8"),
        agenda_sha256=hashlib.sha256(raw).hexdigest(),
        session_id=session_id,
    )
    try:
        created = create_store(location, header)
    except StoreError as exc:
        raise fail(str(exc)) from None
    remember_current(created)
    click.echo(f"sessiontui: session log created at {created}", err=True)
    return created


# -- item status -------------------------------------------------------------------------------


def _item_command(name: str, command: Callable[[str], Command], help_text: str) -> click.Command:
    @click.command(name=name, help=help_text)
    @click.argument("item")
    @recording_options
    def run(
        item: str, at: str | None, log: str | None, actor: str | None, role: str | None
    ) -> None:
        record(log, actor, role, at, lambda state: command(resolve(state, item)))

    return run


open_item = _item_command("open", OpenItem, "Take ITEM up (reopens a closed item).")
close_item = _item_command("close", CloseItem, "Conclude ITEM (and its sub-items still open).")
suspend_item = _item_command("suspend", SuspendItem, "Suspend ITEM: off the floor, not concluded.")
resume_item = _item_command("resume", ResumeItem, "Take a suspended ITEM up again.")
defer_item = _item_command("defer", DeferItem, "Defer ITEM to a later sitting.")


@click.command(name="next")
@click.option(
    "--from",
    "from_item",
    default=None,
    metavar="ITEM",
    help="The item you saw on the floor: refused if the floor has moved since (default: the "
    "item on the floor when the command reads the log).",
)
@recording_options
def next_item(
    from_item: str | None, at: str | None, log: str | None, actor: str | None, role: str | None
) -> None:
    """Close the item on the floor and take up the next one in agenda order."""

    read: dict[str, tuple[dt.datetime, str]] = {}  # by item: its take-up, as read

    def make(state: Any) -> Command:
        if at is not None and from_item is None:
            # A correction is decided on the session as it stood then, not as read now.
            return NextItem()
        floor = state.items.get(state.floor) if state.floor is not None else None
        if floor is not None and floor.changed_at is not None and floor.changed_by:
            read[state.floor] = (floor.changed_at, floor.changed_by)
        # Another writer may move the floor between the read and the lock: then this is
        # refused, naming who moved it, never a second "next" closing what they took up.
        return NextItem(resolve(state, from_item) if from_item is not None else state.floor)

    def warn(state: Any, events: list[Any]) -> list[str]:
        if from_item is not None or at is not None:
            return []
        # Without --from, a "next" run just after another person's moved the floor (read
        # after theirs was written) closes what they took up: never silently.
        lines = []
        for event in events:
            if event.type != "item.close" or event.item not in state.items:
                continue
            taken = read.get(event.item)
            if taken is None or taken[1] == event.actor or event.at - taken[0] >= QUICK_CLOSE:
                continue
            since = meeting_time_beside(taken[0], state, event.at)
            lines.append(
                f"{state.ref(event.item)} was taken up by {taken[1]} at {since}, just before "
                "this `next` closed it (with --from ITEM it is refused when the floor has moved)"
            )
        return lines

    record(log, actor, role, at, make, warn)


QUICK_CLOSE = dt.timedelta(minutes=1)
"""How soon after another person took an item up a ``next`` without ``--from`` that closes it
is told so: the two were most likely pressed at once."""


@click.command()
@click.argument("action", type=click.Choice(["open", "suspend", "resume", "close"]))
@click.option("--label", default=None, help='Name of the sitting, e.g. "3rd meeting".')
@recording_options
def sitting(
    action: str,
    label: str | None,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Open, suspend (a break), resume or close the sitting."""
    record(log, actor, role, at, lambda state: SittingCommand(action, label))  # type: ignore[arg-type]


# -- notes and speakers ------------------------------------------------------------------------


class NoteCommand(click.Command):
    """``note``, whose TEXT may begin with "-" ("-3 percent growth"): click reads such a word as
    an option and said only "No such option '-3'"; the refusal now says how to give it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # click's parser consumes the list it is handed
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            # The word it was read from: "-3 x" for '-3'; "-h x" for '- ' (-h, then a space).
            word = next(
                (
                    arg
                    for arg in given
                    if arg.startswith(exc.option_name)
                    or (arg[:1] == "-" and arg[1:2] != "-" and exc.option_name[1:] in arg[1:])
                ),
                None,
            )
            if word is None or (word.startswith("--") and not any(c.isspace() for c in word)):
                raise  # a mistyped option (``--kidn``): click's own words name the one meant
            example = shlex.join(["sessiontui", "note", self._item(given), "--", word])
            raise click.UsageError(
                f"no option {exc.option_name!r}: a note that begins with '-' goes after '--' "
                f"({example}), or give - and the text on stdin",
                ctx,
            ) from None

    def _item(self, args: list[str]) -> str:
        """The ITEM among ``args`` (the first word neither an option nor an option's value)."""
        takes_value = {
            name
            for param in self.params
            if isinstance(param, click.Option) and not param.is_flag
            for name in param.opts
        }
        words = iter(args)
        for word in words:
            if word in takes_value:
                next(words, None)
            elif not word.startswith("-"):
                return word
        return "ITEM"


@click.command(cls=NoteCommand)
@click.argument("item")
@click.argument("text", required=False)
@click.option(
    "--kind",
    type=click.Choice(NOTE_KINDS),
    default=NoteKind.NOTE.value,
    show_default=True,
    help="A note, a decision or an action point.",
)
@click.option(
    "--edit",
    "edit",
    default=None,
    metavar="NOTE",
    help="Replace the text of note NOTE: its number on ITEM as the tracker shows it, with its "
    'kind when two kinds have it ("2", "decision 2"), or its id or the start of it (the JSON '
    "export's).",
)
@click.option(
    "--delete",
    "delete",
    default=None,
    metavar="NOTE",
    help="Delete note NOTE (kept in history), NOTE as for --edit.",
)
@recording_options
def note(
    item: str,
    text: str | None,
    kind: str,
    edit: str | None,
    delete: str | None,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Write a note, decision or action point on ITEM (TEXT, or stdin with "-").

    A TEXT that begins with "-" goes after "--": sessiontui note 3 -- "-3 percent growth".
    """
    if text == "-":
        # A file ends in a newline (or several): not a part of what the note says.
        text = sys.stdin.read().rstrip()
    if delete is not None:
        record(
            log,
            actor,
            role,
            at,
            lambda state: DeleteNote(note_on(state, resolve(state, item), delete)),
        )
        return
    if text is None:
        raise fail("what does the note say? give TEXT (or - to read it from stdin)")
    body = text
    if edit is not None:
        record(
            log,
            actor,
            role,
            at,
            lambda state: EditNote(
                note_on(state, resolve(state, item), edit),
                body,
                kind if kind != NoteKind.NOTE else None,
            ),
        )
        return
    record(log, actor, role, at, lambda state: AddNote(resolve(state, item), body, kind))


def _complete_participant(ctx: click.Context, param: click.Parameter, incomplete: str) -> Any:
    """Names from the participants register and the UN list (``commands.register``)."""
    from sessiontui.commands.register import complete_participant

    return complete_participant(ctx, param, incomplete)


@click.command()
@click.argument("item")
@click.argument("name", shell_complete=_complete_participant)
@click.option("--start", is_flag=True, help="Give the floor to NAME now.")
@click.option("--stop", is_flag=True, help="End NAME's speech.")
@click.option("--remove", is_flag=True, help="Take NAME off the list.")
@click.option(
    "--on-behalf-of",
    default=None,
    shell_complete=_complete_participant,
    help='The group NAME (a State or organization) speaks for, e.g. "Group of 77 and China".',
)
@click.option(
    "--delegation",
    default=None,
    shell_complete=_complete_participant,
    help="Delegation NAME speaks for (older logs).",
)
@click.option("--person", default=None, help="The person speaking for NAME.")
@click.option(
    "--kind",
    type=click.Choice(SPEAKER_KINDS),
    default=SpeechKind.STATEMENT.value,
    show_default=True,
    help="statement, right of reply, or point of order.",
)
@click.option(
    "--limit", default=None, help="Speaking limit, e.g. 3m (default: the item's or the meeting's)."
)
@recording_options
def speaker(
    item: str,
    name: str,
    start: bool,
    stop: bool,
    remove: bool,
    on_behalf_of: str | None,
    delegation: str | None,
    person: str | None,
    kind: str,
    limit: str | None,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Put NAME on ITEM's list of speakers (--start gives them the floor, --stop ends it)."""
    if sum((start, stop, remove)) > 1:
        raise fail("--start, --stop and --remove exclude each other")
    try:
        limit_seconds = parse_duration(limit) if limit else None
    except ValueError as exc:
        raise fail(f"--limit: {exc}") from None

    unlisted: list[str] = []  # said once the speaker is on the list

    def make(state: Any) -> Command:
        item_id = resolve(state, item)
        if stop:
            return StopSpeaker(item_id, name)
        if remove:
            return RemoveSpeaker(item_id, name)
        if start and _find_speaker(state, item_id, name, ("queued",)) is not None:
            return StartSpeaker(item_id, name)
        # Read before the speaker is added: after it, the name is one spoken before. The
        # report names a speaker by the delegation, when one is given.
        found = unlisted_speaker(
            delegation or name,
            state.participants.values(),
            state.speaker_names,
            state.agenda.meeting.secretariat,
        )
        if found is not None:
            unlisted.append(found.said("`sessiontui undo` takes it back"))
        return AddSpeaker(
            item_id,
            name,
            kind,
            delegation,
            start,
            limit_seconds,
            person=person,
            on_behalf_of=on_behalf_of,
        )

    # Never refused: a person, an office or an unregistered organization may rightly speak,
    # and the list cannot wait; a slip is said at once, with the name likely meant.
    record(log, actor, role, at, make, lambda state, events: unlisted if events else [])


# -- amendments and undo -----------------------------------------------------------------------


@click.command()
@click.argument("op", type=click.Choice(["add", "retitle", "move", "delete", "sync"]))
@click.argument("item", required=False)
@click.option("--title", default=None, help="Title of the new item, or the new title.")
@click.option(
    "--number",
    default=None,
    help='Number as printed, e.g. "(f)" or "4 bis" (add: default the next of its level\'s'
    ' numbering after the last item there, else the number of the item before it and "bis":'
    ' "2 bis" between 2 and 3, then "2 ter"; move: the item\'s new number, default its own).',
)
@click.option(
    "--under",
    default=None,
    help="Parent item (add, move); default: that of --after/--before, else the top level.",
)
@click.option("--after", default=None, help="Sibling it follows (add, move); default: last.")
@click.option("--before", default=None, help="Sibling it precedes (add, move).")
@click.option("--minutes", type=float, default=None, help="Planned minutes of a new item.")
@click.option("--dry-run", is_flag=True, help="sync: list the amendments without recording them.")
@recording_options
def amend(
    op: str,
    item: str | None,
    title: str | None,
    number: str | None,
    under: str | None,
    after: str | None,
    before: str | None,
    minutes: float | None,
    dry_run: bool,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Amend the agenda during the meeting: add, retitle, move or delete an item.

    Items keep their numbers: one added before another is numbered after the item before it
    ("2 bis" between 2 and 3; before the first item, give --number). A moved item keeps its own
    number (or takes --number's) and is labelled from its new parent ("(e)" under 3 is 3(e)); a
    place among other siblings than --under's, or a label already taken, is refused.

    `amend sync AGENDA.toml` records, one amendment each, what changed in the agenda file since
    the session began (items matched by id; one taken off the agenda and still in the file is
    put back, with its notes and history), as one action: one amendment refused records none of
    them, and one undo reverts them all. --dry-run only lists them. Another meeting's agenda
    (another file, and another title) is refused.
    """
    if op == "sync":
        sync_agenda(item, dry_run, at, log, actor, role)
        return

    if after and before:
        raise fail("give --after or --before, not both")

    def make(state: Any) -> Command:
        target = resolve(state, item) if item and (op != "add" or title) else None
        named = after or before
        sibling: str | None = resolve(state, named) if named else None
        parent: str | None
        if under:
            parent = resolve(state, under)
        else:
            # "--after 2a" means among 2(a)'s siblings, under item 2, not at the top level.
            parent = state.agenda.nodes[sibling].parent if sibling else None
        if before and sibling:
            # The fold places an item after a sibling (or first): "before X" is "after the one
            # before X", leaving out the item being moved.
            siblings = [s for s in state.agenda.siblings_of(parent) if s != target]
            if sibling in siblings:
                place = siblings.index(sibling)
                sibling = siblings[place - 1] if place else None
        elif not sibling and op == "move" and target:
            # The default is the last place, as for an added item (the fold's None is first).
            siblings = [s for s in state.agenda.siblings_of(parent) if s != target]
            sibling = siblings[-1] if siblings else None
        first = bool(before) and sibling is None
        if op == "add" and item and not title:
            return Amend(
                "add",
                title=item,
                number=number,
                parent=parent,
                after=sibling,
                minutes=minutes,
                first=first,
            )
        return Amend(op, target, title, number, parent, sibling, minutes, first=first)  # type: ignore[arg-type]

    record(log, actor, role, at, make)


def _constant(command: Command) -> Callable[[Any], Command]:
    return lambda state: command


def sync_agenda(
    path: str | None,
    dry_run: bool,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Record the changes of an agenda file as amendments (see ``amend``)."""
    from sessiontui.core.agenda import Agenda
    from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
    from sessiontui.core.amendments import agenda_changes

    if not path:
        raise fail("amend sync needs the changed agenda file: sessiontui amend sync AGENDA.toml")
    try:
        changed = Agenda(load_agenda_file(path))
    except AgendaError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    log = locate_log(log)  # once: each amendment is recorded on its own
    service = open_service(log, actor, role, read_only=dry_run)
    try:
        header = service.store.header
        theirs = service.state.agenda.meeting.title
        if another_meeting(header.agenda_path, theirs, Path(path), changed.meeting.title):
            # Synced, every item of this session took another meeting's title, its time and
            # speakers kept under them: the record would say what never happened.
            raise fail(
                f"{path} is the agenda of another meeting ({changed.meeting.title!r}); this "
                f"session is {theirs!r}: nothing recorded"
            )
        changes = agenda_changes(service.state.agenda, changed)
    finally:
        service.close()
    if not changes:
        click.echo("sessiontui: the session's agenda already matches the file", err=True)
        return
    if not dry_run:
        # One action, all or nothing: one amendment refused (an item already taken up cannot
        # be deleted) records none of them, where each on its own left the ones before it.
        record(log, actor, role, at, _constant(AmendAgenda(tuple(changes))))
    for change in changes:
        target = change.item or change.new_id
        click.echo(f"{change.op} {target}: {change.title or ''}".rstrip(": "))


@click.command()
@click.option("--log", "log", default=None, help=f"The session log (default: ${LOG_ENV}).")
@click.option(
    "--actor",
    default=None,
    help=f"Whose last action to undo (default: {ACTOR_DEFAULT}).",
)
@click.option("--role", type=click.Choice(ROLES), default=None, help="Record as this role.")
def undo(log: str | None, actor: str | None, role: str | None) -> None:
    """Undo your last action (recorded as an undo event; history stays)."""
    record(log, actor, role, None, lambda state: Undo())


# -- report ------------------------------------------------------------------------------------


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@log_alias_option
@click.option("--json", "as_json", is_flag=True, help="The machine-readable summary.")
def report(log_arg: str | None, log: str | None, as_json: bool) -> None:
    """Status and time per item, per sitting and per speaker."""
    from sessiontui.core.report import build_report, report_chunks

    service = open_service(log_arg or log, read_only=True)
    try:
        state = service.state
        now = service.clock.now()
        for damage in service.store.damage:
            click.echo(damage_notice(damage, "reporting"), err=True)
        if as_json:
            summary = build_report(state, now)
            from sessiontui.service import log_head

            # The head it was made from: `verify --anchor SHA256` finds it while the log still
            # holds exactly that prefix (a PostgreSQL session's: as a log file of its lines).
            made_from = log_head(service.store)
            if made_from is not None:
                summary["head"] = {"seq": made_from.seq, "sha256": made_from.sha256}
            document = msgspec.json.encode(summary)
            del summary  # a long session's summary is tens of megabytes of dicts
            # As bytes: the same UTF-8 as the text, without a copy of it decoded and encoded.
            click.echo(msgspec.json.format(document, indent=1))
        else:
            for chunk in report_chunks(state, now):
                click.echo(chunk, nl=False)
        if service.store.damage:
            sys.exit(1)  # the part before the damage: a script must not take it for the whole
    finally:
        service.close()
