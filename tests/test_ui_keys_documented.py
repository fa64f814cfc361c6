"""Every key binding of the tracker is in the documented key table."""

from __future__ import annotations

from pathlib import Path

from sessiontui.ui.app import all_bindings

ROOT = Path(__file__).resolve().parent.parent


def documentation() -> str:
    """docs/tracker.md, where the key table lives."""
    return (ROOT / "docs" / "tracker.md").read_text(encoding="utf-8")


def test_every_binding_is_documented() -> None:
    text = documentation()
    rows = {line for line in text.splitlines() if line.startswith("| `")}
    missing = [
        (where, key, description)
        for where, key, description, _ in all_bindings()
        if f"| `{key}` | {description} | {where} |" not in rows
    ]
    assert not missing, f"add these keys to the key table: {missing}"
