"""A session kept in PostgreSQL (psycopg 3): the same sealed lines as the file log, shared by machines.

Layout (schema ``sessiontui``, created and migrated by the tool on connect):

- ``schema_version(version)``: the layout version of these tables.
- ``sessions(id, header, version, created)``: one row per session; ``header`` is the sealed header
  line, ``version`` the ``seq`` of its last event. Writers lock this row (``SELECT ... FOR
  UPDATE``) for the whole transaction, so ``seq`` is assigned gapless, in one order for everyone.
- ``events(session, seq, id, type, line, stored)``: one row per event; ``line`` is the sealed line
  byte for byte as the file log would hold it (checksum and hash chain included), ``id`` is unique
  per session so a retried append never records an event twice.

``LISTEN/NOTIFY`` is only a wake-up: a follower re-reads from its last ``seq`` after every
notification and after every reconnect, so a lost notification costs latency, never an event.
Every line read is checked (checksum, chain, ``seq``) exactly as the file log's lines are.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from sessiontui.core.clock import Clock
from sessiontui.core.events import (
    CLAIMED_SUM,
    LOG_REPAIR,
    MAX_LINE_BYTES,
    Draft,
    Event,
    Header,
    LineError,
    RollbackAccepted,
    check_line,
    decode_event,
    decode_header,
    rollback_described,
    seal,
    seal_drafts,
)
from sessiontui.store import pgcache
from sessiontui.store.base import (
    Damage,
    Decide,
    ReadOnlyStore,
    SaveError,
    StoreBase,
    StoreError,
    Unreachable,
)
from sessiontui.store.durable import open_regular
from sessiontui.store.file import Checkpoint

SCHEMES = ("postgresql://", "postgres://")
SCHEMA = "sessiontui"
SCHEMA_VERSION = 1
CHANNEL = "sessiontui_events"
CONNECT_TIMEOUT = 10
RECONNECT_WAIT = 3.0
"""Seconds a write keeps trying to reconnect (a restarting server) before it is refused."""
RECONNECT_STEP = 0.25
# A constant key for pg_advisory_xact_lock, so two first connections never migrate at once.
_MIGRATION_LOCK = 0x5E5510_0001

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS sessiontui.sessions (
            id text PRIMARY KEY,
            header text NOT NULL,
            version bigint NOT NULL DEFAULT 0,
            created timestamptz NOT NULL DEFAULT now()
        )""",
        """CREATE TABLE IF NOT EXISTS sessiontui.events (
            session text NOT NULL REFERENCES sessiontui.sessions (id),
            seq bigint NOT NULL,
            id text NOT NULL,
            type text NOT NULL,
            line text NOT NULL,
            stored timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (session, seq),
            UNIQUE (session, id)
        )""",
    ),
}

# The line as a reader fetches it. Anyone who may add events can insert a row of any size
# (a text value holds up to 1 GB), and every reader, every TUI following the session, would fetch
# and hold all of it before refusing it as too long. Past the limit only its first characters
# cross the network: still longer than a record may be, so it is refused as it would be whole.
# octet_length reads the stored size, without unpacking the value.
_LINE = sql.SQL(
    "CASE WHEN octet_length(line) > {limit} THEN left(line, {cut}) ELSE line END"
).format(limit=sql.Literal(MAX_LINE_BYTES), cut=sql.Literal(MAX_LINE_BYTES + 1))

_FETCH_ROWS = 8192
"""Rows fetched at a time: a long session is never in memory at once."""
_MAX_SEQ = (1 << 63) - 1
"""The largest ``seq`` a row can hold (``bigint``): "up to the last line stored"."""
_SUM_BYTES = 16
"""Bytes of a line's checksum (``sum``: 32 hex digits) as ``PostgresStore`` keeps it."""

_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def is_postgres_url(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL session rather than a file."""
    return location.startswith(SCHEMES)


@dataclass(frozen=True, slots=True)
class Location:
    """A parsed ``postgresql://...#SESSION`` location."""

    conninfo: str
    session: str | None
    where: str

    def with_session(self, session: str) -> str:
        """The URL naming ``session`` (password left out, so it can be printed)."""
        parts = urlsplit(self.conninfo)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            netloc = f"{userinfo.split(':', 1)[0]}@{hostport}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, session))


class _Offline:
    """Stands in for the connection of a session opened from its cache while the server is out
    of reach: every use fails as a dropped link does, so the usual reconnect paths take over."""

    closed = True

    def close(self) -> None:
        """Nothing to close."""

    def execute(self, *args: object, **kwargs: object) -> None:
        """Fail as a dropped link does."""
        raise psycopg.OperationalError("not connected (opened while the server was out of reach)")

    def notifies(self, *args: object, **kwargs: object) -> None:
        """Fail as a dropped link does."""
        raise psycopg.OperationalError("not connected (opened while the server was out of reach)")


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password (in the user part or a ``password=`` parameter), and the
    password, so that it can travel in ``$PGPASSWORD`` instead of a command line."""
    parts = urlsplit(url)
    password: str | None = None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, secret = userinfo.partition(":")
        if colon:
            from urllib.parse import unquote

            password = unquote(secret)
            netloc = f"{user}@{hostport}"
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "password":
            password = value
        else:
            query.append((key, value))
    return urlunsplit(
        (parts.scheme, netloc, parts.path, urlencode(query), parts.fragment)
    ), password


def parse_location(url: str) -> Location:
    """Split a session URL into the connection string and the session id.

    The session is named by the fragment (``postgresql://host/db#SESSION``) or by a
    ``session=`` query parameter (``postgresql://host/db?session=SESSION``); neither is passed to
    libpq, which would refuse an unknown parameter.

    Raises:
        StoreError: not a PostgreSQL URL, or an invalid session id.
    """
    if not is_postgres_url(url):
        raise StoreError("not a PostgreSQL URL (it starts with postgresql://)")
    parts = urlsplit(url)
    session = parts.fragment or None
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "session":
            session = session or value
        else:
            query.append((key, value))
    if session is not None and not _SESSION_ID.fullmatch(session):
        raise StoreError("the session id in the URL is not valid (letters, digits, - _ .)")
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    try:
        info = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error as exc:
        raise StoreError(f"not a valid PostgreSQL URL: {_first_line(exc)}") from None
    host = str(info.get("host") or "localhost")
    port = f":{info['port']}" if info.get("port") else ""
    database = str(info.get("dbname") or info.get("user") or "")
    return Location(conninfo, session, f"{host}{port}/{database}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def connect(location: Location) -> psycopg.Connection[Any]:
    """Open an autocommit connection (explicit transactions where it matters).

    Raises:
        StoreError: the server cannot be reached or refuses us (one line).
    """
    try:
        return psycopg.connect(
            location.conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="sessiontui",
        )
    except psycopg.Error as exc:
        raise StoreError(
            f"cannot connect to PostgreSQL at {location.where}: {_first_line(exc)}"
        ) from None


def _schema_version(conn: psycopg.Connection[Any]) -> int | None:
    row = conn.execute("SELECT to_regclass('sessiontui.schema_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT max(version) FROM sessiontui.schema_version").fetchone()
    return int(found[0]) if found and found[0] is not None else None


def migrate(conn: psycopg.Connection[Any], *, read_only: bool = False) -> None:
    """Create or upgrade the tables to ``SCHEMA_VERSION`` (idempotent, safe to race).

    Raises:
        StoreError: the database holds a newer layout, or it cannot be created.
    """
    try:
        version = _schema_version(conn)
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                f"the database holds sessiontui tables of version {version}; this program "
                f"understands {SCHEMA_VERSION}: upgrade sessiontui"
            )
        if read_only:
            raise StoreError("the database has no sessiontui sessions yet")
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE SCHEMA IF NOT EXISTS sessiontui")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS sessiontui.schema_version (version integer NOT NULL)"
            )
            version = _schema_version(conn) or 0
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step]:
                    conn.execute(sql.SQL(statement))
                conn.execute("INSERT INTO sessiontui.schema_version (version) VALUES (%s)", (step,))
    except psycopg.Error as exc:
        raise StoreError(f"cannot prepare the sessiontui tables: {_first_line(exc)}") from None


class _Chain:
    """Checks lines in order exactly as the file log's reader does: checksum, chain, ``seq``."""

    def __init__(self, header_line: bytes, header_sum: str) -> None:
        self.prev = header_sum
        self.seq = 0
        self.line = 1
        self.offset = len(header_line)

    def check(self, line: bytes) -> tuple[Event | None, Damage | None]:
        self.line += 1
        offset = self.offset
        self.offset += len(line)
        try:
            line_sum = check_line(line)
            event = decode_event(line)
            if event.prev != self.prev:
                raise LineError("hash chain broken: the line before it is missing or was altered")
            if event.seq != self.seq + 1:
                raise LineError(f"sequence number {event.seq} where {self.seq + 1} was expected")
            if event.type == LOG_REPAIR:
                raise LineError("a repair marker has no place in a PostgreSQL session")
        except LineError as exc:
            return None, Damage(self.line, offset, str(exc))
        self.prev = line_sum
        self.seq = event.seq
        return event, None


class PostgresStore(StoreBase):
    """One session in a PostgreSQL database (see the module docstring)."""

    _moved_on = "session"

    repairs = 0
    """The losses ``repair URL`` recorded (``log.rollback``) that ``verify`` counted."""
    _cache_off = False
    """The cached lines no longer match and could not be set aside: not used, not extended."""

    def __init__(
        self,
        url: str,
        *,
        read_only: bool = False,
        checkpoint: Checkpoint | None = None,
        offline: bool = True,
    ) -> None:
        """Connect, migrate the tables when needed, and read the session's whole record.

        With a ``checkpoint`` (of a state folded here earlier, ``pgcache.state_log``) whose
        last line is still the server's line at its ``seq``, only the events after it are read
        (``checkpoint_used``); the ones before are read only if asked for (``read``).

        ``offline``: with the server out of reach, open the session as last seen here (from
        the local cache); without, fail as the connection did (``verify`` checks the
        server's lines, never the cache's).

        Raises:
            StoreError: bad URL, server unreachable, no session id, or no such session.
        """
        self.location = parse_location(url)
        self.notices: list[str] = []
        self.gaps: list[str] = []
        """The losses of events a ``log.rollback`` record names, described (``_note_gaps``)."""
        self.damage: list[Damage] = []
        self._read_only_reason: str | None = "opened read-only" if read_only else None
        # Nothing per event is kept but the checksum of its line: a long session (2,000,000
        # events) is not held in memory. ``read`` reads the lines again (from the local cache,
        # else the server), each checked against its checksum here; whether an id is saved is
        # asked of the server (ids are unique per session).
        self._news: list[Event] = []
        """Events fetched on the side (after a reconnect), handed out next (``catch_up``)."""
        self._sums = bytearray()
        """The checksum of each event line read, ``_SUM_BYTES`` each, from ``seq`` _base + 1."""
        self.checkpoint_used: Checkpoint | None = None
        self._base = 0
        """The lines up to this ``seq`` were not read (a checkpoint covers them): ``_sums``
        starts after it, until something needs them (``_verify_prefix``)."""
        try:
            self._conn = connect(self.location)
        except StoreError as exc:
            if not offline:
                raise
            self._open_offline(exc)
            return
        try:
            migrate(self._conn, read_only=read_only)
            if self.location.session is None:
                raise StoreError(self._which_session())
            self.session = self.location.session
            row = self._query_one("SELECT header FROM sessiontui.sessions WHERE id = %s")
            if row is None:
                raise StoreError(
                    f"no session {self.session} in PostgreSQL at {self.location.where}"
                )
            self._header_line = str(row[0]).encode("utf-8")
            try:
                self._header_sum = check_line(self._header_line)
                self.header = decode_header(self._header_line)
            except LineError as exc:
                raise StoreError(f"session {self.session}: line 1 (byte 0): {exc}") from None
            self._chain = _Chain(self._header_line, self._header_sum)
            self._listen()
            if checkpoint is not None and self._holds(checkpoint):
                self._start_after(checkpoint)
            else:
                self._start_from_cache()
            self._fetch_new(self._conn, hand=False)  # read at the opening: nothing to hand on
        except BaseException:
            self._conn.close()
            raise

    def _holds(self, checkpoint: Checkpoint) -> bool:
        """Whether the server's line at the checkpoint's ``seq`` is the one it ends with.

        Each line carries the hash of the line before it, so one line agreeing vouches for
        every line up to it: one row crosses the network, not the session.
        """
        if checkpoint.last_seq <= 0:
            return False
        try:
            row = self._conn.execute(
                sql.SQL("SELECT {} FROM sessiontui.events WHERE session = %s AND seq = %s").format(
                    _LINE
                ),
                (self.session, checkpoint.last_seq),
            ).fetchone()
        except psycopg.Error:
            return False
        if row is None:
            return False
        try:
            return check_line(str(row[0]).encode("utf-8")) == checkpoint.last_sum
        except LineError:
            return False

    def _start_after(self, checkpoint: Checkpoint) -> None:
        """Go on from a checkpoint the server agrees with: its events are not read now."""
        self.checkpoint_used = checkpoint
        self._note_gaps(checkpoint.gaps)  # recorded before it: still said
        self._base = checkpoint.last_seq
        self._chain.seq, self._chain.prev = checkpoint.last_seq, checkpoint.last_sum
        self._chain.line, self._chain.offset = checkpoint.lines, checkpoint.offset

    def checkpoint(self) -> Checkpoint:
        """Where the events read so far end (a state checkpoint of them is kept here)."""
        chain = self._chain
        return Checkpoint(
            chain.offset, "", chain.prev, chain.seq, chain.line, gaps=tuple(self.gaps)
        )

    def covers(self, checkpoint: Checkpoint) -> bool:
        """Whether ``checkpoint`` ends on a line this session still holds at its ``seq``."""
        if checkpoint.last_seq > self._chain.seq:
            return False
        if checkpoint == self.checkpoint_used or (
            checkpoint.last_seq == self._chain.seq and checkpoint.last_sum == self._chain.prev
        ):
            return True
        return self._holds(checkpoint)

    def head_sha256(self) -> str:
        """SHA-256 of the session up to the last event read, as a log file holding its lines
        would have it (the anchor exports carry): the server digests its lines, only the
        digest crosses the network.

        Raises:
            StoreError: the server cannot be reached (or the session is open offline).
        """
        try:
            row = self._conn.execute(
                "SELECT encode(sha256(%s || coalesce(string_agg(convert_to(line, 'UTF8'), "
                "''::bytea ORDER BY seq), ''::bytea)), 'hex') "
                "FROM sessiontui.events WHERE session = %s AND seq <= %s",
                (self._header_line, self.session, self._chain.seq),
            ).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None
        assert row is not None  # an aggregate always gives one row
        return str(row[0])

    def holds_line(self, seq: int, line_sum: str) -> bool:
        """Whether the session still holds, at ``seq``, the line whose checksum is ``line_sum``
        (0: the header): each line's checksum covers the line before, so this one row vouches
        for the whole session up to it.

        Raises:
            StoreError: the server cannot be reached (or the session is open offline).
        """
        if seq <= 0:
            return line_sum == self._header_sum
        if seq > self._chain.seq:
            return False
        if seq == self._chain.seq:
            return line_sum == self._chain.prev
        try:
            row = self._conn.execute(
                sql.SQL("SELECT {} FROM sessiontui.events WHERE session = %s AND seq = %s").format(
                    _LINE
                ),
                (self.session, seq),
            ).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None
        if row is None:
            return False
        try:
            return check_line(str(row[0]).encode("utf-8")) == line_sum
        except LineError:
            return False

    @property
    def checkpoint_log(self) -> Path:
        """The name the state checkpoint of this session is kept beside (``checkpoints``)."""
        return pgcache.cache_path(self.session)

    def _verify_prefix(self) -> None:
        """Check the lines the checkpoint covers, from the top (the cache's, else the
        server's), and keep their checksums, so that ``read`` can give them.

        Raises:
            StoreError: the server cannot be reached, or its lines no longer end as the
                checkpoint says (the session was rewritten meanwhile).
        """
        if not self._base:
            return
        for source in (self._cache_lines, self._server_lines):
            # The chain ending on the checkpoint's line vouches for every line of it: the
            # cache's prefix is then the server's.
            chain = _Chain(self._header_line, self._header_sum)
            sums = bytearray()
            for _, line in source(0, self._base):
                event, damage = chain.check(line)
                if damage is not None or event is None:
                    break
                sums += bytes.fromhex(chain.prev)
            if chain.seq == self._base and chain.prev == self._chain_base_sum():
                self._sums[:0] = sums
                self._base = 0
                return
        raise StoreError(
            f"session {self.session} changed on the server below seq {self._base}; "
            "open it again (see `sessiontui verify`)"
        )

    def _chain_base_sum(self) -> str:
        return self.checkpoint_used.last_sum if self.checkpoint_used is not None else ""

    def _start_from_cache(self) -> None:
        """Take the lines cached here when the server's lines digest to the same."""
        with pgcache.reading(self.session) as cached:
            if cached is None or cached[0] != self._header_line.rstrip(b"\n"):
                return
            chain, sums, losses, digest, whole = self._check_cached(cached[1])
        if not whole:
            # Damaged here: read the server, cache it again; the lines are kept, named.
            self._set_cache_aside(f"are damaged at line {chain.line}")
            return
        if not chain.seq:
            return
        # The server digests its own lines up to there (nothing crosses the network but the
        # digest): any line changed on either side, even one the chain no longer covers,
        # makes the cache unusable and the session is read from the server, checked in full.
        # Stored lines end with a newline (as sealed); one that does not only loses the cache.
        row = self._conn.execute(
            "SELECT md5(string_agg(line, '' ORDER BY seq)) "
            "FROM sessiontui.events WHERE session = %s AND seq <= %s",
            (self.session, chain.seq),
        ).fetchone()
        if row is None or row[0] != digest:
            # Not this server's session any more (restored from an older backup, rewritten)
            # or altered here: read the server, and keep these lines, named.
            self._set_cache_aside(
                f"no longer match the server's (seq 1-{chain.seq}: restored from an older "
                "backup, or rewritten?)"
            )
            return
        self._chain = chain
        self._sums = sums
        self._note_losses(losses)

    def _check_cached(
        self, lines: Iterator[bytes]
    ) -> tuple[_Chain, bytearray, list[Event], str, bool]:
        """Check the cached event lines as they are read (checksum, chain, ``seq``), keeping
        only what the store keeps: the chain where they end, the checksum of each, the losses
        recorded among them, the MD5 of them all (as the server digests its lines), and
        whether every line held (False: damaged at ``chain.line``)."""
        chain = _Chain(self._header_line, self._header_sum)
        sums = bytearray()
        losses: list[Event] = []
        digest = hashlib.md5(usedforsecurity=False)
        for line in lines:
            event, damage = chain.check(line)
            if damage is not None or event is None:
                return chain, sums, losses, digest.hexdigest(), False
            sums += bytes.fromhex(chain.prev)
            digest.update(line)
            if isinstance(event, RollbackAccepted):
                losses.append(event)
        return chain, sums, losses, digest.hexdigest(), True

    def _set_cache_aside(self, why: str) -> None:
        """The cached lines no longer serve (``why``): set them aside, never delete them (they
        may be the only copy of events the server lost), and say where."""
        said, moved = pgcache.set_aside(self.session, why)
        if said:
            self.notices.append(said)
        # Left in place (out of use): neither read nor added to by this store.
        self._cache_off = not moved

    def _open_offline(self, cause: StoreError) -> None:
        """The server is out of reach: open the session as cached here, or fail as before.

        Raises:
            StoreError: no session id in the URL, or nothing cached for it.
        """
        session = self.location.session
        if session is None:
            raise cause
        with pgcache.reading(session) as cached:
            if cached is None:
                raise cause
            self.session = session
            self._header_line = cached[0] + b"\n"
            try:
                self._header_sum = check_line(self._header_line)
                self.header = decode_header(self._header_line)
            except LineError:
                raise cause from None
            # As far as its lines hold: the session as last seen here.
            self._chain, self._sums, losses, _, _ = self._check_cached(cached[1])
        self._note_losses(losses)
        self._conn = cast("psycopg.Connection[Any]", _Offline())
        self.notices.append(
            f"{cause}; showing the session as last seen here (seq {self._chain.seq}); notes and "
            "speakers wait in the outbox until the server is back"
        )

    def _cache_news(self, lines: Sequence[bytes]) -> None:
        """Add lines just read or written (their seq follow the cached ones) to the cache."""
        if self._cache_off:
            return
        first = self._chain.seq - len(lines) + 1
        pgcache.extend(self.session, self._header_line, first, lines)

    @property
    def url(self) -> str:
        """This session's URL, without the password (safe to print)."""
        return self.location.with_session(self.session)

    def _which_session(self) -> str:
        rows = self._conn.execute(
            "SELECT id, header FROM sessiontui.sessions ORDER BY created DESC LIMIT 5"
        ).fetchall()
        if not rows:
            return f"no sessions in PostgreSQL at {self.location.where} (create one with `sessiontui copy LOG URL`)"
        names = ", ".join(str(row[0]) for row in rows)
        return f"which session? add #SESSION_ID to the URL (recent ones: {names})"

    def _query_one(self, query: str) -> tuple[Any, ...] | None:
        try:
            return self._conn.execute(query, (self.session,)).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None

    def _listen(self) -> None:
        self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))

    # -- creation ----------------------------------------------------------------------------

    @classmethod
    def create(cls, url: str, header: Header) -> PostgresStore:
        """Create a new session from its header (its id is ``header.session``).

        Raises:
            StoreError: the session already exists, or the server cannot be used.
        """
        return cls.import_records(url, seal(header), [])

    @classmethod
    def import_records(cls, url: str, header_line: bytes, lines: Sequence[bytes]) -> PostgresStore:
        """Create a session holding exactly these sealed lines (``copy`` from a log file).

        Every line is checked first (checksum, chain, gapless ``seq``); all of it is inserted in
        one transaction, so a failed copy leaves nothing behind.

        Raises:
            StoreError: a line is damaged, the session exists, or the server cannot be used.
        """
        location = parse_location(url)
        try:
            header_sum = check_line(header_line)
            header = decode_header(header_line)
        except LineError as exc:
            raise StoreError(f"line 1 (byte 0): {exc}") from None
        if location.session is not None and location.session != header.session:
            raise StoreError(
                f"the session keeps its id {header.session}; leave #{location.session} out of the URL"
            )
        chain = _Chain(header_line, header_sum)
        rows: list[tuple[str, int, str, str, str]] = []
        for line in lines:
            event, damage = chain.check(line)
            if damage is not None or event is None:
                raise StoreError(f"{damage}; nothing was copied")
            rows.append((header.session, event.seq, event.id, event.type, line.decode("utf-8")))
        conn = connect(location)
        try:
            migrate(conn)
            with conn.transaction():
                inserted = conn.execute(
                    "INSERT INTO sessiontui.sessions (id, header, version) VALUES (%s, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING RETURNING id",
                    (header.session, header_line.decode("utf-8"), chain.seq),
                ).fetchone()
                if inserted is None:
                    raise StoreError(
                        f"session {header.session} already exists in PostgreSQL at "
                        f"{location.where}; a session is never overwritten"
                    )
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO sessiontui.events (session, seq, id, type, line) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        rows,
                    )
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {location.where}: {_first_line(exc)}") from None
        finally:
            conn.close()
        return cls(_with_fragment(url, header.session))

    # -- reading -----------------------------------------------------------------------------

    def _fetch_new(self, conn: psycopg.Connection[Any], *, hand: bool = True) -> list[Event]:
        """Read and check every event after the last one read, a block of rows at a time
        (caller handles errors). ``hand``: keep them to hand on (``_take_news``); at the
        opening nothing is kept, ``read`` gives them."""
        fresh: list[Event] = []
        while not self.damage:
            rows = conn.execute(
                sql.SQL(
                    "SELECT {} FROM sessiontui.events WHERE session = %s AND seq > %s "
                    "ORDER BY seq LIMIT %s"
                ).format(_LINE),
                (self.session, self._chain.seq, _FETCH_ROWS),
            ).fetchall()
            lines: list[bytes] = []
            losses: list[Event] = []
            for (text,) in rows:
                line = str(text).encode("utf-8")
                event, damage = self._chain.check(line)
                if damage is not None or event is None:
                    self.damage.append(damage or Damage(self._chain.line, 0, "unreadable"))
                    self._read_only_reason = (
                        f"the session is damaged at {self.damage[0]}; it is open read-only "
                        "(see `sessiontui verify`)"
                    )
                    break
                self._sums += bytes.fromhex(self._chain.prev)
                if hand:
                    fresh.append(event)
                if isinstance(event, RollbackAccepted):
                    losses.append(event)
                lines.append(line)
            self._note_losses(losses)
            if lines:
                self._cache_news(lines)
            if len(rows) < _FETCH_ROWS:
                break
        self._news.extend(fresh)
        return fresh

    def _note_losses(self, events: Sequence[Event]) -> None:
        """Say each loss a ``log.rollback`` record among ``events`` names (they are rare)."""
        self._note_gaps(
            [
                f"seq {event.seq}: {rollback_described(event)}"
                for event in events
                if isinstance(event, RollbackAccepted)
            ]
        )

    def _note_gaps(self, gaps: Sequence[str]) -> None:
        """Nothing is skipped silently: every reader says what the session lost, and the
        draft report carries it (``gaps``), as a log file's repaired gaps are said."""
        for gap in gaps:
            self.gaps.append(gap)
            self.notices.append(
                f"{self.location.with_session(self.session)}: {gap}; what they held is missing "
                "from the journal, the report and the exports (see `sessiontui verify`)"
            )

    @property
    def last_seq(self) -> int:
        """The ``seq`` of the last event read."""
        return self._chain.seq

    def read(self, after_seq: int = 0) -> Iterator[Event]:
        """Every event with ``seq`` greater than ``after_seq``, up to what this store has read.

        The lines are read again (the local cache's, else the server's, a block at a time),
        each checked against the checksum kept of it when it was first read.

        Raises:
            StoreError: the server cannot be reached for lines the cache lacks, or its lines
                are no longer those read (the session was rewritten meanwhile).
        """
        if after_seq < self._base:
            self._verify_prefix()
        after = max(after_seq, 0)
        upto = self._chain.seq
        seq = after
        for source in (self._cache_lines, self._server_lines):
            # This account's own cache is trusted as far as its checkpoints are (a line that
            # claims the checksum kept of it): that tells apart another session's or a
            # changed cache; the server's lines, which other accounts write, are checked.
            whole = source == self._server_lines
            for at, line in source(seq, upto):
                if at != seq + 1 or not self._is_line_read(at, line, whole=whole):
                    break  # the cache no longer holds it: the server's line then
                seq = at
                yield decode_event(line)
            if seq >= upto:
                return
        raise StoreError(
            f"session {self.session} changed on the server at seq {seq + 1} since it was read; "
            "open it again (see `sessiontui verify`)"
        )

    def _is_line_read(self, seq: int, line: bytes, *, whole: bool) -> bool:
        """Whether ``line`` is the one read at ``seq``: its checksum is the one kept of it
        (``whole``: computed afresh; else as the line claims it)."""
        at = (seq - self._base - 1) * _SUM_BYTES
        if at < 0 or at + _SUM_BYTES > len(self._sums):
            return False
        try:
            if whole:
                line_sum = check_line(line)
            elif line.endswith(b'"}\n'):
                line_sum = line[CLAIMED_SUM].decode("ascii")
            else:
                return False
            return bytes.fromhex(line_sum) == self._sums[at : at + _SUM_BYTES]
        except (LineError, ValueError):
            return False

    def _cache_lines(self, after: int, upto: int) -> Iterator[tuple[int, bytes]]:
        """The cached lines of ``seq`` after ``after`` up to ``upto``, as the cache holds
        them (unchecked; it may hold fewer, or none)."""
        # Tried whatever this store knows of it: every line is checked by the caller.
        if after >= upto or not pgcache.enabled() or self._cache_off:
            return
        try:
            handle = open_regular(pgcache.cache_path(self.session))
        except OSError:
            return
        with handle:
            if handle.readline(MAX_LINE_BYTES + 2).rstrip(b"\n") != self._header_line.rstrip(b"\n"):
                return
            seq = 0
            for line in handle:
                seq += 1
                if seq <= after:
                    continue
                if seq > upto or not line.endswith(b"\n"):
                    return
                yield seq, line

    def _server_lines(self, after: int, upto: int) -> Iterator[tuple[int, bytes]]:
        """The server's lines of ``seq`` after ``after`` up to ``upto``, a block at a time
        (unchecked).

        Raises:
            StoreError: the server cannot be reached.
        """
        while after < upto:
            try:
                rows = self._conn.execute(
                    sql.SQL(
                        "SELECT seq, {} FROM sessiontui.events WHERE session = %s AND seq > %s "
                        "AND seq <= %s ORDER BY seq LIMIT %s"
                    ).format(_LINE),
                    (self.session, after, upto, _FETCH_ROWS),
                ).fetchall()
            except psycopg.Error as exc:
                raise StoreError(
                    f"PostgreSQL at {self.location.where}: {_first_line(exc)}"
                ) from None
            if not rows:
                return
            for seq, text in rows:
                yield int(seq), str(text).encode("utf-8")
            after = int(rows[-1][0])

    def catch_up(self) -> list[Event]:
        """Events others appended since the last read (reconnects once if the link dropped).

        Raises:
            StoreError: the server cannot be reached.
        """
        try:
            self._fetch_new(self._conn)
            return self._take_news()
        except psycopg.OperationalError:
            self._reconnect()
            try:
                self._fetch_new(self._conn)
                return self._take_news()
            except psycopg.Error as exc:
                raise StoreError(
                    f"PostgreSQL at {self.location.where}: {_first_line(exc)}"
                ) from None
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None

    def _take_news(self) -> list[Event]:
        news, self._news = self._news, []
        return news

    def has_id(self, event_id: str) -> bool:
        """Whether an event with this id was read or written: asked of the server (ids are
        unique per session, an index finds one), not kept here for every event.

        Raises:
            StoreError: the server cannot be reached, nor the session's lines read here.
        """
        try:
            return bool(self._saved_ids(self._conn, [event_id]))
        except psycopg.OperationalError:
            # Open from the cache, or the link dropped: the lines read say it.
            return any(event.id == event_id for event in self.read())
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None

    def _saved_ids(self, conn: psycopg.Connection[Any], ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that events this store has read or written carry (errors are the
        caller's)."""
        rows = conn.execute(
            "SELECT id FROM sessiontui.events WHERE session = %s AND id = ANY(%s) AND seq <= %s",
            (self.session, list(ids), self._chain.seq),
        ).fetchall()
        return {str(row[0]) for row in rows}

    def _reconnect(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self._conn.close()
        self._conn = connect(self.location)
        try:
            self._listen()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None

    def wait(self, timeout: float) -> bool:
        """Sleep until another writer may have appended, or ``timeout`` seconds pass.

        A ``True`` is only a hint: call ``catch_up`` (which reads from the last ``seq``) next.
        After a reconnect it is ``True`` too, since notifications may have been missed.
        """
        try:
            woken = False
            for notify in self._conn.notifies(timeout=timeout, stop_after=1):
                session, _, _version = notify.payload.partition(" ")
                if session == self.session:
                    woken = True
            return woken
        except psycopg.Error:
            try:
                self._reconnect()
            except StoreError:
                return False
            return True

    # -- writing -----------------------------------------------------------------------------

    def transact(self, decide: Decide, clock: Clock) -> list[Event]:
        """Lock the session row, read newer events, decide, append, commit: one transaction.

        Raises:
            ReadOnlyStore: the session cannot be written (the reason says why).
            SaveError: the write failed; nothing of it is in the session.
            StoreError: the server cannot be reached.
            Exception: whatever ``decide`` raises (a refused command); nothing is written.
        """
        if self._read_only_reason is not None:
            raise ReadOnlyStore(self._read_only_reason)
        if self._conn.closed:
            self._reconnect_for_write([])
        # What decide chose, so a failed write can hand the drafts back to the caller.
        kept: list[Draft] = []
        for attempt in range(2):
            try:
                return self._transact(decide, clock, kept)
            except psycopg.OperationalError as exc:
                saved = self._after_lost_link(exc, kept)
                if saved is not None:
                    return saved
                if attempt:
                    raise Unreachable(
                        f"lost the connection to PostgreSQL at {self.location.where} "
                        f"({_first_line(exc)}); nothing was recorded",
                        kept,
                    ) from None
                # Reconnected and nothing of it was saved (typically the first write after a
                # server restart, on a link that was already dead): the same command, again.
            except psycopg.Error as exc:
                raise SaveError(f"PostgreSQL refused the write: {_first_line(exc)}", kept) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _transact(self, decide: Decide, clock: Clock, kept: list[Draft]) -> list[Event]:
        conn = self._conn
        with conn.transaction():
            row = conn.execute(
                "SELECT version FROM sessiontui.sessions WHERE id = %s FOR UPDATE",
                (self.session,),
            ).fetchone()
            if row is None:
                raise StoreError(f"session {self.session} no longer exists")
            # Events committed by others before we got the lock are durable: keep them even if
            # this transaction is rolled back, so they are never handed to decide twice.
            self._fetch_new(conn)
            news = self._take_news()
            if self._read_only_reason is not None:
                raise ReadOnlyStore(self._read_only_reason)
            kept[:] = decide(news)
            saved = self._saved_ids(conn, [draft.id for draft in kept]) if kept else set()
            fresh = [draft for draft in kept if draft.id not in saved]
            if not fresh:
                return []
            events, lines = self._seal(fresh, clock)
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO sessiontui.events (session, seq, id, type, line) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (self.session, event.seq, event.id, event.type, line.decode("utf-8"))
                        for event, line in zip(events, lines, strict=True)
                    ],
                )
            last = events[-1].seq
            conn.execute(
                "UPDATE sessiontui.sessions SET version = %s WHERE id = %s", (last, self.session)
            )
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.session} {last}"))
        # Committed: only now do these count as read and saved.
        for line in lines:
            self._chain.check(line)
            self._sums += bytes.fromhex(self._chain.prev)
        self._note_losses(events)
        self._cache_news(lines)
        return events

    def _seal(self, drafts: Sequence[Draft], clock: Clock) -> tuple[list[Event], list[bytes]]:
        try:
            return seal_drafts(
                drafts, prev=self._chain.prev, seq=self._chain.seq, recorded=clock.now()
            )
        except LineError as exc:
            raise SaveError(str(exc), drafts) from None

    def _after_lost_link(self, exc: Exception, drafts: list[Draft]) -> list[Event] | None:
        """The link dropped mid-write: reconnect and find out whether the commit happened.

        Returns the saved events (after any others committed before them and not yet handed
        out), or None when none of it was saved (ids are unique).

        Raises:
            Unreachable: the server cannot be reached again: the outcome is not known.
        """
        self._reconnect_for_write(drafts, exc)
        try:
            saved = self._saved_ids(self._conn, [draft.id for draft in drafts]) if drafts else set()
        except psycopg.Error as again:
            raise Unreachable(
                f"lost the connection to PostgreSQL at {self.location.where} "
                f"({_first_line(again)}): NOT known to be saved",
                drafts,
            ) from None
        if drafts and saved >= {draft.id for draft in drafts}:
            # Saved. Others' events committed before it were fetched with it: hand them on
            # too, in order, so the caller's state misses nothing.
            return self._take_news()
        return None

    def _reconnect_for_write(self, drafts: list[Draft], cause: Exception | None = None) -> None:
        """Reconnect (a server restarting gets a moment) and read what was committed meanwhile.

        Raises:
            Unreachable: still no server after ``RECONNECT_WAIT`` seconds.
        """
        deadline = time.monotonic() + RECONNECT_WAIT
        while True:
            try:
                self._reconnect()
                self._fetch_new(self._conn)
                return
            except (StoreError, psycopg.Error) as exc:
                if time.monotonic() >= deadline:
                    why = _first_line(cause or exc)
                    outcome = "NOT known to be saved" if drafts else "NOT saved"
                    raise Unreachable(
                        f"cannot reach PostgreSQL at {self.location.where} ({why}): {outcome}",
                        drafts,
                    ) from None
                time.sleep(RECONNECT_STEP)

    def close(self) -> None:
        """Close the connection."""
        if not self._conn.closed:
            self._conn.close()

    # -- verification and copying ------------------------------------------------------------

    def records(self) -> tuple[bytes, list[bytes]]:
        """The sealed header line and every event line as stored (for ``copy``).

        Raises:
            StoreError: the server cannot be reached.
        """
        try:
            rows = self._conn.execute(
                sql.SQL("SELECT {} FROM sessiontui.events WHERE session = %s ORDER BY seq").format(
                    _LINE
                ),
                (self.session,),
            ).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {self.location.where}: {_first_line(exc)}") from None
        return self._header_line, [str(text).encode("utf-8") for (text,) in rows]

    def verify(self) -> tuple[int, list[Damage], int]:
        """Check every stored line afresh: ``(good events, damage, 0)`` (no torn tails here).

        The lines are fetched a block at a time (``_server_lines``): a long session is never
        in memory at once.

        Raises:
            StoreError: the server cannot be reached.
        """
        chain = _Chain(self._header_line, self._header_sum)
        damage: list[Damage] = []
        good = losses = 0
        # Every stored line, also those stored since this store read them.
        for _, line in self._server_lines(0, _MAX_SEQ):
            event, problem = chain.check(line)
            if problem is not None:
                damage.append(problem)
                # Keep reporting every bad line, but stop trusting the chain after the first.
                chain.prev = _sum_or_empty(line)
                chain.seq += 1
            elif not damage and event is not None:
                good = event.seq
                if isinstance(event, RollbackAccepted):
                    losses += 1
        self.repairs = losses
        return good, damage, 0


def _with_fragment(url: str, session: str) -> str:
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "session"]
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, session))


def _sum_or_empty(line: bytes) -> str:
    mark = line.rfind(b',"sum":"')
    return line[mark + 8 : mark + 40].decode("ascii", "replace") if mark >= 0 else ""
