"""Read conversations from transcript files: JSONL, plain text, WebVTT, SubRip.

``read_conversations(path)`` picks the format by file extension (``-`` reads
JSONL from stdin) and yields one :class:`Conversation` at a time, so a large
JSONL file is never held in memory whole. Every problem with the input raises a
:class:`TranscriptError` whose message is ``FILE:LINE: message``.

Formats
-------
``.jsonl`` (also ``.ndjson``)
    One turn per line: ``{"conversation": ..., "speaker": "rep"|"buyer",
    "text": ...}``. ``conversation`` defaults to the file name; ``name`` is
    the speaker's name if given; other keys are ignored; a conversation's
    turns are consecutive. With ``rep=NAME``, speakers may also be names: NAME
    is the rep, anyone else the buyer. What ``coach analyze --format jsonl``
    prints reads back (its summary lines are skipped), and so does what
    ``coach export --format jsonl`` writes: a line holding a whole session
    (``{"id": ..., "rep": ..., "turns": [...]}``) is one conversation.
``.json``
    One document: a session as ``coach show --json`` prints it, a list of
    them, or ``coach analyze --format json``'s ``{"conversations": [...]}``.
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
    "MAX_TURNS",
    "MAX_CHARS",
    "MAX_LINE_BYTES",
    "read_conversations",
    "check_source",
    "stdin_bytes",
    "is_rep_name",
]

#: The name used for standard input in messages and as the default conversation.
STDIN = "<stdin>"

#: File extensions understood, with the format each means.
EXTENSIONS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "txt",
    ".vtt": "vtt",
    ".srt": "srt",
}


#: The most of one conversation coach reads. A conversation is analysed whole
#: (its history drives follow-ups and checklist runs; its summary covers every
#: turn), so it is held in memory whole; past these it is refused with one line
#: as soon as the reader gets there, so a huge file costs neither memory nor
#: time. A sales call is a few hundred turns, a day-long workshop a few
#: thousand; the README gives the memory measured at the limit.
MAX_TURNS = 10_000
MAX_CHARS = 2_000_000
#: A longer line is refused before it is read whole: a 100 MB file with no line
#: break must not be pulled into memory in one piece. Room for MAX_CHARS
#: characters of 4-byte UTF-8.
MAX_LINE_BYTES = 4 * MAX_CHARS


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
    #: The format it was read from ("jsonl", "json", "txt", "vtt", "srt").
    format: str = ""
    #: The rep's own name when the source gives one (a named speaker, a stored
    #: session's rep); None when the transcript only says "rep".
    rep_name: str | None = None
    #: How the rep was chosen: "option" (rep=NAME), "role" (a speaker called
    #: Rep, Sales...), "first_speaker" (the guess), "file" (the file says).
    rep_chosen_by: str = "file"
    #: When the conversation took place, if the source says (a stored session).
    started_at: str | None = None
    #: Things the reader doubts, one line each (a rep guess that looks backwards).
    warnings: list[str] = field(default_factory=list)

    def add(self, speaker: Speaker, text: str, name: str, line: int) -> None:
        self.turns.append(Turn(speaker, text))
        self.names.append(name)
        self.lines.append(line)


def check_source(path: str | Path) -> str:
    """Check that ``path`` can be read as a transcript (``-`` always can) and
    return its format ("jsonl", "json", "txt", "vtt", "srt"); raise TranscriptError.

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


def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes; TranscriptError if the program was started
    with it closed (``coach ... <&-``), when Python sets ``sys.stdin`` to None."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise TranscriptError(STDIN, None, "standard input is closed")
    return stream


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
        stream = stdin if stdin is not None else stdin_bytes()
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
        elif fmt == "json":
            yield from _read_json(lines, label, rep)
        else:
            conv = _read_txt(lines, label, rep) if fmt == "txt" else _read_cues(lines, label, rep, vtt=fmt == "vtt")
            conv.format = fmt
            yield conv


# -- lines ---------------------------------------------------------------------


def _decoded_lines(fh: IO[bytes], label: str) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending) for each line of a UTF-8
    stream; raises TranscriptError on undecodable bytes or an empty stream."""
    number = 0
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise TranscriptError(label, number, f"line longer than {MAX_LINE_BYTES:,} bytes (is it a transcript?)")
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


def _check_size(label: str, line: int, turns: int, chars: int) -> None:
    """Stop reading a conversation that has grown past MAX_TURNS or MAX_CHARS."""
    if turns > MAX_TURNS or chars > MAX_CHARS:
        what = f"{MAX_TURNS:,} turns" if turns > MAX_TURNS else f"{MAX_CHARS:,} characters"
        raise TranscriptError(
            label, line, f"conversation too long: more than {what} (coach reads at most {MAX_TURNS:,} turns "
            f"and {MAX_CHARS:,} characters of one conversation; split it)"
        )


def _read_jsonl(lines: Iterable[tuple[int, str]], label: str, rep: str | None) -> Iterator[Conversation]:
    default_name = label
    rep_key = rep.casefold() if rep else None
    current: Conversation | None = None
    chars = 0
    seen: dict[str, int] = {}  # conversation name -> line where it started
    read_any = False
    for number, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_int=_json_int)
        except json.JSONDecodeError as e:
            raise TranscriptError(label, number, f"invalid JSON: {e.msg} (column {e.colno})") from None
        except RecursionError:
            raise TranscriptError(label, number, "invalid JSON: nested too deeply") from None
        if not isinstance(obj, dict):
            raise TranscriptError(label, number, f"expected a JSON object, got {_json_type(obj)}")
        if obj.get("type") == "summary" and "speaker" not in obj:
            continue  # `coach analyze --format jsonl` closes each conversation with its metrics
        if "speaker" not in obj and isinstance(obj.get("turns"), list):
            # A whole session, as `coach export --format jsonl` writes it.
            if current is not None:
                yield _finish(current, rep)
                current = None
            read_any = True
            yield _session_conversation(obj, label, number, rep)
            continue

        name = obj.get("conversation", default_name)
        if isinstance(name, (int, float, _LongInt)) and not isinstance(name, bool):
            name = str(name)
        if not isinstance(name, str):
            raise TranscriptError(label, number, f'"conversation" must be a string, got {_json_type(name)}')
        name = clean_text(name)
        speaker, speaker_name = _json_speaker(obj, label, number, rep_key)
        text = _json_text(obj, label, number)

        if current is None or name != current.name:
            if current is not None:
                yield _finish(current, rep)
            if name in seen:
                raise TranscriptError(
                    label,
                    number,
                    f"conversation {name!r} started at line {seen[name]} and was interrupted by "
                    "another; keep each conversation's turns together",
                )
            seen[name] = number
            current = Conversation(name=name, source=label, format="jsonl")
            chars = 0
        chars += len(text)
        _check_size(label, number, len(current.turns) + 1, chars)
        current.add(speaker, clean_text(text), speaker_name, number)
    if current is None:
        if read_any:
            return
        raise TranscriptError(label, 1, "empty file")
    yield _finish(current, rep)


def _json_speaker(obj: dict, label: str, number: int, rep_key: str | None) -> tuple[Speaker, str]:
    """A JSON turn's side and the speaker's name (its "name" if it has one)."""
    if "speaker" not in obj:
        raise TranscriptError(label, number, 'missing "speaker" (expected "rep" or "buyer")')
    raw_speaker = obj["speaker"]
    if not isinstance(raw_speaker, str):
        raise TranscriptError(label, number, f'"speaker" must be "rep" or "buyer", got {_json_type(raw_speaker)}')
    speaker_name = clean_text(raw_speaker).strip()
    key = speaker_name.casefold()
    if key in ("rep", "buyer"):
        speaker: Speaker = key  # type: ignore[assignment]
    elif rep_key is not None and speaker_name:
        speaker = "rep" if key == rep_key else "buyer"
    else:
        hint = "" if rep_key is not None else ", or name the rep with --rep"
        raise TranscriptError(label, number, f'unknown speaker {raw_speaker!r} (expected "rep" or "buyer"{hint})')
    name = obj.get("name")
    if isinstance(name, str) and name.strip():
        speaker_name = _clean_name(name)
    return speaker, speaker_name


def _json_text(obj: dict, label: str, number: int) -> str:
    if "text" not in obj:
        raise TranscriptError(label, number, 'missing "text"')
    text = obj["text"]
    if not isinstance(text, str):
        raise TranscriptError(label, number, f'"text" must be a string, got {_json_type(text)}')
    return text


def _finish(conv: Conversation, rep: str | None) -> Conversation:
    """Say how the rep of a JSON conversation was chosen, and their name if known."""
    conv.rep_chosen_by = "option" if rep else "file"
    named = [n for n, t in zip(conv.names, conv.turns) if t.speaker == "rep" and n.casefold() != "rep"]
    conv.rep_name = rep.strip() if rep else (named[0] if named else None)
    return conv


def _session_conversation(obj: dict, label: str, number: int, rep: str | None) -> Conversation:
    """A stored session (`coach show --json`, `coach export --format jsonl`) as a conversation."""
    who = obj.get("rep") if isinstance(obj.get("rep"), str) else None
    what = obj.get("scenario_title") or (obj.get("call") or {}).get("conversation") or ""
    name = f"session {obj['id']}" if isinstance(obj.get("id"), int) else label
    if who or what:
        name += f" ({', '.join(clean_text(str(x)) for x in (who, what) if x)})"
    conv = Conversation(name=name, source=label, format="jsonl" if number else "json")
    chars = 0
    for i, turn in enumerate(obj["turns"], 1):
        where = f"turn {i} of the session"
        if not isinstance(turn, dict):
            raise TranscriptError(label, number or None, f"{where}: expected a JSON object, got {_json_type(turn)}")
        try:
            speaker, speaker_name = _json_speaker(turn, label, number, None)
            text = _json_text(turn, label, number)
        except TranscriptError as e:
            raise TranscriptError(label, number or None, f"{where}: {e.message}") from None
        if speaker_name in ("rep", "buyer") and speaker == "rep" and who:
            speaker_name = clean_text(who)
        chars += len(text)
        _check_size(label, number or None, i, chars)
        conv.add(speaker, clean_text(text), speaker_name, number)
    if not conv.turns:
        raise TranscriptError(label, number or None, f"{name}: the session has no turns")
    conv.rep_name = rep.strip() if rep else (clean_text(who) if who else None)
    conv.rep_chosen_by = "option" if rep else "file"
    if isinstance(obj.get("started_at"), str):
        conv.started_at = obj["started_at"]
    return conv


def _read_json(lines: Iterable[tuple[int, str]], label: str, rep: str | None) -> Iterator[Conversation]:
    text = "\n".join(line for _, line in lines)
    try:
        doc = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as e:
        raise TranscriptError(label, e.lineno, f"invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise TranscriptError(label, None, "invalid JSON: nested too deeply") from None
    expected = ("expected a session as `coach show --json` prints it, a list of them, "
                "or `coach analyze --format json` output")
    if isinstance(doc, dict) and isinstance(doc.get("turns"), list):
        yield _session_conversation(doc, label, 0, rep)
    elif isinstance(doc, list) and doc and all(isinstance(d, dict) and isinstance(d.get("turns"), list) for d in doc):
        for d in doc:
            yield _session_conversation(d, label, 0, rep)
    elif isinstance(doc, dict) and isinstance(doc.get("conversations"), list):
        rep_key = rep.casefold() if rep else None
        for i, c in enumerate(doc["conversations"], 1):
            if not isinstance(c, dict) or not isinstance(c.get("turns"), list):
                raise TranscriptError(label, None, f"conversation {i}: expected an object with \"turns\"")
            conv = Conversation(name=clean_text(str(c.get("conversation") or f"{label} #{i}")), source=label,
                                format="json")
            for j, t in enumerate(c["turns"], 1):
                if not isinstance(t, dict):
                    raise TranscriptError(label, None, f"conversation {i}, turn {j}: expected a JSON object")
                try:
                    speaker, speaker_name = _json_speaker(t, label, 0, rep_key)
                    said = _json_text(t, label, 0)
                except TranscriptError as e:
                    raise TranscriptError(label, None, f"conversation {i}, turn {j}: {e.message}") from None
                conv.add(speaker, clean_text(said), speaker_name, 0)
            if conv.turns:
                yield _finish(conv, rep)
    else:
        raise TranscriptError(label, None, f"{expected}, got {_json_type(doc)}")


class _LongInt:
    """A JSON integer longer than Python's int() will parse (4,300 digits, a
    guard against slow conversions), kept as written: JSON allows it, and in a
    key coach ignores it must not stop the file."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __str__(self) -> str:
        return self.digits


def _json_int(digits: str) -> int | _LongInt:
    try:
        return int(digits)
    except ValueError:
        return _LongInt(digits)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, _LongInt)):
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
        self.chars = 0

    def add(self, name: str, text: str, line: int) -> None:
        if self.pieces and self.pieces[-1][0] == name:
            if text:
                self.pieces[-1][1].append(text)
        else:
            self.pieces.append([name, [text] if text else [], line])
        self._grew(text, line)

    def continue_last(self, text: str, line: int, what: str) -> None:
        if not self.pieces:
            raise TranscriptError(self.label, line, what)
        if text:
            self.pieces[-1][1].append(text)
        self._grew(text, line)

    def _grew(self, text: str, line: int) -> None:
        self.chars += len(text)
        _check_size(self.label, line, len(self.pieces), self.chars)

    def build(self, rep: str | None) -> Conversation:
        names = list(dict.fromkeys(p[0] for p in self.pieces))
        if rep is not None:
            wanted = rep.strip().casefold()
            rep_name = next((n for n in names if n.casefold() == wanted), None)
            if rep_name is None:
                raise TranscriptError(
                    self.label, self.pieces[0][2], f"no speaker called {rep!r} (speakers: {', '.join(names)})"
                )
            chosen_by = "option"
        else:
            rep_name = next((n for n in names if is_rep_name(n)), None)
            chosen_by = "role"
            if rep_name is None:
                rep_name, chosen_by = names[0], "first_speaker"
        conv = Conversation(name=self.label, source=self.label, rep_name=rep_name, rep_chosen_by=chosen_by)
        for name, texts, line in self.pieces:
            conv.add("rep" if name == rep_name else "buyer", clean_text(" ".join(texts)), name, line)
        if chosen_by == "first_speaker":
            conv.warnings += _backwards_warning(conv, self.label)
        return conv


def _questions(text: str) -> int:
    return len(re.findall(r"\?+", text))


def _backwards_warning(conv: Conversation, label: str) -> list[str]:
    """A warning when the first speaker, taken as the rep, asks almost no
    questions while someone else asks many: most likely the buyer spoke first
    and every label would be about the wrong person."""
    asked: dict[str, int] = {}
    for turn, name in zip(conv.turns, conv.names):
        asked[name] = asked.get(name, 0) + _questions(turn.text)
    rep_asks = asked.get(conv.rep_name or "", 0)
    other, other_asks = max(((n, q) for n, q in asked.items() if n != conv.rep_name), key=lambda x: x[1],
                            default=("", 0))
    if other_asks >= 3 and rep_asks * 4 <= other_asks:
        return [
            f"{label}: took the first speaker, {conv.rep_name!r}, as the rep, but they ask "
            f"{rep_asks} question{'s' if rep_asks != 1 else ''} and {other!r} asks {other_asks}; "
            f"if {other!r} is the rep, run again with --rep {_shell_word(other)}"
        ]
    return []


def _shell_word(name: str) -> str:
    return name if re.fullmatch(r"[\w.@-]+", name) else "'" + name.replace("'", "'\\''") + "'"


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

_STAMP = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_STAMP}\s+-->\s+{_STAMP}(?:\s.*)?$")


def _timing_problem(m: re.Match[str]) -> str | None:
    """What is wrong with a cue timing that has the right shape, or None."""
    stamps = []
    for at in (1, 5):
        hours, minutes, seconds, fraction = m.group(at, at + 1, at + 2, at + 3)
        if int(minutes) > 59 or int(seconds) > 59:
            return "minutes and seconds go up to 59"
        stamps.append(((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction.ljust(3, "0")))
    return "the cue ends before it starts" if stamps[1] < stamps[0] else None
# Bounded repetitions keep a line of "<v<v<v..." linear rather than quadratic.
_VOICE = re.compile(r"<v(?:\.[^\s>]{0,100})?(?:[ \t]+([^>]{0,200}))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>|<\d[\d:.]{0,20}>|</>")
_BLOCK_KEYWORDS = ("NOTE", "STYLE", "REGION")


def _blocks(lines: Iterable[tuple[int, str]], label: str) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    chars = 0
    for number, line in lines:
        if line.strip():
            block.append((number, line))
            chars += len(line)
            # A file with no blank line would otherwise be one block, held whole.
            if len(block) > MAX_TURNS or chars > MAX_CHARS:
                raise TranscriptError(label, block[0][0], f"cue too long: more than {MAX_TURNS:,} lines or "
                                      f"{MAX_CHARS:,} characters without a blank line")
        elif block:
            yield block
            block = []
            chars = 0
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
    for block in _blocks(lines, label):
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
        m = _TIMING.match(timing)
        if m is None:
            raise TranscriptError(label, t_number, f"bad cue timing {timing.strip()!r} (expected '{example}')")
        if problem := _timing_problem(m):
            raise TranscriptError(label, t_number, f"bad cue timing {timing.strip()!r}: {problem}")
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
