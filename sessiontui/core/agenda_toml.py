"""Load an agenda TOML file into an ``Agenda`` with file:line:col errors; dump one back with tomli-w."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import msgspec
import tomli_w

from sessiontui.core.agenda import Agenda, AgendaFile

MAX_AGENDA_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an agenda file, located as precisely as the parser allows."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class AgendaError(Exception):
    """The agenda file cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_agenda(path: str | Path) -> Agenda:
    """Read, validate and build an agenda file.

    Raises:
        AgendaError: with every problem found, each located by file, line and column.
    """
    return Agenda(load_agenda_file(path))


def load_agenda_file(path: str | Path) -> AgendaFile:
    """Read and validate an agenda file into its typed form (see ``load_agenda``)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AgendaError([Problem(name, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None
    return parse_agenda(data, name)


def parse_agenda(data: bytes, name: str = "<agenda>") -> AgendaFile:
    """Validate agenda TOML bytes (see ``load_agenda``)."""
    if len(data) > MAX_AGENDA_BYTES:
        raise AgendaError([Problem(name, 1, 1, "file too large for an agenda")])
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
        return msgspec.convert(raw, AgendaFile)
    except UnicodeDecodeError as exc:
        raise AgendaError([Problem(name, 1, exc.start + 1, "not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise AgendaError([Problem(name, 1, 1, str(exc))]) from None
    except msgspec.ValidationError as exc:
        raise AgendaError([Problem(name, 1, 1, str(exc))]) from None


def dump_agenda(spec: AgendaFile) -> str:
    """The agenda as TOML text (load -> dump -> load gives the same agenda)."""
    return tomli_w.dumps(msgspec.to_builtins(spec, builtin_types=(__import__("datetime").date,)))
