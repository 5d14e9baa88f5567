"""The brief: the situation and the goal, read before the buyer speaks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.ui.safe import visible


class BriefScreen(Screen[None]):
    """What the rep is told: who the buyer is, the situation, the goal, the expected length."""

    BINDINGS = [
        Binding("enter,s", "begin", "Begin", show=True),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, scenario, source: str = "builtin") -> None:
        super().__init__()
        self.scenario = scenario
        self.source = source

    def compose(self) -> ComposeResult:
        s = self.scenario
        b = s.buyer
        yield Header(icon="")
        with VerticalScroll(id="brief-box"):
            title = Text(visible(s.title), style="bold")
            title.append(f"   {s.difficulty}", style={"easy": "green", "medium": "yellow", "hard": "red"}.get(s.difficulty, ""))
            if s.tags:
                title.append("   " + visible(", ".join(s.tags)), style="dim")
            yield Static(title, id="brief-title")
            who = Text("You are meeting ", end="")
            who.append(visible(b.name), style="bold")
            who.append(visible(f", {b.role} at {b.company}."))
            who.append("\n" + visible(b.personality), style="italic")
            yield Static(who, id="brief-buyer", classes="brief-section")
            yield Static(Text("Situation", style="bold"), classes="brief-heading")
            yield Static(Text(visible(s.brief.situation)), id="brief-situation", classes="brief-section")
            yield Static(Text("Your goal", style="bold"), classes="brief-heading")
            yield Static(Text(visible(s.brief.goal)), id="brief-goal", classes="brief-section")
            n = len(s.discoveries)
            facts = Text(
                f"About {s.brief.turns} turns. {visible(b.name.split()[0])} knows {n} thing{'s' if n != 1 else ''} "
                "you can only learn by asking well. Every turn is saved as you go.",
                style="dim",
            )
            yield Static(facts, id="brief-facts", classes="brief-section")
            yield Static(Text("Press Enter to begin.", style="bold"), id="brief-begin")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = visible(self.scenario.title)

    def action_begin(self) -> None:
        self.app.start_practice(self.scenario, source=self.source, replace=True)

    def action_back(self) -> None:
        self.app.go_home()
