"""Officers' and courtesy titles as agendas write them, in English, French, Spanish and Russian.

One table for every reader of a title: the agenda importer (is "Председатель" a role, is
"Докладчик:" a label?) and the report (is "President of the Conference" an office, to take
"the"; what is "Председатель" in an English or French report?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sessiontui.core.register import fold

Gender = Literal["m", "f", ""]

# The office each title names, its language and, where the word tells it, the holder's gender.
# Several words per office and language: "Chair", "Chairperson", "Chairman"; "Président",
# "Présidente". Order does not matter for a match: the longest title wins.
_TITLES: dict[str, tuple[tuple[str, str, Gender], ...]] = {
    "chair": (
        ("Chair", "en", ""),
        ("Chairperson", "en", ""),
        ("Chairman", "en", "m"),
        ("Chairwoman", "en", "f"),
        ("Président", "fr", "m"),
        ("Présidente", "fr", "f"),
        ("Presidente", "es", ""),
        ("Presidenta", "es", "f"),
        ("Председатель", "ru", ""),
    ),
    "vice-chair": (
        ("Vice-Chair", "en", ""),
        ("Vice-Chairperson", "en", ""),
        ("Vice-President", "en", ""),
        ("Vice-Président", "fr", "m"),
        ("Vice-Présidente", "fr", "f"),
        ("Vicepresidente", "es", ""),
        ("Vicepresidenta", "es", "f"),
        ("Заместитель Председателя", "ru", ""),
    ),
    "co-chair": (
        ("Co-Chair", "en", ""),
        ("Coprésident", "fr", "m"),
        ("Coprésidente", "fr", "f"),
        ("Copresidente", "es", ""),
        ("Сопредседатель", "ru", ""),
    ),
    "co-chairs": (
        ("Co-Chairs", "en", ""),
        ("Coprésidents", "fr", "m"),
        ("Coprésidentes", "fr", "f"),
        ("Copresidentes", "es", ""),
        ("Сопредседатели", "ru", ""),
    ),
    "president": (("President", "en", ""),),
    "secretary-general": (
        ("Secretary-General", "en", ""),
        ("Secrétaire général", "fr", "m"),
        ("Secrétaire générale", "fr", "f"),
        ("Secretario General", "es", "m"),
        ("Secretaria General", "es", "f"),
        ("Генеральный секретарь", "ru", ""),
    ),
    "executive-secretary": (
        ("Executive Secretary", "en", ""),
        ("Secrétaire exécutif", "fr", "m"),
        ("Secrétaire exécutive", "fr", "f"),
        ("Secretario Ejecutivo", "es", "m"),
        ("Secretaria Ejecutiva", "es", "f"),
        ("Исполнительный секретарь", "ru", ""),
    ),
    "secretary": (
        ("Secretary", "en", ""),
        ("Secrétaire", "fr", ""),
        ("Secretario", "es", "m"),
        ("Secretaria", "es", "f"),
        ("Секретарь", "ru", ""),
    ),
    "secretariat": (
        ("Secretariat", "en", ""),
        ("Secrétariat", "fr", ""),
        ("Secretaría", "es", ""),
        ("Секретариат", "ru", ""),
    ),
    "rapporteur": (
        ("Rapporteur", "en", ""),
        ("Rapporteur", "fr", "m"),
        ("Rapporteuse", "fr", "f"),
        ("Relator", "es", "m"),
        ("Relatora", "es", "f"),
        ("Ponente", "es", ""),
        ("Докладчик", "ru", ""),
        ("Докладчица", "ru", "f"),
    ),
    "bureau": (("Bureau", "en", ""), ("Bureau", "fr", ""), ("Mesa", "es", ""), ("Бюро", "ru", "")),
    "director-general": (
        ("Director-General", "en", ""),
        ("Directeur général", "fr", "m"),
        ("Directrice générale", "fr", "f"),
        ("Director General", "es", "m"),
        ("Directora General", "es", "f"),
        ("Генеральный директор", "ru", ""),
    ),
    "executive-director": (
        ("Executive Director", "en", ""),
        ("Directeur exécutif", "fr", "m"),
        ("Directrice exécutive", "fr", "f"),
        ("Director Ejecutivo", "es", "m"),
        ("Directora Ejecutiva", "es", "f"),
        ("Директор-исполнитель", "ru", ""),
        ("Исполнительный директор", "ru", ""),
    ),
    "director": (
        ("Director", "en", ""),
        ("Directeur", "fr", "m"),
        ("Directrice", "fr", "f"),
        ("Director", "es", "m"),
        ("Directora", "es", "f"),
        ("Директор", "ru", ""),
    ),
    "under-secretary-general": (
        ("Under-Secretary-General", "en", ""),
        ("Secrétaire général adjoint", "fr", "m"),
        ("Secrétaire générale adjointe", "fr", "f"),
        ("Secretario General Adjunto", "es", "m"),
        ("Secretaria General Adjunta", "es", "f"),
        ("Заместитель Генерального секретаря", "ru", ""),
    ),
    "moderator": (
        ("Moderator", "en", ""),
        ("Modérateur", "fr", "m"),
        ("Modératrice", "fr", "f"),
        ("Moderador", "es", "m"),
        ("Moderadora", "es", "f"),
        ("Модератор", "ru", ""),
    ),
    "facilitator": (
        ("Facilitator", "en", ""),
        ("Facilitateur", "fr", "m"),
        ("Facilitatrice", "fr", "f"),
        ("Facilitador", "es", "m"),
        ("Facilitadora", "es", "f"),
        ("Координатор", "ru", ""),
        ("Фасилитатор", "ru", ""),
    ),
    "co-facilitator": (
        ("Co-facilitator", "en", ""),
        ("Cofacilitateur", "fr", "m"),
        ("Cofacilitatrice", "fr", "f"),
        ("Cofacilitador", "es", "m"),
        ("Cofacilitadora", "es", "f"),
        ("Сокоординатор", "ru", ""),
    ),
    "co-facilitators": (
        ("Co-facilitators", "en", ""),
        ("Cofacilitateurs", "fr", "m"),
        ("Cofacilitadores", "es", ""),
        ("Сокоординаторы", "ru", ""),
    ),
}


@dataclass(frozen=True, slots=True)
class Office:
    """An officer's title found at the start of a presenter's name.

    ``office``: what it is, the same whatever the language ("chair" for "Chair", "Présidente"
    and "Председатель"); ``lang``: the language of the words; ``gender``: "m" or "f" when the
    words tell it; ``title``: the words as written; ``rest``: what follows them ("of the
    Conference", ", Ethics Office"), "" for the office alone.
    """

    office: str
    lang: str
    gender: Gender
    title: str
    rest: str


_BY_WORDS: dict[str, tuple[str, str, Gender]] = {}
for _office, _titles in _TITLES.items():
    for _words, _lang, _gender in _titles:
        # A spelling shared by languages ("Rapporteur", "Director") keeps its first reading.
        _BY_WORDS.setdefault(_words.casefold(), (_office, _lang, _gender))
# The longest title first: "Заместитель Председателя" is the vice-chair, not the chair's deputy.
_LEADING = re.compile(
    r"^(?:the\s+|la\s+|le\s+|l['’]|el\s+)?("
    + "|".join(re.escape(words) for words in sorted(_BY_WORDS, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


def office_of(name: str) -> Office | None:
    """The officer's title ``name`` starts with ("President of the Conference", "Председатель",
    "Secretariat"), or None for a person ("Ms. Ana Ruiz, Chair") or anything else.

    Where one spelling is a title in several languages ("Rapporteur", "Bureau", "Director"),
    the first listed is taken; ``words_in`` tells whether it is also one of a given language.
    """
    match = _LEADING.match(name.strip())
    if match is None:
        return None
    words = match.group(1)
    office, lang, gender = _BY_WORDS[words.casefold()]
    return Office(office, lang, gender, words, name.strip()[match.end() :])


def words_in(title: str, lang: str) -> bool:
    """Whether ``title`` ("Rapporteur", "Director") is an officer's title in language ``lang``."""
    folded = title.casefold()
    return any(
        words.casefold() == folded and language == lang
        for titles in _TITLES.values()
        for words, language, _ in titles
    )


def titles() -> list[str]:
    """Every officer's title as written ("Chair", « Présidente », "Secretariat"), once each:
    what a mistyped office ("Chiar") may have meant."""
    return list(dict.fromkeys(words for spelled in _TITLES.values() for words, _, _ in spelled))


def role_words() -> frozenset[str]:
    """Every officer's title, case-folded, one word or several ("chair", "заместитель
    председателя"): what marks a name as a role rather than a person's."""
    return frozenset(_BY_WORDS)


# Courtesy titles that say whether the holder is a man or a woman, in the languages of the
# officers' titles: a report in another language says the holder's in its own ("Ms." is « Mme »).
# Other titles ("Dr.", "H.E.", "Prof.") are part of the name as written.
_COURTESIES: tuple[tuple[str, str, Gender], ...] = (
    ("Mr.", "en", "m"),
    ("Mr", "en", "m"),
    ("Ms.", "en", "f"),
    ("Ms", "en", "f"),
    ("Mrs.", "en", "f"),
    ("Mrs", "en", "f"),
    ("Miss", "en", "f"),
    ("M.", "fr", "m"),
    ("Mme", "fr", "f"),
    ("Mlle", "fr", "f"),
    ("Sr.", "es", "m"),
    ("Sra.", "es", "f"),
    ("Srta.", "es", "f"),
    ("г-н", "ru", "m"),
    ("г-жа", "ru", "f"),
)
_COURTESY = re.compile(
    r"^(" + "|".join(re.escape(words) for words, _, _ in _COURTESIES) + r")\s+(?=\S)", re.I
)
_COURTESY_OF = {words.casefold(): (lang, gender) for words, lang, gender in _COURTESIES}


@dataclass(frozen=True, slots=True)
class Person:
    """A person as an agenda names them: "Ms. Ana Ruiz, Chair", "Mme Ana Ruiz", "Ana Ruiz,
    Présidente de la Conférence".

    ``courtesy``: the courtesy title as written ("Ms.", "Mme"), "" for none; ``courtesy_lang``
    its language; ``name``: the name as written, without them ("Ana Ruiz"); ``office``: the
    officer's title after the comma (``office_of``), None for none; ``gender``: "m" or "f" as
    the courtesy title, else the office's words, tell it.
    """

    courtesy: str
    courtesy_lang: str
    name: str
    office: Office | None
    gender: Gender


_OFFICE_IN_BRACKETS = re.compile(r"(?P<name>[^()]*?\S)\s*\((?P<office>[^()]+)\)\s*")


def person_of(text: str) -> Person | None:
    """The person ``text`` names with a courtesy title that tells who they are ("Ms. Ana Ruiz")
    or an officer's title after a comma ("Ana Ruiz, Chair") or in brackets after the name ("Mr.
    Li Wei (Vice-Chair)"), or both; None for anything else
    (an office alone, a name alone, "Brazil"), said as written."""
    text = text.strip()
    courtesy, courtesy_lang = "", ""
    gender: Gender = ""
    if (found := _COURTESY.match(text)) is not None:
        courtesy = found.group(1)
        courtesy_lang, gender = _COURTESY_OF[courtesy.casefold()]
        text = text[found.end() :]
    name, comma, after = text.partition(",")
    office = office_of(after) if comma else None
    if office is None and (bracket := _OFFICE_IN_BRACKETS.fullmatch(text)) is not None:
        # "Mr. Li Wei (Vice-Chair)": the office in brackets after the name, as lists of
        # speakers write it.
        name, office = bracket["name"], office_of(bracket["office"])
    if office is None:
        name = text
    if not courtesy and office is None:
        return None
    return Person(
        courtesy, courtesy_lang, name.strip(), office, gender or (office.gender if office else "")
    )


# -- the secretariat, however a speaker's name says it -------------------------------------------

# "Secretariat", "Secrétariat", "Secretaría", "Секретариат": the words of the table above.
_SECRETARIAT_WORDS = "|".join(re.escape(words) for words, _, _ in _TITLES["secretariat"])
_ARTICLE = r"(?:the\s+|la\s+|le\s+|el\s+|l['’]\s*)?"
# The secretariat first: "Secretariat", "the secretariat of the Basel Convention", "Secretariat
# (UNODC)", "Secretariat, UNODC", « Secrétariat de la Convention », "Секретариат ЮНОДК".
_SECRETARIAT_FIRST = re.compile(
    rf"^{_ARTICLE}(?P<words>{_SECRETARIAT_WORDS})(?![\w-])\s*(?P<rest>.*)$", re.I | re.S
)
_OF_BODY = re.compile(
    r"^(?:of|for|to|de|du|des|de\s+la|de\s+l['’]|del|de\s+los|de\s+las)(?:\s+|(?<=['’]))", re.I
)
# The secretariat last, as English names a body's own: "IMO Secretariat", "the UNFCCC secretariat".
_SECRETARIAT_LAST = re.compile(rf"^{_ARTICLE}(?P<body>\S.*?)\s+(?:{_SECRETARIAT_WORDS})$", re.I)


def secretariat_of(name: str) -> str | None:
    """Whose secretariat ``name`` names, as speakers' names and agendas write it: ``""`` for
    the secretariat alone ("Secretariat", "the secretariat", « le Secrétariat »), the body's
    name for a body's ("IMO Secretariat", "the secretariat of the Basel Convention",
    "Secretariat (UNODC)", « Secrétariat de la Convention », "Секретариат ЮНОДК": "IMO",
    "Basel Convention", "UNODC", "Convention", "ЮНОДК"); None for a name that names no
    secretariat ("Secretary of the Commission" is an office, "Brazil" a delegation)."""
    text = " ".join(name.split())
    found = _SECRETARIAT_FIRST.match(text)
    if found is not None:
        rest = found["rest"]
        if not rest:
            return ""
        if rest.startswith("(") and rest.endswith(")"):
            return _body(rest[1:-1])
        if rest.startswith((",", "–", "-", ":")):
            return _body(rest[1:])
        if (of := _OF_BODY.match(rest)) is not None:
            return _body(rest[of.end() :])
        if found["words"].casefold() == "секретариат":
            return _body(rest)  # Russian names the body after it, in the genitive
        return None  # "Secretariat building": other words, no name of a body
    found = _SECRETARIAT_LAST.match(text)
    return _body(found["body"]) if found is not None else None


def _body(text: str) -> str:
    """A body's name as a secretariat's name gives it, without its article."""
    text = text.strip(" ,;:–-")
    return re.sub(r"^(?:the|la|le|les|el|los|las)\s+|^l['’]\s*", "", text, flags=re.I)


def _spellings(name: str) -> set[str]:
    """The ways one name may be given: as written, and each part of "Office on Drugs and Crime
    (UNODC)" alone; compared folded, without an article."""
    name = _body(" ".join(name.split()))
    out = {name}
    bracket = re.fullmatch(r"(?P<long>.+?)\s*\((?P<short>[^()]+)\)", name)
    if bracket is not None:
        out |= {bracket["long"], bracket["short"]}
    return {fold(_body(spelling)) for spelling in out if spelling.strip()}


@dataclass(frozen=True, slots=True)
class Secretariat:
    """The meeting's secretariat as the agenda names it (``[meeting] secretariat``), or not.

    ``spellings``: the folded ways its name may be given ("UNODC", "Basel Convention" for "the
    secretariat of the Basel Convention", both parts of "Office on Drugs and Crime (UNODC)");
    empty when the agenda names none.
    """

    spellings: frozenset[str] = frozenset()

    @classmethod
    def named(cls, configured: str | None) -> Secretariat:
        """The secretariat ``configured`` names ("UNODC", "IMO Secretariat", "the secretariat
        of the Basel Convention"); none for None or an empty name."""
        if not configured or not configured.strip():
            return cls()
        spellings = _spellings(configured)
        body = secretariat_of(configured)
        if body:
            spellings |= _spellings(body)
        return cls(frozenset(spellings))

    def role_of(self, name: str) -> str | None:
        """Whether a speaker named ``name`` speaks for a secretariat: ``"secretariat"`` for the
        meeting's (its name as configured, "Secretariat" alone, or its name as a secretariat's,
        "UNODC Secretariat"), ``"observer"`` for another body's when the agenda names the
        meeting's ("Basel Convention Secretariat" at a UNODC meeting: an organization's
        observer), None for a name that names no secretariat. Without a configured
        secretariat, every secretariat a speaker names is the meeting's: the common case, and
        nothing tells them apart."""
        if self.spellings and _spellings(name) & self.spellings:
            return "secretariat"
        body = secretariat_of(name)
        if body is None:
            return None
        if not body or not self.spellings or _spellings(body) & self.spellings:
            return "secretariat"
        return "observer"
