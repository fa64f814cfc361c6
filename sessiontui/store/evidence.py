"""What a log's lines say about themselves and about each other: which line is at fault.

``verify`` names the right line with it and ``repair`` keeps every line it can place. Each
line carries its own checksum and the checksum of the line it followed (``prev``), so the
record holds two kinds of evidence: whether a line is intact, and what its successor saw
before it. The verdict follows the evidence:

- a line that fails its own checksum is damaged (set aside by ``repair``);
- a line whose checksum holds but which its successor did not record as its predecessor was
  altered after the successor was written (resealed by hand): it is the suspect, never the
  successor; it is set aside and its place recorded as a gap;
- a successor whose predecessor is absent means lines were deleted: a gap naming the
  missing ``seq`` is recorded, and what follows is kept;
- lines out of order (swapped) are put back in the order their chain gives; a duplicate of a
  placed line is set aside; a line that cannot be placed anywhere is set aside;
- a file converted to CRLF line endings is recognised and converted back; a valid last record
  that only lacks its newline is kept; an interrupted last line is set aside;
- a command whose later events were cut off at a line boundary is named (its first event
  records how many events the command wrote);
- a damaged header is restored byte for byte when one flipped bit (or one changed byte)
  explains it, else rebuilt from what it still says, with a gap record bridging to the first
  event; one that does not read is rebuilt from an agenda file (``store.salvage``), and the
  damaged line is set aside.

An edit of the last line, or a rewrite of the whole chain, leaves no evidence inside the file:
that is what anchors are for (``verify --anchor``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import msgspec

from sessiontui.core.agenda import AgendaFile
from sessiontui.core.events import (
    FORMAT,
    LOG_REPAIR,
    Event,
    Header,
    LineError,
    LogRepaired,
    check_line,
    decode_event,
    line_sum,
    seal,
    split_sum,
    strict_check,
)
from sessiontui.store.recognise import CRLF
from sessiontui.store.salvage import Salvaged, salvage, usable

_BRUTE_FORCE_BYTES = 8 * 1024
"""A header up to this size is searched for the one flipped bit that explains its damage."""
_AROUND = 48
_DECODE_AT = re.compile(r"\(byte (\d+)\)")


@dataclass(slots=True)
class Line:
    """One line of the file: where it is, its bytes as they should be, what it says."""

    number: int
    offset: int
    raw: bytes
    fixed: bytes
    sum: str | None = None
    event: Event | None = None
    reason: str = ""

    @property
    def seq(self) -> int:
        """The line's ``seq`` (lines that do not decode sort first)."""
        return self.event.seq if self.event is not None else -1


@dataclass(slots=True)
class Gap:
    """A place in the chain whose lines are not in the log (deleted, damaged, or suspect)."""

    after_sum: str
    after_seq: int
    next_prev: str
    next_seq: int
    missing: list[int]
    why: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with the log, at the line that is at fault."""

    line: int
    offset: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} (byte {self.offset}): {self.message}"


@dataclass(slots=True)
class Examination:
    """The verdict on a whole log: what is wrong, and the log as ``repair`` would write it."""

    header: bytes
    header_sum: str
    """The checksum the first record follows (a rebuilt header has another of its own)."""
    header_rebuilt: bool
    needs_agenda: bool = False
    """The header does not read and nothing at hand holds its agenda: ``repair`` needs the
    agenda file (``--agenda``)."""
    placed: list[Line | Gap] = field(default_factory=list)
    aside: list[Line] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recorded_gaps: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    cut: list[int] = field(default_factory=list)
    """The seqs a command cut off at the end should have had."""
    events: int = 0
    last_seq: int = 0
    last_sum: str = ""

    @property
    def clean(self) -> bool:
        """Nothing wrong (recorded gaps are known, not damage)."""
        return not self.findings


class Unrecoverable(Exception):
    """The header is damaged beyond what its content can rebuild; the message says so."""


def _lines(data: bytes) -> tuple[list[Line], list[Finding]]:
    lines: list[Line] = []
    findings: list[Finding] = []
    offset = 0
    number = 0
    crlf_seen = False
    while offset < len(data):
        number += 1
        end = data.find(b"\n", offset)
        if end < 0:
            raw = data[offset:]
            fixed = raw.rstrip(b"\r") + b"\n"
            if _valid(fixed):
                findings.append(
                    Finding(
                        number,
                        offset,
                        "newline",
                        "the last record lacks its final newline (kept; `sessiontui repair` "
                        "or the next writer adds it)",
                    )
                )
            else:
                fixed = raw  # torn: judged (and set aside) below
            lines.append(Line(number, offset, raw, fixed))
            break
        raw = data[offset : end + 1]
        fixed = raw
        if raw.endswith(b"\r\n"):
            fixed = raw[:-2] + b"\n"
            if not crlf_seen and _valid(fixed):
                crlf_seen = True
                findings.append(
                    Finding(
                        number,
                        offset,
                        "crlf",
                        CRLF,
                    )
                )
        lines.append(Line(number, offset, raw, fixed))
        offset = end + 1
    return lines, findings


def _valid(line: bytes) -> bool:
    try:
        check_line(line)
    except LineError:
        return False
    return True


def _judge(line: Line, *, strict: bool) -> None:
    if not line.fixed.endswith(b"\n"):
        line.reason = "an interrupted write (no newline, not a whole record)"
        return
    if line.fixed.strip(b"\x00\n") == b"":
        line.reason = "zero bytes (an interrupted write)"
        return
    try:
        line.sum = check_line(line.fixed)
        if strict:
            strict_check(line.fixed)
        line.event = decode_event(line.fixed)
    except LineError as exc:
        line.reason = str(exc)
        line.event = None


def _out(line: Line) -> tuple[str, int]:
    """The ``prev`` and ``seq`` the line after this one continues from."""
    event = line.event
    assert event is not None and line.sum is not None
    if isinstance(event, LogRepaired):
        data = event.data
        if data.next_prev is not None and data.next_seq is not None:
            return data.next_prev, data.next_seq - 1
    return line.sum, event.seq


def _recover_header(line: Line, wanted: str | None) -> tuple[bytes, str, bool] | None:
    """The header as it was: its bytes (restored or rebuilt), its sum, whether rebuilt."""
    fixed = line.fixed
    if _valid(fixed):
        return fixed, check_line(fixed), False
    try:
        body, claimed = split_sum(fixed)
    except LineError:
        body, claimed = b"", ""
    targets = {t for t in (claimed, wanted) if t}
    if body and wanted and line_sum(body) == wanted:
        # Only the checksum field was hit: the body is the one the first event followed.
        restored = body[:-1] + b',"sum":"' + wanted.encode() + b'"}\n'
        return restored, wanted, False
    for candidate in _one_bit_flips(fixed):
        try:
            cbody, cclaimed = split_sum(candidate)
        except LineError:
            continue
        actual = line_sum(cbody)
        if actual == cclaimed and (not wanted or actual == wanted or actual in targets):
            return candidate, actual, False
    try:
        header = msgspec.json.decode(fixed, type=Header)
    except (ValueError, RecursionError):  # invalid UTF-8 is a UnicodeDecodeError
        return None
    if header.format != FORMAT or not usable(header):
        return None
    rebuilt = seal(header)
    # The records are placed from the checksum the first one followed; ``repair`` bridges
    # from the rebuilt header's own to it.
    return rebuilt, wanted or header.sum, True


def _one_bit_flips(line: bytes) -> list[bytes]:
    """Copies of ``line`` with one bit flipped where a flip could explain its damage."""
    positions: range | list[int]
    if len(line) <= _BRUTE_FORCE_BYTES:
        positions = range(len(line) - 1)
    else:
        try:
            msgspec.json.decode(line)
            return []  # too large to search blindly, and nothing points at the damage
        except msgspec.DecodeError as exc:
            found = _DECODE_AT.search(str(exc))
            if found is None:
                return []
            at = int(found.group(1))
            positions = list(range(max(0, at - _AROUND), min(len(line) - 1, at + _AROUND)))
    out = []
    for position in positions:
        for bit in range(8):
            candidate = bytearray(line)
            candidate[position] ^= 1 << bit
            if candidate[position] != 0x0A:
                out.append(bytes(candidate))
    return out


def examine(
    data: bytes, *, strict: bool = True, agenda: tuple[AgendaFile, str] | None = None
) -> Examination:
    """Judge every line of a log file's bytes (see the module docstring).

    ``agenda``: an agenda file given by hand (and its name) to rebuild a header that does not
    read from; the items the records name must be in it.

    Raises:
        Unrecoverable: the file is empty, or the agenda given is not this session's.
    """
    lines, findings = _lines(data)
    if not lines:
        raise Unrecoverable("the file is empty: not a session log")
    head, body = lines[0], lines[1:]
    for line in body:
        _judge(line, strict=strict)
    good = [line for line in body if line.event is not None]
    first = min(good, key=lambda line: (line.seq, line.number), default=None)
    wanted = first.event.prev if first is not None and first.event is not None else None
    recovered = _recover_header(head, wanted)
    salvaged: Salvaged | None = None
    if recovered is None:
        # It does not read: what it and the records still say (``store.salvage``).
        try:
            salvaged = salvage(head.fixed, (line.fixed for line in body), agenda)
        except LineError as exc:
            raise Unrecoverable(str(exc)) from None
        recovered = salvaged.line, salvaged.sum, salvaged.how != "restored"
    header, header_sum, rebuilt = recovered
    result = Examination(
        header,
        header_sum,
        rebuilt,
        needs_agenda=salvaged is not None and salvaged.how == "stand-in",
    )
    result.findings = findings
    if header != head.fixed:
        if salvaged is not None:
            message = f"the header is damaged: {salvaged.said}"
        else:
            how = "rebuilt from what it still says" if rebuilt else "one flipped bit; restored"
            message = f"the header is damaged ({how} by `repair`)"
        findings.append(Finding(1, 0, "header", message))
        # Nothing is deleted: the damaged line goes to the side file, as any other does.
        head.reason = "the damaged header"
        result.aside.append(head)
    _place(result, body, good)
    result.findings.sort(key=lambda finding: finding.line)
    return result


def _place(result: Examination, body: list[Line], good: list[Line]) -> None:
    findings = result.findings
    following: dict[str, list[Line]] = {}
    for line in good:
        assert line.event is not None
        following.setdefault(line.event.prev, []).append(line)
    used: set[int] = set()
    placed_sums: dict[str, Line] = {}
    placed = result.placed
    cur_sum, cur_seq = result.header_sum, 0
    last_line_number = 0
    while True:
        candidates = [line for line in following.get(cur_sum, ()) if line.number not in used]
        if candidates:
            pick = next(
                (
                    line
                    for line in candidates
                    if line.event is not None
                    and (line.event.type == LOG_REPAIR or line.event.seq == cur_seq + 1)
                ),
                None,
            )
            if pick is not None:
                if pick.number < last_line_number:
                    findings.append(
                        Finding(
                            pick.number,
                            pick.offset,
                            "order",
                            f"seq {pick.seq} is out of order (swapped with the line before it, or moved); "
                            "`sessiontui repair` puts it back",
                        )
                    )
                last_line_number = max(last_line_number, pick.number)
                used.add(pick.number)
                placed.append(pick)
                assert pick.sum is not None
                placed_sums[pick.sum] = pick
                cur_sum, cur_seq = _out(pick)
                continue
        rest = [
            line
            for line in good
            if line.number not in used and line.seq > cur_seq and line.sum not in placed_sums
        ]
        if not rest:
            break
        resume = min(rest, key=lambda line: (line.seq, line.number))
        assert resume.event is not None
        previous = placed[-1] if placed else None
        if (
            resume.seq == cur_seq + 1
            and isinstance(previous, Line)
            and previous.event is not None
            and previous.event.type != LOG_REPAIR
        ):
            # Its successor recorded another predecessor: this line was altered after the
            # successor was written (resealed by hand). The suspect, not the successor.
            placed.pop()
            assert previous.sum is not None
            del placed_sums[previous.sum]
            used.discard(previous.number)
            previous.reason = "altered"
            result.aside.append(previous)
            findings.append(
                Finding(
                    previous.number,
                    previous.offset,
                    "altered",
                    f"seq {previous.seq} is not the line its successor (line {resume.number}) "
                    "recorded before it: altered after that was written, its checksum "
                    "recomputed; `sessiontui repair` sets it aside and records the gap",
                )
            )
            used.add(previous.number)
            before = placed[-1] if placed else None
            cur_sum, cur_seq = (
                _out(before) if isinstance(before, Line) else _gap_out(result, before)
            )
            why = f"line {previous.number} (seq {previous.seq}) altered; set aside"
        elif resume.seq == cur_seq + 1:
            findings.append(
                Finding(
                    resume.number,
                    resume.offset,
                    "altered",
                    "the line before it is not the one it recorded (the header, or a line "
                    "before it, was altered); `sessiontui repair` records the break",
                )
            )
            why = "the line before was altered"
        else:
            why = ""
        missing = list(range(cur_seq + 1, resume.seq))
        damaged = [
            line
            for line in body
            if line.event is None and line.number < resume.number and line.number not in used
        ]
        if missing and not damaged and not why:
            findings.append(
                Finding(
                    resume.number,
                    resume.offset,
                    "missing",
                    f"{_seqs(missing)} before it {'is' if len(missing) == 1 else 'are'} "
                    "missing (deleted?); `sessiontui repair` records the gap and keeps what "
                    "follows",
                )
            )
            why = "missing from the log"
        elif missing and not why:
            why = "damaged; set aside"
        placed.append(Gap(cur_sum, cur_seq, resume.event.prev, resume.seq, missing, why))
        cur_sum, cur_seq = resume.event.prev, resume.seq - 1
    _unplaced(result, body, good, used, placed_sums)
    _cut_command(result)
    events = [item for item in placed if isinstance(item, Line)]
    result.events = sum(
        1 for line in events if line.event is not None and line.event.type != LOG_REPAIR
    )
    last = events[-1] if events else None
    result.last_sum, result.last_seq = _out(last) if last is not None else (result.header_sum, 0)
    if placed and isinstance(placed[-1], Gap):
        result.last_sum, result.last_seq = placed[-1].next_prev, placed[-1].next_seq - 1
    for line in events:
        if line.event is not None and line.event.type == LOG_REPAIR:
            text, is_gap = _describe_marker(line)
            (result.recorded_gaps if is_gap else result.repairs).append(text)


def _gap_out(result: Examination, gap: Gap | None) -> tuple[str, int]:
    if gap is None:
        return result.header_sum, 0
    return gap.next_prev, gap.next_seq - 1


def _unplaced(
    result: Examination,
    body: list[Line],
    good: list[Line],
    used: set[int],
    placed_sums: dict[str, Line],
) -> None:
    for line in body:
        if line.number in used:
            continue
        if line.event is None:
            kind = "torn" if line is body[-1] and not line.raw.endswith(b"\n") else "damaged"
            message = line.reason or "not a record"
            if kind == "torn":
                message = "an interrupted write at the end (set aside by the next writer)"
            result.findings.append(Finding(line.number, line.offset, kind, message))
        elif line.sum in placed_sums:
            twin = placed_sums[line.sum]
            result.findings.append(
                Finding(
                    line.number,
                    line.offset,
                    "duplicate",
                    f"a second copy of line {twin.number} (seq {line.seq}); "
                    "`sessiontui repair` sets it aside",
                )
            )
        else:
            result.findings.append(
                Finding(
                    line.number,
                    line.offset,
                    "unplaced",
                    f"seq {line.seq} fits nowhere in the chain; `sessiontui repair` sets it aside",
                )
            )
        result.aside.append(line)
    del good


def _cut_command(result: Examination) -> None:
    """The last command must hold as many events as its first one says it wrote."""
    events = [
        item
        for item in result.placed
        if isinstance(item, Line) and item.event is not None and item.event.type != LOG_REPAIR
    ]
    if not events:
        return
    gaps_after = [
        item
        for item in result.placed
        if isinstance(item, Line)
        and item.event is not None
        and isinstance(item.event, LogRepaired)
        and item.event.data.missing is not None
        and item.number > events[-1].number
    ]
    if gaps_after:
        return  # a repair already recorded what is missing at the end
    last = events[-1]
    assert last.event is not None
    batch = last.event.batch
    if batch is None:
        return
    members = []
    for line in reversed(events):
        assert line.event is not None
        if line.event.batch != batch:
            break
        members.append(line)
    opening = members[-1].event
    assert opening is not None
    size = opening.size
    if isinstance(size, int) and len(members) < size:
        result.cut = list(range(last.event.seq + 1, opening.seq + size))
        result.findings.append(
            Finding(
                last.number,
                last.offset,
                "cut",
                f"the command that began at seq {opening.seq} wrote {size} events but only "
                f"{len(members)} are in the log: its end was cut off",
            )
        )


def _describe_marker(line: Line) -> tuple[str, bool]:
    """What a ``log.repair`` record says, and whether it records a gap (lines not there)."""
    event = line.event
    assert isinstance(event, LogRepaired)
    data = event.data
    when = f"{event.at:%Y-%m-%d %H:%M} UTC"
    if data.moved_from is not None:
        return f"line {line.number}: repaired at {when}", False
    if data.missing:
        what = _seqs(data.missing)
    elif data.missing is not None:
        return f"line {line.number}: {data.reason or 'a break'} (repair at {when})", True
    else:
        what = f"records before seq {data.next_seq}"
    where = f", set aside in {data.side_file}" if data.side_file else ""
    return f"line {line.number}: {what} recorded as a gap by repair at {when}{where}", True


def _seqs(seqs: list[int]) -> str:
    if not seqs:
        return "no seq"
    if len(seqs) == 1:
        return f"seq {seqs[0]}"
    if seqs == list(range(seqs[0], seqs[-1] + 1)):
        return f"seq {seqs[0]}-{seqs[-1]}"
    return "seq " + ", ".join(str(seq) for seq in seqs)
