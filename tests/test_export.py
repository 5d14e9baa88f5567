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
    assert [int(x["line"]) for x in rows] == [t.number for t in s.turns]
    # The rep's turns are counted as the scorecard counts them; buyer lines have none.
    assert [x["rep_turn"] for x in rows] == [str(t.rep_turn) if t.speaker == "rep" else "" for t in s.turns]
    assert rows[1]["rep_turn"] == "1"
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


def test_reports_list_the_discoveries_revealed_and_missed(db, tmp_path):
    """The md and html reports say which discoveries the rep uncovered and which
    they missed, from the stored scorecard (the good session found one)."""
    s = open_store(db).session(1)
    card = s.scorecard
    assert card.discovered and card.missed
    md = run(db, "export", "1", "--format", "md").stdout
    out = tmp_path / "s1.html"
    assert run(db, "export", "1", "-o", str(out)).exit_code == 0
    html = out.read_text()
    n = len(card.discovered) + len(card.missed)
    assert f"Discoveries {len(card.discovered)} of {n}:" in md
    assert f"Discoveries: {len(card.discovered)} of {n} revealed" in html
    for d in card.discovered:
        assert f"- revealed: {card.topics[d]}" in md
        assert f"<strong>Revealed</strong>: {card.topics[d]}" in html.replace("&#39;", "'")
    for d in card.missed:
        assert f"- missed: {card.topics[d]}" in md
        assert f"<strong>Missed</strong>: {card.topics[d]}" in html.replace("&#39;", "'")


def test_reports_number_lines_and_rep_turns_as_the_scorecard_does(db, tmp_path):
    """The HTML's "Weakest turn" said "turn 2" for the rep's first turn (its
    line): a turn is now the rep's K-th, as the scorecard counts them, with its
    line beside it, and the transcript shows both."""
    s = open_store(db).session(1)
    worst = s.scorecard.part("listening").worst or s.scorecard.worst
    out = tmp_path / "s1.html"
    assert run(db, "export", "1", "-o", str(out)).exit_code == 0
    html = out.read_text()
    assert f'<a href="#s1-t{worst.turn + 1}">turn {worst.rep_turn} (line {worst.turn + 1})</a>' in html
    assert '<span class="num-turn">line 2</span>' in html and "Rep, turn 1</span>" in html
    md = run(db, "export", "1", "--format", "md").stdout
    assert "**line 2, Rep (turn 1)**: " in md and "**line 1, Dana Okafor**: " in md
    best = s.scorecard.best
    assert f"- Best turn {best.rep_turn} (line {best.turn + 1}): “{best.quote}”" in md.replace("\\", "")


def test_show_prints_the_scorecard_and_discoveries(db):
    """`coach show` printed the transcript only: the score's parts, the best and
    weakest turn and which discoveries were found are in the stored scorecard."""
    s = open_store(db).session(1)
    card = s.scorecard
    out = run(db, "show", "1").stdout
    head = out.split("[line 1]")[0]
    for p in card.parts:
        assert f"{p.title}" in head and f" {p.score:>3}  x{p.weight:.0%}" in head
    assert f"best turn {card.best.rep_turn} (line {card.best.turn + 1}): \"{card.best.quote}\"" in head
    assert f"weakest turn {card.worst.rep_turn} (line {card.worst.turn + 1}): " in head
    n = len(card.discovered) + len(card.missed)
    assert f"discoveries {len(card.discovered)}/{n}:" in head
    assert all(f"found   {card.topics[d]}" in head for d in card.discovered)
    assert all(f"missed  {card.topics[d]}" in head for d in card.missed)



def test_an_unfinished_session_lists_what_it_has_not_found_yet(tmp_path):
    """No scorecard yet: the discoveries come from the stored scenario, and what
    is not found is "not yet", not "missed"."""
    st = open_store(tmp_path / "open.db")
    sid = play_session(st, "ana", GOOD_TURNS[:2], seed=1, finish=False)
    s = st.session(sid)
    assert s.scorecard is None and s.scenario is not None
    out = run(tmp_path / "open.db", "show", str(sid)).stdout
    n = len(s.scenario.discoveries)
    found = [d for d in s.scenario.discoveries if d.id in s.discovered]
    assert f"discoveries {len(found)}/{n}:" in out and "missed" not in out.split("[line 1]")[0]
    assert all(f"found   {d.topic}" in out for d in found)
    assert all(f"not yet  {d.topic}" in out for d in s.scenario.discoveries if d.id not in s.discovered)
    md = run(tmp_path / "open.db", "export", str(sid), "--format", "md").stdout
    assert f"Discoveries {len(found)} of {n}:" in md and "- not yet: " in md


def test_show_gives_a_managers_part_score_beside_the_machines(db, tmp_path):
    import sqlite3

    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # the module's database stays as the other tests expect it
    st = open_store(copy)
    part = st.session(2).scorecard.parts[0]
    st.override_score(2, score=5, reason="nothing found", author="maria", part=part.name)
    line = next(x for x in run(copy, "show", "2").stdout.splitlines() if x.strip().startswith(part.title))
    assert line.endswith(f" {part.score:>3}  x{part.weight:.0%}  maria's 5 (the machine's {part.score})")


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
    assert missing.stdout == ""  # no CSV header before the error
    (tmp_path / "afile").write_text("x")
    under_a_file = run(db, "export", "1", "-o", str(tmp_path / "afile" / "out.csv"))
    assert under_a_file.exit_code == 2 and under_a_file.stderr == f"coach: {tmp_path / 'afile'}: not a folder\n"
    assert "not both" in run(db, "export", "1", "--rep", "ana").stderr
    assert run(db, "export", "--rep", "zed", "--format", "md").stderr == "coach: no sessions by 'zed'\n"


def test_a_failed_export_leaves_the_old_file_alone(db, tmp_path):
    out = tmp_path / "exports" / "report.csv"
    out.parent.mkdir()
    out.write_text("yesterday's export\n")
    r = run(db, "export", "1", "99", "-o", str(out))
    assert r.exit_code == 2
    assert out.read_text() == "yesterday's export\n"
    assert [p.name for p in out.parent.iterdir()] == ["report.csv"]  # no temporary file left


def test_an_export_file_gets_the_usual_mode_and_an_overwritten_one_keeps_its_own(db, tmp_path):
    import os
    import stat

    def mode(p):
        return stat.S_IMODE(p.stat().st_mode)

    old = os.umask(0o027)
    try:
        new = tmp_path / "new.html"
        assert run(db, "export", "--rep", "ana", "-o", str(new)).exit_code == 0
        assert mode(new) == 0o640  # 0666 less the umask, as any program's new file
        shared = tmp_path / "keep.html"
        shared.write_text("last week's report\n")
        shared.chmod(0o644)
        assert run(db, "export", "--rep", "ana", "-o", str(shared)).exit_code == 0
        assert mode(shared) == 0o644 and shared.read_text().startswith("<!DOCTYPE html>")
    finally:
        os.umask(old)


def test_reports_mark_a_label_the_buyer_excused_and_drop_its_tip(tmp_path):
    """The exported reports agree with the app and `coach show`: a
    self-interested question the buyer answered gladly is no fault."""
    from test_ui_support import BAD_TURNS, _scenario, scripted_analyzer

    from coach.engine import PracticeSession
    from coach.labels import EXCUSED_WHY
    from coach.report.exports import render_report
    from coach.store import open_store

    store = open_store(tmp_path / "coach.db")
    session = PracticeSession(_scenario("it-director-outage"), scripted_analyzer(), seed=0, store=store, rep="ana")
    session.director.state.trust = 90
    assert session.play(BAD_TURNS[1]).move.excused == ("self_interested",)
    record = store.session(session.session_id)
    md = render_report([record], fmt="md")
    assert "self-interested (fine here)" in md and EXCUSED_WHY in md and "tip:" not in md
    html = render_report([record], fmt="html")
    assert "self-interested: fine here" in html and EXCUSED_WHY in html and 'class="tip"' not in html
    # The words behind it are not highlighted as a fault either.
    assert '<mark class="bad"' not in html and '<mark class="neutral"' in html
    # Nor does the per-turn CSV give its tip; it says what was excused.
    import csv
    import io

    from coach.report.exports import write_csv

    out = io.StringIO()
    write_csv([record], out, per="turn")
    rep = next(row for row in csv.DictReader(io.StringIO(out.getvalue())) if row["speaker"] == "rep")
    assert rep["self_interested"] == "1" and rep["excused"] == "self_interested"
    assert rep["tips"] == "" and "(fine here)" in rep["evidence"]
