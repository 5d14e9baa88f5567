"""The rule voice: the buyer says the scenario's own lines.

The embedded default, deterministic given a seed, and the fallback of any other
voice. It says one of the move's lines not said yet in the session (variants
rotate in a seeded order), after the move's lead-in if it has one. When a
move's lines are all used: a fact is said again ("As I said, ..."), more on a
told story is "That's about all there is to it.", a reaction
falls back to the scenario's `fallback` lines, then to short neutral
acknowledgements, then to pairs of them, so the buyer never says the same line
twice. A curt buyer says one thing: the lead-in (how they take the turn) when
there is one, else a cold line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.buyer.move import BuyerMove, VoiceContext

if TYPE_CHECKING:  # pragma: no cover
    from coach.scenario import Scenario

#: Neutral acknowledgements used when a scenario's own lines are all used up.
GENERIC_LINES: tuple[str, ...] = (
    "Mm.", "Go on.", "Okay.", "Right.", "I see.", "Hm.", "Sure.", "Mm-hm.", "Fair enough.", "Okay, and?",
)
#: Moves whose lines carry content: said again ("As I said, ...") rather than
#: replaced by an acknowledgement. A surface line counts only when it is a
#: discovery's (its own words on the topic); a reaction said again after "As I
#: said" would read "As I said, exactly."
CONTENT_KINDS = frozenset({"reveal", "volunteer", "elaborate", "answer", "object", "press",
                           "concede", "accept", "decline", "walkout", "unknown"})
#: Lines shorter than this many words are not worth saying again.
REUSE_MIN_WORDS = 5
#: How a line said before is introduced, in turn (so a third telling differs from the second).
AGAIN = ("As I said, ", "Like I said, ", "Again: ")


class RuleVoice:
    """Says the scenario's lines. One per session (it remembers what was said)."""

    name = "rule"

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        self.scenario = scenario
        self._rng = random.Random(seed)
        self._used: set[str] = set()
        self._said: set[str] = set()
        self._lower: set[str] | None = None

    def line(self, move: BuyerMove) -> str:
        """The line for ``move`` (and remember it as said)."""
        if move.kind == "opening":
            text = move.lines[0] if move.lines else self.scenario.buyer.opening
        else:
            lead = self._pick(move.lead, optional=True) if move.lead else ""
            # More on a told story, and a concern settled: the director put the line that answers the question first.
            # Curt is short: how the buyer takes the turn says it ("Don't rush
            # me. I've seen what rushing does.", not "... Mm." or "... Go on."),
            # and a cold line only once the pushback is used up.
            if lead and move.kind == "curt":
                body = ""
            elif move.then and all(x in self._used for x in move.lines):
                body = self._pick(move.then)
            else:
                body = self._pick(move.lines, reuse=AGAIN[0] if self._content(move) else None,
                                  in_order=move.kind in ("elaborate", "concede", "accept"))
            text = " ".join(x for x in (lead, body) if x)
            for again in AGAIN[1:]:  # told twice already: another way in
                if text not in self._said or not body.startswith(AGAIN[0]):
                    break
                text = " ".join(x for x in (lead, again + body[len(AGAIN[0]):]) if x)
            if text in self._said:  # a composed reply can coincide with an earlier one
                text = f"{text} {self._pick(GENERIC_LINES, optional=True) or self._rng.choice(GENERIC_LINES)}"
        self._said.add(text)
        return text

    def _lower_words(self) -> set[str]:
        """Words that are not names: the scenario writes them in lower case
        somewhere, or they are stop words ("One shop...")."""
        if self._lower is None:
            from coach.analysis.language import stopwords

            self._lower = set(re.findall(r"\b[a-z][a-z']*\b", self.scenario.model_dump_json())) | stopwords()
        return self._lower

    @staticmethod
    def _content(move: BuyerMove) -> bool:
        return move.kind in CONTENT_KINDS or (
            move.kind == "surface" and move.topic is not None and move.topic.kind == "discovery")

    def speak(self, move: BuyerMove, context: VoiceContext) -> Iterator[str]:
        yield context.rule_line or self.line(move)

    def _pick(self, lines, *, reuse: str | None = None, optional: bool = False, in_order: bool = False) -> str:
        """A line not used yet, chosen with the seeded generator (``in_order``:
        the first, the lines being ranked by the director). All used: an
        ``optional`` line (a lead-in) is left out; with ``reuse``, one of them
        is said again after that prefix; otherwise the scenario's fallback
        lines, then generic acknowledgements, then pairs of them."""
        fresh = [x for x in lines if x not in self._used]
        if fresh:
            choice = fresh[0] if in_order else self._rng.choice(fresh)
            self._used.add(choice)
            return choice
        if optional:
            return ""
        worth = [x for x in lines if len(x.split()) >= REUSE_MIN_WORDS]
        if reuse is not None and worth:
            line = worth[0] if in_order else self._rng.choice(worth)
            first = re.match(r"[A-Za-z']+", line)
            # A name keeps its capital ("As I said, Ann used to be an auditor."):
            # a word the scenario never writes in lower case.
            # A word with "'s" is looked up without it: "As I said, Nothing's set aside." (round 31).
            word = first.group(0).lower() if first is not None else ""
            keep = line.startswith(("I ", "I'")) or not line[:1].isupper() or (
                first is not None and not {word, word.removesuffix("'s")} & self._lower_words())
            return reuse + (line if keep else line[0].lower() + line[1:])
        for pool in (self.scenario.reactions.fallback, GENERIC_LINES):
            fresh = [x for x in pool if x not in self._used]
            if fresh:
                choice = self._rng.choice(fresh)
                self._used.add(choice)
                return choice
        pairs = [f"{a} {b}" for a in GENERIC_LINES for b in GENERIC_LINES if a != b and f"{a} {b}" not in self._used]
        choice = self._rng.choice(pairs) if pairs else self._rng.choice(GENERIC_LINES)
        self._used.add(choice)
        return choice
