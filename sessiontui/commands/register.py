"""``sessiontui participant`` and ``sessiontui rollcall``: the participants register, attendance."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from sessiontui.commands.common import fail, log_alias_option
from sessiontui.commands.record import open_service, record, recording_options
from sessiontui.core.commands import AddParticipants, Command, RemoveParticipant, RollCall
from sessiontui.core.register import (
    KINDS,
    Participant,
    RegisterError,
    complete,
    kind_of,
    read_file,
    shipped,
    speaker_names,
    unlisted_kind,
)


def participant_names(log: str | None = None) -> list[str]:
    """The names a participant field completes from: the session's register, then the shipped
    list of UN Member States and observers (so a name is spelled as the UN spells it)."""
    try:
        service = open_service(log or os.environ.get("SESSIONTUI_LOG"), read_only=True)
    except (click.ClickException, SystemExit):
        return speaker_names((), ())
    try:
        state = service.state
        return speaker_names(state.participants.values(), state.speaker_names)
    finally:
        service.close()


def complete_participant(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a State's or organization's name (``speaker``, ``rollcall`` …)."""
    log = ctx.params.get("log")
    return [CompletionItem(name) for name in complete(incomplete, participant_names(log))]


@click.group()
def participant() -> None:
    """The participants register: the States and organizations attending."""


@participant.command(name="add")
@click.argument("name", shell_complete=complete_participant)
@click.option(
    "--kind",
    default=None,
    metavar="KIND",
    help=f"One of: {', '.join(KINDS)} (default: as the UN list has it, else Member State).",
)
@click.option("--group", "groups", multiple=True, help="A group it belongs to (repeatable).")
@click.option("--person", "persons", multiple=True, help="A member of its delegation (repeatable).")
@recording_options
def add(
    name: str,
    kind: str | None,
    groups: tuple[str, ...],
    persons: tuple[str, ...],
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Add NAME to the register; a name on the UN list brings its kind and groups along."""
    from sessiontui.core.register import find, un_variant

    known = find(name, shipped())
    meant = un_variant(name) if known is None and not kind else None
    if meant is not None:
        # A report names States as the UN list does: the name typed in haste is not taken
        # for a new State; a name kept as typed is asked for with --kind.
        raise fail(
            f"{name!r} is not on the UN list, which names it {meant.name!r}: add "
            f"{meant.name!r}, or give --kind to record {name!r} as typed"
        )
    chosen = kind_of(kind) if kind else (known.kind if known else unlisted_kind(name))
    if chosen is None:
        raise fail(f"--kind {kind!r}: one of {', '.join(KINDS)}")
    entry = Participant(
        name=known.name if known else name,
        kind=chosen,
        groups=list(groups) if groups else (list(known.groups) if known else []),
        persons=list(persons),
    )
    record(log, actor, role, at, lambda _state: AddParticipants((entry,)))
    if not kind and not known:
        # The kind decides whether the report names its speaker "the representative of" (a
        # State) or "the observer for": a guess is said, never taken silently.
        click.echo(
            f"sessiontui: {name!r} is not on the UN list: recorded as {chosen}"
            f" (give --kind {', '.join(k for k in KINDS if k != chosen)} otherwise)",
            err=True,
        )


@participant.command(name="load")
@click.argument("source", metavar="FILE.csv|FILE.toml|un")
@click.option("--replace", is_flag=True, help="Replace participants already registered.")
@recording_options
def load(
    source: str,
    replace: bool,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Add every participant of a CSV or TOML file (or `un`: the UN Member States and observers)."""
    try:
        entries = shipped() if source == "un" else read_file(Path(source))
    except RegisterError as exc:
        raise fail(str(exc)) from None

    def make(state: Any) -> Command:
        from sessiontui.core.register import fold

        if replace:
            return AddParticipants(tuple(entries), replace=True)
        new = tuple(p for p in entries if fold(p.name) not in state.participants)
        if not new:
            raise fail(f"every participant of {source} is already in the register")
        return AddParticipants(new)

    record(log, actor, role, at, make)


@participant.command(name="remove")
@click.argument("name", shell_complete=complete_participant)
@recording_options
def remove(name: str, at: str | None, log: str | None, actor: str | None, role: str | None) -> None:
    """Take NAME off the register."""
    record(log, actor, role, at, lambda _state: RemoveParticipant(name))


@participant.command(name="list")
@click.argument("log_arg", metavar="[LOG]", required=False)
@log_alias_option
@click.option("--un", "un", is_flag=True, help="List the shipped UN list instead.")
def list_participants(log_arg: str | None, log: str | None, un: bool) -> None:
    """The register, one participant a line: name, kind, groups (tab-separated)."""
    if un:
        entries = shipped()
    else:
        service = open_service(log_arg or log, read_only=True)
        try:
            entries = list(service.state.participants.values())
        finally:
            service.close()
    for entry in entries:
        click.echo("\t".join([entry.name, entry.kind, "; ".join(entry.groups)]))


@click.command()
@click.argument("names", nargs=-1, shell_complete=complete_participant)
@click.option("--absent", "absent", multiple=True, help="Mark this one absent (repeatable).")
@click.option("--all", "everyone", is_flag=True, help="Everyone in the register is present.")
@click.option("--sitting", "sitting", type=int, default=None, help="Which sitting (default: open).")
@recording_options
def rollcall(
    names: tuple[str, ...],
    absent: tuple[str, ...],
    everyone: bool,
    sitting: int | None,
    at: str | None,
    log: str | None,
    actor: str | None,
    role: str | None,
) -> None:
    """Take the roll call: NAMES are present at the sitting (--absent NAME: absent)."""

    def make(state: Any) -> Command:
        present = names
        if everyone:
            missing = {n.casefold() for n in absent}
            present = tuple(
                p.name for p in state.participants.values() if p.name.casefold() not in missing
            )
        return RollCall(present, absent, sitting)

    record(log, actor, role, at, make)
