"""Links kept: the addresses an item's lines link to, added to its annotation."""

from __future__ import annotations

from collections.abc import Iterable

from sessiontui.importers.classify import MAX_URL, find_urls, link_text, quote
from sessiontui.importers.source import Line


def line_links(line: Line) -> list[tuple[str, str]]:
    """Every link of a line as (text, address): those the format hid and those written out."""
    links = list(line.links)
    text = " ".join(line.cells) if line.cells is not None else line.text
    links.extend((url, url) for url in find_urls(text))
    return links


def with_links(annotation: str | None, lines: Iterable[Line], doubts: list[str]) -> str | None:
    """The annotation with a last paragraph for the links of the item's lines it lacks.

    A link reads ``text (address)`` (a document symbol linked to its page keeps the symbol in
    front of the address), one per line; an address the annotation already shows is not
    repeated. An address too long to be real is named in the doubts instead.
    """
    shown = set(find_urls(annotation)) if annotation else set()
    added: list[str] = []
    for line in lines:
        for text, url in line_links(line):
            if url in shown:
                continue
            shown.add(url)
            if len(url) > MAX_URL:
                doubts.append(f"{line.where}: a link of {len(url)} characters - left out")
                continue
            added.append(link_text(text, url))
    if not added:
        return annotation
    links = "\n".join(added)
    return f"{annotation}\n\n{links}" if annotation else links


def stray_links(lines: Iterable[Line], placed: set[str], used: set[str]) -> list[str]:
    """A doubt for each line outside the items whose links are therefore not kept.

    Args:
        lines: the document's lines.
        placed: where the lines that made items are.
        used: where the lines read into the meeting's fields are; any other line is named
            with its text in the doubts already, so only the addresses its text hides are
            added.
    """
    doubts = []
    for line in lines:
        if line.where in placed:
            continue
        pairs = line_links(line) if line.where in used else line.links
        urls = list(dict.fromkeys(url for _, url in pairs))
        if urls:
            shown = ", ".join(quote(url, 80) for url in urls[:3])
            more = f" and {len(urls) - 3} more" if len(urls) > 3 else ""
            doubts.append(f"{line.where}: a link outside the items - left out: {shown}{more}")
    return doubts


__all__ = ["line_links", "stray_links", "with_links"]
