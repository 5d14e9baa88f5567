"""A scenario file that cannot be used: the validator's messages, inside the app.

Opened from ``coach practice FILE.yaml`` (and from the scenario list for a
broken user scenario). In trainer mode the app keeps watching the file and
reloads it as soon as it changes, so fixing the file in an editor is enough.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.ui.safe import visible


class ScenarioErrorScreen(Screen[None]):
    """The problems of one scenario file, one ``FILE:LINE:COL: field: message`` per line."""

    BINDINGS = [
        Binding("r", "reload", "Reload now"),
        Binding("escape,h", "home", "Scenarios"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, path: Path, messages: list[str], *, watch: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.messages = list(messages) or [f"{path}: cannot be used"]
        self.watching = watch

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        n = len(self.messages)
        head = Text(f"{visible(str(self.path))} has {n} problem{'s' if n != 1 else ''}", style="bold red")
        yield Static(head, id="error-title")
        body = Text(end="")
        for i, line in enumerate(self.messages):
            if i:
                body.append("\n")
            body.append(visible(line))
        with VerticalScroll(id="error-box"):
            yield Static(body, id="error-messages")
        hint = (
            "Fix the file and save it: the app reloads it by itself. "
            if self.watching
            else "Fix the file, then press r to load it again. "
        )
        hint += "`coach scenario validate FILE` prints the same messages."
        yield Static(Text(hint, style="dim"), id="error-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "scenario file problems"

    def action_reload(self) -> None:
        if self.watching:
            self.app.open_scenario_file(self.path)
            return
        from coach.scenario import ScenarioError, load_scenario

        try:
            scenario = load_scenario(self.path)
        except ScenarioError as exc:
            self.messages = list(exc.messages)
            self.query_one("#error-messages", Static).update(Text("\n".join(visible(m) for m in exc.messages)))
            self.notify(markup=False, message="Still broken.", severity="warning")
            return
        except OSError as exc:
            self.notify(markup=False, message=f"{self.path}: {exc.strerror or exc}", severity="error")
            return
        self.app.pop_screen()
        self.app.start_brief(scenario, source=str(self.path))

    def action_home(self) -> None:
        self.app.go_home()
