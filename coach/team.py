"""The team at a glance: per rep, scores and their trend, and the labels they
show most and least against the team; leaderboards per scenario; assignments
and who passed. What `coach team`, the review app's team view and the
Datasette queries show.

Pure core (no Textual): the store does the counting in SQL, this module the
arithmetic. Scores are the scores in force (a manager's override, else the
machine's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import TYPE_CHECKING, Literal

from coach.labels import LABELS
from coach.session import Assignment, ScoreRow, name_key

if TYPE_CHECKING:  # pragma: no cover
    from coach.store import Store

#: How many recent sessions the trend compares with the ones before them.
TREND_WINDOW = 3
#: Leaderboard rows per scenario.
LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class LabelRate:
    """How often a label appears: per 100 analysed rep turns, the rep's and the team's."""

    label: str
    rate: float
    team_rate: float

    @property
    def difference(self) -> float:
        return self.rate - self.team_rate


AssignmentState = Literal["passed", "passed late", "open", "overdue"]


@dataclass(frozen=True)
class AssignmentStatus:
    """An assignment and how the rep stands on it."""

    assignment: Assignment
    state: AssignmentState
    #: The rep's best score on the scenario since it was assigned.
    best: float | None
    attempts: int
    #: The first session that reached the pass mark, and when it ended.
    passed_session: int | None
    passed_on: str | None

    @property
    def passed(self) -> bool:
        return self.state in ("passed", "passed late")


@dataclass(frozen=True)
class RepRow:
    """One rep in the team view."""

    rep: str
    #: Finished sessions in the period: practice and imported calls.
    sessions: int
    practice: int
    calls: int
    #: Scores in force, oldest first (calls count once a manager scored them).
    scores: tuple[float, ...]
    average: float | None
    latest: float | None
    #: The latest scores against the ones before them (trend_change); None
    #: with fewer than two scores.
    change: float | None
    #: Analysed rep turns, and each label's rate per 100 of them.
    rep_turns: int
    rates: tuple[LabelRate, ...]
    #: The label the rep shows furthest above the team's rate, and furthest below.
    most: LabelRate | None
    least: LabelRate | None
    assignments: tuple[AssignmentStatus, ...] = ()


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    rep: str
    best: float
    latest: float
    attempts: int


@dataclass(frozen=True)
class Leaderboard:
    scenario_id: str
    title: str
    rows: tuple[LeaderRow, ...]


@dataclass(frozen=True)
class TeamView:
    since: str | None
    until: str | None
    kind: str | None
    reps: tuple[RepRow, ...]
    #: The team's rate per 100 analysed rep turns, per label.
    team_rates: dict[str, float]
    team_turns: int
    leaderboards: tuple[Leaderboard, ...]
    assignments: tuple[AssignmentStatus, ...]


def _rate(n: int, turns: int) -> float:
    return round(100.0 * n / turns, 1) if turns else 0.0


def trend_change(scores: Sequence[float], window: int = TREND_WINDOW) -> float | None:
    """The mean of the latest ``window`` scores minus the mean of up to
    ``window`` before them; None with fewer than two scores."""
    if len(scores) < 2:
        return None
    k = min(window, len(scores) // 2)
    return round(fmean(scores[-k:]) - fmean(scores[-2 * k : -k]), 1)


def assignment_statuses(store: Store, rep: str | None = None, *, today: date | None = None,
                        scored: Sequence[ScoreRow] | None = None) -> list[AssignmentStatus]:
    """Every assignment (or one rep's) with the rep's standing, soonest due first.
    ``scored``: every finished session's score row, if the caller has them."""
    today = today or date.today()
    assignments = store.assignments(rep=rep)
    if not assignments:
        return []
    if scored is None:
        scored = store.score_rows(kind="practice", rep=rep)
    tries_by: dict[tuple[str, str], list[ScoreRow]] = {}
    for r in scored:
        if r.kind == "practice" and r.score is not None:
            tries_by.setdefault((name_key(r.rep), r.scenario_id), []).append(r)
    out = []
    for a in assignments:
        tries = [r for r in tries_by.get((name_key(a.rep), a.scenario_id), ()) if r.started_at > a.created_at]
        best = max((r.score for r in tries), default=None)
        first = next((r for r in tries if r.score >= a.pass_mark), None)
        if first is not None:
            passed_on = first.ended_at or first.started_at
            state: AssignmentState = "passed" if passed_on[:10] <= a.due_on else "passed late"
        else:
            passed_on = None
            state = "overdue" if today.isoformat() > a.due_on else "open"
        out.append(AssignmentStatus(a, state, best, len(tries), first.session_id if first else None, passed_on))
    return out


def team_view(store: Store, *, since: str | None = None, until: str | None = None, kind: str | None = None,
              today: date | None = None, scored: Sequence[ScoreRow] | None = None) -> TeamView:
    """The team over sessions started in [since, until) (ISO dates; None: all),
    of one kind or both. ``scored``: the store's score_rows for that period,
    if the caller has them already."""
    if scored is None:
        scored = store.score_rows(since=since, until=until, kind=kind)
    counts = store.label_counts_by_rep(since=since, until=until, kind=kind)
    team_turns = sum(n for n, _ in counts.values())
    team_counts = {label: sum(c.get(label, 0) for _, c in counts.values()) for label in LABELS}
    team_rates = {label: _rate(team_counts[label], team_turns) for label in LABELS}
    # Assignments count every session since they were given, whatever the period shown.
    statuses = assignment_statuses(store, today=today, scored=None if since or until or kind else scored)

    by_rep: dict[str, list[ScoreRow]] = {}
    for row in scored:
        by_rep.setdefault(row.rep, []).append(row)
    names = sorted(set(by_rep) | set(counts) | {s.assignment.rep for s in statuses}, key=str.casefold)
    reps = []
    for name in names:
        rows = by_rep.get(name, [])
        scores = tuple(r.score for r in rows if r.score is not None)
        turns, labels = counts.get(name, (0, {}))
        rates = tuple(LabelRate(label, _rate(labels.get(label, 0), turns), team_rates[label]) for label in LABELS)
        shown = [r for r in rates if r.rate or r.team_rate] if turns else []
        most = max(shown, key=lambda r: r.difference, default=None)
        least = min(shown, key=lambda r: r.difference, default=None)
        reps.append(RepRow(
            rep=name,
            sessions=len(rows),
            practice=sum(1 for r in rows if r.kind == "practice"),
            calls=sum(1 for r in rows if r.kind == "call"),
            scores=scores,
            average=round(fmean(scores), 1) if scores else None,
            latest=scores[-1] if scores else None,
            change=trend_change(scores),
            rep_turns=turns,
            rates=rates,
            most=most if most is not None and most.difference > 0 else None,
            least=least if least is not None and least.difference < 0 else None,
            assignments=tuple(s for s in statuses if s.assignment.rep == name),
        ))
    return TeamView(since=since, until=until, kind=kind, reps=tuple(reps), team_rates=team_rates,
                    team_turns=team_turns, leaderboards=tuple(leaderboards(scored)), assignments=tuple(statuses))


def leaderboards(scored: Sequence[ScoreRow], size: int = LEADERBOARD_SIZE) -> list[Leaderboard]:
    """Per scenario (practice only), reps ranked by their best score, then latest."""
    per: dict[str, dict[str, list[ScoreRow]]] = {}
    titles: dict[str, str] = {}
    for r in scored:
        if r.kind != "practice" or r.score is None:
            continue
        per.setdefault(r.scenario_id, {}).setdefault(r.rep, []).append(r)
        titles[r.scenario_id] = r.scenario_title
    boards = []
    for scenario_id in sorted(per, key=lambda s: titles[s].casefold()):
        entries = sorted(
            ((max(x.score for x in rows), rows[-1].score, len(rows), rep) for rep, rows in per[scenario_id].items()),
            key=lambda e: (-e[0], -e[1], e[3].casefold()),
        )[:size]
        boards.append(Leaderboard(scenario_id, titles[scenario_id], tuple(
            LeaderRow(rank=i, rep=rep, best=best, latest=latest, attempts=n)
            for i, (best, latest, n, rep) in enumerate(entries, 1))))
    return boards


def team_to_dict(view: TeamView) -> dict:
    """The JSON form (`coach team --format json`)."""
    return dataclasses.asdict(view)
