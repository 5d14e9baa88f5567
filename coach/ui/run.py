"""Start the app from the command line: resolve the rep, open the store, run."""

from __future__ import annotations

from pathlib import Path


def run_app(
    *,
    db_path: Path,
    adopt_db: bool = False,
    scenario_file: Path | None = None,
    rep_name: str | None = None,
    mode: str = "practice",
) -> None:
    """Open the database and run the app; problems become one-line CoachErrors."""
    from coach.cli import CoachError
    from coach.config import ConfigError, load_config, rep_name as resolve_rep, save_setting
    from coach.store import StoreError, open_store

    try:
        config = load_config()
    except ConfigError as exc:
        raise CoachError(str(exc)) from None
    rep = resolve_rep(rep_name, config)
    if scenario_file is not None and not Path(scenario_file).exists():
        raise CoachError(f"{scenario_file}: no such file")
    if scenario_file is not None and Path(scenario_file).is_dir():
        raise CoachError(f"{scenario_file}: is a folder, not a scenario file")
    try:
        # Every page is read first: a damaged file stops here, in one line,
        # not in a screen half-way through a session.
        store = open_store(db_path, adopt=adopt_db)
    except StoreError as exc:
        raise CoachError(str(exc)) from None

    from coach.ui.app import make_app

    app = make_app(store=store, rep=rep, mode=mode, scenario_file=scenario_file, theme=config.theme,
                   save_theme=lambda theme: save_setting("theme", theme))
    app.run()
    if app.store_failure:
        raise CoachError(app.store_failure)
    if app.return_code:  # Textual has shown what went wrong; the exit status must say so too
        raise SystemExit(app.return_code)
