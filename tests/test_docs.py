"""The docs stay true: every command is in the reference, the Quick start has two commands, and
every relative link and anchor in the README and docs/ leads somewhere."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from sessiontui.cli import COMMANDS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start : end if end > 0 else None]


def test_every_command_is_in_the_reference() -> None:
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = [
        name for name in COMMANDS if not re.search(rf"sessiontui [^\n]*\b{name}\b", reference)
    ]
    assert not missing, f"add these commands to docs/cli.md: {missing}"


def test_every_option_says_what_it_is() -> None:
    """Each option a --help lists has its own words: none bare, none "as for" itself, none
    sending to a page of docs/ (not installed with the package) for what it could say."""
    import click

    from sessiontui.cli import cli

    def commands(group: click.Group, path: str) -> list[tuple[str, click.Command]]:
        found: list[tuple[str, click.Command]] = []
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            found.append((f"{path} {name}", command))
            if isinstance(command, click.Group):
                found += commands(command, f"{path} {name}")
        return found

    unsaid = []
    for path, command in commands(cli, "sessiontui"):
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or "--help" in param.opts:
                continue
            words = param.help or ""
            if (
                not words
                or any(f"as for {opt}" in words for opt in param.opts)
                or "see docs/" in words
            ):
                unsaid.append(f"{path} {param.opts[-1]}: {words!r}")
    assert not unsaid, unsaid


def test_every_log_option_is_listed_in_help() -> None:
    """The messages of a missing or unnamed log say "--log or $SESSIONTUI_LOG names another":
    every command that takes ``--log`` lists it in its ``--help``."""
    import click

    from sessiontui.cli import cli

    context = click.Context(cli)
    hidden = []
    stack: list[tuple[str, click.Command]] = [("sessiontui", cli)]
    while stack:
        path, command = stack.pop()
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                found = command.get_command(context, name)
                assert found is not None, name
                stack.append((f"{path} {name}", found))
        hidden += [
            path
            for param in command.params
            if isinstance(param, click.Option) and "--log" in param.opts and param.hidden
        ]
    assert not hidden, hidden


def test_quick_start_has_exactly_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", section(README, "## Quick start"), re.S)
    assert len(blocks) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in blocks)
    assert "agendas/cosp-intersessional-2020.toml" in blocks[0]
    assert "pytest" in blocks[1]


def test_the_readme_is_short_and_lists_ten_things() -> None:
    # Five minutes' reading: the rest belongs in docs/.
    assert len(README) < 6000
    things = re.findall(r"^\d+\. \*\*", section(README, "## Ten things you do"), re.M)
    assert len(things) == 10


def test_the_keys_the_readme_names_are_the_trackers() -> None:
    from sessiontui.ui.app import all_bindings

    keys = {key for where, key, _, _ in all_bindings() if where == "tracker"}
    named = set(re.findall(r"`([^`\s]{1,2})`", section(README, "## Ten things you do")))
    assert len(named) > 10
    assert named <= keys, f"the README names keys the tracker does not have: {named - keys}"


def test_the_model_meeting_is_the_first_shipped_agenda() -> None:
    agendas = sorted(path.name for path in (ROOT / "agendas").glob("*.toml"))
    assert agendas[0] == "cosp-intersessional-2020.toml"


# -- links -----------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings, as GitHub makes them (``-1`` for repeats)."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


def links(page: Path) -> list[str]:
    """The link targets of a page, outside code blocks and code spans."""
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    return LINK.findall(text)


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # http:, https:, mailto: — not checked offline
        path_part, _, anchor = target.partition("#")
        where = (page.parent / path_part).resolve() if path_part else page
        if not where.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and (where.suffix != ".md" or anchor not in anchors(where)):
            broken.append(f"{target} (no such anchor)")
    return broken


def test_every_relative_link_and_anchor_resolves() -> None:
    broken = {
        str(page.relative_to(ROOT)): found for page in pages() if (found := broken_links(page))
    }
    assert not broken, f"dead links: {broken}"


def test_the_link_check_sees_dead_links(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# A page\n\n## `report --json`\n\n## Repeat\n## Repeat\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#a-page) [ok](there.md#report---json)"
        " [ok](there.md#repeat-1) [ok](#here) [ok](https://example.org/x)\n"
        "`[not a link](nowhere.md)`\n```\n[nor this](nowhere.md)\n```\n# Here\n"
        "[gone](missing.md) [gone](there.md#nope) ![gone](pic.svg) [gone](#nowhere)\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "missing.md (no such file)",
        "there.md#nope (no such anchor)",
        "pic.svg (no such file)",
        "#nowhere (no such anchor)",
    ]


def test_code_and_messages_point_at_pages_that_exist() -> None:
    # Code tells people to read a page ("see docs/sharing.md"): the page must be there.
    package = ROOT / "sessiontui"
    named = {
        name
        for source in package.rglob("*.py")
        for name in re.findall(r"\bdocs/[\w./-]+\.md\b", source.read_text(encoding="utf-8"))
    }
    missing = sorted(name for name in named if not (ROOT / name).exists())
    assert not missing, f"pages the code refers to that do not exist: {missing}"


def test_the_cli_reference_is_what_the_help_says_now() -> None:
    generator = runpy.run_path(str(DOCS / "make_cli_reference.py"))
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == generator["reference"](), (
        "docs/cli.md is out of date: run `python docs/make_cli_reference.py` and commit it"
    )
