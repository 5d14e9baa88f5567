"""`coach comment-edit` and `coach comment-delete`: a manager changes their mind.

Only click is imported at module level (see coach/cli/__init__.py).
"""

from __future__ import annotations

import click

from coach.cli import COMMENT_ID, SESSION_ID
from coach.cli.common import open_db, who
from coach.cli.output import echo


@click.command("comment-edit")
@click.argument("comment_id", type=COMMENT_ID)
@click.argument("text")
@click.option("--author", help="Your name: it must be the comment's author's (default: coach --rep, else your login name).")
@click.pass_context
def comment_edit(ctx, comment_id, text, author):
    """Change the text of your comment COMMENT_ID (its id is in `coach show`).

    Only its author may. When it was edited is shown beside it; the text it
    replaced is kept in the database (table comment_edits).
    """
    from coach.cli import CoachError
    from coach.store import StoreError

    store = open_db(ctx, must_exist=True)
    try:
        c = store.edit_comment(comment_id, text=text, editor=who(ctx, author))
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from None
    echo(f"comment {c.id} on session {c.session_id} edited")


@click.command("comment-delete")
@click.argument("comment_id", type=COMMENT_ID)
@click.option("--author", help="Your name: it must be the comment's author's (default: coach --rep, else your login name).")
@click.pass_context
def comment_delete(ctx, comment_id, author):
    """Delete your comment COMMENT_ID (its id is in `coach show`).

    Only its author may. It disappears from every view, export and search;
    the database keeps the row with who deleted it and when.
    """
    from coach.cli import CoachError
    from coach.store import StoreError

    store = open_db(ctx, must_exist=True)
    try:
        c = store.delete_comment(comment_id, by=who(ctx, author))
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from None
    echo(f"comment {c.id} on session {c.session_id} deleted")


@click.command("override")
@click.argument("session_id", type=SESSION_ID)
@click.argument("score", type=click.FloatRange(0, 100), required=False)
@click.option("--reason", required=True, help="Why: the rep sees it beside the score.")
@click.option("--part", default="total", show_default=True,
              help="The scorecard part to score (discovery, questions, listening, relationship), or total.")
@click.option("--withdraw", is_flag=True, help="Withdraw the override in force: the machine's score stands again.")
@click.option("--author", help="Your name (default: coach --rep, else your login name).")
@click.pass_context
def override(ctx, session_id, score, reason, part, withdraw, author):
    """Give SESSION_ID your score (0-100), or one part of it, with a reason.

    Your score is stored beside the machine's, never over it: both show in
    `coach show`, the review app and exports, and the one in force (yours)
    counts in trends, the team view and assignments. A part override moves
    the total by that part's weight. `--withdraw` goes back to the machine's.
    A call (no machine score) can be given a total score this way.
    """
    from coach.cli import CoachError
    from coach.store import StoreError

    if withdraw == (score is not None):
        raise CoachError("give a SCORE (0-100), or --withdraw, not both")
    store = open_db(ctx, must_exist=True)
    try:
        store.override_score(session_id, part=part, score=score, reason=reason, author=who(ctx, author))
        s = store.session(session_id)
    except (StoreError, ValueError) as exc:
        raise CoachError(str(exc)) from None
    machine = "none" if s.score is None else f"{s.score:.0f}"
    now = "none" if s.final_score is None else f"{s.final_score:.0f}"
    echo(f"session {session_id}: score in force {now} (machine's {machine})")


COMMANDS = [comment_edit, comment_delete, override]
