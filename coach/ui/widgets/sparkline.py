"""A score history in one line of block characters, e.g. ``▂▃▅▇ 72``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from coach.report.charts import spark


class ScoreSparkline(Static):
    """Scores 0-100 oldest first, as blocks, then the latest and best score."""

    DEFAULT_CSS = """
    ScoreSparkline {
        height: auto;
        width: 1fr;
    }
    ScoreSparkline > .sparkline--bar { color: $accent; }
    """

    COMPONENT_CLASSES = {"sparkline--bar"}

    def __init__(self, scores: Sequence[float] = (), *, label: str = "", empty: str = "no finished sessions yet", **kwargs) -> None:
        super().__init__(**kwargs)
        self.scores = list(scores)
        self.label = label
        self.empty = empty

    def set_scores(self, scores: Sequence[float], label: str | None = None) -> None:
        self.scores = list(scores)
        if label is not None:
            self.label = label
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text(end="")
        if self.label:
            text.append(self.label + " ", style="bold")
        if not self.scores:
            text.append(self.empty, style="italic")
            return text
        # Keep the newest scores when there are more than fit on the line.
        room = max(4, self.size.width - len(self.label) - 24) if self.size.width else 40
        shown = self.scores[-room:]
        text.append(spark(shown), style=self.get_component_rich_style("sparkline--bar"))
        text.append(f"  last {self.scores[-1]:.0f} · best {max(self.scores):.0f} · {len(self.scores)} done")
        return text
