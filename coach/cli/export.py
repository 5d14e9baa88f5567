"""`coach export`: sessions as CSV, JSONL, Markdown or a self-contained HTML report.

Only click is imported at module level (see coach/cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli import SESSION_ID
from coach.cli.common import no_sessions_by, open_db, parse_date
from coach.cli.output import echo, output_failed

_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "md", ".markdown": "md",
             ".html": "html", ".htm": "html"}


@click.command("export")
@click.argument("session_ids", nargs=-1, type=SESSION_ID, metavar="[SESSION_ID]...")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "md", "html"]),
              help="csv (default; or what -o's suffix says), jsonl (a session per line, read back by "
                   "`coach analyze` and `coach import`), md (Markdown for pasting), html (a report that prints to PDF).")
@click.option("--rep", help="Only this rep's sessions (the name in any case: Ana is ana).")
@click.option("--kind", type=click.Choice(["practice", "call"]), help="Only practice sessions, or only imported calls.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only sessions started on or after this date.")
@click.option("--per", type=click.Choice(["session", "turn"]), default="session", show_default=True,
              help="CSV: one row per session (label counts) or per turn (label flags, evidence, tips).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.pass_context
def export(ctx, session_ids, fmt, rep, kind, since, per, output):
    """Export sessions: SESSION_ID... or all that match --rep/--kind/--since.

    CSV has a column per label; JSONL holds each whole session (labels,
    evidence, tips, comments, scorecard, the manager's overrides) as `coach
    show --json` prints it. md and html are a report of one session or of
    one rep's sessions: the transcript with the evidence highlighted, labels,
    tips, comments, the scorecard with the machine's and the manager's
    score, the conversation summary and the rep's scores over time.
    """
    import os
    import sys
    import tempfile

    from coach.cli import CoachError
    from coach.report import exports
    from coach.report.charts import Point
    from coach.store import StoreError, utcnow

    if fmt is None:
        fmt = _SUFFIXES.get(output.suffix.lower(), "csv") if output else "csv"
    store = open_db(ctx, readonly=True)
    try:
        if session_ids:
            records = store.records(session_ids)
            if rep or kind or since:
                raise CoachError("give SESSION_IDs or --rep/--kind/--since, not both")
        else:
            records = store.records(rep=rep, kind=kind, since=parse_date(since, "--since"))
        target = None
        if output is not None:
            try:
                output.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                raise CoachError(f"{output.parent}: not a folder") from None
            # Written beside the target and renamed over it at the end: an
            # export that fails half-way leaves the old file as it was.
            fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
            # mkstemp makes the file 0600; the rename would carry that over,
            # hiding a shared report from the colleagues who could read it.
            os.chmod(fd, _mode_for(output))
            target = os.fdopen(fd, "w", encoding="utf-8", newline="")
        out = target or sys.stdout
        try:
            if fmt == "csv":
                n = exports.write_csv(records, out, per=per)
                what = f"{n} row{'s' if n != 1 else ''}"
            elif fmt == "jsonl":
                n = exports.write_jsonl(records, out)
                what = f"{n} session{'s' if n != 1 else ''}"
            else:
                chosen = list(records)
                if not chosen:
                    raise CoachError("no sessions match" if not rep else no_sessions_by(store, rep))
                trend = [Point(p.started_at, p.score, p.session_id, p.scenario_id) for p in store.trend(chosen[0].rep)]
                try:
                    text = exports.render_report(chosen, fmt=fmt, trend=trend, generated_at=utcnow())
                except ValueError as exc:
                    raise CoachError(str(exc)) from None
                out.write(text)
                what = f"{len(chosen)} session{'s' if len(chosen) != 1 else ''}"
            out.flush()  # a failed write surfaces here, not at exit as a traceback
        except BaseException:
            if target is not None:
                target.close()
                os.unlink(tmp)
            raise
        if target is not None:
            target.close()
            os.replace(tmp, output)
            echo(f"wrote {what} to {output}", err=True)
    except StoreError as exc:
        raise CoachError(str(exc)) from None
    except OSError as exc:
        if output is not None:
            raise CoachError(f"{output}: cannot write: {exc.strerror or exc}") from None
        output_failed(exc)  # standard output failed: a reader gone (quiet), a full disk (one line)


def _mode_for(path: Path) -> int:
    """The permission bits a file written to ``path`` should have: those of the
    file it replaces, else what a plain ``open(path, "w")`` gives (0666 less the umask)."""
    import os
    import stat

    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # the only way to read it; set straight back (the CLI is single-threaded here)
        os.umask(umask)
        return 0o666 & ~umask


COMMANDS = [export]
