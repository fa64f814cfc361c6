"""What a header (line 1) too damaged to read still says: the records' way back in.

Each record after the header carries its own checksum and the checksum of the line before
it, so a header that no longer reads (a changed byte in the agenda's snapshot, a cut, a line
that is not JSON at all) must not make them unreadable. The header is taken back, in the
order of the evidence:

- restored byte for byte: one changed byte near where the line stops reading as JSON makes
  its own checksum (or the one the first record followed) hold again;
- rebuilt from an agenda file: the one given by hand (``repair --agenda``), or the one the
  damaged line still names whose SHA-256 it still holds; with what else the line still says
  (session, creation time, zone);
- stood in for, for reading only: what the line still says, and an agenda of the items the
  records name (their titles are lost with the header) -- so ``report``, ``journal``,
  ``export`` and the tracker carry on with the records as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from sessiontui.core.agenda import Agenda, AgendaFile
from sessiontui.core.agenda_toml import AgendaError, load_agenda_file
from sessiontui.core.events import (
    FORMAT,
    FORMAT_VERSION,
    READABLE_VERSIONS,
    AgendaAmended,
    Header,
    LineError,
    decode_event,
    decode_header,
    line_sum,
    seal,
    split_sum,
)

STAND_IN_TITLE = "(title lost with the damaged header)"
"""The title of each item of an agenda stood in for a header that does not read."""

_BEFORE = 80
_AFTER = 16
"""Bytes searched before and after where a line stops reading as JSON for one changed byte:
the parser stops at the changed byte or a little after it (a changed quote ends a string
later)."""

_DECODE_AT = re.compile(r"\(byte (\d+)\)")
_TEXT = rb'"((?:[^"\\\n]|\\.){0,1000})"'
_FIELDS = {
    name: re.compile(rb'"' + name.encode() + rb'":' + _TEXT)
    for name in ("session", "created", "agenda_path", "agenda_sha256", "timezone")
}
_VERSION = re.compile(rb'"version":(\d{1,4})[,}]')
_SUM = re.compile(rb'"sum":"([0-9a-f]{32})"\}\s*$')


@dataclass(frozen=True, slots=True)
class Salvaged:
    """A header taken back from a damaged line 1 (see the module docstring)."""

    header: Header
    sum: str
    """The checksum the first record follows (the chain goes on from it)."""
    how: str
    """``restored`` (byte for byte), ``rebuilt`` (from an agenda file), ``stand-in``."""
    said: str
    """What was done, in words, for the damage's message."""
    line: bytes
    """The header line as ``repair`` writes it (a restored line is the original)."""


def where_damaged(line: bytes) -> int:
    """The byte of line 1 where it stops reading as a header (its length if nowhere)."""
    try:
        msgspec.json.decode(line)
    except msgspec.DecodeError as exc:
        found = _DECODE_AT.search(str(exc))
        return int(found.group(1)) if found is not None else 0
    except UnicodeDecodeError as exc:
        return exc.start
    except (ValueError, RecursionError):
        return 0
    return len(line.rstrip(b"\n"))


def read_header(line: bytes) -> Header | None:
    """The header ``line`` reads as, whatever its checksum says (None: it does not)."""
    try:
        return decode_header(line)
    except (LineError, ValueError, RecursionError):
        # ValueError: invalid UTF-8 is raised as UnicodeDecodeError, not as LineError.
        return None


def usable(header: Header) -> bool:
    """Whether the header's agenda builds: a reader can fold the records on it."""
    try:
        Agenda(msgspec.convert(header.agenda, AgendaFile))
    except Exception:  # damaged data: any failure means "not usable", never a crash
        return False
    return True


def restore_one_byte(line: bytes, wanted: str | None) -> tuple[bytes, int] | None:
    """The line with one byte changed back, and where, if that makes its checksum (or
    ``wanted``, the one the first record followed) hold and the line read as a header."""
    try:
        body, claimed = split_sum(line)
    except LineError:
        return None
    targets = {target for target in (claimed, wanted) if target}
    at = where_damaged(line)
    end = len(body) - 1  # the closing brace is the checksum's, not the damage's
    for position in range(max(0, at - _BEFORE), min(end, at + _AFTER)):
        prefix = hashlib.sha256(body[:position])
        rest = body[position + 1 :]
        for value in range(256):
            if value in (body[position], 0x0A):
                continue
            digest = prefix.copy()
            digest.update(bytes((value,)))
            digest.update(rest)
            found = digest.hexdigest()[: len(claimed)]
            if found not in targets:
                continue
            candidate = body[:position] + bytes((value,)) + rest
            restored = candidate[:-1] + b',"sum":"' + found.encode() + b'"}\n'
            header = read_header(restored)
            if header is not None and usable(header):
                return restored, position
    return None


def said(line: bytes) -> dict[str, Any]:
    """The header's fields other than the agenda that the damaged line still says."""
    fields: dict[str, Any] = {}
    for name, pattern in _FIELDS.items():
        found = pattern.search(line)
        if found is not None:
            try:
                fields[name] = msgspec.json.decode(b'"' + found.group(1) + b'"', type=str)
            except ValueError:
                continue
    version = _VERSION.search(line)
    if version is not None and int(version.group(1)) in READABLE_VERSIONS:
        fields["version"] = int(version.group(1))
    return fields


def claimed_sum(line: bytes) -> str | None:
    """The checksum the damaged line still claims, if its end is whole."""
    found = _SUM.search(line)
    return found.group(1).decode() if found is not None else None


def items_named(records: Iterable[bytes]) -> list[str]:
    """The agenda items the records name, in the order they first do, but for the ones an
    amendment added (the amendment adds them again)."""
    named: dict[str, None] = {}
    added: set[str] = set()
    for record in records:
        try:
            event = decode_event(record)
        except LineError:
            continue
        if isinstance(event, AgendaAmended) and event.data.op == "add":
            if event.item is not None and event.item not in named:
                added.add(event.item)
            parent = event.data.parent
            if isinstance(parent, str) and parent not in added:
                named.setdefault(parent, None)
            continue
        if event.item is not None and event.item not in added:
            named.setdefault(event.item, None)
    return list(named)


def misfits(agenda: AgendaFile, items: Iterable[str]) -> list[str]:
    """The items the records name that ``agenda`` does not have (it is another agenda)."""
    try:
        built = Agenda(agenda)
    except Exception:  # an agenda that does not build fits nothing
        return list(items)
    return [item for item in items if item not in built.nodes]


_TITLE = re.compile(rb'"title":' + _TEXT)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffd]")


def _titles(data: bytes) -> list[str]:
    """The titles (meeting, items, sittings) a header's bytes still read whole and clean."""
    titles: list[str] = []
    for found in _TITLE.finditer(data):
        try:
            title = msgspec.json.decode(b'"' + found.group(1) + b'"', type=str)
        except ValueError:
            continue  # invalid UTF-8 or a broken escape: damaged
        if not _CONTROL.search(title):  # a stretch of zeros or noise inside it: damaged
            titles.append(title)
    return titles


def title_misfit(agenda: AgendaFile, line: bytes) -> str | None:
    """A title the damaged header ``line`` still reads that ``agenda`` does not have, when that
    shows it is another agenda (None: it fits, or the line reads too little to tell).

    The items the records name are only ids: agendas numbered alike (1, 2, 3 ...) share them,
    so the titles still legible in the line are the evidence. A damaged stretch can splice
    one title into another that still reads clean: one such title is borne, when the line
    reads others the agenda has.
    """
    own = set(_titles(msgspec.json.encode(msgspec.to_builtins(agenda, builtin_types=(dt.date,)))))
    read = list(dict.fromkeys(_titles(line)))
    lacking = [title for title in read if title not in own]
    if len(lacking) > 1 or (lacking and len(read) == 1):
        return lacking[0]
    return None


def _other_titles(spec: AgendaFile, fields: dict[str, Any], line: bytes, name: str) -> str | None:
    """Why the agenda file given by hand is not the one the damaged header held, judged by the
    titles the line still reads; None when it is (or the line still names its SHA-256)."""
    digest = fields.get("agenda_sha256")
    if digest:
        try:
            if hashlib.sha256(Path(name).read_bytes()).hexdigest() == digest:
                return None  # the very file the session was made from
        except OSError:
            pass
    title = title_misfit(spec, line)
    if title is None:
        return None
    return (
        f"{name} is not this session's agenda: the damaged header still reads the title "
        f"{title!r}, which it does not have"
    )


def _header(fields: dict[str, Any], agenda: dict[str, Any], line: bytes, first: Any) -> Header:
    created: dt.datetime | None = None
    if "created" in fields:
        try:
            created = msgspec.convert(fields["created"], dt.datetime, strict=False)
        except msgspec.ValidationError:
            created = None
    if created is None or created.tzinfo is None:
        created = (
            first if isinstance(first, dt.datetime) else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        )
    zone = fields.get("timezone")
    return Header(
        format=FORMAT,
        version=fields.get("version", FORMAT_VERSION),
        # A session id lost with the header: one of its own, the same for the same bytes.
        session=fields.get("session") or line_sum(line),
        created=created,
        agenda=agenda,
        agenda_path=fields.get("agenda_path"),
        agenda_sha256=fields.get("agenda_sha256"),
        timezone=zone if isinstance(zone, str) and zone else None,
    )


def _named_agenda(fields: dict[str, Any]) -> tuple[AgendaFile, str] | None:
    """The agenda file the damaged line names, if it still holds the SHA-256 the line says."""
    path, digest = fields.get("agenda_path"), fields.get("agenda_sha256")
    if not path or not digest:
        return None
    try:
        if hashlib.sha256(Path(path).read_bytes()).hexdigest() != digest:
            return None
        return load_agenda_file(path), path
    except (OSError, ValueError, AgendaError):
        return None


def _records_first(records: Iterable[bytes]) -> tuple[str | None, Any, Iterator[bytes]]:
    """The ``prev`` and ``at`` of the first record that reads, and every record, again."""
    kept: list[bytes] = []
    iterator = iter(records)
    for record in iterator:
        kept.append(record)
        try:
            event = decode_event(record)
        except LineError:
            continue
        return event.prev, event.at, _chain(kept, iterator)
    return None, None, iter(kept)


def first_prev(records: Iterable[bytes]) -> str | None:
    """The checksum the first record that reads followed (the header's, as it was)."""
    return _records_first(records)[0]


def _chain(kept: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from kept
    yield from rest


def salvage(
    line: bytes, records: Iterable[bytes], agenda: tuple[AgendaFile, str] | None = None
) -> Salvaged:
    """Take back the header of a log whose line 1 (``line``) does not read (see the module
    docstring); ``records``: the lines after it; ``agenda``: an agenda file given by hand,
    with its name.

    Raises:
        LineError: the agenda given is not this session's (items the records name are not
            in it).
    """
    wanted, first_at, records = _records_first(records)
    at = where_damaged(line)
    found = restore_one_byte(line, wanted)
    if found is not None:
        restored, position = found
        header = decode_header(restored)  # it read as one in ``restore_one_byte``
        return Salvaged(
            header,
            wanted or split_sum(restored)[1],
            "restored",
            f"it does not read as JSON: one byte changed at byte {position}, read as it was "
            "(`sessiontui repair` restores it)",
            restored,
        )
    fields = said(line)
    chain_sum = wanted or claimed_sum(line) or ""
    named = agenda or _named_agenda(fields)
    if named is not None:
        spec, name = named
        missing = misfits(spec, items_named(records))
        if missing:
            if agenda is not None:
                raise LineError(
                    f"{name} is not this session's agenda: the records name item(s) it does "
                    f"not have ({', '.join(missing[:5])})"
                )
        elif agenda is not None and (other := _other_titles(spec, fields, line, name)):
            raise LineError(other)
        else:
            built = msgspec.to_builtins(spec, builtin_types=(dt.date,))
            header = _header(fields, built, line, first_at)
            whence = "given" if agenda is not None else "named in it, with the same SHA-256"
            return Salvaged(
                header,
                chain_sum,
                "rebuilt",
                f"it does not read from byte {at}; its agenda is read from {name} ({whence}; "
                "`sessiontui repair` rebuilds the header from it)",
                seal(header),
            )
    items = [{"id": item, "number": item, "title": STAND_IN_TITLE} for item in items_named(records)]
    stand_in = {"meeting": {"title": STAND_IN_TITLE}, "items": items}
    header = _header(fields, stand_in, line, first_at)
    if not usable(header):
        header.agenda = {"meeting": {"title": STAND_IN_TITLE}}
    return Salvaged(
        header,
        chain_sum,
        "stand-in",
        f"it does not read from byte {at}; the agenda's titles are lost with it, the records "
        "are read as they are (`sessiontui repair LOG --agenda AGENDA.toml` rebuilds it)",
        seal(header),
    )
