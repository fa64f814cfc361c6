"""The tracker's action table: each action declared once, with its key and what it records.

The bindings, the help screen, the key table in the docs, the footer and the palette are derived
from ``ACTIONS``. Whether an action applies now is decided by a dry run of the core's own
validation on the command the key would run (``command``), never by a second copy of its
rules: a key that cannot apply shows the core's refusal ("nobody is speaking on 2(b)").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
from textual.binding import Binding

from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    CloseItem,
    Command,
    DeferItem,
    NextItem,
    OpenItem,
    Refused,
    ResumeItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
    SuspendItem,
    Undo,
)
from sessiontui.core.vocabulary import NoteKind, SpeechKind

if TYPE_CHECKING:
    from sessiontui.ui.app import SessionApp

Probe = Callable[["SessionApp"], Command | None]
"""The command a key would run now (None: it opens a dialog first); raises ``Refused`` when
there is nothing it could act on."""


@dataclass(frozen=True, slots=True)
class TrackerAction:
    """One thing the tracker does from a key."""

    id: str
    key: str
    call: str  # the Textual action, e.g. "note('decision')"
    description: str
    records: str | None = None  # the event type it records (its role); None: a view
    display: str | None = None
    command: Probe | None = None
    short: str | None = None  # the footer's word for it (default: the description)
    # It records nothing itself but sets up what the next recording key records (``@``): of
    # no use, so refused and left out of the footer, where nothing can be recorded.
    prepares: bool = False

    @property
    def opens_text(self) -> bool:
        """Whether the key opens something to type in (a note, a speaker, a time): what is
        typed right behind it is text, never keys."""
        return self.records in ("note.add", "note.edit", "speaker.add") or self.id == "time.set"

    @property
    def name(self) -> str:
        """The action's method name without ``action_`` (what ``check_action`` is asked)."""
        return self.call.partition("(")[0]

    def binding(self) -> Binding:
        """The Textual binding of this action."""
        return Binding(
            self.key,
            self.call,
            self.description,
            show=True,  # the footer chooses among every key that applies (``KeysFooter``)
            key_display=self.display,
            id=self.id,
            priority=self.key == "ctrl+q",
        )


def selected(app: SessionApp) -> str:
    """The selected item's id, or the refusal a key acting on an item gives without one."""
    item_id = app.selected()
    if item_id is None or item_id not in app.state.items:
        raise Refused("select an agenda item first")
    return item_id


def _suspend(app: SessionApp) -> Command:
    item_id = selected(app)
    if app.state.items[item_id].status == "suspended":
        return ResumeItem(item_id)
    return SuspendItem(item_id)


def _take_up(app: SessionApp) -> Command:
    item_id = selected(app)
    if app.state.items[item_id].status == "closed":
        # Reopening is a deliberate act of its own key: ``o`` pressed in a burst of arrows
        # (``Up Up Up o``) that lands on a closed item must not reopen it by accident. Refused
        # rather than asked, as ``r`` already is the way to say it (a question only for what has
        # no key of its own, like closing the sitting with ``P``).
        raise Refused(f"{app.state.ref(item_id)} is closed: `r` reopens it")
    return OpenItem(item_id)


def _reopen(app: SessionApp) -> Command:
    item_id = selected(app)
    if app.state.items[item_id].status != "closed":
        raise Refused(f"{app.state.ref(item_id)} is not closed: `o` takes it up")
    return OpenItem(item_id)


def _pause(app: SessionApp) -> Command:
    sitting = app.state.sitting
    if sitting is None:
        raise Refused("no sitting is open")
    return SittingCommand("resume" if sitting.status == "suspended" else "suspend")


def _toggle(app: SessionApp) -> Command:
    return SittingCommand("open" if app.state.sitting is None else "close")


def _with_notes(app: SessionApp) -> Command | None:
    item_id = selected(app)
    if not app.notes_on(item_id):
        raise Refused(f"{app.state.ref(item_id)} has no notes")
    return None  # a picker asks which note


def _speaking_seen(app: SessionApp, item_id: str) -> str | msgspec.UnsetType | None:
    """The speaker the view shows speaking on ``item_id`` (None: nobody): a command that ends
    that speech is refused when it has changed meanwhile (``check_speech_seen``). Unset with
    a time set with @: then the command is decided on the session as it stood at that time."""
    if app.pending_at is not None:
        return msgspec.UNSET
    speaking = app.state.speaking
    return speaking[1] if speaking is not None and speaking[0] == item_id else None


def _next(app: SessionApp) -> Command:
    """Moves on from the floor the view shows (``check_floor_seen``), unless a time is set
    with @ (decided on the session as it stood then)."""
    return NextItem(app.state.floor if app.pending_at is None else msgspec.UNSET)


def _stop_speech(app: SessionApp) -> Command:
    item_id = selected(app)
    return StopSpeaker(item_id, seen=_speaking_seen(app, item_id))


def _give_floor(app: SessionApp) -> Command:
    item_id = selected(app)
    queued = [sp for sp in app.state.items[item_id].speakers if sp.status == "queued"]
    if not queued:
        raise Refused(f"nobody is waiting to speak on {app.state.ref(item_id)}")
    # A point of order is heard at once, before the speakers waiting ahead of it.
    orders = [sp for sp in queued if sp.kind == SpeechKind.POINT_OF_ORDER]
    speaker = (orders or queued)[0]
    if app.pending_at is not None:
        # Back-dated with @: decided on the session as it stood then, which may not hold this
        # entry yet; its name, then, is what a refusal can say ("'Zambia' is not on the list").
        return StartSpeaker(item_id, speaker.name)
    return StartSpeaker(item_id, speaker.id, _speaking_seen(app, item_id))


def _queued(app: SessionApp) -> Command | None:
    item_id = selected(app)
    if not any(sp.status == "queued" for sp in app.state.items[item_id].speakers):
        raise Refused(f"nobody is waiting to speak on {app.state.ref(item_id)}")
    return None  # a picker asks which speaker


ACTIONS: tuple[TrackerAction, ...] = (
    TrackerAction("item.open", "o", "take_up", "Take up", "item.open", command=_take_up),
    TrackerAction("item.close", "c", "close_item", "Close", "item.close",
                  command=lambda app: CloseItem(selected(app))),
    TrackerAction("item.next", "greater_than_sign", "next_item", "Next item", "item.open",
                  display=">", command=_next, short="Next"),
    TrackerAction("item.suspend", "s", "suspend_item", "Suspend/resume item", "item.suspend",
                  command=_suspend, short="Suspend"),
    TrackerAction("item.defer", "f", "defer_item", "Defer item", "item.defer",
                  command=lambda app: DeferItem(selected(app)), short="Defer"),
    TrackerAction("item.reopen", "r", "reopen_item", "Reopen item", "item.open",
                  command=_reopen, short="Reopen"),
    TrackerAction("sitting.pause", "p", "pause_sitting", "Suspend/resume sitting",
                  "sitting.suspend", command=_pause),
    TrackerAction("sitting.toggle", "P", "toggle_sitting", "Open/close sitting", "sitting.open",
                  command=_toggle),
    TrackerAction("note.note", "n", "note('note')", "Note", "note.add",
                  command=lambda app: AddNote(selected(app), "·")),
    TrackerAction("note.decision", "d", "note('decision')", "Decision", "note.add",
                  command=lambda app: AddNote(selected(app), "·", NoteKind.DECISION)),
    TrackerAction("note.action", "a", "note('action')", "Action point", "note.add",
                  command=lambda app: AddNote(selected(app), "·", NoteKind.ACTION),
                  short="Action"),
    TrackerAction("note.edit", "E", "edit_note", "Edit a note", "note.edit",
                  command=_with_notes, short="Edit note"),
    TrackerAction("note.delete", "X", "delete_note", "Delete a note", "note.delete",
                  command=_with_notes, short="Delete note"),
    TrackerAction("speaker.add", "plus", "add_speaker", "Add speaker", "speaker.add",
                  display="+", command=lambda app: AddSpeaker(selected(app), "·"), short="Speaker"),
    TrackerAction("speaker.start", "g", "start_speaker", "Give the floor to the next speaker",
                  "speaker.start", command=_give_floor, short="Give floor"),
    TrackerAction("speaker.stop", "e", "stop_speaker", "End the current speech",
                  "speaker.stop", command=_stop_speech,
                  short="End speech"),
    TrackerAction("speaker.list", "l", "speakers_list",
                  "Speakers waiting: move up/down, take off the list", "speaker.move",
                  command=_queued, short="Speakers"),
    TrackerAction("undo", "u", "undo", "Undo my last action", "undo",
                  command=lambda app: Undo(), short="Undo"),
    TrackerAction("time.set", "at", "set_time", "Set when the next action happened",
                  display="@", short="Time", prepares=True),
    TrackerAction("time.clear", "escape", "clear_time", "Forget the time set with @",
                  short="Forget time"),
    TrackerAction("attendance.rollcall", "R", "roll_call", "Roll call", "attendance.mark"),
    TrackerAction("export", "w", "export", "Export"),
    TrackerAction("view.clock", "t", "clock_view", "Clock view", short="Clock"),
    TrackerAction("view.journal", "j", "toggle_journal", "Journal"),
    TrackerAction("view.item", "i", "item_details",
                  "The selected item in full: speakers, decisions, notes", short="Item"),
    TrackerAction("help", "question_mark", "help", "Help", display="?"),
    TrackerAction("quit", "ctrl+q", "quit", "Quit"),
)  # fmt: skip

FOOTER_RANK: tuple[str, ...] = (
    "speaker.start",
    "speaker.stop",
    "sitting.pause",
    "sitting.toggle",
    "time.clear",
    "item.open",
    "item.close",
    "help",
    "note.note",
    "speaker.add",
    "item.next",
    "view.item",
    "quit",
    # What a wider footer adds (120 columns and more), most wanted first.
    "note.decision",
    "note.action",
    "undo",
    "item.suspend",
    "speaker.list",
    "note.edit",
    "time.set",
    "view.journal",
    "item.defer",
    "item.reopen",
    "view.clock",
    "export",
    "attendance.rollcall",
    "note.delete",
)
"""The footer's keys (action ids), most wanted first: the footer shows those that apply now
from the first, as many as fit its width (the keys that depend on the moment come before the
ones always there, and those before the ones a narrow terminal leaves to the help)."""


def footer_label(app: SessionApp, action: TrackerAction) -> str | None:
    """What the footer calls ``action`` now; None: it is left out of the footer."""
    sitting = app.state.sitting
    if action.name == "toggle_sitting":
        # Opening one is the first thing to do; closing one is rare and asks first anyway.
        return "Open sitting" if sitting is None else None
    if action.name == "pause_sitting":
        return (
            "Resume sitting" if sitting is not None and sitting.status == "suspended" else "Break"
        )
    if action.name == "clear_time":
        return action.short if app.pending_at is not None else None  # nothing to forget
    if action.name == "roll_call":
        # Its key says what is missing; the footer offers it once it can be taken.
        return action.description if sitting is not None and app.state.participants else None
    if action.name == "suspend_item":
        item_id = app.selected()
        item = app.state.items.get(item_id) if item_id is not None else None
        return "Resume" if item is not None and item.status == "suspended" else action.short
    return action.short or action.description


BY_NAME: dict[str, TrackerAction] = {action.name: action for action in ACTIONS}
BY_KEY: dict[str, TrackerAction] = {action.key: action for action in ACTIONS}
BY_CALL: dict[str, TrackerAction] = {action.call: action for action in ACTIONS}
"""By the Textual action with its arguments (``n``, ``d`` and ``a`` share ``note``)."""
