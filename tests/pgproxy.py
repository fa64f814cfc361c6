"""A TCP proxy on loopback in front of PostgreSQL that can lose the reply to a COMMIT.

A lost reply is the case where a client cannot know whether its write was saved: the server
committed, the answer never arrived. The proxy can also refuse every connection for a while
(the server "unreachable" as far as the client can tell).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

# A simple-protocol Query message carrying "COMMIT" (type, length 4 + 7, text, NUL).
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class Proxy:
    """Forwards 127.0.0.1:``port`` to ``target_port``; see the module docstring."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.drop_commit_replies = 0
        """How many COMMIT replies to lose from now on (one per COMMIT seen)."""
        self.refusing = False
        """Close every new connection at once (and, with ``cut``, the open ones)."""
        self.refuse_after_loss = False
        """Once a COMMIT reply is lost, refuse connections (the server stays out of reach)."""
        self.commits_lost = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str = "postgres") -> str:
        """A URL through the proxy (no TLS: the proxy reads the messages)."""
        return f"postgresql://sessiontui@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def cut(self) -> None:
        """Close every open connection (as a server restart does)."""
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._open.clear()

    def close(self) -> None:
        """Stop accepting and cut every connection."""
        self._stop = True
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            pair = _Pair(self, client, server)
            threading.Thread(target=pair.upstream, daemon=True).start()
            threading.Thread(target=pair.downstream, daemon=True).start()


class _Pair:
    def __init__(self, proxy: Proxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy, self.client, self.server = proxy, client, server
        self.losing = threading.Event()

    def upstream(self) -> None:
        for chunk in _chunks(self.client):
            with self.proxy._lock:
                if COMMIT in chunk and self.proxy.drop_commit_replies > 0:
                    self.proxy.drop_commit_replies -= 1
                    self.proxy.commits_lost += 1
                    if self.proxy.refuse_after_loss:
                        self.proxy.refusing = True
                    self.losing.set()
            with contextlib.suppress(OSError):
                self.server.sendall(chunk)
            if self.losing.is_set():
                return  # downstream closes both once the server has answered (committed)
        self._close()

    def downstream(self) -> None:
        for chunk in _chunks(self.server):
            if self.losing.is_set():
                break  # the server's answer to the COMMIT: lost
            with contextlib.suppress(OSError):
                self.client.sendall(chunk)
        self._close()

    def _close(self) -> None:
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _chunks(sock: socket.socket) -> Iterator[bytes]:
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        yield chunk
