"""The canned queries shipped for Datasette (datasette/metadata.yaml) run on a
coach database through Datasette's own API, and agree with coach's team view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from test_team import _play

from coach.analysis.types import AnalysedTurn
from coach.session import CallRecord
from coach.store import open_store
from coach.team import team_view

METADATA = Path(__file__).resolve().parents[1] / "datasette" / "metadata.yaml"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coach.db"  # Datasette names the database "coach" after the file
    st = open_store(path)
    st.add_assignment(rep="ana", scenario_id="it-director-outage", pass_mark=55, due_on="2999-01-01",
                      assigned_by="maria")
    for score in (40, 60):
        _play(st, "ana", score, [("open_question", "curiosity"), ("open_question",)])
    sid = _play(st, "ben", 70, [("pitching",), ("leading_question", "pitching")])
    st.override_score(sid, score=50, reason="pitched before asking", author="maria")
    _play(st, "ben", 30, [("pressure",)], scenario="cfo-budget", title="The CFO")
    st.import_call(rep="ana", turns=[("buyer", "Orders stalled for days.", "Dana", None),
                                     ("rep", "Why now?", "Ana", AnalysedTurn(text="Why now?", labels=("open_question",)))],
                   call=CallRecord("c.txt", "c.txt", "txt", "e" * 64, "Ana", "option",
                                   {"rep_talk_share": 0.4, "question_mix": "1:0:0", "checklist_runs": 0}, ""))
    return path


async def _rows(ds, name: str, **params) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = await ds.client.get(f"/coach/{name}.json?_shape=array" + (f"&{query}" if query else ""))
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_canned_query_runs_in_datasette_and_agrees_with_coach(db):
    from datasette.app import Datasette

    metadata = yaml.safe_load(METADATA.read_text())
    queries = metadata["databases"]["coach"]["queries"]
    ds = Datasette(files=[str(db)], metadata=metadata)
    await ds.invoke_startup()
    assert set(queries) == {"team", "label_rates", "leaderboard", "overrides", "assignments", "calls"}
    view = team_view(open_store(db), today=date(2026, 3, 2))

    team = await _rows(ds, "team", since="")
    assert [(r["rep"], r["sessions"], r["calls"], r["average_score"], r["latest_score"]) for r in team] == [
        (r.rep, r.sessions, r.calls, r.average, r.latest) for r in view.reps]
    assert await _rows(ds, "team", since="2999-01-01") == []

    rates = await _rows(ds, "label_rates")
    ours = {(r.rep, x.label): (x.rate, x.team_rate) for r in view.reps for x in r.rates if x.rate}
    assert {(r["rep"], r["label"]): (r["per_100_turns"], r["team_per_100_turns"]) for r in rates} == ours

    board = await _rows(ds, "leaderboard")
    assert [(r["scenario_id"], r["rank"], r["rep"], r["best_score"]) for r in board] == [
        (b.scenario_id, x.rank, x.rep, x.best) for b in view.leaderboards for x in b.rows]

    [override] = await _rows(ds, "overrides")
    assert (override["rep"], override["machine_score"], override["manager_score"], override["score_in_force"]) == (
        "ben", 70, 50, 50)

    [assignment] = await _rows(ds, "assignments")
    [status] = view.assignments
    assert (assignment["rep"], assignment["best_score"], assignment["state"]) == ("ana", status.best, status.state)

    [call] = await _rows(ds, "calls")
    assert (call["rep"], call["rep_talk_share_pct"], call["open_closed_leading"]) == ("ana", 40, "1:0:0")


async def test_the_tables_are_there_to_browse(db):
    from datasette.app import Datasette

    ds = Datasette(files=[str(db)])
    await ds.invoke_startup()
    response = await ds.client.get("/coach.json")
    names = {t["name"] for t in response.json()["tables"]}
    assert {"sessions", "turns", "turn_labels", "evidence", "comments", "calls", "score_overrides",
            "assignments"} <= names
    views = {v["name"] for v in response.json()["views"]}
    assert "session_scores" in views
    searched = await ds.client.get("/coach/turns.json?_search=stalled&_shape=array")
    assert [r["text"] for r in searched.json()] == ["Orders stalled for days."]
