"""Put a speaker on the list: who speaks, on behalf of whom, the person, the kind, a limit.

Keyboard-first: the fields are in Tab order speaker / on behalf of / person / kind / limit, Enter
in any field puts the speaker on the list (never gives the floor: that is ``g``); on the kind,
space or ↓ opens its list, where Enter picks a kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from sessiontui.core.agenda import parse_duration
from sessiontui.core.vocabulary import SpeechKind
from sessiontui.ui.dialogs.fields import FIELD_KEYS
from sessiontui.ui.format import SPEECH_KINDS, safe
from sessiontui.ui.widgets.submit_select import SubmitSelect

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


class SpeakerDialog(ModalScreen[SpeakerRequest | None]):
    """Ask for a speaker (Enter puts them on the list, escape cancels)."""

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
    ) -> None:
        """Make the dialog.

        Args:
            heading: Which item, e.g. "Speaker on 2(a)".
            names: Speakers named before in the session, offered as completions.
            groups: Groups spoken for before, offered as completions.
            limit_hint: The default limit as shown, e.g. "3:00" (empty: none).
        """
        super().__init__()
        self.heading = heading
        self.names = [safe(name) for name in names]
        self.groups = [safe(group) for group in groups]
        self.limit_hint = limit_hint

    def compose(self) -> ComposeResult:
        with Vertical(id="speaker-dialog", classes="dialog"):
            yield Static(Text(safe(self.heading), style="bold"))
            default = f" (default {self.limit_hint})" if self.limit_hint else ""
            fields: list[tuple[str, Widget]] = [
                (
                    "Speaker",
                    Input(
                        placeholder="a State or organization (→ completes)",
                        suggester=SuggestFromList(self.names, case_sensitive=False),
                        id="speaker-name",
                        compact=True,
                    ),
                ),
                (
                    "On behalf of",
                    Input(
                        placeholder="a group (optional)",
                        suggester=SuggestFromList(self.groups, case_sensitive=False),
                        id="speaker-on-behalf-of",
                        compact=True,
                    ),
                ),
                ("Person", Input(placeholder="optional", id="speaker-person", compact=True)),
                (
                    "Kind",
                    SubmitSelect(
                        [(label, kind) for kind, label in SPEECH_KINDS],
                        value=SpeechKind.STATEMENT.value,
                        allow_blank=False,
                        id="speaker-kind",
                        compact=True,
                    ),
                ),
                (
                    "Limit",
                    Input(placeholder=f"e.g. 3m{default}", id="speaker-limit", compact=True),
                ),
            ]
            # One line per field, so the dialog fits an 80x24 terminal.
            for label, field in fields:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield field
            yield Static(
                Text(
                    "tab/shift+tab next/previous field · enter put on the list (g gives the "
                    "floor) · space opens the kinds · escape cancel"
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#speaker-name", Input))

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
        return any(field.value.strip() for field in self.query(Input))

    def action_cancel(self) -> None:
        """Close without adding anyone."""
        self.dismiss(None)
