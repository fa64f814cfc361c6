"""Plain text (typed, or extracted from a PDF) into Lines, with page furniture taken out."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Sequence

from sessiontui.importers.blocks import TERMINAL, ends_with_extras
from sessiontui.importers.classify import (
    ANNOTATIONS_HEADING_RE,
    END_HEADING_RE,
    FOOTNOTE_RULE,
    JOB_NUMBER_RE,
    clean_text,
    ends_question,
    followed_by,
    is_break,
    is_oral_question,
    is_page_number,
    only_documents,
    parse_day_heading,
    parse_number,
    parse_time_prefix,
    squash,
    until_time,
)
from sessiontui.importers.source import Line

_FOOTNOTE_REFERENCE = re.compile(r"[A-Za-z.)]\*{1,3}(?=\s|$)")
_FOOTNOTE_LINE = re.compile(r"^\*{1,3}\s+\S")
_BOLD_MARK = re.compile(r"\*\*|__")
_RULE = re.compile(r"_{3,}")
_STARS = re.compile(r"\*(?:\s*\*){2,}")
"""The asterisks centred under a document's last line ("***", "* * *"): no bold, no item."""
_MIN_PASTED_LINES = 6
"""Fewer lines say too little about how the text was laid out."""
_WRAP_SLACK = 1.1
"""A line longer than this times the next longest stands out: no wrapper made it."""


def text_lines(text: str) -> list[Line]:
    """Split a text document into Lines: indentation measured, ``**bold**`` noted, furniture out."""
    lines: list[Line] = []
    page_starts: set[int] = set()
    in_bold = False
    for number, source in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if "\f" in source:
            page_starts.add(len(lines))
        cleaned = clean_text(source.replace("\f", "")).rstrip()
        stripped = cleaned.lstrip()
        indent = len(cleaned) - len(stripped)
        bold = in_bold
        stars = _STARS.fullmatch(stripped) is not None  # "***" marks no bold
        if stripped.startswith(("**", "__")) and not stars:
            bold, in_bold = True, True
            stripped = stripped[2:]
        if in_bold and stripped.endswith(("**", "__")) and not stars:
            stripped, in_bold = stripped[:-2], False
        if not stripped:
            in_bold = False  # a blank line ends an unclosed bold span
        if ("*" in stripped or "_" in stripped) and not _RULE.fullmatch(stripped) and not stars:
            stripped = _BOLD_MARK.sub("", stripped)  # a rule above footnotes is no bold mark
        lines.append(
            Line(f"line {number}", squash(stripped), indent=indent, bold=bold, raw=stripped)
        )
    lines = numbers_above_titles(members_over_seats(lines))
    if one_paragraph_a_line(lines):
        for line in lines:
            line.hard = True
    return remove_furniture(lines, page_starts)


_QUESTION_NUMBER_RE = re.compile(r"[TQ]?\d{1,3}\.?")  # "T1" topical, "Q1" to the Prime Minister
_SEAT_RE = re.compile(r"\([^()]{2,80}\)")


def members_over_seats(lines: list[Line]) -> list[Line]:
    """An order paper's question as the House of Commons' web page printed it (2013), over
    four lines: its number, the Member, the seat in brackets, the question ending with its
    own number ("1" / "Jane Smith" / "(Northtown)" / "What progress ... (900943)"). The first
    three are one line, "1 Jane Smith (Northtown)", as later order papers print them, so
    the question is read as one of those under its stage, not as an item titled by the
    Member. Printed without the seat ("1" / "Mark Tami" / "What ... (153883)"), the three
    lines are one question: "1 Mark Tami: What ... (153883)"."""
    texts = [index for index, line in enumerate(lines) if line.text]
    out = list(lines)
    for at, number_at in enumerate(texts[:-2]):
        number = lines[number_at].text
        if not _QUESTION_NUMBER_RE.fullmatch(number) or out[number_at].text != number:
            continue  # not a number alone, or already part of the question before it
        member_at, seat_at = texts[at + 1], texts[at + 2]
        member, seat = lines[member_at].text, lines[seat_at].text
        asked_at = texts[at + 3] if at + 3 < len(texts) else None
        if (
            asked_at is not None
            and _SEAT_RE.fullmatch(seat)
            and ends_question(lines[asked_at].text)
            and is_oral_question(raw := f"{number} {member} {seat}")
        ):
            spent = range(number_at + 1, seat_at + 1)
        elif (
            is_oral_question(seat)  # "What ... (153883)": the question itself
            and not member.endswith(TERMINAL)
            and "(" not in member
            and is_oral_question(raw := f"{number} {member}: {seat}")
        ):
            spent = range(number_at + 1, seat_at + 1)  # the seat's line is the question
        else:
            continue
        out[number_at] = dataclasses.replace(lines[number_at], text=raw, raw=raw)
        for index in spent:
            out[index] = dataclasses.replace(lines[index], text="", raw="")
    return out


_BARE_NUMBER_RE = re.compile(r"\d{1,3}")
_MIN_NUMBER_RUN = 3
"""Fewer bare numbers counting up could be the page numbers of a short document."""
_NUMBER_RUN_REACH = 12
"""At most this many lines from one number of the run to the next (a title, a page's foot)."""


def numbers_above_titles(lines: list[Line]) -> list[Line]:
    """Bare item numbers set on a line of their own above their titles, as text extracted
    from an IMO agenda gives them ("1" / "Adoption of the agenda" / "2" / "Decisions of other
    bodies"), read as the numbered lines they are: "1   Adoption of the agenda".

    A page number is a bare number too, but pages are far apart: only a run of at least
    three counting up by one from 1, each over a line that starts a title, are items.
    """
    candidates: list[tuple[int, int, int]] = []  # (value, number line, title line)
    for index, line in enumerate(lines):
        if not _BARE_NUMBER_RE.fullmatch(line.text) or line.indent > _NUMBER_RUN_REACH:
            continue
        below = next(
            (i for i in range(index + 1, min(index + 3, len(lines))) if lines[i].text), None
        )
        if below is None:
            continue
        title = lines[below].text
        if (
            not title[:1].isupper()
            or is_page_number(title)
            or only_documents(title)
            or parse_number(title) is not None
        ):
            continue
        candidates.append((int(line.text), index, below))
    best: list[tuple[int, int, int]] = []
    for start, first in enumerate(candidates):
        if first[0] != 1:
            continue
        run = [first]
        for candidate in candidates[start + 1 :]:
            if candidate[1] - run[-1][2] > _NUMBER_RUN_REACH:
                break
            if candidate[0] == run[-1][0] + 1 and candidate[1] > run[-1][2]:
                run.append(candidate)
        if len(run) > len(best):
            best = run
    if len(best) < _MIN_NUMBER_RUN:
        return lines
    out = list(lines)
    for value, number_at, title_at in best:
        below_line = lines[title_at]
        raw = f"{value}   {below_line.spaced}"
        # the title's line holds the item (its wrapped lines follow it); the number's is spent
        out[title_at] = dataclasses.replace(
            below_line,
            text=squash(raw),
            raw=raw,
            indent=min(below_line.indent, lines[number_at].indent),
        )
        for index in range(number_at, title_at):
            out[index] = dataclasses.replace(lines[index], text="", raw="")
    return out


def one_paragraph_a_line(lines: Sequence[Line]) -> bool:
    """Whether no line of the text was wrapped: every paragraph is one line, as a web page
    or a word processor's text gives it when copied (an order paper, a council's meeting page).

    Wrapped text breaks a line where the next word would not fit, so some line ends within a
    word of the widest line, or runs on in lower case or after a hyphen. Text where every line
    that a capitalised line follows had room for that line's first word was never wrapped:
    its short lines (a title over the paragraph that explains it) end where their paragraph
    does. Indented text is laid out (``pdftotext -layout``), not pasted.

    One line far longer than the rest (an address, a title typed on one line) would leave
    room on every other line, so the width the other lines keep to (``wrap_width``) is tried
    too: two lines ending within a word of it, mid-sentence, were wrapped there. One such
    line in a paste is a coincidence (a question ending with its number in brackets).
    """
    texts = [line for line in lines if line.text]
    if len(texts) < _MIN_PASTED_LINES or any(line.indent for line in texts):
        return False
    lengths = [len(line.text) for line in texts]
    widest, width = max(lengths), wrap_width(lengths)
    near_width = 0
    for above, below in itertools.pairwise(lines):
        if not above.text or not below.text:
            continue
        runs_on = (
            below.text[0].islower()
            and parse_number(below.text) is None
            and followed_by(below.text) is None  # "followed by Business Motions" starts one
            and until_time(below.text) is None  # so does "until 10 pm" under a stage
        )
        if runs_on or re.search(r"[A-Za-z]-$", above.text):
            return False  # a sentence or a word runs on over the line's end ("a)" starts one)
        if (
            above.text.endswith(TERMINAL)
            or ends_with_extras(above.text)
            or ends_question(above.text)
        ):
            continue  # a sentence, a title complete with its file, link or presenter, a question
        reach = len(above.text) + 1 + len(below.text.split(maxsplit=1)[0])
        if reach > widest:
            return False  # the next word would not have fitted: maybe wrapped there
        near_width += len(above.text) <= width < reach
    return near_width < 2


def wrap_width(lengths: Sequence[int]) -> int:
    """The width the lines of a text keep to: its longest line, unless that one stands out
    from the rest, robust to a few outliers (one line in 25, at least one).

    A wrapper keeps every line within a word of its width, so a line running well past the
    next longest (over a tenth longer) was not made by it; the width is the longest line left.
    """
    ranked = sorted(lengths, reverse=True)
    spare = min(max(1, len(ranked) // 25), len(ranked) - 1)
    rest = ranked[spare]
    return next(length for length in ranked if length <= rest * _WRAP_SLACK)


def remove_furniture(lines: list[Line], page_starts: set[int] | None = None) -> list[Line]:
    """Take out page numbers, job numbers, running headers and footnotes of PDF-extracted text.

    The first line after removed furniture is marked ``page_break``: a title or paragraph may
    run on across it.
    """
    page_starts = page_starts or set()
    furniture = [_always_furniture(line.text) for line in lines]
    masthead = _masthead_symbol(lines)
    masthead_symbol, masthead_at = masthead if masthead is not None else (None, -1)
    footnotes = footnote_lines(lines)
    boundaries = set(page_starts) | {i for i, is_furniture in enumerate(furniture) if is_furniture}
    near_boundary = _near(lines, boundaries, furniture)
    counts = Counter(line.text for line in lines if line.text)
    # a running header or footer repeats, and every time next to a page break
    far = Counter(line.text for i, line in enumerate(lines) if line.text and i not in near_boundary)
    seen_symbol = False
    for index, line in enumerate(lines):
        text = line.text
        if not text or furniture[index]:
            continue
        if index == masthead_at:
            seen_symbol = True  # the masthead itself; the symbol's later lines are headers
        elif _file_footer(text, masthead_symbol):
            furniture[index] = True
        elif (
            masthead_symbol
            and masthead_symbol in text
            # "Documents EB158/1 and EB158/1 (annotated)" lists the item's documents
            and not _DOCUMENTS_LINE_RE.match(text)
            and _names_only(text, masthead_symbol)
        ):
            # the first one is the masthead itself; later ones are running headers
            furniture[index] = seen_symbol
            seen_symbol = True
        elif index in footnotes:
            furniture[index] = True
        elif index in near_boundary and counts[text] >= 2 and not far[text] and len(text) < 80:
            furniture[index] = not _agenda_like(text)
    # The rules above notes at a page's foot, with the notes; the footnotes found above are
    # notes, not gaps between them.
    not_notes = [is_furniture and i not in footnotes for i, is_furniture in enumerate(furniture)]
    for index in notes_the_text_goes_on_after(lines, not_notes):
        furniture[index] = True
    out: list[Line] = []
    pending_break = False
    for index, line in enumerate(lines):
        if furniture[index]:
            pending_break = True
            while out and out[-1].blank:
                out.pop()  # a page break is not a paragraph break
            continue
        if pending_break and line.blank:
            continue
        if index in page_starts and out:
            pending_break = True
        if pending_break and out:
            line.page_break = True
        pending_break = False
        out.append(line)
    return out


# The mark opening a footnote: "* E/CN.7/2023/1.", "1 Rule 15 of ...", "† Reissued ...",
# "a/ See ..."; a number needs the space after it ("1." opens an item, not a note)
_NOTE_START = re.compile(r"^(?:\*{1,3}\s*|[†‡§]\s*|(?P<number>\d{1,3})\s+|[a-z]/\s*)\S")


def notes_the_text_goes_on_after(lines: Sequence[Line], furniture: Sequence[bool]) -> list[int]:
    """A rule of underscores with the footnotes under it, where the document goes on after
    them: a UN provisional agenda prints "____" / "* E/CN.7/2023/1." at the foot of its first
    page, between the list of items and the annotations, and a text without its page breaks
    (pasted, or a Word document) keeps no sign of the page's end but the notes themselves.

    The notes under a rule are lines opening with a mark (``*``, a number, ``†``), each with
    the lines it runs on to; the first line that opens with no mark after a gap (a blank
    line, page furniture), or that reads as an item or a heading, is the document again. A rule with no notes under
    it, or with nothing after them (the last page's notes), is left to end the agenda
    (``Layout.regions``).
    """
    found: list[int] = []
    texts = [i for i, line in enumerate(lines) if line.text and not furniture[i]]
    for at, index in enumerate(texts):
        if not FOOTNOTE_RULE.fullmatch(lines[index].text):
            continue
        end = _notes_end(lines, texts, at + 1)
        if at + 1 < end < len(texts):  # notes under the rule, and the document after them
            found.extend(range(index, texts[end]))
    return found


def _notes_end(lines: Sequence[Line], texts: list[int], first: int) -> int:
    """Where the notes starting at ``texts[first]`` end (an index into ``texts``).

    Numbered notes count up ("1 Rule 15 ..." / "2 See E/2020/28."): "5 Other business"
    after note 2 is an item of a list numbered without dots, not a note.
    """
    end, counted = first, None
    while end < len(texts):
        line = lines[texts[end]]
        after_gap = end == first or texts[end] - texts[end - 1] > 1
        mark = _NOTE_START.match(line.text)
        number = mark.group("number") if mark else None
        if mark and number is not None and counted is not None and int(number) != counted + 1:
            break
        if not mark and (
            after_gap or line.heading or parse_number(line.text) or _document_again(line.text)
        ):
            break
        counted = int(number) if number is not None else counted
        end += 1
    return end


def _document_again(text: str) -> bool:
    """A heading that no note runs on to: "Annotations", "Annex"."""
    return bool(ANNOTATIONS_HEADING_RE.match(text) or END_HEADING_RE.match(text))


def footnote_lines(lines: Sequence[Line]) -> set[int]:
    """Where the footnotes are: lines like ``* E/CN.7/2021/1.`` in a document that refers to
    them (``Provisional agenda*``), with or without a rule of underscores above them.

    The one rule for every format: a footnote typed at the foot of a Word document is a
    paragraph like any other, and must no more become an agenda item than in plain text.
    """
    whole = "\n".join(line.text for line in lines)
    if not _FOOTNOTE_REFERENCE.search(whole):
        return set()
    return {i for i, line in enumerate(lines) if line.text and _FOOTNOTE_LINE.match(line.text)}


def without_footnotes(lines: list[Line]) -> list[Line]:
    """The lines without the footnotes (``footnote_lines``), for formats with no page
    furniture to take out (Word)."""
    footnotes = footnote_lines(lines)
    footnotes.update(notes_the_text_goes_on_after(lines, [False] * len(lines)))
    return [line for i, line in enumerate(lines) if i not in footnotes] if footnotes else lines


def _always_furniture(text: str) -> bool:
    return bool(text) and (
        is_page_number(text) or bool(JOB_NUMBER_RE.match(text)) or bool(_STARS.fullmatch(text))
    )


# The file a page's footer names: "I:\\MSC\\107\\MSC 107-1.docx" (a path on a drive or a share),
# "https://edocs.imo.org/Final Documents/English/MEPC 80-1 (E).docx"
_PATH_RE = re.compile(r"(?:[A-Za-z]:|\\\\[^\\\s]+)\\\S.*\.(?:docx?|rtf|odt|pdf)", re.IGNORECASE)
_FILE_ADDRESS_RE = re.compile(r"https?://\S.*\.(?:docx?|rtf|odt|pdf)", re.IGNORECASE)


def _file_footer(text: str, symbol: str | None) -> bool:
    """Whether the line is the document's file, as Word prints it in the page footer: a path
    on a drive is never a link to follow; an address is the document's own file when its
    name is the document's symbol ("MEPC 80/1" saved as "MEPC 80-1 (E).docx")."""
    if _PATH_RE.fullmatch(text):
        return True
    if symbol is None or not _FILE_ADDRESS_RE.fullmatch(text):
        return False
    name = text.rsplit("/", 1)[-1]
    return symbol.replace("/", "-") in name or symbol.replace("/", "_") in name


def _names_only(text: str, symbol: str) -> bool:
    """Whether a line names the document's symbol and nothing else but the page number: the
    running header "CAC/COSP/2019/1 3", "MSC 107/1" (whose "107/1" is no page number)."""
    text = re.sub(r"(?i)\b(?:united nations|nations unies)\b", "", text)
    return only_documents(_strip_page(text)) == [symbol] or only_documents(text) == [symbol]


def _strip_page(text: str) -> str:
    """A running header often carries the page number: ``CAC/COSP/2019/1 3``."""
    return re.sub(r"\s+\d{1,4}(?:\s*/\s*\d{1,4})?$|^\d{1,4}(?:\s*/\s*\d{1,4})?\s+", "", text)


_DOCUMENTS_LINE_RE = re.compile(r"(?i)(?:documents?|documentation|docs?|see)\b")


def _masthead_symbol(lines: list[Line]) -> tuple[str, int] | None:
    """The document's symbol and the masthead line printing it, alone or as a column beside
    the body's name ("EXECUTIVE BOARD          EB158/1")."""
    for index, line in enumerate(lines[:60]):
        columns = re.split(r"\s{3,}|\t", (line.raw or line.text).strip())
        for column in columns if len(columns) > 1 else [line.text]:
            text = re.sub(r"(?i)\b(?:united nations|nations unies)\b", "", column)
            documents = only_documents(text) if text.strip() else None
            if documents and len(documents) == 1:
                return documents[0], index
    return None


def _near(
    lines: list[Line], boundaries: set[int], furniture: list[bool], reach: int = 2
) -> set[int]:
    """Indexes of the few content lines just before and after each page boundary."""
    out: set[int] = set()
    for boundary in boundaries:
        for start, step in ((boundary - 1, -1), (boundary, 1)):
            index, found = start, 0
            while 0 <= index < len(lines) and found < reach and abs(index - start) < 8:
                if lines[index].text and not furniture[index]:
                    out.add(index)
                    found += 1
                index += step
    return out


def _agenda_like(text: str) -> bool:
    """Lines that may legitimately repeat near a page break (item headings, breaks, days)."""
    return bool(
        parse_number(text)
        or parse_time_prefix(text)
        or is_break(text)
        or parse_day_heading(text, None)
    )
