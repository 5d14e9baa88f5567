"""Help: the keys, and what each label means."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.labels import LABELS, human
from coach.ui.widgets.chips import chip_kind

#: One line per label: what the buyer hears.
MEANING: dict[str, str] = {
    "open_question": "invites the buyer to explain; no short answer fits",
    "closed_question": "asks for yes/no, a number, a name or one fact",
    "leading_question": "steers to the answer you want",
    "curiosity": "explores their goals, worries, reasons",
    "follow_up": "builds on what they just said",
    "reflection": "sums up what they said, in your words",
    "empathy": "acknowledges how it is for them",
    "mutual_success": "frames the outcome as shared",
    "self_interested": "serves your agenda (budget, signature...)",
    "pitching": "promotes your product unasked",
    "pressure": "argues, pushes, tells them what they need",
    "checklist": "question after question, no follow-up",
}

KEYS = [
    ("Enter", "send what you typed (practice) · open (lists)"),
    ("ctrl+t", "hint: what to try next (costs points)"),
    ("ctrl+e", "end the session and see the scorecard"),
    ("ctrl+p", "command palette: every main action, themes"),
    ("/", "filter (scenarios) · search transcripts (review)"),
    ("f s u t", "review: filter · sort by the next column · unfinished only · team view"),
    ("c e d", "comment on the selected turn · edit or delete your comment on it (transcript)"),
    ("o", "override the score with your own and a reason (transcript)"),
    ("p l", "team: change the period · next leaderboard"),
    ("r", "continue your unfinished session (transcript) · retry (scorecard)"),
    ("ctrl+r", "reload the scenario file after it changed (trainer)"),
    ("escape", "back"),
    ("ctrl+q", "quit (your session is already saved)"),
]


class HelpScreen(ModalScreen[None]):
    """Keys and the label legend."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        keys = _two_columns((Text(key, style="bold"), Text(what)) for key, what in KEYS)
        styles = {"good": "green", "bad": "red"}
        labels = _two_columns(
            (Text(human(label), style=styles.get(chip_kind(label), "")), Text(MEANING[label])) for label in LABELS
        )
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold underline"))
            yield Static(keys, id="help-keys")
            yield Static(Text("\nLabels under your turns (green opens a buyer up, red closes them down)", style="bold underline"))
            yield Static(labels, id="help-labels")
            yield Static(Text("\nescape closes this help", style="italic"))


def _two_columns(rows) -> Table:
    """Names on the left, what they mean on the right; a meaning too long for
    the line wraps under itself, not under the names (at 80 columns most do)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for name, meaning in rows:
        grid.add_row(name, meaning)
    return grid
