"""The fifth phase of building an agenda: times and sittings.

Afternoon times written without "pm", durations taken from the next item's start, and the
sittings of the programme with their times (from their headings or their items' times), or
the one sitting a preamble announces.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sessiontui.core.agenda import SittingSpec, normalize_reference
from sessiontui.importers.classify import Clock, quote, squash, take_extras
from sessiontui.importers.findings import Findings
from sessiontui.importers.nodes import Node, Sitting, walk
from sessiontui.importers.outcome import item_spec
from sessiontui.importers.source import Line
from sessiontui.importers.when import When, find_when


def fix_times(roots: list[Node], findings: Findings) -> int:
    """Afternoon times written without pm; durations from consecutive start times.

    Returns:
        How many durations were taken from the next start time.
    """
    inferred = 0
    groups: dict[int, list[Node]] = {}
    # each item's next sibling, timed or not
    after = {
        id(first): second
        for children in (roots, *(node.children for node in walk(roots)))
        for first, second in itertools.pairwise(children)
    }
    for node in walk(roots):
        if node.start is not None:
            groups.setdefault(id(node.parent), []).append(node)
    for siblings in groups.values():
        previous: Node | None = None
        for node in siblings:
            assert node.start is not None
            if previous is not None and previous.start is not None:
                before = previous.start.minutes
                if (
                    node.start.minutes < before
                    and not node.start.explicit
                    and node.start.minutes < 12 * 60
                    and node.start.minutes + 12 * 60 >= before
                    and previous.sitting is node.sitting
                ):
                    node.start = Clock(node.start.minutes + 720, True, False)
                    findings.doubt(node.where, f"{node.start.hhmm} read as afternoon (no am/pm)")
            previous = node
        for first, second in itertools.pairwise(siblings):
            assert first.start is not None and second.start is not None
            if first.minutes is not None or first.end is not None or first.children:
                continue
            if first.sitting is not second.sitting:
                continue
            if after.get(id(first)) is not second:
                continue  # items without a time between: the time is not the first one's
            if take_extras(squash(first.title))[1].minutes is not None:
                continue
            gap = second.start.minutes - first.start.minutes
            if 0 < gap <= 12 * 60:
                first.minutes = float(gap)
                inferred += 1
    _minutes_between_ends(roots)
    return inferred


def _minutes_between_ends(roots: list[Node]) -> None:
    """An untimed item ending at a time ("Until 3.00pm") right after one that ends at an
    earlier time ("Until 2.30pm") runs from that end to its own: its planned minutes."""
    for children in (roots, *(node.children for node in walk(roots))):
        for first, second in itertools.pairwise(children):
            if first.end is None or second.end is None or second.start is not None:
                continue
            gap = second.end.minutes - first.end.minutes
            if second.minutes is None and first.sitting is second.sitting and 0 < gap <= 12 * 60:
                second.minutes = float(gap)


@dataclass
class Schedule:
    """What the sittings are made from, and how: ``Schedule(...).sittings()``.

    Attributes:
        roots: the items.
        sittings: the sittings the day headings opened.
        meeting_dates: the meeting's dates, as the preamble gave them.
        when: the preamble's announcement of the meeting's start.
        lines: the document, to find an opening announced in its text.
        findings: where doubts go.
    """

    roots: list[Node]
    sittings: list[Sitting]
    meeting_dates: list[dt.date]
    when: When | None
    lines: list[Line]
    findings: Findings

    def specs(self) -> list[SittingSpec]:
        """One spec per sitting whose date and times are known; the items' sittings get ids."""
        announced = self._announced_sitting()
        if announced is not None:
            return [announced]
        if not self.sittings:
            self._whole_programme_sitting()
        out: list[SittingSpec] = []
        used: set[str] = set()
        labels: set[str] = set()
        for sitting in self.sittings:
            times = self._sitting_times(sitting)
            if times is None:
                continue
            start, end = times
            sitting_id = _free_id(sitting.date.isoformat(), used)  # type: ignore[union-attr]
            label = sitting.label or None
            if label is not None:
                key = normalize_reference(label)
                if key in labels or key == normalize_reference(sitting_id):
                    label = f"{label} ({sitting_id})"
                labels.add(normalize_reference(label))
            sitting.id = sitting_id
            out.append(
                SittingSpec(
                    date=sitting.date,  # type: ignore[arg-type]
                    start=f"{start // 60:02d}:{start % 60:02d}",
                    end=f"{end // 60:02d}:{end % 60:02d}",
                    label=label,
                    id=sitting_id,
                )
            )
        return out

    def _announced_sitting(self) -> SittingSpec | None:
        """The one sitting a preamble announces ("Tuesday, 10 September 2002, at 3 p.m."),
        when the programme itself gives no times."""
        if self.sittings or any(node.start is not None for node in walk(self.roots)):
            return None
        when = self.when if self.when is not None else self._opening_in_text()
        if when is None or when.start is None:
            return None
        day = when.dates[0]
        return SittingSpec(date=day, start=when.start.hhmm, id=day.isoformat())

    def _opening_in_text(self) -> When | None:
        """The opening announced in an annotation or a note ("The session will be opened ...
        on Monday, 3 March 2025, at 10 a.m."), on one of the meeting's days."""
        if not self.meeting_dates:
            return None
        texts = [text for node in walk(self.roots) for text in node.annotation]
        texts.extend(line.text for line in self.lines if line.text)
        for text in texts:
            when = find_when(text)
            if when is not None and when.start is not None and when.dates[0] in self.meeting_dates:
                return when
        return None

    def single_date(self) -> dt.date | None:
        """The meeting's date when it has only one."""
        return self.meeting_dates[0] if len(self.meeting_dates) == 1 else None

    def _whole_programme_sitting(self) -> None:
        """A timed programme of a one-day meeting without day headings is one sitting."""
        timed = [n for n in walk(self.roots) if n.start is not None]
        single = self.single_date()
        if timed and single is not None:
            sitting = Sitting("programme", "", single, nodes=list(walk(self.roots)))
            for node in walk(self.roots):
                node.sitting = sitting
            self.sittings.append(sitting)

    def _sitting_times(self, sitting: Sitting) -> tuple[int, int] | None:
        """A sitting's start and end in minutes, from its heading or its items' times; None
        (with a doubt for a named sitting) when its date or times cannot be known."""
        nodes = [n for root in sitting.nodes for n in walk([root]) if n.sitting is sitting]
        starts = [n.start.minutes for n in nodes if n.start is not None]
        ends = []
        for node in nodes:
            if node.end is not None:
                ends.append(node.end.minutes)  # also "Until 7.30pm" under an untimed stage
            elif node.start is not None:
                minutes = item_spec(node).minutes
                ends.append(node.start.minutes + (int(minutes) if minutes is not None else 0))
        start = sitting.start.minutes if sitting.start is not None else min(starts, default=None)
        end = sitting.end.minutes if sitting.end is not None else max(ends, default=None)
        name = quote(sitting.label) if sitting.label else "the programme"
        if sitting.date is None:
            if sitting.label:
                self.findings.doubt(sitting.where, f"{name}: date unknown - no sitting recorded")
            return None
        if start is None or end is None or end <= start or end >= 24 * 60:
            if sitting.label:
                self.findings.doubt(sitting.where, f"{name} gives no times - no sitting recorded")
            return None
        return start, end


def _free_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is not in ``used`` yet (then it is)."""
    candidate = base
    counter = 2
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    used.add(candidate)
    return candidate
