"""On PostgreSQL the role writers use can only add events: the SQL in docs/sharing.md works."""

from __future__ import annotations

import re
import time
from pathlib import Path

import psycopg
import pytest

from . import pg
from .conftest import make_log
from .test_pg_sharing import cli

pg_cluster = pg.pg_cluster
pg_url = pg.pg_url

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sharing.md"


def documented_sql() -> str:
    """The block of SQL the sharing page gives for an insert-only writer role."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"```sql\n(.*?CREATE ROLE recorder.*?)```", text, re.S)
    assert found, "docs/sharing.md gives the SQL of the writers' role"
    return found.group(1)


def test_the_writers_role_adds_events_and_can_neither_change_nor_delete_them(
    tmp_path: Path, pg_url: str
) -> None:
    log = make_log(tmp_path / "seed.jsonl", session_id=f"io{time.time_ns()}")
    copied = cli("copy", str(log), pg_url)  # the owner creates the tables and the session
    assert copied.returncode == 0, copied.stderr
    session = copied.stdout.strip().rsplit("#", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = 'recorder'").fetchone()
        if not exists:
            admin.execute(documented_sql())
    writer = pg_url.replace("sessiontui@", "recorder@") + "#" + session
    for args in (["open", "1"], ["note", "1", "by the recorder"], ["close", "1"]):
        done = cli(*args, "--log", writer, "--actor", "ana")
        assert done.returncode == 0, done.stderr
    assert cli("verify", writer).returncode == 0
    with psycopg.connect(pg_url.replace("sessiontui@", "recorder@"), autocommit=True) as conn:
        for statement in (
            "UPDATE sessiontui.events SET line = line WHERE session = %s",
            "DELETE FROM sessiontui.events WHERE session = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, (session,))
