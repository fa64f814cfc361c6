"""What an organizational agenda item does, read from its title: the opening of the meeting,
the election of officers, the adoption of the agenda, organizational matters, credentials.

The report tells these items in its "Organization of the meeting" chapter, and the importer
takes such a line printed without a number above the first item ("Opening of the session"
over "1  Adoption of the agenda", as an IMO agenda prints it) for an item of the meeting.
"""

from __future__ import annotations

import re

__all__ = ["organizational_kind"]

# Organizational agenda items, by what their titles begin with, in English and French (the
# languages of the report templates): a report tells them in its "Organization of the meeting"
# chapter, in the section of that name, never as chapters of their own. Matched from the start of
# the title, so that "Opening of the meeting and adoption of the agenda" is the opening.
_MEETING_WORDS = r"(?:meeting|session|sitting|conference|assembly|forum|congress|workshop|seminar)"
_ORGANIZATIONAL = (
    (
        "opening",
        re.compile(
            r"^\W*(?:official\s+|formal\s+)?opening(?:\s+of\s+the\s+(?:[\w’'-]+\s+){0,6}?"
            + _MEETING_WORDS
            + r"\b|\s+by\b|\s+(?:remarks|statements?|ceremony)\b|\s*(?:$|[,;:.(–-]|and\b))"
            r"|^\W*ouverture(?:\s+(?:officielle\s+)?de\s+la\s+(?:[\w’'-]+\s+){0,6}?"
            r"(?:réunion|session|séance|conférence|assemblée)\b|\s+par\b|\s*(?:$|[,;:.(–-]|et\b))"
            r"|^\W*(?:allocutions?|déclarations?)\s+d['’]ouverture\b",
            re.I,
        ),
    ),
    (
        "officers",
        re.compile(
            r"^\W*elections?\s+of\s+(?:the\s+)?(?:officers|bureau|members\s+of\s+the\s+bureau"
            r"|(?:co-|vice-)?(?:chair(?:person|man|woman)?|president)s?|rapporteurs?)\b"
            r"|^\W*élections?\s+(?:du|des|de\s+la|de\s+l['’])\s*(?:bureau|membres\s+du\s+bureau"
            r"|(?:vice-)?président(?:e)?s?|rapporteu(?:r|se)s?)\b",
            re.I,
        ),
    ),
    (
        "agenda",
        re.compile(
            r"^\W*(?:adoption|approval)\s+of\s+the\s+(?:provisional\s+)?agenda\b"
            r"|^\W*organi[sz]ation\s+of\s+(?:the\s+)?work\b"
            r"|^\W*adoption\s+de\s+l['’]ordre\s+du\s+jour\b|^\W*organisation\s+des\s+travaux\b",
            re.I,
        ),
    ),
    (
        "organization",
        re.compile(
            r"^\W*organi[sz]ational\s+(?:matters|questions)\b|^\W*questions\s+d['’]organisation\b",
            re.I,
        ),
    ),
    # The credentials of representatives and the report on them ("Adoption of the report of
    # the Bureau on credentials", "Report of the Credentials Committee", "Credentials of
    # representatives"): the report of another body on who may sit, never the meeting's own.
    (
        "credentials",
        re.compile(
            r"^\W*(?:(?:adoption|approval|consideration|examination)\s+of\s+the\s+)?"
            r"(?:(?:first|second|third|final|interim)\s+)?report\s+(?:of\s+the\s+"
            r"(?:credentials\s+committee\b|(?:[\w’'-]+\s+){1,4}?on\s+(?:the\s+)?credentials\b)"
            r"|on\s+(?:the\s+)?credentials\b)"
            r"|^\W*(?:(?:appointment|election)\s+of\s+(?:the\s+)?(?:members\s+of\s+the\s+)?)?"
            r"credentials\s+committee\b"
            r"|^\W*(?:(?:examination|verification)\s+of\s+(?:the\s+)?)?credentials\b"
            r"|^\W*(?:(?:adoption|approbation|examen)\s+du\s+)?rapport\s+(?:(?:du|de\s+la)\s+"
            r"(?:commission\s+de\s+vérification\s+des\s+pouvoirs\b|(?:[\w’'-]+\s+){1,4}?sur\s+"
            r"les\s+pouvoirs\b)|sur\s+les\s+pouvoirs\b)"
            r"|^\W*(?:(?:nomination|élection)\s+des\s+membres\s+de\s+la\s+)?"
            r"commission\s+de\s+vérification\s+des\s+pouvoirs\b"
            r"|^\W*(?:(?:examen|vérification)\s+des\s+)?pouvoirs\b",
            re.I,
        ),
    ),
)


# The same in Russian, as UN agendas in Russian word them: "Открытие сессии", "Выборы
# должностных лиц", "Утверждение повестки дня и организация работы", "Организационные вопросы",
# "Полномочия представителей", "Доклад Бюро о полномочиях".
_ORGANIZATIONAL_RU = (
    (
        "opening",
        re.compile(
            r"^\W*(?:официальное\s+)?открытие(?:\s+(?:сессии|совещания|заседания|конференции"
            r"|(?:\w+\s+){0,4}?(?:сессии|совещания|конференции))\b|\s*(?:$|[,;:.(–-]|и\b))",
            re.I,
        ),
    ),
    (
        "officers",
        re.compile(r"^\W*выборы\s+(?:должностных\s+лиц|председател|бюро|членов\s+бюро)", re.I),
    ),
    (
        "agenda",
        re.compile(r"^\W*утверждение\s+повестки\s+дня\b|^\W*организация\s+работы\b", re.I),
    ),
    ("organization", re.compile(r"^\W*организационные\s+вопросы\b", re.I)),
    (
        "credentials",
        re.compile(
            r"^\W*(?:(?:утверждение|рассмотрение)\s+)?доклада?\s+(?:[\w-]+\s+){0,3}?о\s+"
            r"полномочиях\b|^\W*(?:проверка\s+)?полномочи[йяе]\b",
            re.I,
        ),
    ),
)


def organizational_kind(title: str) -> str:
    """What an organizational item's title says it does: ``"opening"``, ``"officers"``,
    ``"agenda"`` (the adoption of the agenda, the organization of work), ``"organization"``
    ("Organizational matters"), ``"credentials"``; ``""`` for any other title."""
    for part, words in (*_ORGANIZATIONAL, *_ORGANIZATIONAL_RU):
        if words.match(title):
            return part
    return ""
