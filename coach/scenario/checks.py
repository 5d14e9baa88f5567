"""Checks beyond the types: cross-field checks (errors) and lint (warnings for
`coach scenario validate --strict`), and the one did-you-mean every message uses."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from coach.labels import LABELS
from coach.text import escape_controls
from coach.scenario.models import UNSAID_REACTIONS, Scenario

Loc = tuple[Any, ...]


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to a misspelt ``word``, if any is close enough."""
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # A key is as the file wrote it: show its control characters, never obey them.
            out += ("." if out else "") + escape_controls(str(part), keep="")
    return out or "(top level)"


def cross_check(s: Scenario) -> list[tuple[Loc, str]]:
    """Checks that span fields: duplicate and unknown ids, cycles, ranges that depend on each other."""
    problems: list[tuple[Loc, str]] = []
    first_index: dict[str, int] = {}
    for i, d in enumerate(s.discoveries):
        if d.id in first_index:
            problems.append(
                (("discoveries", i, "id"), f"duplicate discovery id '{d.id}' (first used by discoveries[{first_index[d.id]}])")
            )
        else:
            first_index[d.id] = i
    known = list(first_index)

    def unknown(ref: str) -> str:
        msg = f"unknown discovery id '{ref}'"
        close = did_you_mean(ref, known)
        return msg + (f"; did you mean '{close}'?" if close else f" (known: {', '.join(known)})")

    problems += _after_checks(s, first_index, unknown)
    problems += _format2_checks(s, first_index, unknown)
    if s.buyer.trust.start <= s.ending.walkout_below:
        problems.append(
            (
                ("buyer", "trust", "start"),
                f"starting trust {s.buyer.trust.start:g} must be above ending.walkout_below "
                f"({s.ending.walkout_below:g}), or the buyer walks out before the first turn",
            )
        )
    if all(w == 0 for w in s.scoring.model_dump().values()):
        problems.append((("scoring",), "at least one scoring weight must be above 0"))
    if sum(d.weight for d in s.discoveries) == 0:
        problems.append((("discoveries", 0, "weight"), "at least one discovery weight must be above 0"))
    problems += _test_checks(s, first_index, unknown)
    return problems


def _after_checks(s: Scenario, first_index: dict[str, int], unknown) -> list[tuple[Loc, str]]:
    """requires.after: known ids, no discovery requiring itself, no cycles."""
    problems: list[tuple[Loc, str]] = []
    for i, d in enumerate(s.discoveries):
        for j, ref in enumerate(d.requires.after):
            if ref == d.id:
                if first_index[d.id] != i:
                    continue  # already reported as a duplicate id
                problems.append((("discoveries", i, "requires", "after", j), f"'{ref}' cannot require itself"))
            elif ref not in first_index:
                problems.append((("discoveries", i, "requires", "after", j), unknown(ref)))

    # A cycle in `after` makes every discovery on it impossible to reveal.
    graph = {d.id: [r for r in d.requires.after if r in first_index and r != d.id] for d in s.discoveries}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    i = first_index[node]
                    j = s.discoveries[i].requires.after.index(nxt)
                    problems.append(
                        (("discoveries", i, "requires", "after", j), "cycle in requires.after: " + " -> ".join(cycle))
                    )
            elif state.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for d in s.discoveries:
        if d.id not in state:
            visit(d.id, [])
    return problems


def _test_checks(s: Scenario, first_index: dict[str, int], unknown) -> list[tuple[Loc, str]]:
    """tests: unique names, known discovery ids, bounds that make sense."""
    problems: list[tuple[Loc, str]] = []
    seen_tests: dict[str, int] = {}
    for t_i, t in enumerate(s.tests):
        if t.name in seen_tests:
            problems.append((("tests", t_i, "name"), f"duplicate test name '{t.name}' (first used by tests[{seen_tests[t.name]}])"))
        else:
            seen_tests[t.name] = t_i
        for key in ("revealed", "not_revealed"):
            for j, ref in enumerate(getattr(t.expect, key)):
                if ref not in first_index:
                    problems.append((("tests", t_i, "expect", key, j), unknown(ref)))
        both = set(t.expect.revealed) & set(t.expect.not_revealed)
        for j, ref in enumerate(t.expect.not_revealed):
            if ref in both:
                problems.append((("tests", t_i, "expect", "not_revealed", j), f"'{ref}' is also in expect.revealed"))
        for key in ("trust", "score"):
            b = getattr(t.expect, key)
            if b is not None:
                if b.min is None and b.max is None:
                    problems.append((("tests", t_i, "expect", key), "give min, max or both"))
                elif b.min is not None and b.max is not None and b.min > b.max:
                    problems.append((("tests", t_i, "expect", key, "min"), f"min {b.min:g} is above max {b.max:g}"))
    return problems


def lint(s: Scenario) -> list[tuple[Loc, str]]:
    """Things that are valid but make a weaker role-play: (location, message) pairs."""
    out: list[tuple[Loc, str]] = []
    said = [key for key in LABELS if key not in UNSAID_REACTIONS]  # no point asking for lines never said
    empty = [key for key in said if not s.reactions.lines(key)]
    if empty:
        out.append(
            (("reactions",), f"no lines for {', '.join(empty)}: the buyer answers {'these' if len(empty) > 1 else 'it'} with fallback lines")
        )
    for key in said:
        if len(s.reactions.lines(key)) == 1:
            out.append((("reactions", key), "only one line: add a variant, or the buyer falls back after using it once"))
    for key in ("fallback", "curt"):  # walkout is said once: one line is enough
        if len(s.reactions.lines(key)) < 2:
            out.append((("reactions", key), "only one line: add variants, or the buyer repeats generic acknowledgements"))
    for i, d in enumerate(s.discoveries):
        if len(d.examples) < 2:
            out.append(
                (("discoveries", i, "examples"), "only one example: add 2-3 phrasings so paraphrases are recognised")
            )
    if s.ending.max_turns < s.brief.turns:
        out.append(
            (("ending", "max_turns"), f"the session ends ({s.ending.max_turns} turns) before the brief's expected length ({s.brief.turns})")
        )
    if not s.tests:
        out.append((("tests",), "no tests: add a consultative and a pushy script under tests:"))
    for i, t in enumerate(s.tests):
        e = t.expect
        if not (e.revealed or e.not_revealed or e.trust or e.score or e.ended is not None):
            out.append((("tests", i, "expect"), "expects nothing: this test cannot fail"))
    return out


#: Fields that came in format 2, by where they live: a version-1 file that uses
#: one is told to say `version: 2`.
FORMAT2_FIELDS = (
    ("facts",), ("objections",), ("reactions", "small_talk"), ("reactions", "unknown"), ("reactions", "repeat"),
    ("ending", "next_step", "after"),
)


def _format2_checks(s: Scenario, known_ids: dict[str, int], unknown) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if s.version == 1:
        used: list[tuple[Loc, str]] = []  # (where, what came in format 2)
        for loc in FORMAT2_FIELDS:
            obj: Any = s
            for part in loc:
                obj = getattr(obj, part, None) if obj is not None else None
            if obj:
                used.append((loc, f"'{loc[-1]}'"))
        for i, d in enumerate(s.discoveries):
            used += [(("discoveries", i, f), f"'{f}'") for f in ("surface", "more") if getattr(d, f)]
            for f in ("reveal", "guarded"):
                # The field is format 1; the conditional form of a line is what is new.
                used += [(("discoveries", i, f, j), "a line as {say, if_revealed}")
                         for j, line in enumerate(getattr(d, f)) if line.if_revealed]
        for loc, what in used:
            problems.append((loc, f"{what} came in format 2: set `version: 2` at the top of the file to use it"))
    for kind, items in (("facts", s.facts), ("objections", s.objections)):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(((kind, i, "id"), f"duplicate id '{item.id}' (first used by {kind}[{seen[item.id]}])"))
            seen.setdefault(item.id, i)
    for i, o in enumerate(s.objections):
        if o.when == "turn" and o.turn is None:
            problems.append((("objections", i, "turn"), "give the rep turn after which it is raised (when: turn)"))
        if o.when != "turn" and o.turn is not None:
            problems.append((("objections", i, "turn"), "only used with `when: turn`"))
    ns = s.ending.next_step
    if ns is not None:
        for j, ref in enumerate(ns.after):
            if ref not in known_ids:
                problems.append((("ending", "next_step", "after", j), unknown(ref)))
    said_lists: list[tuple[Loc, list]] = []
    for i, d in enumerate(s.discoveries):
        said_lists += [(("discoveries", i, f), getattr(d, f)) for f in ("reveal", "guarded", "surface", "more")]
    for i, f in enumerate(s.facts):
        said_lists.append((("facts", i, "answer"), f.answer))
    for i, o in enumerate(s.objections):
        said_lists += [(("objections", i, f), getattr(o, a)) for f, a in
                       (("lines", "lines"), ("press", "press"), ("concede", "concede"))]
    for loc, lines in said_lists:
        for j, line in enumerate(lines):
            for k, ref in enumerate(line.if_revealed):
                if ref not in known_ids:
                    problems.append((loc + (j, "if_revealed", k), unknown(ref)))
        if lines and all(line.if_revealed for line in lines):
            problems.append((loc, "every line waits for a discovery (if_revealed): add one plain line to say before then"))
    return problems
