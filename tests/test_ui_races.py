"""Two trackers act at once: the one refused shows the record it caught up with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sessiontui.core.commands import (
    AddSpeaker,
    CloseItem,
    OpenItem,
    SittingCommand,
    StartSpeaker,
    StopSpeaker,
)
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.top_bar import TopBar
from tests.test_ui_app import select
from tests.test_ui_support import SIZE, make_app, make_service, second_writer


def _line(app: object, item_id: str) -> str:
    tree = app.main.agenda_tree  # type: ignore[attr-defined]
    return str(tree._item_nodes[item_id].label.plain)


def _footer_labels(app: object) -> list[str]:
    footer = app.main.query_one(KeysFooter)  # type: ignore[attr-defined]
    return [shown[2] for shown in footer._keys_shown or []]


async def test_a_refused_close_repaints_the_agenda_line(tmp_path: Path) -> None:
    """The other tracker closed the item first: this one's line says closed, not on the floor."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        other.run(SittingCommand("open"))
        other.run(OpenItem("2a"))
        await pilot.pause(1.3)  # the app's own timer picks it up
        await select(pilot, "2a")
        assert _line(app, "2a").startswith("▶")
        clock.advance(60)
        other.run(CloseItem("2a"))
        # As the key would, before the timer noticed (no await in between, so no tick can
        # run): refused, caught up under the lock.
        app.action_close_item()
        await pilot.pause(1.3)  # and a tick or two after it
        assert service.state.items["2a"].status == "closed"
        assert _line(app, "2a").startswith("✓"), _line(app, "2a")
        assert "On the floor: 2(a)" not in str(app.main.query_one(TopBar).render())
        # The refusal is in the journal panel, as the log records it.
        assert any("refused" in line for line in app.journal), list(app.journal)
    other.close()


async def test_a_refused_end_of_speech_updates_the_footer(tmp_path: Path) -> None:
    """The other tracker ended the speech first: "e End speech" leaves the footer at once."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        other.run(SittingCommand("open"))
        other.run(OpenItem("2a"))
        other.run(AddSpeaker("2a", "Mali"))
        other.run(StartSpeaker("2a", "Mali"))
        await pilot.pause(1.3)
        await select(pilot, "2a")
        await pilot.pause()
        assert "End speech" in _footer_labels(app)
        clock.advance(10)
        other.run(StopSpeaker("2a"))
        app.action_stop_speaker()  # the key `e`, before the timer noticed: refused
        await pilot.pause(1.3)
        assert service.state.speaking is None
        assert "End speech" not in _footer_labels(app), _footer_labels(app)
    other.close()


async def test_a_refused_floor_names_the_speaker_and_is_journaled(tmp_path: Path) -> None:
    """Both gave the floor at once: the refusal names who has it (never an id) and is recorded."""
    from tests.test_ui_support import log_types

    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    other = second_writer(service)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        other.run(SittingCommand("open"))
        other.run(OpenItem("2a"))
        other.run(AddSpeaker("2a", "Ghana"))
        other.run(AddSpeaker("2a", "Mali"))
        other.run(StartSpeaker("2a", "Ghana"))
        await pilot.pause(1.3)
        await select(pilot, "2a")
        clock.advance(30)
        other.run(StartSpeaker("2a", "Mali"))  # ends Ghana's speech
        app.action_start_speaker()  # the key `g`, meant for Mali too, before the timer noticed
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        refusal = next(m for m in messages if m.startswith("Refused"))
        assert "Mali already has the floor on 2(a)" in refusal, refusal
        speakers = service.state.items["2a"].speakers
        assert not any(sp.id in refusal for sp in speakers), refusal
        assert log_types(service).count("command.refused") == 1
        assert any("refused" in line and "Mali" in line for line in app.journal), list(app.journal)
    other.close()


async def test_a_floor_given_before_the_speaker_asked_names_them(tmp_path: Path) -> None:
    """`@` before the first waiting speaker was put on the list: refused with the name."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    service.run(SittingCommand("open"))
    service.run(OpenItem("2a"))
    clock.advance(600)
    service.run(AddSpeaker("2a", "Zambia"))
    clock.advance(60)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, "2a")
        app.set_pending_at(clock.now() - dt.timedelta(minutes=5))
        await pilot.press("g")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        refusal = next(m for m in messages if m.startswith("Refused"))
        assert "'Zambia' is not on the list of speakers of 2(a)" in refusal, refusal
        assert service.state.speaking is None
