"""``sessiontui check``: validate an agenda file and summarise it, or list every problem."""

from __future__ import annotations

import click

from sessiontui.commands.common import refuse_agenda
from sessiontui.core.agenda import Agenda
from sessiontui.core.agenda_toml import AgendaError, load_agenda
from sessiontui.core.clock import whole_seconds
from sessiontui.core.text import safe_display


def format_seconds(seconds: float) -> str:
    """``5400`` -> ``"1h 30m"``; ``600`` -> ``"10m"``; ``45`` -> ``"45s"``."""
    total = whole_seconds(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h"] if hours else []
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return " ".join(parts)


def summary(agenda: Agenda) -> list[str]:
    """What ``check`` prints for a valid agenda: title, items and depth, planned time, sittings."""
    meeting = agenda.meeting
    items = len(agenda)
    levels = agenda.max_depth() + 1
    # An agenda file is anyone's text: a bidi override in its title would reach the terminal.
    lines = [safe_display(meeting.title)]
    if meeting.dates:
        first, last = min(meeting.dates), max(meeting.dates)
        lines.append(f"dates: {first}" + (f" to {last}" if last != first else ""))
    if items:
        item_word = "item" if items == 1 else "items"
        level_word = "level" if levels == 1 else "levels"
        lines.append(f"{items} {item_word} in {levels} {level_word}")
    else:
        lines.append("no items")
    planned = agenda.planned_total_seconds()
    lines.append(f"planned: {format_seconds(planned)}" if planned else "planned: no durations")
    if agenda.sittings:
        days = sorted({sitting.date for sitting in agenda.sittings})
        day_word = "day" if len(days) == 1 else "days"
        lines.append(f"sittings: {len(agenda.sittings)} over {len(days)} {day_word}")
    else:
        lines.append("sittings: none")
    return lines


@click.command()
@click.argument("agenda_path", metavar="AGENDA.toml")
def check(agenda_path: str) -> None:
    """Validate an agenda file.

    On success print a short summary; otherwise print every problem as file:line:col: message
    on stderr and exit 1.
    """
    try:
        agenda = load_agenda(agenda_path)
    except AgendaError as exc:
        refuse_agenda(exc)
    click.echo(f"{agenda_path}: valid agenda")
    for line in summary(agenda):
        click.echo(f"  {line}")
