"""The records the phases of an import build and hand on: items as they are built, and sittings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sessiontui.importers.classify import Clock, Extras, Number, fold, quote

CONTINUED_RE = re.compile(
    r"\s*\((?:continued|cont(?:['’]?d|\.)?|resumed|concluded)\)\s*$", re.IGNORECASE
)
"""A title's "(continued)": the item taken up again in a later sitting."""


@dataclass(eq=False)
class Sitting:
    """A day or part of a day of the programme, as its heading announced it."""

    where: str
    label: str
    date: dt.date | None
    start: Clock | None = None
    end: Clock | None = None
    day_only: bool = False  # opened by a day heading; a "Morning" heading may refine it
    nodes: list[Node] = field(default_factory=list)
    id: str | None = None


@dataclass(eq=False)
class Node:
    """An item as it is being built."""

    where: str
    title: str
    number: Number | None = None
    fixed: str | None = None  # a number the format printed that is not a series (Word "§1")
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    indent: int = 0
    start: Clock | None = None
    end: Clock | None = None
    minutes: float | None = None
    presenters: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    annotation: list[str] = field(default_factory=list)
    kind: str = "item"
    sitting: Sitting | None = None
    clean: str | None = None  # the final title, once computed
    taken: tuple[str, tuple[str, Extras]] | None = None  # take_extras of the raw title, by title
    sources: list[str] = field(default_factory=list)  # the lines that made it ("line 12")

    @property
    def depth(self) -> int:
        """0 for a top-level item."""
        depth, parent = 0, self.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        return depth

    def label(self) -> str:
        """The number as printed, for messages."""
        if self.number is not None:
            return self.number.text
        return self.fixed or quote(self.title, 30)


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every item of ``nodes`` and their sub-items, in agenda order."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def number_key(text: str) -> str:
    """An item number as annotations and repeats compare it: "Item 2" is "2"."""
    return re.sub(r"^(?:agenda)?item", "", fold(text))


def title_key(text: str) -> str:
    """A title as annotations and repeats compare it, "(continued)" left out."""
    return fold(CONTINUED_RE.sub("", text))
