"""What a rep turn is about, among a scenario's topics, and how specifically.

The director asks two things of every rep turn: which of the scenario's topics
(a hidden discovery, a plain fact, an objection, the next step) it is about,
and whether it is *specific* to this buyer or a generic prompt that would fit
any buyer ("What are your goals?", "Tell me more.", "What else?").

Topics are recognised by meaning: the general sentence encoder's embedding of
the turn's asking sentences (the analyser's AnalysedTurn.sentences) against
each topic's phrase and example questions, with shared content words as a
tie-breaker, and as the whole test when there is no encoder. Specificity comes
from the words: a turn is specific when it carries words of this buyer's world
(the scenario's own text, or what the buyer has told so far) beyond the
generic vocabulary of coach.analysis.language, or when its meaning is clearly
closer to one topic than to any generic prompt. (The director also counts a
turn that took up what the buyer had just told.)

The thresholds were chosen on the built-in scenarios' examples and the
relevance probes in benchmarks/ (see bench_buyer.py): they are cosine
similarities of all-MiniLM-L6-v2, where unrelated sentences sit near 0.1-0.3
and paraphrases of one question near 0.5-0.8.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from coach.analysis.language import content_stems, generic_stems, specific_stems, words, written_sentences
from coach.analysis.uptake import PARROT_ECHO, leads_with_number, numbers
from coach.buyer.move import TopicMatch

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from coach.analysis.types import AnalysedTurn
    from coach.scenario import Scenario

#: Cosine similarity at or above which a turn is about a topic.
SIM_HIGH = 0.50
#: ... or at or above this when no other topic comes within SIM_MARGIN of it.
SIM_MID = 0.42
SIM_MARGIN = 0.12
#: ... or at or above this when shared content words confirm it.
SIM_LOW = 0.35
#: Weighted shared-word score that confirms a borderline match, or decides on
#: its own without an encoder.
KW_CONFIRM = 0.5
KW_ALONE = 1.0
#: Two words specific to one topic carry a weak meaning score at or above
#: SIM_FLOOR: the encoder misses some domain synonyms ("the last breakdown"
#: for "the last time a compressor went down").
KW_STRONG = 2.0
SIM_FLOOR = 0.2
#: Candidates within this of the best count as a tie: an untold discovery wins,
#: then one whose `after` facts are told.
TIE = 0.06
#: A topic's similarity is also its answer's (the buyer's reveal, more, or fact
#: lines), less this: an answer shares a question's words more than its form.
SAID_DISCOUNT = 0.05
#: Keyword weight of a word the buyer used when telling a discovery, once it is out.
TOLD_WORD = 0.5
#: Cosine similarity at or above which a proposal (see PROPOSAL) is the
#: scenario's next step, and how far below the closest topic it may sit: a
#: proposal's form already says it proposes, so its meaning need only be near.
#: A turn that proposes nothing is never the next step, however close its
#: meaning ("What does onboarding look like today?" is not an offer to meet).
#: Once the buyer would agree a next step, a proposal at NEXT_SIM is taken as
#: it however near another topic it is ("Could we sit down for an hour before
#: the range review and model it on your numbers?" is 0.43 from the next step,
#: 0.61 from the review-date fact; see Director._read).
NEXT_SIM = 0.40
NEXT_BELOW_TOPIC = 0.10
#: A plain fact is answered only for a question close to it: at or above this
#: similarity, or SIM_LOW with shared words (a fact is said outright, so a
#: near miss tells the rep something they did not ask). Clear of every other
#: topic is not enough: "How many customers come in?" is 0.59 from the
#: shops-and-loaves fact, and clear of the rest.
FACT_SIM = 0.60
#: ... and shared words confirm a fact only from this similarity: "Did the
#: closed rooms cost you more than the saving?" shares "rooms" with the
#: hotels-and-rooms fact at 0.38, and is not asking how many rooms there are.
FACT_SIM_WORDS = 0.45
#: A closed question ("How many...?", "Do you...?") asks for a fact: within
#: this of an untold discovery, the fact it is closest to wins the tie.
FACT_TIE = 0.08
#: A turn whose best topic beats the closest generic prompt by this much is
#: specific by meaning alone (a paraphrase in the buyer's terms).
GENERIC_MARGIN = 0.15
#: Turns at most this many words long with no topic of their own ("tell me
#: more", "how so?") continue the topic of the buyer's last reply.
SHORT_PROMPT_WORDS = 8
#: Words of the buyer's last answer a question takes up (or one of their
#: numbers) to go on with its topic when it names no topic of its own.
UPTAKE_WORDS = 2
#: Characters of a turn looked at, and sentences encoded at most (the last ones:
#: a turn ends on its ask).
MAX_MATCH_CHARS = 2000
MAX_SEGMENTS = 4
#: A statement in the turn (no question) at or above this similarity to a
#: concern the buyer raises when it comes up (an objection `when: asked`)
#: brings it up: "I should be upfront: the weekly meeting and the free custom
#: reports ... we can't keep providing them for free. What's driving the
#: request for fifteen percent off?" (0.79) had the discount question answered
#: and the no never heard (round 26). The plain refusals in the kept rated
#: sessions sit at 0.65-0.92; below, "I'm not here with an ultimatum or a big
#: price rise." (0.60) and "Yes, renewal's coming up in two months." (0.54).
STATED_SIM = 0.65

#: Prompts that fit any buyer. A turn closer to these than to the scenario's
#: topics, with nothing of this buyer in it, is generic.
GENERIC_PROMPTS: tuple[str, ...] = (
    "What are your goals?",
    "What are your priorities right now?",
    "What are your biggest challenges?",
    "What keeps you up at night?",
    "What are you hoping to achieve?",
    "What does success look like for you?",
    "Tell me more about that.",
    "Tell me more.",
    "What else?",
    "Can you say more?",
    "Why is that?",
    "How does that make you feel?",
    "What's on your plate at the moment?",
    "How's business going?",
    "What would you like to change?",
    "What's the biggest problem you're facing?",
    "How can I help you?",
    "What matters most to you?",
    "Where do you want to be in a year?",
    "What's working and what isn't?",
    "How are things going?",
    "What would make this a win for you?",
    "Do you have any concerns?",
    "Is there anything you're worried about?",
    "What's holding you back?",
    "It sounds like that's been a challenge.",
    "That sounds hard.",
    "I'd love to partner with you on this journey.",
)


#: A sentence that proposes something the rep and buyer would do: a meeting, a
#: visit, a trial, a next step ("Shall we...", "Would it help if I came...",
#: "Let's...", "How about Tuesday?", "I suggest we..."). Read on every sentence
#: of a turn, asking or not.
#: A lead-in that puts what follows aside from what came before: "In the
#: meantime, would it make sense to set up a demo...?" (round 35).
_MEANWHILE = r"in the meantime|meanwhile"
PROPOSAL = re.compile(
    r"^\W*(?:(?:so|then|and|ok(?:ay)?|well|great|right|look|listen|honestly|" + _MEANWHILE + r")\W+)*"
    # "Then here's a suggestion: before we talk numbers, could we..."
    r"(?:here(?:'s| is) (?:a|my|one|an|another) (?:suggestion|thought|idea|proposal|plan)\W+)?"
    # A short lead-in clause: "Rather than a demo, would it help if I...",
    # "If you're open to it, shall we..."
    # ("To make it real, could we...", "If I put together a one-page outline
    # of what a test failover would involve, would you be open to...")
    # ("If we built Ann that report and one standard board pack, and priced a smaller renewal on that, could we...")
    r"(?:(?:rather than|instead of|if|given|since|as|with|before|after|for|to)\b[^,.?!;]{1,110},\s*"
    r"(?:(?:and|or|then)\b[^,.?!;]{1,80},\s*)?)?"
    # "I'll bring the letter with me, so shall we say Tuesday morning?"
    # ("I'll send over the policy template this week, and can we book a meeting next week...?", round 40)
    r"(?:[^,.?!;]{1,90},\s*(?:so|then|and)\s+(?=(?:shall|should|could|can|might|would) we\b))?(?:"
    # (not the past: "Could we have seen them coming?")
    r"(?:shall|should|could|can|might|would) we\b(?!\s+have\s+(?:\w+ed|been|seen|done|known|had|got|gone|made)\b)"
    # "What about the custom reports: who asks for them?" goes on to ask.
    r"|(?:how|what) about (?:we\b|if\b|i\b|a\b|an\b|the\b|next\b|this\b|\w+day\b|tomorrow\b|setting\b|trying\b|starting\b|running\b|booking\b)"
    r"(?![^?]*[:;,\u2014-]\s*(?:who|what|how|why|when|where|which|is|are|was|were|do|does|did|has|have)\b)"
    r"|why don'?t (?:we|i)\b|what if (?:we|i)\b"
    r"|let(?:'?s| us) (?:meet|book|schedule|set up|arrange|try|run|pilot|trial|start|plan|put|get (?:together|a date)|do a|look at|walk|go through|talk again|speak again|pick|agree|map|sit down|visit|bring)\b"
    r"|would it help (?:\w+ )?(?:if|to)\b|would it be (?:useful|helpful|worth)\b|(?:would|does) it make sense (?:to|if|for)\b"
    # Asking leave to do the next step: "would it be okay if I sent over the
    # spec sheet this week, and then checked in in a fortnight?" (not "Would
    # it be okay if I asked about budget?")
    # "Are you happy for me to come by Tuesday and mark the racks with you?" (round 34: "I'm not sure, honestly.")
    r"|(?:are|would) you (?:be )?(?:happy|ok(?:ay)?|alright|all right|comfortable) (?:for|with) (?:me|us) (?:to )?"
    r"(?:come|visit|drop|call|ring|send|book|set up|bring|walk|mark|put|pop|sit|run|show)\b"
    # "So, next Tuesday, walk the racks and mark the sealants first?" (round 34: a told story's next line)
    r"|(?:next |this )?(?:mon|tues|wednes|thurs|fri)day\W+(?:(?:then|we|i)\W+)?(?:walk|meet|come|go through|start|mark|run|try|sit"
    r"|look|visit|call)\b"
    r"|(?:(?:would|will) it be|is it) (?:ok(?:ay)?|alright|all right|fine) (?:if (?:i|we)|for (?:me|us) to|to)"
    r" (?:sen[dt]|c[oa]me|book(?:ed)?|set up|arranged?|dropp?e?d?|br(?:ing|ought)|follow(?:ed)? up|check(?:ed)? in|call(?:ed)?"
    r"|r[ia]ng|put|shared?|visit(?:ed)?|ran|run|show(?:ed)?|pencil(?:led)?|email(?:ed)?)\b"
    # "Just a date for the demo you said would be useful. What works for you and IT?"
    r"|(?:what|which) (?:time |day |date |slot )?(?:works|suits|would work|would suit) (?:best )?(?:for )?(?:you|best)\b"
    r"|(?:would|could|can|may|might|shall|should) i (?:come|visit|send|set up|book|arrange|show|bring|put|share|run|drop|join|spend|sit in|walk"
    r"|draft|email|write up|write (?:it|that|this) up|put (?:it|that|this|something) together|pencil"
    r"|put you down|sign you up|get the (?:paperwork|contract)|draw up)\b"
    r"|would you (?:be (?:open|up for|willing|interested)|like (?:me|us) to|consider|want (?:me|us) to)\b"
    r"|(?:are|would) you (?:be )?(?:free|available)\b|do you have (?:time|half an hour|an hour)\b"
    r"|(?:i|we)(?:'d| would)? (?:suggest|propose|recommend)\b|my (?:suggestion|proposal)\b"
    r"|here(?:'s| is) what (?:i|we)(?:'d| would)? (?:suggest|propose|recommend)\b"
    r"|(?:i|we)(?:'d| would) like to (?:come|visit|book|set up|arrange|run|show|bring|meet)\b"
    r"|is (?:next|this) \w+ (?:good|ok|okay|free|possible)\b"
    # "So is Tuesday or Wednesday next week better for you...?" got "It's a mix of the two."
    r"|is (?:it )?(?:\w+day|tomorrow)(?: or (?:\w+day|tomorrow))?[^?]{0,20}\b(?:better|best|easier|good|ok(?:ay)?|free)\b"
    # Checking a proposal just made: "One hour next week, on one file. Does that work?"
    r"|(?:does|would|will|could) (?:that|this)(?: \w+)? (?:work|suit|help)\b|how does (?:that|this) sound\b"
    # ... and "Would a working session next week be useful?" (round 33: the told story's next line)
    r"|(?:would|will|could|is) (?:that|this|it|an? (?:\w+ ){0,4}\w+) be (?:worth|useful|helpful|worthwhile)\b"
    # "So what do you think of the idea: we hold the buffer at our end..." (round 28: more of a told story)
    r"|what do you (?:think|make) of (?:the|this|that|my|our) (?:idea|plan|proposal|suggestion)\b"
    # "...we walk through one onboarding together. Worth your time?"
    r"|(?:(?:is|would) (?:that|this|it) )?worth (?:your time|it|a (?:try|look|go|shot|conversation))\b"
    # "Would next Thursday work?", "Does Tuesday at ten suit?"
    # ("Would a date in the week after next suit you?", round 31: read as a pitch and answered "Every supplier says that now.")
    r"|(?:would|does|will|could) (?:the |that |this |next |a |an )?(?:\w+day|tomorrow|week|time|date|slot|morning|afternoon)\b"
    r"[^?]{0,30}\b(?:work|suit|do)\b"
    # ... and in chat, without the verb: "Tuesday morning work for you, say ten o'clock?"
    r"|(?:next |this )?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b[^?]{0,20}\b(?:work|works|suit|suits)\b"
    # ... or with nothing but where: "So, Thursday at the racks?" (round 43: a told story's next line)
    r"|(?:next |this )?(?:mon|tues|wednes|thurs|fri)day(?: (?:morning|afternoon))?(?:,? then| at [^?.!,;]{1,25})?\?\s*$"
    r")",
    re.I,
)


#: A proposal that says when or how long to meet: "we sit down for 45 minutes
#: next week", "we walk through it together for half an hour".
MEETING = re.compile(
    r"\b(?:next|this|the following) (?:week|month|\w+day)\b|\b(?:mon|tues|wednes|thurs|fri)day\b|\btomorrow\b"
    r"|\bin (?:a|one|two|three|a couple of|\d+) (?:days?|weeks?)\b|\b(?:half an hour|an hour|\w+ minutes|\d+ ?min(?:ute)?s)\b",
    re.I,
)


#: What a question asks for (see question_kind): a measure ("How many...?",
#: "the size of...", "Is it a big team?"), a yes or no (read on its last
#: clause: "..., are the compressors connected?"), or how something went or
#: has been ("How did that go down on the wards?"): an experience, not a fact.
MEASURE = re.compile(r"\bhow (?:many|much|big|large|long|often|old|far|soon)\b"
                     r"|\b(?:number|numbers|count|size|total|headcount|figure|figures|percentage|proportion|volume"
                     # (not a degree said of something named: "Which lines take that long to come in?", round 32:
                     # "About three thousand lines.")
                     r"|(?<!\bthat )(?<!\bthis )(?<!\bso )(?<!\btoo )(?:many|much|big|large|small|long))\b", re.I)
#: Words a question may open with before it asks: "So, ...", "And ...",
#: "Roughly what...?", "Honestly, why...?" (every pattern below that reads a
#: question from its start allows them).
_OPENER = r"^\W*(?:(?:so|and|but|then|just|okay|ok|right|also|or|" + _MEANWHILE + r"|\w+ly)\W+)*"
_AUX = r"(?:are|is|was|were|do|does|did|have|has|had|can|could|would|will|should|shall|may|might|am)(?:n'?t)?"
YES_NO = re.compile(_OPENER + _AUX + r"\b", re.I)
EVALUATIVE = re.compile(
    r"\bhow(?:'s|'re| is| are| was| were| has| have| had| did| does| do)\b[^?]{0,60}?"
    r"\b(?:been|go(?!\s+about)|going|gone|went|goes|doing|working|worked|running|performing|performed|land|landed|landing|received)\b"
    # asked inside another question: "can you tell me how the year has gone for Fernhill?"
    # (the lead-in stripped, see _asking; not "what you tried before and how it went")
    # ("...how the year's been going for Fernhill?", round 29: "I'd need to think that one through.")
    r"|" + _OPENER + r"how (?!many\b|much\b|long\b|often\b)(?:[\w']+ ){1,4}(?:(?:(?:has|have|had|is|are|was|were)(?: been)?|been) (?:going|gone|doing|working|running|performing)"
    r"|went|goes)\b"
    # what fills their days: "what's taking up most of your time these days?"
    r"|\bwhat(?:'s| is| has been)? (?:been )?(?:keeping you busy|taking up (?:most of |all )?your time|on your plate)",
    re.I)
#: Asking leave to say something: "...can I share something we've noticed on
#: our side?" asks for no fact; "Go ahead." answers it.
PERMISSION = re.compile(r"\b(?:can|could|may) i (?:share|tell you|show you|be (?:honest|frank|straight|blunt))\b", re.I)
#: ...unless a question follows it: "Can I be honest with you: what's your budget?"
_THEN_ASKS = re.compile(r"[:;,\u2014-]\s*(?:and\s+|so\s+)?(?:what|how|why|who|when|where|which)"
                        r"(?:'s|\s+(?:is|are|do|does|did|was|were|would|will|can|could|should|has|have|many|much))\b", re.I)
#: A check on what the rep just said, which asks nothing of its own: "Is that
#: fair?", "Is that a fair summary?", "Does that sound right?", "Have I
#: missed anything important?", "Does that answer it?"
_CHECK = (r"(?:(?:is|does|would|am|have|did|do|was)\b[^?]{0,30}?"
           r"\b(?:fair|right|accurate|correct|true|close|off|make sense|ring true|resonate|land)"
           r"(?: (?:summary|picture|description|read|way to put it))?"
           r"|(?:have i|did i) (?:missed|miss|left out|leave out|forgotten|forget) (?:anything|something)(?: important| big)?"
           # without its verb: "Anything I've missed?" (round 31: "It depends, honestly.")
           r"|(?:is there )?(?:anything|something) (?:(?:that )?(?:i|we)(?:'ve| have)? )?(?:missed|left out|got wrong|forgotten|overlooked)"
           # "Anything missing from that?" (round 32)
           r"|(?:is )?(?:there )?(?:anything|something) (?:else )?missing(?: from (?:that|this|it|the list))?"
           # "Is that the full list, or is there anything else on it?" after a recap (round 35: "It depends, honestly.")
           r"|(?:is|was) (?:that|this) (?:the |your )?(?:full|whole|complete) (?:list|picture|story)"
           r"(?:,? or (?:is there )?(?:anything|something) (?:else )?(?:on it|on there|to add|(?:that )?i'?ve missed))?"
           # "Nobody enters it by hand... Does that answer it?"
           r"|(?:does|did|has) (?:that|this) (?:answer|answered) (?:it|that|your question|the question|your concern)"
           r")")
#: Two checks in one question ask no more: "Is that right, and is there anything I've
#: missed?" after a recap (round 41: "I'm not sure, honestly.").
CHECK = re.compile(_OPENER + _CHECK + r"(?:\W+(?:and|or)\s+" + _CHECK + r")?\W*$", re.I)
#: A question for the buyer's view, worries or wishes ("What worries you
#: most about rolling out there?", "What would you change before going
#: fleet-wide?", "Is there anything else on your checklist?", "So why didn't
#: Bradford take over?"): no plain fact
#: answers it unless the fact's own examples ask the same (round 16: the
#: fleet's size, the pilot's scope and the buyer's CV answered these).
VIEW = re.compile(r"\b(?:worr(?:y|ies|ied|ying)|concern(?:s|ed)?|feel|feels|felt|think|change|differently|raised?"
                  r"|bother(?:s|ed)?|nervous|uneasy|comfortable|hope|hoping|afraid|fears?"
                  r"|(?:like|want|need) to see|keeps? you up|is there anything|anything else|why)\b", re.I)
#: A question for what worries the buyer about the deal: "Is there anything in
#: the proposal itself, the three years or the price, that you're not
#: comfortable with?" (see asks_concerns).
_CONCERN = re.compile(r"\b(?:concern(?:s|ed)?|worr(?:y|ies|ied|ying)|(?:not |un)comfortable|hesita(?:nt|tion|nce)"
                      r"|reservations?|sticking points?|hold(?:s|ing)? you back|put(?:s|ting)? you off|nervous|uneasy)\b", re.I)
#: A question for what the buyer would need before going further (see asks_needs).
_NEEDS = re.compile(r"\bwhat (?:would|will|do|'d) you (?:need|want|have|like) to see\b|\bwhat would you need (?:from|of) (?:us|me)\b"
                    # what it would take them, not others: not "...what would it take to get them
                    # comfortable again?" (the outage's retail customers: round 39 replayed)
                    r"|\bwhat would (?:it|that) take (?:for you )?to (?:get (?:this|it|a|your|you)\b|sign|say yes|go ahead"
                    r"|move (?:forward|ahead))|\bwhat would (?:have|need) to be true\b", re.I)
#: A question with its verb left out: "Anything I've missed?", "Any news on the budget?"
_ELLIPTIC = re.compile(_OPENER + r"(?:any|anything|anyone|anybody|something|someone)\b", re.I)
#: What a rep puts aside, up to the clause's end: "Before we get to prices,
#: I'd love to hear how things are going" set off the price-rise objection
#: (round 18); "I'm not here to push forecasts." the forecasting one.
_DEFERRED = re.compile(r"\b(?:before (?:we|i) (?:get|talk|go|come|turn|move)(?: on)? (?:in)?to"
                       r"|before (?:we )?(?:talk|talking|anything about)"
                       r"|(?:i'?m )?not here to (?:talk about|push|sell|pitch|discuss)"
                       r"|leaving aside|setting aside|putting aside|never mind)\b[^,.;:?!\u2014]*[,.;:\u2014]?", re.I)
#: A question that asks which one or why ("Which of our lines are the worst
#: for that?"): no figure answers it.
_WHICH = re.compile(_OPENER + r"(?:which|why)\b", re.I)
#: A short ask about "those" or "that" takes its topic from the sentence before,
#: whatever its verb: "You said except the slow imports. What goes wrong with
#: those?" (round 34: "Busy. It's always busy before the building season.").
_ON_THOSE = re.compile(r"\b(?:with|about|of|behind|on|for|to|in|from) (?:those|these|that|this|it|them)\W*$", re.I)
#: A short sentence that points at what the question after it is about: "You
#: mentioned the board. What's the conversation been like with them since the
#: outage?" (round 43: "I'd need to think that one through.", the question
#: alone naming nothing the buyer knows).
_POINTER = re.compile(r"^\W*(?:(?:so|and|now|ok|okay)\W+)?(?:you (?:mentioned|said|brought up|talked about|raised|touched on)"
                      r"|(?:going|coming) back to)\b", re.I)
#: A pronoun that points back to something named before ("them", not "that review").
_BACK = re.compile(r"\b(?:it|they|them|those|these|him|her|that(?=\W*$|\W+(?:is|was|has|been)\b))\b", re.I)
#: How something named before went, by a pronoun: "How did it go?", "How has that been working?"
#: "How did you feel it went?" too (round 40: "Honestly, mostly planning for the spring work." after
#: "I think the pilot went really well from our side.").
_HOW_IT_WENT = re.compile(_OPENER + r"how(?:'s| is| are| was| were| has| have| did| does| do)?"
                          r"(?: you (?:feel|felt|think|thought|reckon|find|found|say))? (?:it|that|this|they|those)"
                          r"(?:'s| is| was| has| have| had)?(?: (?:been|all))? (?:go|going|gone|went|goes|work|working|worked|turn(?:ed)? out)"
                          # and nothing of its own after: not "How did that land with the drivers?"
                          r"(?: (?:for|with|from|on|at) (?:you|your (?:side|end|point of view|perspective))| overall| so far| in the end)?\W*$",
                          re.I)
#: A topic named as a question, with no verb of its own: "What about the rollout itself?", "And the drivers?"
_NAMES_TOPIC = re.compile(r"^\W*(?:(?:so|then|okay|ok|right|now|and)\W+)*(?:(?:what|how) about|and)\b(?![^?]*\b(?:is|are|was|were|do|does|did|would|could|can|will"
                          r"|has|have|had|should|shall|might|may|'s|'re)\b)[^?]{1,80}\?$", re.I)
#: A question in question words (see question_kind).
_QUESTION_WORD = r"(?:what|which|how|why|who|when|where)"
_WH = re.compile(_OPENER + _QUESTION_WORD + r"\b", re.I)
#: A question put again as a statement, after a reply that missed it: "Sorry,
#: send what over? I was asking which of our lines you think are weakest."
#: (round 40: its only question mark was on the echo, and the buyer said "In
#: a way, yes.").
_ASKED_AGAIN = re.compile(_OPENER + r"(?:sorry\W+)?(?:i (?:was|am|'m) (?:just |only )?asking|i meant|"
                          r"what i (?:meant|was asking|'m asking|am asking|wanted to know)|my question (?:was|is))\b", re.I)
#: A question word at the end asks it too: "Depends on what?", "Like what?"
#: (round 35: read as a statement asked as a question, "Something like that.").
_WH_LAST = re.compile(r"\b" + _QUESTION_WORD + r"\W*$", re.I)
#: Asking for more of the same: "What else?", "Could you say a bit more about
#: Saturday?" (not "Would it help more if someone flagged only the drifting ones?").
_MORE = re.compile(r"\b(?:else|(?:tell|say|hear|share|know|explain) (?:me |us )?(?:a (?:bit|little|lot) |some )?more"
                   r"|more (?:about|on|detail|details)|anything more|go on|expand|elaborate)\b", re.I)
#: A question about what happened: "What happened?", "What did you try before?"
PAST = re.compile(_OPENER + r"(?:what|how|why|where|when)\b[^?]{0,60}?"
                  r"\b(?:happened|happen|did|went|was|were|had)\b", re.I)
#: A question for what something is like: "When a compressor does go down, what
#: does that actually look like for a line?" (round 35: "Nine. Three per line.").
_DESCRIBE = re.compile(r"\bwhat (?:does|did|would|will|do) (?:that|it|this|they|those|these|a \w+|the \w+)"
                       r" (?:actually |really |usually |normally )?look like\b|\bwhat (?:actually |really |usually )?happens\b"
                       # how something is arranged: "how your infrastructure is set up today?" (round 46: the
                       # IT director's years in the job, a fact that leads with a number)
                       r"|\bhow (?:is |are |'s )?(?:your |the |their |it |that |this )?(?:\w+ ){0,2}(?:is |are )?"
                       r"(?:set up|organi[sz]ed|structured|laid out)\b"
                       # and how something is done: "how you're evaluating the bids this time?" asks for no
                       # count of them (rounds 16, 23, 42 replayed: "Three, including yours.")
                       r"|\bhow (?:(?:are|is|do|does|did|will|would|can|could) )?(?:you|they|we|he|she|your \w+|the \w+)"
                       r"(?:'re|'ll| are| is| will| would)? (?:\w+ly )?(?:go(?:ing)? about\b|(?:be )?"
                       r"(?:evaluat|decid|choos|compar|judg|measur|assess|weigh|handl|manag|approach|pick|select|track|priori)\w*)",
                       re.I)
#: A fact whose phrase or examples say "who" answers a who-question (see TopicMatcher._unfit_facts).
_ASKS_WHO = re.compile(r"\bwho(?:m|se)?\b", re.I)
#: A question about what something costs or is worth ("Did anyone put a figure
#: on what those closed rooms cost the two Bristol hotels?"), which a fact
#: that says no money does not answer (_MONEY; round 47: "Six hotels, about
#: nine hundred rooms.").
_ASKS_COST = re.compile(r"\b(?:cost|costs|costing|spend|spends|spent|spending|worth)\b", re.I)
_MONEY = re.compile(r"[£$€%]|\b(?:pounds?|grand|percent|cost|costs|price|prices|fee|fees|budget|spend|money|free|cheap"
                    r"|cheaper|expensive|saving|savings|invoice)\b|\b(?:thousand|million)(?: (?:a|per) (?:year|month|week))", re.I)
WHO = re.compile(_OPENER + r"(?:who|whom|whose)\b", re.I)
#: Where a question's second part starts: "..., and who would need to agree?",
#: "...; when does it renew?", "... - and what does it cost?"
SECOND_PART = re.compile(r"(?:,\s*(?:and|or)\s+|;\s*|\s[\u2014\u2013-]\s*(?:and\s+)?)"
                         r"(?=(?:who|what|when|where|which|how|why|is|are|do|does|did|has|have|can|could|would|will)\b)",
                         re.I)
_CLAUSE = re.compile(r"[,;:\u2014\u2013]\s+|\s-\s")
#: A wh-question that offers its own answers asks the wh-question, not a yes or
#: no: "Who's carrying that today - is it the advisers themselves, or is there
#: an ops team behind them?" (round 34: the advisers' head count).
_OFFERS_ANSWERS = re.compile(_OPENER + _QUESTION_WORD + r"\b[^?]*?(?:[,;:\u2014\u2013]\s+|\s-\s)"
                             r"(?:(?:so|and|but|or)\W+)?" + _AUX + r"\b[^?]*\bor\b", re.I)


#: A lead-in that asks leave to ask: "Can I ask what you tried before and how
#: it went?" asks what happened (round 18: "That's what I'm still working out.");
#: "Do you know what caused it?" asks what, not yes or no (round 20).
_ASK_LEAD = re.compile(_OPENER + r"(?:(?:can|could|may|might) i (?:just )?ask(?: you)?"
                       r"|(?:do|would) you (?:happen to )?know(?= (?:what|why|how|who|when|where|which)\b)"
                       r"|(?:can|could|would) you tell me(?: (?:a (?:bit|little)|briefly|more))?(?: about)?"
                       r"(?= (?:what|why|how|who|when|where|which)\b)"
                       r"|i'?d (?:love|like) to (?:know|hear|understand)|i wonder(?:ed)?(?: if)?"
                       r"|do you mind (?:me asking|if i ask))\b[,:]?\s*", re.I)


def _asking(analysed: AnalysedTurn) -> tuple[str, ...]:
    """The turn's questions (sentences the analyser gave a form), within
    MAX_MATCH_CHARS, without what the rep puts aside (_DEFERRED: "Before we
    talk prices, can you tell me how the year has gone?") or a lead-in that
    asks leave to ask (_ASK_LEAD). Read once per turn, however many of the
    readers below ask."""
    return _questions(analysed.text, tuple(analysed.sentences))


def _parts(analysed: AnalysedTurn) -> list[str]:
    """The parts of the turn's two-part questions (SECOND_PART: "When you decide,
    what will you be weighing, and who else has a say?"), each matched as well
    as the whole; none for a question that does not split, or for more than
    MAX_SEGMENTS parts (a list of questions is a checklist, not two asks)."""
    asks = _asking(analysed)
    parts = [x.strip() for q in asks for x in SECOND_PART.split(q) if x.strip()]
    return parts if len(asks) < len(parts) <= MAX_SEGMENTS else []


#: A tag that asks for the buyer's view of the question before it: "Which of
#: our lines run out most often, would you say?" asks which, not yes or no
#: (round 37: "About three thousand lines.").
_TAG = re.compile(r"[,;]\s*(?:(?:would|do|did|does|don't|wouldn't) you (?:say|think|reckon|guess|imagine|feel)"
                  r"|i (?:wonder|guess)|roughly|more or less|at a guess)\s*\?$", re.I)


@lru_cache(maxsize=32)
def _questions(text: str, sentences: tuple) -> tuple[str, ...]:
    text = text[:MAX_MATCH_CHARS]
    asks = [text[x.start : x.end].strip() for x in sentences if x.form and x.start < len(text)]
    # A topic named before the question on it is no question of its own: "What
    # about the rollout itself, across four depots? Is there anything about
    # timing that would worry you?" asks for a view (round 33: the fleet's size).
    asks = [q for i, q in enumerate(asks) if i == len(asks) - 1 or not _NAMES_TOPIC.match(q)]
    asks = [_TAG.sub("?", q) for q in asks]
    return tuple(_ASK_LEAD.sub("", _DEFERRED.sub("", q).strip()) or q for q in asks)


def asks_leave(question: str) -> bool:
    """Whether ``question`` only asks leave to say something ("Can I be
    straight with you?"), not "Can I be honest with you: what's your budget?"."""
    m = PERMISSION.search(question)
    return m is not None and not _THEN_ASKS.search(question, m.end())


def _last_asking_clause(question: str) -> str:
    """The question's last clause that opens as a question: "What happened, from
    where you sat?" asks what happened (round 17: read on "from where you sat",
    "I'd need to think that one through." from the IT director)."""
    clauses = _CLAUSE.split(question)
    return next((c for c in reversed(clauses) if _WH.match(c) or YES_NO.match(c)), clauses[-1])


def question_kind(analysed: AnalysedTurn) -> str | None:
    """What the turn's questions ask for: "permission" when every one asks
    leave to say something ("Can I share what we've noticed?"), "measure"
    when one asks for a number ("How many...?", "the size of..."),
    "evaluative" when every one asks how something went or has been ("How's
    the service been?"), "yes_no" when every one asks only a yes or no (read
    on its last clause: "..., are the compressors connected to anything?"),
    "who" when every one asks who, "describe" when every one asks what something is
    like or what happens ("What does that look like on a shift?"), "past"
    when every one asks what happened ("What happened?"), "which" when every one asks which or why ("Which of
    our lines are the worst?"), "declarative" when none asks in a question's
    words ("I gather a fair bit has changed?"), "other" for the rest, None
    when the turn asks nothing. A plain fact that is a number is no answer to a yes or no about
    something else; no fact answers an evaluative question."""
    asks = _asking(analysed)
    if not asks:
        return None
    if all(asks_leave(q) for q in asks):
        return "permission"
    if any(MEASURE.search(q) for q in asks):
        return "measure"
    if all(EVALUATIVE.search(q) for q in asks):
        return "evaluative"
    if all((YES_NO.match(c := _CLAUSE.split(q)[-1]) or _ELLIPTIC.match(c) or EVALUATIVE.search(q))
           and not _OFFERS_ANSWERS.match(q) for q in asks):
        return "yes_no"
    if all(any(WHO.match(c) for c in _CLAUSE.split(q)) and (_OFFERS_ANSWERS.match(q) or all(
            any(WHO.match(c) for c in _CLAUSE.split(part)) for part in SECOND_PART.split(q))) for q in asks):
        # "..., who else would need to be convinced, given what happened in 2019?"; not "is there budget
        # set aside for this year, and who would sign off on it?", which asks for the budget too (round 11)
        return "who"
    if all(_DESCRIBE.search(q) for q in asks):
        return "describe"
    if all(PAST.match(_last_asking_clause(q)) for q in asks):
        return "past"
    if all(any(_WHICH.match(c) for c in _CLAUSE.split(q)) for q in asks):
        return "which"
    if not any(_WH.match(c) or YES_NO.match(c) or _ELLIPTIC.match(c) or _WH_LAST.search(c) for q in asks for c in _CLAUSE.split(q)):
        # "I gather a fair bit has changed since the autumn?": a statement
        # asked as a question, for the buyer to say whether it holds.
        return "declarative"
    return "other"


def _measures(scenario: Scenario, generic: frozenset[str]) -> dict[str, set[str]]:
    """Fact key -> the words and numbers of its answer, for the facts whose
    every answer leads with a number (see TopicMatcher.__init__)."""
    return {topic_key("fact", f.id): (content_stems(" ".join(x.say for x in f.answer)) - generic)
            | set(numbers(" ".join(x.say for x in f.answer)))
            for f in scenario.facts if f.answer and all(leads_with_number(x.say, 2) for x in f.answer)}


def _facts_without(texts: dict[str, list[str]], pattern: re.Pattern) -> set[str]:
    """The facts none of whose texts (phrase, examples) ``pattern`` finds: no
    answer to a who-question, or to a question for a view (see _unfit_facts)."""
    return {k for k, v in texts.items() if k.startswith("fact:") and not pattern.search(" ".join(v))}


#: Figures too common to say that a turn knows a fact ("three", "a hundred").
_SMALL_FIGURES = frozenset({*(str(i) for i in range(13)), "100", "1000", "0.5", "12"})


def _says_figures(asked: set[str], said: set[str], *, every: bool = True) -> bool:
    """Whether the turn (``asked``: its stems and figures) already says the
    figures of a fact's answer (``said``): two of them, one uncommon one
    ("forty vans", "a hundred and fifty thousand a year"), or all there are
    ("how the three bids compare on what's included" is no question for
    "Three, including yours.", round 47; ``every`` False for a yes or no,
    which may check a figure: "Is it three bids?")."""
    known = {x for x in asked & said if x[:1].isdigit()}
    return (len(known) >= 2 or bool(known - _SMALL_FIGURES)
            or (every and bool(known) and known == {x for x in said if x[:1].isdigit()}))


#: A yes or no about what has happened: "Have you looked at any tools before?",
#: "Has that ever gone wrong for you?" (not "Have you got a budget?").
_PAST_AUX = re.compile(_OPENER + r"(?:did|have|has|had)(?:n'?t)?\s+"
                       r"(?!(?:you|they|we|he|she|it)\s+got\b|i\b)", re.I)


def asks_past(analysed: AnalysedTurn) -> bool:
    """Whether every question of the turn asks, in one of its clauses, a yes
    or no about the past (_PAST_AUX): the buyer was there, so "I haven't really
    thought about it" is no answer."""
    asks = _asking(analysed)
    return bool(asks) and all(any(_PAST_AUX.match(c) for c in _CLAUSE.split(q)) for q in asks)


def asks_view(analysed: AnalysedTurn) -> bool:
    """Whether every question of the turn asks for the buyer's view (VIEW)."""
    asks = _asking(analysed)
    return bool(asks) and all(VIEW.search(q) for q in asks)


#: A question that offers a choice: "Is it more at the front door, or at the
#: back end with discharges?", "what's usually happened - a big job you
#: didn't see coming, or our delivery slipping?" (not "..., or something
#: else?", "..., or would this be the first time?", nor two ways of asking
#: one thing: "which readings do they trust least, or find hardest?").
_OR = re.compile(r"\s+or\s+(?!(?:not|something|anything|anyone|what|whatever|else|so|no|is there|are there|otherwise"
                 r"|(?:would|is|was|will|has) (?:it|this|that|anything|something))\b)\w", re.I)
_LIST = re.compile(r"[\u2014\u2013:]|\s-\s")
_WH_WORD = re.compile(rf"\b{_QUESTION_WORD}\b", re.I)


def asks_choice(analysed: AnalysedTurn) -> bool:
    """Whether the turn's last question offers a choice between things: a yes
    or no question, or a list after a dash or colon, with "or" in it (_OR)."""
    asks = _asking(analysed)
    if not asks:
        return False
    q = asks[-1]
    listed = _LIST.search(q)
    if listed and not _WH_WORD.search(q, 0, listed.start()):  # "Let me ask it differently: ..." lists nothing
        listed = None
    return bool(YES_NO.match(q) and _OR.search(q) or listed and _OR.search(q, listed.end()))


#: A question about what would be: "What would you need to see from us...?",
#: "What would make one of them stand out?", "What would it take...?", "If
#: there was one thing we could do differently, what would it be?" (round 27:
#: "Busy. It's always busy before the building season.", rated 0).
_WOULD_BE = re.compile(_OPENER + r"(?:if\b[^?,]{1,80},\s*)?(?:what|which|how|who)\b[^?]{0,40}?\b(?:would|'d)\b", re.I)


def asks_would(analysed: AnalysedTurn) -> bool:
    """Whether every question of the turn asks what would be (_WOULD_BE)."""
    asks = _asking(analysed)
    return bool(asks) and all(_WOULD_BE.match(q) for q in asks)


def asks_concerns(analysed: AnalysedTurn) -> bool:
    """Whether a question of the turn asks what worries the buyer (_CONCERN)."""
    return any(_CONCERN.search(q) for q in _asking(analysed))


def asks_needs(analysed: AnalysedTurn) -> bool:
    """Whether a question of the turn asks what the buyer would need before
    going further (_NEEDS: "What would you need to see from us first?")."""
    return any(_NEEDS.search(q) for q in _asking(analysed))


def asks_more(analysed: AnalysedTurn) -> bool:
    """Whether every question of the turn asks for more of the same ("What
    else?", "Is there anything else that would be a must-have for you?")."""
    asks = _asking(analysed)
    return bool(asks) and all(_MORE.search(q) for q in asks)


def asks_new(analysed: AnalysedTurn) -> bool:
    """Whether a question of the turn asks something of its own (words of
    this buyer's: "Which readings do they trust least?", "Is there a ward
    where a short trial would be a fair test?"), not for more of the same
    ("What else?", "Could you say a bit more about Saturday?")."""
    return any(not _MORE.search(q) and specific_stems(q) for q in _asking(analysed))


#: A close pushed anywhere in a sentence: "Where we go from here is simple:
#: the pilot worked, so let's get the full fleet signed this week" (round 19:
#: "I see.").
_CLOSE = re.compile(r"\blet(?:'?s| us) get (?:\w+ ){0,5}(?:signed|started|going|moving|live|rolled out|over the line)\b", re.I)
#: A close put to the buyer as a yes or no: "That's my final offer. Deal?",
#: "Can I tell my boss we have a deal?", "Five percent by Friday, yes or no?",
#: "Can I count on you for that?" (rounds 24-33: "Mm." and "I see.", rated 0).
_ASKS_YES = re.compile(r"(?:^\W*(?:so\W+)?|[,;:\u2014\u2013-]\s*|\b(?:we have|we got|have we got|is it|it's)\s+)(?:a\s+)?deal\W*$|\bis that a yes\b|\byes or no\W*$"
                       r"|\bcan i (?:count on you|get your signature|tell my (?:boss|director|manager|md)\b[^?]*\bdeal)"
                       r"|\b(?:are|shall|can) we (?:signing|sign)\b|\b(?:are|will) you (?:going to )?sign\b(?! off)"
                       r"|\bwhat'?s it (?:going to|gonna) be\W*$", re.I)
#: A yes or no on whether something would be the step to take: "Would a
#: working session next week with whoever owns the test plan be a sensible
#: first step?" (round 38: a question on a told story, then the concern a
#: pitch sets off, at trust 97), not "Is there a next step you'd want?".
_STEP_ASK = re.compile(r"^\W*(?:(?:so|then|and)\W+)?(?:would|could|might|will|is|does)\b(?!\s+there\b)[^?]*"
                       r"\b(?:(?:first|next|right) step|place to (?:start|begin)|way (?:forward|to start|to begin)"
                       # "So would the demo for the union rep and drivers be worth setting up, say next week?" (round 40)
                       r"|worth (?:setting up|doing|booking|arranging|running|trying|a try|your time))\b[^?]*\?\s*$", re.I)
#: "Then let's make it one of the post-mortem actions: you and your ops lead,
#: half a day next week on the failover plan." proposes, with a time in it
#: (MEETING): the consultative test of the outage scenario ended on it, and a
#: walk-through got "Fair. If it's not a fit, I'd rather know early too.".
_LETS = re.compile(_OPENER + r"let(?:'?s| us)\b", re.I)
#: A time put to the buyer (with MEETING): "So is next Monday all right for me
#: to come by, or would the one after suit you better?" (round 41: a story's
#: line on Mondays, "I know how high the pile should be on a Monday.").
_TIME_ASK = re.compile(_OPENER + r"(?:is|would|does|will|could|do)\b[^?]*\b(?:all right|alright|okay|ok|good|convenient"
                       r"|better|suit|suits|work|works)\b[^?]*\?\s*$", re.I)
#: A plan the rep lays out in a statement: "I come and spend a morning on one
#: of your wards...", "we hold a few weeks' cover for those in our yard",
#: "I'll write it up on one page and bring it by on Thursday".
_PLAN = re.compile(r"\b(?:i'?ll|we'?ll|i will|we will|i could|we could|let'?s|i come|we come|i hold|we hold|i carry|we carry|we keep"
                   r"|i bring|we bring|we start|we run|i write|we write|i send|we send|(?:say|suppose|imagine) (?:we|i))\b", re.I)
#: A question that asks what the buyer makes of what was just laid out: "Would
#: that respect what you've told me?", "Does that sound like something you
#: could put to the owner?", "Fair?", "How does that sound?", "Would
#: something like that work for you?" (round 27: read as a question, and
#: answered with more of a told story).
_ON_THE_PLAN = re.compile(_OPENER + r"(?:(?:would|does|will|could|is|can) (?:that|this|it|(?:something|anything|an? \w+) like (?:that|this))\b"
                          r"|(?:sound )?(?:fair|good|ok(?:ay)?|reasonable)\W*$|how does (?:that|this) (?:sound|land)"
                          r"|what do you (?:think|reckon)\W*$|(?:would|will|could) you (?:give it a go|try it|be up for it)"
                          r"|what if you\b)", re.I)


#: A plan and the question on it in one sentence, after a colon or a dash;
#: the question asks what the plan would do for them, not whether something
#: is so ("We keep the meeting going - is that right?").
_PLAN_ASK = re.compile(r"^(?P<plan>.+)(?::|\s[\u2014\u2013-])\s*(?P<ask>[^:\u2014\u2013]+)$")
_CANDOUR = re.compile(r"\b(?:i'?ll|i will|we'?ll) be (?:honest|straight|frank|blunt|upfront|clear)\b", re.I)
_ASK_ON_IT = re.compile(_OPENER + r"(?:would|could|will|does) (?:that|this|it|something like (?:that|this))\b", re.I)


def _plan_then_ask(sentence: str) -> bool:
    """A plan laid out and put to the buyer in one sentence: "Say we just
    tracked what leaves your shelf and topped you up ourselves, no
    predictions from you at all \u2014 would that be any use?" (round 30: read
    as a question, and answered with a told story)."""
    m = _PLAN_ASK.match(sentence)
    return bool(m and _PLAN.search(_CANDOUR.sub("", m["plan"])) and _ASK_ON_IT.match(m["ask"]))


def proposes(analysed: AnalysedTurn) -> bool:
    """Whether the turn proposes something to do together (see PROPOSAL), or
    lays out a plan and asks what the buyer makes of it (_PLAN, then
    _ON_THE_PLAN: round 18's "Here's what I'd suggest: I come and spend a
    morning on one of your wards... Would that respect what you've told me?"
    got "Maybe. I couldn't say for certain."). A turn that also asks a
    question that is no proposal asks it: "Let's meet next week. What would
    you want to see?" is answered, not agreed."""
    text = analysed.text[:MAX_MATCH_CHARS]
    spans = [(text[x.start : x.end].strip(), x.form) for x in analysed.sentences if x.start < len(text)] or [(text, None)]
    # A plan said without a question mark is a plan, whatever form the analyser
    # read in it ("I'll send over a one-page outline tomorrow - scope, who we'd
    # need from your side and for how long - and you can tell me what to cut.",
    # round 34: read as an open question, so "Does Thursday work to go through
    # it?" was answered with a told story).
    spans = [(t, None if f is not None and not t.rstrip().endswith("?") and _PLAN.search(t) else f) for t, f in spans]
    planned = [f is None and bool(_PLAN.search(t)) for t, f in spans]
    # (and after a lead-in that ends in a colon: "Here's a thought, tell me if it's daft: what if we held a
    # buffer...?"; not leave to say something: "...straight with you first: can I share what we've seen?")
    proposal = [bool(PROPOSAL.match(t) or (PROPOSAL.match(t.partition(":")[2]) and not PERMISSION.search(t))
                     or _CLOSE.search(t) or _ASKS_YES.search(t) or _STEP_ASK.search(t) or _plan_then_ask(t)
                     or ((_LETS.match(t) or _TIME_ASK.match(t)) and MEETING.search(t)))
                for t, _ in spans]
    offers = [proposal[i] or (f is not None and bool(_ON_THE_PLAN.match(t))
                              and any(planned[j] or proposal[j] for j in range(len(spans)) if j != i))
              for i, (t, f) in enumerate(spans)]
    # (A sentence with no question mark asks nothing beside the offer, whatever
    # form the analyser read in it: "...If they're not, you tell me what to
    # fix. Deal?", round 43: a generic prompt.)
    return any(offers) and not any(f is not None and not o and "?" in t for (t, f), o in zip(spans, offers))


def _going_on(analysed: AnalysedTurn, joined: str, last_topic: TopicMatch | None,
              skip: Collection[str]) -> TopicMatch | None:
    """The last topic, for a turn about no topic of its own that goes on with
    it: "Tell me more" / "How so?", or a question on what the buyer just told,
    in their words (_builds_on). (Not an objection: "go on" neither handles a
    concern nor re-opens a settled one.)"""
    if last_topic is None or last_topic.kind not in ("discovery", "fact") \
            or topic_key(last_topic.kind, last_topic.id) in skip \
            or not any(s.form is not None for s in analysed.sentences):
        return None
    if not specific_stems(joined) and (analysed.words or len(joined.split())) <= SHORT_PROMPT_WORDS:
        return TopicMatch(last_topic.kind, last_topic.id, 0.0, "continues the last topic")
    if _builds_on(analysed):
        # "Where do the six weeks actually go?": a question on what they
        # just told, in their words, is about what they just told.
        return TopicMatch(last_topic.kind, last_topic.id, 0.0, f"builds on their last answer ({analysed.uptake.describe()})")
    return None


def _builds_on(analysed: AnalysedTurn) -> bool:
    """The turn's question takes up what the buyer just said, in more than one
    word of theirs (or a number of theirs), and does not just hand it back. The
    question itself: "Knee height is too late, then. What happens when one of
    those runs dry?" reflects their words and asks something new."""
    uptake = analysed.uptake
    if uptake.echo >= PARROT_ECHO:
        return False
    asked = " ".join(analysed.text[x.start : x.end] for x in analysed.sentences if x.form)
    said = {w.lower().replace("’", "'") for w in words(asked)}
    return sum(w in said for w in uptake.words) >= UPTAKE_WORDS or any(n.lower() in said for n in uptake.numbers)


class Encoder(Protocol):
    """What the matcher needs of the analyser: unit vectors for texts."""

    def encode(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class Match:
    """The matcher's answer for one rep turn."""

    topic: TopicMatch
    #: Whether the turn carries something of this buyer (see the module docstring).
    specific: bool
    #: Similarity to the closest generic prompt (0 without an encoder).
    generic_sim: float = 0.0
    #: Every topic's similarity, for --explain ("discovery:real-cost" -> 0.61).
    sims: dict[str, float] = field(default_factory=dict)
    #: Whether the turn proposes something to do together (PROPOSAL).
    proposes: bool = False
    #: Every topic's shared-word weight (its own and its answers' words).
    words: dict[str, float] = field(default_factory=dict)
    #: The unit vectors of the turn's segments (None without an encoder).
    vectors: Any = None
    #: A plain fact the other part of a two-part question asks for (its id), if any.
    also: str | None = None
    #: What the turn's questions ask for (question_kind): "measure", "yes_no"...
    question: str | None = None
    #: Concerns raised when they come up (objections `when: asked`) -> the
    #: turn's statement (a sentence that asks nothing) closest to them, and
    #: its similarity: the rep can bring a concern up without asking.
    stated: dict[str, tuple[str, float]] = field(default_factory=dict)
    #: The other topics within TIE of ``topic``, in the order the tie was
    #: decided (the buyer answers the next one when they hold ``topic`` back).
    ties: tuple[TopicMatch, ...] = ()


# Encodings of a scenario's prototypes per analyser, so a test suite or a
# benchmark running many sessions on one scenario encodes them once.
_ENCODED: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()


def _encode_cached(encoder: Encoder, texts: list[str]) -> "np.ndarray | None":
    import numpy as np

    try:
        cache = _ENCODED.setdefault(encoder, {})
    except TypeError:  # not weak-referenceable: no cache
        cache = {}
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        vecs = encoder.encode(missing)
        if vecs is None:
            return None
        for t, v in zip(missing, np.asarray(vecs, dtype=np.float32)):
            cache[t] = v
    return np.stack([cache[t] for t in texts]) if texts else None


def _unit(vecs: Any) -> "np.ndarray":
    import numpy as np

    vecs = np.asarray(vecs, dtype=np.float32)
    vecs = vecs.reshape(1, -1) if vecs.ndim == 1 else vecs
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


def _topic_match(key: str, sims: dict[str, float], how: dict[str, str]) -> TopicMatch:
    kind, _, ident = key.partition(":")
    return TopicMatch(kind, ident or None, sims.get(key, 0.0), how[key])  # type: ignore[arg-type]


def topic_key(kind: str, ident: str | None) -> str:
    """The key of a topic in Match.sims and Match.words: "discovery:real-cost", "next_step"."""
    return f"{kind}:{ident}" if ident else kind


def _idf(docs) -> dict[str, float]:
    """Word -> 1 / the number of topics whose words include it."""
    df: dict[str, int] = {}
    for stems in docs:
        for s in stems:
            df[s] = df.get(s, 0) + 1
    return {s: 1.0 / n for s, n in df.items()}


class TopicMatcher:
    """Matches rep turns to one scenario's topics. ``encoder`` (the analyser)
    gives meaning; without one (or if it returns None) words alone decide."""

    def __init__(self, scenario: Scenario, encoder: Encoder | None = None) -> None:
        self.scenario = scenario
        self._encoder = encoder
        # key -> the texts that describe the topic
        self._texts: dict[str, list[str]] = {}
        for d in scenario.discoveries:
            self._texts[topic_key("discovery", d.id)] = [d.topic, *d.examples]
        for f in scenario.facts:
            self._texts[topic_key("fact", f.id)] = [f.topic, *f.examples]
        self._texts |= {topic_key("objection", o.id): [o.topic, *o.handled_by] for o in scenario.objections}
        if scenario.ending.next_step is not None:
            self._texts["next_step"] = list(scenario.ending.next_step.examples)
        self._order = list(self._texts)
        self._raised_when_asked = [topic_key("objection", o.id) for o in scenario.objections if o.when == "asked"]
        # Content words of each topic, weighted by how specific they are to it:
        # its phrase and examples, and the words the buyer answers it in ("How
        # many lads work the racks?" is about the staff fact whose answer is
        # "Five lads and me.", though its examples say "people" and "staff").
        generic = generic_stems()
        said = {topic_key("discovery", d.id): [x.say for x in [*d.reveal, *d.more]] for d in scenario.discoveries}
        said |= {topic_key("fact", f.id): [x.say for x in f.answer] for f in scenario.facts}
        self._stems = {k: content_stems(" ".join(v)) - generic for k, v in self._texts.items()}
        # Facts the buyer answers with a number first ("Nine. Three per
        # line."), and the words of the answer: a number is no answer to a
        # yes-or-no question unless it asks about what the answer says ("Is
        # your contract up in March?"); see question_kind. (A wh-question is
        # left to meaning: "What did our proposal come to?" asks no measure in
        # words and is answered "Three years at a hundred and fifty thousand".)
        self._measures = _measures(scenario, generic)
        self._not_who, self._not_view, self._not_how = (_facts_without(self._texts, x) for x in (_ASKS_WHO, VIEW, EVALUATIVE))
        self._no_money = {k for k, v in said.items() if k.startswith("fact:") and not any(map(_MONEY.search, v))}
        self._said_stems = {k: content_stems(" ".join(said.get(k, ()))) - generic - self._stems[k] for k in self._texts}
        b = scenario.buyer
        self._idf = _idf(self._stems.values())
        self._said_idf = _idf(self._stems[k] | self._said_stems[k] for k in self._texts)
        # The words of this buyer's world, for specificity.
        own = [scenario.brief.situation, b.personality, b.company, b.role, b.opening]
        for d in scenario.discoveries:
            own += [d.topic, *(x.say for x in d.reveal), *(x.say for x in d.more)]
        for f in scenario.facts:
            own += [f.topic, *(x.say for x in f.answer)]
        for o in scenario.objections:
            own += [o.topic, *(x.say for x in o.lines)]
        self.vocabulary = specific_stems(" ".join(own)) | {s for v in self._stems.values() for s in v}
        # Once a discovery is out, the words the buyer said about it refer to it too.
        self._told = {k: content_stems(" ".join(said[k])) - generic for k in said if k.startswith("discovery:")}
        # What the buyer says on each topic, line by line and sentence by
        # sentence: a question is often nearer its answer than the trainer's
        # examples ("Which board meeting would this go to?" is 0.33 from the
        # sign-off examples and 0.65 from "It goes to the board on the fourteenth.").
        # (and a concern's concede lines and the next step's replies, only to say the one nearest the turn first)
        said |= {topic_key("objection", o.id): [x.say for x in o.concede] for o in scenario.objections}
        said |= {"next_step": list(scenario.ending.next_step.reply)} if scenario.ending.next_step is not None else {}
        self._said = {k: sorted({x for line in v for x in (line, *written_sentences(line))}) for k, v in said.items()}
        self._protos: dict[str, Any] | None = None
        self._said_protos: dict[str, Any] = {}
        self._generic: Any = None
        if encoder is not None and hasattr(encoder, "encode"):
            self._build_prototypes()

    def _build_prototypes(self) -> None:
        said = [k for k in self._order if self._said.get(k)]
        texts = [t for k in self._order for t in self._texts[k]] + [t for k in said for t in self._said[k]]
        texts += list(GENERIC_PROMPTS)
        vecs = _encode_cached(self._encoder, texts)
        if vecs is None or len(vecs) != len(texts):
            return
        protos, i = {}, 0
        for k in self._order:
            n = len(self._texts[k])
            protos[k] = vecs[i : i + n]
            i += n
        for k in said:
            n = len(self._said[k])
            self._said_protos[k] = vecs[i : i + n]
            i += n
        self._generic = vecs[i:]
        self._protos = protos

    @property
    def has_meaning(self) -> bool:
        return self._protos is not None

    # -- the turn --------------------------------------------------------------

    @staticmethod
    def segments(analysed: AnalysedTurn) -> list[str]:
        """The parts of a turn that carry its topic: its asking sentences (the
        analyser's forms, and a question put again as a statement:
        _ASKED_AGAIN) if it has any, else all its sentences, the last
        MAX_SEGMENTS of them. A reflection before the question is about the
        last topic, not the next; what the rep puts aside ("Before we get to
        prices, ...") is no topic of the turn (_DEFERRED)."""
        text = analysed.text[:MAX_MATCH_CHARS]
        sents = [(_DEFERRED.sub("", text[s.start : s.end]).strip(), s.form)
                 for s in analysed.sentences if s.start < len(text)]
        sents = [(t, f) for t, f in sents if t]
        if not sents:
            return [text.strip()] if text.strip() else []
        asks = []
        for i, (t, f) in enumerate(sents):
            if f is None and not _ASKED_AGAIN.match(t):
                continue
            # "...why the orders arrive at short notice. What's behind that?":
            # a short ask with nothing of its own leans on the sentence before.
            # So does how "it" went: "So the pilot's wrapped up. How did it go from
            # your point of view?" (round 32: a generic prompt, "Honestly, mostly
            # planning for the spring work."). So does a question after a short
            # pointer at its topic: "You mentioned the board. What's it been like with them?"
            before = sents[i - 1][0] if i else ""
            if i and sents[i - 1][1] is None and (
                    (len(t.split()) <= SHORT_PROMPT_WORDS and (not specific_stems(t) or _ON_THOSE.search(t))) or _HOW_IT_WENT.match(t)
                    or (_POINTER.match(before) and len(before.split()) <= SHORT_PROMPT_WORDS and _BACK.search(t))):
                t = f"{before} {t}"
            asks.append(t)
        return (asks or [t for t, _ in sents])[-MAX_SEGMENTS:]

    def closest_first(self, match: Match, key: str, lines: Sequence[str]) -> tuple[str, ...]:
        """``lines`` (the buyer's lines on topic ``key``) with those nearest the
        turn in meaning first: a sharper question on a told story ("Is it the
        pharmacy or the transport?") gets the line that answers it."""
        said = self._said.get(key, [])
        if match.vectors is None or key not in self._said_protos or not lines:
            return tuple(lines)
        at = {x: i for i, x in enumerate(said)}
        sims = (self._said_protos[key] @ match.vectors.T).max(axis=1)
        return tuple(sorted(lines, key=lambda x: -float(sims[at[x]]) if x in at else 1.0))

    def _similarities(self, analysed: AnalysedTurn, segments: list[str], parts: list[str]
                      ) -> tuple[dict[str, float], float, Any, list[dict[str, float]], dict[str, tuple[str, float]]]:
        """(topic key -> cosine similarity, similarity to the closest generic
        prompt, the segments' vectors, each part's topic similarities (_parts),
        Match.stated), the texts encoded in one batch."""
        import numpy as np

        if self._protos is None:
            return {}, 0.0, None, [], {}
        statements = self._statements(analysed, segments)
        # One sentence: the analyser's embedding of the turn is its segment's.
        whole = _unit(analysed.embedding) if analysed.embedding is not None and len(analysed.sentences) <= 1 else None
        own = segments if whole is None else []
        texts = [*own, *parts, *statements]
        raw = self._encoder.encode(texts) if texts else None
        if raw is None and texts:
            return {}, 0.0, None, [], {}
        vecs = _unit(raw[: len(own)]) if own else whole
        if vecs is None:
            return {}, 0.0, None, [], {}
        part_sims = [self._topic_sims(_unit(raw[i : i + 1])) for i in range(len(own), len(own) + len(parts))]
        stated = _unit(raw[len(own) + len(parts) :]) if statements else None
        said = {}
        for k in self._raised_when_asked if stated is not None else ():
            sims = np.max(self._protos[k] @ stated.T, axis=0)
            i = int(np.argmax(sims))
            said[k.partition(":")[2]] = (statements[i], float(sims[i]))
        return self._topic_sims(vecs), float(np.max(self._generic @ vecs.T)), vecs, part_sims, said

    def _statements(self, analysed: AnalysedTurn, segments: list[str]) -> list[str]:
        """The turn's sentences that ask nothing and are not already among its
        segments, when the scenario has a concern they could bring up."""
        if not self._raised_when_asked or len(analysed.sentences) <= 1:
            return []
        text = analysed.text[:MAX_MATCH_CHARS]
        sents = (text[x.start : x.end].strip() for x in analysed.sentences if x.form is None and x.start < len(text))
        return [x for x in sents if x and x not in segments][-MAX_SEGMENTS:]

    def _topic_sims(self, vecs: Any) -> dict[str, float]:
        """Topic key -> its best cosine similarity to any of ``vecs`` (unit rows),
        by its phrase and examples or, less SAID_DISCOUNT, by what the buyer says on it."""
        import numpy as np

        sims = {k: float(np.max(v @ vecs.T)) for k, v in self._protos.items()}
        for k, v in self._said_protos.items():
            if not k.startswith("objection:") and k != "next_step":  # an echo of a concede line or an agreement asks nothing
                sims[k] = max(sims[k], float(np.max(v @ vecs.T)) - SAID_DISCOUNT)
        return sims

    def _keywords(self, stems: set[str]) -> dict[str, float]:
        """Topic -> the weights of the words ``stems`` shares with it. Its
        answers' words count only where meaning decides too: alone, an answer's
        word can mean something else in a question ("How did the bakery get
        started?" is not about "the four o'clock start")."""
        if not self.has_meaning:
            return {k: sum(self._idf[s] for s in stems & own) for k, own in self._stems.items()}
        return {k: sum(self._said_idf[s] for s in stems & (own | self._said_stems[k])) for k, own in self._stems.items()}

    def match(self, analysed: AnalysedTurn, *, discovered: Collection[str] = (), last_topic: TopicMatch | None = None,
              heard: set[str] | frozenset[str] = frozenset(), pressing: str | None = None) -> Match:
        """What ``analysed`` is about. ``discovered``: discoveries told so far;
        ``last_topic``: what the buyer's last reply was about; ``heard``: stems
        of everything the buyer has said (a question in their words is specific);
        ``pressing``: the objection the buyer is waiting on an answer to, or has just voiced."""
        segments = self.segments(analysed)
        parts = _parts(analysed)
        offer = proposes(analysed)
        text = analysed.text[:MAX_MATCH_CHARS]
        last = [x for x in analysed.sentences if x.start < len(text)][-2:]
        if offer and len(last) == 2:
            # "...in two weeks we bring you a smaller footprint. Shall we put a
            # date in?": what a short proposal offers is in the sentence before.
            segments = [*segments, text[last[0].start : last[1].end].strip()][-MAX_SEGMENTS:]
        joined = " ".join(segments)
        stems = content_stems(joined)
        kw = self._keywords(stems - generic_stems())
        for i in discovered:
            k = topic_key("discovery", i)
            kw[k] += TOLD_WORD * len(stems & self._told.get(k, set()))
        sims, generic_sim, vecs, part_sims, stated = self._similarities(analysed, segments, parts)

        last = topic_key(last_topic.kind, last_topic.id) if last_topic is not None and last_topic.id else None
        # A closed question asks for a fact, unless the turn also asks openly: "So what does the
        # board get from it today? Is it the minutes, a report...?" (round 44: got the service-record fact).
        closed = ("closed_question" in analysed.labels and "open_question" not in analysed.labels and not offer
                  and not any(x.form == "open" for x in analysed.sentences))
        question = question_kind(analysed)
        # (every part of it: "how much do you spend with us, and who signs off?" asks who too)
        skip = self._unfit_facts(question, stems | set(numbers(joined)), view=asks_view(analysed),
                                 cost=bool(segments) and all(_ASKS_COST.search(x) for x in parts or segments))
        topic, *ties = self._ranked_topics(sims, kw, discovered, last if analysed.uptake.carried else None,
                                           proposes=offer, closed=closed,
                                           pressing=topic_key("objection", pressing) if pressing else None,
                                           skip=skip) or (None,)
        if topic is None and part_sims:
            topic = self._part_topic(part_sims, kw, discovered, skip)
        own = specific_stems(joined) & (self.vocabulary | heard)
        best_sim = sims.get(topic_key(topic.kind, topic.id), 0.0) if topic is not None else 0.0
        # A generic prompt with one of the buyer's nouns in it ("What are your
        # goals for next winter?", closer to "What are your goals?" than to any
        # topic) is still a generic prompt: one word of theirs is not enough.
        if len(own) == 1 and sims and generic_sim >= max(best_sim, max(sims.values())):
            own = set()
        specific = bool(own) or (
            topic is not None and sims and best_sim >= SIM_MID and best_sim - generic_sim >= GENERIC_MARGIN
        )

        if topic is None:
            topic = _going_on(analysed, joined, last_topic, skip)
        if topic is None:
            kind = "generic" if not specific and (generic_sim >= max(sims.values(), default=0.0) or not sims) else "none"
            topic = TopicMatch(kind, None, generic_sim if kind == "generic" else max(sims.values(), default=0.0),
                               "closest to a generic prompt" if kind == "generic" else "about nothing the buyer knows")
        also = None
        if part_sims and topic.kind in ("discovery", "fact") and not offer:
            also = self._second_fact(part_sims, topic, skip)
        return Match(topic=topic, specific=specific, generic_sim=generic_sim, sims=sims, proposes=offer, words=kw,
                     vectors=vecs, also=also, question=question, stated=stated, ties=tuple(ties))

    def _part_topic(self, part_sims: list[dict[str, float]], kw: dict[str, float], discovered: Collection[str],
                    skip: Collection[str]) -> TopicMatch | None:
        """The topic a part of a two-part question is about, when the whole is
        about none: "That's a hard spot... When you decide who helps you get
        there in a quarter, what will you be weighing, and who else has a say?"
        is 0.26 from how the IT director decides, and its last part 0.46 (round
        38: the told story's next line, "What annoys me is I had the test plan
        written."). A part is short, and its meaning a weak guide: it needs as
        much of the turn's words as decide a topic without an encoder
        (KW_ALONE). "How is it going so far in those twelve stores...?" is 0.54
        from the promotions the stores hate and shares only "stores" with
        them; "When are they retiring...?" is 0.46 from the service contract."""
        nearest = {k: max(p[k] for p in part_sims) for k in part_sims[0]}
        topic = next(iter(self._ranked_topics(nearest, kw, discovered, skip=skip)), None)
        if topic is None or kw.get(topic_key(topic.kind, topic.id), 0.0) < KW_ALONE:
            return None
        return replace(topic, how=f"a part of the question, {topic.how}")

    def _second_fact(self, part_sims: list[dict[str, float]], topic: TopicMatch, skip: Collection[str]) -> str | None:
        """A plain fact the other part of a two-part question asks for, when
        the turn is about another topic ("When you've tried to change the
        cut-off, who's had to be in the room, and when does the board meet?"):
        the fact a part (``part_sims``: its topic similarities) is nearest of
        all topics, at FACT_SIM at least."""
        primary = topic_key(topic.kind, topic.id)
        for sims in part_sims:
            k = max((x for x in sims if x != "next_step"), key=sims.__getitem__, default="")
            if k.startswith("fact:") and k != primary and k not in skip and sims[k] >= FACT_SIM:
                return k.partition(":")[2]
        return None

    def _unfit_facts(self, kind: str | None, asked: set[str], *, view: bool = False, cost: bool = False) -> set[str]:
        """The facts whose answer does not fit a question of this ``kind``
        (question_kind), whatever its topic: every fact for how something went
        (but one the scenario asks for that way),
        a number for a yes or no about something else, a fact none of whose
        examples asks who for a who-question, a fact whose figures the turn
        already says (or any figure, for a question of which or why), and (``view``: the turn asks for the buyer's view, see
        VIEW) a fact none of whose examples asks one, and (``cost``: the turn asks what
        something costs, _ASKS_COST) a fact that says no money.
        ``asked``: the turn's stems and numbers."""
        if kind == "permission":
            return {k for k in self._order if k.startswith("fact:")}
        if kind == "evaluative":
            # unless the trainer asks for the fact that way ("How has payroll been
            # running for you?": "How has Tallyhouse been working for you this
            # past year?" got "mostly the renewal and the board papers", rated 0
            # in rounds 26, 27 and 29)
            return self._not_how
        # A fact whose figures the turn already says is known to the rep: "of
        # those hundred and forty, how many are out of stock?" got "As I said,
        # about three thousand lines. A hundred and forty of them are yours."
        unfit = {k for k, said in self._measures.items()
                 if kind == "which" or _says_figures(asked, said, every=kind != "yes_no")}
        unfit |= self._not_view if view else set()
        unfit |= self._no_money if cost else set()
        if kind == "describe":  # no figure says what something is like
            return unfit | set(self._measures)
        if kind == "yes_no":
            return unfit | {k for k, said in self._measures.items() if not asked & said}
        if kind == "who":  # "...who else needs to be comfortable with the proposal?" is no question of its price
            return unfit | self._not_who
        return unfit

    def _ranked_topics(self, sims: dict[str, float], kw: dict[str, float], discovered: Collection[str],
                       continuing: str | None = None, *, proposes: bool = False, closed: bool = False,
                       pressing: str | None = None, skip: Collection[str] = ()) -> tuple[TopicMatch, ...]:
        """The topic the turn is about (the best score), then the others in
        its near tie, in order; none when it is about no topic. Near ties go to
        the objection the buyer is pressing (a turn as near the concern as to anything else
        answers it: "What went wrong with it?" after "we tried this in 2019";
        a fact too far to be answered is no nearer: "What would make the
        commitment feel defensible?" is 0.45 from the fleet's size, 0.32 from
        the three-year concern it shares two words with),
        then to a discovery not told yet (for a closed question, to a fact),
        then to the topic the turn continues (it took up the buyer's words about
        it), then to a discovery whose `after` facts are told. Only a proposal
        can be the next step; the facts in ``skip`` are no answer to the turn."""
        topics = [k for k in self._order if k != "next_step" and k not in skip]
        best_sim = max((sims[k] for k in topics), default=0.0) if sims else 0.0
        scores, how = self._candidates(topics, sims, kw, continuing, pressing, best_sim)
        # The next step: a proposal near its examples, and not clearly about a topic instead.
        if "next_step" in self._texts and proposes:
            if sims:
                nsim = sims["next_step"]
                if nsim >= NEXT_SIM and nsim >= best_sim - NEXT_BELOW_TOPIC:
                    return (TopicMatch("next_step", None, nsim, f"a proposal, meaning {nsim:.2f}"),)
            else:
                shared = kw.get("next_step", 0.0)
                if shared >= KW_ALONE and shared > max((kw[k] for k in topics), default=0.0):
                    return (TopicMatch("next_step", None, 0.0, f"shared words {shared:.1f}"),)
        if not scores:
            return ()
        best = max(scores.values())
        if closed:  # a closed question asks for a fact: the closest fact wins a near tie
            facts = [k for k in scores if k.startswith("fact:") and scores[k] >= best - FACT_TIE]
            if facts:
                k = max(facts, key=lambda j: scores[j])
                return (_topic_match(k, sims, how),)
        close = [k for k in topics if k in scores and scores[k] >= best - TIE]
        return tuple(_topic_match(k, sims, how) for k in
                     sorted(close, key=lambda j: self._rank(j, scores[j], discovered, continuing, pressing), reverse=True))

    def _candidates(self, topics: list[str], sims: dict[str, float], kw: dict[str, float], continuing: str | None,
                    pressing: str | None, best_sim: float) -> tuple[dict[str, float], dict[str, str]]:
        """The topics near enough the turn to be what it is about, with their
        scores and how they matched (see _ranked_topics; ``best_sim``: the
        nearest topic's similarity)."""
        scores: dict[str, float] = {}
        how: dict[str, str] = {}
        far = {k for k in topics if sims and k.startswith("fact:") and sims[k] < FACT_SIM
               and (kw[k] < KW_CONFIRM or sims[k] < FACT_SIM_WORDS)}  # too far to be answered
        # A fact too far to be answered keeps a turn from a hidden story, not from the pressed concern.
        near_sim = max((sims[k] for k in topics if k not in far), default=0.0) if sims else 0.0
        for k in topics:
            if sims:
                s = sims[k]
                if k in far or s < (near_sim if k == pressing else best_sim) - SIM_MARGIN:
                    continue  # shared words do not outvote a clearly closer meaning
                runner_up = max((sims[j] for j in topics if j != k), default=0.0)
                if (
                    s >= SIM_HIGH
                    or (s >= SIM_MID and s - runner_up >= SIM_MARGIN)
                    or (s >= SIM_LOW and kw[k] >= KW_CONFIRM)
                    or (s >= SIM_FLOOR and kw[k] >= KW_STRONG)
                ):
                    scores[k] = s + 0.05 * min(kw[k], 2.0)
                    how[k] = f"meaning {s:.2f}" + (f", shared words {kw[k]:.1f}" if kw[k] else "")
            elif kw[k] >= KW_ALONE:
                scores[k] = kw[k]
                how[k] = f"shared words {kw[k]:.1f}"
        # What the buyer was just talking about, taken up in the turn, is in
        # the running whenever it is as near as the nearest topic: "...until I
        # know what went wrong. What do you think was the main reason it didn't
        # work for your wards?" is 0.48 from the failed rollout just held back
        # and 0.50 from who signs off (round 21: "The usual governance. Boards
        # and committees.").
        if (sims and continuing in topics and continuing not in scores and continuing not in far
                and sims[continuing] >= max(SIM_LOW, best_sim - TIE)):
            scores[continuing] = sims[continuing] + 0.05 * min(kw[continuing], 2.0)
            how[continuing] = f"meaning {sims[continuing]:.2f}, on what they had just said"
        return scores, how

    def _rank(self, k: str, score: float, discovered: Collection[str], continuing: str | None,
              pressing: str | None) -> tuple:
        """Order of a near-tie (see _ranked_topics): pressed objection, untold
        discovery, continued topic, ready discovery, anything but an objection
        the buyer is not pressing ("...what would reassure you?", 0.40 from
        what matters to the hotels, told, and 0.40 from 'match the cheapest
        bid', not voiced yet, got 'Before we plan anything: get within five
        percent...'), score."""
        kind, _, ident = k.partition(":")
        untold = kind == "discovery" and ident not in discovered
        ready = kind != "discovery" or all(a in discovered for a in self.scenario.discovery(ident).requires.after)
        return (k == pressing, untold, k == continuing, ready, kind != "objection", score)
