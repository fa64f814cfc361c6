"""The top bar: meeting title, sitting, wall clock, the item on the floor and the projected end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from sessiontui.core.agenda import SittingSpec
from sessiontui.core.phrases import off_the_agenda_days
from sessiontui.core.register import fold
from sessiontui.core.state import SessionState
from sessiontui.ui.format import (
    clock,
    hhmm,
    local,
    meeting_zone,
    minutes_words,
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
    # A sitting held on another day than its programme's (postponed, or a rehearsal on a past
    # agenda) is scheduled to end at that time of the day it is held, not years late.
    sitting = state.sitting
    day = local(sitting.opened, state).date() if sitting is not None else entry.date
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)


def others_active(state: SessionState, now: dt.datetime, me: Collection[str]) -> list[str]:
    """Who else recorded something within ``ACTIVE_WINDOW``: each person once, under the
    spelling they used last, and never the person recording under the names ``me``.

    Names are compared as a person reads them (``register.fold`` of the displayed text: case,
    accents, spaces and invisible characters aside), so "Bo Lin" and "bo  lin" are one person.
    """
    mine = {fold(safe(name)) for name in me}
    latest: dict[str, tuple[dt.datetime, str]] = {}
    for name, at in state.actors.items():
        if now - at > ACTIVE_WINDOW:
            continue
        person = fold(safe(name))
        if person in mine:
            continue
        seen = latest.get(person)
        if seen is None or at > seen[0]:
            latest[person] = (at, name)
    return sorted((name for _, name in latest.values()), key=lambda name: fold(safe(name)))


class TopBar(Static):
    """Where the meeting stands, repainted every second."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"top-bar--title", "top-bar--late"}
    link_status = ""
    """A shared session's connection and outbox (set by the app), shown first on the second line."""
    pending_at = ""
    """The time set with ``@`` for the next action (set by the app), shown until used or cleared."""
    view_only = False
    """Nothing can be recorded here (a viewer, a damaged log): said on the bar, always."""
    unwritable = ""
    """Why nothing can be recorded any more (a write failed, "(the disk is full): restart to
    record"), set by the app: said on the bar, after "READ-ONLY", until the tracker restarts."""

    def show(self, state: SessionState, now: dt.datetime, me: Collection[str]) -> None:
        """Paint the bar for the instant ``now`` as seen by the person recording under the
        names ``me``."""
        title_style = self.get_component_rich_style("top-bar--title", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(safe(state.agenda.meeting.title), style=title_style)
        lines = fit(self._parts(state, now, me), self.content_size.width or self.app.size.width - 2)
        for line in lines[:MAX_LINES]:
            text.append("\n")
            text.append_text(line)
        height = 1 + min(len(lines), MAX_LINES)
        if self.styles.height is None or self.styles.height.value != height:
            # A narrow terminal: what does not fit the second line goes to a third one.
            self.styles.height = height
        # Otherwise its size is set: no layout of the screen needed.
        self.update(text, layout=False)

    def _locked(self) -> str:
        """Why nothing can be recorded here, on the bar ("" if things can)."""
        if self.view_only:
            return "VIEW ONLY"
        return f"READ-ONLY {self.unwritable}" if self.unwritable else ""

    def _parts(self, state: SessionState, now: dt.datetime, me: Collection[str]) -> list[Part]:
        """The status after the title, in parts kept whole when the bar wraps."""
        late_style = self.get_component_rich_style("top-bar--late", partial=True)
        parts: list[Text | Part] = []
        if locked := self._locked():
            parts.append(Text(locked, style=late_style))
        if self.link_status:
            parts.append(Text(self.link_status, style="bold"))
        sitting = state.sitting
        part = Text()
        if sitting is None:
            part.append("No sitting open")
        else:
            part.append(f"{safe(sitting.label)}: ")
            part.append(sitting.status.upper() if sitting.status == "suspended" else sitting.status)
        parts.append(part)
        parts.append(Text(hhmm(now, state)))
        if self.pending_at:
            parts.append(Text(f"at {self.pending_at}", style=late_style))
        if state.floor is not None:
            part = Text("On the floor: ")
            part.append(
                safe(state.label(state.floor)) or safe(state.agenda.nodes[state.floor].title),
                style="bold",
            )
            part.append(f" {clock(state.used_seconds(state.floor, now))}")
            parts.append(part)
        speaking = state.speaking
        speaker = state.speaker(*speaking) if speaking is not None else None
        if speaking is not None and speaker is not None:
            # Who has the floor, always in sight: at 80x24 the item's list of speakers may show
            # only its first lines.
            seconds = state.speaker_seconds(speaking[0], speaker, now)
            part = Text("Speaking: ")
            part.append(user_text(speaker.name, "bold"))
            part.append(f" {clock(seconds)}")
            if speaker.limit_seconds and seconds > speaker.limit_seconds:
                part.append(" OVER", style=late_style)
            parts.append(part)
        # The current sitting's own items against its own scheduled end, not the whole agenda.
        projected = state.projected_end(now, scheduled_sitting(state, now))
        end = scheduled_end(state, now)
        # Without planned durations a projection would just repeat the clock: leave it out.
        if state.agenda.planned_total_seconds():
            parts.append(_projected_end(state, projected, end, late_style))
        others = others_active(state, now, me)
        if others:
            parts.append(_also_active(others))
        if sitting is not None and off_the_agenda_days(sitting.opened, state) is not None:
            # Last, so it never pushes the item on the floor off a narrow bar; never shed.
            parts.append(Text("not a meeting day", style=late_style))
        return [part if isinstance(part, Part) else Part((part,)) for part in parts]


def _projected_end(
    state: SessionState, projected: dt.datetime, end: dt.datetime | None, late_style: Style
) -> Part:
    """ "Ends ~11:30 (scheduled 10:45, 45 min late)"; shorter, "Ends ~11:30 (45 min late)"
    (the delay in words, which never reads as a time of day), then "Ends ~11:30"."""
    whole = Text(f"Ends ~{hhmm(projected, state)}")
    short = whole.copy()
    if end is not None:
        whole.append(" (scheduled ")
        whole.append(hhmm(end, state), style=late_style if projected > end else "")
        if projected > end:
            late = f"{minutes_words((projected - end).total_seconds())} late"
            whole.append(f", {late}", style=late_style)
            short.append(" (")
            short.append(late, style=late_style)
            short.append(")")
        whole.append(")")
    forms = (whole, short) if short.plain != whole.plain else (whole,)
    return Part((*forms, Text()), shed="projected end")


def _also_active(others: list[str]) -> Part:
    """ "Also active: Ana, Bo +3": up to four names, then fewer (and how many more)."""
    forms = []
    for shown in range(min(len(others), 4), 0, -1):
        part = Text("Also active: ")
        for index, name in enumerate(others[:shown]):
            if index:
                part.append(", ")
            part.append(user_text(name))
        if len(others) > shown:
            part.append(f" +{len(others) - shown}")
        forms.append(part)
    return Part((*forms, Text()), shed="also active")


MAX_LINES = 2
"""Lines of status under the title at most (at 80 columns the projected end needs a second)."""

SHED_ORDER = ("also active", "projected end")
"""The parts shortened, then left out, when the status does not fit ``MAX_LINES`` lines, the
first first: who else is active (fewer names, then none), then the projected end (without the
scheduled time, then none). Every other part stays whole: the sitting, the time, the item on
the floor, the speaker and, last on the bar, "not a meeting day" (a sitting held on a day
outside the agenda's dates matters more than who else is active)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the status: its forms, the whole one first, each next one shorter."""

    forms: tuple[Text, ...]
    """An empty last form: the part can be left out."""
    shed: str = ""
    """Its name in ``SHED_ORDER`` ("": it stays whole)."""


def fit(parts: list[Part], width: int) -> list[Text]:
    """The parts wrapped into ``MAX_LINES`` lines, if need be by shortening those that can be,
    in ``SHED_ORDER``, each only as far as needed."""
    chosen = [0] * len(parts)

    def lines() -> list[Text]:
        shown = (part.forms[form] for part, form in zip(parts, chosen, strict=True))
        return wrap([text for text in shown if text.plain], width)

    sheddable = (index for index, part in enumerate(parts) if part.shed)
    for index in sorted(sheddable, key=lambda index: SHED_ORDER.index(parts[index].shed)):
        while len(lines()) > MAX_LINES and chosen[index] + 1 < len(parts[index].forms):
            chosen[index] += 1
    return lines()


SEPARATOR = " │ "


def wrap(parts: list[Text], width: int) -> list[Text]:
    """The parts joined by separators, a new line started where the next part would not fit."""
    lines: list[Text] = []
    for part in parts:
        if lines and lines[-1].cell_len + len(SEPARATOR) + part.cell_len <= width:
            lines[-1].append(SEPARATOR)
            lines[-1].append_text(part)
        else:
            lines.append(part.copy())
    return lines or [Text()]
