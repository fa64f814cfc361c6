"""The tracker's terminal driver: Textual's own, able to end on a hang-up without losing a key.

Textual's Linux driver reads the terminal in a thread and posts each key to the App. When the
terminal goes (SIGHUP), keys it had read were still on their way to the widget focused, and a
quit queued at once went ahead of them: the end of a burst never reached the note's draft. And
once the terminal is gone, every write to it fails: Textual's writer thread dies on the first
one, its queue fills, and the App's next repaint blocks for ever, so the keys still waiting were
never handled at all.
"""

from __future__ import annotations

import array
import fcntl
import termios
import time

from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

UNREAD_WAIT = 1.0
"""Seconds at most to wait for the reader to take what the terminal still holds."""

READER_WAIT = 2.0
"""Seconds at most to wait for the reader to post what it took and stop."""


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, plus ``finish_input`` and no writes to a terminal that is gone."""

    gone = False
    """The terminal hung up: output goes nowhere (see ``write``)."""

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

        Args:
            last: What the App gets after the last key (a quit).
        """
        reader = self._key_thread
        if reader is not None:
            deadline = time.monotonic() + UNREAD_WAIT
            while self.unread() and reader.is_alive() and time.monotonic() < deadline:
                time.sleep(0.002)  # the reader takes what arrives as it arrives
            self.exit_event.set()
            reader.join(READER_WAIT)
            # Cleared so that Textual's own stop still does its part (mouse reporting off ...).
            self.exit_event.clear()
        self.process_message(last)
