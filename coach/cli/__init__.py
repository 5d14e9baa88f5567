"""The `coach` command line: thin click commands over the core.

Each command group lives in its own module under coach.cli and imports heavy
libraries (spaCy, onnxruntime, Textual) inside the command body only, so that
`coach --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coach import __version__


class CoachError(click.ClickException):
    """A user-facing error: one line on stderr, exit status 2 unless told otherwise."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # one line, no "Error:" noise, no traceback
        click.echo(f"coach: {self.format_message()}", err=True)


def voice_options(command):
    """``--voice-url`` and ``--voice-model``: the same on every command that runs the buyer."""
    command = click.option(
        "--voice-model", metavar="NAME",
        help="The model the voice server should use (default: [voice] model in config.toml; env COACH_VOICE_MODEL).",
    )(command)
    return click.option(
        "--voice-url", metavar="URL",
        help="Let the buyer speak in its own words through this OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 "
        "(default: [voice] url in config.toml; env COACH_VOICE_URL; '' for the scenario's own lines).",
    )(command)


def load_voice(url: str | None, model: str | None, config=None):
    """The buyer's language-model voice from the settings, or None; a bad setting is a one-line CoachError."""
    from coach.buyer.llm import resolve_voice
    from coach.config import ConfigError

    try:
        return resolve_voice(url, model, config=config)
    except ConfigError as exc:
        raise CoachError(str(exc)) from None


@click.group(invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="COACH_DB",
    help="SQLite database file (default: coach.db in your data directory; env COACH_DB).",
)
@click.option("--rep", "rep_name", envvar="COACH_REP", help="Your name as a rep or reviewer (default: config, else your login name; env COACH_REP).")
@click.version_option(__version__, prog_name="coach")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, rep_name: str | None) -> None:
    """Practise sales conversations with a simulated buyer and get coached on every turn.

    Run `coach` with no command to open the practice app.
    """
    from coach.paths import default_db_path

    ctx.obj = {"db_path": db_path or default_db_path(), "rep_name": rep_name}
    if ctx.invoked_subcommand is None:
        ctx.invoke(practice)


@cli.command()
@click.argument("scenario_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rep", "rep_name", help="Your name as a rep (default: config, else your login name).")
@voice_options
@click.pass_context
def practice(ctx: click.Context, scenario_file: Path | None, rep_name: str | None, voice_url: str | None,
             voice_model: str | None) -> None:
    """Open the practice app (optionally straight into SCENARIO_FILE)."""
    from coach.ui.run import run_app

    run_app(
        db_path=ctx.obj["db_path"],
        scenario_file=scenario_file,
        rep_name=rep_name or ctx.obj["rep_name"],
        mode="practice",
        voice_url=voice_url,
        voice_model=voice_model,
    )


@cli.command()
@click.option("--rep", "rep_name", help="Your name as shown on comments (default: your login name).")
@click.pass_context
def review(ctx: click.Context, rep_name: str | None) -> None:
    """Open the manager's review of stored sessions: transcripts, flags, comments, trends."""
    from coach.ui.run import run_app

    run_app(db_path=ctx.obj["db_path"], scenario_file=None, rep_name=rep_name or ctx.obj["rep_name"], mode="review")


def _register() -> None:
    # Command modules import only click at module level; see each module.
    from coach.cli import analyze as _analyze
    from coach.cli import scenario as _scenario
    from coach.cli import sessions as _sessions
    from coach.cli import simulate as _simulate

    for mod in (_scenario, _analyze, _simulate, _sessions):
        for command in getattr(mod, "COMMANDS", ()):
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="coach")
    except KeyboardInterrupt:
        click.echo("coach: interrupted", err=True)
        sys.exit(130)
