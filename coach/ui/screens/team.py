"""The team at a glance: one row per rep (sessions, average and latest score,
trend, the labels they show most and least against the team), the highlighted
rep's progress as a chart, and a leaderboard per scenario."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from coach.labels import BAD, GOOD, human
from coach.report.charts import Point, draw_progress, spark
from coach.team import RepRow, TeamView
from coach.ui.safe import one_line
from coach.ui.style import score_text

#: The periods `p` cycles through: (label, days back; None for all time).
PERIODS: tuple[tuple[str, int | None], ...] = (("all time", None), ("last 7 days", 7), ("last 30 days", 30))

#: Below this height (an 80x24 terminal) the progress chart has room for three y ticks, not six.
SHORT_PLOT = 16

#: The reps table's columns: key and header. Calls and Passed are left out
#: when no rep has any, Trend below 100 columns (the chart under the table
#: shows the highlighted rep's scores): so the table fits 80 columns.
REP_COLUMNS = (("rep", "Rep"), ("sessions", "Sessions"), ("calls", "Calls"), ("avg", "Avg"), ("last", "Last"),
               ("trend", "Trend"), ("most", "Shows most"), ("least", "Shows least"), ("assigned", "Passed"))


class TeamLoaded(Message):
    def __init__(self, view: TeamView, points: dict[str, list[Point]]) -> None:
        super().__init__()
        self.view = view
        self.points = points


def _rate_text(rate) -> Text:
    if rate is None:
        return Text("–", style="dim")
    style = "green" if rate.label in GOOD else "red" if rate.label in BAD else ""
    text = Text(human(rate.label), style=style, end="")
    text.append(f" {rate.rate:.0f} ({rate.team_rate:.0f})", style="dim")
    return text


class TeamScreen(Screen[None]):
    """The manager's team view."""

    BINDINGS = [
        Binding("enter", "open_rep", "Rep's sessions", show=True),
        Binding("p", "period", "Period"),
        Binding("l", "next_board", "Next leaderboard"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: TeamView | None = None
        self.points: dict[str, list[Point]] = {}
        self.period = 0
        self.board = 0

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(Text("Loading the team…", style="italic"), id="team-scope")
        yield DataTable(id="team-reps", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="team-bottom"):
            yield PlotextPlot(id="team-progress")
            with Vertical(id="team-board-box"):
                yield Static(id="team-board-title")
                yield DataTable(id="team-board", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "team"
        reps = self.query_one("#team-reps", DataTable)
        board = self.query_one("#team-board", DataTable)
        for key, label in (("rank", "#"), ("rep", "Rep"), ("best", "Best"), ("latest", "Last"), ("n", "Tries")):
            board.add_column(label, key=key)
        reps.focus()
        self.load()

    def load(self) -> None:
        self._load(PERIODS[self.period][1])

    @work(thread=True, exclusive=True, group="team")
    def _load(self, days: int | None) -> None:
        from datetime import date, timedelta

        from coach.team import team_view

        since = (date.today() - timedelta(days=days - 1)).isoformat() if days else None
        scored = self.app.store.score_rows(since=since)
        view = team_view(self.app.store, since=since, scored=scored)
        points: dict[str, list[Point]] = {}
        for row in scored:
            if row.kind == "practice" and row.score is not None:
                points.setdefault(row.rep, []).append(Point(row.started_at, row.score, row.session_id, row.scenario_id))
        self.post_message(TeamLoaded(view, points))

    @on(TeamLoaded)
    def _loaded(self, message: TeamLoaded) -> None:
        self.view, self.points = message.view, message.points
        self._fill()

    def _fill(self) -> None:
        view = self.view
        if view is None:
            return
        table = self.query_one("#team-reps", DataTable)
        keep = table.cursor_row
        leave_out = {key for key, keep_it in (("calls", any(r.calls for r in view.reps)),
                                              ("assigned", any(r.assignments for r in view.reps)),
                                              ("trend", self.size.width >= 100)) if not keep_it}
        columns = [(key, label) for key, label in REP_COLUMNS if key not in leave_out]
        if [str(k.value) for k in table.columns] != [key for key, _ in columns]:
            table.clear(columns=True)
            for key, label in columns:
                table.add_column(label, key=key)
        else:
            table.clear()
        for r in view.reps:
            trend = Text(spark(r.scores[-8:]), style="bold", end="")
            if r.change is not None:
                trend.append(f" {r.change:+.0f}", style="green" if r.change > 0 else "red" if r.change < 0 else "")
            passed = sum(1 for s in r.assignments if s.passed)
            cells = {
                "rep": Text(one_line(r.rep, 22)),
                "sessions": Text(str(r.sessions), justify="right"),
                "calls": Text(str(r.calls or ""), justify="right"),
                "avg": score_text(r.average, justify="right"),
                "last": score_text(r.latest, justify="right"),
                "trend": trend,
                "most": _rate_text(r.most),
                "least": _rate_text(r.least),
                "assigned": Text(f"{passed}/{len(r.assignments)}" if r.assignments else "", justify="right"),
            }
            table.add_row(*(cells[key] for key, _ in columns), key=r.rep)
        if view.reps:
            table.move_cursor(row=min(max(keep, 0), len(view.reps) - 1))
        scope = Text(f"{len(view.reps)} rep{'s' if len(view.reps) != 1 else ''} · {PERIODS[self.period][0]} · {view.team_turns} analysed rep turns",
                     style="bold", end="")
        scope.append("   labels per 100 rep turns (the team's in brackets) · p: period · l: next leaderboard · "
                     "Enter: the rep's sessions", style="dim")
        if not view.reps:
            scope.append("\nNo sessions in this period.", style="italic")
        self.query_one("#team-scope", Static).update(scope)
        self._progress()
        self._board()

    def on_resize(self) -> None:
        self._fill()

    def _current(self) -> RepRow | None:
        table = self.query_one("#team-reps", DataTable)
        if self.view is None or not self.view.reps or not 0 <= table.cursor_row < len(self.view.reps):
            return None
        return self.view.reps[table.cursor_row]

    def _progress(self) -> None:
        plot = self.query_one("#team-progress", PlotextPlot)
        row = self._current()
        points = self.points.get(row.rep, []) if row else []
        title = f"Scores of {one_line(row.rep, 30)} over time" if row else "No rep"
        draw_progress(plot.plt, points, title=title)
        if plot.size.height < SHORT_PLOT:
            # Six y ticks on the four rows of a short plot collide, and plotext
            # keeps one of each pair at random (a set of strings, ordered by the
            # process's hash seed): the label shown changed from run to run.
            plot.plt.yticks([0, 50, 100])
        plot.refresh()

    def _board(self) -> None:
        boards = self.view.leaderboards if self.view else ()
        table = self.query_one("#team-board", DataTable)
        title = self.query_one("#team-board-title", Static)
        table.clear()
        if not boards:
            title.update(Text("No finished practice yet: no leaderboard.", style="italic"))
            return
        b = boards[self.board % len(boards)]
        head = Text(f"Leaderboard: {one_line(b.title, 40)}", style="bold", end="")
        head.append(f"  ({self.board % len(boards) + 1} of {len(boards)})", style="dim")
        title.update(head)
        for row in b.rows:
            table.add_row(Text(str(row.rank)), Text(one_line(row.rep, 20)), score_text(row.best, justify="right"),
                          score_text(row.latest, justify="right"), Text(str(row.attempts), justify="right"))

    @on(DataTable.RowHighlighted, "#team-reps")
    def _highlighted(self) -> None:
        self._progress()

    @on(DataTable.RowSelected, "#team-reps")
    def _selected(self) -> None:
        self.action_open_rep()

    def action_open_rep(self) -> None:
        from coach.ui.screens.review import ReviewScreen

        row = self._current()
        if row is not None:
            self.app.push_screen(ReviewScreen(filter_text=row.rep))

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.notify(markup=False, message=f"Team over {PERIODS[self.period][0]}", timeout=2)
        self.load()

    def action_next_board(self) -> None:
        self.board += 1
        self._board()

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):
        yield SystemCommand("Team: change the period", "All time, the last 7 days, the last 30 days", self.action_period)
        yield SystemCommand("Team: next leaderboard", "Show the next scenario's leaderboard", self.action_next_board)
