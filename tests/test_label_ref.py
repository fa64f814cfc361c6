"""An item numbered "2." as printed (an imported UN agenda) is "2" in running text: "items 2
and 2(a) are suspended", not "2. and 2(a)"; headings and the agenda's lines keep "2."."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontui.core.agenda import label_ref

from .conftest import sessiontui_on

PRINTED = """\
[meeting]
title = "Intersessional meeting"

[[items]]
number = "1."
title = "Opening of the meeting"

[[items]]
number = "2."
title = "Preparations for the special session"

[[items.items]]
number = "(a)"
title = "Status of the preparations"

[[items]]
number = "3."
title = "Closure of the meeting"
"""


@pytest.mark.parametrize(
    ("label", "ref"),
    [("2.", "2"), ("1.2.", "1.2"), ("2(a)", "2(a)"), ("IV.", "IV"), ("", ""), (".", ".")],
)
def test_a_label_in_running_text_loses_only_its_closing_stop(label: str, ref: str) -> None:
    assert label_ref(label) == ref


def test_running_text_names_an_item_printed_with_a_stop_without_it(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.toml"
    agenda.write_text(PRINTED, encoding="utf-8")
    log = tmp_path / "s.jsonl"
    assert sessiontui_on(log, "init", str(agenda), "--log", str(log)).returncode == 0
    for args in (("sitting", "open"), ("open", "2"), ("open", "2a")):
        assert sessiontui_on(log, *args).returncode == 0
    took = sessiontui_on(log, "open", "3")
    assert took.returncode == 0 and "took up 3" in took.stderr and "3." not in took.stderr
    refused = sessiontui_on(log, "close", "1")
    assert refused.returncode != 0
    assert "1 has not been taken up" in refused.stderr and "1." not in refused.stderr
    journal = sessiontui_on(log, "journal").stdout
    # The item's line keeps its number as printed, before its title; the items it suspended
    # are named in running text.
    assert "took up 3. Closure of the meeting (2, 2(a) suspended)" in journal
