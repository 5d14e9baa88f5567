"""Snapshot tests of every screen at 80x24, the main ones at 120x40 too
(pytest-textual-snapshot). Each docstring says what the picture must show.

Deterministic: the buyer's seed is fixed, the store's clock is fixed and times
show in UTC, input cursors do not blink, databases live in memory. The
analyser is the scripted one (test_ui_support.UI_LABELS): the pictures are of
the screens, and do not change when the trained analyser does. Regenerate
with ``pytest tests/test_ui_snapshots.py --snapshot-update`` after a deliberate
change, and look at the pictures (snapshot_report.html) before committing.
"""

from __future__ import annotations

import pytest
from test_ui_support import (
    BAD_TURNS,
    GOOD_TURNS,
    REFLECTIONS,
    SCENARIO_ID,
    builtin_path,
    fixed_tz,  # noqa: F401 - fixture
    home_loaded,
    memory_store,
    open_scenario,
    play_session,
    say,
    scripted_analyzer,
    settle,
    type_text,
)

from coach.ui.app import make_app
from coach.ui.screens.comment import CommentScreen
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.error import ScenarioErrorScreen
from coach.ui.screens.help import HelpScreen
from coach.ui.screens.override import OverrideScreen
from coach.ui.screens.review import SearchScreen
from coach.ui.screens.scorecard import ScorecardScreen
from coach.ui.screens.team import TeamScreen
from coach.ui.screens.transcript import TranscriptScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SMALL = (80, 24)


def _app(store, mode="practice", rep="alex"):
    return make_app(store=store, rep=rep, mode=mode, seed=0, analyzer=scripted_analyzer(), cursor_blink=False)


def _store_with_history():
    store = memory_store()
    play_session(store, "alex", BAD_TURNS, seed=1)
    play_session(store, "alex", GOOD_TURNS, seed=2)
    play_session(store, "sam", BAD_TURNS[:1], seed=3)
    play_session(store, "alex", GOOD_TURNS[:1], seed=4, finish=False)
    return store


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, fixed_tz, size):
    """Home: the built-in scenarios with buyer, level, alex's best and last score for the outage scenario, the filter and the footer keys."""
    assert snap_compare(_app(_store_with_history()), terminal_size=size, run_before=home_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_practice(snap_compare, fixed_tz, size):
    """Practice: Dana's opening, two rep turns with green chips, her replies, the latest tip, trust up from 25, discoveries and metrics in the side panel."""

    async def run_before(pilot):
        await open_scenario(pilot)
        await settle(pilot)
        for line in GOOD_TURNS:
            await say(pilot, line)
            await settle(pilot)

    assert snap_compare(_app(memory_store()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard(snap_compare, fixed_tz, size):
    """Scorecard: the total and its four parts with advice, best and worst turn, discoveries found and missed, and the trend over two attempts."""
    store = memory_store()
    play_session(store, "alex", BAD_TURNS, seed=1)

    async def run_before(pilot):
        await open_scenario(pilot)
        await settle(pilot)
        for line in GOOD_TURNS + BAD_TURNS[:1]:
            await say(pilot, line)
            await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ScorecardScreen)

    assert snap_compare(_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, fixed_tz, size):
    """Review: four sessions newest first (one unfinished) with rep, scenario, score, turns and flag counts, and alex's score trend."""
    assert snap_compare(_app(_store_with_history(), mode="review", rep="morgan"), terminal_size=size)


def _reviewed_store():
    """Sessions of two reps; sam's pushy one has a comment on his first turn."""
    store = memory_store()
    play_session(store, "alex", GOOD_TURNS + REFLECTIONS[:1], seed=1)
    sam = play_session(store, "sam", BAD_TURNS, seed=2)
    play_session(store, "alex", GOOD_TURNS, seed=4)
    first = store.session(sam).turns[1]
    store.add_comment(sam, author="morgan", text="Ask what the outage cost before you pitch.", turn_id=first.id)
    return store, sam


def test_brief(snap_compare, fixed_tz):
    """Brief: the outage scenario's title, level and tags, Dana and her manner, the situation, the goal, the
    expected length and how many things she knows, and Enter to begin."""

    async def run_before(pilot):
        await home_loaded(pilot)
        home = pilot.app.screen
        home.query_one("#scenarios").move_cursor(row=next(i for i, r in enumerate(home.shown) if r.id == SCENARIO_ID))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(_app(memory_store()), terminal_size=SMALL, run_before=run_before)


def test_confirm(snap_compare, fixed_tz):
    """Confirm: the question to end the session and see the scorecard, Yes (y) focused and No (n), over
    the practice screen with one turn said."""

    async def run_before(pilot):
        await open_scenario(pilot)
        await settle(pilot)
        await say(pilot, GOOD_TURNS[0])
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmScreen)

    assert snap_compare(_app(memory_store()), terminal_size=SMALL, run_before=run_before)


def test_help(snap_compare, fixed_tz):
    """Help: the keys with what each does, then the labels (green good, red bad) with their meaning,
    in a box over the home screen that scrolls."""

    async def run_before(pilot):
        await home_loaded(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)

    assert snap_compare(_app(memory_store()), terminal_size=SMALL, run_before=run_before)


def test_transcript(snap_compare, fixed_tz):
    """Transcript: sam's finished session with its score, each turn with its speaker, the rep's turns with
    their labels and the evidence quoted, and morgan's comment under sam's first turn."""

    store, sam = _reviewed_store()

    async def run_before(pilot):
        pilot.app.open_transcript(sam)
        await settle(pilot)
        assert isinstance(pilot.app.screen, TranscriptScreen)

    assert snap_compare(_app(store, mode="review", rep="morgan"), terminal_size=SMALL, run_before=run_before)


def test_comment(snap_compare, fixed_tz):
    """Comment: who comments on which turn (sam's first, quoted), the input holding the comment typed so
    far, over the transcript."""

    store, sam = _reviewed_store()

    async def run_before(pilot):
        pilot.app.open_transcript(sam)
        await settle(pilot)
        await pilot.press("down", "c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CommentScreen)
        await type_text(pilot, "Good recovery after the pitch")

    assert snap_compare(_app(store, mode="review", rep="morgan"), terminal_size=SMALL, run_before=run_before)


def test_override(snap_compare, fixed_tz):
    """Override: morgan's score for sam's session with the machine's beside it, the part chosen (total),
    the score and reason inputs with their placeholders, over the transcript."""

    store, sam = _reviewed_store()

    async def run_before(pilot):
        pilot.app.open_transcript(sam)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OverrideScreen)

    assert snap_compare(_app(store, mode="review", rep="morgan"), terminal_size=SMALL, run_before=run_before)


def test_search(snap_compare, fixed_tz):
    """Search: "budget" in the input, the turns that say it with when, rep and who, the word highlighted,
    and the count of matches."""

    store, _ = _reviewed_store()

    async def run_before(pilot):
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SearchScreen)
        await type_text(pilot, "budget")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(_app(store, mode="review", rep="morgan"), terminal_size=SMALL, run_before=run_before)


def test_team(snap_compare, fixed_tz):
    """Team: alex and sam with sessions, average, last score, trend and the labels they show most and least
    against the team; alex's scores over time drawn; the leaderboard of the outage scenario."""

    store, _ = _reviewed_store()

    async def run_before(pilot):
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TeamScreen)

    assert snap_compare(_app(store, mode="review", rep="morgan"), terminal_size=SMALL, run_before=run_before)


def test_scenario_error(snap_compare, fixed_tz, tmp_path, monkeypatch):
    """Scenario error: the file's name and its number of problems, one FILE:LINE:COL: field: message line
    each (with did-you-mean), that the app reloads the file when it is saved, and the keys."""
    good = builtin_path().read_text(encoding="utf-8")
    broken = good.replace("difficulty: hard", "difficulty: brutal").replace("discoveries:", "discoverys:", 1)
    (tmp_path / "mine.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the path shown is the one given: the same on every machine
    app = make_app(store=memory_store(), rep="trainer", scenario_file="mine.yaml", analyzer=scripted_analyzer(),
                   watch_interval=3600, cursor_blink=False)

    async def run_before(pilot):
        await settle(pilot)
        assert isinstance(pilot.app.screen, ScenarioErrorScreen)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
