"""The buyer's trust, 0-100, as a bar with the last change."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TrustMeter(Widget):
    """``Trust  42 ▲6`` over a bar coloured by level (low red, middle amber, high green)."""

    DEFAULT_CSS = """
    TrustMeter {
        height: 2;
        width: 1fr;
    }
    TrustMeter > .trust--low { color: $text-error; }
    TrustMeter > .trust--mid { color: $text-warning; }
    TrustMeter > .trust--high { color: $text-success; }
    TrustMeter > .trust--empty { color: $panel-lighten-2; }
    """

    COMPONENT_CLASSES = {"trust--low", "trust--mid", "trust--high", "trust--empty"}

    value: reactive[float | None] = reactive(None)
    delta: reactive[float] = reactive(0.0)

    def set_trust(self, value: float | None) -> None:
        """Show a new trust value; the change from the last one is shown beside it."""
        if value is not None and self.value is not None:
            self.delta = value - self.value
        else:
            self.delta = 0.0
        self.value = value

    def _level(self) -> str:
        v = self.value or 0
        return "trust--low" if v < 35 else "trust--mid" if v < 60 else "trust--high"

    def render(self) -> Text:
        text = Text("Trust ", style="bold", end="")
        if self.value is None:
            text.append("…")
            return text
        style = self.get_component_rich_style(self._level())
        text.append(f"{self.value:3.0f}", style=style)
        if round(self.delta):
            up = self.delta > 0
            text.append(f" {'▲' if up else '▼'}{abs(self.delta):.0f}", style=style if up else self.get_component_rich_style("trust--low"))
        text.append("\n")
        width = max(4, self.size.width)
        filled = round(width * max(0.0, min(100.0, self.value)) / 100)
        text.append("█" * filled, style=style)
        text.append("░" * (width - filled), style=self.get_component_rich_style("trust--empty"))
        return text
