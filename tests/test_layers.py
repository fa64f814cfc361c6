"""The layers hold: the domain, exporters and non-TUI commands never import Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import make_log

CHECK = "import sys, {module}; bad = [m for m in {forbidden!r} if m in sys.modules]; print(','.join(bad))"


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        (
            "sessiontui.core.commands, sessiontui.core.replay, sessiontui.core.report, sessiontui.core.agenda_toml",
            ("textual", "rich", "click"),
        ),
        ("sessiontui.store.file, sessiontui.service", ("textual", "rich")),
        ("sessiontui.exporters", ("textual",)),
        ("sessiontui.importers", ("textual",)),
        ("sessiontui.cli", ("textual",)),
    ],
)
def test_module_does_not_import(module: str, forbidden: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module, forbidden=forbidden)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("command", ["check", "report", "export", "journal", "verify"])
def test_non_tui_commands_do_not_import_textual(command: str) -> None:
    code = (
        "import sys; from sessiontui.cli import cli\n"
        f"try:\n    cli.main(args=[{command!r}, '--help'], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_help_lists_every_command() -> None:
    from sessiontui.cli import COMMANDS

    result = subprocess.run(
        [sys.executable, "-m", "sessiontui", "--help"], capture_output=True, text=True, check=True
    )
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("command", ["report", "journal", "export --format txt"])
def test_a_log_file_loads_no_postgresql_driver(command: str, tmp_path: Path) -> None:
    # The driver costs a command a tenth of a second and 15-20 MB: only a server's sessions
    # need it (a state checkpoint is saved here, the journal names the log's head).
    log = make_log(tmp_path / "s.jsonl")
    code = (
        "import sys; from sessiontui.cli import cli\n"
        f"try:\n    cli.main(args=[*{command.split()!r}, {str(log)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('psycopg' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_tracker_on_a_log_file_loads_no_postgresql_driver(tmp_path: Path) -> None:
    # Its start asks whether the store has an outbox (a server's session): a log file's must
    # answer without importing the driver.
    log = make_log(tmp_path / "s.jsonl")
    code = (
        "import asyncio, sys\n"
        "from sessiontui.commands.tui import open_while_textual_loads\n"
        "from sessiontui.ui.app import SessionApp\n"
        f"service = open_while_textual_loads({str(log)!r}, 'ana', None, read_only=True)\n"
        "async def main():\n"
        "    app = SessionApp(service, read_only=True)\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        assert app.main.agenda_tree.last_line > 0\n"
        "asyncio.run(main())\n"
        "print('psycopg' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
