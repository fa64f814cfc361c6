"""Anchors: a head of the log (how far it went, and the SHA-256 of everything up to there) kept
somewhere the log's editor cannot reach, so that a rewrite shows.

Checksums and the hash chain stop accidents, not someone who can write the file: they can
recompute both. What such a rewrite cannot keep is a head seen before it. Every export
carries one (the SHA-256 of the log up to its last event); ``verify --anchor`` says whether
the log still holds that exact prefix. Each account also keeps, privately and per session, the
last head its commands and tracker saw (``<data dir>/heads/``, 0600) and is warned loudly when
the log no longer extends it. ``repair`` records the head it moved from in the log itself.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import msgspec

from sessiontui.store.cachekey import data_dir
from sessiontui.store.durable import make_private_dir, place_file

_HEX64 = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_HEX32 = re.compile(r"[0-9a-f]{32}")
# "SHA-256 of the log up to that event: HEX" in any of the phrase files' words (a French colon
# has a space before it; Word's text has spaces where its markup was).
_LABELLED = re.compile(rb"SHA-256[^\n:]{0,80}:[^0-9a-f\n]{0,16}([0-9a-f]{64})(?![0-9a-f])")
_TAGS = re.compile(rb"(?:\s*<[^>]*>\s*)+")
# An export's provenance, "Session: ID", in the words of every shipped phrase file.
_SESSION_LABELLED = re.compile(rb"Session[^\n:]{0,20}:[ \t\xc2\xa0]{0,4}([A-Za-z0-9_.-]{1,200})")
_SESSION = re.compile(r"[^A-Za-z0-9_.-]")


class Head(msgspec.Struct, frozen=True, kw_only=True):
    """How far a log went when it was seen: its size and the SHA-256 of those bytes; for a
    PostgreSQL session the checksum of its last line instead (``sum``: each line's checksum
    covers the line before, so the server compares one row, not the session)."""

    bytes: int
    sha256: str = ""
    seq: int = 0
    sum: str = ""
    blocks: tuple[str, ...] = ()
    """For a log file, the SHA-256 of each block of those bytes (``store.file.block_digests``):
    compared block by block, so that the whole blocks a reader verified at open are not hashed
    again (heads remembered before had only ``sha256``, of the whole prefix)."""


@dataclass(frozen=True, slots=True)
class Found:
    """Where an anchor is in a log: the line its prefix ends with."""

    line: int
    offset: int


def find(data: bytes, anchor: str) -> Found | None:
    """Where the log ``data`` holds ``anchor``: a prefix with that SHA-256 (64 hex digits, what
    exports carry) ending at a line, or a line with that checksum (32 hex digits)."""
    anchor = anchor.strip().lower()
    digest = hashlib.sha256()
    offset = 0
    number = 0
    while offset < len(data):
        end = data.find(b"\n", offset)
        end = len(data) if end < 0 else end + 1
        line = data[offset:end]
        number += 1
        digest.update(line)
        if digest.hexdigest() == anchor:
            return Found(number, end)
        if len(anchor) == 32 and line.rstrip(b"\r\n").endswith(f'"sum":"{anchor}"}}'.encode()):
            return Found(number, end)
        offset = end
    return None


def is_head(text: str) -> bool:
    """Whether ``text`` has the shape of a head: a SHA-256 (64 hex digits) or a line's checksum
    (32)."""
    return bool(_HEX64.fullmatch(text.encode()) or _HEX32.fullmatch(text))


def sessions_named(path: Path) -> set[str]:
    """The sessions a file says it was made from: a JSON export's ``provenance.session`` or a
    ``report --json``'s ``session``, an export's "Session: ID" (Word too); empty when it names
    none (a journal, a hash saved on its own)."""
    data = _text_of(path)
    if data.lstrip().startswith(b"{"):
        try:
            document = msgspec.json.decode(data)
        except msgspec.DecodeError:
            document = None
        if isinstance(document, dict):
            provenance = document.get("provenance")
            named = provenance.get("session") if isinstance(provenance, dict) else None
            named = named if isinstance(named, str) else document.get("session")
            if isinstance(named, str) and named:
                return {named}
    # The provenance comes last: an agenda title with "Session:" in it comes before.
    labelled = _SESSION_LABELLED.findall(data)
    return {labelled[-1].decode()} if labelled else set()


def _text_of(path: Path) -> bytes:
    """A file's bytes as text to search: a Word document's text without its markup, an
    iCalendar file unfolded."""
    data = path.read_bytes()
    if data.startswith(b"PK"):
        # Imported only for a Word anchor: every command that opens a log imports this
        # module (the heads it remembers), and zipfile brings the compressors along.
        import zipfile

        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [name for name in archive.namelist() if name.endswith(".xml")]
                body = [name for name in names if name == "word/document.xml"] or names
                # The text without the markup: a label and its value may sit in separate runs.
                data = _TAGS.sub(b" ", b"".join(archive.read(name) for name in body))
    if data.startswith(b"BEGIN:VCALENDAR"):
        data = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")  # RFC 5545 unfolding
    return data


def anchors_in(path: Path) -> list[str]:
    """The head a file quotes as its own: an export's provenance, a journal's last line, a
    ``report --json``'s ``head`` (Word too); else every 64-hex-digit SHA-256 in it (a hash
    saved on its own).

    The text around a file's own head may quote other heads (a note naming an earlier draft's
    SHA-256): the own one is the last one labelled "SHA-256 ...:" (provenance and the journal's
    closing line come last), or a JSON document's own field, never any hash in the text.
    """
    data = _text_of(path)
    own = _own_json_head(data)
    if own is None:
        labelled = _LABELLED.findall(data)
        own = labelled[-1].decode() if labelled else None
    if own is not None:
        return [own]
    return list(dict.fromkeys(match.decode() for match in _HEX64.findall(data)))


def _own_json_head(data: bytes) -> str | None:
    """A JSON export's ``provenance.log_sha256`` or a ``report --json``'s ``head.sha256``."""
    if not data.lstrip().startswith(b"{"):
        return None
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return None
    if not isinstance(document, dict):
        return None
    for section, key in (("provenance", "log_sha256"), ("head", "sha256")):
        value = document.get(section)
        found = value.get(key) if isinstance(value, dict) else None
        if isinstance(found, str) and _HEX64.fullmatch(found.encode()):
            return found
    return None


def _head_path(session: str, log: Path | str) -> Path:
    # Per session and per file (or server URL, without password): copies of one session (same
    # id, other files or servers) go their own ways.
    name = os.fsencode(log.resolve()) if isinstance(log, Path) else log.encode("utf-8")
    where = hashlib.sha256(name).hexdigest()[:12]
    return data_dir() / "heads" / f"{_SESSION.sub('_', session)[:100]}-{where}.json"


def last_seen(session: str, log: Path | str) -> Head | None:
    """The head this account last saw of a session's log file or URL (None: never, or
    unreadable)."""
    try:
        return msgspec.json.decode(_head_path(session, log).read_bytes(), type=Head)
    except (OSError, msgspec.DecodeError):
        return None


def remember(session: str, log: Path | str, head: Head) -> None:
    """Keep ``head`` as the last seen of ``log`` (privately: 0600 in a 0700 folder)."""
    path = _head_path(session, log)
    try:
        make_private_dir(path.parent)
        place_file(path, msgspec.json.encode(head), replace=True)
    except OSError:
        pass  # a safeguard, not the record: the log works without it


def is_line_sum(text: str) -> bool:
    """Whether ``text`` looks like a line's checksum (32 hex digits)."""
    return _HEX32.fullmatch(text.strip().lower()) is not None


def held_in(data: bytes, seen: Head) -> bool:
    """Whether a log file's bytes ``data`` still start with the head ``seen`` (its blocks, or
    for a head remembered by an earlier version, the SHA-256 of the whole prefix)."""
    from sessiontui.store.file import BLOCK

    if len(data) < seen.bytes:
        return False
    if seen.blocks:
        starts = range(0, seen.bytes, BLOCK)
        return len(seen.blocks) == len(starts) and all(
            hashlib.sha256(data[start : min(seen.bytes, start + BLOCK)]).hexdigest() == digest
            for start, digest in zip(starts, seen.blocks, strict=True)
        )
    return hashlib.sha256(data[: seen.bytes]).hexdigest() == seen.sha256


def moved_by_repair(path: Path, seen: Head) -> bool:
    """Whether a ``log.repair`` record in the log file ``path`` says it moved the log on from
    the head ``seen`` (a repair, or a cut accepted with ``repair``): a recorded, deliberate
    move, not a rewrite behind everyone's back.

    Read only when the log no longer extends a remembered head, which is rare: the whole file
    is searched for those records then.
    """
    from sessiontui.core.events import LineError, LogRepaired, check_line, decode_event

    marker = b'"log.repair"'
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if marker not in line:
                    continue
                try:
                    check_line(line)
                    event = decode_event(line)
                except LineError:
                    continue
                moved = event.data.moved_from if isinstance(event, LogRepaired) else None
                if moved is None:
                    continue
                if (seen.sum and moved.sum == seen.sum) or (
                    seen.sha256 and moved.sha256 == seen.sha256
                ):
                    return True
    except OSError:
        return False
    return False
