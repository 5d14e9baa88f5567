"""Manager commands over the database: list sessions, read one, comment, search.

The review app (`coach review`) is the comfortable way; these are for scripts,
quick looks and terminals without the app.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from coach.cli import LIMIT, SESSION_ID, TURN_NUMBER
from coach.cli.output import cell, echo


def _store(ctx: click.Context, *, readonly: bool = False):
    from coach.cli import CoachError
    from coach.store import StoreError, open_store

    path: Path = ctx.obj["db_path"]
    if readonly and not path.exists():
        raise CoachError(f"{path}: no database yet (practise a session first, or pass --db)")
    try:
        return open_store(path, readonly=readonly, adopt=ctx.obj.get("adopt_db", False))
    except StoreError as exc:
        raise CoachError(str(exc)) from exc


@click.command("sessions")
@click.option("--rep", help="Only this rep's sessions.")
@click.option("--scenario", "scenario_id", help="Only sessions of this scenario id.")
@click.option("--unfinished", is_flag=True, help="Only sessions that never reached a scorecard.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="At most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def sessions(ctx, rep, scenario_id, unfinished, limit, as_json):
    """List stored practice sessions: rep, scenario, date, score and flag counts."""
    from coach.labels import BAD

    store = _store(ctx, readonly=True)
    rows = store.sessions(rep=rep, scenario_id=scenario_id, status="in_progress" if unfinished else None, limit=limit)
    if as_json:
        echo(json.dumps([dataclasses.asdict(r) for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        echo("no sessions")
        return
    echo(f"{'id':>5}  {'started':<16}  {'rep':<14}  {'scenario':<26}  {'score':>5}  flags")
    for r in rows:
        flags = ", ".join(f"{k} {v}" for k, v in sorted(r.labels.items()) if k in BAD) or "-"
        score = "-" if r.score is None else f"{r.score:.0f}"
        if not r.finished:
            score = "open"
        echo(
            f"{r.id:>5}  {r.started_at[:16].replace('T', ' '):<16}  {cell(r.rep)[:14]:<14}  "
            f"{cell(r.scenario_id)[:26]:<26}  {score:>5}  {flags}"
        )


@click.command("show")
@click.argument("session_id", type=SESSION_ID)
@click.option("--json", "as_json", is_flag=True, help="Print the whole session as JSON.")
@click.pass_context
def show(ctx, session_id, as_json):
    """Print one session's transcript with labels, evidence, tips and comments."""
    from coach.cli import CoachError
    from coach.labels import human
    from coach.store import StoreError

    store = _store(ctx, readonly=True)
    try:
        s = store.session(session_id)
    except StoreError as exc:
        raise CoachError(str(exc)) from exc
    if as_json:
        from coach.session import record_to_dict

        echo(json.dumps(record_to_dict(s), indent=2, ensure_ascii=False))
        return
    score = "unfinished" if not s.finished else f"score {s.score:.0f}" if s.score is not None else "no score"
    echo(f"session {s.id}: {cell(s.rep)} on {cell(s.scenario_title)} ({s.started_at[:16]}, {score})")
    for t in s.turns:
        who = "REP  " if t.speaker == "rep" else "BUYER"
        echo(f"\n[{t.number}] {who} {t.text}")
        a = t.analysed
        if a is not None and a.labels:
            echo("      labels: " + ", ".join(human(label) for label in a.labels))
        for ev in a.evidence if a else ():
            echo(f"      {human(ev.label)}: \"{ev.quote}\" ({ev.why})")
        for tip in a.tips if a else ():
            echo(f"      tip: {tip}")
        for c in t.comments:
            echo(f"      comment by {cell(c.author)} ({c.created_at[:16]}): {c.text}")
    for c in s.session_comments:
        echo(f"\ncomment by {cell(c.author)} ({c.created_at[:16]}): {c.text}")


@click.command("comment")
@click.argument("session_id", type=SESSION_ID)
@click.argument("text")
@click.option("--turn", "turn_idx", type=TURN_NUMBER, help="The turn number (from 1, as `coach show` and the review app print it) to comment on.")
@click.option("--author", help="Your name (default: coach --rep, else your login name).")
@click.pass_context
def comment(ctx, session_id, text, turn_idx, author):
    """Add a manager's comment to a session or to one of its turns."""
    import getpass

    from coach.cli import CoachError
    from coach.store import StoreError

    store = _store(ctx)
    try:
        s = store.session(session_id)
        turn_id = None
        if turn_idx is not None:
            # Turns are numbered from 1, as `coach show` and the review app show them.
            try:
                turn_id = s.turn(turn_idx).id
            except KeyError:
                raise CoachError(f"session {session_id} has no turn {turn_idx}") from None
        store.add_comment(session_id, author=author or ctx.obj.get("rep_name") or getpass.getuser(), text=text, turn_id=turn_id)
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from exc
    echo(f"comment added to session {session_id}" + (f", turn {turn_idx}" if turn_idx is not None else ""))


@click.command("search")
@click.argument("query")
@click.option("--limit", type=LIMIT, default=20, show_default=True, help="At most this many turns.")
@click.pass_context
def search(ctx, query, limit):
    """Full-text search across all stored transcripts."""
    store = _store(ctx, readonly=True)
    hits = store.search(query, limit=limit)
    if not hits:
        echo("no matches")
    for h in hits:
        echo(f"session {h.session_id} turn {h.number} ({cell(h.rep)}, {h.speaker}): {cell(h.snippet)}")


COMMANDS = [sessions, show, comment, search]
