"""Table rows of a programme: which column holds the number, the topic, the time, the presenter.

A header row names the columns' roles ("| Time | Item | Topic | Presenter |"); without one, the
first row's content suggests them.
"""

from __future__ import annotations

from sessiontui.importers.classify import (
    parse_duration_text,
    parse_number,
    parse_time_prefix,
    squash,
)

_COLUMN_ROLES = {
    "number": ("no", "no.", "#", "nr", "number", "ref", "item no", "item no.", "item number", "n°"),
    "title": (
        "topic", "title", "subject", "agenda item", "item title", "description", "session",
        "what", "business", "activity", "point", "agenda", "discussion",
    ),
    "time": ("time", "start", "starts", "when", "slot", "hour", "from", "start time", "time slot"),
    "end": ("end", "until", "to", "end time", "ends"),
    "duration": (
        "duration", "length", "timebox", "time box", "mins", "minutes", "min", "time allotted",
        "allotted", "allotted time", "planned", "est.", "estimate",
    ),
    "presenter": (
        "presenter", "presenters", "speaker", "speakers", "lead", "leads", "owner", "owners",
        "by", "who", "facilitator", "moderator", "presented by", "responsible", "led by",
    ),
    "documents": ("documents", "docs", "document", "papers", "reference", "references",
                  "documentation", "doc", "symbol"),
    "notes": ("notes", "note", "comment", "comments", "remarks", "outcome", "details",
              "goal", "purpose", "annotation"),
}  # fmt: skip


def column_roles(cells: list[str], header: bool) -> dict[int, str] | None:
    """Roles of the columns named by a header row, or None when the row is not a header."""
    roles: dict[int, str] = {}
    for position, cell in enumerate(cells):
        name = squash(cell).lower().rstrip(":")
        for role, names in _COLUMN_ROLES.items():
            if name in names and role not in roles.values():
                roles[position] = role
                break
    item_column = next(
        (p for p, c in enumerate(cells) if squash(c).lower() in ("item", "items")), None
    )
    if item_column is not None and "title" in roles.values() and "number" not in roles.values():
        roles[item_column] = "number"  # "| Time | Item | Topic |": the item's number
    if "title" not in roles.values():
        if item_column is not None:
            roles[item_column] = "title"
        elif roles or header:
            # the widest unnamed column holds the topic
            free = [p for p in range(len(cells)) if p not in roles]
            if free:
                roles[free[0]] = "title"
    if not roles or (not header and len(roles) < 2):
        return None
    return roles


def guess_roles(cells: list[str]) -> dict[int, str]:
    """Roles from the content of a first row when the table has no header."""
    roles: dict[int, str] = {}
    for position, cell in enumerate(cells):
        if not cell:
            continue
        timed = parse_time_prefix(cell)
        number = parse_number(cell + " x")
        if "time" not in roles.values() and timed is not None and not timed.rest:
            roles[position] = "time"
        elif (
            "duration" not in roles.values()
            and not cell.isdigit()
            and (parse_duration_text(cell) is not None)
        ):
            roles[position] = "duration"
        elif "number" not in roles.values() and (
            cell.isdigit() or (number is not None and number[1] == "x")
        ):
            roles[position] = "number"
    free = [p for p in range(len(cells)) if p not in roles]
    if free:
        roles[max(free, key=lambda p: len(cells[p]))] = "title"
    return roles
