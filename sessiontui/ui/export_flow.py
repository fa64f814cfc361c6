"""The tracker's export flow: ask for a format and a path, then render and write in a worker."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from sessiontui.service import SessionService
from sessiontui.store.base import StoreError
from sessiontui.ui.preload import package_gone

if TYPE_CHECKING:
    # The exporters and the dialogs are imported when first used: none is on the first screen.
    from sessiontui.exporters import ExportOptions, Material
    from sessiontui.ui.dialogs.export_dialog import ExportRequest


REINSTALLED = (
    "sessiontui was reinstalled while this tracker ran: restart it (ctrl+q, then open the"
    " session again) to export"
)
"""Said when an export fails because the package's files went from under the tracker: its
templates are read from them when a report is rendered."""


class ExportFlow:
    """One export at a time from the tracker: the dialog, the confirmation, the worker."""

    def __init__(self, app: App[Any], service: SessionService) -> None:
        """Make the flow.

        Args:
            app: The app that shows the dialogs and runs the worker.
            service: The session to export.
        """
        self.app = app
        self.service = service
        self.last_export: Path | None = None

    def start(self) -> None:
        """Ask for a format and path, then export in a worker thread."""
        from sessiontui.exporters import suggested_filename
        from sessiontui.ui.dialogs.export_dialog import ExportDialog

        stem = suggested_filename(self.service.state, "md").rpartition(".")[0]
        log = getattr(self.service.store, "path", None)
        dialog = ExportDialog(stem, web=self.app.is_web, log_path=Path(log) if log else None)
        self.app.push_screen(dialog, self._chosen)

    def _chosen(self, request: ExportRequest | None) -> None:
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        if request is None:
            return
        target = Path(request.path).expanduser()
        if not self.app.is_web and (target.exists() or target.is_symlink()):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(request, force=True)

            self.app.push_screen(ConfirmDialog(f"{target} exists. Replace it?"), answered)
            return
        self._start(request, force=False)

    def _start(self, request: ExportRequest, *, force: bool) -> None:
        # The store is read here, on the UI thread: its file lock is not shared across threads.
        # The worker gets private copies, never the state the UI thread keeps folding: what
        # ``gather`` read (the journal is left to the worker, from a reader of its own and
        # ``LOG.journal``) and the state as a snapshot (much cheaper than a deep copy).
        from sessiontui.core.snapshot import dump_state
        from sessiontui.exporters import ExportError, ExportOptions
        from sessiontui.service import gather

        options = ExportOptions()
        try:
            material = gather(
                self.service.store,
                request.format,
                options,
                elsewhere=True,
                state=self.service.state,
            )
        except (StoreError, ExportError) as exc:
            self.app.notify(f"Export NOT made: {exc}", severity="error", markup=False)
            return
        snapshot = dump_state(self.service.state, needs_sort=False)
        self.app.run_worker(
            lambda: self._work(request, material, snapshot, options, force=force),
            thread=True,
            exit_on_error=False,
            group="export",
        )

    def _work(
        self,
        request: ExportRequest,
        material: Material,
        snapshot: bytes,
        options: ExportOptions,
        *,
        force: bool,
    ) -> None:
        """Render and write (or deliver) an export off the UI thread."""
        from sessiontui.core.snapshot import load_state
        from sessiontui.exporters import ExportError, render_material, whole, write_export
        from sessiontui.service import finish_gathering

        app = self.app
        log = getattr(self.service.store, "path", None)
        try:
            state, _ = load_state(material.header, snapshot)
            material = finish_gathering(material)
            data = whole(render_material(request.format, material, state, options))
            if app.is_web:
                name = Path(request.path).name or f"session.{request.format}"
                app.call_from_thread(app.deliver_binary, io.BytesIO(data), save_filename=name)
                return
            target = Path(request.path).expanduser().absolute()
            write_export(target, data, force=force, log_path=Path(log) if log else None)
        except ExportError as exc:
            app.call_from_thread(
                app.notify, f"Export NOT written: {exc}", severity="error", markup=False
            )
            return
        except Exception as exc:  # an exporter bug must not take the tracker down
            failure = f"Export failed: {type(exc).__name__}: {exc}"
            if isinstance(exc, OSError) and package_gone():
                failure = REINSTALLED  # a missing file of the package, not of the export
            app.call_from_thread(app.notify, failure, severity="error", markup=False)
            return
        self.last_export = target
        app.call_from_thread(app.notify, f"Exported to {target}", markup=False)
