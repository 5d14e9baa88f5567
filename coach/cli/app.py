"""`coach` / `coach practice` and `coach review`: open the Textual app.

The app itself lives in coach/ui (CoachApp, made by coach.ui.app.make_app);
this module resolves the settings and the database the way every command does
and turns their problems into one line. Textual is imported only when the app
starts, so `coach --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli import CoachError, load_voice, voice_options


@click.command()
@click.argument("scenario_file", required=False, type=click.Path(path_type=Path))
@click.option("--rep", "rep_name", help="Your name as a rep (default: config, else your login name).")
@voice_options
@click.pass_context
def practice(ctx: click.Context, scenario_file: Path | None, rep_name: str | None, voice_url: str | None = None,
             voice_model: str | None = None) -> None:
    """Open the practice app (optionally straight into SCENARIO_FILE, a file or a scenario's id)."""
    run_app(
        db_path=ctx.obj["db_path"],
        adopt_db=ctx.obj["adopt_db"],
        scenario_file=scenario_file,
        rep_name=rep_name or ctx.obj["rep_name"],
        mode="practice",
        voice_url=voice_url,
        voice_model=voice_model,
    )


@click.command()
@click.option("--rep", "rep_name", help="Your name as shown on comments (default: your login name).")
@click.pass_context
def review(ctx: click.Context, rep_name: str | None) -> None:
    """Open the manager's review of stored sessions: transcripts, flags, comments, trends."""
    run_app(db_path=ctx.obj["db_path"], adopt_db=ctx.obj["adopt_db"], scenario_file=None,
            rep_name=rep_name or ctx.obj["rep_name"], mode="review")


def run_app(
    *,
    db_path: Path,
    adopt_db: bool = False,
    scenario_file: Path | None = None,
    rep_name: str | None = None,
    mode: str = "practice",
    voice_url: str | None = None,
    voice_model: str | None = None,
) -> None:
    """Open the database and run the app; problems become one-line CoachErrors."""
    from coach.config import ConfigError, load_config, rep_name as resolve_rep, save_setting
    from coach.store import StoreError, open_store

    try:
        config = load_config()
    except ConfigError as exc:
        raise CoachError(str(exc)) from None
    rep = resolve_rep(rep_name, config)
    voice = load_voice(voice_url, voice_model, config) if mode == "practice" else None
    if scenario_file is not None:
        # "coach practice retail-shifting-agenda": a scenario's id, as the app lists it.
        from coach.scenario import scenario_path

        try:
            scenario_file = scenario_path(str(scenario_file))
        except KeyError as exc:
            raise CoachError(exc.args[0]) from None
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
                   save_theme=lambda theme: save_setting("theme", theme), voice=voice)
    app.run()
    if app.store_failure:
        raise CoachError(app.store_failure)
    if app.return_code:  # Textual has shown what went wrong; the exit status must say so too
        raise SystemExit(app.return_code)


COMMANDS = [practice, review]
