"""Sessions out of the database: CSV (a row per session or per turn, a column
per label), JSONL (a session per line, what `coach analyze` and `coach import`
read back), Markdown for pasting, and a self-contained HTML report that prints
well to PDF.

Each takes SessionRecords (``Store.records()`` streams them) and writes text;
no Textual, no click.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from coach.labels import BAD, EXCUSED_WHY, GOOD, LABELS, human, human_list, only_excused
from coach.report.charts import Point, svg_progress
from coach.scoring import PART_TITLES, band, end_sentence
from coach.session import SessionRecord, TurnRecord, record_to_dict, turn_words
from coach.text import clean_text

FORMATS = ("csv", "jsonl", "md", "html")

#: The metrics of coach.analysis.metrics.summarize that a session row carries.
METRIC_COLUMNS = ("rep_talk_share", "questions", "question_mix", "longest_rep_monologue", "checklist_runs",
                  "reflection_to_question", "follow_up_rate")

SESSION_COLUMNS = (
    "session_id", "kind", "rep", "scenario_id", "title", "started_at", "ended_at", "status", "how_it_ended",
    "machine_score", "score", "overridden", "override_reason",
    *[f"{part}_score" for part in PART_TITLES],
    "turns", "rep_turns", *METRIC_COLUMNS, *LABELS, "comments",
)

TURN_COLUMNS = (
    "session_id", "kind", "rep", "scenario_id", "started_at", "line", "rep_turn", "speaker", "name", "text", "labels",
    *LABELS, "excused", "evidence", "tips", "comments",
)


def _plain(value: object) -> str:
    return clean_text(str(value)) if value is not None else ""


def _score(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def session_row(r: SessionRecord) -> dict[str, object]:
    """One session as a CSV row."""
    metrics = r.metrics()
    row: dict[str, object] = {
        "session_id": r.id, "kind": r.kind, "rep": r.rep, "scenario_id": r.scenario_id, "title": r.title,
        "started_at": r.started_at, "ended_at": r.ended_at or "", "status": r.status,
        "how_it_ended": end_sentence(r.end_reason, r.buyer_name) if r.finished and r.kind == "practice" else "",
        "machine_score": _score(r.score), "score": _score(r.final_score), "overridden": int(r.overridden),
        "override_reason": "; ".join(f"{o.part}: {o.reason}" for o in r.overrides_in_force().values())
        if r.overridden else "",
    }
    for part in PART_TITLES:
        row[f"{part}_score"] = _score(r.part_score(part)[0])
    row["turns"] = len(r.turns)
    row["rep_turns"] = len(r.rep_turns)
    for key in METRIC_COLUMNS:
        value = metrics.get(key)
        row[key] = "" if value is None else value
    counts = metrics.get("labels") or {}
    for label in LABELS:
        row[label] = counts.get(label, 0)
    row["comments"] = len(r.comments)
    return {k: _plain(v) if isinstance(v, str) else v for k, v in row.items()}


def turn_rows(r: SessionRecord) -> Iterator[dict[str, object]]:
    """Every turn of a session as CSV rows (label columns 1/0 on rep turns)."""
    for t in r.turns:
        a = t.analysed
        row: dict[str, object] = {
            "session_id": r.id, "kind": r.kind, "rep": _plain(r.rep), "scenario_id": _plain(r.scenario_id),
            "started_at": r.started_at, "line": t.number,
            "rep_turn": "" if t.rep_turn is None else t.rep_turn, "speaker": t.speaker, "name": _plain(t.speaker_name),
            "text": _plain(t.text), "labels": " ".join(t.labels),
        }
        for label in LABELS:
            row[label] = int(label in t.labels) if t.speaker == "rep" and a is not None else ""
        # What the buyer excused (self-interest once value was established) is
        # said, as the scorecard and the reports say it, and its tips are not.
        excused = r.excused(t)
        row["excused"] = " ".join(excused)
        row["evidence"] = " | ".join(f"{e.label}: {_plain(e.quote)}" + (" (fine here)" if e.label in excused else "")
                                     for e in (a.evidence if a else ()))
        row["tips"] = "" if only_excused(t.labels, excused) else " | ".join(_plain(tip) for tip in (a.tips if a else ()))
        row["comments"] = " | ".join(f"{_plain(c.author)}: {_plain(c.text)}" for c in t.comments)
        yield row


def write_csv(records: Iterable[SessionRecord], out: IO[str], *, per: str = "session") -> int:
    """CSV with a header row; ``per`` "session" or "turn". Returns the rows written."""
    columns = SESSION_COLUMNS if per == "session" else TURN_COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for r in records:
        rows = [session_row(r)] if per == "session" else list(turn_rows(r))
        writer.writerows(rows)
        n += len(rows)
    return n


def write_jsonl(records: Iterable[SessionRecord], out: IO[str]) -> int:
    """A session per line, as `coach show --json` prints it."""
    n = 0
    for r in records:
        line = json.dumps(record_to_dict(r), ensure_ascii=False)
        # Many line readers split on these; JSON allows them raw.
        out.write(line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085") + "\n")
        n += 1
    return n


# -- Markdown and HTML -------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A piece of a turn's text, and the evidence labels that cover it."""

    text: str
    labels: tuple[str, ...] = ()
    why: str = ""
    #: Labels among ``labels`` the buyer excused: no fault (see BuyerMove.excused).
    excused: tuple[str, ...] = ()

    @property
    def tone(self) -> str:
        if not self.labels:
            return ""
        return "bad" if any(label in BAD and label not in self.excused for label in self.labels) else "good" if any(
            label in GOOD for label in self.labels) else "neutral"


def spans(turn: TurnRecord, excused: Sequence[str] = ()) -> list[Span]:
    """The turn's text cut at every evidence boundary, so overlapping evidence
    highlights cleanly: each piece knows the labels whose quote covers it, and
    which of them the buyer ``excused`` (not marked as a fault)."""
    text = turn.text
    evidence = [e for e in (turn.analysed.evidence if turn.analysed else ())
                if 0 <= e.start < e.end <= len(text)]
    cuts = sorted({0, len(text), *(e.start for e in evidence), *(e.end for e in evidence)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [e for e in evidence if e.start <= a and b <= e.end]
        labels = tuple(dict.fromkeys(e.label for e in covering))
        why = "; ".join(f"{human(e.label)}: {EXCUSED_WHY if e.label in excused else e.why}" for e in covering
                        if e.why or e.label in excused)
        out.append(Span(text[a:b], labels, why, tuple(x for x in labels if x in excused)))
    return out


def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("coach.report", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clean"] = lambda s: clean_text(s or "")
    env.filters["human"] = human
    env.filters["md"] = _md_escape
    env.filters["score"] = lambda x: "–" if x is None else f"{x:.0f}"
    env.filters["band"] = lambda x: "" if x is None else band(x)
    env.globals.update(GOOD=GOOD, BAD=BAD, LABELS=LABELS, spans=spans, end_sentence=end_sentence,
                       PART_TITLES=PART_TITLES, turn_words=turn_words, EXCUSED_WHY=EXCUSED_WHY, only_excused=only_excused,
                       human_list=human_list)
    return env


def _md_escape(text: str) -> str:
    """Text shown as written in Markdown: its markup characters escaped, on one line per paragraph."""
    text = clean_text(text or "")
    for ch in "\\`*_{}[]<>#|~":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "  \n")


def _check_one_rep(records: Sequence[SessionRecord]) -> None:
    reps = sorted({r.rep for r in records})
    if len(reps) > 1:
        raise ValueError(f"a report is of one rep's sessions, and these are {', '.join(reps)}: "
                         "pass --rep NAME, or session ids of one rep")
    if not records:
        raise ValueError("no sessions to report on")


def render_report(records: Sequence[SessionRecord], *, fmt: str, trend: Sequence[Point] = (),
                  generated_at: str = "") -> str:
    """A report of one session or one rep's sessions: "html" (self-contained,
    the progress chart inline SVG, prints to PDF) or "md"."""
    _check_one_rep(records)
    template = _env().get_template("report.html.j2" if fmt == "html" else "report.md.j2")
    return template.render(
        rep=records[0].rep,
        records=records,
        trend=trend,
        chart=svg_progress(trend) if fmt == "html" else "",
        generated_at=generated_at,
        metric_rows=_metric_rows,
    )


def _metric_rows(m: dict) -> list[tuple[str, str]]:
    """The conversation summary as (what, value) rows for a report."""

    def pct(x):
        return "n/a" if x is None else f"{round(x * 100)}%"

    rows = [
        ("Rep's share of the words", f"{pct(m.get('rep_talk_share'))} of {m.get('rep_words', 0) + m.get('buyer_words', 0)}"
                                     f" ({m.get('talk_share_benchmark', '')})"),
        ("Questions", f"{m.get('questions', 0)} in {m.get('rep_turns', 0)} rep turns;"
                      f" open:closed:leading {m.get('question_mix', '0:0:0')}"),
        ("Longest rep monologue", f"{m.get('longest_rep_monologue', 0)} words"),
        ("Checklist runs", f"{m.get('checklist_runs', 0)} (longest {m.get('longest_checklist_run', 0)} rep turns)"),
    ]
    ratio = m.get("reflection_to_question")
    rows.append(("Reflections to questions", f"{m.get('reflections', 0)} to {m.get('questions', 0)}"
                 + (f" ({ratio:.2f}:1, {m.get('reflection_rating')})" if ratio is not None else "")))
    rate = m.get("follow_up_rate")
    rows.append(("Follow-ups", f"{m.get('follow_ups', 0)} of {m.get('question_turns', 0)} question turns"
                 + (f" ({pct(rate)})" if rate is not None else "")))
    return rows
