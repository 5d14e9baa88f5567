"""A manager's score for a session, or one part of it, with the reason: a modal."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from coach.session import SessionRecord
from coach.ui.safe import one_line
from coach.ui.widgets.inputs import make_input


@dataclass(frozen=True)
class OverrideRequest:
    """What the manager entered: ``score`` None withdraws the override in force."""

    part: str
    score: float | None
    reason: str


class OverrideScreen(ModalScreen[OverrideRequest | None]):
    """Part, score (empty withdraws) and reason; Enter in the reason saves, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, record: SessionRecord, author: str) -> None:
        super().__init__(classes="override")
        self.record = record
        self.author = author

    def compose(self) -> ComposeResult:
        r = self.record
        parts = [("Total score", "total")]
        if r.scorecard is not None:
            parts += [(p.title, p.name) for p in r.scorecard.parts]
        with Vertical(id="override-box"):
            head = Text(f"Your score as {one_line(self.author, 30)} for session {r.id}, ", style="bold", end="")
            head.append(one_line(r.title, 50))
            machine = "none (a call)" if r.score is None else f"{r.score:.0f}"
            head.append(f"\nThe machine's score: {machine}. Yours is kept beside it, never over it.", style="dim")
            yield Static(head, id="override-about")
            yield Select(parts, value="total", allow_blank=False, id="override-part")
            yield make_input(self.app, placeholder="Score 0-100 (empty: withdraw the override in force)",
                             id="override-score")
            yield make_input(self.app, placeholder="Why (the rep sees it); Enter saves", id="override-reason")
            yield Static(id="override-error")

    def on_mount(self) -> None:
        self.query_one("#override-score", Input).focus()

    @on(Input.Submitted, "#override-score")
    def _next(self) -> None:
        self.query_one("#override-reason", Input).focus()

    @on(Input.Submitted, "#override-reason")
    def _save(self) -> None:
        raw = self.query_one("#override-score", Input).value.strip()
        reason = self.query_one("#override-reason", Input).value.strip()
        error = self.query_one("#override-error", Static)
        score: float | None = None
        if raw:
            try:
                score = float(raw)
            except ValueError:
                score = -1.0
            if not 0 <= score <= 100:
                error.update(Text(f"A score is a number from 0 to 100, not {raw!r}.", style="red"))
                self.query_one("#override-score", Input).focus()
                return
        if not reason:
            error.update(Text("Say why: the rep sees the reason beside the score.", style="red"))
            return
        self.dismiss(OverrideRequest(str(self.query_one("#override-part", Select).value), score, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
