"""The main view: the agenda tree, the selected item, the top bar and the journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Tree

from sessiontui.core.state import SessionState
from sessiontui.ui.actions import BY_KEY
from sessiontui.ui.key_order import TYPING_PAUSE, KeyQueue
from sessiontui.ui.widgets.agenda_tree import AgendaTree
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.journal_panel import JournalPanel
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from sessiontui.store.outbox import Entry


class MainScreen(Screen[None]):
    """Composes the main view; the app paints it from the session state."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Textual's type)

    def __init__(self) -> None:
        super().__init__(id="main")
        self.state: SessionState | None = None
        self.now: dt.datetime | None = None
        # The latest journal lines of each item, kept by the app (attributes down).
        self.item_journal: Mapping[str, Sequence[str]] = {}
        # What waits in the outbox for an item (a PostgreSQL session), kept by the app.
        self.waiting_on: Callable[[str], Sequence[Entry]] = lambda item_id: ()
        # When the last key that is no tracker key was typed (``_not_a_key``).
        self._not_a_key_at = -TYPING_PAUSE
        # The item last on the floor other than by going up to its parent, and the floor at
        # the last repaint: a selection on either follows the floor (``_follow_floor``).
        self._floor_seen: str | None = None
        self._floor_before: str | None = None

    class Ready(Message):
        """The screen and its widgets are mounted: the app may paint and start its clock."""

    def on_mount(self) -> None:
        # The app must not paint before these widgets exist (under load the default screen
        # can compose after the app's own mount and its first refresh).
        self.post_message(self.Ready())

    def compose(self) -> ComposeResult:
        # The breakpoint's class for the width the terminal has now, before the widgets mount:
        # set only by the first resize (as Textual does), it restyled every one of them again.
        # A resize still sets it, from then on.
        breakpoints = self.HORIZONTAL_BREAKPOINTS
        width_classes = dict.fromkeys((name for _, name in breakpoints), False)
        for name in self._get_breakpoint_classes(self.app.size.width, breakpoints):
            width_classes[name] = True
        self.update_classes(width_classes, animate=False)
        yield TopBar(id="top")
        with Horizontal(id="body"):
            yield AgendaTree(id="agenda")
            with Vertical(id="right"):
                yield ItemPanel(id="item")
                yield JournalPanel(id="journal")
        yield KeysFooter()

    @property
    def agenda_tree(self) -> AgendaTree:
        """The agenda tree."""
        return self.query_one(AgendaTree)

    @property
    def selected_item(self) -> str | None:
        """The item under the tree's cursor."""
        return self.agenda_tree.selected_item

    def paint(
        self, state: SessionState, now: dt.datetime, me: Collection[str], *, changed: bool
    ) -> None:
        """Repaint from the state: everything after a change, only the clocks on a tick."""
        self.state, self.now = state, now
        try:
            top = self.query_one(TopBar)
        except NoMatches:
            return  # the app is shutting down: a last timer tick or worker result arrived
        top.show(state, now, me)
        tree = self.agenda_tree
        if changed or not tree.root.children:
            tree.update(state, now)
            self._follow_floor(state)
        else:
            tree.tick(state, now)
        self._show_item(tree.selected_item)

    def _follow_floor(self, state: SessionState) -> None:
        """Move the selection to a new item on the floor when it was on the one before.

        The floor moves under the person as often as by their own keys (another tracker, the
        CLI's ``next``): a selection left on the closed item sent the next speaker and decision
        there. A selection moved elsewhere on purpose (the next item's list of speakers being
        prepared) stays where it was put. The floor going back up to the parent of a suspended
        item is not the meeting moving on: the selection stays on that item (``s`` resumes it),
        and follows from it when the floor moves on. Back up from an item closed or deferred,
        it is: the selection left there sent the next note to a concluded item.
        """
        floor, before = state.floor, self._floor_before
        self._floor_before = floor
        if floor is None or floor == before:
            return
        seen = self._floor_seen
        if (
            seen in state.agenda.nodes
            and floor in state.ancestors(seen)
            and state.items[seen].status == "suspended"
        ):
            return
        self._floor_seen = floor
        tree = self.agenda_tree
        selected = tree.selected_item
        if selected is not None and selected in (seen, before):
            tree.select_item(floor)

    def _show_item(self, item_id: str | None) -> None:
        if self.state is None or self.now is None:
            return
        lines = self.item_journal.get(item_id or "", ())
        waiting = self.waiting_on(item_id) if item_id else ()
        self.query_one(ItemPanel).show(self.state, item_id, self.now, list(lines), waiting)

    def on_key(self, event: events.Key) -> None:
        """A tracker key that cannot apply now is answered with the reason, never dropped.

        Textual drops a key whose binding ``check_action`` refuses; the key reaches this screen
        before the app's bindings, so the refusal is said here instead.
        """
        entry = BY_KEY.get(event.key)
        if entry is None:
            self._not_a_key(event)
            return
        refusal = getattr(self.app, "refusal", None)
        if refusal is None:
            return
        reason = refusal(entry.name)
        if reason is not None:
            event.stop()
            event.prevent_default()
            keys = getattr(self.app, "keys", None)
            if entry.opens_text and isinstance(keys, KeyQueue):
                # The text typed behind the key would otherwise run as the tracker's keys.
                keys.hold_typing(event)
                reason += "; what was typed right after it was not run"
            self.app.notify(f"{entry.description}: {reason}", severity="warning", markup=False)

    def _not_a_key(self, event: events.Key) -> None:
        """A letter, digit or sign that is no key of the tracker says so, once per burst.

        Otherwise it did nothing, and an officer could not tell a key that does not exist from
        one that was lost. Spaces and keys without a character (arrows, function keys) belong
        to the agenda tree and the scrolling. A burst (someone typing a sentence here, thinking
        the note editor open) gets one message, not one per letter.
        """
        character = event.character
        if not event.is_printable or not character or character.isspace():
            return
        if event.time - self._not_a_key_at < TYPING_PAUSE:
            self._not_a_key_at = event.time
            return
        self._not_a_key_at = event.time
        self.app.notify(f"“{character}” is not a key of the tracker: ? lists them", markup=False)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        self._show_item(event.node.data)
        # Which keys apply depends on the selected item ("open" for a closed one, ...): the
        # footer follows the cursor, not only recorded actions.
        self.app.refresh_bindings()
