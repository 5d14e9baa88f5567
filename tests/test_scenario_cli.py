"""The trainer's commands: coach scenario validate / schema / new, and coach scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.scenario import load_scenario, load_scenario_text

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
SMALL = FIXTURES / "valid" / "small.yaml"
MISSPELT = FIXTURES / "broken" / "misspelt-key.yaml"


@pytest.fixture
def run():
    runner = CliRunner()

    def _run(*args, **kw):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)

    return _run


def test_validate_good_file(run):
    result = run("scenario", "validate", SMALL)
    assert result.exit_code == 0
    assert result.stdout == f"{SMALL}: ok\n"


def test_validate_bad_file_prints_positions_and_exits_1(run):
    result = run("scenario", "validate", SMALL, MISSPELT)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{SMALL}: ok",
        f"{MISSPELT}:21:1: discoverys: unknown field 'discoverys'; did you mean 'discoveries'?",
    ]
    assert "1 of 2 files have problems" in result.stderr
    assert "Traceback" not in result.output


def test_validate_quiet_prints_only_problems(run):
    result = run("scenario", "validate", "-q", SMALL)
    assert result.exit_code == 0 and result.stdout == ""


def test_validate_directory_and_missing_file(run, tmp_path):
    result = run("scenario", "validate", FIXTURES / "valid")
    assert result.exit_code == 0
    assert sorted(result.stdout.splitlines()) == sorted(
        f"{p}: ok" for p in (FIXTURES / "valid").glob("*.yaml")
    )
    result = run("scenario", "validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path / 'nope.yaml'}: no such file\n"


def test_validate_every_broken_fixture_fails(run):
    broken = sorted((FIXTURES / "broken").glob("*.yaml"))
    result = run("scenario", "validate", *broken)
    assert result.exit_code == 1
    assert "ok" not in result.stdout.split()
    for path in broken:
        assert f"{path}:" in result.stdout


def test_validate_builtins(run):
    from coach.scenario import builtin_scenarios

    result = run("scenario", "validate", *builtin_scenarios())
    assert result.exit_code == 0, result.output


def test_validate_needs_a_file(run):
    result = CliRunner().invoke(cli, ["scenario", "validate"])
    assert result.exit_code == 2


def test_schema_prints_the_json_schema(run):
    result = run("scenario", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "coach scenario (formats 1 and 2)"
    assert {"discoveries", "facts", "objections"} <= set(schema["properties"])


def test_new_prints_a_valid_template(run):
    result = run("scenario", "new", "After the outage")
    assert result.exit_code == 0
    s = load_scenario_text(result.stdout, "new.yaml")
    assert (s.id, s.title) == ("after-the-outage", "After the outage")


def test_new_writes_a_file_and_refuses_to_overwrite(run, tmp_path):
    out = tmp_path / "mine.yaml"
    result = run("scenario", "new", "Mine", "-o", out)
    assert result.exit_code == 0
    assert load_scenario(out).title == "Mine"
    assert f"coach scenario validate {out}" in out.read_text()
    before = out.read_text()
    result = CliRunner().invoke(cli, ["scenario", "new", "Other", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"coach: {out} already exists; not overwriting it\n"
    assert out.read_text() == before


def test_new_then_validate_round_trip(run, tmp_path):
    """A trainer's first file must pass every check the docs tell them to run,
    --strict and its own tests included, before they change a line."""
    out = tmp_path / "t.yaml"
    run("scenario", "new", "Round trip", "--output", out)
    assert run("scenario", "validate", out).stdout == f"{out}: ok\n"
    strict = run("scenario", "validate", "--strict", out)
    assert (strict.exit_code, strict.stdout) == (0, f"{out}: ok\n")
    tested = run("scenario", "test", out)
    assert tested.exit_code == 0, tested.stdout
    assert tested.stdout.splitlines()[-1] == "2 passed, 0 failed"


def test_scenarios_lists_builtins_and_user_scenarios(run, tmp_path, monkeypatch):
    user = tmp_path / "user-scenarios"
    user.mkdir()
    (user / "warehouse.yaml").write_text(SMALL.read_text())
    (user / "broken.yaml").write_text(MISSPELT.read_text())
    monkeypatch.setenv("COACH_SCENARIOS", str(user))
    result = run("scenarios")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "DIFFICULTY", "SOURCE", "FILE"]
    builtin = next(line for line in lines if line.startswith("it-director-outage "))
    assert "After the outage" in builtin and " hard " in builtin and " builtin " in builtin
    assert builtin.endswith("it-director-outage.yaml")
    mine = next(line for line in lines if line.startswith("small "))
    assert "Small but complete" in mine and " medium " in mine and " user " in mine
    assert mine.endswith(str(user / "warehouse.yaml"))
    bad = next(line for line in lines if line.startswith("broken "))
    assert "(error)" in bad
    assert f"{user / 'broken.yaml'}:21:1: discoverys: unknown field" in result.stderr


def test_scenarios_json(run, tmp_path, monkeypatch):
    home = tmp_path / "coach-home"
    (home / "scenarios").mkdir(parents=True)
    (home / "scenarios" / "w.yaml").write_text(SMALL.read_text())
    monkeypatch.setenv("COACH_HOME", str(home))
    result = run("scenarios", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_id = {d["id"]: d for d in data}
    assert by_id["it-director-outage"]["source"] == "builtin"
    assert by_id["small"] == {
        "id": "small",
        "title": "Small but complete",
        "difficulty": "medium",
        "tags": ["test"],
        "buyer": "Kim Park",
        "buyer_role": "Warehouse Manager",
        "company": "Park Logistics",
        "path": str(home / "scenarios" / "w.yaml"),
        "source": "user",
        "error": None,
    }


def test_scenario_group_is_importable_for_other_commands():
    from coach.cli.scenario import COMMANDS, scenario_group, scenarios

    assert scenario_group.name == "scenario"
    assert COMMANDS == [scenario_group, scenarios]
    assert {"validate", "schema", "new"} <= set(scenario_group.commands)


def test_validate_strict_reports_warnings_and_fails(run):
    from coach.scenario import builtin_scenarios

    minimal = FIXTURES / "valid" / "minimal.yaml"
    assert run("scenario", "validate", minimal).exit_code == 0
    result = run("scenario", "validate", "--strict", minimal)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{minimal}:2:1: tests: warning: no tests: add a consultative and a pushy script under tests:"
    )
    assert f"{minimal}: ok" not in result.stdout
    outage = next(p for p in builtin_scenarios() if p.stem == "it-director-outage")
    result = run("scenario", "validate", "--strict", outage)
    assert (result.exit_code, result.stdout) == (0, f"{outage}: ok\n")
