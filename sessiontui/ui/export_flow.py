"""The tracker's export flow: ask for a format and a path, then render and write in a worker."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from sessiontui.core.events import Event, EventText
from sessiontui.service import SessionService
from sessiontui.store.base import StoreError

if TYPE_CHECKING:
    # The dialogs are imported when first used: none is on the first screen.
    from sessiontui.ui.dialogs.export_dialog import ExportRequest


@dataclass(frozen=True, slots=True)
class _ExportMaterial:
    """What the UI thread hands the export worker: copies, never the live state."""

    events: list[Event]  # every event, or the last one when ``digest`` is given
    texts: list[EventText] | None  # every event as written (JSON export)
    journal_of: Path | None  # the log whose whole journal the worker makes (txt export)
    snapshot: bytes  # the state, as ``dump_state`` made it
    digest: str | None  # SHA-256 of the log up to the last event


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
        self.app.push_screen(ExportDialog(stem, web=self.app.is_web), self._chosen)

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
        # The worker gets private copies, never the state the UI thread keeps folding. Reading
        # every event of a long session, or deep-copying its state, froze the tracker: a report
        # needs only the last event (its time) and the log's digest, the JSON export the events
        # as written (decoded in bulk), the journal is made by the worker from a reader of its
        # own (and ``LOG.journal``), and the state goes over as a snapshot.
        from sessiontui.core.snapshot import dump_state
        from sessiontui.store.file import FileStore

        store = self.service.store
        digest, texts, journal_of = None, None, None
        try:
            if isinstance(store, FileStore):
                digest = store.checkpoint().sha256
                texts = store.read_texts() if request.format == "json" else None
                journal_of = store.path if request.format == "txt" else None
                last = store.last_event()
                events = [last] if last is not None else []
            else:
                events = list(store.read())
        except StoreError as exc:
            self.app.notify(f"Export NOT made: {exc}", severity="error", markup=False)
            return
        snapshot = dump_state(self.service.state, needs_sort=False)
        made = _ExportMaterial(events, texts, journal_of, snapshot, digest)
        self.app.run_worker(
            lambda: self._work(request, made, force=force),
            thread=True,
            exit_on_error=False,
            group="export",
        )

    def _work(self, request: ExportRequest, made: _ExportMaterial, *, force: bool) -> None:
        """Render and write (or deliver) an export off the UI thread."""
        from sessiontui.core.snapshot import load_state
        from sessiontui.exporters import ExportError, ExportOptions, render, write_export
        from sessiontui.service import whole_journal
        from sessiontui.store.file import FileStore

        app = self.app
        header = self.service.store.header
        log = getattr(self.service.store, "path", None)
        try:
            state, _ = load_state(header, made.snapshot)
            journal = None
            if made.journal_of is not None:
                # A descriptor of its own, as the journal feed has.
                with FileStore(made.journal_of, read_only=True, recover=False) as reader:
                    journal = whole_journal(reader).lines
            options = ExportOptions(log_sha256=made.digest)
            data = render(request.format, header, made.events, state, options, journal, made.texts)
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
            app.call_from_thread(
                app.notify,
                f"Export failed: {type(exc).__name__}: {exc}",
                severity="error",
                markup=False,
            )
            return
        self.last_export = target
        app.call_from_thread(app.notify, f"Exported to {target}", markup=False)
