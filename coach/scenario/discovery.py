"""Finding scenarios: the built-in ones shipped in the package and the user's own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from coach.scenario.errors import ScenarioError
from coach.scenario.loader import load_scenario


@dataclass
class ScenarioRef:
    """A scenario found on disk, for lists: enough to show it without keeping the model."""

    id: str
    title: str
    difficulty: str
    tags: list[str]
    buyer: str
    path: Path
    source: Literal["builtin", "user"]
    error: str | None = None
    buyer_role: str = ""
    company: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (path as a string)."""
        return {
            "id": self.id,
            "title": self.title,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "buyer": self.buyer,
            "buyer_role": self.buyer_role,
            "company": self.company,
            "path": str(self.path),
            "source": self.source,
            "error": self.error,
        }


def builtin_scenarios() -> list[Path]:
    """The built-in scenario files shipped with coach, sorted by name."""
    from coach.paths import builtin_scenarios_dir

    d = builtin_scenarios_dir()
    return sorted(p for p in d.glob("*.yaml") if p.is_file())


def _user_scenario_files() -> list[Path]:
    from coach.paths import user_scenarios_dir

    d = user_scenarios_dir()
    try:
        if not d.is_dir():
            return []
        return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:  # unreadable directory: list what we can (the built-ins)
        return []


def _ref(path: Path, source: Literal["builtin", "user"]) -> ScenarioRef:
    try:
        s = load_scenario(path)
    except ScenarioError as exc:
        return ScenarioRef(
            id=path.stem, title=path.stem, difficulty="", tags=[], buyer="", path=path, source=source,
            error=exc.messages[0] if exc.messages else "invalid scenario",
        )
    return ScenarioRef(
        id=s.id, title=s.title, difficulty=s.difficulty, tags=list(s.tags), buyer=s.buyer.name,
        path=path, source=source, buyer_role=s.buyer.role, company=s.buyer.company,
    )


def discover_scenarios() -> list[ScenarioRef]:
    """Built-in scenarios, then the user's (coach.paths.user_scenarios_dir()).

    A file that does not load is listed with ``error`` set (its first message).
    A user scenario whose id is already taken gets an error too: sessions are
    stored by id, so two scenarios with one id would mix their histories.
    """
    builtins = builtin_scenarios()
    same = {p.resolve() for p in builtins}
    refs = [_ref(p, "builtin") for p in builtins]
    # COACH_SCENARIOS may point at the built-ins themselves (a trainer working in a checkout).
    refs += [_ref(p, "user") for p in _user_scenario_files() if p.resolve() not in same]
    owner: dict[str, ScenarioRef] = {}
    for ref in refs:
        if ref.error:
            continue
        if ref.id in owner:
            ref.error = f"{ref.path}: id '{ref.id}' is already used by {owner[ref.id].path}"
        else:
            owner[ref.id] = ref
    return refs



def scenario_path(name: str) -> Path:
    """The file ``name`` names: a path (it exists, or looks like one: a .yaml
    suffix, a slash), else the file of the loadable scenario with that id.
    KeyError with one line to show ("unknown scenario 'retail': not a file and
    not a scenario id; did you mean 'retail-shifting-agenda'?") otherwise."""
    from coach.scenario.checks import did_you_mean

    path = Path(name)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in name or "\\" in name:
        return path
    refs = {ref.id: ref for ref in discover_scenarios() if ref.error is None}
    if name in refs:
        return refs[name].path
    known = sorted(refs)
    close = did_you_mean(name, known)
    raise KeyError(f"unknown scenario '{name}': not a file and not a scenario id"
                   + (f"; did you mean '{close}'?" if close else f" (known: {', '.join(known)})"))
