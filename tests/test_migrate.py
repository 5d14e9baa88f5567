"""The exact schema after migrating (after simonw/llm's tests/test_migrate.py)."""

from __future__ import annotations

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
    },
}


def test_schema_after_migrating_is_exactly_this():
    db = Database(memory=True)
    Store(db)
    plain = {t for t in db.table_names() if not t.startswith("turns_fts")}
    assert plain == set(EXPECTED)
    for table, columns in EXPECTED.items():
        assert db[table].columns_dict == columns, table
    assert db["turns"].detect_fts() == "turns_fts"
    assert {fk.other_table for fk in db["sessions"].foreign_keys} == {"reps", "snapshots"}
    assert {fk.other_table for fk in db["turns"].foreign_keys} == {"sessions"}
    assert {fk.other_table for fk in db["comments"].foreign_keys} == {"sessions", "turns"}


def test_migrations_are_recorded_and_run_once():
    db = Database(memory=True)
    Store(db)
    Store(db)  # a second open must not re-run anything
    assert migrations.applied_names(db) == migrations.known_names()
    assert db["_coach_migrations"].count == len(migrations.MIGRATIONS)
