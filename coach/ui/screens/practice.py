"""Practice: talk to the simulated buyer; see each turn's labels, the latest tip,
trust, discoveries and live metrics.

The input is never blocked: the rep's words are stored the moment Enter is
pressed; the analyser and the buyer run in a thread worker
(``@work(thread=True, exclusive=True)``), one rep turn at a time, and their
results come back as messages. Turns typed while a reply is being worked out,
or while the analyser is still loading, are stored, shown at once and answered
in order.
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

from coach.labels import BAD, human, only_excused
from coach.scoring import end_sentence
from coach.session import SessionRecord
from coach.ui.widgets.inputs import make_input
from coach.ui.safe import literal, visible
from coach.ui.widgets.chips import Chips
from coach.ui.widgets.discoveries import DiscoveriesPanel
from coach.ui.widgets.metrics import MetricsPanel, panel_values
from coach.ui.widgets.trust import TrustMeter


# -- messages from the workers ---------------------------------------------------


class SessionReady(Message):
    """The session is started (or a stored one reopened): the rep's words can be stored."""

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session


class AnalyzerAttached(Message):
    """The session has its analyser; ``unanswered``: stored rep turns to answer first."""

    def __init__(self, unanswered: list) -> None:
        super().__init__()
        self.unanswered = unanswered


class TurnDecided(Message):
    """A rep turn was analysed and the buyer's move decided (labels, trust and
    discoveries show at once, before the words)."""

    def __init__(self, decision: Any, view: RepLine) -> None:
        super().__init__()
        self.decision = decision
        self.view = view


class SpeechPiece(Message):
    """A piece of the buyer's reply, as the voice gives it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TurnPlayed(Message):
    """The buyer's reply is complete and stored."""

    def __init__(self, exchange: Any, view: RepLine, fallback: str | None) -> None:
        super().__init__()
        self.exchange = exchange
        self.view = view
        self.fallback = fallback


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
    """One thing the buyer said (filled in piece by piece while a voice streams)."""

    def __init__(self, name: str, text: str, *, kind: str = "") -> None:
        super().__init__(buyer_text(name, text), classes=f"turn buyer {kind}".strip())
        self.name_shown = name
        self.text = text

    def say(self, text: str) -> None:
        self.text = text
        self.update(buyer_text(self.name_shown, text))


class RepLine(Vertical):
    """One rep turn: the words, then the labels as chips."""

    def __init__(self, text: str, *, pending: str = "analysing…", labels=None, excused=()) -> None:
        super().__init__(classes="turn rep")
        self.text = text
        self._pending = pending
        self._labels = labels
        self._excused = excused

    def compose(self) -> ComposeResult:
        line = Text("You  ", style="bold", end="")
        line.append_text(literal(self.text))
        yield Static(line, classes="rep-text")
        if self._labels is not None:
            yield Chips(self._labels, excused=self._excused)
        else:
            yield Chips(pending=self._pending)

    def set_labels(self, labels, excused=()) -> None:
        self.query_one(Chips).set_labels(labels, excused)


class NoteLine(Static):
    """A note from the coach in the conversation (hint taken, meeting over)."""

    def __init__(self, text: str) -> None:
        super().__init__(Text(text, style="italic"), classes="turn note")


# -- the screen --------------------------------------------------------------------


class PracticeScreen(Screen[None]):
    """One practice session with the simulated buyer.

    The rep's words are stored the moment Enter is pressed (PracticeSession.say,
    on this thread: a few milliseconds), before any analysis; the analyser and
    the buyer run in a thread worker, one turn at a time, and report back with
    messages: the labels, trust and discoveries first, then the buyer's words
    as the voice gives them."""

    BINDINGS = [
        Binding("ctrl+e", "end_session", "End session", priority=True),
        Binding("ctrl+t", "hint", "Hint (costs points)", priority=True),
        Binding("f1", "app.show_help", "Help"),
        Binding("escape", "leave", "Leave", show=False),
    ]

    def __init__(self, scenario, source: str = "builtin", *, resume: SessionRecord | None = None) -> None:
        """``resume``: a stored unfinished session to continue."""
        super().__init__()
        self.scenario = scenario
        self.source = source
        self.resume = resume
        self.session: Any = None
        self.engine_ready = False
        #: Rep turns waiting for the buyer: (PendingTurn or None while the
        #: session is starting, the text, the view).
        self.queue: deque[tuple[Any, str, RepLine]] = deque()
        self.busy = False
        self.finish_requested = False
        self.scorecard: Any = None
        self.ended_note_shown = False
        self._speaking: BuyerLine | None = None
        self._voice_warned = False

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
        # Stays at the newest line as lines come and the terminal is resized,
        # until the rep scrolls up to read.
        self.query_one("#conversation", VerticalScroll).anchor()
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
        self.opening_line = BuyerLine(self.buyer_name, s.buyer.opening, kind="opening")
        self.query_one("#conversation", VerticalScroll).mount(self.opening_line)
        self.query_one("#rep-input", Input).focus()
        if self.app.analyzer is None:
            self._show_thinking("Loading the analyser… you can start typing.")
        self.watch(self.app, "analyzer_ready", self._analyzer_ready, init=False)
        self._start_session()

    def _set_subtitle(self) -> None:
        turn = self.session.state.turns if self.session is not None else 0
        self.sub_title = f"{visible(self.scenario.title)} · turn {turn} of ~{self.scenario.brief.turns}"

    def _analyzer_ready(self, ready: bool) -> None:
        if self.app.analyzer is not None:
            self._attach_analyzer()
        elif self.app.analyzer_error:
            self._show_thinking(f"The analyser could not be loaded: {self.app.analyzer_error}")

    # -- workers -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def _start_session(self) -> None:
        try:
            from coach.engine import PracticeSession

            voice = self.app.voice
            if self.resume is not None:
                session = PracticeSession.resume(self.resume, None, store=self.app.store, voice=voice)
            else:
                seed = self.app.seed if self.app.seed is not None else _fresh_seed()
                session = PracticeSession(self.scenario, None, seed=seed, store=self.app.store, rep=self.app.rep,
                                          voice=voice, scenario_source=self.source)
        except Exception as exc:
            self.post_message(WorkFailed("start the session", _one_line(exc)))
            return
        self.post_message(SessionReady(session))

    @work(thread=True, exclusive=True, group="engine")
    def _attach_analyzer(self) -> None:
        if self.session is None or self.engine_ready:
            return
        try:
            unanswered = self.session.attach(self.app.analyzer)
        except Exception as exc:
            self.post_message(WorkFailed("start the session", _one_line(exc)))
            return
        self.post_message(AnalyzerAttached(unanswered))

    @work(thread=True, exclusive=True, group="engine")
    def _play(self, pending: Any, view: RepLine) -> None:
        session = self.session
        try:
            decision = session.respond(pending)
        except Exception as exc:
            self.post_message(WorkFailed("analyse your turn", _one_line(exc), view))
            return
        self.post_message(TurnDecided(decision, view))
        try:
            speech = session.speak(decision)
            for piece in speech:
                self.post_message(SpeechPiece(piece))
            exchange = session.complete(decision, speech)
        except Exception as exc:
            self.post_message(WorkFailed("get the buyer's reply", _one_line(exc)))
            return
        self.post_message(TurnPlayed(exchange, view, speech.fallback))

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
        # Turns typed in the moment before the session existed are stored now, in order.
        for i, (pending, text, view) in enumerate(list(self.queue)):
            if pending is None:
                try:
                    self.queue[i] = (self.session.say(text), text, view)
                except Exception as exc:  # noqa: BLE001 - shown, and the text handed back
                    self._not_sent(view, _one_line(exc), text)
        self.queue = deque(q for q in self.queue if q[0] is not None)
        if self.app.analyzer is not None:
            self._attach_analyzer()

    @on(AnalyzerAttached)
    def _attached(self, message: AnalyzerAttached) -> None:
        self.engine_ready = True
        if self.resume is not None:
            self._show_replayed(message.unanswered)
        self._show_thinking(None)
        self._pump()

    def _show_replayed(self, unanswered: list) -> None:
        """Show a resumed session's stored turns, then the ones still to answer."""
        conversation = self.query_one("#conversation", VerticalScroll)
        stored = [t for t in self.resume.turns if t.speaker == "buyer"][1:]
        # Turns typed while the replay ran stay after the replayed ones.
        first_new = next(iter(conversation.query(RepLine)), None)
        widgets: list = []
        for ex, said in zip(self.session.exchanges, stored):
            widgets.append(RepLine(ex.rep_text, labels=ex.analysed.labels, excused=ex.move.excused))
            widgets.append(BuyerLine(self.buyer_name, said.text, kind=ex.buyer.kind))
        n = len(self.session.exchanges)
        widgets.append(NoteLine(f"Resumed after {n} earlier turn{'s' if n != 1 else ''}: carry on."))
        waiting = []
        for pending in unanswered:
            view = RepLine(pending.text, pending="analysing…")
            widgets.append(view)
            waiting.append((pending, pending.text, view))
        self.queue.extendleft(reversed(waiting))
        if first_new is not None:
            conversation.mount_all(widgets, before=first_new)
        else:
            conversation.mount_all(widgets)
        conversation.scroll_end(animate=False)
        if self.session.exchanges:
            last = self.session.exchanges[-1]
            self._show_tip(last.analysed, last.move.excused)
            self._update_side(last.move)
            self._update_metrics()
        self._set_subtitle()
        if self._ended():
            self._on_ended()

    @on(TurnDecided)
    def _turn_decided(self, message: TurnDecided) -> None:
        decision = message.decision
        message.view.set_labels(decision.analysed.labels, decision.move.excused)
        self._show_tip(decision.analysed, decision.move.excused)
        self._update_side(decision.move)
        self._show_thinking(f"{self.first_name} is answering…")
        self._speaking = BuyerLine(self.buyer_name, "", kind=decision.move.kind)
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(self._speaking)
        conversation.scroll_end(animate=False)

    @on(SpeechPiece)
    def _speech_piece(self, message: SpeechPiece) -> None:
        if self._speaking is not None:
            self._speaking.say(self._speaking.text + message.text)
            self.query_one("#conversation", VerticalScroll).scroll_end(animate=False)

    @on(TurnPlayed)
    def _turn_played(self, message: TurnPlayed) -> None:
        ex = message.exchange
        if self._speaking is not None:
            self._speaking.say(ex.buyer.text)  # the voice's whole reply, or the rule line it fell back to
            self._speaking = None
        if message.fallback and not self._voice_warned:
            self._voice_warned = True
            self.notify(markup=False, severity="warning", timeout=10,
                        message=f"The buyer's voice failed ({message.fallback}); using the scenario's own lines.")
        self.query_one("#conversation", VerticalScroll).scroll_end(animate=False)
        self._update_metrics()
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
            self.app.open_scorecard(self.session.session_id, replace=True)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.busy = False
        self._show_thinking(None)
        self.notify(markup=False, message=f"Could not {message.what}: {message.error}", severity="error", timeout=15)
        if message.view is not None:
            # Stored, but not answered: it will be answered when the session is continued.
            message.view.query_one(Chips).set_pending(
                "stored, not answered (see the error): continue the session later to get a reply")
        self._pump()

    def _not_sent(self, view: RepLine | None, error: str, text: str) -> None:
        """The store refused the rep's words: say so, and hand them back to the input."""
        self.notify(markup=False, message=f"Could not save your turn: {error}", severity="error", timeout=15)
        if view is not None:
            view.query_one(Chips).set_pending(NOT_SENT)
        box = self.query_one("#rep-input", Input)
        if not box.value:
            box.value = text

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
        pending, error = None, None
        if self.session is not None:
            try:
                pending = self.session.say(text)  # stored now: nothing typed is lost
            except Exception as exc:  # noqa: BLE001 - shown in one line; the text goes back to the input
                error = _one_line(exc)
        if error:
            view = RepLine(text, pending=NOT_SENT)
        else:
            view = RepLine(text, pending="analysing…" if self.engine_ready else "waiting for the analyser…")
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(view)
        conversation.scroll_end(animate=False)
        if error:
            self._not_sent(None, error, text)
            return
        self.queue.append((pending, text, view))
        self._pump()

    def _pump(self) -> None:
        """Start the next piece of work if the engine is free."""
        if self.session is None or not self.engine_ready or self.busy:
            return
        if self.queue and not self._ended():
            pending, _, view = self.queue.popleft()
            self.busy = True
            self._show_thinking(f"{self.first_name} is thinking…")
            self._play(pending, view)
            return
        while self.queue:  # the buyer ended the meeting: later turns go unanswered
            _, _, view = self.queue.popleft()
            view.query_one(Chips).set_pending("not answered: the meeting was over")
        if self.finish_requested and self.scorecard is None:
            self.busy = True
            self._show_thinking("Scoring the session…")
            self._finish()
        elif self.finish_requested:
            self.app.open_scorecard(self.session.session_id, replace=True)

    def _ended(self) -> bool:
        return self.session is not None and self.session.ended

    def _on_ended(self) -> None:
        if self.ended_note_shown:
            return
        self.ended_note_shown = True
        note = end_sentence(self.session.state.end_reason, self.buyer_name)
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(NoteLine(f"{note[0].upper()}{note[1:]}. Press Enter or ctrl+e for your scorecard."))
        conversation.scroll_end(animate=False)
        box = self.query_one("#rep-input", Input)
        box.placeholder = "The meeting is over: press Enter for your scorecard"

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

    def _show_tip(self, analysed, excused=()) -> None:
        tip_box = self.query_one("#tip", Static)
        if analysed is None:
            return
        text = Text(end="")
        # What went wrong first (at most two flags), else what went right.
        # One quote per label, so two flags of one kind do not crowd out the tip.
        # A label the buyer excused (a proposal once value was established) is
        # no fault: "Hold the pitch..." to a proposal the buyer agreed to
        # contradicted the buyer.
        first: dict[str, object] = {}
        for e in analysed.evidence:
            if e.label in BAD and e.label not in excused:
                first.setdefault(e.label, e)
        bad = list(first.values())
        # With nothing to flag, praise the rarest good habit the turn showed.
        praise = sorted((e for e in analysed.evidence if e.label not in BAD),
                        key=lambda e: _PRAISE_ORDER.get(e.label, len(_PRAISE_ORDER)))
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
        if only_excused(analysed.labels, excused):
            if text.plain:
                text.append("\n")
            text.append("Fine here  ", style="bold")
            text.append(f"{self.first_name} trusts you enough by now: "
                        + ", ".join(human(x) for x in sorted(excused)) + " did not cost you.")
        elif analysed.tips:
            if text.plain:
                text.append("\n")
            text.append("Tip  ", style="bold")
            text.append_text(literal(analysed.tips[0]))
        if not text.plain:
            text = Text("Nothing to flag on that turn.", style="dim italic")
        tip_box.update(text)

    def _update_side(self, move) -> None:
        state = self.session.state
        self.query_one("#trust", TrustMeter).set_trust(float(state.trust))
        self.query_one("#discoveries", DiscoveriesPanel).set_discoveries(
            [(d.id, d.topic) for d in self.scenario.discoveries], list(state.discovered), new=move.revealed
        )

    def _update_metrics(self) -> None:
        self.query_one("#metrics", MetricsPanel).set_metrics(panel_values(self.session.summary()))

    # -- actions ---------------------------------------------------------------------------

    def action_hint(self) -> None:
        if self.session is None or not self.engine_ready:
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
        return bool(self.session and (self.session.exchanges or self.session.unanswered)) or bool(self.queue) \
            or bool(self.resume and self.resume.rep_turns)

    def screen_commands(self):
        yield SystemCommand("End session", "End the session and see your scorecard", self.action_end_session)
        yield SystemCommand("Hint", "What to try next (costs a few points)", self.action_hint)


#: Under a rep turn the store refused.
NOT_SENT = "not sent (see the error); it is back in the input"

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

#: Good labels from the most to the least worth pointing out.
_PRAISE_ORDER = {
    name: i
    for i, name in enumerate(
        ["reflection", "empathy", "mutual_success", "follow_up", "curiosity", "open_question", "closed_question"]
    )
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
