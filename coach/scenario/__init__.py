"""Scenarios: one YAML file per role-play, validated into typed models.

A scenario describes the buyer, the rep's brief, what the buyer knows and
reveals only to good questions, how the buyer reacts, how the session ends and
is scored, and scripted tests (docs/scenario-format.md is the trainer's
reference). The package:

- ``models``: the pydantic models, the single source of truth;
- ``checks``: cross-field checks, lint warnings, the did-you-mean;
- ``loader``: the hardened YAML loader with line numbers and one-line errors;
- ``discovery``: the built-in scenarios and the user's own;
- ``template``: the JSON Schema and the commented template.

Public API::

    load_scenario(path) -> Scenario              # raises ScenarioError
    load_scenario_text(text, name="<string>") -> Scenario
    ScenarioError.messages -> ["FILE:LINE:COL: path.to.field: message", ...]
    builtin_scenarios() -> list[Path]
    discover_scenarios() -> list[ScenarioRef]
    scenario_path(name) -> Path                  # a file, or a scenario id; KeyError with a did-you-mean line
    scenario_json_schema() -> dict
    template(title) -> str

Nothing here imports Textual or touches the disk at import time.
"""

from coach.scenario.checks import cross_check, did_you_mean, lint
from coach.scenario.discovery import ScenarioRef, builtin_scenarios, discover_scenarios, scenario_path
from coach.scenario.errors import ScenarioError
from coach.scenario.loader import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    load_scenario,
    load_scenario_text,
    scenario_warnings,
)
from coach.scenario.models import (
    DEFAULT_SCORING_WEIGHTS,
    DEFAULT_TRUST_CHANGES,
    EXTRA_REACTIONS,
    FORMAT_VERSION,
    Bounds,
    Brief,
    BuyerSpec,
    Discovery,
    Ending,
    Expect,
    Fact,
    Objection,
    Said,
    NextStep,
    Reactions,
    Requires,
    Scenario,
    ScenarioTest,
    ScoringWeights,
    TrustChanges,
    TrustSettings,
    UNSAID_REACTIONS,
)
from coach.scenario.template import scenario_json_schema, slugify, template

__all__ = [
    "Bounds", "Brief", "BuyerSpec", "DEFAULT_SCORING_WEIGHTS", "DEFAULT_TRUST_CHANGES", "Discovery",
    "EXTRA_REACTIONS", "Ending", "Expect", "FORMAT_VERSION", "Fact", "Objection", "Said", "MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH",
    "MAX_NODES", "NextStep", "Reactions", "Requires", "Scenario", "ScenarioError", "ScenarioRef",
    "ScenarioTest", "ScoringWeights", "TrustChanges", "TrustSettings", "UNSAID_REACTIONS", "builtin_scenarios", "cross_check",
    "did_you_mean", "discover_scenarios", "lint", "load_scenario", "load_scenario_text",
    "scenario_json_schema", "scenario_path", "scenario_warnings", "slugify", "template",
]
