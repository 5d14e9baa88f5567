"""The language-model voice in a session: the same moves, so the same trust,
discoveries, labels and score as the rule voice; and the rule voice's line
whenever the model's reply cannot be used.

These need the engine to take a voice (``run_script(..., voice=...)``), which
comes with the director; until then they skip.
"""

from __future__ import annotations

import inspect
import socket

import pytest

from coach.buyer.local_server import missing_packages
from coach.engine import run_script

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(bool(missing_packages()), reason=f"needs {', '.join(missing_packages())}"),
    pytest.mark.skipif("voice" not in inspect.signature(run_script).parameters,
                       reason="the engine takes no voice yet (it comes with the director)"),
]

from coach.buyer.llm import LLMVoice  # noqa: E402
from coach.config import VoiceSettings  # noqa: E402
from coach.scenario import builtin_scenarios, load_scenario  # noqa: E402

SC = load_scenario(next(p for p in builtin_scenarios() if p.stem == "it-director-outage"))


@pytest.fixture(scope="module")
def analyzer():
    from coach.analysis.analyzer import Analyzer

    return Analyzer.load()


def _facts(result):
    """Everything but the words: per turn the labels, the move, trust and what
    was revealed; then the discoveries and the score."""
    turns = [(e.analysed.labels, e.buyer.kind, round(e.trust_after, 3), e.revealed, e.ended) for e in result.exchanges]
    return turns, tuple(result.discovered), result.scorecard.total, result.scorecard.end_reason


@pytest.mark.parametrize("test", SC.tests[:2], ids=lambda t: t.name[:40])
def test_the_same_rep_turns_score_the_same_with_either_voice(llm_server, analyzer, test):
    voice = LLMVoice(VoiceSettings(url=llm_server.url, model="smollm2", timeout=60, reply_timeout=120),
                     temperature=0, extra_body={"frequency_penalty": 1.0})
    rule = run_script(SC, analyzer, test.script, seed=test.seed)
    llm = run_script(SC, analyzer, test.script, seed=test.seed, voice=voice)
    assert _facts(llm) == _facts(rule)
    voices = [e.buyer.voice for e in llm.exchanges]
    assert all(v == "llm:smollm2" or v.startswith("rule (fallback: ") for v in voices), voices
    # The model spoke some turns itself (a run of fallbacks would prove nothing).
    assert "llm:smollm2" in voices, voices
    for e, r in zip(llm.exchanges, rule.exchanges):
        if e.buyer.voice != "llm:smollm2":
            assert e.buyer.text == r.buyer.text  # the rule voice's own line


def test_a_voice_that_cannot_answer_falls_back_to_the_rule_line_every_turn(analyzer):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    voice = LLMVoice(VoiceSettings(url=url, model="m", timeout=2, reply_timeout=5))
    script = SC.tests[0].script
    rule = run_script(SC, analyzer, script)
    fallen = run_script(SC, analyzer, script, voice=voice)
    assert _facts(fallen) == _facts(rule)
    assert [e.buyer.text for e in fallen.exchanges] == [e.buyer.text for e in rule.exchanges]
    assert {e.buyer.voice for e in fallen.exchanges} == {f"rule (fallback: cannot reach {url})"}
