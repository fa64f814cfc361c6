"""The agenda among the documents before the meeting: by its name, once, also when an item
(as "Adoption of the agenda" does in a real UN agenda) cites its symbol."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli

AGENDA = """\
[meeting]
title = "Working Group on the Smuggling of Migrants"
symbol = "CTOC/COP/WG.3/2025/1"
venue = "Vienna"
dates = [2025-06-02]
timezone = "Europe/Vienna"

[[items]]
title = "Organizational matters"
[[items.items]]
title = "Opening of the meeting"
[[items.items]]
title = "Adoption of the agenda and organization of work"
documents = ["CTOC/COP/WG.3/2025/1"]
[[items]]
title = "Smuggling of migrants"
documents = ["CTOC/COP/WG.3/2025/2", "CTOC/COP/WG.3/2025/1"]
"""


@pytest.mark.parametrize(
    ("lang", "name"), [("en", "Provisional agenda"), ("fr", "Ordre du jour provisoire")]
)
def test_the_agenda_keeps_its_name_when_an_item_cites_it(
    tmp_path: Path, lang: str, name: str
) -> None:
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1b", "--at", "2025-06-02 10:05", "--log", str(log), "--force")
    text = run_cli("export", str(log), "--format", "md", "-o", "-", "--lang", lang)
    documentation = text.split(". Documentation\n", 1)[1].split("\n## ", 1)[0]
    listed = [line for line in documentation.splitlines() if line.startswith("- ")]
    assert listed == [f"- {name} (CTOC/COP/WG.3/2025/1)", "- CTOC/COP/WG.3/2025/2"]
    # Under the item that cites it, too, the agenda goes by its name (the item is told in the
    # organization chapter's section on the adoption of the agenda).
    item = re.split(r"\. (?:Adoption of the agenda|Adoption de l’ordre du jour)\n", text)[1]
    assert f"- {name} (CTOC/COP/WG.3/2025/1)" in item.split("\n#", 1)[0]


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "the following document:", "the following documents:"),
        ("fr", "saisie du document suivant :", "saisie des documents suivants :"),
    ],
)
def test_one_document_is_one_document(tmp_path: Path, lang: str, one: str, two: str) -> None:
    agenda, log = tmp_path / "agenda.toml", tmp_path / "session.jsonl"
    agenda.write_text(AGENDA, "utf-8")
    run_cli("init", str(agenda), "--log", str(log))
    run_cli("open", "1b", "--at", "2025-06-02 10:05", "--log", str(log), "--force")
    run_cli("open", "2", "--at", "2025-06-02 10:30", "--log", str(log), "--force")
    text = run_cli("export", str(log), "--format", "md", "-o", "-", "--lang", lang)
    # The adoption of the agenda had one document before it; the meeting and item 2 had two.
    item = re.split(r"\. (?:Adoption of the agenda|Adoption de l’ordre du jour)\n", text)[1]
    assert one in item.split("\n#", 1)[0]
    assert two not in item.split("\n#", 1)[0]
    documentation = text.split(". Documentation\n", 1)[1].split("\n## ", 1)[0]
    assert two in documentation
    chapter = text.split(". Smuggling of migrants\n", 1)[1].split("\n## ", 1)[0]
    assert two in chapter
