"""`coach export`: CSV per session and per turn, JSONL that reads back, Markdown
and HTML reports of one rep; files written whole or not at all."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from test_ui_support import BAD_TURNS, GOOD_TURNS, FixedClock, play_session, shared_analyzer

from coach.cli import cli
from coach.labels import LABELS
from coach.report.exports import SESSION_COLUMNS, TURN_COLUMNS
from coach.store import open_store

MARKUP = "Great <b>work</b> [red]here[/red] \x1b[31m"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Two reps' real practice sessions (through the engine), a call, comments and an override."""
    path = tmp_path_factory.mktemp("export") / "coach.db"
    st = open_store(path)
    st._now = FixedClock()
    good = play_session(st, "ana", GOOD_TURNS, seed=1)
    bad = play_session(st, "ana", BAD_TURNS, seed=2)
    play_session(st, "ben", GOOD_TURNS[:1], seed=3)
    st.add_comment(good, author="maria", text=MARKUP, turn_id=st.session(good).turns[1].id)
    st.override_score(bad, score=35, reason="The pitch came first", author="maria")
    return path


@pytest.fixture(autouse=True)
def _one_analyzer(monkeypatch):
    from coach.cli import common

    monkeypatch.setattr(common, "load_analyzer", shared_analyzer)


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_one_row_per_session_with_a_column_per_label(db):
    r = run(db, "export")
    assert r.exit_code == 0, r.output
    rows = _csv(r.stdout)
    assert list(rows[0]) == list(SESSION_COLUMNS) and set(LABELS) <= set(rows[0])
    assert [x["session_id"] for x in rows] == ["1", "2", "3"]
    s = open_store(db).session(2)
    bad = rows[1]
    assert (bad["rep"], bad["kind"], bad["machine_score"], bad["score"], bad["overridden"]) == (
        "ana", "practice", f"{s.score:g}", "35", "1")
    assert bad["override_reason"] == "total: The pitch came first"
    assert int(bad["pitching"]) == s.metrics()["labels"]["pitching"] >= 1
    assert bad["discovery_score"] == str(s.scorecard.part("discovery").score)
    assert rows[0]["comments"] == "1" and rows[0]["overridden"] == "0"
    assert [x["session_id"] for x in _csv(run(db, "export", "--rep", "ben").stdout)] == ["3"]


def test_csv_one_row_per_turn_with_label_flags_evidence_tips_and_comments(db):
    rows = _csv(run(db, "export", "1", "--per", "turn").stdout)
    assert list(rows[0]) == list(TURN_COLUMNS)
    s = open_store(db).session(1)
    assert [int(x["turn"]) for x in rows] == [t.number for t in s.turns]
    rep = rows[1]
    assert rep["speaker"] == "rep" and rep["open_question"] == "1" and rep["pitching"] == "0"
    assert rep["labels"] == " ".join(s.turns[1].labels) and rep["tips"] and ":" in rep["evidence"]
    assert rep["comments"] == "maria: Great <b>work</b> [red]here[/red] "  # escapes removed, markup kept as text
    assert rows[0]["open_question"] == ""  # buyer turns carry no label columns


def test_jsonl_holds_whole_sessions_and_imports_back(db, tmp_path):
    out = tmp_path / "all.jsonl"
    r = run(db, "export", "--format", "jsonl", "-o", str(out))
    assert r.exit_code == 0 and r.stderr == f"wrote 3 sessions to {out}\n"
    lines = out.read_text().splitlines()
    first = json.loads(lines[0])
    assert first["id"] == 1 and first["turns"][1]["labels"] and first["comments"] == []
    assert json.loads(lines[1])["final_score"] == 35 and json.loads(lines[1])["overrides"][0]["reason"]
    # The round trip: analyze reads it, import stores it again (elsewhere) with the same words.
    analysed = CliRunner().invoke(cli, ["analyze", str(out), "--format", "json"])
    assert analysed.exit_code == 0, analysed.output
    assert len(json.loads(analysed.stdout)["conversations"]) == 3
    other = tmp_path / "other.db"
    assert run(other, "import", str(out)).stdout.endswith("3 imported, 0 already there\n")
    a, b = open_store(db).session(1), open_store(other).session(1)
    assert [t.text for t in a.turns] == [t.text for t in b.turns] and b.rep == "ana" and b.kind == "call"
    assert run(other, "import", str(out)).stdout.endswith("0 imported, 3 already there\n")


def test_markdown_report_escapes_markup(db):
    r = run(db, "export", "--rep", "ana", "--format", "md")
    assert r.exit_code == 0, r.output
    md = r.stdout
    assert md.startswith("# Coaching report: ana\n") and "## Session 1: After the outage" in md
    assert "Great \\<b\\>work\\</b\\> \\[red\\]here\\[/red\\]" in md and "\x1b" not in md
    assert "**Score 35** (a manager's; the machine's: " in md
    assert "| Discovery |" in md and "### Transcript" in md


def test_html_report_is_self_contained_and_escaped(db, tmp_path):
    out = tmp_path / "ana.html"
    r = run(db, "export", "--rep", "ana", "-o", str(out))  # the format from the suffix
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<mark class=" in html
    assert "Great &lt;b&gt;work&lt;/b&gt; [red]here[/red]" in html and "\x1b" not in html
    for external in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert external not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_report_is_of_one_rep_and_bad_requests_are_one_line(db, tmp_path):
    both = run(db, "export", "--format", "html")
    assert both.exit_code == 2 and "a report is of one rep's sessions, and these are ana, ben" in both.stderr
    missing = run(db, "export", "1", "99")
    assert missing.exit_code == 2 and missing.stderr.strip().endswith("no session 99")
    assert "not both" in run(db, "export", "1", "--rep", "ana").stderr
    assert run(db, "export", "--rep", "zed", "--format", "md").stderr == "coach: no sessions match\n"


def test_a_failed_export_leaves_the_old_file_alone(db, tmp_path):
    out = tmp_path / "exports" / "report.csv"
    out.parent.mkdir()
    out.write_text("yesterday's export\n")
    r = run(db, "export", "1", "99", "-o", str(out))
    assert r.exit_code == 2
    assert out.read_text() == "yesterday's export\n"
    assert [p.name for p in out.parent.iterdir()] == ["report.csv"]  # no temporary file left
