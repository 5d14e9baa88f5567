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
from coach.ui.safe import one_line
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
    "scenario": ("Scenario", lambda r: r.scenario_title.lower()),
    "score": ("Score", lambda r: (r.score is not None, r.score or 0.0)),
    "turns": ("Turns", lambda r: r.rep_turns),
    "flags": ("Flags", lambda r: flag_total(r)),
    "notes": ("✎", lambda r: r.comment_count),
}


#: Column widths for terminals under 100 columns, and for wider ones.
NARROW = {"when": 12, "rep": 8, "scenario": 16, "score": 10, "turns": 5, "flags": 10, "notes": 2}
WIDE = {"when": 16, "rep": 14, "scenario": 28, "score": 10, "turns": 5, "flags": 26, "notes": 3}


def flag_total(row: SessionSummary) -> int:
    return sum(n for label, n in row.labels.items() if label in BAD)


def flag_text(row: SessionSummary, width: int = 2) -> Text:
    """``4 pitch 3 lead 1``: how many flags (bad labels) the rep turns got, most
    frequent first; ``width`` names at most; with 1, only the top name, no count."""
    counts = sorted(((n, l) for l, n in row.labels.items() if l in BAD), key=lambda c: (-c[0], c[1]))
    total = sum(n for n, _ in counts)
    if not total:
        return Text("0", style="green")
    text = Text(f"{total}", style="red", end="")
    if width == 1:
        parts = [SHORT.get(counts[0][1], human(counts[0][1]))]
    else:
        parts = [f"{SHORT.get(label, human(label))} {n}" for n, label in counts[:width]]
    text.append(" " + " ".join(parts), style="dim")
    return text


class ReviewScreen(Screen[None]):
    """The manager's view of stored sessions."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("u", "toggle_unfinished", "Unfinished only"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SessionSummary] = []
        self.shown: list[SessionSummary] = []
        self.sort_key = "when"
        self.sort_reverse = True
        self.unfinished_only = False
        self._narrow: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield make_input(self.app, placeholder="f to filter: rep, scenario, flag, 'unfinished'…", id="review-filter")
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
        # Back from a transcript: comment counts may have changed.
        if self.rows:
            self.reload()

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
        self.shown = rows
        narrow = bool(self.size.width) and self.size.width < 100
        if narrow != self._narrow or not table.columns:
            # Fixed widths per layout: a table that fits 80 columns, or uses 120.
            self._narrow = narrow
            table.clear(columns=True)
            for key, (header, _) in COLUMNS.items():
                table.add_column(header, key=key, width=(NARROW if narrow else WIDE)[key])
        else:
            table.clear()
        for key, (header, _) in COLUMNS.items():
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_key else ""
            table.columns[key].label = Text(header + arrow)
        for r in rows:
            table.add_row(
                Text(when(r.started_at, short=bool(narrow))),
                Text(one_line(r.rep, (NARROW if narrow else WIDE)["rep"])),
                Text(one_line(r.scenario_title or r.scenario_id, (NARROW if narrow else WIDE)["scenario"])),
                _score_cell(r),
                Text(str(r.rep_turns), justify="right"),
                flag_text(r, 1 if narrow else 3),
                Text(str(r.comment_count or ""), justify="right"),
                key=str(r.id),
            )
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))
        self._trend()
        total = len(self.rows)
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
        str(x) for x in (row.rep, row.scenario_title, row.scenario_id, status, flags, when(row.started_at)) if x
    ).lower()


def _score_cell(row: SessionSummary) -> Text:
    if not row.finished:
        return Text("unfinished", style="yellow italic", justify="right")
    return score_text(row.score, justify="right")


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
        words = [w for w in query.split() if w]
        width = max(30, self.size.width - 40)
        for r in self.results:
            said = Text(one_line(r.text, width))
            said.highlight_words(words, style="bold reverse", case_sensitive=False)
            table.add_row(
                Text(when(r.started_at)),
                Text(one_line(r.rep, 14)),
                Text("rep" if r.speaker == "rep" else "buyer"),
                said,
                key=str(r.turn_id),
            )
        n = len(self.results)
        status = f"{n} turn{'s' if n != 1 else ''} found" if query.strip() else "Type words and press Enter."
        self.query_one("#search-status", Static).update(Text(status, style="dim"))

    @on(DataTable.RowSelected, "#search-results")
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.results[event.cursor_row]
        self.app.open_transcript(row.session_id, turn_id=row.turn_id)

    def action_back(self) -> None:
        self.app.pop_screen()
