"""Text helpers for the tracker: durations, status marks and user text made safe to show."""

from __future__ import annotations

import datetime as dt
import math

from rich.style import Style, StyleType
from rich.text import Text

from sessiontui.core.clock import format_duration, session_zone
from sessiontui.core.state import SessionState
from sessiontui.core.text import safe_display
from sessiontui.core.vocabulary import SpeechKind, speech_kind
from sessiontui.core.wallclock import in_zone

# Marks tell the statuses apart without colour (NO_COLOR, monochrome projectors).
STATUS_MARKS: dict[str, str] = {
    "pending": "·",
    "open": "▶",
    "suspended": "‖",
    "closed": "✓",
    "deferred": "»",
}

STATUS_WORDS: dict[str, str] = {
    "pending": "pending",
    "open": "on the floor",
    "suspended": "suspended",
    "closed": "closed",
    "deferred": "deferred",
}

SPEECH_KINDS: tuple[tuple[str, str], ...] = tuple((kind.value, kind.heading) for kind in SpeechKind)
"""The kinds of speech, as recorded and as offered."""


def speech_tag(kind: str) -> str:
    """``" [point of order]"`` after a speaker's name; "" for a statement. Every list of
    speakers says it, so the one waiting on a point of order is told apart wherever it shows."""
    if kind == SpeechKind.STATEMENT:
        return ""
    known = speech_kind(kind)
    return f" [{known.phrase if known is not None else kind.lower()}]"


def safe(text: str | None) -> str:
    """User text without escape sequences, control characters or bidi overrides."""
    return safe_display(text or "")


def user_text(text: str | None, style: str = "") -> Text:
    """User text as a literal ``Text``: never parsed as markup, never raw escapes."""
    return Text(safe(text), style=style)


# The tracker writes durations exactly as the journal, report and exports do (one rounding rule).
clock = format_duration


def minutes_words(seconds: float) -> str:
    """``937`` -> ``"16 min"``, ``3900`` -> ``"1 h 05 min"``: a span in words, whole minutes
    rounded up.

    For a duration written among clock times (the top bar's "scheduled 06:40, 16 min late"),
    where "15:37" reads as a time of day; a projection is not to the second anyway.
    """
    minutes = max(1, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def meeting_zone(state: SessionState) -> dt.tzinfo | None:
    """The meeting's timezone when the agenda names one, else None (local time)."""
    return session_zone(state.header.timezone, state.header.agenda)


def local(moment: dt.datetime, state: SessionState) -> dt.datetime:
    """An instant in the meeting's timezone (or the machine's)."""
    return in_zone(moment, meeting_zone(state))


def hhmm(moment: dt.datetime, state: SessionState) -> str:
    """``"10:42"`` in the meeting's timezone."""
    return f"{local(moment, state):%H:%M}"


def bar(
    used: float, planned: float | None, width: int = 20, over_style: StyleType = "bold reverse"
) -> Text:
    """A used-vs-planned bar readable without colour: ``[#######---] 12:00 / 30:00``.

    Args:
        used: Seconds used.
        planned: Seconds planned, or None when the agenda gives no plan.
        width: Cells of the bar itself.
        over_style: Style of the overrun mark (a theme's error colour, from a component class).
    """
    text = Text()
    if not planned:
        text.append(f"{clock(used)} used, no plan")
        return text
    ratio = used / planned
    filled = min(width, round(width * ratio))
    text.append("[")
    fill: StyleType = "bold"
    if ratio > 1:
        # Full blocks in the overrun colour: with the overrun style itself (a background)
        # they would be drawn in the text colour and look empty.
        style = over_style if isinstance(over_style, Style) else Style.parse(str(over_style))
        fill = Style(color=style.bgcolor, bold=True) if style.bgcolor else style
    text.append("█" * filled, style=fill)
    text.append("░" * (width - filled), style="dim")
    text.append("] ")
    text.append(f"{clock(used)} / {clock(planned)}")
    if used > planned:
        text.append(f"  OVER +{clock(used - planned)}", style=over_style)
    return text
