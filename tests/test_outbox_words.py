"""The outbox says what waits in it in the record's words, never by a command's class name."""

from __future__ import annotations

import datetime as dt

from sessiontui.core.commands import AddNote, AddSpeaker, CloseItem, EditNote
from sessiontui.store.outbox import Entry

AT = dt.datetime(2026, 12, 6, 5, 14, 28, tzinfo=dt.UTC)


def test_a_waiting_entry_is_said_in_words() -> None:
    # It said "AddNote 1 'CLI note while down'".
    entries = {
        AddNote("1", "CLI note while down"): "write a note on 1: CLI note while down",
        AddNote("2a", "Adopted.", kind="decision"): "write a decision on 2a: Adopted.",
        EditNote("3f2a", "Better \u202ewords"): "edit a note: Better words",
        AddSpeaker("2a", "Brazil", start=True): "give the floor to Brazil on 2a",
        CloseItem("2a"): "close 2a",
    }
    for command, words in entries.items():
        entry = Entry(key="k", at=AT, actor="Amina Haddad", role=None, command=command)
        assert entry.describe() == f"2026-12-06 05:14:28Z Amina Haddad: {words}"
