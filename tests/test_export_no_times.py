"""``--no-times``: no clock time anywhere in the report, in any format, style or language —
neither the opening and the closing sentences nor the minutes' header nor the provenance."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from sessiontui.exporters import ExportOptions, render
from tests.export_scenario import Recorded, cosp_scenario

# "10 a.m.", "11.21 a.m.", "10:02", "à 10 heures", "à 11 h 21", an ISO stamp "T11:21".
CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b|\b[ap]\.m\.|\bheures\b|\b\d{1,2} h \d{2}\b|T\d{2}:\d{2}")


@pytest.fixture(scope="module")
def cosp(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return cosp_scenario(tmp_path_factory.mktemp("cosp") / "session.jsonl")


def _text(rec: Recorded, fmt: str, **options: Any) -> str:
    data = bytes(render(fmt, rec.header, rec.events, rec.state, ExportOptions(**options)))
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode()
        return re.sub(r"<[^>]+>", " ", xml)
    if fmt == "html":
        body = data.decode()
        return re.sub(r"<[^>]+>", " ", body[body.index("<body") :])
    return data.decode()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize(
    ("style", "lang"), [("un", "en"), ("un", "fr"), ("minutes", "en"), ("minutes", "fr")]
)
def test_no_clock_time_appears(cosp: Recorded, fmt: str, style: str, lang: str) -> None:
    chosen = {"style": style, "lang": lang}
    timed = _text(cosp, fmt, **chosen)
    assert CLOCK.search(timed), "the scenario's report gives times: the check would prove nothing"
    text = _text(cosp, fmt, times=False, **chosen)
    found = CLOCK.search(text)
    assert found is None, text[max(0, found.start() - 80) : found.end() + 20]


def test_the_sentences_keep_their_dates(cosp: Recorded) -> None:
    text = _text(cosp, "md", times=False)
    assert "The meeting was opened on 19 November 2020." in text
    assert "The meeting was closed at its 2nd meeting, on 20 November 2020." in text
    french = _text(cosp, "md", times=False, lang="fr")
    assert "La réunion a été close à sa 2e séance, le 20 novembre 2020." in french
    minutes = _text(cosp, "md", times=False, style="minutes")
    assert "The meeting closed on 20 November 2020." in minutes


def test_the_journal_appendix_is_refused_without_times(cosp: Recorded) -> None:
    """The journal leads every line with its time: asked for beside --no-times, it is refused
    in one line rather than printing the times left out."""
    from click.testing import CliRunner

    from sessiontui.cli import cli

    # Through the group: a command invoked alone caches a help option without "-h", which the
    # CLI reference test (tests/test_docs.py) would then read in the same worker.
    args = ["export", str(cosp.path), "--format", "md", "--journal", "--no-times"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "sessiontui: error: --journal gives the time of every event: it does not go with "
        "--no-times\n"
    )
