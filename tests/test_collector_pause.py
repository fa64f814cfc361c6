"""``collector_paused``: what a paused fold leaves alive is not walked by the next young pass."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from sessiontui.core.replay import collector_paused


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


class _Node:
    """A container the collector tracks, which can point at itself and be watched."""

    def __init__(self) -> None:
        self.me: _Node | None = None


def _young_ids() -> set[int]:
    return {id(found) for generation in (0, 1) for found in gc.get_objects(generation)}


def test_no_pass_follows_a_pause_and_what_it_left_alive_is_old() -> None:
    passes: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    with collector_paused():
        kept = [_Node() for _ in range(5000)]
        gc.callbacks.append(note)
    try:
        assert gc.isenabled()
        # The pause's objects were counted in the youngest generation: the first allocation
        # after it would start a pass that walks them all.
        assert passes == []
    finally:
        gc.callbacks.remove(note)
    young = _young_ids()
    assert not any(id(node) in young for node in kept)
    oldest = {id(found) for found in gc.get_objects(2)}
    assert all(id(node) in oldest for node in kept)


def test_a_cycle_made_in_a_pause_is_still_collected_once_it_dies() -> None:
    with collector_paused():
        node = _Node()
        node.me = node
        watched = weakref.ref(node)
    del node
    assert watched() is not None  # a cycle: reference counting alone does not free it
    gc.collect()
    assert watched() is None


def test_what_others_froze_stays_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [_Node() for _ in range(100)]
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert not any(id(node) in _young_ids() for node in kept)
    finally:
        gc.unfreeze()


def test_a_pause_within_a_pause_leaves_the_collector_off() -> None:
    with collector_paused():
        with collector_paused():
            inner = _Node()
        assert not gc.isenabled()
        assert id(inner) in {id(found) for found in gc.get_objects(0)}
    assert gc.isenabled()
