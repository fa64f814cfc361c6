"""A sitting opened on the command line on a day the agenda does not list is warned of, as the
tracker warns of it (``phrases.off_the_agenda_days``)."""

from __future__ import annotations

from pathlib import Path

from .conftest import DAY_AGENDA, day_log, sessiontui_on


def test_a_sitting_opened_off_the_agenda_days_is_warned_of(tmp_path: Path) -> None:
    log = day_log(tmp_path, DAY_AGENDA)  # the meeting's one day: 19 November 2020
    opened = sessiontui_on(log, "sitting", "open", "--at", "2020-11-20 10:00")
    assert opened.returncode == 0, opened.stderr
    assert (
        "sessiontui: warning: sitting opened: 20 Nov 2020 is not a day of the meeting "
        "(19 Nov 2020)\n" in opened.stderr
    )
    assert "#1 ana opened the sitting" in opened.stderr


def test_a_take_up_that_opens_the_sitting_off_the_agenda_days_is_warned_of(
    tmp_path: Path,
) -> None:
    log = day_log(tmp_path, DAY_AGENDA)
    taken = sessiontui_on(log, "open", "1", "--at", "2020-11-20 10:00")
    assert taken.returncode == 0, taken.stderr
    assert "20 Nov 2020 is not a day of the meeting" in taken.stderr


def test_a_sitting_on_the_agendas_day_is_not_warned_of(tmp_path: Path) -> None:
    log = day_log(tmp_path, DAY_AGENDA)
    opened = sessiontui_on(log, "sitting", "open", "--at", "2020-11-19 10:00")
    assert opened.returncode == 0, opened.stderr
    assert "warning" not in opened.stderr
