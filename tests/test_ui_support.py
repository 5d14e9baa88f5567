"""Helpers shared by the app's Pilot and snapshot tests (tests/test_ui_*.py).

The real analyser is loaded once per test process (it takes a second or two);
stores are in memory with a fixed clock, so dates on screen never change.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

#: The built-in scenario most tests play.
SCENARIO_ID = "it-director-outage"

#: A consultative opening that the analyser labels as good behaviour.
GOOD_TURNS = [
    "Thanks for making the time. What's been on your plate since the outage?",
    "That sounds exhausting. What did it end up costing the business?",
]
#: Pushy turns.
BAD_TURNS = [
    "Our platform halves downtime and we're the market leader, wouldn't you agree?",
    "What's your budget, and are you the one who signs off?",
]


@functools.lru_cache(maxsize=1)
def shared_analyzer():
    """The real analyser, loaded once for every UI test in the process."""
    from coach.analysis import Analyzer

    return Analyzer.load()


class FixedClock:
    """``now()`` for the Store: 2026-03-02 09:00 UTC, one minute later at each call."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)) -> None:
        self.t = start

    def __call__(self) -> str:
        stamp = self.t.isoformat(timespec="seconds")
        self.t += timedelta(minutes=1)
        return stamp


def memory_store(clock=None):
    """A Store in memory that worker threads may use (as open_store's file stores are)."""
    from sqlite_utils import Database

    from coach.store import Store

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    return Store(Database(conn), now=clock or FixedClock())


def builtin_path(scenario_id: str = SCENARIO_ID) -> Path:
    from coach.paths import builtin_scenarios_dir

    return builtin_scenarios_dir() / f"{scenario_id}.yaml"


def play_session(store, rep: str, lines: list[str], *, scenario_id: str = SCENARIO_ID, seed: int = 0, finish: bool = True):
    """Play ``lines`` through the real engine into ``store``; returns the session id."""
    from coach.engine import PracticeSession
    from coach.scenario import load_scenario

    session = PracticeSession(load_scenario(builtin_path(scenario_id)), shared_analyzer(), seed=seed, store=store, rep=rep)
    for line in lines:
        if session.ended:
            break
        session.play(line)
    if finish:
        session.finish()
    return session.session_id


async def settle(pilot, timeout: float = 20.0) -> None:
    """Wait until the practice screen has no work in flight (or the timeout passes)."""
    from coach.ui.screens.practice import PracticeScreen

    app = pilot.app
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        await pilot.pause(0.02)
        screen = app.screen
        if not isinstance(screen, PracticeScreen):
            return
        if screen.session is not None and not screen.busy and not screen.queue:
            await pilot.pause()
            return
    raise AssertionError("the practice screen did not settle")


async def wait_for(pilot, condition, timeout: float = 20.0, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        if condition():
            # Let a newly pushed screen finish mounting (its Header watches
            # titles) before the test goes on or the app shuts down.
            await pilot.pause()
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def open_scenario(pilot, scenario_id: str = SCENARIO_ID) -> None:
    """From home, pick a scenario with the filter and go through its brief into practice."""
    from coach.ui.screens.home import HomeScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded, what="the scenario list")
    home = app.screen
    index = next(i for i, ref in enumerate(home.shown) if ref.id == scenario_id)
    home.query_one("#scenarios").move_cursor(row=index)
    await pilot.press("enter")  # the brief
    await pilot.pause()
    await pilot.press("enter")  # begin
    await pilot.pause()


async def home_loaded(pilot) -> None:
    """Wait until the home screen has read the scenario files."""
    from coach.ui.screens.home import HomeScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded, what="the scenario list")


async def say(pilot, text: str) -> None:
    """Type a rep turn into the practice input and send it."""
    box = pilot.app.screen.query_one("#rep-input")
    box.value = text
    await pilot.press("enter")


@pytest.fixture
def fixed_tz(monkeypatch):
    """Show times in UTC whatever the machine's zone, so screens are repeatable."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
