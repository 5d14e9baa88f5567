"""The scenario format's pydantic models: the single source of truth.

The loader validates with them, `coach scenario schema` prints their JSON
Schema, and the buyer, the scorer and the app read the validated objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema

from coach.labels import LABELS

#: The newest format version; every older one still loads unchanged.
FORMAT_VERSION = 2
#: Versions this code reads. Version 2 adds facts, objections, surface and
#: follow-up lines, lines that wait for a discovery, and difficulty defaults.
FORMAT_VERSIONS = (1, 2)

#: How quickly trust moves (buyer.trust.speed) when a file does not say, by difficulty.
DIFFICULTY_SPEED: dict[str, float] = {"easy": 1.25, "medium": 1.0, "hard": 0.8}
#: A discovery's gate when it sets no requires.min_trust: this many points
#: above the buyer's starting trust, by difficulty (a hard buyer must be won
#: over a little before telling anything hidden).
DIFFICULTY_GATE: dict[str, float] = {"easy": 0.0, "medium": 5.0, "hard": 10.0}
#: next_step.min_trust when a file does not say, by difficulty.
DIFFICULTY_NEXT_STEP: dict[str, float] = {"easy": 50.0, "medium": 60.0, "hard": 70.0}

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
EXTRA_REACTIONS: tuple[str, ...] = ("fallback", "curt", "walkout", "small_talk", "unknown", "repeat")

#: Label keys whose lines the rule buyer (coach/buyer/director.py) never says:
#: a closed question is answered by its topic (a fact, a holding line or
#: `unknown`), and curiosity earns trust rather than a line. They stay in the
#: format for language-model voices, but `validate --strict` does not ask for them.
UNSAID_REACTIONS: tuple[str, ...] = ("closed_question", "curiosity")

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


def _said(value: Any) -> Any:
    """A plain line of text is a Said with no condition."""
    if isinstance(value, str):
        return {"say": value}
    if isinstance(value, dict) and "say" not in value and len(value) == 1:
        # `- Fewer meetings: fewer problems.` unquoted reads as a mapping
        raise ValueError("must be text, but YAML read a 'key: value' pair: put the line in quotes (it contains ': ')")
    if isinstance(value, dict) or isinstance(value, BaseModel):
        return value
    raise ValueError("must be a line of text, or a mapping {say: ..., if_revealed: [...]}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Said(_Model):
    """A buyer line; with ``if_revealed``, said only once those discoveries have
    come out (a line that refers to something said earlier). In YAML a plain
    line is enough; write ``{say: "...", if_revealed: [id]}`` for a condition."""

    say: Line
    """What the buyer says."""

    if_revealed: list[Slug] = Field(default_factory=list)
    """Discovery ids that must be revealed before this line can be said (format 2)."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return _said(value)

    def ready(self, revealed: Any) -> bool:
        return all(i in revealed for i in self.if_revealed)


#: A list of buyer lines: plain text, or {say, if_revealed} (format 2).
SaidLines = Annotated[
    list[Said],
    WithJsonSchema({
        "type": "array",
        "items": {"anyOf": [
            {"type": "string", "minLength": 1, "pattern": r"\S"},
            {"type": "object", "additionalProperties": False, "required": ["say"], "properties": {
                "say": {"type": "string", "minLength": 1, "pattern": r"\S"},
                "if_revealed": {"type": "array", "items": {"type": "string", "pattern": _SLUG}},
            }},
        ]},
    }),
]


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

    speed: float | None = Field(default=None, ge=0.1, le=3.0)
    """Multiplier on every trust change, 0.1-3.0: below 1 a slow-to-warm buyer, above 1 a volatile one. Default by difficulty: easy 1.25, medium 1.0, hard 0.8."""


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

    min_trust: float | None = Field(default=None, ge=0, le=100)
    """The buyer's trust must be at least this, 0-100. Default by difficulty: the starting trust on easy, 5 above it on medium, 10 above it on hard."""

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

    reveal: SaidLines = Field(min_length=1)
    """What the buyer says when revealing the fact (1 or more variants)."""

    guarded: SaidLines = Field(min_length=1)
    """What the buyer says when asked about the topic without meeting `requires` (1 or more variants): the holding line."""

    surface: SaidLines = Field(default_factory=list)
    """What the buyer says to a generic prompt on this topic ("tell me more", "what are your goals?"): an answer that tells nothing hidden (format 2; default: the guarded lines)."""

    more: SaidLines = Field(default_factory=list)
    """Detail the buyer adds when the rep follows up on the fact once it is out (format 2; default: the other reveal variants)."""

    requires: Requires = Field(default_factory=Requires)
    """Conditions for revealing the fact (all optional)."""

    weight: float = Field(default=1.0, ge=0, le=100)
    """Share of the discovery score, >= 0 (default 1). Weights are relative to the other discoveries'."""

    volunteer: bool = True
    """May a trusting buyer offer this fact unasked, after a related one? (default true)"""


class Fact(_Model):
    """A plain fact the buyer knows and tells anyone who asks (bed counts, the
    renewal date, the CRM they run): nothing hidden, no gate (format 2)."""

    id: Slug
    """Unique among the scenario's facts."""

    topic: Line
    """What the fact is about, in a phrase ("how many beds the trust runs")."""

    examples: list[Line] = Field(min_length=1)
    """Rep questions that ask for it (1 or more); paraphrases are recognised by meaning."""

    answer: SaidLines = Field(min_length=1)
    """What the buyer says (1 or more variants)."""


class Objection(_Model):
    """A concern the buyer raises, and presses until the rep handles it: by
    acknowledging it and exploring it, not by arguing or pitching (format 2)."""

    id: Slug
    """Unique among the scenario's objections."""

    topic: Line
    """What the concern is about, in a phrase ("the cost of switching mid-contract")."""

    when: Literal["pitch", "next_step", "asked", "turn"] = "pitch"
    """When the buyer raises it: at the rep's first pitch (default), when the rep proposes the next step, when the rep brings the concern up (a question about it, or a statement of it), or at rep turn `turn`."""

    turn: int | None = Field(default=None, ge=1, le=200)
    """The rep turn after which it is raised, for `when: turn`."""

    lines: SaidLines = Field(min_length=1)
    """What the buyer says when raising it (1 or more variants)."""

    press: SaidLines = Field(min_length=1)
    """What the buyer says while it is not handled (1 or more variants)."""

    handled_by: list[Line] = Field(min_length=1)
    """Rep lines that handle it well (acknowledge and explore); recognised by meaning. A handling turn must also not push or pitch."""

    concede: SaidLines = Field(min_length=1)
    """What the buyer says once it is handled (1 or more variants)."""


class Reactions(_Model):
    """Buyer lines per analyser label; variants rotate so the buyer does not repeat itself.

    A label with no lines falls back to `fallback`. `curt` follows the reaction
    (and replaces every other reply) while the buyer is cold; `walkout` is said
    when the buyer ends the meeting.
    """

    open_question: list[Line] = Field(default_factory=list)
    """Said to an open question (when no discovery is asked about)."""

    closed_question: list[Line] = Field(default_factory=list)
    """Not said by the rule buyer (a closed question is answered by its topic: a fact, a holding line, or `unknown`); kept for language-model voices."""

    leading_question: list[Line] = Field(default_factory=list)
    """Said to a leading question: the buyer sees through it."""

    curiosity: list[Line] = Field(default_factory=list)
    """Not said by the rule buyer (curiosity earns trust rather than a line); kept for language-model voices."""

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
    """Said while the buyer is cold: after a bad turn's reaction, and instead of other replies (1 or more)."""

    walkout: list[Line] = Field(min_length=1)
    """Said when the buyer ends the meeting (1 or more)."""

    small_talk: list[Line] = Field(default_factory=list)
    """Said to a greeting, thanks or logistics (format 2; default: short neutral replies)."""

    unknown: list[Line] = Field(default_factory=list)
    """Said to a factual question about something the scenario does not say (format 2; default: "I'd have to check that.")."""

    repeat: list[Line] = Field(default_factory=list)
    """Said when the rep asks or says the same thing again (format 2; default: "You asked me that a minute ago.")."""

    def lines(self, key: str) -> list[str]:
        """The lines for a label or extra key (empty if none are written)."""
        return list(getattr(self, key))


class TrustChanges(_Model):
    """Trust change per analyser label found in a rep turn, -50 to 50.

    Unset labels use DEFAULT_TRUST_CHANGES in coach/scenario/models.py. Every change is
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

    min_trust: float | None = Field(default=None, ge=0, le=100)
    """The buyer agrees only with trust at least this, 0-100; below it they use `declined`. Default by difficulty: easy 50, medium 60, hard 70."""

    reply: list[Line] = Field(min_length=1)
    """What the buyer says when agreeing (1 or more variants)."""

    declined: list[Line] = Field(default_factory=list)
    """What the buyer says to a next step proposed too early (default: a curt or fallback line)."""

    after: list[Slug] = Field(default_factory=list)
    """Discovery ids the rep must have uncovered before the buyer agrees (format 2; default none)."""


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

    Unset parts use DEFAULT_SCORING_WEIGHTS in coach/scenario/models.py.
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

    version: Literal[1, 2]
    """Format version: 1 or 2 (2 adds facts, objections, surface and follow-up lines, conditional lines and difficulty defaults)."""

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

    facts: list[Fact] = Field(default_factory=list)
    """Plain facts the buyer tells anyone who asks (format 2)."""

    objections: list[Objection] = Field(default_factory=list)
    """Concerns the buyer raises and presses until they are handled (format 2)."""

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
        from coach.scenario.checks import cross_check, dotted

        problems = cross_check(self)
        if problems:
            raise ValueError("; ".join(f"{dotted(loc)}: {msg}" for loc, msg in problems))
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

    @property
    def trust_speed(self) -> float:
        """buyer.trust.speed, else the default for the difficulty."""
        speed = self.buyer.trust.speed
        return DIFFICULTY_SPEED[self.difficulty] if speed is None else speed

    def gate(self, discovery: Discovery) -> float:
        """The trust a discovery needs: its requires.min_trust, else the default for the difficulty."""
        m = discovery.requires.min_trust
        return self.buyer.trust.start + DIFFICULTY_GATE[self.difficulty] if m is None else m

    @property
    def next_step_trust(self) -> float:
        """The trust the next step needs: next_step.min_trust, else the default for the difficulty."""
        ns = self.ending.next_step
        m = ns.min_trust if ns is not None else None
        return DIFFICULTY_NEXT_STEP[self.difficulty] if m is None else m

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (KeyError if none)."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)

    def objection(self, objection_id: str) -> Objection:
        """The objection with this id (KeyError if none)."""
        for o in self.objections:
            if o.id == objection_id:
                return o
        raise KeyError(objection_id)

    def trust_change(self, label: str) -> float:
        """Trust change for a label before buyer.trust.speed: the scenario's, else the default."""
        value = getattr(self.trust, label, None)
        return DEFAULT_TRUST_CHANGES.get(label, 0.0) if value is None else value

    def trust_changes(self) -> dict[str, float]:
        """Every label's trust change before buyer.trust.speed."""
        return {label: self.trust_change(label) for label in LABELS}
