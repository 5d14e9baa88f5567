"""Manager commands over the database: list sessions, read one, comment, search.

The review app (`coach review`) is the comfortable way; these are for scripts,
quick looks and terminals without the app.
"""

from __future__ import annotations

import dataclasses
import json

import click

from coach.cli import LIMIT, LINE_NUMBER, SESSION_ID, TURN_NUMBER
from coach.cli.common import no_sessions_by, open_db, parse_date, who
from coach.cli.output import cell, echo



def score_words(score: float | None, machine: float | None, overridden: bool) -> str:
    """A score as the manager's commands print it: "64", "70*" (a manager's), "-"."""
    if score is None:
        return "-"
    return f"{score:.0f}*" if overridden else f"{score:.0f}"


@click.command("sessions")
@click.option("--rep", help="Only this rep's sessions (the name in any case: Ana is ana).")
@click.option("--scenario", "scenario_id", help="Only sessions of this scenario id.")
@click.option("--kind", type=click.Choice(["practice", "call"]), help="Only practice sessions, or only imported calls.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only sessions started on or after this date.")
@click.option("--unfinished", is_flag=True, help="Only sessions that never reached a scorecard.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def sessions(ctx, rep, scenario_id, kind, since, unfinished, limit, as_json):
    """List stored sessions (practice and imported calls): rep, what, date, score and flag counts.

    A score marked * is a manager's override (`coach show ID` gives the
    machine's beside it and the reason). Flags are the labels that put a
    buyer on the defensive, with the number of rep turns that got each.
    """
    from coach.labels import BAD
    from coach.text import shorten

    store = open_db(ctx, readonly=True)
    rows = store.sessions(rep=rep, scenario_id=scenario_id, status="in_progress" if unfinished else None,
                          limit=limit, kind=kind, since=parse_date(since, "--since"))
    if as_json:
        echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        echo(no_sessions_by(store, rep))
        return
    echo(f"{'id':>5}  {'started':<16}  {'rep':<14}  {'scenario or call':<26}  {'score':>5}  flags")
    for r in rows:
        flags = ", ".join(f"{k} {v}" for k, v in sorted(r.labels.items()) if k in BAD) or "-"
        score = score_words(r.final_score, r.score, r.overridden) if r.finished else "open"
        echo(
            f"{r.id:>5}  {r.started_at[:16].replace('T', ' '):<16}  {shorten(cell(r.rep), 14):<14}  "
            f"{shorten(cell(r.title), 26):<26}  {score:>5}  {flags}"
        )
    if any(r.overridden for r in rows):
        echo("* a manager's score; `coach show ID` has the machine's and the reason")



@click.command("show")
@click.argument("session_id", type=SESSION_ID)
@click.option("--json", "as_json", is_flag=True, help="Print the whole session as JSON.")
@click.pass_context
def show(ctx, session_id, as_json):
    """Print one session: its score, scorecard and discoveries, then the transcript with labels, evidence, tips and comments.

    The transcript's lines are numbered [line N] (`coach comment --line N`);
    "turn K" is the rep's K-th turn, as the scorecard counts and quotes them
    (`coach comment --turn K`). Comments show their id (for `coach
    comment-edit` and `coach comment-delete`).
    """
    from coach.cli import CoachError
    from coach.labels import EXCUSED_WHY, human, human_list, only_excused
    from coach.store import StoreError

    store = open_db(ctx, readonly=True)
    try:
        s = store.session(session_id)
    except StoreError as exc:
        raise CoachError(str(exc)) from exc
    if as_json:
        from coach.session import record_to_dict

        echo(json.dumps(record_to_dict(s), indent=2, ensure_ascii=False))
        return
    if not s.finished:
        score = "unfinished"
    elif s.final_score is None:
        score = "not scored" if s.kind == "call" else "no score"
    elif s.overridden:
        machine = f"machine {s.score:.0f}" if s.score is not None else "no machine score"
        score = f"score {s.final_score:.0f}, a manager's ({machine})"
    else:
        score = f"score {s.final_score:.0f}"
    echo(f"session {s.id}: {cell(s.rep)} on {cell(s.title)} ({s.started_at[:16]}, {score})")
    for o in s.overrides:
        what = "score" if o.part == "total" else f"{o.part} score"
        set_to = f"set the {what} to {o.score:.0f}" if o.score is not None else f"withdrew the {what} override"
        echo(f"  {cell(o.author)} {set_to} ({o.created_at[:16]}): {o.reason}")
    for line in _scorecard_lines(s):
        echo(line)
    for t in s.turns:
        who = f"REP (turn {t.rep_turn})" if t.speaker == "rep" else "BUYER"
        name = f" {cell(t.speaker_name)}" if t.speaker_name else ""
        echo(f"\n[line {t.number}] {who}{name}: {t.text}")
        a = t.analysed
        excused = s.excused(t)
        if a is not None and a.labels:
            echo("      labels: " + human_list(a.labels, excused))
        for ev in a.evidence if a else ():
            echo(f"      {human(ev.label)}: \"{ev.quote}\" ({EXCUSED_WHY if ev.label in excused else ev.why})")
        for tip in a.tips if a and not only_excused(a.labels, excused) else ():
            echo(f"      tip: {tip}")
        for c in t.comments:
            echo(f"      {_comment_line(c)}")
    for c in s.session_comments:
        echo(f"\n{_comment_line(c)}")
    if s.kind == "call":
        from coach.analysis.report import render_summary

        echo("\n" + render_summary(s.metrics()))


def _scorecard_lines(s) -> list[str]:
    """The stored scorecard as `coach show` prints it above the transcript: how
    it ended, each part (the machine's score and a manager's beside it), the
    best and weakest turn, and the discoveries found and missed."""
    from coach.scoring import end_sentence
    from coach.session import turn_words

    card = s.scorecard
    out: list[str] = []
    if card is not None:
        n = card.rep_turns or len(s.rep_turns)
        ended = f"{cell(end_sentence(s.end_reason, s.buyer_name))}; " if s.end_reason else ""
        hints = f"; {card.hints} hint{'s' if card.hints != 1 else ''} (-{card.hint_penalty})" if card.hints else ""
        out.append(f"  {ended}{n} turn{'s' if n != 1 else ''}{hints}")
        width = max((len(p.title) for p in card.parts), default=0)
        for p in card.parts:
            now, o = s.part_score(p.name)
            manager = f"  {cell(o.author)}'s {now:.0f} (the machine's {p.score})" if o is not None else ""
            out.append(f"  {cell(p.title):<{width}}  {p.score:>3}  x{p.weight:.0%}{manager}")
            if p.advice:
                out.append(f"      try: {p.advice}")
        for what, ref in (("best", card.best), ("weakest", card.worst)):
            if ref is not None:
                why = f" - {ref.why}" if ref.why else ""
                out.append(f"  {what} {turn_words(ref)}: \"{ref.quote}\"{why}")
    found = s.discoveries()
    if found:
        n_found = sum(d.found for d in found)
        out.append(f"  discoveries {n_found}/{len(found)}:")
        # An unfinished session has not missed what it may still find.
        out += [f"    {'found ' if d.found else 'missed' if s.finished else 'not yet'}  {cell(d.topic)}" for d in found]
    return out


def _comment_line(c) -> str:
    edited = f", edited by {cell(c.edited_by)} {c.edited_at[:16]}" if c.edited_at else ""
    return f"comment {c.id} by {cell(c.author)} ({c.created_at[:16]}{edited}): {c.text}"


@click.command("comment")
@click.argument("session_id", type=SESSION_ID)
@click.argument("text")
@click.option("--line", "line_no", type=LINE_NUMBER,
              help="The transcript line to comment on (from 1: `coach show` prints [line N], the review app numbers its lines the same).")
@click.option("--turn", "rep_turn", type=TURN_NUMBER,
              help="The rep's turn to comment on (turn K: the rep's K-th, as the scorecard counts them).")
@click.option("--author", help="Your name (default: coach --rep, else your login name).")
@click.pass_context
def comment(ctx, session_id, text, line_no, rep_turn, author):
    """Add a manager's comment to a session, or to one of its lines (--line) or rep turns (--turn)."""
    from coach.cli import CoachError
    from coach.store import StoreError

    if line_no is not None and rep_turn is not None:
        raise CoachError("give --line or --turn, not both")
    store = open_db(ctx, must_exist=True)
    try:
        s = store.session(session_id)
        turn_id = None
        where = ""
        try:
            if line_no is not None:
                t = s.turn(line_no)
            elif rep_turn is not None:
                t = s.rep_turn(rep_turn)
            else:
                t = None
        except KeyError:
            what = f"line {line_no}" if line_no is not None else f"turn {rep_turn} (it has {len(s.rep_turns)} rep turns)"
            raise CoachError(f"session {session_id} has no {what}") from None
        if t is not None:
            turn_id = t.id
            where = f", line {t.number}" + (f" (turn {t.rep_turn})" if t.rep_turn is not None else "")
        store.add_comment(session_id, author=who(ctx, author), text=text, turn_id=turn_id)
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from exc
    echo(f"comment added to session {session_id}{where}")


@click.command("search")
@click.argument("query")
@click.option("--limit", type=LIMIT, default=20, show_default=True, help="At most this many matches.")
@click.pass_context
def search(ctx, query, limit):
    """Full-text search across every stored transcript and comment.

    QUERY is read as SQLite full-text search reads it: words (every one must
    occur), OR, AND, NOT, "a phrase", prefix* and parentheses, e.g.
    'budget OR ransomware', '"retail accounts"', 'renew*'.
    """
    from coach.cli import CoachError
    from coach.store import StoreError

    store = open_db(ctx, readonly=True)
    try:
        hits = store.search(query, limit=limit)
    except StoreError as exc:
        raise CoachError(str(exc)) from None
    if not hits:
        echo("no matches")
    for h in hits:
        echo(f"{hit_where(h)}: {cell(h.snippet)}")


def hit_where(h) -> str:
    """Where a search hit is and who wrote it, the same shape for every kind:
    "session 1 line 4 (rep ana, turn 2)", "session 1 line 5 (buyer Dana Okafor,
    ana's session)", "session 1 line 4 (comment 3 by maria, ana's session)"."""
    where = f"session {h.session_id}" + (f" line {h.number}" if h.number is not None else "")
    if h.is_comment:
        who = f"comment {h.comment_id} by {cell(h.author or '')}, {cell(h.rep)}'s session"
    elif h.speaker == "rep":
        who = f"rep {cell(h.speaker_name or h.rep)}" + (f", turn {h.rep_turn}" if h.rep_turn is not None else "")
    else:
        who = (f"buyer {cell(h.speaker_name)}" if h.speaker_name else "buyer") + f", {cell(h.rep)}'s session"
    return f"{where} ({who})"


COMMANDS = [sessions, show, comment, search]
