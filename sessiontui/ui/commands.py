"""Command palette provider: jump to any agenda item by its label or words of its title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from sessiontui.core.agenda import normalize_reference
from sessiontui.ui.format import safe

if TYPE_CHECKING:
    from sessiontui.ui.app import SessionApp


class ItemProvider(Provider):
    """Offers "go to item" for every item whose label or title matches the query."""

    def _items(self) -> list[tuple[str, str]]:
        app: SessionApp = self.app  # type: ignore[assignment]
        state = app.service.state
        return [(node.id, safe(state.display(node.id)).replace("\n", " ")) for node in state.agenda]

    async def discover(self) -> Hits:
        """Every item, when the palette opens with nothing typed."""
        app: SessionApp = self.app  # type: ignore[assignment]
        for item_id, text in self._items():
            # Content(...) keeps the title literal: a title is never parsed as markup.
            yield DiscoveryHit(Content(f"Go to {text}"), partial(app.jump_to, item_id), text=text)

    async def search(self, query: str) -> Hits:
        """Items matching the query: an exact label first, then fuzzy matches on the title."""
        app: SessionApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        wanted = normalize_reference(query)
        state = app.service.state
        for item_id, text in self._items():
            label = normalize_reference(state.label(item_id))
            score = 1.0 if wanted and wanted == label else matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    Content(f"Go to {text}"),
                    partial(app.jump_to, item_id),
                    text=text,
                    help="Select this item in the agenda",
                )
