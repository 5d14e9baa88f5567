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
"""

from __future__ import annotations

import re

import click

from coach.text import escape_controls

__all__ = ["echo", "cell"]

# Select Graphic Rendition: colour and weight, nothing that moves, clears or retitles.
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


def cell(text: object) -> str:
    """``text`` for one line (a table cell, a name in a sentence): newlines and
    tabs are made visible as well, so a value cannot start a line of its own."""
    return escape_controls(str(text), keep="")


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
    click.echo(text, err=err, nl=nl, color=True if styled else None)

