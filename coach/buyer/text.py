"""Cheap word matching for the buyer: content-word stems, no models.

The buyer matches a rep turn to a scenario's discoveries by meaning (the
analyser's encoder); these stems are the fallback when the encoder is absent and
a tie-breaker when the meaning score is borderline. A crude suffix-stripper is
enough here: it only has to make "forecasts", "forecasting" and "forecast" meet.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z'\-]*")

#: Words that say nothing about a topic: function words, and the small talk of
#: sales questions ("tell me", "what do you think").
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be
    because been before being below between both but by can can't could couldn't
    did didn't do does doesn't doing don't down during each few for from further
    had hadn't has hasn't have haven't having he her here hers herself him himself
    his how i i'd i'll i'm i've if in into is isn't it it's its itself just let let's
    me more most my myself no nor not now of off on once only or other ought our ours
    ourselves out over own same she should shouldn't so some such than that that's
    the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we
    we'd we'll we're we've were weren't what what's when when's where where's which
    while who who's whom why why's will with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves
    tell say said talk ask know think thought like really thing things way get got
    go going went make made much many lot lots right okay ok yes yeah well bit kind
    sort maybe something anything everything one ones see look mean means just still
    even today now time times day days us help walk through happen happened happens
    describe explain share curious wondering wonder hear heard feel felt
    year years month months week weeks morning mornings tomorrow yesterday
    """.split()
)

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ments", "ment", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A crude stem: lowercase, strip one common suffix, keep at least 3 letters."""
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf in ("ies", "ied"):
                w += "y"
            break
    # "forecast"/"forecasted" vs "forecasting": collapse a doubled final consonant.
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]
    return w


def content_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` that carry meaning."""
    out: set[str] = set()
    for m in _WORD.finditer(text.lower()):
        word = m.group(0).strip("'-")
        if len(word) < 3 or word in STOPWORDS:
            continue
        out.add(stem(word))
    return out
