"""`coach team`, `coach assign`, `coach assignments`: the team at a glance and
the scenarios a manager gives reps to pass.

Only click is imported at module level (see coach/cli/__init__.py).
"""

from __future__ import annotations

import click

from coach.cli import ASSIGNMENT_ID
from coach.cli.common import open_db, who
from coach.cli.output import cell, echo, use_color
from coach.text import shorten


def _period(since: str | None, days: int | None) -> str | None:
    from datetime import date, timedelta

    from coach.cli import CoachError

    if since is not None and days is not None:
        raise CoachError("give --since or --days, not both")
    if days is not None:
        return (date.today() - timedelta(days=days - 1)).isoformat()
    if since is None:
        return None
    try:
        return date.fromisoformat(since).isoformat()
    except ValueError:
        raise CoachError(f"--since {since!r}: expected a date as YYYY-MM-DD") from None


def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:+.0f}" if signed else f"{x:.0f}"


@click.command("team")
@click.option("--since", metavar="YYYY-MM-DD", help="Only sessions started on or after this date.")
@click.option("--days", type=click.IntRange(1), help="Only sessions of the last N days (today included).")
@click.option("--kind", type=click.Choice(["practice", "call"]), help="Only practice sessions, or only imported calls.")
@click.option("--scenario", "scenario_id", help="Only this scenario's leaderboard (all reps ranked).")
@click.option("--rep", "rep", help="One rep's progress over time as a chart, and their label rates against the team "
              "(the name in any case).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_context
def team(ctx, since, days, kind, scenario_id, rep, fmt):
    """The team at a glance: one row per rep, leaderboards, assignments.

    Per rep: finished sessions (practice and calls), average and latest score
    (a manager's override counts where there is one), the trend (the mean of
    the latest 3 scores against the 3 before), and the labels they show most
    above and most below the team's rate (per 100 rep turns, the team's in
    brackets). Then each scenario's leaderboard (best score) and who passed
    their assignments.
    """
    import dataclasses
    import json
    from coach.team import LEADERBOARD_SIZE, leaderboards, team_to_dict, team_view

    store = open_db(ctx, readonly=True)
    start = _period(since, days)
    view = team_view(store, since=start, kind=kind)
    if scenario_id is not None:
        boards = [b for b in leaderboards(store.score_rows(since=start, kind=kind), size=10**9)
                  if b.scenario_id == scenario_id]
    else:
        boards = list(view.leaderboards)
    if rep is not None:
        return _rep_progress(store, view, rep, fmt, start)
    if fmt == "json":
        out = team_to_dict(view)
        out["leaderboards"] = [dataclasses.asdict(b) for b in boards]
        echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from coach.labels import human

    scope = f"since {start}" if start else "all time"
    n = len(view.reps)
    echo(f"Team, {scope}: {n} rep{'' if n == 1 else 's'}, {view.team_turns} analysed rep turn{'' if view.team_turns == 1 else 's'}")
    if not view.reps:
        echo("no sessions")
    else:
        from coach.report.charts import spark

        echo(f"\n{'rep':<18} {'sess':>4} {'calls':>5} {'avg':>4} {'last':>4}  {'trend':<14}  "
                   f"{'shows most (per 100 turns, team)':<34}  shows least")
        for r in view.reps:
            trend = (spark(r.scores[-8:]) + " " + _num(r.change, signed=True)) if r.scores else "-"

            def rate(x):
                return f"{human(x.label)} {x.rate:.0f} ({x.team_rate:.0f})" if x else "-"

            echo(f"{shorten(cell(r.rep), 18):<18} {r.sessions:>4} {r.calls:>5} {_num(r.average):>4} "
                       f"{_num(r.latest):>4}  {trend:<14}  {rate(r.most):<34}  {rate(r.least)}")
    for b in boards:
        shown = b.rows if scenario_id else b.rows[:LEADERBOARD_SIZE]
        echo(f"\nLeaderboard: {cell(b.title)} ({cell(b.scenario_id)})")
        for row in shown:
            echo(f"  {row.rank:>2}. {shorten(cell(row.rep), 24):<24} best {row.best:>3.0f}  latest {row.latest:>3.0f}"
                       f"  {row.attempts} attempt{'s' if row.attempts != 1 else ''}")
    if scenario_id is not None and not boards:
        echo(f"\nno finished practice of {scenario_id!r}")
    if view.assignments:
        echo("\nAssignments")
        for s in view.assignments:
            a = s.assignment
            echo(f"  {shorten(cell(a.rep), 18):<18} {shorten(cell(a.scenario_id), 26):<26} pass {a.pass_mark:.0f} "
                       f"by {a.due_on}: {s.state}" + (f", best {s.best:.0f}" if s.best is not None else ""))


def _rep_progress(store, view, rep, fmt, start):
    import json

    from coach.cli import CoachError
    from coach.labels import human
    from coach.report.charts import Point, terminal_progress

    from coach.cli.common import no_sessions_by
    from coach.session import same_name

    row = next((r for r in view.reps if r.rep == rep), None) or next(
        (r for r in view.reps if same_name(r.rep, rep)), None)
    if row is None:
        raise CoachError(no_sessions_by(store, rep) + (f" since {start}" if start else ""))
    rep = row.rep
    points = [Point(p.started_at, p.score, p.session_id, p.scenario_id) for p in store.trend(rep)
              if start is None or p.started_at >= start]
    if fmt == "json":
        import dataclasses

        echo(json.dumps({"rep": dataclasses.asdict(row), "progress": [dataclasses.asdict(p) for p in points]},
                              indent=2, ensure_ascii=False))
        return

    color = use_color()
    echo(terminal_progress(points, title=f"Scores of {cell(rep)} over time", color=color), styled=color)
    echo(f"{len(points)} scored practice sessions; average {_num(row.average)}, latest {_num(row.latest)}")
    echo(f"\n{'label':<18} {'per 100 turns':>13} {'team':>6}")
    for r in row.rates:
        echo(f"{human(r.label):<18} {r.rate:>13.0f} {r.team_rate:>6.0f}")


@click.command("assign")
@click.argument("rep")
@click.argument("scenario_id")
@click.option("--pass-mark", type=click.FloatRange(0, 100), required=True, help="The score (0-100) that passes.")
@click.option("--due", "due_on", metavar="YYYY-MM-DD", required=True, help="The date it is due.")
@click.option("--note", help="A note for the rep.")
@click.option("--by", "assigned_by", help="Your name (default: coach --rep, else your login name).")
@click.pass_context
def assign(ctx, rep, scenario_id, pass_mark, due_on, note, assigned_by):
    """Give REP the scenario SCENARIO_ID to pass with --pass-mark by --due (today or later).

    The rep sees it on the app's home screen; `coach team` and `coach
    assignments` show who passed (a finished session of that scenario,
    started after the assignment was given, scoring at least the pass mark).
    REP matches a stored rep's name in any case; a rep with no sessions yet
    is accepted, and said so on stderr.
    """
    from datetime import date

    from coach.cli import CoachError
    from coach.cli.common import close_rep
    from coach.scenario import did_you_mean, discover_scenarios
    from coach.store import StoreError

    try:
        due = date.fromisoformat(due_on).isoformat()
    except ValueError:
        raise CoachError(f"--due {due_on!r}: expected a date as YYYY-MM-DD") from None
    # Today is the day `coach team` counts overdue from (coach.team.assignment_statuses).
    if due < date.today().isoformat():
        raise CoachError(f"--due {due}: that date has passed (today is {date.today().isoformat()})")
    known = sorted({ref.id for ref in discover_scenarios() if ref.error is None})
    if scenario_id not in known:
        close = did_you_mean(scenario_id, known)
        raise CoachError(f"no scenario {scenario_id!r}" + (f"; did you mean {close!r}?" if close else f" (known: {', '.join(known)})"))
    store = open_db(ctx)
    try:
        # The rep as stored ("ana" for "Ana"): a new name is a new rep, accepted but said.
        rep = store.rep_name(rep) or rep
        practised = bool(store.sessions(rep=rep, limit=1))
        aid = store.add_assignment(rep=rep, scenario_id=scenario_id, pass_mark=pass_mark, due_on=due, note=note,
                                   assigned_by=who(ctx, assigned_by))
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from None
    if not practised:
        close = close_rep(store, rep)
        echo(f"coach: {cell(rep)} has no sessions yet" + (f" (did you mean {cell(close)!r}?)" if close else ""),
             err=True)
    echo(f"assignment {aid}: {cell(rep)} to pass {scenario_id} with {pass_mark:.0f} by {due}")


@click.command("assignments")
@click.option("--rep", help="Only this rep's assignments (the name in any case).")
@click.option("--remove", "remove_id", type=ASSIGNMENT_ID, metavar="ID", help="Remove assignment ID instead of listing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def assignments(ctx, rep, remove_id, as_json):
    """List assignments and who passed them (or remove one with --remove ID)."""
    import dataclasses
    import json

    from coach.cli import CoachError
    from coach.store import StoreError
    from coach.team import assignment_statuses

    if remove_id is not None:
        try:
            open_db(ctx, must_exist=True).remove_assignment(remove_id)
        except StoreError as exc:
            raise CoachError(str(exc)) from None
        echo(f"assignment {remove_id} removed")
        return
    statuses = assignment_statuses(open_db(ctx, readonly=True), rep=rep)
    if as_json:
        echo(json.dumps([dataclasses.asdict(s) for s in statuses], indent=2, ensure_ascii=False))
        return
    if not statuses:
        echo("no assignments")
    for s in statuses:
        a = s.assignment
        best = f"best {s.best:.0f} in {s.attempts}" if s.best is not None else "not tried"
        passed = f" (session {s.passed_session}, {s.passed_on[:10]})" if s.passed_session else ""
        echo(f"{a.id:>4}  {shorten(cell(a.rep), 18):<18} {shorten(cell(a.scenario_id), 26):<26} pass {a.pass_mark:.0f} "
                   f"by {a.due_on}: {s.state}{passed}; {best}")


COMMANDS = [team, assign, assignments]
