"""The JSON Schema of agenda files, generated from ``AgendaFile`` (``python -m`` prints it).

Regenerate the shipped copy after changing the model::

    python -m sessiontui.core.agenda_schema > sessiontui/schema/agenda.schema.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from sessiontui.core.agenda import AgendaFile

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "agenda.schema.json"
"""Where the package ships the schema (the shipped agendas' ``#:schema`` directive points here)."""

_NULL = {"type": "null"}


def _simplify(node: Any) -> Any:
    """Tidy msgspec's output for TOML editors.

    References point into ``definitions`` (draft-07, which every editor's validator knows;
    older taplo releases reject draft 2020-12). TOML has no null, so ``anyOf: [X, null]`` with ``default: null`` becomes plain ``X`` (the key
    is simply optional). Dates are already ``{"type": "string", "format": "date"}``, which taplo
    matches against TOML date values; this is asserted here so a msgspec change cannot slip by.
    """
    if isinstance(node, list):
        return [_simplify(element) for element in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return "#/definitions/" + node.removeprefix("#/$defs/")
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if isinstance(options, list) and _NULL in options and node.get("default", None) is None:
        rest = [option for option in options if option != _NULL]
        if len(rest) == 1:
            merged = {key: value for key, value in node.items() if key not in ("anyOf", "default")}
            return _simplify({**rest[0], **merged})
    if node.get("format") == "date":
        assert node.get("type") == "string", node
    return {key: _simplify(value) for key, value in node.items()}


def agenda_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of an agenda file, as shipped in the package."""
    generated = msgspec.json.schema(AgendaFile)
    definitions = _simplify(generated["$defs"])
    root = definitions.pop("AgendaFile")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **root,
        "title": "sessiontui agenda",
        "description": (
            "An agenda file for sessiontui: a [meeting] table, [[items]] nested to any depth, "
            "and an optional programme of [[sittings]]."
        ),
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as the shipped file holds it (stable key order, two-space indent, newline)."""
    return json.dumps(agenda_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Print the schema to stdout."""
    sys.stdout.write(schema_text())


if __name__ == "__main__":
    main()
