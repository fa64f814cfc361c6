"""A dialog's text field: what is in it stays when the focus comes back to it."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextField(Input):
    """An ``Input`` that never selects its text when it gets the focus.

    Textual's ``Input`` selects all of its text on focus (``select_on_focus``): Tab away from a
    field and back, or a field filled in from a draft, and the next key typed replaced
    everything in it ("Brazil" became "a"). Nothing a person typed may go that way: the focus
    leaves the text and the cursor where they were. A dialog that proposes a text to replace
    (the export's file name) selects it itself, once.
    """

    def __init__(self, value: str | None = None, placeholder: str = "", **options: Any) -> None:
        """Make the field; ``options`` are ``Input``'s (``select_on_focus`` is always off)."""
        options["select_on_focus"] = False
        super().__init__(value, placeholder, **options)
