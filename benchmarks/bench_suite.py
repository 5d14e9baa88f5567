"""Time the test suite against another checkout's, runs interleaved so both
see the same load, and print each side's median wall time and the load average.

    python benchmarks/bench_suite.py OTHER_CHECKOUT [--runs 3] [-- PYTEST_ARGS...]

OTHER_CHECKOUT is a tree with its own ``.venv`` (e.g. the suite before a change:
``git archive COMMIT | tar -x -C /tmp/before``, then the README's set-up there).
Each side runs ``python -m pytest -q`` with its own venv and its own pytest
configuration (this one's runs on both cores), plus PYTEST_ARGS: ``-m "not llm"``
compares like with like when only this side has the language-model server.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tree: Path, args: list[str]) -> tuple[float, float, str]:
    """One run of ``tree``'s suite: wall seconds, CPU seconds (every process
    of it, pytest-xdist's workers too) and pytest's summary line."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run([str(tree / ".venv" / "bin" / "python"), "-m", "pytest", "-q", *args],
                          cwd=tree, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    lines = done.stdout.strip().splitlines()
    return wall, cpu, lines[-1] if lines else f"exit {done.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the checkout to compare with (it needs its own .venv)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side, interleaved")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:cut])
    opts.pytest_args = argv[cut + 1:]  # after --: for both sides' pytest
    sides = {"other": opts.other.resolve(), "this": HERE}
    walls: dict[str, list[float]] = {name: [] for name in sides}
    cpus: dict[str, list[float]] = {name: [] for name in sides}
    loads = []
    for i in range(opts.runs):
        for name, tree in sides.items():
            loads.append(os.getloadavg()[0])
            wall, cpu, summary = run(tree, opts.pytest_args)
            walls[name].append(wall)
            cpus[name].append(cpu)
            print(f"run {i + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {loads[-1]:.1f} ({summary})",
                  flush=True)
    wall = {name: statistics.median(w) for name, w in walls.items()}
    cpu = {name: statistics.median(c) for name, c in cpus.items()}
    print(f"medians over {opts.runs} runs: wall other {wall['other']:.1f} s, this {wall['this']:.1f} s "
          f"(x{wall['other'] / wall['this']:.2f}); CPU other {cpu['other']:.1f} s, this {cpu['this']:.1f} s "
          f"(x{cpu['other'] / cpu['this']:.2f}); load average at the starts {min(loads):.1f}-{max(loads):.1f}")


if __name__ == "__main__":
    main()
