"""Words, stems and content words: the one definition every part of coach uses.

The analyser's features, the follow-up and uptake measures, the buyer's topic
matching and the conversation metrics all count and compare words through
these functions, so "word" and "content word" mean the same thing everywhere.

Cheap and import-light: regular expressions, and spaCy's English stop-word
list read from its file without importing spaCy itself.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache

#: A word: letters (any script) with inner apostrophes, or a number (with
#: separators, a %). "24/7" is two words, "naïve" one.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’])*|\d+(?:[.,]\d+)*%?")

#: Numbers as words: how a transcribed call writes them.
CARDINALS = tuple("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                  "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred".split())
#: A number as a transcribed call writes it: "forty", "ninety-nine point nine nine".
NUMBER_WORD = "(?:" + "|".join(CARDINALS) + ")"
SPOKEN_NUMBER = rf"\b{NUMBER_WORD}(?:[- ]{NUMBER_WORD})*(?: point(?: {NUMBER_WORD})+)?\b"

#: Spoken fillers and the small talk of questions, on top of spaCy's stop words:
#: they carry no topic.
_EXTRA_STOP = {
    "yeah", "okay", "ok", "like", "just", "really", "thing", "things", "know", "think", "lot", "right", "sure",
    "get", "got", "want", "mean", "gonna", "kind", "sort", "well", "good", "great", "mm", "hmm", "um", "uh",
    "oh", "yes", "no", "that's", "it's", "i'm", "you're", "we're", "don't", "can't", "let", "tell", "say",
    "said", "go", "going",
}

#: Words that fit any buyer: goals, challenges, the business, time, feelings in
#: general. A question made only of these ("What are your goals?", "What's
#: been hard this month?") carries nothing specific to this buyer, and a
#: restatement made only of these takes up nothing they said.
GENERIC_WORDS = frozenset(
    """
    business businesses company companies organisation organization team teams people person staff
    goal goals priority priorities challenge challenges problem problems issue issues concern concerns
    success successful succeed achieve achieving hope hoping hoped plan plans planning process processes
    situation situations thing things stuff way ways work working day days week weeks month months year
    years today now time times moment future past lately recently ago else more anything everything something new
    help helping support need needs needed want wants wanted look looking feel feeling feels felt
    happen happened happening change changes changed better improve improvement biggest main big
    important importance matter matters keep night mind world approach solution solutions strategy vision
    value values partner partners partnership together win wins winning journey synergy synergies
    opportunity opportunities growth grow outcome outcomes result results impact difference level area
    areas side part point sense idea ideas question questions experience role personally overall right
    hard difficult tough challenging frustrating frustrated difficulty pain painful worry worried
    worries stress stressful exhausting sounds sound hear hearing heard understand understood
    imagine going goes go come comes came plate lot lots minute minutes hour hours bit quite pretty
    obviously definitely absolutely basically actually honestly currently generally usually
    thank thanks appreciate love lovely glad happy great fine find finding found talk talking tell telling
    share sharing learn learning know knowing interested interesting excited exciting i'd i'll we'd we'll
    let's totally completely really
    """.split()
)

_SUFFIXES = ("'s", "ies", "ing", "ed", "es", "s", "ly")


def words(text: str) -> list[str]:
    """The words of ``text`` (see WORD): what every word count in coach counts."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9])")


def written_sentences(text: str) -> list[str]:
    """The sentences of a written, punctuated line (a scenario's buyer lines):
    split after ., ! or ? before a capital or a digit. Rep turns are split by
    the analyser's parse instead (AnalysedTurn.sentences)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """spaCy's English stop words plus fillers (see _EXTRA_STOP)."""
    return frozenset(_spacy_stop_words() | _EXTRA_STOP)


def _spacy_stop_words() -> set[str]:
    # Read spacy/lang/en/stop_words.py as a module of its own: importing it the
    # usual way imports all of spaCy (about a second), which the buyer, the
    # metrics and the store do not need.
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return set()
    path = f"{list(spec.submodule_search_locations)[0]}/lang/en/stop_words.py"
    module_spec = importlib.util.spec_from_file_location("_coach_spacy_en_stop_words", path)
    if module_spec is None or module_spec.loader is None:
        return set()
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except OSError:
        return set()
    return set(getattr(module, "STOP_WORDS", set()))


def stem(word: str) -> str:
    """A crude, fast stem for matching words across turns (no parser needed)."""
    w = word.lower().replace("’", "'")
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def content_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` that carry meaning (no stop words,
    no one- or two-letter words but numbers)."""
    stop = stopwords()
    out = set()
    for w in WORD.findall(text):
        lw = w.lower().replace("’", "'")
        if lw in stop or not (len(w) > 2 or w[0].isdigit()):
            continue
        s = stem(lw)
        if s not in stop:
            out.add(s)
    return out


@lru_cache(maxsize=1)
def generic_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in GENERIC_WORDS) | GENERIC_WORDS


def specific_stems(text: str) -> set[str]:
    """Content stems that are not generic: what makes a question about *this*
    buyer rather than any buyer."""
    return content_stems(text) - generic_stems()
