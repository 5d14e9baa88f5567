"""The analyser against the classes of error reps found when testing it turn by
turn (tests/fixtures/error_classes.jsonl: hand-written examples, not training
data, each a buyer turn and a rep turn with the labels that must and must not be
there by ../shared/LABELS.md).

Per class, the share of examples whose `must` labels are all given and whose
`must_not` labels are all absent must reach the class's threshold. Every
threshold is 0.8 for now; the lead may adjust them once the heads have been
retrained with data/sales/train_q.jsonl.

Share per class on the shipped model (models/heads.npz as of commit 7fd3927,
before any retraining on train_q), measured when this test was written, with
the share of the class's positives and near misses:

    small_talk                        0.93  (14 of 15; positives 11/12, near misses 3/3)
    product_question_not_pitch        0.80  (12 of 15; 7/10, 5/5)
    apology_not_empathy               0.87  (13 of 15; 8/10, 5/5)
    helpful_offer_not_self_interest   0.80  (12 of 15; 7/10, 5/5)
    missed_pressure                   0.93  (14 of 15; 10/10, 4/5)
    missed_pitching                   0.93  (14 of 15; 9/10, 5/5)
    missed_mutual_success             0.80  (12 of 15; 8/10, 4/5)
    leading_closes_and_rhetorical     0.80  (12 of 15; 7/10, 5/5)
    pressure_where_none               0.73  (11 of 15; 7/10, 4/5)   fails today
    yes_no_invitation_open            0.73  (11 of 15; 6/10, 5/5)   fails today
    reflection_content                1.00  (20 of 20; content 10/10, content-free 10/10)

Two classes fail today and four sit exactly on the threshold, so one more miss
fails them: the test guards the retraining in both directions.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from coach.analysis import Analyzer
from coach.labels import LABELS, QUESTION_FORMS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "error_classes.jsonl"
EXAMPLES = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
CLASSES = list(dict.fromkeys(e["class"] for e in EXAMPLES))
THRESHOLD = {cls: 0.8 for cls in CLASSES}


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer.load()


def _labels(analyzer, example) -> set[str]:
    conv = analyzer.conversation()
    if example["buyer"] is not None:
        conv.add_buyer(example["buyer"])
    return set(conv.add_rep(example["rep"]).labels)


def _holds(example, got: set[str]) -> bool:
    return set(example["must"]) <= got and not set(example["must_not"]) & got


def test_the_class_set_is_well_formed():
    """A broken example would count as a miss or a pass for the wrong reason."""
    assert set(CLASSES) == set(THRESHOLD)
    per_class = Counter(e["class"] for e in EXAMPLES)
    for cls, n in per_class.items():
        assert 12 <= n <= 20, (cls, n)
    for e in EXAMPLES:
        must, must_not = set(e["must"]), set(e["must_not"])
        assert (must | must_not) <= set(LABELS), e["rep"]
        assert not must & must_not, e["rep"]
        assert len(must & set(QUESTION_FORMS)) <= 1, e["rep"]
        assert must or must_not, e["rep"]  # an example that checks nothing would always pass
        assert e["rep"].strip() and (e["buyer"] is None or e["buyer"].strip())
    reps = [e["rep"] for e in EXAMPLES]
    assert len(reps) == len(set(reps)), "an example is listed twice"


def _heads_trained_on_the_class_data() -> bool:
    """Whether the shipped heads were trained with the files written for these
    classes (train_q, train_r): until then the classes are known to fail."""
    from coach.analysis.heads import Heads
    from coach.paths import models_dir

    path = models_dir() / "heads.npz"
    files = Heads.load(path).meta.get("sales_files", []) if path.exists() else []
    return any(f.endswith("train_q.jsonl") for f in files) and any(f.endswith("train_r.jsonl") for f in files)


@pytest.mark.xfail(not _heads_trained_on_the_class_data(), strict=False,
                   reason="the shipped heads predate train_q and train_r (retrain pending)")
@pytest.mark.parametrize("cls", CLASSES)
def test_the_analyser_handles_the_error_class(analyzer, cls):
    examples = [e for e in EXAMPLES if e["class"] == cls]
    misses = []
    for e in examples:
        got = _labels(analyzer, e)
        if not _holds(e, got):
            misses.append(f"  {e['rep']!r}: got {sorted(got)}, must {e['must']}, must not {e['must_not']}")
    share = 1 - len(misses) / len(examples)
    assert share >= THRESHOLD[cls], (
        f"{cls}: {share:.2f} of {len(examples)} hold (threshold {THRESHOLD[cls]}); misses:\n" + "\n".join(misses)
    )
