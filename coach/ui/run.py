"""Start the app from the command line: resolve the rep, open the store, run."""

from __future__ import annotations

from pathlib import Path


def run_app(
    *,
    db_path: Path,
    scenario_file: Path | None = None,
    rep_name: str | None = None,
    mode: str = "practice",
    voice_url: str | None = None,
    voice_model: str | None = None,
) -> None:
    """Open the database and run the app; problems become one-line CoachErrors."""
    from coach.cli import CoachError, load_voice
    from coach.config import ConfigError, load_config, rep_name as resolve_rep, save_setting
    from coach.store import StoreError, open_store

    try:
        config = load_config()
    except ConfigError as exc:
        raise CoachError(str(exc)) from None
    rep = resolve_rep(rep_name, config)
    voice = load_voice(voice_url, voice_model, config) if mode == "practice" else None
    if scenario_file is not None and not Path(scenario_file).exists():
        raise CoachError(f"{scenario_file}: no such file")
    try:
        store = open_store(db_path)
    except StoreError as exc:
        raise CoachError(str(exc)) from None

    from coach.ui.app import make_app

    app = make_app(store=store, rep=rep, mode=mode, scenario_file=scenario_file, theme=config.theme,
                   save_theme=lambda theme: save_setting("theme", theme), voice=voice)
    app.run()
