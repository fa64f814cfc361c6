"""A throwaway PostgreSQL cluster on loopback for tests (skipped only when no binaries exist)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_BINARIES = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Path | None:
    """A folder holding ``initdb``, ``pg_ctl`` and ``postgres`` (PATH, Debian's, /usr/local)."""
    candidates: list[Path] = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [Path(p) for p in versions]
    candidates += [Path("/usr/local/bin"), Path("/usr/local/pgsql/bin")]
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in _BINARIES):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unprivileged() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    pytest.skip("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL")


@dataclass
class Cluster:
    """A running cluster: connect with ``url`` (trust authentication, loopback only)."""

    bindir: Path
    root: Path
    port: int
    owner: tuple[int, int] | None

    @property
    def url(self) -> str:
        """The server URL (a database, no session)."""
        return f"postgresql://sessiontui@127.0.0.1:{self.port}/postgres"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the cluster's owner."""
        kwargs: dict[str, object] = {}
        if self.owner is not None:
            kwargs = {"user": self.owner[0], "group": self.owner[1], "extra_groups": []}
        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=self.root,
            check=False,
            **kwargs,
        )

    def start(self) -> None:
        """initdb and start on 127.0.0.1 with the socket in the temp dir."""
        data = self.root / "data"
        result = self.run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "sessiontui",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr.strip()}")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        result = self.run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "30",
            "start",
        )
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {result.stderr.strip()} {log}")

    def halt(self) -> None:
        """Stop the server (an outage); ``resume`` starts it again on the same data."""
        result = self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed: {result.stderr.strip()}")

    def resume(self) -> None:
        """Start the halted server again."""
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        result = self.run(
            "pg_ctl", "-D", str(self.root / "data"), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "30", "start",
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {result.stderr.strip()}")

    def stop(self) -> None:
        """Stop the server and remove its files."""
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def watch(self) -> subprocess.Popen[bytes]:
        """A process that stops the server and removes its files once this one is gone.

        ``stop`` runs in a ``finally``, which a SIGTERM or SIGKILL of the test run skips (a CI
        timeout, an engineer's ctrl+c twice): the servers then stayed up with their folders.
        The watcher waits for the end of a pipe only this process holds, in a session of its
        own so that the signal sent to the run's process group does not reach it.
        """
        owner = [str(n) for n in self.owner] if self.owner is not None else ["", ""]
        stop = [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate"]
        return subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(self.root), *owner, *stop, "-w", "stop"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=self.root,
        )


# Run by ``Cluster.watch``: wait for the test run's end of the pipe to close, then stop.
_WATCHER = """
import shutil, subprocess, sys
root, uid, gid, *stop = sys.argv[1:]
sys.stdin.buffer.read()
owner = {"user": int(uid), "group": int(gid), "extra_groups": []} if uid else {}
subprocess.run(stop, capture_output=True, timeout=60, check=False, **owner)
shutil.rmtree(root, ignore_errors=True)
"""


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """Start a throwaway cluster; skip the test when PostgreSQL is not installed at all."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl, postgres) on this machine")
    owner = _unprivileged()
    # Not under pytest's tmp dirs: they are 0700 root, which the server's user cannot enter.
    root = Path(tempfile.mkdtemp(prefix="sessiontui-pg-"))
    if owner is not None:
        os.chown(root, *owner)
    running = Cluster(bindir, root, _free_port(), owner)
    try:
        running.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    watcher = running.watch()
    try:
        yield running
    finally:
        running.stop()
        watcher.kill()
        watcher.wait()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One cluster per test run (per xdist worker)."""
    with cluster() as running:
        yield running


@pytest.fixture(scope="session")
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of the throwaway server (add ``#SESSION`` to name a session)."""
    return pg_cluster.url
