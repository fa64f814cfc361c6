"""One set of bounds for every value a session holds: the agenda file's and every event's.

The agenda loader checks an agenda's minutes and speaking limits against these; ``decide``
refuses a command whose events would step outside them; the fold (and the journal) treat a
recorded event that does anyway as invalid, show it as such and carry on. Anyone can write a
line with a valid checksum, so nothing a reader meets may be trusted to be in range.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from sessiontui.core.vocabulary import NOTE_KINDS, SPEAKER_KINDS

MAX_ITEM_MINUTES = 24 * 60
"""An item planned for longer than a day is a typo, not a plan."""
MAX_SPEAKING_LIMIT_SECONDS = 3600.0
"""A speaking limit is more than nothing and at most an hour."""
MAX_NAME_CHARS = 1000
"""Titles, names, delegations, labels, actors: one line, never a page."""
MAX_TEXT_CHARS = 200_000
"""A note (a decision's text may be long, but a record line is at most 1 MiB anyway)."""
MAX_ID_CHARS = 200
AMEND_OPS = ("add", "retitle", "move", "delete")
"""What an agenda amendment may do."""
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
"""Instants outside these are not a meeting's; arithmetic near year 9999 would overflow."""
_EARLIEST_YEAR, _LATEST_YEAR = EARLIEST.year, LATEST.year

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Terminal controls, tab and newline aside (text a person typed may hold those), and the
lone surrogates that stand for bytes that were not UTF-8."""
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

Check = Callable[[Any], str | None]


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """The first terminal control character in ``text``; tab and newline pass unless ``one_line``."""
    found = (_CONTROL_ONE_LINE if one_line else _CONTROL).search(text)
    return None if found is None else found.group()


def minutes_problem(value: object) -> str | None:
    """Why ``value`` is not an item's planned minutes (a number from 0 to 24 hours), if not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if value < 0:
        return "must not be negative"
    if value > MAX_ITEM_MINUTES:
        return f"must be at most {MAX_ITEM_MINUTES} (24 hours)"
    return None


def limit_problem(value: object) -> str | None:
    """Why ``value`` is not a speaking limit in seconds (more than 0, at most an hour), if not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number of seconds"
    # Compared as they are: a 400-digit integer does not fit in a float (OverflowError).
    if not 0 < value <= MAX_SPEAKING_LIMIT_SECONDS:
        return "must be more than 0 and at most 1 hour"
    return None


# A field of an event's data: its key, whether it must be there, and what it must be: text
# (at most so many characters, one line or not, may be empty or null), one of some words, a
# flag, or a number checked by a function. Checked inline (``event_problem`` runs for every
# event every reader folds), the message made only when a value fails.
class _Text:
    __slots__ = ("empty_ok", "limit", "null_ok", "search")

    def __init__(
        self,
        limit: int,
        *,
        one_line: bool,
        empty_ok: bool,
        null_ok: bool,
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        self.limit = limit
        self.search = (pattern or (_CONTROL_ONE_LINE if one_line else _CONTROL)).search
        self.empty_ok = empty_ok
        self.null_ok = null_ok

    def problem(self, value: object, strict: bool = True) -> str | None:
        if value is None and self.null_ok:
            return None
        if type(value) is not str:
            return "must be text"
        if len(value) > self.limit:
            return f"is longer than {self.limit} characters"
        # ``isprintable`` (fast) is False for every control character, and for little else.
        found = None if not strict or value.isprintable() else self.search(value)
        if found is not None:
            if "\ud800" <= found.group() <= "\udfff":
                # Bytes that were not UTF-8 (a note from a file or a terminal in another
                # encoding), kept by Python as lone surrogates: no record can hold them.
                return "is not valid UTF-8"
            return f"contains a control character (U+{ord(found.group()):04X})"
        return None if value or self.empty_ok else "is empty"


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029\ud800-\udfff]")


class _Words:
    __slots__ = ("allowed",)

    def __init__(self, *allowed: str) -> None:
        self.allowed = allowed

    def problem(self, value: object, strict: bool = True) -> str | None:
        return None if value in self.allowed else f"is not one of {', '.join(self.allowed)}"


class _Number:
    __slots__ = ("check",)

    def __init__(self, check: Check) -> None:
        self.check = check

    def problem(self, value: object, strict: bool = True) -> str | None:
        return None if value is None else self.check(value)


class _Flag:
    __slots__ = ()

    def problem(self, value: object, strict: bool = True) -> str | None:
        return None if type(value) is bool else "must be true or false"


_NAME = _Text(MAX_NAME_CHARS, one_line=True, empty_ok=True, null_ok=False)
_OPTIONAL_NAME = _Text(MAX_NAME_CHARS, one_line=True, empty_ok=True, null_ok=True)
_TEXT = _Text(MAX_TEXT_CHARS, one_line=False, empty_ok=True, null_ok=False)
_ID = _Text(MAX_ID_CHARS, one_line=True, empty_ok=False, null_ok=False)
_OPTIONAL_ID = _Text(MAX_ID_CHARS, one_line=True, empty_ok=False, null_ok=True)
_FLAG = _Flag()
# Who recorded an event: one line (every reader prints it on one), not empty. Other controls
# are taken out when it is shown, as in any text from an older log; the command line refuses
# them at the door (``--actor``).
_ACTOR = _Text(MAX_NAME_CHARS, one_line=True, empty_ok=False, null_ok=False, pattern=_LINE_BREAK)
_NOTE_KIND = _Words(*NOTE_KINDS)
_Field = tuple[str, bool, _Text | _Words | _Number | _Flag]
_SPEAKER: tuple[_Field, ...] = (("speaker", True, _ID),)
_SCHEMAS: dict[str, tuple[_Field, ...]] = {
    "sitting.open": (("implicit", False, _FLAG), ("label", False, _NAME)),
    "note.add": (("note", True, _ID), ("kind", False, _NOTE_KIND), ("text", True, _TEXT)),
    "note.edit": (("note", True, _ID), ("kind", False, _NOTE_KIND), ("text", True, _TEXT)),
    "note.delete": (("note", True, _ID),),
    "speaker.add": (
        ("speaker", True, _ID),
        ("name", True, _NAME),
        ("kind", False, _Words(*SPEAKER_KINDS)),
        ("delegation", False, _OPTIONAL_NAME),
        ("limit", False, _Number(limit_problem)),
    ),
    "speaker.start": _SPEAKER,
    "speaker.stop": _SPEAKER,
    "speaker.remove": _SPEAKER,
    "undo": (("batch", True, _ID), ("what", False, _TEXT)),
    "agenda.amend": (
        ("op", True, _Words(*AMEND_OPS)),
        ("title", False, _NAME),
        ("number", False, _NAME),
        ("parent", False, _OPTIONAL_ID),
        ("after", False, _OPTIONAL_ID),
        ("minutes", False, _Number(minutes_problem)),
    ),
    "command.refused": (
        ("what", False, _TEXT),
        ("reason", False, _TEXT),
        ("command", False, _NAME),
    ),
}
_MISSING = object()
# Actors and item ids recur on every event: one found good is not checked again (bounded).
_good_names: set[str] = set()
_good_items: set[str] = set()
_GOOD_MAX = 10_000
# The same schemas, for a reader (``recorded_problem``): each field with the limit of its
# text (-1 where it is not text), whether the text may be empty and the words it may be (none
# where it is not one of some words), so that a field of ordinary text or one of its words
# (nearly every one: a note's or a speaker's kind is on every one) passes without a call.
_ReadField = tuple[str, bool, _Text | _Words | _Number | _Flag, int, bool, frozenset[str]]
_READ_SCHEMAS: dict[str, tuple[_ReadField, ...]] = {
    type_: tuple(
        (
            key,
            required,
            rule,
            *((rule.limit, rule.empty_ok) if isinstance(rule, _Text) else (-1, True)),
            frozenset(rule.allowed) if isinstance(rule, _Words) else frozenset(),
        )
        for key, required, rule in fields
    )
    for type_, fields in _SCHEMAS.items()
}


def _good_name(name: str) -> str | None:
    if name in _good_names:
        return None
    problem = _ACTOR.problem(name)
    if problem is None:
        if len(_good_names) > _GOOD_MAX:
            _good_names.clear()
        _good_names.add(name)
    return problem


def event_problem(
    type_: str,
    item: str | None,
    data: object,
    actor: str,
    at: dt.datetime,
    *,
    strict: bool = False,
) -> str | None:
    """Why an event (or a draft of one) steps outside the bounds, or None if it does not.

    ``strict`` (recording) also refuses control characters in text; a reader tolerates them
    (text from older logs was not always cleaned; every output takes them out) and checks
    only what could break it: types, sizes, ranges. Types this version does not know are not
    judged here: the fold ignores them.
    """
    if not _EARLIEST_YEAR <= at.year < _LATEST_YEAR:
        return f"its time {at:%Y-%m-%d} is not a meeting's"
    if (problem := _good_name(actor)) is not None:
        return f"the actor {problem}"
    if item is not None and (problem := _ID.problem(item)) is not None:
        return f"the item id {problem}"
    for key, required, rule in _SCHEMAS.get(type_, ()):
        value = getattr(data, key, _MISSING)
        if value is _MISSING or value is None or value is msgspec.UNSET:
            # Typed payloads already hold every field they require (decoding sees to it);
            # ``None`` is an optional field left out.
            if required and value is _MISSING:
                return f"{key} is missing"
        elif (problem := rule.problem(value, strict)) is not None:
            return f"{key} {problem}"
    corrected = getattr(data, "corrected", None)
    if corrected is not None and type(corrected) is not bool:
        return "corrected must be true or false"
    return None


def recorded_problem(event: Any) -> str | None:
    """``event_problem`` of a recorded event as a reader judges it (not ``strict``), quicker.

    The fold runs it on every event it folds: actors and item ids already found good are not
    checked again, and a field of text within its limit passes inline. The same answer, the
    same words, as ``event_problem(event.type, event.item, event.data, event.actor, event.at)``.
    """
    at = event.at
    if not _EARLIEST_YEAR <= at.year < _LATEST_YEAR:
        return f"its time {at:%Y-%m-%d} is not a meeting's"
    actor = event.actor
    if actor not in _good_names and (problem := _good_name(actor)) is not None:
        return f"the actor {problem}"
    item = event.item
    if item is not None and (type(item) is not str or item not in _good_items):
        # Checked as ``event_problem`` does, control characters included (strict).
        if (problem := _ID.problem(item)) is not None:
            return f"the item id {problem}"
        if len(_good_items) > _GOOD_MAX:
            _good_items.clear()
        _good_items.add(item)
    data = event.data
    fields = _READ_SCHEMAS.get(event.type)
    if fields is not None:
        for key, required, rule, limit, empty_ok, words in fields:
            value = getattr(data, key, _MISSING)
            if type(value) is str and (
                (len(value) <= limit and (empty_ok or value)) or value in words
            ):
                continue  # text within its bounds or one of its words: what the rule passes
            if value is _MISSING or value is None or value is msgspec.UNSET:
                if required and value is _MISSING:
                    return f"{key} is missing"
            elif (problem := rule.problem(value, False)) is not None:
                return f"{key} {problem}"
    corrected = getattr(data, "corrected", None)
    if corrected is not None and type(corrected) is not bool:
        return "corrected must be true or false"
    return None


def bounded_problem(event: Any) -> str | None:
    """``recorded_problem`` of an event whose payload was decoded within the bounds.

    ``decode_event_bounded`` says so of a line whose payload fields the decoder held to these
    bounds: only what the decoder does not judge is left (its time, actor and item id), and
    what these have already passed is not checked again. Anything else gets the full check.
    """
    if _EARLIEST_YEAR <= event.at.year < _LATEST_YEAR and event.actor in _good_names:
        item = event.item
        if item is None or item in _good_items:
            return None
    return recorded_problem(event)


def found_good() -> tuple[set[str], set[str]]:
    """The actors and the item ids found good so far (``bounded_problem`` passes an event whose
    actor and item id are among them, and whose time is within the bounds)."""
    return _good_names, _good_items


def invalid_notice(invalid: Mapping[int, str], *, shown: int = 3) -> str | None:
    """One line naming the records a fold left out as invalid (None: there are none)."""
    if not invalid:
        return None
    named = "; ".join(f"#{seq}: {why}" for seq, why in sorted(invalid.items())[:shown])
    more = f"; and {len(invalid) - shown} more" if len(invalid) > shown else ""
    return (
        f"warning: {len(invalid)} record(s) hold values outside the bounds and are left out "
        f"({named}{more}); `sessiontui journal` shows where"
    )
