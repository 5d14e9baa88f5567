"""Sessions, turns, labels, scores and manager comments in one SQLite file.

``Store(db)`` is handed a ``sqlite_utils.Database`` and migrates it on init
(after simonw/llm's ``LogStore``). ``open_store(path)`` opens a file the way the
CLI and the app need it: WAL and a busy timeout so a rep practising and a
manager reviewing can share one file, and one-line ``StoreError`` messages for
a database that is newer than this code, corrupt, read-only or locked, without
touching its data.

Every turn is written (and committed) the moment ``add_turn`` is called.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlite_utils import Database

from coach import migrations
from coach.analysis.language import word_count
from coach.analysis.types import Evidence
from coach.session import (
    Assignment,
    CallRecord,
    CommentRecord,
    ScoreOverride,
    SearchHit,
    SessionRecord,
    ScoreRow,
    SessionSummary,
    TrendPoint,
    TurnRecord,
    name_key,
    same_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.scoring import Scorecard
    from coach.buyer.move import BuyerTurn
    from coach.scenario import Scenario

#: How long a writer waits for another program's lock before giving up.
BUSY_TIMEOUT_S = 5.0


class StoreError(Exception):
    """A database problem the user can act on, as one line."""


class SearchError(StoreError):
    """A search query that full-text search cannot read, as one line."""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _describe(path: object, exc: sqlite3.Error) -> str:
    msg = str(exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return f"{path}: database is locked by another program (waited {BUSY_TIMEOUT_S:g} s); try again when it is done"
    if "readonly" in low or "read-only" in low:
        return f"{path}: database is read-only; check the file's permissions or pass --db with a writable file"
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return f"{path}: not a coach database or corrupt ({msg}); nothing was changed"
    if "unable to open" in low:
        return f"{path}: cannot open database file (does its folder exist and is it writable?)"
    # A full disk shows as SQLITE_FULL, or as a plain I/O error when the write
    # that failed was the journal's: the free space tells them apart.
    if "disk is full" in low or ("disk i/o error" in low and _free_bytes(path) < _FULL_BELOW):
        return f"{path}: the disk is full; free some space and try again (the last change was not saved)"
    if "disk i/o error" in low:
        return f"{path}: the disk failed to read or write the database (disk I/O error); is it still attached?"
    return f"{path}: database error: {msg}"


#: Less free space than this beside the database counts as a full disk.
_FULL_BELOW = 1 << 20


def _free_bytes(path: object) -> int:
    import shutil

    try:
        return shutil.disk_usage(Path(str(path)).parent).free
    except (OSError, ValueError):
        return _FULL_BELOW


class Store:
    """The coach database: hand it a ``sqlite_utils.Database``; it migrates on init."""

    def __init__(self, db: Database, *, now=utcnow, migrate: bool = True, name: str | None = None) -> None:
        self.db = db
        self._now = now
        self._lock = threading.RLock()
        self._name = name or ("database" if db.memory else _db_file(db))
        # Rep names match without regard to case (session.name_key) wherever
        # sessions are looked up by rep: SQLite's own NOCASE folds ASCII only.
        db.conn.create_function("coach_name_key", 1, _sql_name_key, deterministic=True)
        with self._guard():
            newer = migrations.unknown(db)
            if newer:
                raise StoreError(
                    f"{self._name}: written by a newer version of coach (schema {newer[-1]}); "
                    "upgrade coach to open it; nothing was changed"
                )
            if migrate and migrations.pending(db):
                # Under the write lock, where migrate() looks again at what is
                # pending: two programs opening a new file together would
                # otherwise both run the first migration. Foreign keys go off
                # first, outside the transaction (SQLite ignores the pragma
                # inside one): a migration may rebuild a table others point at,
                # and migrate() checks every key before it commits.
                db.execute("pragma foreign_keys = off")
                with self._write():
                    migrations.migrate(db, self._now())
            elif migrations.pending(db):
                raise StoreError(
                    f"{self._name}: needs a schema upgrade but is opened read-only; nothing was changed"
                )
            db.execute("pragma foreign_keys = on")

    # -- plumbing -----------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Serialise access across threads and turn sqlite errors into one line."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise StoreError(_describe(self._name, exc)) from exc
            except OverflowError as exc:  # sqlite3 refuses ints past 64 bits before SQLite sees them
                raise StoreError(f"{self._name}: a number is too large for the database ({exc})") from exc

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """One write transaction, begun with BEGIN IMMEDIATE.

        sqlite-utils' ``atomic()`` begins with a deferred BEGIN: every write
        here reads first (the next turn number, the rep's id), so the
        transaction starts as a reader and must then upgrade to a writer. If
        another process wrote in between, SQLite fails that upgrade at once
        with SQLITE_BUSY (its snapshot is stale) and the busy timeout never
        applies: two practising reps failed 30 of 40 sessions that way.
        IMMEDIATE takes the write lock first, waiting up to the busy timeout
        for it, so the reads see the latest data and the writes cannot fail
        for being late. A nested call becomes a savepoint.
        """
        with self._guard():
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[Database]:
        """A read of several statements from one snapshot: a session and its
        turns, counts and comments as they were at one moment, not with a turn
        another process added between two of the queries."""
        with self._guard():
            conn = self.db.conn
            if conn.in_transaction:
                yield self.db
                return
            conn.execute("BEGIN")
            try:
                yield self.db
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows read by column name without a dict per row (sqlite3.Row is C):
        what reading 200,000 turns for an export needs."""
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        try:
            return cursor.execute(sql, list(params)).fetchall()
        finally:
            cursor.close()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    # -- writing ------------------------------------------------------------

    def _rep_id(self, name: str) -> int:
        # "Ana" is the rep "ana" already stored: one person, one row, whatever the case.
        row = self._one("select id from reps where coach_name_key(name) = ? order by name = ? desc, id limit 1",
                        [name_key(name), name])
        if row:
            return row["id"]
        return self.db.execute(
            "insert into reps (name, created_at) values (?, ?)", [name, self._now()]
        ).lastrowid

    def _snapshot_row(self, scenario_id: str, title: str, yaml_text: str, source: str) -> int:
        digest = hashlib.sha256(yaml_text.encode("utf-8", "surrogatepass")).hexdigest()
        row = self._one("select id from snapshots where sha256 = ?", [digest])
        if row:
            return row["id"]
        return self.db.execute(
            "insert into snapshots (scenario_id, title, source, yaml, sha256, created_at) values (?, ?, ?, ?, ?, ?)",
            [scenario_id, title, source, yaml_text, digest, self._now()],
        ).lastrowid

    def start_session(
        self,
        *,
        rep: str,
        scenario_id: str,
        scenario_title: str,
        scenario_yaml: str,
        scenario_source: str = "builtin",
        seed: int | None = None,
        kind: str = "practice",
    ) -> int:
        """Record a new session (and a snapshot of its scenario); returns its id."""
        with self._write() as db:
            rep_id = self._rep_id(rep)
            snap = self._snapshot_row(scenario_id, scenario_title, scenario_yaml, scenario_source)
            return db.execute(
                "insert into sessions (rep_id, snapshot_id, seed, kind, started_at) values (?, ?, ?, ?, ?)",
                [rep_id, snap, seed, kind, self._now()],
            ).lastrowid

    def add_turn(
        self,
        session_id: int,
        *,
        speaker: str,
        text: str,
        analysed: AnalysedTurn | None = None,
        reply: BuyerTurn | None = None,
        trust: float | None = None,
        revealed: Sequence[str] = (),
        hint: bool = False,
    ) -> int:
        """Store one turn now; returns the turn id.

        A rep turn may come without ``analysed``: the words are kept at once
        and :meth:`label_turn` adds the analyser's labels when they are ready.
        A buyer turn carries its ``reply`` (move and voice)."""
        if speaker not in ("rep", "buyer"):
            raise ValueError(f"speaker must be 'rep' or 'buyer', not {speaker!r}")
        if reply is not None:
            trust = reply.move.trust_after if trust is None else trust
            revealed = revealed or reply.move.revealed
        with self._write() as db:
            row = self._one("select coalesce(max(idx) + 1, 0) as n from turns where session_id = ?", [session_id])
            idx = row["n"] if row else 0
            turn_id = db.execute(
                "insert into turns (session_id, idx, speaker, text, trust, revealed, tips, questions, words, hint,"
                " created_at, move, voice, analysed) values (?, ?, ?, ?, ?, ?, '[]', null, ?, ?, ?, ?, ?, ?)",
                [
                    session_id,
                    idx,
                    speaker,
                    text,
                    trust,
                    json.dumps(list(revealed)),
                    word_count(text),
                    int(hint),
                    self._now(),
                    json.dumps(reply.move.to_dict()) if reply is not None else None,
                    reply.voice if reply is not None else None,
                    int(speaker == "buyer"),
                ],
            ).lastrowid
            if analysed is not None:
                self._label(db, turn_id, analysed)
            return turn_id

    def label_turn(self, turn_id: int, analysed: AnalysedTurn) -> None:
        """Write the analyser's labels, evidence, tips and uptake beside a stored rep turn."""
        with self._write() as db:
            self._label(db, turn_id, analysed)

    def _label(self, db: Database, turn_id: int, analysed: AnalysedTurn) -> None:
        db.execute("delete from turn_labels where turn_id = ?", [turn_id])
        db.execute("delete from evidence where turn_id = ?", [turn_id])
        db.execute(
            "update turns set tips = ?, questions = ?, words = ?, uptake = ?, analysed = 1 where id = ?",
            [json.dumps(list(analysed.tips)), analysed.questions, analysed.words,
             json.dumps(analysed.uptake.to_dict()), turn_id],
        )
        for label in dict.fromkeys(analysed.labels):
            db.execute("insert into turn_labels (turn_id, label) values (?, ?)", [turn_id, label])
        for ev in analysed.evidence:
            db.execute(
                'insert into evidence (turn_id, label, start, "end", quote, why) values (?, ?, ?, ?, ?, ?)',
                [turn_id, ev.label, ev.start, ev.end, ev.quote, ev.why],
            )

    def finish_session(self, session_id: int, *, scorecard: Scorecard, end_reason: str) -> None:
        """Mark a session finished with its scorecard (the parts also go to `scores`)."""
        with self._write() as db:
            db.execute(
                "update sessions set status = 'finished', end_reason = ?, score = ?, scorecard = ?, ended_at = ? where id = ?",
                [end_reason, scorecard.total, json.dumps(scorecard.to_dict()), self._now(), session_id],
            )
            db.execute("delete from scores where session_id = ?", [session_id])
            for part in scorecard.parts:
                db.execute(
                    "insert into scores (session_id, part, score, weight, best_turn, worst_turn, advice) values (?, ?, ?, ?, ?, ?, ?)",
                    [
                        session_id,
                        part.name,
                        part.score,
                        part.weight,
                        part.best.turn if part.best else None,
                        part.worst.turn if part.worst else None,
                        part.advice,
                    ],
                )

    def discard_if_unused(self, session_id: int) -> bool:
        """Delete an unfinished session in which the rep said nothing and nobody
        commented (a scenario opened and left), so it does not linger as an
        empty "unfinished" session. Returns whether it was deleted."""
        with self._write() as db:
            used = self._one(
                """select 1 from sessions s where s.id = ? and (s.status = 'finished'
                   or exists (select 1 from turns where session_id = s.id and speaker = 'rep')
                   or exists (select 1 from comments where session_id = s.id))""",
                [session_id],
            )
            if used or self._one("select 1 from sessions where id = ?", [session_id]) is None:
                return False
            turns = "select id from turns where session_id = ?"
            db.execute(f"delete from turn_labels where turn_id in ({turns})", [session_id])
            db.execute(f"delete from evidence where turn_id in ({turns})", [session_id])
            for table in ("turns", "scores"):
                db.execute(f"delete from {table} where session_id = ?", [session_id])
            db.execute("delete from sessions where id = ?", [session_id])
            return True

    def add_comment(self, session_id: int, *, author: str, text: str, turn_id: int | None = None) -> int:
        """A manager's comment on a session or one of its turns; returns its id."""
        if not text.strip():
            raise ValueError("a comment needs some text")
        if not author.strip():
            raise ValueError("a comment needs an author")
        with self._write() as db:
            if turn_id is not None:
                owner = self._one("select session_id from turns where id = ?", [turn_id])
                if not owner or owner["session_id"] != session_id:
                    raise ValueError(f"turn {turn_id} is not part of session {session_id}")
            return db.execute(
                "insert into comments (session_id, turn_id, author, text, created_at) values (?, ?, ?, ?, ?)",
                [session_id, turn_id, author, text, self._now()],
            ).lastrowid

    def edit_comment(self, comment_id: int, *, text: str, editor: str) -> CommentRecord:
        """Change a comment's text, saying who and when; the old text is kept in comment_edits."""
        if not text.strip():
            raise ValueError("a comment needs some text (to remove it, delete it)")
        if not editor.strip():
            raise ValueError("an edit needs an editor's name")
        with self._write() as db:
            row = self._own_comment(comment_id, editor, "edit")
            now = self._now()
            db.execute(
                "insert into comment_edits (comment_id, previous_text, edited_by, edited_at) values (?, ?, ?, ?)",
                [comment_id, row["text"], editor, now],
            )
            db.execute("update comments set text = ?, edited_at = ?, edited_by = ? where id = ?",
                       [text, now, editor, comment_id])
            return CommentRecord(**{**self._comment_row(comment_id)})

    def delete_comment(self, comment_id: int, *, by: str) -> CommentRecord:
        """Hide a comment from every reader, saying who and when (the row stays)."""
        with self._write() as db:
            self._own_comment(comment_id, by, "delete")
            db.execute("update comments set deleted_at = ?, deleted_by = ? where id = ?", [self._now(), by, comment_id])
            return CommentRecord(**self._comment_row(comment_id))

    def comment(self, comment_id: int) -> CommentRecord:
        """One comment that has not been deleted (StoreError if none)."""
        with self._guard():
            self._live_comment(comment_id)
            return CommentRecord(**self._comment_row(comment_id))

    def _live_comment(self, comment_id: int) -> dict:
        row = self._one("select text, author, deleted_at from comments where id = ?", [comment_id])
        if row is None or row["deleted_at"] is not None:
            raise StoreError(f"{self._name}: no comment {comment_id}" + (" (it was deleted)" if row else ""))
        return row

    def _own_comment(self, comment_id: int, who: str, verb: str) -> dict:
        """The comment, if ``who`` wrote it: a reviewer's words are theirs to
        change, nobody else's (ValueError naming the author otherwise)."""
        row = self._live_comment(comment_id)
        if not same_name(row["author"], who):
            raise ValueError(f"comment {comment_id} was written by {row['author']}: only {row['author']} can {verb} it"
                             f" (you are {who})")
        return row

    def _comment_row(self, comment_id: int) -> dict:
        return self._one(
            "select id, session_id, turn_id, author, text, created_at, edited_at, edited_by from comments where id = ?",
            [comment_id],
        )

    def override_score(self, session_id: int, *, part: str = "total", score: float | None, reason: str,
                       author: str) -> ScoreOverride:
        """Record a manager's score for a session (``part`` "total") or one part
        of its scorecard, beside the machine's; ``score`` None withdraws the
        override in force. Raises ValueError for a part the session has not."""
        if not reason.strip():
            raise ValueError("an override needs a reason (reps see it beside the score)")
        if not author.strip():
            raise ValueError("an override needs an author")
        if score is not None and not 0 <= score <= 100:
            raise ValueError(f"a score is 0-100, not {score:g}")
        with self._write() as db:
            row = self._one("select status, scorecard from sessions where id = ?", [session_id])
            if row is None:
                raise StoreError(f"{self._name}: no session {session_id}")
            if part != "total":
                parts = [r["part"] for r in db.query("select part from scores where session_id = ? order by rowid",
                                                     [session_id])]
                if part not in parts:
                    have = ", ".join(["total", *parts])
                    raise ValueError(f"session {session_id} has no score part {part!r} (it has: {have})")
            elif row["status"] != "finished":
                raise ValueError(f"session {session_id} is unfinished: score it when it is over")
            oid = db.execute(
                "insert into score_overrides (session_id, part, score, reason, author, created_at)"
                " values (?, ?, ?, ?, ?, ?)",
                [session_id, part, score, reason, author, self._now()],
            ).lastrowid
            return ScoreOverride(**self._one(
                "select id, session_id, part, score, reason, author, created_at from score_overrides where id = ?",
                [oid]))

    def add_assignment(self, *, rep: str, scenario_id: str, pass_mark: float, due_on: str, assigned_by: str,
                       note: str | None = None) -> int:
        """Give a rep a scenario to pass with ``pass_mark`` by ``due_on`` (YYYY-MM-DD); returns its id."""
        if not 0 <= pass_mark <= 100:
            raise ValueError(f"a pass mark is 0-100, not {pass_mark:g}")
        with self._write() as db:
            return db.execute(
                "insert into assignments (rep_id, scenario_id, pass_mark, due_on, assigned_by, note, created_at)"
                " values (?, ?, ?, ?, ?, ?, ?)",
                [self._rep_id(rep), scenario_id, pass_mark, due_on, assigned_by, note, self._now()],
            ).lastrowid

    def remove_assignment(self, assignment_id: int) -> None:
        with self._write() as db:
            if db.execute("delete from assignments where id = ?", [assignment_id]).rowcount == 0:
                raise StoreError(f"{self._name}: no assignment {assignment_id}")

    def assignments(self, rep: str | None = None) -> list[Assignment]:
        """Assignments, soonest due first."""
        sql = ("select a.id, r.name as rep, a.scenario_id, a.pass_mark, a.due_on, a.assigned_by, a.note, a.created_at"
               " from assignments a join reps r on r.id = a.rep_id")
        params: list[Any] = []
        if rep is not None:
            sql += " where coach_name_key(r.name) = ?"
            params.append(name_key(rep))
        with self._guard():
            return [Assignment(**row) for row in self.db.query(sql + " order by a.due_on, a.id", params)]

    def call_session_id(self, sha256: str) -> tuple[int, str] | None:
        """The session holding the call with this content hash, and the speaker
        taken as its rep; None if it was never imported."""
        with self._guard():
            row = self._one("select session_id, rep_speaker from calls where sha256 = ?", [sha256])
        return (row["session_id"], row["rep_speaker"]) if row else None

    def relabel_call(
        self,
        session_id: int,
        *,
        rep: str,
        turns: Sequence[tuple[str, str, str | None, AnalysedTurn | None]],
        call: CallRecord,
    ) -> None:
        """A stored call read again with another speaker as the rep (the buyer
        spoke first and --rep says so): the same turns, so their ids and the
        comments on them stay; sides, labels, the rep and the summary change."""
        with self._write() as db:
            stored = [r["id"] for r in db.query("select id from turns where session_id = ? order by idx", [session_id])]
            if len(stored) != len(turns):
                raise StoreError(f"{self._name}: session {session_id} does not hold this call's {len(turns)} turns")
            for turn_id, (speaker, _text, _name, analysed) in zip(stored, turns):
                db.execute("delete from turn_labels where turn_id = ?", [turn_id])
                db.execute("delete from evidence where turn_id = ?", [turn_id])
                db.execute("update turns set speaker = ?, tips = '[]', questions = null, uptake = null, analysed = ?"
                           " where id = ?", [speaker, int(speaker == "buyer"), turn_id])
                if analysed is not None:
                    self._label(db, turn_id, analysed)
            db.execute("update sessions set rep_id = ? where id = ?", [self._rep_id(rep), session_id])
            db.execute("update calls set rep_speaker = ?, rep_chosen_by = ?, summary = ? where session_id = ?",
                       [call.rep_speaker, call.rep_chosen_by, json.dumps(call.summary), session_id])

    def import_call(
        self,
        *,
        rep: str,
        turns: Sequence[tuple[str, str, str | None, AnalysedTurn | None]],
        call: CallRecord,
        started_at: str | None = None,
    ) -> tuple[int, bool]:
        """Store an analysed call as a finished session of kind "call", in one
        transaction. ``turns`` are (speaker, text, name as the transcript says,
        analysis of a rep turn). Returns (session id, True), or the id of the
        session already holding a call with the same ``call.sha256`` and False."""
        with self._write() as db:
            row = self._one("select session_id from calls where sha256 = ?", [call.sha256])
            if row is not None:
                return row["session_id"], False
            now = self._now()
            sid = db.execute(
                "insert into sessions (rep_id, snapshot_id, kind, status, started_at, ended_at)"
                " values (?, null, 'call', 'finished', ?, ?)",
                [self._rep_id(rep), started_at or now, started_at or now],
            ).lastrowid
            for idx, (speaker, text, name, analysed) in enumerate(turns):
                turn_id = db.execute(
                    "insert into turns (session_id, idx, speaker, text, speaker_name, words, created_at, analysed)"
                    " values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [sid, idx, speaker, text, name, word_count(text), now, int(speaker == "buyer")],
                ).lastrowid
                if analysed is not None:
                    self._label(db, turn_id, analysed)
            db.execute(
                "insert into calls (session_id, source, conversation, format, sha256, rep_speaker, rep_chosen_by,"
                " summary, imported_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sid, call.source, call.conversation, call.format, call.sha256, call.rep_speaker, call.rep_chosen_by,
                 json.dumps(call.summary), now],
            )
            return sid, True

    # -- reading ------------------------------------------------------------

    _SESSION_SELECT = """
        select s.id, r.name as rep, s.kind, coalesce(sn.scenario_id, '') as scenario_id,
               coalesce(sn.title, c.conversation, '') as scenario_title, s.seed,
               s.status, s.end_reason, s.score, s.started_at, s.ended_at,
               (select count(*) from turns t where t.session_id = s.id and t.speaker = 'rep') as rep_turns,
               (select count(*) from comments c where c.session_id = s.id and c.deleted_at is null) as comment_count,
               ss.score as final_score, ss.overridden
        from sessions s join reps r on r.id = s.rep_id left join snapshots sn on sn.id = s.snapshot_id
        left join calls c on c.session_id = s.id join session_scores ss on ss.session_id = s.id
    """

    @staticmethod
    def _filters(rep: str | None = None, scenario_id: str | None = None, status: str | None = None,
                 kind: str | None = None, since: str | None = None, until: str | None = None,
                 ids: Sequence[int] | None = None) -> tuple[str, list[Any]]:
        """The where clause (over _SESSION_SELECT's aliases) for the usual session filters."""
        where: list[str] = []
        params: list[Any] = []
        if rep is not None:
            where.append("coach_name_key(r.name) = ?")
            params.append(name_key(rep))
        for column, value in (("sn.scenario_id", scenario_id), ("s.status", status), ("s.kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append("s.started_at >= ?")
            params.append(since)
        if until is not None:
            where.append("s.started_at < ?")
            params.append(until)
        if ids is not None:
            where.append(f"s.id in ({','.join('?' * len(ids))})")
            params += list(ids)
        return (" where " + " and ".join(where) if where else ""), params

    def sessions(
        self,
        *,
        rep: str | None = None,
        scenario_id: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[SessionSummary]:
        """Sessions, newest first, each with its flag counts (label -> number of rep turns).
        ``since``/``until``: ISO dates or times bounding when they started."""
        where, params = self._filters(rep, scenario_id, status, kind, since, until)
        sql = self._SESSION_SELECT + where + " order by s.started_at desc, s.id desc"
        if limit is not None:
            sql += " limit ?"
            params.append(int(limit))
        with self._read():
            rows = self._rows(sql, params)
            counts: dict[int, dict[str, int]] = {r["id"]: {} for r in rows}
            if limit is None and not where:  # every session: one pass, no list of ids
                label_rows = self.db.execute(
                    "select t.session_id, l.label, count(*) from turn_labels l join turns t on t.id = l.turn_id"
                    " group by t.session_id, l.label").fetchall()
            else:
                label_rows = []
                for chunk in _chunked(list(counts), 900):
                    label_rows += self.db.execute(
                        "select t.session_id, l.label, count(*) from turn_labels l join turns t on t.id = l.turn_id"
                        f" where t.session_id in ({','.join('?' * len(chunk))}) group by t.session_id, l.label",
                        chunk).fetchall()
            for session_id, label, n in label_rows:
                counts[session_id][label] = n
        return [SessionSummary(**{**dict(r), "overridden": bool(r["overridden"])}, labels=counts[r["id"]])
                for r in rows]

    def session(self, session_id: int) -> SessionRecord:
        """One session, typed: its turns (analysed rep turns, buyer moves), comments,
        scorecard, overrides and the scenario snapshot it was played on, loaded."""
        records = self._records([session_id])
        if not records:
            raise StoreError(f"{self._name}: no session {session_id}")
        return records[0]

    def records(
        self,
        session_ids: Sequence[int] | None = None,
        *,
        rep: str | None = None,
        scenario_id: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
        batch: int = 200,
    ) -> Iterator[SessionRecord]:
        """Whole sessions, oldest first (or in ``session_ids``' order), built
        ``batch`` at a time with a few queries per batch, each scenario
        snapshot loaded once: what exports of many sessions read."""
        if session_ids is not None:
            wanted = list(dict.fromkeys(int(i) for i in session_ids))
            with self._guard():
                found = {r["id"] for chunk in _chunked(wanted, 900) for r in self.db.query(
                    f"select id from sessions where id in ({','.join('?' * len(chunk))})", chunk)}
            missing = [i for i in wanted if i not in found]
            if missing:
                raise StoreError(f"{self._name}: no session {', '.join(map(str, missing))}")
            ids = wanted
        else:
            where, params = self._filters(rep, scenario_id, status, kind, since, until)
            with self._guard():
                ids = [r["id"] for r in self.db.query(
                    "select s.id from sessions s join reps r on r.id = s.rep_id left join snapshots sn"
                    f" on sn.id = s.snapshot_id{where} order by s.started_at, s.id", params)]
        return self._in_batches(ids, batch)

    def _in_batches(self, ids: list[int], batch: int) -> Iterator[SessionRecord]:
        # A generator of its own, so that records() checks the ids when it is
        # called: a missing one is an error before an export writes anything.
        snapshots: dict[str, tuple[Scenario | None, str | None]] = {}
        for chunk in _chunked(ids, batch):
            yield from self._records(chunk, snapshots)

    def _records(self, ids: Sequence[int], snapshots: dict | None = None) -> list[SessionRecord]:
        # Scoring pulls in the scenario models (pydantic): only readers of whole
        # sessions pay for it, not `coach team` or `coach sessions`.
        from coach.analysis.types import AnalysedTurn, Uptake
        from coach.buyer.move import BuyerMove, BuyerTurn
        from coach.scoring import Scorecard

        types = (AnalysedTurn, Uptake, BuyerMove, BuyerTurn)
        snapshots = {} if snapshots is None else snapshots
        rows = self._session_rows(ids)
        out = []
        for sid in ids:
            head, extra = rows.heads.get(sid), rows.extras.get(sid)
            if head is None:
                continue
            if extra["sha256"] is None:  # a call: no scenario
                scenario, error = None, None
            else:
                if extra["sha256"] not in snapshots:
                    snapshots[extra["sha256"]] = _load_snapshot(extra["yaml"], head["scenario_title"])
                scenario, error = snapshots[extra["sha256"]]
            card = json.loads(extra["scorecard"]) if extra["scorecard"] else None
            comments = rows.comments[sid]
            out.append(SessionRecord(
                id=head["id"],
                rep=head["rep"],
                kind=head["kind"],
                scenario_id=head["scenario_id"],
                scenario_title=head["scenario_title"],
                scenario_source=extra["source"] or "",
                scenario_yaml=extra["yaml"] or "",
                scenario=scenario,
                scenario_error=error,
                seed=head["seed"],
                status=head["status"],
                end_reason=head["end_reason"],
                score=head["score"],
                started_at=head["started_at"],
                ended_at=head["ended_at"],
                turns=_turn_records(rows, sid, comments, types),
                comments=tuple(comments),
                scorecard=Scorecard.from_dict(card) if isinstance(card, dict) else None,
                final_score=head["final_score"],
                overrides=tuple(rows.overrides[sid]),
                call=rows.calls.get(sid),
            ))
        return out

    def _session_rows(self, ids: Sequence[int]) -> "_SessionRows":
        """Every row behind these sessions, read in one snapshot: a session and
        its turns, labels, evidence, comments and overrides from one moment."""
        marks = ",".join("?" * len(ids))
        with self._read():
            heads = {h["id"]: h for h in self.db.query(self._SESSION_SELECT + f" where s.id in ({marks})", list(ids))}
            extras = {
                e["id"]: e
                for e in self.db.query(
                    "select s.id, sn.yaml, sn.source, sn.sha256, s.scorecard from sessions s"
                    f" left join snapshots sn on sn.id = s.snapshot_id where s.id in ({marks})",
                    list(ids),
                )
            }
            turns: dict[int, list[sqlite3.Row]] = {i: [] for i in heads}
            for t in self._rows(f"select * from turns where session_id in ({marks}) order by session_id, idx", ids):
                turns[t["session_id"]].append(t)
            labels: dict[int, list[str]] = {}
            evidence: dict[int, list[Evidence]] = {}
            for turn_id, label in self.db.execute(
                f"select l.turn_id, l.label from turn_labels l join turns t on t.id = l.turn_id"
                f" where t.session_id in ({marks}) order by l.rowid", list(ids)
            ).fetchall():
                labels.setdefault(turn_id, []).append(label)
            for turn_id, *ev in self.db.execute(
                f'select e.turn_id, e.label, e.start, e."end", e.quote, e.why from evidence e join turns t on t.id = e.turn_id'
                f" where t.session_id in ({marks}) order by e.id", list(ids)
            ).fetchall():
                evidence.setdefault(turn_id, []).append(Evidence(*ev))
            comments: dict[int, list[CommentRecord]] = {i: [] for i in heads}
            for c in self.db.query(
                "select id, session_id, turn_id, author, text, created_at, edited_at, edited_by from comments"
                f" where session_id in ({marks}) and deleted_at is null order by created_at, id", list(ids)
            ):
                comments[c["session_id"]].append(CommentRecord(**c))
            overrides: dict[int, list[ScoreOverride]] = {i: [] for i in heads}
            for o in self.db.query(
                "select id, session_id, part, score, reason, author, created_at from score_overrides"
                f" where session_id in ({marks}) order by id", list(ids)
            ):
                overrides[o["session_id"]].append(ScoreOverride(**o))
            calls = {
                c.pop("session_id"): CallRecord(**{**c, "summary": json.loads(c["summary"])})
                for c in self.db.query(
                    "select session_id, source, conversation, format, sha256, rep_speaker, rep_chosen_by, summary,"
                    f" imported_at from calls where session_id in ({marks})", list(ids)
                )
            }
        return _SessionRows(heads, extras, turns, labels, evidence, comments, overrides, calls)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Turns and comments matching ``query``, best first, with a snippet.

        ``query`` is what people type into a search box, read as SQLite FTS5
        does: words (all must occur), ``OR``, ``AND``, ``NOT``, "a phrase",
        prefix* and parentheses; other punctuation inside a word ("don't",
        "24/7") is taken literally. A query FTS5 cannot read raises SearchError
        (one line)."""
        fts = fts_query(query)
        if not fts:
            return []
        sql = """
            select * from (
                select t.id as turn_id, t.session_id, t.idx as "index", t.speaker, t.text,
                       snippet(turns_fts, 0, '[', ']', '…', 12) as snippet,
                       r.name as rep, coalesce(sn.scenario_id, '') as scenario_id, s.started_at,
                       null as comment_id, null as author, t.speaker_name,
                       case when t.speaker = 'rep' then (select count(*) from turns p where p.session_id = t.session_id
                            and p.speaker = 'rep' and p.idx <= t.idx) end as rep_turn,
                       turns_fts.rank as rank
                from turns_fts join turns t on t.rowid = turns_fts.rowid
                join sessions s on s.id = t.session_id join reps r on r.id = s.rep_id
                left join snapshots sn on sn.id = s.snapshot_id
                where turns_fts match :q
                union all
                select c.turn_id, c.session_id, t.idx as "index", 'comment' as speaker, c.text,
                       snippet(comments_fts, 0, '[', ']', '…', 12) as snippet,
                       r.name as rep, coalesce(sn.scenario_id, '') as scenario_id, s.started_at,
                       c.id as comment_id, c.author, null as speaker_name, null as rep_turn, comments_fts.rank as rank
                from comments_fts join comments c on c.rowid = comments_fts.rowid
                left join turns t on t.id = c.turn_id
                join sessions s on s.id = c.session_id join reps r on r.id = s.rep_id
                left join snapshots sn on sn.id = s.snapshot_id
                where comments_fts match :q and c.deleted_at is null
            ) order by rank limit :limit
        """
        with self._lock:
            try:
                rows = list(self.db.query(sql, {"q": fts, "limit": int(limit)}))
            except sqlite3.OperationalError as exc:
                if "fts5" in str(exc) or "syntax error" in str(exc) or "unterminated" in str(exc):
                    raise SearchError(f"cannot search for {query.strip()!r}: {exc}; put a phrase in double quotes, "
                                      "and give OR, AND and NOT a word on each side") from exc
                raise StoreError(_describe(self._name, exc)) from exc
            except sqlite3.Error as exc:
                raise StoreError(_describe(self._name, exc)) from exc
        return [SearchHit(**{k: v for k, v in row.items() if k != "rank"}) for row in rows]

    def trend(self, rep: str, scenario_id: str | None = None) -> list[TrendPoint]:
        """A rep's finished practice sessions, oldest first: when, which scenario,
        the score in force (a manager's override, else the machine's)."""
        sql = """
            select s.id as session_id, sn.scenario_id, ss.score, s.started_at, s.ended_at, s.score as machine_score
            from sessions s join reps r on r.id = s.rep_id join snapshots sn on sn.id = s.snapshot_id
            join session_scores ss on ss.session_id = s.id
            where coach_name_key(r.name) = ? and s.status = 'finished' and ss.score is not null
        """
        params: list[Any] = [name_key(rep)]
        if scenario_id is not None:
            sql += " and sn.scenario_id = ?"
            params.append(scenario_id)
        with self._guard():
            return [TrendPoint(**row) for row in self.db.query(sql + " order by s.started_at, s.id", params)]

    def best_and_last(self, rep: str) -> dict[str, dict]:
        """Per scenario id: the rep's best and last finished score."""
        out: dict[str, dict] = {}
        for row in self.trend(rep):
            entry = out.setdefault(row.scenario_id, {"best": row.score, "last": row.score, "attempts": 0})
            entry["best"] = max(entry["best"], row.score)
            entry["last"] = row.score
            entry["attempts"] += 1
        return out

    def score_rows(self, *, since: str | None = None, until: str | None = None,
                   kind: str | None = None, rep: str | None = None) -> list[ScoreRow]:
        """Every finished session's score in force, oldest first (team statistics read these)."""
        where, params = self._filters(rep=rep, status="finished", kind=kind, since=since, until=until)
        sql = f"""
            select s.id as session_id, r.name as rep, s.kind, coalesce(sn.scenario_id, '') as scenario_id,
                   coalesce(sn.title, c.conversation, '') as scenario_title, ss.score,
                   s.score as machine_score, ss.overridden, s.started_at, s.ended_at
            from sessions s join reps r on r.id = s.rep_id left join snapshots sn on sn.id = s.snapshot_id
            left join calls c on c.session_id = s.id join session_scores ss on ss.session_id = s.id
            {where} order by s.started_at, s.id
        """
        with self._guard():
            return [ScoreRow(**{**row, "overridden": bool(row["overridden"])}) for row in self.db.query(sql, params)]

    def label_counts_by_rep(self, *, since: str | None = None, until: str | None = None,
                            kind: str | None = None) -> dict[str, tuple[int, dict[str, int]]]:
        """Per rep: how many analysed rep turns they had, and how many carry each label."""
        where, params = self._filters(kind=kind, since=since, until=until)
        scope = f"from sessions s join reps r on r.id = s.rep_id left join snapshots sn on sn.id = s.snapshot_id{where}"
        out: dict[str, tuple[int, dict[str, int]]] = {}
        with self._guard():
            for row in self.db.query(
                f"select x.name as rep, count(*) as n from turns t join ({'select s.id, r.name ' + scope}) x"
                " on x.id = t.session_id where t.speaker = 'rep' and t.analysed = 1 group by x.name", params
            ):
                out[row["rep"]] = (row["n"], {})
            for row in self.db.query(
                f"select x.name as rep, l.label, count(*) as n from turn_labels l join turns t on t.id = l.turn_id"
                f" join ({'select s.id, r.name ' + scope}) x on x.id = t.session_id group by x.name, l.label", params
            ):
                out.setdefault(row["rep"], (0, {}))[1][row["label"]] = row["n"]
        return out

    def reps(self) -> list[str]:
        with self._guard():
            return [r["name"] for r in self.db.query("select name from reps order by name")]

    def rep_name(self, name: str) -> str | None:
        """The rep's name as stored ("ana" for "Ana"), or None for a rep never seen."""
        with self._guard():
            row = self._one("select name from reps where coach_name_key(name) = ? order by name = ? desc, id limit 1",
                            [name_key(name), name])
        return row["name"] if row else None


def _sql_name_key(value: object) -> object:
    return name_key(value) if isinstance(value, str) else value


def _load_snapshot(yaml_text: str, title: str) -> tuple[Scenario | None, str | None]:
    """The stored scenario, loaded once for every reader; (None, why) when it no
    longer loads (a snapshot written by an older format)."""
    from coach.scenario import ScenarioError, load_scenario_text

    try:
        return load_scenario_text(yaml_text or "", f"stored scenario '{title}'"), None
    except ScenarioError as exc:
        return None, exc.messages[0] if exc.messages else "the stored scenario does not load"


def _json_tuple(text: str | None) -> tuple:
    # Most stored lists are empty: skip the JSON parser for them (measured on
    # 200,000 turns, benchmarks/bench_review.py).
    return () if not text or text == "[]" else tuple(json.loads(text))


class _SessionRows(NamedTuple):
    """The rows behind a batch of sessions, keyed by session (or turn) id."""

    heads: dict
    extras: dict
    turns: dict
    labels: dict
    evidence: dict
    comments: dict
    overrides: dict
    calls: dict


def _turn_records(rows: _SessionRows, sid: int, comments: list[CommentRecord], types: tuple) -> tuple[TurnRecord, ...]:
    """A session's turns, in order, each rep turn numbered among the rep's turns."""
    out = []
    rep_turns = 0
    for t in rows.turns[sid]:
        rep_turns += t["speaker"] == "rep"
        out.append(_turn_record(t, rows.labels.get(t["id"], ()), rows.evidence.get(t["id"], ()), comments, types,
                                rep_turn=rep_turns if t["speaker"] == "rep" else None))
    return tuple(out)


def _turn_record(row: sqlite3.Row, labels: list[str], evidence: list[Evidence], comments: list[CommentRecord],
                 types: tuple, rep_turn: int | None = None) -> TurnRecord:
    AnalysedTurn, Uptake, BuyerMove, BuyerTurn = types
    analysed = reply = None
    speaker = row["speaker"]
    if speaker == "rep" and row["analysed"]:
        analysed = AnalysedTurn(
            text=row["text"], labels=tuple(labels), evidence=tuple(evidence), tips=_json_tuple(row["tips"]),
            questions=row["questions"] or 0, words=row["words"] or 0,
            uptake=Uptake.from_dict(json.loads(row["uptake"])) if row["uptake"] else Uptake(),
        )
    elif speaker == "buyer" and row["move"]:
        reply = BuyerTurn(text=row["text"], move=BuyerMove.from_dict(json.loads(row["move"])), voice=row["voice"] or "rule")
    turn_id = row["id"]
    return TurnRecord(
        id=turn_id, index=row["idx"], speaker=speaker, text=row["text"], created_at=row["created_at"],
        analysed=analysed, reply=reply, trust=row["trust"], revealed=_json_tuple(row["revealed"]),
        hint=bool(row["hint"]), comments=tuple(c for c in comments if c.turn_id == turn_id) if comments else (),
        speaker_name=row["speaker_name"], rep_turn=rep_turn,
    )


def _chunked(items: Sequence, size: int) -> Iterator[list]:
    # SQLite allows at most 999 host parameters in a statement on older builds.
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


#: FTS5 operators people type, kept as operators; any other word is quoted.
_FTS_OPERATORS = {"AND", "OR", "NOT"}
_FTS_TOKEN = re.compile(r'"[^"]*"\*?|"[^"]*$|[()]|[^\s()"]+')


def fts_query(query: str) -> str:
    """What a person typed, as an FTS5 query: phrases in double quotes, OR, AND,
    NOT (upper case) and parentheses stay operators, a trailing * is a prefix
    search, and every other word is quoted so its punctuation ("don't",
    "24/7", "co-op") is never read as syntax. An unclosed quote is left as
    typed for FTS5 to reject."""
    out: list[str] = []
    for token in _FTS_TOKEN.findall(query):
        if token.startswith('"') or token in ("(", ")") or token in _FTS_OPERATORS:
            term = token
        elif token.endswith("*") and token.strip("*"):
            term = '"' + token.rstrip("*").replace('"', '""') + '"*'
        elif token.strip("*"):
            term = '"' + token.replace('"', '""') + '"'
        else:
            continue
        # FTS5 takes "a b" as a AND b, but not "(a OR b) c": say AND where it is meant.
        if out and out[-1] not in _FTS_OPERATORS and out[-1] != "(" and term not in _FTS_OPERATORS and term != ")":
            out.append("AND")
        out.append(term)
    return " ".join(out)


def _db_file(db: Database) -> str:
    try:
        row = db.execute("pragma database_list").fetchone()
        return row[2] or "database"
    except sqlite3.Error:
        return "database"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not an ordinary file"


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (bytes 18 and 19 are 2)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"


def _uri(path: Path, **params: str) -> str:
    # as_uri() percent-encodes, so a file name holding "?" or "#" stays a file name.
    return path.absolute().as_uri() + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _inspect(path: Path, *, adopt: bool) -> None:
    """Look at an existing database before opening it for real, creating
    nothing beside it: refuse, in one line, a file that is not a database, a
    SQLite database that is not coach's (unless ``adopt``), and a coach
    database missing a table or column. Reads the schema only (~1 ms).

    A WAL database with no -wal file has all its data in the main file and no
    connection open, so it is read as immutable: otherwise SQLite would leave
    empty -wal and -shm files beside a file it then refuses."""
    params = {"mode": "ro"}
    if _wal_mode(path) and not _sidecar(path, "-wal").exists():
        params["immutable"] = "1"
    conn = None
    try:
        conn = sqlite3.connect(_uri(path, **params), uri=True, timeout=BUSY_TIMEOUT_S)
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
        if not names:
            return  # an empty database: coach makes its tables
        if "_coach_migrations" not in names:
            if adopt:
                return
            raise StoreError(
                f"{path}: a SQLite database, but not coach's (it has no coach tables); nothing was changed. "
                "Pass another --db, or --adopt-db to add coach's tables to this one"
            )
        applied = [r[0] for r in conn.execute("select name from _coach_migrations order by rowid")]
        if set(applied) - set(migrations.known_names()):
            return  # written by a newer coach: Store says so
        problem = migrations.schema_problem(conn, applied)
        if problem:
            raise StoreError(f"{path}: the coach database is damaged ({problem}); nothing was changed")
    except sqlite3.Error as exc:
        raise StoreError(_describe(path, exc)) from exc
    finally:
        if conn is not None:
            conn.close()


def _check_pages(conn: sqlite3.Connection, path: Path) -> None:
    """Read every page (PRAGMA quick_check) before writing to a file: damage
    past the schema is found before coach adds to it (and before the app's
    first screen, not half-way through a session). The README gives the cost."""
    rows = [r[0] for r in conn.execute("pragma quick_check")]
    if rows != ["ok"]:
        more = f" and {len(rows) - 1} more problems" if len(rows) > 1 else ""
        raise StoreError(f"{path}: the database is damaged ({rows[0]}{more}); nothing was changed")


def _connect_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that never changes the database.

    Where coach may write, it is a read-write connection held to reads by
    ``query_only``: SQLite removes the -wal and -shm files a reader made when
    the last connection closes, which a read-only connection cannot do (they
    were left beside the file, damaged or not, after every read command).
    Elsewhere it is read-only, and in a folder coach cannot write to, where
    SQLite could not make the -shm file a WAL reader needs, immutable.
    """
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    if writable:
        params = {"mode": "rw"}
    elif _wal_mode(path) and not _sidecar(path, "-shm").exists() and not os.access(path.parent, os.W_OK | os.X_OK):
        params = {"mode": "ro", "immutable": "1"}
    else:
        params = {"mode": "ro"}
    conn = sqlite3.connect(_uri(path, **params), uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    if writable:
        conn.execute("pragma query_only = on")
    return conn


def open_store(path: str | os.PathLike[str], *, readonly: bool = False, adopt: bool = False) -> Store:
    """Open (creating if need be) the coach database at ``path``.

    Raises StoreError with one line for anything but an ordinary file, a
    newer, corrupt, incomplete, read-only or locked database, or a SQLite
    database that is not coach's (``adopt=True`` adds coach's tables to it).
    Opened for writing, every page is read first, so coach never adds to a
    damaged file; opened ``readonly``, only the schema is checked, and damage
    further in is reported (in one line) if a read reaches it.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode  # through symlinks: a link to /dev/null is /dev/null
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open database file ({exc.strerror or exc})") from None
    # SQLite would write a -journal beside a device, block forever on a FIFO,
    # and fail vaguely on a folder: only an ordinary file (or none yet) will do.
    if mode is not None and not stat.S_ISREG(mode):
        raise StoreError(f"{path}: is {_file_kind(mode)}, not a database file; pass --db with an ordinary file")
    # The permission bits, not just access(): root may write anywhere, but a
    # file its owner marked read-only is not one to write to.
    if mode is not None and not readonly and (not os.access(path, os.W_OK) or not mode & 0o222):
        raise StoreError(f"{path}: database is read-only; check the file's permissions or pass --db with a writable file")
    if mode is None:
        if readonly:
            raise StoreError(f"{path}: no such database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create its folder ({exc.strerror})") from exc
    else:
        _inspect(path, adopt=adopt)
    try:
        return _open(path, readonly=readonly, check=mode is not None)
    except StoreError:
        if mode is None:
            _remove_if_empty(path)  # a failed creation (a full disk) leaves no empty database behind
        raise


def _remove_if_empty(path: Path) -> None:
    """Remove the database file this process just failed to set up, if it
    still holds no table (another coach may have made it meanwhile)."""
    try:
        conn = sqlite3.connect(_uri(path, mode="ro", immutable="1"), uri=True)
        try:
            empty = conn.execute("select count(*) from sqlite_master").fetchone()[0] == 0
        finally:
            conn.close()
        if empty:
            for suffix in ("-wal", "-shm", "-journal"):
                _sidecar(path, suffix).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
    except (sqlite3.Error, OSError):
        pass


def _open(path: Path, *, readonly: bool, check: bool) -> Store:
    conn = None
    try:
        if readonly:
            conn = _connect_for_reading(path)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        # Reading the schema is the first thing that fails on a corrupt file.
        conn.execute("select count(*) from sqlite_master").fetchone()
        if not readonly and check:
            _check_pages(conn, path)  # before the first write, WAL mode included
        db = Database(conn)
        if not readonly and db.journal_mode != "wal":
            db.enable_wal()
    except (sqlite3.Error, StoreError) as exc:
        if conn is not None:
            conn.close()  # the last connection to close removes the -wal and -shm it made
        if isinstance(exc, StoreError):
            raise
        raise StoreError(_describe(path, exc)) from exc
    try:
        store = Store(db, migrate=not readonly, name=str(path))
    except StoreError:
        conn.close()
        raise
    return store
