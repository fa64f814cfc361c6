"""The tracker app: drives the session's command layer from the keyboard and shows the state."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.notifications import SeverityLevel
from textual.screen import Screen

from sessiontui.core.clock import Clock
from sessiontui.core.commands import (
    AddSpeaker,
    Command,
    Context,
    DeleteNote,
    MoveSpeaker,
    Refused,
    RemoveSpeaker,
    SittingCommand,
    decide,
    role_allows,
    role_refusal,
)
from sessiontui.core.events import UndoData
from sessiontui.core.phrases import (
    and_list,
    meeting_moment,
    sittings_off_the_agenda_days,
    speakers_left_waiting,
)
from sessiontui.core.register import group_names, speaker_names, unlisted_speaker
from sessiontui.core.state import Note, SessionState, Speaker
from sessiontui.core.text import excerpt
from sessiontui.service import SessionService, hand_time
from sessiontui.store.base import SaveError, StoreError
from sessiontui.store.durable import make_private_dir
from sessiontui.ui.actions import ACTIONS, BY_CALL, BY_NAME, footer_label
from sessiontui.ui.commands import ItemProvider
from sessiontui.ui.export_flow import ExportFlow
from sessiontui.ui.journal_feed import JOURNAL_AT_START, JournalFeed
from sessiontui.ui.key_order import KeyQueue
from sessiontui.ui.notes_flow import NotesFlow
from sessiontui.ui.preload import Preloader
from sessiontui.ui.screens.clock_screen import ClockScreen
from sessiontui.ui.screens.item_screen import ItemScreen
from sessiontui.ui.screens.main_screen import MainScreen
from sessiontui.ui.terminal import TerminalDriver
from sessiontui.ui.widgets.journal_panel import JournalPanel
from sessiontui.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from sessiontui.core.events import Event
    from sessiontui.link import SessionLink

    # The dialogs and the help screen are imported after the first screen (``Preloader``) or
    # when first used: none is on the first screen, and importing them cost every start.
    from sessiontui.ui.dialogs.identity_dialog import Identity
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog, SpeakerRequest
    from sessiontui.ui.drafts import DraftBox, NoteDraft

TICK_SECONDS = 1.0
"""How often the app looks for lines other writers appended and repaints the clocks."""

QUIT_GRACE = 5.0
"""Seconds without a key handled after which a quit asked by SIGHUP or SIGTERM ends the process
regardless."""


OFF_THE_FLOOR = {"pending": "not yet taken up", "closed": "closed", "deferred": "deferred"}
"""The statuses of an item not under consideration, in words: a speaker put on its list may not
be heard on soon, a note written on it is not on what the meeting is discussing."""

FOCUS_ACTIONS = ("focus_next", "focus_previous")
"""Tab and shift+Tab: they must move between a dialog's fields while it is open."""

RESTART_TO_RECORD = (
    "the log is read-only until the tracker is restarted (free space or fix the disk first)"
)
"""What a failed write means for the rest of this run: the sync is never retried (the kernel
may have dropped the pages), so only a restart, which reads the log afresh, records again."""


def remember_name(path: Path, name: str) -> None:
    """Keep the person's name for the next start on this machine (best effort, 0600)."""
    try:
        make_private_dir(path.parent)
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_text(name + "\n", encoding="utf-8")
        temp.chmod(0o600)
        temp.replace(path)
    except OSError:
        pass  # asked again next time


class SessionApp(App[None]):
    """The tracker: agenda tree, selected item, clocks; every action is a session command.

    Commands run synchronously on the UI thread through ``SessionService.run``: appends are then
    strictly ordered (one writer), and an fdatasync costs far less than a frame.
    """

    CSS_PATH = "app.tcss"
    TITLE = "sessiontui"
    COMMANDS = App.COMMANDS | {ItemProvider}
    NOTIFICATION_TIMEOUT = 8

    BINDINGS: ClassVar[list[BindingType]] = [action.binding() for action in ACTIONS]

    def __init__(
        self,
        service: SessionService,
        *,
        read_only: bool = False,
        clock: Clock | None = None,
        ask_identity: bool = False,
        drafts_root: Path | None = None,
        remember_name: Path | None = None,
    ) -> None:
        """Make the app.

        Args:
            service: The session to show and record into.
            read_only: Record nothing (a viewer or a projector).
            clock: Where "now" comes from (tests pass a fake clock); default: the service's.
            ask_identity: Ask the person's name and role before anything can be recorded.
            drafts_root: Where note drafts are kept (default: the account's data folder).
            remember_name: Ask only the person's name (first start without ``--actor``) and
                keep it in this file for the next start on this machine.
        """
        super().__init__()
        self.service = service
        self.read_only = read_only or service.store.read_only
        self.pending_at: dt.datetime | None = None
        """When the next recorded action happened, set with @ (None: now)."""
        self.clock: Clock = clock or service.clock
        self.remember_name = None if self.read_only else remember_name
        self.ask_role = ask_identity
        self.identity_pending = (
            ask_identity or self.remember_name is not None
        ) and not self.read_only
        self.journal_feed = JournalFeed(self, service, lambda: self.paint(changed=True))
        self.export_flow = ExportFlow(self, service)
        self.notes = NotesFlow(self, self.record)
        self.preload = Preloader(self)
        self.drafts_root = drafts_root
        self._refresh_failed = False
        # What of the store's findings was said (``_say_what_the_store_found``): its notices
        # up to this many, and its damage.
        self._notices_said = 0
        self._damage_said = False
        self.keys = KeyQueue(self, super().on_event)
        self._signals_before: dict[int, Any] = {}
        # The speaker dialog whose typed speaker a first ctrl+q warned of (see action_quit).
        self._quit_warned: Screen[Any] | None = None
        self._hung_up = False
        self._my_names: tuple[str, frozenset[str]] = ("", frozenset())
        self.signal_exit_code: int | None = None
        """128 + the signal (SIGHUP, SIGTERM) that ended the tracker, for its process to exit
        with once everything is saved: a service manager or a script must tell a termination
        from a quit."""
        self.link = self._make_link(service)
        # (warning, severity) -> when its toast goes: see notify.
        self._warned_until: dict[tuple[str, str], float] = {}

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast; a warning or error already on screen is not stacked again.

        A refused key pressed again and again (`>` at the end of the agenda, `g` with nobody
        waiting, as fast fingers do) piled one identical toast per press over the item panel.
        Information ("Undone: ...") is always shown: two alike are two things that happened.
        """
        if severity != "information":
            now = time.monotonic()
            key = (message, severity)
            if self._warned_until.get(key, 0.0) > now:
                return
            self._warned_until = {k: t for k, t in self._warned_until.items() if t > now}
            shown = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
            self._warned_until[key] = now + shown
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- wiring ----------------------------------------------------------------------------

    def _make_link(self, service: SessionService) -> SessionLink | None:
        """For a PostgreSQL session: the thread that does its network calls (see ``link``)."""
        from sessiontui.store.outbox import outbox_for

        outbox = outbox_for(service.store)
        if outbox is None:
            return None
        from sessiontui.link import SessionLink

        def tell(message: str, severity: str) -> None:
            self.call_from_thread(
                self.notify,
                message,
                severity=severity,
                markup=False,
                timeout=8,
            )

        def changed(events: Iterable[Event]) -> None:
            self.call_from_thread(self._folded_elsewhere, list(events))

        return SessionLink(service, outbox, tell=tell, changed=changed)

    def _folded_elsewhere(self, events: list[Event]) -> None:
        self.journal_feed.add(events)
        self.paint(changed=True)

    def _on_ui(self, call: Callable[[], Any]) -> Any:
        return self.call_from_thread(call)

    def on_load(self) -> None:
        """Exempt what exists now (the folded session, the modules) from garbage collection.

        A long session is a great many long-lived objects: each full collection walked them
        all again, a visible pause, once at start and then every dozen key presses or so
        (figures in bench/RESULTS.md). Reference counting still frees them; ``on_unmount`` hands them back to the collector.
        """
        gc.freeze()
        self._quit_on_hangup()

    def _quit_on_hangup(self) -> None:
        """End the tracker as ``ctrl+q`` does when its terminal goes (SIGHUP) or on SIGTERM.

        By default either signal killed the process on the spot: the note being typed lost
        what its draft did not hold yet.
        """
        if self.is_headless:
            return  # a test's process: its signals are the test runner's
        loop = asyncio.get_running_loop()

        def signalled(signum: int, frame: object) -> None:
            self._end_as_hung_up(loop, 128 + signum)

        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(ValueError):  # not the main thread: left as it was
                self._signals_before[signum] = signal.signal(signum, signalled)

    def _end_as_hung_up(self, loop: asyncio.AbstractEventLoop, code: int) -> None:
        """Keep the open notes in their drafts, then quit as ``ctrl+q`` does once every key
        already read is handled, or end the process with ``code`` when that stalls.

        Done on the caller's thread, not on the loop: once the terminal (or the server's pipe)
        is gone, the loop may be stuck in Textual's writes to it for ever.
        """
        if self._hung_up:
            return  # a second signal: the first one's quit is under way
        self._hung_up = True
        self.signal_exit_code = code
        driver = self._driver
        if isinstance(driver, TerminalDriver):
            driver.check_gone()  # before the next repaint blocks on the dead terminal
        self.notes.keep_typed()
        threading.Thread(
            target=self._end_unless_handling, args=(code,), name="sessiontui-end", daemon=True
        ).start()
        quit_key = events.Key("ctrl+q", None)
        if isinstance(driver, TerminalDriver):
            # Behind the keys the terminal still held or the reader had not posted yet: a
            # quit put straight in ``self.keys`` went ahead of them, and they were lost.
            threading.Thread(
                target=driver.finish_input, args=(quit_key,), name="sessiontui-hangup", daemon=True
            ).start()
        else:
            loop.call_soon_threadsafe(self.keys.put, quit_key)

    def _end_unless_handling(self, code: int) -> None:
        """End the process with ``code`` once no key has been handled for ``QUIT_GRACE``
        seconds: a burst read before a hang-up is handled to its end (at a few milliseconds a
        key), while a quit that cannot end (a loop stuck on a dead terminal) still ends."""
        handled = -1
        deadline = 0.0
        while True:
            if self.keys.handled != handled:
                handled = self.keys.handled
                deadline = time.monotonic() + QUIT_GRACE
            elif time.monotonic() > deadline:
                os._exit(code)
            time.sleep(0.05)

    def _quit_when_the_server_goes(self) -> None:
        """In a browser tab, end as on a hang-up when ``serve``'s pipe closes without a quit.

        A tab is Textual's web driver reading the server's pipe; a server killed or crashed
        closes it without the "quit" a closed tab sends. The driver's reader then just stops,
        and the tracker lived on for ever, unseen, its note's draft locked away from the
        person's next tab.
        """
        driver = self._driver
        reader = getattr(driver, "_key_thread", None)
        exiting = getattr(driver, "exit_event", None)
        if not self.is_web or not isinstance(reader, threading.Thread):
            return
        if not isinstance(exiting, threading.Event):
            return
        loop = asyncio.get_running_loop()

        def watch() -> None:
            while reader.ident is None and not exiting.is_set():
                time.sleep(0.1)  # the driver starts its reader as the app starts
            if reader.ident is not None:
                reader.join()
            if not exiting.is_set():  # the pipe ended, not a quit
                self._end_as_hung_up(loop, 128 + signal.SIGHUP)

        threading.Thread(target=watch, name="sessiontui-server-watch", daemon=True).start()

    def on_unmount(self) -> None:
        """Leave the collector as it was (tests run many apps in one process); free the drafts."""
        gc.unfreeze()
        for signum, handler in self._signals_before.items():
            signal.signal(signum, handler)
        if self.link is not None:
            self.link.stop()
        self.notes.close()

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes go through ``self.keys``: each is taken once the ones before it are
        handled."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event.key.startswith("alt+") and event.is_printable:
                # A terminal sends alt+n as escape then n, so escape and a key typed right
                # after it arrive as one alt key, which a text field would take as the bare
                # letter (the escape lost: the next note's text went on in this one). No key
                # here is alt and a letter: it is taken as the two keys typed.
                self.keys.put(events.Key("escape", "\x1b"))
                bare = event.key.removeprefix("alt+")
                if bare.startswith("shift+") and event.character and event.character.isupper():
                    bare = event.character  # alt+shift+e: the key E, as typed alone
                event = events.Key(bare, event.character)
            self.keys.put(event)
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            self.keys.put(event)  # in its place among the keys typed around it
            return
        await super().on_event(event)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; on Linux, one that ends on a hang-up without
        losing a key (see ``TerminalDriver``); in a browser tab, one that keeps a paste whole
        (see ``WebTabDriver``)."""
        from textual.drivers.web_driver import WebDriver

        from sessiontui.ui.web_driver import WebTabDriver

        driver_class = super().get_driver_class()
        if driver_class is WebDriver:
            return WebTabDriver
        return TerminalDriver if driver_class is LinuxDriver else driver_class

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def main(self) -> MainScreen:
        """The main view (always the bottom screen)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_main_screen_ready(self, message: MainScreen.Ready) -> None:
        """Paint and start the clock once the main screen's widgets exist."""
        self._started()

    def _started(self) -> None:
        self._quit_when_the_server_goes()
        self.main.item_journal = self.journal_feed.per_item
        self.paint(changed=True)
        if self.service.state.event_count <= JOURNAL_AT_START:
            self.journal_feed.load()  # cheap on a session of this size: the item panel shows it
        self._say_what_the_store_found(opening=True)
        if self.link is not None:
            self.service.on_owner = self._on_ui
            self.main.waiting_on = self.link.waiting_on
            self.link.start()
        self.set_interval(TICK_SECONDS, self.tick)
        self.preload.start()
        if not self.read_only:
            self.notes.open_box(self.drafts_root)
        if self.identity_pending:
            from sessiontui.ui.dialogs.identity_dialog import IdentityDialog

            only_name = self.remember_name is not None and not self.ask_role
            dialog = IdentityDialog(ask_role=not only_name, remembered=only_name)
            self.push_screen(dialog, self._identity_given)
        elif not self.read_only:
            self.notes.offer_left_over()

    def _identity_given(self, identity: Identity | None) -> None:
        self.identity_pending = False
        if identity is None:
            self.read_only = True
            self.notify("View only: nothing will be recorded.", markup=False)
        else:
            self.service.actor = identity.name
            self.service.role = identity.role
            self.sub_title = (
                f"{identity.name} ({identity.role})" if identity.role else identity.name
            )
            if self.remember_name is not None:
                remember_name(self.remember_name, identity.name)
            self.notes.offer_left_over()  # the drafts of this person, now that it is known
        self.refresh_bindings()

    @property
    def my_names(self) -> frozenset[str]:
        """The names the events of the person using this tracker may carry (never listed as
        someone else active); worked out again only when the name changes."""
        actor = self.service.actor
        if self._my_names[0] != actor:
            from sessiontui.service import names_of_person

            self._my_names = (actor, names_of_person(actor))
        return self._my_names[1]

    @property
    def journal(self) -> deque[str]:
        """The last lines of the session's journal (see ``JournalFeed``)."""
        return self.journal_feed.lines

    @property
    def now(self) -> dt.datetime:
        """The current instant from the injected clock."""
        return self.clock.now()

    @property
    def state(self) -> SessionState:
        """The session state as last read or written."""
        return self.service.state

    def tick(self) -> None:
        """Fold what others appended, then repaint (everything if something changed)."""
        if self.link is not None:
            self.link.poll()  # its worker folds and repaints when something arrives
            self.paint(changed=self._say_what_the_store_found())
            return
        try:
            news = self.service.refresh()
        except StoreError as exc:
            if not self._refresh_failed:
                self.notify(f"Cannot read the log: {exc}", severity="error", markup=False)
            self._refresh_failed = True
            news = []
        else:
            self._refresh_failed = False
        self.journal_feed.add(news)
        damaged = self._say_what_the_store_found()
        self.paint(changed=bool(news) or damaged)

    def _say_what_the_store_found(self, *, opening: bool = False) -> bool:
        """Say what the store found that was not said yet: its notices (an interrupted write
        at the end, set aside or left) and damage, as soon as a look finds it, not at the
        next key that records. True if damage was found by this look.

        ``opening``: the store was just opened (damage found then made the tracker VIEW ONLY).
        """
        store = self.service.store
        notices = getattr(store, "notices", [])
        for notice in notices[self._notices_said :]:
            self.notify(str(notice), severity="warning", markup=False)
        self._notices_said = len(notices)
        if not store.damage or self._damage_said:
            return False
        self._damage_said = True
        if opening:
            said = "it is open read-only"
        else:
            # sessiontui writes only sound lines, under the lock: another program (or the
            # disk) wrote this one while the log was open here.
            said = (
                "it changed while open here, and nothing more can be recorded; what was read "
                "before it stays as it is"
            )
        self.notify(
            f"The log is damaged at {store.damage[0]}; {said} "
            "(see `sessiontui verify`, `sessiontui repair`).",
            severity="error",
            markup=False,
        )
        return not opening

    def paint(self, *, changed: bool) -> None:
        """Repaint the views from the state."""
        if not self.screen_stack:
            return  # the app is closing: a last tick or link message finds no screen
        try:
            self._paint(changed=changed)
        except NoMatches:
            # Closing still: the screen is there, its widgets already gone (a timer tick).
            return

    def _paint(self, *, changed: bool) -> None:
        now = self.now
        unwritable = self._unwritable()
        if self.read_only or self.link is not None or unwritable:
            bar = self.main.query_one(TopBar)
            bar.view_only = self.read_only
            bar.unwritable = unwritable
            if self.link is not None:
                bar.link_status = self.link.status()
        self.main.paint(self.state, now, self.my_names, changed=changed)
        if changed:
            self.main.query_one(JournalPanel).show(self.journal_feed.recent())
            self.refresh_bindings()
        if isinstance(self.screen, ClockScreen):
            self.screen.tick(self.state, now)
        elif isinstance(self.screen, ItemScreen):
            item_id = self.screen.item_id
            self.screen.show(
                self.state,
                now,
                self.main.item_journal.get(item_id, ()),
                self.main.waiting_on(item_id),
            )

    def _unwritable(self) -> str:
        """Why the log cannot be written any more, for the top bar ("" if it can): a write
        failed, or damage was found while it was open (found at opening, it is VIEW ONLY)."""
        store = self.service.store
        if store.failed_write is not None:
            return f"({store.failed_write}): restart to record"
        if store.damage:
            first = store.damage[0]
            where = f"line {first.line}, byte {first.offset}"
            return f"(the log is damaged at {where}): see `sessiontui verify`"
        return ""

    # -- recording -------------------------------------------------------------------------

    def record(self, command: Command, key: str | None = None) -> str | None:
        """Run one command; returns None when saved, else why not (also shown to the person).

        ``key`` names the attempt (a note's draft gives its own, so a save it already made is
        recognised, never recorded twice).
        """
        if self.link is not None:
            problem = self.link.record(command, key=key, at=self.pending_at)
            if problem is not None:
                self.notify(problem, severity="error", markup=False)
            elif self.pending_at is not None:
                self.set_pending_at(None)  # a time set with @ is for one action
            self.paint(changed=False)
            return problem
        try:
            events = self.service.run(command, key=key, at=self.pending_at)
        except Refused as exc:
            self.notify(f"Refused: {exc}", severity="warning", markup=False)
            self.tick()
            return str(exc)
        except StoreError as exc:  # SaveError too: its message is the cause alone
            problem = str(exc)
            if isinstance(exc, SaveError) and self.service.store.failed_write is not None:
                # This write failed and took the log read-only: what it takes to record again
                # is said now, not learnt one refused key at a time (the top bar says it too).
                problem += f"; {RESTART_TO_RECORD}"
            self.notify(f"NOT saved: {problem}", severity="error", markup=False)
            self._say_what_the_store_found()
            self.paint(changed=True)  # the top bar, and the keys that now refuse
            # The note editor shows it as "NOT SAVED: <this>": said once, not twice.
            return problem
        if self.pending_at is not None:
            self.set_pending_at(None)  # a time set with @ is for one action (top bar too)
        # What others recorded just before, caught up under the lock, is journaled first.
        self.journal_feed.add([*self.service.caught_up(), *events])
        self._say_what_the_store_found()  # an interrupted write it set aside first
        self.paint(changed=True)
        self._warn_off_the_agenda_days(events)
        for warning in [*speakers_left_waiting(self.state, events), *self.service.notices]:
            self.notify(f"{warning}.", severity="warning", markup=False)
        for event in events:
            if isinstance(event.data, UndoData):
                # What was undone may be out of sight (another item, a note, a speaker moved).
                self.notify(f"Undone: {event.data.what or 'an earlier action'}", markup=False)
        return None

    def action_set_time(self) -> None:
        """Ask when the next action happened; read and checked as the CLI reads ``--at``."""
        from sessiontui.core.at_time import BadTime, far_problem, read_at
        from sessiontui.core.clock import session_zone_name
        from sessiontui.ui.dialogs.time_dialog import TimeDialog

        def check(text: str) -> dt.datetime | str:
            """The moment ``text`` says, or why it cannot be."""
            state = self.state
            try:
                moment = read_at(
                    text, session_zone_name(state.header.timezone, state.header.agenda)
                )
            except BadTime as exc:
                return str(exc)
            dates = list(state.agenda.meeting.dates or [])
            problem = far_problem(moment, dates, self.now, meeting_moment(moment, state))
            if hand_time(moment, self.now) is None:  # as the command decides it (``--at``)
                problem = f"{text!r} has not happened yet"
            return problem if problem is not None else moment

        def chosen(moment: dt.datetime | None) -> None:
            if moment is not None:
                self.set_pending_at(moment)

        self.push_screen(TimeDialog(check), chosen)

    def action_clear_time(self) -> None:
        """Forget the time set with @: the next action happens now."""
        self.set_pending_at(None)

    def set_pending_at(self, moment: dt.datetime | None) -> None:
        """The time the next recorded action happened (None: now), shown in the top bar."""
        from sessiontui.core.phrases import meeting_time

        if (moment is None) != (self.pending_at is None):
            self.refresh_bindings()  # the footer offers escape while a time is set
        self.pending_at = moment
        top = self.main.query_one(TopBar)
        top.pending_at = "" if moment is None else meeting_time(moment, self.state)
        self.paint(changed=False)

    def _warn_off_the_agenda_days(self, events: Iterable[Event]) -> None:
        """A warning, not a question, when a sitting opens on a day the agenda does not list."""
        for warning in sittings_off_the_agenda_days(self.state, list(events)):
            self.notify(f"Sitting opened: {warning}.", severity="warning", markup=False)

    def selected(self) -> str | None:
        """The item under the agenda cursor."""
        return self.main.selected_item

    async def action_quit(self) -> None:
        """Quit; the note editors and speaker dialogs open keep what they hold in drafts. But
        a speaker typed into the speaker dialog whose draft cannot be written is not dropped
        at the first ctrl+q: the person is told, and a second ctrl+q quits."""
        from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog

        screen = self.screen
        if (
            not self._hung_up
            and isinstance(screen, SpeakerDialog)
            and screen is not self._quit_warned
            and screen.typed()
            and not screen.flush_draft()
        ):
            self._quit_warned = screen
            self.notify(
                "The speaker typed is not on the list yet and NO draft could be written: "
                "enter puts them on it; ctrl+q again quits without them.",
                severity="warning",
                markup=False,
            )
            return
        await super().action_quit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable what cannot apply now, so keys are never silently ignored."""
        return self.allowed(action, self.screen)

    def allowed(self, action: str, screen: Screen[Any]) -> bool:
        """Whether ``action`` applies with ``screen`` in front (the palette asks for its own)."""
        if action in ("quit", "help", "command_palette", "clock_view", *FOCUS_ACTIONS):
            return True
        if screen is not self.main and not isinstance(screen, ClockScreen):
            # A dialog is open: its own keys apply, the tracker's wait.
            return False
        return self.refusal(action) is None

    def refusal(self, action: str) -> str | None:
        """Why ``action`` cannot apply now (None: it applies).

        Decided by a dry run of the core's validation of the command the key would run, so the
        reason is the core's own ("nobody is speaking on 2(b)").
        """
        entry = BY_NAME.get(action)
        if entry is None or (entry.records is None and not entry.prepares):
            return None
        if self.read_only:
            return "this tracker is view-only: nothing can be recorded"
        if (failed := self.service.store.failed_write) is not None:
            return f"a write to the log failed ({failed}); {RESTART_TO_RECORD}"
        if damage := self.service.store.damage:
            # Found while open (``_say_what_the_store_found``): the store refuses every write.
            return (
                f"the log is damaged at {damage[0]}; nothing more can be recorded (see "
                "`sessiontui verify`, `sessiontui repair`)"
            )
        if self.identity_pending:
            return "say who you are first"
        role = self.service.role
        if entry.records is None:
            # A time set with @ is checked by the command it is then used for; of use only to
            # a role that may record something (not a viewer).
            if any(role_allows(role, a.records) for a in ACTIONS if a.records is not None):
                return None
            return f"the {role} role records nothing"
        if not role_allows(role, entry.records):
            return str(role_refusal(role, entry.records))
        try:
            command = entry.command(self) if entry.command is not None else None
            if command is not None:
                ctx = Context(actor=self.service.actor, at=self.now, role=self.service.role)
                decide(self.state, command, ctx)
        except Refused as exc:
            return str(exc)
        return None

    def footer_label(self, call: str) -> str | None:
        """What the footer calls the action ``call`` now (None: not in the footer)."""
        return footer_label(self, BY_CALL[call])

    def run_probe(self, name: str) -> None:
        """Record what the action ``name`` would do now, or say why it cannot."""
        entry = BY_NAME[name]
        try:
            command = entry.command(self) if entry.command is not None else None
        except Refused as exc:
            self.notify(f"{entry.description}: {exc}", severity="warning", markup=False)
            return
        if command is not None:
            self.record(command)

    def action_take_up(self) -> None:
        """Take the selected item up (open it)."""
        self.run_probe("take_up")

    def action_close_item(self) -> None:
        """Close the selected item."""
        self.run_probe("close_item")

    def action_next_item(self) -> None:
        """Close the item on the floor and take up the next one."""
        self.run_probe("next_item")
        if self.state.floor is not None:
            self.main.agenda_tree.select_item(self.state.floor)

    def action_suspend_item(self) -> None:
        """Suspend the selected item, or resume it when it is suspended."""
        self.run_probe("suspend_item")

    def action_defer_item(self) -> None:
        """Defer the selected item."""
        self.run_probe("defer_item")

    def action_reopen_item(self) -> None:
        """Reopen the selected (closed) item."""
        self.run_probe("reopen_item")

    def action_pause_sitting(self) -> None:
        """Suspend the sitting (a break), or resume it."""
        self.run_probe("pause_sitting")

    def action_toggle_sitting(self) -> None:
        """Open a sitting, or close the current one (after asking)."""
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        if self.state.sitting is None:
            self.record(SittingCommand("open"))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.record(SittingCommand("close"))

        self.push_screen(ConfirmDialog(self._close_sitting_question()), answered)

    def _close_sitting_question(self) -> str:
        """ "Close the 1st meeting?", with what closing it does to the floor: the officer must
        not learn afterwards that a speech was cut short or an item suspended."""
        state = self.state
        assert state.sitting is not None
        effects: list[str] = []
        if state.speaking is not None:
            item_id, speaker_id = state.speaking
            speaker = state.speaker(item_id, speaker_id)
            if speaker is not None:
                # A speaker a point of order interrupted has their speech ended too.
                held = [
                    f"{sp.who()} (interrupted)"
                    for sp in state.items[item_id].speakers
                    if sp.status == "interrupted"
                ]
                stop = "stops" if not held else "stop"
                effects.append(f"{and_list([speaker.who(), *held])} {stop} speaking")
        if state.floor is not None:
            on_floor = (state.floor, *state.ancestors(state.floor))
            open_ = [state.ref(i) for i in on_floor if state.items[i].status == "open"]
            if open_:
                items = "item" if len(open_) == 1 else "items"
                verb = "is" if len(open_) == 1 else "are"
                effects.append(f"{items} {and_list(open_)} {verb} suspended")
        question = f"Close the {state.sitting.label}?"
        if not effects:
            return question
        effects[0] = effects[0][0].upper() + effects[0][1:]
        return f"{question} {', and '.join(effects)}."

    # -- notes -----------------------------------------------------------------------------

    def action_note(self, kind: str = "note") -> None:
        """Write a note, decision or action point on the selected item."""
        item_id = self.selected()
        if item_id is not None:
            self.notes.write(item_id, kind)

    def notes_on(self, item_id: str) -> list[Note]:
        """The item's notes as shown: those recorded, then those waiting in the outbox (a
        PostgreSQL session's server out of reach), which can be edited or deleted too."""
        notes = self.state.notes_of(item_id)
        if self.link is not None:
            known = {note.id for note in notes}
            notes += [n for n in self.link.waiting_notes(item_id) if n.id not in known]
        return notes

    def note(self, note_id: str) -> Note | None:
        """A note by id: recorded, or waiting in the outbox (see ``notes_on``)."""
        note = self.state.note(note_id)
        if note is None and self.link is not None:
            return next((n for n in self.link.waiting_notes() if n.id == note_id), None)
        return note

    def _pick_note(self, verb: str, then: Callable[[Note], None]) -> None:
        from sessiontui.ui.dialogs.note_picker import NotePicker

        item_id = self.selected()
        if item_id is None:
            return
        notes = self.notes_on(item_id)
        waiting = {note.id for note in notes} - set(self.state.items[item_id].notes)
        numbers = self.state.note_numbers(item_id, [n for n in notes if n.id in waiting])
        # In the order written (the numbers' own): the picker starts on the last one.
        written = {note_id: place for place, note_id in enumerate(numbers)}
        notes.sort(key=lambda note: written[note.id])

        def picked(note_id: str | None) -> None:
            note = None if note_id is None else self.note(note_id)
            if note is not None:
                then(note)

        heading = f"{verb} which note on {self.state.ref(item_id)}?"
        self.push_screen(NotePicker(heading, notes, numbers, waiting=waiting), picked)

    def action_edit_note(self) -> None:
        """Edit one of the selected item's notes."""
        self._pick_note("Edit", lambda note: self.notes.edit(note.id))

    def action_delete_note(self) -> None:
        """Delete one of the selected item's notes (it stays in the record as deleted)."""
        from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog

        def delete(note: Note) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.record(DeleteNote(note.id))

            self.push_screen(
                ConfirmDialog(f"Delete the {note.kind} “{excerpt(note.text)}”?"), answered
            )

        self._pick_note("Delete", delete)

    # -- attendance ------------------------------------------------------------------------

    def action_roll_call(self) -> None:
        """Take the roll call of the open sitting from the participants register."""
        from sessiontui.core.commands import RollCall
        from sessiontui.core.register import fold
        from sessiontui.ui.dialogs.rollcall_dialog import RollCallDialog, RollCallResult

        state = self.state
        sitting = state.sitting
        if sitting is None:
            self.notify("Open a sitting first (P).", severity="warning")
            return
        if not state.participants:
            self.notify(
                "The register is empty: add participants with `sessiontui participant`.",
                severity="warning",
            )
            return
        names = [p.name for p in state.participants.values()]
        roll = state.attendance.get(sitting.number, {})
        present = {name for name in names if roll.get(fold(name))}
        quorum = state.agenda.meeting.quorum
        hint = f"quorum {quorum} Member States" if quorum else ""

        def recorded(result: RollCallResult | None) -> None:
            if result is not None:
                self.record(RollCall(result.present, result.absent, sitting.number))

        self.push_screen(
            RollCallDialog(f"Roll call: {sitting.label}", names, present, hint), recorded
        )

    # -- speakers --------------------------------------------------------------------------

    def action_add_speaker(self) -> None:
        """Put a speaker on the selected item's list (names complete from the session).

        Never gives the floor: ``g`` does, so adding a speaker never cuts anyone off.
        """
        item_id = self.selected()
        if item_id is not None:
            self.notes.add_speaker(item_id)

    def speaker_dialog(
        self, item_id: str, draft: NoteDraft, box: DraftBox | None, *, restored: str = ""
    ) -> SpeakerDialog:
        """The speaker dialog on ``item_id``, keeping what is typed in ``draft``."""
        from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog
        from sessiontui.ui.format import clock

        state = self.state
        groups = {
            sp.on_behalf_of: None
            for item in state.items.values()
            for sp in item.speakers
            if sp.on_behalf_of
        }
        limit = state.agenda.speaking_limit_for(item_id)
        return SpeakerDialog(
            self.heading_on(item_id, "Speaker on"),
            speaker_names(state.participants.values(), state.speaker_names),
            group_names(state.participants.values(), groups),
            limit_hint=clock(limit) if limit else "",
            draft=draft,
            box=box,
            now=lambda: self.now,
            restored=restored,
        )

    def add_speaker(self, item_id: str, request: SpeakerRequest, key: str) -> str | None:
        """Record the speaker the dialog asked for under the attempt ``key`` (its draft's);
        None when saved, else why not."""
        # A delegation may rightly be on a list twice (a statement, then a reply): said, never
        # refused, so a name entered twice by mistake shows.
        waiting = any(
            sp.name.casefold() == request.name.casefold() and sp.status == "queued"
            for sp in self.state.items[item_id].speakers
        )
        # Read before the speaker is added (after it, the name is one spoken before); said
        # after, never asked: the list cannot wait, and the name may rightly be on no list.
        unlisted = unlisted_speaker(
            request.name,
            self.state.participants.values(),
            self.state.speaker_names,
            self.state.agenda.meeting.secretariat,
        )
        problem = self.record(
            AddSpeaker(
                item_id,
                request.name,
                kind=request.kind,
                limit_seconds=request.limit_seconds,
                person=request.person,
                on_behalf_of=request.on_behalf_of,
            ),
            key,
        )
        if problem is None and waiting:
            self.notify(
                f"{request.name} is now twice on the list of "
                f"{self.state.ref(item_id)} (u undoes the second)",
                severity="warning",
                markup=False,
            )
        if problem is None and unlisted is not None:
            self.notify(unlisted.said("u undoes it"), severity="warning", markup=False)
        if problem is None:
            self.say_off_the_floor(item_id, f"{request.name} added to")
        return problem

    def heading_on(self, item_id: str, what: str) -> str:
        """A dialog's heading, ``what`` and the item, with the item's status when it is not
        under consideration ("Speaker on 1 Opening … (closed)"): said before anything is
        typed, since the floor may have moved on."""
        state = self.state
        words = OFF_THE_FLOOR.get(state.items[item_id].status)
        return f"{what} {state.display(item_id)}" + (f" ({words})" if words else "")

    def say_off_the_floor(self, item_id: str, done: str) -> None:
        """Say so when something was just put on an item that is not under consideration:
        ``done`` names it ("Belgium added to", "Decision saved on").

        Said, never asked or refused: a list prepared for the next item, or a decision written
        down after its item was closed, is ordinary work, and a question would take the keys
        typed behind ``enter`` or ``ctrl+s`` as its answer. A closed or deferred item is the
        likelier mistake (the floor moved on and the selection did not), so it warns.
        """
        state = self.state
        status = state.items[item_id].status
        words = OFF_THE_FLOOR.get(status)
        if words is None:
            return
        message = f"{done} {state.ref(item_id)}, which is {words}"
        if state.floor is not None:
            message += f" ({state.ref(state.floor)} is on the floor)"
        severity: SeverityLevel = "information" if status == "pending" else "warning"
        self.notify(message, severity=severity, markup=False)

    def action_start_speaker(self) -> None:
        """Give the floor to the first speaker waiting on the selected item."""
        self.run_probe("start_speaker")

    def action_stop_speaker(self) -> None:
        """End the current speech on the selected item."""
        self.run_probe("stop_speaker")

    def action_speakers_list(self) -> None:
        """The speakers waiting on the selected item: move them up or down, take them off."""
        from sessiontui.ui.dialogs.speaker_picker import SpeakerPicker

        item_id = self.selected()
        if item_id is None:
            return

        def waiting() -> list[Speaker]:
            return [sp for sp in self.state.items[item_id].speakers if sp.status == "queued"]

        def act(what: str, speaker_id: str) -> str | None:
            if what == "remove":
                return self.record(RemoveSpeaker(item_id, speaker_id))
            return self.record(MoveSpeaker(item_id, speaker_id, -1 if what == "up" else 1))

        heading = f"Speakers waiting on {self.state.ref(item_id)}"
        self.push_screen(SpeakerPicker(heading, waiting, act))

    def action_undo(self) -> None:
        """Undo this person's last action (recorded as an undo event)."""
        self.run_probe("undo")

    # -- views -----------------------------------------------------------------------------

    def action_clock_view(self) -> None:
        """Show (or leave) the full-screen clock."""
        if isinstance(self.screen, ClockScreen):
            self.pop_screen()
            return
        screen = ClockScreen()
        self.push_screen(screen)
        self.call_after_refresh(screen.tick, self.state, self.now)

    def action_item_details(self) -> None:
        """The selected item on the whole screen: speakers, decisions, notes, its journal."""
        item_id = self.selected()
        if item_id is None:
            self.notify("Select an agenda item first.", severity="warning", markup=False)
            return
        screen = ItemScreen(item_id)
        self.push_screen(screen)
        self.call_after_refresh(self.paint, changed=False)

    def action_toggle_journal(self) -> None:
        """Show or hide the journal panel."""
        panel = self.main.query_one(JournalPanel)
        panel.toggle_class("-shown")
        feed = self.journal_feed
        feed.load()
        reading = [] if feed.ready else ["Reading the journal of the session…"]
        panel.show(feed.recent() or reading)

    def help_rows(self) -> list[tuple[str, str, str]]:
        """Every binding of the tracker and its dialogs, for the help screen and the docs."""
        return [(where, key, description) for where, key, description, _ in all_bindings()]

    def action_help(self) -> None:
        """Show every key."""
        from sessiontui.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_rows()))

    def jump_to(self, item_id: str) -> None:
        """Select an item in the agenda (from the command palette)."""
        self.main.agenda_tree.select_item(item_id)
        self.main.agenda_tree.focus()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every tracker action that applies now, then Textual's own."""
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            name = binding.action.partition("(")[0]
            if name in ("quit", "help") or not self.allowed(name, screen):
                continue
            keys = binding.key_display or binding.key
            yield SystemCommand(
                binding.description, f"key {keys}", partial(self.run_action, binding.action)
            )
        yield SystemCommand("Help", "Every key (key ?)", self.action_help)
        yield from super().get_system_commands(screen)

    # -- export ----------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask for a format and path, then export in a worker thread."""
        self.export_flow.start()

    @property
    def last_export(self) -> Path | None:
        """Where the last export from this tracker was written."""
        return self.export_flow.last_export


def all_bindings() -> list[tuple[str, str, str, str]]:
    """``(where, key, description, id)`` of every binding the tracker defines."""
    from sessiontui.ui.dialogs.confirm_dialog import ConfirmDialog, DraftOffer
    from sessiontui.ui.dialogs.note_editor import NoteEditor
    from sessiontui.ui.dialogs.speaker_dialog import SpeakerDialog
    from sessiontui.ui.dialogs.speaker_picker import SpeakerPicker

    rows: list[tuple[str, str, str, str]] = []
    sources: list[tuple[str, list[BindingType]]] = [
        ("tracker", SessionApp.BINDINGS),
        ("note editor", NoteEditor.BINDINGS),
        ("clock view", ClockScreen.BINDINGS),
        ("item in full", ItemScreen.BINDINGS),
        ("speaker dialog", SpeakerDialog.BINDINGS),
        ("speakers waiting", SpeakerPicker.BINDINGS),
        ("dialogs", ConfirmDialog.BINDINGS),
        ("unsaved text left at start", DraftOffer.BINDINGS),
    ]
    for where, bindings in sources:
        for binding in bindings:
            assert isinstance(binding, Binding)
            keys = binding.key_display or ", ".join(
                {"question_mark": "?", "plus": "+", "minus": "-"}.get(k, k)
                for k in binding.key.split(",")
            )
            rows.append((where, keys, binding.description, binding.id or ""))
    rows.append(
        ("tracker", "ctrl+p", "Command palette: every action, and jump to any item", "palette")
    )
    return rows
