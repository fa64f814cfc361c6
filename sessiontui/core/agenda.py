"""The agenda model: the file format as typed structs, and the built agenda with labels and references.

Two layers live here. ``AgendaFile``/``MeetingSpec``/``ItemSpec``/``SittingSpec`` mirror the TOML
file field by field (they are what the JSON Schema is generated from and what the session log
snapshots). ``Agenda`` is built from them: every item gets a stable id, its full label and its
depth, and can be found by id or by its label compared by tokens (``reference_tokens``): case,
spaces and punctuation between tokens are ignored, the boundary between two numbers is not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec

from sessiontui.core.bounds import MAX_ITEM_MINUTES

ItemKind = Literal["item", "break"]

DEFAULT_NUMBERING: tuple[str, ...] = ("1", "(a)", "(i)", "(A)", "(1)")
"""Automatic numbering per nesting level; the last pattern repeats for deeper levels.

A pattern is a template whose counter is written as ``1`` (arabic), ``a``/``A`` (letters) or
``i``/``I`` (roman numerals), e.g. ``"(a)"`` or ``"Item 1"``.
"""

HHMM_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
"""A wall-clock time as agendas print it: ``"09:30"``, ``"15:00"`` (24-hour)."""

DURATION_PATTERN = (
    r"^\s*(?:[0-9]+(?:\.[0-9]+)?|(?:[0-9]+(?:\.[0-9]+)?\s*h)?\s*(?:[0-9]+(?:\.[0-9]+)?\s*m(?:in)?)?"
    r"\s*(?:[0-9]+(?:\.[0-9]+)?\s*s)?)\s*$"
)
"""What ``parse_duration`` accepts (also the JSON Schema pattern): ``3m``, ``90s``, ``1h30m``, ``2``."""


# Field types with their JSON Schema annotations: editors (taplo, "Even Better TOML") show these
# descriptions on hover and check the constraints while the file is typed.
_Text = Annotated[str, msgspec.Meta(min_length=1)]
_Duration = Annotated[
    str,
    msgspec.Meta(
        pattern=DURATION_PATTERN,
        description='A per-speaker time limit: "3m", "90s", "1h30m" or a bare number of minutes.',
        examples=["3m", "90s", "5m"],
    ),
]
_Clock = Annotated[str, msgspec.Meta(pattern=HHMM_PATTERN, examples=["10:00", "15:00"])]


class MeetingSpec(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The ``[meeting]`` table."""

    title: Annotated[_Text, msgspec.Meta(description="The meeting's title as printed.")]
    subtitle: Annotated[str, msgspec.Meta(description="A second title line.")] | None = None
    body: (
        Annotated[str, msgspec.Meta(description="The convening body, e.g. a Conference.")] | None
    ) = None
    symbol: (
        Annotated[str, msgspec.Meta(description="Document symbol of the agenda itself.")] | None
    ) = None
    venue: Annotated[str, msgspec.Meta(description="Where the meeting is held.")] | None = None
    secretariat: (
        Annotated[
            _Text,
            msgspec.Meta(
                description=(
                    'Who serves the meeting as its secretariat, e.g. "UNODC": a speaker so'
                    " named is reported as the secretariat, never as a delegation."
                ),
                examples=["UNODC", "the secretariat of the Basel Convention"],
            ),
        ]
        | None
    ) = None
    dates: Annotated[
        list[dt.date],
        msgspec.Meta(description="The meeting's days (TOML dates), or its first and last day."),
    ] = []
    timezone: (
        Annotated[
            str,
            msgspec.Meta(
                description='IANA time zone of the venue, e.g. "Europe/Vienna".',
                examples=["Europe/Vienna", "America/New_York"],
            ),
        ]
        | None
    ) = None
    languages: Annotated[
        list[str], msgspec.Meta(description='Working languages, e.g. ["en", "fr"].')
    ] = []
    speaking_limit: _Duration | None = None
    quorum: (
        Annotated[
            int,
            msgspec.Meta(
                ge=1,
                description=(
                    "How many Member States must be present for the meeting to decide:"
                    " the roll call shows whether it is met."
                ),
            ),
        ]
        | None
    ) = None
    numbering: Annotated[
        list[str],
        msgspec.Meta(
            description=(
                "Automatic numbering per nesting level (the last repeats), with the counter "
                'written 1, a, A, i or I: ["1", "(a)", "(i)"] is the default.'
            )
        ),
    ] = []

    @property
    def days(self) -> list[dt.date]:
        """Every day of the meeting by its ``dates``: the days listed, or every day from the
        first to the last when it gives two (``[2020-11-30, 2020-12-02]``: three days)."""
        listed = sorted(set(self.dates))
        if len(listed) != 2:
            return listed
        first, last = listed
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


class ItemSpec(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """One ``[[items]]`` entry; sub-items nest under ``items``."""

    number: (
        Annotated[
            str,
            msgspec.Meta(
                description='The label as printed ("2", "(a)", "11.2", "4 bis"); '
                "numbered automatically when missing.",
                examples=["1", "(a)", "(i)"],
            ),
        ]
        | None
    ) = None
    id: (
        Annotated[
            _Text,
            msgspec.Meta(description="A stable id to refer to the item (default: its label)."),
        ]
        | None
    ) = None
    title: Annotated[_Text, msgspec.Meta(description="The item's title as printed.")]
    annotation: (
        Annotated[str, msgspec.Meta(description="The annotation printed under the item.")] | None
    ) = None
    minutes: (
        Annotated[
            float,
            msgspec.Meta(ge=0, le=MAX_ITEM_MINUTES, description="Planned duration in minutes."),
        ]
        | None
    ) = None
    documents: Annotated[
        list[str], msgspec.Meta(description='Document symbols, e.g. ["CAC/COSP/2020/1"].')
    ] = []
    presenters: Annotated[
        list[str], msgspec.Meta(description="Who introduces the item (panellists, chairs).")
    ] = []
    starts_at: (
        Annotated[_Clock, msgspec.Meta(description='Planned start, "HH:MM" (24-hour).')] | None
    ) = None
    kind: Annotated[
        ItemKind,
        msgspec.Meta(description='"break" for a pause that is not numbered (default "item").'),
    ] = "item"
    speaking_limit: _Duration | None = None
    sitting: (
        Annotated[
            str, msgspec.Meta(description="The id or label of the sitting this item is taken in.")
        ]
        | None
    ) = None
    items: Annotated[list[ItemSpec], msgspec.Meta(description="Sub-items, to any depth.")] = []


class SittingSpec(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """One ``[[sittings]]`` entry of the programme (a "meeting" in UN terms)."""

    date: Annotated[dt.date, msgspec.Meta(description="The sitting's day (a TOML date).")]
    start: Annotated[_Clock, msgspec.Meta(description='Start time, "HH:MM".')]
    end: (
        Annotated[
            _Clock,
            msgspec.Meta(
                description='End time, "HH:MM", after the start; omitted when the programme '
                "gives only the start."
            ),
        ]
        | None
    ) = None
    label: (
        Annotated[
            str,
            msgspec.Meta(
                description='How it is called, e.g. "1st meeting".', examples=["1st meeting"]
            ),
        ]
        | None
    ) = None
    id: Annotated[_Text, msgspec.Meta(description="A stable id for items to refer to.")] | None = (
        None
    )


class AgendaFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """A whole agenda file as written."""

    meeting: MeetingSpec
    items: list[ItemSpec] = []
    sittings: list[SittingSpec] = []


class ReferenceError_(LookupError):
    """An item reference matched nothing, or more than one item."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.candidates = candidates


@dataclass(slots=True)
class Node:
    """One agenda item as built: identity, position and what the file said about it."""

    id: str
    number: str
    label: str
    title: str
    depth: int
    parent: str | None
    children: list[str] = field(default_factory=list)
    annotation: str | None = None
    planned_seconds: float | None = None
    documents: tuple[str, ...] = ()
    presenters: tuple[str, ...] = ()
    starts_at: str | None = None
    kind: ItemKind = "item"
    speaking_limit_seconds: float | None = None
    sitting: str | None = None
    deleted: bool = False

    @property
    def ref(self) -> str:
        """How running text names the item: its label (``label_ref``), or its title in quotes
        for an item with no number (a break: "refused: “Coffee break” was already taken up")."""
        return label_ref(self.label) if self.label else f"“{self.title}”"


_ASCII_TOKEN = re.compile("[0-9]+|[a-z]+")


def reference_tokens(text: str) -> tuple[str, ...]:
    """The tokens an item reference is made of: runs of digits and runs of letters.

    Case is folded and everything else (spaces, dots, brackets, dashes) only separates tokens, so
    "2(c)", "2 (c)", "2.c" and "2c" are the tokens ("2", "c"), while "1.1" ("1", "1") and "11"
    ("11",) stay apart. Digits of any script count as their ASCII value, so "٢" matches "2".
    """
    if text.isascii():
        # The same tokens without a look at each character: NFKC leaves ASCII as it is, its
        # case folds to lower case, and its only digits and letters are 0-9 and a-z. Building
        # a long agenda (every command and the tracker's start) reads each label this way.
        return tuple(_ASCII_TOKEN.findall(text.lower()))
    folded = unicodedata.normalize("NFKC", text).casefold()
    tokens: list[str] = []
    current: list[str] = []
    current_kind = ""
    for ch in folded:
        digit = unicodedata.decimal(ch, None)
        kind = "digit" if digit is not None else "letter" if ch.isalnum() else ""
        if kind != current_kind and current:
            tokens.append("".join(current))
            current = []
        current_kind = kind
        if kind:
            current.append(str(digit) if digit is not None else ch)
    if current:
        tokens.append("".join(current))
    return tuple(tokens)


def normalize_reference(text: str) -> str:
    """Fold a label or id for matching: its tokens (see ``reference_tokens``) joined by ".".

    ``"2 (C)."`` -> ``"2.c"``, ``"1.1"`` -> ``"1.1"``, ``"11"`` -> ``"11"``: two references are
    the same exactly when their folded forms are equal.
    """
    return ".".join(reference_tokens(text))


def fold_alnum(text: str) -> str:
    """Text with only its letters and digits, case folded ("Item 2 (a)" -> "item2a").

    For comparing words and titles, and for the compact ids generated from labels; never for
    telling two references apart (it runs "1.1" and "11" together).
    """
    return "".join(reference_tokens(text))


_DURATION = re.compile(
    r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$"
)


def parse_duration(text: str) -> float:
    """Parse ``"3m"``, ``"90s"``, ``"1h30m"``, ``"2m30s"`` or a bare number of minutes into seconds.

    Raises:
        ValueError: the text is not a duration.
    """
    stripped = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", stripped):
        return float(stripped) * 60.0
    match = _DURATION.match(stripped)
    if not stripped or match is None or not any(match.groups()):
        raise ValueError(f"not a duration: {text!r} (write e.g. 3m, 90s, 1h30m)")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def roman(n: int) -> str:
    """``n`` in lower-case roman numerals (4 -> "iv")."""
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (the way agendas continue past z)."""
    letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
    return letter * ((n - 1) // 26 + 1)


# The counter is a lone 1/a/A/i/I: the "I" of "Item 1" is part of a word, the "1" is the counter.
_COUNTER = re.compile(r"(?<![A-Za-z0-9])[1aAiI](?![A-Za-z0-9])")


def numbering_has_counter(pattern: str) -> bool:
    """Whether a numbering pattern has a counter (``1``, ``a``, ``A``, ``i`` or ``I``) to fill in."""
    return _COUNTER.search(pattern) is not None


def format_number(pattern: str, n: int) -> str:
    """Write counter ``n`` into a numbering pattern such as ``"(a)"``, ``"1."`` or ``"Item 1"``."""
    match = _COUNTER.search(pattern)
    if match is None:
        return f"{pattern}{n}"
    style = match.group()
    if style == "1":
        counter = str(n)
    elif style in "aA":
        counter = _letters(n)
    else:
        counter = roman(n)
    if style.isupper():
        counter = counter.upper()
    return pattern[: match.start()] + counter + pattern[match.end() :]


def own_numbers(siblings: Sequence[tuple[str | None, str]], pattern: str) -> list[str]:
    """The printed numbers of sibling items given as ``(number, kind)`` pairs.

    An item without a number is numbered from ``pattern`` by its position; a break without a
    number gets none and does not count, so "Lunch break" between 3 and 4 leaves 4 as 4.
    """
    out: list[str] = []
    counter = 0
    for number, kind in siblings:
        if number is None and kind == "break":
            out.append("")
            continue
        counter += 1
        out.append(number if number is not None else format_number(pattern, counter))
    return out


def numbering_pattern(numbering: Sequence[str], depth: int) -> str:
    """The automatic numbering pattern of a nesting level (the last one repeats)."""
    patterns = tuple(numbering) or DEFAULT_NUMBERING
    return patterns[min(depth, len(patterns) - 1)]


def label_ref(label: str) -> str:
    """A label as running text names the item: without a closing full stop ("3." in an
    imported agenda is "3" in "item 3 is suspended", where a sentence's own stop may follow);
    headings and the agenda's lines keep it as printed."""
    return label.rstrip(".") or label


def full_label(parent_label: str | None, own: str) -> str:
    """The printed label of an item under its parent ("2" + "(a)" -> "2(a)"; "11" + "11.2" -> "11.2").

    An item whose own number already starts with its parent's ("11.2" under "11", "3.(a)" under
    "3.") keeps it as printed; an unnumbered item has an empty label. Where the parent's label
    and the item's own would run two numbers (or two words) together, a "." keeps the boundary:
    "2." under "1" is "1.2.", never "12." (which is item 12). An own number that is only the
    parent's again ("3." in a list under item "3.", as a nested Markdown list numbers its
    sub-items) is the third sub-item, "3.3.", not the item itself.
    """
    own = own.strip()
    if not parent_label or not own:
        return own
    parent_core = parent_label.rstrip(". ")
    if not parent_core:
        return own
    if (
        own.casefold().startswith(parent_core.casefold())
        and len(own) > len(parent_core)
        and own[len(parent_core) :].strip(". ")
    ):
        rest = own[len(parent_core)]
        # "11.2" under "11" and "2a" under "2" repeat the parent; "10" under "1" does not.
        if not rest.isalnum() or rest.isdigit() != parent_core[-1].isdigit():
            return own
    last, first = parent_core[-1], own[0]
    if last.isalnum() and first.isalnum() and last.isdigit() == first.isdigit():
        return f"{parent_core}.{own}"
    return parent_core + own


def _id_from_label(label: str, crowded: set[str]) -> str:
    """The id generated for a label: its letters and digits ("2(a)" -> "2a", "11.2" -> "112").

    Where that compact form is shared with another label (``crowded``: "1.1" and "11" are both
    "11", "i.i" and "ii." both "ii"), the id keeps the boundary between two numbers or two
    words ("1.1", "i.i"), so no id spells another label.
    """
    compact = fold_alnum(label)
    if compact not in crowded:
        return compact or "item"
    out = ""
    previous = ""
    for token in reference_tokens(label):
        if previous and previous[-1].isdigit() == token[0].isdigit():
            out += "."  # two numbers or two words side by side: "1.1", "i.i"
        out += token
        previous = token
    return out or "item"


def _id_from_title(title: str) -> str:
    """An id for an unnumbered item (a break, "Opening of the session"): its title, folded."""
    return fold_alnum(title)[:32] or "item"


def _crowded_labels(specs: list[ItemSpec], numbering: tuple[str, ...]) -> set[str]:
    """The compact forms (``fold_alnum``) that two or more different labels of an agenda share."""
    seen: dict[str, str] = {}
    crowded: set[str] = set()
    stack: list[tuple[list[ItemSpec], str | None, int]] = [(specs, None, 0)]
    while stack:
        items, base, depth = stack.pop()
        entries = [(item.number, item.kind) for item in items]
        numbers = own_numbers(entries, numbering_pattern(numbering, depth))
        for item, own in zip(items, numbers, strict=True):
            label = full_label(base, own)
            if label:
                compact, key = fold_alnum(label), normalize_reference(label)
                if seen.setdefault(compact, key) != key:
                    crowded.add(compact)
            stack.append((item.items, label or base, depth + 1))
    return crowded


class Agenda:
    """An agenda as built from an ``AgendaFile``: items in agenda order, found by id or label."""

    def __init__(self, spec: AgendaFile) -> None:
        self.meeting = spec.meeting
        self.sittings = list(spec.sittings)
        self.speaking_limit_seconds = (
            parse_duration(spec.meeting.speaking_limit) if spec.meeting.speaking_limit else None
        )
        self.nodes: dict[str, Node] = {}
        self.roots: list[str] = []
        # Ids written in the file are kept as written: generated ids step around them.
        self._reserved: set[str] = set()
        self._reserve_ids(spec.items)
        self._crowded = _crowded_labels(spec.items, tuple(spec.meeting.numbering))
        self._add_children(spec.items, None, 0, tuple(spec.meeting.numbering))
        self._order: list[str] | None = None
        self._index: dict[str, list[str]] | None = None

    @classmethod
    def from_nodes(cls, written: dict[str, Any], nodes: list[Node], roots: list[str]) -> Agenda:
        """The agenda as a snapshot left it (amendments included), without building it again.

        ``written`` is the agenda as the log's header holds it: only its meeting and sittings
        are read (converting its thousand items is most of the cost of building an agenda),
        and the ids written in it, which generated ids step around.
        """
        agenda = cls(msgspec.convert({**written, "items": []}, AgendaFile))
        stack = list(written.get("items") or [])
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("id"), str) and item["id"]:
                    agenda._reserved.add(item["id"])
                stack.extend(item.get("items") or [])
        agenda.nodes = {node.id: node for node in nodes}
        agenda.roots = roots
        return agenda

    def _reserve_ids(self, specs: list[ItemSpec]) -> None:
        stack = list(specs)
        while stack:
            item = stack.pop()
            if item.id:
                self._reserved.add(item.id)
            stack.extend(item.items)

    def _add_children(
        self, specs: list[ItemSpec], parent: Node | None, depth: int, numbering: tuple[str, ...]
    ) -> None:
        numbers = own_numbers(
            [(item.number, item.kind) for item in specs], numbering_pattern(numbering, depth)
        )
        for item, own in zip(specs, numbers, strict=True):
            label = full_label(self._label_base(parent), own)
            if item.id and item.id not in self.nodes:
                node_id = item.id
            else:
                node_id = self._unique_id(
                    item.id
                    or (
                        _id_from_label(label, self._crowded)
                        if label
                        else _id_from_title(item.title)
                    )
                )
            node = Node(
                id=node_id,
                number=own,
                label=label,
                title=item.title,
                depth=depth,
                parent=parent.id if parent else None,
                annotation=item.annotation,
                planned_seconds=item.minutes * 60.0 if item.minutes is not None else None,
                documents=tuple(item.documents),
                presenters=tuple(item.presenters),
                starts_at=item.starts_at,
                kind=item.kind,
                speaking_limit_seconds=(
                    parse_duration(item.speaking_limit) if item.speaking_limit else None
                ),
                sitting=item.sitting,
            )
            self.nodes[node.id] = node
            if parent is None:
                self.roots.append(node.id)
            else:
                parent.children.append(node.id)
            self._add_children(item.items, node, depth + 1, numbering)

    def _label_base(self, parent: Node | None) -> str | None:
        """The label sub-items build on: the nearest ancestor that has one."""
        while parent is not None and not parent.label:
            parent = self.nodes[parent.parent] if parent.parent else None
        return parent.label if parent else None

    def _unique_id(self, wanted: str) -> str:
        if wanted not in self.nodes and wanted not in self._reserved:
            return wanted
        suffix = 2
        while f"{wanted}-{suffix}" in self.nodes or f"{wanted}-{suffix}" in self._reserved:
            suffix += 1
        return f"{wanted}-{suffix}"

    # -- order and lookup -------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget cached order and index after the tree changed (an amendment)."""
        self._order = None
        self._index = None

    def order(self) -> list[str]:
        """Item ids in agenda order (depth first, as printed)."""
        if self._order is None:
            out: list[str] = []
            stack = list(reversed(self.roots))
            while stack:
                node_id = stack.pop()
                out.append(node_id)
                stack.extend(reversed(self.nodes[node_id].children))
            self._order = out
        return self._order

    def __iter__(self) -> Iterator[Node]:
        return (self.nodes[node_id] for node_id in self.order())

    def __len__(self) -> int:
        return len(self.nodes)

    def get(self, item_id: str) -> Node:
        """The item with this exact id (KeyError if none)."""
        return self.nodes[item_id]

    def ancestors(self, item_id: str) -> list[str]:
        """Ids from the parent up to the root."""
        out: list[str] = []
        parent = self.nodes[item_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.nodes[parent].parent
        return out

    def descendants(self, item_id: str) -> list[str]:
        """Ids of every item below this one, in agenda order."""
        out: list[str] = []
        stack = list(reversed(self.nodes[item_id].children))
        while stack:
            node_id = stack.pop()
            out.append(node_id)
            stack.extend(reversed(self.nodes[node_id].children))
        return out

    def max_depth(self) -> int:
        """Deepest nesting level (0 for a flat agenda); -1 when empty."""
        return max((node.depth for node in self), default=-1)

    def planned_total_seconds(self) -> float:
        """Planned time of the whole agenda: an item's plan, else the sum of its children's."""
        return sum(self.planned_seconds_of(root) or 0.0 for root in self.roots)

    def planned_seconds_of(self, item_id: str) -> float | None:
        """An item's own plan, or the sum of its children's plans when it has none."""
        node = self.nodes[item_id]
        if node.planned_seconds is not None:
            return node.planned_seconds
        child_plans = [self.planned_seconds_of(child) for child in node.children]
        known = [plan for plan in child_plans if plan is not None]
        return sum(known) if known else None

    def speaking_limit_for(self, item_id: str) -> float | None:
        """The per-speaker limit of an item: its own, an ancestor's, the meeting's, or none."""
        for node_id in [item_id, *self.ancestors(item_id)]:
            limit = self.nodes[node_id].speaking_limit_seconds
            if limit is not None:
                return limit
        return self.speaking_limit_seconds

    def find_sitting(self, reference: str) -> SittingSpec | None:
        """The sitting an item's ``sitting`` key names: by exact id, else id or label folded."""
        for sitting in self.sittings:
            if sitting.id == reference:
                return sitting
        key = normalize_reference(reference)
        for sitting in self.sittings:
            names = (sitting.id, sitting.label)
            if key and any(name and normalize_reference(name) == key for name in names):
                return sitting
        return None

    def _reference_index(self) -> dict[str, list[str]]:
        if self._index is None:
            index: dict[str, list[str]] = {}
            for node in self:
                keys = {normalize_reference(node.label), normalize_reference(node.id)}
                for key in keys:
                    if key:
                        index.setdefault(key, []).append(node.id)
            self._index = index
        return self._index

    def resolve(self, reference: str) -> Node:
        """Find an item by id or label compared by tokens ("2 (c)" is "2c"; "1.1" is not "11").

        Raises:
            ReferenceError_: nothing matches, or several items do (the message lists them).
        """
        if reference in self.nodes:
            if self.nodes[reference].deleted:
                raise ReferenceError_(f"item {reference!r} was taken off the agenda by amendment")
            return self.nodes[reference]
        key = normalize_reference(reference)
        index = self._reference_index()
        matches = index.get(key, []) if key else []
        if len(matches) == 1:
            return self.nodes[matches[0]]
        if not matches:
            close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6) if key else []
            labels = [self.nodes[index[k][0]].label or index[k][0] for k in close]
            hint = f"; did you mean {' or '.join(labels)}?" if labels else ""
            raise ReferenceError_(f"no agenda item {reference!r}{hint}")
        candidates = tuple(self.display(m) for m in matches)
        raise ReferenceError_(
            f"{reference!r} is ambiguous: "
            + "; ".join(f"{c} (id {m})" for c, m in zip(candidates, matches, strict=True)),
            candidates,
        )

    # -- amendments (the agenda "as orally amended") ------------------------------------------

    def siblings_of(self, parent: str | None) -> list[str]:
        """The child list an item sits in: its parent's children, or the roots."""
        return self.roots if parent is None else self.nodes[parent].children

    def insert(self, node: Node, after: str | None) -> None:
        """Place a new item under ``node.parent``, after sibling ``after`` (first when None)."""
        self.nodes[node.id] = node
        siblings = self.siblings_of(node.parent)
        siblings.insert(siblings.index(after) + 1 if after in siblings else 0, node.id)
        self.invalidate()

    def move(
        self, item_id: str, parent: str | None, after: str | None, number: str | None = None
    ) -> None:
        """Move an item (with its sub-items) under ``parent`` after sibling ``after``,
        numbered ``number`` if given (else it keeps its own)."""
        node = self.nodes[item_id]
        if number:
            node.number = number
        self.siblings_of(node.parent).remove(item_id)
        node.parent = parent
        shift = (self.nodes[parent].depth + 1 if parent else 0) - node.depth
        for moved in [item_id, *self.descendants(item_id)]:
            self.nodes[moved].depth += shift
        siblings = self.siblings_of(parent)
        siblings.insert(siblings.index(after) + 1 if after in siblings else 0, item_id)
        self.relabel(item_id)
        self.invalidate()

    def relabel(self, item_id: str) -> None:
        """Give an item and its sub-items the full labels of where they now stand.

        A moved item keeps its own number, and its label is built from its new parent's as in
        the file (see ``full_label``): 2(e) moved under item 3 is 3(e), as the record prints it.
        """
        for node_id in [item_id, *self.descendants(item_id)]:
            node = self.nodes[node_id]
            parent = self.nodes[node.parent] if node.parent else None
            node.label = full_label(self._label_base(parent), node.number)

    def delete(self, item_id: str) -> None:
        """Take an item and its sub-items off the agenda; ids stay known so history keeps meaning."""
        node = self.nodes[item_id]
        for gone in [item_id, *self.descendants(item_id)]:
            self.nodes[gone].deleted = True
        self.siblings_of(node.parent).remove(item_id)
        self.invalidate()

    def restore(
        self,
        item_id: str,
        parent: str | None,
        after: str | None,
        number: str | None,
        title: str | None,
    ) -> None:
        """Put an item taken off the agenda back, under ``parent`` after sibling ``after``,
        numbered and titled anew if given; its sub-items stay off until they are put back."""
        node = self.nodes[item_id]
        node.deleted = False
        node.children = [child for child in node.children if not self.nodes[child].deleted]
        node.parent = parent
        node.depth = self.nodes[parent].depth + 1 if parent else 0
        node.number = number if number is not None else node.number
        node.title = title or node.title
        siblings = self.siblings_of(parent)
        siblings.insert(siblings.index(after) + 1 if after in siblings else 0, item_id)
        self.relabel(item_id)
        self.invalidate()

    def new_id(self, label: str) -> str:
        """A fresh id for an item added by amendment."""
        compact = fold_alnum(label)
        taken = {fold_alnum(node.label) for node in self.nodes.values()} | set(self.nodes)
        return self._unique_id(_id_from_label(label, {compact} if compact in taken else set()))

    def display(self, item_id: str) -> str:
        """``"2(a) Status of the preparations ..."`` for messages (just the title when unnumbered)."""
        node = self.nodes[item_id]
        return f"{node.label} {node.title}" if node.label else node.title
