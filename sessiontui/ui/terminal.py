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
"""

from __future__ import annotations

import array
import fcntl
import termios
import time

from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, plus ``finish_input`` and no writes to a terminal that is gone."""

    gone = False
    """The terminal hung up: output goes nowhere (see ``write``)."""

    def _sigcont_application(self, *_: object) -> None:
        """Start application mode again only after Textual's own suspend (ctrl+z, SIGTSTP) stopped
        it; any other stop left it running, and starting it again added a reader and a writer."""
        if self._must_signal_resume:
            super()._sigcont_application()

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
