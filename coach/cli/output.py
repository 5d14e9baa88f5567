"""The one way a coach command writes text: ``echo(message)``.

Every command prints through :func:`echo` (never ``click.echo``, ``print`` or
``sys.stdout.write``), whatever it prints: a table, a transcript, a JSON
document, an error. ``echo`` shows the whole message literally: each control
character in it (escape sequences, C1 controls, bidi overrides, carriage
returns...) is written as its visible ``\\uXXXX`` escape by
:func:`coach.text.escape_controls`, so a scenario title, a transcript line or a
comment from the database cannot retitle the window, clear the screen or
recolour the text, and nothing in it is dropped either (the reader sees what
the file holds, which is what a trainer fixing it needs). Newlines and tabs
print as they are; use :func:`cell` for a field that must stay on one line (a
table cell). The escape is JSON's, so ``echo(json.dumps(obj,
ensure_ascii=False))`` prints valid JSON that decodes to ``obj``. The only
codes that pass are colours coach adds itself: ``echo(text, styled=True)``
keeps SGR sequences (``ESC [ ... m``) and escapes every other control; only
text whose untrusted parts were escaped before styling may be passed so.
``echo`` also turns a failed write into an exit instead of a traceback: a
full disk or an I/O error is one line on stderr and exit status 1; a reader
that went away (``coach ... | head -1``) ends the command quietly with 141.
"""

from __future__ import annotations

import errno
import os
import re
import sys

import click

from coach.text import escape_controls

__all__ = ["echo", "cell", "OutputError", "OUTPUT_ERRNOS", "output_failed"]

#: How a write to a terminal, pipe or file fails when the fault is the output's.
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG})

# Select Graphic Rendition: colour and weight, nothing that moves, clears or retitles.
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


class OutputError(click.ClickException):
    """Standard output could not be written: one line on stderr, exit status 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        try:
            click.echo(f"coach: {escape_controls(self.format_message(), keep='')}", err=True)
        except OSError:  # stderr is gone too: the exit status is all we can give
            pass


def cell(text: object) -> str:
    """``text`` for one line (a table cell, a name in a sentence): newlines and
    tabs are made visible as well, so a value cannot start a line of its own."""
    return escape_controls(str(text), keep="")


def use_color() -> bool:
    """Colour for a terminal, unless NO_COLOR is set; never for a pipe or file."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def echo(message: object = "", *, err: bool = False, nl: bool = True, styled: bool = False) -> None:
    """Write ``message`` (and a newline) to stdout, or stderr with ``err``, literally.

    ``styled=True`` keeps coach's own colour codes (SGR only) and prints them
    even when stdout is not a terminal: the caller decides when to colour.
    """
    text = str(message)
    if styled:
        text = "".join(p if i % 2 else escape_controls(p) for i, p in enumerate(_SGR.split(text)))
    else:
        text = escape_controls(text)
    if not err and sys.stdout is None:  # started with stdout closed (`coach ... >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    try:
        click.echo(text, err=err, nl=nl, color=True if styled else None)
    except OSError as exc:
        output_failed(exc, err=err)


def output_failed(exc: OSError, *, err: bool = False) -> None:
    """A write failed: stop now. A reader that went away (``coach ... | head``)
    is not an error worth a message, so that exits quietly with 141, as a shell
    does for SIGPIPE; anything else (a full disk, an I/O error) is one line."""
    # Point the broken stream at /dev/null so the interpreter's last flush of
    # what is still buffered does not print a second error at exit.
    stream = sys.stderr if err else sys.stdout
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    if exc.errno == errno.EPIPE or err:
        sys.exit(141 if exc.errno == errno.EPIPE else 1)
    raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None
