"""The draft meeting report as plain data, shared by the Markdown, HTML and Word exporters."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from zoneinfo import ZoneInfo

import msgspec

from sessiontui.core.events import Event, Header, seal
from sessiontui.core.report import format_duration
from sessiontui.core.state import FloorInterval, SessionState, Speaker
from sessiontui.core.text import safe_display
from sessiontui.core.wallclock import Clock, format_dates


def clean(text: str | None) -> str:
    """User text made safe for any output: escape sequences, controls and bidi overrides removed."""
    return safe_display(text or "")


def one_line(text: str | None) -> str:
    """User text cleaned and folded onto one line (titles, names, table cells)."""
    return " ".join(clean(text).split())


def meeting_zone(state: SessionState) -> dt.tzinfo:
    """The meeting's timezone when the agenda names a valid one, else UTC."""
    name = state.agenda.meeting.timezone
    if name:
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            pass  # an unknown zone name: UTC keeps the export deterministic and honest
    return dt.UTC


def zone_name(state: SessionState) -> str:
    """How the report names the timezone its times are in."""
    zone = meeting_zone(state)
    return str(zone.key) if isinstance(zone, ZoneInfo) else "UTC"


def join_names(names: Sequence[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def speaker_sentences(speakers: Sequence[Speaker]) -> list[str]:
    """The speakers of an item in speaking order, grouped the way meeting reports write them.

    Consecutive statements form one sentence; each right of reply and point of order is named as
    such, so the order in which things were said stays readable.
    """
    spoke = sorted(
        (s for s in speakers if s.started is not None),
        key=lambda s: s.started or dt.datetime.min.replace(tzinfo=dt.UTC),
    )
    runs: list[tuple[str, list[str]]] = []
    for speaker in spoke:
        who = one_line(speaker.delegation or speaker.name)
        if runs and runs[-1][0] == speaker.kind:
            runs[-1][1].append(who)
        else:
            runs.append((speaker.kind, [who]))
    sentences: list[str] = []
    seen_statement = False
    for kind, names in runs:
        many = len(names) > 1
        listed = join_names(names)
        if kind == "reply":
            if many:
                sentences.append(
                    f"The representatives of {listed} made statements in exercise of the right"
                    " of reply."
                )
            else:
                sentences.append(
                    f"The representative of {listed} made a statement in exercise of the right"
                    " of reply."
                )
        elif kind == "point_of_order":
            for name in names:
                sentences.append(f"The representative of {name} raised a point of order.")
        else:
            also = " also" if seen_statement else ""
            if many:
                sentences.append(f"Statements were{also} made by the representatives of {listed}.")
            else:
                sentences.append(f"A statement was{also} made by the representative of {listed}.")
            seen_statement = True
    return sentences


@dataclass(slots=True)
class Consideration:
    """When an item was considered during one sitting.

    ``stamps`` holds the start and end of each span on the floor, one after the other, as
    POSIX timestamps: a long session's report has hundreds of thousands of them, and numbers
    in one list cost a fraction of an object per span.
    """

    sitting: int
    sitting_label: str
    stamps: list[float] = field(default_factory=list)


@dataclass(slots=True)
class NoteView:
    """A note, decision or action point as the report shows it."""

    kind: str
    text: str


@dataclass(slots=True)
class ItemView:
    """One agenda item as the report shows it."""

    id: str
    label: str
    title: str
    depth: int
    top: str  # the top-level item it belongs to (its own id at the top level)
    status: str
    reopened: int
    planned: float | None
    used: float
    considered: list[Consideration]
    speakers: list[str]
    notes: list[NoteView]
    annotation: str

    @property
    def heading(self) -> str:
        """Label and title as printed."""
        return f"{self.label} {self.title}" if self.label else self.title

    @property
    def difference(self) -> float | None:
        """Used minus planned (None without a plan)."""
        return None if self.planned is None else self.used - self.planned

    @property
    def status_text(self) -> str:
        """The item's outcome in words, for the report."""
        if self.status == "pending":
            return "Not taken up."
        if self.status == "deferred":
            return "Deferred."
        if self.status in ("open", "suspended"):
            return "Consideration not concluded."
        if self.reopened:
            times = "once" if self.reopened == 1 else f"{self.reopened} times"
            return f"Concluded (reopened {times})."
        return "Concluded."


@dataclass(slots=True)
class SittingView:
    """A sitting with its suspensions."""

    number: int
    label: str
    status: str
    opened: dt.datetime
    closed: dt.datetime | None
    suspensions: list[tuple[dt.datetime, dt.datetime | None]]
    running_seconds: float
    implicit: bool


@dataclass(slots=True)
class Provenance:
    """Where the export comes from: enough to check it against the log."""

    session: str
    last_seq: int
    sha256: str
    exported: dt.datetime | None
    reproduced: bool


@dataclass(slots=True)
class Report:
    """Everything the draft report shows, cleaned of unsafe characters but not yet escaped."""

    title: str
    subtitle: str
    body: str
    symbol: str
    dates: str
    venue: str
    zone: str
    clock: Clock
    items: list[ItemView]
    sittings: list[SittingView]
    floor_log: list[FloorInterval]
    provenance: Provenance
    excerpt: bool
    journal: list[str]

    @property
    def end(self) -> dt.datetime | None:
        """The last instant the record covers (the export time)."""
        return self.provenance.exported


def log_digest(header: Header, events: Sequence[Event]) -> tuple[str, bool]:
    """SHA-256 of the log's lines up to the last event, rebuilt from the records.

    Every line of the log is ``seal(record)``; sealing a copy reproduces the very bytes when its
    checksum matches the stored one, so no file access is needed (the TUI and a database store get
    the same digest as the file). The flag says whether every record reproduced exactly.
    """
    digest = hashlib.sha256()
    exact = True
    records: list[Header | Event] = [header, *events]
    for record in records:
        copy = msgspec.structs.replace(record)
        claimed = record.sum
        digest.update(seal(copy))
        exact = exact and copy.sum == claimed
    return digest.hexdigest(), exact


def select_items(state: SessionState, wanted: Sequence[str] | None) -> list[str]:
    """Item ids in agenda order: all, or the wanted ones with their sub-items.

    Raises:
        ReferenceError_: a wanted reference matches no item, or several.
    """
    order = [node.id for node in state.agenda]
    if wanted is None:
        return order
    chosen: set[str] = set()
    for reference in wanted:
        node = state.agenda.resolve(reference)
        chosen.update((node.id, *state.agenda.descendants(node.id)))
    return [item_id for item_id in order if item_id in chosen]


_START_END = attrgetter("start", "end")


def _considerations(state: SessionState) -> dict[str, list[Consideration]]:
    """When each item (itself or one of its sub-items) was on the floor, per sitting.

    One pass over the floor log in time order, each interval credited to its item and that
    item's ancestors: a long session's floor log (100,000 intervals) is walked once, not once
    per item.
    """
    labels = {s.number: one_line(s.label) for s in state.sittings}
    out: dict[str, list[Consideration]] = {}
    # Each item's consideration in the sitting of the last interval credited to it.
    latest: dict[str, Consideration] = {}
    branches: dict[str, tuple[str, ...]] = {}
    nodes = state.agenda.nodes
    for interval in sorted(state.floor_log, key=_START_END):
        item_id, sitting = interval.item, interval.sitting
        branch = branches.get(item_id)
        if branch is None:
            branch = (item_id, *state.ancestors(item_id)) if item_id in nodes else (item_id,)
            branches[item_id] = branch
        start, end = interval.start.timestamp(), interval.end.timestamp()
        for member in branch:
            considered = latest.get(member)
            if considered is None or considered.sitting != sitting:
                label = labels.get(sitting, "outside a sitting")
                latest[member] = considered = Consideration(sitting, label, [start, end])
                if member in out:
                    out[member].append(considered)
                else:
                    out[member] = [considered]
            elif considered.stamps[-1] == start:
                # A sub-item following another on the floor is one continuous consideration
                # of the parent.
                considered.stamps[-1] = end
            else:
                considered.stamps += (start, end)
    return out


def build_report(
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    *,
    items: Sequence[str] | None,
    notes: bool,
    speakers: bool,
    journal: Sequence[str],
    sha256: str | None = None,
) -> Report:
    """Derive the report's content from the state (no wall clock: times come from the log)."""
    meeting = state.agenda.meeting
    views: list[ItemView] = []
    considerations = _considerations(state)
    for item_id in select_items(state, items):
        node = state.agenda.nodes[item_id]
        item = state.items[item_id]
        note_views = [
            NoteView(n.kind, clean(n.text).strip())
            for n in state.notes_of(item_id)
            if notes or n.kind != "note"
        ]
        views.append(
            ItemView(
                id=item_id,
                label=one_line(node.label),
                title=one_line(node.title),
                depth=node.depth,
                top=(item_id, *state.ancestors(item_id))[-1],
                status=item.status,
                reopened=item.reopened,
                planned=state.agenda.planned_seconds_of(item_id),
                used=state.used_seconds(item_id),
                considered=considerations.get(item_id, []),
                speakers=speaker_sentences(item.speakers) if speakers else [],
                notes=note_views,
                annotation=clean(node.annotation).strip(),
            )
        )
    sittings = [
        SittingView(
            number=s.number,
            label=one_line(s.label),
            status=s.status,
            opened=s.opened,
            closed=s.closed,
            suspensions=[(a, b) for a, b in s.suspensions if a is not None],
            running_seconds=s.running_seconds,
            implicit=s.implicit,
        )
        for s in state.sittings
    ]
    digest, exact = log_digest(header, events)
    last = max(events, key=lambda e: e.seq) if events else None
    return Report(
        title=one_line(meeting.title),
        subtitle=one_line(meeting.subtitle),
        body=one_line(meeting.body),
        symbol=one_line(meeting.symbol),
        dates=format_dates(meeting.dates),
        venue=one_line(meeting.venue),
        zone=zone_name(state),
        clock=Clock(meeting_zone(state)),
        items=views,
        sittings=sittings,
        floor_log=list(state.floor_log),
        provenance=Provenance(
            session=one_line(header.session),
            last_seq=last.seq if last else 0,
            sha256=sha256 or digest,
            exported=last.recorded if last else None,
            reproduced=exact or sha256 is not None,
        ),
        excerpt=items is not None,
        journal=[one_line(line) for line in journal],
    )


def duration(seconds: float | None, *, signed: bool = False) -> str:
    """``format_duration`` with an en dash for "no figure" in reports."""
    if seconds is None:
        return "–"
    return format_duration(seconds, signed=signed)


def considered_text(view: ItemView, clock: Clock, *, times: bool) -> str:
    """``"Considered at the 1st meeting (10:05–10:30, 11:00–11:20) and the 2nd meeting."``."""
    parts: list[str] = []
    for consideration in view.considered:
        if consideration.sitting == 0:
            part = "outside a sitting"
        else:
            part = f"the {consideration.sitting_label}"
        stamps = consideration.stamps
        if times and stamps:
            part += f" ({clock.spans_text(stamps)})"
        parts.append(part)
    if not parts:
        return ""
    return f"Considered at {join_names(parts)}."


def time_text(view: ItemView) -> str:
    """``"Time used: 25:00 of 30:00 planned (−5:00)."``."""
    if view.planned is None:
        return f"Time used: {duration(view.used)} (no time planned)."
    diff = view.difference or 0.0
    return (
        f"Time used: {duration(view.used)} of {duration(view.planned)} planned"
        f" ({duration(diff, signed=True) if round(diff) else 'on time'})."
    )


def suspensions_text(sitting: SittingView, clock: Clock) -> str:
    """``"11:00–11:15, 12:30–"`` for a sitting's suspensions."""
    return ", ".join(f"{clock.time(a)}–{clock.time(b)}" for a, b in sitting.suspensions)


NOTE_TITLES = {"decision": "Decision", "action": "Action point", "note": "Note"}


ITEM_SUMMARY_HEAD = ("Item", "Title", "Planned", "Used", "Difference")
SITTING_SUMMARY_HEAD = ("Sitting", "Opened", "Closed", "Suspensions", "Time")


def item_summary_rows(report: Report) -> list[list[str]]:
    """The summary table per item: planned, used and difference (one place for every format)."""
    return [
        [
            item.label,
            item.title,
            duration(item.planned),
            duration(item.used),
            duration(item.difference, signed=True),
        ]
        for item in report.items
    ]


def sitting_summary_rows(report: Report) -> list[list[str]]:
    """The summary table per sitting: opened, closed, suspensions, time."""
    clock = report.clock
    return [
        [
            s.label,
            clock.stamp(s.opened),
            clock.stamp(s.closed) if s.closed else s.status,
            suspensions_text(s, clock) or "none",
            duration(s.running_seconds),
        ]
        for s in report.sittings
    ]
