"""Notes are numbered per kind in the order written, and a number once shown never changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import OptionList, Static

from sessiontui.core.clock import FakeClock
from sessiontui.core.commands import AddNote, DeleteNote, EditNote, OpenItem
from sessiontui.service import SessionService
from sessiontui.ui.dialogs.note_picker import NotePicker
from tests.test_ui_app import select
from tests.test_ui_support import START, make_app, make_service


def _written(service: SessionService, clock: FakeClock) -> dict[str, str]:
    """Decision 1, note 1 and decision 2 written at 10:10, 10:20, 10:30 on 2(a); then a note
    back-dated to 10:05: the last written, the first in meeting time. Their ids by text."""
    service.run(OpenItem("2a"))
    for text, kind in (("D one", "decision"), ("N one", "note"), ("D two", "decision")):
        clock.advance(minutes=10)
        service.run(AddNote("2a", text, kind))
    service.run(AddNote("2a", "N late", "note"), at=START + dt.timedelta(minutes=5))
    return {note.text: note.id for note in service.state.notes_of("2a")}


def test_numbers_are_per_kind_in_the_order_written(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    ids = _written(service, clock)
    numbers = service.state.note_numbers("2a")
    assert {text: numbers[i] for text, i in ids.items()} == {
        "N late": 2,  # written last of the notes, though first in meeting time
        "D one": 1,
        "N one": 1,
        "D two": 2,
    }
    # A deleted note's number is not given again: "N late" stays note 2.
    service.run(DeleteNote(ids["N one"]))
    assert service.state.note_numbers("2a")[ids["N late"]] == 2
    # A note made a decision takes its place among the decisions, in the order written.
    service.run(EditNote(ids["N late"], "N late", "decision"))
    assert service.state.note_numbers("2a")[ids["N late"]] == 3


async def test_the_panel_and_the_picker_show_the_same_stable_numbers(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    _written(service, clock)
    app = make_app(service, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, "2a")
        shown = app.main.query_one("#item-notes", Static).content
        lines = [line.split("  —")[0] for line in str(shown).splitlines()]
        assert lines == ["Decisions", "1. D one", "2. D two", "Notes", "1. N one", "2. N late"]

        await pilot.press("E")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, NotePicker)
        options = picker.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(4)]
        assert prompts == [
            "Decision 1. D one",
            "Note 1. N one",
            "Decision 2. D two",
            "Note 2. N late",  # the last written: where the picker starts
        ]
        assert options.highlighted == 3
