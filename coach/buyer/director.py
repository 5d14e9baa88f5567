"""The director: decides what the buyer does with each rep turn (a BuyerMove).

Deterministic given the scenario and the analysed turns. It reads the
analyser's labels, what the turn took up from the buyer (AnalysedTurn.uptake),
what it is about and how specifically (coach.buyer.topics), trust, and the
conversation so far. What it decides:

1. **Trust** moves by the scenario's change for each label the analyser found
   (defaults in coach/scenario/models.py), times the buyer's speed, at most
   TURN_CAP points a turn. Good behaviour is credited for its substance: an
   open, curious question earns its full change only when it is about this
   buyer (specific); a follow-up or a reflection only when it took up the
   buyer's words, numbers or meaning, a verbatim echo half; empathy with
   nothing of theirs in it a little, less each time; shared-success words
   less each time; anything said twice nothing, and a little less than that.
   So a script of "That sounds hard. What else?" or of reflections that carry
   nothing earns almost no trust, and a rep who listens earns it fast.
2. The buyer **walks out** at or below `ending.walkout_below`, and turns
   **curt** after bad turns in a row (or several with trust low).
3. **Repetition** gets "You asked me that a minute ago."
4. An **objection** the buyer has raised is pressed, turn after turn, until a
   turn handles it (takes it up and explores it, without pushing or pitching,
   or answers it: says what would happen, in its words or the buyer's story;
   the trainer's own handling line handles it even when the analyser calls it
   self-interested); a plain fact or a real question about the buyer's
   situation is still answered, and the concern stays open;
   objections are raised at the first pitch, at the next-step proposal, when
   the rep brings the concern up (asks about it, or says it), or at a given turn.
5. A proposed **next step** is accepted when trust, the discoveries it needs
   and the objections allow (a proposal that settles the last concern is
   conceded and accepted at once); otherwise declined. Once the buyer would
   agree one, a proposal near it is taken as it (whatever else it names), and
   a question or proposal is not held against the rep as self-interested.
6. A turn that is mostly **bad behaviour** gets a reaction to it (and the
   holding line if it asked about a hidden fact).
7. A question about a **hidden fact** (discovery): revealed when it is
   specific, every `requires` holds and it was not asked badly; the holding
   line when not (and why: --explain says); a surface answer to a generic
   prompt on the topic; more detail once it is out.
8. A question about a **plain fact** gets the fact, even while a concern is
   open (it stays open) and after a reaction when it was asked for the
   seller's sake; a factual question about something the scenario does not
   know gets "I'd have to check" (a yes or no, "Hard to say."); a fact the
   other part of a two-part question asks for is told first. A number is
   no answer to a yes-or-no question about something else, and no fact
   answers how something has been (topics.question_kind).
9. A reflection or acknowledgement that carried the buyer's words is
   **confirmed**; a trusting buyer may then **volunteer** a related fact.
   Small talk gets a short reply; a generic prompt a surface answer.

Nothing here imports numpy, spaCy or Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from coach.analysis.language import content_stems, generic_stems, specific_stems
from coach.analysis.rules import FAREWELL
from coach.analysis.uptake import PARROT_ECHO
from coach.buyer.move import BuyerMove, MoveKind, TopicMatch
from coach.buyer.topics import (CHECK, FACT_SIM, FACT_SIM_WORDS, MEETING, NEXT_SIM, PROPOSAL, SIM_LOW, SIM_MID, STATED_SIM, TIE, Match,
                                 TopicMatcher, asks_choice, asks_concerns, asks_leave, asks_more, asks_needs, asks_new,
                                 asks_past, asks_would, topic_key)
from coach.labels import BAD

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.types import AnalysedTurn
    from coach.buyer.topics import Encoder
    from coach.scenario import Discovery, Objection, Said, Scenario

#: Bad labels in the order the buyer reacts to them (the most offensive first).
BAD_ORDER: tuple[str, ...] = ("pressure", "pitching", "self_interested", "leading_question", "checklist")
#: A discovery asked about with one of these is never revealed: the question
#: carries its own answer.
ALWAYS_BAD: frozenset[str] = frozenset({"leading_question"})
#: Labels whose reaction makes a natural lead-in to a revealed fact ("Exactly. ...").
LEAD_LABELS: tuple[str, ...] = ("empathy", "reflection", "mutual_success")
#: Labels of a turn that listens: it asks openly, is curious, acknowledges or restates.
LISTENING: frozenset[str] = frozenset({"open_question", "curiosity", "empathy", "reflection"})

#: A turn moves trust by at most this many points, times the buyer's speed.
TURN_CAP = 10.0
#: A generic open question earns this share of its labels' trust (then less each time).
GENERIC_CREDIT = 0.25
#: A follow-up that took nothing of the buyer's up earns this share; one that
#: asks about their situation specifically, though in none of their words, this.
EMPTY_FOLLOW_UP = 0.2
SPECIFIC_FOLLOW_UP = 0.5
#: A reflection that took nothing up earns this share; a verbatim echo this one.
EMPTY_REFLECTION = 0.1
ECHO_REFLECTION = 0.5
#: Empathy with nothing of the buyer's situation in it earns this share (then less each time).
EMPTY_EMPATHY = 0.5
#: Shared-success words with nothing of this buyer in them ("Let's find a
#: win-win together") earn this share.
EMPTY_MUTUAL = 0.3
#: A turn with nothing of this buyer in it (no words of theirs, nothing they
#: told taken up) gains at most this much trust, whatever its labels, and the
#: next one half that, then a third...: a string of content-free labels must
#: not add up to a relationship (ten of them: about +1.5 in all).
EMPTY_TURN_CAP = 0.5
#: What saying the same thing again costs.
REPEAT_COST = 2.0
#: Near-duplicate turns: this similar in meaning to an earlier rep turn.
REPEAT_SIM = 0.93
#: Trust gained when an objection is handled; lost each time it is pressed.
OBJECTION_HANDLED = 4.0
OBJECTION_PRESSED = 2.0
#: An objection is pressed at most this many times in a row before the buyer
#: answers other questions again (it still blocks the next step).
MAX_PRESSES = 2
#: A turn-timed objection waits for a turn that asks about nothing else, at most this many turns.
OBJECTION_PATIENCE = 2
#: How far ahead of every other topic the nearest untold story must be for a
#: question about no topic to get its surface (Director._near_story).
NEAREST_BY = 0.05
#: A plain fact asked with these is answered after the reaction (the buyer
#: knows it and says it to anyone); pressure, a pitch or a leading question
#: gets only the reaction.
ANSWERED_ANYWAY: frozenset[str] = frozenset({"self_interested", "checklist"})
#: ... only this close to the fact: "What's your budget for linen next year?"
#: is 0.69 from the weekly linen volume, and asks for money, not tonnes; or
#: close enough to confirm a fact (FACT_SIM_WORDS) and in the fact's own words
#: (this weight of them): "When did Northgate start using Tallyhouse?" is 0.59
#: from the customer-since fact and shares 1.5 (the budget question 0.2).
ANSWERED_ANYWAY_SIM = 0.75
ANSWERED_ANYWAY_WORDS = 1.0
#: A turn this close in meaning to an objection's `handled_by` lines handles it
#: even with a self-interested or checklist label (see Director._as_written).
AS_WRITTEN_SIM = 0.80
#: A turn answers a concern (Director._answers) when it shares this many words
#: with the concern and what the buyer has told, one at least of the latter:
#: "a bearing like July's", "four shifts" (three) after "What do I get for
#: it?"; "let's fix the invoice then... fifteen percent off the parts price"
#: shares one ("invoice"), and none of the buyer's story.
ANSWER_WORDS = 2
#: A statement with this many of a concern's specific words speaks to it (Director._speaks_to).
SPOKEN_WORDS = 2
#: Labels not held against a turn once the buyer would agree a next step (see _read).
EXCUSED_WHEN_READY = frozenset({"self_interested"})
#: Words of the buyer's last turn in a self-interested sentence that make it a
#: question about what they raised (see Director._their_own).
THEIR_OWN_WORDS = 2
#: A badly asked turn gets a discovery's holding line only this close to it.
HOLD_SIM = 0.5
#: Bad turns in a row that make the buyer curt whatever the trust.
CURT_STREAK = 2
#: Trust at which a buyer may volunteer a related fact after a real reflection.
VOLUNTEER_TRUST = 60.0
#: A turn this many words long is a monologue: the buyer stops following, and
#: it earns no trust whatever its labels (a page of good questions is not one).
MONOLOGUE_WORDS = 150

#: Moves whose lines tell the rep something of the buyer's: taking them up is
#: listening. Reflecting a reaction ("Mm. You were listening.") is not.
CONTENT_MOVES = frozenset({"opening", "reveal", "volunteer", "elaborate", "hold", "surface", "answer", "object",
                           "press", "concede", "decline"})

#: Moves whose line tells a story or a fact of the buyer's.
TOLD_MOVES = frozenset({"reveal", "volunteer", "elaborate", "answer"})

#: Moves that answer the rep's turn: asking the same again is repetition.
ANSWERED = frozenset({"reveal", "hold", "surface", "elaborate", "answer", "unknown", "confirm", "volunteer", "concede",
                      "repeat", "react", "curt", "consider"})

#: Lines for moves a version-1 scenario has no lines for.
DEFAULT_LINES: dict[str, tuple[str, ...]] = {
    "small_talk": ("Sure.", "No problem.", "Okay.", "Go ahead."),
    # the rep says goodbye ("Thanks for your time today.")
    "sign_off": ("Thanks. Speak soon.", "Okay. Thanks for coming in.", "Right. Bye for now."),
    "unknown": (
        "I'd have to check that.",
        "I don't have that to hand.",
        "Not something I know off the top of my head.",
        "I'd need to ask someone for that.",
    ),
    "repeat": (
        "You asked me that a minute ago.",
        "We've been over that.",
        "You said that already.",
        "Same question again?",
    ),
    # a yes-or-no question about something the scenario does not say: no figure to look up
    # ("Possibly. I haven't really thought about it." was rated 0 in rounds 17,
    # 20, 22 and 23: a buyer has thought about their own world)
    # Not "It depends, honestly.": it promises an answer the buyer then cannot
    # give ("Depends on what?" got "I don't have that number to hand.", rounds 36, 44: rated 0).
    "unsure": ("Hard to say.", "I'm not sure, honestly.", "Maybe. I couldn't say for certain."),
    # a statement asked as a question about something the scenario does not
    # say ("I gather a fair bit has changed since the autumn?"): round 14 rated
    # "Not off the top of my head." 0 there
    "declarative": ("You could say that.", "Something like that.", "In a way, yes."),
    # a story held back once its holding lines are used up: a holding line, not
    # an acknowledgement ("who on the board actually looks at it?" got "I see.", round 44)
    "held": ("I'd rather not go into that yet.", "Let's leave that one for now.", "That's for another day."),
    # a summary put to the buyer ("..., is that right?", "Have I missed
    # anything?") that carried nothing of theirs: a guarded yes
    "checked": ("More or less.", "That's about it.", "Roughly, yes."),
    # a real open question about something the scenario does not say
    "unworked": ("I'd have to think about that.", "Good question. I haven't worked that out yet.",
                 "I'm not sure yet, to be honest.", "I'd need to think that one through."),
    # a choice the scenario does not settle ("Is it more at the front door,
    # or at the back end?"): rounds 16-21 raters asked for an answer to the
    # choice, not "I'm not sure yet" from a buyer who would know
    "choice": ("A bit of both, honestly.", "Some of each, really.", "It's a mix of the two."),
    # a question about what happened, which the scenario does not tell: "I
    # haven't worked that out yet" would deny the buyer was there, and "Not much to
    # tell" the outage the scenario is about. Nothing that promises a story the
    # buyer then cannot tell: "It's a long story, honestly."
    # drew "I've got time for the long version - what happened?" (round 46:
    # "I'd have to think about that.", rated 0; "long story" lines were rated 0
    # seven times and 2 once in rounds 7-46)
    "untold": ("I'd rather not get into that.", "Let's not go into that today.", "That's not one I'll go into now."),
    # More on a told story when every line on it is said: round 11 and 12
    # raters rated "As I said, <the whole story again>" 0 when the rep had
    # asked something new about it; for a new question, see _told_all.
    "told_all": ("That's about all there is to it.", "I've told you most of it, honestly.",
                 "There's not much more to it than that."),
    # leave asked to say something: "Can I share something we've noticed?"
    "permission": ("Go ahead.", "Sure, go on.", "Please, go ahead."),
    "no": ("No.", "No. Not like this.", "No, not now."),
    # a next step proposed while a concern the proposal sets off is unspoken:
    # the proposal is answered before the concern ("Before I take anything
    # upstairs: three years is a long commitment..." alone left "Could we book
    # a meeting...?" unanswered, rated 1 in rounds 32-36)
    "maybe": ("Maybe.", "Possibly.", "Could be."),
    # a proposal while a concern is still open, for a scenario with no declined lines of its own
    "not_yet": ("Not yet.", "Not while that's open.", "Not before we've settled that."),
    # their own words handed back
    "echo": ("That's what I said.", "Yes, that's what I just told you.", "Right. As I said."),
    # A proposal that is not the scenario's next step, from a rep the buyer
    # would agree a next step with: welcome, though it does not end the meeting
    # (a stall, "I'd need to know more about what that means for us first.",
    # answered a concrete offer built from their own words). Said after a
    # proposal the rep may have spelt out: no "what did you have in mind?".
    "consider": (
        "That would help, yes.",
        "Yes, I'd find that useful.",
        "That could work. Let's keep it on the list.",
        "I'd take that, yes.",
    ),
    # ... offered as a choice ("...or would you rather raise it with her
    # yourself?", "Is next Monday all right, or the one after?"): a yes
    # answers neither (round 41: "Yes, I'd find that useful.", rated 0).
    "consider_choice": ("Either works for me.", "Whichever suits you. Let me know.", "Either way is fine by me."),
    # An offer on a concern that does not settle it ("I could do a two-year
    # deal" to a three-year concern; five percent off to an eighteen percent
    # gap): heard, and not enough. The concern's own press lines ("You haven't
    # said what happens to the price.") would deny the offer was made.
    "countered": (
        "That's a move. It doesn't settle it, though.",
        "I heard the offer. It doesn't change the problem.",
        "That's not really the answer.",
    ),
    # Reasons given for a concern just voiced that do not settle it ("Our
    # price includes Saturday collections...", to "Why would I pay that?"):
    # heard. The concern's press lines ("You haven't told me why I'd pay
    # more.") would deny the reasons were given.
    # A concern the rep has answered in their own words, not settled (see Director._speaks_to).
    "unconvinced": (
        "I hear you. I'm not convinced yet.",
        "So you say. It doesn't settle it for me yet.",
        "Maybe. I'd need to see it before I believe it.",
    ),
    # ... answered earlier, and still open: not "So you say." to a summary (round 42)
    "still_open": (
        "I heard what you said earlier. It still doesn't settle it for me.",
        "We're still not past the thing I raised, though.",
        "That still leaves my concern where it was.",
    ),
    "argued": (
        "I hear you. I'm not convinced yet.",
        "That's what every supplier says. I'm not convinced yet.",
        "Maybe. It doesn't settle it for me.",
    ),
    "monologue": (
        "That's a lot. What are you actually asking me?",
        "You've lost me. What's the question?",
        "Hang on, that's a lot to take in.",
    ),
}

#: A closed question that asks for the buyer's view, not a fact: "I'd have to
#: check" would be no answer to it.
_OPINION = re.compile(
    r"^\W*(?:(?:so|and|but|then)\W+)*(?:do|would|don't|wouldn't|did) you (?:think|feel|agree|say|reckon|believe|find|see|mind)\b"
    r"|^\W*(?:is it|would it be) (?:fair|true|right) to say\b|^\W*(?:are|were) you (?:happy|comfortable|worried|concerned|sure)\b"
    # "What do you honestly think of the surcharge?" got "Not off the top of my head."
    r"|\bwhat do you (?:\w+ )?(?:think|make|feel)\b",
    re.I,
)

#: An answer to a concern says what would happen with the offer ("you'd see
#: every reading", "the nurses wouldn't type anything"), or denies what the
#: buyer fears ("Nobody enters it by hand.", "nurses don't re-key anything"),
#: in a sentence that asks nothing.
_WOULD = re.compile(r"\b(?:would|wouldn't|will|won't|can|can't|could|couldn't|nobody|no one|never)\b|\w'(?:d|ll)\b"
                    r"|\b(?:don't|doesn't|isn't|aren't) (?:have to |need to )?(?:\w+-)?\w+", re.I)

#: An offer: "I could do a two-year deal", "I can get you eight percent off",
#: "I just offered you two years" (not "We do have trusts that went live...").
_OFFER = re.compile(
    # ("we'd do the heavy lifting" offers no terms: round 25)
    r"\b(?:i|we)(?:'ll|'d| will| would| can| could| just)\s+(?:do(?!\s+(?:the|all|most|everything|that|this|it)\b)|take|offer(?:ed)?|give|get you|knock|drop|match"
    r"|throw in|come down|cut|waive)\b|\b(?:percent|per cent|%)\s+off\b"
    # "I'll go to my director and push for seven and a half percent"
    r"|\b(?:push|fight|ask|go) for (?:\w+[ -]){0,5}?(?:percent|per cent)\b|\b(?:push|fight|ask|go) for \d+(?:\.\d+)?\s?%",
    re.I,
)

#: A sentence that takes leave: "Thanks for your time today, Dana.", or a
#: farewell the analyser counts as small talk ("Speak soon.").
_SIGN_OFF = re.compile(r"^\W*(?:(?:(?:many |great, )?thanks|thank you)(?: (?:so much|again|very much))? for (?:your|the) time"
                       rf"|(?:{FAREWELL})\b)", re.I)

#: Greetings, thanks, apologies and logistics: small talk when they carry no behaviour label.
_SMALL_TALK = re.compile(
    r"^\W*(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you|cheers|sorry|apologies|"
    r"nice to|great to|good to|pleasure|can you hear|are you there|let me (share|pull|check|grab|find)|"
    r"one (sec|moment|minute)|bear with|no problem|no worries|sure|ok(ay)?|understood|got it|right|great|"
    r"perfect|bye|speak soon|talk soon|see you|have a good|how are you|how's it going|"
    r"shall we (?:get started|start|begin|dive in|kick off))\b",
    re.I,
)


def _small_talk(a: AnalysedTurn, proposes: bool) -> bool:
    """Greetings, thanks, logistics (see _SMALL_TALK): "Great. How about Tuesday
    the 14th at 10am?" opens like small talk and proposes; "Shall we get
    started?" is small talk."""
    if not _SMALL_TALK.match(a.text):
        return False
    spans = [a.text[x.start : x.end].strip() for x in a.sentences]
    # "Thanks for making the time... I gather there's been a fair bit of change
    # since the autumn?" asks something: "No problem at all." answered the thanks.
    asked = [a.text[x.start : x.end].strip() for x in a.sentences if x.form]
    if any(not _SMALL_TALK.match(x) and not PROPOSAL.match(x) for x in asked):
        return False
    return not proposes or all(_SMALL_TALK.match(x) for x in spans if PROPOSAL.match(x))


@dataclass
class BuyerState:
    """What the buyer knows of the conversation so far; the director updates it."""

    #: The buyer's trust in the rep, 0-100.
    trust: float
    #: Discoveries revealed so far, in order.
    discovered: list[str] = field(default_factory=list)
    #: Rep turns so far.
    turn: int = 0
    ended: bool = False
    #: walkout, next_step, max_turns (or finished, set by the engine).
    end_reason: str | None = None
    #: Consecutive rep turns that lowered trust with bad behaviour, and all of them.
    bad_streak: int = 0
    bad_turns: int = 0
    curt: bool = False
    #: What the buyer's last reply was about: "tell me more" goes on with it.
    last_topic: TopicMatch | None = None
    #: Stems of everything the buyer has said (a question in their words is specific).
    heard: set[str] = field(default_factory=set)
    #: Specific stems of what the buyer told of their own (stories and facts,
    #: not concerns or reactions): an answer to a concern in these terms listens.
    told: set[str] = field(default_factory=set)
    #: Rep turns the buyer answered, normalised, and their embeddings: saying
    #: one again is repetition (a proposal they pressed or declined is not).
    said: list[str] = field(default_factory=list)
    said_vectors: list[object] = field(default_factory=list)
    #: How many generic prompts, empty acknowledgements and shared-success lines so far.
    generic: int = 0
    empty_empathy: int = 0
    mutual: int = 0
    #: Turns whose trust was capped for carrying nothing of this buyer.
    empty: int = 0
    #: Objection id -> "open" or "handled"; the one being pressed, and how often in a row.
    objections: dict[str, str] = field(default_factory=dict)
    open_objection: str | None = None
    presses: int = 0
    #: The objections the rep has answered in a statement of their own,
    #: settled or not (see Director._speaks_to).
    spoken_to: set[str] = field(default_factory=set)
    #: The objection the buyer's last reply voiced (pressed or not).
    voiced: str | None = None
    #: The untold discovery that reply was asked about, well, when the buyer
    #: voiced the concern in its place (see Director._held_near): the next
    #: question on the concern asks for the story.
    voiced_for: str | None = None
    #: The objection the buyer's last reply voiced and settled at once, the rep
    #: having asked about it well before it came up (see Director._raise).
    aired: str | None = None
    #: Turns since a turn-timed objection fell due.
    overdue: int = 0
    #: Turn-timed objections the rep already asked about well, before they
    #: came due: the buyer does not voice them as news.
    explored: set[str] = field(default_factory=set)
    #: Whether the buyer's last line told the rep something of theirs (its
    #: opening does): taking up a reaction or an acknowledgement is not listening.
    last_told: bool = True
    #: The facts the buyer has told.
    facts_told: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Turn:
    """One rep turn as the director reads it."""

    analysed: AnalysedTurn
    labels: frozenset[str]
    match: Match
    repeat: bool
    small_talk: bool
    #: What it took up of what the buyer had just told: 1, 0.5 parroted, 0 (see BuyerMove.took_up).
    took_up: float
    #: Analyser labels the director does not hold against the turn (see _read).
    excused: frozenset[str] = frozenset()

    @property
    def topic(self) -> TopicMatch:
        return self.match.topic

    @property
    def substance(self) -> bool:
        """Carries something of this buyer: specific words, or what they told
        taken up in the rep's own words (a parrot's borrowed words are not)."""
        return (self.match.specific or self.took_up >= 1) and not self.parrot

    @property
    def parrot(self) -> bool:
        return 0 < self.took_up < 1

    @cached_property
    def asks(self) -> bool:
        """The turn asks something (a question or an invitation to talk). A
        check on a summary ("..., squeezed between marketing and finance. Is
        that fair?") asks nothing the summary did not say: it is agreed with,
        not answered ("Possibly. I haven't really thought about it.")."""
        text = self.analysed.text
        sents = self.analysed.sentences
        # Leave asked to say something, then said, asks nothing either: "Can I be
        # straight with you about what that pattern does on our end? The rush jobs...
        # mean we lose money on most shipments." (round 47: "Sure, go on.")
        return any(x.form and not CHECK.match(text[x.start : x.end])
                   and not (asks_leave(text[x.start : x.end]) and any(y.form is None for y in sents[i + 1 :]))
                   for i, x in enumerate(sents))

    @cached_property
    def checks(self) -> bool:
        """The turn puts what it said to the buyer ("..., Is that right?")."""
        text = self.analysed.text
        return any(x.form and CHECK.match(text[x.start : x.end]) for x in self.analysed.sentences)

    @property
    def monologue(self) -> bool:
        return self.analysed.words >= MONOLOGUE_WORDS

    @property
    def opinion(self) -> bool:
        """Asks for the buyer's view ("Do you think...?"), not a fact."""
        text = self.analysed.text
        return any(_OPINION.match(text[x.start : x.end]) for x in self.analysed.sentences if x.form)


class Director:
    """Decides the buyer's moves for one session of one scenario."""

    def __init__(self, scenario: Scenario, encoder: Encoder | None = None) -> None:
        self.scenario = scenario
        self.matcher = TopicMatcher(scenario, encoder)
        self.state = BuyerState(trust=float(scenario.buyer.trust.start))
        self._speed = scenario.trust_speed
        self._changes = scenario.trust_changes()
        ending = scenario.ending
        start = scenario.buyer.trust.start
        #: Trust below which repeated bad turns make the buyer curt: halfway
        #: between walking out and where they started.
        self.curt_below = ending.walkout_below + max(10.0, (start - ending.walkout_below) / 2)
        self._discoveries = {d.id: d for d in scenario.discoveries}
        self._concerns: dict[str, frozenset[str]] = {}

    def attach(self, encoder: Encoder) -> None:
        """Match by meaning from now on (the analyser loaded after the session began)."""
        self.matcher = TopicMatcher(self.scenario, encoder)

    # -- the conversation --------------------------------------------------------

    def opening(self) -> BuyerMove:
        """The buyer's first line."""
        s = self.state
        move = BuyerMove(kind="opening", trust_before=s.trust, trust_after=s.trust,
                         lines=(self.scenario.buyer.opening,), reasons=("the scenario's opening line",))
        return move

    def heard(self, text: str, move: BuyerMove | None = None) -> None:
        """The buyer said ``text`` for ``move``: when it told something (not a
        reaction or an acknowledgement), its words now count as theirs."""
        if move is None or self._tells(move):
            self.state.heard |= content_stems(text)
        if move is not None and move.kind in TOLD_MOVES:
            self.state.told |= specific_stems(text)

    @staticmethod
    def _their_own(a: AnalysedTurn) -> bool:
        """Whether what reads as self-interest in ``a`` asks about the buyer's
        own last words: at least THEIR_OWN_WORDS of them in the self-interested
        sentence."""
        taken = content_stems(" ".join((*a.uptake.words, *a.uptake.numbers)))
        quotes = " ".join(e.quote for e in a.evidence if e.label == "self_interested")
        return len(taken & content_stems(quotes)) >= THEIR_OWN_WORDS

    @staticmethod
    def _tells(move: BuyerMove) -> bool:
        """Whether a move's line tells the rep something of the buyer's."""
        return move.kind in CONTENT_MOVES and (
            move.kind != "surface" or (move.topic is not None and move.topic.kind == "discovery"))

    def decide(self, analysed: AnalysedTurn) -> BuyerMove:
        """The buyer's move in answer to one analysed rep turn; updates the state."""
        s = self.state
        if s.ended:
            raise RuntimeError("the conversation has ended")
        s.turn += 1
        t = self._read(analysed)
        before = s.trust
        raw, why = self._trust(t)
        cap = TURN_CAP * self._speed
        s.trust = max(0.0, min(100.0, before + max(-cap, min(cap, raw * self._speed))))
        bad = t.labels & BAD
        if bad and raw < 0:
            s.bad_streak += 1
            s.bad_turns += 1
        elif raw > 0:
            s.bad_streak = 0
        # The first bad turn gets a reaction that names it; curtness comes with repetition.
        s.curt = s.bad_streak >= CURT_STREAK or (s.trust < self.curt_below and s.bad_turns >= 2)
        kind, fields = self._choose(t, raw, why)
        move = self._finish(kind, t, before, fields)
        self._remember(t, move)
        return move

    # -- reading the turn ----------------------------------------------------------

    def _read(self, a: AnalysedTurn) -> _Turn:
        s = self.state
        labels = frozenset(a.labels)
        m = self.matcher.match(a, discovered=s.discovered, last_topic=s.last_topic, heard=frozenset(s.heard),
                               pressing=s.open_objection or s.voiced)
        norm = " ".join(a.text.lower().split()).strip(" .!?")
        repeat = norm in s.said
        if not repeat and a.embedding is not None and s.said_vectors:
            import numpy as np

            v = np.asarray(a.embedding, dtype=np.float32)
            repeat = any(float(np.dot(v, np.asarray(w, dtype=np.float32))) >= REPEAT_SIM for w in s.said_vectors)
        ready = self._ready()
        nsim = m.sims.get("next_step", 0.0)
        ns = self.scenario.ending.next_step
        # Nearer another topic, a proposal is the next step only if it could be
        # agreed: "Would it help if we drafted a data-use policy with you...?",
        # built on the union rep's request, got "Not yet." (sign-off not heard
        # yet); as a proposal of its own it is welcomed. Near the next step's
        # examples, or saying when to meet ("...and we sit down for 45 minutes
        # next week before you take the range to him. Would that help?"), it is.
        if (ready and m.proposes and m.topic.kind != "next_step" and (nsim >= NEXT_SIM or MEETING.search(a.text))
                and ns is not None and all(x in s.discovered for x in ns.after)):
            m = replace(m, topic=TopicMatch("next_step", None, nsim, f"a proposal once the buyer is ready, meaning {nsim:.2f}"))
        small = not (labels - {"closed_question"}) and m.topic.kind in ("none", "generic") and _small_talk(a, m.proposes)
        took = 0.0
        if a.uptake.carried and s.last_told:
            took = 0.5 if a.uptake.echo >= PARROT_ECHO else 1.0
        # The contract's self-interest is qualifying or pushing for a meeting
        # "before value is established": once the buyer would agree a next
        # step, "Who do you recommend to, your finance director?" is a fair
        # question and "Could we pencil in Thursday?" a proposal, and what a
        # proposal offers to do is no pitch ("Let's not talk about your
        # targets.", "I know the product." answered them at trust 85-92);
        # whatever else the turn does wrong still gets its reaction ("Who's
        # involved, and is there a date it needs to hit?" at trust 100 is a fair
        # question asked as a checklist, not "That's your timetable, not mine.", round 33).
        excusable = EXCUSED_WHEN_READY | ({"pitching"} if m.proposes else set())
        excused = labels & excusable if ready else frozenset()
        if "self_interested" in labels and self._their_own(a):
            # Asked about what the buyer has just raised, in their words: "who in
            # finance is asking for it, and what would fifteen percent let you show
            # them?" after "I still need a saving to show finance." is no agenda of
            # the rep's ("That's a question for later.", round 44: rated 0).
            excused |= {"self_interested"}
        return _Turn(analysed=a, labels=labels - excused, match=m, repeat=repeat and bool(norm), small_talk=small,
                     took_up=took, excused=excused)

    def _trust(self, t: _Turn) -> tuple[float, list[str]]:
        """The turn's raw trust change (before speed and cap), and why."""
        s = self.state
        a = t.analysed
        raw, why = 0.0, []
        for label in sorted(t.labels):
            c = self._changes.get(label, 0.0)
            if c > 0:
                f, note = self._credit(label, t)
                if f < 1.0:
                    why.append(f"{label} {note}")
                c *= f
            raw += c
        if t.repeat:
            raw -= REPEAT_COST
            why.append("said before")
        if t.excused:
            why.append(f"{', '.join(sorted(t.excused))} excused: value is established (trust at the next step's)")
        if not t.substance and t.labels & {"open_question", "curiosity"}:
            s.generic += 1
        if "empathy" in t.labels and not t.substance:
            s.empty_empathy += 1
        if "mutual_success" in t.labels:
            s.mutual += 1
        if t.took_up:
            what = a.uptake.describe() or "their meaning"
            why.append(f"parroted {what}" if t.parrot else f"took up {what}")
        cap = EMPTY_TURN_CAP / (1 + s.empty)
        if raw > cap and not t.substance:
            raw = cap
            s.empty += 1
            why.append(f"nothing of this buyer: at most +{cap:.2g}")
        return raw, why

    def _credit(self, label: str, t: _Turn) -> tuple[float, str]:
        """The share of a good label's trust the turn earns, and why not all of it."""
        s = self.state
        if t.repeat:
            return 0.0, "said before"
        if t.monologue:
            return 0.0, f"a monologue of {t.analysed.words} words"
        if label in ("open_question", "curiosity"):
            return (1.0, "") if t.substance else (GENERIC_CREDIT / (1 + s.generic), "generic: nothing of this buyer")
        if label == "follow_up":
            if t.parrot:
                return ECHO_REFLECTION, "parrots their words"
            if t.took_up:
                return 1.0, ""
            if t.asks and t.match.specific:  # on their situation, if not in their words
                return SPECIFIC_FOLLOW_UP, "took up none of their words"
            return EMPTY_FOLLOW_UP, "took up nothing they said"
        if label == "reflection":
            if not t.took_up:
                return EMPTY_REFLECTION, "restates nothing they said"
            return (ECHO_REFLECTION, "parrots their words") if t.parrot else (1.0, "")
        if label == "empathy":
            return (1.0, "") if t.substance else (EMPTY_EMPATHY / (1 + s.empty_empathy), "names nothing of their situation")
        if label == "mutual_success":
            share = 1.0 if t.substance else EMPTY_MUTUAL
            note = "said before" if s.mutual else "nothing of this buyer in it"
            return (share / (1 + s.mutual), note) if s.mutual or share < 1 else (1.0, "")
        return 1.0, ""

    # -- choosing the move -------------------------------------------------------------

    def _choose(self, t: _Turn, raw: float, why: list[str]) -> tuple[MoveKind, dict]:
        """The move, in order of precedence: the meeting ending, repetition,
        objections, the next step, bad behaviour, then what the turn asks or says."""
        s = self.state
        sc = self.scenario
        r = sc.reactions
        asked_badly = bool(t.labels & ALWAYS_BAD) or (bool(t.labels & BAD) and raw <= 0)
        if s.trust <= sc.ending.walkout_below:
            return "walkout", dict(lines=r.walkout, reasons=[*why, f"trust {s.trust:.0f} at or below {sc.ending.walkout_below:g}"],
                                   ended=True, end_reason="walkout")
        if t.repeat and not t.small_talk:
            return "repeat", dict(lines=r.repeat or DEFAULT_LINES["repeat"], reasons=why)
        if t.monologue and not asked_badly:
            return "react", dict(lines=DEFAULT_LINES["monologue"], reasons=[*why, "a monologue: the buyer lost the thread"])
        if not t.asks and not asked_badly and t.analysed.sentences \
                and _SIGN_OFF.match(t.analysed.text[t.analysed.sentences[-1].start:]):
            # "...I'll send a couple of time options by email. Thanks for your
            # time today, Dana." got "Go on." (round 22: rated 0), and with a
            # concern open, the concern pressed again (after round 25).
            return "small_talk", dict(lines=DEFAULT_LINES["sign_off"], reasons=[*why, "the rep signs off"])
        objection = self._objection_move(t, asked_badly, why)
        if objection is not None:
            return objection
        if t.topic.kind == "next_step":  # only a proposal is matched to the next step
            return self._next_step(t, why)
        if asked_badly or s.curt:
            return self._bad_move(t, why)
        if t.asks:
            return self._answer(t, why)
        return self._statement(t, why)

    def _objection_move(self, t: _Turn, asked_badly: bool, why: list[str]) -> tuple[MoveKind, dict] | None:
        """An objection being pressed (handled, or pressed again), or one this turn sets off."""
        s = self.state
        sc = self.scenario
        if s.open_objection is not None:
            o = sc.objection(s.open_objection)
            if self._handles(o, t):
                s.objections[o.id], s.open_objection, s.presses = "handled", None, 0
                s.trust = min(100.0, s.trust + OBJECTION_HANDLED * self._speed)
                handled = [*why, f"handled the objection '{o.id}'"]
                if t.topic.kind == "next_step":
                    # "Nearly four metres, then. Can we book forty minutes next
                    # week...?": the concern settled, the proposal stands, and
                    # is answered: agreed, or declined after the concession
                    # ("Fine. That's a better question than the other thirteen
                    # asked." alone read as a yes, and the next turn's date got
                    # "You're qualifying me.", round 22).
                    kind, agreed = self._next_step(t, handled)
                    raised = self._objection_due(t) if kind == "accept" else None
                    if raised is not None:
                        # Settled, then the next concern the proposal sets off:
                        # "Alright. That's fair." alone left the proposal unanswered.
                        s.objections[raised.id], s.open_objection, s.presses = "open", raised.id, 0
                        return "object", dict(objection=raised.id, lines=self._said(raised.lines), facts=(raised.topic,),
                                              lead=self._said(o.concede), reasons=[*handled, f"raises '{raised.id}'"])
                    if kind in ("accept", "decline"):
                        return kind, agreed | dict(objection=o.id, lead=self._said(o.concede))
                told = self._after_concern(t, handled)
                if told is not None:  # the buyer settles, then answers what else was asked
                    return "concede", dict(objection=o.id, revealed=told.get("revealed", ()), fact=told.get("fact"),
                                           lines=told["lines"], lead=self._said(o.concede), reasons=told["reasons"])
                return "concede", dict(objection=o.id, lines=self._conceded(o, t), reasons=handled)
            worst = next((x for x in BAD_ORDER if x in t.labels), None)
            if t.asks and t.topic.kind == "fact" and (not asked_badly or worst in ANSWERED_ANYWAY):
                return None  # a plain question is answered; the concern stays open (and blocks the next step)
            if t.asks and t.topic.kind == "discovery" and t.substance and not asked_badly and not t.match.proposes:
                # A real question about their situation is answered too (as the
                # gates allow): a buyer explains their own case for the discount.
                return None
            if s.presses < MAX_PRESSES:
                return self._press(o, t, asked_badly, why)
        raised = self._objection_due(t)
        return None if raised is None else self._raise(raised, t, asked_badly, why)

    def _press(self, o: Objection, t: _Turn, asked_badly: bool, why: list[str]) -> tuple[MoveKind, dict]:
        """Open objection ``o`` pressed again, in words that fit what the rep has said to it."""
        s = self.state
        s.presses += 1
        s.trust = max(0.0, s.trust - OBJECTION_PRESSED * self._speed)
        now = self._speaks_to(o, t)
        if self._counters(o, t):
            lines, reason = DEFAULT_LINES["countered"], f"an offer on '{o.id}' that does not settle it"
        elif self._argues(o, t):
            return "press", dict(objection=o.id, lines=DEFAULT_LINES["argued"],
                                 reasons=[*why, f"an answer to '{o.id}' that does not settle it"])
        elif (now or o.id in s.spoken_to) and not t.labels & (BAD - {"self_interested"}):
            # The rep has said their piece on it ("Understood, and it doesn't -
            # the nurses wouldn't be typing bed states."): not convinced, not
            # "Who enters the data? You haven't said." (rounds 21-41: rated 0);
            # said before, it still stands ("So you say." to a summary was rated 0,
            # round 42). Pushed, the buyer presses it as written ("A price rise
            # is still a price rise, whatever you call it.").
            lines = DEFAULT_LINES["unconvinced" if now else "still_open"]
            reason = f"'{o.id}' answered in the rep's words{'' if now else ' earlier'}, not settled"
        else:
            lines, reason = self._said(o.press), f"the objection '{o.id}' is not handled"
        # A proposal made over an open concern is declined before the concern is pressed: "...could we
        # set up a short meeting next week...?" got "As I said, you haven't told me why I'd pay more."
        # (round 37: rated 0, the meeting unanswered).
        lead = self._before_concern(t, asked_badly, self._declined(lead=True))
        return "press", dict(objection=o.id, lines=lines, lead=lead, reasons=[*why, reason])

    def _raise(self, raised: Objection, t: _Turn, asked_badly: bool, why: list[str]) -> tuple[MoveKind, dict]:
        """Objection ``raised``, due on this turn, voiced (or aired, if the turn asked about it well)."""
        s = self.state
        asked_well = t.topic.kind == "objection" and t.topic.id == raised.id and self._handles(raised, t)
        if raised.when != "asked" and (asked_well or (raised.when == "turn" and self._explores(raised, t))):
            # The rep asked, well, about a concern before the buyer voiced it:
            # the buyer voices it, and it is aired, not pressed.
            s.objections[raised.id] = "handled"
            return "object", dict(objection=raised.id, lines=self._said(raised.lines), facts=(raised.topic,),
                                  reasons=[*why, f"voices '{raised.id}', asked about it well before it came up: aired"])
        s.objections[raised.id], s.open_objection, s.presses = "open", raised.id, 0
        voiced = [*why, f"raises '{raised.id}'"]
        told = self._after_concern(t, voiced) if self._states(raised, t) and not asked_badly else None
        if told is not None:
            # The rep said the concern and asked something else: the buyer
            # voices it, then answers ("I should be upfront: ...we can't keep
            # providing them for free. What's driving the request for fifteen
            # percent off?" had the discount explained and the no unheard, round 26).
            return "object", dict(objection=raised.id, revealed=told.get("revealed", ()), fact=told.get("fact"),
                                  lines=told["lines"], lead=self._said(raised.lines), facts=(raised.topic,),
                                  reasons=told["reasons"])
        told = self._answered_first(raised, t, asked_badly, voiced)
        if told is not None:
            # A concern the buyer has waited to raise, on a real question
            # about their world: the question is answered, then the concern
            # raised ("Where do they get held up going out - is it
            # discharges?" got the 2019 system alone, round 41: rated 0).
            return "object", dict(objection=raised.id, revealed=told.get("revealed", ()), fact=told.get("fact"),
                                  lead=told["lines"][:1], lines=self._said(raised.lines), facts=(raised.topic,),
                                  reasons=told["reasons"])
        return "object", dict(objection=raised.id, lines=self._said(raised.lines), facts=(raised.topic,),
                              lead=self._before_concern(t, asked_badly, DEFAULT_LINES["maybe"]), reasons=voiced)

    def _answered_first(self, raised: Objection, t: _Turn, asked_badly: bool, why: list[str]) -> dict | None:
        """The answer to the question of a turn a turn-timed concern falls due
        on (see _objection_due), said before the concern: the story or fact
        it asks about, told or held back as the gates say. None: the turn
        asks nothing of theirs, asks it badly, or is about the concern itself."""
        if raised.when != "turn" or asked_badly or not t.asks or self._held_near(raised, t):
            return None
        return self._answered(t, why, ("reveal", "hold", "elaborate", "answer"))

    def _before_concern(self, t: _Turn, asked_badly: bool, answer: tuple[str, ...]) -> tuple[str, ...]:
        """What the buyer says before a concern voiced or pressed: how they take
        a turn asked badly; ``answer`` to a proposal, which gets its answer
        first (rounds 32-37: the meeting asked for went unanswered); nothing
        before the concern for an offer ("I can probably get you five percent
        off if you sign this week"), which the concern answers."""
        if asked_badly:
            return self._reaction_lines(t)
        return answer if t.match.proposes and not _OFFER.search(t.analysed.text) else ()

    def _bad_move(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A turn that is mostly bad behaviour, or a buyer gone curt: a reaction
        to it, and the holding line if it asked about a hidden fact."""
        s = self.state
        r = self.scenario.reactions
        label = next((x for x in BAD_ORDER if x in t.labels), None)
        # Curt or not, the buyer says how they take what the rep did (the
        # scenario's pushback for the label); a curt buyer's cold lines come
        # once that pushback has been said (the voice says one of the two).
        reaction = self._reaction_lines(t)
        lead = reaction or (tuple(r.curt) if s.curt else ())
        if t.topic.kind == "fact" and t.asks and label in ANSWERED_ANYWAY and self._plainly_asked(t):
            # A plain fact asked for the seller's sake is still a plain fact:
            # the buyer says how they take the question, then answers it.
            f = self.scenario.fact(t.topic.id)
            return "answer", dict(fact=f.id, lines=self._said(f.answer), facts=(f.topic,), lead=lead, reacting_to=label,
                                  reasons=[*why, f"answers the fact '{f.id}', asked with {label}"])
        # The holding line only when the turn is plainly about the hidden fact: a
        # budget question that brushes a topic gets the reaction to the budget
        # question, and a pushed demo ("Look, why don't we set up a demo next
        # week...?") no "It not happening again. Obviously.": it asks for none.
        if t.topic.kind == "discovery" and t.topic.id not in s.discovered and t.asks and not t.match.proposes \
                and (t.topic.similarity >= HOLD_SIM or not self.matcher.has_meaning):
            d = self._discoveries[t.topic.id]
            how = self._curt_why() if s.curt else f"asked with {label}" if label else "asked badly"
            return "hold", dict(lines=self._said(d.guarded), lead=lead, reacting_to=label, reasons=[*why, how])
        if t.match.proposes:
            # A close asked for badly gets its no, after how the buyer takes it:
            # "That's my final offer. Deal?" got "I see." (rounds 24-33, rated 0).
            return "decline", dict(lines=DEFAULT_LINES["no"], lead=reaction, reacting_to=label,
                                   reasons=[*why, f"a close asked with {label}" if label else "a close asked of a curt buyer"])
        if s.curt:
            return "curt", dict(lines=tuple(r.curt), lead=reaction, reacting_to=label, reasons=[*why, self._curt_why()])
        return "react", dict(lines=reaction or tuple(r.fallback), reacting_to=label, reasons=[*why, f"reacts to {label}"])

    def _curt_why(self) -> str:
        """Why the buyer is curt, as --explain says it: the run of bad turns or the low trust."""
        s = self.state
        if s.bad_streak >= CURT_STREAK:
            return f"curt: {s.bad_streak} bad turns in a row"
        return f"curt: trust {s.trust:.0f} is low after {s.bad_turns} bad turns"

    def _answer(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A turn that asks: answered on its topic, else honestly on nothing;
        a plain fact the other part of a two-part question asks for is told too
        (first: "Who's had to be in the room, and when does the board meet?")."""
        kind, fields = self._answer_topic(t, why)
        also = t.match.also
        if also and kind in ("reveal", "elaborate", "hold", "surface", "answer") and fields.get("fact") != also \
                and not fields.get("lead"):
            f = self.scenario.fact(also)
            fields = fields | dict(lead=self._said(f.answer), fact=fields.get("fact") or f.id,
                                   reasons=[*fields.get("reasons", why), f"also answers the fact '{f.id}'"])
        return kind, fields

    def _answer_topic(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        sc = self.scenario
        r = sc.reactions
        topic = t.topic
        if t.small_talk:
            return "small_talk", dict(lines=r.small_talk or DEFAULT_LINES["small_talk"], reasons=[*why, "small talk"])
        if t.match.question == "permission":
            return "small_talk", dict(lines=DEFAULT_LINES["permission"], reasons=[*why, "asks leave to say something"])
        if t.match.proposes and topic.kind != "objection":
            # An offer is an offer, whatever topic it brushes: "Would it make
            # sense to send you some information?" is not a question about
            # success, nor "Could we sit down before the range review?" one
            # about its date.
            return self._proposal(t, why)
        if topic.kind == "discovery":
            return self._discovery(t, self._discoveries[topic.id], why)
        if topic.kind == "fact":
            f = sc.fact(topic.id)
            if f.id in self.state.facts_told and self.matcher.has_meaning and topic.similarity < FACT_SIM:
                # Told, and asked for something near it the scenario does not say:
                # "do you know roughly how many room-nights were lost, or what the
                # borrowing cost?" got "As I said, six hotels, about nine hundred
                # rooms..." (round 47, rated 0; a fact said again to a question
                # nearer another was rated 0 in 13 of 28 cases in rounds 31-44).
                # Asked again in its own terms, it is said again.
                return "surface", dict(lines=DEFAULT_LINES["told_all"],
                                       reasons=[*why, f"'{f.id}' is told; the turn asks for more than it says"])
            return "answer", dict(fact=f.id, lines=self._said(f.answer), facts=(f.topic,), reasons=[*why, f"answers the fact '{f.id}'"])
        if topic.kind == "objection":
            o = sc.objection(topic.id)
            if (len(self._concern_words(o, t)) >= ANSWER_WORDS or self.state.voiced == o.id
                    or not self.matcher.has_meaning):
                return self._on_settled(t, o, [*why, f"'{o.id}' was handled before"])
            # Near a settled concern by meaning, and one word of it: "who else is
            # involved in signing off the renewal?" got "No weekly meeting, three
            # standard reports a month, and a lower price for that." (round 16),
            # a deal nobody had offered. It is a question about something else
            # (unless the buyer has just voiced the concern: see BuyerState.voiced).
            why = [*why, f"'{o.id}' was settled, and the turn names too little of it"]
            if t.match.proposes:  # "How about I send over a short overview...?" got "I couldn't tell you offhand."
                return self._proposal(t, why)
            topic = TopicMatch("none", None, topic.similarity, "a settled concern")
        if "closed_question" in t.labels and specific_stems(t.analysed.text) and not t.opinion:
            return self._unanswerable(t, why)
        if topic.kind == "none" and t.substance and self.matcher.has_meaning and t.match.question != "evaluative":
            return self._about_nothing(t, why)
        if self.state.discovered and asks_more(t.analysed):
            # "Is there anything else that would be a must-have for you?" after
            # a recap of what they told got "Honestly, most of my week is bed
            # meetings.", an answer to "How's business?".
            return "surface", dict(lines=DEFAULT_LINES["told_all"], reasons=[*why, "asks for more, and they have told what they will"])
        why = [*why, "a question about nothing the buyer knows" if topic.kind == "none" else "a generic prompt"]
        if self.matcher.has_meaning and asks_would(t.analysed):
            # The scenario's open-question lines answer how things are ("How's
            # business?", "Tell me more"), not what would be ("What would you
            # need to see from me before a follow-up call made sense?" got
            # "Busy, as ever. The usual things compete for my time.", round 22:
            # rated 0): that, the buyer has not worked out.
            return "surface", dict(lines=self._not_known(t, "unworked"), reasons=why)
        return "surface", dict(lines=r.open_question or r.fallback, reasons=why)

    def _on_settled(self, t: _Turn, o: Objection, why: list[str]) -> tuple[MoveKind, dict]:
        """A turn on a concern already settled: the concession, and, when the
        question is as near an untold story, the story after it, as when the
        concern is settled ("Was it a bed-management system that didn't
        stick?" after the 2019 concern was aired)."""
        told = self._after_concern(t, why)
        if told is not None:
            return "concede", dict(objection=o.id, revealed=told.get("revealed", ()), lines=told["lines"],
                                   lead=self._conceded(o, t), reasons=told["reasons"])
        return "concede", dict(objection=o.id, lines=self._conceded(o, t), reasons=why)

    def _unanswerable(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A closed question on this buyer's world that the scenario has no
        line for, answered honestly for what it asks (see question_kind)."""
        r = self.scenario.reactions
        kind = t.match.question
        if kind in ("yes_no", "evaluative"):
            # "Has that happened with anyone you've known a long time?" asks
            # no figure to look up: "No idea. Not my department." is no answer.
            # Nor, about the past, is "Possibly. I haven't really thought about
            # it." ("Have you looked at any tools before?", round 17: rated 0).
            past = kind == "yes_no" and asks_past(t.analysed)
            return "unknown", dict(lines=self._not_known(t, "untold" if past else "unsure"),
                                   reasons=[*why, "a yes or no the scenario does not answer"])
        if kind == "describe":  # "What does that look like on a shift?" asks for no figure to look up
            return "unknown", dict(lines=self._not_known(t, "untold"), reasons=[*why, "what it is like, which the scenario does not say"])
        if kind == "who":  # "Who else would need to see it?" -> "I don't have that number to hand."
            return "unknown", dict(lines=self._not_known(t, "unworked"), reasons=[*why, "who, which the scenario does not say"])
        if kind == "declarative":  # "I gather a fair bit has changed?" got "Not off the top of my head."
            return "unknown", dict(lines=DEFAULT_LINES["declarative"],
                                   reasons=[*why, "a statement asked as a question, which the scenario does not bear out"])
        lines = self._not_known(t, "unknown") if asks_choice(t.analysed) else r.unknown or DEFAULT_LINES["unknown"]
        return "unknown", dict(lines=lines, reasons=[*why, "a fact the scenario does not know"])

    def _statement(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A turn that asks nothing: taken up (confirmed) or acknowledged, never
        answered with a fact."""
        s = self.state
        r = self.scenario.reactions
        if t.parrot:
            return "react", dict(lines=DEFAULT_LINES["echo"], reasons=[*why, "their own words handed back"])
        if t.took_up and t.labels & {"reflection", "empathy"}:
            # A statement that restated what they told: they agree. Taking up
            # their words is not enough ("I've brought the contract so we can
            # get going today" is no summary to say "Exactly" to).
            return self._confirm(t, why)
        if t.small_talk:
            return "small_talk", dict(lines=r.small_talk or DEFAULT_LINES["small_talk"], reasons=[*why, "small talk"])
        if t.match.proposes:
            return self._proposal(t, why)
        if "mutual_success" in t.labels and s.mutual <= 1:
            return "confirm", dict(lines=r.mutual_success or r.fallback, reasons=[*why, "shared success"])
        if t.labels & {"empathy", "reflection"}:
            # An acknowledgement that restates nothing they told: thanks for
            # the sympathy, never praise for a summary it did not make. Put to
            # them ("... Is that right?"), it gets a guarded yes, not "I see."
            # (round 20, to a summary of what they had said turns before).
            if t.checks:
                lines = DEFAULT_LINES["checked"]
            else:
                lines = r.empathy if "empathy" in t.labels and r.empathy else r.fallback
            return "surface", dict(lines=lines, reasons=[*why, "an acknowledgement that carried nothing of theirs"])
        if t.checks:  # "Let me make sure I've got the main points: ... Have I missed anything important?"
            return "surface", dict(lines=DEFAULT_LINES["checked"], reasons=[*why, "a check on a summary of nothing of theirs"])
        return "surface", dict(lines=r.fallback, reasons=[*why, "nothing to take up"])

    def _discovery(self, t: _Turn, d: Discovery, why: list[str]) -> tuple[MoveKind, dict]:
        s = self.state
        if d.id in s.discovered:
            lines = self.matcher.closest_first(t.match, topic_key("discovery", d.id), self._said(d.more) or self._said(d.reveal))
            return "elaborate", dict(lines=lines, facts=tuple(self._said(d.reveal)), then=self._told_all(t),
                                     reasons=[*why, f"'{d.id}' is already out"])
        if not t.substance:
            return "surface", dict(lines=self._said(d.surface) or self._said(d.guarded),
                                   reasons=[*why, f"a generic prompt on '{d.id}': nothing specific to this buyer"])
        gate = self._gate(d, t)
        if gate:
            alt = self._answerable_tie(t)
            if alt is not None:
                # As near something they can answer: answered, not held back. "Can you tell me
                # a bit about how onboarding works at Ashgrove today?", as near the tools they
                # use as the history they would not go into yet, got "Let's not go into
                # history." (rounds 14 and 46, rated 0).
                return self._answer_topic(replace(t, match=replace(t.match, topic=alt)),
                                          [*why, f"'{d.id}' not yet ({gate}); as near '{alt.id}'"])
            return "hold", dict(lines=self._said(d.guarded), reasons=[*why, gate])
        s.discovered.append(d.id)
        lead = self._lead(t)
        return "reveal", dict(revealed=(d.id,), lines=self._said(d.reveal), lead=lead, reasons=[*why, f"reveals '{d.id}'"])

    def _answerable_tie(self, t: _Turn) -> TopicMatch | None:
        """The first topic tied with the turn's (Match.ties) that the buyer
        would answer now: a fact, a story already out, or one whose gate is met."""
        for x in t.match.ties:
            if x.kind == "fact" or (x.kind == "discovery" and (
                    x.id in self.state.discovered or self._gate(self._discoveries[x.id], t) is None)):
                return x
        return None

    def _about_nothing(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A real question the scenario has no answer for ("What would make the
        installs easier on the depots?"): the surface of the untold story it
        is clearly nearest (_near_story: "What happened, from where you sat?",
        0.48 from what failed and why, got "I'd need to think that one
        through."), else that the buyer has not worked it out, rather than an
        answer to "How's business?". (By words alone, "What's been on your
        plate since the outage?" has a word of theirs and is still a generic
        prompt.) How things have been ("How are things going at Fernhill?")
        is no question to work out: "That's what I'm still working out." was
        rated 0."""
        near = self._near_story(t)
        if near is not None:
            return "surface", dict(lines=self._said(near.surface) or self._said(near.guarded),
                                   reasons=[*why, f"nearest '{near.id}', not close enough to tell it: its surface"])
        lines = self._not_known(t, "untold" if t.match.question == "past" else "unworked")
        return "surface", dict(lines=lines, reasons=[*why, "a question about nothing the buyer knows"])

    def _near_story(self, t: _Turn) -> Discovery | None:
        """The untold story a turn about no topic is nearest of all the
        scenario's topics, at SIM_LOW at least and clearly (NEAREST_BY ahead
        of the next), or None: "...who felt it most outside IT, and where has
        it left you since?" is 0.42 from what it meant for her personally and
        0.41 from how long she has been in post."""
        sims = t.match.sims
        ranked = sorted(sims, key=sims.__getitem__, reverse=True)
        if not ranked:
            return None
        k = ranked[0]
        kind, _, ident = k.partition(":")
        runner_up = sims[ranked[1]] if len(ranked) > 1 else 0.0
        if kind != "discovery" or sims[k] < SIM_LOW or sims[k] - runner_up < NEAREST_BY or ident in self.state.discovered:
            return None
        return self.scenario.discovery(ident)

    def _told_all(self, t: _Turn) -> tuple[str, ...]:
        """What the buyer says once a told story's lines are all said: that
        is all there is, to "Tell me more"; to a new question on it ("Which
        readings do they trust least?", "What's stopped you so far?") an
        honest line that it has not been worked out, or for a yes or no that
        it cannot say (rounds 15, 16 and 18 rated "I've told you most of it,
        honestly." 0 there)."""
        if not asks_new(t.analysed):
            return DEFAULT_LINES["told_all"]
        if t.match.question == "yes_no":  # "Is there a ward where a short trial would be a fair test?"
            return self._not_known(t, "untold" if asks_past(t.analysed) else "unsure")
        return self._not_known(t, "unworked")

    @staticmethod
    def _not_known(t: _Turn, key: str) -> tuple[str, ...]:
        """The honest lines (DEFAULT_LINES[key]) for a question the scenario
        has no answer to; for a choice between things, the buyer picks both
        rather than claiming not to know their own world ("...a big contractor
        job you didn't see coming, or our delivery slipping?" got "I'm not
        sure yet, to be honest.", round 21)."""
        return DEFAULT_LINES["choice"] if asks_choice(t.analysed) else DEFAULT_LINES[key]

    def _gate(self, d: Discovery, t: _Turn) -> str | None:
        """Why a discovery asked about specifically is held back (None: it is
        told). A buyer who would agree a next step answers a closed question
        on it too: "Is there anything your drivers raised during the pilot?"
        at trust 86 got "It went fine. We're still going through the numbers."
        (rounds 11-16: holding lines to warm closed questions, rated 0 or 1)."""
        if d.requires.open_question and "open_question" not in t.labels and not self._ready():
            return "needs an open question"
        return self._unmet(d)

    def _unmet(self, d: Discovery) -> str | None:
        """What the buyer's state lacks for ``d`` to be told, whatever the turn: trust, or discoveries first."""
        s = self.state
        if s.trust < self.scenario.gate(d):
            return f"trust {s.trust:.0f} below the {self.scenario.gate(d):g} it needs"
        missing = [a for a in d.requires.after if a not in s.discovered]
        if missing:
            return "needs " + ", ".join(missing) + " first"
        return None

    def _confirm(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A reflection that carried their words: they agree, and a trusting buyer
        may offer the fact most related to it."""
        s = self.state
        r = self.scenario.reactions
        lines = [*(r.reflection if "reflection" in t.labels else ()), *(r.empathy if "empathy" in t.labels else ()),
                 *r.follow_up] or list(r.fallback)
        last = s.last_topic.id if s.last_topic is not None and s.last_topic.kind == "discovery" else None
        if s.trust >= VOLUNTEER_TRUST and last in s.discovered and not s.curt:
            for j in self._related(last):
                d = self._discoveries[j]
                if j not in s.discovered and d.volunteer and self._unmet(d) is None:
                    s.discovered.append(j)
                    return "volunteer", dict(revealed=(j,), lines=self._said(d.reveal), lead=tuple(lines),
                                             reasons=[*why, f"a real reflection on '{last}': volunteers '{j}'"])
        return "confirm", dict(lines=lines, reasons=[*why, "a reflection that carried their words"])

    def _related(self, discovery_id: str) -> list[str]:
        """Discoveries that wait for this one first, then the rest in scenario order."""
        order = [d.id for d in self.scenario.discoveries if d.id != discovery_id]
        first = [j for j in order if discovery_id in self._discoveries[j].requires.after]
        return first + [j for j in order if j not in first]

    def _proposal(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        """A proposal that is not the scenario's next step: too early (declined)
        before the buyer would agree a next step, else considered."""
        if not self._ready():
            return "decline", dict(lines=self._declined(), reasons=[*why, "a proposal before the buyer is ready for one"])
        lines = DEFAULT_LINES["consider_choice" if asks_choice(t.analysed) else "consider"]
        return "consider", dict(lines=lines, reasons=[*why, "a proposal that is not the next step"])

    def _declined(self, *, lead: bool = False) -> tuple[str, ...]:
        """The buyer's no to a proposal made too early: the scenario's declined
        lines, else the curt or fallback lines (``lead``: a lead-in before a
        pressed concern, where "Go on." would refuse nothing: a generic not-yet)."""
        ns = self.scenario.ending.next_step
        if ns is not None and ns.declined:
            return tuple(ns.declined)
        if lead:
            return DEFAULT_LINES["not_yet"]
        r = self.scenario.reactions
        return tuple(r.curt if self.state.curt else r.fallback)

    def _ready(self) -> bool:
        """Whether the buyer would agree a next step now, as far as trust goes
        (value is established; see EXCUSED_WHEN_READY)."""
        return self.state.trust >= self.scenario.next_step_trust and not self.state.curt

    def _next_step(self, t: _Turn, why: list[str]) -> tuple[MoveKind, dict]:
        s = self.state
        sc = self.scenario
        ns = sc.ending.next_step
        assert ns is not None
        declined = self._declined()
        if s.open_objection is not None:
            o = sc.objection(s.open_objection)
            return "press", dict(objection=o.id, lines=self._said(o.press), reasons=[*why, f"'{o.id}' is still open"])
        missing = [a for a in ns.after if a not in s.discovered]
        need = sc.next_step_trust
        if s.trust < need or missing:
            gate = f"needs {', '.join(missing)} first" if missing else f"trust {s.trust:.0f} below the {need:g} it needs"
            return "decline", dict(lines=declined, reasons=[*why, "a next step proposed too early: " + gate])
        # The reply nearest what was proposed first: "That's what I need. Like for like, weekends in,
        # by the end of the week." agreed to a meeting with the finance director (round 16).
        return "accept", dict(lines=self.matcher.closest_first(t.match, "next_step", ns.reply),
                              reasons=[*why, "agrees the next step"], ended=True, end_reason="next_step")

    def _objection_due(self, t: _Turn) -> Objection | None:
        """The objection this turn sets off, if any (raised once each)."""
        s = self.state
        for o in self.scenario.objections:
            if o.id in s.objections:
                continue
            due = ((o.when == "pitch" and "pitching" in t.labels) or (o.when == "next_step" and t.topic.kind == "next_step")
                   or (o.when == "asked" and ((t.topic.kind == "objection" and t.topic.id == o.id) or self._states(o, t)))
                   # Asked what worries them, about nothing else they know, in words of
                   # theirs: a concern they hold about the deal ("Is there anything in the
                   # proposal itself, the three years or the price, that you're not
                   # comfortable with?" got "It's a mix of the two.", and the concern came
                   # a turn later). "Do you have any concerns?" fits any buyer.
                   or (o.when in ("next_step", "asked") and t.topic.kind == "none" and t.substance
                       and asks_concerns(t.analysed))
                   # Asked what they would need first, about nothing else, in any words: the
                   # concern they would voice at a next step ("What would you need to see
                   # from us first before that's worth your time?" got "Good question. I
                   # haven't worked that out yet.", rounds 13-40).
                   or (o.when == "next_step" and t.topic.kind in ("none", "generic") and asks_needs(t.analysed)))
            if due and self._settles_unvoiced(o, t):
                # The turn answers the concern before the buyer voices it: "...I can
                # pass some of that back to you. You'd have a genuine saving to show
                # finance. Does that shape work for you?" got "And the fifteen
                # percent? I still need a saving to show finance." (round 13);
                # "We stop the weekly meeting and replace it with a written
                # quarterly assurance report for Ann's audit committee..." got
                # "That weekly meeting is the reason my board trusts payroll
                # again." from a buyer who had asked for exactly that (round 16).
                s.objections[o.id] = "handled"
                continue
            if due:
                return o
            if o.when == "turn" and o.id in s.explored:
                # "What did you try in 2019, and why didn't it stick?" was answered
                # two turns ago: "Let me save us some time. We bought a system in
                # 2019..." would tell the rep what they have just heard.
                s.objections[o.id] = "handled"
                continue
            if o.when == "turn" and o.turn is not None and s.turn >= o.turn:
                # Raised on a turn that asks no real question (the buyer answers
                # what was asked first), on one that asks about it before the
                # buyer would tell the story, or once it has waited long enough.
                asking = t.asks and (t.substance or t.topic.kind in ("discovery", "fact"))
                if not asking or self._held_near(o, t) or s.turn >= o.turn + OBJECTION_PATIENCE:
                    return o
        # The rep asks about a concern the buyer has not voiced yet: they voice
        # it now, unless the turn answers it ("...I can bring the renewal price
        # down, not fifteen percent, but something real you can show as a
        # saving" got "And the fifteen percent? I still need a saving to show
        # finance.", round 19): then it is settled, and conceded as it is.
        if t.topic.kind == "objection" and t.topic.id not in s.objections:
            o = self.scenario.objection(t.topic.id)
            if self._settles_unvoiced(o, t):
                s.objections[o.id] = "handled"
                return None
            return o
        return None

    def _held_near(self, o: Objection, t: _Turn) -> bool:
        """The turn asks about an untold story the buyer would hold back, and
        as nearly about concern ``o``, not voiced yet: the buyer voices the
        concern. "I hear you've had a bed system before. What happened with
        it?", to "we've been here before", got "That's history. I'm more
        interested in what you'd do differently." from the buyer who had
        just brought it up."""
        if not (t.asks and t.substance and t.topic.kind == "discovery" and self.matcher.has_meaning):
            return False
        d = self._discoveries[t.topic.id]
        near = t.match.sims.get(topic_key("objection", o.id), 0.0) >= max(SIM_MID, t.topic.similarity - TIE)
        return near and t.topic.id not in self.state.discovered and self._gate(d, t) is not None

    def _explores(self, o: Objection, t: _Turn) -> bool:
        """The turn asks, well, about concern ``o`` (in meaning), whatever else it is about."""
        return (t.asks and t.substance and not t.labels & BAD and bool(t.labels & LISTENING)
                and t.match.sims.get(topic_key("objection", o.id), 0.0) >= SIM_MID)

    def _states(self, o: Objection, t: _Turn) -> bool:
        """The turn brings concern ``o`` up in a statement, not a question
        ("We can't renew with the weekly meeting and the free custom reports
        as they are"), while asking about something else (Match.stated)."""
        return self._stating(o, t) is not None

    def _stating(self, o: Objection, t: _Turn) -> str | None:
        """The statement that brings concern ``o`` up (see _states), if any."""
        if t.topic.kind == "objection" and t.topic.id == o.id:
            return None
        said, sim = t.match.stated.get(o.id, ("", 0.0))
        return said if sim >= STATED_SIM else None

    def _settles_unvoiced(self, o: Objection, t: _Turn) -> bool:
        """The turn answers concern ``o`` before the buyer voices it, in its
        terms and without pushing (see _answers). A pitch never settles a
        concern about being pitched: "We're launching a concentrated refill
        range in March..." settled "A new launch? I'm taking lines out this
        spring", which a later budget question then heard conceded (round 22)."""
        if o.when == "pitch" and "pitching" in t.labels:
            return False
        return not (t.labels & BAD) - {"pitching"} and bool(self._concern_words(o, t)) and self._answers(o, t)

    def _handles(self, o: Objection, t: _Turn) -> bool:
        """A turn handles an objection when, with no bad behaviour in it, it is
        about the concern by meaning and listens (asks openly, acknowledges,
        reflects, frames it as shared), or takes up the buyer's words of it and
        acknowledges or explores them openly. A plain closed question that
        shares a word with the concern ("How many beds do you have?") does not."""
        if t.monologue or t.parrot:  # their own question handed back answers nothing
            return False
        bad = t.labels & BAD
        # An answer in the buyer's terms answers, pitched, or proposed with its
        # questions stacked: "what if we volunteered some of that space ourselves,
        # pulled our lines back to what earns on margin per metre...? Would that be
        # useful, and who else should be involved?" got "The space question hasn't
        # gone away." (round 46, rated 0). A list of questions that is no offer
        # answers nothing ("how much storage space do you have, how often do you order...?").
        if bad <= {"pitching", *(("checklist",) if t.match.proposes else ())} and self._answers(o, t):
            return True
        if bad and not (bad <= ANSWERED_ANYWAY and self._as_written(o, t)):
            return False
        if t.topic.kind == "objection" and t.topic.id == o.id:
            # Listening to the concern: asking, acknowledging, restating, sharing it.
            # A statement that only follows on ("choosing the cheapest would be
            # a mistake") argues with it.
            return bool(t.labels & (LISTENING | {"mutual_success"}))
        # Taken up: words of the concern itself, not of the way it was pressed
        # ("you're still waiting"), and listened to or shared ("...and we get it
        # wrong, that's on Keel, not you", to "whose name is on it?").
        concern = content_stems(" ".join([o.topic, *(x.say for x in o.lines), *o.handled_by])) - generic_stems()
        took = content_stems(" ".join(t.analysed.uptake.words)) & concern
        return t.took_up > 0 and bool(took) and bool(t.labels & (LISTENING | {"mutual_success"}))

    def _answers(self, o: Objection, t: _Turn) -> bool:
        """The turn answers the concern, without pushing, in its terms or in
        the terms of what the buyer has told: "What you'd get is a call weeks
        before a bearing like July's goes..." after "What do I get for it?",
        or "Bed states would come from the EPR feeds, the nurses wouldn't type
        anything" after "If this means my nurses typing bed states...". Saying
        what the offer does is no pitch here: the buyer asked (see
        ANSWER_WORDS). A discount in return for the data answers neither."""
        s = self.state
        a = t.analysed
        # The no that brings the concern up is no answer to it: "...we can't
        # keep providing them for free at the current price." settled "I'm not
        # giving it up lightly." unvoiced (round 26); an answer is in the rest of
        # what it states (its question, "what would you need instead?", answers nothing).
        stating = self._stating(o, t)
        sents = [y for y in (a.text[x.start : x.end] for x in a.sentences if x.form is None or t.match.proposes)
                 if y.strip() != stating]
        # A statement, or a proposal: "Would it help if we started without
        # touching the patient record at all...?" to "anything that touches the
        # patient record" goes into the IT queue (round 12: pressed again).
        said = specific_stems(a.text if stating is None else " ".join(sents))
        # Of this buyer, in what it states: "...so no one on the ward enters anything. Does that address it?"
        # asks nothing specific, and answers in the buyer's terms.
        ours = t.substance or bool(specific_stems(" ".join(sents)) & (self.matcher.vocabulary | s.heard))
        if t.parrot or not (ours and any(_WOULD.search(x) for x in sents)):
            return False  # "The last supplier who let you down was a cowboy outfit" argues; it answers nothing
        told = said & specific_stems(" ".join(x.say for d in self.scenario.discoveries if d.id in s.discovered
                                              for x in d.reveal))
        concern = said & self._concern_words(o, t)
        if concern:
            # What else they told counts beside the concern's own words ("we
            # run the failover test on your own systems, with your team
            # watching", to "What makes you different?", after "a failover test
            # they can watch"); alone, their tools named in a pitch ("PDFs, a
            # shared drive and email is exactly where Clearpath helps") answer
            # no concern about demos.
            told |= said & s.told
        # In the buyer's own terms: a pitch that only echoes the concern ("What
        # makes us different is the guarantee... sign this month and I'll take
        # 20% off", to "What makes you different?") rebuts it.
        return bool(told) and len(told | concern) >= ANSWER_WORDS

    def _conceded(self, o: Objection, t: _Turn) -> tuple[str, ...]:
        """The concede lines, the one nearest the turn first: "The whiteboard and
        the bed meeting at eight." answers "What do the nurses do today?", not
        "Good. If it reads what they already do..." (round 12)."""
        return self.matcher.closest_first(t.match, topic_key("objection", o.id), self._said(o.concede))

    def _concern_words(self, o: Objection, t: _Turn) -> set[str]:
        """The turn's specific words that are the concern's (see _concern)."""
        return specific_stems(t.analysed.text) & self._concern(o)

    def _concern(self, o: Objection) -> frozenset[str]:
        """The specific words of concern ``o``: its topic, lines and press lines (stemmed once)."""
        if o.id not in self._concerns:
            self._concerns[o.id] = frozenset(specific_stems(" ".join([o.topic, *(x.say for x in o.lines),
                                                                       *(x.say for x in o.press)])))
        return self._concerns[o.id]

    def _speaks_to(self, o: Objection, t: _Turn) -> bool:
        """The turn answers concern ``o`` in a statement of its own, settled or
        not: a sentence that asks nothing, says how it would or would not be
        (_WOULD) and has SPOKEN_WORDS of the concern's specific words ("Bed
        states come from the systems you already have, nurses don't re-key
        anything." to "my nurses typing bed states into another screen").
        What else the turn does is for the caller to weigh. A claim
        ("Because ours actually works.") is no answer: "I asked why this
        would be different. I'm still waiting." fits it."""
        a = t.analysed
        stating = self._stating(o, t)
        said = " ".join(y for y in (a.text[x.start : x.end] for x in a.sentences if x.form is None)
                        if y.strip() != stating and _WOULD.search(y))
        return len(specific_stems(said) & self._concern(o)) >= SPOKEN_WORDS

    def _counters(self, o: Objection, t: _Turn) -> bool:
        """The turn offers something on the concern (see _OFFER), in its words:
        "I could do a two-year deal..." to "three years is a long commitment",
        "I can take five percent off" to an eighteen percent gap."""
        text = t.analysed.text
        if not _OFFER.search(text):
            return False
        # Its words, not any figure: eight percent off is no offer on "software
        # won't fix eleven weeks on a boat".
        return bool(self._concern_words(o, t))

    def _argues(self, o: Objection, t: _Turn) -> bool:
        """The turn answers concern ``o``, just voiced, with reasons of the
        rep's (no question, no push): "Fair question. Our price includes
        seven-day collections, including Saturdays..." to "Why would I pay
        that?" got "I didn't ask for the brochure. You haven't told me why I'd
        pay more." (round 37: rated 0, she had asked). Heard, and not enough."""
        return (self.state.voiced == o.id and not t.asks and t.substance and not _OFFER.search(t.analysed.text)
                and not t.labels & (BAD - {"pitching"}) and not t.monologue)

    def _plainly_asked(self, t: _Turn) -> bool:
        """The turn is plainly about its fact (see ANSWERED_ANYWAY_SIM), and
        asks for it: "Can I put you down for the three-year agreement?" shares
        the contract fact's words and proposes, it does not ask the term."""
        if t.match.proposes:
            return False
        if not self.matcher.has_meaning:
            return True
        sim, shared = t.topic.similarity, t.match.words.get(topic_key("fact", t.topic.id), 0.0)
        return sim >= ANSWERED_ANYWAY_SIM or (sim >= FACT_SIM_WORDS and shared >= ANSWERED_ANYWAY_WORDS)

    def _after_concern(self, t: _Turn, why: list[str]) -> dict | None:
        """What a turn that settles the concern also asked, answered: the story
        of a discovery as near as the concern ("What made the wards give up on
        the old system?"), or the discovery or fact the turn is about ("...is
        that your call, or does it go to the new director?"). None: nothing else."""
        if not t.asks:
            return None
        if t.topic.kind == "objection":
            d = self._also_asked(t)
            kind, told = self._discovery(t, d, why) if d is not None else (None, None)
            return told if kind == "reveal" else None
        return self._answered(t, why, ("reveal", "elaborate", "answer"))

    def _answered(self, t: _Turn, why: list[str], kinds: tuple[str, ...]) -> dict | None:
        """The turn's question on a discovery or fact of theirs answered
        (_answer), when the move is one of ``kinds``; None otherwise."""
        if t.topic.kind not in ("discovery", "fact") or not t.substance:
            return None
        kind, told = self._answer(t, why)
        return told if kind in kinds and told.get("lines") else None

    def _also_asked(self, t: _Turn) -> Discovery | None:
        """An untold discovery a question about the concern is as near in meaning
        as the concern itself (within the matcher's tie), if any."""
        if not (t.asks and t.substance and self.matcher.has_meaning and t.topic.kind == "objection"):
            return None  # a concern handled by taking up its words asks for no story
        s = self.state
        if s.voiced == t.topic.id and s.voiced_for is not None and s.voiced_for not in s.discovered:
            # "What went wrong, from where you sat?" after "We bought a system in 2019 and the nurses
            # abandoned it", voiced in place of the story, asks for the story.
            return self._discoveries[s.voiced_for]
        # Aired by the turn before (asked about before the buyer raised it: the
        # rep has not heard its story yet), the concern's story is what a
        # question on what happened asks for, as near as SIM_MID: "What went
        # wrong with it, from where you sat?" is 0.69 from the 2019 concern and
        # 0.46 from the story. ("What is it about the big packs?" asks for no story.)
        near = SIM_MID if s.aired == t.topic.id and t.match.question == "past" else t.topic.similarity - TIE
        untold = [d for d in self.scenario.discoveries if d.id not in self.state.discovered
                  and t.match.sims.get(topic_key("discovery", d.id), 0.0) >= max(near, SIM_MID)]
        return max(untold, key=lambda d: t.match.sims[topic_key("discovery", d.id)], default=None)

    def _as_written(self, o: Objection, t: _Turn) -> bool:
        """The turn is, in meaning, one of the trainer's own ways of handling
        the objection: a label the analyser may give it wrongly ("When would
        a trial cost your team least?" read as self-interested for "cost")
        does not outweigh the scenario's word."""
        return (self.matcher.has_meaning and t.topic.kind == "objection" and t.topic.id == o.id
                and t.topic.similarity >= AS_WRITTEN_SIM)

    # -- lines ---------------------------------------------------------------------------

    def _said(self, items: list[Said]) -> tuple[str, ...]:
        """The lines whose if_revealed conditions hold now."""
        return tuple(x.say for x in items if x.ready(self.state.discovered))

    def _reaction_lines(self, t: _Turn) -> tuple[str, ...]:
        r = self.scenario.reactions
        for label in BAD_ORDER:
            if label in t.labels and r.lines(label):
                return tuple(r.lines(label))
        return ()

    def _lead(self, t: _Turn) -> tuple[str, ...]:
        """A lead-in for a revealed fact when the turn reflected or empathised with substance."""
        if self.state.curt or t.took_up < 1:
            return ()
        for label in LEAD_LABELS:
            if label in t.labels and self.scenario.reactions.lines(label):
                return tuple(self.scenario.reactions.lines(label))
        return ()

    def _finish(self, kind: MoveKind, t: _Turn, before: float, f: dict) -> BuyerMove:
        s = self.state
        ended, reason = f.get("ended", False), f.get("end_reason")
        if not ended and s.turn >= self.scenario.ending.max_turns:
            ended, reason = True, "max_turns"
        if ended:
            s.ended, s.end_reason = True, reason
        lines = tuple(f.get("lines") or self.scenario.reactions.fallback)
        return BuyerMove(
            kind=kind, topic=t.topic, revealed=tuple(f.get("revealed", ())), fact=f.get("fact"),
            objection=f.get("objection"), reacting_to=f.get("reacting_to"), trust_before=before, trust_after=s.trust,
            ended=ended, end_reason=reason, lines=lines, lead=tuple(f.get("lead") or ()),
            then=tuple(f.get("then") or (DEFAULT_LINES["held"] if kind == "hold" else ())),
            facts=tuple(f.get("facts") or ()),
            reasons=tuple(f.get("reasons") or ()), specific=t.substance and not t.repeat, took_up=t.took_up,
            asked=t.asks, excused=tuple(sorted(t.excused)),
        )

    def _remember(self, t: _Turn, move: BuyerMove) -> None:
        s = self.state
        if not t.labels & (BAD - {"self_interested"}):  # an answer, not a pitch or a push
            # (not the statement that brings a concern up: "...we can't keep providing them for free")
            raised = move.objection if move.kind == "object" else None
            s.spoken_to |= {o.id for o in self.scenario.objections if o.id != raised and self._speaks_to(o, t)}
        s.explored |= {o.id for o in self.scenario.objections
                       if o.when == "turn" and o.id not in s.objections and self._explores(o, t)}
        s.last_told = self._tells(move)
        if move.fact is not None:
            s.facts_told.add(move.fact)
        # The next turn is as likely to be about a concern just voiced as about
        # anything: "What would make the commitment feel defensible?".
        s.voiced = move.objection if move.kind == "object" else None
        # (voiced and settled at once: see _raise)
        s.aired = s.voiced if s.voiced is not None and s.objections.get(s.voiced) == "handled" else None
        # Asked well about a story, the buyer voiced a concern instead (see
        # _held_near); a pitch that set a concern off asked about no story.
        s.voiced_for = (t.topic.id if move.kind == "object" and t.topic.kind == "discovery" and t.asks and t.substance
                        and not t.labels & BAD and t.topic.id not in s.discovered else None)
        if move.kind in ANSWERED:
            s.said.append(" ".join(t.analysed.text.lower().split()).strip(" .!?"))
            if t.analysed.embedding is not None:
                s.said_vectors.append(t.analysed.embedding)
        if move.kind in ("reveal", "hold", "surface", "elaborate", "answer", "volunteer") and t.topic.kind in ("discovery", "fact"):
            s.last_topic = t.topic if move.kind != "volunteer" else TopicMatch("discovery", move.revealed[0], 0.0, "volunteered")
        elif move.kind == "concede" and move.lead and t.topic.kind in ("discovery", "fact"):
            # Settled, then told what else was asked (see _after_concern): the
            # next turn goes on with what was told. "...the refill trial. How is
            # it going so far in those twelve stores...?" after "Alright. That's
            # fair. Refill stations are being trialled in twelve stores." got
            # "Honestly? It's all range review at the moment." (round 20: rated 0).
            s.last_topic = t.topic
        elif s.voiced_for is not None:
            # "What's the one thing about that rollout you'd never want
            # repeated?" goes on with the story, not the concern aired.
            s.last_topic = t.topic
        elif move.kind in ("object", "press", "concede"):
            s.last_topic = TopicMatch("objection", move.objection, 0.0, "the objection")

