"""The timings annex says that an item's times include its sub-items' (a column of them adds
up to more than the meeting), and the CSV gives each item's own time beside its used time."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import pytest

from sessiontui.exporters import ExportOptions, render
from tests.export_scenario import Recorded, cosp_scenario

NOTE = "The times of item 2 include those of its sub-items."


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def _text(rec: Recorded, fmt: str, **options: Any) -> str:
    data = bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions(**options)))
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode())
    return data.decode()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_table_says_an_item_counts_its_sub_items(cosp: Recorded, fmt: str) -> None:
    text = _text(cosp, fmt)
    assert NOTE in text
    # Under the table of times per item, before the table of meetings.
    assert (
        text.index("Time per item")
        < text.index(NOTE)
        < text.index("Meetings", text.index(NOTE) - 2000)
    )


def test_the_note_in_each_style_and_language(cosp: Recorded) -> None:
    assert "Les temps du point 2 comprennent ceux de ses alinéas." in _text(cosp, "md", lang="fr")
    assert NOTE in _text(cosp, "md", style="minutes")
    minutes_fr = _text(cosp, "md", style="minutes", lang="fr")
    assert "Les temps du point 2 comprennent ceux de ses sous-points." in minutes_fr


def test_no_note_where_no_item_in_the_table_has_sub_items(cosp: Recorded) -> None:
    text = _text(cosp, "md", items=("3",))
    assert "Time per item" in text and "include those of" not in text


def test_the_csv_own_time_adds_up_to_the_floor_time(cosp: Recorded) -> None:
    rows = list(csv.DictReader(io.StringIO(_text(cosp, "csv").lstrip("\ufeff"))))
    by_label = {row["label"]: row for row in rows}
    sub_items = [row for row in rows if row["label"].startswith("2(")]
    own_2 = float(by_label["2"]["own_seconds"])
    assert float(by_label["2"]["used_seconds"]) == own_2 + sum(
        float(row["used_seconds"]) for row in sub_items
    )
    assert own_2 < float(by_label["2"]["used_seconds"])
    floor = sum(
        (span.end - span.start).total_seconds()
        for span in cosp.state.floor_log_until(cosp.state.last_at)
    )
    assert sum(float(row["own_seconds"]) for row in rows) == floor
    # A leaf item's own time is its used time.
    assert all(row["own_seconds"] == row["used_seconds"] for row in sub_items)
