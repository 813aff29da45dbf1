"""/mydata and /forget over the whole schema: every table about a user is exported, every row
about them is erased, and on SQLite the bytes go too."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import BigInteger, Column, MetaData, Table, insert
from sqlalchemy.engine import make_url

from bot.flows.export import export_json, export_user
from bot.flows.privacy import forget_user
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories.export import USER_TABLES, user_column
from bot.storage.tables import METADATA, USERS
from tests.storage.user_rows import fill_every_table, marker, traces_of

USER = 424242
OTHER = 515151
# Tables that hold nothing about a person, each for a stated reason.
# webhook update ids and when they came, no sender; the shared send budget's one row; the
# webhook inbox, whose rows (an update id and its sender's id) live only while the update is
# waiting or being handled, and are deleted right after
ABOUT_NOBODY = {"processed_updates", "send_budget", "update_inbox"}


def test_every_table_is_about_a_user_and_erased_with_them_or_about_nobody() -> None:
    """A new table must either cascade from users.id or be declared free of personal data."""
    for table in METADATA.sorted_tables:
        column = user_column(table)
        if column is None:
            assert table.name in ABOUT_NOBODY, f"{table.name}: no user_id; is it about nobody?"
            continue
        if table is USERS:
            continue
        keys = [key for key in column.foreign_keys if key.column is USERS.c.id]
        assert keys, f"{table.name}.user_id does not reference users.id"
        assert keys[0].ondelete == "CASCADE", f"{table.name}: /forget would leave its rows"


def test_export_holds_every_row_of_every_user_table_and_nothing_of_others(
    database: Database,
) -> None:
    written = database.run_sync(lambda c: fill_every_table(c, USER))
    database.run_sync(lambda c: fill_every_table(c, OTHER))

    found = database.run_sync(lambda c: export_user(c, USER))
    document = json.loads(export_json(found))

    expected = {t.name for t in METADATA.sorted_tables if t.name not in ABOUT_NOBODY}
    assert set(document["tables"]) == expected == {t.name for t in USER_TABLES}
    for name, rows in document["tables"].items():
        assert len(rows) == 1, name
        assert set(rows[0]) == set(written[name]), name  # every column, by its name
    assert document["tables"]["users"][0]["created_at"] == "2026-03-10T09:30:00+00:00"
    assert document["tables"]["tip_subscriptions"][0]["send_time"] == "08:30:00"
    assert document["tables"]["active_days"][0]["day"] == "2026-03-10"
    text = export_json(found).decode()
    assert str(OTHER) not in text
    assert marker(OTHER) not in text
    assert found.row_counts() == {name: 1 for name in expected}


def test_export_of_a_stranger_is_empty(database: Database) -> None:
    database.run_sync(lambda c: fill_every_table(c, OTHER))
    found = database.run_sync(lambda c: export_user(c, USER))
    assert found.is_empty()
    assert found.row_counts() == {}


def test_forget_leaves_nothing_in_any_table_and_keeps_other_users(database: Database) -> None:
    database.run_sync(lambda c: fill_every_table(c, USER))
    database.run_sync(lambda c: fill_every_table(c, OTHER))
    before = database.run_sync(lambda c: traces_of(c, USER))
    assert set(before) == {t.name for t in USER_TABLES}  # the scan sees every user table

    assert database.run_sync(lambda c: forget_user(c, USER)) is True

    assert database.run_sync(lambda c: traces_of(c, USER)) == {}
    assert set(database.run_sync(lambda c: traces_of(c, OTHER))) == set(before)


def test_the_scan_finds_a_table_added_without_the_cascade(database: Database) -> None:
    """The guard above reads the database's own catalog, so a table METADATA lacks (or one
    whose user_id does not cascade) still shows up as a trace after /forget."""
    late = Table("late_notes", MetaData(), Column("user_id", BigInteger, nullable=False))
    late.create(database.engine)
    database.run_sync(lambda c: fill_every_table(c, USER))
    database.run_sync(lambda c: c.execute(insert(late), {"user_id": USER}))
    database.run_sync(lambda c: forget_user(c, USER))
    assert database.run_sync(lambda c: traces_of(c, USER)) == {"late_notes": 1}


def _file_bytes(url: str) -> bytes:
    path = Path(make_url(url).database or "")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_forget_on_sqlite_leaves_no_bytes_in_the_file_or_the_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bytes.sqlite3'}"
    migrate.upgrade(url)
    database = Database(url)
    try:
        database.run_sync(lambda c: fill_every_table(c, OTHER))
        database.run_sync(lambda c: fill_every_table(c, USER))
        assert marker(USER).encode() in _file_bytes(url)  # the check can see it when it is there

        assert database.run_sync(lambda c: forget_user(c, USER)) is True
        assert database.checkpoint_wal() is True

        stored = _file_bytes(url)
        assert marker(USER).encode() not in stored
        assert marker(OTHER).encode() in stored  # the other user's rows are intact
    finally:
        database.close()


def test_checkpoint_completes_when_no_reader_holds_it_back(database: Database) -> None:
    """SQLite: an idle database checkpoints fully; PostgreSQL: nothing to do, done."""
    database.run_sync(lambda c: fill_every_table(c, USER))
    assert database.checkpoint_wal() is True
