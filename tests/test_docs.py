"""The README stays true: every command is in its reference, the Quick start has two commands."""

from __future__ import annotations

import re

from sessiontui.cli import COMMANDS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + len(title))
    return README[start : end if end > 0 else None]


def test_every_command_is_in_the_reference() -> None:
    reference = section("## Command reference")
    missing = [
        name for name in COMMANDS if not re.search(rf"sessiontui [^\n]*\b{name}\b", reference)
    ]
    assert not missing, f"add these commands to the README's command reference: {missing}"


def test_quick_start_has_exactly_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", section("## Quick start"), re.S)
    assert len(blocks) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in blocks)
    assert "agendas/cosp-intersessional-2020.toml" in blocks[0]
    assert "pytest" in blocks[1]


def test_the_model_meeting_is_the_first_shipped_agenda() -> None:
    agendas = sorted(path.name for path in (ROOT / "agendas").glob("*.toml"))
    assert agendas[0] == "cosp-intersessional-2020.toml"
