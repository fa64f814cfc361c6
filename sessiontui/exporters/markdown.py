"""The draft meeting report as CommonMark."""

from __future__ import annotations

import re

from sessiontui.exporters.model import (
    ITEM_SUMMARY_HEAD,
    NOTE_TITLES,
    SITTING_SUMMARY_HEAD,
    Report,
    considered_text,
    item_summary_rows,
    sitting_summary_rows,
    time_text,
)

# Inline syntax anywhere in a line; "&" because "&lt;" would become "<" and "~" for GFM readers.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


_BLOCK_BREAK = re.compile(r"\n\s*\n")
# Characters that can start a heading, quote, list item, thematic break or setext underline.
_LINE_STARTERS = frozenset("#>+=-")


def _escape_line(raw: str) -> str:
    # Leading spaces would make an indented code block; they carry no meaning in a note.
    line = raw.strip()
    # Most lines hold no syntax at all: the searches are cheaper than the substitutions.
    if _INLINE.search(line):
        line = _INLINE.sub(r"\\\1", line)
    if line[:1] in _LINE_STARTERS:
        line = "\\" + line
    elif line[:1].isdigit():
        line = _ORDERED.sub(r"\1\\\2", line)
    return line


def escape(text: str) -> str:
    """Escape text so that CommonMark shows it literally (one line or several)."""
    if "\n" not in text:
        return _escape_line(text)
    return "\n".join([_escape_line(raw) for raw in text.split("\n")])


def paragraphs(text: str) -> list[str]:
    """Multi-line user text as Markdown paragraphs; single line breaks kept as hard breaks."""
    text = text.strip()
    if "\n" not in text:
        return [_escape_line(text)] if text else []
    out = []
    for block in _BLOCK_BREAK.split(text):
        lines = [_escape_line(line) for line in block.split("\n") if line.strip()]
        if lines:
            out.append("\\\n".join(lines))
    return out


def _cell(text: str) -> str:
    # Inside a table cell nothing is at the start of a line: only inline syntax needs escaping.
    return _INLINE.sub(r"\\\1", " ".join(text.split())) or " "


def _table(head: list[str], rows: list[list[str]], align: str) -> list[str]:
    marks = {"l": "---", "r": "--:"}
    lines = [
        "| " + " | ".join(_cell(h) for h in head) + " |",
        "|" + "|".join(marks[a] for a in align) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Report, *, times: bool) -> bytes:
    """The report as UTF-8 CommonMark."""
    clock = report.clock
    out: list[str] = [f"# {escape(report.title)}", ""]
    front = [
        report.subtitle,
        report.body,
        report.symbol,
        ", ".join(part for part in (report.venue, report.dates) if part),
    ]
    front = [escape(part) for part in front if part]
    if front:
        out += ["\\\n".join(front), ""]
    if report.excerpt:
        out += ["*Excerpt: selected agenda items only.*", ""]
    if times:
        out += [f"*Times are local times ({escape(report.zone)}).*", ""]
    out += ["## Proceedings", ""]
    for item in report.items:
        level = "#" * min(6, 3 + item.depth)
        out += [f"{level} {escape(item.heading)}", ""]
        facts = [item.status_text]
        considered = considered_text(item, clock, times=times)
        if considered:
            facts.append(considered)
        if times and (item.used or item.status in ("open", "suspended", "closed")):
            facts.append(time_text(item))
        out += ["*" + escape(" ".join(facts)) + "*", ""]
        for sentence in item.speakers:
            out += [escape(sentence), ""]
        for note in item.notes:
            body = paragraphs(note.text)
            if note.kind == "note":
                out += [*(p + "\n" for p in body)]
                continue
            title = NOTE_TITLES.get(note.kind, "Note")
            quoted = [f"> **{title}:** " + (body[0] if body else "").replace("\n", "\n> ")]
            for extra in body[1:]:
                quoted += [">", "> " + extra.replace("\n", "\n> ")]
            out += [*quoted, ""]
    if times:
        out += ["## Summary", "", "### Time per item", ""]
        out += [*_table(list(ITEM_SUMMARY_HEAD), item_summary_rows(report), "llrrr"), ""]
        out += ["### Sittings", ""]
        sitting_rows = sitting_summary_rows(report)
        head = list(SITTING_SUMMARY_HEAD)
        out += [*_table(head, sitting_rows, "lllll"), ""]
    if report.journal:
        out += ["## Appendix: journal", ""]
        out += [f"- {escape(line)}" for line in report.journal]
        out += [""]
    prov = report.provenance
    out += ["## Provenance", ""]
    out += [
        f"- Session: `{prov.session.replace('`', '')}`",
        f"- Last event: {prov.last_seq}",
        f"- SHA-256 of the log up to that event: `{prov.sha256}`",
        f"- Export time (last event recorded): {escape(clock.iso(prov.exported) or 'none')}",
        "",
    ]
    return "\n".join(out).encode("utf-8")
