"""Load an agenda TOML file into an ``Agenda`` with file:line:col errors; dump one back with tomli-w."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import difflib
import itertools
import math
import os
import re
import stat
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import tomli_w

from sessiontui.core.agenda import (
    HHMM_PATTERN,
    Agenda,
    AgendaFile,
    ItemSpec,
    MeetingSpec,
    SittingSpec,
    full_label,
    normalize_reference,
    numbering_has_counter,
    numbering_pattern,
    own_numbers,
    parse_duration,
)
from sessiontui.core.bounds import MAX_ITEM_MINUTES, MAX_SPEAKING_LIMIT_SECONDS, control_character

MAX_AGENDA_BYTES = 1024 * 1024
"""Real agendas are a few kilobytes; the cap keeps parsing well under a second."""
MAX_KEY_PARTS = 64
"""Python 3.11's tomllib needs memory quadratic in the parts of one dotted key (gigabytes for
tens of thousands), so longer keys are refused before parsing."""
MAX_DOTS = 20_000
"""tomllib spends microseconds per part of every dotted key: a megabyte of 63-part keys took
seconds. A real agenda's ``[[items.items]]`` headers use a few hundred."""
MAX_NESTING = 32
"""Arrays and inline tables nested deeper than this would exhaust tomllib's recursion."""
MAX_NUMBER_DIGITS = 100
"""tomllib raises ValueError on integers over 4300 digits; no agenda needs more than a few."""
MAX_VALUES = 50_000
"""tomllib spends microseconds per value: a megabyte of ``1,1,1,...`` would take seconds."""
MAX_MARKS = 200_000
"""Quotes, brackets and separators the pre-scan looks at before refusing the file."""
MAX_ITEMS = 10_000
MAX_PROBLEMS = 200
"""A hostile file can have a problem on every line; past this many the rest are counted."""
MAX_PROBLEMS_CHECKED = 1000
"""Checking stops here: counting tens of thousands of problems would take seconds."""

SCHEMA_DIRECTIVE = "#:schema ../sessiontui/schema/agenda.schema.json"
"""First line of the shipped agendas: taplo / "Even Better TOML" validate against the schema."""

Key = str | int
KeyPath = tuple[Key, ...]

_ROOT_KEYS = AgendaFile.__struct_fields__
_MEETING_KEYS = MeetingSpec.__struct_fields__
_ITEM_KEYS = ItemSpec.__struct_fields__
_SITTING_KEYS = SittingSpec.__struct_fields__
_ITEM_KINDS = ("item", "break")
_HHMM = re.compile(HHMM_PATTERN)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an agenda file, located as precisely as the parser allows.

    ``line`` and ``column`` are 1-based; a problem with the file as a whole (missing, a
    directory, too large, empty) has line 0 and prints without a position.
    """

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class AgendaError(Exception):
    """The agenda file cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_agenda(path: str | Path) -> Agenda:
    """Read, validate and build an agenda file.

    Raises:
        AgendaError: with every problem found, each located by file, line and column.
    """
    return Agenda(load_agenda_file(path))


def load_agenda_file(path: str | Path) -> AgendaFile:
    """Read and validate an agenda file into its typed form (see ``load_agenda``).

    Raises:
        AgendaError: the file cannot be read, or is not a valid agenda.
    """
    name = str(path)

    def refuse(message: str) -> AgendaError:
        return AgendaError([Problem(name, 0, 0, message)])

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL in the name
        raise refuse("not a usable file name") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse("is a folder, not an agenda file")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device could block or never end; agendas are ordinary files.
        raise refuse("is not a regular file")
    if info.st_size > MAX_AGENDA_BYTES:
        raise refuse(_too_large(info.st_size))
    try:
        with open(path, "rb") as handle:
            # Read one byte past the cap: the file may have grown since stat.
            data = handle.read(MAX_AGENDA_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    return parse_agenda(data, name)


def parse_agenda(data: bytes, name: str = "<agenda>") -> AgendaFile:
    """Validate agenda TOML bytes (see ``load_agenda``).

    Raises:
        AgendaError: with every problem found.
    """
    if len(data) > MAX_AGENDA_BYTES:
        raise AgendaError([Problem(name, 0, 0, _too_large(len(data)))])
    if not data.strip():
        raise AgendaError(
            [Problem(name, 0, 0, "file is empty; an agenda needs a [meeting] table with a title")]
        )
    text = _decode(data, name)
    lines = _Lines(text)
    refused = _prescan(text)
    if refused is not None:
        offset, message = refused
        raise AgendaError([Problem(name, *lines.position(offset), message)])
    raw = _parse_toml(text, name, lines)
    locator = _Locator(text, lines)
    checker = _Checker(name, locator)
    checker.check(raw)
    if checker.problems:
        raise AgendaError(checker.report())
    try:
        return msgspec.convert(raw, AgendaFile)
    except msgspec.ValidationError as exc:
        # The checker should have caught it; msgspec names the path, so locate it anyway.
        raise AgendaError([_from_validation_error(name, locator, exc)]) from None


def dump_agenda(spec: AgendaFile, *, schema: str | None = None) -> str:
    """The agenda as TOML text (load -> dump -> load gives the same agenda).

    Args:
        spec: the agenda to write.
        schema: a JSON Schema path or URL to name in a first-line ``#:schema`` directive.
    """
    data = msgspec.to_builtins(spec, builtin_types=(dt.date,))
    _whole_minutes(data.get("items", []))
    # Multi-line annotations stay readable; valid agenda text has no CR, so this round-trips.
    text = tomli_w.dumps(data, multiline_strings=True)
    return f"#:schema {schema}\n{text}" if schema else text


def _whole_minutes(items: list[dict[str, Any]]) -> None:
    """Write ``minutes = 10``, not ``10.0``: the model holds floats, people write integers."""
    for item in items:
        minutes = item.get("minutes")
        if isinstance(minutes, float) and minutes.is_integer():
            item["minutes"] = int(minutes)
        _whole_minutes(item.get("items", []))


# -- reading the bytes ------------------------------------------------------------------------


def _too_large(size: int) -> str:
    return (
        f"file is {size} bytes; an agenda file may be at most {MAX_AGENDA_BYTES} bytes "
        f"({MAX_AGENDA_BYTES // (1024 * 1024)} MiB)"
    )


class _Lines:
    """Maps character offsets in the text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, like every other position) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", "replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "the file is UTF-16; save it as UTF-8"
        raise AgendaError([Problem(name, 1, 1, message)])
    nul = data.find(b"\0")
    if nul >= 0:
        position = _byte_position(data, nul)
        raise AgendaError([Problem(name, *position, "NUL byte: this is not a text file")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = _byte_position(data, exc.start)
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        raise AgendaError([Problem(name, *position, message)]) from None
    # Editors on Windows may add a byte-order mark; it is not part of the TOML.
    return text.removeprefix("\ufeff")


# Strings as TOML writes them, as "unrolled" patterns (a character-class run between escapes)
# so a megabyte-long string costs no backtracking stack. An unterminated string runs to the end of
# its line; tomllib then reports it properly.
_BASIC_ML = r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"{3,5}'
_LITERAL_ML = r"'''[^']*(?:'(?!'')[^']*)*'{3,5}"
_BASIC = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_LITERAL = r"'[^'\n]*'"
_STRING = re.compile(f"{_BASIC_ML}|{_LITERAL_ML}|{_BASIC}|{_LITERAL}|[\"'][^\\n]*")

# What the pre-scan looks at: whole strings and comments (skipped), brackets, "=" and ",", and
# over-long digit runs. Whatever lies between two of these is plain key or value text.
_MARK = re.compile(
    f"{_BASIC_ML}|{_LITERAL_ML}|{_BASIC}|{_LITERAL}|[\"'#][^\\n]*|[\\[\\]{{}}=,]"
    f"|(?<![0-9_])[0-9_]{{{MAX_NUMBER_DIGITS + 1},}}"
)


def _end(pattern: re.Pattern[str], text: str, start: int) -> int:
    """Where ``pattern`` (one that may match nothing) stops matching from ``start``."""
    match = pattern.match(text, start)
    return match.end() if match else start


def _string_end(text: str, start: int) -> int:
    return _end(_STRING, text, start)


def _prescan(text: str) -> tuple[int, str] | None:
    """Find what would make tomllib hang, eat memory or overflow the stack, before it runs.

    One regex pass over the marks that matter; the plain text between two marks is only
    looked at (with ``str`` methods) when it holds a dot, so ordinary text costs next to nothing.

    Returns:
        The offset and message of the first such construct, or None.
    """
    depth = marks = values = 0
    dots = 0  # dots of the key being read: since the last newline, bracket, "=" or ","
    all_dots = 0
    key_start = previous = 0
    for match in itertools.chain(_MARK.finditer(text), (None,)):
        start = match.start() if match else len(text)
        if dots or text.find(".", previous, start) >= 0:
            newline = text.rfind("\n", previous, start)
            if newline >= 0:
                dots, key_start = 0, newline + 1
            found = text.count(".", max(previous, key_start), start)
            dots += found
            all_dots += found
            if dots >= MAX_KEY_PARTS:
                blank = len(text[key_start:start]) - len(text[key_start:start].lstrip())
                return key_start + blank, f"dotted key with more than {MAX_KEY_PARTS} parts"
            if all_dots > MAX_DOTS:
                return start, f"more than {MAX_DOTS} dotted-key parts: not an agenda"
        if match is None:
            break  # the end of the text, checked like the gap before a mark
        previous = match.end()
        marks += 1
        if marks > MAX_MARKS:
            return start, f"more than {MAX_MARKS} strings, brackets and values: not an agenda"
        mark = text[start]
        if mark in "\"'#":
            continue  # a string (a quoted key part keeps the key going) or a comment
        if mark in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return start, f"nested more than {MAX_NESTING} levels deep"
        elif mark in "]}":
            depth = max(0, depth - 1)
        elif mark in "=,":
            values += 1
            if values > MAX_VALUES:
                return start, f"more than {MAX_VALUES} keys and values: not an agenda"
        else:
            return start, f"number with more than {MAX_NUMBER_DIGITS} digits"
        dots, key_start = 0, previous
    return None


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


_DATE_LIKE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _impossible_moment(line: str) -> tuple[str, str] | None:
    """A date (or date and time) on ``line`` that has the shape of one but cannot be, and why
    ("month must be in 1..12")."""
    for match in _DATE_LIKE.finditer(line):
        year, month, day, hour, minute, second = (
            int(part) if part is not None else 0 for part in match.groups()
        )
        try:
            dt.datetime(year, month, day, hour, minute, second)
        except ValueError as exc:
            return match.group(0), str(exc)
    return None


CHECKED_ONCE_READ = "the rest of the file is checked once this is fixed"
"""Said of a file TOML cannot read: nothing else in it can be checked, so the one problem said
is not the only one there may be (``check`` otherwise says every problem)."""


def _parse_toml(text: str, name: str, lines: _Lines) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match is None:
            line, column = 1, 1
        elif match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line, column = lines.position(len(text))
        detail = message[: match.start()] if match else message
        # TOML reads a date whose month or day cannot be as no value at all ("Unclosed
        # array"): name the date, which is what a person has to fix.
        source = text.splitlines()
        where = source[line - 1] if 0 < line <= len(source) else ""
        wrong = _impossible_moment(where)
        if wrong is not None:
            found, why = wrong
            message = f"{found} is not a date: {why}; {CHECKED_ONCE_READ}"
            raise AgendaError([Problem(name, line, where.index(found) + 1, message)]) from None
        message = f"invalid TOML: {detail}; {CHECKED_ONCE_READ}"
        raise AgendaError([Problem(name, line, column, message)]) from None
    except RecursionError:
        raise AgendaError([Problem(name, 1, 1, "nested too deeply")]) from None
    except ValueError as exc:
        raise AgendaError([Problem(name, 1, 1, f"value out of range: {exc}")]) from None
    except MemoryError:
        raise AgendaError([Problem(name, 0, 0, "too complex to read")]) from None


# -- where things are in the source -----------------------------------------------------------

_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_TO_EOL = re.compile(r"[^\n]*")
_BLANK = re.compile(r"[ \t]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")


class _Locator:
    """Where each key and value of a (syntactically valid) TOML text starts.

    tomllib gives no positions, so this walks the text once more, following tables, arrays of
    tables, dotted keys, arrays and inline tables, and records the offset of every key and
    value by its path, e.g. ``("items", 1, "items", 0, "minutes")``.
    """

    def __init__(self, text: str, lines: _Lines) -> None:
        self.text = text
        self.lines = lines
        self.keys: dict[KeyPath, int] = {}
        self.values: dict[KeyPath, int] = {}
        self._scanned = False  # a valid file never needs positions: scan on the first question

    def key(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the key at ``path`` (or of the nearest enclosing one)."""
        return self._find(path, self.keys)

    def value(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the value at ``path``; a table's is its header."""
        return self._find(path, self.values)

    def _find(self, path: KeyPath, where: dict[KeyPath, int]) -> tuple[int, int]:
        if not self._scanned:
            self._scanned = True
            # Positions are a courtesy: whatever was found is kept, the rest falls back.
            with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
                self._scan()
        for cut in range(len(path), 0, -1):
            offset = where.get(path[:cut], self.values.get(path[:cut]))
            if offset is not None:
                return self.lines.position(offset)
        return 1, 1

    def _scan(self) -> None:
        text = self.text
        table: KeyPath = ()
        arrays: dict[KeyPath, int] = {}  # array-of-tables path -> index of its last element
        i = 0
        while True:
            i = _end(_SKIP, text, i)
            if i >= len(text):
                return
            start = i
            if text.startswith("[[", i):
                parts, i = self._key(i + 2)
                array = (*self._resolve(parts[:-1], arrays), parts[-1][0])
                arrays[array] = arrays.get(array, -1) + 1
                table = (*array, arrays[array])
                self.values.setdefault(array, start)
                self.keys.setdefault(array, parts[-1][1])
                i = text.index("]]", i) + 2
            elif text[i] == "[":
                parts, i = self._key(i + 1)
                table = (*self._resolve(parts[:-1], arrays), parts[-1][0])
                self.keys.setdefault(table, parts[-1][1])
                i = text.index("]", i) + 1
            else:
                parts, i = self._key(i)
                if not parts or text[i] != "=":
                    i = _end(_TO_EOL, text, i)
                    continue
                i = self._value(_end(_BLANK, text, i + 1), self._record(table, parts))
                continue
            self.values[table] = start

    def _resolve(self, parts: Sequence[tuple[str, int]], arrays: dict[KeyPath, int]) -> KeyPath:
        """The path of a header's parent: each array of tables stands for its last element."""
        path: KeyPath = ()
        for part, offset in parts:
            path = (*path, part)
            self.keys.setdefault(path, offset)
            if path in arrays:
                path = (*path, arrays[path])
        return path

    def _record(self, table: KeyPath, parts: list[tuple[str, int]]) -> KeyPath:
        path = table
        for part, offset in parts:
            path = (*path, part)
            self.keys.setdefault(path, offset)
            self.values.setdefault(path, offset)
        return path

    def _key(self, i: int) -> tuple[list[tuple[str, int]], int]:
        """Parse a (dotted) key at ``i``: its parts with their offsets, and where it ends."""
        text = self.text
        parts: list[tuple[str, int]] = []
        while True:
            i = _end(_BLANK, text, i)
            start = i
            if text[i] in "\"'":
                i = _string_end(text, i)
                raw = text[start:i]
                part = raw[1:-1] if raw[0] == "'" else tomllib.loads(f"k = {raw}")["k"]
            else:
                match = _BARE_KEY.match(text, i)
                if match is None:
                    return parts, i
                part, i = match.group(), match.end()
            parts.append((part, start))
            i = _end(_BLANK, text, i)
            if text[i] != ".":
                return parts, i
            i += 1

    def _value(self, i: int, path: KeyPath) -> int:
        """Record the value starting at ``i`` (and everything inside it); return its end."""
        text = self.text
        self.values[path] = i
        if text[i] == "[":
            i, index = i + 1, 0
            while True:
                i = _end(_SKIP, text, i)
                if text[i] == "]":
                    return i + 1
                i = _end(_SKIP, text, self._value(i, (*path, index)))
                _expect(text, i, ",]")
                if text[i] == ",":
                    i, index = i + 1, index + 1
        if text[i] == "{":
            i += 1
            while True:
                i = _end(_SKIP, text, i)
                if text[i] == "}":
                    return i + 1
                parts, i = self._key(i)
                _expect(text, i, "=")
                i = _end(_BLANK, text, i + 1)
                i = _end(_SKIP, text, self._value(i, self._record(path, parts)))
                _expect(text, i, ",}")
                if text[i] == ",":
                    i += 1
        if text[i] in "\"'":
            return _string_end(text, i)
        return _end(_SCALAR, text, i)


def _expect(text: str, i: int, allowed: str) -> None:
    """Stop the locator where the text is not what tomllib accepted (it then falls back)."""
    if text[i] not in allowed:
        raise ValueError(f"unexpected {text[i]!r} at offset {i}")


def _from_validation_error(name: str, locator: _Locator, exc: msgspec.ValidationError) -> Problem:
    message = str(exc)
    path: list[Key] = []
    match = re.search(r" - at `\$((?:\.\w+|\[\d+\])*)`$", message)
    if match:
        for name_part, index in re.findall(r"\.(\w+)|\[(\d+)\]", match.group(1)):
            path.append(int(index) if index else name_part)
        message = message[: match.start()]
    return Problem(name, *locator.value(tuple(path)), message)


# -- checking the parsed data -----------------------------------------------------------------


def _quote(text: str, limit: int = 60) -> str:
    """A string for a message: quoted, shortened, controls and bidi overrides made visible."""
    short = text if len(text) <= limit else text[:limit] + "…"
    out = []
    for ch in short:
        if ch in '"\\':
            out.append("\\" + ch)
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    return "a table"


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {_quote(close[0])}?" if close else ""


def _format_minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class _Enough(Exception):
    """Raised inside the checker once it has found more problems than anyone will read."""


@dataclass(slots=True)
class _Ref:
    """One name an item or sitting can be referred to by, for the duplicate check."""

    kind: str  # "id" or "label"
    text: str
    owner: KeyPath
    where: KeyPath


class _Checker:
    """Checks the raw parsed TOML against the agenda format and collects every problem."""

    def __init__(self, name: str, locator: _Locator) -> None:
        self.name = name
        self.locator = locator
        self.problems: list[tuple[int, int, int, str]] = []
        self.items = 0
        self.item_refs: list[_Ref] = []
        self.item_sittings: list[tuple[KeyPath, str]] = []
        self.numbering: tuple[str, ...] = ()
        self.stopped = False

    # -- reporting --

    def at(self, position: tuple[int, int], message: str) -> None:
        self.problems.append((position[0], position[1], len(self.problems), message))
        if len(self.problems) >= MAX_PROBLEMS_CHECKED:
            raise _Enough

    def at_key(self, path: KeyPath, message: str) -> None:
        self.at(self.locator.key(path), message)

    def at_value(self, path: KeyPath, message: str) -> None:
        self.at(self.locator.value(path), message)

    def report(self) -> list[Problem]:
        ordered = sorted(self.problems)
        out = [Problem(self.name, line, column, msg) for line, column, _, msg in ordered]
        if len(out) > MAX_PROBLEMS:
            more = len(out) - MAX_PROBLEMS
            line, column = out[MAX_PROBLEMS].line, out[MAX_PROBLEMS].column
            out = out[:MAX_PROBLEMS]
            stopped = "; checking stopped there" if self.stopped else ""
            message = f"... and {more} more problems{stopped}"
            out.append(Problem(self.name, line, column, message))
        return out

    # -- generic fields --

    def unknown_keys(
        self, table: dict[str, Any], path: KeyPath, allowed: Sequence[str], where: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.at_key(
                    (*path, key),
                    f"unknown key {_quote(key)} in {where}{_did_you_mean(key, allowed)}",
                )

    def string(self, table: dict[str, Any], key: str, path: KeyPath) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            hint = (
                f" (write {key} = {_quote(str(value))})" if isinstance(value, int | float) else ""
            )
            self.at_value(
                (*path, key), f"{_quote(key)} must be a string, not {_type_name(value)}{hint}"
            )
            return None
        control = control_character(value)
        if control is not None:
            self.at_value(
                (*path, key), f"{_quote(key)} contains a control character (U+{ord(control):04X})"
            )
            return None
        return value

    def text(self, table: dict[str, Any], key: str, path: KeyPath) -> str | None:
        """A string that must say something (a title, an id)."""
        value = self.string(table, key, path)
        if value is not None and not value.strip():
            self.at_value((*path, key), f"{_quote(key)} is empty")
            return None
        return value

    def string_list(self, table: dict[str, Any], key: str, path: KeyPath) -> list[str]:
        if key not in table:
            return []
        value = table[key]
        if not isinstance(value, list):
            self.at_value(
                (*path, key), f"{_quote(key)} must be an array of strings, not {_type_name(value)}"
            )
            return []
        out = []
        for index, element in enumerate(value):
            if not isinstance(element, str):
                self.at_value(
                    (*path, key, index),
                    f"{_quote(key)} must hold strings; element {index + 1} is {_type_name(element)}",
                )
            elif (control := control_character(element)) is not None:
                self.at_value(
                    (*path, key, index),
                    f"{_quote(key)} element {index + 1} contains a control character "
                    f"(U+{ord(control):04X})",
                )
            else:
                out.append(element)
        return out

    def clock(self, table: dict[str, Any], key: str, path: KeyPath) -> str | None:
        if isinstance(table.get(key), dt.time):
            self.at_value(
                (*path, key),
                f'{_quote(key)} must be a string "HH:MM", not a TOML time '
                f'(write {key} = "{table[key].strftime("%H:%M")}")',
            )
            return None
        value = self.string(table, key, path)
        if value is not None and not _HHMM.match(value):
            self.at_value(
                (*path, key),
                f"{_quote(key)} must be a time written HH:MM (24-hour), not {_quote(value)}",
            )
            return None
        return value

    def duration(self, table: dict[str, Any], key: str, path: KeyPath) -> float | None:
        if isinstance(table.get(key), int | float) and not isinstance(table[key], bool):
            number = table[key]
            # Advice is only ever what the next check accepts: for -3 it said "-3m", refused.
            if not math.isfinite(number) or number * 60 > MAX_SPEAKING_LIMIT_SECONDS:
                wanted = "a duration of at most 1 hour"
            elif number <= 0:
                wanted = "a positive duration"
            else:
                self.at_value(
                    (*path, key),
                    f'{_quote(key)} must be a string such as "3m" or "90s", not a number '
                    f'(write {key} = "{_format_minutes(number)}m")',
                )
                return None
            self.at_value(
                (*path, key),
                f'{_quote(key)} must be {wanted} such as "3m" or "90s", '
                f"not the number {_format_minutes(number)}",
            )
            return None
        value = self.string(table, key, path)
        if value is None:
            return None
        try:
            seconds = parse_duration(value)
        except ValueError:
            self.at_value(
                (*path, key),
                f'bad {key} {_quote(value)}: write a duration such as "3m", "90s" or "1h30m"',
            )
            return None
        if not 0 < seconds <= MAX_SPEAKING_LIMIT_SECONDS:
            self.at_value(
                (*path, key),
                f"bad {key} {_quote(value)}: it must be more than 0 and at most 1 hour",
            )
            return None
        return seconds

    def date(self, value: object, path: KeyPath, what: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        hint = " (write it without quotes, e.g. 2020-11-19)" if isinstance(value, str) else ""
        self.at_value(path, f"{what} must be a TOML date, not {_type_name(value)}{hint}")
        return None

    def table_list(self, raw: dict[str, Any], key: str, path: KeyPath) -> list[dict[str, Any]]:
        """The entries of an array of tables (``[[items]]``); anything else is reported."""
        if key not in raw:
            return []
        value = raw[key]
        if not isinstance(value, list):
            self.at_value(
                (*path, key),
                f"{_quote(key)} must be an array of tables ([[{key}]]), not {_type_name(value)}",
            )
            return []
        for index, element in enumerate(value):
            if not isinstance(element, dict):
                self.at_value(
                    (*path, key, index),
                    f"{_quote(key)} must hold tables; element {index + 1} is {_type_name(element)}",
                )
        return value

    # -- the agenda --

    def check(self, raw: dict[str, Any]) -> None:
        """Check the whole agenda; ``problems`` then holds what was found."""
        try:
            self.agenda(raw)
        except _Enough:
            self.stopped = True

    def agenda(self, raw: dict[str, Any]) -> None:
        self.unknown_keys(raw, (), _ROOT_KEYS, "the agenda (top level)")
        meeting = raw.get("meeting")
        dates: list[dt.date] = []
        if meeting is None:
            self.at((1, 1), "no [meeting] table: an agenda needs [meeting] with a title")
        elif not isinstance(meeting, dict):
            self.at_value(("meeting",), f'"meeting" must be a table, not {_type_name(meeting)}')
        else:
            dates = self.meeting(meeting)
        sittings = self.sittings(raw, dates)
        items = self.table_list(raw, "items", ())
        self.item_list(items, ("items",), None, 0)
        self.duplicates(self.item_refs, "")
        self.sitting_references(sittings)

    def meeting(self, meeting: dict[str, Any]) -> list[dt.date]:
        path: KeyPath = ("meeting",)
        self.unknown_keys(meeting, path, _MEETING_KEYS, "[meeting]")
        if "title" not in meeting:
            self.at_value(path, '[meeting] has no "title"')
        self.text(meeting, "title", path)
        for key in ("subtitle", "body", "symbol", "venue"):
            self.string(meeting, key, path)
        self.text(meeting, "secretariat", path)  # an empty name would name no one
        self.string_list(meeting, "languages", path)
        self.duration(meeting, "speaking_limit", path)
        timezone = self.text(meeting, "timezone", path)
        if timezone is not None:
            self.timezone(timezone, (*path, "timezone"))
        numbering = self.string_list(meeting, "numbering", path)
        for index, pattern in enumerate(numbering):
            if not numbering_has_counter(pattern):
                self.at_value(
                    (*path, "numbering", index),
                    f"numbering pattern {_quote(pattern)} has no counter (1, a, A, i or I)",
                )
        if len(numbering) == len(meeting.get("numbering", ())):
            self.numbering = tuple(numbering)
        return self.dates(meeting, path)

    def dates(self, meeting: dict[str, Any], path: KeyPath) -> list[dt.date]:
        value = meeting.get("dates", [])
        if not isinstance(value, list):
            hint = " (write dates = [2020-11-19, 2020-11-20])" if isinstance(value, str) else ""
            self.at_value(
                (*path, "dates"),
                f'"dates" must be an array of TOML dates, not {_type_name(value)}{hint}',
            )
            return []
        dates = []
        for index, element in enumerate(value):
            date = self.date(element, (*path, "dates", index), f'"dates" element {index + 1}')
            if date is not None:
                dates.append(date)
        if len(dates) == len(value) and dates != sorted(dates):
            self.at_value((*path, "dates"), '"dates" must be in chronological order')
        return dates

    def timezone(self, name: str, path: KeyPath) -> None:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            known = zoneinfo.available_timezones()
            if not known:
                return  # no time zone database on this system: nothing to check against
            self.at_value(
                path, f"unknown timezone {_quote(name)}{_did_you_mean(name, sorted(known))}"
            )

    def sittings(
        self, raw: dict[str, Any], dates: list[dt.date]
    ) -> list[tuple[KeyPath, dict[str, Any]]]:
        out = []
        refs: list[_Ref] = []
        for index, sitting in enumerate(self.table_list(raw, "sittings", ())):
            if not isinstance(sitting, dict):
                continue
            path: KeyPath = ("sittings", index)
            label = sitting.get("label")
            where = f"sitting {_quote(label)}" if isinstance(label, str) else f"sitting {index + 1}"
            self.unknown_keys(sitting, path, _SITTING_KEYS, where)
            for key in ("date", "start"):
                if key not in sitting:
                    self.at_value(path, f"{where} has no {_quote(key)}")
            date = (
                self.date(sitting["date"], (*path, "date"), '"date"') if "date" in sitting else None
            )
            if date is not None and dates and not min(dates) <= date <= max(dates):
                span = f"{min(dates)} to {max(dates)}" if len(dates) > 1 else f"{dates[0]}"
                self.at_value(
                    (*path, "date"), f"sitting date {date} is outside the meeting's dates ({span})"
                )
            start = self.clock(sitting, "start", path)
            end = self.clock(sitting, "end", path)
            if start is not None and end is not None and end <= start:
                self.at_value(
                    (*path, "end"), f"{where} ends at {end}, not after its start at {start}"
                )
            for key in ("label", "id"):
                value = self.text(sitting, key, path)
                if value is not None:
                    refs.append(_Ref(key, value, path, (*path, key)))
            out.append((path, sitting))
        self.duplicates(refs, "sitting ")
        return out

    def item_list(
        self, items: list[dict[str, Any]], path: KeyPath, parent_label: str | None, depth: int
    ) -> None:
        entries = [
            (
                item.get("number") if isinstance(item.get("number"), str) else None,
                "break" if item.get("kind") == "break" else "item",
            )
            for item in items
            if isinstance(item, dict)
        ]
        numbers = iter(own_numbers(entries, numbering_pattern(self.numbering, depth)))
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            self.items += 1
            if self.items > MAX_ITEMS:
                if self.items == MAX_ITEMS + 1:
                    self.at_value((*path, index), f"more than {MAX_ITEMS} items")
                return
            label = full_label(parent_label, next(numbers))
            self.item(item, (*path, index), label, parent_label, depth)

    def item(
        self,
        item: dict[str, Any],
        path: KeyPath,
        label: str,
        parent_label: str | None,
        depth: int,
    ) -> None:
        title = item.get("title")
        if label:
            where = f"item {label}"
        elif isinstance(title, str):
            where = f"item {_quote(title, 40)}"
        else:
            where = "an unnumbered item"
        self.unknown_keys(item, path, _ITEM_KEYS, where)
        if "title" not in item:
            self.at_value(path, f'{where} has no "title"')
        self.text(item, "title", path)
        number_ok = "number" not in item or self.string(item, "number", path) is not None
        if label and number_ok:
            self.item_refs.append(_Ref("label", label, path, (*path, "number")))
        item_id = self.text(item, "id", path)
        if item_id is not None:
            self.item_refs.append(_Ref("id", item_id, path, (*path, "id")))
        self.string(item, "annotation", path)
        self.minutes(item, path)
        self.string_list(item, "documents", path)
        self.string_list(item, "presenters", path)
        self.clock(item, "starts_at", path)
        kind = self.string(item, "kind", path)
        if kind is not None and kind not in _ITEM_KINDS:
            self.at_value(
                (*path, "kind"),
                f'"kind" must be "item" or "break", not {_quote(kind)}'
                f"{_did_you_mean(kind, _ITEM_KINDS)}",
            )
        self.duration(item, "speaking_limit", path)
        sitting = self.text(item, "sitting", path)
        if sitting is not None:
            self.item_sittings.append(((*path, "sitting"), sitting))
        children = self.table_list(item, "items", path)
        if kind == "break" and children:
            self.at_key((*path, "items"), f"{where} is a break and cannot have sub-items")
        # Sub-items of an unnumbered item build on the nearest label above it.
        self.item_list(children, (*path, "items"), label or parent_label, depth + 1)

    def minutes(self, item: dict[str, Any], path: KeyPath) -> None:
        if "minutes" not in item:
            return
        value = item["minutes"]
        where = (*path, "minutes")
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = ""
            if isinstance(value, str):
                with contextlib.suppress(ValueError):
                    meant = parse_duration(value) / 60
                    # Advised only when accepted: "30h" is more than an item may plan.
                    if meant <= MAX_ITEM_MINUTES:
                        hint = f" (write minutes = {_format_minutes(meant)})"
            self.at_value(where, f'"minutes" must be a number, not {_type_name(value)}{hint}')
        elif not math.isfinite(value):
            self.at_value(where, '"minutes" must be a finite number')
        elif value < 0:
            self.at_value(where, f'"minutes" must not be negative (got {_format_minutes(value)})')
        elif value > MAX_ITEM_MINUTES:
            self.at_value(
                where, f'"minutes" = {_format_minutes(value)} is more than 24 hours for one item'
            )

    def duplicates(self, refs: list[_Ref], noun: str) -> None:
        """Report names that would make a reference ambiguous (case and punctuation ignored)."""
        seen: dict[str, _Ref] = {}
        for ref in refs:
            key = normalize_reference(ref.text)
            first = seen.get(key) if key else None
            if first is None:
                if key:
                    seen[key] = ref
                continue
            if first.owner == ref.owner:
                continue  # an item's own id may spell its label ("2a" for "2(a)")
            line = self.locator.value(first.where)[0]
            if first.kind == ref.kind and first.text == ref.text:
                message = f"duplicate {noun}{ref.kind} {_quote(ref.text)} (also on line {line})"
            else:
                message = (
                    f"{noun}{ref.kind} {_quote(ref.text)} is the same reference as "
                    f"{noun}{first.kind} {_quote(first.text)} on line {line}"
                )
            self.at_value(ref.where, message)

    def sitting_references(self, sittings: list[tuple[KeyPath, dict[str, Any]]]) -> None:
        names: list[str] = []
        keys: set[str] = set()
        for _, sitting in sittings:
            for key in ("id", "label"):
                value = sitting.get(key)
                if isinstance(value, str) and value.strip():
                    names.append(value)
                    keys.add(value)
                    keys.add(normalize_reference(value))
        for where, reference in self.item_sittings:
            if reference in keys or normalize_reference(reference) in keys:
                continue
            if not sittings:
                self.at_value(
                    where, f"no sitting {_quote(reference)}: the agenda has no [[sittings]]"
                )
                continue
            hint = _did_you_mean(reference, names)
            known = ", ".join(_quote(n) for n in names[:8]) or "none with an id or label"
            self.at_value(where, f"no sitting {_quote(reference)}{hint} (sittings: {known})")
