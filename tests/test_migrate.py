"""The exact schema after migrating (after simonw/llm's tests/test_migrate.py)."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from coach import migrations
from coach.store import Store

EXPECTED = {
    "_coach_migrations": {"name": str, "applied_at": str},
    "reps": {"id": int, "name": str, "created_at": str},
    "snapshots": {
        "id": int,
        "scenario_id": str,
        "title": str,
        "source": str,
        "yaml": str,
        "sha256": str,
        "created_at": str,
    },
    "sessions": {
        "id": int,
        "rep_id": int,
        "snapshot_id": int,
        "seed": int,
        "status": str,
        "end_reason": str,
        "score": float,
        "scorecard": str,
        "started_at": str,
        "ended_at": str,
        "kind": str,
    },
    "turns": {
        "id": int,
        "session_id": int,
        "idx": int,
        "speaker": str,
        "text": str,
        "trust": float,
        "revealed": str,
        "tips": str,
        "questions": int,
        "words": int,
        "hint": int,
        "created_at": str,
        "move": str,
        "voice": str,
        "uptake": str,
        "analysed": int,
        "speaker_name": str,
    },
    "turn_labels": {"turn_id": int, "label": str},
    "evidence": {
        "id": int,
        "turn_id": int,
        "label": str,
        "start": int,
        "end": int,
        "quote": str,
        "why": str,
    },
    "scores": {
        "session_id": int,
        "part": str,
        "score": float,
        "weight": float,
        "best_turn": int,
        "worst_turn": int,
        "advice": str,
    },
    "comments": {
        "id": int,
        "session_id": int,
        "turn_id": int,
        "author": str,
        "text": str,
        "created_at": str,
        "edited_at": str,
        "edited_by": str,
        "deleted_at": str,
        "deleted_by": str,
    },
    "calls": {
        "session_id": int,
        "source": str,
        "conversation": str,
        "format": str,
        "sha256": str,
        "rep_speaker": str,
        "rep_chosen_by": str,
        "summary": str,
        "imported_at": str,
    },
    "score_overrides": {
        "id": int,
        "session_id": int,
        "part": str,
        "score": float,
        "reason": str,
        "author": str,
        "created_at": str,
    },
    "assignments": {
        "id": int,
        "rep_id": int,
        "scenario_id": str,
        "pass_mark": float,
        "due_on": str,
        "assigned_by": str,
        "note": str,
        "created_at": str,
    },
    "comment_edits": {
        "id": int,
        "comment_id": int,
        "previous_text": str,
        "edited_by": str,
        "edited_at": str,
    },
}


def test_schema_after_migrating_is_exactly_this():
    db = Database(memory=True)
    Store(db)
    plain = {t for t in db.table_names() if not t.startswith(("turns_fts", "comments_fts"))}
    assert plain == set(EXPECTED)
    for table, columns in EXPECTED.items():
        assert db[table].columns_dict == columns, table
    assert db["turns"].detect_fts() == "turns_fts"
    assert db["comments"].detect_fts() == "comments_fts"
    assert db.view_names() == ["session_scores"]
    assert db["session_scores"].columns_dict == {
        "session_id": int, "machine_score": float, "score": str, "overridden": str}
    assert {fk.other_table for fk in db["sessions"].foreign_keys} == {"reps", "snapshots"}
    assert {fk.other_table for fk in db["turns"].foreign_keys} == {"sessions"}
    assert {fk.other_table for fk in db["comments"].foreign_keys} == {"sessions", "turns"}
    assert {fk.other_table for fk in db["calls"].foreign_keys} == {"sessions"}
    assert {fk.other_table for fk in db["score_overrides"].foreign_keys} == {"sessions"}
    assert {fk.other_table for fk in db["assignments"].foreign_keys} == {"reps"}


def test_migrations_are_recorded_and_run_once():
    db = Database(memory=True)
    Store(db)
    Store(db)  # a second open must not re-run anything
    assert migrations.applied_names(db) == migrations.known_names()
    assert db["_coach_migrations"].count == len(migrations.MIGRATIONS)


def test_a_database_with_sessions_migrates_from_m002_keeping_everything(tmp_path):
    """m003 rebuilds `sessions` (a call has no scenario snapshot): an older
    database's sessions, turns, scores and comments come through it intact,
    with foreign keys enforced on the connection."""
    import sqlite3

    conn = sqlite3.connect(tmp_path / "old.db")
    db = Database(conn)
    db.execute("create table _coach_migrations (name text primary key, applied_at text not null)")
    for fn in migrations.MIGRATIONS[:2]:
        fn(db)
        db.execute("insert into _coach_migrations values (?, 'then')", [fn.__name__])
    db.execute("insert into reps values (1, 'ana', 'then')")
    db.execute("insert into snapshots values (1, 'outage', 'After the outage', 'builtin', 'id: x', 'abc', 'then')")
    db.execute("insert into sessions (id, rep_id, snapshot_id, status, score, started_at) values (7, 1, 1, 'finished', 64, 'then')")
    db.execute("insert into turns (id, session_id, idx, speaker, text, created_at) values (3, 7, 0, 'rep', 'Hello?', 'then')")
    db.execute("insert into scores values (7, 'questions', 50, 0.3, null, null, 'ask')")
    db.execute("insert into comments values (1, 7, 3, 'maria', 'Nice opening', 'then')")
    conn.commit()
    db.execute("pragma foreign_keys = on")

    store = Store(db)
    s = store.session(7)
    assert (s.rep, s.kind, s.scenario_id, s.score, s.turns[0].text) == ("ana", "practice", "outage", 64, "Hello?")
    assert [c.text for c in s.comments] == ["Nice opening"]
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert [h.text for h in store.search("opening")] == ["Nice opening"]  # old comments are searchable
    # A practice session still needs its snapshot; a call must not have one.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into sessions (rep_id, kind, started_at) values (1, 'practice', 'now')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into sessions (rep_id, snapshot_id, kind, started_at) values (1, 1, 'call', 'now')")
