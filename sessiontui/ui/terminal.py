"""The tracker's terminal driver: Textual's own, able to end on a hang-up without losing a key.

Textual's Linux driver reads the terminal in a thread and posts each key to the App. When the
terminal goes (SIGHUP), keys it had read were still on their way to the widget focused, and a
quit queued at once went ahead of them: the end of a burst never reached the note's draft. And
once the terminal is gone, every write to it fails: Textual's writer thread dies on the first
one, its queue fills, and the App's next repaint blocks for ever, so the keys still waiting were
never handled at all.

A stop and continue that did not come through Textual's own suspend (``kill -STOP``, a debugger,
tmux continuing a stopped pane at once) started application mode again on the continue: a second
reader on the same terminal, a second writer, every time. Two readers split a burst between two
parsers, and the quit after a hang-up waited on only one of them.

An escape sequence inside a bracketed paste (text copied from a coloured terminal) went to
Textual's parser as it stands: the parser sends such a sequence, and all that follows it up to
the end of the paste, out as keys at once, each ESC as a "^", while the paste itself only comes
at its end. A note got the text after the sequence first, then the text before it. The driver
now takes escape sequences out of a paste before the parser sees it (``PasteFilter``), and
keeps an end marker inside the pasted text from ending the paste early: what followed it ran as
tracker keys.
"""

from __future__ import annotations

import array
import fcntl
import os
import selectors
import termios
import time
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from sessiontui.core.text import strip_escapes


class PasteFilter:
    """Takes escape sequences out of bracketed pastes in terminal input that arrives in parts,
    and keeps a paste's end marker back until the terminal has sent all it had.

    Outside a paste the input goes through unchanged, at once (an Escape key is not held back).
    Inside one, whole escape sequences and lone ESCs are removed, and an unfinished sequence at
    the end of a part waits for the next part (a long paste comes in several reads, and a
    sequence, or the paste's own end marker, may be cut between two). The markers themselves go
    through, so the parser still delivers the paste whole, in order, as one ``Paste``.

    Pasted text can hold an end marker of its own (a web page's copied text can carry any byte:
    "pastejacking"): everything after it up to the terminal's real end ran as keys, ctrl+s then
    ``c`` saved the note and closed the item. The text can hold a start marker as well, so no
    marker tells where the terminal's paste ends; only time does: a terminal writes a paste to
    us in one go. A paste's end marker is held back, with what follows it, until the input goes
    quiet (``quiet``, the driver's read timing out); another end marker before then shows the
    first was part of the text, and all up to it is pasted text, cleaned as the rest. A real end
    and keys typed after it reach the parser as they came, only as late as that quiet (a second
    paste and keys typed before it, sooner than that, join the first).
    """

    def __init__(self) -> None:
        self.pasting = False
        """The parser was given a paste's start marker, not yet its end."""
        self._kept = ""  # inside a paste: an unfinished sequence held back from the last part
        self._seen = ""  # outside: the end of the last part, which may hold half a start marker
        self._after_end: str | None = None  # an end marker held back: what came after it

    def feed(self, data: str) -> str:
        """The input to hand to the parser for this part of it.

        Args:
            data: What was read from the terminal, decoded.
        """
        out: list[str] = []
        while data:
            if self._after_end is not None:
                held = self._after_end + data
                end = held.rfind(BRACKETED_PASTE_END)
                if end >= 0:
                    # The end held back was inside the pasted text, and so was all up to this
                    # one (a start marker too: the text can hold one as well as an end).
                    out.append(strip_escapes(held[:end], final=True)[0])
                    held = held[end + len(BRACKETED_PASTE_END) :]
                self._after_end = held
                break
            if not self.pasting:
                seen = self._seen + data
                start = seen.find(BRACKETED_PASTE_START)
                if start < 0:
                    out.append(data)
                    self._seen = seen[-(len(BRACKETED_PASTE_START) - 1) :]
                    break
                after = start + len(BRACKETED_PASTE_START) - len(self._seen)
                out.append(data[:after])
                data, self.pasting, self._seen = data[after:], True, ""
            else:
                data, self._kept = self._kept + data, ""
                end = data.find(BRACKETED_PASTE_END)
                if end < 0:
                    text, self._kept = strip_escapes(data, final=False)
                    out.append(text)
                    break
                out.append(strip_escapes(data[:end], final=True)[0])
                self._after_end, data = "", data[end + len(BRACKETED_PASTE_END) :]
        return "".join(out)

    def quiet(self) -> str:
        """The input to hand to the parser once the terminal has sent nothing for a while: a
        paste's end marker held back, and the keys after it ("" if none)."""
        if self._after_end is None:
            return ""
        out = BRACKETED_PASTE_END + self._after_end
        self._after_end, self.pasting = None, False
        self._seen = out[-(len(BRACKETED_PASTE_START) - 1) :]
        return out


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, plus ``finish_input`` and no writes to a terminal that is gone."""

    gone = False
    """The terminal hung up: output goes nowhere (see ``write``)."""

    def _sigcont_application(self, *_: object) -> None:
        """Start application mode again only after Textual's own suspend (ctrl+z, SIGTSTP) stopped
        it; any other stop left it running, and starting it again added a reader and a writer."""
        if self._must_signal_resume:
            super()._sigcont_application()

    def run_input_thread(self) -> None:
        """Textual's own input loop (textual 8.2.8, ``LinuxDriver.run_input_thread``), with each
        read passed through a ``PasteFilter`` before the parser, and the filter told when the
        input goes quiet: the parser is created inside the loop, so there is no narrower place
        to put it."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        pastes = PasteFilter()
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is piped
                    # Empty while a paste holds back an unfinished sequence; the parser takes
                    # an empty feed for the end of input.
                    if filtered := pastes.feed(unicode_data):
                        for event in parser.feed(filtered):
                            self.process_message(event)
            # Nothing came for a select's timeout, or nothing more will: a paste's end is real.
            if (not selector_events or final) and (held := pastes.quiet()):
                for event in parser.feed(held):
                    self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass

    def write(self, data: str) -> None:
        """Write to the terminal, unless it is gone (then a write would block the App for ever).

        Args:
            data: Raw data.
        """
        writer = self._writer_thread
        if self.gone or (writer is not None and not writer.is_alive()):
            return
        super().write(data)

    def check_gone(self) -> bool:
        """Whether the terminal has hung up; from then on nothing is written to it."""
        try:
            termios.tcgetattr(self.fileno)
        except termios.error:
            self.gone = True  # a hung-up terminal answers EIO to everything but a read
        return self.gone

    def unread(self) -> int:
        """How many bytes the terminal holds that the reader has not taken yet (0 once gone)."""
        count = array.array("i", [0])
        try:
            fcntl.ioctl(self.fileno, termios.FIONREAD, count)
        except OSError:
            return 0  # a hung-up terminal's input was flushed by the kernel
        return count[0]

    def finish_input(self, last: Message) -> None:
        """Stop reading once every byte the terminal held is read, then post ``last`` to the App
        behind every key read (the same way, so in that order). Blocks: call it off the loop.

        There is no time limit: the reader never blocks, and it ends after posting what it read,
        however long a loaded machine makes that. With one (two seconds), the quit went ahead of
        the end of a burst on a busy machine and the end was lost. A tracker that cannot finish
        is ended by the App's own watch (``QUIT_GRACE`` without a key handled).

        Args:
            last: What the App gets after the last key (a quit).
        """
        reader = self._key_thread
        if reader is not None:
            while self.unread() and reader.is_alive():
                time.sleep(0.002)  # the reader takes what arrives as it arrives
            self.exit_event.set()
            reader.join()
            # Cleared so that Textual's own stop still does its part (mouse reporting off ...).
            self.exit_event.clear()
        self.process_message(last)
