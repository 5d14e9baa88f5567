"""Snapshot tests of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

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
    fixed_tz,  # noqa: F401 - fixture
    home_loaded,
    memory_store,
    open_scenario,
    play_session,
    say,
    scripted_analyzer,
    settle,
)

from coach.ui.app import make_app
from coach.ui.screens.scorecard import ScorecardScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


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
