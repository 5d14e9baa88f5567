"""Write a comment on a turn: a one-line input in a modal."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from coach.ui.widgets.inputs import make_input
from coach.ui.safe import one_line


class CommentScreen(ModalScreen[str | None]):
    """Dismisses with the comment's text (Enter), or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, about: str, author: str, value: str = "", verb: str = "Comment") -> None:
        super().__init__(classes="comment")
        self.about = about
        self.author = author
        #: The text to start from (editing a comment).
        self.value = value
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box"):
            head = Text(f"{self.verb} as {one_line(self.author, 30)} on:\n", style="bold", end="")
            head.append(one_line(self.about, 200), style="italic")
            yield Static(head, id="comment-about")
            yield make_input(self.app, value=self.value, placeholder="Your comment; Enter saves, escape cancels",
                             id="comment-input")

    def on_mount(self) -> None:
        self.query_one("#comment-input", Input).focus()

    @on(Input.Submitted, "#comment-input")
    def _save(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
