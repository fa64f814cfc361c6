"""Everything a running tracker may import later, imported soon after it starts.

The dialogs, the help screen, the exporters and much of the session's machinery are imported
when first used, which kept them out of the start. But a tracker runs for days, and the package
can be reinstalled or upgraded under it (``pip install -e .`` after ``pip install .``, a new
version): its files then vanish or change, and the first dialog opened afterwards failed to
import, taking the tracker down with a traceback in the middle of a meeting. Loaded here, once
the first screen is up, the tracker keeps running on the code it started with, whatever
happens on disk.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import pkgutil
import sys
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from textual.app import App

PRELOAD_AFTER = 2.0
"""Seconds after the first screen before the loading begins: the keys a person types at once
are not kept waiting behind it (a key then imports what it needs itself, as before)."""

PACKAGES = ("sessiontui.core", "sessiontui.store", "sessiontui.exporters", "sessiontui.ui")
"""Every module of these may be needed by a running tracker (the command line's, the server's
and the importers' are not)."""

LIBRARY_MODULES = ("textual.system_commands", "rich.traceback")
"""What Textual and Rich import when first used, of what the tracker uses: the command
palette's own commands, and the report of an error (found by ``tests/test_ui_reinstall.py``,
which refuses every module left to load once the tracker runs)."""

ONLY_IF_LOADED = frozenset({"sessiontui.store.postgres"})
"""Loaded to start a PostgreSQL session, never needed by a log file's: its driver (psycopg) is
a tenth of a second and 15-20 MB a log file's tracker would carry for nothing."""


def tracker_modules() -> list[str]:
    """The modules of ``PACKAGES`` and ``LIBRARY_MODULES`` a running tracker may import, not
    yet imported."""
    names = [name for name in LIBRARY_MODULES if name not in sys.modules]
    for package in PACKAGES:
        path = importlib.import_module(package).__path__
        for found in pkgutil.walk_packages(path, f"{package}."):
            name = found.name
            if name not in sys.modules and name not in ONLY_IF_LOADED:
                names.append(name)
    return names


def package_gone() -> bool:
    """Whether the package this tracker runs was removed from disk under it (``pip install -e .``
    after ``pip install .``): its code is loaded, but the files it reads when used are gone
    (the report's templates)."""
    import sessiontui

    return not Path(sessiontui.__file__).is_file()


class Preloader:
    """Imports ``tracker_modules()`` one per turn of the app's message loop, so a key typed
    meanwhile waits for one module at most, then reads the data files the tracker reads later.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._waiting: deque[str] = deque()
        self.done = False
        """Whether everything is loaded (tests wait for it)."""

    def start(self, after: float | None = None) -> None:
        """Begin ``after`` seconds from now (default ``PRELOAD_AFTER``)."""
        self.app.set_timer(PRELOAD_AFTER if after is None else after, self._begin)

    def _begin(self) -> None:
        self._waiting = deque(tracker_modules())
        self.app.call_later(self._next)

    def _next(self) -> None:
        if not self._waiting:
            self._finish()
            return
        name = self._waiting.popleft()
        # Already changed on disk: the module fails where it is used, as it did before.
        with contextlib.suppress(ImportError, OSError):
            importlib.import_module(name)
        self.app.call_later(self._next)

    def _finish(self) -> None:
        from sessiontui.core.register import shipped

        # The register's names, read once (lru_cache) for the speaker dialog; if they cannot be
        # read now, they are read (and the failure said) when first needed, as before.
        with contextlib.suppress(OSError):
            shipped()
        # What was just loaded lives as long as the tracker: exempt from collection, as
        # ``SessionApp.on_load`` does with what existed then.
        gc.freeze()
        self.done = True
