"""The draft meeting report as plain data, shared by the Markdown, HTML and Word exporters."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

import msgspec

from sessiontui.core.agenda import Node, label_ref
from sessiontui.core.breaks import is_break_title
from sessiontui.core.clock import format_duration, session_zone
from sessiontui.core.events import AgendaAmended, Event, Header, seal
from sessiontui.core.fold import apply
from sessiontui.core.offices import Secretariat, office_of, person_of
from sessiontui.core.organizational import organizational_kind
from sessiontui.core.phrases import sitting_label
from sessiontui.core.register import KINDS, find, fold, shipped, speaker_roles
from sessiontui.core.replay import kept_events
from sessiontui.core.state import FloorInterval, SessionState, Speaker
from sessiontui.core.text import safe_display
from sessiontui.core.vocabulary import NoteKind, SpeechKind
from sessiontui.core.wallclock import Clock

if TYPE_CHECKING:
    from sessiontui.exporters.happenings import Happening

# XML 1.0 cannot hold these at all; a parser refuses the whole document if one slips through.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML cannot carry."""
    # Every character XML cannot carry is a control, a surrogate or a noncharacter, none of
    # them printable: text that is all printable (most of a report's) needs no search.
    if text.isprintable():
        return text
    return _NOT_XML.sub("", text)


def clean(text: str | None) -> str:
    """User text made safe for any output: escape sequences, controls and bidi overrides removed."""
    if not text:
        return ""
    # What ``safe_display`` removes starts with a control or is a bidi format character, none
    # of them printable: text that is all printable (nearly every note and name) is left as is.
    if text.isprintable():
        return text
    return safe_display(text)


def one_line(text: str | None) -> str:
    """User text cleaned and folded onto one line (titles, names, table cells)."""
    return " ".join(clean(text).split())


def meeting_zone(state: SessionState) -> dt.tzinfo:
    """The session's time zone (``session_zone``: the log header's, else the agenda's), else UTC."""
    # No zone or an unknown one: UTC keeps the export deterministic and honest.
    return session_zone(state.header.timezone, state.header.agenda) or dt.UTC


def zone_name(state: SessionState) -> str:
    """How the report names the timezone its times are in."""
    zone = meeting_zone(state)
    return str(zone.key) if isinstance(zone, ZoneInfo) else "UTC"


@dataclass(frozen=True, slots=True)
class Who:
    """One speaker as a report names them: the delegation (or name), for whom, in what role.

    ``role`` is ``"representative"`` (a State) or ``"observer"`` (an observer State, an
    organization, the European Union), as the participants register tells; ``"secretariat"``
    for the meeting's secretariat ("Secretariat", "UNODC Secretariat", the agenda's ``[meeting]
    secretariat``); ``"office"`` for an officer, ``name`` then the office alone ("Chair",
    "President of the Conference"; "Vice-Chair" for "Mr. Li Wei (Vice-Chair)") and
    ``gender`` the one the person's courtesy title or the office's words tell ("f" for "Ms. Ana
    Ruiz, Chair"), "" when nothing tells it: never a delegation's representative.
    """

    name: str
    role: str = "representative"
    on_behalf: str = ""
    person: str = ""
    # How many points of order (or rights of reply) of its run it made on the item: each is
    # an act of its own, told however many there were ("raised two points of order").
    times: int = 1
    gender: str = ""


@dataclass(frozen=True, slots=True)
class Roles:
    """How a report tells who its speakers are: the participants register's roles by
    ``fold``-ed name (with the shipped UN list's), and the meeting's secretariat."""

    register: dict[str, str] = field(default_factory=dict)
    secretariat: Secretariat = field(default_factory=Secretariat)

    @classmethod
    def of(cls, state: SessionState) -> Roles:
        """The roles of a session: its register, and the secretariat its agenda names."""
        return cls(
            speaker_roles(state.participants), Secretariat.named(state.agenda.meeting.secretariat)
        )


@dataclass(slots=True)
class SpeechRun:
    """Consecutive speeches of one kind (statement, reply, point_of_order), in speaking order."""

    kind: str
    speakers: list[Who]

    @property
    def representatives(self) -> list[Who]:
        """Those who spoke for a State."""
        return [who for who in self.speakers if who.role == "representative"]

    @property
    def observers(self) -> list[Who]:
        """Those who spoke as observers."""
        return [who for who in self.speakers if who.role == "observer"]

    @property
    def officers(self) -> list[Who]:
        """The officers who spoke ("Chair", "President of the Conference"), by their office."""
        return [who for who in self.speakers if who.role == "office"]

    @property
    def secretariat(self) -> list[Who]:
        """Those who spoke for the secretariat."""
        return [who for who in self.speakers if who.role == "secretariat"]


def speaker_role(name: str, roles: Roles | None = None) -> str:
    """How the report names the speaker ``name`` (see ``Who.role``), in this order: the
    meeting's secretariat by its name as the agenda gives it; as the register (or the shipped
    UN list) says when it holds the name; a secretariat by the way its name says so
    (``Secretariat.role_of``); an office (``office_of``: one table of offices for the whole
    report), alone or after a person's name (``person_of``: "Ms. Ana Ruiz, Chair"), unless
    the name before the office is a delegation's ("Egypt (Chair of the Group of Arab
    States)"); else a State's representative."""
    roles = roles or Roles()
    if roles.secretariat.spellings and roles.secretariat.role_of(name) == "secretariat":
        return "secretariat"
    role = roles.register.get(fold(name))
    if role is not None:
        return role
    role = roles.secretariat.role_of(name)
    if role is not None:
        return role
    if office_of(name) is not None:
        return "office"
    person = person_of(name)
    if person is not None and person.office is not None and fold(person.name) not in roles.register:
        return "office"
    return "representative"


def who_spoke(speaker: Speaker, roles: Roles | None = None) -> Who:
    """How the report names ``speaker``: the delegation when one was given, else the name; an
    officer by the office alone, whoever holds it ("Ms. Ana Ruiz, Chair" is the Chair)."""
    name = one_line(speaker.delegation or speaker.name)
    on_behalf = one_line(speaker.on_behalf_of)
    person = one_line(speaker.person)
    if not person and speaker.delegation and speaker.name != speaker.delegation:
        person = one_line(speaker.name)
    role = speaker_role(name, roles)
    gender = ""
    if role == "secretariat":
        # One participant, however its speakers name it ("UNODC", "UNODC Secretariat"), told
        # once as a delegation is.
        person, name = person or name, "Secretariat"
    elif role == "office" and (holder := person_of(name)) is not None and holder.office:
        person = person or name
        name, gender = (holder.office.title + holder.office.rest).strip(), holder.gender
    elif role == "office" and (office := office_of(name)) is not None:
        gender = office.gender
        if not gender and (holder := person_of(person)) is not None:
            gender = holder.gender  # "Chair", said by "Ms. Ana Ruiz": the Chair is a woman
    return Who(name, role, on_behalf, person, gender=gender)


# A speaker's fields that ``who_spoke`` reads (with the roles, the same for a whole report).
_SpeakerKey = tuple[str, str | None, str | None, str | None]


def speech_runs(
    speakers: Sequence[Speaker],
    roles: Roles | None = None,
    named: dict[_SpeakerKey, Who] | None = None,
) -> list[SpeechRun]:
    """The speakers of an item who took the floor, in speaking order, in runs of one kind.

    Each speaker is told once for each kind of speech, where they first made one: a report
    says who spoke, not how often ("Statements were made by the representatives of Mexico and
    Saudi Arabia", however many times Mexico took the floor); their points of order and
    replies are counted there (``Who.times``: "raised two points of order"), each an act of its
    own. A delegation speaking for a group and then for itself is two speakers, as the report
    names them.

    ``named``: how speakers were named so far (with the same ``roles``), kept across the items
    of a report: a long session's items hear the same delegations again and again.
    """
    spoke = sorted(
        (s for s in speakers if s.started is not None),
        key=lambda s: s.started or dt.datetime.min.replace(tzinfo=dt.UTC),
    )
    runs: list[SpeechRun] = []
    named = {} if named is None else named
    # Where each speaker was told: their run and their place in it.
    told: dict[tuple[str, str, str, str], tuple[SpeechRun, int]] = {}
    for speaker in spoke:
        key = (speaker.name, speaker.delegation, speaker.on_behalf_of, speaker.person)
        who = named.get(key)
        if who is None:
            who = named[key] = who_spoke(speaker, roles)
        said = (speaker.kind, who.name, who.role, who.on_behalf)
        if (place := told.get(said)) is not None:
            # Told already, where they first spoke; a second point of order or reply is
            # counted there, never dropped.
            if speaker.kind in _COUNTED:
                run, index = place
                run.speakers[index] = replace(
                    run.speakers[index], times=run.speakers[index].times + 1
                )
            continue
        if not (runs and runs[-1].kind == speaker.kind):
            runs.append(SpeechRun(speaker.kind, []))
        told[said] = (runs[-1], len(runs[-1].speakers))
        runs[-1].speakers.append(who)
    return runs


# The speeches a report counts: each point of order and each reply is an act of its own,
# where statements are told by who made them ("Statements were made by …").
_COUNTED = frozenset((SpeechKind.POINT_OF_ORDER, SpeechKind.REPLY))


@dataclass(slots=True)
class Consideration:
    """When an item was considered during one sitting.

    ``stamps`` holds the start and end of each span on the floor, one after the other, as
    POSIX timestamps: a long session's report has hundreds of thousands of them, and numbers
    in one list cost a fraction of an object per span.
    """

    sitting: int
    sitting_label: str
    stamps: list[float] = field(default_factory=list)


@dataclass(slots=True)
class NoteView:
    """A note, decision or action point as the report shows it."""

    kind: str
    text: str


# Agenda items that do what a UN-style report's own closing chapter does, in English, French
# and Russian ("Утверждение доклада", "Закрытие сессии").
_ADOPTS_REPORT = re.compile(
    r"\badoption\s+(?:of\s+the\s+(?:draft\s+)?report|du\s+(?:projet\s+de\s+)?rapport)\b"
    r"|^\W*утверждение\s+(?:проекта\s+)?доклада\b",
    re.I,
)
_CLOSES_MEETING = re.compile(
    r"\b(?:closure|closing|cl[ôo]ture)\s+(?:of\s+the|de\s+la)\s+(?:meeting|session|réunion)\b"
    r"|^\W*закрытие\s+(?:сессии|совещания|заседания|конференции)\b",
    re.I,
)


def organizational_part(title: str) -> str:
    """What an organizational item's title says it does: ``"opening"``, ``"officers"`` (the
    election of officers), ``"agenda"`` (the adoption of the agenda, the organization of work),
    ``"organization"`` ("Organizational matters"), ``"credentials"`` (the credentials of
    representatives, the report on them); ``"break"`` for a break ("Coffee break", "Lunch",
    "Pause-café": ``is_break_title``, the importer's definition too), which the report does not
    report on (an agenda entry of ``kind = "break"`` is one whatever its title); ``""`` for a
    substantive item."""
    if is_break_title(title):
        return "break"
    return organizational_kind(title)


def is_break(node: Node) -> bool:
    """Whether an agenda entry is a break of the programme, no item of the agenda: of ``kind =
    "break"``, or titled as one ("Coffee break"), numbered or not ("3. Lunch break" is a break
    all the same). The report reports on none and leaves every one out of the agenda it
    reproduces; the items keep their numbers, as the chapters refer to them."""
    return node.kind == "break" or organizational_part(node.title) == "break"


# What a meeting is, by the words of the agenda's title (or subtitle): a session ("Fifth
# session", "Quinto período de sesiones", "Пятая сессия") or a meeting ("Second intersessional
# meeting", "Réunion", "Совещание"), in the languages agendas are written in. Looked for before
# the title's first "of", so that "… meeting of the Conference on … the special session" is a
# meeting and "Working Group on Technical Assistance" is a body, not an occasion.
_SESSION_WORDS = re.compile(
    r"\b(?:sessions?|sesi[oó]n|per[ií]odo\s+de\s+sesiones|сесси[яиюей])\b", re.I
)
_MEETING_WORDS_ANY = re.compile(
    r"\b(?:meetings?|r[ée]union|reuni[oó]n|совещани[еяюи]|заседани[еяюи])\b", re.I
)
_OF = re.compile(r"\s+(?:of|de|del|de\s+la|du|des)\s+(?=\S)", re.I)
_THE = re.compile(r"^(?:the|la|le|les|el|los|las)\s+|^l['’]", re.I)
# Where a body's name turns from what it is to what it is for: "Conference | of the Parties",
# "Working Group | on …", "Groupe de travail | sur …" ("de travail" is part of the name).
_BODY_HEAD = re.compile(
    r"\s+(?:of|on|to|for|against|de(?!\s+travail\b)|du|des|sur|pour|contre)\s+|\s*[,(]", re.I
)
_BODY_QUALIFIERS = re.compile(
    r"^(?:(?:open-ended|intergovernmental|informal)\s+)+"
    r"|(?:\s+(?:intergouvernemental|à\s+composition\s+non\s+limitée))+$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Occasion:
    """What met and on what occasion, as the agenda's ``[meeting]`` says it.

    ``name``: the session or meeting as named ("Fifth session", "Second intersessional
    meeting"), "" when the agenda names none; ``body``: who met ("Conference of the Parties",
    "Working Group on Technical Assistance"), "" when unknown; ``kind``: ``"session"`` or
    ``"meeting"``; ``named_in_title``: the title itself names the occasion of the body
    ("Second intersessional meeting of the Conference"), so it is said as written; ``theme``:
    what the title says of the occasion after a colon ("Sixty-seventh session of the
    Commission on Narcotic Drugs: high-level segment …"), no part of the body's name.
    """

    name: str
    body: str
    kind: str
    named_in_title: bool = False
    theme: str = ""

    @property
    def short(self) -> str:
        """The body as a report calls it after naming it: "Conference" for "Conference of the
        States Parties to …", "Working Group" for "Open-ended Intergovernmental Working Group on
        Asset Recovery", "Groupe de travail" for "Groupe de travail sur l’assistance technique"."""
        head = _BODY_HEAD.split(self.body, maxsplit=1)[0]
        head = _BODY_QUALIFIERS.sub("", head).strip()
        return head[:1].upper() + head[1:]


def occasion(title: str, subtitle: str = "", body: str = "") -> Occasion:
    """Who met and on what occasion, from the agenda's title, subtitle and convening body.

    A title that names a session or meeting ("Fifth session", "Second intersessional meeting of
    the Conference of the States Parties …") is the occasion, of the body it names after "of",
    else of ``body``; a title that names a body ("Working Group on Technical Assistance") is who
    met, on the occasion its subtitle names ("Fifth session") if it names one (``body`` is then
    the body that convened it, for the masthead).
    """
    parts = _OF.split(title, maxsplit=1)
    head = parts[0]
    if _SESSION_WORDS.search(head) or _MEETING_WORDS_ANY.search(head):
        of = _THE.sub("", parts[1]) if len(parts) > 1 else ""
        if of and not of[:1].isupper():
            # "… session of a subsidiary body": no body named, the title says it all.
            name, met, named_in_title = title, "", True
        else:
            name, met, named_in_title = head, of or body, bool(of)
        kind = "session" if _SESSION_WORDS.search(head) else "meeting"
        if kind == "session" and named_in_title:
            # A report names the body and its session, and no theme: "Report of the Commission
            # on Narcotic Drugs on its sixty-seventh session" (E/2024/28); the theme under it.
            met, _, theme = met.partition(": ")
            return Occasion(name, met, kind, named_in_title, theme.strip())
    else:
        named = bool(_SESSION_WORDS.search(subtitle) or _MEETING_WORDS_ANY.search(subtitle))
        name, met, named_in_title = (subtitle if named else ""), title, False
        kind = "session" if _SESSION_WORDS.search(name) else "meeting"
    return Occasion(name, met, kind, named_in_title)


@dataclass(slots=True)
class ItemView:
    """One agenda item as the report shows it."""

    id: str
    label: str
    title: str
    depth: int
    top: str  # the top-level item it belongs to (its own id at the top level)
    status: str
    reopened: int
    planned: float | None
    used: float
    considered: list[Consideration]
    notes: list[NoteView]
    annotation: str
    meetings: list[int] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    presenters: list[str] = field(default_factory=list)
    runs: list[SpeechRun] = field(default_factory=list)
    top_title: str = ""  # the title of its top-level item (its chapter in a report)
    # An item deferred after it was taken up: the meeting during which it was deferred (0 when
    # it was deferred between meetings) and that meeting's day.
    deferred_in: int = 0
    deferred_day: dt.date | None = None
    # Where the report tells an organizational item: the section of its "Organization of the
    # meeting" chapter (``organizational_part``; ``"other"`` for a sub-item of one, such as
    # "General discussion" under "Organizational matters", told in a section of its own);
    # ``"break"`` for a break, told nowhere (its time is in the timings); "" for a substantive
    # item, told in a chapter of its own.
    organizes: str = ""
    has_sub_items: bool = False  # sub-items of its own among the report's items

    @property
    def decisions(self) -> list[NoteView]:
        """The decisions recorded on the item."""
        return [note for note in self.notes if note.kind == NoteKind.DECISION]

    @property
    def actions(self) -> list[NoteView]:
        """The action points recorded on the item."""
        return [note for note in self.notes if note.kind == NoteKind.ACTION]

    @property
    def remarks(self) -> list[NoteView]:
        """The plain notes (the rapporteur's summaries)."""
        return [note for note in self.notes if note.kind == NoteKind.NOTE]

    @property
    def adopts_report(self) -> bool:
        """A top-level item "Adoption of the report" ("Adoption du rapport"): the report says
        there that it was adopted, and adds no closing chapter of its own. Not an organizational
        item: "Adoption of the report of the Bureau on credentials" adopts another report."""
        return (
            self.depth == 0 and not self.organizes and _ADOPTS_REPORT.search(self.title) is not None
        )

    @property
    def done_by_its_section(self) -> bool:
        """An organizational item whose section of the report says what became of it: the
        opening (the meeting was opened), the adoption of the agenda (the agenda adopted is
        reproduced), "Organizational matters" (each of its parts told in its own section).
        Left suspended, as when the meeting simply took up the next item, it was not "not
        concluded": the report says so of none of them."""
        return self.organizes in ("opening", "agenda", "organization")

    @property
    def unfinished(self) -> bool:
        """Taken up and not concluded, as the report says it: an item with sub-items is
        unfinished only through them, and each of them says so itself (left suspended after its
        last sub-item closed, it was not "not concluded" either); see ``done_by_its_section``."""
        return (
            self.status in ("open", "suspended")
            and not self.has_sub_items
            and not self.done_by_its_section
        )

    @property
    def closes_meeting(self) -> bool:
        """A top-level item "Closure of the meeting" ("Clôture de la session"): the report says
        there when the meeting closed, and adds no closing chapter of its own."""
        return self.depth == 0 and _CLOSES_MEETING.search(self.title) is not None

    @property
    def heading(self) -> str:
        """Label and title as printed."""
        return f"{self.label} {self.title}" if self.label else self.title

    @property
    def ref(self) -> str:
        """The label as a sentence names the item: "agenda item 3", never "agenda item 3..".

        A number printed with a closing full stop ("3." in an imported agenda) loses it in
        running text, where the sentence's own full stop would follow; headings keep it.
        """
        return label_ref(self.label)

    @property
    def difference(self) -> float | None:
        """Used minus planned (None without a plan)."""
        return None if self.planned is None else self.used - self.planned


@dataclass(slots=True)
class SittingView:
    """A sitting with its suspensions."""

    number: int
    label: str
    status: str
    opened: dt.datetime
    closed: dt.datetime | None
    suspensions: list[tuple[dt.datetime, dt.datetime | None]]
    running_seconds: float
    implicit: bool
    day: dt.date | None = None  # the local date it opened
    opened_local: dt.datetime | None = None
    closed_local: dt.datetime | None = None
    given: str = ""  # the label the record gave it ("" for the default: the phrases word it)


@dataclass(slots=True)
class ParticipantView:
    """A participant as the attendance chapter lists it."""

    name: str
    kind: str
    groups: list[str]
    persons: list[str]
    present: list[int]  # the sittings at whose roll call it was present
    absent: list[int]  # the sittings at whose roll call it was marked absent
    # Its representative or observer took the floor: it was represented, whatever a roll
    # call found (a delegation may come in after it).
    spoke: bool = False


@dataclass(slots=True)
class RollCallView:
    """One sitting's roll call."""

    sitting: int
    label: str
    day: dt.date | None
    present: list[str]
    absent: list[str]
    states_present: int  # Member States present: what a quorum counts
    quorum: int | None
    given: str = ""  # the sitting's own label, as ``SittingView.given``

    @property
    def quorum_met(self) -> bool | None:
        """Whether the quorum was met (None when the agenda sets none)."""
        return None if self.quorum is None else self.states_present >= self.quorum


@dataclass(slots=True)
class Provenance:
    """Where the export comes from: enough to check it against the log."""

    session: str
    last_seq: int
    sha256: str
    exported: dt.datetime | None
    reproduced: bool


@dataclass(slots=True)
class AgendaLine:
    """One item of the agenda as the meeting adopted it, as the report reproduces it."""

    label: str
    title: str
    depth: int


@dataclass(slots=True)
class AmendmentView:
    """An amendment of the agenda made after the meeting adopted it."""

    op: str  # add, retitle, move, delete
    label: str  # the item's label before (the new item's, for an addition)
    title: str  # its title before (the new item's, for an addition)
    new_label: str  # its label after (a move can change it)
    new_title: str

    @property
    def ref(self) -> str:
        """The label as running text names the item (no closing full stop)."""
        return label_ref(self.label)

    @property
    def new_ref(self) -> str:
        """The label after the amendment, as running text names it."""
        return label_ref(self.new_label)


@dataclass(slots=True)
class AgendaChange:
    """The amendments made at (or after) one meeting, once the agenda was adopted."""

    sitting: int
    day: dt.date | None
    during: bool  # made while that meeting sat (else after it, before the next)
    amendments: list[AmendmentView]


@dataclass(slots=True)
class Report:
    """Everything the draft report shows, cleaned of unsafe characters but not yet escaped."""

    title: str
    subtitle: str
    body: str
    symbol: str  # the agenda's own document symbol (a document before the meeting)
    venue: str
    zone: str
    clock: Clock
    items: list[ItemView]
    sittings: list[SittingView]
    floor_log: list[FloorInterval]
    provenance: Provenance
    excerpt: bool
    journal: list[Happening]  # the journal appendix, worded by the templates
    meeting_dates: list[dt.date] = field(default_factory=list)  # the agenda's ``dates``
    # The days the meeting was held: those its sittings opened on (in its time zone), else,
    # before any sitting, every day of the agenda's ``dates``. What the title says.
    held_on: list[dt.date] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    issued: dt.date | None = None  # the day of the last event, in the meeting's time zone
    participants: list[ParticipantView] = field(default_factory=list)
    roll_calls: list[RollCallView] = field(default_factory=list)
    kinds: tuple[str, ...] = KINDS
    report_symbol: str = ""  # the report's own symbol (export --symbol); "": not given
    report_job: str = ""  # the report's job number (export --job), for the page footer
    # The agenda as adopted at the first meeting, with the amendments made up to its close
    # ("as orally amended" when there were any), and the amendments made after it.
    agenda: list[AgendaLine] = field(default_factory=list)
    orally_amended: bool = False
    agenda_changes: list[AgendaChange] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # the gaps a repair recorded in the log
    # Who opened the meeting, as the agenda names them: the presenters of its opening item
    # ("Ms. Ana Ruiz, Chair"), and that item's id; none when nothing names them. (An event's
    # actor is whoever recorded it, a secretariat officer, not who opened the meeting.)
    opened_by: list[str] = field(default_factory=list)
    opening_item: str = ""
    # Who met and on what occasion: what the title says and the sentences call the meeting.
    occasion: Occasion = field(default_factory=lambda: Occasion("", "", "meeting"))
    # The last instant of meeting time the record tells (the latest ``at``): what a sitting
    # not closed, and its running figures, count up to; never a closing time.
    as_of: dt.datetime | None = None

    def attending(self, kind: str) -> list[ParticipantView]:
        """The participants of a kind that attended: present at a roll call, or registered
        when no roll call was taken, and every delegation that took the floor."""
        called = bool(self.roll_calls)
        return [
            p for p in self.participants if p.kind == kind and (p.present or p.spoke or not called)
        ]

    @property
    def absentees(self) -> list[ParticipantView]:
        """Participants marked absent at every roll call that named them, never present, and
        who never took the floor."""
        return [p for p in self.participants if p.absent and not p.present and not p.spoke]

    @property
    def end(self) -> dt.datetime | None:
        """The last instant the record covers (the export time)."""
        return self.provenance.exported


def log_digest(header: Header, events: Sequence[Event]) -> tuple[str, bool]:
    """SHA-256 of the log's lines up to the last event, rebuilt from the records.

    Every line of the log is ``seal(record)``; sealing a copy reproduces the very bytes when its
    checksum matches the stored one, so no file access is needed (the TUI and a database store get
    the same digest as the file). The flag says whether every record reproduced exactly.
    """
    digest = hashlib.sha256()
    exact = True
    records: list[Header | Event] = [header, *events]
    for record in records:
        copy = msgspec.structs.replace(record)
        claimed = record.sum
        digest.update(seal(copy))
        exact = exact and copy.sum == claimed
    return digest.hexdigest(), exact


def select_items(state: SessionState, wanted: Sequence[str] | None) -> list[str]:
    """Item ids in agenda order: all, or the wanted ones with their sub-items.

    Raises:
        ReferenceError_: a wanted reference matches no item, or several.
    """
    order = [node.id for node in state.agenda]
    if wanted is None:
        return order
    chosen: set[str] = set()
    for reference in wanted:
        node = state.agenda.resolve(reference)
        chosen.update((node.id, *state.agenda.descendants(node.id)))
    return [item_id for item_id in order if item_id in chosen]


_START_END = attrgetter("start", "end")


def considerations_of(state: SessionState) -> dict[str, list[Consideration]]:
    """When each item (itself or one of its sub-items) was on the floor, per sitting.

    One pass over the floor log in time order, each interval credited to its item and that
    item's ancestors: a long session's floor log is walked once, not once per item.
    """
    labels = {s.number: one_line(s.label) for s in state.sittings}
    out: dict[str, list[Consideration]] = {}
    # Each item's consideration in the sitting of the last interval credited to it.
    latest: dict[str, Consideration] = {}
    branches: dict[str, tuple[str, ...]] = {}
    nodes = state.agenda.nodes
    find = latest.get
    before: dt.datetime | None = None  # the end of the interval before, and its stamp
    before_at = 0.0
    for interval in sorted(state.floor_log_until(state.last_at), key=_START_END):
        item_id, sitting = interval.item, interval.sitting
        branch = branches.get(item_id)
        if branch is None:
            branch = (item_id, *state.ancestors(item_id)) if item_id in nodes else (item_id,)
            branches[item_id] = branch
        # Nearly every interval starts as the one before it ended (the next item taken up):
        # the same instant, the same stamp.
        begin = interval.start
        start = before_at if begin == before else begin.timestamp()
        before = interval.end
        end = before_at = before.timestamp()
        for member in branch:
            considered = find(member)
            if considered is not None and considered.sitting == sitting:
                stamps = considered.stamps
                if stamps[-1] == start:
                    # A sub-item following another on the floor is one continuous
                    # consideration of the parent.
                    stamps[-1] = end
                else:
                    stamps += (start, end)
                continue
            label = labels.get(sitting, "outside a sitting")
            latest[member] = considered = Consideration(sitting, label, [start, end])
            if member in out:
                out[member].append(considered)
            else:
                out[member] = [considered]
    return out


def given_label(number: int, label: str) -> str:
    """A sitting's label when the record gave it one, "" when it has the default one (which
    each report language words itself: "1st meeting", "1re séance")."""
    label = one_line(label)
    return "" if label == sitting_label(number) else label


def _attendance(
    state: SessionState,
    days: dict[int, dt.date],
    roles: Roles,
    named: dict[_SpeakerKey, Who] | None = None,
) -> tuple[list[ParticipantView], list[RollCallView]]:
    """The register with each participant's roll calls, and each sitting's roll call.

    With a register, every delegation whose representative or observer took the floor (on
    any item, as ``who_spoke`` names it) is marked ``spoke``, added when not registered (with
    its kind and groups from the UN list, else as a State, as the report names its speaker):
    a State that made a statement was represented. Without one, the report lists no
    attendance, and the speakers alone would read as the whole of it."""
    views = {
        key: ParticipantView(
            one_line(p.name),
            p.kind,
            [one_line(g) for g in p.groups],
            [one_line(x) for x in p.persons],
            [],
            [],
        )
        for key, p in state.participants.items()
    }
    if views:
        _mark_speakers(state, views, roles, {} if named is None else named)
    labels = {s.number: one_line(s.label) for s in state.sittings}
    calls: list[RollCallView] = []
    for number in sorted(state.attendance):
        roll = state.attendance[number]
        present = [views[k] for k, here in roll.items() if here and k in views]
        absent = [views[k] for k, here in roll.items() if not here and k in views]
        for view in present:
            view.present.append(number)
        for view in absent:
            view.absent.append(number)
        calls.append(
            RollCallView(
                number,
                labels.get(number, ""),
                days.get(number),
                [v.name for v in present],
                [v.name for v in absent],
                sum(1 for v in present if v.kind == "Member State"),
                state.agenda.meeting.quorum,
                given_label(number, labels.get(number, "")),
            )
        )
    return list(views.values()), calls


def _mark_speakers(
    state: SessionState,
    views: dict[str, ParticipantView],
    roles: Roles,
    named: dict[_SpeakerKey, Who],
) -> None:
    """Mark (or add) in ``views`` each delegation that took the floor (see ``_attendance``);
    ``named``: how speakers were named so far (``speech_runs``)."""
    for item in state.items.values():
        for run in speech_runs(item.speakers, roles, named):
            for who in (*run.representatives, *run.observers):
                key = fold(who.name)
                if key not in views:
                    listed = find(who.name, shipped())
                    views[key] = ParticipantView(
                        who.name,
                        listed.kind if listed else "Member State",
                        list(listed.groups) if listed else [],
                        [],
                        [],
                        [],
                    )
                views[key].spoke = True


def adopted_agenda(
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    days: dict[int, dt.date],
) -> tuple[list[AgendaLine], bool, list[AgendaChange]]:
    """The agenda as adopted, whether it was amended by then, and the amendments after it.

    The agenda is adopted at the first meeting: amendments made before that meeting closed are
    part of it ("as orally amended"); those made later are told with the meeting they were
    made at, never folded silently into the agenda "adopted" at the 1st meeting. Without
    amendments this is simply the agenda. A break of the programme (``is_break``: "Coffee
    break", "3. Lunch break") is no item of the agenda a report reproduces, nor an amendment.
    The whole agenda also in an excerpt (``--items``): the meeting adopted all of it, and an
    agenda cut to the excerpt's items would say it adopted only those; so are all its
    amendments, which an agenda listing an item later deleted needs beside it.
    """
    if not any(isinstance(event, AgendaAmended) for event in events):
        return _agenda_lines(state), False, []
    amendments = sorted(
        (e for e in kept_events(events) if isinstance(e, AgendaAmended)),
        key=attrgetter("at", "seq"),
    )
    sittings = state.sittings
    shadow = SessionState(header)  # the agenda as it stood, amendment by amendment
    adopted: list[AgendaLine] | None = None
    oral = False
    changes: list[AgendaChange] = []
    for event in amendments:
        sitting = next((s for s in reversed(sittings) if s.opened <= event.at), None)
        nodes = shadow.agenda.nodes
        before = nodes.get(event.item or "")
        label, title = (before.label, before.title) if before else ("", "")
        if sitting is None or sitting.number == sittings[0].number:
            apply(shadow, event)  # at or before the meeting that adopted the agenda
            oral = True
            continue
        if adopted is None:
            adopted = _agenda_lines(shadow)
        apply(shadow, event)
        after = nodes.get(event.item or "")
        entries = [node for node in (before, after) if node is not None]
        if entries and all(is_break(node) for node in entries):
            continue  # a break added, moved or dropped: the programme, not the agenda
        added = after is not None and before is None
        view = AmendmentView(
            op=event.data.op,
            label=one_line(after.label if added and after else label),
            title=one_line(after.title if added and after else title),
            new_label=one_line(after.label if after else ""),
            new_title=one_line(after.title if after else ""),
        )
        during = sitting.closed is None or event.at <= sitting.closed
        if changes and (changes[-1].sitting, changes[-1].during) == (sitting.number, during):
            changes[-1].amendments.append(view)
        else:
            changes.append(AgendaChange(sitting.number, days.get(sitting.number), during, [view]))
    if adopted is None:
        adopted = _agenda_lines(shadow)
    return adopted, oral, changes


def _agenda_lines(shadow: SessionState) -> list[AgendaLine]:
    """The agenda as it stands in ``shadow`` (items deleted since included: the meeting
    adopted them)."""
    return [
        AgendaLine(one_line(node.label), one_line(node.title), node.depth)
        for node in shadow.agenda
        if not is_break(node)
    ]


def opening_item(state: SessionState) -> tuple[str, list[str]]:
    """The agenda's first opening item that names who opens the meeting (its presenters), and
    those names; ``("", [])`` when no opening item names anyone. Top-level items and those of
    an organizational one ("Organizational matters", (a) "Opening of the session"), as
    ``organizational_part`` reads their titles."""
    nodes = state.agenda.nodes
    for node in state.agenda:
        top = nodes[state.ancestors(node.id)[-1]] if node.depth else node
        if node.depth and not organizational_part(top.title):
            continue
        if organizational_part(node.title) == "opening":
            names = [one_line(p) for p in node.presenters if one_line(p)]
            if names:
                return node.id, names
    return "", []


def _sitting_at(state: SessionState, at: dt.datetime | None) -> int:
    """The number of the sitting that was running at ``at`` (0 for none: between sittings)."""
    for s in reversed(state.sittings):
        if at is not None and s.opened <= at and (s.closed is None or at <= s.closed):
            return s.number
    return 0


def build_report(
    header: Header,
    events: Sequence[Event],
    state: SessionState,
    *,
    items: Sequence[str] | None,
    notes: bool,
    speakers: bool,
    journal: Sequence[Happening],
    sha256: str | None = None,
    roles: Roles | None = None,
    report_symbol: str | None = None,
    report_job: str | None = None,
    gaps: Sequence[str] = (),
) -> Report:
    """Derive the report's content from the state (no wall clock: times come from the log)."""
    meeting = state.agenda.meeting
    views: list[ItemView] = []
    considerations = considerations_of(state)
    clock = Clock(meeting_zone(state))
    days = {s.number: clock.local(s.opened).date() for s in state.sittings}
    roles = roles if roles is not None else Roles.of(state)
    named: dict[_SpeakerKey, Who] = {}
    if items is None:
        state.read_every_note()  # the report of every item reads every note
    # The item on the floor at the end of the record was considered at the meeting that took
    # it up, with its items above it, even before its clock shows any time ("At its 1st
    # meeting, … considered agenda item 2(c)" beside "… was not concluded"). Its own take-up,
    # not a parent back on the floor after a sub-item: that one was taken up before.
    taken_up: dict[str, int] = {}
    floor = state.items.get(state.floor or "")
    if (
        floor is not None
        and floor.status == "open"
        and (number := _sitting_at(state, floor.changed_at))
    ):
        taken_up = dict.fromkeys(state.branch(state.floor or ""), number)
    for item_id in select_items(state, items):
        node = state.agenda.nodes[item_id]
        item = state.items[item_id]
        # The meetings at which it was on the floor for some time: a parent back on the floor
        # for no time between two sub-items was not "considered" again. (The starts differ
        # from the ends somewhere exactly when some span lasted: compared as two lists.)
        # (The first span's two ends, compared first, differ in nearly every consideration.)
        meetings = sorted(
            {
                c.sitting
                for c in considerations.get(item_id, [])
                if c.sitting and (c.stamps[0] != c.stamps[1] or c.stamps[::2] != c.stamps[1::2])
            }
        )
        if item_id in taken_up and taken_up[item_id] not in meetings:
            meetings = sorted((*meetings, taken_up[item_id]))
        met_on: set[dt.date | None] = set(map(days.get, meetings))
        met_on.discard(None)  # (a sitting the floor log names and the state does not)
        note_views = [
            NoteView(n.kind, clean(n.text).strip())
            for n in state.notes_of(item_id)
            if notes or n.kind != NoteKind.NOTE
        ]
        views.append(
            ItemView(
                id=item_id,
                label=one_line(node.label),
                title=one_line(node.title),
                depth=node.depth,
                top=(top := (item_id, *state.ancestors(item_id))[-1]),
                top_title=one_line(state.agenda.nodes[top].title),
                status=item.status,
                reopened=item.reopened,
                planned=state.agenda.planned_seconds_of(item_id),
                used=state.used_seconds(item_id, state.last_at),
                considered=considerations.get(item_id, []),
                notes=note_views,
                annotation=clean(node.annotation).strip(),
                meetings=meetings,
                days=sorted(cast("set[dt.date]", met_on)),
                documents=[one_line(d) for d in node.documents if one_line(d)],
                presenters=[one_line(p) for p in node.presenters if one_line(p)],
                runs=speech_runs(item.speakers, roles, named) if speakers else [],
            )
        )
        if item.status == "deferred" and meetings:
            views[-1].deferred_in = _sitting_at(state, item.changed_at)
            views[-1].deferred_day = days.get(views[-1].deferred_in)
        if is_break(node):
            views[-1].organizes = "break"
        elif node.depth == 0:
            views[-1].organizes = organizational_part(node.title)
        elif top_part := organizational_part(state.agenda.nodes[top].title):
            # A sub-item of "Credentials of representatives" ("Appointment of the members of
            # the committee") is told with it, in its section.
            views[-1].organizes = organizational_part(node.title) or (
                top_part if top_part == "credentials" else "other"
            )
    for view, after in pairwise(views):
        view.has_sub_items = after.depth > view.depth  # sub-items follow their item
    sittings = [
        SittingView(
            number=s.number,
            label=one_line(s.label),
            status=s.status,
            opened=s.opened,
            closed=s.closed,
            suspensions=[(a, b) for a, b in s.suspensions if a is not None],
            running_seconds=s.seconds(state.last_at),
            implicit=s.implicit,
            day=days.get(s.number),
            opened_local=clock.local(s.opened),
            closed_local=clock.local(s.closed) if s.closed else None,
            given=given_label(s.number, s.label),
        )
        for s in state.sittings
    ]
    documents: list[str] = []
    for view in views:
        documents += [d for d in view.documents if d not in documents]
    digest, exact = log_digest(header, events)
    last = max(events, key=lambda e: e.seq) if events else None
    participants, roll_calls = _attendance(state, days, roles, named)
    agenda, orally_amended, agenda_changes = adopted_agenda(header, events, state, days)
    opener = opening_item(state)
    return Report(
        title=one_line(meeting.title),
        subtitle=one_line(meeting.subtitle),
        body=one_line(meeting.body),
        symbol=one_line(meeting.symbol),
        venue=one_line(meeting.venue),
        zone=zone_name(state),
        clock=clock,
        items=views,
        sittings=sittings,
        floor_log=state.floor_log_until(state.last_at),
        provenance=Provenance(
            session=one_line(header.session),
            last_seq=last.seq if last else 0,
            sha256=sha256 or digest,
            exported=last.recorded if last else None,
            reproduced=exact or sha256 is not None,
        ),
        excerpt=items is not None,
        journal=list(journal),
        meeting_dates=sorted(meeting.dates),
        held_on=sorted(set(days.values())) or meeting.days,
        documents=documents,
        issued=clock.local(last.recorded).date() if last else None,
        participants=participants,
        roll_calls=roll_calls,
        report_symbol=one_line(report_symbol or ""),
        report_job=one_line(report_job or ""),
        agenda=agenda,
        orally_amended=orally_amended,
        agenda_changes=agenda_changes,
        gaps=[one_line(gap) for gap in gaps],
        opening_item=opener[0],
        opened_by=opener[1],
        occasion=occasion(
            one_line(meeting.title), one_line(meeting.subtitle), one_line(meeting.body)
        ),
        as_of=state.last_at,
    )


def duration(seconds: float | None, *, signed: bool = False, hours: bool = False) -> str:
    """``format_duration`` with an en dash for "no figure" in reports."""
    if seconds is None:
        return "–"
    return format_duration(seconds, signed=signed, hours=hours)


def span_text(clock: Clock, start: dt.datetime, end: dt.datetime | None) -> str:
    """``"10:05–10:30"``; a span within one minute to the second (``"10:00:10–10:00:40"``),
    so that no span that lasted reads as lasting no time; one still running ``"10:05–"``."""
    first, last = clock.time(start), clock.time(end)
    if end is not None and first == last and end != start:
        return f"{clock.local(start):%H:%M:%S}–{clock.local(end):%H:%M:%S}"
    return f"{first}–{last}"


def suspensions_text(sitting: SittingView, clock: Clock) -> str:
    """``"11:00–11:15, 12:30–"`` for a sitting's suspensions."""
    return ", ".join(span_text(clock, a, b) for a, b in sitting.suspensions)


def item_summary_rows(report: Report) -> list[list[str]]:
    """The summary table per item: planned, used and difference (one place for every format).

    Every figure in h:mm:ss: in a column beside "7:44:00", "13:00" would read as 13 hours. An
    item without a plan has "" for its plan and its difference: the templates word that ("not
    planned") in the report's language, or leave both columns out when no item has a plan.
    """
    return [
        [
            item.label,
            item.title,
            "" if item.planned is None else duration(item.planned, hours=True),
            duration(item.used, hours=True),
            "" if item.difference is None else duration(item.difference, signed=True, hours=True),
        ]
        for item in report.items
    ]


def sitting_summary_rows(report: Report) -> list[list[str]]:
    """The summary table per sitting: opened, closed, suspensions, time.

    A sitting not closed has "" for its closing and one without suspensions "" for them: the
    templates word those (its status, "none") in the report's language.
    """
    clock = report.clock
    return [
        [
            s.label,
            clock.stamp(s.opened),
            clock.stamp(s.closed) if s.closed else "",
            suspensions_text(s, clock),
            duration(s.running_seconds, hours=True),
        ]
        for s in report.sittings
    ]
