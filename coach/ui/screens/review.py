"""Review: every stored session in a sortable, filterable table; a rep's trend;
full-text search across transcripts (SearchScreen)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from coach.labels import BAD, human
from coach.session import SearchHit, SessionSummary
from coach.ui.widgets.inputs import make_input
from coach.ui.safe import how_many_fit, one_line
from coach.ui.style import score_text
from coach.ui.timefmt import when
from coach.ui.widgets.sparkline import ScoreSparkline

#: Short names for the flags column (bad labels).
SHORT: dict[str, str] = {
    "leading_question": "lead",
    "self_interested": "self-int",
    "pitching": "pitch",
    "pressure": "press",
    "checklist": "check",
}

#: Sortable columns: key -> (header, sort key on a session row).
COLUMNS: dict[str, tuple[str, object]] = {
    "when": ("When", lambda r: (r.started_at, r.id)),
    "rep": ("Rep", lambda r: r.rep.lower()),
    "scenario": ("Scenario or call", lambda r: r.title.lower()),
    "score": ("Score", lambda r: (r.final_score is not None, r.final_score or 0.0)),
    "turns": ("Turns", lambda r: r.rep_turns),
    "flags": ("Flags: rep turns", lambda r: flag_total(r)),
    "notes": ("✎", lambda r: r.comment_count),
}


#: Column widths for terminals under 100 columns, and for wider ones; the
#: flags column takes the room the others leave (at least FLAGS_MIN).
NARROW = {"when": 12, "rep": 7, "scenario": 14, "score": 10, "turns": 5, "notes": 2}
#: Headers for columns too narrow for theirs (at 80 columns).
SHORT_HEADERS = {"scenario": "Scenario/call", "flags": "Flags: turns"}
WIDE = {"when": 16, "rep": 14, "scenario": 28, "score": 10, "turns": 5, "notes": 3}
FLAGS_MIN = 10
#: Rows put in the table at most: the newest (or first in the chosen order)
#: of those that match the filter. Filtering and sorting see every session;
#: a DataTable of 10,000 rows took 8 s to fill (200 reps x 50 sessions,
#: benchmarks/bench_review.py); 500 rows still cost 1.6 s of CPU in all, 200
#: leave the table to the query.
MAX_ROWS = 200


def flag_total(row: SessionSummary) -> int:
    return sum(n for label, n in row.labels.items() if label in BAD)


def flag_text(row: SessionSummary, width: int = 26) -> Text:
    """``pitch 3 · lead 1``: each flag (a label that puts buyers on the
    defensive) with the number of rep turns that got it, most frequent first,
    as many as fit in ``width`` ("+2" says how many more there are)."""
    counts = sorted(((n, l) for l, n in row.labels.items() if l in BAD and n), key=lambda c: (-c[0], c[1]))
    if not counts:
        return Text("none", style="green")
    pieces = [f"{SHORT.get(label, human(label))} {n}" for n, label in counts]
    shown = how_many_fit(pieces, width, " · ")
    text = Text(end="", style="red")
    for i, piece in enumerate(pieces[:shown]):
        if i:
            text.append(" · ", style="dim")
        text.append(piece)
    if shown < len(pieces):
        text.append(f" +{len(pieces) - shown}", style="dim")
    return text


class ReviewScreen(Screen[None]):
    """The manager's view of stored sessions."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("u", "toggle_unfinished", "Unfinished"),
        Binding("t", "app.open_team", "Team"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, filter_text: str = "") -> None:
        super().__init__()
        #: What the filter box starts with (the team view opens a rep's sessions).
        self.filter_text = filter_text
        self.rows: list[SessionSummary] = []
        self.shown: list[SessionSummary] = []
        self.sort_key = "when"
        self.sort_reverse = True
        self.unfinished_only = False
        self._narrow: tuple[bool, int] | None = None
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield make_input(self.app, value=self.filter_text,
                         placeholder="f to filter: rep, scenario, flag, 'call', 'unfinished'…", id="review-filter")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield ScoreSparkline(id="rep-trend", label="Trend")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "review sessions"
        table = self.query_one("#sessions", DataTable)
        self.reload()
        table.focus()

    def on_resize(self) -> None:
        if self.rows:
            self._fill()

    def on_screen_resume(self) -> None:
        # Back from a transcript: comment counts and scores may have changed.
        # (The first resume comes with the mount, which has just loaded them:
        # loading twice cost 0.5 s on 10,000 sessions.)
        if self._resumed and self.rows:
            self.reload()
        self._resumed = True

    def reload(self) -> None:
        self.rows = self.app.store.sessions()
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#sessions", DataTable)
        keep = table.cursor_row
        words = self.query_one("#review-filter", Input).value.lower().split()
        rows = [r for r in self.rows if not self.unfinished_only or not r.finished]
        rows = [r for r in rows if all(w in _haystack(r) for w in words)]
        rows.sort(key=COLUMNS[self.sort_key][1], reverse=self.sort_reverse)
        self.shown = rows[:MAX_ROWS]
        narrow = bool(self.size.width) and self.size.width < 100
        widths = dict(NARROW if narrow else WIDE)
        # What the other columns leave (each column has 2 cells of padding, and the table a margin).
        widths["flags"] = max(FLAGS_MIN, (self.size.width or 120) - sum(widths.values()) - 2 * len(COLUMNS) - 4)
        if (narrow, widths["flags"]) != self._narrow or not table.columns:
            # Fixed widths per layout: a table that fits 80 columns, or uses 120.
            self._narrow = (narrow, widths["flags"])
            table.clear(columns=True)
            for key, (header, _) in COLUMNS.items():
                table.add_column(header, key=key, width=widths[key])
        else:
            table.clear()
        for key, (header, _) in COLUMNS.items():
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_key else ""
            if widths.get(key, len(header)) < len(header):
                header = SHORT_HEADERS.get(key, header)  # what the column holds, in the room there is
            table.columns[key].label = Text(header + arrow)
        for r in self.shown:
            table.add_row(
                Text(when(r.started_at, short=bool(narrow))),
                Text(one_line(r.rep, widths["rep"])),
                Text(one_line(r.title, widths["scenario"]), style="italic" if r.kind == "call" else ""),
                _score_cell(r),
                Text(str(r.rep_turns), justify="right"),
                flag_text(r, widths["flags"]),
                Text(str(r.comment_count or ""), justify="right"),
                key=str(r.id),
            )
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(self.shown) - 1))
        self._trend()
        total = len(self.rows)
        if len(rows) > MAX_ROWS:
            self.sub_title = f"review sessions · first {MAX_ROWS} of {len(rows)} matching (filter to narrow)"
        else:
            self.sub_title = f"review sessions · {len(rows)} of {total} shown"

    def _current(self) -> SessionSummary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _trend(self) -> None:
        spark = self.query_one("#rep-trend", ScoreSparkline)
        row = self._current()
        if row is None:
            spark.empty = (
                "No sessions stored yet: sessions appear here as reps practise."
                if not self.rows
                else "No session matches the filter."
            )
            spark.set_scores([], label="")
            return
        spark.empty = "no finished sessions yet"
        rep = row.rep
        scores = [t.score for t in self.app.store.trend(rep)]
        spark.set_scores(scores, label=f"Trend of {one_line(rep, 20)} (all scenarios):")

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self) -> None:
        self._trend()

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self) -> None:
        self.action_open()

    @on(DataTable.HeaderSelected, "#sessions")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, key in ("when", "score", "flags", "notes", "turns")
        self._fill()

    @on(Input.Changed, "#review-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#review-filter")
    def _filter_done(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "sort", "toggle_unfinished", "search", "filter") and isinstance(self.focused, Input):
            return False
        return True

    def action_open(self) -> None:
        row = self._current()
        if row is not None:
            self.app.open_transcript(row.id)

    def action_filter(self) -> None:
        self.query_one("#review-filter", Input).focus()

    def action_sort(self) -> None:
        keys = list(COLUMNS)
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = self.sort_key in ("when", "score", "flags", "notes", "turns")
        self._fill()
        self.notify(markup=False, message=f"Sorted by {COLUMNS[self.sort_key][0].lower()}", timeout=2)

    def action_toggle_unfinished(self) -> None:
        self.unfinished_only = not self.unfinished_only
        self._fill()

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen())

    def action_back(self) -> None:
        box = self.query_one("#review-filter", Input)
        if self.focused is box:
            box.value = ""
            self.query_one("#sessions", DataTable).focus()
            return
        self.app.pop_screen()

    def screen_commands(self):
        yield SystemCommand("Show unfinished sessions only", "Toggle the unfinished-only filter", self.action_toggle_unfinished)
        yield SystemCommand("Sort sessions", "Sort by the next column", self.action_sort)


def _haystack(row: SessionSummary) -> str:
    flags = " ".join(f"{label} {human(label)}" for label, n in row.labels.items() if n and label in BAD)
    status = "finished" if row.finished else "unfinished"
    return " ".join(
        str(x) for x in (row.rep, row.title, row.scenario_id, row.kind, status, flags, when(row.started_at)) if x
    ).lower()


def _score_cell(row: SessionSummary) -> Text:
    if not row.finished:
        return Text("unfinished", style="yellow italic", justify="right")
    if row.kind == "call" and row.final_score is None:
        return Text("call", style="dim italic", justify="right")
    text = score_text(row.final_score, justify="right")
    if row.overridden:
        # A manager's score; the machine's is in the transcript's header.
        text.append("*", style="bold")
    return text


class SearchScreen(Screen[None]):
    """Full-text search across every stored turn; Enter opens the transcript at that turn."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.results: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield make_input(self.app, value=self.query_text, placeholder="Search what reps and buyers said; Enter searches", id="search-input")
        yield DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield Static(id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "search transcripts"
        table = self.query_one("#search-results", DataTable)
        table.add_column("When", key="when")
        table.add_column("Rep", key="rep")
        table.add_column("Who", key="who")
        table.add_column("What was said", key="text")
        self.query_one("#search-input", Input).focus()
        if self.query_text:
            self.run_search(self.query_text)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)
        if self.results:
            self.query_one("#search-results", DataTable).focus()

    def run_search(self, query: str) -> None:
        from coach.store import StoreError

        self.query_text = query
        try:
            self.results = self.app.store.search(query) if query.strip() else []
        except StoreError as exc:
            self.results = []
            self.notify(markup=False, message=str(exc), severity="error")
        table = self.query_one("#search-results", DataTable)
        table.clear()
        # Highlight the words searched for, not the operators or quotes around them.
        words = [w.strip('"()*') for w in query.split() if w not in ("OR", "AND", "NOT") and w.strip('"()*')]
        width = max(30, self.size.width - 40)
        for i, r in enumerate(self.results):
            said = Text(one_line(r.text, width))
            said.highlight_words(words, style="bold reverse", case_sensitive=False)
            who = f"✎ {one_line(r.author or '', 12)}" if r.is_comment else r.speaker
            table.add_row(
                Text(when(r.started_at)),
                Text(one_line(r.rep, 14)),
                Text(who),
                said,
                key=str(i),
            )
        n = len(self.results)
        status = (f"{n} match{'es' if n != 1 else ''} in turns and comments" if query.strip() else
                  "Type words and press Enter: OR, \"a phrase\", prefix* work as in full-text search.")
        self.query_one("#search-status", Static).update(Text(status, style="dim"))

    @on(DataTable.RowSelected, "#search-results")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.results[event.cursor_row]
        self.app.open_transcript(row.session_id, turn_id=row.turn_id)

    def action_back(self) -> None:
        self.app.pop_screen()
