"""Which items a report says were left unfinished: an item with sub-items only through them,
each sub-item saying it of itself, never the item above them again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Working Group on Asset Recovery"
venue = "Vienna"
dates = [2026-07-01]
timezone = "Europe/Vienna"

[[items]]
title = "Asset recovery"
  [[items.items]]
  title = "Identifying and tracing assets"
  [[items.items]]
  title = "Return of assets"
[[items]]
title = "Other matters"
"""

UNFINISHED = {
    ("un", "en"): "The consideration of agenda item {} was not concluded.",
    ("un", "fr"): "L’examen du point {} de l’ordre du jour n’a pas été achevé.",
    ("minutes", "en"): "Discussion to continue.",
    ("minutes", "fr"): "La discussion se poursuivra.",
}


def _parts(folder: Path, style: str, lang: str, *, close_1b: bool) -> dict[str, str]:
    """The report's parts by heading: item 1's sub-items taken up in turn, then item 2 taken up
    straight away, leaving item 1 suspended (and 1(b) too unless it was closed)."""
    agenda, log = folder / "agenda.toml", folder / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    steps = [("10:00", "sitting", "open"), ("10:01", "open", "1a"), ("10:20", "close", "1a")]
    steps += [("10:21", "open", "1b"), *([("10:40", "close", "1b")] if close_1b else [])]
    steps += [("10:41", "open", "2"), ("11:00", "close", "2"), ("11:05", "sitting", "close")]
    for at, *args in steps:
        run_cli(*args, "--at", f"2026-07-01 {at}", "--log", str(log))
    text = run_cli(
        "export", str(log), "--format", "md", "-o", "-", "--style", style, "--lang", lang
    )
    parts = re.split(r"\n#+ ", text)[1:]
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts}


@pytest.mark.parametrize(("style", "lang"), list(UNFINISHED))
def test_an_item_is_unfinished_only_through_its_sub_items(
    tmp_path: Path, style: str, lang: str
) -> None:
    said = UNFINISHED[style, lang]
    parts = _parts(tmp_path, style, lang, close_1b=False)
    item = next(text for heading, text in parts.items() if heading.endswith("Asset recovery"))
    sub_item = next(text for heading, text in parts.items() if heading.endswith("of assets"))
    # 1(b) says it was left unfinished; item 1 does not say it again above it.
    assert said.format("1") not in item
    assert said.format("1(b)") in sub_item


@pytest.mark.parametrize(("style", "lang"), list(UNFINISHED))
def test_an_item_whose_sub_items_all_closed_is_not_unfinished(
    tmp_path: Path, style: str, lang: str
) -> None:
    said = UNFINISHED[style, lang]
    text = "\n".join(_parts(tmp_path, style, lang, close_1b=True).values())
    for item in ("1", "1(a)", "1(b)", "2"):
        assert said.format(item) not in text, item
