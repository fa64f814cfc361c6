"""The participants register: the States, organizations and observers attending a meeting.

A participant has a name (the official short name for a State), a kind, the groups it belongs
to (regional groups, negotiating groups) and, optionally, the persons in its delegation. The
register is kept in the session log like everything else (``participant.add`` events); roll
calls mark who is present at each sitting (``attendance.mark``).

``shipped()`` is the list a secretariat starts from: the 193 Member States of the United
Nations and the two observer States under their official UN short names, with the five regional
groups as the UN Department for General Assembly and Conference Management lists them, the
African Group, the Group of 77 and China, and the member States of the European Union.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

KINDS: tuple[str, ...] = ("Member State", "observer State", "IGO", "NGO", "UN entity")
"""The kinds of participant, as a report groups them."""

_KIND_WORDS = {
    "member state": "Member State",
    "member": "Member State",
    "state": "Member State",
    "observer state": "observer State",
    "observer-state": "observer State",
    "igo": "IGO",
    "intergovernmental organization": "IGO",
    "ngo": "NGO",
    "non-governmental organization": "NGO",
    "un entity": "UN entity",
    "un": "UN entity",
    "un-entity": "UN entity",
}

REGISTER_FILE = "un-participants.csv"


class Participant(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A State or organization in the register."""

    name: str
    kind: str = "Member State"
    groups: list[str] = []
    persons: list[str] = []

    @property
    def role(self) -> str:
        """How a report names its speaker: ``representative`` (a State) or ``observer``."""
        return "representative" if self.kind == "Member State" else "observer"


class RegisterError(ValueError):
    """A register file that cannot be read; the message names the file and line."""


def kind_of(word: str) -> str | None:
    """The kind a word names (``igo``, ``Member State``, ``observer-state`` …), or None."""
    return _KIND_WORDS.get(" ".join(word.strip().casefold().split()))


def unlisted_kind(name: str) -> str:
    """The kind of a name that is not on the UN list, when none is given: a United Nations
    entity by its name ("United Nations Office on Drugs and Crime"; no State is so named),
    else a Member State."""
    return "UN entity" if fold(name).startswith("united nations ") else "Member State"


# The apostrophes a name is typed with: a keyboard's ', a word processor's ’ (and ‘), the
# modifier letter ʼ, a prime ′ or an accent ` ´ typed for one.
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼʹ′`´", "'"))


def fold(name: str) -> str:
    """A name compared without case, accents, extra spaces or the form of its apostrophes
    ("cote d’ivoire" = "Côte d'Ivoire")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_APOSTROPHES))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _participant(
    name: str, kind: str, groups: Iterable[str], persons: Iterable[str], where: str
) -> Participant:
    name = " ".join(name.split())
    if not name:
        raise RegisterError(f"{where}: a participant without a name")
    found = kind_of(kind) if kind.strip() else "Member State"
    if found is None:
        raise RegisterError(f"{where}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    return Participant(
        name=name,
        kind=found,
        groups=[" ".join(g.split()) for g in groups if g.strip()],
        persons=[" ".join(p.split()) for p in persons if p.strip()],
    )


def read_csv(text: str, source: str) -> list[Participant]:
    """Participants from CSV: a head row with ``name`` and optionally ``kind``, ``groups`` and
    ``persons`` (several groups or persons separated by ``;``)."""
    # Imported here: every command imports this module (through the domain's commands), and
    # only a register read from a file needs the parsers.
    import csv
    import io

    rows = csv.reader(io.StringIO(text))
    head = [cell.strip().casefold() for cell in next(rows, [])]
    if "name" not in head:
        raise RegisterError(f"{source}:1: the first row must name the columns, with 'name'")
    out: list[Participant] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(head, row, strict=False))
        out.append(
            _participant(
                cells.get("name", ""),
                cells.get("kind", ""),
                cells.get("groups", "").split(";"),
                cells.get("persons", "").split(";"),
                f"{source}:{line}",
            )
        )
    return out


def read_toml(text: str, source: str) -> list[Participant]:
    """Participants from TOML: ``[[participants]]`` tables with ``name``, ``kind``, ``groups``
    and ``persons``."""
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegisterError(f"{source}: {exc}") from None
    entries = document.get("participants")
    if not isinstance(entries, list):
        raise RegisterError(f"{source}: no [[participants]] tables")
    out: list[Participant] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: participant {number}"
        if not isinstance(entry, dict):
            raise RegisterError(f"{where}: not a table")
        unknown = set(entry) - {"name", "kind", "groups", "persons"}
        if unknown:
            raise RegisterError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        groups, persons = entry.get("groups", []), entry.get("persons", [])
        if not isinstance(groups, list) or not isinstance(persons, list):
            raise RegisterError(f"{where}: groups and persons are lists of names")
        out.append(
            _participant(
                str(entry.get("name", "")),
                str(entry.get("kind", "")),
                map(str, groups),
                map(str, persons),
                where,
            )
        )
    return out


def read_file(path: Path) -> list[Participant]:
    """Participants from a ``.csv`` or ``.toml`` file.

    Raises:
        RegisterError: the file cannot be read, or a line is wrong (file and line named).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegisterError(f"no register file at {path}") from None
    except IsADirectoryError:
        raise RegisterError(f"{path}: is a folder, not a register file") from None
    except UnicodeDecodeError:
        raise RegisterError(f"{path}: not a text file (a register is UTF-8 CSV or TOML)") from None
    except OSError as exc:
        raise RegisterError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if path.suffix.lower() == ".toml":
        return read_toml(text, str(path))
    if path.suffix.lower() == ".csv":
        return read_csv(text, str(path))
    raise RegisterError(f"{path}: a register is a .csv or .toml file")


def shipped() -> list[Participant]:
    """The UN Member States, observer States and the European Union, with their groups."""
    return list(_shipped())


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[Participant, ...]:
    from importlib import resources

    text = resources.files("sessiontui.data").joinpath(REGISTER_FILE).read_text("utf-8")
    return tuple(read_csv(text, REGISTER_FILE))


def speaker_roles(registered: Mapping[str, Participant]) -> dict[str, str]:
    """How a report names each delegation's speaker (``Participant.role``), by ``fold``-ed name.

    The session's register decides for the names it holds; for any other name the shipped UN
    list does, as it does for completing names: without a register the European Union is
    still an organization, whose speaker is "the observer for the European Union", never "the
    representative of" it. A name on neither list is a State's (the caller's default).
    """
    return {**_shipped_roles(), **{key: p.role for key, p in registered.items()}}


@functools.lru_cache(maxsize=1)
def _shipped_roles() -> dict[str, str]:
    # Copied into every caller's dict above, never handed out itself.
    return {fold(p.name): p.role for p in _shipped()}


def speaker_names(registered: Iterable[Participant], spoken: Iterable[str]) -> list[str]:
    """What a speaker's name completes from (the tracker's speaker dialog, the CLI): the
    session's register, the names spoken before, then the UN list, each name once."""
    names = [p.name for p in registered] + list(spoken) + [p.name for p in _shipped()]
    return list(dict.fromkeys(names))


def group_names(registered: Iterable[Participant], spoken: Iterable[str]) -> list[str]:
    """What an "on behalf of" completes from: the groups spoken for before, the register's
    groups and the UN list's, each once."""
    listed = [g for p in registered for g in p.groups] + [g for p in _shipped() for g in p.groups]
    return list(dict.fromkeys([*spoken, *listed]))


def find(name: str, participants: Iterable[Participant]) -> Participant | None:
    """The participant of that name (compared by ``fold``), or None."""
    wanted = fold(name)
    return next((p for p in participants if fold(p.name) == wanted), None)


COMMON_NAMES = {
    "turkey": "Türkiye",
    "czech republic": "Czechia",
    "swaziland": "Eswatini",
    "macedonia": "North Macedonia",
    "cape verde": "Cabo Verde",
    "ivory coast": "Côte d'Ivoire",
    "vietnam": "Viet Nam",
    "russia": "Russian Federation",
    "syria": "Syrian Arab Republic",
    "south korea": "Republic of Korea",
    "north korea": "Democratic People's Republic of Korea",
    "laos": "Lao People's Democratic Republic",
    "burma": "Myanmar",
    "holland": "Netherlands (Kingdom of the)",
    "usa": "United States of America",
    "us": "United States of America",
    "united states": "United States of America",
    "uk": "United Kingdom of Great Britain and Northern Ireland",
    "great britain": "United Kingdom of Great Britain and Northern Ireland",
    "britain": "United Kingdom of Great Britain and Northern Ireland",
    "tanzania": "United Republic of Tanzania",
    "moldova": "Republic of Moldova",
    "east timor": "Timor-Leste",
    "brunei": "Brunei Darussalam",
    "kyrgyz republic": "Kyrgyzstan",
    "palestine": "State of Palestine",
    "vatican": "Holy See",
    "dr congo": "Democratic Republic of the Congo",
    "drc": "Democratic Republic of the Congo",
    "the gambia": "Gambia",
    "the bahamas": "Bahamas",
}
"""Names people say for a State whose name on the UN list is another (folded, see ``fold``)."""


def un_name_for(name: str) -> Participant | None:
    """The entry of the UN list a name not on it stands for, if one plainly does: a name
    commonly said for it ("Turkey": Türkiye, "UK"), or the start of exactly one name on it
    ("Bolivia": "Bolivia (Plurinational State of)", "United Kingdom")."""
    listed = _shipped()
    wanted = fold(name)
    common = COMMON_NAMES.get(wanted)
    if common is not None:
        return find(common, listed)
    if len(wanted) < 4:
        return None
    starting = [p for p in listed if fold(p.name).startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


def un_variant(name: str) -> Participant | None:
    """The entry of the UN list a name not on it plainly means, for ``participant add`` to
    refuse the name as typed: one ``un_name_for`` finds ("Turkey"), else the one name on the
    list it reads as without spaces and punctuation ("Cote dIvoire", "Guinea Bissau"), else
    the one it is closest to by ``CLOSE_MATCH`` ("Kenia", "Brasil"; never "Greenpeace")."""
    import difflib

    common = un_name_for(name)
    if common is not None:
        return common
    listed = _shipped()
    letters = _letters(fold(name))
    if not letters:
        return None
    same = [p for p in listed if _letters(fold(p.name)) == letters]
    if same:
        return same[0] if len(same) == 1 else None
    matcher = difflib.SequenceMatcher(b=fold(name))
    scores: dict[str, float] = {}
    for participant in listed:
        for spelled in {participant.name, participant.name.partition(" (")[0]}:
            matcher.set_seq1(fold(spelled))
            if matcher.real_quick_ratio() >= CLOSE_MATCH and matcher.quick_ratio() >= CLOSE_MATCH:
                score = matcher.ratio()
                if score >= CLOSE_MATCH:
                    scores[participant.name] = max(score, scores.get(participant.name, 0.0))
    best = [n for n, score in scores.items() if score == max(scores.values(), default=0.0)]
    return find(best[0], listed) if len(best) == 1 else None


def _letters(folded: str) -> str:
    """A ``fold``-ed name without what it may be typed with or without: spaces, apostrophes,
    hyphens, dots ("cote divoire" and "cote d'ivoire" are "cotedivoire")."""
    return "".join(c for c in folded if c.isalnum())


@dataclass(frozen=True, slots=True)
class Unlisted:
    """A speaker's name that no list the report names speakers by holds (so the report takes
    it for a State's), with the names most likely meant, best first (none: nothing close)."""

    name: str
    meant: tuple[str, ...] = ()

    def said(self, undo: str) -> str:
        """The warning, in one line; ``undo`` says how the front end takes the speaker back
        ("u undoes it"), said when another name was likely meant. A name close to none may
        be a person's or an unregistered organization's: registered, the report names it as
        its kind says."""
        said = f"{self.name!r} is on neither the register nor the UN list"
        if self.meant:
            return f"{said}: did you mean {' or '.join(map(repr, self.meant))}? ({undo})"
        return (
            f"{said}: the report will name it as a State's "
            "(`sessiontui participant add --kind` registers it)"
        )


CLOSE_MATCH = 0.8
"""How alike a name typed and a name listed must be (difflib's ratio of the ``fold``-ed names)
for the one to be offered as what the other meant: "Brasil" and "Brazil" are 0.83, "Kenia" and
"Kenya" 0.8; "Peur" and "Peru", 0.75, are not, nor is "Greenpeace" Greece."""

_MEANT_AT_MOST = 2
"""How many names a warning offers when several are as close ("Chiar": China or Chair)."""


def unlisted_speaker(
    name: str,
    registered: Iterable[Participant],
    spoken: Iterable[str] = (),
    secretariat: str | None = None,
) -> Unlisted | None:
    """Whether the report would take the speaker ``name`` for a State's with no list saying
    so (docs/participants.md, "How speakers are named"), and what was likely meant.

    None for a name the session's register, the UN list or the names spoken before in the
    session (``spoken``) hold, compared by ``fold``, and for a name the report reads as an
    office ("Chair", "Ms. Ana Ruiz, Chair") or a secretariat (the agenda's ``secretariat``,
    "IMO Secretariat"). Else the name, with what it likely meant: the UN list's name for a
    name commonly said ("Turkey": Türkiye, ``un_name_for``), else the closest spellings of
    those names, an office's or the secretariat's ("Brasil": Brazil, "Untied States").
    """
    # Imported when called: offices reads ``fold`` from this module.
    from sessiontui.core.offices import Secretariat, office_of, person_of

    registered, spoken = list(registered), list(spoken)
    wanted = fold(name)
    if not wanted or wanted in _shipped_folded():
        return None
    if any(fold(known) == wanted for known in [*(p.name for p in registered), *spoken]):
        return None
    if Secretariat.named(secretariat).role_of(name) is not None or office_of(name) is not None:
        return None
    person = person_of(name)
    if person is not None and person.office is not None:
        return None
    common = un_name_for(name)
    if common is not None:
        return Unlisted(name, (common.name,))
    return Unlisted(name, _closest(wanted, [*(p.name for p in registered), *spoken], secretariat))


def _closest(wanted: str, session: list[str], secretariat: str | None) -> tuple[str, ...]:
    """The names a ``fold``-ed name not listed is closest to, as ``CLOSE_MATCH`` allows."""
    import difflib

    offered: dict[str, str] = {}  # a folded spelling: the name it offers
    for spelled in [*session, *([secretariat] if secretariat else [])]:
        offered.setdefault(fold(spelled), spelled)
    for key, meant in _listed_spellings():
        offered.setdefault(key, meant)
    if len(wanted) >= _PREFIX_AT_LEAST:
        # A long name typed is compared with as much of each listed name ("Unitd Kingdom":
        # the United Kingdom of Great Britain and Northern Ireland).
        for participant in _shipped():
            offered.setdefault(fold(participant.name)[: len(wanted)], participant.name)
    matcher = difflib.SequenceMatcher(b=wanted)
    scores: dict[str, float] = {}
    for key, meant in offered.items():
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() >= CLOSE_MATCH and matcher.quick_ratio() >= CLOSE_MATCH:
            score = matcher.ratio()
            if score >= CLOSE_MATCH:
                scores[meant] = max(score, scores.get(meant, 0.0))
    if not scores:
        return ()
    best = max(scores.values())
    return tuple(meant for meant, score in scores.items() if score == best)[:_MEANT_AT_MOST]


_PREFIX_AT_LEAST = 8
"""How long a name typed must be to be compared with the start of a longer listed name: a short
one would be close to the start of too many."""


@functools.lru_cache(maxsize=1)
def _shipped_folded() -> frozenset[str]:
    return frozenset(fold(p.name) for p in _shipped())


@functools.lru_cache(maxsize=1)
def _listed_spellings() -> tuple[tuple[str, str], ...]:
    """Each ``fold``-ed spelling a name on the UN list or an office may be typed close to, with
    the name it offers: the name, its part before the brackets ("Bolivia"), the names commonly
    said for it (``COMMON_NAMES``), an officer's title."""
    from sessiontui.core.offices import titles

    out = [(fold(p.name), p.name) for p in _shipped()]
    out += [(fold(p.name.partition(" (")[0]), p.name) for p in _shipped()]
    out += list(COMMON_NAMES.items())
    out += [(fold(title), title) for title in titles()]
    return tuple(out)


def complete(prefix: str, names: Sequence[str], limit: int = 20) -> list[str]:
    """Names that ``prefix`` could mean: those starting with it first, then those with a word
    starting with it ("kor" finds "Republic of Korea"); case and accents ignored."""
    wanted = fold(prefix)
    if not wanted:
        return list(names[:limit])
    starts = [n for n in names if fold(n).startswith(wanted)]
    words = [
        n
        for n in names
        if n not in starts
        and any(word.startswith(wanted) for word in fold(n).replace("(", " ").split())
    ]
    return (starts + words)[:limit]


def groups_of(participants: Iterable[Participant]) -> dict[str, list[str]]:
    """Each group with its members, in the order first met."""
    out: dict[str, list[str]] = {}
    for participant in participants:
        for group in participant.groups:
            out.setdefault(group, []).append(participant.name)
    return out
