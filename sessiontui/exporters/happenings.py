"""The journal appendix of a report as facts, one per event, for the style's phrases to word.

The ``journal`` command and the txt export print the journal in English (``core.journal``); a
report prints every word from its template set, in its language. So the appendix is made of
``Happening`` records: what happened, when (meeting-local), by whom, on which item, with the
names in force at the time, and the phrase file (``journal/<lang>.j2``) words each one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sessiontui.core import events as ev
from sessiontui.core.bounds import EARLIEST, LATEST
from sessiontui.core.events import Event, Header
from sessiontui.core.journal import item_label, item_title
from sessiontui.core.phrases import take_up_as
from sessiontui.core.replay import Replayer
from sessiontui.core.state import SessionState
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.model import clean, given_label, meeting_zone, one_line


@dataclass(slots=True)
class Happening:
    """One event of the journal appendix, as facts.

    Attributes:
        type: the event's type (``item.open``, ``note.add`` …); ``invalid`` for a record left
            out of the record (its reason in ``facts["reason"]``).
        when: when it happened, meeting-local (None when out of range).
        actor: who recorded it.
        item: the label of its item ("" without one), as the agenda named it then.
        title: the item's label and title.
        changes: the items whose status it changed besides its own, by their new status
            (``[("suspended", ["2(a)"])]``).
        corrected: when a correction (``--at``) was recorded, meeting-local; None otherwise.
        facts: what else the phrase needs, by event type (see ``journal/en.j2``).
    """

    type: str
    when: dt.datetime | None
    actor: str
    item: str = ""
    title: str = ""
    changes: list[tuple[str, list[str]]] = field(default_factory=list)
    corrected: dt.datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def _text(text: str | None) -> str:
    """A note's text on one line, its line breaks as " / " (one event stays one line)."""
    lines = (one_line(line) for line in clean(text).splitlines())
    return " / ".join(line for line in lines if line)


def _label(state: SessionState, item_id: str | None) -> str:
    return item_label(state, item_id, one_line)


def _title(state: SessionState, item_id: str | None) -> str:
    return item_title(state, item_id, one_line)


def _speaker_name(state: SessionState, item_id: str | None, speaker_id: str | None) -> str:
    if item_id is None or speaker_id is None or item_id not in state.items:
        return ""
    speaker = state.speaker(item_id, speaker_id)
    return one_line(speaker.name) if speaker is not None else ""


class _Words:
    """Folds the log event by event and states each one as a ``Happening``."""

    def __init__(self, header: Header) -> None:
        self.seen: list[Event] = []
        self.replayer = Replayer(header, lambda: iter(self.seen))
        self.clock = Clock(meeting_zone(self.replayer.state))
        self.order_of: list[str] | None = None
        self.order: dict[str, int] = {}
        # batch -> the items it touched: an undo concerns the items of what it undid.
        self.batches: dict[str, set[str]] = {}

    def local(self, moment: dt.datetime) -> dt.datetime | None:
        return self.clock.local(moment) if EARLIEST <= moment < LATEST else None

    def feed(self, event: Event) -> tuple[Happening, set[str]]:
        """The happening of ``event`` and the items it concerns."""
        state = self.replayer.state
        rebuilds = event.type == ev.UNDO or (state.last_at is not None and event.at < state.last_at)
        every: dict[str, str] | None = (
            {k: str(item.status) for k, item in state.items.items()} if rebuilds else None
        )
        state.touched.clear()
        item = event.item
        label, title = _label(state, item), _title(state, item)
        name = one_line(state.agenda.nodes[item].title) if item in state.agenda.nodes else ""
        data = event.data
        note = state.note(data.note) if isinstance(data, ev.NoteEditData | ev.NoteRef) else None
        speaker = ""
        if isinstance(data, ev.SpeakerRef):
            speaker = _speaker_name(state, item, data.speaker)
        self.seen.append(event)
        self.replayer.feed((event,))
        state = self.replayer.state
        statuses = state.items
        # Only an undo or a back-dated event (a new state) compares every item; otherwise the
        # fold says which items it touched, with their status before.
        if every is None:
            before = {k: str(v) for k, v in state.touched.items()}
            changed = {
                k for k, was in before.items() if k in statuses and statuses[k].status != was
            }
        else:
            before = every
            changed = {k for k, now in statuses.items() if now.status != every.get(k, "pending")}
        concerned = {item} if item else set()
        if event.batch is not None and event.type != ev.UNDO and item is not None:
            self.batches.setdefault(event.batch, set()).add(item)
        if isinstance(data, ev.UndoData):
            concerned |= self.batches.get(data.batch, set())
        concerned |= changed
        happening = Happening(
            type=event.type,
            when=self.local(event.at),
            actor=one_line(event.actor),
            item=_label(state, item) or label,
            title=_title(state, item) or title,
            corrected=self.clock.local(event.recorded) if data.corrected else None,
        )
        invalid = state.invalid.get(event.seq)
        if invalid is not None:
            happening.type = "invalid"
            happening.facts = {"seq": event.seq, "of": one_line(event.type), "reason": invalid}
            return happening, concerned
        own = {item} if item else set()
        if event.type in (ev.ITEM_OPEN, ev.ITEM_RESUME) and item in state.agenda.nodes:
            own |= set(state.agenda.ancestors(item))
            taken = take_up_as(state, event, before.get(item))
            happening.facts = {"reopened": taken == "reopened", "resumed": taken == "resumed"}
        if event.type == ev.SITTING_RESUME and state.floor is not None:
            happening.facts["floor"] = _label(state, state.floor)
        else:
            happening.changes = self._changes(state, changed - own)
        if event.type.startswith("sitting.") and state.sittings:
            last = state.sittings[-1]
            happening.facts.update(
                sitting=last.number,
                given=given_label(last.number, last.label),
                implicit=isinstance(data, ev.SittingOpenData) and data.implicit,
            )
        happening.facts.update(self._facts(event, state, label, title, name, note, speaker))
        return happening, concerned

    def _changes(self, state: SessionState, changed: set[str]) -> list[tuple[str, list[str]]]:
        if not changed:
            return []
        # Agenda order as positions, made again only when the order changed (an amendment):
        # a long session has a great many events and items.
        agenda_order = state.agenda.order()
        if self.order_of is not agenda_order:
            self.order_of = agenda_order
            self.order = {node_id: index for index, node_id in enumerate(agenda_order)}
        order = self.order
        groups: dict[str, list[str]] = {}
        for node_id in sorted(changed, key=lambda n: order.get(n, len(order))):
            groups.setdefault(state.items[node_id].status, []).append(_label(state, node_id))
        return list(groups.items())

    def _facts(
        self,
        event: Event,
        state: SessionState,
        label: str,
        title: str,
        name: str,
        note: Any,
        speaker: str,
    ) -> dict[str, Any]:
        data = event.data
        if isinstance(data, ev.NoteAddData):
            return {"kind": data.kind, "text": _text(data.text)}
        if isinstance(data, ev.NoteEditData | ev.NoteRef):
            kind = (data.kind if isinstance(data, ev.NoteEditData) else None) or (
                note.kind if note is not None else "note"
            )
            text = data.text if isinstance(data, ev.NoteEditData) else (note.text if note else "")
            return {
                "kind": kind,
                "text": _text(text),
                "written": self.clock.local(note.at) if note is not None else None,
            }
        if isinstance(data, ev.SpeakerAddData):
            return {
                "name": one_line(data.name),
                "kind": data.kind,
                "delegation": one_line(data.delegation),
                "on_behalf": one_line(data.on_behalf_of),
                "person": one_line(data.person),
                "limit": data.limit,
            }
        if isinstance(data, ev.SpeakerRef):
            facts: dict[str, Any] = {"name": speaker}
            if isinstance(data, ev.SpeakerStartData):
                facts["interrupts"] = (
                    _speaker_name(state, event.item, data.interrupts) if data.interrupts else None
                )
                facts["resumes"] = data.resumes
            if isinstance(data, ev.SpeakerMoveData):
                facts["place"] = data.position + 1
            if event.type == ev.SPEAKER_STOP and event.item in state.items:
                spoke = state.speaker(event.item, data.speaker)
                if spoke is not None:
                    facts["seconds"] = spoke.seconds
                    facts["limit"] = spoke.limit_seconds
            return facts
        if isinstance(data, ev.AmendData):
            parent = data.parent if isinstance(data.parent, str) else None
            after = data.after if isinstance(data.after, str) else None
            return {
                "op": data.op,
                "new_title": one_line(data.title),
                "was": name,
                "was_label": label,
                "was_title": title,
                "parent": _label(state, parent) if parent else "",
                "after": _label(state, after) if after else "",
            }
        if isinstance(data, ev.ParticipantData):
            return {
                "name": one_line(data.name),
                "kind": data.kind,
                "groups": [one_line(g) for g in data.groups],
            }
        if isinstance(data, ev.ParticipantRef):
            return {"name": one_line(data.name)}
        if isinstance(data, ev.AttendanceData):
            return {
                "sitting": data.sitting,
                "given": given_label(
                    data.sitting,
                    next((s.label for s in state.sittings if s.number == data.sitting), ""),
                ),
                "present": [one_line(n) for n in data.present],
                "absent": [one_line(n) for n in data.absent],
            }
        if isinstance(data, ev.UndoData):
            return {"what": one_line(data.what)}
        if isinstance(data, ev.RefusedData):
            return {"what": one_line(data.what), "reason": one_line(data.reason)}
        return {"of": one_line(event.type)}


def happenings(
    header: Header,
    events: Sequence[Event],
    keep: Callable[[Event], bool] | None = None,
    items: Collection[str] | None = None,
) -> list[Happening]:
    """The journal appendix as facts, in ``seq`` order: every event is folded, ``keep`` picks
    those listed; with ``items`` (an excerpt's), one that concerns items concerns one of them.
    """
    return list(_each(header, events, keep, items))


def _each(
    header: Header,
    events: Sequence[Event],
    keep: Callable[[Event], bool] | None,
    items: Collection[str] | None,
) -> Iterator[Happening]:
    words = _Words(header)
    wanted = set(items) if items is not None else None
    for event in sorted(events, key=lambda e: e.seq):
        happening, concerned = words.feed(event)
        if keep is not None and not keep(event):
            continue
        if wanted is None or not concerned or concerned & wanted:
            yield happening
