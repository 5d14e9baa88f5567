"""Pilot tests of the team view and of assignments on the rep's home screen."""

from __future__ import annotations

from test_ui_support import BAD_TURNS, GOOD_TURNS, REFLECTIONS, home_loaded, memory_store, play_session, scripted_analyzer, settle

from coach.labels import human
from coach.ui.app import make_app
from coach.ui.screens.review import ReviewScreen
from coach.ui.screens.team import TeamScreen


def _store():
    store = memory_store()
    play_session(store, "alex", GOOD_TURNS, seed=1)
    play_session(store, "alex", GOOD_TURNS + REFLECTIONS[:1], seed=4)
    play_session(store, "sam", BAD_TURNS, seed=2)
    return store


async def test_the_team_view_shows_reps_progress_and_a_leaderboard():
    from textual_plotext import PlotextPlot

    store = _store()
    app = make_app(store=store, rep="morgan", mode="review", analyzer=scripted_analyzer(), cursor_blink=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.view is not None
        table = screen.query_one("#team-reps")
        assert [r.rep for r in screen.view.reps] == ["alex", "sam"]
        alex = {str(k.value): str(table.get_cell("alex", k)) for k in table.columns}
        trend = [t.score for t in store.trend("alex")]
        assert (alex["rep"], alex["sessions"], alex["last"]) == ("alex", "2", f"{trend[-1]:.0f}")
        assert "(" in alex["most"]  # the rate beside the team's
        # No calls and no assignments: those columns are left out.
        assert "calls" not in alex and "assigned" not in alex
        most = screen.view.reps[1].most
        assert str(table.get_cell("sam", "most")) == f"{human(most.label)} {most.rate:.0f} ({most.team_rate:.0f})"
        assert most.rate > most.team_rate
        # The highlighted rep's progress is drawn with plotext.
        plot = screen.query_one("#team-progress", PlotextPlot)
        assert "Scores of alex over time" in plot.render().plain
        board = screen.query_one("#team-board")
        assert str(board.get_cell_at((0, 1))) == max(screen.view.reps, key=lambda r: max(r.scores)).rep
        await pilot.press("down")
        await pilot.pause()
        assert "Scores of sam over time" in plot.render().plain
        # Enter: that rep's sessions in the review table.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert {r.rep for r in app.screen.shown} == {"sam"}


async def test_at_80_columns_the_team_tables_fit():
    store = _store()
    app = make_app(store=store, rep="morgan", mode="review", analyzer=scripted_analyzer(), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_team()
        await settle(pilot)
        for table in (app.screen.query_one("#team-reps"), app.screen.query_one("#team-board")):
            needed = sum(c.get_render_width(table) for c in table.columns.values())
            assert needed <= table.scrollable_content_region.width, (table.id, needed)


async def test_a_rep_sees_their_assignment_on_home_and_passing_it_shows_in_the_team_view():
    store = _store()
    store.add_assignment(rep="alex", scenario_id="it-director-outage", pass_mark=99, due_on="2999-01-01",
                         assigned_by="morgan", note="before the QBR")
    app = make_app(store=store, rep="alex", analyzer=scripted_analyzer(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await home_loaded(pilot)
        box = app.screen.query_one("#home-assignments")
        text = box.render().plain
        assert "Assigned: After the outage · pass 99 by 2999-01-01 · open (not tried yet) · from morgan" in text
        assert "before the QBR" in text and box.display
    other = make_app(store=store, rep="sam", analyzer=scripted_analyzer(), cursor_blink=False)
    async with other.run_test(size=(120, 40)) as pilot:
        await home_loaded(pilot)
        assert not other.screen.query_one("#home-assignments").display  # sam has none
    store.add_assignment(rep="sam", scenario_id="it-director-outage", pass_mark=1, due_on="2999-01-01",
                         assigned_by="morgan")
    play_session(store, "sam", GOOD_TURNS, seed=5)
    review = make_app(store=store, rep="morgan", mode="review", analyzer=scripted_analyzer(), cursor_blink=False)
    async with review.run_test(size=(140, 44)) as pilot:
        review.open_team()
        await settle(pilot)
        assert isinstance(review.screen, TeamScreen) and review.screen.view is not None
        table = review.screen.query_one("#team-reps")
        passed = {rep: str(table.get_cell(rep, "assigned")) for rep in ("alex", "sam")}
        assert passed == {"alex": "0/1", "sam": "1/1"}
