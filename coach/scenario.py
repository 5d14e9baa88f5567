"""Scenario format v1: pydantic models of the YAML file and a loader that keeps line numbers.

A scenario is one YAML file describing one role-play (docs/scenario-format.md is
the trainer's reference). The models below are the single source of truth: the
loader validates with them, `coach scenario schema` prints their JSON Schema, and
the buyer engine, the scorer and the app read the validated objects.

Public API::

    load_scenario(path) -> Scenario              # raises ScenarioError
    load_scenario_text(text, name="<string>") -> Scenario
    ScenarioError.messages -> ["FILE:LINE:COL: path.to.field: message", ...]
    builtin_scenarios() -> list[Path]
    discover_scenarios() -> list[ScenarioRef]
    scenario_json_schema() -> dict
    template(title) -> str

Nothing here imports Textual or touches the disk at import time.
"""

from __future__ import annotations

import difflib
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from coach.labels import LABELS
from coach.text import escape_controls

#: The only format version this code reads.
FORMAT_VERSION = 1

#: Trust change per analyser label when a scenario's `trust:` section does not
#: set it. Applied once per label found in a rep turn, multiplied by
#: ``buyer.trust.speed``. The buyer engine reads these through
#: :meth:`Scenario.trust_change`.
DEFAULT_TRUST_CHANGES: dict[str, float] = {
    "open_question": 2.0,
    "closed_question": 0.0,
    "leading_question": -5.0,
    "curiosity": 5.0,
    "follow_up": 4.0,
    "reflection": 5.0,
    "empathy": 5.0,
    "mutual_success": 5.0,
    "self_interested": -6.0,
    "pitching": -7.0,
    "pressure": -9.0,
    "checklist": -5.0,
}

#: Weights of the scorecard's parts when a scenario has no `scoring:` section.
DEFAULT_SCORING_WEIGHTS: dict[str, float] = {
    "discovery": 0.4,
    "questions": 0.2,
    "listening": 0.2,
    "relationship": 0.2,
}

#: Reaction keys besides the twelve labels.
EXTRA_REACTIONS: tuple[str, ...] = ("fallback", "curt", "walkout")

_SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("empty line: write what is said, or remove the entry")
    return value.strip()


#: A line of text someone says (buyer or rep): never empty or whitespace only.
Line = Annotated[
    str,
    AfterValidator(_nonblank),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": r"\S"}),
]
#: A short identifier: lowercase letters and digits, words joined by - or _.
Slug = Annotated[str, Field(pattern=_SLUG, min_length=1, max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Brief(_Model):
    """What the rep reads before the buyer speaks."""

    situation: Line
    """The situation: who the buyer is, what happened, why the rep is in the room."""

    goal: Line
    """What a good conversation achieves, in the rep's terms."""

    turns: int = Field(default=12, ge=1, le=100)
    """Expected length of the conversation in rep turns: a guide shown to the rep, not a limit (1-100)."""


class TrustSettings(_Model):
    """Where the buyer's trust starts and how quickly it moves."""

    start: float = Field(default=30, ge=0, le=100)
    """Trust at the start of the conversation, 0-100 (default 30). Must be above ending.walkout_below."""

    speed: float = Field(default=1.0, ge=0.1, le=3.0)
    """Multiplier on every trust change, 0.1-3.0 (default 1.0): below 1 a slow-to-warm buyer, above 1 a volatile one."""


class BuyerSpec(_Model):
    """Who the simulated buyer is."""

    name: Line
    """The buyer's name, as shown in the conversation."""

    role: Line
    """The buyer's job title."""

    company: Line
    """The buyer's organisation."""

    personality: Line
    """A few sentences on temperament and history: shown in the rep's brief, and read by an LLM buyer."""

    tone: Line = "neutral"
    """One word or short phrase for how the buyer talks (guarded, warm, brisk...)."""

    opening: Line
    """The buyer's first line, said before the rep's first turn."""

    trust: TrustSettings = Field(default_factory=TrustSettings)
    """Starting trust and how quickly it moves."""


class Requires(_Model):
    """What it takes for a discovery to be revealed. Every condition must hold."""

    open_question: bool = False
    """Must the rep ask with an open (not closed, not leading) question? (default false)"""

    min_trust: float = Field(default=0, ge=0, le=100)
    """The buyer's trust must be at least this, 0-100 (default 0)."""

    after: list[Slug] = Field(default_factory=list)
    """Ids of discoveries that must be revealed first (default none). No cycles."""


class Discovery(_Model):
    """A hidden fact the buyer reveals only when asked about it well enough."""

    id: Slug
    """Unique within the scenario; tests and `after` refer to it."""

    topic: Line
    """What the fact is about, in a phrase: used to recognise questions on the topic and shown on the scorecard."""

    examples: list[Line] = Field(min_length=1)
    """Rep questions that are about this topic (1 or more); paraphrases are recognised by meaning."""

    reveal: list[Line] = Field(min_length=1)
    """What the buyer says when revealing the fact (1 or more variants)."""

    guarded: list[Line] = Field(min_length=1)
    """What the buyer says when asked about the topic without meeting `requires` (1 or more variants)."""

    requires: Requires = Field(default_factory=Requires)
    """Conditions for revealing the fact (all optional)."""

    weight: float = Field(default=1.0, ge=0, le=100)
    """Share of the discovery score, >= 0 (default 1). Weights are relative to the other discoveries'."""

    volunteer: bool = True
    """May a trusting buyer offer this fact unasked, after a related one? (default true)"""


class Reactions(_Model):
    """Buyer lines per analyser label; variants rotate so the buyer does not repeat itself.

    A label with no lines falls back to `fallback`. `curt` replaces the reaction
    when trust is low; `walkout` is said when the buyer ends the meeting.
    """

    open_question: list[Line] = Field(default_factory=list)
    """Said to an open question (when no discovery is asked about)."""

    closed_question: list[Line] = Field(default_factory=list)
    """Said to a closed question: short, factual answers."""

    leading_question: list[Line] = Field(default_factory=list)
    """Said to a leading question: the buyer sees through it."""

    curiosity: list[Line] = Field(default_factory=list)
    """Said when the rep genuinely explores the buyer's world."""

    follow_up: list[Line] = Field(default_factory=list)
    """Said when the rep builds on what the buyer just said."""

    reflection: list[Line] = Field(default_factory=list)
    """Said when the rep sums up what the buyer said in their own words."""

    empathy: list[Line] = Field(default_factory=list)
    """Said when the rep acknowledges the buyer's feelings or situation."""

    mutual_success: list[Line] = Field(default_factory=list)
    """Said when the rep frames the outcome as shared, or offers to walk away if it is not a fit."""

    self_interested: list[Line] = Field(default_factory=list)
    """Said when the rep serves their own agenda: budget, authority, signature, meeting."""

    pitching: list[Line] = Field(default_factory=list)
    """Said when the rep promotes the product unasked."""

    pressure: list[Line] = Field(default_factory=list)
    """Said when the rep argues, pushes urgency or tells the buyer what they need."""

    checklist: list[Line] = Field(default_factory=list)
    """Said when the rep fires question after question without following up."""

    fallback: list[Line] = Field(min_length=1)
    """Said when nothing else fits (1 or more)."""

    curt: list[Line] = Field(min_length=1)
    """Said instead of a reaction when trust is low (1 or more)."""

    walkout: list[Line] = Field(min_length=1)
    """Said when the buyer ends the meeting (1 or more)."""

    def lines(self, key: str) -> list[str]:
        """The lines for a label or extra key (empty if none are written)."""
        return list(getattr(self, key))


class TrustChanges(_Model):
    """Trust change per analyser label found in a rep turn, -50 to 50.

    Unset labels use DEFAULT_TRUST_CHANGES in coach/scenario.py. Every change is
    multiplied by buyer.trust.speed.
    """

    open_question: float | None = Field(default=None, ge=-50, le=50)
    """Change for an open question (default +2)."""

    closed_question: float | None = Field(default=None, ge=-50, le=50)
    """Change for a closed question (default 0)."""

    leading_question: float | None = Field(default=None, ge=-50, le=50)
    """Change for a leading question (default -5)."""

    curiosity: float | None = Field(default=None, ge=-50, le=50)
    """Change for curiosity (default +5)."""

    follow_up: float | None = Field(default=None, ge=-50, le=50)
    """Change for a follow-up (default +4)."""

    reflection: float | None = Field(default=None, ge=-50, le=50)
    """Change for a reflection (default +5)."""

    empathy: float | None = Field(default=None, ge=-50, le=50)
    """Change for empathy (default +5)."""

    mutual_success: float | None = Field(default=None, ge=-50, le=50)
    """Change for mutual-success framing (default +5)."""

    self_interested: float | None = Field(default=None, ge=-50, le=50)
    """Change for a self-interested turn (default -6)."""

    pitching: float | None = Field(default=None, ge=-50, le=50)
    """Change for pitching (default -7)."""

    pressure: float | None = Field(default=None, ge=-50, le=50)
    """Change for pressure (default -9)."""

    checklist: float | None = Field(default=None, ge=-50, le=50)
    """Change for checklist questioning (default -5)."""


class NextStep(_Model):
    """An agreed next step: ends the session well."""

    examples: list[Line] = Field(min_length=1)
    """Rep lines that propose the next step this buyer would accept (1 or more); paraphrases count."""

    min_trust: float = Field(default=60, ge=0, le=100)
    """The buyer agrees only with trust at least this, 0-100 (default 60); below it they use `declined`."""

    reply: list[Line] = Field(min_length=1)
    """What the buyer says when agreeing (1 or more variants)."""

    declined: list[Line] = Field(default_factory=list)
    """What the buyer says to a next step proposed too early (default: a curt or fallback line)."""


class Ending(_Model):
    """How the session ends."""

    max_turns: int = Field(default=20, ge=1, le=200)
    """The session ends after this many rep turns, 1-200 (default 20)."""

    walkout_below: float = Field(default=10, ge=0, le=100)
    """The buyer ends the meeting when trust falls to this or below, 0-100 (default 10)."""

    next_step: NextStep | None = None
    """An agreed next step that ends the session well (optional)."""


class ScoringWeights(_Model):
    """Weights of the scorecard's parts, each >= 0; they are normalised to sum to 1.

    Unset parts use DEFAULT_SCORING_WEIGHTS in coach/scenario.py.
    """

    discovery: float = Field(default=0.4, ge=0, le=100)
    """Weight of discovery: the weighted share of hidden facts uncovered (default 0.4)."""

    questions: float = Field(default=0.2, ge=0, le=100)
    """Weight of question quality: open and curious against leading and self-interested (default 0.2)."""

    listening: float = Field(default=0.2, ge=0, le=100)
    """Weight of listening: talk share, follow-ups, reflections, monologues (default 0.2)."""

    relationship: float = Field(default=0.2, ge=0, le=100)
    """Weight of the relationship: trust at the end, mutual-success framing (default 0.2)."""

    def normalised(self) -> dict[str, float]:
        """The weights scaled to sum to 1."""
        raw = self.model_dump()
        total = sum(raw.values()) or 1.0
        return {k: v / total for k, v in raw.items()}


class Bounds(_Model):
    """Inclusive bounds on a number, 0-100; give min, max or both."""

    min: float | None = Field(default=None, ge=0, le=100)
    """Lowest acceptable value (inclusive)."""

    max: float | None = Field(default=None, ge=0, le=100)
    """Highest acceptable value (inclusive)."""

    def contains(self, value: float) -> bool:
        """Whether value lies within the bounds."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Expect(_Model):
    """What must hold at the end of a scripted test."""

    revealed: list[Slug] = Field(default_factory=list)
    """Discovery ids that must be revealed by the end."""

    not_revealed: list[Slug] = Field(default_factory=list)
    """Discovery ids that must not be revealed."""

    trust: Bounds | None = None
    """Bounds on the buyer's final trust."""

    score: Bounds | None = None
    """Bounds on the final score (0-100)."""

    ended: bool | None = None
    """Whether the buyer ended the meeting (walked out); omit to not care."""


class ScenarioTest(_Model):
    """A scripted rep conversation with expectations, run by `coach scenario test`."""

    name: Line
    """What the test shows, e.g. 'consultative rep uncovers the cost'."""

    script: list[Line] = Field(min_length=1)
    """The rep's lines, in order; the buyer replies to each."""

    seed: int = 0
    """Random seed for the buyer's choice of variants (default 0), so a test is reproducible."""

    expect: Expect = Field(default_factory=Expect)
    """What must hold at the end."""


class Scenario(_Model):
    """One role-play: the buyer, the rep's brief, hidden facts, reactions, ending, scoring and tests."""

    version: Literal[1]
    """Format version; only 1 exists."""

    id: Slug
    """Lowercase letters, digits and dashes; unique among your scenarios (stored with sessions)."""

    title: Line
    """Shown in lists."""

    difficulty: Literal["easy", "medium", "hard"]
    """easy, medium or hard."""

    tags: list[Slug] = Field(default_factory=list)
    """Short keywords for filtering (lowercase, dashes)."""

    brief: Brief
    """What the rep reads before the buyer speaks: the situation, the goal, the expected length."""

    buyer: BuyerSpec
    """Who the buyer is."""

    discoveries: list[Discovery] = Field(min_length=1)
    """Hidden facts, revealed only to good questions (1 or more)."""

    reactions: Reactions
    """Buyer lines per analyser label, plus fallback, curt and walkout."""

    trust: TrustChanges = Field(default_factory=TrustChanges)
    """Trust change per label (optional; unset labels use the defaults in code)."""

    ending: Ending = Field(default_factory=Ending)
    """How the session ends: turn limit, walkout, agreed next step (optional; defaults apply)."""

    scoring: ScoringWeights = Field(default_factory=ScoringWeights)
    """Weights of the scorecard's parts (optional; defaults 0.4/0.2/0.2/0.2)."""

    tests: list[ScenarioTest] = Field(default_factory=list)
    """Scripted tests run by `coach scenario test`."""

    _source_text: str = PrivateAttr(default="")
    _source_path: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        # The loader runs these itself to report exact positions; a Scenario
        # built in code still gets them, with the path written in the message.
        if info.context and info.context.get("_skip_cross_checks"):
            return self
        problems = cross_check(self)
        if problems:
            raise ValueError("; ".join(f"{_dotted(loc)}: {msg}" for loc, msg in problems))
        return self

    # -- conveniences for the buyer engine, the scorer and the app ------------

    @property
    def source_text(self) -> str:
        """The YAML text this scenario was loaded from ("" if built in code)."""
        return self._source_text

    @property
    def source_path(self) -> Path | None:
        """The file this scenario was loaded from (None if from text or code)."""
        return self._source_path

    def discovery(self, discovery_id: str) -> Discovery:
        """The discovery with this id (KeyError if none)."""
        for d in self.discoveries:
            if d.id == discovery_id:
                return d
        raise KeyError(discovery_id)

    def trust_change(self, label: str) -> float:
        """Trust change for a label before buyer.trust.speed: the scenario's, else the default."""
        value = getattr(self.trust, label, None)
        return DEFAULT_TRUST_CHANGES.get(label, 0.0) if value is None else value

    def trust_changes(self) -> dict[str, float]:
        """Every label's trust change before buyer.trust.speed."""
        return {label: self.trust_change(label) for label in LABELS}


# ---------------------------------------------------------------------------
# Cross-field checks: return (location, message) pairs
# ---------------------------------------------------------------------------

Loc = tuple[Any, ...]


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # A key is as the file wrote it: show its control characters, never obey them.
            out += ("." if out else "") + escape_controls(str(part), keep="")
    return out or "(top level)"


def cross_check(s: Scenario) -> list[tuple[Loc, str]]:
    """Checks that span fields: duplicate and unknown ids, cycles, ranges that depend on each other."""
    problems: list[tuple[Loc, str]] = []
    first_index: dict[str, int] = {}
    for i, d in enumerate(s.discoveries):
        if d.id in first_index:
            problems.append(
                (("discoveries", i, "id"), f"duplicate discovery id '{d.id}' (first used by discoveries[{first_index[d.id]}])")
            )
        else:
            first_index[d.id] = i
    known = list(first_index)

    def unknown(ref: str) -> str:
        msg = f"unknown discovery id '{ref}'"
        close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
        if close:
            msg += f"; did you mean '{close[0]}'?"
        else:
            msg += f" (known: {', '.join(known)})"
        return msg

    for i, d in enumerate(s.discoveries):
        for j, ref in enumerate(d.requires.after):
            if ref == d.id:
                if first_index[d.id] != i:
                    continue  # already reported as a duplicate id
                problems.append((("discoveries", i, "requires", "after", j), f"'{ref}' cannot require itself"))
            elif ref not in first_index:
                problems.append((("discoveries", i, "requires", "after", j), unknown(ref)))

    # A cycle in `after` makes every discovery on it impossible to reveal.
    graph = {d.id: [r for r in d.requires.after if r in first_index and r != d.id] for d in s.discoveries}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    i = first_index[node]
                    j = s.discoveries[i].requires.after.index(nxt)
                    problems.append(
                        (("discoveries", i, "requires", "after", j), "cycle in requires.after: " + " -> ".join(cycle))
                    )
            elif state.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for d in s.discoveries:
        if d.id not in state:
            visit(d.id, [])

    if s.buyer.trust.start <= s.ending.walkout_below:
        problems.append(
            (
                ("buyer", "trust", "start"),
                f"starting trust {s.buyer.trust.start:g} must be above ending.walkout_below "
                f"({s.ending.walkout_below:g}), or the buyer walks out before the first turn",
            )
        )
    if all(w == 0 for w in s.scoring.model_dump().values()):
        problems.append((("scoring",), "at least one scoring weight must be above 0"))
    if sum(d.weight for d in s.discoveries) == 0:
        problems.append((("discoveries", 0, "weight"), "at least one discovery weight must be above 0"))

    seen_tests: dict[str, int] = {}
    for t_i, t in enumerate(s.tests):
        if t.name in seen_tests:
            problems.append((("tests", t_i, "name"), f"duplicate test name '{t.name}' (first used by tests[{seen_tests[t.name]}])"))
        else:
            seen_tests[t.name] = t_i
        for key in ("revealed", "not_revealed"):
            for j, ref in enumerate(getattr(t.expect, key)):
                if ref not in first_index:
                    problems.append((("tests", t_i, "expect", key, j), unknown(ref)))
        both = set(t.expect.revealed) & set(t.expect.not_revealed)
        for j, ref in enumerate(t.expect.not_revealed):
            if ref in both:
                problems.append((("tests", t_i, "expect", "not_revealed", j), f"'{ref}' is also in expect.revealed"))
        for key in ("trust", "score"):
            b = getattr(t.expect, key)
            if b is not None:
                if b.min is None and b.max is None:
                    problems.append((("tests", t_i, "expect", key), "give min, max or both"))
                elif b.min is not None and b.max is not None and b.min > b.max:
                    problems.append((("tests", t_i, "expect", key, "min"), f"min {b.min:g} is above max {b.max:g}"))
    return problems


# ---------------------------------------------------------------------------
# Errors, loader, discovery, schema, template: below
# ---------------------------------------------------------------------------


class ScenarioError(Exception):
    """A scenario file that cannot be used. ``.messages`` holds one line per problem:
    ``FILE:LINE:COL: path.to.field: message`` (``FILE:LINE:COL: message`` for
    problems of the file as a whole, such as its size or a YAML syntax error)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "\n".join(self.messages)


@dataclass
class ScenarioRef:
    """A scenario found on disk, for lists: enough to show it without keeping the model."""

    id: str
    title: str
    difficulty: str
    tags: list[str]
    buyer: str
    path: Path
    source: Literal["builtin", "user"]
    error: str | None = None
    buyer_role: str = ""
    company: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (path as a string)."""
        return {
            "id": self.id,
            "title": self.title,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "buyer": self.buyer,
            "buyer_role": self.buyer_role,
            "company": self.company,
            "path": str(self.path),
            "source": self.source,
            "error": self.error,
        }


# ---------------------------------------------------------------------------
# Loader: yaml.safe_load semantics, with positions and limits on hostile input
# ---------------------------------------------------------------------------

#: Files above this size are refused before parsing (a scenario is a few KB).
MAX_BYTES = 1024 * 1024
#: At most this many aliases (*name) in one file: enough to reuse lines, too few for a bomb.
MAX_ALIASES = 200
#: At most this many YAML nodes, counting every alias as the nodes it stands for.
MAX_NODES = 20_000
#: At most this deep nesting of mappings and lists.
MAX_DEPTH = 50


class _Refused(Exception):
    """Raised inside the loader when input breaks a limit; carries the YAML mark."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that counts what it composes, so alias bombs, deep nesting and
    recursive aliases stop early with a position instead of eating memory or stack."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._nodes = 0
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise _Refused(event.start_mark, f"alias *{event.anchor} refers to the node that contains it (a recursive alias)")
            node = super().compose_node(parent, index)
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(event.start_mark, f"more than {MAX_ALIASES} aliases (*name): refusing a possible alias bomb")
            self._nodes += self._sizes.get(id(node), 1)
            if self._nodes > MAX_NODES:
                raise _Refused(
                    event.start_mark,
                    f"aliases expand to more than {MAX_NODES} YAML nodes: refusing a possible alias bomb",
                )
            return node
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        if anchor:
            self._open_anchors.add(anchor)
        before = self._nodes
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor:
                self._open_anchors.discard(anchor)
        self._nodes += 1
        self._sizes[id(node)] = self._nodes - before
        if self._nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"more than {MAX_NODES} YAML nodes: too large for a scenario")
        return node


_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class _Parsed:
    data: Any
    values: dict[Loc, Any]  # loc -> mark of the value node
    keys: dict[Loc, Any]  # loc -> mark of the key node
    key_text: dict[Loc, str]  # loc -> the key as written
    scalar_text: dict[Loc, str]  # loc -> a scalar value as written
    problems: list[tuple[Any, Loc, str]]  # (mark, loc, message) found while reading


def _walk(loader: _LineLoader, node: Any, loc: Loc, parsed: _Parsed) -> None:
    parsed.values.setdefault(loc, node.start_mark)
    if isinstance(node, MappingNode):
        seen: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _MERGE_TAG or not isinstance(knode, ScalarNode):
                continue  # merged fields keep their parent's position; complex keys fail in the constructor
            key = loader.construct_object(knode)
            try:
                hash(key)
            except TypeError:
                continue
            sub = loc + (key,)
            if key in seen:
                parsed.problems.append(
                    (knode.start_mark, sub, f"duplicate key '{knode.value}' (first at line {seen[key].line + 1})")
                )
                continue
            seen[key] = knode.start_mark
            parsed.keys[sub] = knode.start_mark
            parsed.key_text[sub] = str(knode.value)
            if not isinstance(key, str):
                # pydantic may name a non-text key (1, true, null) by its str()
                parsed.keys.setdefault(loc + (str(key),), knode.start_mark)
                parsed.key_text.setdefault(loc + (str(key),), str(knode.value))
            _walk(loader, vnode, sub, parsed)
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _walk(loader, child, loc + (i,), parsed)
    elif isinstance(node, ScalarNode):
        parsed.scalar_text[loc] = str(node.value)


def _line_col_of(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _syntax_hint(problem: str) -> str:
    """A hint for the YAML mistakes trainers make most."""
    if "'\\t'" in problem or "'\t'" in problem:
        return "; indent with spaces, not tabs"
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return "; check the indentation and quotes here and on the line before"
    if "mapping values are not allowed" in problem:
        return "; a line containing ': ' needs quotes around it"
    return ""


def _parse(text: str, name: str) -> _Parsed:
    """Parse YAML text into Python data plus the position of every key and value."""
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text)  # the reader checks for control characters here
        loader.name = name
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([f"{name}:1:1: the file is empty; start from `coach scenario new TITLE`"])
        parsed = _Parsed(None, {}, {}, {}, {}, [])
        _walk(loader, node, (), parsed)
        parsed.data = loader.construct_document(node)
        return parsed
    except _Refused as exc:
        raise ScenarioError([f"{name}:{exc.mark.line + 1}:{exc.mark.column + 1}: {exc.message}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.context_mark is not None:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        problem += _syntax_hint(exc.problem or "")
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"
        raise ScenarioError([f"{name}:{where}: YAML syntax error: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col_of(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else 0
        raise ScenarioError(
            [f"{name}:{line}:{col}: control character #x{char:04x} is not allowed in YAML; is this a text file?"]
        ) from None
    except yaml.YAMLError as exc:  # anything else PyYAML raises
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError([f"{name}:1:1: YAML error: {first}"]) from None
    except RecursionError:
        raise ScenarioError([f"{name}:1:1: nested too deeply to read"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional from a type annotation."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin is Union or origin is types.UnionType:
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class whose fields live at loc (None if loc is not a model)."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if get_origin(tp) is list:
                tp = get_args(tp)[0]
            else:
                return None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _position(parsed: _Parsed, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    if key and loc in parsed.keys:
        mark = parsed.keys[loc]
        return mark.line + 1, mark.column + 1
    probe = loc
    while True:
        if probe in parsed.values:
            # A value's own line; for a mapping or list that starts on the next
            # line, the key that introduces it reads better.
            mark = parsed.values[probe]
            if probe in parsed.keys and probe != loc:
                mark = parsed.keys[probe]
            return mark.line + 1, mark.column + 1
        if not probe:
            return 1, 1
        probe = probe[:-1]


_YAML_TYPES = {bool: "true/false", int: "a number", float: "a number"}


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _friendly(err: dict[str, Any], parsed: _Parsed) -> tuple[Loc, str, bool]:
    """Turn one pydantic error into (loc, message, point_at_key)."""
    loc = tuple(err["loc"])
    typ = err["type"]
    msg = err["msg"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if typ == "missing":
        return loc, "required field missing", False
    if typ == "invalid_key":
        # YAML read the key as a number, true/false or null: report it as written.
        name = parsed.key_text.get(loc, str(loc[-1]) if loc else "?")
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return loc[:-1] + (name,), f"unknown field '{escape_controls(name, keep='')}'{hint}", True
    if typ == "extra_forbidden":
        name = escape_controls(parsed.key_text.get(loc, str(loc[-1])), keep="")
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        if close:
            return loc, f"unknown field '{name}'; did you mean '{close[0]}'?", True
        return loc, f"unknown field '{name}' (allowed: {', '.join(allowed)})", True
    written = parsed.scalar_text.get(loc)
    if typ == "string_type" and type(value) in _YAML_TYPES:
        shown = written if written is not None else _describe(value)
        return loc, f"must be text, but YAML reads {shown} as {_YAML_TYPES[type(value)]}: put it in quotes", False
    if typ == "string_type" and isinstance(value, dict):
        return loc, "must be text, but YAML read a 'key: value' pair: put the line in quotes (it contains ': ')", False
    if typ == "string_type" and value is None:
        return loc, "must be text, but it is empty", False
    if typ == "list_type":
        if isinstance(value, str):
            return loc, "must be a list: write each item on its own line starting with '- ', or [\"a\", \"b\"]", False
        return loc, f"must be a list, not {_describe(value)}", False
    if typ in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"must be a mapping of fields (key: value lines), not {_describe(value)}", False
    if typ == "string_pattern_mismatch":
        return loc, f"{_describe(value)} is not an id: use lowercase letters and digits, words joined by '-'", False
    if typ == "too_short":
        n = ctx.get("min_length", 1)
        return loc, f"must have at least {n} item{'s' if n != 1 else ''}", False
    if typ in ("bool_type", "bool_parsing"):
        return loc, f"must be true or false (got {_describe(value)})", False
    if typ == "literal_error":
        return loc, f"must be {ctx.get('expected', '')} (got {_describe(value)})", False
    if typ == "value_error":
        return loc, msg.removeprefix("Value error, "), False
    msg = msg.replace("Input should be", "must be", 1).replace("String should", "must", 1)
    if typ in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg += f" (got {_describe(value)})"
    return loc, msg, False


def _validate(parsed: _Parsed, name: str, text: str, path: Path | None) -> Scenario:
    data = parsed.data

    def fmt(line: int, col: int, loc: Loc, msg: str) -> str:
        return f"{name}:{line}:{col}: {_dotted(loc)}: {msg}" if loc else f"{name}:{line}:{col}: {msg}"

    if not isinstance(data, dict):
        kind = {list: "a list", str: "a single text", type(None): "empty"}.get(type(data), f"a {type(data).__name__}")
        line, col = _position(parsed, ())
        raise ScenarioError(
            [f"{name}:{line}:{col}: the top level must be a mapping of fields (version: 1, id: ..., title: ...), not {kind}"]
        )
    version = data.get("version")
    if "version" in data and not (type(version) is int and version == FORMAT_VERSION):
        line, col = _position(parsed, ("version",))
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            msg = f"unsupported version {parsed.scalar_text.get(('version',), version)}: this coach reads version {FORMAT_VERSION}"
        elif isinstance(version, str):
            msg = f"must be the number {FORMAT_VERSION}, not the text {version!r}: remove the quotes"
        elif version is None:
            msg = f"must be {FORMAT_VERSION}, but it is empty"
        else:
            msg = f"must be {FORMAT_VERSION} (got {parsed.scalar_text.get(('version',), _describe(version))})"
        raise ScenarioError([fmt(line, col, ("version",), msg)])

    found: list[tuple[int, int, str]] = []
    for mark, loc, msg in parsed.problems:
        found.append((mark.line + 1, mark.column + 1, fmt(mark.line + 1, mark.column + 1, loc, msg)))
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data, context={"_skip_cross_checks": True})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key also makes the field it meant "missing": report the
        # misspelling alone, since its did-you-mean names the missing field.
        missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
        explained: set[Loc] = set()
        for e in errors:
            if e["type"] == "extra_forbidden":
                parent = tuple(e["loc"])[:-1]
                model = _model_at(parent)
                written = parsed.key_text.get(tuple(e["loc"]), str(e["loc"][-1]))
                if model:
                    close = difflib.get_close_matches(written, list(model.model_fields), n=1, cutoff=0.6)
                    if close and parent + (close[0],) in missing:
                        explained.add(parent + (close[0],))
        for err in errors:
            if err["type"] == "missing" and tuple(err["loc"]) in explained:
                continue
            loc, msg, at_key = _friendly(err, parsed)
            if err["type"] == "missing":
                line, col = _position(parsed, loc[:-1], key=True)
            elif err["type"] == "invalid_key":
                line, col = _position(parsed, tuple(err["loc"]), key=True)
            else:
                line, col = _position(parsed, loc, key=at_key)
            found.append((line, col, fmt(line, col, loc, msg)))
    if scenario is not None:
        for loc, msg in cross_check(scenario):
            line, col = _position(parsed, loc)
            found.append((line, col, fmt(line, col, loc, msg)))
    if found:
        found.sort(key=lambda t: (t[0], t[1]))
        messages: list[str] = []
        for _, _, m in found:
            if m not in messages:
                messages.append(m)
        raise ScenarioError(messages)
    assert scenario is not None
    scenario._source_text = text
    scenario._source_path = path
    return scenario


def _too_big(name: str, size: int | None) -> str:
    what = f"{size / (1024 * 1024):.1f} MB" if size else "too large"
    return f"{name}:1:1: {what}: scenario files are limited to {MAX_BYTES // 1024} KB; is this the right file?"


def load_scenario_text(text: str, name: str = "<string>", *, path: Path | None = None) -> Scenario:
    """Validate a scenario from YAML text; ``name`` is used in error messages.

    Raises ScenarioError with one ``NAME:LINE:COL: field: message`` line per problem.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([_too_big(name, len(text.encode("utf-8", "surrogatepass")))])
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col_of(text, nul)
        raise ScenarioError([f"{name}:{line}:{col}: binary data (a NUL byte): not a YAML text file"])
    text = text.removeprefix("\ufeff")
    parsed = _parse(text, name)
    return _validate(parsed, name, text, path)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Files above MAX_BYTES, binary files and text that is not UTF-8 are refused
    before parsing. Raises ScenarioError (one line per problem, each starting
    with the file name, line and column).
    """
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise ScenarioError([f"{name}: is a directory, not a scenario file"])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([_too_big(name, size)])
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # a device or pipe may report size 0
    except FileNotFoundError:
        raise ScenarioError([f"{name}: no such file"]) from None
    except PermissionError:
        raise ScenarioError([f"{name}: permission denied"]) from None
    except OSError as exc:
        raise ScenarioError([f"{name}: cannot read: {exc.strerror or exc}"]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([_too_big(name, None)])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise ScenarioError([f"{name}:{line}:{col}: binary data (a NUL byte): not a YAML text file"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [f"{name}:{line}:{col}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"]
        ) from None
    return load_scenario_text(text, name, path=path)


# ---------------------------------------------------------------------------
# Warnings: valid, but weaker than it could be (`coach scenario validate --strict`)
# ---------------------------------------------------------------------------


def lint(s: Scenario) -> list[tuple[Loc, str]]:
    """Things that are valid but make a weaker role-play: (location, message) pairs."""
    out: list[tuple[Loc, str]] = []
    empty = [key for key in LABELS if not s.reactions.lines(key)]
    if empty:
        out.append(
            (("reactions",), f"no lines for {', '.join(empty)}: the buyer answers {'these' if len(empty) > 1 else 'it'} with fallback lines")
        )
    for key in LABELS:
        if len(s.reactions.lines(key)) == 1:
            out.append((("reactions", key), "only one line: add a variant, or the buyer falls back after using it once"))
    for key in ("fallback", "curt"):  # walkout is said once: one line is enough
        if len(s.reactions.lines(key)) < 2:
            out.append((("reactions", key), "only one line: add variants, or the buyer repeats generic acknowledgements"))
    for i, d in enumerate(s.discoveries):
        if len(d.examples) < 2:
            out.append(
                (("discoveries", i, "examples"), "only one example: add 2-3 phrasings so paraphrases are recognised")
            )
    if s.ending.max_turns < s.brief.turns:
        out.append(
            (("ending", "max_turns"), f"the session ends ({s.ending.max_turns} turns) before the brief's expected length ({s.brief.turns})")
        )
    if not s.tests:
        out.append((("tests",), "no tests: add a consultative and a pushy script under tests:"))
    for i, t in enumerate(s.tests):
        e = t.expect
        if not (e.revealed or e.not_revealed or e.trust or e.score or e.ended is not None):
            out.append((("tests", i, "expect"), "expects nothing: this test cannot fail"))
    return out


def scenario_warnings(scenario: Scenario, name: str | None = None) -> list[str]:
    """lint() as ``FILE:LINE:COL: field: warning: message`` lines, positioned in the source text."""
    name = name or (str(scenario.source_path) if scenario.source_path else "<string>")
    problems = lint(scenario)
    if not problems:
        return []
    try:
        parsed = _parse(scenario.source_text, name) if scenario.source_text else None
    except ScenarioError:
        parsed = None
    found = []
    for loc, msg in problems:
        line, col = _position(parsed, loc, key=True) if parsed else (1, 1)
        found.append((line, col, f"{name}:{line}:{col}: {_dotted(loc)}: warning: {msg}"))
    found.sort(key=lambda t: (t[0], t[1]))
    return [m for _, _, m in found]


# ---------------------------------------------------------------------------
# Finding scenarios
# ---------------------------------------------------------------------------


def builtin_scenarios() -> list[Path]:
    """The built-in scenario files shipped with coach, sorted by name."""
    from coach.paths import builtin_scenarios_dir

    d = builtin_scenarios_dir()
    return sorted(p for p in d.glob("*.yaml") if p.is_file())


def _user_scenario_files() -> list[Path]:
    from coach.paths import user_scenarios_dir

    d = user_scenarios_dir()
    try:
        if not d.is_dir():
            return []
        return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:  # unreadable directory: list what we can (the built-ins)
        return []


def _ref(path: Path, source: Literal["builtin", "user"]) -> ScenarioRef:
    try:
        s = load_scenario(path)
    except ScenarioError as exc:
        return ScenarioRef(
            id=path.stem, title=path.stem, difficulty="", tags=[], buyer="", path=path, source=source,
            error=exc.messages[0] if exc.messages else "invalid scenario",
        )
    return ScenarioRef(
        id=s.id, title=s.title, difficulty=s.difficulty, tags=list(s.tags), buyer=s.buyer.name,
        path=path, source=source, buyer_role=s.buyer.role, company=s.buyer.company,
    )


def discover_scenarios() -> list[ScenarioRef]:
    """Built-in scenarios, then the user's (coach.paths.user_scenarios_dir()).

    A file that does not load is listed with ``error`` set (its first message).
    A user scenario whose id is already taken gets an error too: sessions are
    stored by id, so two scenarios with one id would mix their histories.
    """
    builtins = builtin_scenarios()
    same = {p.resolve() for p in builtins}
    refs = [_ref(p, "builtin") for p in builtins]
    # COACH_SCENARIOS may point at the built-ins themselves (a trainer working in a checkout).
    refs += [_ref(p, "user") for p in _user_scenario_files() if p.resolve() not in same]
    owner: dict[str, ScenarioRef] = {}
    for ref in refs:
        if ref.error:
            continue
        if ref.id in owner:
            ref.error = f"{ref.path}: id '{ref.id}' is already used by {owner[ref.id].path}"
        else:
            owner[ref.id] = ref
    return refs


# ---------------------------------------------------------------------------
# JSON Schema and the template
# ---------------------------------------------------------------------------


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, for editors' YAML language servers."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://coach.invalid/schema/scenario-v1.json",
        **schema,
        "title": "coach scenario (format v1)",
    }


def slugify(title: str) -> str:
    """An id from a title: 'After the Outage!' -> 'after-the-outage'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:64].strip("-") or "my-scenario"


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar for any text."""
    import json

    return json.dumps(text, ensure_ascii=False)


_TEMPLATE = """\
# A coach scenario: one role-play with a simulated buyer.
# Check it with:  coach scenario validate {filename}
#                 (add --strict to flag thin spots too: single variants, no tests...)
# Run its tests:  coach scenario test {filename}
# Editor help:    coach scenario schema > coach-scenario.schema.json
#                 and put this first line at the top of the file:
#                 # yaml-language-server: $schema=coach-scenario.schema.json
# Reference: docs/scenario-format.md. Lines marked "optional" may be deleted.

version: 1                 # format version; only 1 exists
id: {id}         # lowercase letters, digits, dashes; sessions are stored by it
title: {title}
difficulty: medium         # easy | medium | hard
tags: [example]            # optional: keywords for filtering

# What the rep reads before the buyer speaks.
brief:
  situation: >-
    Who the buyer is, what has happened to them, and why the rep is meeting
    them today. Two or three sentences.
  goal: >-
    What a good conversation achieves: what the rep should understand and
    what next step would be worth both sides' time.
  turns: 12                # optional: expected length in rep turns (a guide, 1-100)

# Who the simulated buyer is.
buyer:
  name: Sam Taylor
  role: Operations Director
  company: Example Ltd
  personality: >-
    How the buyer behaves and why: busy, polite, wary of vendors after a bad
    experience last year.
  tone: guarded            # optional: one word or short phrase
  opening: "Thanks for coming in. What did you want to talk about?"
  trust:                   # optional
    start: 35              # 0-100: where trust starts (must be above ending.walkout_below)
    speed: 1.0             # 0.1-3.0: multiplier on every trust change

# Hidden facts. The buyer reveals one only when the rep asks about its topic
# and meets its `requires`; otherwise the buyer answers with a `guarded` line.
discoveries:
  - id: main-problem       # unique; tests and `after` refer to it
    topic: the problem that keeps the buyer up at night
    examples:              # rep questions on this topic; paraphrases are recognised too
      - What's the biggest challenge your team is facing right now?
      - What keeps you up at night at the moment?
    reveal:                # what the buyer says when revealing it (variants rotate)
      - "Honestly, we can't ship on time since we lost two planners."
    guarded:               # what the buyer says when asked badly or too early
      - "We have the usual challenges."
    requires:              # optional; every condition must hold
      open_question: true  # asked with an open question (not closed, not leading)
      min_trust: 30        # trust at least this (0-100)
    weight: 2              # optional: share of the discovery score (default 1)

  - id: real-cost
    topic: what the problem costs the business
    examples:
      - What does that cost you when it happens?
      - How does that show up for your customers?
    reveal:
      - "We paid penalties on three contracts last quarter."
      - "Our biggest customer has started asking about other suppliers."
    guarded:
      - "It costs us, like it would anyone."
    requires:
      min_trust: 45
      after: [main-problem]  # revealed only once main-problem is
    volunteer: false       # optional: may a trusting buyer offer it unasked? (default true)

# Buyer lines per analyser label (see LABELS.md). Variants rotate and a line is
# never said twice in a session, so write 2-3 per label; a label with no lines
# uses `fallback`. `curt` is used when trust is low, `walkout` when the
# buyer ends the meeting. fallback, curt and walkout need at least one line.
reactions:
  open_question: ["Where do I start...", "Let me think about that."]
  closed_question: ["Yes.", "No, not really."]
  leading_question: ["You'd like me to say yes to that, wouldn't you?", "Is that a real question?"]
  curiosity: ["That's a fair question.", "Good question, actually."]
  follow_up: ["Right, and that's the part that worries me.", "Yes, that's the thread to pull."]
  reflection: ["Yes, that's it exactly.", "That's a fair summary."]
  empathy: ["Thanks. It has been a long few months.", "Yeah. It's not been easy."]
  mutual_success: ["I'd appreciate that honesty.", "Fair enough. Same here."]
  self_interested: ["We're a long way from talking about budget.", "Let's not talk about who signs yet."]
  pitching: ["Every vendor tells me that.", "I didn't ask about your product."]
  pressure: ["Please don't tell me what I need.", "I'll decide what's urgent."]
  checklist: ["Is this an interview?", "You're reading from a list."]
  fallback: ["Go on.", "Mm."]
  curt: ["Right.", "Sure."]
  walkout: ["I don't think this is going anywhere. Let's stop here."]

# Optional: trust change per label (-50 to 50); unset labels use the defaults
# in coach/scenario.py (DEFAULT_TRUST_CHANGES). Multiplied by buyer.trust.speed.
trust:
  pitching: -8
  empathy: 6

# How the session ends.
ending:
  max_turns: 20            # optional: rep turns before the session ends (1-200)
  walkout_below: 10        # optional: the buyer leaves when trust falls to this (0-100)
  next_step:               # optional: an agreed next step ends the session well
    examples: ["Could we set up an hour with your planners next week?"]
    min_trust: 60          # the buyer agrees only with at least this trust
    reply: ["Fine. Send me a couple of times."]
    declined: ["Let's not get ahead of ourselves."]

# Optional: weights of the scorecard's parts (>= 0, normalised to sum to 1).
scoring:
  discovery: 0.4
  questions: 0.2
  listening: 0.2
  relationship: 0.2

# Scripted tests, run by `coach scenario test`: the rep's lines in order, and
# what must hold at the end.
tests:
  - name: consultative rep finds the problem
    script:
      - "Thanks for making the time. What's been on your plate this quarter?"
      - "That sounds like a lot. What's the biggest challenge your team is facing?"
    expect:
      revealed: [main-problem]
      ended: false
  - name: pushy rep learns nothing
    script:
      - "Our platform is the market leader. What's your budget?"
      - "Trust me, you need this. Can we sign by Friday?"
    expect:
      not_revealed: [main-problem, real-cost]
      score: {{max: 40}}
"""


def template(title: str, filename: str = "FILE.yaml") -> str:
    """A commented scenario template that validates and teaches the format."""
    title = " ".join(title.split()) or "My scenario"
    sid = slugify(title)
    return _TEMPLATE.format(id=f"{sid:<16}", title=_yaml_str(title), filename=filename)
