"""Live conversation metrics for the side panel: talk share and question mix."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static


class MetricsPanel(Static):
    """Talk share, open/closed/leading questions, follow-ups and reflections so far."""

    DEFAULT_CSS = """
    MetricsPanel {
        height: auto;
        width: 1fr;
    }
    MetricsPanel > .metric--warn { color: $text-warning; }
    MetricsPanel > .metric--good { color: $text-success; }
    """

    COMPONENT_CLASSES = {"metric--warn", "metric--good"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.values: dict[str, float] = {}

    def set_metrics(self, values: Mapping[str, float | None]) -> None:
        """Keys: talk_share (0-1), questions, open, closed, leading, follow_ups, reflections."""
        self.values = dict(values)
        self.refresh(layout=True)

    def render(self) -> Text:
        v = self.values
        text = Text("Metrics", style="bold", end="")
        if not v:
            text.append("\nnothing said yet", style="italic dim")
            return text
        share = v.get("talk_share")
        text.append("\nYou talk ")
        if share is None:
            text.append("–")
        else:
            # Winning reps talk about 43% of the time (Gong); above 65% is a monologue.
            style = "metric--warn" if share > 0.65 else "metric--good" if share <= 0.5 else ""
            text.append(f"{share:.0%}", style=self.get_component_rich_style(style) if style else "")
            text.append(" of the time", style="dim")

        def n(key: str) -> int:
            return int(v.get(key) or 0)

        text.append(f"\nQuestions {n('questions')}")
        # The forms are the analyser's per turn; a turn of three questions is one
        # open turn, so say "turns" or 12 questions read as a sum of 9 and 1.
        text.append(f"\n turns: open {n('open')} · closed {n('closed')}")
        leading = n("leading")
        text.append(f"\n leading {leading}", style=self.get_component_rich_style("metric--warn") if leading else "")
        text.append(f"\nFollow-ups {n('follow_ups')}")
        text.append(f"\nReflections {n('reflections')}")
        return text


def panel_values(summary: Mapping) -> dict[str, float | None]:
    """The panel's numbers from a conversation summary (coach.analysis.metrics.summarize)."""
    labels = summary.get("labels") or {}
    return {
        "talk_share": summary.get("rep_talk_share"),
        "questions": summary.get("questions", 0),
        "open": summary.get("open_questions", 0),
        "closed": summary.get("closed_questions", 0),
        "leading": summary.get("leading_questions", 0),
        # Turns that carry the chips, so the panel agrees with what the rep sees
        # (summary["follow_ups"] counts follow-up *questions* only).
        "follow_ups": labels.get("follow_up", summary.get("follow_ups", 0)),
        "reflections": labels.get("reflection", summary.get("reflections", 0)),
    }
