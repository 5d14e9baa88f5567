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
from coach.cli.output import cell, echo


#: SQLite stores integers in 64 bits; a larger id or limit cannot reach the database.
SQLITE_MAX_INT = 2**63 - 1


class _Count(click.ParamType):
    """A whole number from 1 that SQLite can hold: a row id, a turn number, a
    limit. A larger id is refused as no id can be that large; a larger limit
    means "all" (``clamp``)."""

    name = "integer"

    def __init__(self, what: str, *, clamp: bool = False) -> None:
        self.what = what
        self.clamp = clamp

    def convert(self, value, param, ctx) -> int:
        n = click.INT.convert(value, param, ctx)
        if n < 1:
            self.fail(f"{n} is not {self.what}: they start at 1", param, ctx)
        if n > SQLITE_MAX_INT:
            if self.clamp:
                return SQLITE_MAX_INT
            self.fail(f"{n} is larger than {self.what} can be (at most {SQLITE_MAX_INT})", param, ctx)
        return n


SESSION_ID = _Count("a session id")
TURN_NUMBER = _Count("a turn number")
LINE_NUMBER = _Count("a line number")
COMMENT_ID = _Count("a comment id")
ASSIGNMENT_ID = _Count("an assignment id")
LIMIT = _Count("a limit", clamp=True)


class CoachError(click.ClickException):
    """A user-facing error: one line on stderr, exit status 2 unless told otherwise."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # one line, no "Error:" noise, no traceback
        echo(f"coach: {cell(self.format_message())}", err=True)


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


#: Core errors whose message is one line for the user (module, class). Looked
#: up only if the module was imported, so `coach --help` imports none of them.
_ONE_LINE_ERRORS = (
    ("coach.store", "StoreError"),
    ("coach.config", "ConfigError"),
    ("coach.analysis.readers", "TranscriptError"),
)


class _CoachGroup(click.Group):
    """The top-level group: a core error that escapes any command (a database
    found damaged half-way through a listing, say) is one line and exit status
    2, never a traceback. One place for every command, present and future."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            for module, name in _ONE_LINE_ERRORS:
                cls = getattr(sys.modules.get(module), name, None)
                if cls is not None and isinstance(exc, cls):
                    raise CoachError(str(exc)) from None
            raise


@click.group(cls=_CoachGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    # Any path: open_store refuses a folder, a device or a FIFO in one line.
    type=click.Path(path_type=Path),
    envvar="COACH_DB",
    help="SQLite database file (default: coach.db in your data directory; env COACH_DB).",
)
@click.option(
    "--adopt-db",
    is_flag=True,
    help="Add coach's tables to a --db file that is a SQLite database of something else "
    "(without this, such a file is refused and left alone).",
)
@click.option("--rep", "rep_name", envvar="COACH_REP", help="Your name as a rep or reviewer (default: config, else your login name; env COACH_REP).")
@click.version_option(__version__, prog_name="coach")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, adopt_db: bool, rep_name: str | None) -> None:
    """Practise sales conversations with a simulated buyer and get coached on every turn.

    Run `coach` with no command to open the practice app.
    """
    from coach.paths import default_db_path

    ctx.obj = {"db_path": db_path or default_db_path(), "adopt_db": adopt_db, "rep_name": rep_name}
    if ctx.invoked_subcommand is None:
        from coach.cli.app import practice

        ctx.invoke(practice)


def _register() -> None:
    # Command modules import only click at module level; see each module.
    from coach.cli import analyze as _analyze
    from coach.cli import app as _app
    from coach.cli import comments as _comments
    from coach.cli import export as _export
    from coach.cli import imports as _imports
    from coach.cli import scenario as _scenario
    from coach.cli import sessions as _sessions
    from coach.cli import simulate as _simulate
    from coach.cli import team as _team

    for mod in (_app, _scenario, _analyze, _imports, _simulate, _sessions, _comments, _team, _export):
        for command in getattr(mod, "COMMANDS", ()):
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    from coach.cli.output import OUTPUT_ERRNOS, OutputError, output_failed

    try:
        try:
            cli(prog_name="coach")
        except OSError as exc:
            # click's own output (--help, --version, usage) does not pass through echo().
            if exc.errno not in OUTPUT_ERRNOS:
                raise
            output_failed(exc)
    except OutputError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        echo("coach: interrupted", err=True)
        sys.exit(130)
