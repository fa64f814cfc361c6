"""The selected item in full: title, annotation, documents, time bar, notes and speakers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from sessiontui.core.agenda import Node
from sessiontui.core.commands import AddNote, EditNote, describe_command
from sessiontui.core.state import SessionState, Speaker, on_behalf_of
from sessiontui.core.vocabulary import NoteKind, note_kind
from sessiontui.ui.format import (
    STATUS_MARKS,
    STATUS_WORDS,
    bar,
    clock,
    hhmm,
    safe,
    speech_tag,
    user_text,
)

if TYPE_CHECKING:
    from sessiontui.store.outbox import Entry

WAITING_MARK = "⧗"
"""Marks what waits in the outbox (a PostgreSQL session whose server is out of reach)."""

NOTE_SECTIONS: tuple[tuple[str, str], ...] = tuple(
    (kind.value, kind.plural) for kind in (NoteKind.DECISION, NoteKind.ACTION, NoteKind.NOTE)
)


class ItemPanel(VerticalScroll):
    """Everything about one agenda item; repainted from the session state."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"item-panel--overrun", "item-panel--heading"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="item-head")
        yield Static(id="item-time")
        yield Static(id="item-speakers")
        yield Static(id="item-notes")
        yield Static(id="item-about")
        yield Static(id="item-journal")

    def show(
        self,
        state: SessionState,
        item_id: str | None,
        now: dt.datetime,
        journal: Sequence[str] = (),
        waiting: Sequence[Entry] = (),
    ) -> None:
        """Paint the item (or a hint when nothing is selected), with its latest journal lines
        and what waits in the outbox for it."""
        self.item_id = item_id
        if item_id is None or item_id not in state.agenda.nodes:
            self._set("#item-head", Text("Select an agenda item on the left."))
            for name in (
                "#item-time",
                "#item-speakers",
                "#item-notes",
                "#item-about",
                "#item-journal",
            ):
                self._set(name, Text())
            return
        heading = self.get_component_rich_style("item-panel--heading", partial=True)
        over = self.get_component_rich_style("item-panel--overrun", partial=True)
        node = state.agenda.nodes[item_id]
        self._set("#item-head", _head(state, item_id))
        used = state.used_seconds(item_id, now)
        planned = state.agenda.planned_seconds_of(item_id)
        self._set("#item-time", bar(used, planned, over_style=over))
        self._set("#item-speakers", _speakers(state, item_id, now, heading, over))
        self._set(
            "#item-notes", _notes(state, item_id, heading) + _waiting(state, waiting, heading)
        )
        self._set("#item-about", _about(node, heading))
        self._set("#item-journal", _journal(journal, heading))

    def _set(self, section: str, content: Text) -> None:
        """Show one section; the screen is laid out again only when the section's height changes.

        A layout of the screen also repaints the agenda tree's scrollbar and every widget that
        moved: most key presses and clock ticks change a line or two of the panel, not its height.
        An empty section is hidden: its blank line and margin took four of the ten rows the
        panel has at 80x24, and put a scrollbar beside an item with nothing more to show.
        """
        static = self.query_one(section, Static)
        if static.content == content:
            return
        static.display = bool(content.plain)  # a change lays the screen out again itself
        static.update(content, layout=False)
        static.clear_cached_dimensions()
        width, height = static.size
        if not width or static.get_content_height(self.size, self.screen.size, width) != height:
            _lay_out_again(static)


def _lay_out_again(static: Static) -> None:
    """Have ``static`` laid out again at its new content's height.

    Textual counts a layout request (``Widget.refresh(layout=True)``) only when none is
    pending, and that count keys the widget's measured size (the cache in ``_get_box_model``).
    With one pending since before the content changed, as at the first paint after a start
    (80x24), the size measured for the old content stayed: the item's status line under its
    title showed blank until the selection moved. Counting this request too, as Textual counts
    the first, has the size measured again.
    """
    static.refresh(layout=True)
    static._layout_updates += 1


# One function per section of the panel, each painting it from the state.


def _head(state: SessionState, item_id: str) -> Text:
    """Label, title, status and who last changed it."""
    node = state.agenda.nodes[item_id]
    item = state.items[item_id]
    text = Text()
    text.append(safe(node.label) + " ", style="bold")
    text.append(safe(node.title), style="bold")
    status = STATUS_WORDS[item.status]
    if item.status == "open" and state.floor != item_id:
        status = "in consideration"
    text.append(f"\n{STATUS_MARKS[item.status]} {status}")
    if item.changed_by and item.changed_at:
        text.append(" (")
        text.append(user_text(item.changed_by))
        text.append(f" at {hhmm(item.changed_at, state)})")
    if item.reopened:
        text.append(f", reopened {item.reopened}x")
    return text


def _speakers(
    state: SessionState, item_id: str, now: dt.datetime, heading: Style, over: Style
) -> Text:
    """The speakers' list, one line each."""
    speakers = Text()
    item = state.items[item_id]
    if item.speakers:
        speakers.append("Speakers\n", style=heading)
    for speaker in item.speakers:
        _speaker_line(speakers, speaker, state.speaker_seconds(item_id, speaker, now), over)
    return speakers


def _speaker_line(speakers: Text, speaker: Speaker, seconds: float, over: Style) -> None:
    """One speaker: mark, name, who for, kind, and the time spoken against the limit."""
    # A speaker a point of order interrupted has spoken and will speak again: marked as held
    # (as a suspended item is), never as one still waiting for the floor.
    mark = {"speaking": "▶", "done": "✓", "interrupted": "‖"}.get(speaker.status, "·")
    speakers.append(f"{mark} ")
    speakers.append(user_text(speaker.name, "bold" if speaker.status == "speaking" else ""))
    for part in (speaker.delegation, on_behalf_of(speaker.on_behalf_of)):
        if part:
            speakers.append(" (")
            speakers.append(user_text(part))
            speakers.append(")")
    if speaker.person:
        speakers.append(", ")
        speakers.append(user_text(speaker.person))
    speakers.append(speech_tag(speaker.kind))
    if speaker.status != "queued":
        speakers.append(f"  {clock(seconds)}")
        if speaker.limit_seconds:
            speakers.append(f" / {clock(speaker.limit_seconds)}")
            if seconds > speaker.limit_seconds:
                speakers.append(f"  OVER +{clock(seconds - speaker.limit_seconds)}", style=over)
            elif speaker.status == "speaking":
                speakers.append(f"  ({clock(speaker.limit_seconds - seconds)} left)")
    speakers.append("\n")


def _notes(state: SessionState, item_id: str, heading: Style) -> Text:
    """The item's notes by kind, each kind numbered in the order written (its numbers are the
    ones ``note --edit`` takes, and never change: see ``SessionState.note_numbers``)."""
    notes = Text()
    numbers = state.note_numbers(item_id)
    all_notes = sorted(state.notes_of(item_id), key=lambda note: numbers[note.id])
    for kind, title in NOTE_SECTIONS:
        chosen = [note for note in all_notes if note.kind == kind]
        if not chosen:
            continue
        notes.append(f"{title}\n", style=heading)
        for note in chosen:
            number = numbers[note.id]
            notes.append(f"{number}. ", style="bold")
            notes.append(user_text(note.text))
            notes.append("  — ", style="dim")
            notes.append(user_text(note.author, "dim"))
            notes.append(f" {hhmm(note.at, state)}", style="dim")
            if len(note.history) > 1:
                # The words are the last editor's: named, so they are never put to the author.
                edit = note.history[-1]
                notes.append(" (edited by ", style="dim")
                notes.append(user_text(edit.author, "dim"))
                notes.append(f" {hhmm(edit.at, state)})", style="dim")
            notes.append("\n")
    return notes


def _waiting(state: SessionState, waiting: Sequence[Entry], heading: Style) -> Text:
    """What was saved for the item into the outbox and is not on the server yet.

    Kept on this machine and sent when the server is back: shown, so that nobody takes it for
    lost and types it again (it would then be recorded twice).
    """
    text = Text()
    if not waiting:
        return text
    text.append(f"{WAITING_MARK} Not yet on the server (sent when it is back)\n", style=heading)
    for entry in waiting:
        command = entry.command
        text.append(f"{WAITING_MARK} ")
        if isinstance(command, AddNote):
            text.append(f"{note_kind(command.kind).heading}: ")
            text.append(user_text(command.text))
        elif isinstance(command, EditNote):
            text.append("Edit: ")
            text.append(user_text(command.text))
        else:
            text.append(user_text(describe_command(state, command)))
        text.append("  — ", style="dim")
        text.append(user_text(entry.actor, "dim"))
        text.append(f" {hhmm(entry.at, state)}", style="dim")
        text.append("\n")
    return text


def _about(node: Node, heading: Style) -> Text:
    """What the agenda says about the item."""
    about = Text()
    if node.annotation:
        about.append(safe(node.annotation) + "\n")
    if node.documents:
        about.append("Documents: ", style=heading)
        about.append(", ".join(safe(d) for d in node.documents) + "\n")
    if node.presenters:
        about.append("Presenters: ", style=heading)
        about.append(", ".join(safe(p) for p in node.presenters) + "\n")
    if node.starts_at:
        about.append(f"Planned start: {safe(node.starts_at)}\n")
    return about


def _journal(journal: Sequence[str], heading: Style) -> Text:
    """The item's latest journal lines."""
    history = Text()
    if journal:
        history.append("Journal\n", style=heading)
        for line in journal:
            history.append(user_text(line, "dim") + "\n")
    return history
