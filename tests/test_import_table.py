"""The import corpus as a table: each document against the expectations written before importing it.

Every document under ``import_corpus/table/`` has ``NAME.expect.toml`` (format in
``import_corpus/table/README.md``): the meeting, every item in agenda order with its depth and
clean title, and optionally documents, presenters, minutes, start times and sittings. Those in
``lead/`` were written by someone who had not read the importer's code and are kept unmodified.

A document the importer does not yet read right is listed in ``KNOWN_MISSES`` with what it gets
wrong: its test is a strict xfail, so it fails as soon as it starts passing and the list must
shrink. The accuracy per form, per format and per field is printed at the end of the run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sessiontui.core.agenda import AgendaFile, ItemSpec
from sessiontui.importers import ImportFailure, import_document

TABLE = Path(__file__).parent / "import_corpus" / "table"
SUFFIXES = (".txt", ".md", ".docx")

# document -> what it still gets wrong (kept honest by strict xfail)
KNOWN_MISSES: dict[str, str] = {
    "h16/association-undotted-parent": "meeting",
    "h16/coreper-number-alone": "meeting",
    "h16/sc-provisional-record": "meeting",
}


def documents() -> list[Path]:
    found = TABLE.rglob("*")
    return sorted(p for p in found if p.suffix in SUFFIXES and p.name != "README.md")


@dataclass
class Score:
    """Right / expected counts of one document, per field."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def count(self, what: str, ok: bool, miss: str) -> None:
        self.total[what] = self.total.get(what, 0) + 1
        self.right[what] = self.right.get(what, 0) + ok
        if not ok:
            self.misses.append(f"{what}: {miss}")


def accuracy_lines() -> Iterator[str]:
    """Import accuracy per form, per format and over the whole table (printed after the run)."""
    groups: dict[str, list[Score]] = {}
    for path in documents():
        score, forms = score_document(path)
        groups.setdefault(f"format {path.suffix.lstrip('.')}", []).append(score)
        groups.setdefault("all documents", []).append(score)
        if path.parent.name == "lead":
            groups.setdefault("written without reading the importer", []).append(score)
        for form in forms:
            groups.setdefault(f"form: {form}", []).append(score)
    for group, scores in sorted(groups.items(), key=lambda kv: (kv[0] != "all documents", kv[0])):
        parts = []
        for what in ("labels", "titles", "meeting", "details", "sittings"):
            right = sum(s.right.get(what, 0) for s in scores)
            total = sum(s.total.get(what, 0) for s in scores)
            if total:
                parts.append(f"{what} {right}/{total} ({100 * right / total:.0f}%)")
        whole = sum(not s.misses for s in scores)
        yield f"{group} [{len(scores)} docs, {whole} exact]: " + ", ".join(parts)


def own_number(printed: str | None) -> str:
    """The number without the list punctuation around it: "2." -> "2", "(a)" -> "a"."""
    return (printed or "").strip().strip("()").rstrip(".)").strip()


def squash(text: str) -> str:
    return " ".join(text.split())


def flat(items: list[ItemSpec], depth: int = 0) -> Iterator[tuple[int, ItemSpec]]:
    for item in items:
        yield depth, item
        yield from flat(item.items, depth + 1)


def days(dates: list[dt.date]) -> list[dt.date]:
    """A first-and-last pair as the days it spans (the agenda file allows either)."""
    if len(dates) == 2 and dates[1] > dates[0]:
        span = (dates[1] - dates[0]).days
        return [dates[0] + dt.timedelta(days=n) for n in range(span + 1)]
    return dates


def score_meeting(score: Score, spec: AgendaFile, meeting: dict[str, Any]) -> None:
    got = spec.meeting
    if "title" in meeting:
        score.count(
            "meeting", squash(got.title) == squash(meeting["title"]), f"title {got.title!r}"
        )
    if "dates" in meeting:
        score.count("meeting", days(got.dates) == days(meeting["dates"]), f"dates {got.dates}")
    if "venue" in meeting:
        score.count("meeting", (got.venue or "") == meeting["venue"], f"venue {got.venue!r}")


def score_items(score: Score, spec: AgendaFile, expected: list[dict[str, Any]]) -> None:
    got = list(flat(spec.items))
    # align by title first (a misread number still finds its item), then by depth and number
    pairs: dict[int, int] = {}
    keyings: list[tuple[list[Any], list[Any]]] = [
        ([squash(e["title"]) for e in expected], [squash(i.title) for _, i in got]),
        (
            [(e.get("depth", 0), own_number(e.get("number"))) for e in expected],
            [(d, own_number(i.number)) for d, i in got],
        ),
    ]
    for want_keys, got_keys in keyings:
        matcher = difflib.SequenceMatcher(a=want_keys, b=got_keys, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                if block.b + k not in pairs.values():
                    pairs.setdefault(block.a + k, block.b + k)
    for index, want in enumerate(expected):
        where = f"item {want.get('number') or want['title'][:30]!r}"
        match = pairs.get(index)
        if match is None:
            score.count("labels", False, f"{where} missing")
            score.count("titles", False, f"{where} missing")
            continue
        depth, item = got[match]
        number_ok = depth == want.get("depth", 0) and (
            not want.get("number") or own_number(item.number) == own_number(want["number"])
        )
        score.count("labels", number_ok, f"{where} read as {item.number!r} at depth {depth}")
        title_ok = squash(item.title) == squash(want["title"])
        score.count("titles", title_ok, f"{where} title {item.title!r}")
        for key in ("documents", "presenters"):
            if key in want:
                ok = sorted(getattr(item, key)) == sorted(want[key])
                score.count("details", ok, f"{where} {key} {getattr(item, key)}")
        for key in ("minutes", "starts_at", "kind"):
            if key in want:
                value = getattr(item, key)
                score.count("details", value == want[key], f"{where} {key} {value!r}")
    extra = [i.title[:40] for n, (_, i) in enumerate(got) if n not in pairs.values()]
    if extra:
        score.count("labels", False, f"not agenda items: {extra}")


def score_sittings(score: Score, spec: AgendaFile, sittings: list[dict[str, Any]]) -> None:
    got = sorted((s.date, s.start) for s in spec.sittings)
    want = sorted((s["date"], s["starts_at"]) for s in sittings)
    for sitting in want:
        score.count("sittings", sitting in got, f"sitting {sitting} not in {got}")


def score_document(path: Path) -> tuple[Score, list[str]]:
    expect = tomllib.loads(path.with_suffix(".expect.toml").read_text(encoding="utf-8"))
    score = Score()
    try:
        result = import_document(str(path))
    except ImportFailure as exc:
        score.misses.append(f"refused: {exc}")
        for _ in expect.get("items", []):
            score.total["labels"] = score.total.get("labels", 0) + 1
            score.total["titles"] = score.total.get("titles", 0) + 1
        return score, list(expect.get("forms", []))
    score_meeting(score, result.spec, expect.get("meeting", {}))
    score_items(score, result.spec, expect.get("items", []))
    score_sittings(score, result.spec, expect.get("sittings", []))
    return score, list(expect.get("forms", []))


def _cases() -> list[Any]:
    out = []
    for path in documents():
        name = str(path.relative_to(TABLE).with_suffix(""))
        marks = []
        if name in KNOWN_MISSES:
            marks.append(pytest.mark.xfail(reason=KNOWN_MISSES[name], strict=True))
        out.append(pytest.param(path, id=name, marks=marks))
    return out


@pytest.mark.parametrize("path", _cases())
def test_document_imports_as_expected(path: Path) -> None:
    score, _ = score_document(path)
    if score.misses:
        pytest.fail("\n".join(score.misses), pytrace=False)


def test_the_table_is_large_and_a_third_written_blind() -> None:
    paths = documents()
    assert len(paths) >= 30
    blind = [p for p in paths if p.parent.name == "lead"]
    assert 3 * len(blind) >= len(paths)
    for path in paths:
        assert path.with_suffix(".expect.toml").is_file(), path
