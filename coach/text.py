"""Make arbitrary text safe to store, analyse and show in a terminal.

Transcripts come from anywhere (meeting tools, chat logs, a rep's keyboard), so
before text reaches the analyser, the database or the screen it goes through
:func:`clean_text`: terminal escape sequences and control characters go (they
could move the cursor, retitle the window or hide text), newlines are made
uniform, and the length can be capped. Rich/Textual markup such as ``[bold]`` is
*not* touched here: it is ordinary text, and whoever renders it must render it
literally (``rich.text.Text(s)``, never ``Console.print(s)`` with markup on).

Text on its way *out* (the CLI's output, JSON documents, error messages that
quote a file) goes through :func:`escape_controls` instead, which removes
nothing: each control character is written as its ``\\uXXXX`` escape, so a
reader sees exactly what the file holds and JSON stays valid and unchanged in
meaning.

Pure Python, no imports beyond ``re``: safe to call from anywhere, cheap enough
to call on every turn.
"""

from __future__ import annotations

import re

__all__ = ["clean_text", "escape_controls", "shorten", "ELLIPSIS"]

#: Appended when :func:`clean_text` cuts a text short.
ELLIPSIS = "…"

# ECMA-48 escape sequences in their 7-bit form (ESC ...). A string (OSC, DCS,
# SOS, PM, APC: a window title, a hyperlink) goes whole, payload included,
# when it is terminated (BEL or ST); an unterminated one loses only its
# introducer, so a stray ESC ] cannot take the rest of the text with it.
# The 8-bit C1 forms (U+009B CSI, U+009D OSC ...) are removed as single
# characters, never as sequences: in real text they come from mojibake (UTF-8
# read as Latin-1 turns a closing quote into "â\x80\x9d" and an opening one into
# "â\x80\x9c", an OSC and an ST), and reading them as sequences dropped the
# words between them. Once the C1 character is gone the rest is plain text.
_ESCAPES = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]?                          # CSI: colours, cursor moves
    | \x1b[\]PX^_] [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)      # OSC, DCS, SOS, PM, APC up to BEL or ST
    | \x1b [ -/]* [0-~]?                                   # any other ESC sequence (and a lone
                                                          # string introducer, payload kept)
    """,
    re.VERBOSE,
)
# Line breaks of every convention become "\n" (Unicode line/paragraph
# separators and NEL included, since terminals treat them inconsistently).
_NEWLINES = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0 controls except \t and \n, DEL, and the C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates (from surrogateescape decoding) cannot be encoded for output.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Anything that needs work; plain text skips all of it.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_text(s: str, max_chars: int | None = None) -> str:
    """Return ``s`` safe to analyse, store and print.

    - ANSI/ECMA-48 escape sequences (colours, cursor moves, window titles,
      hyperlinks) are removed whole, payload included; an unterminated
      string loses only its introducer, and C1 controls go one by one, so no
      printable text after them is lost;
    - ``\\r\\n``, ``\\r`` and the other line-break characters become ``\\n``;
    - every other control character is removed, except ``\\t`` and ``\\n``;
    - lone surrogates become U+FFFD;
    - with ``max_chars``, a longer result is cut to ``max_chars`` characters,
      the last of which is ``…``.

    Printable text, Rich markup like ``[red]`` and all other Unicode (emoji,
    accents, right-to-left scripts) pass through unchanged. Idempotent.
    """
    if not isinstance(s, str):
        raise TypeError(f"clean_text() needs a str, not {type(s).__name__}")
    if _UNSAFE.search(s):
        if "\x1b" in s:
            s = _ESCAPES.sub("", s)
        s = _NEWLINES.sub("\n", s)
        s = _CONTROLS.sub("", s)
        s = _SURROGATES.sub("\ufffd", s)
    if max_chars is not None:
        if max_chars < 0:
            raise ValueError("max_chars must be >= 0")
        if len(s) > max_chars:
            s = s[: max_chars - 1] + ELLIPSIS if max_chars else ""
    return s


# What a terminal may act on rather than show: C0 controls (\t and \n are
# kept unless asked), DEL, the C1 controls (U+0080-U+009F: UTF-8 encoded, some
# terminals still obey U+009B as CSI and U+009D as OSC), the Unicode line and
# paragraph separators, the bidirectional embeddings, overrides and isolates
# (they reorder what is shown: "Trojan Source"), and lone surrogates (which
# cannot be encoded for output at all).
_SHOWN_RAW = "\t\n"
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_controls(s: str, *, keep: str = _SHOWN_RAW) -> str:
    """Return ``s`` with every control character written out as ``\\uXXXX``.

    Nothing is removed, so nothing the user wrote disappears: ``"\\x1b]0;x\\x07"``
    becomes the visible ``\\u001b]0;x\\u0007``. The characters in ``keep``
    (by default tab and newline) pass through. The escape is JSON's, so a JSON
    document run through this is still valid and decodes to the same values
    (JSON text outside strings is printable ASCII, which is never touched).
    """
    if not isinstance(s, str):
        raise TypeError(f"escape_controls() needs a str, not {type(s).__name__}")
    if not _ESCAPED.search(s):
        return s

    def show(m: re.Match[str]) -> str:
        c = m.group()
        return c if c in keep else f"\\u{ord(c):04x}"

    return _ESCAPED.sub(show, s)


def shorten(s: str, width: int) -> str:
    """``s`` in at most ``width`` characters: cut at the end of a word, with
    ``…``, so a title reads "The range review that…" and not "…that move".
    A single word longer than about half the room is cut inside it."""
    if len(s) <= width:
        return s
    if width < 2:
        return ELLIPSIS[:width]
    cut = s[: width - 1]
    if not s[width - 1].isspace():
        space = cut.rfind(" ")
        if space >= (width - 1) // 2:
            cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
