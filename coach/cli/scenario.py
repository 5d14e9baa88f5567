"""`coach scenario ...` (validate, schema, new) and `coach scenarios`: the trainer's commands.

Only click and light standard-library modules are imported at module level;
coach.scenario (pydantic, PyYAML) is imported inside each command.
`scenario_group` is importable so other modules can add subcommands to it
(coach/cli/simulate.py adds `scenario test`).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from coach.cli.common import expand_paths
from coach.cli.output import cell, echo



@click.group("scenario")
def scenario_group() -> None:
    """Write and check scenario files: validate, print the JSON Schema, start from a template."""


@scenario_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems, not the 'ok' lines.")
@click.option(
    "--strict",
    is_flag=True,
    help="Also report weaknesses as problems: labels without reactions, single variants, "
    "single example questions, no tests.",
)
def validate(files: tuple[Path, ...], quiet: bool, strict: bool) -> None:
    """Check scenario FILES (or the *.yaml files in a directory).

    Prints `FILE: ok` for each good file and `FILE:LINE:COL: field: message`
    for each problem. Exit status 1 if any file has a problem.
    """
    from coach.scenario import ScenarioError, load_scenario, scenario_warnings

    paths = expand_paths(files)
    if not paths:
        echo("coach: no scenario files found in " + ", ".join(str(f) for f in files), err=True)
        raise SystemExit(1)
    bad = 0
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            bad += 1
            for line in exc.messages:
                echo(line)
            continue
        warnings = scenario_warnings(scenario, str(path)) if strict else []
        if warnings:
            bad += 1
            for line in warnings:
                echo(line)
        elif not quiet:
            echo(f"{path}: ok")
    if bad:
        if len(paths) > 1:
            echo(f"coach: {bad} of {len(paths)} files have problems", err=True)
        raise SystemExit(1)


@scenario_group.command("schema")
@click.option("--indent", default=2, show_default=True, type=click.IntRange(0, 8), help="Spaces of JSON indentation.")
def schema(indent: int) -> None:
    """Print the JSON Schema of the scenario format to stdout.

    Save it (`coach scenario schema > coach-scenario.schema.json`) and point
    your editor's YAML language server at it, for completion and checks as you
    type: put `# yaml-language-server: $schema=coach-scenario.schema.json` at
    the top of a scenario file.
    """
    from coach.scenario import scenario_json_schema

    echo(json.dumps(scenario_json_schema(), indent=indent or None, ensure_ascii=False))


@scenario_group.command("new")
@click.argument("title")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the template to this file instead of stdout (never overwrites).",
)
def new(title: str, output: Path | None) -> None:
    """Print a commented scenario template titled TITLE.

    The template validates as it is and explains every field in its comments;
    edit it, then run `coach scenario validate FILE`.
    """
    from coach.cli import CoachError
    from coach.scenario import template

    if not title.strip():
        raise CoachError("the title is empty")
    if output is None:
        echo(template(title), nl=False)
        return
    text = template(title, filename=str(output))
    try:
        with output.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise CoachError(f"{output} already exists; not overwriting it") from None
    except OSError as exc:
        raise CoachError(f"{output}: cannot write: {exc.strerror or exc}") from None
    echo(f"wrote {output}; check it with: coach scenario validate {output}", err=True)


@click.command("scenarios")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def scenarios(as_json: bool) -> None:
    """List the built-in scenarios and your own (id, title, difficulty, file).

    Your own scenarios are the *.yaml files in your scenarios directory
    (COACH_SCENARIOS, else `scenarios` in your data directory). A file that does
    not load is listed with its first error.
    """
    from coach.paths import user_scenarios_dir
    from coach.scenario import discover_scenarios

    refs = discover_scenarios()
    if as_json:
        echo(json.dumps([r.to_dict() for r in refs], indent=2, ensure_ascii=False))
        return
    if not refs:
        echo("no scenarios found")
        return
    rows = [("ID", "TITLE", "DIFFICULTY", "SOURCE", "FILE")]
    for r in refs:
        title = r.title if not r.error else "(error) " + r.title
        # Escaped before the widths are measured, so the columns line up as printed.
        rows.append((cell(r.id), cell(title), cell(r.difficulty or "-"), cell(r.source), cell(r.path)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        echo("  ".join(text.ljust(widths[i]) for i, text in enumerate(row[:4])) + "  " + row[4])
    errors = [r for r in refs if r.error]
    for r in errors:
        echo(f"coach: {r.error}", err=True)
    echo(f"\nyour scenarios directory: {user_scenarios_dir()}", err=True)


COMMANDS = [scenario_group, scenarios]
