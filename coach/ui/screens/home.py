"""Home: the scenarios to practise, with the rep's best and last score; Enter starts one."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from coach.ui.widgets.inputs import make_input
from coach.ui.safe import how_many_fit, one_line, visible
from coach.ui.style import score_text
from coach.ui.timefmt import when

_LEVEL_ORDER = {"easy": 0, "medium": 1, "hard": 2}


class ScenariosFound(Message):
    """The scenario files were read (in a worker)."""

    def __init__(self, refs: list, scores: dict[str, dict], assignments: list | None = None) -> None:
        super().__init__()
        self.refs = refs
        self.scores = scores
        self.assignments = assignments or []


class HomeScreen(Screen[None]):
    """The scenario list: title, buyer, difficulty, tags, best and last score; a filter."""

    BINDINGS = [
        Binding("enter", "start", "Start", show=True),
        Binding("c", "continue", "Continue unfinished"),
        Binding("slash", "filter", "Filter"),
        Binding("r", "app.open_review", "Review"),
        Binding("f1", "app.show_help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.refs: list = []
        self.scores: dict[str, dict] = {}
        self.shown: list = []
        #: True once the scenario files have been read.
        self.loaded = False
        self._loaded: dict = {}
        #: The rep's assignments (coach.team.AssignmentStatus), soonest due first.
        self.assignments: list = []

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield make_input(self.app, placeholder="/ to filter by title, buyer, tag or difficulty", id="home-filter")
        yield Static(id="home-assignments", classes="empty")
        yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        yield Static(id="scenario-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"practising as {visible(self.app.rep)}"
        table = self.query_one("#scenarios", DataTable)
        table.add_column("Scenario", key="title")
        table.add_column("Buyer", key="buyer")
        table.add_column("Level", key="level")
        table.add_column("Best", key="best")
        table.add_column("Last", key="last")
        table.add_column("Tags", key="tags")
        self.refresh_scenarios()
        table.focus()

    def refresh_scenarios(self) -> None:
        """Read the scenarios and the rep's scores again (after a session, a new file...).

        In a thread worker: importing the scenario models and reading the files
        takes a few hundred milliseconds, which the first frame should not wait for.
        """
        if not self.refs:
            self.query_one("#scenario-preview", Static).update(Text("Loading scenarios…", style="italic"))
        self._discover()

    @work(thread=True, exclusive=True, group="discover")
    def _discover(self) -> None:
        from coach.scenario import discover_scenarios
        from coach.team import assignment_statuses

        try:
            refs = discover_scenarios()
            scores = self.app.store.best_and_last(self.app.rep)
            assignments = assignment_statuses(self.app.store, self.app.rep)
            # The rep's latest unfinished session per scenario (the terminal was
            # closed mid-session, say), to offer to continue it.
            for row in self.app.store.sessions(rep=self.app.rep, status="in_progress"):
                if row.rep_turns and row.kind == "practice":
                    entry = scores.setdefault(row.scenario_id, {})
                    entry.setdefault("unfinished", row)
        finally:
            self.app.scenarios_listed.set()
        self.post_message(ScenariosFound(refs, scores, assignments))

    @on(ScenariosFound)
    def _found(self, message: ScenariosFound) -> None:
        self.refs = message.refs
        self.scores = message.scores
        self.assignments = message.assignments
        self._loaded = {}
        self.loaded = True
        self._show_assignments()
        self._fill()

    def _show_assignments(self) -> None:
        """The rep's assignments not yet passed (and the ones passed, counted), above the list."""
        box = self.query_one("#home-assignments", Static)
        todo = [s for s in self.assignments if not s.passed]
        box.set_class(not self.assignments, "empty")
        if not self.assignments:
            box.update("")
            return
        titles = {ref.id: ref.title for ref in self.refs}
        text = Text(end="")
        for s in todo:
            a = s.assignment
            if text.plain:
                text.append("\n")
            text.append("Assigned: ", style="bold")
            text.append(visible(titles.get(a.scenario_id, a.scenario_id)))
            text.append(f" · pass {a.pass_mark:.0f} by {a.due_on}", style="")
            style = "bold red" if s.state == "overdue" else "yellow"
            text.append(f" · {s.state}", style=style)
            text.append(f" (best {s.best:.0f})" if s.best is not None else " (not tried yet)", style="dim")
            text.append(f" · from {visible(a.assigned_by)}", style="dim")
            if a.note:
                text.append(f": {visible(a.note)}", style="dim italic")
        passed = len(self.assignments) - len(todo)
        if passed:
            if text.plain:
                text.append("\n")
            text.append(f"{passed} assignment{'s' if passed != 1 else ''} passed", style="green")
        box.update(text)

    def _fill(self) -> None:
        table = self.query_one("#scenarios", DataTable)
        needle = self.query_one("#home-filter", Input).value.strip().lower()
        keep = table.cursor_row
        table.clear()
        self.shown = []
        rows = []
        for ref in sorted(self.refs, key=lambda r: (r.error is not None, _LEVEL_ORDER.get(r.difficulty, 9), r.title.lower())):
            hay = " ".join([ref.title, ref.buyer, ref.difficulty, " ".join(ref.tags), ref.id, ref.company]).lower()
            if needle and needle not in hay:
                continue
            score = self.scores.get(ref.id, {})
            if ref.error:
                title = Text(f"⚠ {visible(ref.title or ref.path.name)}", style="red")
            else:
                title = Text(visible(ref.title))
            rows.append((ref, [
                title,
                Text(visible(ref.buyer)),
                Text(ref.difficulty, style={"easy": "green", "medium": "yellow", "hard": "red"}.get(ref.difficulty, "")),
                _score_cell(score.get("best")),
                _score_cell(score.get("last")),
            ]))
        room = self._tags_room([cells for _, cells in rows])
        for ref, cells in rows:
            table.add_row(*cells, _tags_cell(ref.tags, room), key=str(ref.path))
            self.shown.append(ref)
        if self.shown:
            table.move_cursor(row=min(max(keep, 0), len(self.shown) - 1))
        self._preview()

    def _tags_room(self, rows: list[list[Text]]) -> int:
        """The width the tags column has: what the other columns, as wide as
        their widest cell, leave of the table (the table clips, it does not
        scroll sideways)."""
        table = self.query_one("#scenarios", DataTable)
        headers = [str(c.label) for c in table.ordered_columns][: len(rows[0]) if rows else 0]
        widths = [max([len(h)] + [r[i].cell_len for r in rows]) for i, h in enumerate(headers)]
        padding = 2 * table.cell_padding * (len(widths) + 1)
        # (2 more for the vertical scrollbar, whether the list is long enough to show it or not)
        return (table.size.width or self.size.width - 2) - sum(widths) - padding - 2

    def on_resize(self) -> None:
        if self.loaded:
            self._fill()

    def _current(self):
        table = self.query_one("#scenarios", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _preview(self) -> None:
        preview = self.query_one("#scenario-preview", Static)
        ref = self._current()
        if ref is None:
            preview.update(Text("No scenario matches the filter.", style="italic"))
            return
        text = Text(end="")
        if ref.error:
            text.append("This scenario file has problems; Enter shows them.\n", style="bold red")
            text.append(visible(ref.error.splitlines()[0] if ref.error else ""))
            preview.update(text)
            return
        who = ", ".join(x for x in (ref.buyer, ref.buyer_role, ref.company) if x)
        text.append(visible(ref.title), style="bold")
        text.append(f"  ·  {visible(who)}\n")
        score = self.scores.get(ref.id) or {}
        if score.get("attempts"):
            text.append(f"Your attempts: {score['attempts']} · best {score['best']:.0f} · last {score['last']:.0f}\n")
        else:
            text.append("Not attempted yet\n", style="italic")
        for status in (s for s in self.assignments if s.assignment.scenario_id == ref.id):
            a = status.assignment
            text.append(f"Assigned by {visible(a.assigned_by)}: pass {a.pass_mark:.0f} by {a.due_on} · {status.state}\n",
                        style="green" if status.passed else "bold yellow")
        unfinished = score.get("unfinished")
        if unfinished:
            n = unfinished.rep_turns
            text.append(
                f"Unfinished since {when(unfinished.started_at)} ({n} turn{'s' if n != 1 else ''}): c continues it\n",
                style="yellow",
            )
        brief = self._brief(ref) if self.size.height >= 32 else None
        if brief is not None:
            text.append("\n")
            text.append(visible(brief.brief.situation))
            text.append("\n\nYour goal  ", style="bold")
            text.append(visible(brief.brief.goal))
            text.append("\n\n")
        text.append("Enter: read the brief and start", style="bold")
        text.append(f"  ·  {'built in' if ref.source == 'builtin' else visible(str(ref.path))}", style="dim")
        preview.update(text)

    def _brief(self, ref):
        """The scenario behind a list entry (cached), for the preview's situation and goal."""
        from coach.scenario import ScenarioError, load_scenario

        if ref.path not in self._loaded:
            try:
                self._loaded[ref.path] = load_scenario(ref.path)
            except (ScenarioError, OSError):
                self._loaded[ref.path] = None
        return self._loaded[ref.path]

    @on(DataTable.RowHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        self._preview()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#scenarios")
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Changed, "#home-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#home-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#scenarios", DataTable).focus()

    def on_key(self, event) -> None:
        # Down from the filter goes to the list, as in a browser's search box.
        if event.key == "down" and self.focused is self.query_one("#home-filter", Input):
            self.query_one("#scenarios", DataTable).focus()
            event.stop()

    def action_filter(self) -> None:
        self.query_one("#home-filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#home-filter", Input)
        if box.value:
            box.value = ""
        self.query_one("#scenarios", DataTable).focus()

    def action_start(self) -> None:
        from coach.scenario import ScenarioError, load_scenario
        from coach.ui.screens.error import ScenarioErrorScreen

        ref = self._current()
        if ref is None:
            return
        try:
            scenario = load_scenario(ref.path)
        except ScenarioError as exc:
            self.app.push_screen(ScenarioErrorScreen(ref.path, exc.messages, watch=False))
            return
        except OSError as exc:
            self.app.push_screen(ScenarioErrorScreen(ref.path, [f"{ref.path}: {exc.strerror or exc}"], watch=False))
            return
        self.app.start_brief(scenario, source=ref.source if ref.source == "builtin" else str(ref.path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "continue") and isinstance(self.focused, Input):
            return False
        if action == "continue":
            ref = self._current()
            return bool(ref is not None and (self.scores.get(ref.id) or {}).get("unfinished"))
        return True

    def action_continue(self) -> None:
        """Continue the rep's unfinished session on the highlighted scenario."""
        ref = self._current()
        row = (self.scores.get(ref.id) or {}).get("unfinished") if ref is not None else None
        if row is not None:
            self.app.resume_practice(self.app.store.session(row.id))


def _tags_cell(tags, room: int) -> Text:
    """The tags that fit in ``room`` (whole tags, "+N" for the others; the
    filter still finds every tag)."""
    tags = [visible(t) for t in tags]
    if not tags:
        return Text("")
    shown = how_many_fit(tags, room, ", ")
    more = f" +{len(tags) - shown}" if shown < len(tags) else ""
    text = Text(one_line(", ".join(tags[:shown]), max(room - len(more), 4)), end="")
    text.append(more, style="dim")
    return text


def _score_cell(value: float | None) -> Text:
    return score_text(value, justify="right")
