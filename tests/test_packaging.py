"""A wheel carries the built-in scenarios and the trained models, and an
installed coach (outside the checkout) lists and validates them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: What is not part of a source tree: a wheel is built from a copy without them,
#: so building writes nothing (build/, coach.egg-info/) into the checkout.
NOT_SOURCE = (".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache", "data",
              "benchmarks", "tests")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return out, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(built):
    out, _ = built
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


def test_the_wheel_builds_without_setuptools_warnings(built):
    _, log = built
    assert "absent from the `packages` configuration" not in log
    assert "Package would be ignored" not in log
