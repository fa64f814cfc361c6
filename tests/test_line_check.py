"""``check_line``'s quick path for sound lines answers as the full check does, word for word.

A reader checks every line of a log with ``check_line``: a sound line is hashed where it lies;
anything else goes through ``split_sum``. Whatever the bytes, the checksum returned or the
error raised must be the full check's.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sessiontui.core import events as ev
from sessiontui.core.events import LineError, check_line, line_sum, split_sum

AT = dt.datetime(2020, 11, 19, 10, 0, tzinfo=dt.UTC)


def full_check(line: bytes) -> str:
    """``check_line`` as it was before its quick path."""
    if len(line) > ev.MAX_LINE_BYTES:
        raise LineError("line longer than 1 MiB")
    body, claimed = split_sum(line)
    if line_sum(body) != claimed:
        raise LineError("checksum mismatch")
    return claimed


def outcome(check: object, line: bytes) -> tuple[str, str]:
    try:
        return ("ok", check(line))  # type: ignore[operator]
    except LineError as exc:
        return ("error", str(exc))


def sound_line(note: str = "x") -> bytes:
    event = ev.NoteAdded(
        seq=1,
        id="e1",
        at=AT,
        recorded=AT,
        actor="chair",
        item="1",
        data=ev.NoteAddData(note="n1", kind="note", text=note),
    )
    return ev.seal(event)


def test_sound_line_gives_its_sum() -> None:
    line = sound_line()
    assert check_line(line) == full_check(line) == line[-35:-3].decode()


def test_each_damage_named_as_before() -> None:
    line = sound_line()
    mark = line.rfind(b',"sum":"')
    cases = [
        line,
        line[:-1],  # no newline
        line + b"\n",  # two newlines
        line[:-2] + b"\n",
        line.replace(b'"chair"', b'"chaix"'),  # body altered
        line[: mark + 8] + b"0" * 32 + b'"}\n',  # sum altered
        line[: mark + 8] + line[mark + 9 : -3] + b'"}\n',  # sum one digit short
        line[:mark] + b',"sum":"' + b',"sum":"' + line[mark + 16 : -3] + b'"}\n',
        b',"sum":"' + line_sum(b"}").encode() + b'"}\n',  # nothing but the sum
        b"",
        b"\n",
        b"x" * (ev.MAX_LINE_BYTES + 1),
    ]
    for case in cases:
        assert outcome(check_line, case) == outcome(full_check, case), case


@settings(max_examples=300, deadline=None)
@given(
    note=st.text(max_size=40),
    cut=st.integers(min_value=0, max_value=60),
    flip=st.integers(min_value=0, max_value=400),
    byte=st.integers(min_value=0, max_value=255),
    junk=st.binary(max_size=12),
)
def test_any_damage_judged_as_before(
    note: str, cut: int, flip: int, byte: int, junk: bytes
) -> None:
    line = sound_line(note)
    assert outcome(check_line, line) == ("ok", full_check(line))
    flipped = bytearray(line)
    flipped[flip % len(flipped)] = byte
    for case in (bytes(flipped), line[: len(line) - cut], line[: len(line) - cut] + junk):
        assert outcome(check_line, case) == outcome(full_check, case)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_arbitrary_bytes_judged_as_before(data: bytes) -> None:
    for case in (data, data + b'"}\n', b',"sum":"' + data + b'"}\n'):
        assert outcome(check_line, case) == outcome(full_check, case)


@settings(max_examples=300, deadline=None)
@given(
    note=st.text(max_size=40),
    flip=st.integers(min_value=0, max_value=400),
    byte=st.integers(min_value=0, max_value=255),
    data=st.binary(max_size=120),
)
def test_an_accepted_line_holds_its_sum_at_claimed_sum(
    note: str, flip: int, byte: int, data: bytes
) -> None:
    """What a second process vouches for: a line that ends in one newline and that
    ``check_line`` accepts holds the sum it returns at ``CLAIMED_SUM``."""
    line = sound_line(note)
    flipped = bytearray(line)
    flipped[flip % (len(flipped) - 1)] = byte
    for case in (line, bytes(flipped), data + b'"}\n', b',"sum":"' + data + b'"}\n'):
        if case.count(b"\n") != 1 or not case.endswith(b"\n"):
            continue  # the scan splits after each newline: no line holds another
        kind, answer = outcome(check_line, case)
        if kind == "ok":
            assert case[ev.CLAIMED_SUM].decode("ascii") == answer
