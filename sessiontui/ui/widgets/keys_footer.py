"""The footer of the main view: Textual's, recomposed only when the keys to show changed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer, without the recompositions that would show the same keys again.

    Textual's footer recomposes (every key unmounted, restyled and mounted again) each time
    the bindings may have changed: at start the focus (twice), the screen stack and the
    tracker's first paint each ask, and most key presses in the tracker change no key shown.
    """

    _keys_shown: list[tuple[Binding, bool, str]] | None = None
    """The bindings the keys shown were composed from (None: no keys composed yet)."""

    def _keys_now(self) -> list[tuple[Binding, bool, str]]:
        # What Textual's footer shows: the bindings marked to show, and the command palette's.
        active = self.screen.active_bindings
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return [
            (key.binding, key.enabled, key.tooltip)
            for key in active.values()
            if key.binding.show or key is palette
        ]

    def compose(self) -> ComposeResult:
        """Textual's keys, noting which bindings they show."""
        bindings = self._keys_now()
        composed = False
        for widget in super().compose():
            composed = True
            yield widget
        self._keys_shown = bindings if composed else None

    async def recompose(self) -> None:
        """Compose the keys again, unless they would be the same."""
        if self._keys_shown is None or self._keys_now() != self._keys_shown:
            await super().recompose()
