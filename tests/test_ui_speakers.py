"""Pilot tests of the list of speakers, driven from the keyboard only."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from textual.widgets._footer import FooterKey

from sessiontui.core.commands import AddSpeaker, OpenItem, StartSpeaker
from sessiontui.ui.app import SessionApp
from sessiontui.ui.dialogs.speaker_dialog import FIELD_ORDER, SpeakerDialog
from sessiontui.ui.widgets.item_panel import ItemPanel
from sessiontui.ui.widgets.keys_footer import KeysFooter
from sessiontui.ui.widgets.submit_select import SubmitSelect
from tests.test_ui_support import SIZE, log_records, log_types, make_app, make_service


async def _on_floor(pilot: Pilot[None], item_id: str) -> SessionApp:
    app = pilot.app
    assert isinstance(app, SessionApp)
    await pilot.pause()
    await pilot.pause()
    app.jump_to(item_id)
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()
    return app


async def _add(pilot: Pilot[None], *fields: str) -> None:
    """``+``, then each field typed and Tab to the next; Enter puts the speaker on the list."""
    await pilot.press("plus")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SpeakerDialog)
    for index, value in enumerate(fields):
        if index:
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press(*value)
    await pilot.press("enter")
    await pilot.pause()


def _shown(app: SessionApp) -> str:
    return str(app.main.query_one(ItemPanel).query_one("#item-speakers").render())


async def test_tab_order_of_the_speaker_dialog(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await pilot.press("plus")
        await pilot.pause()
        seen = []
        for _ in FIELD_ORDER:
            assert app.focused is not None
            seen.append(app.focused.id)
            await pilot.press("tab")
        assert tuple(seen) == FIELD_ORDER
        assert app.focused is not None and app.focused.id == FIELD_ORDER[0]  # wraps
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == FIELD_ORDER[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerDialog)
    assert "speaker.add" not in log_types(service)


async def test_tab_back_into_a_field_keeps_what_was_typed(tmp_path: Path) -> None:
    """Tab away from a field and back, then type: the text goes on after what is there.

    Textual's Input selected all its text when Tab gave it the focus, so the next key typed
    replaced "Brazil" (or the export path typed) with one letter.
    """
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Brazil", "tab", *"G77", "shift+tab", *" (1)")
        await pilot.press("tab", *" and China")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SpeakerDialog)
        assert dialog.fields()["speaker-name"] == "Brazil (1)"
        assert dialog.fields()["speaker-on-behalf-of"] == "G77 and China"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        await pilot.press(*"minutes", "tab", "tab", *".html")  # the proposal is replaced
        await pilot.pause()
        assert app.focused is path and path.value == "minutes.html"
        await pilot.press(
            "shift+tab", "shift+tab", "backspace", "backspace", "backspace", "backspace"
        )
        await pilot.press(*"docx")
        await pilot.pause()
        assert path.value == "minutes.docx"


async def test_enter_queues_and_g_gives_the_floor(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await _add(pilot, "Brazil", "GRULAC", "Ms. Silva")
        await _add(pilot, "Kenya")
        speakers = service.state.items["2b"].speakers
        assert [(sp.name, sp.on_behalf_of, sp.person, sp.status) for sp in speakers] == [
            ("Brazil", "GRULAC", "Ms. Silva", "queued"),
            ("Kenya", None, None, "queued"),
        ]
        assert "Brazil (on behalf of the GRULAC), Ms. Silva" in _shown(app)
        assert service.state.speaking is None  # Enter never gives the floor
        await pilot.press("g")
        assert service.state.speaking == ("2b", speakers[0].id)
        clock.advance(minutes=3, seconds=30)
        app.tick()
        await pilot.pause()
        shown = _shown(app)
        assert "3:30 / 3:00" in shown and "OVER +0:30" in shown
        await pilot.press("g")  # the next speaker: Brazil's speech ends
        assert service.state.speaking == ("2b", speakers[1].id)
        await pilot.press("e")
        assert service.state.speaking is None
        assert log_types(service)[-5:] == [
            "speaker.add",
            "speaker.start",
            "speaker.stop",
            "speaker.start",
            "speaker.stop",
        ]

        # The name and the group complete from those used in the session.
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("B", "r", "right", "tab", "G", "R", "right")
        await pilot.pause()
        assert app.screen.query_one("#speaker-name", Input).value == "Brazil"
        assert app.screen.query_one("#speaker-on-behalf-of", Input).value == "GRULAC"


async def test_kind_and_limit_from_the_keyboard(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Kenya", "tab", "tab", "tab")
        assert app.focused is not None and app.focused.id == "speaker-kind"
        await pilot.press("space", "down", "enter")  # open the list, right of reply, choose
        await pilot.pause()
        await pilot.press("tab", *"90s", "enter")
        await pilot.pause()
        (speaker,) = service.state.items["2b"].speakers
        assert (speaker.name, speaker.kind, speaker.status) == ("Kenya", "reply", "queued")
        assert speaker.limit_seconds == 90
        assert "[right of reply]" in _shown(app)


async def test_enter_on_the_kind_puts_on_the_list(tmp_path: Path) -> None:
    """``+ Mexico Tab Tab Tab Enter`` queues Mexico; Enter in the open list only picks a kind."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Mexico", "tab", "tab", "tab", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerDialog)
        (mexico,) = service.state.items["2b"].speakers
        assert (mexico.name, mexico.kind, mexico.status) == ("Mexico", "statement", "queued")

        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Chile", "tab", "tab", "tab", "down")  # ↓ opens the list
        await pilot.pause()
        kind = app.screen.query_one("#speaker-kind", SubmitSelect)
        assert kind.expanded
        await pilot.press("down", "enter")  # Enter in the open list picks, no more
        await pilot.pause()
        assert isinstance(app.screen, SpeakerDialog)
        assert not kind.expanded and kind.value == "reply" and app.focused is kind
        assert len(service.state.items["2b"].speakers) == 1
        await pilot.press("enter")  # the list closed: Enter puts on the list
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerDialog)
        _, chile = service.state.items["2b"].speakers
        assert (chile.name, chile.kind, chile.status) == ("Chile", "reply", "queued")
        assert service.state.speaking is None


async def test_a_bad_limit_is_said_and_nothing_recorded(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(
        service,
        clock,
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _on_floor(pilot, "2b")
        await _add(pilot, "Kenya", "", "", "", "soon")
        assert isinstance(app.screen, SpeakerDialog)
        assert any("not a duration" in n.message for n in app._notifications)
        assert app.focused is not None and app.focused.id == "speaker-limit"
        await pilot.press("escape")
    assert "speaker.add" not in log_types(service)


async def test_export_dialog_from_the_keyboard(tmp_path: Path) -> None:
    """Tab reaches the format; Enter opens it, down and Enter choose; the path follows."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "export-path"
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "export-format"
        await pilot.press("enter", "down", "enter")  # md -> html
        await pilot.pause()
        await pilot.press("tab")
        path = app.screen.query_one("#export-path", Input)
        assert app.focused is path and path.value.endswith(".html")
        path.value = str(tmp_path / "out.html")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


async def test_a_path_typed_on_the_format_list_goes_to_the_path(tmp_path: Path) -> None:
    """Tab from the path (where the dialog starts) lands on the format list; a path typed
    there went nowhere, and Enter then opened the formats. Now it goes into the path field,
    replacing the proposed name as typing there does."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    target = str(tmp_path / "r.md")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "export-format"
        await pilot.press(*target)
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        assert app.focused is path and path.value == target
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "r.md").exists()


async def test_a_path_that_cannot_be_written_keeps_the_export_dialog_open(
    tmp_path: Path,
) -> None:
    """A missing folder, a folder, the log itself: said in the dialog, which stays open with the
    path to correct (typed after it, nothing reaches the tracker's keys); then it exports."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    before = log_types(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        for bad, said in (
            (tmp_path / "no-such-folder" / "x.md", "does not exist"),
            (tmp_path, "it is a folder"),
            (service.store.path, "the session log itself"),  # type: ignore[attr-defined]
        ):
            path.value = str(bad)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.query_one("#export-path", Input) is path
            hint = str(app.screen.query_one("#export-hint", Static).render())
            assert said in hint and "NOT exported" in hint
        path.value = ""
        await pilot.press(*"psc")  # letters that are tracker keys: they stay in the path
        assert path.value == "psc"
        path.value = str(tmp_path / "out.md")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "out.md").is_file()
    assert log_types(service) == before


def _footer_keys(app: SessionApp) -> set[str]:
    """The keys the footer shows (its widgets, not what it was asked to show)."""
    return {key.key for key in app.main.query_one(KeysFooter).query(FooterKey)}


async def test_every_key_gets_an_answer_and_the_footer_shows_what_applies(
    tmp_path: Path,
) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _on_floor(pilot, "2b")
        for key, said in (
            ("e", "nobody is speaking on 2(b)"),
            ("g", "nobody is waiting to speak on 2(b)"),
            ("l", "nobody is waiting to speak on 2(b)"),
            ("o", "2(b) is already on the floor"),
            ("r", "2(b) is not closed"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert any(said in n.message for n in app._notifications), (key, said)
        assert "g" not in _footer_keys(app) and "e" not in _footer_keys(app)
        await _add(pilot, "Brazil")
        await pilot.pause()
        assert "g" in _footer_keys(app)
        await pilot.press("g")
        await pilot.pause()
        assert "e" in _footer_keys(app)
        await pilot.press("p")  # a break: p resumes, and says so in the footer
        await pilot.pause()
        assert "p" in _footer_keys(app)


async def test_read_only_keys_say_so(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock, read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert any("view-only" in n.message for n in app._notifications)
    assert log_types(service) == []


async def test_the_waiting_list_from_the_keyboard(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        for name in ("Brazil", "Kenya", "Egypt"):
            await _add(pilot, name)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("down", "shift+up")  # Kenya first
        await pilot.pause()
        await pilot.press("J")  # and back down: Brazil, Kenya, Egypt
        await pilot.pause()
        await pilot.press("down", "minus")  # Egypt off the list
        await pilot.pause()
        await pilot.press("home", "K")  # Brazil is already first: refused, said
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        names = [sp.name for sp in service.state.items["2b"].speakers]
        assert names == ["Brazil", "Kenya"]
        assert log_types(service)[-3:] == ["speaker.move", "speaker.move", "speaker.remove"]


async def test_the_waiting_list_says_a_point_of_order(tmp_path: Path) -> None:
    """The list that reorders the speakers (`l`) tells a point of order or a right of reply
    from a statement, as the item panel does: it is where a speaker is moved up for it."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2b"))
    service.run(AddSpeaker("2b", "Brazil", on_behalf_of="Group of 77 and China"))
    service.run(AddSpeaker("2b", "Cuba", kind="point_of_order"))
    service.run(AddSpeaker("2b", "Chile", kind="reply"))
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to("2b")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == [
            "1. Brazil (on behalf of the Group of 77 and China)",
            "2. Cuba [point of order]",
            "3. Chile [right of reply]",
        ]


async def test_the_speaker_a_point_of_order_interrupted_is_marked_held(tmp_path: Path) -> None:
    """Brazil, interrupted, is neither waiting (·) nor speaking (▶): the panel marks it ‖."""
    service, clock = make_service(tmp_path)
    service.run(OpenItem("2b"))
    service.run(AddSpeaker("2b", "Brazil", start=True))
    clock.advance(seconds=40)
    service.run(AddSpeaker("2b", "Cuba", kind="point_of_order"))
    service.run(AddSpeaker("2b", "Chile"))
    service.run(StartSpeaker("2b", "Cuba"))  # as `g` does: the point of order first
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.jump_to("2b")
        await pilot.pause()
        lines = _shown(app).splitlines()
        assert [line.split("  ")[0] for line in lines if line[:1] in "·▶‖✓"] == [
            "‖ Brazil",
            "▶ Cuba [point of order]",
            "· Chile",
        ]


async def test_a_point_of_order_interrupts_and_the_speaker_resumes(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await _add(pilot, "Brazil")
        await pilot.press("g")
        clock.advance(minutes=1)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Pakistan", "tab", "tab", "tab", "space", "down", "down", "enter")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("g")  # the point of order interrupts Brazil
        await pilot.pause()
        brazil, pakistan = service.state.items["2b"].speakers
        assert (brazil.status, pakistan.status) == ("interrupted", "speaking")
        clock.advance(seconds=30)
        await pilot.press("e")  # heard: Brazil speaks again, its time resumes
        await pilot.pause()
        assert (brazil.status, pakistan.status) == ("speaking", "done")
        clock.advance(seconds=15)
        await pilot.press("e")
        await pilot.pause()
        assert (brazil.seconds, pakistan.seconds) == (75.0, 30.0)
        brazil_id, pakistan_id = brazil.id, pakistan.id
        # The point of order interrupts Brazil, ends, and Brazil's speech resumes: recorded so.
        assert [(r["type"], r["data"]) for r in log_records(service)[-4:]] == [
            ("speaker.start", {"speaker": pakistan_id, "interrupts": brazil_id}),
            ("speaker.stop", {"speaker": pakistan_id}),
            ("speaker.start", {"speaker": brazil_id, "resumes": True}),
            ("speaker.stop", {"speaker": brazil_id}),
        ]
        types = log_types(service)
        assert types.count("speaker.start") == 3 and types.count("speaker.stop") == 2


async def test_a_name_already_waiting_is_added_with_a_warning(tmp_path: Path) -> None:
    """Kenya twice on one list is allowed (a statement, then a reply) but never unnoticed."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _on_floor(pilot, "2a")
        await _add(pilot, "Kenya")
        assert not any("twice" in n.message for n in app._notifications)
        await _add(pilot, "Kenya")
        names = [sp.name for sp in service.state.items["2a"].speakers]
        assert names == ["Kenya", "Kenya"]
        assert any(
            "Kenya is now twice on the list of 2(a)" in n.message for n in app._notifications
        )


async def test_closing_an_item_with_speakers_waiting_says_so(tmp_path: Path) -> None:
    """The list not exhausted when the item closes: told, in the tracker and the CLI."""
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _on_floor(pilot, "2a")
        await _add(pilot, "Kenya")
        await _add(pilot, "Brazil")
        await pilot.press("c")
        await pilot.pause()
        assert service.state.items["2a"].status == "closed"
        assert any(
            n.message == "2(a) closed with Kenya and Brazil still on its list of speakers."
            for n in app._notifications
        )


def test_the_cli_says_speakers_were_left_waiting(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sessiontui.cli import cli
    from tests.test_ui_support import AGENDA

    log = tmp_path / "s.jsonl"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(AGENDA), "--log", str(log)]).exit_code == 0
    for args in (("open", "2b"), ("speaker", "2b", "Kenya")):
        assert runner.invoke(cli, [*args, "--log", str(log)]).exit_code == 0
    quiet = runner.invoke(cli, ["suspend", "2b", "--log", str(log)])
    assert "still on its list" not in quiet.output
    result = runner.invoke(cli, ["defer", "2b", "--log", str(log)])
    assert result.exit_code == 0
    assert "sessiontui: warning: 2(b) deferred with Kenya still on its list of speakers" in (
        result.output
    )


async def test_a_speaker_without_a_draft_is_not_dropped_by_one_ctrl_q(tmp_path: Path) -> None:
    """No draft can be written (its folder cannot be made): ctrl+q with a speaker typed in the
    dialog warns and stays; the speaker can still be put on the list; a second ctrl+q quits.
    An empty dialog quits at once. (With drafts, ctrl+q keeps the speaker in one: see
    test_ui_drafts.)"""
    service, clock = make_service(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = make_app(service, clock, drafts_root=blocker / "drafts")
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        assert app.notes.box is None
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Kenya")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SpeakerDialog) and app.is_running
        assert app.screen.query_one("#speaker-name", Input).value == "Kenya"
        await pilot.press("enter")
        await pilot.pause()
        assert "Kenya" in _shown(app)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Peru")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


async def test_an_empty_speaker_dialog_does_not_hold_up_ctrl_q(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    app = make_app(service, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_floor(pilot, "2b")
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
