"""A database that fails while the app runs (issue 19: `practice` and `review`
on a damaged file showed a Textual traceback and exited 0) ends the app with
the store's one-line message and exit status 2."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from test_ui_support import scripted_analyzer

from coach.store import open_store
from coach.ui.app import make_app


@pytest.mark.parametrize("mode", ["practice", "review"])
async def test_a_table_lost_while_the_app_runs_ends_it_in_one_line(tmp_path, mode):
    path = tmp_path / "coach.db"
    store = open_store(path)
    store.start_session(rep="morgan", scenario_id="x", scenario_title="T", scenario_yaml="id: x")
    # Another program breaks the file after coach has opened it.
    other = sqlite3.connect(path)
    other.execute("drop table comments")
    other.commit()
    other.close()
    app = make_app(store=store, rep="morgan", mode=mode, analyzer=scripted_analyzer(), cursor_blink=False)
    # The app must end on its own (review fails while mounting, before a
    # Pilot would be handed over): run it headless, bounded.
    await asyncio.wait_for(app.run_async(headless=True, size=(120, 40)), timeout=20)
    assert app.store_failure == f"{path}: database error: no such table: comments"
    assert app.return_code == 2
