"""Log format versions: typed events written as version 2, every older log still read the same.

``tests/golden/log-v1/session.jsonl`` was written by the program at format version 1 (commit
c5c2748's event layout: a sitting, item status changes, notes edited and deleted, speakers,
agenda amendments, a recorded refusal, an undo and a correction); ``report.json`` is what that
program's ``report --json`` printed for it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from sessiontui.cli import cli
from sessiontui.core import commands as c
from sessiontui.core import events as ev
from sessiontui.core.fold import EVENT_TYPES
from sessiontui.core.replay import replay
from sessiontui.store.file import FileStore

V1 = Path(__file__).parent / "golden" / "log-v1"
AGENDA = Path(__file__).parents[1] / "agendas" / "cosp-intersessional-2020.toml"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"SESSIONTUI_LOG": None})
    assert result.exit_code == 0, result.output
    return result.stdout


def as_version_2(source: Path, target: Path) -> None:
    """The same session written by this program: every event decoded, then sealed again."""
    with FileStore(source, read_only=True) as store:
        header, events = store.header, list(store.read())
    header.version = ev.FORMAT_VERSION
    lines = [ev.seal(header)]
    prev = header.sum
    for event in events:
        event.prev = prev
        lines.append(ev.seal(event))
        prev = event.sum
    target.write_bytes(b"".join(lines))


def test_a_version_1_log_reports_as_it_did() -> None:
    # ``report --json`` may gain keys; those it had keep their values.
    now = json.loads(invoke("report", "--json", str(V1 / "session.jsonl")))
    assert_within(json.loads((V1 / "report.json").read_text("utf-8")), now)


def assert_within(then: object, now: object, where: str = "$") -> None:
    """Every key and value of ``then`` is in ``now`` (lists item by item)."""
    if isinstance(then, dict):
        assert isinstance(now, dict), where
        for key, value in then.items():
            assert key in now, f"{where}.{key} is gone"
            assert_within(value, now[key], f"{where}.{key}")
    elif isinstance(then, list):
        assert isinstance(now, list) and len(now) == len(then), where
        for n, (old, new) in enumerate(zip(then, now, strict=True)):
            assert_within(old, new, f"{where}[{n}]")
    else:
        assert then == now, f"{where}: {then!r} became {now!r}"


def test_a_version_1_log_folds_every_kind_of_event() -> None:
    with FileStore(V1 / "session.jsonl", read_only=True) as store:
        state = replay(store.header, list(store.read()))
    notes = state.notes_of("2a", include_deleted=True)
    assert [(n.text, n.kind, n.deleted) for n in notes] == [
        ("Edited text", "action", False),
        ("draft - ignore", "note", True),
    ]
    assert [v.text for v in notes[0].history] == ["Draft to be edited", "Edited text"]
    assert [(s.name, s.delegation, s.seconds) for s in state.items["1"].speakers] == [
        ("Peru", "Group of 77", 120.0)
    ]
    assert state.display("4") == "4 Any other business"
    assert state.items["2b"].status == "pending"  # its take-up was undone
    assert (state.items["2a"].status, state.items["3"].status) == ("closed", "deferred")


@pytest.mark.parametrize(
    "args",
    [("journal",), ("journal", "--kind", "status"), ("report",), ("export", "--format", "csv")],
)
def test_a_version_1_log_reads_as_the_same_session_written_now(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    rewritten = tmp_path / "v2.jsonl"
    as_version_2(V1 / "session.jsonl", rewritten)
    assert rewritten.read_bytes() != (V1 / "session.jsonl").read_bytes()
    invoke("verify", str(rewritten))
    old = invoke(
        *args[:1],
        str(V1 / "session.jsonl"),
        *args[1:],
        *(["-o", "-"] if args[0] == "export" else []),
    )
    new = invoke(
        *args[:1], str(rewritten), *args[1:], *(["-o", "-"] if args[0] == "export" else [])
    )
    # The provenance line names each log's own head: the two logs differ in bytes by design.
    assert without_provenance(old) == without_provenance(new)
    assert old.count("SHA-256 of the log") == new.count("SHA-256 of the log")


def without_provenance(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if "SHA-256 of the log" not in line)


def test_a_version_1_refusal_keeps_its_class_name_and_reads_as_a_kind() -> None:
    with FileStore(V1 / "session.jsonl", read_only=True) as store:
        assert store.header.version == 1
        refusals = [e for e in store.read() if isinstance(e, ev.CommandRefused)]
    assert [r.data.command for r in refusals] == ["CloseItem"]
    assert c.command_kind_of("CloseItem") == c.CloseItem.command_kind == "item.close"


def test_new_logs_are_version_2_with_the_type_first(tmp_path: Path) -> None:
    log = tmp_path / "new.jsonl"
    invoke(
        "init",
        str(V1.parent.parent.parent / "agendas" / "cosp-intersessional-2020.toml"),
        "--log",
        str(log),
    )
    invoke("open", "2a", "--log", str(log), "--actor", "ana")
    invoke("note", "2a", "Typed.", "--log", str(log), "--actor", "ana")
    lines = log.read_bytes().splitlines()
    assert json.loads(lines[0])["version"] == ev.FORMAT_VERSION == 2
    assert [line[: line.index(b",")] for line in lines[1:]] == [
        b'{"type":"sitting.open"',
        b'{"type":"item.open"',
        b'{"type":"note.add"',
    ]
    # Defaults are not written: an implicit opening says so, a plain note says nothing more.
    assert json.loads(lines[1])["data"] == {"implicit": True}
    assert json.loads(lines[3])["data"] == {
        "note": json.loads(lines[3])["data"]["note"],
        "kind": "note",
        "text": "Typed.",
    }


def test_a_version_1_log_takes_new_lines_and_verifies(tmp_path: Path) -> None:
    log = tmp_path / "old.jsonl"
    shutil.copyfile(V1 / "session.jsonl", log)
    invoke("sitting", "open", "--log", str(log), "--actor", "sec")
    invoke("open", "3", "--log", str(log), "--actor", "sec")
    invoke("verify", str(log))
    with FileStore(log, read_only=True) as store:
        assert store.header.version == 1  # a log keeps the version it was begun in
        state = replay(store.header, list(store.read()))
    assert (state.floor, len(state.sittings)) == ("3", 2)
    assert log.read_bytes().splitlines()[-1].startswith(b'{"type":"item.open"')


def test_an_unknown_event_type_is_kept_and_changes_nothing(tmp_path: Path) -> None:
    log = tmp_path / "future.jsonl"
    shutil.copyfile(V1 / "session.jsonl", log)
    with FileStore(log, read_only=True) as store:
        header, events = store.header, list(store.read())
    last = events[-1]
    future = ev.other_event_class("motion.tabled")(
        seq=last.seq + 1,
        id="f1",
        at=last.at,
        recorded=last.at,
        actor="sec",
        item="2a",
        prev=last.sum,
    )
    line = ev.seal(future).replace(b'"data":{}', b'"data":{"motion":"m1","text":"To adjourn"}')
    body, _ = ev.split_sum(line)
    line = body[:-1] + b',"sum":"' + ev.line_sum(body).encode() + b'"}\n'
    with log.open("ab") as out:
        out.write(line)
    invoke("verify", str(log))
    with FileStore(log, read_only=True) as store:
        read = list(store.read())
    assert read[-1].type == "motion.tabled" and isinstance(read[-1], ev.OtherEvent)
    before = replay(header, events)
    after = replay(header, read)
    assert msgspec.to_builtins(after.items) == msgspec.to_builtins(before.items)
    assert after.last_seq == before.last_seq + 1
    journal = invoke("journal", str(log)).splitlines()
    assert journal[-2].endswith("recorded motion.tabled 2(a)")
    assert journal[-1].startswith("Made from the log up to event 28.")


def test_a_newer_log_version_is_one_clear_error(tmp_path: Path) -> None:
    log = tmp_path / "v3.jsonl"
    lines = (V1 / "session.jsonl").read_bytes().splitlines(keepends=True)
    header = msgspec.json.decode(ev.split_sum(lines[0])[0])
    header["version"] = 3
    body = msgspec.json.encode(header)
    log.write_bytes(body[:-1] + b',"sum":"' + ev.line_sum(body).encode() + b'"}\n')
    result = CliRunner().invoke(cli, ["report", str(log)])
    assert result.exit_code == 1
    assert "log format version 3 is not supported" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_every_event_type_is_declared_once_with_its_payload() -> None:
    types = [cls.type for cls in ev.EVENT_CLASSES]
    assert len(types) == len(set(types))
    assert all(ev.event_class(t).type == t for t in types)
    for cls in ev.EVENT_CLASSES:
        payload = ev.payload_type(cls)
        assert issubclass(payload, ev.Payload)
        assert payload.__struct_config__.omit_defaults
    bookkeeping = {ev.UNDO, ev.REFUSED_TYPE, ev.LOG_REPAIR, ev.LOG_ROLLBACK}
    assert set(EVENT_TYPES) == set(types) - {ev.REFUSED_TYPE, ev.LOG_REPAIR, ev.LOG_ROLLBACK}
    assert bookkeeping <= set(types)


def test_every_command_has_a_stable_kind() -> None:
    commands = _subclasses(c.Command)
    kinds = [command.command_kind for command in commands]
    assert len(kinds) == len(set(kinds))
    # Version 1 stored class names: every one of them maps to today's kind of that command.
    by_name = {cls.__name__: cls.command_kind for cls in commands}
    assert {name: by_name[name] for name in c.LEGACY_COMMAND_KINDS} == c.LEGACY_COMMAND_KINDS


def test_a_command_without_a_kind_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="needs a command_kind"):
        type("Nameless", (c.Command,), {})


def _subclasses(cls: type[c.Command]) -> list[type[c.Command]]:
    found: list[type[c.Command]] = []
    for sub in cls.__subclasses__():
        if sub.__name__ not in {s.__name__ for s in found}:
            found.append(sub)
        found.extend(s for s in _subclasses(sub) if s.__name__ not in {f.__name__ for f in found})
    return found
