"""A sitting the log never closed is drawn in the HTML timeline as not closed, as the table of
meetings says it in every format: up to the last instant the record tells, ending in the word for
its status, never in a closing time (the last record's, or the time it was written)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import DAY_AGENDA, day_log, run_cli


def _log(folder: Path, *more: tuple[str, ...]) -> Path:
    """The 1st meeting opened at 10.00, item 1 until 10.30, then item 2; recorded today, as
    corrections (``--at``), so the records were written long after the meeting time."""
    return day_log(
        folder,
        DAY_AGENDA,
        ("sitting", "open", "10:00"),
        ("open", "1", "10:00"),
        ("open", "2", "10:30"),
        *more,
    )


def _timeline(html: str) -> str:
    found = re.search(r'<svg[^>]*aria-labelledby="timeline-title".*?</svg>', html, re.S)
    assert found is not None
    return found.group(0)


def _ends(svg: str) -> list[str]:
    """The words at the right end of each sitting's line."""
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


@pytest.mark.parametrize(
    ("lang", "more", "word"),
    [
        ("en", (), "open"),
        ("fr", (), "en cours"),
        ("en", (("sitting", "suspend", "11:00"),), "suspended"),
    ],
)
def test_a_sitting_not_closed_is_drawn_as_not_closed(
    tmp_path: Path, lang: str, more: tuple[tuple[str, ...], ...], word: str
) -> None:
    log = _log(tmp_path, *more)
    export = ("export", str(log), "-o", "-", "--lang", lang)
    svg = _timeline(run_cli(*export, "--format", "html"))
    assert _ends(svg) == [word]
    assert 'stroke-dasharray="4 3"' in svg  # an open end, not a closed box
    # Drawn up to the last instant of meeting time: item 1 fills a good part of the line
    # (half of it without the suspension), not a sliver of a line that runs to today.
    widths = re.findall(
        r'<rect x="[\d.]+" y="8" width="([\d.]+)" height="22" fill="#(?!f4f4f4|bbbbbb)', svg
    )
    assert float(widths[0]) > 200, widths
    # The table of meetings says the same in the report's other formats.
    markdown = run_cli(*export, "--format", "md")
    assert re.search(
        rf"^\| 1(?:st|re) (?:meeting|séance) \| 2020-11-19 10:00 \| {word} \|", markdown, re.M
    )


def test_a_closed_sitting_ends_at_its_closing_time(tmp_path: Path) -> None:
    log = _log(tmp_path, ("sitting", "close", "11:00"))
    svg = _timeline(run_cli("export", str(log), "--format", "html", "-o", "-"))
    assert _ends(svg) == ["11:00"]
    assert "stroke-dasharray" not in svg
