"""Pilot tests of the trainer's flow (a scenario straight from a file, reload on
change, a broken file shown inside the app), the rep's name, and start-up errors."""

from __future__ import annotations

from pathlib import Path

import os
import time

import pytest
from click.testing import CliRunner
from test_ui_support import builtin_path, memory_store, scripted_analyzer, wait_for

from coach.cli import cli
from coach.config import ConfigError, load_config, rep_name
from coach.scenario import ScenarioError, load_scenario
from coach.ui.app import make_app
from coach.ui.screens.brief import BriefScreen
from coach.ui.screens.error import ScenarioErrorScreen
from coach.ui.screens.home import HomeScreen


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    # Make sure the mtime moves even on coarse-grained file systems.
    stamp = time.time() + (1 if path.exists() else 0)
    os.utime(path, (stamp, stamp))


def _app(path, store=None):
    return make_app(
        store=store or memory_store(),
        rep="trainer",
        scenario_file=path,
        analyzer=scripted_analyzer(),
        watch_interval=0.05,
        cursor_blink=False,
    )


async def test_broken_file_shows_the_validator_messages_then_reloads_when_fixed(tmp_path):
    good = builtin_path().read_text(encoding="utf-8")
    broken = good.replace("difficulty: hard", "difficulty: brutal").replace("discoveries:", "discoverys:", 1)
    path = tmp_path / "mine.yaml"
    _write(path, broken)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenarioErrorScreen)
        shown = screen.query_one("#error-messages").render().plain
        assert shown.splitlines() == info.value.messages
        assert any("did you mean 'discoveries'" in m for m in info.value.messages)
        # The trainer fixes the file in an editor: the app picks it up by itself.
        _write(path, good)
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen), what="the reloaded brief")
        assert app.screen.scenario.title == load_scenario(path).title


async def test_changed_file_offers_a_reload(tmp_path):
    good = builtin_path().read_text(encoding="utf-8")
    path = tmp_path / "mine.yaml"
    _write(path, good)
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        old_title = app.screen.scenario.title
        _write(path, good.replace(f"title: {old_title}", "title: After the outage, take two"))
        await wait_for(pilot, lambda: app.file_changed, what="the change to be noticed")
        # Offered, not forced: the brief is still the old one, the footer offers ctrl+r.
        assert app.screen.scenario.title == old_title
        assert app.check_action("reload_scenario", ()) is True
        assert any("changed on disk" in n.message for n in app._notifications)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert app.screen.scenario.title == "After the outage, take two"
        assert app.file_changed is False
        await pilot.pause(0.3)  # several checks of the file later: nothing new to offer
        assert app.file_changed is False


async def test_broken_file_then_broken_again_stays_on_the_error_screen(tmp_path):
    path = tmp_path / "bad.yaml"
    _write(path, "version: 1\nid: Not A Slug\n")
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScenarioErrorScreen)
        _write(path, "\x00\x01 binary rubbish")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ScenarioErrorScreen)
        assert str(path) in app.screen.query_one("#error-messages").render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_rep_name_comes_from_flag_then_config_then_login(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("COACH_CONFIG", str(config))
    monkeypatch.setenv("USER", "loginname")
    monkeypatch.setenv("LOGNAME", "loginname")
    assert rep_name(None) == "loginname"
    config.write_text('rep = "Alex Morgan"\ntheme = "textual-light"\n', encoding="utf-8")
    assert rep_name(None) == "Alex Morgan"
    assert load_config().theme == "textual-light"
    assert rep_name("  Sam ") == "Sam"
    config.write_text("rep = [1, 2]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml: rep: expected a string"):
        rep_name(None)
    config.write_text("rep = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(config) in str(info.value) and "\n" not in str(info.value)


def test_cli_reports_a_bad_database_or_config_in_one_line(tmp_path, monkeypatch):
    runner = CliRunner()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(cli, ["--db", str(corrupt), "practice"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "corrupt.db" in result.output
    assert "Traceback" not in result.output
    config = tmp_path / "config.toml"
    config.write_text("rep = = broken\n", encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.db"), "review"])
    assert result.exit_code == 2 and "config.toml" in result.output
    monkeypatch.delenv("COACH_CONFIG")
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.db"), "practice", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "missing.yaml: no such file" in result.output
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.db"), "practice", "retail-shifting"])
    assert result.exit_code == 2 and "did you mean 'retail-shifting-agenda'?" in result.output
    assert result.output.strip().count("\n") == 0


def test_practice_opens_a_scenario_by_its_id(tmp_path, monkeypatch):
    """`coach practice retail-shifting-agenda` (the id the app lists) said
    "no such file"; it opens the built-in scenario."""
    from click.testing import CliRunner

    import coach.ui.app as ui_app

    opened = {}

    def make_app(**kw):
        opened.update(kw)
        raise SystemExit(0)

    monkeypatch.setattr(ui_app, "make_app", make_app)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "practice", "retail-shifting-agenda"])
    assert result.exit_code == 0, result.output
    assert Path(opened["scenario_file"]).name == "retail-shifting-agenda.yaml"


async def test_a_broken_user_scenario_is_listed_and_enter_shows_its_problems(tmp_path, monkeypatch):
    from test_ui_support import home_loaded

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "half-done.yaml").write_text("version: 1\nid: half-done\ntitle: Half done\n", encoding="utf-8")
    monkeypatch.setenv("COACH_SCENARIOS", str(folder))
    app = make_app(store=memory_store(), rep="trainer", analyzer=scripted_analyzer(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await home_loaded(pilot)
        home = app.screen
        index = next(i for i, ref in enumerate(home.shown) if ref.path.name == "half-done.yaml")
        assert home.shown[index].error
        home.query_one("#scenarios").move_cursor(row=index)
        await pilot.pause()
        assert "has problems" in home.query_one("#scenario-preview").render().plain
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioErrorScreen)
        with pytest.raises(ScenarioError) as info:
            load_scenario(folder / "half-done.yaml")
        assert app.screen.query_one("#error-messages").render().plain.splitlines() == info.value.messages
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_markup_in_a_scenario_file_is_shown_literally(tmp_path):
    good = builtin_path().read_text(encoding="utf-8")
    scenario = load_scenario(builtin_path())
    path = tmp_path / "markup.yaml"
    text = good.replace(f"title: {scenario.title}", 'title: "[bold red]Boom[/] \\x1b[31m"')
    _write(path, text.replace(f"name: {scenario.buyer.name}", "name: '[link=http://x]Dana[/link]'"))
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        title = app.screen.query_one("#brief-title").render().plain
        assert title.startswith("[bold red]Boom[/]") and "\x1b" not in title
        assert "[link=http://x]Dana[/link]" in app.screen.query_one("#brief-buyer").render().plain
