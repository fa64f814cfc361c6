"""The draft meeting report as one self-contained, printable HTML file with inline SVG charts."""

from __future__ import annotations

import datetime as dt
import functools
from html import escape as _escape

from sessiontui.core.state import FloorInterval
from sessiontui.core.wallclock import Clock
from sessiontui.exporters.model import ItemView, Report, duration, span_text
from sessiontui.exporters.templating import Block, Document, Run

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Colour-blind-safe palette (Okabe–Ito), one colour per top-level item, repeated.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

_STYLE = """
body { font-family: "Times New Roman", Georgia, serif; max-width: 52rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.45; color: #111; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h3, h4, h5, h6 { font-size: 1.05rem; margin-bottom: .3rem; }
.decision, .action { border-inline-start: 4px solid #0072B2; background: #f2f6fa; padding: .4rem .8rem;
  margin: .6rem 0; }
.action { border-inline-start-color: #E69F00; background: #fbf6ec; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figcaption { font-size: .9rem; color: #333; }
svg { max-width: 100%; height: auto; } svg text { font-family: sans-serif; font-size: 11px; }
.small { font-size: .85rem; color: #333; overflow-wrap: anywhere; }
header.masthead { text-align: right; border-bottom: 1px solid #999; margin-bottom: 1.5rem; }
header.masthead p { margin: 0; }
p.numbered { padding-inline-start: 2.5rem; text-indent: -2.5rem; }
p.numbered .n { display: inline-block; width: 2.5rem; text-indent: 0; }
.list { list-style: none; padding-inline-start: 2.5rem; }
.list .level-1 { padding-inline-start: 2rem; } .list .level-2 { padding-inline-start: 4rem; }
.list .label { display: inline-block; min-width: 2.5rem; }
nav.contents table, nav.contents td { border: none; }
.journal { font-family: monospace; font-size: .8rem; white-space: pre-wrap; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-after: avoid; } h3, h4, h5, h6 { break-after: avoid; }
  figure, table, .decision, .action { break-inside: avoid; }
  .decision, .action { background: none; }
  @page { size: A4; margin: 2cm; }
}
"""


def esc(text: str) -> str:
    """Escape text for HTML content and attribute values."""
    return _escape(text, quote=True)


def _colours(report: Report) -> dict[str, str]:
    """Each item's colour: that of its top-level item, so sub-items read as one block."""
    by_top: dict[str, str] = {}
    for item in report.items:
        if item.top not in by_top:
            by_top[item.top] = _PALETTE[len(by_top) % len(_PALETTE)]
    return {item.id: by_top[item.top] for item in report.items}


def _x(moment: dt.datetime, start: float, seconds: float, left: float, width: float) -> float:
    """Where an instant falls on a sitting's bar that starts at the timestamp ``start``."""
    offset = moment.timestamp() - start
    return left + width * min(1.0, max(0.0, offset / seconds if seconds else 0.0))


def _word(words: dict[str, str], key: str, text: str) -> str:
    """``text`` after the template's word for it (``"suspended 11:15–11:35"``), escaped; the
    bare ``text`` when the template gives no such word."""
    word = words.get(key, "")
    return esc(f"{word} {text}" if word else text)


def _to_the_second(clock: Clock, interval: FloorInterval, face: str) -> str:
    """``span_text`` of an interval that starts and ends at the same clock face ``face``."""
    start, end = interval.start, interval.end
    if end != start:
        return f"{_to_seconds(clock, start)}–{_to_seconds(clock, end)}"
    return f"{face}–{face}"


def _to_seconds(clock: Clock, moment: dt.datetime) -> str:
    """``f"{clock.local(moment):%H:%M:%S}"``, from the wall clock's seconds where the zone's
    offset is known for the hour: a long session's timeline has tens of thousands of spans
    within a minute, and a time zone conversion and ``strftime`` each cost more than the rest
    of their rectangle."""
    seconds = clock.wall_seconds(moment)
    if seconds is None:
        return f"{clock.local(moment):%H:%M:%S}"
    seconds %= 86400
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _svg_start(name: str, height: int, words: dict[str, str]) -> list[str]:
    """The opening of a chart 900 wide: the ``svg`` tag, labelled by its title ``{name}-title``."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 {height}" width="900"'
        f' height="{height}" role="img" aria-labelledby="{name}-title">',
        f'<title id="{name}-title">{esc(words.get("title", ""))}</title>',
    ]


def timeline_svg(
    report: Report, words: dict[str, str] | None = None, names: list[str] | None = None
) -> str:
    """A timeline per sitting: which item was on the floor when, and the suspensions.

    A sitting not closed is drawn up to the last instant the record tells (``Report.as_of``),
    what its time in the table counts, with an open (dashed) outline and, where a closed one
    has its closing time, the word for its status ("open", "suspended"): it did not end then.

    Args:
        report: the report.
        words: the words drawn, from the templates: ``title`` (the chart's), ``suspended`` (a
            suspension's), ``status-open`` and ``status-suspended`` (a sitting not closed).
        names: each sitting's name as the report words it ("1st meeting"), in order; a sitting
            beyond them is named by the label the record gave it, or its number.
    """
    sittings = report.sittings
    if not sittings:
        return ""
    words = words or {}
    names = names or []
    clock = report.clock
    labels = {item.id: item.label or item.title for item in report.items}
    # A long session draws a great many intervals: each label is escaped once, not per interval.
    escaped = {item_id: esc(label) for item_id, label in labels.items()}
    colours = _colours(report)
    # What each item's rectangles have in common, made once per item rather than per rectangle,
    # and how wide a rectangle must be to carry the item's label.
    rect_rest = {
        item_id: f'" height="22" fill="{colours[item_id]}" stroke="#fff" stroke-width="0.5">'
        for item_id in labels
    }
    room = {item_id: 7 * len(label) + 4 for item_id, label in labels.items()}
    tops = {item.id: item.top for item in report.items}
    left, width, row = 130.0, 740.0, 46
    height = row * len(sittings) + 10
    parts = _svg_start("timeline", height, words)
    end_of_record = report.as_of
    by_sitting: dict[int, list[FloorInterval]] = {}
    for interval in report.floor_log:
        if interval.item in labels:
            by_sitting.setdefault(interval.sitting, []).append(interval)
    for index, sitting in enumerate(sittings):
        y = 8 + index * row
        start = sitting.opened
        end = sitting.closed or end_of_record or start
        seconds = max(1.0, (end - start).total_seconds())
        origin = start.timestamp()
        name = names[index] if index < len(names) else sitting.given or str(sitting.number)
        parts.append(f'<text x="0" y="{y + 15}">{esc(name[:22])}</text>')
        still = "" if sitting.closed else ' stroke-dasharray="4 3"'
        parts.append(
            f'<rect x="{left}" y="{y}" width="{width}" height="22" fill="#f4f4f4" stroke="#999"'
            f"{still}/>"
        )
        for a, b in sitting.suspensions:
            x1 = _x(a, origin, seconds, left, width)
            x2 = _x(b or end, origin, seconds, left, width)
            parts.append(
                f'<rect x="{x1:.1f}" y="{y}" width="{max(0.5, x2 - x1):.1f}" height="22"'
                f' fill="#bbbbbb"><title>'
                f"{_word(words, 'suspended', span_text(clock, a, b))}</title></rect>"
            )
        drawn = by_sitting.get(sitting.number, [])
        count = len(drawn)
        starts = [interval.start.timestamp() for interval in drawn]
        ends = [interval.end.timestamp() for interval in drawn]
        faces = clock.times_at(starts + ends)
        rect_y, text_y = f'" y="{y}" width="', f'" y="{y + 15}" fill="#fff">'
        first = 0
        while first < count:
            # A block: the intervals that follow one another without a gap within one
            # top-level item (its sub-items, and the item itself between them) share its
            # colour, so they are one rectangle; its tooltip lists them, one per line. A long
            # session has a great many intervals: a rectangle each was most of its HTML export.
            item_id = drawn[first].item
            top = tops[item_id]
            last = first
            while last + 1 < count and starts[last + 1] == ends[last]:
                if tops[drawn[last + 1].item] != top:
                    break
                last += 1
            # ``_x`` inlined, with comparisons for its min and max.
            f1, f2 = (starts[first] - origin) / seconds, (ends[last] - origin) / seconds
            x1 = left + width * (0.0 if f1 < 0.0 else 1.0 if f1 > 1.0 else f1)
            x2 = left + width * (0.0 if f2 < 0.0 else 1.0 if f2 > 1.0 else f2)
            # Times are digits and a colon: nothing in them to escape. A parent back on the
            # floor for no time between two sub-items is left out of the list.
            listed = [k for k in range(first, last + 1) if starts[k] != ends[k]] or [first]
            tip = "\n".join(
                [
                    f"{escaped[drawn[k].item]} {faces[k]}–{faces[count + k]}"
                    if faces[k] != faces[count + k]
                    # Within one minute: to the second, never "10:00–10:00" (``span_text``,
                    # its clock faces known already).
                    else f"{escaped[drawn[k].item]} {_to_the_second(clock, drawn[k], faces[k])}"
                    for k in listed
                ]
            )
            parts.append(
                f'<rect x="{x1:.1f}{rect_y}{x2 - x1 if x2 - x1 > 0.5 else 0.5:.1f}'
                f"{rect_rest[item_id]}<title>{tip}</title></rect>"
            )
            # A block is named after its top-level item (unless an excerpt leaves that out).
            named = item_id if first == last or top not in room else top
            if x2 - x1 > room[named]:
                parts.append(f'<text x="{x1 + 3:.1f}{text_y}{escaped[named]}</text>')
            first = last + 1
        parts.append(f'<text x="{left}" y="{y + 36}">{esc(clock.time(start))}</text>')
        # Not closed: said in the template's word for its status, as the table says it.
        ending = (
            clock.time(end)
            if sitting.closed
            else words.get(f"status-{sitting.status}") or sitting.status
        )
        parts.append(
            f'<text x="{left + width}" y="{y + 36}" text-anchor="end">{esc(ending)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(items: list[ItemView], words: dict[str, str] | None = None) -> str:
    """Planned against used time per item: an outline for the plan, a filled bar for the use.

    ``words`` are the words drawn, from the templates: ``title`` (the chart's), ``used``,
    ``planned`` and ``over`` (used beyond the plan), in the tooltips and the legend.
    """
    if not items:
        return ""
    words = words or {}
    scale = max(max(item.used, item.planned or 0.0) for item in items) or 1.0
    left, width, row = 130.0, 640.0, 24
    height = row * len(items) + 30
    parts = _svg_start("bars", height, words)
    for index, item in enumerate(items):
        y = 4 + index * row
        name = ("  " * item.depth + (item.label or item.title))[:24]
        parts.append(f'<text x="0" y="{y + 13}" xml:space="preserve">{esc(name)}</text>')
        used_width = width * item.used / scale
        over = item.planned is not None and item.used > item.planned
        colour = "#D55E00" if over else "#0072B2"
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{used_width:.1f}" height="12" fill="{colour}">'
            f"<title>{_word(words, 'used', duration(item.used))}</title></rect>"
        )
        if item.planned is not None:
            planned_width = width * item.planned / scale
            parts.append(
                f'<rect x="{left}" y="{y}" width="{planned_width:.1f}" height="18" fill="none"'
                f' stroke="#333" stroke-dasharray="3 2"><title>'
                f"{_word(words, 'planned', duration(item.planned))}</title></rect>"
            )
        # Without a plan, the time used alone: "0:20 / –" reads as a figure missing.
        figure = duration(item.used)
        if item.planned is not None:
            figure += f" / {duration(item.planned)}"
        parts.append(f'<text x="{left + width + 8}" y="{y + 13}">{esc(figure)}</text>')
    legend_y = height - 10
    # The legend: a swatch and the template's word for it, one after the other.
    x = left
    for swatch, key in (
        ('fill="#0072B2"', "used"),
        ('fill="#D55E00"', "over"),
        ('fill="none" stroke="#333" stroke-dasharray="3 2"', "planned"),
    ):
        word = words.get(key, "")
        parts.append(
            f'<rect x="{x:.0f}" y="{legend_y - 9}" width="12" height="10" {swatch}/>'
            f'<text x="{x + 16:.0f}" y="{legend_y}">{esc(word)}</text>'
        )
        x += 16 + 6 * len(word) + 24  # about 6 px a character at 11 px
    parts.append("</svg>")
    return "".join(parts)


def _runs(runs: list[Run]) -> str:
    """Runs as HTML: escaped, emphasis as ``strong``/``em``, line breaks as ``br``."""
    out = []
    for run in runs:
        text = run.text
        # One line (most runs): escaped whole, no split.
        text = "<br>".join(esc(line) for line in text.split("\n")) if "\n" in text else esc(text)
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        out.append(text)
    return "".join(out)


@functools.cache
def _para_class(numbered: bool, role: str) -> str:
    """A paragraph's ``class`` attribute (or nothing): the same few for every paragraph."""
    classes = " ".join(c for c in ("numbered" if numbered else "", role) if c)
    return f' class="{esc(classes)}"' if classes else ""


def _block(block: Block, report: Report) -> list[str]:
    """One block as HTML lines; every block of text says ``dir="auto"`` so that a paragraph in
    Arabic or Hebrew runs right to left on its own."""
    kind = block.kind
    if kind == "heading":
        level = min(6, block.level)
        return [f'<h{level} dir="auto">{_runs(block.runs)}</h{level}>']
    if kind == "para":
        attrs = _para_class(bool(block.number), block.role)
        if block.number is not None:
            attrs += f' id="para-{block.number}"'
            number = f'<span class="n">{block.number}.</span>'
            return [f'<p{attrs} dir="auto">{number}{_runs(block.runs)}</p>']
        return [f'<p{attrs} dir="auto">{_runs(block.runs)}</p>']
    if kind == "masthead":
        masthead = "".join(f'<p dir="auto">{esc(line)}</p>' for line in block.lines)
        return [f'<header class="masthead">{masthead}</header>']
    if kind == "list":
        return [
            '<ul class="list">',
            *(
                f'<li dir="auto" class="level-{level}">'
                + (f'<span class="label">{esc(label)}</span> ' if label else "")
                + f"{_runs(runs)}</li>"
                for label, runs, level in block.entries
            ),
            "</ul>",
        ]
    if kind == "contents":
        entries = "".join(
            f'<tr><td dir="auto">{_runs(runs)}</td><td class="num" dir="auto">{esc(span)}</td></tr>'
            for span, runs, _ in block.entries
        )
        title = f'<h2 dir="auto">{_runs(block.runs)}</h2>'
        return [f'<nav class="contents">{title}<table>{entries}</table></nav>']
    if kind == "table":
        numeric = {i for i, a in enumerate(block.align) if a == "r"}
        lines = ["<table>"]
        for index, row in enumerate(block.rows):
            tag = "th" if index < block.head else "td"
            cells = "".join(
                f'<{tag}{" class=num" if i in numeric else ""} dir="auto">{_runs(cell)}</{tag}>'
                for i, cell in enumerate(row)
            )
            lines.append(f"<tr>{cells}</tr>")
        return [*lines, "</table>"]
    if kind == "figure":
        drawing = ""
        if block.role == "timeline":
            drawing = timeline_svg(report, block.words, block.lines)
        elif block.role == "bars":
            drawing = bars_svg(report.items, block.words)
        if not drawing:
            return []
        return [
            f'<figure>{drawing}<figcaption dir="auto">{_runs(block.runs)}</figcaption></figure>'
        ]
    if kind == "log":
        return [
            '<div class="journal" dir="auto">'
            + "\n".join(esc(line) for line in block.lines)
            + "</div>"
        ]
    return []


def render_html(report: Report, document: Document) -> bytes:
    """The worded report as one UTF-8 HTML document: no scripts, no external resources."""
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(document.lang)}" dir="auto">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="sessiontui">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for block in document.blocks:
        out += _block(block, report)
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
