"""One stored session: every turn with its labels, the evidence behind them and
the comments on it; comment on any turn."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, ListItem, ListView, Static

from coach.labels import BAD, EXCUSED_WHY, human, only_excused
from coach.scoring import end_sentence
from coach.session import CommentRecord, SessionRecord, TurnRecord, same_name
from coach.ui.safe import literal, one_line, visible
from coach.ui.timefmt import when
from coach.ui.widgets.chips import Chips


class TurnItem(ListItem):
    """A turn in the transcript: speaker and words, chips, evidence, comments."""

    def __init__(self, turn: TurnRecord, buyer_name: str, topics: dict[str, str] | None = None,
                 excused: tuple[str, ...] = ()) -> None:
        super().__init__(classes=f"transcript-turn {turn.speaker}")
        self.turn = turn
        self.buyer_name = buyer_name
        self.topics = topics or {}
        #: A rep turn's labels the buyer did not hold against the rep.
        self.excused = excused

    def compose(self) -> ComposeResult:
        t = self.turn
        with Vertical():
            with Horizontal(classes="turn-head"):
                who = Text(f"{t.number:>3} ", style="dim", end="")
                if t.speaker_name:  # an imported call names its speakers
                    who.append(one_line(t.speaker_name, 24), style="bold")
                    who.append(" (rep)" if t.speaker == "rep" else "", style="dim")
                else:
                    who.append("Rep" if t.speaker == "rep" else self.buyer_name, style="bold")
                if t.rep_turn is not None:  # the scorecard's "turn 3": the rep's third
                    who.append(f" · turn {t.rep_turn}", style="dim")
                yield Static(who, classes="turn-who")
                said = literal(t.text)
                if t.hint:
                    said.append("  (after a hint)", style="dim italic")
                yield Static(said, classes="turn-text")
            if t.speaker == "rep":
                yield Chips(t.labels, excused=self.excused) if t.analysed is not None else Chips(pending="not analysed")
                ev = _evidence_text(t, self.excused)
                if ev.plain:
                    yield Static(ev, classes="turn-evidence")
            elif t.revealed:
                topics = [self.topics.get(r, r) for r in t.revealed]
                yield Static(
                    Text("revealed: " + "; ".join(visible(x) for x in topics), style="green"), classes="turn-evidence"
                )
            comments = t.comments
            yield Static(_comments_text(comments), classes="turn-comments" + ("" if comments else " empty"))

    def refresh_comments(self) -> None:
        box = self.query_one(".turn-comments", Static)
        comments = self.turn.comments
        box.update(_comments_text(comments))
        box.set_class(not comments, "empty")


def _evidence_text(turn: TurnRecord, excused: tuple[str, ...] = ()) -> Text:
    """The words behind each label and the tips; a label the buyer excused is
    marked so (its tips are left out when it was the turn's only fault)."""
    text = Text(end="")
    if turn.analysed is None:
        return text
    for i, ev in enumerate(sorted(turn.analysed.evidence, key=lambda e: e.label not in BAD)):
        if i:
            text.append("\n")
        text.append("“")
        text.append_text(literal(ev.quote))
        text.append("” ")
        if ev.label in excused:
            text.append(f"{human(ev.label)} ({EXCUSED_WHY})", style="dim")
            continue
        text.append(human(ev.label), style="red" if ev.label in BAD else "green")
        if ev.why:
            text.append(": ")
            text.append_text(literal(ev.why))
    for tip in () if only_excused(turn.labels, excused) else turn.analysed.tips:
        if text.plain:
            text.append("\n")
        text.append("Tip  ", style="bold")
        text.append_text(literal(tip))
    return text


def _comments_text(comments: Sequence[CommentRecord]) -> Text:
    text = Text(end="")
    for i, c in enumerate(comments):
        if i:
            text.append("\n")
        text.append("✎ ", style="bold")
        text.append(one_line(c.author, 30), style="bold")
        edited = f", edited by {one_line(c.edited_by or '', 30)} {when(c.edited_at)}" if c.edited_at else ""
        text.append(f" {when(c.created_at)}{edited}: ", style="dim")
        text.append_text(literal(c.text))
    return text


class TranscriptScreen(Screen[None]):
    """The transcript of one stored session."""

    BINDINGS = [
        Binding("c", "comment", "Comment"),
        # e and d show (and work) on a turn that has a comment of yours: the
        # footer has room for every key at 80 columns only without them.
        Binding("e", "edit_comment", "Edit my comment"),
        Binding("d", "delete_comment", "Delete my comment"),
        Binding("o", "override", "Override score"),
        Binding("s", "scorecard", "Scorecard"),
        Binding("r", "resume", "Continue session"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, session_id: int, focus_turn: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.focus_turn = focus_turn
        self.data: SessionRecord | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="transcript-info")
        yield ListView(id="turns")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        self.data = d = self.app.store.session(self.session_id)
        self.buyer_name = visible(d.buyer_name)
        self.topics: dict[str, str] = {x.id: x.topic for x in d.scenario.discoveries} if d.scenario else {}
        self.sub_title = f"transcript · session {self.session_id}"
        info = Text(end="")
        info.append(one_line(d.rep, 30), style="bold")
        info.append(" · ")
        info.append(one_line(d.title, 40))
        info.append(f" · {when(d.started_at)} · ")
        if d.kind == "call":
            info.append("imported call", style="italic")
            if d.final_score is not None:
                info.append(f" · score {d.final_score:.0f}", style="bold")
        elif d.finished:
            info.append(f"score {d.final_score:.0f}" if d.final_score is not None else "finished", style="bold")
            if d.end_reason:
                info.append(f" ({end_sentence(d.end_reason, d.buyer_name)})", style="dim")
        else:
            n = len(d.rep_turns)
            info.append(f"unfinished after {n} rep turn{'s' if n != 1 else ''}", style="yellow")
            if d.rep == self.app.rep:
                info.append(" · r continues it", style="dim")
        for part, o in d.overrides_in_force().items():
            what = "score" if part == "total" else f"{part} score"
            info.append("\n")
            info.append(f"✎ {one_line(o.author, 30)} set the {what} to {o.score:.0f}", style="bold yellow")
            if part == "total" and d.score is not None:
                info.append(f" (the machine's: {d.score:.0f})", style="dim")
            elif part != "total" and d.scorecard is not None:
                info.append(f" (the machine's: {d.scorecard.part(part).score})", style="dim")
            info.append(": ")
            info.append_text(literal(o.reason))
        if d.session_comments:
            info.append("\n")
            info.append_text(_comments_text(d.session_comments))
        self.query_one("#transcript-info", Static).update(info)
        turns = self.query_one("#turns", ListView)
        turns.clear()
        items = [TurnItem(t, self.buyer_name, self.topics, d.excused(t)) for t in d.turns]
        turns.extend(items)
        target = next((i for i, t in enumerate(d.turns) if t.id == self.focus_turn), 0)
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
            self.app.store.add_comment(self.session_id, author=self.app.rep, text=text, turn_id=turn.id)
            self.data = fresh = self.app.store.session(self.session_id)
            item.turn = next(t for t in fresh.turns if t.id == turn.id)
            item.refresh_comments()
            self.refresh_bindings()
            self.notify(markup=False, message="Comment saved.", timeout=3)

        self.app.push_screen(CommentScreen(turn.text, self.app.rep), save)

    def _my_comment(self) -> CommentRecord | None:
        """The reviewer's latest comment on the highlighted turn."""
        item = self._current_item()
        if item is None:
            return None
        mine = [c for c in item.turn.comments if same_name(c.author, self.app.rep)]
        return mine[-1] if mine else None

    def _refresh_turn(self, turn_id: int) -> None:
        self.data = fresh = self.app.store.session(self.session_id)
        for item in self.query(TurnItem):
            if item.turn.id == turn_id:
                item.turn = next(t for t in fresh.turns if t.id == turn_id)
                item.refresh_comments()
        self.refresh_bindings()

    @on(ListView.Highlighted, "#turns")
    def _highlighted(self) -> None:
        self.refresh_bindings()  # e and d follow the highlighted turn

    def action_edit_comment(self) -> None:
        from coach.ui.screens.comment import CommentScreen

        comment = self._my_comment()
        if comment is None:
            self.notify(markup=False, message="You have no comment on this turn to edit.", severity="warning")
            return

        def save(text: str | None) -> None:
            if text and text != comment.text:
                try:
                    self.app.store.edit_comment(comment.id, text=text, editor=self.app.rep)
                except ValueError as exc:  # the store's word on whose comment it is
                    self.notify(markup=False, message=str(exc), severity="error")
                    return
                self._refresh_turn(comment.turn_id)
                self.notify(markup=False, message="Comment edited.", timeout=3)

        item = self._current_item()
        self.app.push_screen(CommentScreen(item.turn.text, self.app.rep, value=comment.text, verb="Edit"), save)

    def action_delete_comment(self) -> None:
        from coach.ui.screens.confirm import ConfirmScreen

        comment = self._my_comment()
        if comment is None:
            self.notify(markup=False, message="You have no comment on this turn to delete.", severity="warning")
            return

        def delete(yes: bool | None) -> None:
            if yes:
                try:
                    self.app.store.delete_comment(comment.id, by=self.app.rep)
                except ValueError as exc:
                    self.notify(markup=False, message=str(exc), severity="error")
                    return
                self._refresh_turn(comment.turn_id)
                self.notify(markup=False, message="Comment deleted.", timeout=3)

        self.app.push_screen(ConfirmScreen(f"Delete your comment “{one_line(comment.text, 60)}”?"), delete)

    def action_override(self) -> None:
        from coach.ui.screens.override import OverrideScreen

        if self.data is None or not self.data.finished:
            self.notify(markup=False, message="This session is unfinished: score it when it is over.",
                        severity="warning")
            return

        def save(request) -> None:
            if request is None:
                return
            try:
                self.app.store.override_score(self.session_id, part=request.part, score=request.score,
                                              reason=request.reason, author=self.app.rep)
            except ValueError as exc:
                self.notify(markup=False, message=str(exc), severity="error")
                return
            item = self._current_item()
            self.focus_turn = item.turn.id if item is not None else None
            self.load()  # the header shows the override; the same turn stays highlighted
            now = self.data.final_score
            self.notify(markup=False, message=f"Score in force: {'none' if now is None else f'{now:.0f}'}.",
                        timeout=4)

        self.app.push_screen(OverrideScreen(self.data, self.app.rep), save)

    def action_scorecard(self) -> None:
        if self.data is not None and self.data.finished:
            self.app.open_scorecard(self.session_id)
        else:
            self.notify(markup=False, message="This session is unfinished: it has no scorecard.", severity="warning")

    def action_back(self) -> None:
        self.app.pop_screen()

    def _resumable(self) -> bool:
        d = self.data
        return d is not None and not d.finished and d.kind == "practice" and d.rep == self.app.rep

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scorecard":
            return self.data is not None and self.data.finished and self.data.scorecard is not None
        if action == "override":
            return self.data is not None and self.data.finished
        if action == "resume":
            return self._resumable()
        if action in ("edit_comment", "delete_comment"):
            return self._my_comment() is not None
        return True

    def action_resume(self) -> None:
        """Continue an unfinished session where it stopped (its own rep only)."""
        if not self._resumable():
            return
        self.app.resume_practice(self.data)

    def screen_commands(self):
        yield SystemCommand("Comment on this turn", "Add a comment to the selected turn", self.action_comment)
        yield SystemCommand("Edit my comment on this turn", "Change your latest comment on the selected turn",
                            self.action_edit_comment)
        yield SystemCommand("Delete my comment on this turn", "Remove your latest comment on the selected turn",
                            self.action_delete_comment)
        yield SystemCommand("Override the score", "Give this session your score, or one part of it, with a reason",
                            self.action_override)
