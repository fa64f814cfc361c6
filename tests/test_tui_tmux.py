"""The tracker in a real terminal (tmux): keys in, screen text out, the log checked afterwards."""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import fcntl
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from .conftest import run_cli
from .tmux import Tmux

ROOT = Path(__file__).resolve().parent.parent
AGENDA = ROOT / "agendas" / "cosp-intersessional-2020.toml"

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def start_tracker(
    tmp_path: Path,
    log: Path,
    size: tuple[int, int] = (120, 40),
    options: str = "",
    *,
    under_shell: bool = False,
    exit_status_to: Path | None = None,
) -> Tmux:
    """The tracker on the model agenda (or its log) in a tmux server and session of its own.

    ``under_shell`` runs it as a shell's child instead of the pane's own process: tmux continues
    a stopped pane process at once, so only then does a test's SIGSTOP hold (``tracker_pid``).
    ``exit_status_to`` (implies ``under_shell``): the file the shell writes its exit status to.
    """
    under_shell = under_shell or exit_status_to is not None
    after = "; exit"
    if exit_status_to is not None:
        after = f"; echo $? > {shlex.quote(str(exit_status_to))}; exit"
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SESSIONTUI_ACTOR": "ana",
        "TEXTUAL_ANIMATIONS": "none",
    }
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    command = (
        f"cd {shlex.quote(str(ROOT))} && {'' if under_shell else 'exec '}env {exports} "
        f"{shlex.quote(sys.executable)} "
        f"-m sessiontui {shlex.quote(str(AGENDA))} --log {shlex.quote(str(log))} {options}"
        + (after if under_shell else "")
    )
    session = Tmux(f"sessiontui-{uuid.uuid4().hex[:8]}")
    session.start(command, size)
    return session


def tracker_pid(session: Tmux) -> int:
    """The tracker's process id, whether the pane runs it or a shell's child
    (``start_tracker(..., under_shell=True)``)."""
    pane = session.pid()
    children = Path(f"/proc/{pane}/task/{pane}/children").read_text().split()
    return int(children[0]) if children else pane


def _take_up_2a(session: Tmux) -> None:
    """Once the tracker shows the agenda, take up 2(a) from the keyboard (1 -> 2 -> 2(a), o)."""
    session.wait_for("Closure of the meeting", timeout=30)
    session.send("Down", "Down")
    session.wait_for("Status of the preparations for the special session")
    session.send("o")
    session.wait_for("on the floor")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    """The tracker on the model agenda in a 120x40 tmux session, with its log in ``tmp_path``."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log)
    try:
        yield session, log
    finally:
        session.kill()


def test_take_up_note_close_quit(tmux: tuple[Tmux, Path], tmp_path: Path) -> None:
    session, log = tmux
    _take_up_2a(session)
    session.send("n")
    session.wait_for("ctrl+s save")
    session.type("Co-facilitators reported progress [draft 2].")
    session.wait_for("[draft 2].")
    session.send("C-s")
    session.wait_for("Notes")
    session.send("c")
    # The floor goes back to 2, and the selection with it: 2(a) shows closed in the agenda.
    session.wait_for("✓ 2(a)")
    session.send("C-q")
    session.wait_ended()

    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", "report", "--json", "--log", str(log)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout)
    item = next(entry for entry in report["items"] if entry["label"] == "2(a)")
    assert item["status"] == "closed"
    assert item["notes"] == 1
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    notes = [r["data"]["text"] for r in records if r["type"] == "note.add"]
    assert notes == ["Co-facilitators reported progress [draft 2]."]


def test_a_line_another_program_appends_is_said_when_it_lands(tmux: tuple[Tmux, Path]) -> None:
    """`printf 'garbage\\n' >> LOG` while the tracker has the log open: within its next look
    the top bar says READ-ONLY with the line and byte, before any key records anything."""
    session, log = tmux
    _take_up_2a(session)
    before = log.read_bytes()
    with log.open("ab") as shell:
        shell.write(b"garbage\n")
    landed = time.monotonic()
    screen = session.wait_for(f"READ-ONLY (the log is damaged at line 4, byte {len(before)})")
    assert time.monotonic() - landed < 5, screen
    session.send("c")  # close 2(a): refused, and said why
    session.wait_for("Close: the log is damaged at line 4")
    session.send("C-q")
    session.wait_ended()
    assert log.read_bytes() == before + b"garbage\n"


def test_80x24_keeps_the_floor_the_keys_and_the_item_in_reach(tmp_path: Path) -> None:
    """At 80x24: the top bar says what is on the floor, the footer shows the keys of the
    moment, ``i`` shows the item's speakers in full and the help says how to scroll."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        screen = session.wait_for("P Open sitting", timeout=30)
        assert "P Open sitting" in screen.splitlines()[-1]  # the footer
        session.send("Down", "Down", "o")
        screen = session.wait_for("On the floor: 2(a)")
        assert screen.splitlines()[0].startswith(" Second intersessional meeting")
        for keys in (["Brazil", "Tab", "Group of 77 and China"], ["Kenya"]):
            session.wait_gone("On behalf of")
            session.send("+")
            session.wait_for("On behalf of")
            session.send(*keys, "Enter")
        session.wait_gone("On behalf of")
        assert "g Give floor" in session.wait_for("g Give floor").splitlines()[-1]
        session.send("g")
        footer = session.wait_for("e End speech").splitlines()[-1]
        assert "g Give floor" in footer and "p Break" in footer  # Kenya is still waiting
        session.send("i")
        # The item view's own hint: the main screen may already show the speaker's name.
        session.wait_for("pgup/pgdn scroll · escape")
        screen = session.wait_for("Brazil (on behalf of the Group of 77 and China)")
        # (the toast "not a meeting day" may cover the end of the hint)
        assert "pgup/pgdn scroll · escape" in screen and "· Kenya" in screen
        session.send("Escape")
        session.wait_gone("pgup/pgdn scroll · escape")
        session.send("?")
        assert "pgup/pgdn scroll" in session.wait_for("Keys")
        session.send("Escape")
        session.wait_gone("pgup/pgdn scroll")
        session.send("C-q")
        session.wait_ended()
    finally:
        session.kill()


def test_a_restart_at_80x24_shows_the_status_of_the_item_on_the_floor(tmp_path: Path) -> None:
    """The item on the floor, selected at start, shows its status line under its title at
    once: it showed blank after every restart until the selection moved away and back."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("P Open sitting", timeout=30)
        session.send("P")
        session.wait_for("p Break")
        session.send("o")
        session.wait_for("▶ on the floor (ana at")
        session.send("C-q")
        session.wait_ended()
    finally:
        session.kill()
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("c Close", timeout=30)
        screen = session.wait_for("▶ on the floor (ana at", timeout=10)
        lines = screen.splitlines()
        title = lines.index(" 1 Opening of the meeting and adoption of the agenda", 3)
        assert lines[title + 1].startswith(" ▶ on the floor (ana at"), screen
    finally:
        session.kill()


BURSTS = [
    "Co-facilitators reported progress on the draft political declaration; "
    "several delegations asked for the informal consultations to continue. " * 5,
    "Делегация Российской Федерации поддержала проект решения [пункт 2(a)].",
    "中华人民共和国代表团发言，支持共同主持人的工作。",
    "بيان وفد مصر باسم المجموعة العربية",
    "Ελλάδα · Ñandú · naïve café — “quoted” ‘text’ … 100% & <b>not bold</b> [wip]",
]


def test_notes_typed_in_a_burst_are_saved_byte_for_byte(tmux: tuple[Tmux, Path]) -> None:
    """Text and ctrl+s sent at once: each note is saved exactly as typed, nothing carried over."""
    session, log = tmux
    _take_up_2a(session)
    sent: list[str] = []
    for round_ in range(3):
        for text in BURSTS:
            note = f"{round_}: {text.strip()}"
            session.send("n")
            session.wait_for("ctrl+s save")
            # One tmux command: the text and ctrl+s reach the terminal back to back.
            session.burst(note, "C-s")
            sent.append(note)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if "ctrl+s save" not in session.screen() and len(_note_texts(log)) == len(sent):
                    break
                time.sleep(0.05)
            assert _note_texts(log) == sent
    session.send("C-q")
    assert _note_texts(log) == sent


def _note_texts(log: Path) -> list[str]:
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()[1:]
    return [r["data"]["text"] for r in map(json.loads, lines) if r["type"] == "note.add"]


def _restore_offers(session: Tmux, log: Path, restored: list[str]) -> None:
    """Answer every "Restore unsaved text" offer: check it is not saved already, then save it."""
    while True:
        screen = session.wait_for_any("Closure of the meeting", "Restore unsaved text")
        if "Restore unsaved text" not in screen:
            return
        # Each round leaves at most one draft: the one offered.
        (draft,) = (log.parent / "data").glob("sessiontui/drafts/*/*/*.json")
        text = json.loads(draft.read_text(encoding="utf-8"))["text"]
        assert text not in _note_texts(log), f"{text!r} was offered although it was saved"
        session.send("C-r")
        session.wait_for("ctrl+s save")
        restored.append(text)
        session.send("C-s")
        deadline = time.monotonic() + 20
        while text not in _note_texts(log) and time.monotonic() < deadline:
            time.sleep(0.05)


def _sigkill_texts(rounds: int = 15) -> list[str]:
    return [f"R{n:02d} Заметка 笔记 note {n} of the round" for n in range(rounds)]


EDITOR = "ctrl+s save"
"""The note editor's hint: on the screen while the editor is open, gone once the save is shown."""


def _kill_when(
    trigger: str, session: Tmux, log: Path, drafts: Path, rng: random.Random, text: str
) -> str:
    """Wait for the moment ``trigger`` names (the draft of the whole ``text`` written, the note
    saved, the save shown, or a random instant after the keys were sent), then 0-10 ms more;
    returns the screen as it was just before the kill."""
    deadline = time.monotonic() + 10
    size = log.stat().st_size
    if trigger == "random":
        time.sleep(rng.uniform(0.0, 0.3))
    while trigger != "random" and time.monotonic() < deadline:
        # The whole text: the draft is also written while the keys are still being typed.
        if trigger == "draft" and text in _draft_texts(drafts):
            break
        if trigger == "saved" and log.stat().st_size != size:
            break
        if trigger == "shown" and EDITOR not in session.screen():
            break
        time.sleep(0.0005)
    time.sleep(rng.uniform(0.0, 0.010))
    return session.screen()


def _save_shown(screen: str) -> bool:
    """Whether ``screen`` (captured before the kill) showed the save: the main view, no editor."""
    return "Closure of the meeting" in screen and EDITOR not in screen and "NOT SAVED" not in screen


def test_sigkill_right_after_ctrl_s_never_records_a_note_twice(tmp_path: Path) -> None:
    """Killed 0-10 ms after ctrl+s, many rounds: each note at most once in the log, exactly
    once when the save was on the screen before the kill, a draft of a saved note never
    offered, an unsaved one offered and then saved once."""
    log = tmp_path / "session.jsonl"
    drafts = tmp_path / "data" / "sessiontui" / "drafts"
    restored: list[str] = []
    shown: list[str] = []
    rng = random.Random(14)
    # "typed": killed once the draft of text typed without ctrl+s is written, so some drafts
    # are always left to be offered, whatever the timing of the kills after ctrl+s.
    triggers = ("draft", "saved", "shown", "random", "typed")
    for number, text in enumerate(_sigkill_texts()):
        session = start_tracker(tmp_path, log)
        try:
            _restore_offers(session, log, restored)
            session.send("n")
            session.wait_for(EDITOR)
            pid = session.pid()
            trigger = triggers[number % len(triggers)]
            if trigger == "typed":
                session.type(text)
                trigger = "draft"
            else:
                session.burst(text, "C-s")
            screen = _kill_when(trigger, session, log, drafts, rng, text)
            os.kill(pid, 9)
        finally:
            session.kill()
        saved = _note_texts(log)
        assert all(saved.count(t) == 1 for t in saved), saved
        if _save_shown(screen):
            # The tracker said it was saved: it is in the log, once, whatever came after.
            assert saved.count(text) == 1, (text, saved, screen)
            shown.append(text)
    session = start_tracker(tmp_path, log)
    try:
        _restore_offers(session, log, restored)
        session.send("C-q")
    finally:
        session.kill()
    saved = _note_texts(log)
    assert all(saved.count(t) == 1 for t in saved), saved
    assert set(saved) <= set(_sigkill_texts())
    assert all(saved.count(t) == 1 for t in shown), (shown, saved)
    assert not set(shown) & set(restored), "a note shown as saved was offered again as a draft"
    # Kills fell before the save, after it, and after it was shown (else the test proved nothing).
    assert restored and set(saved) - set(restored) and shown, (saved, restored, shown)
    # Nothing left over: no draft of any of these notes remains to be offered.
    assert list(drafts.glob("*/*/*.json")) == []


def _draft_texts(drafts: Path) -> list[str]:
    texts = []
    for path in drafts.glob("*/*/*.json"):
        try:
            texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
        except FileNotFoundError:
            continue  # removed meanwhile (its note saved)
    return texts


def _ended(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not Path(f"/proc/{pid}").exists()


def test_a_terminal_closed_mid_note_keeps_every_word_on_the_screen(tmp_path: Path) -> None:
    """The terminal goes (SIGHUP) a moment after the last words show, before the draft's own
    timed write: the tracker writes them to the draft, ends, and the next start offers them."""
    log = tmp_path / "session.jsonl"
    drafts = tmp_path / "data" / "sessiontui" / "drafts"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.send("n")
        session.wait_for(EDITOR)
        pid = session.pid()
        session.type("The Chair opened the item. ")
        deadline = time.monotonic() + 10
        while _draft_texts(drafts) != ["The Chair opened the item. "]:
            assert time.monotonic() < deadline, _draft_texts(drafts)
            time.sleep(0.02)
        session.type("Egypt spoke last.")
        session.wait_for("spoke last.")
        session.kill()  # the terminal is gone: the tracker gets SIGHUP
        assert _ended(pid, timeout=15), "the tracker outlived its terminal"
    finally:
        session.kill()
    assert _draft_texts(drafts) == ["The Chair opened the item. Egypt spoke last."]


HANG_UP_BURST = "Burst-start " + " ".join(
    f"{n:03d}-Égypte/中国/Россия, for the Group of 77, asked for more time." for n in range(12)
)
"""Hundreds of keys: handling them takes a second or more, so the end comes in the middle."""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_quit_exits_with_128_plus_the_signal(tmp_path: Path, signum: int) -> None:
    """SIGTERM or SIGHUP: the typed note is kept in its draft as on ``ctrl+q``, and the process
    then exits 128 + the signal, so a service manager or a script can tell it was ended (it
    exited 0, as a quit does)."""
    log = tmp_path / "session.jsonl"
    drafts = tmp_path / "data" / "sessiontui" / "drafts"
    status = tmp_path / "status"
    session = start_tracker(tmp_path, log, size=(80, 24), exit_status_to=status)
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.send("n")
        session.wait_for(EDITOR)
        session.type("Egypt spoke last.")
        session.wait_for("spoke last.")
        pid = tracker_pid(session)
        os.kill(pid, signum)
        assert _ended(pid, timeout=30), "the tracker outlived the signal"
        deadline = time.monotonic() + 10
        while not status.exists() or not status.read_text():
            assert time.monotonic() < deadline, "the shell wrote no exit status"
            time.sleep(0.05)
    finally:
        session.kill()
    assert status.read_text().strip() == str(128 + signum)
    assert _draft_texts(drafts) == ["Egypt spoke last."]


def test_a_burst_read_before_the_terminal_goes_is_kept_whole(tmp_path: Path) -> None:
    """A note typed in one burst, then its tmux server killed while the tracker is still
    handling the keys it read. Every key reaches the draft, and the next start restores and
    saves the whole text."""
    log = tmp_path / "session.jsonl"
    drafts = tmp_path / "data" / "sessiontui" / "drafts"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.send("n")
        session.wait_for(EDITOR)
        pid = session.pid()
        session.type(HANG_UP_BURST)
        # Its first word on the screen: the tracker has read the burst and is handling it.
        screen = session.wait_for("Burst-start")
        session.kill()
        assert "011-" not in screen, "the burst was handled before the end: nothing tested"
        assert _ended(pid, timeout=60), "the tracker outlived its terminal"
    finally:
        session.kill()
    assert _draft_texts(drafts) == [HANG_UP_BURST]
    _restore_and_save(tmp_path, log, HANG_UP_BURST)


def test_a_hang_up_on_a_starved_tracker_keeps_every_key_waiting(tmp_path: Path) -> None:
    """SIGHUP while a burst still waits in the terminal, unread, and the tracker then gets a
    sliver of the CPU (as on a loaded machine): it takes and posts every key, however long that
    takes, before its quit. Before, it gave the reader two seconds, then quit: the burst's end,
    read but not yet posted, was lost."""
    log = tmp_path / "session.jsonl"
    drafts = tmp_path / "data" / "sessiontui" / "drafts"
    session = start_tracker(tmp_path, log, size=(80, 24), under_shell=True)
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.send("n")
        session.wait_for(EDITOR)
        pid = tracker_pid(session)
        os.kill(pid, signal.SIGSTOP)  # held: the tracker is not the pane's process
        # A stop takes effect when the kernel next handles the process: on a loaded machine
        # its reader could still take the burst first, and the terminal would hold none of it.
        _wait_stopped(pid)
        session.type(HANG_UP_BURST)
        _wait_terminal_holds(session, len(HANG_UP_BURST.encode()))
        os.kill(pid, signal.SIGHUP)
        _starve(pid, seconds=3.0)
        assert _ended(pid, timeout=60), "the tracker outlived its terminal"
    finally:
        session.kill()
    assert _draft_texts(drafts) == [HANG_UP_BURST]
    _restore_and_save(tmp_path, log, HANG_UP_BURST)


def test_a_stop_and_continue_leaves_one_reader_on_the_terminal(tmp_path: Path) -> None:
    """Stopped and continued from outside (``kill -STOP`` and ``-CONT``; tmux also continues
    its pane at once), the tracker keeps the one reader and writer it had. Before, each
    continue started another pair on the same terminal, and two readers split a burst."""
    session = start_tracker(tmp_path, tmp_path / "session.jsonl", size=(80, 24))
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.send("n")
        session.wait_for(EDITOR)
        pid = session.pid()
        threads = _thread_names(pid)
        for _ in range(3):
            os.kill(pid, signal.SIGSTOP)
            time.sleep(0.1)
            os.kill(pid, signal.SIGCONT)  # tmux may have continued it already: a second one
        session.type("Still one reader.")
        session.wait_for("Still one reader.")
        assert _thread_names(pid) == threads
        session.send("C-q")
        session.wait_ended(timeout=30)
    finally:
        session.kill()


def _thread_names(pid: int) -> list[str]:
    return sorted(
        (task / "comm").read_text().strip() for task in Path(f"/proc/{pid}/task").iterdir()
    )


@contextlib.contextmanager
def _terminal(session: Tmux) -> Iterator[Callable[[], int]]:
    """A count of the bytes the pane's terminal holds that its reader has not taken."""
    tty = session.tmux("display-message", "-p", "-t", session.name, "#{pane_tty}").stdout
    fd = os.open(tty.strip(), os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    count = array.array("i", [0])

    def held() -> int:
        fcntl.ioctl(fd, termios.FIONREAD, count)
        return count[0]

    try:
        yield held
    finally:
        os.close(fd)


def _wait_terminal_holds(session: Tmux, count: int) -> None:
    """Wait until the pane's terminal holds ``count`` bytes its reader has not taken."""
    with _terminal(session) as held:
        deadline = time.monotonic() + 10
        while held() < count:
            assert time.monotonic() < deadline, f"the terminal holds {held()} of {count} bytes"
            time.sleep(0.02)


def _wait_stopped(pid: int) -> None:
    """Wait until every thread of a process sent SIGSTOP is stopped."""
    deadline = time.monotonic() + 10
    while True:
        states = [
            (task / "stat").read_text().rpartition(")")[2].split()[0]
            for task in Path(f"/proc/{pid}/task").iterdir()
        ]
        if all(state in ("T", "t") for state in states):
            return
        assert time.monotonic() < deadline, f"not stopped: {states}"
        time.sleep(0.01)


def _starve(pid: int, seconds: float) -> None:
    """Let a stopped process run about 0.2 % of the time for ``seconds``, then freely."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            os.kill(pid, signal.SIGCONT)
            time.sleep(0.0005)
            os.kill(pid, signal.SIGSTOP)
            time.sleep(0.3)
    except ProcessLookupError:
        return  # it ended
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def _restore_and_save(tmp_path: Path, log: Path, text: str) -> None:
    """Start again: the draft is offered, restored and saved as the note ``text``."""
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("Restore unsaved text", timeout=30)
        session.send("C-r")
        session.wait_for(EDITOR)
        session.send("C-s")
        _wait_log(log, lambda records: _note_texts(log) == [text])
        session.send("C-q")
    finally:
        session.kill()


def _log_records(log: Path) -> list[dict[str, object]]:
    lines = log.read_text(encoding="utf-8").splitlines()[1:] if log.exists() else []
    return [json.loads(line) for line in lines]


def _wait_log(log: Path, check: Callable[[list[dict[str, object]]], bool]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if check(_log_records(log)):
            return
        time.sleep(0.05)
    raise AssertionError(f"the log never got there: {_log_records(log)}")


def _types(records: list[dict[str, object]]) -> list[object]:
    return [record["type"] for record in records]


def test_a_whole_sitting_without_a_mouse(tmux: tuple[Tmux, Path]) -> None:
    """The 2020 agenda driven from the keyboard: a back-dated take-up through the palette,
    notes in bursts, speakers with a group through Tab typed in one burst, g, a point of order
    and the return, reorder and removal, a break, close and quit; then report and journal."""
    session, log = tmux
    session.wait_for("Closure of the meeting", timeout=30)
    session.send("C-p")
    session.wait_for("Search for commands")
    session.type("2a")
    session.wait_for("Go to 2(a)")
    time.sleep(0.5)  # the palette gathers its hits in batches of 0.25 s
    session.send("Enter")
    session.wait_gone("Go to 2(a)")

    # The sitting opened with P; 2(a) taken up through the palette "at" a moment typed with @
    # (a correction): first before the opening (refused, nothing written), then after it.
    session.send("P")
    _wait_log(log, lambda r: "sitting.open" in _types(r))
    opened = _at(_log_records(log)[0])
    taken = opened.replace(microsecond=0) + dt.timedelta(seconds=2)
    while dt.datetime.now(dt.UTC) < taken + dt.timedelta(seconds=2):
        time.sleep(0.1)  # the moment typed is past, and well before now
    _set_time(session, opened - dt.timedelta(minutes=1))
    _palette_take_up(session)
    session.wait_for("Refused")
    time.sleep(0.5)
    assert "item.open" not in _types(_log_records(log))
    _set_time(session, taken)
    _palette_take_up(session)
    _wait_log(log, lambda r: "item.open" in _types(r))
    (take_up,) = [r for r in _log_records(log) if r["type"] == "item.open"]
    assert take_up["item"] == "2a" and _at(take_up) == taken
    assert take_up["data"] == {"corrected": True}
    session.wait_gone("│ at ")  # the time set with @ was for that one action

    notes = [
        ("The co-facilitators reported progress. " * 8).strip(),
        "Заявление: 中华人民共和国 — بيان",
    ]
    for text in notes:
        session.send("n")
        session.wait_for("ctrl+s save")
        session.burst(text, "C-s")

        def saved(records: list[dict[str, object]], expected: str = text) -> bool:
            return expected in _note_texts(log)

        _wait_log(log, saved)
        session.wait_gone("ctrl+s save")
    assert _note_texts(log) == notes

    def speaker(*fields: str) -> None:
        count = _types(_log_records(log)).count("speaker.add")
        session.wait_gone("On behalf of")  # the dialog before has closed
        session.send("+")
        session.wait_for("On behalf of")
        # One tmux command: the fields, Tab between them and Enter arrive back to back, as
        # fast typing does; each must still land in its own field.
        keys: list[str] = []
        for index, value in enumerate(fields):
            keys += (["Tab"] if index else []) + ([value] if value else [])
        session.send(*keys, "Enter")
        _wait_log(log, lambda r: _types(r).count("speaker.add") == count + 1)

    speaker("Brazil", "Group of 77 and China", "Ms. Silva")
    speaker("Kenya")
    speaker("Egypt")
    speaker("Peru")
    added = [r["data"] for r in _log_records(log) if r["type"] == "speaker.add"]
    first = added[0]
    assert isinstance(first, dict)
    assert (first["name"], first.get("on_behalf_of"), first.get("person")) == (
        "Brazil",
        "Group of 77 and China",
        "Ms. Silva",
    )
    assert "speaker.start" not in _types(_log_records(log))  # Enter never gives the floor
    session.send("g")
    _wait_log(log, lambda r: _types(r).count("speaker.start") == 1)
    session.send("g")  # Kenya: Brazil's speech ends
    _wait_log(log, lambda r: _types(r).count("speaker.start") == 2)

    # A point of order: kind chosen from the keyboard, then g interrupts Kenya; e returns.
    session.wait_gone("On behalf of")
    session.send("+")
    session.wait_for("On behalf of")
    session.type("Pakistan")
    session.send("Tab", "Tab", "Tab", "Space")
    session.wait_for("Right of reply")  # the list of kinds is open
    session.send("Down", "Down", "Enter")  # picks the kind, does not put on the list
    session.wait_gone("Right of reply")
    session.wait_for("Point of order")  # chosen, shown in the field
    session.send("Enter")  # the list closed: Enter on the kind puts on the list
    _wait_log(log, lambda r: _types(r).count("speaker.add") == 5)
    session.wait_gone("On behalf of")
    session.send("g")
    _wait_log(log, lambda r: any(x["data"].get("interrupts") for x in r))  # type: ignore[attr-defined]
    session.send("e")
    _wait_log(log, lambda r: any(x["data"].get("resumes") for x in r))  # type: ignore[attr-defined]

    # The waiting list: Peru moved above Egypt, then taken off.
    session.send("l")
    session.wait_for("Speakers waiting on 2(a)")
    session.send("Down", "K")
    _wait_log(log, lambda r: "speaker.move" in _types(r))
    session.send("-")
    _wait_log(log, lambda r: "speaker.remove" in _types(r))
    session.send("Escape")
    session.wait_gone("Speakers waiting on 2(a)")

    session.send("p")  # a break, and the sitting resumed
    _wait_log(log, lambda r: "sitting.suspend" in _types(r))
    session.send("p")
    _wait_log(log, lambda r: "sitting.resume" in _types(r))
    session.send("c")  # close 2(a): Kenya's speech ends with it
    _wait_log(log, lambda r: "item.close" in _types(r))
    session.send("C-q")
    session.wait_ended()  # quit from the keyboard

    records = _log_records(log)
    stops = [r for r in records if r["type"] == "speaker.stop"]
    assert stops[-1]["data"] == {"speaker": stops[-1]["data"]["speaker"], "implicit": True}  # type: ignore[index]
    report = json.loads(_cli("report", "--json", "--log", str(log)))
    item = next(entry for entry in report["items"] if entry["label"] == "2(a)")
    assert item["status"] == "closed" and item["notes"] == 2
    assert item["first_opened"] == taken.strftime("%Y-%m-%dT%H:%M:%SZ")  # the back-dated time
    assert [(s["name"], s["on_behalf_of"], s["status"]) for s in item["speakers"]] == [
        ("Brazil", "Group of 77 and China", "done"),
        ("Kenya", None, "done"),
        ("Egypt", None, "queued"),
        ("Pakistan", None, "done"),
    ]
    journal = _cli("journal", "--log", str(log))
    # The take-up at the moment typed (in the meeting's time zone), said to be a correction.
    (line,) = [line for line in journal.splitlines() if "took up 2(a)" in line]
    assert f" {taken.astimezone(VIENNA):%H:%M:%S}  ana  " in line and "correction)" in line
    assert "on a point of order, interrupting Kenya" in journal
    assert "gave the floor back to Kenya on 2(a)" in journal
    assert "on behalf of Group of 77 and China" in journal
    assert "removed Peru from the speakers on 2(a)" in journal


VIENNA = ZoneInfo("Europe/Vienna")
"""The shipped agenda's time zone: @ reads a bare time in it."""


def _at(record: dict[str, object]) -> dt.datetime:
    return dt.datetime.fromisoformat(str(record["at"]))


def _set_time(session: Tmux, moment: dt.datetime) -> None:
    """``@`` and the moment as the meeting's wall-clock time (HH:MM:SS), then Enter."""
    session.send("@")
    session.wait_for("When did the next action happen?")
    session.type(f"{moment.astimezone(VIENNA):%H:%M:%S}")
    session.send("Enter")
    session.wait_gone("When did the next action happen?")
    session.wait_for(f"│ at {moment.astimezone(VIENNA):%H:%M}")  # the top bar says it


def _palette_take_up(session: Tmux) -> None:
    """Take up the selected item through the command palette."""
    session.send("C-p")
    session.wait_for("Search for commands")
    session.type("Take up")
    session.wait_for("key o")
    time.sleep(0.5)  # the palette gathers its hits in batches of 0.25 s
    session.send("Enter")
    session.wait_gone("Search for commands")


def _cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sessiontui", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def test_the_terminal_is_a_private_tmux_server() -> None:
    """The helper never starts, lists or changes the person's default tmux server."""
    session = Tmux(f"probe-{uuid.uuid4().hex[:8]}")
    session.start("sleep 60", (80, 24))
    try:
        assert session.alive()
        listed = session.tmux("list-sessions", "-F", "#{session_name}").stdout.split()
        assert listed == [session.name]
        env = {key: value for key, value in os.environ.items() if not key.startswith("TMUX")}
        default = subprocess.run(
            ["tmux", "has-session", "-t", session.name], capture_output=True, env=env, check=False
        )
        assert default.returncode != 0  # not on the default server
        socket = Path(session.tmux("display-message", "-p", "#{socket_path}").stdout.strip())
        assert socket.name == session.socket and socket.exists()
    finally:
        session.kill()
    assert not session.alive()
    assert not socket.exists()  # nothing left behind in the tmux folder


@pytest.mark.parametrize("then", ["n", "d"])
def test_keys_typed_right_after_ctrl_s_reach_the_next_note(
    tmux: tuple[Tmux, Path], then: str
) -> None:
    """ctrl+s, a key that opens another editor and its text, all in one burst: the text is the
    next note's, and none of its letters is taken as a tracker key (s, c, p record events)."""
    session, log = tmux
    _take_up_2a(session)
    before = _types(_log_records(log))
    first, second = "first", "closing remarks by the chair, speech cut short; pause"
    for round_ in range(3):
        session.send("n")
        session.wait_for(EDITOR)
        session.type(f"{round_} {first}")
        # One tmux command: ctrl+s, the key and the next note's text back to back.
        session.tmux(
            "send-keys", "-t", session.name, "C-s", ";",
            "send-keys", "-t", session.name, then, ";",
            "send-keys", "-t", session.name, "-l", f"{round_} {second}",
        )  # fmt: skip
        session.wait_for(f"{round_} {second}")
        session.send("C-s")
        deadline = time.monotonic() + 20
        while len(_note_texts(log)) < 2 * (round_ + 1) and time.monotonic() < deadline:
            time.sleep(0.05)
    expected = [f"{n} {text}" for n in range(3) for text in (first, second)]
    assert _note_texts(log) == expected
    added = _types(_log_records(log))[len(before) :]
    assert added == ["note.add"] * 6


def test_a_speaker_dialog_typed_in_one_burst_with_the_next_keys(
    tmux: tuple[Tmux, Path],
) -> None:
    """Two speakers and a note in one burst: each Enter puts its speaker on the list before
    the keys behind it are taken (they once went on into the limit field: "3m+Brazil...")."""
    session, log = tmux
    _take_up_2a(session)
    session.send("+")
    session.wait_for("Speaker")
    time.sleep(0.3)
    name = ["send-keys", "-t", session.name]
    session.tmux(
        *name, "-l", "Austria", ";", *name, "Tab", "Tab", "Tab", "Tab", ";",
        *name, "-l", "3m", ";", *name, "Enter", ";", *name, "+", ";",
        *name, "-l", "Brazil", ";", *name, "Enter", ";", *name, "n", ";",
        *name, "-l", "note after speakers",
    )  # fmt: skip
    session.wait_for("note after speakers")
    session.send("C-s")
    _wait_log(log, lambda r: "note.add" in _types(r))
    records = _log_records(log)
    added = [cast(dict[str, object], r["data"]) for r in records if r["type"] == "speaker.add"]
    assert [(d["name"], d.get("limit")) for d in added] == [("Austria", 180.0), ("Brazil", None)]
    assert _note_texts(log) == ["note after speakers"]


def test_escape_and_the_next_key_typed_at_once_are_two_keys(tmux: tuple[Tmux, Path]) -> None:
    """Escape, a key and text in one burst reach the editor as alt+key and text (how a terminal
    sends them): the note is closed with its text in a draft, the key opens the next editor and
    the text goes there; opening the first note again restores its text, no question asked."""
    session, log = tmux
    _take_up_2a(session)
    session.send("n")
    session.wait_for(EDITOR)
    session.type("kept for later")
    session.wait_for("kept for later")
    session.type("\x1bdthe decision")  # escape, d and the text: one write to the terminal
    session.wait_for("Decision on 2(a)")
    session.wait_for("the decision")
    assert "kept for later" not in session.screen()
    session.send("C-s")
    _wait_log(log, lambda r: "note.add" in _types(r))
    session.wait_gone(EDITOR)
    session.type("nand more")  # the same note again: restored, and typing goes on in it
    session.wait_for("kept for laterand more")
    assert "Restored unsaved text" in session.screen()
    session.send("C-s")
    _wait_log(log, lambda r: _types(r).count("note.add") == 2)
    added = [
        cast(dict[str, object], r["data"]) for r in _log_records(log) if r["type"] == "note.add"
    ]
    assert [(d["kind"], d["text"]) for d in added] == [
        ("decision", "the decision"),
        ("note", "kept for laterand more"),
    ]
    # An upper-case key comes as alt+shift: escape, then E (edit a note) all the same.
    session.send("n")
    session.wait_for(EDITOR)
    session.type("third\x1bE")
    session.wait_for("Edit which note on 2(a)?")
    assert "third" not in session.screen()


def test_escape_and_a_key_at_once_leave_a_dialog_field(tmux: tuple[Tmux, Path]) -> None:
    """The same in the speaker dialog: escape and ``n`` at once cancel the dialog and open a
    note, never put an ``n`` in the speaker's name."""
    session, log = tmux
    _take_up_2a(session)
    session.send("+")
    session.wait_for("Speaker")
    time.sleep(0.3)
    session.type("Austria\x1bnafter the dialog")
    session.wait_for(EDITOR)
    session.wait_for("after the dialog")
    session.send("C-s")
    _wait_log(log, lambda r: "note.add" in _types(r))
    assert _note_texts(log) == ["after the dialog"]
    assert "speaker.add" not in _types(_log_records(log))


def test_text_typed_behind_a_refused_note_key_runs_no_command(tmp_path: Path) -> None:
    """The secretariat may not write notes: ``n`` and a sentence in one burst record nothing
    (its letters would suspend the item, defer it, end a speech...), and the tracker's keys
    work again after a pause in typing."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log, options="--role secretariat")
    try:
        _take_up_2a(session)
        before = _types(_log_records(log))
        session.type("nThe delegate of France spoke; consensus reached, session suspended.")
        session.wait_for("not run")
        time.sleep(1.5)
        assert _types(_log_records(log)) == before
        session.send("c")  # after the pause: a key of the tracker again
        _wait_log(log, lambda r: _types(r)[len(before) :] == ["item.close"])
    finally:
        session.kill()


def test_a_question_takes_no_key_typed_before_it_showed(tmp_path: Path) -> None:
    """`P` asks "Close the 1st meeting?"; a rapporteur typing fast meant `n` for a note, and
    the note's text behind it. The `n` typed before the question showed answers nothing, and
    the letters behind it do not run as the tracker's keys once the question is gone (the `e`
    of "gave" ended Kenya's speech): nothing is recorded until the question is answered."""
    log = tmp_path / "session.jsonl"
    run_cli("init", str(AGENDA), "--log", str(log))
    for args in (("sitting", "open"), ("open", "2a"), ("speaker", "2a", "Kenya", "--start")):
        run_cli(*args, "--log", str(log), "--actor", "ana")
    before = _log_records(log)
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("Closure of the meeting", timeout=30)
        session.type("PnThe Chair gave Kenya the floor; Brazil spoke on the items.")
        session.wait_for("Close the 1st meeting?")
        time.sleep(1.5)  # every key handled, and a pause in typing
        assert "Close the 1st meeting?" in session.screen()  # still asked: nothing answered it
        assert _log_records(log) == before
        session.send("n")  # typed once the question shows: the answer
        session.wait_gone("Close the 1st meeting?")
        session.send("C-q")
        session.wait_ended(timeout=30)
    finally:
        session.kill()
    assert _log_records(log) == before  # the sitting still open, Kenya still speaking


def test_a_paste_holding_escape_sequences_is_saved_in_order(tmp_path: Path) -> None:
    """A bracketed paste of text copied from a coloured terminal: saved in the order pasted,
    its escape sequences gone (Textual's parser sent them, and all after them, out as keys)."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("P Open sitting", timeout=30)
        session.send("Down", "Down", "o")
        session.wait_for("On the floor: 2(a)")
        for words in ("First words \x1b[31mred \x1b[0m last words", _LONG_PASTE):
            session.send("n")
            session.wait_for("ctrl+s save")
            pasted = tmp_path / "pasted.txt"  # a long text is too long for set-buffer
            pasted.write_text(words, encoding="utf-8")
            session.tmux("load-buffer", "-b", "pasted", str(pasted))
            session.tmux("paste-buffer", "-p", "-d", "-b", "pasted", "-t", session.name)
            session.wait_for("last words")
            session.send("C-s")
            session.wait_gone("ctrl+s save")
        deadline = time.monotonic() + 10
        while len(_note_texts(log)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _note_texts(log) == [
            "First words red  last words",
            _LONG_PASTE.replace("\x1b[1m", "").replace("\x1b[22m", ""),
        ]
        session.send("C-q")
        session.wait_ended()
    finally:
        session.kill()


def test_a_paste_holding_its_own_end_runs_no_tracker_key(tmp_path: Path) -> None:
    """Pastejacking: text copied from a web page holds a paste's end marker, then ctrl+s and c.
    All of it goes into the note, which stays open for more typing; no item is closed (the
    marker ended the paste early: ctrl+s saved the note, c closed the item on the floor)."""
    log = tmp_path / "session.jsonl"
    session = start_tracker(tmp_path, log, size=(80, 24))
    try:
        session.wait_for("P Open sitting", timeout=30)
        session.send("Down", "Down", "o")
        session.wait_for("On the floor: 2(a)")
        session.send("n")
        session.wait_for("ctrl+s save")
        before = _types(_log_records(log))
        pasted = tmp_path / "p.txt"
        pasted.write_bytes(b"Pasted from a web page\x1b[201~\x13c")
        session.tmux("load-buffer", "-b", "pasted", str(pasted))
        session.tmux("paste-buffer", "-p", "-d", "-b", "pasted", "-t", session.name)
        session.wait_for("Pasted from a web page")
        time.sleep(1.5)  # every key handled
        assert "ctrl+s save" in session.screen()  # the note still being written
        assert _types(_log_records(log)) == before
        session.type(" Typed after.")  # keys after a paste are keys
        session.send("C-s")
        session.wait_gone("ctrl+s save")
        _wait_log(log, lambda records: "note.add" in _types(records))
        assert _note_texts(log) == ["Pasted from a web pagec Typed after."]
        session.send("C-q")
        session.wait_ended()
    finally:
        session.kill()
    assert "item.close" not in _types(_log_records(log))


# Longer than one read of the terminal (4 KiB): sequences fall across the reads' boundaries.
_LONG_PASTE = "".join(f"w{n} \x1b[1mbold\x1b[22m " for n in range(900)) + "last words"
