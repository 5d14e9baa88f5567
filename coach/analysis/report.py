"""What `coach analyze` prints: JSON records and the readable text report.

Pure formatting, no model and no click: the CLI hands over a conversation, its
analyses and its summary. Every piece of transcript text that reaches the
terminal goes through :func:`coach.text.clean_text` and is printed literally
(never read as markup), so a transcript cannot move the cursor or recolour the
screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from coach.analysis.readers import Conversation
from coach.analysis.types import AnalysedTurn, Evidence
from coach.labels import BAD, GOOD, LABELS, human
from coach.text import clean_text

__all__ = [
    "turn_record",
    "summary_record",
    "conversation_records",
    "conversation_document",
    "jsonl_lines",
    "render_text",
    "render_summary",
]


def _evidence(e: Evidence) -> dict:
    return {"label": e.label, "start": e.start, "end": e.end, "quote": e.quote, "why": e.why}


def turn_record(conversation: str, number: int, speaker: str, text: str, analysed: AnalysedTurn | None,
                name: str | None = None) -> dict:
    """One turn as `coach analyze --format jsonl` prints it (labels, evidence
    and tips empty for buyer turns); ``number`` counts from 1. ``name`` is the speaker as the
    transcript names them, added as ``"name"`` when it says more than
    rep/buyer."""
    record = {
        "type": "turn",
        "conversation": conversation,
        "turn": number,
        "speaker": speaker,
        "text": text,
        "labels": list(analysed.labels) if analysed else [],
        "evidence": [_evidence(e) for e in analysed.evidence] if analysed else [],
        "tips": list(analysed.tips) if analysed else [],
    }
    if name and name != speaker:
        record["name"] = name
    return record


def summary_record(conversation: str, summary: dict) -> dict:
    """A conversation's metrics as one ``{"type": "summary", ...}`` record."""
    return {"type": "summary", "conversation": conversation, **summary}


def conversation_records(conv: Conversation, analysed: Sequence[AnalysedTurn | None], summary: dict) -> Iterator[dict]:
    """The turn records of a conversation in input order, then its summary."""
    names = conv.names if len(conv.names) == len(conv.turns) else [None] * len(conv.turns)
    # Turns count from 1 here as in `coach show`, comments and the app.
    for i, (turn, result, name) in enumerate(zip(conv.turns, analysed, names), 1):
        yield turn_record(conv.name, i, turn.speaker, turn.text, result, name)
    yield summary_record(conv.name, summary)


def jsonl_lines(conv: Conversation, analysed: Sequence[AnalysedTurn | None], summary: dict) -> str:
    """The JSONL of a conversation, one record a line, newline-terminated."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    text = "".join(dumps(r) + "\n" for r in conversation_records(conv, analysed, summary))
    return _escape_line_breaks(text)


def _escape_line_breaks(s: str) -> str:
    # JSON leaves NEL and the Unicode line/paragraph separators raw, and many
    # line readers (str.splitlines, JavaScript) split on them: escape them.
    if "\x85" in s or "\u2028" in s or "\u2029" in s:
        s = s.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return s


def conversation_document(conv: Conversation, analysed: Sequence[AnalysedTurn | None], summary: dict) -> dict:
    """A conversation for `--format json`: the same records as JSONL, grouped."""
    records = list(conversation_records(conv, analysed, summary))
    return {"conversation": conv.name, "turns": records[:-1], "summary": records[-1]}


# -- text ----------------------------------------------------------------------


class _Style:
    """ANSI styling that is a no-op when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, s: str, **kw) -> str:
        if not self.color or not s:
            return s
        import click

        return click.style(s, **kw)


def _label_kw(label: str) -> dict:
    if label in BAD:
        return {"fg": "red", "bold": True}
    if label in GOOD:
        return {"fg": "green", "bold": True}
    return {"fg": "yellow", "bold": True}


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{round(x * 100)}%"


def _one_line(text: str, max_chars: int) -> str:
    return clean_text(" ".join(clean_text(text).split()), max_chars=max_chars)


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def render_text(conv: Conversation, analysed: Sequence[AnalysedTurn | None], summary: dict, *,
                color: bool = False) -> str:
    """The readable report of one conversation: every turn (rep turns with
    their labels, the words behind each and the tips), then the summary."""
    st = _Style(color)
    out: list[str] = []
    title = _one_line(conv.name, 200)
    out.append(st(f"== {title} ==", bold=True))
    names = conv.names if len(conv.names) == len(conv.turns) else [t.speaker for t in conv.turns]
    for i, (turn, result, name) in enumerate(zip(conv.turns, analysed, names), 1):
        who = _one_line(name or turn.speaker, 60)
        text = clean_text(turn.text)
        if turn.speaker != "rep":
            out.append(f"{i:>4}  " + st(f"{who}:", fg="cyan") + " " + st(_indent(text, "      "), dim=True))
            continue
        who = "rep:" if who.casefold() == "rep" else f"{who} (rep):"
        out.append(f"{i:>4}  " + st(who, fg="magenta", bold=True) + " " + _indent(text, "      "))
        if result is None:
            continue
        by_label: dict[str, list[Evidence]] = {}
        for e in result.evidence:
            by_label.setdefault(e.label, []).append(e)
        if not result.labels:
            out.append("        " + st("no labels", dim=True))
        for label in result.labels:
            mark = "-" if label in BAD else "+" if label in GOOD else "·"
            line = f"        {mark} " + st(human(label), **_label_kw(label))
            quotes = by_label.get(label, [])
            if quotes:
                q = quotes[0]
                line += "  " + st(f"\u201c{clean_text(q.quote.strip(), max_chars=160)}\u201d", italic=True)
                if q.why:
                    line += st(f"  {clean_text(q.why, max_chars=200)}", dim=True)
            out.append(_indent(line, "          "))
        for tip in result.tips:
            out.append("        " + st("tip:", fg="yellow", bold=True) + " " + _indent(clean_text(tip), "             "))
    out.append("")
    out.extend(_summary_lines(summary, st))
    out.append("")
    return "\n".join(out)


def render_summary(summary: dict, *, color: bool = False) -> str:
    """The summary block alone (what `coach show` prints under a call)."""
    return "\n".join(_summary_lines(summary, _Style(color)))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _summary_lines(s: dict, st: _Style) -> list[str]:
    def row(key: str, value: str) -> str:
        return "  " + st(f"{key:<14}", bold=True) + value

    def note(text: str) -> str:
        return st(f"; {text}", dim=True)

    lines = [st("Summary", bold=True, underline=True)]
    lines.append(row("talk share", f"rep {_pct(s['rep_talk_share'])} of "
                     f"{_n(s['rep_words'] + s['buyer_words'], 'word')}" + note(s["talk_share_benchmark"])))
    per = s["questions_per_rep_turn"]
    lines.append(row("questions", f"{s['questions']} in {_n(s['rep_turns'], 'rep turn')}"
                     + (f" ({per:.1f} per turn)" if per is not None else "")
                     + f"; open:closed:leading {s['question_mix']}"))
    lines.append(row("longest", f"rep monologue {_n(s['longest_rep_monologue'], 'word')}; "
                     f"buyer stretch {_n(s['longest_buyer_stretch'], 'word')}"))
    runs = s["checklist_runs"]
    lines.append(row("checklist", "no runs" if not runs else
                     f"{_n(runs, 'run')}, longest {_n(s['longest_checklist_run'], 'rep turn')}"))
    ratio = s["reflection_to_question"]
    refl = f"{_n(s['reflections'], 'reflection')} to {_n(s['questions'], 'question')}"
    if ratio is not None:
        refl += f" ({ratio:.2f}:1, {s['reflection_rating']})"
    lines.append(row("reflections", refl + note(s["reflection_benchmark"])))
    lines.append(row("follow-ups", f"{s['follow_ups']} of {_n(s['question_turns'], 'question turn')}"
                     + (f" ({_pct(s['follow_up_rate'])})" if s["follow_up_rate"] is not None else "")))
    counts = s["labels"]
    items = [f"{human(label)} {counts.get(label, 0)}" for label in LABELS]
    wrapped: list[str] = []
    for item in items:  # wrap between items, never inside one
        if wrapped and len(wrapped[-1]) + len(item) + 2 <= 62:
            wrapped[-1] += ", " + item
        else:
            if wrapped:
                wrapped[-1] += ","
            wrapped.append(item)
    lines.append(row("labels", ("\n" + " " * 16).join(wrapped)))
    return lines
