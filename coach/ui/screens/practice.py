"""Practice: talk to the simulated buyer; see each turn's labels, the latest tip,
trust, discoveries and live metrics.

The input is never blocked: the analyser and the buyer run in a thread worker
(``@work(thread=True, exclusive=True)``), one rep turn at a time, and their
results come back as messages. Turns typed while a reply is being worked out,
or while the analyser is still loading, wait in a queue and are shown at once.
The engine writes every turn to the store as it happens.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from coach.labels import BAD, human
from coach.ui.widgets.inputs import make_input
from coach.ui.safe import literal, visible
from coach.ui.widgets.chips import Chips
from coach.ui.widgets.discoveries import DiscoveriesPanel
from coach.ui.widgets.metrics import MetricsPanel
from coach.ui.widgets.trust import TrustMeter


# -- messages from the workers ---------------------------------------------------


class SessionReady(Message):
    """The engine is set up (store session started, buyer ready)."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session


class TurnPlayed(Message):
    """A rep turn was analysed and the buyer replied."""

    def __init__(self, exchange: Any, view: RepLine) -> None:
        super().__init__()
        self.exchange = exchange
        self.view = view


class HintReady(Message):
    def __init__(self, hint: str) -> None:
        super().__init__()
        self.hint = hint


class SessionFinished(Message):
    def __init__(self, scorecard: Any) -> None:
        super().__init__()
        self.scorecard = scorecard


class WorkFailed(Message):
    """A worker raised: shown as a one-line error, the app keeps running."""

    def __init__(self, what: str, error: str, view: RepLine | None = None) -> None:
        super().__init__()
        self.what = what
        self.error = error
        self.view = view


# -- conversation lines ----------------------------------------------------------


def buyer_text(name: str, text: str) -> Text:
    line = Text(f"{name}  ", style="bold", end="")
    line.append_text(literal(text))
    return line


class BuyerLine(Static):
    """One thing the buyer said."""

    def __init__(self, name: str, text: str, *, kind: str = "") -> None:
        super().__init__(buyer_text(name, text), classes=f"turn buyer {kind}".strip())


class RepLine(Vertical):
    """One rep turn: the words, then the labels as chips."""

    def __init__(self, text: str, *, pending: str = "analysing…", labels=None) -> None:
        super().__init__(classes="turn rep")
        self.text = text
        self._pending = pending
        self._labels = labels

    def compose(self) -> ComposeResult:
        line = Text("You  ", style="bold", end="")
        line.append_text(literal(self.text))
        yield Static(line, classes="rep-text")
        if self._labels is not None:
            yield Chips(self._labels)
        else:
            yield Chips(pending=self._pending)

    def set_labels(self, labels) -> None:
        self.query_one(Chips).set_labels(labels)


class NoteLine(Static):
    """A note from the coach in the conversation (hint taken, meeting over)."""

    def __init__(self, text: str) -> None:
        super().__init__(Text(text, style="italic"), classes="turn note")


# -- the screen --------------------------------------------------------------------


class PracticeScreen(Screen[None]):
    """One practice session with the simulated buyer."""

    BINDINGS = [
        Binding("ctrl+e", "end_session", "End session", priority=True),
        Binding("ctrl+t", "hint", "Hint (costs points)", priority=True),
        Binding("f1", "app.show_help", "Help"),
        Binding("escape", "leave", "Leave", show=False),
    ]

    def __init__(self, scenario, source: str = "builtin", *, resume=None) -> None:
        """``resume``: a stored unfinished session (a SessionRecord) to continue."""
        super().__init__()
        self.scenario = scenario
        self.source = source
        self.resume = resume
        self.session: Any = None
        self.queue: deque[tuple[str, RepLine]] = deque()
        self.busy = False
        self.finish_requested = False
        self.scorecard: Any = None
        self.turns: list = []  # coach.analysis.types.Turn, for live metrics
        self.analysed: list = []  # AnalysedTurn or None, aligned with turns
        self.ended_note_shown = False

    @property
    def buyer_name(self) -> str:
        return visible(self.scenario.buyer.name)

    @property
    def first_name(self) -> str:
        return self.buyer_name.split()[0] if self.buyer_name.split() else self.buyer_name

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="practice-body"):
            with Vertical(id="conversation-column"):
                yield VerticalScroll(id="conversation")
                yield Static(id="thinking")
                yield Static(id="tip")
                yield make_input(
                    self.app,
                    placeholder=f"Say something to {self.first_name} and press Enter",
                    id="rep-input",
                    select_on_focus=False,
                )
            with Vertical(id="side"):
                yield Static(id="buyer-card")
                yield TrustMeter(id="trust")
                yield DiscoveriesPanel(id="discoveries")
                yield MetricsPanel(id="metrics")
        yield Footer()

    def on_mount(self) -> None:
        s = self.scenario
        self._thinking: str | None = None
        self._spin_frame = 0
        self._spin_timer = self.set_interval(0.15, self._spin, pause=True)
        self._set_subtitle()
        card = Text(self.buyer_name, style="bold", end="")
        card.append(visible(f"\n{s.buyer.role}, {s.buyer.company}"), style="dim")
        self.query_one("#buyer-card", Static).update(card)
        self.query_one("#trust", TrustMeter).set_trust(s.buyer.trust.start)
        self.query_one("#discoveries", DiscoveriesPanel).set_discoveries(
            [(d.id, d.topic) for d in s.discoveries], []
        )
        self.query_one("#tip", Static).update(
            Text("Tips on your latest turn show here, with the words that earned them.", style="dim italic")
        )
        # The scenario's opening line shows at once; the engine's opening replaces
        # it if it differs once the engine is ready.
        self.opening_line = BuyerLine(self.buyer_name, s.buyer.opening, kind="opening")
        self.query_one("#conversation", VerticalScroll).mount(self.opening_line)
        self.query_one("#rep-input", Input).focus()
        if self.app.analyzer is not None:
            self._start_session(self.app.analyzer)
        else:
            self._show_thinking("Loading the analyser… you can start typing.")
            self.watch(self.app, "analyzer_ready", self._analyzer_ready, init=False)

    def _set_subtitle(self) -> None:
        turn = self.session.state.turns if self.session is not None else 0
        self.sub_title = f"{visible(self.scenario.title)} · turn {turn} of ~{self.scenario.brief.turns}"

    def _analyzer_ready(self, ready: bool) -> None:
        if self.session is not None:
            return
        if self.app.analyzer is not None:
            self._start_session(self.app.analyzer)
        elif self.app.analyzer_error:
            self._show_thinking(f"The analyser could not be loaded: {self.app.analyzer_error}")

    # -- workers -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def _start_session(self, analyzer: Any) -> None:
        try:
            from coach.engine import PracticeSession

            if self.resume is not None:
                session = self._replay(PracticeSession, analyzer)
            else:
                session = PracticeSession(
                    self.scenario,
                    analyzer,
                    seed=self.app.seed if self.app.seed is not None else _fresh_seed(),
                    store=self.app.store,
                    rep=self.app.rep,
                )
        except Exception as exc:
            self.post_message(WorkFailed("start the session", _one_line(exc)))
            return
        self.post_message(SessionReady(session))

    def _replay(self, PracticeSession, analyzer: Any):
        """Rebuild an unfinished session's state by playing its stored rep turns
        again (same seed, so the same buyer), then attach it to the stored
        session so new turns are added to it."""
        stored = self.resume
        session = PracticeSession(self.scenario, analyzer, seed=stored.seed or 0, store=None, rep=stored.rep)
        for turn in stored.rep_turns:
            if session.ended:
                break
            if turn.hint:
                session.hint()
            session.play(turn.text)
        session.store = self.app.store
        session.session_id = stored.id
        return session

    @work(thread=True, exclusive=True, group="engine")
    def _play(self, text: str, view: RepLine) -> None:
        try:
            exchange = self.session.play(text)
        except Exception as exc:
            self.post_message(WorkFailed("play your turn", _one_line(exc), view))
            return
        self.post_message(TurnPlayed(exchange, view))

    @work(thread=True, exclusive=True, group="engine")
    def _hint(self) -> None:
        try:
            hint = self.session.hint()
        except Exception as exc:
            self.post_message(WorkFailed("find a hint", _one_line(exc)))
            return
        self.post_message(HintReady(hint))

    @work(thread=True, exclusive=True, group="engine")
    def _finish(self) -> None:
        try:
            scorecard = self.session.finish()
        except Exception as exc:
            self.post_message(WorkFailed("score the session", _one_line(exc)))
            return
        self.post_message(SessionFinished(scorecard))

    # -- results -----------------------------------------------------------------------

    @on(SessionReady)
    def _session_ready(self, message: SessionReady) -> None:
        self.session = message.session
        opening = getattr(self.session.opening, "text", None)
        if opening and opening != self.scenario.buyer.opening:
            self.opening_line.update(buyer_text(self.buyer_name, opening))
        from coach.analysis.types import Turn

        self.turns = [Turn("buyer", opening or self.scenario.buyer.opening)]
        self.analysed = [None]
        if self.resume is not None:
            self._show_replayed()
        self._show_thinking(None)
        self._pump()

    def _show_replayed(self) -> None:
        """Show the turns of a resumed session, as the engine replayed them."""
        from coach.analysis.types import Turn

        conversation = self.query_one("#conversation", VerticalScroll)
        # Turns typed while the replay ran stay after the replayed ones.
        first_new = next(iter(conversation.query(RepLine)), None)
        widgets: list = []
        for ex in self.session.exchanges:
            widgets.append(RepLine(ex.rep_text, labels=ex.analysed.labels))
            widgets.append(BuyerLine(self.buyer_name, ex.buyer.text, kind=ex.buyer.kind))
            self.turns += [Turn("rep", ex.rep_text), Turn("buyer", ex.buyer.text)]
            self.analysed += [ex.analysed, None]
        n = len(self.session.exchanges)
        widgets.append(NoteLine(f"Resumed after {n} earlier turn{'s' if n != 1 else ''}: carry on."))
        if first_new is not None:
            conversation.mount_all(widgets, before=first_new)
        else:
            conversation.mount_all(widgets)
        conversation.scroll_end(animate=False)
        if self.session.exchanges:
            last = self.session.exchanges[-1]
            self._show_tip(last.analysed)
            self._update_side(last.buyer)
        self._set_subtitle()
        if self._ended():
            self._on_ended()

    @on(TurnPlayed)
    def _turn_played(self, message: TurnPlayed) -> None:
        from coach.analysis.types import Turn

        ex = message.exchange
        analysed = ex.analysed
        buyer = ex.buyer
        message.view.set_labels(analysed.labels if analysed is not None else ())
        self.turns.append(Turn("rep", message.view.text))
        self.analysed.append(analysed)
        conversation = self.query_one("#conversation", VerticalScroll)
        if buyer is not None and getattr(buyer, "text", ""):
            conversation.mount(BuyerLine(self.buyer_name, buyer.text, kind=getattr(buyer, "kind", "")))
            self.turns.append(Turn("buyer", buyer.text))
            self.analysed.append(None)
        conversation.scroll_end(animate=False)
        self._show_tip(analysed)
        self._update_side(buyer)
        error = getattr(self.session, "save_error", None)
        if error:
            self.notify(markup=False, severity="warning", timeout=15,
                        message=f"Could not save {self.first_name}'s reply yet: {error}. "
                        "It will be saved before your next turn.")
        self.busy = False
        self._show_thinking(None)
        self._set_subtitle()
        if self._ended():
            self._on_ended()
        self._pump()

    @on(HintReady)
    def _hint_ready(self, message: HintReady) -> None:
        self.busy = False
        self._show_thinking(None)
        tip = Text("Hint  ", style="bold", end="")
        tip.append_text(literal(message.hint))
        self.query_one("#tip", Static).update(tip)
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(NoteLine("You asked for a hint (it costs a few points)."))
        conversation.scroll_end(animate=False)
        self._pump()

    @on(SessionFinished)
    def _finished(self, message: SessionFinished) -> None:
        self.busy = False
        self.scorecard = message.scorecard
        self._show_thinking(None)
        if self.finish_requested:
            self.app.open_scorecard(self._session_id(), replace=True)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.busy = False
        self._show_thinking(None)
        self.notify(markup=False, message=f"Could not {message.what}: {message.error}", severity="error", timeout=15)
        if message.view is not None:
            # The turn did not happen: say so under it and offer it again in the input.
            chips = message.view.query_one(Chips)
            chips.pending = "not sent (see the error); it is back in the input"
            chips.refresh()
            box = self.query_one("#rep-input", Input)
            if not box.value:
                box.value = message.view.text
        self._pump()

    # -- the flow ------------------------------------------------------------------------

    @on(Input.Submitted, "#rep-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = visible(event.value).strip()
        box = event.input
        if self._ended() or self.finish_requested:
            # The buyer has ended the meeting: Enter goes to the scorecard.
            self.action_end_session()
            return
        if not text:
            return
        box.value = ""
        view = RepLine(text, pending="analysing…" if self.session is not None else "waiting for the analyser…")
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(view)
        conversation.scroll_end(animate=False)
        self.queue.append((text, view))
        self._pump()

    def _pump(self) -> None:
        """Start the next piece of work if the engine is free."""
        if self.session is None or self.busy:
            return
        if self.queue and not self._ended():
            text, view = self.queue.popleft()
            self.busy = True
            self._show_thinking(f"{self.first_name} is thinking…")
            self._play(text, view)
            return
        while self.queue:  # the buyer ended the meeting: later turns go unanswered
            _, view = self.queue.popleft()
            view.query_one(Chips).pending = "not sent: the meeting was over"
            view.query_one(Chips).refresh()
        if self.finish_requested and self.scorecard is None:
            self.busy = True
            self._show_thinking("Scoring the session…")
            self._finish()
        elif self.finish_requested:
            self.app.open_scorecard(self._session_id(), replace=True)

    def _ended(self) -> bool:
        return self.session is not None and self.session.ended

    def _on_ended(self) -> None:
        if self.ended_note_shown:
            return
        self.ended_note_shown = True
        reason = self.session.state.end_reason
        note = {
            "walkout": f"{self.first_name} ended the meeting.",
            "next_step": f"You agreed a next step with {self.first_name}.",
            "max_turns": "Time is up.",
        }.get(reason or "", "The meeting is over.")
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(NoteLine(f"{note} Press Enter or ctrl+e for your scorecard."))
        conversation.scroll_end(animate=False)
        box = self.query_one("#rep-input", Input)
        box.placeholder = "The meeting is over: press Enter for your scorecard"

    def _session_id(self) -> int | None:
        return self.session.session_id

    # -- display ---------------------------------------------------------------------------

    def _show_thinking(self, text: str | None) -> None:
        """The small "thinking" sign under the conversation: a spinner and a line, or nothing."""
        self._thinking = text
        sign = self.query_one("#thinking", Static)
        sign.display = bool(text)
        if text:
            self._spin_timer.resume()
        else:
            self._spin_timer.pause()
        self._spin()

    def _spin(self) -> None:
        if not self._thinking:
            return
        self._spin_frame = (self._spin_frame + 1) % len(_SPINNER)
        sign = self.query_one("#thinking", Static)
        sign.update(Text(f"{_SPINNER[self._spin_frame]} {self._thinking}", style="italic"))

    def _show_tip(self, analysed) -> None:
        tip_box = self.query_one("#tip", Static)
        if analysed is None:
            return
        text = Text(end="")
        # What went wrong first (at most two flags), else what went right.
        # One quote per label, so two flags of one kind do not crowd out the tip.
        first: dict[str, object] = {}
        for e in analysed.evidence:
            if e.label in BAD:
                first.setdefault(e.label, e)
        bad = list(first.values())
        # With nothing to flag, praise the rarest good habit the turn showed.
        praise = sorted(analysed.evidence, key=lambda e: _PRAISE_ORDER.get(e.label, len(_PRAISE_ORDER)))
        shown = bad[:2] if bad else praise[:1]
        for ev in shown:
            if text.plain:
                text.append("\n")
            text.append("“", style="bold")
            text.append_text(literal(ev.quote, style="bold"))
            text.append("”", style="bold")
            text.append(f" {human(ev.label)}", style="red" if ev.label in BAD else "green")
            if ev.why:
                text.append(": ")
                text.append_text(literal(ev.why))
        if analysed.tips:
            if text.plain:
                text.append("\n")
            text.append("Tip  ", style="bold")
            text.append_text(literal(analysed.tips[0]))
        if not text.plain:
            text = Text("Nothing to flag on that turn.", style="dim italic")
        tip_box.update(text)

    def _update_side(self, buyer) -> None:
        state = self.session.state
        self.query_one("#trust", TrustMeter).set_trust(float(state.trust))
        found = list(state.discovered)
        self.query_one("#discoveries", DiscoveriesPanel).set_discoveries(
            [(d.id, d.topic) for d in self.scenario.discoveries], found, new=getattr(buyer, "revealed", ())
        )
        self.query_one("#metrics", MetricsPanel).set_metrics(live_metrics(self.turns, self.analysed))

    # -- actions ---------------------------------------------------------------------------

    def action_hint(self) -> None:
        if self.session is None:
            self.notify(markup=False, message="The analyser is still loading; a hint needs it.", severity="warning")
            return
        if self._ended():
            self.notify(markup=False, message="The meeting is over.", severity="warning")
            return
        if self.busy:
            self.notify(markup=False, message=f"Wait for {self.first_name}'s reply, then ask for a hint.")
            return
        self.busy = True
        self._show_thinking("Looking for a hint…")
        self._hint()

    def action_end_session(self) -> None:
        if self.session is None:
            self.app.go_home()
            return
        if self._ended() or self.finish_requested:
            self.finish_requested = True
            self._pump()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.finish_requested = True
                self._pump()

        self.app.push_screen(
            _confirm("End the session and see your scorecard?"), answer
        )

    def action_leave(self) -> None:
        if self.session is None or not self._has_rep_turns():
            self.app.go_home()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.go_home()

        self.app.push_screen(
            _confirm("Leave without a scorecard? The session stays saved as unfinished: review shows it, and you can continue it from there."),
            answer,
        )

    def on_unmount(self) -> None:
        # A scenario opened and left without a word leaves no empty
        # "unfinished" session behind (on leaving and on quitting alike), and
        # a buyer reply the store refused gets one more try.
        session = self.session
        if session is None or session.store is None or session.session_id is None or self.busy:
            return
        from coach.store import StoreError

        try:
            session.save_pending()
            if not self._has_rep_turns():
                session.store.discard_if_unused(session.session_id)
        except StoreError:
            pass  # still locked: nothing more can be done on the way out

    def _has_rep_turns(self) -> bool:
        return any(getattr(t, "speaker", "") == "rep" for t in self.turns) or bool(self.queue)

    def screen_commands(self):
        yield SystemCommand("End session", "End the session and see your scorecard", self.action_end_session)
        yield SystemCommand("Hint", "What to try next (costs a few points)", self.action_hint)


_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

#: Good labels from the most to the least worth pointing out.
_PRAISE_ORDER = {
    name: i
    for i, name in enumerate(
        ["reflection", "empathy", "mutual_success", "follow_up", "curiosity", "open_question", "closed_question"]
    )
}


def live_metrics(turns: list, analysed: list) -> dict[str, float]:
    """The side panel's numbers, from coach.analysis.metrics.summarize."""
    if not any(a is not None for a in analysed):
        return {}
    from coach.analysis.metrics import summarize

    summary = summarize(turns, analysed)
    return _panel_values(summary)


def _panel_values(summary: dict) -> dict[str, float]:
    return {
        "talk_share": summary.get("rep_talk_share"),
        "questions": summary.get("questions", 0),
        "open": summary.get("open_questions", 0),
        "closed": summary.get("closed_questions", 0),
        "leading": summary.get("leading_questions", 0),
        # Turns that carry the chips, so the panel agrees with what the rep sees
        # (summary["follow_ups"] counts follow-up *questions* only).
        "follow_ups": (summary.get("labels") or {}).get("follow_up", summary.get("follow_ups", 0)),
        "reflections": (summary.get("labels") or {}).get("reflection", summary.get("reflections", 0)),
    }


def _confirm(question: str):
    from coach.ui.screens.confirm import ConfirmScreen

    return ConfirmScreen(question)


def _fresh_seed() -> int:
    import random

    return random.randrange(1_000_000)


def _one_line(exc: BaseException) -> str:
    text = f"{exc}".strip() or type(exc).__name__
    return text.splitlines()[0]
