"""One session in use: a store, the state folded from it, and commands run through both.

The CLI and the TUI both record through ``SessionService.run``: the store locks and catches up,
the domain validates the command against the now-current state, the store appends the result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import getpass
import hashlib
import itertools
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sessiontui.core.amendments import agenda_amended
from sessiontui.core.clock import Clock, SystemClock
from sessiontui.core.commands import (
    Command,
    Conflict,
    Context,
    Refused,
    Undo,
    check_back_dated_floor,
    check_back_dated_opening,
    check_back_dated_speech,
    check_undo,
    decide,
    refusal_draft,
    superseded_take_ups,
    undo_reads_after,
)
from sessiontui.core.events import Draft, Event, EventText, Header, LogRepaired
from sessiontui.core.phrases import meeting_moment, meeting_time_beside
from sessiontui.core.replay import Replayer, Stream, collector_paused, kept_events, state_as_of
from sessiontui.core.snapshot import StateSnapshot, decode_snapshot, dump_chunks, load_state
from sessiontui.core.state import SessionState
from sessiontui.store.base import EventStore, StoreError

if TYPE_CHECKING:
    import msgspec

    from sessiontui.core.journal import Journal, SavedJournal
    from sessiontui.exporters.base import ExportOptions, Material
    from sessiontui.store.checkpoints import Saved, Staging, Unsealed
    from sessiontui.store.file import FileStore, Sink
    from sessiontui.store.outbox import Entry, Outbox
    from sessiontui.store.postgres import PostgresStore

FUTURE_TOLERANCE = dt.timedelta(minutes=1)
"""How far ahead a whole-minute time given by hand may be: "10:31" typed at 10:30:40 names
the minute under way (see ``hand_time``)."""


def hand_time(moment: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """When a time given by hand (``--at``, ``@``) is recorded; None: it has not happened yet.

    A time already past is kept. A whole-minute time less than a minute ahead names the minute
    under way ("10:31" at 10:30:40): it is recorded as now, never ahead of the clock, because
    an event ahead of the clock would come after the ordinary events recorded next, which are
    folded by their time. Anything later has not happened.
    """
    if moment <= now:
        return moment
    whole_minute = moment.second == 0 and moment.microsecond == 0
    return now if whole_minute and moment < now + FUTURE_TOLERANCE else None


def future_refusal(moment: dt.datetime, state: SessionState, now: dt.datetime) -> str:
    """ "2026-12-07 10:43:20 Europe/Vienna is in the future": why ``hand_time`` refuses it."""
    # With its seconds when it has some (as typed), or when it falls in the minute under way.
    said = meeting_moment(moment, state, now, *((moment,) if moment.second else ()))
    return f"{said} is in the future; --at is for times already past"


_FIRST_IDS = 8
CHECKPOINT_EVERY = 5000
"""Events folded since the last checkpoint before a new one is left beside the log."""


T = TypeVar("T")


class OnOwner(Protocol):
    """Run a callable on the thread that owns the folded state; return its result."""

    def __call__(self, call: Callable[[], T]) -> T: ...


def _here(call: Callable[[], T]) -> T:
    return call()


@dataclass(slots=True)
class OutboxReport:
    """What ``send_outbox`` did: entries sent (with their events), refused, and why it stopped."""

    sent: list[tuple[Entry, list[Event]]] = field(default_factory=list)
    refused: list[Entry] = field(default_factory=list)
    error: str | None = None


def command_ids(key: str) -> Callable[[], str]:
    """The event ids of the command attempt named ``key``: the same, in order, on every call.

    The first is the batch id; the command's events take the next ones, so a store that knows
    one of them has recorded the command already.
    """
    counter = itertools.count()
    return lambda: hashlib.sha256(f"{key}/{next(counter)}".encode()).hexdigest()[:32]


def _hashable(command: Command) -> Command | None:
    try:
        hash(command)
    except TypeError:
        return None
    return command


NAME_FILE = "name"
"""The person's name the tracker asked at its first start, in the account's data folder."""


def name_file() -> Path:
    """Where the tracker keeps the name it asked (``$XDG_DATA_HOME/sessiontui/name``)."""
    from sessiontui.store.cachekey import data_dir

    return data_dir() / NAME_FILE


def remembered_name() -> str:
    """The name the tracker asked on this account, or "" when it has not asked yet."""
    from sessiontui.core.text import clean_text

    try:
        return clean_text(name_file().read_text(encoding="utf-8"), multiline=False)
    except (OSError, UnicodeDecodeError):
        return ""


def login_name() -> str:
    """The account's login name ("unknown" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def default_actor() -> str:
    """The default author of recorded events: ``$SESSIONTUI_ACTOR``, the name the tracker
    asked on this account (so that its person's commands are recorded under one name), or
    the login name."""
    return os.environ.get("SESSIONTUI_ACTOR") or remembered_name() or login_name()


def recording_actor(actor: str | None) -> str:
    """Who records: ``actor`` as given (``--actor``), else ``default_actor()``, tidied
    (``tidy_name``); the login name when neither leaves a name."""
    return tidy_name(actor) or tidy_name(default_actor()) or login_name()


def tidy_name(name: str | None) -> str | None:
    """A person's name as recorded: spaces at either end dropped and each run of spaces made
    one ("CY " and "CY" are one person, not two); None when nothing is left."""
    return " ".join(name.split()) or None if name is not None else None


def names_of_person(actor: str) -> frozenset[str]:
    """The names the events of the person recording as ``actor`` here may carry: ``actor``,
    and the login name when ``actor`` is the name the tracker asked and remembered on this
    account (the commands run before it asked recorded the login name)."""
    if os.environ.get("SESSIONTUI_ACTOR") or actor != remembered_name():
        return frozenset((actor,))
    return frozenset((actor, login_name()))


class SessionService:
    """A session log opened for use by one person (actor) in one role."""

    def __init__(
        self,
        store: EventStore,
        *,
        actor: str | None = None,
        role: str | None = None,
        clock: Clock | None = None,
        seed: tuple[SessionState, bool] | None = None,
        stream: Stream | None = None,
    ) -> None:
        """Open a session on a store.

        Args:
            store: Where the events are.
            actor: Who records (default: ``default_actor()``).
            role: As what (None: every right).
            clock: Where "now" comes from.
            seed: A state folded from a prefix of this store's log (a checkpoint) and whether
                the log needs sorting; only the events after it are folded.
            stream: The fold of the store's events (after ``seed``, or all of them) already
                pushed to it while the store verified them: it is finished, not read again.
        """
        self.store = store
        self.actor = recording_actor(actor)
        self.role = role
        self.clock: Clock = clock or SystemClock()
        # The keys of commands whose save failed: trying the same command again reuses them.
        self._unsaved: dict[Command, str] = {}
        # Other writers' events that ``run`` folded under the lock (and the refusal it
        # recorded), not yet handed to a view: see ``caught_up``.
        self._caught_up: list[Event] = []
        self.notices: list[str] = []
        """What the last ``run`` recorded that its person should be told beside its events:
        a back-dated take-up that a later one takes off the floor again."""
        self.on_owner: OnOwner = _here
        """Runs what reads or changes the folded state on the thread that owns it: a tracker
        whose store talks over the network does that talking on a thread of its own."""
        self.replayer = Replayer(
            store.header,
            store.read,
            # The stream's state: adopted below, or replaced by a rebuild if the stream gave up
            # (an empty state made here would build the agenda and every item's state again).
            stream.state if stream is not None else seed[0] if seed else None,
            bases=self._checkpointed_states,
            since=lambda seq: store.read(after_seq=seq),
        )
        if stream is not None:
            self.replayer.needs_sort = seed[1] if seed else False
            self.checkpointed = seed[0].event_count if seed else 0
            with collector_paused():
                if not self.replayer.adopt(stream):
                    self.replayer.rebuild()
        elif seed is None:
            self.replayer.rebuild()
            self.checkpointed = 0
        else:
            self.replayer.needs_sort = seed[1]
            self.checkpointed = seed[0].event_count
            self.replayer.feed(store.read(after_seq=seed[0].last_seq))

    def _checkpointed_states(self) -> Iterator[SessionState]:
        """The states the log's checkpoint holds (its own, then the earlier one), newest first,
        for placing an event recorded late without folding the whole log again."""
        from sessiontui.store import checkpoints

        store = _checkpointed(self.store)
        if store is None:
            return
        saved = checkpoints.load(_checkpoint_log(store))
        if saved is None or saved.session != store.header.session:
            return
        if not store.covers(saved.checkpoint):
            return
        for prefix in ("", checkpoints.EARLIER):
            try:
                state, _ = _load_saved(store.header, saved, prefix)
            except ValueError:
                return
            if state.last_seq <= saved.checkpoint.last_seq:
                yield state

    def _fold(self, events: Sequence[Event]) -> None:
        self.on_owner(lambda: self.replayer.feed(events))

    @property
    def state(self) -> SessionState:
        """The state as of the last event read or written."""
        return self.replayer.state

    def refresh(self) -> list[Event]:
        """Fold what other writers appended since the last look; returns those events.

        Those ``run`` already folded while it held the lock (``caught_up``) come first: a
        refused command has caught up with what made it fail, and the screen must show it.
        """
        news = self.store.catch_up()
        if news:
            self._fold(news)
        return [*self.caught_up(), *news]

    def caught_up(self) -> list[Event]:
        """The events folded by ``run`` besides its own (other writers' and a refusal's record),
        once: a view repaints and journals them as it does what ``refresh`` returns."""
        events, self._caught_up = self._caught_up, []
        return events

    def run(
        self,
        command: Command,
        *,
        at: dt.datetime | None = None,
        key: str | None = None,
        late: bool = False,
    ) -> list[Event]:
        """Record a command: validated against the current state under the store's lock.

        Args:
            command: What to record.
            at: When it happened, if not now: a correction (``--at``), or with ``late`` an
                entry that waited (the outbox) and keeps its own time.
            key: Names this attempt: the same key gives the same event ids, so a retry of a
                command that was saved after all is recognised, not recorded twice. Without
                one, a command whose save failed keeps its key for the next equal command.
            late: ``at`` is when it happened, not a correction.

        Raises:
            Refused: the command does not fit the state; nothing was written.
            StoreError: the log could not be written (``SaveError`` keeps the unsaved events).
        """
        if at is not None:
            at = self._hand_time(at)
        remembered = _hashable(command)
        if key is None:
            key = self._unsaved.get(remembered) if remembered is not None else None
        key = key or uuid.uuid4().hex
        ids = command_ids(key)
        batch = ids()
        # A command's first event takes one of its first ids (others go to a note's or a
        # speaker's own id); any of them in the store means an earlier attempt was saved.
        firsts = [ids() for _ in range(_FIRST_IDS)]
        saved_before = False
        self.notices = []

        def decide_here(news: Sequence[Event]) -> list[Draft]:
            nonlocal saved_before
            if news:
                self.replayer.feed(news)
                self._caught_up.extend(news)
            if any(self.store.has_id(event_id) for event_id in firsts):
                saved_before = True  # an earlier attempt was saved after all
                return []
            ctx = Context(
                actor=self.actor,
                at=at or self._now_under_lock(),
                role=self.role,
                corrected=at is not None and not late,
                new_id=command_ids(key),
            )
            state = self.state
            if (
                at is None
                or isinstance(command, Undo)
                or state.last_at is None
                or at >= state.last_at
            ):
                return self._decide_now(state, command, ctx)
            # A correction inside the timeline: it must fit the session as it stood then, and
            # leave what was recorded after it true.
            events = list(self.store.read())
            then = state_as_of(self.store.header, events, at)
            # The register is a list, not a timeline: a roll call taken back then may name
            # anyone on it now (added to it since, as a secretariat catching up does), as
            # well as anyone on it then.
            then.participants = {**state.participants, **then.participants}
            try:
                drafts = decide(then, command, ctx)
                check_back_dated_opening(state, drafts, at)
                if not late:
                    kept = kept_events(events)
                    check_back_dated_speech(state, kept, drafts, at, then)
                    check_back_dated_floor(state, kept, drafts, at)
                    self.notices = superseded_take_ups(state, kept, drafts, at)
                return drafts
            except Refused as exc:
                # To the second when something is recorded in that minute: "at 15:09: 2(c) has
                # not been taken up" of a take-up at 15:09:05 reads as a contradiction.
                moment = meeting_time_beside(
                    at, state, self.clock.now(), *(event.at for event in events)
                )
                raise type(exc)(f"at {moment}: {exc}") from None

        def decide_now(news: Sequence[Event]) -> list[Draft]:
            return self.on_owner(lambda: decide_here(news))

        try:
            written = self.store.transact(decide_now, self.clock)
        except Conflict as exc:
            self._record_conflict(command, str(exc))
            raise
        except StoreError:
            if remembered is not None:
                self._unsaved[remembered] = key
            raise
        if remembered is not None:
            self._unsaved.pop(remembered, None)
        if saved_before:
            return [event for event in self.store.read() if event.batch == batch]
        self._fold(written)
        return written

    def _hand_time(self, at: dt.datetime) -> dt.datetime:
        """When a command given a time is recorded (``hand_time``); refused if in the future."""
        now = self.clock.now()
        moment = hand_time(at, now)
        if moment is None:
            raise Refused(future_refusal(at, self.state, now))
        return moment

    def _decide_now(self, state: SessionState, command: Command, ctx: Context) -> list[Draft]:
        """``decide`` against the state as it is; an undo is also checked against what was
        recorded since the action it reverts (``check_undo``)."""
        drafts = decide(state, command, ctx)
        if isinstance(command, Undo):
            # Only the events recorded since that action, never the whole log.
            after = undo_reads_after(state, ctx.actor)
            check_undo(state, drafts, self.store.read(after_seq=after))
        return drafts

    def was_saved(self, key: str) -> bool:
        """Whether the command attempt named ``key`` is in the log (what ``run`` would find).

        A note's draft names the key its save uses: a draft whose save went through before a
        crash removed it is recognised here, never offered nor recorded again.
        """
        self.refresh()
        ids = command_ids(key)
        ids()  # the batch id
        return any(self.store.has_id(ids()) for _ in range(_FIRST_IDS))

    def unsaved_key(self, command: Command) -> str | None:
        """The key (event ids) of an equal command whose save failed, if there is one."""
        remembered = _hashable(command)
        return self._unsaved.get(remembered) if remembered is not None else None

    def send_outbox(self, outbox: Outbox) -> OutboxReport:
        """Send what waits in the outbox, in order, each as its person at the time it happened.

        An entry the server refuses is marked refused with the reason (kept, listed); the first
        the server cannot be reached for stops the sending, it and those after it still waiting.
        """
        report = OutboxReport()
        for entry in outbox.waiting():
            actor, role = self.actor, self.role
            self.actor, self.role = entry.actor, entry.role
            try:
                events = self.run(
                    entry.command, at=entry.at, key=entry.key, late=not entry.corrected
                )
            except Refused as exc:
                outbox.mark_refused(entry, str(exc))
                report.refused.append(entry)
                continue
            except StoreError as exc:
                report.error = str(exc)
                break
            finally:
                self.actor, self.role = actor, role
            outbox.mark_sent(entry, events[-1].seq if events else None)
            report.sent.append((entry, events))
        return report

    def _now_under_lock(self) -> dt.datetime:
        """The time of a command happening now, read while the store's lock is held.

        Read under the lock, concurrent writers append in time order. It is the clock's time,
        never moved to follow the session's last event: that one may be a correction (or
        another writer's clock may run ahead), and an event stamped with another's time would
        be recorded at a time it did not happen, with nothing to say so. An event with an
        earlier time than the last is placed by the fold in time order (``Replayer``).
        """
        return self.clock.now()

    def _record_conflict(self, command: Command, reason: str) -> None:
        """Best effort: a ``command.refused`` event, so the journal shows who tried what.

        Any failure here (read-only or damaged log, full disk) is swallowed: the refusal the
        person is told about matters more than its trace. A viewer records nothing at all.
        """
        if self.role == "viewer":
            return

        def record_here(news: Sequence[Event]) -> list[Draft]:
            if news:
                self.replayer.feed(news)
                self._caught_up.extend(news)
            at = self.clock.now()
            return [
                refusal_draft(self.state, command, reason, actor=self.actor, role=self.role, at=at)
            ]

        def record(news: Sequence[Event]) -> list[Draft]:
            return self.on_owner(lambda: record_here(news))

        with contextlib.suppress(Exception):
            written = self.store.transact(record, self.clock)
            self._fold(written)
            self._caught_up.extend(written)

    def save_checkpoint(self, *, every: int | None = None) -> bool:
        """Leave a checkpoint beside a log file when ``every`` events were folded since the last.

        Best effort: a read-only folder or a full disk only means the next start folds more.
        """
        from sessiontui.store import checkpoints

        store = _checkpointed(self.store)
        state = self.state
        if store is None:
            return False
        threshold = CHECKPOINT_EVERY if every is None else every
        if state.event_count - self.checkpointed < threshold or state.last_seq != store.last_seq:
            return False
        try:
            log = _checkpoint_log(store, writing=True)
            staging = checkpoints.Staging(log)
        except OSError:
            return False
        try:
            return self._save_staged(state, store, log, staging)
        except OSError:
            return False  # the staging file could not be written (a full disk)
        finally:
            staging.close()

    def _save_staged(
        self,
        state: SessionState,
        store: FileStore | PostgresStore,
        log: Path,
        staging: Staging,
    ) -> bool:
        """``save_checkpoint``'s writing: the snapshot made and staged a chunk at a time, then
        the checkpoint written from the staging file.

        Raises:
            OSError: the staging file could not be written.
        """
        from sessiontui.store import checkpoints

        rest, notes, floor = dump_chunks(state, needs_sort=self.replayer.needs_sort)
        staged_notes = staging.add(checkpoints.NOTES, notes)
        staged_floor = staging.add(checkpoints.FLOOR, floor)
        snapshot = staging.add("state", rest)
        if staged_notes is None or staged_floor is None or snapshot is None:
            return False
        parts: list[tuple[str, checkpoints.Part]] = [
            (checkpoints.NOTES, staged_notes),
            (checkpoints.FLOOR, staged_floor),
        ]
        # The checkpoint it replaces stays as the earlier state: an event recorded late, before
        # the end of the new one in meeting time, is then placed from there (``Replayer.bases``).
        previous = checkpoints.load(log)
        if (
            previous is not None
            and previous.session == state.header.session
            and previous.checkpoint.last_seq < state.last_seq
            and store.covers(previous.checkpoint)
        ):
            # Its notes and floor log are copied a block at a time, never read whole.
            earlier: list[tuple[str, memoryview | checkpoints.Copied | None]] = [
                (checkpoints.EARLIER + "state", previous.state),
                *(
                    (checkpoints.EARLIER + n, previous.copy_part(n, checkpoints.EARLIER + n))
                    for n in (checkpoints.NOTES, checkpoints.FLOOR)
                ),
            ]
            parts += [(name, data) for name, data in earlier if data is not None]
        del previous
        if not checkpoints.save(
            log, store.checkpoint(), state.header.session, snapshot, parts=parts
        ):
            return False
        self.checkpointed = state.event_count
        return True

    def close(self) -> None:
        """Leave a checkpoint if much was folded since the last one, and release the store."""
        with contextlib.suppress(Exception):
            self.save_checkpoint()
        self.store.close()


def open_session(
    location: str,
    *,
    actor: str | None = None,
    role: str | None = None,
    read_only: bool = False,
    clock: Clock | None = None,
    hash_ahead: bool = False,
) -> SessionService:
    """Open the session at ``location``, starting from the log's checkpoint when one matches.

    ``hash_ahead``: the caller will check the log's head (``FileStore``'s ``hash_ahead``).

    Raises:
        StoreError: the store cannot be opened (one line saying why).
    """
    from sessiontui.store import checkpoints
    from sessiontui.store.file import FileStore
    from sessiontui.store.open import is_postgres, normalize_location

    location = normalize_location(location)
    if is_postgres(location):
        return _open_postgres(location, actor=actor, role=role, read_only=read_only, clock=clock)
    if not location:
        raise StoreError("no session log given")
    path = Path(location)
    # Its seal is checked while the store hashes the log's prefix, on another processor.
    found = checkpoints.read(path) if checkpoints.enabled() else None
    opening = _Opening(found)
    del found  # the snapshot's bytes (tens of MB on a long session) go once it is loaded
    # One pass: the store hands each event it verifies to the fold as it decodes it. The fold
    # creates hundreds of thousands of objects that all stay alive: the cyclic collector would
    # walk them again and again for nothing.
    with collector_paused():
        file_store = FileStore(
            path,
            read_only=read_only,
            checkpoint=opening.checkpoint,
            fold=opening.start,
            checkpoint_sealed=opening.sealed,
            hash_ahead=hash_ahead,
        )
    service = SessionService(
        file_store, actor=actor, role=role, clock=clock, seed=opening.seed, stream=opening.stream
    )
    # What the checkpoint held, not what its state holds now that the opening scan folded
    # the events after it: otherwise a log far past its checkpoint never got a new one.
    service.checkpointed = opening.seeded
    with contextlib.suppress(Exception):
        service.save_checkpoint()
    return service


def _open_postgres(
    location: str,
    *,
    actor: str | None,
    role: str | None,
    read_only: bool,
    clock: Clock | None,
) -> SessionService:
    """A PostgreSQL session, from the state checkpoint kept on this machine when the server's
    line at its ``seq`` is still the one it ends with (only the events after it are read)."""
    from sessiontui.store import checkpoints, pgcache
    from sessiontui.store.postgres import PostgresStore, parse_location

    session = parse_location(location).session
    saved = (
        checkpoints.load(pgcache.cache_path(session))
        if session is not None and checkpoints.enabled()
        else None
    )
    if saved is not None and saved.session != session:
        saved = None
    store = PostgresStore(
        location, read_only=read_only, checkpoint=saved.checkpoint if saved is not None else None
    )
    seed: tuple[SessionState, bool] | None = None
    if saved is not None and store.checkpoint_used is not None:
        with contextlib.suppress(ValueError), collector_paused():
            seed = _load_saved(store.header, saved)
        if seed is not None and seed[0].last_seq != saved.checkpoint.last_seq:
            seed = None  # unusable: the service folds every event (the store reads them then)
    del saved
    service = SessionService(store, actor=actor, role=role, clock=clock, seed=seed)
    with contextlib.suppress(Exception):
        service.save_checkpoint()
    return service


def _checkpointed(store: EventStore) -> FileStore | PostgresStore | None:
    """The store, if its session keeps a state checkpoint (a log file, or a PostgreSQL session
    whose checkpoint is a local cache), checkpoints are on and nothing is damaged."""
    from sessiontui.store import checkpoints
    from sessiontui.store.file import FileStore

    if not checkpoints.enabled() or store.damage:
        return None
    if isinstance(store, FileStore):
        return store
    # Imported only when the store is not a log file: the driver (psycopg) costs every
    # command on a log file a tenth of a second and 15-20 MB.
    from sessiontui.store.postgres import PostgresStore

    return store if isinstance(store, PostgresStore) else None


def _checkpoint_log(store: FileStore | PostgresStore, *, writing: bool = False) -> Path:
    """The name the store's state checkpoint is kept beside (``checkpoints.path_for``).

    Raises:
        OSError: ``writing`` a PostgreSQL session's, its private folder cannot be made.
    """
    from sessiontui.store import pgcache
    from sessiontui.store.file import FileStore

    if isinstance(store, FileStore):
        return store.path
    return pgcache.state_log(store.session) if writing else store.checkpoint_log


class _Opening:
    """The fold ``open_session`` runs while the store verifies the log: from the checkpoint's
    state when the store takes the checkpoint, else from nothing."""

    def __init__(self, found: Unsealed | None) -> None:
        self._found = found
        # What the file claims, taken only once ``sealed`` has said yes.
        self.checkpoint = found.claims if found is not None else None
        self.seed: tuple[SessionState, bool] | None = None
        self.stream: Stream | None = None
        # Events the checkpoint's state holds: the stream folds into that same state while
        # the store reads on, so it must be counted before.
        self.seeded = 0
        self._decoded: StateSnapshot[msgspec.Raw] | None = None

    def sealed(self) -> bool:
        """Whether the checkpoint is this account's, as it is (see ``FileStore``).

        A sealed checkpoint's snapshot is decoded here: the store asks while other threads
        hash the log's prefix, which then no longer waits for the decoding to begin. The
        snapshot is made a state only if the prefix holds (``start``).
        """
        saved = self._found.check() if self._found is not None else None
        if saved is None:
            return False
        # Decoding a long session's snapshot creates many objects that all stay alive.
        with contextlib.suppress(ValueError), collector_paused():
            self._decoded = decode_snapshot(saved.state)
        return True

    def start(self, store: FileStore) -> Sink:
        found, self._found = self._found, None
        decoded, self._decoded = self._decoded, None
        saved = found.check() if found is not None and store.checkpoint_used is not None else None
        if found is not None and saved is None:
            found.close()
        if saved is not None and store.checkpoint_used is not None:
            # Decoding a long session's snapshot creates many objects that all stay alive.
            with contextlib.suppress(ValueError), collector_paused():
                self.seed = _load_saved(store.header, saved, decoded=decoded)
            if self.seed is not None and self.seed[0].last_seq != saved.checkpoint.last_seq:
                self.seed = None
            if self.seed is None:
                # The store reads on after the checkpoint, but its state is unusable: the
                # service folds the whole log from the store instead.
                return _ignore
            self.seeded = self.seed[0].event_count
        self.stream = Stream(self.seed[0] if self.seed else SessionState(store.header))
        return self.stream.push_run


def _ignore(events: list[Event], bounded: bool) -> None:
    del events, bounded


def _load_saved(
    header: Header,
    saved: Saved,
    prefix: str = "",
    *,
    decoded: StateSnapshot[msgspec.Raw] | None = None,
) -> tuple[SessionState, bool]:
    """The state a checkpoint holds (``prefix``: ``checkpoints.EARLIER`` for its earlier one),
    its notes and floor log read from their parts only when the state first needs them.

    ``decoded``: its snapshot, already decoded (``decode_snapshot``).

    Raises:
        ValueError: there is no such state, or it is not usable.
    """
    from sessiontui.store import checkpoints

    data: bytes | memoryview | StateSnapshot[msgspec.Raw] | None = decoded
    if data is None:
        data = saved.state if not prefix else saved.part(prefix + "state")
    if data is None:
        raise ValueError("no such state in the checkpoint")

    def part(name: str) -> Callable[[], bytes] | None:
        if not saved.has(prefix + name):
            return None

        def read() -> bytes:
            found = saved.part(prefix + name)
            if found is None:
                raise ValueError(
                    f"the {name} of a checkpoint could not be read back (its file changed); "
                    "delete the .checkpoint file beside the log"
                )
            return found

        return read

    return load_state(header, data, notes=part(checkpoints.NOTES), floor=part(checkpoints.FLOOR))


@dataclass(slots=True)
class WholeJournal:
    """A log's whole journal: the part saved in its journal checkpoint, then the entries of the
    events after it, and the journal to go on with (None if not asked for and not needed)."""

    saved: SavedJournal | None
    fresh: list[tuple[str, frozenset[str]]]
    journal: Journal | None

    @property
    def lines(self) -> list[str]:
        """One line per event, in log order."""
        saved = self.saved.lines if self.saved is not None else []
        return [*saved, *(line for line, _ in self.fresh)]

    def entries(self) -> list[tuple[str, frozenset[str]]]:
        """The lines with the items each concerns (see ``Journal.entries``)."""
        return [*(self.saved.entries() if self.saved is not None else ()), *self.fresh]


def whole_journal(store: EventStore, *, live: bool = False) -> WholeJournal:
    """The whole journal of a log (no filters, Unicode markers), ``live``: with its ``Journal``.

    Lines up to the log's journal checkpoint (``LOG.journal``) are taken from it when it matches
    the log byte for byte; only the events after it are journaled. A new journal checkpoint is
    left when ``CHECKPOINT_EVERY`` events were journaled beyond it (best effort, like the state's).
    """
    with collector_paused():
        streamed = JournalStream(store, live=live)
        fresh = list(streamed.fresh())
    return WholeJournal(streamed.saved, fresh, streamed.journal)


class JournalStream:
    """A log's whole journal made a line at a time, as each event is folded (see
    ``whole_journal``, which keeps them all): a cold journal of a long log is written as it is
    made, holding neither every event nor every line.

    Only the events after the log's journal checkpoint (``LOG.journal``) are journaled; a new
    checkpoint is left once the last line is taken, when ``CHECKPOINT_EVERY`` events or more
    were journaled beyond it (the lines are then kept for it until the end: a checkpoint holds
    every line).
    """

    def __init__(self, store: EventStore, *, live: bool = False) -> None:
        """Find the journal checkpoint; nothing is journaled until the lines are taken.

        Args:
            store: the session's store.
            live: make ``journal`` (to go on with new events) even when nothing is after the
                checkpoint.
        """
        from sessiontui.core.journal import Journal, SavedJournal
        from sessiontui.store import checkpoints
        from sessiontui.store.file import FileStore

        self.store = store
        header = store.header
        file_store = store if isinstance(store, FileStore) else None
        if file_store is not None and (not checkpoints.enabled() or file_store.damage):
            file_store = None
        self._file_store = file_store
        saved: SavedJournal | None = None
        if file_store is not None:
            found = checkpoints.load(file_store.path, checkpoints.JOURNAL)
            if (
                found is not None
                and found.session == header.session
                and file_store.covers(found.checkpoint)
            ):
                with contextlib.suppress(ValueError):
                    saved = SavedJournal(found.state)
            del found
        self._tail: Iterable[Event] = ()
        self.journal: Journal | None = None
        if saved is not None:
            self._tail = list(store.read(after_seq=saved.seq))
            if self._tail or live:
                with contextlib.suppress(ValueError), collector_paused():
                    self.journal = Journal.resume(header, saved, store.read)
                if self.journal is None:
                    saved = None
        if saved is None:
            # Streamed: the events are read from the store as the lines are taken.
            self.journal, self._tail = Journal(header, source=store.read), store.read()
        self.saved = saved
        self._after = saved.seq if saved is not None else 0
        # The gaps a repair recorded after the checkpoint (its lines hold those before).
        found = getattr(store, "repair_gaps", None)
        self._gaps = [
            gap
            for gap in (found() if found is not None else ())
            if saved is None or gap.seq > saved.seq
        ]

    def entries(self) -> Iterator[tuple[str, frozenset[str]]]:
        """``lines`` with the items each concerns (see ``Journal.entries``)."""
        if self.saved is not None:
            with collector_paused():
                yield from self.saved.entries()
        yield from self.fresh()

    def lines(self) -> Iterator[str]:
        """Every line, in log order: the checkpoint's, then each new one as it is made."""
        if self.saved is not None:
            yield from self.saved.lines
        journal = self.journal
        if journal is None or self._saving():
            # A new checkpoint keeps each line's items: made as ``entries`` makes them.
            for line, _ in self.fresh():
                yield line
            return
        from sessiontui.core.journal import with_gaps

        tail, self._tail = self._tail, ()
        # Nothing to keep: the words alone, without working out each line's items.
        with collector_paused():
            yield from with_gaps(tail, self._gaps, journal.stream_lines, journal.gap_line)

    def _saving(self) -> bool:
        """Whether taking the lines leaves a new journal checkpoint (see ``fresh``)."""
        file_store = self._file_store
        return file_store is not None and file_store.last_seq - self._after >= CHECKPOINT_EVERY

    def fresh(self) -> Iterator[tuple[str, frozenset[str]]]:
        """The entries of the events after the checkpoint, each as its event is folded; then
        (best effort) a new journal checkpoint. Taken once."""
        from sessiontui.core.journal import with_gaps
        from sessiontui.store import checkpoints

        journal, file_store, tail = self.journal, self._file_store, self._tail
        self._tail = ()
        if journal is None:
            return
        saving = self._saving()
        kept: list[tuple[str, frozenset[str]]] = []
        # The fold makes objects that stay alive (the state): nothing for the cyclic collector.
        with collector_paused():
            for entry in with_gaps(tail, self._gaps, journal.stream, journal.gap_entry):
                if saving:
                    kept.append(entry)
                yield entry
        if file_store is None or not saving or journal.state.last_seq != file_store.last_seq:
            return
        with contextlib.suppress(Exception):
            entries = [*(self.saved.entries() if self.saved is not None else ()), *kept]
            del kept
            checkpoints.save(
                file_store.path,
                file_store.checkpoint(),
                self.store.header.session,
                journal.snapshot(entries),
                checkpoints.JOURNAL,
            )


OPENING_RUN = 4096
"""Events the opening scan hands on before ``OpeningJournal`` words them together. Decoding
each event and wording it there and then makes the two take turns with the processor's caches,
both slower for it; a run at a time keeps each its own."""


def journal_is_cold(path: Path) -> bool:
    """Whether a log file's whole journal is made from its first event: no journal checkpoint
    (``LOG.journal``) to start from, or checkpoints turned off."""
    from sessiontui.store import checkpoints

    return not checkpoints.enabled() or not checkpoints.path_for(path, checkpoints.JOURNAL).exists()


class OpeningJournal:
    """The whole journal of a log file made in the pass that opens it: each event is worded as
    the store's verifying scan decodes it (its ``fold``), so the log is read and decoded once,
    and the lines are handed to ``write`` as they are made, a run at a time, never all kept.

    For a log without a journal checkpoint (``journal_is_cold``); ``JournalStream`` starts from
    one. Use: ``FileStore(path, read_only=True, fold=opening.start)``, then ``finish``.
    """

    def __init__(
        self,
        write: Callable[[list[str]], object],
        *,
        begin: Callable[[FileStore], object] | None = None,
    ) -> None:
        """Args:
        write: takes each run of lines, in log order, as it is made.
        begin: called with the store once its header is read, before any line is written
            (the heading goes first).
        """
        self._write = write
        self._begin = begin
        self.journal: Journal | None = None
        self._pending: list[Event] = []
        # Whether every event waiting was decoded within the bounds (the scan says so).
        self._bounded = True
        # Each line with its items, for a new journal checkpoint (None: none will be saved).
        self._kept: list[tuple[str, frozenset[str]]] | None = None
        self._store: FileStore | None = None
        self._gaps_said = 0  # the gaps a repair recorded whose lines are written

    def start(self, store: FileStore) -> Sink:
        """The store's ``fold``: the journal starts from nothing; returns what takes each run."""
        from sessiontui.core.journal import Journal
        from sessiontui.store import checkpoints

        if self._begin is not None:
            self._begin(store)
        self._store = store
        # Whether a checkpoint will be worth saving is known only at the end: the lines are
        # kept for it whenever checkpoints are on, as ``JournalStream`` keeps them.
        self._kept = [] if checkpoints.enabled() else None
        # An undo or a back-dated event makes the journal fold again from the log's start:
        # from the events the scan has verified, which the store has not taken in yet. With
        # no checkpoint to save, only its lines are asked for (printed, written, followed).
        source = functools.partial(store.read, scanning=True)
        if self._kept is None:
            self.journal = Journal.of_lines_only(store.header, source)
        else:
            self.journal = Journal(store.header, source=source)
        pending = self._pending
        take = pending.extend
        run = OPENING_RUN

        def sink(events: list[Event], bounded: bool) -> None:
            # The run waiting is bounded if each of its parts is.
            self._bounded = self._bounded and bounded
            take(events)
            if len(pending) >= run:
                self._word()

        return sink

    def _word(self) -> None:
        """Word the events waiting, and write their lines."""
        from sessiontui.core.journal import with_gaps

        journal, pending = self.journal, self._pending
        if journal is None or not pending:
            return
        kept = self._kept
        # The gaps the scan has read so far: each follows events already handed on here.
        gaps: list[LogRepaired] = []
        if self._store is not None:
            gaps = self._store.repair_gaps()[self._gaps_said :]
            self._gaps_said += len(gaps)
        if kept is None:
            bounded = self._bounded
            lines = list(
                with_gaps(
                    pending,
                    gaps,
                    lambda events: journal.stream_lines(events, bounded=bounded),
                    journal.gap_line,
                )
            )
        else:
            entries = list(with_gaps(pending, gaps, journal.stream, journal.gap_entry))
            kept.extend(entries)
            lines = [line for line, _ in entries]
        pending.clear()
        self._bounded = True
        if lines:
            self._write(lines)

    def finish(self, store: FileStore) -> None:
        """Once the store is open: word the last events, then (best effort) leave a journal
        checkpoint, as ``JournalStream`` does when enough events were journaled."""
        from sessiontui.store import checkpoints

        journal = self.journal
        if journal is None:
            return
        with collector_paused():
            self._word()
        journal.use_source(store.read)
        kept, self._kept = self._kept, None
        if (
            kept is None
            or store.damage
            or store.last_seq < CHECKPOINT_EVERY
            or journal.state.last_seq != store.last_seq
        ):
            return
        with contextlib.suppress(Exception):
            checkpoints.save(
                store.path,
                store.checkpoint(),
                store.header.session,
                journal.snapshot(kept),
                checkpoints.JOURNAL,
            )


@dataclass(frozen=True, slots=True)
class LogHead:
    """How far a log went: the ``seq`` of its last event and the SHA-256 of the log up to it
    (the anchor every report, export and journal carries; ``verify --anchor`` finds it)."""

    seq: int
    sha256: str


def log_head(store: EventStore) -> LogHead | None:
    """The head of what ``store`` has read (None: a damaged log, a server out of reach, or a
    store that keeps no lines)."""
    from sessiontui.store.file import FileStore

    if store.damage:
        return None
    if isinstance(store, FileStore):
        made_from = store.checkpoint(with_blocks=False)
        return LogHead(made_from.last_seq, made_from.sha256)
    # Imported only for a PostgreSQL session: the driver costs a log file's journal 20 MB.
    from sessiontui.store.postgres import PostgresStore

    if isinstance(store, PostgresStore):
        try:
            return LogHead(store.last_seq, store.head_sha256())
        except StoreError:
            return None
    return None


def gather(
    store: EventStore,
    fmt: str,
    options: ExportOptions,
    *,
    elsewhere: bool = False,
    journal: JournalStream | None = None,
    state: SessionState | None = None,
) -> Material:
    """Read from ``store`` what an export in ``fmt`` needs: the only place that decides it.

    From a log file: its digest, the last event (its time is the export time) and, as the
    format says (``ExportFormat.needs``), every event, every event as written or the whole
    journal. From another store: every event (the digest is rebuilt from them).

    Args:
        store: The session's store.
        fmt: The format's name.
        options: The export's options (what a format needs may depend on them).
        elsewhere: The export is rendered on another thread (the tracker's worker): what is
            slow to read and can be read apart (the whole journal) is left to that thread,
            from a reader of its own (``finish_gathering``); the rest is read now, whole.
        journal: The whole journal of a log file, when the format needs it: the caller's, to
            take the state its fold ends with (a txt export opened without a fold of its own).
        state: The session's state, when the caller has it: a format that needs the agenda's
            amendments reads every event only when the state shows the agenda was amended.

    Raises:
        ExportError: unknown format.
        StoreError: the store cannot be read.
    """
    from sessiontui.exporters import Material, get_format
    from sessiontui.store.file import FileStore

    needs = get_format(fmt).needs(options)
    if needs.amendments and (state is None or agenda_amended(state)):
        needs = replace(needs, events=True)
    # Records that all stay alive until written: nothing for the cyclic collector to find.
    with collector_paused():
        lines: Iterable[str] | None = None
        if not isinstance(store, FileStore):
            lines = whole_journal(store).lines if needs.journal and not elsewhere else None
            gaps = getattr(store, "gaps", ())  # losses a PostgreSQL session recorded
            return Material(store.header, list(store.read()), journal=lines, gaps=gaps)
        digest = store.checkpoint(with_blocks=False).sha256
        texts: Iterable[EventText] | None = None
        if needs.texts:
            # Copied out as written, without decoding instants and data; read a block at a time
            # while the export is written, never the whole log in memory (unless elsewhere).
            texts = store.read_texts() if elsewhere else chain.from_iterable(store.iter_texts())
        last = None if needs.events else store.last_event()
        events = [last] if last is not None else list(store.read())
        journal_of = None
        if needs.journal:
            if elsewhere:
                journal_of = store.path
            else:
                # Made as it is written (a cold journal folds the log line by line).
                lines = (journal or JournalStream(store)).lines()
        return Material(store.header, events, texts, lines, journal_of, digest, store.gaps)


def finish_gathering(material: Material) -> Material:
    """Read what ``gather(..., elsewhere=True)`` left to this thread (from a reader of its own).

    Raises:
        StoreError: the log cannot be read.
    """
    if material.journal_of is None:
        return material
    from dataclasses import replace

    from sessiontui.store.file import FileStore

    with FileStore(material.journal_of, read_only=True, recover=False) as reader:
        lines = whole_journal(reader).lines
    return replace(material, journal=lines, journal_of=None)
