"""The tracker's driver in a browser tab (``serve``): Textual's web driver, pastes made whole.

A browser's terminal sends a paste as a bracketed paste too, and Textual's parser took an escape
sequence inside it as the terminal's does (``PasteFilter`` in ``terminal.py`` says how): the
same filter stands between the tab's input and the parser here, and keeps an end marker inside
the pasted text from ending the paste early.
"""

from __future__ import annotations

from codecs import getincrementaldecoder

from textual import log
from textual._xterm_parser import XTermParser
from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

from sessiontui.ui.terminal import PasteFilter


class WebTabDriver(WebDriver):
    """Textual's web driver, with escape sequences taken out of pastes before the parser."""

    def run_input_thread(self) -> None:
        """Textual's own input loop (textual 8.2.8, ``WebDriver.run_input_thread``), with the
        keyboard's data passed through a ``PasteFilter``, told when the input goes quiet: the
        parser is created inside the loop, so there is no narrower place to put it."""
        input_reader = self._input_reader
        parser = XTermParser(debug=self._debug)
        pastes = PasteFilter()
        decode = getincrementaldecoder("utf-8")().decode
        byte_stream = ByteStream()
        read = False  # since the reader's last round: it ends each one with an empty ``data``
        try:
            for data in input_reader:
                if data:
                    read = True
                    for packet_type, payload in byte_stream.feed(data):
                        if packet_type != "D":
                            self._on_meta(packet_type, payload)  # the server's own packets
                        # Empty while a paste holds back an unfinished sequence; the parser
                        # takes an empty feed for the end of input.
                        elif filtered := pastes.feed(decode(payload)):
                            for event in parser.feed(filtered):
                                self.process_message(event)
                else:
                    # A round that read nothing (its select timed out): a paste's end is real.
                    if not read and (held := pastes.quiet()):
                        for event in parser.feed(held):
                            self.process_message(event)
                    read = False
                for event in parser.tick():
                    self.process_message(event)
        except _ExitInput:
            pass
        except Exception:
            from traceback import format_exc

            log(format_exc())
        finally:
            input_reader.close()
