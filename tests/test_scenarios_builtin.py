"""Every built-in scenario, played with the real analyser and the rule buyer.

The bar of issue 4, per scenario: its consultative script scores >= 75 and
uncovers >= 75% of the discoveries; its pushy (or checklist) scripts score
<= 40 and uncover <= 25%; its paraphrased consultative script (other words,
same intent) still uncovers >= 75%. Tests are found by the start of their
name: "consultative", "pushy" / "checklist", "paraphrased".
"""

from __future__ import annotations

import pytest

from coach.engine import check_test, run_script
from coach.labels import LABELS
from coach.scenario import builtin_scenarios, load_scenario

BUILTINS = builtin_scenarios()


def _kind(name: str) -> str | None:
    for prefix, kind in (("consultative", "consultative"), ("pushy", "pushy"), ("checklist", "pushy"),
                         ("paraphrased", "paraphrase")):
        if name.lower().startswith(prefix):
            return kind
    return None


CASES = [
    pytest.param(path, t.name, id=f"{path.stem}: {t.name}")
    for path in BUILTINS
    for t in load_scenario(path).tests
]


@pytest.fixture(scope="module")
def analyzer():
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


def test_there_are_at_least_six_varied_built_ins():
    scenarios = [load_scenario(p) for p in BUILTINS]
    assert len(scenarios) >= 6
    assert len({s.id for s in scenarios}) == len(scenarios)
    assert {s.difficulty for s in scenarios} == {"easy", "medium", "hard"}
    assert len({s.buyer.company for s in scenarios}) == len(scenarios)


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_each_built_in_is_complete(path):
    sc = load_scenario(path)
    assert len(sc.discoveries) >= 4
    for label in LABELS:
        assert len(sc.reactions.lines(label)) >= 2, f"{label}: needs variants"
    kinds = [_kind(t.name) for t in sc.tests]
    assert {"consultative", "pushy", "paraphrase"} <= set(kinds), kinds


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_paraphrases_use_other_words(path):
    sc = load_scenario(path)
    consultative = {line for t in sc.tests if _kind(t.name) == "consultative" for line in t.script}
    examples = {e for d in sc.discoveries for e in d.examples}
    if sc.ending.next_step:
        examples |= set(sc.ending.next_step.examples)
    for t in sc.tests:
        if _kind(t.name) == "paraphrase":
            for line in t.script:
                assert line not in consultative and line not in examples, line
                assert not any(e in line for e in examples), line


#: Paraphrased scripts written for the buyer before the director (they leaned on
#: a trusting buyer volunteering facts to any polite turn); the scenarios are
#: being rewritten for format 2 with scripts for the buyer that answers what
#: was asked. Strict: a pass is news.
REWRITE_PENDING = {
    "paraphrased consultative rep follows the thread in other words",
    "paraphrased consultative rep explores the plant in other words",
    "paraphrased consultative rep gets the same story in other words",
    "paraphrased consultative rep gets there in other words",
}


@pytest.mark.parametrize(("path", "name"), [
    pytest.param(*c.values, id=c.id, marks=[pytest.mark.xfail(strict=True, reason="scenario rewrite for the director pending")]
                 if c.values[1] in REWRITE_PENDING else []) for c in CASES])
def test_built_in_script(analyzer, path, name):
    sc = load_scenario(path)
    t = next(t for t in sc.tests if t.name == name)
    result = run_script(sc, analyzer, t.script, seed=t.seed)
    problems = check_test(t, result)
    assert not problems, problems
    share = result.discovered_share
    total = result.scorecard.total
    kind = _kind(name)
    if kind == "consultative":
        assert total >= 75, total
        assert share >= 0.75, result.discovered
    elif kind == "pushy":
        assert total <= 40, total
        assert share <= 0.25, result.discovered
    elif kind == "paraphrase":
        assert share >= 0.75, result.discovered
