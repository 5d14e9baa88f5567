"""The typed record of one stored session: what ``Store.session()`` returns and
every reader of a session (the app's screens, ``coach show``, exports, the HTML
report, resuming a session) renders or replays.

Built once by the store from its rows: the scenario snapshot is loaded here, the
rep turns come back as the ``AnalysedTurn`` the analyser gave, the buyer turns
as the ``BuyerTurn`` (move and voice) the engine played, and the scorecard as
the ``Scorecard`` scoring produced. Readers never see the database's dicts.

No Textual, no heavy imports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.buyer.move import BuyerTurn
    from coach.scenario import Scenario
    from coach.scoring import Scorecard

def name_key(name: str) -> str:
    """What two people's names (reps, reviewers, comment authors) are compared
    by: "Ana" and "ana" are one person, as the README and the login name may
    spell them differently."""
    return name.casefold()


def same_name(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and name_key(a) == name_key(b)


#: Practice sessions are played against a scenario; calls are real
#: conversations imported from a transcript.
SessionKind = Literal["practice", "call"]
SessionStatus = Literal["in_progress", "finished"]


@dataclass(frozen=True)
class CommentRecord:
    """A manager's comment on a session, or on one of its turns."""

    id: int
    session_id: int
    #: The turn's id (TurnRecord.id), or None for a comment on the whole session.
    turn_id: int | None
    author: str
    text: str
    created_at: str
    #: Who last edited the text, and when (None if never edited).
    edited_at: str | None = None
    edited_by: str | None = None


@dataclass(frozen=True)
class ScoreOverride:
    """A manager's score for a session (``part`` "total") or one part of its
    scorecard, with the reason; stored beside the machine's score, never over it.
    ``score`` None withdraws an earlier override (the machine's score stands)."""

    id: int
    session_id: int
    part: str
    score: float | None
    reason: str
    author: str
    created_at: str


@dataclass(frozen=True)
class CallRecord:
    """Where an imported call came from."""

    #: The file as it was named on import, and the conversation in it.
    source: str
    conversation: str
    #: "txt", "vtt", "srt", "jsonl" or "json".
    format: str
    #: Identifies the call's content (speakers and words): the same call is imported once.
    sha256: str
    #: The speaker taken as the rep, and how: "option" (--rep), "role" (a name
    #: such as "Sales"), "first_speaker" (the guess), "file" (the file says).
    rep_speaker: str
    rep_chosen_by: str
    #: The conversation summary (coach.analysis.metrics.summarize) at import.
    summary: dict
    imported_at: str


def turn_words(ref) -> str:
    """A scorecard's pointer at a rep turn (a ``scoring.TurnRef``) as a manager
    finds it in any transcript coach prints: "turn 3 (line 6)"."""
    return f"turn {ref.rep_turn} (line {ref.turn + 1})"


@dataclass(frozen=True)
class DiscoveryStatus:
    """One of a practice scenario's discoveries, and whether the rep uncovered it."""

    id: str
    topic: str
    found: bool


@dataclass(frozen=True)
class TurnRecord:
    """One stored turn, the rep's or the buyer's."""

    id: int
    #: 0-based position in the session; people see ``number`` (1-based), as "line N".
    index: int
    speaker: Literal["rep", "buyer"]
    text: str
    created_at: str
    #: A rep turn's analysis (labels, evidence, tips, uptake), once analysed:
    #: the rep's words are stored the moment they are sent, the labels follow.
    analysed: AnalysedTurn | None = None
    #: A buyer turn's move and voice (None for the opening, and for turns
    #: stored before moves were recorded).
    reply: BuyerTurn | None = None
    #: The buyer's trust after this turn (buyer turns).
    trust: float | None = None
    #: Discoveries this buyer turn revealed.
    revealed: tuple[str, ...] = ()
    #: Whether the rep asked for a hint before this turn.
    hint: bool = False
    comments: tuple[CommentRecord, ...] = ()
    #: Who spoke, as a call's transcript names them (None in practice).
    speaker_name: str | None = None
    #: For a rep turn, which of the rep's turns it is (from 1): "turn 3" is the
    #: rep's third turn, as the scorecard counts and quotes them. None for the buyer.
    rep_turn: int | None = None

    @property
    def number(self) -> int:
        """The line's place in the transcript (from 1): "line N" wherever people
        read it (`coach show`, `comment --line`, search, exports, the app)."""
        return self.index + 1

    @property
    def labels(self) -> tuple[str, ...]:
        return self.analysed.labels if self.analysed is not None else ()


@dataclass(frozen=True)
class SessionRecord:
    """One stored session, everything about it, typed."""

    id: int
    rep: str
    kind: SessionKind
    #: The scenario's text id (its `id:` field), its title and where it came from.
    scenario_id: str
    scenario_title: str
    scenario_source: str
    #: The YAML the session was played on, as stored.
    scenario_yaml: str
    #: That snapshot, loaded (None when it no longer loads: ``scenario_error`` says why).
    scenario: Scenario | None
    scenario_error: str | None
    seed: int | None
    status: SessionStatus
    end_reason: str | None
    #: The machine's score (0-100) once finished.
    score: float | None
    started_at: str
    ended_at: str | None
    turns: tuple[TurnRecord, ...] = ()
    #: Every comment, on the session or on a turn, oldest first (deleted ones left out).
    comments: tuple[CommentRecord, ...] = ()
    scorecard: Scorecard | None = None
    #: The score in force: a manager's override, else the machine's ``score``
    #: (the database's session_scores view decides, the one place that does).
    final_score: float | None = None
    #: Every override ever made on this session, oldest first.
    overrides: tuple[ScoreOverride, ...] = ()
    #: Where a call came from (None for practice).
    call: CallRecord | None = None

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    @property
    def overridden(self) -> bool:
        return bool(self.overrides_in_force())

    def overrides_in_force(self) -> dict[str, ScoreOverride]:
        """Part ("total" or a part's name) -> the latest override that still stands."""
        latest: dict[str, ScoreOverride] = {}
        for o in self.overrides:
            latest[o.part] = o
        return {part: o for part, o in latest.items() if o.score is not None}

    def part_score(self, name: str) -> tuple[float | None, ScoreOverride | None]:
        """A scorecard part's score in force and the override behind it, if any."""
        o = self.overrides_in_force().get(name)
        if o is not None:
            return o.score, o
        if self.scorecard is not None:
            for p in self.scorecard.parts:
                if p.name == name:
                    return float(p.score), None
        return None, None

    @property
    def title(self) -> str:
        """What the session was: the scenario's title, or the call's name."""
        if self.call is not None:
            return f"call: {self.call.conversation}"
        return self.scenario_title

    def metrics(self) -> dict:
        """The conversation summary (talk share, question mix, ...): a call's as
        stored on import, else computed from the turns the same way."""
        if self.call is not None:
            return self.call.summary
        from coach.analysis.metrics import summarize
        from coach.analysis.types import Turn

        return summarize([Turn(t.speaker, t.text) for t in self.turns], [t.analysed for t in self.turns])

    @property
    def rep_turns(self) -> tuple[TurnRecord, ...]:
        return tuple(t for t in self.turns if t.speaker == "rep")

    def excused(self, turn: TurnRecord) -> tuple[str, ...]:
        """The labels of rep ``turn`` the buyer did not hold against the rep
        (self-interest once value was established): its reply's move says so."""
        return self._excused.get(id(turn), ())

    @cached_property
    def _excused(self) -> dict[int, tuple[str, ...]]:
        # One pass, not a search per turn: the transcript and the reports ask
        # for every turn (a 4,000-turn call took 2.3 s searching).
        return {id(t): nxt.reply.move.excused for t, nxt in zip(self.turns, self.turns[1:])
                if t.speaker == "rep" and nxt.reply is not None}

    @property
    def hints(self) -> int:
        return sum(1 for t in self.turns if t.hint)

    @property
    def session_comments(self) -> tuple[CommentRecord, ...]:
        """Comments on the whole session (not on a turn)."""
        return tuple(c for c in self.comments if c.turn_id is None)

    @property
    def discovered(self) -> tuple[str, ...]:
        """Discoveries revealed, in the order they came out."""
        out: list[str] = []
        for t in self.turns:
            out += [d for d in t.revealed if d not in out]
        return tuple(out)

    def discoveries(self) -> tuple[DiscoveryStatus, ...]:
        """What the rep uncovered, in the order it came out, then what they
        missed, in the scenario's order: from the stored scorecard (its
        discovered, missed and topics) and the buyer turns' ``revealed``,
        else, for an unfinished session, from the scenario snapshot. Empty for
        a call, or when neither says what there was to find."""
        found = list(self.discovered)
        card = self.scorecard
        for d in card.discovered if card else ():
            if d not in found:
                found.append(d)
        if card is not None and (card.topics or card.missed):
            topics = dict(card.topics)
            every = list(dict.fromkeys([*found, *card.missed, *topics]))
        elif self.scenario is not None:
            topics = {d.id: d.topic for d in self.scenario.discoveries}
            every = list(dict.fromkeys([*found, *topics]))
        else:
            return tuple(DiscoveryStatus(d, d, True) for d in found)
        # `every` is already found first, in the order found, then the rest.
        return tuple(DiscoveryStatus(d, topics.get(d, d), d in found) for d in every)

    @property
    def buyer_name(self) -> str:
        """The buyer's name from the snapshot ("The buyer" when it does not load)."""
        return self.scenario.buyer.name if self.scenario is not None else "The buyer"

    def turn(self, number: int) -> TurnRecord:
        """The transcript's line ``number`` (from 1; KeyError if none)."""
        for t in self.turns:
            if t.number == number:
                return t
        raise KeyError(number)

    def rep_turn(self, k: int) -> TurnRecord:
        """The rep's ``k``-th turn (from 1; KeyError if none)."""
        for t in self.turns:
            if t.rep_turn == k:
                return t
        raise KeyError(k)


@dataclass(frozen=True)
class SessionSummary:
    """One row of a session list: enough to choose a session without loading it."""

    id: int
    rep: str
    kind: SessionKind
    scenario_id: str
    scenario_title: str
    seed: int | None
    status: SessionStatus
    end_reason: str | None
    score: float | None
    started_at: str
    ended_at: str | None
    rep_turns: int
    comment_count: int
    #: Label -> the number of rep turns that carry it.
    labels: dict[str, int]
    #: The score in force (a manager's override, else ``score``, the machine's).
    final_score: float | None = None
    overridden: bool = False

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    @property
    def title(self) -> str:
        """The scenario's title, or "call: NAME" for an imported call."""
        return f"call: {self.scenario_title}" if self.kind == "call" else self.scenario_title


@dataclass(frozen=True)
class SearchHit:
    """A stored turn or comment that matches a search, the matching words marked in ``snippet``."""

    #: The turn matched, or the turn a matching comment is on (None: a comment on the whole session).
    turn_id: int | None
    session_id: int
    #: 0-based position of that turn in its session (``number``, its line, is what people see).
    index: int | None
    #: "rep" or "buyer" for a turn; "comment" for a comment.
    speaker: str
    text: str
    #: The text around the match, the matched words between [ and ].
    snippet: str
    rep: str
    scenario_id: str
    started_at: str
    #: For a comment: its id and author.
    comment_id: int | None = None
    author: str | None = None
    #: Who spoke the line, as a call's transcript names them (None in practice, and for a comment).
    speaker_name: str | None = None
    #: For a rep line, which of the rep's turns it is (from 1).
    rep_turn: int | None = None

    @property
    def number(self) -> int | None:
        return None if self.index is None else self.index + 1

    @property
    def is_comment(self) -> bool:
        return self.comment_id is not None


@dataclass(frozen=True)
class TrendPoint:
    """One finished session in a rep's history."""

    session_id: int
    scenario_id: str
    #: The score in force (a manager's override, else the machine's).
    score: float
    started_at: str
    ended_at: str | None
    machine_score: float | None = None


@dataclass(frozen=True)
class ScoreRow:
    """One finished session's score in force, for team statistics."""

    session_id: int
    rep: str
    kind: SessionKind
    scenario_id: str
    scenario_title: str
    #: The score in force (None: a call nobody scored).
    score: float | None
    machine_score: float | None
    overridden: bool
    started_at: str
    ended_at: str | None


@dataclass(frozen=True)
class Assignment:
    """A scenario a manager gave a rep to pass (``pass_mark``) by ``due_on`` (a date)."""

    id: int
    rep: str
    scenario_id: str
    pass_mark: float
    due_on: str
    assigned_by: str
    note: str | None
    created_at: str


def record_to_dict(record: SessionRecord) -> dict:
    """The JSON form of a session (``coach show --json``, JSONL export): what
    ``coach analyze`` and ``coach import`` read back. ``turn`` is the line's
    place in the transcript (from 1, as ``coach analyze`` numbers them);
    ``rep_turn``, on rep lines, counts the rep's turns as the scorecard does."""

    def turn(t: TurnRecord) -> dict:
        out: dict = {"id": t.id, "turn": t.number, "speaker": t.speaker, "text": t.text, "created_at": t.created_at}
        if t.rep_turn is not None:
            out["rep_turn"] = t.rep_turn
        if t.speaker_name:
            out["name"] = t.speaker_name
        a = t.analysed
        if t.speaker == "rep":
            out.update(
                labels=list(a.labels) if a else [],
                evidence=[{"label": e.label, "start": e.start, "end": e.end, "quote": e.quote, "why": e.why}
                          for e in (a.evidence if a else ())],
                tips=list(a.tips) if a else [],
                uptake=a.uptake.to_dict() if a else None,
                analysed=a is not None,
                hint=t.hint,
            )
        else:
            out.update(trust=t.trust, revealed=list(t.revealed),
                       move=t.reply.move.to_dict() if t.reply else None, voice=t.reply.voice if t.reply else None)
        out["comments"] = [comment_to_dict(c) for c in t.comments]
        return out

    return {
        "id": record.id,
        "rep": record.rep,
        "kind": record.kind,
        "scenario_id": record.scenario_id,
        "scenario_title": record.scenario_title,
        "scenario_source": record.scenario_source,
        "seed": record.seed,
        "status": record.status,
        "end_reason": record.end_reason,
        "score": record.score,
        "final_score": record.final_score,
        "overrides": [dataclasses.asdict(o) for o in record.overrides],
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "call": dataclasses.asdict(record.call) if record.call else None,
        "turns": [turn(t) for t in record.turns],
        "comments": [comment_to_dict(c) for c in record.session_comments],
        "scorecard": record.scorecard.to_dict() if record.scorecard else None,
    }


def comment_to_dict(c: CommentRecord) -> dict:
    return {"id": c.id, "turn_id": c.turn_id, "author": c.author, "text": c.text, "created_at": c.created_at,
            "edited_at": c.edited_at, "edited_by": c.edited_by}
