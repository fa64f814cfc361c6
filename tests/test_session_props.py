"""Property tests of the meeting semantics: replay, time accounting, undo, shuffled --at times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sessiontui.core.commands import (
    AddNote,
    AddSpeaker,
    CloseItem,
    Command,
    DeferItem,
    NextItem,
    OpenItem,
    Refused,
    ResumeItem,
    SittingCommand,
    StopSpeaker,
    SuspendItem,
    Undo,
)
from sessiontui.core.events import UNDO, Undone
from sessiontui.core.fold import apply, apply_all
from sessiontui.core.replay import replay
from sessiontui.core.snapshot import dump_state, load_state
from sessiontui.core.state import SessionState

from .memory import MemorySession

ITEMS = ["1", "2", "2a", "2b", "2c", "2d", "2e", "3"]
ACTORS = ["ana", "ben"]


def snapshot(state: SessionState) -> dict[str, Any]:
    """What a person sees of the state (for equality of two folds)."""
    return {
        "floor": state.floor,
        "items": {
            item: (
                st_.status,
                round(st_.used_seconds, 6),
                len(st_.speakers),
                [(sp.name, sp.status, round(sp.seconds, 6)) for sp in st_.speakers],
            )
            for item, st_ in state.items.items()
        },
        "notes": sorted((n.id, n.text, n.kind, n.deleted) for n in state.notes.values()),
        "sittings": [(x.label, x.status, round(x.running_seconds, 6)) for x in state.sittings],
    }


class Meeting(RuleBasedStateMachine):
    """Random commands by two actors, with time moving forward and sometimes back-dated."""

    def __init__(self) -> None:
        super().__init__()
        self.m = MemorySession()
        self.clock = self.m.at("09:00")
        self.last: tuple[str, dict[str, Any]] | None = None

    def _run(self, command: Command, actor: str, back: int = 0) -> None:
        before = snapshot(self.m.state)
        when = self.clock - dt.timedelta(seconds=back)
        try:
            self.m.run(command, when, actor=actor)
        except Refused:
            return
        self.last = (actor, before)

    @rule(seconds=st.integers(min_value=0, max_value=900))
    def wait(self, seconds: int) -> None:
        self.clock += dt.timedelta(seconds=seconds)

    @rule(
        item=st.sampled_from(ITEMS),
        verb=st.sampled_from([OpenItem, CloseItem, SuspendItem, ResumeItem, DeferItem]),
        actor=st.sampled_from(ACTORS),
        back=st.sampled_from([0, 0, 0, 30, 400]),
    )
    def item_command(self, item: str, verb: type[Command], actor: str, back: int) -> None:
        self._run(verb(item), actor, back)  # type: ignore[call-arg]

    @rule(actor=st.sampled_from(ACTORS))
    def next_item(self, actor: str) -> None:
        self._run(NextItem(), actor)

    @rule(
        action=st.sampled_from(["open", "suspend", "resume", "close"]),
        actor=st.sampled_from(ACTORS),
    )
    def sitting(self, action: str, actor: str) -> None:
        self._run(SittingCommand(action), actor)  # type: ignore[arg-type]

    @rule(
        item=st.sampled_from(ITEMS),
        text=st.text(min_size=0, max_size=20),
        actor=st.sampled_from(ACTORS),
    )
    def note(self, item: str, text: str, actor: str) -> None:
        self._run(AddNote(item, text), actor)

    @rule(
        name=st.sampled_from(["Brazil", "Kenya", "Norway"]),
        start=st.booleans(),
        actor=st.sampled_from(ACTORS),
    )
    def speaker(self, name: str, start: bool, actor: str) -> None:
        floor = self.m.state.floor or "1"
        self._run(AddSpeaker(floor, name, start=start), actor)

    @rule(actor=st.sampled_from(ACTORS))
    def stop_speaker(self, actor: str) -> None:
        if self.m.state.speaking:
            self._run(StopSpeaker(self.m.state.speaking[0]), actor)

    @precondition(lambda self: self.last is not None)
    @rule()
    def undo_last(self) -> None:
        assert self.last is not None
        actor, before = self.last
        self.m.run(Undo(), self.clock, actor=actor)
        assert snapshot(self.m.state) == before
        self.last = None

    @invariant()
    def replay_is_deterministic(self) -> None:
        again = replay(self.m.header, list(self.m.events))
        assert snapshot(again) == snapshot(self.m.state)

    @invariant()
    def a_run_folds_as_its_events_one_by_one(self) -> None:
        # ``apply_all`` (the bulk fold) keeps its bookkeeping in locals: the state it leaves
        # must be the one ``apply`` leaves, event by event, every field of it.
        events = list(self.m.events)
        undone = {e.data.batch for e in events if isinstance(e, Undone)}
        kept = sorted(
            (e for e in events if e.type != UNDO and e.batch not in undone),
            key=lambda e: (e.at, e.seq),
        )
        one_by_one, in_a_run = SessionState(self.m.header), SessionState(self.m.header)
        for event in kept:
            apply(one_by_one, event)
        apply_all(in_a_run, kept)
        assert dump_state(in_a_run, needs_sort=False) == dump_state(one_by_one, needs_sort=False)
        for name in ("last_at", "last_seq", "event_count", "actors", "invalid", "touched"):
            assert getattr(in_a_run, name) == getattr(one_by_one, name), name
        assert list(in_a_run.touched) == list(one_by_one.touched)

    @invariant()
    def a_checkpoint_snapshot_restores_the_same_state(self) -> None:
        again, _ = load_state(self.m.header, dump_state(self.m.state, needs_sort=False))
        assert snapshot(again) == snapshot(self.m.state)
        assert again.floor_log == self.m.state.floor_log

    @invariant()
    def parents_have_at_least_their_childrens_time(self) -> None:
        state = self.m.state
        for node in state.agenda:
            for child in node.children:
                assert state.items[node.id].used_seconds >= state.items[child].used_seconds - 1e-6

    @invariant()
    def top_level_time_fits_in_the_sittings(self) -> None:
        state = self.m.state
        top = sum(state.items[root].used_seconds for root in state.agenda.roots)
        assert top <= state.sitting_seconds(state.last_at) + 1e-6

    @invariant()
    def no_negative_durations(self) -> None:
        state = self.m.state
        assert all(item.used_seconds >= 0 for item in state.items.values())
        assert all(iv.end >= iv.start for iv in state.floor_log)
        assert all(sp.seconds >= 0 for item in state.items.values() for sp in item.speakers)
        assert all(x.running_seconds >= 0 for x in state.sittings)

    @invariant()
    def one_item_on_the_floor_and_its_branch_open(self) -> None:
        state = self.m.state
        if state.floor is not None:
            assert state.items[state.floor].status == "open"
            for ancestor in state.agenda.ancestors(state.floor):
                assert state.items[ancestor].status == "open"


TestMeeting = Meeting.TestCase
TestMeeting.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
