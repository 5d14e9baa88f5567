"""The core stays free of Textual, and `coach --help` stays free of heavy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

def _core_modules() -> list[str]:
    """Every module of the package but the app (coach.ui) and the CLI
    (coach.cli), the lazily loaded ones (the analyser, the trainer) included."""
    import pkgutil

    import coach

    found = []
    for info in pkgutil.walk_packages(coach.__path__, "coach."):
        name = info.name
        if name.startswith(("coach.ui", "coach.cli")) or name == "coach.__main__":
            continue
        if name.startswith(("coach.scenarios", "coach.models")):  # data packages
            continue
        found.append(name)
    return sorted(found)


CORE_MODULES = _core_modules()

HEAVY = ["textual", "spacy", "transformers", "onnxruntime", "torch"]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {m.split(".")[0] for m in out}


def test_the_core_list_covers_the_engine_the_buyer_and_the_analyser():
    for name in ("coach.engine", "coach.session", "coach.buyer.director", "coach.analysis.analyzer",
                 "coach.scenario.loader", "coach.store"):
        assert name in CORE_MODULES


def test_no_core_module_imports_textual():
    # One interpreter importing every core module: cheaper than one per module,
    # and a Textual import anywhere still shows.
    imports = "\n".join(f"import {m}" for m in CORE_MODULES)
    loaded = _loaded_after(imports)
    assert "textual" not in loaded, "a core module pulls in Textual"


def test_cli_help_imports_nothing_heavy():
    loaded = _loaded_after(
        "from click.testing import CliRunner\n"
        "from coach.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not (loaded & set(HEAVY)), f"coach --help imported {loaded & set(HEAVY)}"
