"""A wheel carries the built-in scenarios and the trained models, and an
installed coach (outside the checkout) lists and validates them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(out.glob("coach-*.whl"))
    target = out / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return wheel, target


def test_wheel_ships_scenarios_and_models(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    shipped_yaml = sorted(Path(n).name for n in names if n.startswith("coach/scenarios/") and n.endswith(".yaml"))
    repo_yaml = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert repo_yaml and shipped_yaml == repo_yaml
    shipped_models = {n for n in names if n.startswith("coach/models/")}
    for p in (ROOT / "models").rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts:
            assert "coach/models/" + p.relative_to(ROOT / "models").as_posix() in shipped_models
    # Every Python package in the source tree is in the wheel.
    for init in (ROOT / "coach").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names


def test_installed_coach_lists_and_validates_builtins(installed, tmp_path):
    _, target = installed
    env = dict(os.environ, PYTHONPATH=str(target), COACH_HOME=str(tmp_path))
    code = "from coach.cli import main; main()"
    listed = subprocess.run(
        [sys.executable, "-c", code, "scenarios"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import coach; print(coach.__file__)"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert check.stdout.strip().startswith(str(target))
    for p in (ROOT / "scenarios").glob("*.yaml"):
        assert p.stem in listed.stdout or p.name in listed.stdout
    files = [str(target / "coach" / "scenarios" / p.name) for p in (ROOT / "scenarios").glob("*.yaml")]
    validated = subprocess.run(
        [sys.executable, "-c", code, "scenario", "validate", *files], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
