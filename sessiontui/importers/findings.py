"""What every phase of an import reports beside its result: doubts, and the lines it used."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Findings:
    """The doubts of an import in the order they were found, and the lines read into something
    other than an item (the meeting's fields, headings, a table's header row).

    The last phase names every line that went into nothing, from these and the items' sources.
    """

    doubts: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def doubt(self, where: str, message: str) -> None:
        """Record something the reader of the import should check."""
        self.doubts.append(f"{where}: {message}")

    def use(self, where: str) -> None:
        """Record that the line ``where`` was read into something other than an item."""
        self.used.add(where)
