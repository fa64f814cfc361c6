"""Whether a document is an agenda at all, or the report of a meeting read as one.

A report (of a session, of a working group, the minutes of a meeting) numbers its chapters
("I. Introduction") and its paragraphs ("1. The Working Group held its meeting in Vienna ..."),
as an agenda numbers its items: read as an agenda, its paragraphs become items or doubts, and
an agenda of them would be recorded against. What tells the two apart is that a report prints
no agenda heading ("Provisional agenda", "Order of business", "... is as follows:") and is
made of long paragraphs, which come out as items titled with sentences or as lines in doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sessiontui.importers.classify import quote, squash
from sessiontui.importers.layout import paragraph_like
from sessiontui.importers.nodes import Node
from sessiontui.importers.source import Line

MIN_PROSE_ITEMS = 3
"""Items titled with sentences that make a document a report, when they hold most of the
items' words."""
MIN_LONG_PARAGRAPHS = 3
"""Long paragraphs a document must have to be a report by its doubts."""
LONG_PARAGRAPH = 200
"""Characters of a paragraph of prose (an agenda's longest titles are shorter)."""
MIN_LINES = 10
"""Lines of text below which a document is too short to be judged by its doubts."""

# a sentence ending inside the title and another beginning: "... in Vienna on 11 May 2026. The
# meeting was chaired by ..." (not "U.S." nor "(Part 2)")
_SENTENCE_BREAK_RE = re.compile(r"[a-z0-9)]{3}[.!?]\s+[A-Z]")


def prose_title(title: str) -> bool:
    """Whether an item's title is a paragraph of a report rather than an agenda item's title:
    two sentences, or a paragraph's length."""
    title = squash(title)
    return (
        paragraph_like(title)
        or len(title) > LONG_PARAGRAPH
        or (len(title) > 80 and _SENTENCE_BREAK_RE.search(title) is not None)
    )


def long_paragraphs(lines: list[Line]) -> int:
    """How many paragraphs of prose the document holds: runs of lines between blank lines
    (a Word paragraph alone) of a paragraph's length, read as prose."""
    paragraphs: list[str] = []
    run: list[str] = []
    for line in lines:
        if line.text and not line.hard:
            run.append(line.text)
            continue
        paragraphs.extend([" ".join(run), line.text])
        run = []
    paragraphs.append(" ".join(run))
    return sum(len(p) >= LONG_PARAGRAPH and paragraph_like(p) for p in paragraphs)


def report_reason(
    lines: list[Line], items: Iterable[Node], doubted: set[str], *, headed: bool
) -> str | None:
    """Why the document reads as a report rather than an agenda, or None when it may be one.

    Args:
        lines: the document's lines, as far as they were read.
        items: every item the import made.
        doubted: the lines named in doubts (left out, not an agenda item, ...).
        headed: an agenda heading (or the annotations of one) is printed.
    """
    if headed:
        return None
    nodes = list(items)
    prose = [node for node in nodes if prose_title(node.title)]
    words = sum(len(squash(node.title)) for node in nodes)
    # most of the items' words are in paragraphs (a report's chapter and section headings
    # are items too, but short ones)
    if len(prose) >= MIN_PROSE_ITEMS and 2 * sum(len(squash(n.title)) for n in prose) >= words:
        first = prose[0]
        return (
            f"no agenda heading, and {len(prose)} of its {len(nodes)} items read as paragraphs"
            f" ({first.where}: {quote(squash(first.title), 40)})"
        )
    texts = [line for line in lines if line.text]
    left = [line for line in texts if line.where in doubted]
    if (
        len(texts) >= MIN_LINES
        and 2 * len(left) >= len(texts)
        and long_paragraphs(lines) >= MIN_LONG_PARAGRAPHS
    ):
        return (
            f"no agenda heading, long paragraphs, and {len(left)} of its {len(texts)} lines"
            " in no item"
        )
    return None
