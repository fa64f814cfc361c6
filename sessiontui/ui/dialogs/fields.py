"""Keys every dialog with fields shares: Tab and shift+Tab, taken in the order they were typed."""

from __future__ import annotations

from textual.binding import Binding

FIELD_KEYS: list[Binding] = [
    # Priority bindings: the focus moves as the key arrives, so the keys typed after Tab go to
    # the next field. Handled by the field itself, "Brazil", Tab, "GRULAC" typed in one burst
    # gave "BrazilGRULAC" (the keys after Tab were already queued in the first field).
    Binding("tab", "app.focus_next", "Next field", id="dialog.next", priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", id="dialog.previous", priority=True),
]  # fmt: skip
