"""Numbered schema migrations for the coach database (after simonw/llm).

Each migration is a function ``mNNN_name(db)``; the ones applied are recorded by
name in ``_coach_migrations``, so a database always says which schema it has.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence

from sqlite_utils import Database

MIGRATIONS: list[Callable[[Database], None]] = []

#: The table that records which migrations a database has had.
_RECORD = "create table if not exists _coach_migrations (name text primary key, applied_at text not null)"


def migration(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    MIGRATIONS.append(fn)
    return fn


def known_names() -> list[str]:
    return [fn.__name__ for fn in MIGRATIONS]


def applied_names(db: Database) -> list[str]:
    if "_coach_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("select name from _coach_migrations order by rowid")]


def pending(db: Database) -> list[Callable[[Database], None]]:
    done = set(applied_names(db))
    return [fn for fn in MIGRATIONS if fn.__name__ not in done]


def unknown(db: Database) -> list[str]:
    """Migrations recorded in the database that this code does not know: a newer coach wrote it."""
    known = set(known_names())
    return [name for name in applied_names(db) if name not in known]


@functools.cache
def _expected(applied: tuple[str, ...]) -> dict[str, tuple[str, frozenset[str]]]:
    """The schema the named migrations make: name -> (type, column names)."""
    db = Database(memory=True)
    db.execute(_RECORD)
    for fn in MIGRATIONS:
        if fn.__name__ in applied:
            fn(db)
    return _schema(db.conn)


def _schema(conn: sqlite3.Connection) -> dict[str, tuple[str, frozenset[str]]]:
    out = {}
    for kind, name in conn.execute("select type, name from sqlite_master where name not like 'sqlite_%'").fetchall():
        columns = frozenset(r[1] for r in conn.execute(f"pragma table_info([{name}])")) if kind == "table" else frozenset()
        out[name] = (kind, columns)
    return out


def schema_problem(conn: sqlite3.Connection, applied: Sequence[str]) -> str | None:
    """What is missing from a database that records ``applied`` migrations
    (all known to this code): a table, index, trigger or column they create,
    or None when nothing is. Tables and columns added by others are fine.
    Costs a read of the schema, not of the data (about a millisecond)."""
    expected = _expected(tuple(sorted(applied)))
    actual = _schema(conn)
    for name, (kind, columns) in expected.items():
        if name not in actual or actual[name][0] != kind:
            return f"its {kind} {name} is missing"
        missing = sorted(columns - actual[name][1])
        if missing:
            return f"its table {name} has no column {missing[0]}"
    return None


def migrate(db: Database, now: str) -> None:
    todo = pending(db)
    if not todo:
        return
    with db.atomic():
        db.execute(_RECORD)
        for fn in todo:
            fn(db)
            db.execute("insert into _coach_migrations (name, applied_at) values (?, ?)", [fn.__name__, now])


@migration
def m001_initial(db: Database) -> None:
    statements = [
        """create table reps (
            id integer primary key,
            name text not null unique,
            created_at text not null
        )""",
        # A snapshot of the YAML each session used, so old sessions stay
        # readable after the file changes; one row per distinct content.
        """create table scenarios (
            id integer primary key,
            name text not null,
            title text not null,
            source text not null,
            yaml text not null,
            sha256 text not null unique,
            created_at text not null
        )""",
        """create table sessions (
            id integer primary key,
            rep_id integer not null references reps(id),
            scenario_id integer not null references scenarios(id),
            seed integer,
            status text not null default 'in_progress'
                check (status in ('in_progress', 'finished')),
            end_reason text,
            score real,
            scorecard text,
            started_at text not null,
            ended_at text
        )""",
        # One row per turn, written the moment it happens.
        """create table turns (
            id integer primary key,
            session_id integer not null references sessions(id),
            idx integer not null,
            speaker text not null check (speaker in ('rep', 'buyer')),
            text text not null,
            trust real,
            revealed text not null default '[]',
            tips text not null default '[]',
            questions integer,
            words integer,
            hint integer not null default 0,
            created_at text not null,
            unique (session_id, idx)
        )""",
        """create table turn_labels (
            turn_id integer not null references turns(id),
            label text not null,
            primary key (turn_id, label)
        )""",
        """create table evidence (
            id integer primary key,
            turn_id integer not null references turns(id),
            label text not null,
            start integer not null,
            "end" integer not null,
            quote text not null,
            why text not null
        )""",
        """create table scores (
            session_id integer not null references sessions(id),
            part text not null,
            score real not null,
            weight real,
            best_turn integer,
            worst_turn integer,
            advice text,
            primary key (session_id, part)
        )""",
        """create table comments (
            id integer primary key,
            session_id integer not null references sessions(id),
            turn_id integer references turns(id),
            author text not null,
            text text not null,
            created_at text not null
        )""",
        "create index idx_sessions_rep on sessions(rep_id)",
        "create index idx_sessions_scenario on sessions(scenario_id)",
        "create index idx_scenarios_name on scenarios(name)",
        "create index idx_turn_labels_label on turn_labels(label)",
        "create index idx_evidence_turn on evidence(turn_id)",
        "create index idx_comments_session on comments(session_id)",
    ]
    # Full-text search over what was said, kept in step by triggers. Written
    # out rather than via Table.enable_fts(), whose executescript() would
    # commit half-way through this migration's transaction; the names are the
    # ones sqlite-utils uses, so `sqlite-utils search` and Datasette find it.
    statements += [
        "create virtual table [turns_fts] using FTS5 ([text], tokenize='porter', content=[turns])",
        """create trigger [turns_ai] after insert on [turns] begin
            insert into [turns_fts] (rowid, [text]) values (new.rowid, new.[text]);
        end""",
        """create trigger [turns_ad] after delete on [turns] begin
            insert into [turns_fts] ([turns_fts], rowid, [text]) values ('delete', old.rowid, old.[text]);
        end""",
        """create trigger [turns_au] after update on [turns] begin
            insert into [turns_fts] ([turns_fts], rowid, [text]) values ('delete', old.rowid, old.[text]);
            insert into [turns_fts] (rowid, [text]) values (new.rowid, new.[text]);
        end""",
    ]
    for sql in statements:
        db.execute(sql)


@migration
def m002_moves_and_snapshots(db: Database) -> None:
    # The scenario snapshot table said "scenarios" and sessions pointed at it
    # with an integer "scenario_id", while everywhere else scenario_id is the
    # scenario's text id: name them for what they hold.
    for sql in (
        "alter table scenarios rename to snapshots",
        "alter table snapshots rename column name to scenario_id",
        "alter table sessions rename column scenario_id to snapshot_id",
        "drop index idx_scenarios_name",
        "create index idx_snapshots_scenario on snapshots(scenario_id)",
        "drop index idx_sessions_scenario",
        "create index idx_sessions_snapshot on sessions(snapshot_id)",
        # Practice against a scenario, or a real call imported from a transcript.
        "alter table sessions add column kind text not null default 'practice' check (kind in ('practice', 'call'))",
        # A buyer turn's move (what the director decided, JSON) and the voice that said it.
        "alter table turns add column move text",
        "alter table turns add column voice text",
        # What a rep turn took up from the buyer's last turn (JSON).
        "alter table turns add column uptake text",
        # The rep's words are stored the moment they are sent; 0 until the
        # analyser's labels have been written beside them.
        "alter table turns add column analysed integer not null default 1",
    ):
        db.execute(sql)
