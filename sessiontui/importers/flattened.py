"""An agenda flattened into one long line by PDF extraction, put back on lines of its own.

"United Nations E/CN.3/2026/1 ... New York, 3–6 March 2026 Provisional agenda 1. Election of
officers. 2. Adoption of the agenda ... (a) Data; (b) Censuses. 3. ..." becomes the masthead's
pieces, the agenda heading and one line per item and sub-item, so the other phases read it as
they read any agenda. Only a line long enough to hold an agenda, with item numbers 1, 2, 3 in
order inside it, is touched.
"""

from __future__ import annotations

import re

from sessiontui.importers.classify import _SYMBOL_RE

MIN_FLAT_LINE = 200
MAX_FLAT_LINE = 20_000
MAX_STARTS = 4  # longer lines are not agendas; the caller's limits refuse them
_NUMBER_RE = re.compile(r"(?:(?<=\s)|^)(?P<n>\d{1,2})\.\s+(?=[A-Z(])")
_SUB_RE = re.compile(r"(?<=[:;.])\s+(?=\((?:[a-z]|[ivx]{1,4})\)\s+[A-Z])")
_HEADING_RE = re.compile(
    r"\s+(?P<keep>(?:Provisional |Draft |Annotated |Revised )?(?:[Aa]genda|AGENDA|Ordre du jour"
    r"|Orden del día|Tagesordnung)\b)"
)
_PREAMBLE_BREAKS = [
    re.compile(r"\s+(?=Distr\.?\s*:)"),
    re.compile(r"(?<=Distr\.: General)\s+|(?<=Distr\.: Limited)\s+"),
    re.compile(r"\s+(?=Original\s*:)"),
    re.compile(r"(?P<keep>Original: [A-Z][a-z]{3,10})\s+"),
    re.compile(r"^(?P<keep>United Nations)\s+"),
    re.compile(
        r"\s+(?P<keep>(?:New |San |Los |Le |La |El |Den )?[A-Z][a-z]+, "
        r"\d{1,2}\s*[-–]\s*\d{1,2} [A-Z][a-z]+ \d{4})"
    ),
    re.compile(r"(?<=\d{4})\s+(?=[A-Z])"),
    re.compile(r"\s+(?=[A-Z][a-z]+(?:-[a-z]+)? session\b)"),
    re.compile(r"(?<= session)\s+(?=[A-Z])"),
]
_JOB_NUMBER_RE = re.compile(r"\s+(?=(?:[A-Z]\.)?\d{2}-\d{5}\s*\([A-Z]\))")
# the job number ("GE.17-03155(E)") a flattened first page may start with, on its own line
_PREAMBLE_JOB_NUMBER_RE = re.compile(r"(?<!\S)(?:[A-Z]{1,2}\.)?\d{2}-\d{5}\s*\([A-Z]\)(?!\S)")
# the masthead, when the extraction put it after the agenda ("... review. United Nations
# FCCC/SBI/2017/1 Distr.: General 24 February 2017 Original: English")
_MASTHEAD_AFTER_RE = re.compile(
    r"\s+(?=(?:United Nations|Nations Unies|Naciones Unidas)\s+\S+/\S+|Distr\.\s*:)"
)


def unflatten(text: str) -> str:
    """``text`` with each flattened agenda line spread over lines; other lines as they were."""
    return "\n".join(_spread(line) for line in text.split("\n"))


def _spread(line: str) -> str:
    if not MIN_FLAT_LINE <= len(line) <= MAX_FLAT_LINE:
        return line
    starts = _item_starts(line)
    if len(starts) < 3:
        return line
    preamble, agenda = line[: starts[0]], line[starts[0] :]
    items = [
        agenda[a - starts[0] : b - starts[0]].strip()
        for a, b in zip(starts, [*starts[1:], len(line)], strict=True)
    ]
    out: list[str] = []
    masthead = _MASTHEAD_AFTER_RE.split(items[-1], maxsplit=1)
    if len(masthead) > 1:
        # the masthead printed at the top of the page: read it there, not as the last item's
        items[-1] = masthead[0]
        preamble = f"{masthead[1]} {preamble}"
    for item in items:
        tail = _JOB_NUMBER_RE.split(item, maxsplit=1)
        out.extend(part.strip() for part in _SUB_RE.split(tail[0]))
        if len(tail) > 1:
            out.extend(["", tail[1].strip()])
    return "\n\n".join([*_preamble_pieces(preamble), "\n".join(out)])


def _item_starts(line: str) -> list[int]:
    """Where items 1, 2, 3 ... begin: the longest run counting up from 1 by one."""
    best: list[int] = []
    candidates = [(int(m["n"]), m.start()) for m in _NUMBER_RE.finditer(line)]
    ones = [index for index, (number, _) in enumerate(candidates) if number == 1]
    # the agenda's own "1." is among the first few; trying every "1." of a hostile line that
    # repeats it thousands of times would cost time quadratic in its length
    for index in ones[:MAX_STARTS]:
        run = [candidates[index][1]]
        expected = 2
        for later, position in candidates[index + 1 :]:
            if later == expected:
                run.append(position)
                expected += 1
        if len(run) > len(best):
            best = run
    return best


def _break(match: re.Match[str]) -> str:
    """A line break where the match was, keeping its ``keep`` group on the new line."""
    keep = match.groupdict().get("keep")
    if keep is None:
        return "\n"
    return f"\n{keep}" if match.group().startswith((" ", "\t")) else f"{keep}\n"


def _preamble_pieces(preamble: str) -> list[str]:
    text = _PREAMBLE_JOB_NUMBER_RE.sub(lambda m: f"\n{m.group()}\n", preamble.strip())
    text = _HEADING_RE.sub(_break, text)
    for pattern in _PREAMBLE_BREAKS:
        text = pattern.sub(_break, text)
    text = _SYMBOL_RE.sub(lambda m: f"\n{m.group()}\n", text)
    return [piece.strip() for piece in text.split("\n") if piece.strip()]
