"""What several commands share: the database, a date option, scenario paths,
the analyser. One home each, so a command never reaches into another's
private helpers.

Only click is imported at module level (see coach/cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path

import click


def open_db(ctx: click.Context, *, readonly: bool = False, must_exist: bool = False):
    """The store at --db (or the default); a reader, or a writer that changes
    rows already there (``must_exist``: a comment, an override), gets a clear
    error when there is no database yet instead of an empty one created for it."""
    from coach.cli import CoachError
    from coach.store import StoreError, open_store

    path: Path = ctx.obj["db_path"]
    if (readonly or must_exist) and not path.exists():
        raise CoachError(f"{path}: no database yet (practise a session first, or pass --db)")
    try:
        return open_store(path, readonly=readonly, adopt=ctx.obj.get("adopt_db", False))
    except StoreError as exc:
        raise CoachError(str(exc)) from exc


def close_rep(store, rep: str) -> str | None:
    """A stored rep whose name is close to ``rep`` (a typo: "Anna" for "ana"),
    as stored; None if none is, or if ``rep`` is a stored name already
    (names match without regard to case)."""
    import difflib

    from coach.session import name_key

    names = {name_key(n): n for n in store.reps() if name_key(n) != name_key(rep)}
    close = difflib.get_close_matches(name_key(rep), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def no_sessions_by(store, rep: str | None) -> str:
    """What to say when a listing filtered by ``rep`` is empty: "no sessions",
    or "no sessions by 'Anna' (did you mean 'ana'?)"."""
    if rep is None:
        return "no sessions"
    close = close_rep(store, rep)
    return f"no sessions by {rep!r}" + (f" (did you mean {close!r}?)" if close else "")


def parse_date(value: str | None, option: str) -> str | None:
    """A YYYY-MM-DD option's value as an ISO date, or a one-line error naming the option."""
    from datetime import date

    from coach.cli import CoachError

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CoachError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def expand_paths(files: tuple[Path, ...]) -> list[Path]:
    """Files as given; a directory stands for the *.yaml and *.yml files in it."""
    out: list[Path] = []
    for f in files:
        if f.is_dir():
            out.extend(sorted(p for p in f.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(f)
    return out


def load_analyzer():
    """The analyser, loaded once per run. Commands call it as
    ``common.load_analyzer()`` so a test can replace it in one place."""
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


def who(ctx: click.Context, given: str | None) -> str:
    """Who is acting (a comment's author, an override's, an assignment's): as
    given, else the --rep name, else the login name ("rep" where there is none)."""
    from coach.config import login_name

    return given or ctx.obj.get("rep_name") or login_name()
