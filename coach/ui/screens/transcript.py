"""One stored session: every turn with its labels, the evidence behind them and
the comments on it; comment on any turn."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, ListItem, ListView, Static

from coach.labels import BAD, human
from coach.ui.safe import literal, one_line, visible
from coach.ui.timefmt import when
from coach.ui.widgets.chips import Chips


class TurnItem(ListItem):
    """A turn in the transcript: speaker and words, chips, evidence, comments."""

    def __init__(self, turn: dict, buyer_name: str, topics: dict[str, str] | None = None) -> None:
        super().__init__(classes=f"transcript-turn {turn['speaker']}")
        self.turn = turn
        self.buyer_name = buyer_name
        self.topics = topics or {}

    def compose(self) -> ComposeResult:
        t = self.turn
        with Vertical():
            with Horizontal(classes="turn-head"):
                who = Text(f"{t['idx'] + 1:>3} ", style="dim", end="")
                who.append("Rep" if t["speaker"] == "rep" else self.buyer_name, style="bold")
                yield Static(who, classes="turn-who")
                said = literal(t["text"])
                if t.get("hint"):
                    said.append("  (after a hint)", style="dim italic")
                yield Static(said, classes="turn-text")
            if t["speaker"] == "rep":
                yield Chips(t.get("labels") or ())
                ev = _evidence_text(t)
                if ev.plain:
                    yield Static(ev, classes="turn-evidence")
            elif t.get("revealed"):
                topics = [self.topics.get(r, r) for r in t["revealed"]]
                yield Static(
                    Text("revealed: " + "; ".join(visible(x) for x in topics), style="green"), classes="turn-evidence"
                )
            comments = t.get("comments") or []
            yield Static(_comments_text(comments), classes="turn-comments" + ("" if comments else " empty"))

    def refresh_comments(self) -> None:
        box = self.query_one(".turn-comments", Static)
        comments = self.turn.get("comments") or []
        box.update(_comments_text(comments))
        box.set_class(not comments, "empty")


def _evidence_text(turn: dict) -> Text:
    text = Text(end="")
    for i, ev in enumerate(sorted(turn.get("evidence") or [], key=lambda e: e["label"] not in BAD)):
        if i:
            text.append("\n")
        text.append("“")
        text.append_text(literal(ev.get("quote") or ""))
        text.append("” ")
        text.append(human(ev.get("label") or ""), style="red" if ev.get("label") in BAD else "green")
        if ev.get("why"):
            text.append(": ")
            text.append_text(literal(ev["why"]))
    for tip in turn.get("tips") or []:
        if text.plain:
            text.append("\n")
        text.append("Tip  ", style="bold")
        text.append_text(literal(tip))
    return text


def _comments_text(comments: list[dict]) -> Text:
    text = Text(end="")
    for i, c in enumerate(comments):
        if i:
            text.append("\n")
        text.append("✎ ", style="bold")
        text.append(one_line(c.get("author") or "", 30), style="bold")
        text.append(f" {when(c.get('created_at'))}: ", style="dim")
        text.append_text(literal(c.get("text") or ""))
    return text


class TranscriptScreen(Screen[None]):
    """The transcript of one stored session."""

    BINDINGS = [
        Binding("c", "comment", "Comment"),
        Binding("s", "scorecard", "Scorecard"),
        Binding("r", "resume", "Continue session"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, session_id: int, focus_turn: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.focus_turn = focus_turn
        self.data: dict = {}

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="transcript-info")
        yield ListView(id="turns")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        from coach.scenario import ScenarioError, load_scenario_text

        self.data = self.app.store.session(self.session_id)
        d = self.data
        buyer_name = "Buyer"
        self.topics: dict[str, str] = {}
        try:
            stored = load_scenario_text(d.get("scenario_yaml") or "", "stored scenario")
            buyer_name = stored.buyer.name
            self.topics = {x.id: x.topic for x in stored.discoveries}
        except (ScenarioError, Exception):  # an old snapshot the current format rejects: still readable
            pass
        self.buyer_name = visible(buyer_name)
        self.sub_title = f"transcript · session {self.session_id}"
        info = Text(end="")
        info.append(one_line(d.get("rep") or "", 30), style="bold")
        info.append(" · ")
        info.append(one_line(d.get("scenario_title") or "", 40))
        info.append(f" · {when(d.get('started_at'))} · ")
        if d.get("status") == "finished":
            score = d.get("score")
            info.append(f"score {score:.0f}" if score is not None else "finished", style="bold")
            if d.get("end_reason"):
                info.append(f" ({_reason(d['end_reason'])})", style="dim")
        else:
            n = sum(1 for t in d.get("turns") or [] if t["speaker"] == "rep")
            info.append(f"unfinished after {n} rep turn{'s' if n != 1 else ''}", style="yellow")
            if d.get("rep") == self.app.rep:
                info.append(" · r continues it", style="dim")
        general = [c for c in d.get("comments") or [] if c.get("turn_id") is None]
        if general:
            info.append("\n")
            info.append_text(_comments_text(general))
        self.query_one("#transcript-info", Static).update(info)
        turns = self.query_one("#turns", ListView)
        turns.clear()
        items = [TurnItem(t, self.buyer_name, self.topics) for t in d.get("turns") or []]
        turns.extend(items)
        target = 0
        for i, t in enumerate(d.get("turns") or []):
            if t["id"] == self.focus_turn:
                target = i
        if items:
            self.call_after_refresh(self._select, target)
        turns.focus()

    def _select(self, index: int) -> None:
        turns = self.query_one("#turns", ListView)
        turns.index = index
        if turns.highlighted_child is not None:
            turns.scroll_to_widget(turns.highlighted_child, animate=False)

    def _current_item(self) -> TurnItem | None:
        child = self.query_one("#turns", ListView).highlighted_child
        return child if isinstance(child, TurnItem) else None

    def action_comment(self) -> None:
        from coach.ui.screens.comment import CommentScreen

        item = self._current_item()
        if item is None:
            return
        turn = item.turn

        def save(text: str | None) -> None:
            if not text:
                return
            self.app.store.add_comment(self.session_id, author=self.app.rep, text=text, turn_id=turn["id"])
            fresh = self.app.store.session(self.session_id)
            for t in fresh.get("turns") or []:
                if t["id"] == turn["id"]:
                    item.turn = t
            item.refresh_comments()
            self.notify(markup=False, message="Comment saved.", timeout=3)

        self.app.push_screen(CommentScreen(turn["text"], self.app.rep), save)

    def action_scorecard(self) -> None:
        if self.data.get("status") == "finished":
            self.app.open_scorecard(self.session_id)
        else:
            self.notify(markup=False, message="This session is unfinished: it has no scorecard.", severity="warning")

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scorecard":
            return self.data.get("status") == "finished"
        if action == "resume":
            return self.data.get("status") != "finished" and self.data.get("rep") == self.app.rep
        return True

    def action_resume(self) -> None:
        """Continue an unfinished session where it stopped (its own rep only)."""
        from coach.scenario import ScenarioError, load_scenario_text

        if self.data.get("status") == "finished" or self.data.get("rep") != self.app.rep:
            return
        try:
            scenario = load_scenario_text(self.data.get("scenario_yaml") or "", self.data.get("scenario_title") or "scenario")
        except ScenarioError as exc:
            self.notify(markup=False, message=f"The stored scenario cannot be loaded: {exc.messages[0]}", severity="error")
            return
        self.app.start_practice(scenario, source=self.data.get("scenario_source") or "builtin", resume=self.data)

    def screen_commands(self):
        yield SystemCommand("Comment on this turn", "Add a comment to the selected turn", self.action_comment)


def _reason(reason: str) -> str:
    return {
        "walkout": "the buyer ended the meeting",
        "next_step": "next step agreed",
        "max_turns": "out of time",
        "finished": "ended by the rep",
    }.get(reason, reason)
