"""The footer of the main view: the keys that apply now, the most wanted first, as many as fit."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from sessiontui.ui.actions import ACTIONS, BY_CALL, FOOTER_RANK

ORDER = {action.call: index for index, action in enumerate(ACTIONS)}
"""Where each key sits in the footer: the action table's order, so a key never moves about."""

RANK = {
    action.call: FOOTER_RANK.index(action.id) if action.id in FOOTER_RANK else len(ACTIONS)
    for action in ACTIONS
}
"""Which keys the footer takes first: ``FOOTER_RANK``'s order (a key it leaves out, last)."""

Shown = tuple[str, str, str, str, str]
"""``(key, key as shown, label, action, tooltip)`` of one key in the footer."""


def key_width(display: str, label: str, *, compact: bool) -> int:
    """The columns one key takes in Textual's footer (its padding and margin included)."""
    return len(display) + len(label) + (2 if compact else 3)


class KeysFooter(Footer):
    """The keys that apply now, chosen in the order of ``RANK`` until the width is used.

    Textual's footer shows every key marked to show, in the order they were bound, and cuts the
    rest at the edge: at 80 columns the keys that depend on the moment (``g``, ``e``, a resume)
    were the ones cut. It is also recomposed only when the keys to show changed (every key
    unmounted, restyled and mounted again costs a frame, and most key presses change none).
    """

    NARROW = 100
    """Below this width the keys are drawn compact (less padding)."""

    _keys_shown: list[Shown] | None = None
    """The keys composed last (None: no keys composed yet)."""

    def _keys_now(self) -> list[Shown]:
        """The keys to show now, left to right."""
        width = self.size.width or self.app.size.width
        compact = width < self.NARROW
        label_of = getattr(self.app, "footer_label", None)
        candidates: list[tuple[int, Shown]] = []
        for key in self.screen.active_bindings.values():
            binding = key.binding
            if not binding.show or not key.enabled or binding.action not in BY_CALL:
                continue
            label = label_of(binding.action) if label_of is not None else binding.description
            if label is None:
                continue
            rank = RANK[binding.action]
            display = self.app.get_key_display(binding)
            shown = (binding.key, display, label, binding.action, binding.description)
            candidates.append((rank, shown))
        room = width - key_width("^p", "palette", compact=compact) - 1  # its border
        chosen: list[Shown] = []
        for _, shown in sorted(candidates, key=lambda pair: pair[0]):
            needed = key_width(shown[1], shown[2], compact=compact)
            if needed <= room:
                chosen.append(shown)
                room -= needed
        return sorted(chosen, key=lambda shown: ORDER[shown[3]])

    def compose(self) -> ComposeResult:
        """The keys that apply now, then the command palette's key on the right."""
        if not self._bindings_ready:
            return
        keys = self._keys_now()
        compact = self.compact = (self.size.width or self.app.size.width) < self.NARROW
        for key, display, label, action, tooltip in keys:
            yield self._footer_key(compact, key, display, label, action, tooltip=tooltip).data_bind(
                compact=Footer.compact
            )
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette:
            binding = palette.binding
            # Not bound to the footer's width: compact at any width, as Textual's own footer has it.
            yield self._footer_key(
                True,
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                tooltip=binding.tooltip or binding.description,
            )
        self._keys_shown = keys

    @staticmethod
    def _footer_key(
        compact: bool,
        key: str,
        display: str,
        label: str,
        action: str,
        *,
        classes: str = "",
        tooltip: str = "",
    ) -> FooterKey:
        """A key made compact or not as it is mounted.

        Made with Textual's defaults (compact, and without the class that says so), a key had
        its styles worked out again once as it was mounted and again when the footer's width
        was bound to it: twice more per key at 100 columns and more, once at 80, each time the
        keys are composed (the first screen included).
        """
        made = FooterKey(
            key,
            display,
            label,
            action,
            tooltip=tooltip,
            classes=f"{classes} -compact" if compact else classes,
        )
        made.set_reactive(FooterKey.compact, compact)
        return made

    async def recompose(self) -> None:
        """Compose the keys again, unless they would be the same."""
        if self._keys_shown is None or self._keys_now() != self._keys_shown:
            await super().recompose()

    _recompose_due = False
    """A recompose is asked for and has not begun yet (see ``_recompose_soon``)."""

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """The keys may have changed: look again after the next refresh (as Textual's footer
        does, but once for any number of changes before it)."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._recompose_soon()

    def on_resize(self, event: events.Resize) -> None:
        """A wider or narrower terminal fits other keys."""
        self._recompose_soon()

    def _recompose_soon(self) -> None:
        """Recompose after the next refresh, unless that is already asked for.

        The keys are worked out when the recompose begins, from the bindings as they are
        then: a change made before that is in them. Asked for each change, the footer worked
        out the keys that apply (a dry run of every recording key) six times more before the
        first screen, and several times on most key presses, to find them unchanged.
        """
        if not self._recompose_due:
            self._recompose_due = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        self._recompose_due = False
        await self.recompose()
