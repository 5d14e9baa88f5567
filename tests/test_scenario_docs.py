"""docs/scenario-format.md is the trainer's reference: its example must validate
and every field of the format must be documented there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

import coach.scenario as sc

DOC = Path(__file__).parent.parent / "docs" / "scenario-format.md"


def _example() -> str:
    text = DOC.read_text()
    section = text.split("## A complete small example", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_docs_example_validates():
    s = sc.load_scenario_text(_example(), "docs/scenario-format.md#example")
    assert len(s.discoveries) >= 2 and len(s.tests) >= 2
    assert s.ending.next_step is not None


MODELS = [
    sc.Scenario, sc.Brief, sc.BuyerSpec, sc.TrustSettings, sc.Discovery, sc.Requires, sc.Reactions,
    sc.TrustChanges, sc.Ending, sc.NextStep, sc.ScoringWeights, sc.ScenarioTest, sc.Expect, sc.Bounds,
    sc.Fact, sc.Objection, sc.Said,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]):
    text = DOC.read_text()
    missing = [f for f in model.model_fields if f"`{f}`" not in text and f".{f}`" not in text and f"{{{f}:" not in text]
    assert missing == [], f"{model.__name__} fields not in docs/scenario-format.md: {missing}"


def test_documented_trust_defaults_match_code():
    text = DOC.read_text()
    for label, value in sc.DEFAULT_TRUST_CHANGES.items():
        shown = f"{value:+g}" if value else "0"
        assert re.search(rf"`{label}` \| {re.escape(shown)} ", text), (label, shown)


def test_documented_limits_match_code():
    text = DOC.read_text()
    assert f"above {sc.MAX_BYTES // (1024 * 1024)} MB" in text
    assert f"deeper than {sc.MAX_DEPTH} levels" in text
    assert f"more than {sc.MAX_ALIASES} aliases" in text
    assert f"more than {sc.MAX_NODES:,} YAML nodes" in text
