"""Shared fixtures: never touch the user's home, data directory or database."""

from __future__ import annotations

import atexit
import shutil
import tempfile

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# The suite writes nothing into the checkout: Hypothesis keeps its caches in a
# temporary folder and no example database (a failing example is printed).
# (one per process: each pytest-xdist worker has its own, removed at its exit)
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="coach-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
settings.register_profile("coach", database=None)
settings.load_profile("coach")


@pytest.fixture(autouse=True)
def _isolate_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("COACH_HOME", str(home / "coach"))
    monkeypatch.delenv("COACH_DB", raising=False)
    monkeypatch.delenv("COACH_SCENARIOS", raising=False)
    # A voice the developer set up for themselves must not reach the tests.
    for name in ("COACH_VOICE_URL", "COACH_VOICE_MODEL", "COACH_VOICE_KEY_ENV"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(scope="session")
def llm_server():
    """The local language-model server (coach/buyer/local_server.py), started
    once per session for the tests marked llm; they skip without its packages."""
    from coach.buyer.local_server import start_local_server

    with start_local_server() as running:
        yield running
