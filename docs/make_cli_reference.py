"""Write docs/cli.md, the command reference, from the commands' own ``--help``.

    python docs/make_cli_reference.py

``tests/test_docs.py`` fails when docs/cli.md differs from what this would write now: change a
command's help, run this, commit both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "cli.md"
WIDTH = 100  # the help is laid out for this width, whatever the terminal

INTRO = """\
# Command reference

<!-- Written by docs/make_cli_reference.py from each command's --help; do not edit by hand. -->

Every recording command accepts `--at`, `--log` and `--actor`; `--log` defaults to
`$SESSIONTUI_LOG`, `--actor` to `$SESSIONTUI_ACTOR`, else the name the tracker asked on this
account (see [the tracker](tracker.md)), else the login name (recorded without spaces at its
ends, each run of spaces made one: "CY " is "CY"). `ITEM` is an id or a
label compared by tokens (`2(c)`, `2c`, `2 (c)`, `2.c` are one item; `1.1` and `11` are two).
`--at` takes `HH:MM` (today; also as the report writes it, `5.43 p.m.`, or `17.43`, `17h43`),
`YYYY-MM-DD HH:MM` or ISO 8601; times without a zone are in the meeting's timezone when the
agenda gives one, else local time. A correction is decided against the session as it stood at that time, and refused if it would make what was recorded after it
untrue: a speech ended before its recorded end, an item concluded while speeches on it or its
conclusion are recorded later, a break or a sitting's close inside what was recorded as running,
a sitting opened before one on record that nothing closes first. A refusal names the first such
record, and the day as well as the time when it is not today's. A take-up back-dated before a
take-up of another item recorded later is taken, and a warning on stderr names that later one,
which takes it off the floor again ("2(b) was on the floor only until 10:10, when ana took up
2(a) (recorded before this correction)"). A time after now is refused (a whole minute not a
minute ahead, the minute under way, is recorded as now). `next --from ITEM` names the item you
saw on the floor: refused, naming who moved the floor and when, if it has moved since; without
it, the floor as the command read the log. Data goes to stdout, messages to
stderr. Every error is one line and a non-zero exit, never a traceback; a mistyped command
that names no file is answered with the command meant ("no command 'opne'; did you mean
'open'?"), and a word that is neither a command nor a file says so ("no command or file
'help'"). Messages are written without escape sequences, control characters or bidi
overrides, even where they quote a file name or a text read from a log or a server. The keys of
`report --json` are in [exports](exports.md#report---json-the-summary-as-data); where a new log
goes is in [the session log](session-log.md). A command that waits more than two seconds for
the log's lock says so and names the program holding it; it waits until the lock is free (ctrl+c
stops it with nothing recorded; a script bounds the wait with `timeout`, see
[the session log](session-log.md)).
"""


def help_text(path: list[str]) -> str:
    """``sessiontui PATH... --help`` as printed at ``WIDTH`` columns."""
    from sessiontui.cli import cli

    context = cli.make_context(
        "sessiontui",
        [*path, "--help"],
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        resilient_parsing=True,
    )
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(context, name)
        assert found is not None, name
        context = found.make_context(name, [], parent=context, resilient_parsing=True)
        command = found
    return command.get_help(context).rstrip()


def commands(path: list[str]) -> list[list[str]]:
    """Every command under ``path`` (itself first), depth first, in ``--help`` order."""
    from sessiontui.cli import cli

    command: click.Command = cli
    context = click.Context(cli, info_name="sessiontui")
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(context, name)
        assert found is not None
        command = found
    out = [path]
    if isinstance(command, click.Group):
        for name in command.list_commands(context):
            out += commands([*path, name])
    return out


def reference() -> str:
    """The whole page."""
    parts = [INTRO]
    for path in commands([]):
        title = " ".join(["sessiontui", *path])
        parts.append(f"## `{title}`\n\n```\n{help_text(path)}\n```\n")
    return "\n".join(parts)


def main() -> None:
    """Write the page."""
    TARGET.write_text(reference(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
