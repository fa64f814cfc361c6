"""What one line of an agenda document says: numbers, times, durations, dates, furniture."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from sessiontui.core.agenda import fold_alnum
from sessiontui.core.breaks import is_break_title
from sessiontui.core.offices import role_words
from sessiontui.core.organizational import organizational_kind
from sessiontui.core.text import safe_display

# -- text hygiene -------------------------------------------------------------------------------

# Soft hyphens and zero-width spaces are PDF artefacts that break word matching.
_INVISIBLE = dict.fromkeys([0x00AD, 0x200B, 0xFEFF], None)
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """NFC, no escape sequences, control characters or bidi overrides (``safe_display``, as
    for anything shown: tabs become spaces first), no soft hyphens or zero-width spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return safe_display(text.replace("\t", "    "))


def squash(text: str) -> str:
    """Collapse runs of spaces into one and strip the ends."""
    if text.isascii() and "  " not in text:
        return text.strip()  # nothing to collapse: the common case needs no regex
    return _SPACES.sub(" ", text).strip()


# How titles and words are compared: letters and digits only, case folded.
fold = fold_alnum


def quote(text: str, limit: int = 60) -> str:
    """A short quotation of source text for a message."""
    text = squash(text)
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f"'{text}'"


def strip_list_punctuation(title: str) -> str:
    """Drop the list syntax agendas end titles with (``;``, ``:``, ``; and``, a final ``.``)."""
    title = squash(title)
    title = re.sub(r"\s*[;,]\s*(?:and|or)$", "", title)
    title = re.sub(r"\s*[;:,]$", "", title)
    if title.endswith(".") and not title.endswith("..") and not re.search(r"\b\w\.$", title):
        title = title[:-1].rstrip()
    return title


# -- numbers ------------------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
MAX_ROMAN = 60  # agendas never reach LX; beyond it a "roman numeral" is a word ("mix.", "dix.")


def roman_value(token: str) -> int | None:
    """``"iv"`` -> 4; None when the token is not a roman numeral of one case."""
    if not token or not (token.islower() or token.isupper()):
        return None
    upper = token.upper()
    if not _ROMAN_RE.fullmatch(upper):
        return None
    total = 0
    for current, following in zip(upper, [*upper[1:], ""], strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total if 0 < total <= MAX_ROMAN else None


def letter_value(token: str) -> int | None:
    """``"a"`` -> 1, ``"z"`` -> 26, ``"aa"`` -> 27 (agendas repeat the letter past z)."""
    if not token or not token.isalpha() or not token.isascii():
        return None
    if not (token.islower() or token.isupper()) or len(set(token)) != 1 or len(token) > 3:
        return None
    return (ord(token[0].lower()) - ord("a") + 1) + 26 * (len(token) - 1)


VARIANTS = ("bis", "ter", "quater", "quinquies", "sexies")


@dataclass(frozen=True, slots=True)
class Number:
    """One reading of an item number as printed ("(a)", "11.2", "4 bis", "Item 4", "AA.").

    Attributes:
        text: the number exactly as printed.
        kind: arabic, lower, upper (letters), rlower, rupper (roman numerals), dotted or item.
        deco: how the counter is decorated: ``"{}."``, ``"({})"``, ``"{})"`` or ``"{}"``.
        value: the counter (the last component of a dotted number).
        variant: 0, or 2 for "bis", 3 for "ter" ... (the item inserted after ``value``).
        prefix: the components before the last one of a dotted number.
    """

    text: str
    kind: str
    deco: str
    value: int
    variant: int = 0
    prefix: tuple[int, ...] = ()

    @property
    def style(self) -> tuple[str, str, int]:
        """What a series of sibling numbers shares."""
        deco = "" if self.kind in ("item", "dotted") else self.deco
        return (self.kind, deco, len(self.prefix))

    @property
    def is_start(self) -> bool:
        """Whether this number can open a series (1, a, i, A, I, x.1)."""
        return self.value == 1 and self.variant == 0

    @property
    def components(self) -> tuple[int, ...]:
        """The dotted components, or the single counter."""
        return (*self.prefix, self.value)


_AFTER = r"(?=\s|$)"
_ITEM_RE = re.compile(
    r"(?P<num>(?:agenda\s+)?item\s+(?P<n>\d{1,4})(?:\s*(?P<v>bis|ter|quater|quinquies|sexies))?)"
    r"(?P<punct>[.:]?)" + _AFTER,
    re.IGNORECASE,
)
_DOTTED_RE = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3}){1,3}\.?)" + _AFTER)
# "1.A. Call to Order" under "1. Opening": a letter after its item's number, as a board's
# agenda (BoardDocs) numbers sub-items
_DOTTED_LETTER_RE = re.compile(
    r"(?P<num>(?P<pre>\d{1,3}(?:\.\d{1,3}){0,2})\.(?P<t>[A-Z]|[a-z])(?P<dot>\.?))" + _AFTER
)
# "2 (a). Adoption of the agenda" under "2. Organizational matters", as UNFCCC lists them
_NUMBERED_LETTER_RE = re.compile(
    r"(?P<num>(?P<pre>\d{1,3}) ?\((?P<t>[a-z])\)(?P<dot>\.?))" + _AFTER
)
# "1-2-1 Participants": hyphens between the components (a year is four digits, never read)
_HYPHENATED_RE = re.compile(
    r"(?P<num>\d{1,3}(?:-\d{1,3}){1,3})(?= +\S)(?! +(?:[ap]\.?m\b|h\b|hrs?\b|uhr\b))", re.IGNORECASE
)
# "1 - Approbation du procès-verbal": a bare number, a spaced dash, the title
_DASHED_RE = re.compile(r"(?P<num>(?P<t>\d{1,3}))(?=\s+[-–—]\s+\S)")
_VARIANT_RE = re.compile(
    r"(?P<num>(?P<n>\d{1,3})\s*(?P<v>bis|ter|quater|quinquies|sexies)\.?)" + _AFTER,
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"(?P<num>\((?P<t>\d{1,3}|[A-Za-z]{1,6})\))" + _AFTER)
_CLOSE_RE = re.compile(r"(?P<num>(?P<t>\d{1,3}|[A-Za-z]{1,6})\))" + _AFTER)
_DOT_RE = re.compile(r"(?P<num>(?P<t>\d{1,3}|[A-Za-z]{1,6})\.)(?=\s|$|(?P<glued>[A-Z][a-z]))")
_BARE_RE = re.compile(r"(?P<num>(?P<t>\d{1,3}))(?= {2,}\S)")
_LOOSE_RE = re.compile(r"(?P<num>(?P<t>\d{1,2}))(?= [A-Z][a-z])")
_TITLE_SEP = re.compile(r"^\s*(?:[-–—:]\s+|[.:]\s*(?=\S))?")


def _readings(token: str, deco: str, printed: str) -> tuple[Number, ...]:
    if token.isdigit():
        return (Number(printed, "arabic", deco, int(token)),)
    out = []
    letters = letter_value(token)
    if letters is not None:
        out.append(Number(printed, "lower" if token.islower() else "upper", deco, letters))
    roman = roman_value(token)
    if roman is not None:
        out.append(Number(printed, "rlower" if token.islower() else "rupper", deco, roman))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def parse_number(text: str, *, loose: bool = False) -> tuple[tuple[Number, ...], str] | None:
    """Read the item number a line starts with.

    Args:
        text: the line.
        loose: also read a bare number followed by one space ("2 Reports"), as documents
            with dotted numbers print their top level.

    Returns:
        Every plausible reading of the number (``"(i)"`` is both the letter after h and roman
        one) and the text after it, or None when the line does not start with a number.
    """
    line = text.lstrip()
    match = _ITEM_RE.match(line)
    if match:
        variant = VARIANTS.index(match["v"].lower()) + 2 if match["v"] else 0
        number = Number(squash(match["num"]), "item", "{}", int(match["n"]), variant)
        return (number,), _rest(line, match.end())
    match = _DOTTED_RE.match(line) or _HYPHENATED_RE.match(line)
    if match:
        printed = match["num"]
        parts = tuple(int(p) for p in re.split(r"[.-]", printed.rstrip(".")))
        number = Number(printed, "dotted", "", parts[-1], prefix=parts[:-1])
        return (number,), _rest(line, match.end())
    match = _DOTTED_LETTER_RE.match(line) or _NUMBERED_LETTER_RE.match(line)
    if match:
        token = match["t"]
        prefix = tuple(int(p) for p in match["pre"].split("."))
        deco = ("({})" if "(" in match["num"] else "{}") + match["dot"]
        kind = "lower" if token.islower() else "upper"
        value = ord(token.lower()) - ord("a") + 1
        number = Number(match["num"], kind, deco, value, prefix=prefix)
        return (number,), _rest(line, match.end())
    match = _VARIANT_RE.match(line)
    if match:
        variant = VARIANTS.index(match["v"].lower()) + 2
        deco = "{}." if match["num"].endswith(".") else "{}"
        number = Number(squash(match["num"]), "arabic", deco, int(match["n"]), variant)
        return (number,), _rest(line, match.end())
    for regex, deco in ((_PAREN_RE, "({})"), (_CLOSE_RE, "{})"), (_DOT_RE, "{}.")):
        match = regex.match(line)
        if match is None:
            continue
        token = match["t"]
        if match.groupdict().get("glued") and not token.isdigit():
            return None  # "A.Smith" is a name; only "1.Opening" loses its space in PDF text
        readings = _readings(token, deco, match["num"])
        return (readings, _rest(line, match.end())) if readings else None
    match = _BARE_RE.match(line) or _DASHED_RE.match(line)
    match = match or (_LOOSE_RE.match(line) if loose else None)
    if match:
        return (Number(match["num"], "arabic", "{}", int(match["t"])),), _rest(line, match.end())
    return None


def _rest(line: str, end: int) -> str:
    rest = line[end:]
    return rest[_TITLE_SEP.match(rest).end() :].strip()  # type: ignore[union-attr]


# -- bullets ------------------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^(?P<b>[-*+•·▪◦‣–]|\u2022)\s+(?=\S)")


def parse_bullet(text: str) -> tuple[str, str] | None:
    """``"- (a) Status"`` -> ``("-", "(a) Status")``; None when the line is not a bullet."""
    stripped = text.lstrip()
    match = _BULLET_RE.match(stripped)
    if match is None:
        return None
    return match["b"], stripped[match.end() :]


# -- clock times and durations ------------------------------------------------------------------

_CLOCK = (
    r"(?P<h{0}>\d{{1,2}})(?:(?P<sep{0}>[:.hH])(?P<m{0}>\d{{2}}))?"
    r"(?:\s*(?P<ap{0}>[aApP]\.?\s?[mM]\b\.?|noon\b|midday\b|midnight\b))?"
)
_RANGE_SEP = r"\s*(?:-|–|—|to\b|until\b|till\b)\s*"
_TIME_PREFIX_RE = re.compile(
    r"^(?:from\s+)?" + _CLOCK.format(1) + r"(?:" + _RANGE_SEP + _CLOCK.format(2) + r")?"
    r"(?:\s*(?:hrs|h)\b)?(?P<tail>\s*(?:[-–—:|]\s*|\s+|$))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day read from a document."""

    minutes: int  # since midnight
    explicit: bool  # said am/pm/noon or used 24-hour notation above 12
    dotted: bool  # written "10.30" without am/pm: could also be item number 10.30

    @property
    def hhmm(self) -> str:
        """``"09:30"``."""
        return f"{self.minutes // 60:02d}:{self.minutes % 60:02d}"


def _clock(match: re.Match[str], n: int, ampm_default: str | None = None) -> Clock | None:
    hour = int(match[f"h{n}"])
    minute = int(match[f"m{n}"]) if match[f"m{n}"] else 0
    ampm = (match[f"ap{n}"] or ampm_default or "").lower().replace(".", "").replace(" ", "")
    if minute > 59:
        return None
    if ampm in ("noon", "midday"):
        hour, ampm = 12, "pm"
    elif ampm == "midnight":
        hour, ampm = 0, ""
    if ampm in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif hour > 23:
        return None
    dotted = match[f"sep{n}"] == "." and not ampm
    return Clock(hour * 60 + minute, bool(ampm) or hour > 12, dotted)


@dataclass(frozen=True, slots=True)
class TimePrefix:
    """A clock time or slot a line starts with, and the rest of the line."""

    start: Clock
    end: Clock | None
    rest: str


# A parliament's running order, one stage of the day after another: "followed by Business
# Motions" opens the next stage (a Scottish Parliament business bulletin); "Followed by" or
# "Afterwards" alone on its line stands above it (a House of Commons order paper).
_FOLLOWED_BY_RE = re.compile(r"^followed\s+by\b[\s:,–—-]*(?P<rest>.*)$", re.IGNORECASE)
_CONNECTOR_RE = re.compile(
    r"^(?:followed\s+by|afterwards|thereafter|at\s+the\s+end\s+of\s+the\s+sitting)[\s:.,]*$",
    re.IGNORECASE,
)
_AT_TIME_RE = re.compile(r"^(?:at|from)\s+(?=\d)", re.IGNORECASE)
# The stages of a parliament's or a council's order of business, printed as headings of their
# own with the business under them: "Oral Questions to the Secretary of State for Transport",
# "Urgent Questions and Statements", "Adjournment Debate", "Members' Business", "Public
# questions", "Notices of motion", "Petitions".
_STAGE_RE = re.compile(
    r"^(?:(?:oral|urgent|topical|written|general|portfolio|public|members['’]?|councillors['’]?"
    r"|(?:prime|first)\s+minister['’]?s)\s+)?questions?\b(?!\s+(?:of|on|about|for)\b)"
    r"|^(?:oral\s+|ministerial\s+|written\s+)?statements?\b(?!\s+(?:of|on|about)\b)"
    r"|^(?!no\b)(?:[\w'’-]+\s+){0,3}debate\b(?!\s+(?:of|on)\b)"  # not "No debate (SO 52)"
    r"|^(?:time\s+for\s+reflection|decision\s+time|members['’]?\s+business|prayers"
    r"|(?:presentation\s+of\s+)?(?:public\s+)?petitions?|(?:notices?\s+of\s+)?motions?"
    r"(?:\s+(?:on|with|without)\s+notice)?|business\s+motions?|ten\s+minute\s+rule\b.*)$"
    r"|\bquestion\s+time$",
    re.IGNORECASE,
)


# What the Council of the European Union is to do with an item, printed under its title, often
# as a dashed line ("- Adoption", "- Policy debate on the employment situation", "- (poss.)
# General approach"): the item's procedure, its expected outcome, a note on it and not a
# sub-item. With an object, only the texts the Council and Coreper work on ("Endorsement of the
# final compromise text with a view to agreement", "Approval of the draft Council
# conclusions", "Mandate for negotiations with the European Parliament"): "- Approval of the
# minutes" under a board's item is a sub-item.
_COUNCIL_TEXTS = (
    r"(?:(?:final|draft|revised|agreed|presidency|council)\s+)*(?:compromise\s+(?:text|package)"
    r"|conclusions|mandate|(?:partial\s+)?general\s+approach|legislative\s+act|position"
    r"|decision|statement|recommendation|eu\s+position|text)"
)
_PROCEDURE_RE = re.compile(
    r"^(?:\(poss\.?\)\s*)?(?:adoption|approval|endorsement|confirmation"
    r"|(?:partial\s+)?general\s+approach|political\s+agreement"
    r"|progress\s+report|state\s+of\s+play|information\s+(?:from|by)\s+the\s+(?:presidency"
    r"|commission|delegations?)|presentation\s+by\s+the\s+(?:presidency|commission)"
    r"|(?:policy\s+debate|orientation\s+debate|exchange\s+of\s+views)(?:\s+on\s+.{1,80})?"
    r"|(?:adoption|approval|endorsement|confirmation|analysis)\s+of\s+the\s+" + _COUNCIL_TEXTS
    + r"(?:\s+(?:on|for|with|of|in|as)\s+.{1,80})?"
    r"|mandate\s+for\s+negotiations(?:\s+with\s+.{1,60})?|preparation\s+for\s+the\s+trilogue"
    r"|establishment\s+of\s+the\s+(?:eu|union)\s+position"
    r"|decision\s+to\s+use\s+the\s+written\s+procedure(?:\s+.{1,60})?)$",
    re.IGNORECASE,
)  # fmt: skip


# The end-of-day adjournment debate of an order paper, its subject on the line under it with
# the Member who raises it: "Flood defences in the Ouse valley: Ruth Moss" (older papers:
# "Proposed subject: Future of the A1 (Sir Alan Beith)").
_ADJOURNMENT_RE = re.compile(r"^(?:end[\s-]+of[\s-]+day\s+)?adjournment\s+debate$", re.IGNORECASE)
_SUBJECT_LABEL_RE = re.compile(r"^(?:proposed\s+)?subject\s*:\s*", re.IGNORECASE)


def is_adjournment_debate(title: str) -> bool:
    """Whether a stage is an order paper's adjournment debate, its subject not yet given."""
    return _ADJOURNMENT_RE.match(squash(title)) is not None


def debate_subject(text: str) -> tuple[str, list[str]]:
    """The subject of a debate and who raises it, from its line ("Subject: Member")."""
    line = _SUBJECT_LABEL_RE.sub("", squash(text))
    subject, colon, who = line.rpartition(":")
    names = split_names(who) if colon and subject.strip() else None
    return (subject.strip(), names) if names else (line, [])


# The questions to a minister, a stage of an order paper ("Oral Questions to the Secretary of
# State for Transport", "Topical Questions to ...", "Questions to the Prime Minister"), and its
# questions: each Member and seat, numbered in the order drawn ("1 Jane Smith (Northtown): What
# steps ...", "T1" topical; "1Anna Field (Northport)" pasted from the web page, the question on
# the line under it), the question ending with its own number in brackets ("(901103)").
_QUESTIONS_TO_RE = re.compile(
    r"^(?:(?:oral|topical)\s+questions?\b|questions?\s+to\b)", re.IGNORECASE
)
_QUESTION_NUMBER_RE = re.compile(r"\(\d{3,7}\)$")
_ASKED_BY_RE = re.compile(
    r"^(?:[TQ]?\d{1,3}\.?\s*)?[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,5}\s*\([^()]{2,80}\)"
    r"(?:\s*:\s*(?:what|how|if|when|whether|which|why|who|where|to)\b.*)?$",
    re.IGNORECASE,
)
_ASKED_RE = re.compile(r"^(?:what|how|if|when|whether|which|why|who|where|to)\b", re.IGNORECASE)
# the same without the seat, as the 2013 web page printed some ("1" / "Mark Tami" / "What ...
# (153883)", read as "1 Mark Tami: What ... (153883)"): the question and its number required
_ASKED_WITHOUT_SEAT_RE = re.compile(
    r"^[TQ]?\d{1,3}\.?\s*[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,5}\s*:\s*"
    r"(?:what|how|if|when|whether|which|why|who|where|to)\b.*\(\d{3,7}\)$",
    re.IGNORECASE,
)


def asks_questions(title: str) -> bool:
    """Whether a stage is the questions to a minister, its questions under it."""
    return _QUESTIONS_TO_RE.match(squash(title)) is not None


def ends_question(text: str) -> bool:
    """Whether a line ends as a question tabled for answer does: with its number, "(901103)"."""
    return _QUESTION_NUMBER_RE.search(text.rstrip()) is not None


def is_oral_question(text: str) -> bool:
    """Whether a line is (part of) a question on the order paper: the Member asking it, the
    question, or its number alone (see ``_ASKED_BY_RE``)."""
    line = squash(text)
    if _ASKED_BY_RE.match(line) or _ASKED_WITHOUT_SEAT_RE.match(line):
        return True
    return ends_question(line) and (_ASKED_RE.match(line) is not None or line.startswith("("))


def is_procedure(text: str) -> bool:
    """Whether a line says what is to be done with the item above it ("Adoption")."""
    return _PROCEDURE_RE.match(squash(text)) is not None


# A step of the meeting's procedure printed without a number above its first item: the opening
# ("Opening of the session" over "1  Adoption of the agenda" on an IMO agenda), the election of
# officers or the adoption of the agenda (``organizational_kind``), and a council's or a
# parliament's "Call to Order", "Roll Call", "Prayers", "Apologies for absence".
_PROCEDURAL_RE = re.compile(
    r"^(?:call\s+to\s+order|roll\s+call|prayers?|apologies(?:\s+for\s+absence)?"
    r"|welcome(?:\s+and\s+introductions?)?|invocation|pledge\s+of\s+allegiance)\W*$",
    re.IGNORECASE,
)
_PROCEDURAL_KINDS = ("opening", "officers", "agenda", "credentials")


def is_procedural(text: str) -> bool:
    """Whether a short unnumbered line names a step of the meeting's procedure, an item of the
    meeting in its own right (see ``_PROCEDURAL_RE``), not the heading of a part of it."""
    line = squash(text)
    if len(line) >= 80 or line.endswith(":"):
        return False  # "Opening of the session:" announces what follows it
    return organizational_kind(line) in _PROCEDURAL_KINDS or _PROCEDURAL_RE.match(line) is not None


# The parts a Council of the European Union agenda is divided into, printed between its items:
# "Legislative deliberations", "Non-legislative activities", "Discussion items (II)"
_COUNCIL_PART_RE = re.compile(
    r"^(?:legislative\s+deliberations|non-legislative\s+activities|discussion\s+items"
    r"|items\s+for\s+discussion)(?:\s*\((?:I{1,3})\))?$",
    re.IGNORECASE,
)


def is_council_part(text: str) -> bool:
    """Whether a line heads a part of a Council agenda ("Discussion items (II)"): a section
    heading, never more of the title above it."""
    return _COUNCIL_PART_RE.match(squash(text)) is not None


def is_stage(text: str) -> bool:
    """Whether a short line names a stage of an order of business (see ``_STAGE_RE``)."""
    return len(text) < 100 and _STAGE_RE.search(squash(text)) is not None


def followed_by(text: str) -> str | None:
    """The stage a running order's "followed by ..." line opens; None for other lines."""
    match = _FOLLOWED_BY_RE.match(text)
    return match["rest"].strip() if match is not None and match["rest"].strip() else None


def is_connector(text: str) -> bool:
    """Whether a line only says the next stage comes after the last ("Followed by")."""
    return _CONNECTOR_RE.match(text.strip()) is not None


def at_time(text: str) -> TimePrefix | None:
    """A time alone on its line as an order paper prints it above the business: "At 12.30pm"."""
    match = _AT_TIME_RE.match(text.strip())
    if match is None:
        return None
    timed = parse_time_prefix(text.strip()[match.end() :])
    return timed if timed is not None and not timed.rest else None


# How long the business above it may run, as an order paper prints it under a stage: "Until
# 7.00pm (Standing Order No. 14(2)(a))", "Until 7.30pm or for half an hour (whichever is
# later)", "until 10 pm", "Not later than 7.00 pm".
_UNTIL_RE = re.compile(r"^(?:until|till|(?:not|no)\s+later\s+than)\s+(?=\d)", re.IGNORECASE)


def until_time(text: str) -> Clock | None:
    """The time a line says the business above it runs until ("Until 7.30pm ..."), or None."""
    line = text.strip()
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1].strip()  # "(until 10 pm)"
    match = _UNTIL_RE.match(line)
    if match is None:
        return None
    timed = parse_time_prefix(line[match.end() :])
    return timed.start if timed is not None and timed.end is None else None


@functools.lru_cache(maxsize=8192)
def parse_time_prefix(text: str) -> TimePrefix | None:
    """Read ``"9:30am - Title"``, ``"10.00-13.00 Title"``, ``"15:00"``, ``"12 noon Title"``."""
    line = text.strip()
    if not line[:1].isdigit() and line[:5].lower() != "from ":
        return None
    match = _TIME_PREFIX_RE.match(line)
    if match is None:
        return None
    has_end = match["h2"] is not None

    def precise(n: int) -> bool:
        return bool(match[f"m{n}"] or match[f"ap{n}"])

    if not precise(1) and not (has_end and precise(2) and match["ap2"]):
        return None  # a bare "9" is a number, not a time
    if has_end and not precise(2):
        return None
    end = _clock(match, 2) if has_end else None
    start = _clock(match, 1)
    if has_end and not match["ap1"] and match["ap2"]:
        # "10-11 a.m." / "9.30-10.00am": the suffix of the end applies to the start too,
        # unless that would put the start after the end ("10 - 1 pm").
        same = _clock(match, 1, match["ap2"])
        if same is not None and end is not None and same.minutes <= end.minutes:
            start = same
    if start is None or (has_end and end is None):
        return None
    rest = line[match.end() :].strip()
    if not match["tail"] and rest:
        return None
    return TimePrefix(start, end, rest)


_DUR_CORE = (
    r"(?:(?P<h>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:h(?=\d|\b)|hrs?\b|hours?\b)\.?"
    r"(?:\s*(?P<hm>\d{1,2})(?:\s*(?:m\b|mins?\b|minutes?\b)\.?)?)?"
    r"|(?P<m>\d{1,3})(?:m\b|\s*(?:mins?\b|minutes?\b))\.?)"
)
_DUR_PAREN_RE = re.compile(
    r"\s*[(\[]\s*(?:approx\.?\s*|ca\.?\s*|~\s*)?" + _DUR_CORE + r"\s*[)\]]", re.IGNORECASE
)
_DUR_TRAIL_RE = re.compile(
    r"(?:^|\s*[,;|–—-]\s*|\s+)(?:approx\.?\s*|~\s*)?" + _DUR_CORE + r"\s*$", re.IGNORECASE
)
_DUR_END = re.compile(r"[hrsmne.\d]", re.IGNORECASE)  # the last character _DUR_TRAIL_RE can match
_DUR_ONLY_RE = re.compile(r"^\s*(?:approx\.?\s*|~\s*)?" + _DUR_CORE + r"\s*$", re.IGNORECASE)


def _duration_minutes(match: re.Match[str]) -> float | None:
    if match["h"]:
        total = float(match["h"].replace(",", ".")) * 60 + (int(match["hm"]) if match["hm"] else 0)
    else:
        total = float(match["m"])
    return total if 0 < total <= 24 * 60 else None


def parse_duration_text(text: str) -> float | None:
    """``"20 min"``, ``"1h30"``, ``"75 minutes"``, ``"15m"`` -> minutes; None otherwise."""
    match = _DUR_ONLY_RE.match(text)
    if match is None:
        bare = text.strip()
        return float(bare) if bare.isdigit() and 0 < int(bare) <= 24 * 60 else None
    return _duration_minutes(match)


def take_duration(text: str) -> tuple[float | None, str]:
    """Remove a planned duration from a title: ``(15m)`` anywhere, ``20 min`` at the end."""
    match = _DUR_PAREN_RE.search(text) if "(" in text or "[" in text else None
    if match and (minutes := _duration_minutes(match)) is not None:
        return minutes, squash(text[: match.start()] + " " + text[match.end() :])
    # a trailing duration ends in a unit, a digit or a full stop: most titles end otherwise
    match = _DUR_TRAIL_RE.search(text) if _DUR_END.match(text.rstrip()[-1:]) else None
    if match and match.start() > 0 and (minutes := _duration_minutes(match)) is not None:
        return minutes, text[: match.start()].rstrip()
    return None, text


# -- links --------------------------------------------------------------------------------------

MAX_URL = 2048
"""Longer than any real address; a longer "link" is left to the doubts, not the annotation."""
_URL_RE = re.compile(r"(?<![\w@/])(?:(?:https?|ftp)://|www\.)[^\s<>\"]+", re.IGNORECASE)
_URL_END = ".,;:!?'\u2019\u201d>"
# a URL in a title, with the brackets around it: "Draft charter (https://x.org/c)", "<https://...>"
_TITLE_URL_RE = re.compile(r"\s*(?:\(\s*<?|<)?(?:(?:https?|ftp)://|www\.)[^\s<>\"]+", re.IGNORECASE)


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation or unbalanced bracket written after it."""
    while url and (
        url[-1] in _URL_END
        or (url[-1] == ")" and url.count(")") > url.count("("))
        or (url[-1] == "]" and url.count("]") > url.count("["))
    ):
        url = url[:-1]
    return url


def find_urls(text: str) -> list[str]:
    """The web addresses written out in a text (``https://...``, ``www....``), in order."""
    if "://" not in text and "www." not in text.lower():
        return []  # most lines hold none: spare the regex
    found = (_trim_url(match.group()) for match in _URL_RE.finditer(text))
    return list(dict.fromkeys(url for url in found if url))


# A document a web agenda links an item to, named with its file's type and size as a
# council's meeting page prints it: "Minutes: PDF 210 KB", "Appendix A - Revenue budget,
# item 4 PDF 95 KB", "Report pdf icon PDF 268 KB", "Background paper (PDF, 1.2 MB)". The
# address is lost when the page is copied; the line is still the item's reference to it.
_ATTACHMENT_RE = re.compile(
    r"(?:^|(?<=[\s(\[,:;-]))(?P<icon>[a-z]{2,4}\s+icon\s+)?[(\[]?\s*"
    r"(?P<file>(?:pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf|csv|txt|zip)[\s,:;]+"
    r"\d{1,5}(?:[.,]\d{1,3})?\s?(?:[kmg]i?b|kbytes|bytes))\s*[)\]]?$",
    re.IGNORECASE,
)


def is_attachment(text: str) -> bool:
    """Whether a line names an attached document by its file's type and size."""
    return len(text) < 200 and _ATTACHMENT_RE.search(text.rstrip()) is not None


def attachment_line(text: str) -> str:
    """A line naming an attached file, without the alt text of the file's icon ("pdf icon")."""
    match = _ATTACHMENT_RE.search(text.rstrip())
    if match is None or match["icon"] is None:
        return text
    return squash(text[: match.start("icon")] + text[match.end("icon") :])


def take_attachment(title: str) -> tuple[str, str | None]:
    """A title without the attached file printed after it ("Motions on Notice pdf icon PDF
    268 KB" links the item to its report), and that file ("PDF 268 KB")."""
    match = _ATTACHMENT_RE.search(title.rstrip()) if len(title) < 400 else None
    if match is None or not title[: match.start()].strip(" -–—,:;"):
        return title, None
    return title[: match.start()].rstrip(" -–—,:;"), squash(match["file"])


def link_text(text: str, url: str) -> str:
    """How a link reads in an annotation: ``CAC/COSP/2020/1 (https://undocs.org/...)``."""
    text = squash(text)
    if not text or text == url or text.rstrip("/") == url.rstrip("/"):
        return url
    return f"{text} ({url})"


def strip_urls(title: str) -> str:
    """A title without the addresses written in it (they are kept in the annotation)."""
    if "://" not in title and "www." not in title.lower():
        return title
    out: list[str] = []
    position = 0
    for match in _TITLE_URL_RE.finditer(title):
        if match.start() < position:
            continue
        found = match.group()
        opened = found.lstrip()[:1] if found.lstrip()[:1] in "(<" else ""
        url = _trim_url(found.lstrip(" (<"))
        end = match.start() + found.find(url) + len(url) if url else match.end()
        # the brackets that closed around the address go with it
        if "<" in found[: found.find(url) if url else 0] and title[end : end + 1] == ">":
            end += 1
        if opened == "(":
            close = re.match(r"\s*\)", title[end:])
            if close is not None:
                end += close.end()
        out.append(title[position : match.start()])
        position = end
    out.append(title[position:])
    return squash("".join(out))


# -- document symbols ---------------------------------------------------------------------------

# a fascicle of the UN budget is a part of its symbol: "A/78/6 (Sect. 29A)"
_SYMBOL_RE = re.compile(
    r"(?<![\w/])[A-Z][A-Z0-9.\-]{0,15}(?:/[A-Za-z0-9.\-]{1,20}){2,8}"
    r"(?:\s?\((?:Sect|Part|Vol)\.?\s?[0-9IVX]{1,4}[A-Z]?\))?"
)


# Symbols with one slash or none, recognised only where a title ends or a line holds nothing
# else (anywhere in running text "2/5" or "2024/25" would be read as documents): WHO "A71/4" and
# "EB156/3", EU Council "10725/22" (and "10725/22 ADD 1", "10725/1/22 REV 1", "10725/22 + ADD 1"
# for the document and its addendum, and the register's form "ST 10725 2022 INIT"), committee
# papers "AC(25)07".
_EU_SUFFIX = r"(?:ADD|REV|COR)\s?\d{1,2}"
_SHORT_SYMBOL = (
    r"(?:[A-Z]{1,3}\d{2,3}/(?:[A-Z]{1,4}\.?)?\d{1,3}(?:\s+(?:Rev|Add|Corr)\.\s?\d{1,2})*"
    r"|\d{4,5}(?:/\d{1,2})?/\d{2}(?:(?:\s+|\s*\+\s*)" + _EU_SUFFIX + r")*"
    r"|ST\s\d{4,5}\s(?:19|20)\d\d\s(?:INIT|" + _EU_SUFFIX + r")(?:\s" + _EU_SUFFIX + r")*"
    r"|[A-Z]{1,5}\(\d{2}\)\d{1,3}"
    # IMO: the organ's initials, its session and the document's number, "MSC 107/1",
    # "MEPC 80/7/2", "LEG 110/1/Add.1", "MSC 106/WP.4", "ISWG-GHG 16/1"
    r"|(?:[A-Z]{1,4}|[A-Z]{2,4}-[A-Z]{2,4}) \d{1,3}/(?:(?:INF|WP|CRP|J)\.)?\d{1,3}(?:/\d{1,3})*"
    r"(?:/(?:Add|Rev|Corr)\.\d{1,2})*"
    r"|ISO/(?:TC|JTC)\s?\d{1,3}(?:/SC\s?\d{1,3})?\s+N\s?\d{1,5})"
)
_SHORT_SYMBOL_RE = re.compile(r"(?<![\w/])" + _SHORT_SYMBOL + r"(?![\w/])")
_ANY_SYMBOL = r"(?:" + _SYMBOL_RE.pattern + r"|" + _SHORT_SYMBOL + r")"
# "A/57/11 and Add.1": the addendum of the symbol before it
_ADDENDUM_RE = re.compile(
    r"(?P<base>"
    + _SYMBOL_RE.pattern
    + r")(?P<more>(?:\s*(?:,|and|&)\s*(?:Add|Rev|Corr)\.\d{1,2})+)"
)
# a title ending in symbols: "Universal health coverage A79/4", "... 14577/25 14578/25"
_TRAIL_SYMBOLS_RE = re.compile(
    r"(?:\s+|\s*[,;]\s*)(?P<symbols>" + _ANY_SYMBOL + r"(?:\s*(?:,|;|and|&)?\s*" + _ANY_SYMBOL
    + r")*)\s*$"
)  # fmt: skip


# "10120/25 + ADD 1": the Council document and its addendum, two documents
_EU_ADDENDUM_RE = re.compile(
    r"(?<![\w/])(?P<base>\d{4,5}(?:/\d{1,2})?/\d{2})"
    r"(?P<more>(?:\s*\+\s*(?:ADD|COR)\s?\d{1,2}(?:\s+(?:REV|COR)\s?\d{1,2})*)+)"
)


def _expand_addenda(text: str) -> str:
    def expand(match: re.Match[str]) -> str:
        base = match["base"]
        parts = re.findall(r"(?:Add|Rev|Corr)\.\d{1,2}", match["more"])
        return " ".join([base, *(f"{base}/{part}" for part in parts)])

    def expand_eu(match: re.Match[str]) -> str:
        base = match["base"]
        parts = [squash(part) for part in match["more"].split("+") if part.strip()]
        return " ".join([base, *(f"{base} {part}" for part in parts)])

    return _EU_ADDENDUM_RE.sub(expand_eu, _ADDENDUM_RE.sub(expand, text))


def find_documents(text: str) -> list[str]:
    """UN-style document symbols in a text: ``CAC/COSP/2020/1``, ``A/HRC/35/L.12``."""
    out: list[str] = []
    for match in _SYMBOL_RE.finditer(_expand_addenda(text)):
        symbol = match.group().rstrip(".-")
        if any(ch.isdigit() for ch in symbol) and symbol not in out:
            out.append(symbol)
    return out


def _year_span(symbol: str) -> bool:
    span = re.fullmatch(r"(?:19|20)(\d\d)/(\d\d)", symbol)
    return span is not None and int(span[2]) == (int(span[1]) + 1) % 100


def only_documents(text: str) -> list[str] | None:
    """The symbols when a text is nothing but symbols (and separators), else None.

    Here the short forms count too ("A71/4", "10725/22", "AC(25)07"): nothing else is on the line.
    """
    text = _expand_addenda(text)
    documents = find_documents(text)
    for match in _SHORT_SYMBOL_RE.finditer(_SYMBOL_RE.sub(" ", text)):
        if _year_span(match.group()):
            return None  # "2024/25" is a season, not a Council document
        if match.group() not in documents:
            documents.append(squash(match.group()))
    if not documents:
        return None
    rest = _SHORT_SYMBOL_RE.sub("", _SYMBOL_RE.sub("", text))
    rest = re.sub(r"(?i)\b(?:and|documents?|documentation|docs?|see|papers?|ref)\b", "", rest)
    # the edition a symbol names: WHO's "EB156/1 (annotated)", "A78/1 (draft)"
    rest = re.sub(r"(?i)\((?:annotated|draft)\)", "", rest)
    return documents if not re.sub(r"[\s,;:.()\[\]&/-]", "", rest) else None


# Footnote markers glued to the end of a title: "...Assembly.1", "...2002).3", "...Summit.[2]",
# "...(A/57/11 and Add.1)*)", "...Committee¹".
_FOOTNOTE_MARK_RE = re.compile(
    r"(?:\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s*\[\d{1,2}\]|\s*\*+\)?|(?<=[A-Za-z)])\.\d{1,2})$"
)


# the last character of every footnote marker; "\n" because ``$`` also matches before one
_FOOTNOTE_MARK_ENDS = frozenset("¹²³⁴⁵⁶⁷⁸⁹⁰]*)\n")


def strip_footnote_marks(title: str) -> str:
    """The title without the footnote markers printed at its end."""
    for _ in range(3):
        if not title or (title[-1] not in _FOOTNOTE_MARK_ENDS and not title[-1].isdecimal()):
            break  # no marker can end here: spare the regex a scan of the whole title
        shorter = _FOOTNOTE_MARK_RE.sub("", title)
        if shorter == title:
            break
        title = shorter.rstrip()
    return title


# A footnote's number printed after a sentence's last word and stop: at a paragraph's end, or
# before the next sentence. Not after a capital (``annex I.2``) or a digit (``section 3.1``).
_SENTENCE_MARK_RE = re.compile(r"(?<=[a-z)][.;:])(?:\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})(?=$| [A-Z])")


def strip_sentence_marks(paragraph: str) -> str:
    """A paragraph without the footnote numbers printed after its sentences (``officers.1``)."""
    return _SENTENCE_MARK_RE.sub("", paragraph)


# -- presenters ---------------------------------------------------------------------------------

_HONORIFICS = {
    "mr", "mrs", "ms", "mx", "dr", "prof", "professor", "sir", "dame", "he", "h.e", "hon",
    "ambassador", "judge", "justice", "rev", "lord", "lady", "herr", "frau", "m", "mme", "mlle",
    "sr", "sra", "dra", "don", "doña", "г-н", "г-жа", "гн", "гжа", "д-р", "проф",
}  # fmt: skip
_ROLES = {
    "chair", "chairperson", "chairman", "chairwoman", "co-chair", "co-chairs", "president",
    "vice-president", "vice-chair", "secretary", "secretary-general", "secretariat",
    "rapporteur", "treasurer", "director", "minister", "coordinator", "facilitator",
    "co-facilitators", "co-facilitator", "moderator", "bureau", "board", "speaker", "convenor",
    "chief", "head", "officer", "registrar", "dean", "mayor", "clerk",
    # "Заместитель Председателя" (Vice-Chair) starts with a word that is no title alone.
    "заместитель",
} | role_words()  # fmt: skip

_PARTICLES = {
    "de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la",
    "le", "du", "al", "el", "bin", "bint", "ibn", "y", "e", "of", "the", "and", "&",
}  # fmt: skip
_NOT_NAMES = {
    "continued", "cont", "contd", "cont'd", "if", "any", "closed", "private", "public", "open",
    "tbc", "tbd", "draft", "optional", "resumed", "concluded", "part", "annex", "item", "items",
    "agenda", "session", "meeting", "debate", "discussion", "vote", "votes", "voting",
    "decision", "decisions", "report", "reports", "update", "updates", "questions", "question",
    "review", "amendment", "amendments", "bill", "motion", "resolution", "resolutions",
    "statement", "statements", "panel", "presentation", "presentations", "introduction",
    "general", "informal", "formal", "plenary", "online", "hybrid", "virtual", "in-person",
    "english", "french", "spanish", "russian", "arabic", "chinese", "see", "note", "notes",
    "day", "morning", "afternoon", "evening", "new", "first", "second", "third", "reading",
    "opening", "closing", "closure", "adoption", "election", "elections", "other", "matters",
    "business", "minutes", "summary", "break", "lunch", "all", "everyone", "team", "teams",
}  # fmt: skip
_PRESENTED_BY_RE = re.compile(
    r"^(?:presented|introduced|led|chaired|moderated|facilitated)\s+by\s+(?P<who>.+)$"
    r"|^(?:presenters?|speakers?|lead|leads|moderators?|facilitators?|by|with)\s*:?\s+(?P<who2>.+)$",
    re.IGNORECASE,
)


def _name_like(name: str) -> bool:
    words = name.replace(",", " ").split()
    if not words or len(words) > 7 or any(ch.isdigit() for ch in name):
        return False
    lowered = [w.lower().strip(".()'’") for w in words]
    if any(w in _NOT_NAMES for w in lowered):
        return False
    if lowered[0] in _ROLES or lowered[0] in _HONORIFICS:
        return True
    capitalised = 0
    for word, low in zip(words, lowered, strict=True):
        core = word.strip(".()'’")
        if low in _PARTICLES:
            continue
        if not core or not core[0].isupper():
            return False
        if core[1:].islower() or "-" in core or "'" in core or "’" in core:
            capitalised += 1
        elif not (len(core) <= 2 or core.isupper()):
            return False
    return capitalised > 0


def split_names(text: str) -> list[str] | None:
    """``"Ana Ruiz and Ben Ode"`` -> both names; None unless every part looks like a name."""
    who = text.strip().strip(".")
    match = _PRESENTED_BY_RE.match(who)
    if match:
        who = match["who"] or match["who2"]
    parts = [p.strip() for p in re.split(r"\s*(?:;|,|/|&|\band\b)\s*", who) if p.strip()]
    if not parts or not all(_name_like(p) for p in parts):
        # "Ms. Ana Ruiz, Chair" is one person and a role, not two people
        return [who] if _name_like(who) and "," in who else None
    if len(parts) > 1 and all(p.lower().strip(".") in _HONORIFICS | _ROLES for p in parts[1:]):
        return [who]  # "Ms. Ana Ruiz, Chair"
    if len(parts) == 2 and parts[0].lower() in _ROLES and "," in who:
        return [who]  # "Director, Internal Audit"
    honorific = parts[0].split()[0].lower().strip(".") in _HONORIFICS
    if len(parts) == 2 and honorific and " " not in parts[1] and "," in who:
        return [who]  # "Herr Keller, Bauamt": a person and the office they speak for
    return parts


_TRAIL_PAREN_RE = re.compile(r"\s*\((?P<inner>[^()]{1,120})\)\s*$")
# one level of brackets inside: "(AC(25)07)"
_TRAIL_NESTED_RE = re.compile(r"\s*\((?P<inner>[^()]{0,40}\([^()]{1,20}\)[^()]{0,40})\)\s*$")
# the part after the last spaced dash: "Panel - Part 2 - Ana Ruiz" -> "Ana Ruiz"
_TRAIL_DASH_RE = re.compile(r"\s+(?:--|[-–—])\s+(?P<inner>(?:(?!\s(?:--|[-–—])\s).){1,120})$")
# a duration before the title: "20 min - Title", "5 min: Title"
_LEAD_DURATION_RE = re.compile(
    r"^(?P<m>\d{1,3})\s*(?:min(?:ute)?s?|mins?|')\.?\s*(?:--|[-–—:|])\s+(?=\S)", re.IGNORECASE
)


_BODIES = {"presidency", "commission", "secretariat", "council", "bureau", "chairs", "staff"}


def _presenters(inner: str, regex: re.Pattern[str]) -> list[str] | None:
    """Names after a title; one word after a dash only when it names a role ("-- Treasurer"):
    "Bebauungsplan – Aufstellungsbeschluss" is a title in two parts."""
    if regex is _TRAIL_DASH_RE and " " not in inner.strip():
        word = inner.strip().strip(".").lower()
        if word not in _ROLES and word not in _BODIES and word.rstrip("s") not in _ROLES:
            return None
    return split_names(inner)


@dataclass(slots=True)
class Extras:
    """What a title carried besides its words."""

    minutes: float | None = None
    presenters: list[str] | None = None
    documents: list[str] | None = None
    attachment: str | None = None  # "PDF 268 KB": the file a web agenda links the title to


def take_extras(title: str) -> tuple[str, Extras]:
    """Split a raw title into its words and the duration, presenters and documents it carried.

    Trailing groups are read right to left: ``"Incident review - Ben Ode (45 min)"`` gives the
    title "Incident review", 45 minutes and presenter "Ben Ode". A group that is none of these
    stays in the title.
    """
    extras = Extras()
    text, extras.attachment = take_attachment(strip_footnote_marks(strip_urls(squash(title))))
    lead = _LEAD_DURATION_RE.match(text)
    if lead is not None:
        extras.minutes, text = float(lead["m"]), text[lead.end() :]
    for _ in range(6):
        text = strip_footnote_marks(text)
        if text.endswith((").", "].")):
            text = text[:-1]  # the list's full stop after a closing bracket
        # every symbol has a slash or a bracket: most titles skip the costly search
        symbols = (
            _TRAIL_SYMBOLS_RE.search(text) if "/" in text or "(" in text or "ST " in text else None
        )
        if symbols is not None and symbols.start() > 0 and extras.documents is None:
            extras.documents = only_documents(symbols["symbols"])
            if extras.documents:
                text = text[: symbols.start()].rstrip(" ,;-–—")
                continue
        minutes, shorter = take_duration(text)
        if minutes is not None and extras.minutes is None and shorter:
            extras.minutes, text = minutes, shorter
            continue
        taken = False
        for regex in (_TRAIL_PAREN_RE, _TRAIL_NESTED_RE, _TRAIL_DASH_RE):
            match = regex.search(text)
            if match is None or match.start() == 0:
                continue
            inner = match["inner"].strip()
            documents = only_documents(inner)
            if documents and extras.documents is None:
                extras.documents = documents
            elif extras.presenters is None and (names := _presenters(inner, regex)):
                extras.presenters = names
            else:
                continue
            text = text[: match.start()].rstrip(" ,;-–—")
            taken = True
            break
        if not taken:
            break
    return text, extras


# -- dates --------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janvier", "enero", "januar", "jänner"),
            ("february", "feb", "février", "fevrier", "févr", "febrero", "februar"),
            ("march", "mar", "mars", "marzo", "märz", "maerz"),
            ("april", "apr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "junio", "juni"),
            ("july", "jul", "juillet", "julio", "juli"),
            ("august", "aug", "août", "aout", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre", "setiembre"),
            ("october", "oct", "octobre", "octubre", "oktober", "okt"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "décembre", "decembre", "diciembre", "dezember", "dez"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
"""Month names and abbreviations in English, French, Spanish and German."""
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon", "lundi", "lunes", "montag"),
            ("tuesday", "tue", "tues", "mardi", "martes", "dienstag"),
            ("wednesday", "wed", "mercredi", "miércoles", "miercoles", "mittwoch"),
            ("thursday", "thu", "thur", "thurs", "jeudi", "jueves", "donnerstag"),
            ("friday", "fri", "vendredi", "viernes", "freitag"),
            ("saturday", "sat", "samedi", "sábado", "sabado", "samstag", "sonnabend"),
            ("sunday", "sun", "dimanche", "domingo", "sonntag"),
        ]
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = re.compile(
    r"\b(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?,?", re.IGNORECASE
)
_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?(?:\s+de)?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
# "10 a 14 de marzo", "du 14 au 18 juin", "vom 3. bis 5. Mai", "19 y 20 de noviembre"
_TO = r"\s*(?:-|–|—|to|and|until|through|al?|au|bis|y|et|und)\s*"
_DATE_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # 19-20 November 2020 / 30 November-2 December 2021 / 28 December 2020-3 January 2021
        _DAY.format("d1") + r"(?:\s+" + _MONTH.format("m1") + r"(?:,?\s+" + _YEAR.format("y1")
        + r")?)?" + _TO + _DAY.format("d2") + r"\s+" + _MONTH.format("m2")
        + r"(?:,?\s+(?:de\s+)?" + _YEAR.format("y2") + r")?",
        # November 19-20, 2020 / November 30 - December 2, 2021
        _MONTH.format("m1") + r"\s+" + _DAY.format("d1") + _TO + r"(?:" + _MONTH.format("m2")
        + r"\s+)?" + _DAY.format("d2") + r"(?:,?\s+" + _YEAR.format("y2") + r")?",
        # 19 November 2020
        _DAY.format("d1") + r"\s+" + _MONTH.format("m1") + r"(?:,?\s+(?:de\s+)?" + _YEAR.format("y1")
        + r")?",
        # November 19, 2020
        _MONTH.format("m1") + r"\s+" + _DAY.format("d1") + r"(?:,?\s+" + _YEAR.format("y1") + r")?",
        # 2020-11-19 (- 2020-11-20)
        r"(?P<iso1>\d{4}-\d\d-\d\d)(?:" + _TO + r"(?P<iso2>\d{4}-\d\d-\d\d))?",
    )
]  # fmt: skip
MAX_MEETING_DAYS = 31
_MONTH_OR_ISO_RE = re.compile(
    r"\d{4}-\d\d-\d\d|(?<![^\W\d_])(?:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateSpan:
    """Dates read from a text; ``year_known`` is False when the year was filled in."""

    dates: tuple[dt.date, ...]
    year_known: bool
    weekday: int | None  # the weekday the text named, to check it against the date


def parse_dates(text: str, default_year: int | None = None) -> DateSpan | None:
    """Read a date or a date range that makes up the whole of ``text``.

    A date without a year takes ``default_year`` (``year_known`` is then False).
    """
    if len(text) > 120 or not any(ch.isdigit() for ch in text):
        return None
    if _MONTH_OR_ISO_RE.search(text) is None:
        return None  # most lines: one search instead of every date form
    weekdays = [WEEKDAYS[m.group().lower().rstrip(".,")] for m in _WEEKDAY_RE.finditer(text)]
    core = _WEEKDAY_RE.sub(" ", text)
    core = squash(
        re.sub(r"^(?:on|from|du|del|vom|le|el|am)\s+", "", squash(core), flags=re.IGNORECASE)
    )
    core = core.strip(" ,.;:()")
    if not core:
        return None
    for form in _DATE_FORMS:
        match = form.fullmatch(core)
        if match is None:
            continue
        try:
            dates, year_known = _span(match, default_year)
        except ValueError:
            return None
        return DateSpan(dates, year_known, weekdays[0] if len(weekdays) == 1 else None)
    return None


def _span(match: re.Match[str], default_year: int | None) -> tuple[tuple[dt.date, ...], bool]:
    groups = match.groupdict()
    if groups.get("iso1"):
        first = dt.date.fromisoformat(groups["iso1"])
        last = dt.date.fromisoformat(groups["iso2"]) if groups.get("iso2") else first
        return _range(first, last), True
    year_text = groups.get("y2") or groups.get("y1")
    # Without a year anywhere a leap year stands in, so "29 February" still reads; the caller
    # sees year_known False and decides.
    year = int(year_text) if year_text else (default_year or 2000)
    m1 = MONTHS[groups["m1"].lower()] if groups.get("m1") else None
    m2 = MONTHS[groups["m2"].lower()] if groups.get("m2") else None
    month_first = m1 or m2
    month_last = m2 or m1
    assert month_first is not None and month_last is not None
    year_first = int(groups["y1"]) if groups.get("y1") and groups.get("y2") else year
    first = dt.date(year_first, month_first, int(groups["d1"]))
    if groups.get("d2"):
        last = dt.date(year, month_last, int(groups["d2"]))
        if last < first and not groups.get("y1") and month_last < month_first:
            first = first.replace(year=year - 1)  # "28 December - 3 January 2021"
        return _range(first, last), year_text is not None
    return (first,), year_text is not None


def _range(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """Every day of a short meeting; the first and last day of a long session."""
    days = (last - first).days
    if days < 0 or days > 366:
        raise ValueError("not a meeting's dates")
    if days >= MAX_MEETING_DAYS:
        return (first, last)
    return tuple(first + dt.timedelta(days=n) for n in range(days + 1))


# -- capitals ------------------------------------------------------------------------------------

# Words a heading in capitals keeps in lower case inside a title ("Sub-Committee on
# Implementation of IMO Instruments"), in the languages of the agendas read here.
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "against",
        "via",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "en",
        "au",
        "aux",
        "pour",
        "sur",
        "del",
        "el",
        "los",
        "las",
        "y",
        "e",
        "o",
        "para",
        "por",
        "con",
        "der",
        "die",
        "das",
        "und",
        "für",
        "von",
        "zur",
        "zum",
    ]
)
# Acronyms a heading in capitals names without the document showing them otherwise.
_ACRONYMS = frozenset(
    [
        "UN",
        "UNODC",
        "UNFCCC",
        "UNESCO",
        "UNEP",
        "UNDP",
        "UNICEF",
        "WHO",
        "ILO",
        "FAO",
        "IMO",
        "ICAO",
        "ITU",
        "WMO",
        "WIPO",
        "IAEA",
        "OPCW",
        "WTO",
        "EU",
        "EEZ",
        "MARPOL",
        "SOLAS",
        "STCW",
        "COLREG",
        "UNCLOS",
        "IMDG",
        "ISM",
        "ISPS",
        "MASS",
        "GHG",
        "LDC",
        "LDCS",
        "SIDS",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+[^\W\d_]*")


def shown_in_capitals(texts: list[str]) -> frozenset[str]:
    """The words a document prints in capitals amid lower-case text ("IMO Headquarters",
    "MARPOL Annex VI"): its own acronyms, which a heading in capitals keeps so."""
    found: set[str] = set()
    for text in texts:
        if text.isupper() or not any(c.islower() for c in text):
            continue  # a line in capitals shows nothing of how its words are spelt
        found.update(w for w in _WORD_RE.findall(text) if len(w) > 1 and w.isupper())
    return frozenset(found)


def title_case(text: str, acronyms: frozenset[str] = frozenset(), *, sentence: bool = False) -> str:
    """A heading printed in capitals as the title it names: "SUB-COMMITTEE ON IMPLEMENTATION
    OF IMO INSTRUMENTS" -> "Sub-Committee on Implementation of IMO Instruments"; small words
    in lower case but the first, acronyms (``acronyms``, the known ones, roman numerals) kept.
    ``sentence``: only the first word capitalised ("THIRTY-THIRD REGULAR SESSION" ->
    "Thirty-third regular session", "33RD SESSION" -> "33rd session"). Text that is not all
    in capitals is returned as it is."""
    if not text.isupper():
        return text
    first = True

    def word(match: re.Match[str]) -> str:
        nonlocal first
        token = match.group()
        at_start, first = first, False
        if token in acronyms or token in _ACRONYMS or (len(token) > 1 and roman_value(token)):
            return token
        lower = token.lower()
        if token[0].isdigit() or (not at_start and (sentence or lower in _SMALL_WORDS)):
            return lower
        return lower[:1].upper() + lower[1:]

    # each part of a hyphenated word is a word: "SUB-COMMITTEE" -> "Sub-Committee"; in a
    # sentence only the first word's first part is capitalised ("Thirty-third")
    return _WORD_RE.sub(word, text)


# -- headings that are not items ----------------------------------------------------------------

_HEADING_NUMBER = r"^(?:(?:[IVX]{1,4}|[A-H])[.)]\s+|part\s+(?:[IVX]{1,4}|\d{1,2})[.:]?\s+)?"
_ORGANIZATION_OF_WORK = r"(?:proposed\s+)?organi[sz]ation\s+of\s+(?:the\s+)?work"
AGENDA_HEADING_RE = re.compile(
    _HEADING_NUMBER
    + r"(?:(?:revised|annotated|draft|provisional|preliminary|tentative|proposed|final|adopted"
    r"|updated)\s+)*(?:provisional\s+)?"
    r"(?:agenda|order\s+of\s+(?:the\s+)?day|orders\s+of\s+the\s+day|order\s+of\s+business"
    r"|order\s+paper|programme(?:\s+of\s+work)?|program(?:\s+of\s+work)?"
    r"|ordre\s+du\s+jour(?:\s+provisoire)?(?:\s+et\s+annotations)?"
    r"|orden\s+del\s+d[íi]a(?:\s+provisional)?(?:\s+y\s+anotaciones)?"
    r"|programa(?:\s+provisional)?|tagesordnung|running\s+order|timetable|agenda\s+items)"
    # "Provisional agenda, annotations and proposed organization of work"
    r"(?:(?:\s*,\s*|\s+(?:and|with)\s+)(?:annotations|" + _ORGANIZATION_OF_WORK + r")){0,2}"
    # "PROVISIONAL AGENDA FOR THE ONE HUNDRED AND TWENTY-EIGHTH REGULAR SESSION OF THE COUNCIL"
    # a footnote's number glued to the heading: "PROVISIONAL AGENDA1" (an IMO agenda's)
    r"(?:\s+(?:for|of)\s+.{1,100})?(?:(?<=[A-Za-z])\d{1,2})?\s*[*:]*$",
    re.IGNORECASE,
)
_SHORT_HEADING = 80


def heads_agenda(text: str) -> bool:
    """Whether a line reads as an agenda heading (``AGENDA_HEADING_RE``): "Provisional
    agenda", "PROVISIONAL AGENDA FOR THE ONE HUNDRED AND TWENTY-EIGHTH REGULAR SESSION OF THE
    COUNCIL"; but a long one giving a date announces the meeting ("Agenda for the meeting to
    be held on Wednesday, 12 March 2025 at 2.15 pm in the Old Library")."""
    if AGENDA_HEADING_RE.match(text) is None:
        return False
    dated = any(ch.isdigit() for ch in text) and _MONTH_OR_ISO_RE.search(text) is not None
    return len(text) <= _SHORT_HEADING or not dated


ANNOTATIONS_HEADING_RE = re.compile(
    _HEADING_NUMBER + r"(?:annotations?(?:\s+to\s+the\s+(?:\w+\s+)?agenda)?|explanatory\s+notes"
    r"|notes\s+on\s+the\s+(?:\w+\s+)?agenda)\s*[*:]*$",
    re.IGNORECASE,
)
END_HEADING_RE = re.compile(r"^(?:Annex(?:es)?|ANNEX(?:ES)?|Appendix|APPENDIX)\b[^.]{0,60}$")
# Headings of what follows an agenda, whether or not a blank line stands above them: the written
# statements an order paper lists after the business of the sitting (published, not taken up in
# the Chamber, numbered from 1 again), and the proposed organization of work a UN agenda annexes
# after its annotations (a timetable repeating the items by day).
AFTER_AGENDA_RE = re.compile(
    r"^(?:written\s+(?:ministerial\s+)?statements"
    # the notes an IMO agenda prints under its items: deadlines for documents, the timetable
    r"|notes"
    r"|(?:annex\b[\sIVX\d.:–-]*)?proposed\s+organi[sz]ation\s+of\s+(?:the\s+)?work\b[^.]{0,60})"
    r"\s*:?$",
    re.IGNORECASE,
)

_PART_WORDS = r"morning|afternoon|evening|night|forenoon|lunchtime"
# A sitting ("the 1st meeting", "Second sitting") is a part of a day; a session ("Third
# session") is the whole series of sittings, the meeting itself - neither a day nor a part of one.
_ORDINAL_WORDS = r"first|second|third|fourth|fifth|sixth|seventh"
_SITTING_NAME = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|" + _ORDINAL_WORDS + r")\s+(?:plenary\s+)?(?:meeting|sitting)"
)
PART_RE = re.compile(
    r"^(?P<part>(?:" + _PART_WORDS + r")(?:\s+(?:session|sitting|meeting|block|plenary))?"
    r"|" + _SITTING_NAME + r")\b\s*[,:.–—-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DAY_N_RE = re.compile(
    r"^(?:day\s+(?P<n>\d{1,2}|one|two|three|four|five|six|seven)"
    r"|(?P<nth>\d{1,2}(?:st|nd|rd|th)|" + _ORDINAL_WORDS + r")\s+day)"
    r"\b\s*[,:.–—-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DAY_START_WORDS = {
    "day", "morning", "afternoon", "evening", "night", "forenoon", "lunchtime", "first",
    "second", "third", "fourth", "fifth", "sixth", "seventh", *MONTHS, *WEEKDAYS,
}  # fmt: skip
_DAY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NTH_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}  # fmt: skip
_SLOT_RE = re.compile(r"\(?\s*(?P<slot>[^()]*\d[^()]*)\)?\s*$")


@dataclass(frozen=True, slots=True)
class Slot:
    """A time span printed with a heading ("Morning (10:00-13:00)")."""

    start: Clock
    end: Clock | None


def parse_slot(text: str) -> Slot | None:
    """A line or a parenthesis holding only a clock time or a slot."""
    match = _SLOT_RE.fullmatch(text.strip())
    if match is None:
        return None
    parsed = parse_time_prefix(match["slot"].strip())
    if parsed is None or parsed.rest:
        return None
    return Slot(parsed.start, parsed.end)


@dataclass(frozen=True, slots=True)
class DayHeading:
    """A heading that opens a day or a part of a day of the programme."""

    label: str
    day_index: int | None = None  # "Day 2" -> 2
    dates: DateSpan | None = None
    part: str | None = None  # "Morning", "1st meeting"
    slot: Slot | None = None


def parse_part(text: str) -> tuple[str, Slot | None] | None:
    """``"Morning (10:00-13:00)"`` -> ("Morning", slot); None when not a part-of-day heading."""
    match = PART_RE.match(text.strip())
    if match is None:
        return None
    rest = match["rest"].strip()
    slot = None
    if rest:
        slot = parse_slot(rest)
        if slot is None:
            inner = PART_RE.match(rest.strip("() "))  # "Morning, 1st meeting"
            if inner is None:
                return None
            slot = parse_slot(inner["rest"]) if inner["rest"].strip() else None
            if inner["rest"].strip() and slot is None:
                return None
            return f"{squash(match['part'])}, {squash(inner['part'])}", slot
    return squash(match["part"]), slot


@functools.lru_cache(maxsize=8192)
def parse_day_heading(text: str, default_year: int | None) -> DayHeading | None:
    """Read "Day 1", "Thursday 19 November", "Day 2 - Friday, 20 November 2020", "Morning"."""
    line = squash(text).rstrip(":")
    if not line or len(line) > 90:
        return None
    first = line.split(" ", 1)[0].lower().rstrip(",.:;")
    if not (first[:1].isdigit() or first in _DAY_START_WORDS):
        return None  # most lines: no need to try the patterns
    part = parse_part(line)
    if part is not None:
        return DayHeading(label=part[0], part=part[0], slot=part[1])
    match = _DAY_N_RE.match(line)
    index = None
    rest = line
    if match:
        raw = (match["n"] or match["nth"]).lower()
        digits = raw.rstrip("stndrh")  # "3rd" -> "3"
        index = int(digits) if digits.isdigit() else {**_DAY_WORDS, **_NTH_WORDS}[raw]
        rest = match["rest"].strip()
    slot = None
    part_label = None
    # "Thursday 19 November, morning (10:00-13:00)" / "Monday 2 March, 09:00-17:30"
    pieces = [p.strip() for p in re.split(r",\s*|\s+[-–—]\s+|\s*\(\s*|\s*\)\s*", rest) if p.strip()]
    kept: list[str] = []
    for piece in pieces:
        as_part = parse_part(piece)
        as_slot = parse_slot(piece)
        if as_slot is not None:
            slot = as_slot
        elif as_part is not None:
            part_label = as_part[0]
            slot = as_part[1] or slot
        else:
            kept.append(piece)
    date_text = " ".join(kept)
    dates = parse_dates(date_text, default_year) if date_text else None
    if date_text and dates is None:
        only_weekday = _WEEKDAY_RE.fullmatch(date_text)
        if only_weekday is None:
            # "Day 2 of the meeting" is a day; "First day of action" may be an item's title
            day = match is not None and match["n"] is not None
            return DayHeading(label=line, day_index=index) if day else None
        weekday = WEEKDAYS[only_weekday.group().lower().rstrip(".,")]
        dates = DateSpan((), False, weekday)
    if index is None and dates is None:
        return None
    if dates is not None and len(dates.dates) > 1:
        return None  # a range is the meeting's dates, not a day of it
    return DayHeading(label=line, day_index=index, dates=dates, part=part_label, slot=slot)


# -- breaks -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def is_break(title: str) -> bool:
    """Whether an entry is a break or a meal rather than an agenda item: the domain's one
    definition (``is_break_title``), which the report uses too."""
    return is_break_title(title)


# -- labelled lines -----------------------------------------------------------------------------

# a line naming who presents, without a colon: "Presentation by the Commission", "(Presidency)"
PRESENTATION_LINE_RE = re.compile(
    r"^(?P<field>(?i:presentation|information|introduction|statement|report))\s+(?:by|from)\s+"
    r"(?:the\s+)?(?P<value>[A-Z][^.;:]{1,60})$"
    r"|^(?:[A-Z][a-z]+(?: [a-z]+){0,3} )?\((?P<value2>Presidency|Commission|Secretariat|Chair|Bureau)\)$"
)
FIELD_RE = re.compile(
    r"^(?P<field>documents?|documentation|docs?|presenters?|presented\s+by|speakers?|lead|leads"
    r"|rapporteur|rapporteuse|berichterstatter(?:in)?|referent(?:in)?|ponente|relator[a]?"
    r"|докладчик(?:и)?|докладчица|выступающие|документы|документ|документация"
    r"|staff\s+report|introduced\s+by|presentation\s+by"
    r"|moderators?|facilitators?|duration|time\s+allotted|timebox)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)


# -- page furniture -----------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s+)?(?P<page>\d{1,4})(?:\s*(?:/|of)\s*(?P<pages>\d{1,4}))?$"
    # a roman page number in the front matter: "iv", "II"; but "C" alone is a letter
    r"|^[-–—]\s*\d{1,4}\s*[-–—]$|^(?-i:[ivxlc]{1,6}|[IVXLC]{2,6})$",
    re.IGNORECASE,
)


def is_page_number(text: str) -> bool:
    """Whether a line is a page number: "3", "Page 3 of 12", "3/12", "- 3 -", "iv". Never a
    page past the last: "9402/25" alone on its line is a Council document; nor a capital
    alone ("C", "I"), a letter of a list or a section."""
    match = _PAGE_NUMBER_RE.match(text)
    if match is None:
        return False
    return match["pages"] is None or int(match["page"]) <= int(match["pages"])


FOOTNOTE_RULE = re.compile(r"_{5,}")
"""The rule a document sets above its footnotes, alone on its line."""
JOB_NUMBER_RE = re.compile(
    r"^(?:\d{1,4}\s+)?(?:[A-Z]{1,2}\.)?\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{1,6}){0,3}\s*$"
    r"|^\*\d{6,8}\*$"
)
MASTHEAD_RE = re.compile(
    r"^(?:distr\.?\s*:?\s*(?:general|limited|restricted)\b.*|original\s*:\s*\w+.*"
    r"|united\s+nations|nations\s+unies|naciones\s+unidas|advance\s+unedited\s+version"
    r"|english\s+only|english|français|francais|español|anglais|espagnol|inglés|deutsch"
    r"|council\s+of\s+the\s+european\s+union|conseil\s+de\s+l'union\s+européenne"
    r"|\(or\.\s*\w+\)"
    r"|for\s+participants\s+only|reissued\s+for\s+technical\s+reasons.*"
    # IMO: whether the document is released before the session ("Pre-session public
    # release: ☒")
    r"|pre-session\s+public\s+release\b.*)$",
    re.IGNORECASE,
)
LANGUAGE_CODE_RE = re.compile(r"^[ACEFRS]$")
"""The language letter of a document's edition, alone at its top (an IMO agenda prints "E"
above its masthead; "F", "S", "R", "C", "A" on the French, Spanish, Russian, Chinese and
Arabic ones): masthead there, within ``MASTHEAD_ZONE``; a capital alone further down is text
("Conference Room" / "E", a section "C" of a list)."""
MASTHEAD_ZONE = 3
"""How many of a document's first lines (not blank) hold its language letter."""
MASTHEAD_ITEM_RE = re.compile(
    r"^items?\s+[\d\s,()a-z]+(?:and\s+[\d()a-z ]+)?\s+of\s+the\s+(?:provisional\s+)?agenda\W*$"
    r"|^(?:provisional\s+)?agenda\s+items?\s+\d{1,3}(?:\s*\([a-z]\))?(?:\s*(?:,|and)\s*\d{1,3})*\W*$",
    re.IGNORECASE,
)
# Which session or meeting of a series a line names: "158th", "3e", "68º", "3.", "Sixty-sixth",
# "Dix-huitième", "Octavo", "Zwölfte". "Board meeting" and "Öffentliche Sitzung" name no
# number: the first is a meeting's title, the second a part of its agenda.
_ORDINAL = (
    r"(?:\d{1,4}\s*(?:st|nd|rd|th|e|er|re|ère|ème|eme|º|ª|°|a|o)?\.?"
    r"|(?:\w+-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh"
    r"|twelfth|\w+teenth|\w+ieth|hundredth"
    r"|\w+i[èe]me|premi[eè]re?"
    r"|primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[ée]ptim[oa]|octav[oa]"
    r"|noven[oa]|d[ée]cim[oa]|\w+g[ée]sim[oa]"
    r"|erste|zweite|dritte|vierte|f[üu]nfte|sechste|siebte|achte|neunte|zehnte|elfte|zw[öo]lfte"
    r"|\w+zehnte|\w+(?:zig|ßig|ssig)ste|\w+hundertste))"
)
SESSION_RE = re.compile(
    r"^(?:" + _ORDINAL + r"\s+)(?:regular\s+|special\s+|resumed\s+|extraordinary\s+"
    r"|intersessional\s+|ordentliche\s+|au[ßs]erordentliche\s+|ordinaire\s+|extraordinaire\s+)?"
    r"(?:session|meeting|r[ée]union|per[ií]odo\s+(?:extraordinario\s+)?de\s+sesiones|reuni[óo]n"
    r"|Tagung|Sitzung)(?:\s*\(.*\))?$",
    re.IGNORECASE,
)
# A kind of meeting named in a word or two ("Committee meeting", "Annual General Meeting"): under
# the organisation's name it says which of its meetings this is; alone it is the title.
MEETING_KIND_RE = re.compile(
    r"^(?:[\w'’-]+\s+){1,3}(?:session|meeting|r[ée]union|reuni[óo]n|Tagung|Sitzung)$",
    re.IGNORECASE,
)
