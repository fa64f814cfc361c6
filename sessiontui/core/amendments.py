"""The amendments that turn the session's agenda into a changed agenda file ("as orally amended")."""

from __future__ import annotations

import msgspec

from sessiontui.core.agenda import Agenda, AgendaFile
from sessiontui.core.commands import Amend
from sessiontui.core.state import SessionState


def _previous_sibling(agenda: Agenda, item_id: str, among: set[str] | None = None) -> str | None:
    """The sibling just before an item, counting only items in ``among`` (all when None)."""
    siblings = agenda.siblings_of(agenda.nodes[item_id].parent)
    before = siblings[: siblings.index(item_id)]
    if among is not None:
        before = [sibling for sibling in before if sibling in among]
    return before[-1] if before else None


def agenda_changes(current: Agenda, changed: Agenda) -> list[Amend]:
    """Amendments from ``current`` to ``changed``, matching items by id.

    Added items come in agenda order (so a parent exists before its sub-items), then moves
    (renumbered items among them), retitles, and deletions last (a deleted parent takes its sub-items with it).
    """
    live = {node.id for node in current}
    kept = set(changed.nodes)
    additions: list[Amend] = []
    moves: list[Amend] = []
    retitles: list[Amend] = []
    for node in changed:
        after = _previous_sibling(changed, node.id)
        if node.id not in live:
            additions.append(
                Amend(
                    "add",
                    title=node.title,
                    number=node.number,
                    parent=node.parent,
                    after=after,
                    minutes=node.planned_seconds / 60 if node.planned_seconds else None,
                    new_id=node.id,
                    # Before every other at its level (``after`` None alone means the last).
                    first=after is None,
                    kind=node.kind,
                )
            )
            continue
        old = current.nodes[node.id]
        renumbered = old.number != node.number
        # Its place among the items both agendas hold: one added before it does not move it.
        if (
            renumbered
            or old.parent != node.parent
            or _previous_sibling(current, node.id, kept)
            != _previous_sibling(changed, node.id, live)
        ):
            number = node.number if renumbered else None
            moves.append(Amend("move", node.id, number=number, parent=node.parent, after=after))
        if old.title != node.title:
            retitles.append(Amend("retitle", node.id, title=node.title))
    deletions = [
        Amend("delete", node.id)
        for node in current
        if node.id not in kept and (node.parent is None or node.parent in kept)
    ]
    return additions + moves + retitles + deletions


def agenda_amended(state: SessionState) -> bool:
    """Whether the session's agenda differs from the one its log began with."""
    original = Agenda(msgspec.convert(state.header.agenda, AgendaFile))
    return bool(agenda_changes(original, state.agenda))
