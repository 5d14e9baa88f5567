"""Read conversations from transcript files: JSONL, plain text, WebVTT, SubRip.

``read_conversations(path)`` picks the format by file extension (``-`` reads
JSONL from stdin) and yields one :class:`Conversation` at a time, so a large
JSONL file is never held in memory whole. Every problem with the input raises a
:class:`TranscriptError` whose message is ``FILE:LINE: message``.

Formats
-------
``.jsonl`` (also ``.ndjson``)
    One turn per line: ``{"conversation": ..., "speaker": "rep"|"buyer",
    "text": ...}``. ``conversation`` defaults to the file name; other keys are
    ignored; a conversation's turns are consecutive. With ``rep=NAME``,
    speakers may also be names: NAME is the rep, anyone else the buyer.
``.txt``
    ``Name: text`` lines; a line without a name continues the turn before it.
    A timestamp before or after the name is skipped ("[00:01:02] Dana: ...",
    "Dana (00:01:02): ..."), and so is Otter.ai's layout (the name and a time
    on a line of their own, the words below).
    The rep is ``rep=NAME``, else a speaker called Rep, Seller, Sales...,
    else the first speaker; everyone else is the buyer side.
``.vtt``
    WebVTT as Teams, Zoom and Meet export it: ``<v Name>`` voice tags or
    ``Name:`` prefixes; cue ids, timings and settings, NOTE, STYLE and REGION
    blocks are skipped, as are formatting tags.
``.srt``
    SubRip with ``Name:`` prefixes.

In .txt, .vtt and .srt a file is one conversation, and consecutive lines or
cues of one speaker make one turn. All text goes through
:func:`coach.text.clean_text`.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from coach.analysis.types import Speaker, Turn
from coach.text import clean_text

__all__ = [
    "Conversation",
    "TranscriptError",
    "EXTENSIONS",
    "STDIN",
    "read_conversations",
    "check_source",
    "is_rep_name",
]

#: The name used for standard input in messages and as the default conversation.
STDIN = "<stdin>"

#: File extensions understood, with the format each means.
EXTENSIONS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
    ".vtt": "vtt",
    ".srt": "srt",
}


class TranscriptError(ValueError):
    """Bad transcript input. ``str(error)`` is ``FILE:LINE: message``
    (``FILE: message`` when no line applies, e.g. a missing file)."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")


@dataclass
class Conversation:
    """One conversation read from a transcript."""

    #: The conversation's name: JSONL's ``conversation`` key, else the file name.
    name: str
    #: Its turns in order, each ``rep`` or ``buyer``.
    turns: list[Turn] = field(default_factory=list)
    #: Who spoke each turn as the transcript names them ("Dana Okafor"); in
    #: JSONL without names this is just "rep"/"buyer".
    names: list[str] = field(default_factory=list)
    #: The line of the file where each turn starts (1-based).
    lines: list[int] = field(default_factory=list)
    #: The file it came from (``<stdin>`` for standard input).
    source: str = ""

    def add(self, speaker: Speaker, text: str, name: str, line: int) -> None:
        self.turns.append(Turn(speaker, text))
        self.names.append(name)
        self.lines.append(line)


def check_source(path: str | Path) -> str:
    """Check that ``path`` can be read as a transcript (``-`` always can) and
    return its format ("jsonl", "txt", "vtt", "srt"); raise TranscriptError.

    Cheap: the CLI calls it for every argument before reading any of them.
    """
    label = str(path)
    if label == "-":
        return "jsonl"
    p = Path(path)
    fmt = EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(EXTENSIONS)
        what = f"'{p.suffix}'" if p.suffix else "none"
        raise TranscriptError(label, None, f"unknown file extension {what} (expected one of {known})")
    if not p.exists():
        raise TranscriptError(label, None, "no such file")
    if p.is_dir():
        raise TranscriptError(label, None, "is a directory, not a transcript file")
    return fmt


def read_conversations(
    path_or_dash: str | Path, *, rep: str | None = None, stdin: IO[bytes] | None = None
) -> Iterator[Conversation]:
    """Yield the conversations in a transcript file, one at a time.

    ``path_or_dash`` is a file path, or ``-`` for JSONL on standard input
    (``stdin`` overrides ``sys.stdin.buffer``, for tests and embedding).
    ``rep`` names the rep in transcripts that name their speakers.
    Raises :class:`TranscriptError` with ``FILE:LINE: message`` on bad input.
    """
    fmt = check_source(path_or_dash)
    label = str(path_or_dash)
    if label == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_jsonl(_decoded_lines(stream, STDIN), STDIN, rep)
        return
    try:
        fh = open(path_or_dash, "rb")
    except OSError as e:
        raise TranscriptError(label, None, f"cannot read: {e.strerror or e}") from None
    with fh:
        lines = _decoded_lines(fh, label)
        if fmt == "jsonl":
            yield from _read_jsonl(lines, label, rep)
        elif fmt == "txt":
            yield _read_txt(lines, label, rep)
        elif fmt == "vtt":
            yield _read_cues(lines, label, rep, vtt=True)
        else:
            yield _read_cues(lines, label, rep, vtt=False)


# -- lines ---------------------------------------------------------------------


def _decoded_lines(fh: IO[bytes], label: str) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending) for each line of a UTF-8
    stream; raises TranscriptError on undecodable bytes or an empty stream."""
    number = 0
    for number, raw in enumerate(fh, 1):
        if number == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise TranscriptError(label, 1, "the file is UTF-16; save it as UTF-8")
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise TranscriptError(
                label, number, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
            ) from None
        yield number, line.rstrip("\r\n")
    if number == 0:
        raise TranscriptError(label, 1, "empty file")


# -- JSONL ---------------------------------------------------------------------


def _read_jsonl(lines: Iterable[tuple[int, str]], label: str, rep: str | None) -> Iterator[Conversation]:
    rep_key = rep.casefold() if rep else None
    current: Conversation | None = None
    seen: dict[str, int] = {}  # conversation name -> line where it started
    for number, line in lines:
        if not line.strip():
            continue
        name, speaker, speaker_name, text = _jsonl_turn(line, label, number, rep_key)
        if current is None or name != current.name:
            if current is not None:
                yield current
            if name in seen:
                raise TranscriptError(
                    label,
                    number,
                    f"conversation {name!r} started at line {seen[name]} and was interrupted by "
                    "another; keep each conversation's turns together",
                )
            seen[name] = number
            current = Conversation(name=name, source=label)
        current.add(speaker, clean_text(text), speaker_name, number)
    if current is None:
        raise TranscriptError(label, 1, "empty file")
    yield current


def _jsonl_turn(line: str, label: str, number: int, rep_key: str | None) -> tuple[str, Speaker, str, str]:
    """(conversation, speaker, the speaker as written, text) of one JSONL line,
    or a TranscriptError naming the line and the field."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise TranscriptError(label, number, f"invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise TranscriptError(label, number, "invalid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise TranscriptError(label, number, f"expected a JSON object, got {_json_type(obj)}")

    name = obj.get("conversation", label)
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        name = str(name)
    if not isinstance(name, str):
        raise TranscriptError(label, number, f'"conversation" must be a string, got {_json_type(name)}')
    name = clean_text(name)

    if "speaker" not in obj:
        raise TranscriptError(label, number, 'missing "speaker" (expected "rep" or "buyer")')
    raw_speaker = obj["speaker"]
    if not isinstance(raw_speaker, str):
        raise TranscriptError(
            label, number, f'"speaker" must be "rep" or "buyer", got {_json_type(raw_speaker)}'
        )
    speaker_name = clean_text(raw_speaker).strip()
    key = speaker_name.casefold()
    if key in ("rep", "buyer"):
        speaker: Speaker = key  # type: ignore[assignment]
    elif rep_key is not None and speaker_name:
        speaker = "rep" if key == rep_key else "buyer"
    else:
        hint = "" if rep_key is not None else ", or name the rep with --rep"
        raise TranscriptError(
            label, number, f'unknown speaker {raw_speaker!r} (expected "rep" or "buyer"{hint})'
        )

    if "text" not in obj:
        raise TranscriptError(label, number, 'missing "text"')
    text = obj["text"]
    if not isinstance(text, str):
        raise TranscriptError(label, number, f'"text" must be a string, got {_json_type(text)}')
    return name, speaker, speaker_name, text


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# -- speakers ------------------------------------------------------------------

# "Name: text", with an optional leading timestamp ("[00:01:02] Dana: ...",
# "00:01 Dana: ...") or one after the name ("Dana (00:01:02): ..."). A name is
# at most 6 words of letters, digits and a little punctuation, so a sentence
# holding a colon ("Here is why: ...") is rarely taken for a speaker, and "at
# 10:30" or "https://" never are (the colon must be followed by a space).
_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?"
_SPEAKER_LINE = re.compile(
    rf"""^\s*
    (?:\[?{_TIME}\]?\s+)?                               # optional leading timestamp
    (?P<name>[^\W\d_][\w.'’,&@/()\-]*(?:[ \t]+[\w.'’,&@/()\-]+){{0,5}}?)
    (?:\s*[(\[]{_TIME}[)\]])?                            # optional timestamp after the name
    \s*:(?:\s+|$)
    (?P<text>.*)$""",
    re.VERBOSE | re.DOTALL,
)

_ROLE = r"(?:rep|representative|seller|sales\w*|account\s+(?:executive|manager)|ae|sdr|bdr)\b"
# The role as the name ("Sales Rep: ...") or beside it ("Sam (Rep)", "Sam - Sales").
_REP_NAME = re.compile(rf"^{_ROLE}|[(\[|\-–—]\s*{_ROLE}", re.IGNORECASE)

# Lower-case words that may sit inside a name; any other lower-case word after
# the first makes "Well, here's the thing: ..." a sentence, not a speaker.
_NAME_PARTICLES = frozenset(
    "van von der den de del della di da dos du la le bin ibn al el y of and the rep".split()
)


def is_rep_name(name: str) -> bool:
    """Whether a speaker name says it is the seller: Rep, Seller, Sales...,
    Salesperson, Sales Rep, Account Executive, AE, SDR, BDR, or one of those in
    brackets or after a dash beside a name ("Sam (Rep)")."""
    return bool(_REP_NAME.search(name.strip()))


# Otter.ai and similar exports put the speaker and a time on a line of their
# own ("Dana Okafor  0:05"), the words on the lines after it.
_HEADER_LINE = re.compile(
    rf"^\s*(?P<name>[^\W\d_][\w.'’,&@/()\-]*(?:[ \t]+[\w.'’,&@/()\-]+){{0,5}}?)"
    rf"\s+[(\[]?{_TIME}[)\]]?\s*$"
)


def _plausible_name(name: str) -> bool:
    if len(name) > 60:
        return False
    words = name.split()
    return not any(w[0].islower() and w.casefold() not in _NAME_PARTICLES for w in words[1:])


# A "name" that is a field of the transcript, not a person: "Note: the line
# dropped", "Action items: ...", "Date: 3 May". Such a line and the lines that
# continue it are skipped (as WebVTT's NOTE blocks are), so they neither become
# a third speaker's turn nor stand between a buyer's words and the rep's reply.
_ANNOTATIONS = frozenset(
    {"note", "notes", "nb", "n.b.", "ps", "p.s.", "comment", "comments", "summary", "recap", "agenda",
     "attendees", "participants", "date", "time", "duration", "subject", "title", "topic", "meeting",
     "call", "recording", "transcript", "location", "action items", "next steps", "follow-ups"}
)


def _is_annotation(name: str) -> bool:
    return " ".join(name.casefold().split()) in _ANNOTATIONS


def _split_speaker(line: str) -> tuple[str, str] | None:
    m = _SPEAKER_LINE.match(line)
    if m is None:
        return None
    name = m.group("name").strip()
    if not (_plausible_name(name) or _is_annotation(name)):
        return None
    return name, m.group("text").strip()


def _speaker_header(line: str) -> str | None:
    m = _HEADER_LINE.match(line)
    if m is None:
        return None
    name = m.group("name").strip()
    return name if _plausible_name(name) else None


class _Builder:
    """Collects (name, text, line) pieces into turns, merging consecutive pieces
    of one speaker, then decides who the rep is."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.pieces: list[list] = []  # [name, [texts], line]

    def add(self, name: str, text: str, line: int) -> None:
        if self.pieces and self.pieces[-1][0] == name:
            if text:
                self.pieces[-1][1].append(text)
        else:
            self.pieces.append([name, [text] if text else [], line])

    def continue_last(self, text: str, line: int, what: str) -> None:
        if not self.pieces:
            raise TranscriptError(self.label, line, what)
        if text:
            self.pieces[-1][1].append(text)

    def build(self, rep: str | None) -> Conversation:
        names = list(dict.fromkeys(p[0] for p in self.pieces))
        if rep is not None:
            wanted = rep.strip().casefold()
            rep_name = next((n for n in names if n.casefold() == wanted), None)
            if rep_name is None:
                raise TranscriptError(
                    self.label, self.pieces[0][2], f"no speaker called {rep!r} (speakers: {', '.join(names)})"
                )
        else:
            rep_name = next((n for n in names if is_rep_name(n)), names[0])
        conv = Conversation(name=self.label, source=self.label)
        for name, texts, line in self.pieces:
            conv.add("rep" if name == rep_name else "buyer", clean_text(" ".join(texts)), name, line)
        return conv


def _clean_name(name: str) -> str:
    return " ".join(clean_text(name).split())


# -- plain text ----------------------------------------------------------------


def _read_txt(lines: Iterable[tuple[int, str]], label: str, rep: str | None) -> Conversation:
    builder = _Builder(label)
    in_note = notes = False
    for number, line in lines:
        if not line.strip():
            continue
        split = _split_speaker(line)
        if split is None and (header := _speaker_header(line)) is not None:
            split = (header, "")
        if split is not None:
            in_note = _is_annotation(split[0])
            if in_note:
                notes = True
                continue
        elif in_note:
            continue
        if split is None:
            builder.continue_last(
                line.strip(),
                number,
                "expected 'Name: text' (a line without a name continues the turn before it, "
                "and there is none yet)",
            )
        else:
            name, text = split
            builder.add(_clean_name(name), text, number)
    if not builder.pieces:
        raise TranscriptError(label, 1, "no 'Name: text' lines, only notes" if notes else "empty file")
    return builder.build(rep)


# -- WebVTT and SubRip ---------------------------------------------------------

_TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->\s+(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}(?:\s.*)?$"
)
# Bounded repetitions keep a line of "<v<v<v..." linear rather than quadratic.
_VOICE = re.compile(r"<v(?:\.[^\s>]{0,100})?(?:[ \t]+([^>]{0,200}))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>|<\d[\d:.]{0,20}>|</>")
_BLOCK_KEYWORDS = ("NOTE", "STYLE", "REGION")


def _blocks(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for number, line in lines:
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _cue_text(raw: str) -> str:
    return html.unescape(_TAG.sub("", raw)).strip()


def _read_cues(lines: Iterable[tuple[int, str]], label: str, rep: str | None, *, vtt: bool) -> Conversation:
    builder = _Builder(label)
    last = 0
    first = True
    kind = "WebVTT" if vtt else "SubRip"
    example = "00:00:01.000 --> 00:00:04.000" if vtt else "00:00:01,000 --> 00:00:04,000"
    for block in _blocks(lines):
        last = block[-1][0]
        if vtt and first:
            number, header = block[0]
            if not (header == "WEBVTT" or header.startswith(("WEBVTT ", "WEBVTT\t"))):
                raise TranscriptError(label, number, "not a WebVTT file (the first line must be 'WEBVTT')")
            # Header lines ("Kind: captions") run to the first blank line; a cue
            # straight after them (no blank line) is tolerated.
            timing_at = next((i for i, (_, ln) in enumerate(block) if "-->" in ln), None)
            if timing_at is None:
                first = False
                continue
            block = block[max(1, timing_at - 1) :]
        first = False
        number, head = block[0]
        if vtt and head.split(None, 1)[0] in _BLOCK_KEYWORDS:
            continue
        if "-->" in head:
            timing_index = 0
        elif len(block) > 1 and "-->" in block[1][1]:
            timing_index = 1  # a cue id (SubRip: the cue number)
        else:
            raise TranscriptError(label, number, f"expected a {kind} cue timing line ('{example}')")
        t_number, timing = block[timing_index]
        if not _TIMING.match(timing):
            raise TranscriptError(label, t_number, f"bad cue timing {timing.strip()!r} (expected '{example}')")
        for p_number, payload in block[timing_index + 1 :]:
            if "-->" in payload:
                raise TranscriptError(label, p_number, "cue text cannot contain '-->' (missing blank line?)")
            _add_payload(builder, payload, p_number, label, vtt)
    if last == 0:
        raise TranscriptError(label, 1, "empty file")
    if not builder.pieces:
        raise TranscriptError(label, last, "no cue with text in the file")
    return builder.build(rep)


_NO_SPEAKER = "cue has no speaker yet (expected '<v Name>' or 'Name: ' at its start)"


def _add_payload(builder: _Builder, payload: str, number: int, label: str, vtt: bool) -> None:
    voices = list(_VOICE.finditer(payload)) if vtt else []
    if voices:
        # "<v Dana>Hi</v> <v Sam>Hello</v>": each voice tag starts a piece.
        before = _cue_text(payload[: voices[0].start()])
        if before:
            builder.continue_last(before, number, _NO_SPEAKER)
        for i, m in enumerate(voices):
            end = voices[i + 1].start() if i + 1 < len(voices) else len(payload)
            name = _clean_name(html.unescape(m.group(1) or ""))
            text = _cue_text(payload[m.end() : end])
            if not name:
                builder.continue_last(text, number, _NO_SPEAKER)
            else:
                builder.add(name, text, number)
        return
    text = _cue_text(payload)
    if not text:
        return
    split = _split_speaker(text)
    if split is None:
        builder.continue_last(text, number, _NO_SPEAKER)
    else:
        name, said = split
        builder.add(_clean_name(name), said, number)
