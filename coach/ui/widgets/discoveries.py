"""The hidden facts of a scenario: the ones found by topic, the rest locked."""

from __future__ import annotations

from collections.abc import Sequence

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

    def set_discoveries(self, topics: Sequence[tuple[str, str]], found: Sequence[str]) -> None:
        self.topics = list(topics)
        self.found = [d for d in dict.fromkeys(found)]
        self.refresh(layout=True)

    def render(self) -> Text:
        found = set(self.found)
        n_found = sum(1 for d, _ in self.topics if d in found)
        text = Text(f"Discoveries {n_found}/{len(self.topics)}", style="bold", end="")
        for discovery_id, topic in self.topics:
            text.append("\n")
            if discovery_id in found:
                text.append(f"✓ {visible(topic)}", style=self.get_component_rich_style("discovery--found"))
            else:
                text.append("· locked", style=self.get_component_rich_style("discovery--locked"))
        return text
