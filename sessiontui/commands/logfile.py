"""Commands on the log file itself: verify its records, repair damage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sessiontui.commands.common import fail, log_alias_option
from sessiontui.commands.record import ACTOR_DEFAULT, check_actor, locate_log


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@log_alias_option
@click.option(
    "--anchor",
    default=None,
    metavar="HASH|FILE",
    help="Check that the log still holds this head: the SHA-256 an export, a journal or report "
    "--json quotes, or that file.",
)
@click.option(
    "--deep", is_flag=True, help="Also fold the log afresh and compare its caches with it."
)
def verify(log_arg: str | None, log: str | None, anchor: str | None, deep: bool) -> None:
    """Check every record's checksum and the hash chain; exit 1 on any damage.

    Exit 3 when the log is whole but holds gaps a repair recorded (named on stdout).
    """
    from sessiontui.store.open import is_postgres

    located = locate_log(log_arg or log)
    if anchor is not None:
        _check_anchor(*_records_of(str(located)), anchor)
    if deep:
        if is_postgres(str(located)):
            _check_server_caches(str(located))
        else:
            _check_caches(Path(located))
    if not is_postgres(str(located)):
        # With --anchor, that anchor is the question asked: it alone decides.
        rolled = _rolled_back(Path(located)) if anchor is None else None
        try:
            if not _verified_whole(Path(located)):
                # Something is wrong, or a repair recorded gaps: judge every line to name it.
                _verify_file(Path(located))
        except SystemExit as exc:
            if rolled is None or exc.code != GAPS_EXIT:
                raise
        if rolled is not None:
            # Each record is sound, but what this account saw is gone: not "ok".
            raise fail(rolled.removeprefix("WARNING: "))
        return
    _verify_server(str(located))


def _verify_server(location: str) -> None:
    """``verify`` of a PostgreSQL session (postgresql://...#SESSION): the stored lines, checked
    on the server; exit 3 when the only thing to say is a loss ``repair`` recorded."""
    from sessiontui.store.base import StoreError

    with _server_store(location) as store:
        try:
            good, damage, _ = store.verify()
        except StoreError as exc:
            raise fail(f"cannot verify the session: {exc}") from None
    path = store.url  # printable: without the password
    for problem in damage:
        click.echo(f"{path}: {problem}", err=True)
    if damage:
        raise fail(f"{path}: damaged ({len(damage)} bad record(s))")
    for gap in store.gaps:
        click.echo(f"{path}: recorded loss: {gap}")
    if store.repairs:
        click.echo(
            f"{path}: ok, {good} events, with {store.repairs} known loss(es) of events "
            f"recorded by repair (named above), session {store.header.session}"
        )
        raise SystemExit(GAPS_EXIT)
    click.echo(f"{path}: ok, {good} events, session {store.header.session}")


@click.command()
@click.argument("log_arg", metavar="[LOG]", required=False)
@log_alias_option
@click.option(
    "--agenda",
    "agenda_file",
    metavar="AGENDA.toml",
    default=None,
    help="The session's agenda file, to rebuild a header (line 1) that no longer reads; "
    "the items the records name and the titles the line still reads must be in it.",
)
@click.option(
    "--actor",
    default=None,
    help=f"On a PostgreSQL session: who accepts the change (default: {ACTOR_DEFAULT}).",
)
def repair(
    log_arg: str | None, log: str | None, agenda_file: str | None, actor: str | None
) -> None:
    """Move damaged records aside into a side file (never deleted) and mark the gap in the log.

    On a PostgreSQL session (a URL): accept, for this account, a session that no longer
    extends what it last saw (restored from an older backup), recording the loss in the
    session (a log.rollback event by --actor): it stays read-only until then.
    """
    from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import is_postgres
    from sessiontui.store.repair import repair_log

    located = locate_log(log_arg or log)
    check_actor(actor)
    if is_postgres(str(located)):
        _accept_server_head(str(located), actor)
        return
    if actor is not None:
        # Its markers are the tool's account of the damage it found, signed "sessiontui
        # repair"; no person's word is recorded, so a name given would be silently dropped.
        raise fail(
            "--actor: a log file's repair records no one's word (its markers are signed "
            "`sessiontui repair`); it names who accepts a PostgreSQL session's change"
        )
    path = Path(located)
    agenda = None
    if agenda_file is not None:
        try:
            agenda = load_agenda_file(agenda_file), agenda_file
        except AgendaError as exc:
            raise fail(str(exc)) from None
    try:
        messages = repair_log(path, _seen_here(path), agenda)
    except StoreError as exc:
        raise fail(str(exc)) from None
    for message in messages:
        click.echo(message)
    _take_in(path)


def _accept_server_head(location: str, actor: str | None) -> None:
    """``repair`` on a PostgreSQL session: the one thing it does is accept, for this account,
    a session that no longer extends what the account last saw (restored from an older
    backup, or rewritten), which ``check_head`` holds read-only until then. Its records are
    never rewritten here: the change is recorded in the session itself (a ``log.rollback``
    event naming the head seen and the ``seq`` lost), on this account's word, and said."""
    from sessiontui.commands.record import remember_server_head
    from sessiontui.core.clock import SystemClock
    from sessiontui.store.anchors import last_seen
    from sessiontui.store.base import StoreError

    with _server_store(location, doing="repair", writable=True) as store:
        seen = last_seen(store.session, store.url)
        if seen is None or not seen.sum or store.holds_line(seen.seq, seen.sum):
            click.echo(f"{store.url}: nothing to repair")
            return
        ended = store.last_seq
        try:
            store.transact(lambda _news: [_rollback_draft(seen, ended, actor)], SystemClock())
        except StoreError as exc:  # refused, not saved, or out of reach: nothing accepted
            raise fail(f"{store.url}: the change was NOT accepted: {exc}") from None
        remember_server_head(store)
        click.echo(
            f"{store.url}: accepted: the session no longer holds seq {seen.seq} (line checksum "
            f"{seen.sum}) that this account last saw; it ended at seq {ended}; recorded in the "
            f"session (a log.rollback record, seq {store.last_seq}), and recorded on from there"
        )


def _rollback_draft(seen: Any, ended: int, actor: str | None) -> Any:
    """The ``log.rollback`` event by ``actor`` (None: as every command's default) that records
    the loss of what this account saw (``seen``) in a session that now ends at seq ``ended``.

    It takes no ``--at``: its time is when the loss was accepted, which is now. ``--at`` says
    when something happened in the meeting (a correction); a rollback is no meeting event,
    and back-dated it would claim the loss was known before anyone could have known it.
    """
    import datetime as dt
    import uuid

    from sessiontui.core.events import LOG_ROLLBACK, Draft, MovedFrom, RollbackData
    from sessiontui.service import recording_actor

    missing = list(range(ended + 1, seen.seq + 1))
    data = RollbackData(
        missing=missing,
        moved_from=MovedFrom(sum=seen.sum, bytes=seen.bytes, seq=seen.seq),
        reason="restored from an older backup?" if missing else "rewritten",
    )
    return Draft(
        id=uuid.uuid4().hex,
        at=dt.datetime.now(dt.UTC),
        actor=recording_actor(actor),
        type=LOG_ROLLBACK,
        data=data,
    )


def _seen_here(path: Path) -> Any:
    """The head this account last saw of the log at ``path`` (None: never, or no session id
    to read in its first line)."""
    from sessiontui.commands.record import header_of
    from sessiontui.store.anchors import last_seen
    from sessiontui.store.durable import open_regular
    from sessiontui.store.salvage import said

    session = header_of(path).get("session")
    if not session:
        # A header that does not read: the session it still names, if it does.
        try:
            with open_regular(path) as handle:
                session = said(handle.readline(1024 * 1024 + 1)).get("session")
        except OSError:
            session = None
    return last_seen(session, path) if isinstance(session, str) and session else None


def _take_in(path: Path) -> None:
    """Remember the head of a log just repaired: the repair is this account's own, recorded
    in the log (``check_head`` finds the move it recorded and takes the new head in)."""
    from sessiontui.commands.record import check_head
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    try:
        with FileStore(path, read_only=True, recover=False) as store:
            check_head(store)
    except StoreError:
        return  # verify says what is still wrong


def _rolled_back(path: Path) -> str | None:
    """Why a log whose records are sound no longer holds what this account last saw of it
    (``check_head``, remembering nothing), or None."""
    from sessiontui.commands.record import check_head
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    try:
        with FileStore(path, read_only=True, recover=False) as store:
            warning = check_head(store, remember_head=False)
    except StoreError:
        return None  # the checks below say why
    return warning if warning is not None and warning.startswith("WARNING") else None


def _verified_whole(path: Path) -> bool:
    """The quick check (one streaming pass): True if the log is whole and was never repaired.

    It prints the verdict itself then; otherwise ``_verify_file`` reads the whole file into
    memory to weigh each line against the others, which only a damaged log needs.
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    try:
        store = FileStore(path, read_only=True, recover=False)
    except StoreError:
        return False
    with store:
        good, damage, torn = store.verify()
    if damage or torn or store.repairs:
        return False
    click.echo(f"{path}: ok, {good} events, session {store.header.session}")
    return True


GAPS_EXIT = 3
"""``verify``'s exit status for a log whose only faults are gaps a repair recorded."""


def _verify_file(path: Path) -> None:
    """Judge every line of a log file (``store.evidence``): name the line at fault."""
    import os

    from sessiontui.store.base import no_log_at
    from sessiontui.store.evidence import Unrecoverable, examine
    from sessiontui.store.recognise import not_a_log

    try:
        # O_NONBLOCK: a FIFO would wait for a writer forever; it is refused below instead.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise fail(str(no_log_at(path))) from None
    except OSError as exc:
        raise fail(f"cannot open {path}: {exc.strerror}") from None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise fail(f"{path} is not a regular file")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read()
    finally:
        os.close(fd)
    other = not_a_log(path, data[: 64 * 1024])
    if other is not None:
        raise fail(other)
    try:
        found = examine(data)
    except Unrecoverable as exc:
        raise fail(f"{path}: {exc}") from None
    for finding in found.findings:
        click.echo(f"{path}: {finding}", err=True)
    if found.findings:
        raise fail(
            f"{path}: damaged ({len(found.findings)} finding(s)); `sessiontui repair` keeps "
            "every line it can place and sets the rest aside"
        )
    for gap in found.recorded_gaps:
        click.echo(f"{path}: recorded gap: {gap}")
    for repair in found.repairs:
        click.echo(f"{path}: {repair}")
    session = _session_of(found.header)
    if found.recorded_gaps:
        click.echo(
            f"{path}: ok, {found.events} events, with {len(found.recorded_gaps)} known "
            f"gap(s) recorded by repair (named above), session {session}"
        )
        raise SystemExit(GAPS_EXIT)
    click.echo(f"{path}: ok, {found.events} events, session {session}")


def _session_of(header: bytes) -> str:
    import msgspec

    from sessiontui.core.events import Header

    try:
        return msgspec.json.decode(header, type=Header).session
    except msgspec.DecodeError:
        return "?"


def _records_of(location: str) -> tuple[str, bytes]:
    """A log's name (printable: no password) and its bytes; a PostgreSQL session's lines as a
    log file holding them would have them (its anchors are the same)."""
    from sessiontui.store.base import StoreError, no_log_at
    from sessiontui.store.durable import open_regular
    from sessiontui.store.open import is_postgres

    if not is_postgres(location):
        try:
            with open_regular(location) as handle:
                return location, handle.read()
        except FileNotFoundError:
            raise fail(str(no_log_at(location))) from None
        except OSError as exc:
            raise fail(f"cannot read {location}: {exc.strerror}") from None
    try:
        with _server_store(location) as store:
            header, lines = store.records()
            return store.url, header + b"".join(lines)
    except StoreError as exc:
        raise fail(str(exc)) from None


def _check_anchor(path: str, data: bytes, anchor: str) -> None:
    """Say whether the log ``path`` (its bytes: ``data``) still holds the head ``anchor`` names
    (exit 1 if it does not)."""
    import msgspec

    from sessiontui.core.events import LogRepaired, decode_event, decode_header
    from sessiontui.store.anchors import anchors_in, find, is_head, sessions_named

    given = Path(anchor)
    if not given.is_file() and not is_head(anchor.strip().lower()):
        raise fail(
            f"{anchor}: neither a head (a SHA-256 of 64 hex digits, or a line's checksum of "
            "32) nor a file that quotes one"
        )
    try:
        candidates = anchors_in(given) if given.is_file() else [anchor.strip().lower()]
        named = sessions_named(given) if given.is_file() else set()
    except OSError as exc:
        raise fail(f"cannot read {exc.filename}: {exc.strerror}") from None
    if not candidates:
        raise fail(f"{anchor}: no SHA-256 head in it (an export quotes one)")

    for candidate in candidates:
        found = find(data, candidate)
        if found is not None:
            click.echo(f"{path}: holds the head {candidate} (up to line {found.line})")
            return
    # A repair records the head it moved from: that is a legitimate move, not a rewrite.
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if b'"log.repair"' not in line:
            continue
        try:
            event = decode_event(line)
        except (ValueError, msgspec.DecodeError):
            continue
        moved = event.data.moved_from if isinstance(event, LogRepaired) else None
        if moved is not None and moved.sha256 in candidates:
            click.echo(
                f"{path}: the head {moved.sha256} was moved by a repair at "
                f"{event.at:%Y-%m-%d %H:%M} UTC (line {number}); see `sessiontui verify`"
            )
            return
    try:
        ours = decode_header(data.split(b"\n", 1)[0]).session
    except (ValueError, msgspec.DecodeError):
        ours = None
    if named and ours is not None and ours not in named:
        # Its head was never in this log: saying "rewritten" would accuse a sound log.
        raise fail(
            f"{path}: does not hold the head {candidates[0]}, which {anchor} took from another "
            f"session's log ({', '.join(sorted(named))}; this log is session {ours})"
        )
    raise fail(
        f"{path}: does NOT hold the head {candidates[0]}"
        + (f" (nor {len(candidates) - 1} other)" if len(candidates) > 1 else "")
        + ": if that head was taken from this log, the log was rewritten since"
    )


def _check_caches(path: Path) -> None:
    """Fold the log afresh and compare: the checkpoint's state and the saved journal must say
    exactly what the log says (they are sealed, but only the log is the record)."""
    import os

    from sessiontui.core.replay import replay
    from sessiontui.service import open_session, whole_journal
    from sessiontui.store import checkpoints
    from sessiontui.store.base import StoreError
    from sessiontui.store.file import FileStore

    try:
        cached = open_session(str(path), read_only=True)
        with FileStore(path, read_only=True) as store:
            fresh = replay(store.header, list(store.read()))
            journal = whole_journal(store).lines
            saved = os.environ.get(checkpoints.DISABLE_ENV)
            os.environ[checkpoints.DISABLE_ENV] = "1"
            try:
                journal_afresh = whole_journal(store).lines
            finally:
                if saved is None:
                    del os.environ[checkpoints.DISABLE_ENV]
                else:
                    os.environ[checkpoints.DISABLE_ENV] = saved
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        same_state = _same_state(cached.state, fresh)
    finally:
        cached.close()
    wrong = []
    if not same_state:
        wrong.append(f"{checkpoints.path_for(path)} (the folded state)")
    if journal != journal_afresh:
        wrong.append(f"{checkpoints.path_for(path, checkpoints.JOURNAL)} (the journal)")
    if wrong:
        raise fail(
            f"{path}: these caches disagree with the log: {', '.join(wrong)}; delete them "
            "(they are rebuilt from the log)"
        )
    click.echo(f"{path}: caches agree with the log folded afresh")


def _same_state(cached: Any, fresh: Any) -> bool:
    """Whether a state folded with the caches says what the state folded afresh says."""
    from sessiontui.core.report import build_report

    return bool(
        build_report(cached, None) == build_report(fresh, None)
        and {key: (note.text, note.kind, note.deleted) for key, note in cached.notes.items()}
        == {key: (note.text, note.kind, note.deleted) for key, note in fresh.notes.items()}
    )


def _server_store(location: str, *, doing: str = "verify", writable: bool = False) -> Any:
    """The PostgreSQL session at ``location``, read from the server itself: what is checked
    is the server's lines, never the copy kept here, so with the server out of reach this is
    one line saying so (exit 1), not the session as last seen here.

    Raises:
        CommandError: the server cannot be reached, or no such session.
    """
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import normalize_location
    from sessiontui.store.postgres import PostgresStore

    try:
        store = PostgresStore(normalize_location(location), read_only=not writable, offline=False)
    except StoreError as exc:
        raise fail(f"cannot {doing} the session: {exc}") from None
    # What the opening has to say (lines kept here set aside, losses recorded), as every
    # command says it.
    for notice in store.notices:
        click.echo(f"sessiontui: {notice}", err=True)
    return store


def _check_server_caches(location: str) -> None:
    """A PostgreSQL session's caches on this machine (its lines, its folded state) against the
    server's lines folded afresh: the same verdict as a log file's ``--deep``."""
    from sessiontui.core.events import decode_event
    from sessiontui.core.replay import replay
    from sessiontui.service import open_session
    from sessiontui.store import checkpoints, pgcache
    from sessiontui.store.base import StoreError
    from sessiontui.store.open import normalize_location
    from sessiontui.store.postgres import parse_location

    try:
        location = normalize_location(location)
        wanted = parse_location(location).session
        # The lines kept here as they are now: opening the session replaces them if they
        # disagree with the server's.
        kept = pgcache.load(wanted) if wanted is not None else None
        cached = open_session(location, read_only=True)
        try:
            state = cached.state
        finally:
            cached.close()
        with _server_store(location) as store:
            name, session, header = store.url, store.session, store.header
            header_line, lines = store.records()
            _good, damage, _torn = store.verify()
    except StoreError as exc:
        raise fail(str(exc)) from None
    if damage:
        raise fail(f"{name}: damaged ({len(damage)} bad record(s)); see `sessiontui verify`")
    fresh = replay(header, [decode_event(line) for line in lines])
    wrong = []
    if not _same_state(state, fresh):
        wrong.append(f"{checkpoints.path_for(pgcache.cache_path(session))} (the folded state)")
    if kept is not None:
        # The lines kept here must be the server's first lines, byte for byte.
        server = [header_line.rstrip(b"\n"), *(line.rstrip(b"\n") for line in lines)]
        if [kept[0], *kept[1]] != server[: 1 + len(kept[1])]:
            wrong.append(f"{pgcache.cache_path(session)} (the session's lines)")
    if wrong:
        raise fail(
            f"{name}: these caches disagree with the session on the server: {', '.join(wrong)}; "
            "delete them (they are rebuilt from the server)"
        )
    click.echo(f"{name}: caches agree with the session on the server folded afresh")
