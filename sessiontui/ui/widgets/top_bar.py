"""The top bar: meeting title, sitting, wall clock, the item on the floor and the projected end."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from sessiontui.core.agenda import SittingSpec
from sessiontui.core.state import SessionState
from sessiontui.ui.format import (
    clock,
    hhmm,
    local,
    meeting_zone,
    off_the_agenda_days,
    safe,
    user_text,
)

ACTIVE_WINDOW = dt.timedelta(minutes=5)
"""How recently someone must have recorded something to count as "also here"."""


def scheduled_sitting(state: SessionState, now: dt.datetime) -> SittingSpec | None:
    """The programme's entry for the current sitting: by its number, else by today's date."""
    programme = state.agenda.sittings
    if not programme:
        return None
    sitting = state.sitting
    if sitting is not None and sitting.number <= len(programme):
        return programme[sitting.number - 1]
    today = local(now, state).date()
    for entry in programme:
        if entry.date == today:
            return entry
    return None


def scheduled_end(state: SessionState, now: dt.datetime) -> dt.datetime | None:
    """When the current sitting is scheduled to end, from the agenda's ``[[sittings]]``."""
    entry = scheduled_sitting(state, now)
    if entry is None or entry.end is None:
        return None
    hours, minutes = (int(part) for part in entry.end.split(":"))
    zone = meeting_zone(state) or local(now, state).tzinfo
    return dt.datetime.combine(entry.date, dt.time(hours, minutes), tzinfo=zone)


class TopBar(Static):
    """Where the meeting stands, repainted every second."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"top-bar--title", "top-bar--late"}
    link_status = ""
    """A shared session's connection and outbox (set by the app), shown first on the second line."""
    pending_at = ""
    """The time set with ``@`` for the next action (set by the app), shown until used or cleared."""

    def show(self, state: SessionState, now: dt.datetime, me: str) -> None:
        """Paint the bar for the instant ``now`` as seen by actor ``me``."""
        title_style = self.get_component_rich_style("top-bar--title", partial=True)
        late_style = self.get_component_rich_style("top-bar--late", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(safe(state.agenda.meeting.title), style=title_style)
        text.append("\n")
        if self.link_status:
            text.append(f"{self.link_status} │ ", style="bold")
        sitting = state.sitting
        if sitting is None:
            text.append("No sitting open")
        else:
            text.append(f"{safe(sitting.label)}: ")
            text.append(sitting.status.upper() if sitting.status == "suspended" else sitting.status)
        text.append(f" │ {hhmm(now, state)}")
        if self.pending_at:
            text.append(f" │ at {self.pending_at}", style=late_style)
        if state.floor is not None:
            text.append(" │ On the floor: ")
            text.append(
                safe(state.label(state.floor)) or safe(state.agenda.nodes[state.floor].title),
                style="bold",
            )
            text.append(f" {clock(state.used_seconds(state.floor, now))}")
        # The current sitting's own items against its own scheduled end, not the whole agenda.
        projected = state.projected_end(now, scheduled_sitting(state, now))
        end = scheduled_end(state, now)
        # Without planned durations a projection would just repeat the clock: leave it out.
        if state.agenda.planned_total_seconds():
            text.append(f" │ Ends ~{hhmm(projected, state)}")
        if end is not None and state.agenda.planned_total_seconds():
            text.append(" (scheduled ")
            text.append(hhmm(end, state), style=late_style if projected > end else "")
            if projected > end:
                text.append(f", {clock((projected - end).total_seconds())} late", style=late_style)
            text.append(")")
        others = sorted(
            name for name, at in state.actors.items() if name != me and now - at <= ACTIVE_WINDOW
        )
        if others:
            text.append(" │ Also active: ")
            for index, name in enumerate(others[:4]):
                if index:
                    text.append(", ")
                text.append(user_text(name))
        if sitting is not None and off_the_agenda_days(sitting.opened, state) is not None:
            # Last, so it never pushes the item on the floor off a narrow bar.
            text.append(" │ not a meeting day", style=late_style)
        # Its size is set by the stylesheet, whatever the text: no layout of the screen needed.
        self.update(text, layout=False)
