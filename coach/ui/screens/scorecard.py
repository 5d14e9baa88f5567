"""The scorecard of a finished session, read back from the store: the score and
its parts, the best and worst turn, discoveries found and missed, and the trend
over the rep's earlier attempts at the scenario."""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.scoring import Scorecard, end_sentence
from coach.session import SessionRecord, turn_words
from coach.ui.safe import literal, one_line, visible
from coach.ui.style import score_style, score_text
from coach.ui.widgets.sparkline import ScoreSparkline

def _bar(score: float, width: int = 12) -> Text:
    filled = round(width * max(0.0, min(100.0, score)) / 100)
    text = Text("█" * filled, style=score_style(score), end="")
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
        self.record: SessionRecord | None = None

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
        self.record = r = self.app.store.session(self.session_id)
        self.sub_title = f"scorecard · {one_line(r.scenario_title, 40)}"
        self._total(r)
        self._parts(r)
        self._turns(r.scorecard)
        self._discoveries(r)
        self._trend(r)
        self.call_after_refresh(self._focus_scroller)

    def _focus_scroller(self) -> None:
        # Narrow: the body scrolls as one, so keys scroll it; wide: the main column.
        self.query_one("#scorecard-body" if self.has_class("-narrow") else "#score-main").focus()

    # -- sections ------------------------------------------------------------------

    def _total(self, r: SessionRecord) -> None:
        # The score in force, as the trend line under it and every other view
        # count it: a manager's word over the machine's, marked, the machine's beside it.
        text = Text(end="")
        if r.final_score is None:
            text.append("No score: this session is unfinished.", style="bold yellow")
        else:
            text.append_text(score_text(r.final_score, bold=True))
            text.append(" / 100", style="bold")
        if r.end_reason:
            text.append("   " + end_sentence(r.end_reason, visible(r.buyer_name)), style="dim")
        if r.overridden:
            total = r.overrides_in_force().get("total")
            who = f"{one_line(total.author, 30)}'s score" if total else "a manager's part scores"
            machine = "no machine score" if r.score is None else f"the machine's: {r.score:.0f}"
            text.append(f"\n✎ {who} ({machine})", style="bold yellow")
            if total:
                text.append(": ")
                text.append_text(literal(one_line(total.reason, 200), style="italic"))
        n = len(r.rep_turns)
        text.append(f"\n{n} turn{'s' if n != 1 else ''}", style="dim")
        if r.hints:
            text.append(f" · {r.hints} hint{'s' if r.hints != 1 else ''} taken (points off)", style="dim")
        self.query_one("#score-total", Static).update(text)

    def _parts(self, r: SessionRecord) -> None:
        card = r.scorecard
        parts = card.parts if card else ()
        lines: list[Static] = []
        width = max((len(p.title) for p in parts), default=10) + 1
        for part in parts:
            score, override = r.part_score(part.name)  # the part's own score when nobody overrode it
            text = Text(part.title.ljust(width), style="bold", end="")
            text.append_text(_bar(score))
            text.append(f" {score:3.0f}", style=score_style(score))
            text.append(f"  ×{part.weight:.0%}", style="dim")
            if override is not None:
                text.append(f"  ✎ {one_line(override.author, 20)}'s (the machine's: {part.score})", style="yellow")
            lines.append(Static(text, classes="part-line"))
            if part.advice:
                tip = Text("Try: ", style="bold", end="")
                tip.append_text(literal(part.advice))
                lines.append(Static(tip, classes="indent muted"))
        if card and card.hint_penalty:
            lines.append(Static(Text(f"Hints taken: −{card.hint_penalty} points", style="yellow")))
        if not parts:
            lines.append(Static(Text("No parts recorded.", style="dim")))
        self.query_one("#score-parts", Vertical).mount_all(lines)

    def _turns(self, card: Scorecard | None) -> None:
        lines: list[Static] = []
        for title, pick, style in (("Best turn", card and card.best, "green"), ("Weakest turn", card and card.worst, "red")):
            if not pick:
                continue
            head = Text(title, style=f"bold {style}", end="")
            head.append(f"  {turn_words(pick)}", style="dim")
            lines.append(Static(head, classes="turn-title"))
            quote = Text("“", end="")
            quote.append_text(literal(one_line(pick.quote, 300)))
            quote.append("”")
            lines.append(Static(quote, classes="indent"))
            if pick.why:
                lines.append(Static(literal(pick.why, style="italic"), classes="indent muted"))
        self.query_one("#score-turns", Vertical).mount_all(lines)

    def _discoveries(self, r: SessionRecord) -> None:
        found = [d.id for d in r.discoveries() if d.found]
        box = self.query_one("#score-discoveries", Vertical)
        lines: list[Static] = []
        if r.scenario is None:
            lines.append(Static(Text(f"Discoveries: {len(found)} found", style="bold")))
            box.mount_all(lines)
            return
        all_ = r.scenario.discoveries
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
                lines.append(Static(Text(f"“{visible(disc.reveal[0].say)}”", style="italic"), classes="indent muted"))
                needs = _requires(disc, r.scenario)
                if needs:
                    lines.append(Static(Text("needs " + needs, style="dim"), classes="indent"))
        box.mount_all(lines)

    def _trend(self, r: SessionRecord) -> None:
        scores = [t.score for t in self.app.store.trend(r.rep, r.scenario_id)]
        self.query_one("#score-trend", ScoreSparkline).set_scores(scores)

    # -- actions ---------------------------------------------------------------------

    def _can_retry(self) -> bool:
        # A reviewer reads a rep's scorecard; practising it would store a
        # session under the reviewer's name. Retry is the rep's, after practice.
        return self.app.mode != "review"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self._can_retry()
        return True

    def action_retry(self) -> None:
        if not self._can_retry():
            return
        r = self.record
        if r is None or r.scenario is None:
            self.notify(markup=False, severity="error",
                        message=f"This scenario's stored copy cannot be loaded any more: {r.scenario_error if r else ''}")
            return
        self.app.start_practice(r.scenario, source=r.scenario_source, replace=True)

    def action_home(self) -> None:
        self.app.go_home()

    def action_transcript(self) -> None:
        self.app.open_transcript(self.session_id)

    def screen_commands(self):
        if self._can_retry():
            yield SystemCommand("Retry this scenario", "Practise the same scenario again", self.action_retry)
        yield SystemCommand("Read the transcript", "Every turn with its labels and evidence", self.action_transcript)


def _requires(disc, scenario) -> str:
    r = disc.requires
    bits = []
    if r.open_question:
        bits.append("an open question")
    gate = scenario.gate(disc)
    if gate > scenario.buyer.trust.start:
        bits.append(f"trust {gate:.0f}+")
    for other in r.after:
        try:
            bits.append("first: " + visible(scenario.discovery(other).topic))
        except KeyError:
            bits.append("first: " + visible(other))
    return "; ".join(bits)
