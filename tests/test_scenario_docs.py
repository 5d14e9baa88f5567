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


@pytest.mark.parametrize("old,new", [
    ("  role: Warehouse Manager", " role: Warehouse Manager"),
    ('  opening: "I\'ve got ten minutes before the trucks come in. What is it?"',
     "  opening: I've got ten minutes: what is it?"),
])
def test_documented_syntax_errors_are_what_the_loader_says(old, new):
    """The Errors section's YAML examples are the example file with one mistake."""
    example = _example()
    assert old in example
    with pytest.raises(sc.ScenarioError) as info:
        sc.load_scenario_text(example.replace(old, new, 1), "scenarios/mine.yaml")
    errors = DOC.read_text().split("## Errors", 1)[1].split("\n## ", 1)[0]
    assert info.value.messages[0] + "\n" in errors


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
