"""Several programs on one database file (issue 19 item 1): two reps
practising, a manager commenting and a reader, as real processes on a real
file, lose nothing and fail nothing. And, for any sequence of starts, turns,
finishes and comments spread over two connections, each connection reads
exactly what was written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from coach.analysis.types import AnalysedTurn
from coach.store import open_store

BENCH = Path(__file__).parent.parent / "benchmarks" / "bench_store.py"


def test_two_reps_a_manager_and_a_reader_on_one_file_lose_and_fail_nothing():
    """benchmarks/bench_store.py with 4 sessions per rep, the manager and the
    reader working until both reps are done (the README quotes its 60 s run).
    On the code before BEGIN IMMEDIATE, writes failed at once with 'database
    is locked', reads mixed two moments, and two programs opening a new file
    both ran its first migration."""
    import os

    import coach

    # The workers import the same coach as this test does.
    env = {**os.environ, "PYTHONPATH": str(Path(coach.__file__).parent.parent)}
    r = subprocess.run([sys.executable, str(BENCH), "--sessions", "4", "--json"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["failures"] == 0, result["failure_examples"]
    assert result["inconsistent_reads"] == 0
    # They did overlap: the manager commented and the reader read while the reps played.
    assert result["sessions_reported"] == 8 and result["comments_reported"] >= 1 and result["reads"] >= 1
    assert result["sessions_found_whole"] == result["sessions_reported"] == result["sessions_in_file"]
    assert result["half_written_sessions"] == 0
    assert result["turns_in_file"] == result["turns_reported"] == 10 * result["sessions_reported"]
    assert result["comments_in_file"] == result["comments_reported"]


class TwoConnections(RuleBasedStateMachine):
    """Two Store objects (two SQLite connections, as two programs would have)
    on one file; each step writes through one of them, and both must then read
    the same, complete state: what the model says was written."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        path = Path(self._dir.name) / "coach.db"
        self.stores = [open_store(path), open_store(path)]
        self.sessions: dict[int, dict] = {}  # id -> {"turns": [(speaker, text)], "finished": bool, "comments": n}

    def teardown(self) -> None:
        for store in self.stores:
            store.db.close()
        self._dir.cleanup()

    @rule(which=st.integers(0, 1), rep=st.sampled_from(["ana", "ben"]))
    def start(self, which, rep):
        sid = self.stores[which].start_session(rep=rep, scenario_id="x", scenario_title="T", scenario_yaml="id: x")
        assert sid not in self.sessions
        self.sessions[sid] = {"rep": rep, "turns": [], "finished": False, "comments": 0}

    @precondition(lambda self: self.sessions)
    @rule(which=st.integers(0, 1), pick=st.integers(0, 10**6), speaker=st.sampled_from(["rep", "buyer"]),
          text=st.text(min_size=1, max_size=30))
    def add_turn(self, which, pick, speaker, text):
        sid = sorted(self.sessions)[pick % len(self.sessions)]
        analysed = AnalysedTurn(text=text, labels=("curiosity",)) if speaker == "rep" else None
        self.stores[which].add_turn(sid, speaker=speaker, text=text, analysed=analysed)
        self.sessions[sid]["turns"].append((speaker, text))

    @precondition(lambda self: self.sessions)
    @rule(which=st.integers(0, 1), pick=st.integers(0, 10**6), score=st.floats(0, 100))
    def finish(self, which, pick, score):
        sid = sorted(self.sessions)[pick % len(self.sessions)]
        from coach.scoring import Scorecard

        card = Scorecard(total=int(score), parts=(), discovered=(), missed=(), topics={}, hints=0, hint_penalty=0,
                         final_trust=50.0, end_reason="max_turns", rep_turns=0)
        self.stores[which].finish_session(sid, scorecard=card, end_reason="max_turns")
        self.sessions[sid]["finished"] = True

    @precondition(lambda self: self.sessions)
    @rule(which=st.integers(0, 1), pick=st.integers(0, 10**6), on_turn=st.booleans())
    def comment(self, which, pick, on_turn):
        sid = sorted(self.sessions)[pick % len(self.sessions)]
        turn_id = None
        if on_turn and self.sessions[sid]["turns"]:
            turn_id = self.stores[1 - which].session(sid).turns[-1].id
        self.stores[which].add_comment(sid, author="mgr", text="noted", turn_id=turn_id)
        self.sessions[sid]["comments"] += 1

    @invariant()
    def both_connections_read_what_was_written(self):
        for store in self.stores:
            listed = {row.id: row for row in store.sessions()}
            assert set(listed) == set(self.sessions)
            for sid, want in self.sessions.items():
                s = store.session(sid)
                assert [(t.speaker, t.text) for t in s.turns] == want["turns"]
                assert [t.index for t in s.turns] == list(range(len(want["turns"])))
                assert s.finished == want["finished"]
                assert len(s.comments) == listed[sid].comment_count == want["comments"]
                rep_turns = sum(1 for sp, _ in want["turns"] if sp == "rep")
                assert len(s.rep_turns) == listed[sid].rep_turns == rep_turns
                assert listed[sid].labels == ({"curiosity": rep_turns} if rep_turns else {})


TwoConnections.TestCase.settings = settings(
    max_examples=15, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_any_interleaving_of_two_connections_reads_what_was_written = TwoConnections.TestCase
