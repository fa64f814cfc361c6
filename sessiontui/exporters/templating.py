"""House style as templates: a style's Jinja2 templates word the report, the formats draw it.

A style is a folder of templates (``templates/un``, ``templates/minutes``, or a user's own) with
``report.xml.j2`` and one phrase file per report language (``phrases/en.j2``). The template
renders a small XML vocabulary, user text escaped by Jinja2's autoescaping:

- ``<running>`` text for the page header (Word); ``<masthead>`` with ``<line>`` children;
- ``<h1>`` … ``<h4>`` headings; ``<p>`` a paragraph, numbered through the whole document unless
  ``numbered="no"``; ``kind="decision|action|small"`` sets it apart; ``<b>``/``<i>`` inside;
- ``<list>`` of ``<li label="…" level="0">``; ``<table align="llrr">`` of ``<tr>`` with
  ``<th>``/``<td>``; ``<contents title="…"/>`` (the chapters with their paragraph ranges);
  ``<figure name="timeline|bars">`` (drawn by the HTML export only; the words drawn in it
  are its attributes, its rows' names its ``<label>`` children); ``<log>`` of ``<line>``.

``document()`` renders and parses it into ``Block`` records that Markdown, HTML and Word draw
alike, so the three say the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import os
import re
import tempfile
import types
import unicodedata
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.sandbox
import markupsafe

from sessiontui.core.offices import office_of, person_of, words_in
from sessiontui.core.vocabulary import SpeechKind
from sessiontui.exporters.files import ExportError
from sessiontui.exporters.model import (
    AgendaChange,
    AgendaLine,
    AmendmentView,
    Consideration,
    ItemView,
    NoteView,
    ParticipantView,
    Provenance,
    Report,
    RollCallView,
    SittingView,
    SpeechRun,
    Who,
    duration,
    item_summary_rows,
    sitting_summary_rows,
    xml_safe,
)
from sessiontui.store import cachekey
from sessiontui.store.durable import make_private_dir

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENTRY = "report.xml.j2"
COMMON = "common"  # templates every style shares: ``journal/<lang>.j2``


def styles() -> tuple[str, ...]:
    """The styles shipped with sessiontui."""
    return tuple(sorted(p.name for p in TEMPLATES.iterdir() if (p / ENTRY).is_file()))


@dataclass(frozen=True)
class Style:
    """Which templates word the report.

    Attributes:
        name: a shipped style (``un``, ``minutes``); a user folder falls back on it.
        lang: the report language: a phrase file ``phrases/<lang>.j2`` of the style.
        folder: a user's template folder: its files replace the style's of the same name.
    """

    name: str = "un"
    lang: str = "en"
    folder: Path | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Block:
    """One block of the report as every format draws it."""

    kind: str  # heading, para, list, table, masthead, contents, figure, log
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    number: int | None = None  # a numbered paragraph's number
    role: str = ""  # decision, action, small; a figure's name
    entries: list[tuple[str, list[Run], int]] = field(default_factory=list)  # list items
    rows: list[list[list[Run]]] = field(default_factory=list)  # table rows of cells
    head: int = 0  # how many leading rows are heading rows
    align: str = ""
    lines: list[str] = field(default_factory=list)  # masthead and log lines; a figure's rows
    words: dict[str, str] = field(default_factory=dict)  # a figure's words (its attributes)

    @property
    def text(self) -> str:
        """The block's text without emphasis."""
        runs = self.runs
        if len(runs) == 1:
            return runs[0].text  # most blocks: one run
        return "".join([run.text for run in runs])


@dataclass(slots=True)
class Document:
    """The worded report: its blocks, language and running header."""

    blocks: list[Block]
    lang: str
    running: str


def _roman(number: int) -> str:
    """4 -> ``IV``."""
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


def _letter(number: int) -> str:
    """1 -> ``A``, 27 -> ``AA``."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _join(items: Sequence[Any], last: str, sep: str = ", ") -> markupsafe.Markup:
    """``["A", "B", "C"]`` -> ``"A, B and C"`` with ``last`` as the final joiner (`` and ``).

    Markup (a phrase's output) is kept as it is, plain text escaped: nothing is escaped twice.
    """
    markup = markupsafe.Markup
    words = [item if isinstance(item, markup) else _word(item) for item in items]
    if len(words) <= 1:
        return markupsafe.escape("").join(words)
    joined = str(markupsafe.escape(sep)).join(words[:-1])
    # Every part is escaped markup already: joined as plain strings, wrapped once (a plain
    # string added to markup would be escaped again).
    return markup(joined + str(markupsafe.escape(last)) + str(words[-1]))


def _word(item: Any) -> markupsafe.Markup:
    """One of the things ``_join`` joins: markup as it is, anything else as escaped text."""
    if isinstance(item, markupsafe.Markup):
        return item
    return markupsafe.escape(_finalize(str(item)))


def _runs_of(days: Sequence[dt.date]) -> list[list[dt.date]]:
    """Dates in order, grouped into runs of consecutive days (for "19–21 November")."""
    ordered = sorted(set(days))
    if ordered and type(ordered[0]) is dt.date:
        # A day's ordinal instead of a subtraction per day; without three days in a row
        # (most items' days), no day but a pair's second joins a run.
        ordinals = list(map(dt.date.toordinal, ordered))
        if not _three_in_a_row(ordinals):
            runs: list[list[dt.date]] = []
            for day, number, before in zip(ordered, ordinals, [-1, *ordinals], strict=False):
                if number - before == 1:
                    runs[-1].append(day)
                else:
                    runs.append([day])
            return runs
    runs = []
    for day in ordered:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


# What a phrase macro said for one value, per macro: a long session's report spells the same
# few dates and meeting numbers tens of thousands of times, and a macro call costs a template
# render. The macros are pure (a phrase file's words), so each value is worded once per macro.
_SAID: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()
# The days ``_spell_dates`` made words of a list, per ``day`` macro, the macro that words the
# rest of each date and what is left to the end (the month and year, "19 and 20 November 2020";
# the year, "30 November and 1 December 2020"; nothing); as ``_SAID``.
_DAY_WORDS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, str], dict[dt.date, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _said_by(macro: Any) -> dict[Any, Any]:
    """What ``macro`` said so far, by value (for loops that look many values up)."""
    said = _SAID.get(macro)
    if said is None:
        said = _SAID[macro] = {}
    return said


def _say(macro: Any, value: Any) -> Any:
    """``macro(value)`` (its markup), worded once per macro and value."""
    said = _said_by(macro)
    text = said.get(value)
    if text is None:
        text = said[value] = macro(value)
    return text


def _number_runs(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """Numbers in order as runs: three or more in a row are one run (``1st to 5th``), the rest
    stand alone."""
    ordered = sorted(set(numbers))
    if not _three_in_a_row(ordered):
        return [(number, number) for number in ordered]  # most items' meetings
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    out: list[tuple[int, int]] = []
    for run in runs:
        if len(run) >= 3:
            out.append((run[0], run[-1]))
        else:
            out += [(number, number) for number in run]
    return out


def _three_in_a_row(ordered: Sequence[int]) -> bool:
    """Whether sorted distinct numbers hold three in a row (``4, 5, 6``): some number two
    places on from another is two more than it."""
    return 2 in map(operator.sub, ordered[2:], ordered)


def _ordinal_runs(numbers: Sequence[int], ordinal: Any, to: str) -> list[Any]:
    """Numbers as ``number_runs`` groups them, each worded by the ``ordinal`` macro: ``1st``,
    ``4th to 7th`` (``to`` the range word). One Python loop per item instead of a sandboxed
    template loop (a macro call and a list append per run), worded once per number."""
    between = markupsafe.escape(to)
    said = _said_by(ordinal)
    ordered = sorted(set(numbers))
    for number in ordered:
        if number not in said:
            said[number] = ordinal(number)
    if not _three_in_a_row(ordered):
        return list(map(said.__getitem__, ordered))  # each number alone (most items)
    out: list[Any] = []
    for a, b in _number_runs(ordered):
        out.append(said[a] if a == b else said[a] + between + said[b])
    return out


def _said(macro: Any, values: Sequence[Any]) -> list[Any]:
    """Each value as a phrase macro words it ("1st", "1re", "the European Union")."""
    return [_say(macro, value) for value in values]


# An ordinal written in figures: "33rd", "1re", "33e"; its ending the phrase file's to say.
_FIGURES = re.compile(r"(\d+)(\D*)")


def _ordinal_head(
    name: str, words: Collection[str], joining: Collection[str] = (), endings: Collection[str] = ()
) -> int:
    """How many of ``name``'s first words say which occasion it is, as a phrase file lists
    them: ordinals and the words around them ("Thirty-third session", "One hundred and
    ninety-ninth meeting", "33rd session", "Resumed twelfth session"). ``joining`` words
    ("one", "hundred", "and", "thirty") count only before one of ``words``, in a word of their
    own or joined by a hyphen ("thirty-third"): "One Planet Summit" has no ordinal head. An
    ordinal in figures ends in one of ``endings`` ("st", "nd", "rd", "th")."""
    known = {w.casefold() for w in words}
    glue = {w.casefold() for w in joining}
    suffixes = {e.casefold() for e in endings}

    def ordinal(part: str) -> bool:
        figures = _FIGURES.fullmatch(part)
        return part in known or bool(figures and figures.group(2) in suffixes)

    count = 0
    for length, word in enumerate(name.split(" "), start=1):
        parts = [p.casefold() for p in word.split("-")]
        said = [ordinal(p) for p in parts]
        if not all(s or p in glue for s, p in zip(said, parts, strict=True)):
            break
        if said[-1]:
            count = length
    return count


def _lowered_head(
    name: str, words: Collection[str], joining: Collection[str] = (), endings: Collection[str] = ()
) -> str:
    """``name`` with its ordinal head (``_ordinal_head``) in lower case, as running text says
    it after "its" or "the": "Thirty-third session" -> "thirty-third session"; the rest, a
    body's name, as written ("fourteenth United Nations Congress")."""
    head = _ordinal_head(name, words, joining, endings)
    said = name.split(" ")
    return " ".join([w.lower() for w in said[:head]] + said[head:])


def _spell_dates(
    days: Sequence[dt.date],
    day: Any,
    month_year: Any,
    and_: str,
    dash: str = "–",
    day_month: Any = None,
) -> str:
    """Dates in words, the words from a phrase file's macros: ``day(d)`` (``19``),
    ``month_year(d)`` (``November 2020``), ``and_`` (`` and ``), ``day_month(d)``
    (``30 November``; without it, dates in different months are each dated in full).

    Consecutive days are a run (``19–21``; two are ``19 and 20``); runs within one month share
    it (``19 and 20 November 2020``, ``2, 4 and 5 June 2021``), runs within one year share it
    (``30 November and 1 December 2020``), else each is dated in full.
    """
    runs = _runs_of(days)
    if not runs:
        return ""
    first, last = runs[0][0], runs[-1][-1]
    if (first.year, first.month) == (last.year, last.month):
        share = "month"
    elif first.year == last.year and day_month is not None:
        share = "year"
    else:
        share = ""

    def one(d: dt.date) -> Any:  # a macro's markup, or words made of two
        if share == "month":
            return _say(day, d)
        if share == "year":
            return _say(day_month, d)
        return f"{_say(day, d)} {_say(month_year, d)}"

    # A long session's items are each considered on hundreds of days, the same days again and
    # again: each day is worded, and made a word of the list, once per pair of macros.
    by_day = _DAY_WORDS.get(day)
    if by_day is None:
        by_day = _DAY_WORDS[day] = {}
    words = by_day.setdefault((day_month if share == "year" else month_year, share), {})

    def word(d: dt.date) -> markupsafe.Markup:
        said = words.get(d)
        if said is None:
            said = words[d] = _word(one(d))
        return said

    pieces: list[markupsafe.Markup] = []
    for run in runs:
        if len(run) == 1:
            said = words.get(run[0])
            pieces.append(word(run[0]) if said is None else said)
        elif len(run) == 2:
            pieces += [word(run[0]), word(run[1])]
        else:
            pieces.append(_word(f"{one(run[0])}{dash}{one(run[-1])}"))
    text = str(_join(pieces, and_))
    if share == "month":
        return f"{text} {_say(month_year, last)}"
    return f"{text} {last.year}" if share == "year" else text


def _collate(
    words: Sequence[Any], by: Callable[[Any], Any] | None = None, attribute: str = ""
) -> list[Any]:
    """Words in dictionary order: case and accents set aside ("Égypte" before "Espagne");
    with ``attribute``, things by that attribute, and with ``by`` (a phrase macro), in the
    order of what it says of it."""

    def key(word: Any) -> tuple[str, str]:
        value = getattr(word, attribute) if attribute else word
        text = str(by(value) if by is not None else value)
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
        return (plain.casefold(), text)

    return sorted(words, key=key)


def _breaks_filter(text: str) -> markupsafe.Markup:
    """User text escaped, its single line breaks as ``<br/>``."""
    text = xml_safe(text)
    if "\n" not in text:
        return markupsafe.escape(text)  # most notes: one line, nothing to join
    return markupsafe.Markup("<br/>").join(markupsafe.escape(line) for line in text.split("\n"))


def _finalize(value: Any) -> Any:
    """Every value a template prints, without what XML cannot carry (its output is parsed)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return xml_safe(value)
    return value


# Objects whose attributes the sandbox would check the same way whatever the attribute is: the
# report's own records, the date, and Jinja2's own loop, namespace and imported template.
# None is a function, method, type, code, frame, traceback, generator or coroutine, for which
# the sandbox forbids more than names starting with "_".
_PLAIN_TYPES = frozenset(
    {
        AgendaChange,
        AgendaLine,
        AmendmentView,
        Consideration,
        ItemView,
        NoteView,
        ParticipantView,
        Provenance,
        Report,
        RollCallView,
        SittingView,
        SpeechRun,
        Who,
        dt.date,
        jinja2.runtime.LoopContext,
        jinja2.environment.TemplateModule,
        jinja2.utils.Namespace,
    }
)
# Values the sandbox may wrap (a ``str.format`` method): they go through its own checks.
_METHOD_TYPES = (types.MethodType, types.BuiltinMethodType)


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """The sandbox, with a quicker way to the attributes of the objects a report is made of.

    A long session's report reads tens of thousands of attributes (``item.title``, ``t.said``),
    and the sandbox checks each in several calls. For ``_PLAIN_TYPES`` its answer depends only
    on the name (one starting with "_" is refused): a name that does not, and a value it would
    not wrap, are given at once; everything else goes through the sandbox as before.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _PLAIN_TYPES and not attribute.startswith("_"):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not isinstance(value, _METHOD_TYPES):
                    return value
        return super().getattr(obj, attribute)


_MARKUP = markupsafe.Markup
# markupsafe's own escaper of plain text (``escape`` wraps it): None if a release renames it.
_ESCAPE_TEXT: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def _escape(value: Any) -> markupsafe.Markup:
    """``markupsafe.escape``, with its two commonest cases made in one call.

    Compiled templates escape every value they print (``escape(finalize(value))``): a long
    session's report prints a hundred thousand, each through two Python calls of markupsafe
    (``escape``, then ``Markup.__new__``). Markup, a phrase's or a filter's, is already escaped
    (``escape`` makes an equal copy); plain text is escaped by markupsafe's own escaper and
    made Markup as ``Markup.__new__`` makes it. Anything else goes to ``escape``.
    """
    kind = type(value)
    if kind is _MARKUP:
        return value  # type: ignore[no-any-return]
    if kind is str and _ESCAPE_TEXT is not None:
        return str.__new__(_MARKUP, _ESCAPE_TEXT(value))
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose compiled code escapes through ``_escape``."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: types.CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The module namespace the code was run in: where its functions (the template's
        # ``root`` and its macros) look ``escape`` up.
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _SealedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept between runs, in this account's data folder, sealed.

    Every export that words a report compiled its templates afresh, a noticeable part of each
    run. Jinja2 checks a cached template against its source (a changed file is compiled again);
    what it loads is pickled and marshalled code, so, as every cache of sessiontui, a file is
    trusted only with this account's seal (``store.cachekey``): anything else is ignored and
    compiled again. The folder is named by what shapes the compiled code (this module, which
    sets up the environment, and Jinja2's version), so another version never loads it. Without
    a key, or a folder that cannot be written, templates are simply compiled each time.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._file(bucket).read_bytes()
        except OSError:
            return
        tag, newline, body = data.partition(b"\n")
        if newline and cachekey.check(tag.decode("ascii", "replace"), body):
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        body = bucket.bytecode_to_string()
        tag = cachekey.seal(body)
        if tag is None:
            return
        try:
            make_private_dir(self.folder)
            fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(tag.encode("ascii") + b"\n" + body)
                # Another process may write the same template at once: each file is whole.
                os.replace(temporary, self._file(bucket))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> _SealedBytecode:
    shape = hashlib.sha256(jinja2.__version__.encode() + Path(__file__).read_bytes())
    return _SealedBytecode(cachekey.data_dir() / "cache" / "templates" / shape.hexdigest()[:16])


class _Utf8Loader(jinja2.FileSystemLoader):
    """Templates read as UTF-8: one that is not fails as a template does, naming its file
    (Jinja2 lets the decoding error out, which read as an internal error)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise jinja2.TemplateSyntaxError(
                f"not UTF-8 text (byte {exc.start}); save it as UTF-8", 1, template, template
            ) from None


@functools.lru_cache(maxsize=16)
def _environment(name: str, folder: str | None) -> jinja2.Environment:
    shipped = TEMPLATES / name
    # What every style shares (the journal appendix's phrases) comes last.
    paths = [str(shipped), str(TEMPLATES / COMMON)]
    if folder:
        paths.insert(0, folder)
    env = _Sandbox(
        loader=_Utf8Loader(paths, encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        finalize=_finalize,
        bytecode_cache=_bytecode_cache(),
    )
    env.template_class = _Template
    env.filters["roman"] = _roman
    env.filters["letter"] = _letter
    env.filters["join_last"] = _join
    env.filters["duration"] = duration
    env.filters["breaks"] = _breaks_filter
    env.filters["collate"] = _collate
    env.globals["spell_dates"] = _spell_dates
    env.globals["said"] = _said
    env.globals["number_runs"] = _number_runs
    env.globals["ordinal_runs"] = _ordinal_runs
    env.globals["ordinal_head"] = _ordinal_head
    env.globals["lowered_head"] = _lowered_head
    # Officers' titles in any language the agenda is written in: the phrases word them in theirs.
    env.globals["office_of"] = office_of
    env.globals["words_in"] = words_in
    env.globals["person_of"] = person_of
    return env


def render_xml(report: Report, style: Style, *, times: bool) -> str:
    """The report worded by ``style``'s templates, as the vocabulary above (a string).

    Raises:
        ExportError: an unknown style or language, a template that fails, or one whose output
            is not well-formed.
    """
    if style.folder is None and style.name not in styles():
        raise ExportError(f"no style {style.name!r} (one of {', '.join(styles())})")
    if style.folder is not None and not style.folder.is_dir():
        raise ExportError(f"--templates: {style.folder} is not a folder")
    env = _environment(style.name, str(style.folder) if style.folder else None)
    try:
        template = env.get_template(ENTRY)
    except jinja2.TemplateNotFound:
        raise ExportError(f"no {ENTRY} in {style.folder or TEMPLATES / style.name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ExportError(f"template {exc.filename}:{exc.lineno}: {exc.message}") from None
    try:
        env.get_template(f"phrases/{style.lang}.j2")
    except jinja2.TemplateNotFound:
        langs = sorted(
            p.stem
            for folder in env.loader.searchpath  # type: ignore[union-attr]
            for p in (Path(folder) / "phrases").glob("*.j2")
        )
        raise ExportError(
            f"style {style.name!r} has no phrases for language {style.lang!r}"
            f" (has {', '.join(dict.fromkeys(langs)) or 'none'})"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ExportError(f"template {exc.filename}:{exc.lineno}: {exc.message}") from None
    if report.journal:
        try:
            env.get_template(f"journal/{style.lang}.j2")
        except jinja2.TemplateNotFound:
            raise ExportError(
                f"--journal: no journal phrases for language {style.lang!r}"
                f" (journal/{style.lang}.j2 in the templates)"
            ) from None
    try:
        return template.render(
            r=report,
            lang=style.lang,
            times=times,
            item_rows=item_summary_rows(report) if times else [],
            planned=any(item.planned is not None for item in report.items),
            sitting_rows=sitting_summary_rows(report) if times else [],
        )
    except jinja2.TemplateSyntaxError as exc:
        raise ExportError(f"template {exc.filename}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ExportError(f"template {ENTRY}: {exc}") from None


# The speakers of items worded by the UN style's phrase macros, one sentence a line, each item's
# sentences closed by a line holding ``_ITEM_END``: the same words as the report's chapters, for
# the data exports (the CSV's speakers column). Every item in one render: a render looks the
# phrase file up again (its ``import``), and per item that was a large part of the CSV export.
# ``_ITEM_END`` cannot come out of a phrase: every value printed loses what XML cannot carry.
_ITEM_END = "\x1e"
_SPEECHES = """{% import "phrases/" ~ lang ~ ".j2" as t %}
{% for runs in items %}
{% set spoke = namespace(before=false) %}
{% for run in runs %}
{% for role, group in [("representative", run.representatives), ("observer", run.observers), ("office", run.officers), ("secretariat", run.secretariat)] if group %}
{% if run.kind == kinds.REPLY %}
{{ t.reply(group, role) }}
{% elif run.kind == kinds.POINT_OF_ORDER %}
{% for who in group %}
{{ t.point_of_order(who, role) }}
{% endfor %}
{% else %}
{{ t.statements(group, role, spoke.before) }}
{% set spoke.before = true %}
{% endif %}
{% endfor %}
{% endfor %}
\x1e
{% endfor %}
"""


@functools.lru_cache(maxsize=1)
def _speeches() -> jinja2.Template:
    """``_SPEECHES`` compiled once: compiling a template costs far more than rendering it."""
    return _environment("un", None).from_string(_SPEECHES)


def speaker_sentences(runs: Sequence[SpeechRun], lang: str = "en") -> list[str]:
    """The speakers of an item as the UN style's sentences in ``lang`` ("The representative of
    the Russian Federation made a statement."), in speaking order.

    Raises:
        ExportError: no phrases for ``lang``, or a phrase file that fails.
    """
    return items_speaker_sentences([runs], lang)[0]


def items_speaker_sentences(
    runs_of: Sequence[Sequence[SpeechRun]], lang: str = "en"
) -> list[list[str]]:
    """``speaker_sentences`` of each item's runs, in one render.

    Raises:
        ExportError: no phrases for ``lang``, or a phrase file that fails (only when some item
            has speakers: without any, no phrase is looked up).
    """
    if not any(runs_of):
        return [[] for _ in runs_of]
    try:
        text = _speeches().render(items=runs_of, lang=lang, kinds=SpeechKind)
    except jinja2.TemplateNotFound:
        raise ExportError(f"style 'un' has no phrases for language {lang!r}") from None
    except jinja2.TemplateError as exc:
        raise ExportError(f"template phrases/{lang}.j2: {exc}") from None
    pieces = text.split(_ITEM_END)[: len(runs_of)]
    return [
        [" ".join(line.split()) for line in piece.splitlines() if line.strip()] for piece in pieces
    ]


def document(report: Report, style: Style, *, times: bool) -> Document:
    """The report worded by ``style`` and parsed into blocks, paragraphs numbered.

    Raises:
        ExportError: see ``render_xml``.
    """
    xml = render_xml(report, style, times=times)
    try:
        root = ET.fromstring(f"<report>{xml}</report>")  # noqa: S314 - our own templates' output
    except ET.ParseError as exc:
        line, column = exc.position
        raise ExportError(
            f"template {ENTRY}: its output is not well-formed at line {line}, column {column}"
        ) from None
    return _parse(root, style.lang)


def _inline(element: ET.Element, bold: bool = False, italic: bool = False) -> list[Run]:
    """The text of an element with its ``<b>`` and ``<i>`` children, whitespace folded."""
    runs: list[Run] = []
    if element.text:
        runs.append(Run(element.text, bold, italic))
    for child in element:
        runs += _inline(child, bold or child.tag == "b", italic or child.tag == "i")
        if child.tail:
            runs.append(Run(child.tail, bold, italic))
    return runs


def _folded(runs: list[Run]) -> list[Run]:
    """Runs with template indentation and line breaks folded to single spaces, ends trimmed.

    A paragraph's own line breaks (a note's) come as ``\\n`` inside the text and are kept
    (the template marks them with ``<br/>``, turned into ``\\n`` before this).
    """
    out: list[Run] = []
    for run in runs:
        text = run.text
        if "\n" not in text and "\x00" not in text and "\t" not in text and "  " not in text:
            # Nothing to fold (most runs of a long report): the run as it is.
            if text:
                out.append(run)
            continue
        parts = text.split("\x00")
        text = "\n".join(" ".join(part.split("\n")).replace("\t", " ") for part in parts)
        while "  " in text:
            text = text.replace("  ", " ")
        text = text.replace(" \n", "\n").replace("\n ", "\n")
        if text:
            out.append(Run(text, run.bold, run.italic))
    if out:
        first = out[0]
        if first.text.startswith(" "):
            out[0] = Run(first.text.lstrip(" "), first.bold, first.italic)
        last = out[-1]
        if last.text.endswith(" "):
            out[-1] = Run(last.text.rstrip(" "), last.bold, last.italic)
    return [run for run in out if run.text]


def _breaks(element: ET.Element) -> None:
    """``<br/>`` as a marker character the folding keeps as a line break."""
    for child in list(element):
        _breaks(child)
        if child.tag == "br":
            tail = "\x00" + (child.tail or "")
            index = list(element).index(child)
            if index == 0:
                element.text = (element.text or "") + tail
            else:
                previous = element[index - 1]
                previous.tail = (previous.tail or "") + tail
            element.remove(child)


def _parse(root: ET.Element, lang: str) -> Document:
    blocks: list[Block] = []
    running = ""
    number = 0
    for element in root:
        if element.tag == "p" and not len(element):
            # A paragraph of text alone (most of a long report's): ``_para`` without its walk.
            block = _plain_para(element)
            if block is not None:
                if element.get("numbered", "yes") != "no":
                    number += 1
                    block.number = number
                blocks.append(block)
            continue
        if next(element.iter("br"), None) is not None:
            # Most blocks hold no line break: the walk below is for those that do.
            _breaks(element)
        if element.tag == "running":
            running = _flat(element)
            continue
        build = _BLOCKS.get(element.tag)
        if build is None:
            raise ExportError(f"template {ENTRY}: unknown element <{element.tag}>")
        block = build(element)
        if block is None:
            continue
        if block.kind == "para" and element.get("numbered", "yes") != "no":
            number += 1
            block.number = number
        blocks.append(block)
    _fill_contents(blocks)
    return Document(blocks, lang, running)


def _flat(element: ET.Element) -> str:
    """An element's text on one line, whitespace folded."""
    return " ".join("".join(element.itertext()).split())


# One builder per top-level element of the template's output; ``None`` when it holds nothing
# worth a block (an empty heading, paragraph, list or table is left out).


def _masthead(element: ET.Element) -> Block:
    lines = [_flat(e) for e in element if e.tag == "line"]
    return Block("masthead", lines=[line for line in lines if line])


def _heading(element: ET.Element) -> Block | None:
    runs = _folded(_inline(element))
    return Block("heading", runs, level=int(element.tag[1])) if runs else None


def _para(element: ET.Element) -> Block | None:
    runs = _folded(_inline(element))
    return Block("para", runs, role=element.get("kind", "")) if runs else None


def _plain_para(element: ET.Element) -> Block | None:
    """``_para`` of a ``<p>`` without children: its text is its one run."""
    text = element.text
    if not text:
        return None
    if "\n" in text or "\t" in text or "  " in text:
        runs = _folded([Run(text)])
    else:
        # Nothing to fold: ``_folded`` would only trim the ends' spaces.
        text = text.strip(" ")
        runs = [Run(text)] if text else []
    return Block("para", runs, role=element.get("kind", "")) if runs else None


def _cell(element: ET.Element) -> list[Run]:
    """A table cell's runs: ``_folded(_inline(cell))``, without the walk for a cell of text
    alone (a long session's timings tables have tens of thousands)."""
    if len(element):
        return _folded(_inline(element))
    text = element.text
    if not text:
        return []
    if "\n" in text or "\x00" in text or "\t" in text or "  " in text:
        return _folded([Run(text)])  # (``\x00``: a line break, see ``_breaks``)
    # Nothing to fold: ``_folded`` would only trim the ends' spaces.
    text = text.strip(" ")
    return [Run(text)] if text else []


def _list(element: ET.Element) -> Block | None:
    entries = [
        (li.get("label", ""), _folded(_inline(li)), int(li.get("level", "0") or 0))
        for li in element
        if li.tag == "li"
    ]
    return Block("list", entries=entries) if entries else None


def _table(element: ET.Element) -> Block | None:
    rows = [[_cell(cell) for cell in tr] for tr in element if tr.tag == "tr"]
    head = sum(1 for tr in element if tr.tag == "tr" and tr and tr[0].tag == "th")
    if not rows:
        return None
    return Block("table", rows=rows, head=head, align=element.get("align", ""))


def _contents(element: ET.Element) -> Block:
    return Block("contents", [Run(element.get("title", ""))])


def _figure(element: ET.Element) -> Block:
    """A chart: its caption, the words drawn in it (the attributes but ``name``) and the names
    of its rows (``<label>`` children: the meetings of the timeline)."""
    children = list(element)
    rows = [_flat(child) for child in children if child.tag == "label"]
    if rows:
        # The caption is the rest; a label's tail is caption text, after what came before the
        # label (the text, or the tail of the child before it that is not a label). In one
        # pass: a long session's timeline has thousands of labels.
        kept: ET.Element | None = None
        for child in children:
            if child.tag != "label":
                kept = child
            elif kept is None:
                element.text = (element.text or "") + (child.tail or "")
            else:
                kept.tail = (kept.tail or "") + (child.tail or "")
        element[:] = [child for child in children if child.tag != "label"]
    words = {key: " ".join(value.split()) for key, value in element.attrib.items() if key != "name"}
    runs = _folded(_inline(element))
    return Block("figure", runs, role=element.get("name", ""), lines=rows, words=words)


def _log(element: ET.Element) -> Block:
    return Block("log", lines=[_flat(e) for e in element])


_BLOCKS: dict[str, Callable[[ET.Element], Block | None]] = {
    "masthead": _masthead,
    **{f"h{level}": _heading for level in range(1, 7)},
    "p": _para,
    "list": _list,
    "table": _table,
    "contents": _contents,
    "figure": _figure,
    "log": _log,
}


def _fill_contents(blocks: list[Block]) -> None:
    """The table of contents: each chapter (``<h2>``) with the paragraphs it holds."""
    contents = [block for block in blocks if block.kind == "contents"]
    if not contents:
        return
    chapters: list[tuple[list[Run], list[int]]] = []
    for block in blocks:
        if block.kind == "heading" and block.level == 2:
            chapters.append((block.runs, []))
        elif block.number is not None and chapters:
            chapters[-1][1].append(block.number)
    entries = []
    for runs, numbers in chapters:
        span = ""
        if numbers:
            span = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
        entries.append((span, runs, 0))
    for block in contents:
        block.entries = entries
