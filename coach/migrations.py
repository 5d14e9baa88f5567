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
    # A migration may rebuild a table others point at (m003): SQLite's
    # procedure for that turns foreign keys off outside the transaction and
    # checks them all before committing (https://sqlite.org/lang_altertable.html).
    enforced = db.execute("pragma foreign_keys").fetchone()[0]
    db.execute("pragma foreign_keys = off")
    try:
        with db.atomic():
            db.execute(_RECORD)
            for fn in todo:
                fn(db)
                db.execute("insert into _coach_migrations (name, applied_at) values (?, ?)", [fn.__name__, now])
            broken = db.execute("pragma foreign_key_check").fetchall()
            if broken:
                raise sqlite3.IntegrityError(f"migrating would break {len(broken)} foreign key(s), first {broken[0]}")
    finally:
        if enforced:
            db.execute("pragma foreign_keys = on")


@migration
def m001_initial(db: Database) -> None:
    # One piece: like every migration, the statements of one schema change,
    # applied in one transaction.
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


@migration
def m003_calls(db: Database) -> None:
    # A real call imported from a transcript is a session of kind 'call': it
    # has no scenario, so sessions.snapshot_id becomes optional (required for
    # practice, absent for calls). SQLite cannot drop a NOT NULL in place: the
    # table is rebuilt with the same ids (migrate() has foreign keys off and
    # checks them before committing).
    for sql in (
        """create table sessions_new (
            id integer primary key,
            rep_id integer not null references reps(id),
            snapshot_id integer references snapshots(id),
            seed integer,
            status text not null default 'in_progress'
                check (status in ('in_progress', 'finished')),
            end_reason text,
            score real,
            scorecard text,
            started_at text not null,
            ended_at text,
            kind text not null default 'practice' check (kind in ('practice', 'call')),
            check ((kind = 'practice') = (snapshot_id is not null))
        )""",
        """insert into sessions_new (id, rep_id, snapshot_id, seed, status, end_reason, score, scorecard,
                                     started_at, ended_at, kind)
           select id, rep_id, snapshot_id, seed, status, end_reason, score, scorecard, started_at, ended_at, kind
           from sessions""",
        "drop table sessions",
        "alter table sessions_new rename to sessions",
        "create index idx_sessions_rep on sessions(rep_id)",
        "create index idx_sessions_snapshot on sessions(snapshot_id)",
        # Who spoke, as the transcript names them ("Dana Okafor"); null in practice.
        "alter table turns add column speaker_name text",
        # Where a call came from; one row per call session.
        """create table calls (
            session_id integer primary key references sessions(id),
            source text not null,
            conversation text not null,
            format text not null,
            sha256 text not null unique,
            rep_speaker text not null,
            rep_chosen_by text not null check (rep_chosen_by in ('option', 'role', 'first_speaker', 'file')),
            summary text not null,
            imported_at text not null
        )""",
    ):
        db.execute(sql)


@migration
def m004_overrides_assignments_comment_edits(db: Database) -> None:
    # One piece: the statements of one schema change, in one transaction.
    statements = [
        # A manager's score beside the machine's, never over it: the latest row
        # per (session, part) is in force; a row with a null score withdraws
        # the override. part is 'total' or a scorecard part's name.
        """create table score_overrides (
            id integer primary key,
            session_id integer not null references sessions(id),
            part text not null,
            score real check (score is null or (score >= 0 and score <= 100)),
            reason text not null,
            author text not null,
            created_at text not null
        )""",
        "create index idx_score_overrides_session on score_overrides(session_id, part)",
        # Every session's score as reviewed: the machine's score, and the one in
        # force (a total override, else the machine's total moved by each part
        # override times that part's weight, kept within 0-100).
        """create view session_scores as
        with latest as (
            select o.session_id, o.part, o.score from score_overrides o
            where o.id = (select max(o2.id) from score_overrides o2
                          where o2.session_id = o.session_id and o2.part = o.part)
              and o.score is not null
        )
        select s.id as session_id,
               s.score as machine_score,
               coalesce(
                   (select l.score from latest l where l.session_id = s.id and l.part = 'total'),
                   case when s.score is null then null else max(0, min(100, round(s.score + coalesce(
                       (select sum(sc.weight * (l.score - sc.score)) from latest l
                        join scores sc on sc.session_id = l.session_id and sc.part = l.part
                        where l.session_id = s.id), 0)))) end
               ) as score,
               exists (select 1 from latest l where l.session_id = s.id) as overridden
        from sessions s""",
        # A scenario a manager gives a rep to pass by a date.
        """create table assignments (
            id integer primary key,
            rep_id integer not null references reps(id),
            scenario_id text not null,
            pass_mark real not null check (pass_mark >= 0 and pass_mark <= 100),
            due_on text not null,
            assigned_by text not null,
            note text,
            created_at text not null
        )""",
        "create index idx_assignments_rep on assignments(rep_id)",
        # Comments are edited and deleted in place, saying who and when; the
        # text an edit replaced is kept in comment_edits, and a deleted comment
        # stays in the table (hidden from readers), so nothing is lost.
        "alter table comments add column edited_at text",
        "alter table comments add column edited_by text",
        "alter table comments add column deleted_at text",
        "alter table comments add column deleted_by text",
        """create table comment_edits (
            id integer primary key,
            comment_id integer not null references comments(id),
            previous_text text not null,
            edited_by text not null,
            edited_at text not null
        )""",
        "create index idx_comment_edits_comment on comment_edits(comment_id)",
        # Search covers comments too (written out as for turns_fts in m001).
        "create virtual table [comments_fts] using FTS5 ([text], tokenize='porter', content=[comments])",
        """create trigger [comments_ai] after insert on [comments] begin
            insert into [comments_fts] (rowid, [text]) values (new.rowid, new.[text]);
        end""",
        """create trigger [comments_ad] after delete on [comments] begin
            insert into [comments_fts] ([comments_fts], rowid, [text]) values ('delete', old.rowid, old.[text]);
        end""",
        """create trigger [comments_au] after update on [comments] begin
            insert into [comments_fts] ([comments_fts], rowid, [text]) values ('delete', old.rowid, old.[text]);
            insert into [comments_fts] (rowid, [text]) values (new.rowid, new.[text]);
        end""",
        "insert into [comments_fts] ([comments_fts]) values ('rebuild')",
    ]
    for sql in statements:
        db.execute(sql)
