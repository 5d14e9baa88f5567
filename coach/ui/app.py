"""The coach Textual app: one factory, ``make_app(...)``, used by ``coach`` and by the tests.

The app owns what every screen shares: the store, the rep's name, the analyser
(loaded once in a thread worker at start-up, so the first frame never waits for
it) and, in trainer mode, the scenario file it watches for changes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

if TYPE_CHECKING:  # pragma: no cover
    from coach.buyer.move import Voice
    from coach.scenario import Scenario
    from coach.session import SessionRecord
    from coach.store import Store

#: The themes the app offers; the first is the default.
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class AnalyzerReady(Message):
    """The analyser finished loading in its worker thread."""

    def __init__(self, analyzer: Any, seconds: float) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.seconds = seconds


class AnalyzerFailed(Message):
    """The analyser could not be loaded; ``error`` is one line."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class CoachApp(App[None]):
    """Practise sales conversations with a simulated buyer; review stored sessions."""

    TITLE = "coach"
    SUB_TITLE = "sales conversation practice"
    CSS_PATH = [
        "styles/app.tcss",
        "styles/home.tcss",
        "styles/practice.tcss",
        "styles/scorecard.tcss",
        "styles/review.tcss",
        "styles/team.tcss",
    ]
    BINDINGS = [
        Binding("ctrl+r", "reload_scenario", "Reload file", show=True, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True
    # Screens get -narrow/-wide and -short/-tall classes for their layout.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    #: True once the analyser is loaded (screens watch this).
    analyzer_ready: reactive[bool] = reactive(False)
    #: True when the watched scenario file changed on disk since it was loaded.
    file_changed: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, options: AppOptions) -> None:
        super().__init__()
        store, rep, analyzer, theme = options.store, options.rep, options.analyzer, options.theme
        cursor_blink, mode, scenario_file, seed = options.cursor_blink, options.mode, options.scenario_file, options.seed
        load_analyzer, watch_interval = options.load_analyzer, options.watch_interval
        #: Called with the theme's name when the rep toggles it (the CLI saves
        #: it in the config file; tests pass nothing, so nothing is written).
        self._save_theme = options.save_theme
        #: The buyer's voice for new sessions (None: the scenario's own lines).
        self.voice = options.voice
        #: Read by coach.ui.widgets.inputs.make_input (snapshot tests turn it off).
        self.input_cursor_blink = cursor_blink
        self.store = store
        self.rep = rep
        self.mode = mode
        self.scenario_file = Path(scenario_file) if scenario_file else None
        self.seed = seed
        self.analyzer = analyzer
        self.analyzer_error: str | None = None
        self._load_analyzer_fn = load_analyzer
        self._watch_interval = watch_interval
        self._file_mtime: float | None = None
        self.started_at = time.perf_counter()
        #: Set by the home screen once it has read the scenario files.
        self.scenarios_listed = threading.Event()
        self.first_frame_at: float | None = None
        self.first_frame_cpu: float | None = None
        self.analyzer_ready_at: float | None = None
        self.theme = theme if theme in self.available_themes else DARK_THEME
        #: One line saying why the app stopped on a database error, for the CLI to print.
        self.store_failure: str | None = None
        #: SIGTERM came before the first frame: exit as soon as it is drawn.
        self._exit_when_ready = False
        if analyzer is not None:
            self.set_reactive(CoachApp.analyzer_ready, True)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's hook for an exception no screen or worker handled. A
        # database that fails mid-run (damaged further in, locked past the
        # busy timeout, a full disk) ends the app with its one-line message and
        # exit status 2, as the CLI does, instead of a traceback.
        from textual.worker import WorkerFailed

        from coach.store import StoreError

        cause = error.error if isinstance(error, WorkerFailed) else error  # a thread worker's, unwrapped
        if isinstance(cause, StoreError):
            self.store_failure = str(cause)
            self.exit(return_code=2)
            return
        super()._handle_exception(error)

    # -- start-up ------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from coach.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_load(self) -> None:
        # `kill PID` (SIGTERM) would end Python where it stands, leaving the
        # terminal in the app's alternate screen with mouse reporting on.
        # Exit the way `q` does instead, so the driver restores the terminal;
        # 143 (128 + 15) is the status a shell expects after SIGTERM.
        import asyncio
        import signal

        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminated)
        except (NotImplementedError, RuntimeError, AttributeError):  # no signals here (Windows, a thread)
            pass

    def _terminated(self) -> None:
        # Exiting while the first screen is still being mounted trips Textual
        # (widgets queried before they exist): before the first frame, wait for it.
        if self.first_frame_at is None:
            self._exit_when_ready = True
        else:
            self.exit(return_code=143)

    def on_mount(self) -> None:
        if self.mode == "review":
            from coach.ui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen())
        elif self.scenario_file is not None:
            self.open_scenario_file(self.scenario_file)
            self.set_interval(self._watch_interval, self._check_scenario_file, name="watch-scenario")

    def on_ready(self) -> None:
        # Sent once the first screen has been painted: the benchmark reads it.
        self.first_frame_at = time.perf_counter()
        self.first_frame_cpu = time.process_time()
        if self._exit_when_ready:
            self.exit(return_code=143)
            return
        # Only now start loading the models: their imports would otherwise
        # compete with the first frame for the interpreter.
        if self.analyzer is None:
            self._load_analyzer()

    @work(thread=True, exclusive=True, group="analyzer")
    def _load_analyzer(self) -> None:
        # Let the scenario list be read first (a few hundred milliseconds):
        # both are Python-heavy and would slow each other down.
        self.scenarios_listed.wait(timeout=2.0)
        start = time.perf_counter()
        try:
            if self._load_analyzer_fn is not None:
                analyzer = self._load_analyzer_fn()
            else:
                from coach.analysis import Analyzer

                analyzer = Analyzer.load()
        except Exception as exc:  # shown in the app, never a traceback
            self.post_message(AnalyzerFailed(f"{type(exc).__name__}: {exc}".splitlines()[0]))
            return
        self.post_message(AnalyzerReady(analyzer, time.perf_counter() - start))

    @on(AnalyzerReady)
    def _analyzer_loaded(self, message: AnalyzerReady) -> None:
        self.analyzer = message.analyzer
        self.analyzer_ready_at = time.perf_counter()
        self.analyzer_ready = True

    @on(AnalyzerFailed)
    def _analyzer_failed(self, message: AnalyzerFailed) -> None:
        self.analyzer_error = message.error
        self.notify(
            f"The analyser could not be loaded: {message.error}",
            markup=False,
            title="Practice unavailable",
            severity="error",
            timeout=30,
        )
        # Screens waiting on the analyser watch this too.
        self.mutate_reactive(CoachApp.analyzer_ready)

    # -- navigation ------------------------------------------------------------

    def go_home(self) -> None:
        """Back to the scenario list, closing every screen above it."""
        from coach.ui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if isinstance(self.screen, HomeScreen) and self.screen.is_mounted:
            self.screen.refresh_scenarios()

    def start_brief(self, scenario: Scenario, source: str = "builtin") -> None:
        from coach.ui.screens.brief import BriefScreen

        self.push_screen(BriefScreen(scenario, source=source))

    def start_practice(
        self, scenario: Scenario, source: str = "builtin", *, replace: bool = False,
        resume: SessionRecord | None = None,
    ) -> None:
        from coach.ui.screens.practice import PracticeScreen

        screen = PracticeScreen(scenario, source=source, resume=resume)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def resume_practice(self, record: SessionRecord) -> None:
        """Continue a stored unfinished session, on the scenario it was played on."""
        if record.scenario is None:
            self.notify(markup=False, severity="error",
                        message=f"This session's scenario cannot be loaded any more: {record.scenario_error}")
            return
        self.start_practice(record.scenario, source=record.scenario_source, resume=record)

    def open_review(self) -> None:
        from coach.ui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def open_team(self) -> None:
        from coach.ui.screens.team import TeamScreen

        if not isinstance(self.screen, TeamScreen):
            self.push_screen(TeamScreen())

    def open_transcript(self, session_id: int, turn_id: int | None = None) -> None:
        from coach.ui.screens.transcript import TranscriptScreen

        self.push_screen(TranscriptScreen(session_id, focus_turn=turn_id))

    def open_scorecard(self, session_id: int, *, replace: bool = False) -> None:
        from coach.ui.screens.scorecard import ScorecardScreen

        screen = ScorecardScreen(session_id)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_go_home(self) -> None:
        self.go_home()

    def action_open_review(self) -> None:
        self.open_review()

    def action_open_team(self) -> None:
        self.open_team()

    def action_search(self) -> None:
        from coach.ui.screens.review import SearchScreen

        self.push_screen(SearchScreen())

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
        if self._save_theme is not None:
            try:
                self._save_theme(self.theme)
            except Exception as exc:  # noqa: BLE001 - the theme still changes; say why it was not kept
                self.notify(markup=False, severity="warning", message=f"Theme not saved: {exc}")

    def action_show_help(self) -> None:
        from coach.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- trainer mode: a scenario file -----------------------------------------

    def open_scenario_file(self, path: Path) -> None:
        """Load a scenario file: its brief if it is valid, its problems if not."""
        from coach.scenario import ScenarioError, load_scenario
        from coach.ui.screens.error import ScenarioErrorScreen

        self.scenario_file = path
        self._file_mtime = _mtime(path)
        self.file_changed = False
        self.go_home()
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self.push_screen(ScenarioErrorScreen(path, exc.messages))
            return
        except OSError as exc:
            self.push_screen(ScenarioErrorScreen(path, [f"{path}: {exc.strerror or exc}"]))
            return
        self.start_brief(scenario, source=str(path))

    def _check_scenario_file(self) -> None:
        from coach.ui.screens.error import ScenarioErrorScreen

        if self.scenario_file is None:
            return
        mtime = _mtime(self.scenario_file)
        if mtime == self._file_mtime or self.file_changed:
            return
        if isinstance(self.screen, ScenarioErrorScreen):
            # Nothing to lose on the error screen: pick the fix up at once.
            self.open_scenario_file(self.scenario_file)
            return
        self.file_changed = True
        self.notify(
            f"{self.scenario_file.name} changed on disk. Press ctrl+r to reload it "
            "(a session in progress stays saved as unfinished).",
            markup=False,
            title="Scenario file changed",
            timeout=15,
        )

    def action_reload_scenario(self) -> None:
        if self.scenario_file is not None:
            self.open_scenario_file(self.scenario_file)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload_scenario":
            # Shown in the footer only when there is a change to pick up.
            return bool(self.file_changed)
        return True

    # -- command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Practise: choose a scenario", "Go to the list of scenarios", self.go_home)
        yield SystemCommand("Review sessions", "Open the manager's review of stored sessions", self.open_review)
        yield SystemCommand("Team view", "Every rep's scores, trend and labels against the team; leaderboards",
                            self.open_team)
        yield SystemCommand("Search transcripts", "Full-text search across every stored turn and comment",
                            self.action_search)
        yield from getattr(screen, "screen_commands", lambda: ())()
        if self.scenario_file is not None:
            yield SystemCommand(
                "Reload scenario file", f"Load {self.scenario_file.name} again from disk", self.action_reload_scenario
            )
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and the dark theme", self.action_toggle_dark)
        yield SystemCommand("Help", "Keys and what the labels mean", self.action_show_help)
        yield from super().get_system_commands(screen)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@dataclass(frozen=True)
class AppOptions:
    """What the app is started with (the CLI and the tests build it through make_app).

    ``store``: an open coach Store. ``rep``: the rep's (or reviewer's) name.
    ``mode``: "practice" opens the scenario list (or ``scenario_file``'s brief);
    "review" opens the sessions table. ``analyzer``: an already loaded analyser
    (tests share one); otherwise ``load_analyzer()`` (default
    ``Analyzer.load``) runs in a worker thread at start-up. ``seed``: the
    buyer's seed for every session (None: a fresh one each time). ``voice``:
    the buyer's voice (None: the scenario's own lines). ``watch_interval``:
    seconds between checks of ``scenario_file``'s mtime. ``cursor_blink``:
    False keeps input cursors still (snapshot tests). ``save_theme``: called
    with the theme's name when the rep toggles it.
    """

    store: Store
    rep: str
    mode: str = "practice"
    scenario_file: Path | None = None
    analyzer: Any = None
    load_analyzer: Callable[[], Any] | None = None
    seed: int | None = None
    voice: Voice | None = None
    theme: str | None = None
    watch_interval: float = 1.0
    cursor_blink: bool = True
    save_theme: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("practice", "review"):
            raise ValueError(f"mode must be 'practice' or 'review', not {self.mode!r}")
        if self.scenario_file is not None and not isinstance(self.scenario_file, Path):
            object.__setattr__(self, "scenario_file", Path(self.scenario_file))


def make_app(**options: Any) -> CoachApp:
    """The one app factory, for the CLI and the tests: ``make_app(store=..., rep=...)``
    with the fields of :class:`AppOptions`."""
    return CoachApp(AppOptions(**options))
