"""What a rep turn took up from the buyer's last turn: their words, their
numbers, their meaning (coach.analysis.types.Uptake).

A reflection or a follow-up is only as good as what it carries of the buyer's:
"So two of your retail accounts are on notice" takes up "two", "retail" and
"accounts"; "So what I'm hearing is that it has been difficult" takes up
nothing, and "So the servers were back in two days and the damage is still
going on" copied word for word is parroting. The buyer and the scorecard read
this measure; the evidence shows it ("takes up: two, retail, accounts").
"""

from __future__ import annotations

import re

import numpy as np

from coach.analysis.language import CARDINALS, WORD, content_stems, generic_stems, stem, stopwords
from coach.analysis.types import Uptake

#: Number words a restatement may carry instead of digits ("one" is left out:
#: "the one who", "one of them" say no number).
_NUMBER_WORDS = (frozenset(CARDINALS) - {"one"}) | frozenset("thousand million half quarter dozen double twice".split())
#: Runs of at least this many words copied verbatim count as echo.
ECHO_RUN = 4
#: At or above this echo a restatement is parroting: the buyer's words handed
#: back, not restated (a verbatim copy of a buyer turn measured 0.90).
PARROT_ECHO = 0.7


def _tokens(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


#: Number words as digits, so "2 hrs" and "two hours" carry the same number.
_DIGITS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {w: str(10 * i) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)} | {
    "hundred": "100", "thousand": "1000", "million": "1000000", "dozen": "12", "twice": "2", "double": "2", "half": "0.5"}


def leads_with_number(text: str, within: int = 3) -> bool:
    """Whether ``text`` gives a number in its first words: "Nine. Three per
    line...", "About two thousand families.", "Eight hundred and forty beds"."""
    return bool(numbers(" ".join(WORD.findall(text)[:within])))


def numbers(text: str) -> dict[str, str]:
    """The numbers of ``text``, keyed by their value as written in digits."""
    out: dict[str, str] = {}
    for w in WORD.findall(text):
        lw = w.lower()
        if w[0].isdigit() or lw in _NUMBER_WORDS:
            out.setdefault(_DIGITS.get(lw, lw.rstrip("%").replace(",", "")), w)
    return out


#: Pronouns as the other speaker says them: "keeps me up" echoed is "keeps you up".
_SWAP = {"i": "you", "me": "you", "my": "your", "mine": "yours", "i'm": "you're", "i've": "you've",
         "i'd": "you'd", "i'll": "you'll", "we": "you", "us": "you", "our": "your", "ours": "yours",
         "we're": "you're", "we've": "you've", "we'd": "you'd", "we'll": "you'll"}
#: Openers a restatement starts with, not part of what it restates.
_OPENERS = ("so", "okay", "ok", "right", "it", "sounds", "like", "what", "i'm", "hearing", "is", "that", "you're",
            "saying", "yeah", "yes", "oh")


def _echo(rep: list[str], buyer: list[str]) -> float:
    """Share of the rep's words (after an opener such as "so" or "what I'm
    hearing is") inside runs of ECHO_RUN+ words copied from the buyer, their
    pronouns turned round ("keeps me up" -> "keeps you up"); short turns count
    runs of three."""
    buyer = [_SWAP.get(w, w) for w in buyer]
    i = 0
    while i < len(rep) - 1 and rep[i] in _OPENERS:
        i += 1
    rep = rep[i:]
    run = ECHO_RUN if len(rep) > 6 else 3
    if 0 < len(rep) < run <= len(buyer):
        # "So you're still waiting.": what is left after the opener is too
        # short for a run, and all of it is theirs, in their order.
        k = len(rep)
        return 1.0 if any(buyer[j : j + k] == rep for j in range(len(buyer) - k + 1)) else 0.0
    if len(rep) < run or len(buyer) < run:
        return 0.0
    grams = {tuple(buyer[j : j + run]) for j in range(len(buyer) - run + 1)}
    covered = [False] * len(rep)
    for j in range(len(rep) - run + 1):
        if tuple(rep[j : j + run]) in grams:
            for k in range(j, j + run):
                covered[k] = True
    return sum(covered) / len(rep)


def measure(rep_text: str, buyer_text: str | None, rep_vec: np.ndarray | None = None,
            buyer_vec: np.ndarray | None = None) -> Uptake:
    """The uptake of ``rep_text`` from ``buyer_text`` (the buyer's turn just
    before it). ``rep_vec``/``buyer_vec``: unit sentence embeddings, for the
    meaning similarity (None without them)."""
    if not buyer_text or not buyer_text.strip():
        return Uptake()
    generic = generic_stems()
    stop = stopwords()
    shared = (content_stems(rep_text) & content_stems(buyer_text)) - generic
    surface: dict[str, str] = {}
    for w in WORD.findall(buyer_text):
        lw = w.lower().replace("’", "'")
        s = stem(lw)
        # "you've", "we'd": a stop word with a contraction is still a stop word
        if lw.split("'")[0] in stop:
            continue
        if s in shared and lw not in stop and not w[0].isdigit() and lw not in _NUMBER_WORDS:
            surface.setdefault(s, lw)
    b_nums, r_nums = numbers(buyer_text), numbers(rep_text)
    same = tuple(b_nums[k] for k in b_nums if k in r_nums)
    meaning = None
    if rep_vec is not None and buyer_vec is not None:
        meaning = float(np.dot(np.asarray(rep_vec, np.float32), np.asarray(buyer_vec, np.float32)))
    return Uptake(
        words=tuple(surface.values()),
        numbers=same,
        meaning=meaning,
        echo=_echo(_tokens(rep_text), _tokens(buyer_text)),
    )




#: What may stand between two taken-up words of one phrase ("two retail
#: accounts on notice", "eight weeks of backlog"): up to two short words.
_GAP = re.compile(r"^\s+(?:[^\W\d_]{1,4}\s+){0,2}$")


def spans(rep_text: str, uptake: Uptake) -> list[tuple[int, int]]:
    """Where ``rep_text`` carries what it took up (``uptake`` measured on that
    text): runs of the buyer's words and numbers, joined across up to two short
    words, so the evidence can quote "two retail accounts on notice"."""
    words = {stem(w.lower().replace("’", "'")) for w in uptake.words}
    nums = set(numbers(" ".join(uptake.numbers)))
    if not words and not nums:
        return []
    hits = []
    for m in WORD.finditer(rep_text):
        lw = m.group().lower().replace("’", "'")
        if _DIGITS.get(lw, lw.rstrip("%").replace(",", "")) in nums or (stem(lw) in words and lw not in stopwords()):
            hits.append((m.start(), m.end()))
    out: list[tuple[int, int]] = []
    for a, b in hits:
        if out and _GAP.match(rep_text[out[-1][1] : a]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def phrases(rep_text: str, uptake: Uptake) -> list[str]:
    """The taken-up phrases as the rep said them (see :func:`spans`)."""
    return list(dict.fromkeys(rep_text[a:b] for a, b in spans(rep_text, uptake)))
