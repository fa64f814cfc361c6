"""What every command shares: the one-line error, and the options of recording commands."""

from __future__ import annotations

import click


class CommandError(click.ClickException):
    """A clear one-line error; exit status 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"sessiontui: error: {self.format_message()}", err=True)


def fail(message: str) -> CommandError:
    """Build the error to raise: ``raise fail("...")``."""
    return CommandError(" ".join(message.split("\n")))
