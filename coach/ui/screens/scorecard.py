"""The scorecard of a finished session, read back from the store: the score and
its parts, the best and worst turn, discoveries found and missed, and the trend
over the rep's earlier attempts at the scenario."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
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
        with ScrollableContainer(id="scorecard-body"):
            with VerticalScroll(id="score-main"):
                yield Static(id="score-total")
                yield ScoreSparkline(id="score-trend", label="Your attempts:")
                yield Vertical(id="score-parts")
                yield Vertical(id="score-turns")
            with VerticalScroll(id="score-side"):
                yield Vertical(id="score-discoveries")
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
        self.call_after_refresh(self._focus_scroller)

    def _focus_scroller(self) -> None:
        # Narrow: the body scrolls as one, so keys scroll it; wide: the main column.
        self.query_one("#scorecard-body" if self.has_class("-narrow") else "#score-main").focus()

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
        lines: list[Static] = []
        width = max((len(_part_title(p)) for p in parts), default=10) + 1
        for part in parts:
            score = float(part.get("score") or 0)
            text = Text(_part_title(part).ljust(width), style="bold", end="")
            text.append_text(_bar(score))
            text.append(f" {score:3.0f}", style=_style(score))
            weight = part.get("weight")
            if weight is not None:
                text.append(f"  ×{float(weight):.0%}", style="dim")
            lines.append(Static(text, classes="part-line"))
            advice = part.get("advice") or ""
            if advice:
                tip = Text("Try: ", style="bold", end="")
                tip.append_text(literal(advice))
                lines.append(Static(tip, classes="indent muted"))
        penalty = card.get("hint_penalty") or 0
        if penalty:
            lines.append(Static(Text(f"Hints taken: −{penalty} points", style="yellow")))
        if not parts:
            lines.append(Static(Text("No parts recorded.", style="dim")))
        self.query_one("#score-parts", Vertical).mount_all(lines)

    def _turns(self, d: dict, card: dict) -> None:
        turns = d.get("turns") or []
        lines: list[Static] = []
        for title, pick, style in (
            ("Best turn", _turn_pick(card, "best", turns), "green"),
            ("Weakest turn", _turn_pick(card, "worst", turns), "red"),
        ):
            if pick is None:
                continue
            lines.append(Static(Text(title, style=f"bold {style}"), classes="turn-title"))
            quote = Text("“", end="")
            quote.append_text(literal(one_line(pick["text"], 300)))
            quote.append("”")
            lines.append(Static(quote, classes="indent"))
            if pick.get("why"):
                lines.append(Static(literal(pick["why"], style="italic"), classes="indent muted"))
        self.query_one("#score-turns", Vertical).mount_all(lines)

    def _discoveries(self, d: dict, card: dict) -> None:
        found: list[str] = []
        for t in d.get("turns") or []:
            for r in t.get("revealed") or []:
                if r not in found:
                    found.append(r)
        for r in card.get("discovered") or []:
            if r not in found:
                found.append(r)
        box = self.query_one("#score-discoveries", Vertical)
        lines: list[Static] = []
        if self.scenario is None:
            lines.append(Static(Text(f"Discoveries: {len(found)} found", style="bold")))
            box.mount_all(lines)
            return
        all_ = self.scenario.discoveries
        n_found = sum(1 for x in all_ if x.id in found)
        lines.append(Static(Text(f"Discoveries {n_found}/{len(all_)}", style="bold")))
        for disc in all_:
            if disc.id in found:
                lines.append(Static(Text("✓ " + visible(disc.topic), style="green"), classes="hang"))
        missed = [x for x in all_ if x.id not in found]
        if missed:
            lines.append(Static(Text("Missed, and what you would have heard:", style="bold"), classes="gap"))
            for disc in missed:
                lines.append(Static(Text("✗ " + visible(disc.topic)), classes="hang"))
                lines.append(Static(Text(f"“{visible(disc.reveal[0])}”", style="italic"), classes="indent muted"))
                needs = _requires(disc, self.scenario)
                if needs:
                    lines.append(Static(Text("needs " + needs, style="dim"), classes="indent"))
        box.mount_all(lines)

    def _trend(self, d: dict) -> None:
        rows = self.app.store.trend(d.get("rep") or "", d.get("scenario_id"))
        scores = [r["score"] for r in rows if r.get("score") is not None]
        self.query_one("#score-trend", ScoreSparkline).set_scores(scores)

    # -- actions ---------------------------------------------------------------------

    def action_retry(self) -> None:
        if self.scenario is None:
            self.notify(markup=False, message="This scenario's stored copy cannot be loaded any more.", severity="error")
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


def _requires(disc, scenario) -> str:
    r = disc.requires
    bits = []
    if r.open_question:
        bits.append("an open question")
    if r.min_trust:
        bits.append(f"trust {r.min_trust:.0f}+")
    for other in r.after:
        try:
            bits.append("first: " + visible(scenario.discovery(other).topic))
        except KeyError:
            bits.append("first: " + visible(other))
    return "; ".join(bits)


def _turn_pick(card: dict, which: str, turns: list[dict]) -> dict | None:
    """The best or worst rep turn with why.

    Each part of the scorecard names its own best and worst turn; the overall
    pick is the turn most parts agree on, ties going to the part that scored
    lowest (for the worst) or highest (for the best).
    """
    by_idx = {t.get("idx"): t for t in turns}
    votes: dict[int, list[tuple[float, str]]] = {}
    for part in card.get("parts") or []:
        ref = part.get(which)
        if not isinstance(ref, dict) or not isinstance(ref.get("turn"), int):
            continue
        votes.setdefault(ref["turn"], []).append((float(part.get("score") or 0), ref.get("why") or ""))
    if not votes:
        return None
    sign = 1 if which == "best" else -1

    def rank(item):
        idx, vs = item
        extreme = max(sign * score for score, _ in vs)
        return (len(vs), extreme, -idx if which == "worst" else idx)

    idx, vs = max(votes.items(), key=rank)
    turn = by_idx.get(idx)
    if turn is None:
        return None
    vs = sorted(vs, key=lambda v: -sign * v[0])
    whys = list(dict.fromkeys(w for _, w in vs if w))
    return {"text": turn["text"], "why": "; ".join(whys[:2])}
