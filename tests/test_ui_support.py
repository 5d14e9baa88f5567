"""Helpers shared by the app's Pilot and snapshot tests (tests/test_ui_*.py).

Tests about the app run on the scripted analyser (coach.buyer.testing), which
labels the lines below as the real analyser does (test_scripted_analyzer.py
checks that it still does); the few end-to-end tests load the real one, once
per test process. Tests wait on the app's workers (``settle``), not on a clock.
Stores are in memory with a fixed clock, so dates on screen never change.
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
#: Restatements of what Dana said about the outage.
REFLECTIONS = [
    "So the outage cost you more in trust than in hardware.",
    "So the real damage was to the retail accounts rather than the servers.",
]

#: The labels the real analyser gives each line above, in the conversations the
#: UI tests play (SCRIPTS): what the scripted analyser gives them.
UI_LABELS = {
    GOOD_TURNS[0]: ("open_question", "curiosity", "follow_up"),
    GOOD_TURNS[1]: ("open_question", "curiosity", "follow_up", "empathy"),
    BAD_TURNS[0]: ("leading_question", "pitching"),
    BAD_TURNS[1]: ("closed_question", "self_interested"),
    REFLECTIONS[0]: ("follow_up", "reflection"),
    REFLECTIONS[1]: ("follow_up", "reflection"),
}
#: Every conversation the UI tests play with the scripted analyser.
SCRIPTS = [
    GOOD_TURNS,
    BAD_TURNS,
    BAD_TURNS[:1],
    GOOD_TURNS[:1] + REFLECTIONS[:1],
    GOOD_TURNS + BAD_TURNS[:1],
    GOOD_TURNS + REFLECTIONS[:1],
    GOOD_TURNS + REFLECTIONS[1:],
]


def scripted_analyzer():
    """The analyser double, labelling the lines above as the real analyser does."""
    from coach.buyer.testing import ScriptedAnalyzer

    return ScriptedAnalyzer(labels=UI_LABELS)


@functools.lru_cache(maxsize=1)
def shared_analyzer():
    """The real analyser, loaded once for the end-to-end tests in the process."""
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


@functools.lru_cache(maxsize=None)
def _scenario(scenario_id: str):
    from coach.scenario import load_scenario

    return load_scenario(builtin_path(scenario_id))


def play_session(store, rep: str, lines: list[str], *, scenario_id: str = SCENARIO_ID, seed: int = 0,
                 finish: bool = True, analyzer=None):
    """Play ``lines`` through the engine into ``store`` (on the scripted analyser
    unless ``analyzer`` is given); returns the session id."""
    from coach.engine import PracticeSession

    session = PracticeSession(_scenario(scenario_id), analyzer or scripted_analyzer(), seed=seed, store=store, rep=rep)
    for line in lines:
        if session.ended:
            break
        session.play(line)
    if finish:
        session.finish()
    return session.session_id


def _working(app, screen_only: bool) -> list:
    """The app's workers still to finish (only the current screen's if ``screen_only``)."""
    return [w for w in app.workers if not w.is_finished and (not screen_only or w.node is app.screen)]


async def settle(pilot, *, screen_only: bool = False, timeout: float = 60.0) -> None:
    """Wait until the app's thread workers (the scenario list, the engine, the
    team view, the analyser's load) are done and the screens have handled what
    they posted, including the workers those messages start in turn.

    Done means one whole ``pilot.pause()`` (every message queued on the app and
    the screen handled) with no worker running before or after it. The timeout
    only bounds a test that would otherwise hang; it is never waited out.
    ``screen_only``: ignore workers of the app itself (an analyser a test keeps
    loading on purpose)."""
    app = pilot.app

    async def quiet() -> None:
        while True:
            working = _working(app, screen_only)
            if working:
                await asyncio.gather(*(w.wait() for w in working), return_exceptions=True)
            await pilot.pause()
            if not working and not _working(app, screen_only):
                return

    await asyncio.wait_for(quiet(), timeout)


async def wait_for(pilot, condition, timeout: float = 20.0, what: str = "condition") -> None:
    """Wait for something no worker reports: the app's check of a scenario
    file's mtime (it runs on a timer), or a key's effect where a test must not
    race it (under load, ``pilot.pause()`` may return before the key is
    handled: it takes a process starved of CPU for an idle one). Checked
    every 20 ms."""
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
    """From home, pick a scenario and go through its brief into practice."""
    app = pilot.app
    await home_loaded(pilot)
    home = app.screen
    index = next(i for i, ref in enumerate(home.shown) if ref.id == scenario_id)
    home.query_one("#scenarios").move_cursor(row=index)
    await pilot.press("enter")  # the brief
    await pilot.pause()
    await pilot.press("enter")  # begin
    await pilot.pause()


async def home_loaded(pilot) -> None:
    """Wait until the home screen has read the scenario files (its worker)."""
    from coach.ui.screens.home import HomeScreen

    await settle(pilot, screen_only=True)
    assert isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded


async def type_text(pilot, text: str) -> None:
    """Type ``text`` into the focused input in one step, as its printable keys
    would (each calls Input.insert_text_at_cursor). ``Pilot.press`` waits for
    the app to go idle twice per key, 40 ms or more each: typing a sentence key
    by key took seconds under load. (A few tests still type short words key by
    key, to show that keys reach the input.)"""
    from textual.widgets import Input

    box = pilot.app.focused
    assert isinstance(box, Input), f"the focus is on {box!r}, not on an input"
    box.insert_text_at_cursor(text)
    await pilot.pause()


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
