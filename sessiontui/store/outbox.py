"""The outbox: what was recorded for a PostgreSQL session while its server could not be reached.

A local JSON Lines file per session (``<data dir>/outbox/<session>.jsonl``, 0600 in a 0700
folder), written with the log's own recipe: ``O_APPEND``, ``flock``, one ``os.write`` per line,
``fdatasync`` before anything counts as kept. Nothing in it is ever rewritten: an entry is a line
with the command, the key its event ids come from and the time it happened; sending it appends
a ``sent`` line, a refusal a ``refused`` line with the reason. The entries waiting are those with
neither, sent in the order they were kept. Their keys make sending twice harmless: the server
recognises ids it already holds.

Only notes, decisions, action points and the list of speakers wait here; status changes of an
item or the sitting depend on the moment and are refused while the server is out of reach.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from sessiontui.core.commands import Command, describe_command
from sessiontui.core.text import clean_text
from sessiontui.store.cachekey import data_dir
from sessiontui.store.durable import make_private_dir, sync_data, write_all

OFFLINE_KINDS = ("note.", "speaker.")
"""The commands that may wait in the outbox (by the event types they record)."""
MAX_LINE = 1 << 20


class OutboxError(Exception):
    """The outbox cannot be read or written; the message is one line for a person."""


def may_wait(command: Command) -> bool:
    """Whether a command may wait in the outbox (notes and the list of speakers)."""
    return command.records in OFFLINE_KINDS


def _commands() -> dict[str, type[Command]]:
    found: dict[str, type[Command]] = {}
    pending = list(Command.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.records in OFFLINE_KINDS:
            found[cls.__name__] = cls
    return found


@dataclass(slots=True)
class Entry:
    """One command kept while the server could not be reached."""

    key: str
    at: dt.datetime
    actor: str
    role: str | None
    command: Command
    status: str = "waiting"
    """``waiting``, ``sent`` or ``refused``."""
    reason: str = ""
    seq: int | None = None
    corrected: bool = False
    """``at`` is a time set for it (``--at``, ``@`` in the tracker), not when it was typed: it is
    recorded as a correction, validated against the session as it stood then."""

    def describe(self) -> str:
        """One line: when, who, what, in words as the record says them (for ``sessiontui
        outbox`` and the tracker): "2026-12-06 05:14:28Z Amina: write a note on 1: text"."""
        text = _fields(self.command).get("text") or ""
        said = f": {clean_text(text, multiline=False)}" if text else ""
        what = describe_command(None, self.command)
        return f"{self.at:%Y-%m-%d %H:%M:%S}Z {self.actor}: {what}{said}"


def _fields(command: Command) -> dict[str, Any]:
    """A command's fields as JSON-able data (a dataclass or a msgspec struct alike)."""
    fields = msgspec.to_builtins(command)
    if not isinstance(fields, dict):
        raise OutboxError(f"cannot keep a {type(command).__name__} in the outbox")
    return fields


def outbox_path(session: str) -> Path:
    """Where the outbox of a session lives."""
    return data_dir() / "outbox" / f"{session}.jsonl"


class Outbox:
    """A session's outbox (see the module docstring)."""

    def __init__(self, session: str, path: Path | None = None) -> None:
        self.session = session
        self.path = path or outbox_path(session)

    def _open(self) -> int:
        try:
            make_private_dir(self.path.parent)
            return os.open(
                self.path,
                os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                0o600,
            )
        except OSError as exc:
            raise OutboxError(
                f"cannot open the outbox {self.path}: {exc.strerror or exc}"
            ) from None

    def _append(self, record: dict[str, Any]) -> None:
        line = msgspec.json.encode(record) + b"\n"
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            try:
                write_all(fd, line)
                sync_data(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise OutboxError(
                    f"cannot write the outbox {self.path}: {exc.strerror or exc}"
                ) from None
        finally:
            os.close(fd)

    def put(
        self,
        key: str,
        at: dt.datetime,
        actor: str,
        role: str | None,
        command: Command,
        *,
        corrected: bool = False,
    ) -> Entry:
        """Keep a command (durably, before this returns); ``corrected``: see ``Entry``.

        Raises:
            OutboxError: it cannot be written (the command is NOT kept).
        """
        if not may_wait(command):
            raise OutboxError("only notes and the list of speakers can wait in the outbox")
        fields = _fields(command)
        record: dict[str, Any] = {
            "key": key,
            "at": at.astimezone(dt.UTC).isoformat(),
            "actor": actor,
            "role": role,
            "command": type(command).__name__,
            "fields": fields,
        }
        if corrected:
            record["corrected"] = True  # absent otherwise: entries kept before read the same
        self._append(record)
        return Entry(key, at, actor, role, command, corrected=corrected)

    def mark_sent(self, entry: Entry, seq: int | None) -> None:
        """Record that an entry reached the server (as event ``seq``)."""
        self._append({"key": entry.key, "sent": seq})
        entry.status, entry.seq = "sent", seq

    def mark_refused(self, entry: Entry, reason: str) -> None:
        """Record that the server refused an entry; it stays listed with the reason."""
        self._append({"key": entry.key, "refused": reason})
        entry.status, entry.reason = "refused", reason

    def entries(self) -> list[Entry]:
        """Every entry with its status, in the order kept (empty when there is no outbox).

        Raises:
            OutboxError: it cannot be read.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise OutboxError(
                f"cannot read the outbox {self.path}: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read()
        finally:
            os.close(fd)
        return list(self._parse(data))

    def waiting(self) -> list[Entry]:
        """The entries still to send, in order."""
        return [entry for entry in self.entries() if entry.status == "waiting"]

    def _parse(self, data: bytes) -> Iterator[Entry]:
        known = _commands()
        by_key: dict[str, Entry] = {}
        order: list[Entry] = []
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = msgspec.json.decode(line[:MAX_LINE])
                if "command" in record:
                    cls = known[record["command"]]
                    entry = Entry(
                        key=str(record["key"]),
                        at=dt.datetime.fromisoformat(record["at"]),
                        actor=str(record["actor"]),
                        role=record.get("role"),
                        command=msgspec.convert(record["fields"], cls),
                        corrected=record.get("corrected") is True,
                    )
                    if entry.key not in by_key:
                        by_key[entry.key] = entry
                        order.append(entry)
                elif "sent" in record and record["key"] in by_key:
                    by_key[record["key"]].status = "sent"
                    by_key[record["key"]].seq = record["sent"]
                elif "refused" in record and record["key"] in by_key:
                    by_key[record["key"]].status = "refused"
                    by_key[record["key"]].reason = str(record["refused"])
            except (msgspec.DecodeError, msgspec.ValidationError, KeyError, TypeError, ValueError):
                raise OutboxError(f"{self.path}:{number}: not an outbox entry") from None
        yield from order


def outbox_for(store: object) -> Outbox | None:
    """The outbox of a PostgreSQL session's store (None for a log file: it has no server)."""
    from sessiontui.store.file import FileStore

    if isinstance(store, FileStore):
        # Asked at every tracker start: a log file's must not load the PostgreSQL driver (for
        # the check below), a large part of the start's imports.
        return None
    from sessiontui.store.postgres import PostgresStore

    return Outbox(store.session) if isinstance(store, PostgresStore) else None
