"""Whether an agenda entry's title names a break of the programme, in English, French and Russian.

One definition for every reader of a title: the agenda importer (is this line of a programme a
break or an item?) and the report (a break has no chapter, and no line in the agenda it
reproduces).
"""

from __future__ import annotations

import re

# What a break is called: "Coffee break", "Coffee and tea break", "Lunch", "Recess", "Pause-café",
# "Déjeuner", "Перерыв на обед", "Кофе-брейк"; a reception or a dinner of the programme too.
_NAME = (
    r"(?:(?:(?:coffee|tea|health|comfort|short|long|lunch|luncheon|dinner|refreshment"
    r"|networking|prayer)(?:\s+and\s+(?:coffee|tea|refreshments?|networking|prayer))?[\s-]+)?"
    r"(?:break|recess)(?!-?out)"
    r"|lunch(?:eon)?(?:\s+break)?|dinner|reception"
    r"|pause(?:[\s-]+(?:café|déjeuner|repas|de\s+midi|de\s+l['’]après-midi|du\s+matin))?"
    r"|déjeuner"
    r"|(?:обеденный\s+|кофейный\s+)?перерыв(?:\s+на\s+(?:кофе|обед))?|кофе-брейк|обед)"
)
# What may follow the name and still leave it a break, nothing that makes it a subject of its
# own: a note in brackets ("(30 minutes)", "(hosted by Austria)"), a time or a span ("13:00–15:00",
# "10.30-10.45 a.m."), a length ("30 min"), a host ("hosted by the Government of Austria").
_TIME = r"\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]\.?m\.?)?"
_DETAIL = (
    r"\s*\([^()]*\)"
    r"|\s*[,:;–—-]?\s*\d+\s*(?:min(?:ute)?s?|h(?:ours?)?|мин(?:ут)?)\b\.?"
    rf"|\s*[,:;–—-]?\s*(?:from\s+|de\s+|с\s+)?{_TIME}(?:\s*(?:[–—-]|to|à|до)\s*{_TIME})?"
    r"|\s*[,:;–—-]?\s*(?:hosted|offered|sponsored|organi[sz]ed|given|offert|organisé)e?\s+"
    r"(?:by|par)\s+[^()]{1,80}"
)
# Each detail taken whole and never given back (an atomic group, a possessive repeat): a line of
# many numbers ("Lunch 1 1 1 … x") is refused in one pass, not in every way of splitting it.
_BREAK = re.compile(rf"^\W*{_NAME}(?>{_DETAIL})*+\W*$", re.I)


def is_break_title(title: str) -> bool:
    """Whether ``title`` names a break: the whole title is a break's name ("Coffee break",
    "Lunch", "Pause-café", "Перерыв на обед"), at most with a note in brackets, a time, a length
    or a host after it ("Lunch break (13:00–15:00)", "Reception hosted by Austria"). Never a
    title that only begins so: "Breaking the cycle of corruption", "Lunchtime briefing", "Lunch
    with the Executive Director", "Pause in the review cycle" are items."""
    return _BREAK.match(" ".join(title.split())) is not None
