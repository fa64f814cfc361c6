"""What every command shares: the one-line error, and the options of recording commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from sessiontui.core.agenda_toml import AgendaError


AGENDA_LOG_DEFAULT = (
    "$SESSIONTUI_LOG, else <agenda name>-<8 hex>.jsonl in $XDG_DATA_HOME/sessiontui "
    "(~/.local/share/sessiontui)"
)
"""Where an agenda's session log is when no --log is given (``record.default_log_for``)."""


class CommandError(click.ClickException):
    """A clear one-line error; exit status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"sessiontui: error: {self.format_message()}", err=True)


def damage_notice(damage: object, doing: str) -> str:
    """What a reader says of one damaged record (``store.base.Damage``) it read past:
    ``doing`` is what it does ("reporting", "exporting"). A damaged header stops nothing: the
    records after it are read as they are."""
    if getattr(damage, "line", None) == 1:
        return (
            f"sessiontui: the header (line 1) is damaged: {getattr(damage, 'reason', damage)}; "
            f"{doing} the records as they are, read-only (exit status 1)"
        )
    return (
        f"sessiontui: damaged record at {damage}; {doing} the part before it "
        "(exit status 1; see `sessiontui verify` and `sessiontui repair`)"
    )


def fail(message: str) -> CommandError:
    """Build the error to raise: ``raise fail("...")``."""
    return CommandError(" ".join(message.split("\n")))


def refuse_agenda(exc: AgendaError) -> NoReturn:
    """Stop on an agenda that cannot be used, as ``check`` says it: a problem with the file as
    a whole (missing, a folder, empty) as the one-line error, else every problem as
    ``file:line:col: message`` on stderr; exit 1."""
    if len(exc.problems) == 1 and exc.problems[0].line <= 0:
        raise fail(str(exc.problems[0]))
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    sys.exit(1)


LOG_ENV = "SESSIONTUI_LOG"
"""The environment variable naming the session log when a command is given none."""

_F = TypeVar("_F", bound=Callable[..., object])


def log_alias_option(func: _F) -> _F:
    """``--log``, for a command that also takes the log as its argument ``LOG``."""
    return click.option(
        "--log", "log", default=None, help=f"The session log, as LOG (default: ${LOG_ENV})."
    )(func)
