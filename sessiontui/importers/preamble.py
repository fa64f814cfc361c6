"""The first phase of an import: what a document says about its meeting before the items begin.

Title, subtitle ("Twelfth session"), convening body, document symbol, venue, and the meeting's
dates and start time. Mastheads, the document's own date of issue, addressee lines ("To: The
Master", "An die Mitglieder") and the agenda heading itself are read past, not taken as the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sessiontui.importers.classify import (
    ANNOTATIONS_HEADING_RE,
    JOB_NUMBER_RE,
    LANGUAGE_CODE_RE,
    MASTHEAD_ITEM_RE,
    MASTHEAD_RE,
    MASTHEAD_ZONE,
    MEETING_KIND_RE,
    SESSION_RE,
    heads_agenda,
    is_council_part,
    only_documents,
    parse_dates,
    squash,
    title_case,
)
from sessiontui.importers.source import Line
from sessiontui.importers.when import When, find_when, names_weekday

ADDRESSEE_RE = re.compile(
    r"(?i)^(?:to|from|cc|attn|an|à|a|para|de|von|für|pour)\s*:"
    r"|^(?:an\s+(?:die|den|alle)|mesdames|messieurs|sehr\s+geehrte|dear|estimad[oa]s?)\b"
)
# words that name a meeting: the line holding one is the title ("CITY OF RIVERTON" above
# "REGULAR MEETING OF THE CITY COUNCIL" names the city, not the meeting)
MEETING_WORD_RE = re.compile(
    r"(?i)\b(?:meeting|session|assembly|council|committee|board|conference|workshop|sitting"
    r"|hearing|senate|commission|forum|summit|teleconference|congress|plenary|synod"
    r"|group|working\s+party|task\s+force|panel"  # "Implementation Review Group"
    r"|sitzung|versammlung|mitgliederversammlung|ausschuss|gemeinderat|stadtrat|vorstand"
    r"|réunion|séance|conseil|assemblée|comité|commission|congrès"
    r"|reunión|sesión|junta|consejo|asamblea|comisión|congreso)\b"
)
_LABELLED_VENUE_RE = re.compile(
    r"(?i)^(?:venue|place|location|where|room|ort|lieu|lugar)\s*:\s*(.+)$"
)
# the rest of an IMO agenda's heading: "PROVISIONAL AGENDA" / "for the 107th session of the
# Maritime Safety Committee," (the session and the committee the masthead names)
_AGENDA_FOR_RE = re.compile(r"(?i)^for\s+the\s+\S+\s+session\s+of\s+the\s+[^.;:]{3,100}?,?$")
# "to be held at IMO Headquarters, 4 Albert Embankment, London SE1 7SR," over the dates
_HELD_AT_RE = re.compile(r"^(?:to\s+be\s+)?held\s+(?:at|in)\s+(?P<venue>[A-Z][^;]{2,80}?)\s*,?$")
_LABELLED_TITLE_RE = re.compile(r"(?i)^(?:meeting|réunion|reunión|sitzung)\s*:\s*(.+)$")
_LABELLED_DATE_RE = re.compile(r"(?i)^(?:dates?|when|held on|time|datum|fecha)\s*:\s*(.+)$")
_PLACE_DATE_RE = re.compile(r"^(?P<venue>[^,\d]{2,60}?),\s*(?P<date>.*\d.*)$")
# a council's meeting page heads itself with the meeting's name and date: "Council -
# Wednesday, 5th August, 2026 6.00 pm", "Planning Committee – Tuesday, 10 March 2026"
_NAME_DATE_RE = re.compile(r"^(?P<name>[^\d,:;–—-]{2,80}?)\s+[-–—]\s+(?P<date>.*\d.*)$")
# or the other way round: "October 18, 2023 at 6:00 PM - Board Meeting Structure Workshop"
_DATE_NAME_RE = re.compile(r"^(?P<date>.*\d.*?)\s+[-–—]\s+(?P<name>[^\d,:;–—-]{2,80})$")
# the masthead's distribution on a line of its own, under "Distr."
_DISTRIBUTION_RE = re.compile(r"(?i)general|limited|restricted")

# "Sesión ordinaria n.º 142", "142nd meeting": which meeting of a body, not its name
_SITTING_LABEL_RE = re.compile(
    r"(?i)^(?:\w+\s+){0,2}(?:session|sesión|séance|sitzung|meeting|reunión|sitting)\b.{0,30}\d+\W*$"
)
_FIELD_LABEL_RE = re.compile(r"[A-Za-zÀ-ÿ ]{2,20}:")
_ROOM_RE = re.compile(
    r"(?i)\b(?:room|chambers?|hall|saal|salle|sala|building|centre|center|rathaus|palais)\b"
)
MAX_VENUE_LINE = 60
# how far right of the title lines a masthead's right column begins ("Distr.: General" beside
# the body's name); closer, a line of its own at the margin
_RIGHT_COLUMN = 20
MAX_TITLE_LINE = 80  # a longer line naming a meeting is a sentence inviting to it


@dataclass
class Meeting:
    """What the preamble said about the meeting."""

    title: str = ""
    subtitle: str | None = None
    body: str | None = None
    symbol: str | None = None
    venue: str | None = None
    when: When | None = None  # the surest announcement of the meeting's dates
    start: When | None = None  # the first announcement that gives a start time
    used: set[str] = field(default_factory=set)  # where the lines read into these fields are


@dataclass
class _Groups:
    """Candidate title lines, by kind."""

    bold: list[str] = field(default_factory=list)
    bold_done: bool = False
    headings: list[str] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    session_title: list[str] | None = None
    body: list[str] | None = None
    labelled: str | None = None
    dated: str | None = None  # the name the meeting's date is printed after ("Council - ...")
    before_when: list[str] | None = None  # the lines just above the meeting's date
    masthead: set[int] = field(default_factory=set)  # groups beside the masthead's columns
    beside: bool = False  # the group being read stands beside the masthead's right column
    indent: int = 0  # where the group's last line begins

    def mark_when(self) -> None:
        self.before_when = list(self.group) or (self.groups[-1] if self.groups else None)

    def close_group(self) -> None:
        if self.group:
            if self.beside:
                self.masthead.add(len(self.groups))
            self.groups.append(self.group)
            self.group = []
        self.beside = False


def _within(day: When, session: When) -> bool:
    """A single day of a session of several days."""
    return len(session.dates) > 1 and len(day.dates) == 1 and day.dates[0] in session.dates


class PreambleReader:
    """Reads the lines before the items into a ``Meeting``."""

    def __init__(self, heading: str | None = None, acronyms: frozenset[str] = frozenset()) -> None:
        """``heading``: the agenda heading, which may name the meeting ("PROVISIONAL AGENDA
        FOR THE THIRTY-THIRD REGULAR SESSION OF THE ASSEMBLY"); ``acronyms``: the words the
        document prints in capitals amid lower case (``shown_in_capitals``)."""
        self.heading = heading
        self.acronyms = acronyms
        self.meeting = Meeting()
        self.titles = _Groups()
        self.after_distr = False  # a date now is the document's date of issue
        self.venue_labelled = False  # "Venue: ..." said it: no other line is the venue
        self.after_when = False  # the next short line may be the venue
        self.skip_title_of_item = False
        self.appended: list[str] = []
        self.where_of: dict[str, str] = {}  # a title candidate's line
        self.seen = 0  # the lines read that are not blank: the first ones hold the masthead

    def read(self, lines: list[Line]) -> Meeting:
        """The meeting as ``lines`` (the preamble) describe it."""
        for line in lines:
            if line.blank:
                self.titles.close_group()
                if self.titles.bold:
                    self.titles.bold_done = True
                self.skip_title_of_item = False
                continue
            self.seen += 1
            read = []
            for parts, new_column in _rows(line):
                if new_column:
                    self.titles.close_group()  # a cell's lines are not one with the cell before
                read.append(self.columns(parts, line))
            if all(read):
                self.meeting.used.add(line.where)
        self.titles.close_group()
        self.meeting.title = squash(self.choose_title())
        if self.meeting.body is None and not self.titles.session_title:
            self.meeting.body = self.body_beside(self.meeting.title)
        for text, where in self.where_of.items():
            # whole words: the letter "A" on a line of its own is not in "Board of the Authority"
            within = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
            if within.search(self.meeting.title) or within.search(self.meeting.body or ""):
                self.meeting.used.add(where)
        return self.meeting

    def columns(self, parts: list[str], line: Line) -> bool:
        """Read the columns of one line; whether all went into fields of the meeting."""
        if len(parts) > 1 and _FIELD_LABEL_RE.fullmatch(parts[0]):
            parts = [f"{parts[0]} {parts[1]}", *parts[2:]]  # "Meeting:      3998th meeting"
        # a column beside the masthead's (the body's name next to the date of issue) is
        # read for itself: it does not end what the masthead's column was saying
        read = [
            self.part(text, line, last=index == len(parts) - 1, alone=len(parts) == 1)
            for index, text in enumerate(parts)
        ]
        titles = self.titles
        if parts and all(self.furniture(text) for text in parts):
            if titles.group and line.indent >= titles.indent + _RIGHT_COLUMN:
                # only the masthead's right column on this line ("Original: English" far
                # right): the body's name in the left column runs on under it ("Conference of
                # the States Parties to the" / "United Nations Convention against" /
                # "Corruption"), beside the masthead
                titles.beside = True
            else:
                # a masthead line ("Distr.: General", the symbol) at the margin parts the
                # title lines above it from those below, as a blank line does
                if titles.group:
                    titles.beside = True
                titles.close_group()
                if titles.groups:
                    titles.masthead.add(len(titles.groups) - 1)
        elif len(parts) > 1 and any(self.furniture(text) for text in parts[1:]):
            titles.beside = True  # "Conference of the States Parties   Distr.: General"
        for text in parts:
            self.where_of.setdefault(text, line.where)
        return all(read)

    def part(self, text: str, line: Line, *, last: bool = True, alone: bool = True) -> bool:
        """Read one column of a line; whether it went into a field of the meeting.

        ``last``: the rightmost column, where a masthead prints "Distr.", the date of issue
        and "Original:"; ``alone``: the only column of its line, as a venue under the
        meeting's date is (not the left half of a masthead line below the date of issue).
        """
        after_when, self.after_when = self.after_when, False
        if is_council_part(text):
            # "Legislative deliberations" above the first item heads a part of the agenda:
            # the "(Public deliberation ...)" under it is not more of the meeting's title
            self.appended = []
            return False
        if self.masthead(text):
            return True
        if self.skip_title_of_item and not only_documents(text) and not self.announces(text):
            return True  # but the symbol under "Agenda item 1" (IMO) is the document's
        # the title of the item is over: a text printed without blank lines ("Agenda item 1"
        # / "III 2/1" / ... / "to be held at IMO Headquarters ...") goes on with the meeting
        self.skip_title_of_item = False
        if self.fields(text):
            return True
        if self.dates(text):
            if (line.heading or line.title_style) and _names_meeting(text):
                # "# Meeting of 12 May 2025": the meeting's title, with its date in it
                self.title_part(text, line)
            return True
        if last:
            self.after_distr = False
        if after_when and alone and self.venue_line(text):
            return True
        return self.title_part(text, line)

    def announces(self, text: str) -> bool:
        """Whether a line announces the meeting (where and when it is held), never the title
        of the agenda item a masthead names: "to be held at IMO Headquarters, ...", "from
        Monday, 13 to Friday, 17 July 2015"."""
        if _HELD_AT_RE.match(text) or _LABELLED_VENUE_RE.match(text):
            return True
        found = self.whole_line_dates(text)
        return (found is not None and len(found[0]) > 1) or (
            find_when(text) is not None and names_weekday(text)
        )

    def furniture(self, text: str) -> bool:
        """A column of the masthead that says nothing of the meeting's title."""
        return bool(
            re.match(r"(?i)^(?:distr|original)\b", text)
            or self.language_code(text)
            or MASTHEAD_RE.match(text)
            or JOB_NUMBER_RE.match(text)
            or only_documents(text)
        )

    def language_code(self, text: str) -> bool:
        """The language letter of the document's edition, at its top ("E" above an IMO
        masthead); a capital alone further down is text."""
        return self.seen <= MASTHEAD_ZONE and LANGUAGE_CODE_RE.match(text) is not None

    def masthead(self, text: str) -> bool:
        if self.language_code(text):
            return True
        if MASTHEAD_ITEM_RE.match(text):
            self.skip_title_of_item = True  # the next line is that item's title, not ours
            return True
        if re.match(r"(?i)^distr\b", text):
            self.after_distr = True
            return True
        if self.after_distr and _DISTRIBUTION_RE.fullmatch(text):
            return True  # "Distr." above "GENERAL" on a line of its own, as older UN masthead
        return bool(
            MASTHEAD_RE.match(text)
            or JOB_NUMBER_RE.match(text)
            or ADDRESSEE_RE.match(text)
            or heads_agenda(text)
            or _AGENDA_FOR_RE.match(text)
            or ANNOTATIONS_HEADING_RE.match(text)
        )

    def fields(self, text: str) -> bool:
        documents = only_documents(text)
        if documents:
            if self.meeting.symbol is None:
                # a date alone under the masthead's symbol is the document's date of issue,
                # as under "Distr." ("A 24/1" / "1 September 2005" on an IMO agenda)
                self.after_distr = True
            self.meeting.symbol = self.meeting.symbol or documents[0]
            return True
        held = _HELD_AT_RE.match(text)
        if held and not self.venue_labelled:
            self.meeting.venue = squash(held["venue"])
            return True
        venue = _LABELLED_VENUE_RE.match(text)
        if venue:
            if not self.venue_labelled:
                self.meeting.venue = squash(venue.group(1))
                self.venue_labelled = True
            return True
        title = _LABELLED_TITLE_RE.match(text)
        if title:
            self.titles.labelled = self.titles.labelled or squash(title.group(1))
            self.appended = [self.titles.labelled]
            return True
        return False

    def dates(self, text: str) -> bool:
        found = self.whole_line_dates(text)
        if found is not None:
            span, place = found
            if self.after_distr and len(span) == 1:
                self.after_distr = False  # the document's date under "Distr.", not the meeting's
                self.place(place, surer=False)
                return True
            named = _LABELLED_DATE_RE.match(text) is not None
            taken = self.consider(When(span, None, None, names_weekday(text), named))
            self.place(place, surer=taken)
            self.after_when = True
            return True
        labelled = _LABELLED_DATE_RE.match(text)
        when = find_when(labelled.group(1) if labelled else text)
        if when is None and labelled and self.meeting.when is not None:
            # "Time: 10.00" under "Date: 24 June 2024"
            when = find_when(f"{self.meeting.when.dates[0]:%d %B %Y} ({labelled.group(1)})")
        if when is None:
            return False
        taken = self.consider(when)
        heading = _NAME_DATE_RE.match(text) if not labelled else None
        after = _DATE_NAME_RE.match(text) if not labelled else None
        if taken and heading and names_weekday(heading["date"]) and find_when(heading["date"]):
            self.titles.dated = squash(heading["name"])
        elif taken and after and _names_meeting(after["name"]) and find_when(after["date"]):
            self.titles.dated = squash(after["name"])
        self.after_when = True
        return True

    def whole_line_dates(self, text: str) -> tuple[tuple[dt.date, ...], str | None] | None:
        """Dates making up a line, and the place before them: "19-20 November 2020",
        "Vienna, 19 and 20 November 2020"."""
        candidates: list[tuple[str, str | None]] = [(text, None)]
        labelled = _LABELLED_DATE_RE.match(text)
        if labelled:
            candidates.append((labelled.group(1), None))
        place = _PLACE_DATE_RE.match(text)
        if place:
            candidates.append((place["date"], place["venue"]))
        for candidate, venue in candidates:
            span = parse_dates(candidate)
            if span is not None and span.year_known:
                # "Vienna, 2-4 June", but not "to be held from Wednesday, 31 May to ..."
                if venue and venue[:1].isupper() and not parse_dates(venue + " 1 January 2000"):
                    return span.dates, squash(venue)
                return span.dates, None
        return None

    def place(self, venue: str | None, *, surer: bool) -> None:
        """The place printed before a date ("Vienna, 2-4 June 2025"): the venue, over one
        guessed before when that date is the meeting's, else only if none is known yet."""
        if venue is None or self.venue_labelled:
            return
        if surer or not self.meeting.venue:
            self.meeting.venue = venue

    def consider(self, when: When) -> bool:
        """Take a date unless an earlier one is surer.

        A date with several days or a weekday is the meeting's; a bare date is more likely the
        document's date of issue, which comes first in most mastheads. A time given for a day
        of the meeting already known (the opening at 10 a.m. on its first day) is its start.

        Returns:
            Whether ``when`` is now the meeting's date.
        """
        meeting = self.meeting
        session = meeting.when
        fits = session is None or len(session.dates) == 1 or _within(when, session)
        if when.start is not None and meeting.start is None and fits:
            meeting.start = when
        if meeting.when is not None and when.rank() <= meeting.when.rank():
            return False
        if meeting.when is not None and _within(when, meeting.when):
            return False  # a day of the session, not another meeting
        meeting.when = when
        self.titles.mark_when()
        if when.venue and not meeting.venue:
            meeting.venue = when.venue
        return True

    def venue_line(self, text: str) -> bool:
        """The short line after the meeting's date that names a place ("New York", "at IMO
        Headquarters, 4 Albert Embankment, London SE1 7SR" under "to be held from ...")."""
        text = re.sub(r"^(?:at|in)\s+(?=[A-Z])", "", text)
        if self.meeting.venue or len(text) > MAX_VENUE_LINE or ":" in text:
            return False
        if not text[:1].isupper() or SESSION_RE.match(text):
            return False
        if MEETING_WORD_RE.search(text) and not _ROOM_RE.search(text):
            return False
        if heads_agenda(text) or text.rstrip().endswith((".", ";")):
            return False
        self.meeting.venue = text
        return True

    def title_part(self, text: str, line: Line) -> bool:
        titles = self.titles
        named_above = bool(titles.group) and not (line.heading or line.title_style)
        if (
            (SESSION_RE.match(text) or (named_above and MEETING_KIND_RE.match(text)))
            and len(text) < 60
            and not line.bold
        ):
            self.meeting.subtitle = self.meeting.subtitle or text
            if titles.session_title is None:
                titles.session_title = list(titles.group) or (
                    titles.groups[-1] if titles.groups else []
                )
                titles.body = titles.groups[-1] if titles.group and titles.groups else None
                if not titles.group and len(titles.groups) > 1:
                    # the organ's name stands apart above the session line: the body is the
                    # masthead's left column above it ("General Assembly   Distr.: General")
                    above = len(titles.groups) - 2
                    titles.body = titles.groups[above] if above in titles.masthead else None
            return True
        if line.bold and not titles.bold_done and not line.heading:
            titles.bold.append(text)
            return True
        if line.title_style or line.heading:
            titles.headings.append(text)
            return True
        if titles.labelled and self.appended and text.startswith("("):
            titles.labelled += " " + text  # "(Agriculture and Fisheries)" under "Meeting:"
            return True
        titles.group.append(text)
        titles.indent = line.indent
        return False

    def choose_title(self) -> str:
        titles = self.titles
        if titles.labelled:
            return titles.labelled
        if titles.bold:
            return " ".join(titles.bold)
        if titles.headings:
            return titles.headings[0]
        if titles.session_title:
            self.meeting.body = " ".join(titles.body) if titles.body else None
            return " ".join(titles.session_title)
        if titles.dated and _names_meeting(titles.dated):
            return titles.dated  # "Council - Wednesday, 5th August, 2026 6.00 pm"
        above = [t for t in titles.before_when or [] if not _SITTING_LABEL_RE.match(t)]
        for group in [above, *titles.groups]:
            # above the date, the nearest meeting: the convening body's name comes before it
            # ("Conference of the Parties to the ..." / "Working Group on ..." / "Vienna, ...")
            order = range(len(group) - 1, -1, -1) if group is above else range(len(group))
            for index in order:
                text = group[index]
                if (
                    group is above
                    and index
                    and _completes(text)
                    and _names_meeting(above[index - 1])
                ):
                    continue  # "Committee A" under "WORLD HEALTH ASSEMBLY": read with it
                if _names_meeting(text):
                    # "(Part 2)" or "Committee A" under the line naming the meeting
                    more = group[index + 1 : index + 2]
                    if more and _completes(more[0]):
                        return f"{text} {more[0]}"
                    return text
        named = self.named_by_heading()
        if named:
            return named
        if titles.dated:
            return titles.dated  # "Cabinet - Wednesday, ...", under "Agenda and decisions"
        if above and len(above[-1]) <= MAX_TITLE_LINE and not above[-1].endswith((".", ",", ";")):
            # no line names a meeting: the name just above its date ("Cabinet" / "Wednesday,
            # 11th February, 2026 10.00 am"), not the lines of contacts under it
            return above[-1]
        return " ".join(titles.groups[0][:3]) if titles.groups else ""

    def named_by_heading(self) -> str | None:
        """The meeting the agenda heading names when no line above does: "PROVISIONAL AGENDA
        FOR THE THIRTY-THIRD REGULAR SESSION OF THE ASSEMBLY" gives "Assembly" and the
        subtitle "Thirty-third regular session". A heading printed in capitals is set so for
        its type, not for the name: the name comes out title-cased, the document's acronyms
        kept ("Sub-Committee on Implementation of IMO Instruments")."""
        found = _HEADING_NAMES_RE.search(self.heading or "")
        if found is None or not MEETING_WORD_RE.search(found["named"]):
            return None
        named = squash(found["named"])
        split = _SESSION_OF_RE.match(named)
        if split is not None and SESSION_RE.match(split["session"]):
            if self.meeting.subtitle is None:
                self.meeting.subtitle = title_case(split["session"], self.acronyms, sentence=True)
            named = split["organ"]
        return title_case(named, self.acronyms)

    def body_beside(self, title: str) -> str | None:
        """The convening body named in the masthead's left column above the title, when no
        session line says which is which: "Conference of the Parties to the United Nations
        Convention against Transnational Organized Crime" beside "Distr.: General" over
        "Working Group on Firearms"."""
        groups = self.titles.groups
        at = next((i for i, group in enumerate(groups) if title in squash(" ".join(group))), None)
        if at is None:
            return None
        first = next((k for k, text in enumerate(groups[at]) if title.startswith(text)), 0)
        if first and self.meeting.symbol:
            # a Word masthead is a table, the body's name the paragraphs under it, run into
            # the title's with no empty paragraph between
            body = squash(" ".join(groups[at][:first]))
            return body if MEETING_WORD_RE.search(body) else None
        for index in range(at, 0, -1):
            body = squash(" ".join(groups[index - 1]))
            if index - 1 in self.titles.masthead and MEETING_WORD_RE.search(body):
                return body
        return None


def _rows(line: Line) -> list[tuple[list[str], bool]]:
    """The columns of a line, as the lines they are read as.

    A PDF masthead puts several columns on one line ("United Nations   A/HRC/55/1"); a Word
    masthead is a table, its cells the columns. A cell of several lines ("A/AC.289/2023/1" /
    "Distr.: General" / the date of issue) is read line by line, each its own line, as the
    plain text of the same masthead is.

    Returns:
        The columns of each line read, and whether the line is the first of a cell.
    """
    if line.cell_lines is not None:
        return [
            ([squash(text)], index == 0)
            for cell in line.cell_lines
            for index, text in enumerate(t for t in cell if t.strip())
        ]
    raw = line.raw if line.raw is not None else line.text
    columns = line.cells if line.cells is not None else _COLUMNS_RE.split(raw)
    return [([squash(part) for part in columns if part.strip()], False)]


# what an agenda heading says it is the agenda of: "Provisional agenda for the sixty-sixth
# session of the Commission on Narcotic Drugs", "AGENDA OF THE REGULAR MEETING OF THE COUNCIL"
_HEADING_NAMES_RE = re.compile(r"(?i)\b(?:for|of)\s+(?:the\s+)?(?P<named>\S.*?)[\s*:,.]*$")
_SESSION_OF_RE = re.compile(r"(?i)^(?P<session>.+?\bsession)\s+of\s+(?:the\s+)?(?P<organ>\S.*)$")


# Columns three spaces apart; or the masthead's right column run into the left one by an
# extraction that kept one space ("Convention against Corruption Original: English")
_COLUMNS_RE = re.compile(
    r"\s{3,}|\s+(?=(?:Distr\.\s*:?\s*(?:General|Limited|Restricted)|Original\s*:)\s*\w)"
)


def _names_meeting(text: str) -> bool:
    return MEETING_WORD_RE.search(text) is not None and len(text) <= MAX_TITLE_LINE


def _completes(text: str) -> bool:
    """A line that completes the meeting's name above it: "(Part 2)", "Committee A"."""
    return text.startswith("(") or len(text) < 15
