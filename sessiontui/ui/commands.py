"""Command palette provider: jump to any agenda item by its label or words of its title."""

from __future__ import annotations

from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from sessiontui.core.agenda import normalize_reference
from sessiontui.core.state import SessionState
from sessiontui.ui.format import safe

EXACT_LABEL_BONUS = 1000.0
"""Added to an exact label match's score: Textual's fuzzy scores are not bounded by 1 ("2c"
scores 5.0 against "2 Preparations ..." as against "2(c) ..."), and the palette lists by score."""


class _Session(Protocol):
    @property
    def state(self) -> SessionState: ...


class PaletteHost(Protocol):
    """What the palette needs of the app: the session, and a way to select an item."""

    @property
    def service(self) -> _Session: ...

    def jump_to(self, item_id: str) -> None: ...


class ItemProvider(Provider):
    """Offers "go to item" for every item whose label or title matches the query."""

    @property
    def host(self) -> PaletteHost:
        """The app, as the palette uses it (the app that registers this provider is one)."""
        return cast("PaletteHost", self.app)

    def _items(self) -> list[tuple[str, str]]:
        state = self.host.service.state
        return [(node.id, safe(state.display(node.id)).replace("\n", " ")) for node in state.agenda]

    async def discover(self) -> Hits:
        """Every item, when the palette opens with nothing typed."""
        app = self.host
        for item_id, text in self._items():
            # Content(...) keeps the title literal: a title is never parsed as markup.
            yield DiscoveryHit(Content(f"Go to {text}"), partial(app.jump_to, item_id), text=text)

    async def search(self, query: str) -> Hits:
        """Items matching the query: an exact label first, then fuzzy matches on the title."""
        app = self.host
        matcher = self.matcher(query)
        wanted = normalize_reference(query)
        state = app.service.state
        for item_id, text in self._items():
            label = normalize_reference(state.label(item_id))
            # An exact label ("2c", "2(c)", "2 c") ranks above every fuzzy match of a title.
            exact = bool(wanted) and wanted == label
            score = matcher.match(text) + (EXACT_LABEL_BONUS if exact else 0.0)
            if score > 0:
                yield Hit(
                    score,
                    Content(f"Go to {text}"),
                    partial(app.jump_to, item_id),
                    text=text,
                    help="Select this item in the agenda",
                )
