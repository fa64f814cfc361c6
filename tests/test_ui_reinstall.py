"""A tracker keeps working when the package is reinstalled under it.

The tracker runs from a copy of the package (as ``pip install .`` leaves one); once it has
started and loaded what it may need, the copy is moved away (as ``pip install -e .`` or an
upgrade removes it) and every module outside the standard library not yet imported is refused
(as if changed on disk). Then every dialog is opened and a note, a speaker and an export are
saved: before, the first dialog opened failed to import and took the tracker down.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import asyncio, importlib.abc, os, sys
from pathlib import Path

work = Path(sys.argv[1])
import sessiontui
assert Path(sessiontui.__file__).is_relative_to(work / "site"), sessiontui.__file__

from textual.widgets import Input, TextArea
from sessiontui.core.commands import AddParticipants
from sessiontui.core.register import Participant
from sessiontui.ui import preload
from tests.test_ui_support import make_app, make_service

preload.PRELOAD_AFTER = 0.01


class ChangedOnDisk(importlib.abc.MetaPathFinder):
    """Refuses every module not imported yet, the standard library's aside."""

    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in sys.stdlib_module_names:
            return None
        raise ImportError(f"{name}: its files changed on disk")


async def main() -> None:
    service, clock = make_service(work)
    service.run(AddParticipants((Participant(name="Kenya"), Participant(name="Chile"))))
    app = make_app(service, clock)
    os.chdir(work)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(2000):
            await pilot.pause()
            if app.preload.done:
                break
        assert app.preload.done, "the tracker is still loading what it may need"
        (work / "site" / "sessiontui").rename(work / "site" / "gone")
        sys.meta_path.insert(0, ChangedOnDisk())

        async def keys(*names: str) -> None:
            await pilot.press(*names)
            await pilot.pause()

        async def back() -> None:
            while app.screen is not app.main:
                await keys("escape")

        await keys("o")  # the sitting opens, 1 is taken up
        for key in ("n", "d", "a"):
            await keys(key)
            app.screen.query_one(TextArea).insert(f"Written with {key}.")
            await keys("ctrl+s")
        await keys("plus", *"Kenya", "enter")
        await keys("plus", *"Chile", "enter")
        await keys("g")
        await keys("l")
        await back()
        await keys("E", "enter")
        await back()
        await keys("X", "enter")
        await back()
        for key in ("at", "R", "i", "question_mark", "ctrl+p"):
            await keys(key)
            await back()
        await keys("t")
        await keys("t")
        await keys("j")
        await keys("u")
        await keys("P")
        await back()
        await keys("w")
        app.screen.query_one("#export-path", Input).value = "record.csv"
        await keys("enter")
        for _ in range(400):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.last_export is not None:
                break
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert not errors, errors
        assert app.last_export == work / "record.csv", app.last_export
        notes = service.state.notes_of("1")
        assert [n.kind for n in notes] == ["note", "decision", "action"], notes
        assert [s.name for s in service.state.items["1"].speakers] == ["Kenya", "Chile"]
        await pilot.press("ctrl+q")
    print("still running")


asyncio.run(main())
'''


def _run_from_a_copy(tmp_path: Path, script: str) -> str:
    """Run ``script`` on a copy of the package in ``tmp_path / "site"`` (it may move that
    away); its output, once it exited 0."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(ROOT / "sessiontui", site / "sessiontui")
    child = tmp_path / "child.py"
    child.write_text(script, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(child), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": f"{site}:{ROOT}",
            "PATH": "/usr/bin:/bin",
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "HOME": str(tmp_path),
        },
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


def test_a_tracker_survives_its_package_reinstalled(tmp_path: Path) -> None:
    assert "still running" in _run_from_a_copy(tmp_path, CHILD)


EXPORT_CHILD = r"""
import asyncio, os, sys
from pathlib import Path

work = Path(sys.argv[1])
from textual.widgets import Input
from sessiontui.ui import preload
from sessiontui.ui.export_flow import REINSTALLED
from tests.test_ui_support import make_app, make_service

preload.PRELOAD_AFTER = 0.01


async def main() -> None:
    service, clock = make_service(work)
    app = make_app(service, clock)
    os.chdir(work)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(2000):
            await pilot.pause()
            if app.preload.done:
                break
        assert app.preload.done, "the tracker is still loading what it may need"
        (work / "site" / "sessiontui").rename(work / "site" / "gone")
        await pilot.press("o", "w")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = "record.html"
        await pilot.press("enter")
        errors = []
        for _ in range(400):
            await app.workers.wait_for_complete()
            await pilot.pause()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            if errors:
                break
        assert errors == [REINSTALLED], errors
        assert not (work / "record.html").exists()
        await pilot.press("ctrl+q")
    print("said to restart")


asyncio.run(main())
"""


def test_an_export_after_a_reinstall_says_to_restart(tmp_path: Path) -> None:
    """The report's templates are files of the package, read when it is rendered: once the
    package is moved away under a running tracker, an HTML export says in one line to restart
    (it said "Export failed: FileNotFoundError: ... templates")."""
    assert "said to restart" in _run_from_a_copy(tmp_path, EXPORT_CHILD)
