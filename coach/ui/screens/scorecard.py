"""The scorecard of a finished session, read back from the store: the score and
its parts, the best and worst turn, discoveries found and missed, and the trend
over the rep's earlier attempts at the scenario."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.ui.safe import literal, one_line, visible
from coach.ui.widgets.sparkline import ScoreSparkline

PART_NAMES = {
    "discovery": "Discovery",
    "questions": "Questions",
    "listening": "Listening",
    "relationship": "Relationship",
}

END_REASONS = {
    "walkout": "{buyer} ended the meeting",
    "next_step": "you agreed a next step",
    "max_turns": "out of time",
    "finished": "you ended the session",
}


def _style(score: float | None) -> str:
    if score is None:
        return ""
    return "green" if score >= 75 else "yellow" if score >= 50 else "red"


def _bar(score: float, width: int = 12) -> Text:
    filled = round(width * max(0.0, min(100.0, score)) / 100)
    text = Text("█" * filled, style=_style(score), end="")
    text.append("░" * (width - filled), style="dim")
    return text


class ScorecardScreen(Screen[None]):
    """A session's scorecard, as the store holds it."""

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("h,escape", "home", "Home"),
        Binding("t", "transcript", "Transcript"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.data: dict = {}
        self.scenario: Any = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="scorecard-body"):
            with VerticalScroll(id="score-main"):
                yield Static(id="score-total")
                yield Static(id="score-parts")
                yield Static(id="score-turns")
            with VerticalScroll(id="score-side"):
                yield Static(id="score-discoveries")
                yield ScoreSparkline(id="score-trend", label="Your attempts:")
        yield Footer()

    def on_mount(self) -> None:
        from coach.scenario import load_scenario_text

        self.data = d = self.app.store.session(self.session_id)
        try:
            self.scenario = load_scenario_text(d.get("scenario_yaml") or "", d.get("scenario_title") or "scenario")
        except Exception:  # an old snapshot the current format rejects: show what the store has
            self.scenario = None
        self.sub_title = f"scorecard · {one_line(d.get('scenario_title') or '', 40)}"
        card = d.get("scorecard") or {}
        self._total(d, card)
        self._parts(d, card)
        self._turns(d, card)
        self._discoveries(d, card)
        self._trend(d)
        self.query_one("#score-main").focus()

    # -- sections ------------------------------------------------------------------

    @property
    def buyer_name(self) -> str:
        return visible(self.scenario.buyer.name) if self.scenario else "The buyer"

    def _total(self, d: dict, card: dict) -> None:
        score = d.get("score")
        text = Text(end="")
        if score is None:
            text.append("No score: this session is unfinished.", style="bold yellow")
        else:
            text.append(f"{score:.0f}", style=f"bold {_style(score)}")
            text.append(" / 100", style="bold")
        reason = d.get("end_reason")
        if reason:
            first = self.buyer_name.split()[0] if self.buyer_name.split() else self.buyer_name
            text.append("   " + END_REASONS.get(reason, reason).format(buyer=first), style="dim")
        hints = sum(1 for t in d.get("turns") or [] if t.get("hint"))
        rep_turns = sum(1 for t in d.get("turns") or [] if t["speaker"] == "rep")
        text.append(f"\n{rep_turns} turn{'s' if rep_turns != 1 else ''}", style="dim")
        if hints:
            text.append(f" · {hints} hint{'s' if hints != 1 else ''} taken (points off)", style="dim")
        self.query_one("#score-total", Static).update(text)

    def _parts(self, d: dict, card: dict) -> None:
        parts = card.get("parts") or []
        text = Text(end="")
        width = max((len(_part_title(p)) for p in parts), default=10) + 1
        for i, part in enumerate(parts):
            score = float(part.get("score") or 0)
            if i:
                text.append("\n")
            text.append(_part_title(part).ljust(width), style="bold")
            text.append_text(_bar(score))
            text.append(f" {score:3.0f}", style=_style(score))
            weight = part.get("weight")
            if weight is not None:
                text.append(f"  ×{float(weight):.0%}", style="dim")
            advice = part.get("advice") or ""
            if advice:
                text.append("\n  try: ", style="dim")
                text.append_text(literal(advice))
        penalty = card.get("hint_penalty") or 0
        if penalty:
            text.append(f"\nHints  −{penalty} points", style="yellow")
        self.query_one("#score-parts", Static).update(text if parts else Text("No parts recorded.", style="dim"))

    def _turns(self, d: dict, card: dict) -> None:
        turns = d.get("turns") or []
        best = _turn_pick(card, "best", turns)
        worst = _turn_pick(card, "worst", turns)
        text = Text(end="")
        for title, pick, style in (("Best turn", best, "green"), ("Worst turn", worst, "red")):
            if pick is None:
                continue
            if text.plain:
                text.append("\n")
            text.append(f"{title}  ", style=f"bold {style}")
            text.append("“")
            text.append_text(literal(one_line(pick["text"], 160)))
            text.append("”")
            if pick.get("why"):
                text.append("\n  ")
                text.append_text(literal(pick["why"]))
        self.query_one("#score-turns", Static).update(text)

    def _discoveries(self, d: dict, card: dict) -> None:
        found: list[str] = []
        for t in d.get("turns") or []:
            for r in t.get("revealed") or []:
                if r not in found:
                    found.append(r)
        for r in card.get("discovered") or []:
            if r not in found:
                found.append(r)
        text = Text("Discoveries", style="bold", end="")
        if self.scenario is None:
            text.append(f" {len(found)} found")
            self.query_one("#score-discoveries", Static).update(text)
            return
        all_ = self.scenario.discoveries
        text.append(f" {sum(1 for x in all_ if x.id in found)}/{len(all_)}")
        for disc in all_:
            if disc.id in found:
                text.append("\n✓ ", style="green")
                text.append(visible(disc.topic))
        missed = [x for x in all_ if x.id not in found]
        if missed:
            text.append("\n\nMissed, and what you would have heard:", style="bold")
            for disc in missed:
                text.append("\n✗ ", style="red")
                text.append(visible(disc.topic))
                text.append("\n  “", style="dim")
                text.append(one_line(disc.reveal[0], 200), style="dim italic")
                text.append("”", style="dim")
                if disc.requires.open_question or disc.requires.min_trust or disc.requires.after:
                    text.append("\n  needs: " + _requires(disc), style="dim")
        self.query_one("#score-discoveries", Static).update(text)

    def _trend(self, d: dict) -> None:
        rows = self.app.store.trend(d.get("rep") or "", d.get("scenario_id"))
        scores = [r["score"] for r in rows if r.get("score") is not None]
        self.query_one("#score-trend", ScoreSparkline).set_scores(scores)

    # -- actions ---------------------------------------------------------------------

    def action_retry(self) -> None:
        if self.scenario is None:
            self.notify("This scenario's stored copy cannot be loaded any more.", severity="error")
            return
        self.app.start_practice(self.scenario, source=self.data.get("scenario_source") or "builtin", replace=True)

    def action_home(self) -> None:
        self.app.go_home()

    def action_transcript(self) -> None:
        self.app.open_transcript(self.session_id)

    def screen_commands(self):
        yield SystemCommand("Retry this scenario", "Practise the same scenario again", self.action_retry)
        yield SystemCommand("Read the transcript", "Every turn with its labels and evidence", self.action_transcript)


def _part_title(part: dict) -> str:
    return str(part.get("title") or PART_NAMES.get(part.get("name", ""), str(part.get("name", "")).title()))


def _requires(disc) -> str:
    r = disc.requires
    bits = []
    if r.open_question:
        bits.append("an open question")
    if r.min_trust:
        bits.append(f"trust {r.min_trust:.0f}+")
    if r.after:
        bits.append("first: " + ", ".join(r.after))
    return ", ".join(bits)


def _turn_pick(card: dict, which: str, turns: list[dict]) -> dict | None:
    """The best or worst rep turn with why, from the scorecard in whatever shape it names it."""
    rep_turns = [t for t in turns if t["speaker"] == "rep"]

    def resolve(value: Any) -> dict | None:
        if value is None:
            return None
        why = ""
        ref = value
        if isinstance(value, dict):
            why = value.get("why") or value.get("reason") or ""
            if value.get("text"):
                return {"text": value["text"], "why": why}
            ref = next((value[k] for k in ("turn", "index", "idx") if isinstance(value.get(k), int)), None)
        if isinstance(ref, int) and not isinstance(ref, bool):
            for t in turns:
                if t.get("idx") == ref:
                    return {"text": t["text"], "why": why}
            if 0 <= ref < len(rep_turns):
                return {"text": rep_turns[ref]["text"], "why": why}
        return None

    for key in (f"{which}_turn", which):
        pick = resolve(card.get(key))
        if pick:
            return pick
    for part in card.get("parts") or []:
        pick = resolve(part.get(which))
        if pick:
            return pick
    return None
