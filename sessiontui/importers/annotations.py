"""The fourth phase of building an agenda: final titles, and the annotations attached to items.

An annotations part (after the agenda, or after an "Annotations" heading) repeats each item's
number and title above the text about it; each text goes to the item its heading repeats.
"""

from __future__ import annotations

import bisect
import re

from sessiontui.importers.blocks import TERMINAL, Words, starts_upper
from sessiontui.importers.classify import (
    Extras,
    find_documents,
    fold,
    parse_number,
    quote,
    squash,
    strip_list_punctuation,
    take_extras,
)
from sessiontui.importers.findings import Findings
from sessiontui.importers.layout import paragraph_like
from sessiontui.importers.nodes import Node, number_key, title_key, walk
from sessiontui.importers.source import Line


def clean_title(node: Node) -> str:
    """The item's final title: list punctuation, duration, presenters and symbols taken off."""
    if node.clean is None:
        raw = squash(node.title)
        title = strip_list_punctuation(extras_of(node, raw)[0])
        node.clean = title or strip_list_punctuation(raw)
    return node.clean


def extras_of(node: Node, raw: str) -> tuple[str, Extras]:
    """``take_extras(raw)``, computed once per item: the title and its spec both need it."""
    if node.taken is None or node.taken[0] != raw:
        node.taken = (raw, take_extras(raw))
    return node.taken[1]


def attach_annotations(
    lines: list[Line], roots: list[Node], words: Words, findings: Findings
) -> None:
    """Attach each annotation to the item whose number and title its heading repeats."""
    annotator = _Annotator(roots, words, findings)
    first_where: str | None = None
    for paragraph in _paragraphs(lines):
        index = 0
        while index < len(paragraph):
            found = annotator.heading(paragraph, index)
            if found is not None:
                node, consumed, leftover = found
                annotator.switch_to(node)
                node.sources.extend(line.where for line in paragraph[index : index + consumed])
                index += consumed
                if leftover:
                    annotator.buffer.append(leftover)
                continue
            if annotator.current is None and first_where is None:
                first_where = paragraph[index].where
            annotator.buffer.append(paragraph[index].text)
            annotator.wheres.append(paragraph[index].where)
            index += 1
        annotator.flush()
    if (
        annotator.ignored is not None
        and first_where is not None
        and first_where != annotator.unmatched_where
    ):
        findings.doubt(
            first_where, f"{quote(annotator.ignored)} comes before any annotated item - left out"
        )


def annotation_headings(lines: list[Line]) -> list[Line]:
    """The lines of the annotations part that head an item's text, with the blank lines that
    part them: where no agenda precedes the annotations, these are the items.

    A heading is a paragraph that opens with a number (printed, or Word's) and reads as a
    title ("2. Organizational matters", "(a) Adoption of the agenda"); a paragraph of the
    annotations is numbered too ("2. The Committee will have before it ..."), but it is prose
    and ends with a full stop.
    """
    heads: set[str] = set()
    for paragraph in _paragraphs(lines):
        if not paragraph:
            continue
        parsed = parse_number(paragraph[0].text)
        if parsed is None or not parsed[1]:
            continue
        title = squash(" ".join([parsed[1], *(line.text for line in paragraph[1:])]))
        if not title.endswith(".") and not paragraph_like(title) and len(title) < 250:
            heads.update(line.where for line in paragraph)
    return [line for line in lines if line.blank or line.where in heads]


class _Annotator:
    """The items by number and by title, the item being annotated and the text gathered for it."""

    def __init__(self, roots: list[Node], words: Words, findings: Findings) -> None:
        self.words = words
        self.findings = findings
        order = list(walk(roots))
        self.position = {id(node): i for i, node in enumerate(order)}
        self.by_number: dict[str, list[Node]] = {}
        self.by_title: dict[str, list[Node]] = {}
        for node in order:
            if node.number is not None:
                self.by_number.setdefault(number_key(node.number.text), []).append(node)
            self.by_title.setdefault(title_key(clean_title(node)), []).append(node)
        self.current: Node | None = None
        self.last = -1
        self.buffer: list[str] = []
        self.wheres: list[str] = []
        self.ignored: str | None = None  # the first text before any annotated item
        self.unmatched_where: str | None = None  # a heading matching no item, before any

    def switch_to(self, node: Node) -> None:
        """The text gathered so far goes to the item before; what follows to ``node``."""
        self.flush()
        self.current, self.last = node, self.position[id(node)]

    def flush(self) -> None:
        """Give the text gathered so far to the current item (or keep it as ignored)."""
        if not self.buffer:
            return
        text = self.joined(self.buffer)
        self.buffer.clear()
        if self.current is None:
            self.ignored = self.ignored or text
            self.wheres.clear()
            return
        self.current.annotation.append(text)
        self.current.sources.extend(self.wheres)
        self.wheres.clear()

    def joined(self, pieces: list[str]) -> str:
        """Annotation lines joined into one text: wrapped lines mended, one symbol a line."""
        out: list[str] = []
        for piece in pieces:
            symbols = find_documents(piece[:40])
            if out and symbols and piece.startswith(symbols[0]):
                out.append("\n" + piece)  # a document list keeps one symbol per line
                continue
            drop, separator = self.words.seam(out[-1] if out else "", piece)
            if drop:
                out[-1] = out[-1][:-1]
            out.append(separator + piece.strip())
        return "".join(out).strip()

    def heading(self, paragraph: list[Line], index: int) -> tuple[Node, int, str] | None:
        """The item whose number and title the line at ``index`` repeats: the item, how many
        lines its title took and what follows the title on the last of them."""
        text = paragraph[index].text
        parsed = parse_number(text)
        if parsed is not None:
            readings, rest = parsed
            candidates = self.by_number.get(number_key(readings[0].text), [])
            ordered = _around(candidates, self.position, self.last)
            texts = [rest] + [line.text for line in paragraph[index + 1 : index + 4]]
            for node in ordered:
                matched = _title_prefix(clean_title(node), texts)
                if matched is not None:
                    return node, matched[0], matched[1]
            # the heading alone in its paragraph, unless prose runs on under it
            whole = squash(" ".join(texts[: len(paragraph) - index]))
            if index + 4 >= len(paragraph) and not whole.endswith(".") and len(whole) < 250:
                for node in ordered:
                    if _shortens(whole, clean_title(node)):
                        return node, len(paragraph) - index, ""
            if candidates and len(text) < 120 and len(paragraph) == 1 and not rest.endswith("."):
                if self.current is None:
                    # told here with what it costs; not again as text before any item
                    self.unmatched_where = paragraph[index].where
                    self.findings.doubt(
                        paragraph[index].where,
                        f"{quote(text)} in the annotations does not repeat the title of item "
                        f"{readings[0].text} and comes before any annotated item - left out",
                    )
                else:
                    self.findings.doubt(
                        paragraph[index].where,
                        f"{quote(text)} in the annotations does not repeat the title of item "
                        f"{readings[0].text} - kept as annotation text",
                    )
            return None
        if index == 0 and len(paragraph) == 1:
            ordered = _around(self.by_title.get(title_key(text), []), self.position, self.last)
            if ordered and len(title_key(text)) > 3:
                return ordered[0], 1, ""
        return None


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """The annotations part as paragraphs of lines (a table row or a Word paragraph is one)."""
    paragraphs: list[list[Line]] = [[]]
    for line in lines:
        if line.blank or line.hard or line.cells is not None:
            if paragraphs[-1]:
                paragraphs.append([])
            if line.blank:
                continue
        if line.page_break and paragraphs[-1]:
            previous = paragraphs[-1][-1].text
            if previous.endswith(TERMINAL) and starts_upper(line.text):
                paragraphs.append([])
        text = line.text if line.cells is None else " ".join(c for c in line.cells if c)
        if line.number:
            text = f"{line.number} {text}"
        paragraphs[-1].append(Line(line.where, text, hard=line.hard))
        if line.hard:
            paragraphs.append([])
    return paragraphs


def _around(nodes: list[Node], position: dict[int, int], last: int) -> list[Node]:
    """A few candidates in agenda order: first those after the last match, then earlier ones."""
    index = bisect.bisect_right([position[id(n)] for n in nodes], last) if len(nodes) > 1 else 0
    return nodes[index : index + 6] + nodes[: min(index, 3)]


_CLOSERS = re.compile(r"^[\"'”’»)\]]+")
"""Closing quotes and brackets glued to the end of a title."""


_MIN_SHORTENED_WORDS = 2
"""Fewer words than this ("Follow-up") say too little to name an item by."""


def _shortens(heading: str, title: str) -> bool:
    """Whether the heading is the title cut short at a word's end: "Follow-up to the Fourth
    World Conference on Women" above the annotation of "Follow-up to the Fourth World
    Conference on Women and to the twenty-third special session ..."."""
    heading_words = [fold(word) for word in heading.split()]
    title_words = [fold(word) for word in title.split()]
    heading_words = [word for word in heading_words if word]
    title_words = [word for word in title_words if word]
    count = len(heading_words)
    return _MIN_SHORTENED_WORDS <= count < len(title_words) and title_words[:count] == heading_words


def _title_prefix(title: str, texts: list[str]) -> tuple[int, str] | None:
    """Whether the texts (a line and the lines after it) start with the title.

    Returns:
        How many lines the title took and what follows it on the last of them.
    """
    target = fold(title)
    if len(target) < 2:
        return None
    folded = ""
    for line_index, text in enumerate(texts):
        for position, ch in enumerate(text):
            folded += fold(ch)
            if not target.startswith(folded):
                return None
            if len(folded) >= len(target):
                leftover = text[position + 1 :]
                if leftover[:1].isalnum():
                    return None  # the title is only the start of a longer word
                # the quote or bracket closing the title ('... on "Promoting the rule of
                # law"') is the title's, though folding leaves it out of the comparison
                leftover = _CLOSERS.sub("", leftover)
                return line_index + 1, leftover.lstrip(" .;:,-–—").strip()
    return None
