"""Put a speaker on the list: who speaks, on behalf of whom, the person, the kind, a limit.

Keyboard-first: the fields are in Tab order speaker / on behalf of / person / kind / limit, Enter
in any field puts the speaker on the list (never gives the floor: that is ``g``); on the kind,
space or ↓ opens its list, where Enter picks a kind. What is typed is kept in a draft, as a
note's text is, until the speaker is on the list or the dialog is cancelled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from sessiontui.core.agenda import parse_duration
from sessiontui.core.vocabulary import SpeechKind
from sessiontui.ui.dialogs.drafted import DraftedDialog
from sessiontui.ui.dialogs.fields import FIELD_KEYS
from sessiontui.ui.drafts import SPEAKER, DraftBox, NoteDraft, new_draft
from sessiontui.ui.format import SPEECH_KINDS, safe
from sessiontui.ui.widgets.submit_select import SubmitSelect
from sessiontui.ui.widgets.text_field import TextField

FIELD_ORDER: tuple[str, ...] = (
    "speaker-name",
    "speaker-on-behalf-of",
    "speaker-person",
    "speaker-kind",
    "speaker-limit",
)
"""The dialog's fields in Tab order (tests and the docs read it)."""


@dataclass(frozen=True, slots=True)
class SpeakerRequest:
    """What the dialog asks for: who speaks, for whom, which person, what kind, how long."""

    name: str
    on_behalf_of: str | None = None
    person: str | None = None
    kind: str = SpeechKind.STATEMENT.value
    limit_seconds: float | None = None


class SpeakerDialog(DraftedDialog[SpeakerRequest | None]):
    """Ask for a speaker (Enter puts them on the list, escape cancels).

    What is typed is kept in ``draft`` (its key names the recording of the speaker) until the
    dialog closes: a quit, a crash or a hang-up leaves it; Enter and escape do not.
    """

    DRAFT_FAILED = "enter puts the speaker on the list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="speaker.cancel"),
        *FIELD_KEYS,
    ]

    def __init__(
        self,
        heading: str,
        names: Iterable[str],
        groups: Iterable[str] = (),
        *,
        limit_hint: str = "",
        draft: NoteDraft | None = None,
        box: DraftBox | None = None,
        now: Callable[[], dt.datetime] | None = None,
        restored: str = "",
    ) -> None:
        """Make the dialog.

        Args:
            heading: Which item, e.g. "Speaker on 2(a)".
            names: Speakers named before in the session, offered as completions.
            groups: Groups spoken for before, offered as completions.
            limit_hint: The default limit as shown, e.g. "3:00" (empty: none).
            draft: The draft of this dialog (its fields, if any, are filled in); none: a draft
                kept nowhere.
            box: Where drafts are kept (None: nowhere).
            now: The clock, for the draft's time.
            restored: Said above the hint when the fields come from a draft, e.g. "from 10:42".
        """
        empty = new_draft("", "", "", None, SPEAKER, dt.datetime.now(dt.UTC))
        super().__init__(draft or empty, box if draft is not None else None, now)
        self.values = dict.fromkeys(FIELD_ORDER, "")
        """What each field holds, by its id, as last changed (kept here: a quit's last draft
        is written as the dialog goes, its fields already gone)."""
        self.values["speaker-kind"] = SpeechKind.STATEMENT.value
        kept = self.draft.fields or {}
        self.values.update((field, kept[field]) for field in FIELD_ORDER if field in kept)
        self.values["speaker-kind"] = _kind(self.values["speaker-kind"])
        self.restored = restored
        self.heading = heading
        self.names = [safe(name) for name in names]
        self.groups = [safe(group) for group in groups]
        self.limit_hint = limit_hint

    def compose(self) -> ComposeResult:
        given = self.values
        with Vertical(id="speaker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            default = f" (default {self.limit_hint})" if self.limit_hint else ""
            fields: list[tuple[str, Widget]] = [
                (
                    "Speaker",
                    TextField(
                        placeholder="a State or organization (→ completes)",
                        suggester=SuggestFromList(self.names, case_sensitive=False),
                        value=given.get("speaker-name", ""),
                        id="speaker-name",
                        compact=True,
                    ),
                ),
                (
                    "On behalf of",
                    TextField(
                        placeholder="a group (optional)",
                        suggester=SuggestFromList(self.groups, case_sensitive=False),
                        value=given.get("speaker-on-behalf-of", ""),
                        id="speaker-on-behalf-of",
                        compact=True,
                    ),
                ),
                (
                    "Person",
                    TextField(
                        placeholder="optional",
                        value=given.get("speaker-person", ""),
                        id="speaker-person",
                        compact=True,
                    ),
                ),
                (
                    "Kind",
                    SubmitSelect(
                        [(label, kind) for kind, label in SPEECH_KINDS],
                        value=given["speaker-kind"],
                        allow_blank=False,
                        id="speaker-kind",
                        compact=True,
                    ),
                ),
                (
                    "Limit",
                    TextField(
                        placeholder=f"e.g. 3m{default}",
                        value=given.get("speaker-limit", ""),
                        id="speaker-limit",
                        compact=True,
                    ),
                ),
            ]
            # One line per field, so the dialog fits an 80x24 terminal.
            for label, field in fields:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield field
            hint = (
                "tab/shift+tab next/previous field · enter put on the list (g gives the "
                "floor) · space opens the kinds · escape cancel"
            )
            if self.restored:
                hint = f"Restored unsaved speaker {self.restored}. {hint}"
            yield Static(Text(hint), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#speaker-name", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in self.values:
            self.values[event.input.id] = event.value
            self.draft_changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in self.values:
            self.values[event.select.id] = str(event.value)
            self.draft_changed()

    def fields(self) -> dict[str, str]:
        """What each field holds, by its id."""
        return dict(self.values)

    def _typed(self) -> list[str]:
        return [
            value.strip()
            for field, value in self.values.items()
            if field != "speaker-kind" and value.strip()
        ]

    def typed_draft(self) -> NoteDraft | None:
        """The draft with the fields; None when nothing was typed in them."""
        typed = self._typed()
        if not typed:
            return None
        return self.draft.with_fields(self.fields(), " · ".join(typed), self._now())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_submit_select_submitted(self, event: SubmitSelect.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Put the speaker on the list, or say what is missing."""

        def text(field: str) -> str | None:
            return self.query_one(f"#{field}", Input).value.strip() or None

        name = text("speaker-name")
        if name is None:
            self.notify("Who speaks? (a State or organization)", severity="warning", markup=False)
            self.set_focus(self.query_one("#speaker-name", Input))
            return
        limit = text("speaker-limit")
        try:
            limit_seconds = parse_duration(limit) if limit else None
        except ValueError as exc:
            self.notify(f"Speaking limit: {exc}", severity="warning", markup=False)
            self.set_focus(self.query_one("#speaker-limit", Input))
            return
        kind = self.query_one("#speaker-kind", SubmitSelect).value
        # On disk with its key before the speaker is recorded (by whoever opened the dialog):
        # a crash in between leaves a draft the log's events show as saved, dropped then.
        self.flush_draft()
        self.saved = True
        self.dismiss(
            SpeakerRequest(
                name,
                on_behalf_of=text("speaker-on-behalf-of"),
                person=text("speaker-person"),
                kind=str(kind) if isinstance(kind, str) else SpeechKind.STATEMENT.value,
                limit_seconds=limit_seconds,
            )
        )

    def typed(self) -> bool:
        """Whether anything was typed into the dialog's fields (a speaker not yet listed)."""
        return bool(self._typed())

    def action_cancel(self) -> None:
        """Close without adding anyone (what was typed is discarded, draft included)."""
        self.saved = True
        if self.box is not None:
            with contextlib.suppress(OSError):  # then offered at the next start
                self.box.remove(self.draft)
        self.dismiss(None)


def _kind(kind: str | None) -> str:
    """A speech kind kept in a draft, if it is one (else a statement)."""
    known = {value for value, _ in SPEECH_KINDS}
    return kind if kind in known else SpeechKind.STATEMENT.value
