"""The command line: a click group whose commands are imported only when they run.

Each command lives in ``sessiontui.commands.<module>``. Loading them lazily keeps ``check``,
``report`` and ``export`` fast and free of Textual, which only the TUI commands import.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import io
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from sessiontui import __version__

# command name -> "module:attribute" (the order is the order of --help)
COMMANDS: dict[str, str] = {
    "check": "sessiontui.commands.agenda:check",
    "import": "sessiontui.commands.importing:import_agenda",
    "init": "sessiontui.commands.record:init",
    "open": "sessiontui.commands.record:open_item",
    "close": "sessiontui.commands.record:close_item",
    "suspend": "sessiontui.commands.record:suspend_item",
    "resume": "sessiontui.commands.record:resume_item",
    "defer": "sessiontui.commands.record:defer_item",
    "next": "sessiontui.commands.record:next_item",
    "sitting": "sessiontui.commands.record:sitting",
    "note": "sessiontui.commands.record:note",
    "speaker": "sessiontui.commands.record:speaker",
    "amend": "sessiontui.commands.record:amend",
    "undo": "sessiontui.commands.record:undo",
    "report": "sessiontui.commands.record:report",
    "participant": "sessiontui.commands.register:participant",
    "rollcall": "sessiontui.commands.register:rollcall",
    "journal": "sessiontui.commands.journal:journal",
    "export": "sessiontui.commands.export:export",
    "verify": "sessiontui.commands.logfile:verify",
    "repair": "sessiontui.commands.logfile:repair",
    "copy": "sessiontui.commands.sharing:copy",
    "outbox": "sessiontui.commands.outbox:outbox",
    "tui": "sessiontui.commands.tui:tui",
    "serve": "sessiontui.commands.serve:serve",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used.

    A bare path (``sessiontui agenda.toml``) is not a command name: it runs ``tui``.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        command = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            near = _mistyped_command(args[0])
            if near is not None:
                # Run as the tracker's path, `sessiontui opne 2a` said "unexpected extra
                # argument (2a)", or "opne: no such file": nothing about the command meant.
                raise click.UsageError(f"no command '{args[0]}'; did you mean '{near}'?", ctx)
            if _bare_word(args[0]):
                # `sessiontui help` (or `status`) said "no session log at help".
                raise click.UsageError(f"no command or file '{args[0]}'", ctx)
            args = ["tui", *args]
        return super().resolve_command(ctx, args)


def _bare_word(word: str) -> bool:
    """``word`` names no file and does not look like one: no folder, suffix or address."""
    return not (os.path.lexists(word) or "://" in word or os.sep in word or "." in word)


def _mistyped_command(word: str) -> str | None:
    """The command ``word`` is a slip of (``opne`` for ``open``), unless it names a file or a
    session log, which the tracker opens."""
    import difflib

    if os.path.lexists(word) or "://" in word:
        return None
    near = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.75)
    return near[0] if near else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sessiontui")
def cli() -> None:
    """Run the record of a formal meeting: agenda, session log, reports.

    \b
    sessiontui AGENDA.toml|LOG.jsonl   open the tracker (same as `sessiontui tui ...`)
    """


def main(argv: list[str] | None = None) -> Any:
    """Entry point: every error is one line on stderr and a non-zero exit, never a traceback."""
    with _clean_stderr(), _said_when_waiting():
        return _main(argv)


@contextlib.contextmanager
def _said_when_waiting() -> Iterator[None]:
    """A command waiting long for a log's lock says so on stderr (``lock_wait.notice``)."""
    from sessiontui.store import lock_wait

    def say(words: str) -> None:
        click.echo(f"sessiontui: {words}", err=True)

    before, lock_wait.notice = lock_wait.notice, say
    try:
        yield
    finally:
        lock_wait.notice = before


class _CleanText(io.TextIOWrapper):
    """A text stream that writes what ``safe_display`` leaves of each string."""

    def write(self, s: str) -> int:
        from sessiontui.core.text import safe_display

        super().write(safe_display(s))
        return len(s)


@contextlib.contextmanager
def _clean_stderr() -> Iterator[None]:
    """Route stderr through ``safe_display`` while the command runs.

    Messages quote what came from outside: a file name the user was handed, an exception's
    text, a name read from a log or a server. An escape sequence there (OSC 52 writes the
    clipboard, OSC 0 retitles the window, CSI redraws the screen) or a bidi override would
    reach the terminal raw; cleaning the stream itself covers every message, present and
    future, not only the ones that remember to clean.
    """
    raw = sys.stderr
    buffer = getattr(raw, "buffer", None)
    if buffer is None or isinstance(raw, _CleanText):
        yield
        return
    raw.flush()
    clean = _CleanText(
        buffer,
        encoding=raw.encoding,
        errors=raw.errors,
        line_buffering=True,
        write_through=True,
    )
    sys.stderr = clean
    try:
        yield
    finally:
        if sys.stderr is clean:
            sys.stderr = raw
        clean.flush()
        # Detached, so that collecting the wrapper does not close the real stderr's buffer.
        clean.detach()


def _main(argv: list[str] | None) -> Any:
    try:
        try:
            code = _run_cli(argv)
        finally:
            # Flushed here, so a full stdout is told below, not as a traceback at exit.
            sys.stdout.flush()
            # The process ends now. The collector's passes at exit would walk every object
            # still alive (modules, classes, what the command read) for nothing: frozen, they
            # are left to the end of the process.
            gc.freeze()
    except KeyboardInterrupt:
        click.echo("sessiontui: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _OUTPUT_FAILURES:
            raise _internal(exc) from None
        # Output that could not be written (stdout on a full disk, `> /dev/full`).
        click.echo(f"sessiontui: error: cannot write the output: {exc.strerror}", err=True)
        sys.exit(1)
    except Exception as exc:  # the last guard; SESSIONTUI_DEBUG=1 shows the traceback
        raise _internal(exc) from None
    if code:
        sys.exit(code)
    return None


def _run_cli(argv: list[str] | None) -> int:
    """Run the command line as click's standalone mode does, but say a usage error in one line
    (click's own takes four: the usage, a hint, a blank line, the error); the exit code."""
    try:
        done = cli.main(args=argv, prog_name="sessiontui", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        # A command typed alone (``sessiontui``, ``sessiontui participant``): its help, laid
        # out as ``--help`` lays it out, not folded into one error line.
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "sessiontui"
        click.echo(
            f"sessiontui: error: {' '.join(exc.format_message().split())} "
            f"(`{where} --help` says more)",
            err=True,
        )
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("sessiontui: aborted", err=True)
        return 1
    # A command's own return value is not an exit code; ``ctx.exit(n)`` (--help, --version)
    # comes back as its code.
    return done if isinstance(done, int) else 0


_OUTPUT_FAILURES = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


def _internal(exc: Exception) -> SystemExit:
    """Say an unexpected error in one line (exit 2), or show it with ``SESSIONTUI_DEBUG=1``."""
    if os.environ.get("SESSIONTUI_DEBUG"):
        raise exc
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    click.echo(f"sessiontui: internal error: {type(exc).__name__}: {message}", err=True)
    return SystemExit(2)
