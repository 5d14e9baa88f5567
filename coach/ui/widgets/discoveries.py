"""The hidden facts of a scenario: the ones found by topic, the rest locked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from coach.ui.safe import visible


class DiscoveriesPanel(Static):
    """``Discoveries 1/4`` then one line per discovery: found ones by topic, others locked."""

    DEFAULT_CSS = """
    DiscoveriesPanel {
        height: auto;
        width: 1fr;
    }
    DiscoveriesPanel > .discovery--found { color: $text-success; }
    DiscoveriesPanel > .discovery--locked { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"discovery--found", "discovery--locked"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.topics: list[tuple[str, str]] = []  # (id, topic), scenario order
        self.found: list[str] = []
        self.new: set[str] = set()

    def set_discoveries(self, topics: Sequence[tuple[str, str]], found: Sequence[str], new: Sequence[str] = ()) -> None:
        """``found``: ids revealed so far; ``new``: the ones the last reply revealed (marked)."""
        self.topics = list(topics)
        self.found = [d for d in dict.fromkeys(found)]
        self.new = set(new)
        self.refresh(layout=True)

    def render(self) -> Text:
        found = set(self.found)
        n_found = sum(1 for d, _ in self.topics if d in found)
        text = Text(f"Discoveries {n_found}/{len(self.topics)}", style="bold", end="")
        for discovery_id, topic in self.topics:
            text.append("\n")
            if discovery_id in found:
                style = self.get_component_rich_style("discovery--found")
                if discovery_id in self.new:
                    text.append("★ ", style=style + Style(bold=True))
                    text.append(visible(topic), style=style + Style(bold=True))
                    text.append(" new", style="bold reverse")
                else:
                    text.append(f"✓ {visible(topic)}", style=style)
            else:
                text.append("· locked", style=self.get_component_rich_style("discovery--locked"))
        return text
