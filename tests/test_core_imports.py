"""The core stays free of Textual, and `coach --help` stays free of heavy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "coach.labels",
    "coach.paths",
    "coach.scenario",
    "coach.store",
    "coach.analysis",
    "coach.buyer",
    "coach.buyer.llm",
    "coach.scoring",
]

HEAVY = ["textual", "spacy", "transformers", "onnxruntime", "torch"]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {m.split(".")[0] for m in out}


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    loaded = _loaded_after(f"import {module}")
    assert "textual" not in loaded, f"{module} pulls in Textual"


def test_cli_help_imports_nothing_heavy():
    loaded = _loaded_after(
        "from click.testing import CliRunner\n"
        "from coach.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not (loaded & set(HEAVY)), f"coach --help imported {loaded & set(HEAVY)}"
