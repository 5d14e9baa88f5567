"""The scenario format (versions 1 and 2): the models, the loader's messages, hostile input, schema and template."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from coach.labels import LABELS
from coach.scenario import (
    DEFAULT_TRUST_CHANGES,
    EXTRA_REACTIONS,
    FORMAT_VERSION,
    MAX_BYTES,
    Reactions,
    Scenario,
    ScenarioError,
    TrustChanges,
    builtin_scenarios,
    discover_scenarios,
    load_scenario,
    load_scenario_text,
    scenario_json_schema,
    template,
)

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
BROKEN = FIXTURES / "broken"
VALID = FIXTURES / "valid"

# Generous: the machine is shared by several agents; the point is "no hang".
TIME_LIMIT = 10.0


# -- every kind of error: the exact lines a trainer sees ----------------------

EXPECTED = {
    "misspelt-key": ["21:1: discoverys: unknown field 'discoverys'; did you mean 'discoveries'?"],
    "misspelt-nested-key": ["26:5: discoveries[0].gaurded: unknown field 'gaurded'; did you mean 'guarded'?"],
    "missing-field": ["11:1: buyer.name: required field missing"],
    "duplicate-id": ["30:9: discoveries[1].id: duplicate discovery id 'bad-history' (first used by discoveries[0])"],
    "unknown-after": [
        "36:15: discoveries[1].requires.after[0]: unknown discovery id 'bad-histroy'; did you mean 'bad-history'?"
    ],
    "unknown-test-ref": [
        "63:31: tests[0].expect.revealed[1]: unknown discovery id 'budget' (known: bad-history, real-need)"
    ],
    "empty-line": ["41:21: reactions.fallback[1]: empty line: write what is said, or remove the entry"],
    "trust-out-of-range": ["19:12: buyer.trust.start: expected a number 0-100, got 130"],
    "speed-out-of-range": ["20:12: buyer.trust.speed: expected a number 0.1-3, got 5"],
    "negative-weight": ["37:13: discoveries[1].weight: expected a number 0-100, got -1"],
    "cycle": [
        "37:15: discoveries[1].requires.after[0]: cycle in requires.after: bad-history -> real-need -> bad-history"
    ],
    "syntax-error": [
        "6:7: YAML syntax error: the '[' opened here is not closed on this line, so YAML reads the lines below as "
        "part of it: end it with ']' on this line"
    ],
    "unsupported-version": ["2:10: version: unsupported version 3: this coach reads version 1 or 2"],
    "unquoted-bool": ["16:9: buyer.tone: must be text, but YAML reads no as true/false: put it in quotes"],
    "duplicate-key": ["5:1: title: duplicate key 'title' (first at line 4)"],
    "bad-difficulty": ["5:13: difficulty: must be 'easy', 'medium' or 'hard' (got 'brutal')"],
    "bad-id": ["3:5: id: 'Small Scenario' is not an id: use lowercase letters and digits, words joined by '-'"],
    "walkout-above-start": [
        "19:12: buyer.trust.start: starting trust 30 must be above ending.walkout_below (40), "
        "or the buyer walks out before the first turn"
    ],
    "bounds-reversed": ["64:20: tests[0].expect.trust.min: min 60 is above max 20"],
    "string-not-list": [
        "33:13: discoveries[1].reveal: must be a list: write each item on its own line starting with '- ', "
        'or ["a", "b"]'
    ],
    "no-discoveries": [
        "21:14: discoveries: must have at least 1 item",
        "22:1: unused: unknown field 'unused' (allowed: version, id, title, difficulty, tags, brief, buyer, "
        "discoveries, facts, objections, reactions, trust, ending, scoring, tests)",
    ],
    "recursive-alias": ["6:17: alias *t refers to the node that contains it (a recursive alias)"],
    "top-level-list": ["2:1: the top level must be a mapping of fields (version: 1, id: ..., title: ...), not a list"],
    "empty": ["1:1: the file is empty; start from `coach scenario new TITLE`"],
}


def test_every_broken_fixture_has_an_expectation():
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_exact_position_and_field(name):
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.messages == [f"{path}:{line}" for line in EXPECTED[name]]
    assert str(info.value) == "\n".join(info.value.messages)


def test_errors_are_sorted_and_all_reported_at_once():
    text = (VALID / "small.yaml").read_text()
    text = text.replace("start: 30", "start: 130").replace("difficulty: medium", "difficulty: x")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "two.yaml")
    assert [m.split(": ")[1] for m in info.value.messages] == ["difficulty", "buyer.trust.start"]
    assert info.value.messages[0].startswith("two.yaml:5:13: ")


def test_missing_field_in_a_list_item_points_at_the_item():
    text = (VALID / "small.yaml").read_text().replace("    topic: why forecasts are a sore point\n", "")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    assert info.value.messages == ["s.yaml:22:5: discoveries[0].topic: required field missing"]


def test_unknown_not_revealed_and_both_lists():
    text = (VALID / "small.yaml").read_text().replace(
        "      revealed: [bad-history]\n",
        "      revealed: [bad-history]\n      not_revealed: [bad-history, nope]\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    assert info.value.messages == [
        "s.yaml:64:22: tests[0].expect.not_revealed[0]: 'bad-history' is also in expect.revealed",
        "s.yaml:64:35: tests[0].expect.not_revealed[1]: unknown discovery id 'nope' (known: bad-history, real-need)",
    ]


def test_whitespace_only_lines_are_errors_everywhere():
    base = (VALID / "small.yaml").read_text()
    cases = {
        '  opening: "I\'ve got ten minutes before the trucks come in."': ('  opening: "  "', "buyer.opening"),
        'reveal: ["Head office used my forecast against me in a review."]': (
            'reveal: ["\\t"]',
            "discoveries[0].reveal[0]",
        ),
        '      - "What happened the last time you did forecasts?"': ('      - ""', "tests[0].script[0]"),
    }
    for old, (new, field) in cases.items():
        assert old in base
        with pytest.raises(ScenarioError) as info:
            load_scenario_text(base.replace(old, new), "s.yaml")
        assert len(info.value.messages) == 1
        assert f": {field}: empty line" in info.value.messages[0]


# -- hostile input: one clear error, quickly ---------------------------------


def _timed(fn):
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        fn()
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f}s"
    return info.value


def test_50mb_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    line = b"title: " + b"x" * 1000 + b"\n"
    with big.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    err = _timed(lambda: load_scenario(big))
    assert err.messages == [f"{big}:1:1: 50.0 MB: scenario files are limited to 1024 KB; is this the right file?"]


def test_oversized_text_is_refused():
    err = _timed(lambda: load_scenario_text("a" * (MAX_BYTES + 1), "t.yaml"))
    assert err.messages[0].startswith("t.yaml:1:1: 1.0 MB: scenario files are limited to")


def test_billion_laughs_is_refused(tmp_path):
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    err = _timed(lambda: load_scenario(bomb))
    assert len(err.messages) == 1
    assert err.messages[0].startswith(f"{bomb}:")
    assert "alias bomb" in err.messages[0]


def test_many_aliases_are_refused():
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n"
    err = _timed(lambda: load_scenario_text(text, "many.yaml"))
    assert err.messages[0].startswith("many.yaml:2:")
    assert "more than 200 aliases" in err.messages[0]


def test_a_few_aliases_are_fine():
    text = (VALID / "small.yaml").read_text()
    text = text.replace('fallback: ["Mm."]', 'fallback: &short ["Mm."]').replace(
        'curt: ["Right."]', "curt: *short"
    )
    s = load_scenario_text(text, "alias.yaml")
    assert s.reactions.curt == ["Mm."]


def test_deep_nesting_is_refused():
    err = _timed(lambda: load_scenario_text("[" * 200_000, "deep.yaml"))
    assert err.messages == ["deep.yaml:1:51: nested more than 50 levels deep"]


def test_binary_file_is_refused(tmp_path):
    binary = tmp_path / "picture.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100)
    err = _timed(lambda: load_scenario(binary))
    assert err.messages == [f"{binary}:3:1: binary data (a NUL byte): not a YAML text file"]


def test_non_utf8_file_is_refused(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("version: 1\ntitle: Caf\u00e9\n".encode("latin-1"))
    err = _timed(lambda: load_scenario(latin))
    assert err.messages == [f"{latin}:2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_control_character_is_refused():
    err = _timed(lambda: load_scenario_text("version: 1\ntitle: a\x07b\n", "bell.yaml"))
    assert err.messages == ["bell.yaml:2:9: control character #x0007 is not allowed in YAML; is this a text file?"]


def test_python_tags_are_not_constructed():
    err = _timed(lambda: load_scenario_text('a: !!python/object/apply:os.system ["true"]\n', "evil.yaml"))
    assert err.messages[0].startswith("evil.yaml:1:4: YAML syntax error: a value that starts with '!' is a YAML tag")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert info.value.messages == [f"{tmp_path / 'nope.yaml'}: no such file"]
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert info.value.messages == [f"{tmp_path}: is a directory, not a scenario file"]


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (VALID / "small.yaml").read_bytes())
    assert load_scenario(path).id == "small"


# -- the models ----------------------------------------------------------------


def test_reaction_and_trust_keys_follow_the_label_contract():
    assert list(Reactions.model_fields) == [*LABELS, "fallback", "curt", "walkout", "small_talk", "unknown", "repeat"]
    assert list(TrustChanges.model_fields) == list(LABELS)
    assert set(DEFAULT_TRUST_CHANGES) == set(LABELS)


def test_defaults_and_conveniences():
    s = load_scenario(VALID / "minimal.yaml")
    # Speed follows the difficulty unless the file sets it (minimal.yaml is easy).
    assert s.buyer.trust.start == 30 and s.buyer.trust.speed is None and s.trust_speed == 1.25
    assert s.buyer.tone == "neutral"
    assert s.brief.turns == 12
    assert s.ending.max_turns == 20 and s.ending.walkout_below == 10 and s.ending.next_step is None
    assert s.discoveries[0].weight == 1 and s.discoveries[0].volunteer is True
    assert s.discoveries[0].requires.open_question is False and s.discoveries[0].requires.after == []
    assert s.reactions.pitching == [] and s.reactions.lines("fallback") == ["Go on."]
    assert s.trust_changes() == DEFAULT_TRUST_CHANGES
    assert s.scoring.normalised() == pytest.approx({"discovery": 0.4, "questions": 0.2, "listening": 0.2, "relationship": 0.2})
    assert s.tests == []

    small = load_scenario(VALID / "small.yaml")
    assert small.trust_change("pitching") == -10
    assert small.trust_change("empathy") == DEFAULT_TRUST_CHANGES["empathy"]
    assert small.discovery("real-need").weight == 2
    with pytest.raises(KeyError):
        small.discovery("nope")


def test_source_text_and_path_are_kept():
    path = VALID / "small.yaml"
    s = load_scenario(path)
    assert s.source_path == path
    assert s.source_text == path.read_text()
    t = load_scenario_text(path.read_text(), "x")
    assert t.source_path is None and t.source_text == path.read_text()
    # Private: not part of the data, the schema or a dump.
    assert "source_text" not in s.model_dump() and "_source_text" not in s.model_dump()


def test_lines_are_stripped_of_folded_newlines():
    s = load_scenario(Path(builtin_scenarios()[0]))
    assert not s.brief.situation.endswith("\n")


def test_scenario_built_in_code_still_gets_cross_checks():
    data = load_scenario(VALID / "small.yaml").model_dump()
    data["discoveries"][1]["id"] = "bad-history"
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    assert "duplicate discovery id 'bad-history'" in str(info.value)


def test_round_trip_through_model_dump():
    s = load_scenario(VALID / "small.yaml")
    assert Scenario.model_validate(s.model_dump()).model_dump() == s.model_dump()


# -- built-ins, discovery ----------------------------------------------------


def test_builtin_scenarios_validate():
    paths = builtin_scenarios()
    assert paths, "no built-in scenarios"
    assert any(p.name == "it-director-outage.yaml" for p in paths)
    for p in paths:
        s = load_scenario(p)
        assert s.id == p.stem, f"{p}: id should match the file name"


def test_it_director_outage_is_complete():
    s = load_scenario(next(p for p in builtin_scenarios() if p.stem == "it-director-outage"))
    assert len(s.discoveries) >= 4
    for key in [*LABELS, "fallback", "curt", "walkout"]:
        assert len(s.reactions.lines(key)) >= 2, key
    names = " ".join(t.name for t in s.tests)
    assert "consultative" in names and "pushy" in names


def test_discover_lists_builtin_and_user_scenarios(tmp_path, monkeypatch):
    user = tmp_path / "mine"
    user.mkdir()
    (user / "warehouse.yaml").write_text((VALID / "small.yaml").read_text())
    (user / "broken.yml").write_text("version: 1\nid: [\n")
    (user / "notes.txt").write_text("not a scenario")
    dup = (VALID / "small.yaml").read_text().replace("id: small", "id: it-director-outage")
    (user / "zz-dup.yaml").write_text(dup)
    monkeypatch.setenv("COACH_SCENARIOS", str(user))
    refs = discover_scenarios()
    by_path = {r.path.name: r for r in refs}
    assert by_path["it-director-outage.yaml"].source == "builtin"
    assert by_path["it-director-outage.yaml"].buyer == "Dana Okafor"
    mine = by_path["warehouse.yaml"]
    assert (mine.id, mine.title, mine.difficulty, mine.tags, mine.buyer, mine.source, mine.error) == (
        "small", "Small but complete", "medium", ["test"], "Kim Park", "user", None,
    )
    assert by_path["broken.yml"].error.startswith(f"{user / 'broken.yml'}:2:5: YAML syntax error")
    assert "notes.txt" not in by_path
    assert "already used by" in by_path["zz-dup.yaml"].error
    assert json.loads(json.dumps([r.to_dict() for r in refs]))


def test_discover_uses_the_data_directory_by_default(tmp_path, monkeypatch):
    home = tmp_path / "coachhome"
    (home / "scenarios").mkdir(parents=True)
    (home / "scenarios" / "mine.yaml").write_text((VALID / "minimal.yaml").read_text())
    monkeypatch.setenv("COACH_HOME", str(home))
    assert "minimal" in [r.id for r in discover_scenarios() if r.source == "user"]


# -- schema and template -----------------------------------------------------


def _walk_properties(schema):
    for name, definition in schema.get("$defs", {}).items():
        for field, prop in definition.get("properties", {}).items():
            yield f"{name}.{field}", prop
    for field, prop in schema.get("properties", {}).items():
        yield f"Scenario.{field}", prop


def test_schema_is_json_and_every_field_is_described():
    schema = scenario_json_schema()
    json.loads(json.dumps(schema))
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    undocumented = [name for name, prop in _walk_properties(schema) if not prop.get("description")]
    assert undocumented == []


def test_builtin_scenario_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in builtin_scenarios():
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    for broken in ("misspelt-key", "empty-line", "trust-out-of-range", "bad-difficulty", "unsupported-version"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load((BROKEN / f"{broken}.yaml").read_text()), schema)


@pytest.mark.parametrize("title", ["After the outage", 'Quotes "and" colons: yes', "Café déjà vu", "!!!", "x" * 200])
def test_template_validates(title):
    text = template(title)
    s = load_scenario_text(text, "t.yaml")
    assert s.title == " ".join(title.split())
    assert s.id == (s.id.strip("-")) and len(s.id) <= 64
    assert len(s.discoveries) >= 2 and s.tests
    # New files start in the current format and show its parts in use.
    assert s.version == FORMAT_VERSION == 2
    assert s.facts and s.objections
    assert any(d.surface for d in s.discoveries) and any(d.more for d in s.discoveries)
    assert any(line.if_revealed for d in s.discoveries for line in d.reveal)
    assert s.reactions.small_talk and s.reactions.unknown and s.reactions.repeat
    assert s.ending.next_step is not None and s.ending.next_step.after
    from coach.scenario import scenario_warnings

    assert scenario_warnings(s) == [], "the template should model a complete scenario"


def test_template_teaches_every_section():
    text = template("Teach me")
    for key in ["version", "id", "title", "difficulty", "tags", "brief", "buyer", "discoveries", "reactions",
                "trust", "ending", "scoring", "tests", "requires", "after", "volunteer", "next_step", "expect",
                "facts", "answer", "objections", "when", "lines", "press", "handled_by", "concede", "surface", "more",
                "if_revealed", "small_talk", "unknown", "repeat"]:
        assert f"{key}:" in text, key
    for label in LABELS:
        assert f"  {label}:" in text, label
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 30


# -- odd YAML values get a specific message -----------------------------------


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("version: 1", 'version: "1"', "t.yaml:2:10: version: must be the number 1, not the text '1': remove the quotes"),
        ("version: 1", "version: true", "t.yaml:2:10: version: must be 1 or 2 (got true)"),
        ("version: 1", "version: 1.5", "t.yaml:2:10: version: unsupported version 1.5: this coach reads version 1 or 2"),
        ("version: 1", "version:", "t.yaml:2:9: version: must be 1 or 2, but it is empty"),
        ("reactions:\n", "reactions:\n  on: [a]\n", "t.yaml:39:3: reactions.on: unknown field 'on' (allowed: "
         + ", ".join([*LABELS, *EXTRA_REACTIONS]) + ")"),
        ("id: small", "id: 3", "t.yaml:3:5: id: must be text, but YAML reads 3 as a number: put it in quotes"),
        ("  tone: blunt", "  tone:", "t.yaml:16:8: buyer.tone: must be text, but it is empty"),
        ("  company: Park Logistics", "  company: #1 Logistics",
         "t.yaml:14:11: buyer.company: must be text, but it is empty; a '#' after a space starts a comment, so "
         'YAML sees no value here: put the value in quotes (company: "#1 Logistics")'),
        ("  tone: blunt", "  tone: # blunt, say", "t.yaml:16:8: buyer.tone: must be text, but it is empty"),
        ('    guarded: ["Fewer meetings."]', "    guarded:\n      - Fewer meetings: fewer problems.",
         "t.yaml:35:9: discoveries[1].guarded[0]: must be text, but YAML read a 'key: value' pair: "
         "put the line in quotes (it contains ': ')"),
        ("discoveries:\n", "discoveries:\n  - 5\n",
         "t.yaml:22:5: discoveries[0]: must be a mapping of fields (key: value lines), not 5"),
        ("  role: Warehouse Manager", "  role:\n    - Warehouse Manager",
         "t.yaml:14:5: buyer.role: must be text, not a list (['Warehouse Manager'])"),
        ("  trust:\n    start: 30\n    speed: 1.0", "  trust:",
         "t.yaml:18:9: buyer.trust: must be a mapping of fields (key: value lines), but it is empty: "
         "indent its fields under it"),
    ],
)
def test_odd_values_get_specific_messages(old, new, expected):
    text = (VALID / "small.yaml").read_text()
    assert old in text
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text.replace(old, new, 1), "t.yaml")
    assert info.value.messages[-1] == expected


def test_format_2_in_a_version_1_file_names_what_came_in_format_2():
    """A conditional line is a format-2 form of a line, not a format-2 field:
    the message must not claim `reveal` itself is new."""
    text = (VALID / "small.yaml").read_text()
    old = 'reveal: ["Knowing two days ahead when the big orders land."]'
    new = 'reveal: ["Two days ahead.", {say: "Like I said, head office.", if_revealed: [bad-history]}]'
    assert old in text
    text = text.replace(old, new).replace("reactions:\n", "facts: []\nreactions:\n  unknown: [\"No idea.\"]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.yaml")
    assert info.value.messages == [
        "t.yaml:33:33: discoveries[1].reveal[1]: a line as {say, if_revealed} came in format 2: "
        "set `version: 2` at the top of the file to use it",
        "t.yaml:40:12: reactions.unknown: 'unknown' came in format 2: set `version: 2` at the top of the file to use it",
    ]
    assert load_scenario_text(text.replace("version: 1", "version: 2"), "t.yaml").version == 2


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("start: 30", 'start: "thirty"', "t.yaml:19:12: buyer.trust.start: expected a number 0-100, got 'thirty'"),
        ("start: 30", "start: 130", "t.yaml:19:12: buyer.trust.start: expected a number 0-100, got 130"),
        ("start: 30", "start:", "t.yaml:19:11: buyer.trust.start: expected a number 0-100, but it is empty"),
        ("start: 30", "start: .nan", "t.yaml:19:12: buyer.trust.start: expected a number 0-100, got .nan"),
        ("speed: 1.0", "speed: fast", "t.yaml:20:12: buyer.trust.speed: expected a number 0.1-3, got 'fast'"),
        ("speed: 1.0", "speed: 1,5",
         "t.yaml:20:12: buyer.trust.speed: expected a number 0.1-3, got '1,5': write decimals with a point (1.5)"),
        ("max_turns: 12", "max_turns: 12.5", "t.yaml:47:14: ending.max_turns: expected a whole number 1-200, got 12.5"),
        ("max_turns: 12", "max_turns: 0", "t.yaml:47:14: ending.max_turns: expected a whole number 1-200, got 0"),
        ("pitching: -10", "pitching: -100", "t.yaml:45:13: trust.pitching: expected a number -50 to 50, got -100"),
        ("      trust: {min: 30}", "      trust: {min: 30}\n    seed: abc",
         "t.yaml:65:11: tests[0].seed: expected a whole number, got 'abc'"),
    ],
)
def test_number_fields_say_what_they_expect_and_what_they_got(old, new, expected):
    text = (VALID / "small.yaml").read_text()
    assert old in text
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text.replace(old, new, 1), "t.yaml")
    assert info.value.messages == [expected]


def _number_fields(model, loc=()):
    """The location of every number field in the format, list items as [0]."""
    from typing import get_args, get_origin

    from pydantic import BaseModel

    from coach.scenario.loader import _unwrap

    for name, field in model.model_fields.items():
        tp = _unwrap(field.annotation)
        if get_origin(tp) is list:
            inner = _unwrap(get_args(tp)[0])
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from _number_fields(inner, (*loc, name, 0))
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            yield from _number_fields(tp, (*loc, name))
        elif tp in (int, float):
            yield (*loc, name)


NUMBER_FIELDS = list(_number_fields(Scenario))


def test_the_format_has_the_number_fields_this_test_expects():
    assert len(NUMBER_FIELDS) >= 30 and ("objections", 0, "turn") in NUMBER_FIELDS


@pytest.mark.parametrize("loc", NUMBER_FIELDS, ids=lambda loc: ".".join(map(str, loc)))
def test_every_number_field_given_text_says_what_it_expects(loc):
    import yaml

    from coach.scenario.checks import dotted

    path = next(p for p in builtin_scenarios() if p.stem == "it-director-outage")
    data = yaml.safe_load(path.read_text())
    node = data
    for part in loc[:-1]:
        if not isinstance(part, int) and node.get(part) is None:
            node[part] = {}  # an optional section the file leaves out
        node = node[part]
    node[loc[-1]] = "thirty"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data, sort_keys=False), "t.yaml")
    [message] = [m for m in info.value.messages if f" {dotted(loc)}: " in m]
    assert re.fullmatch(rf"t\.yaml:\d+:\d+: {re.escape(dotted(loc))}: expected a (whole )?number"
                        r"( -?[\d.]+(-| to )-?[\d.]+)?, got 'thirty'", message), message


# -- YAML mistakes in plain words ---------------------------------------------

_OPENING = """  opening: "I've got ten minutes before the trucks come in.\""""

LAYOUT_MISTAKES = {
    "field indented less than its siblings": (
        "  role: Warehouse Manager", " role: Warehouse Manager",
        "13:2: YAML syntax error: 'role' is indented 1 space, which lines up with nothing above it ('name' on "
        "line 12 has 2, 'buyer' on line 11 has 0): the fields of one mapping must start in the same column"),
    "nested field indented more than the next": (
        "      open_question: true", "        open_question: true",
        "29:7: YAML syntax error: 'min_trust' is indented 6 spaces, which lines up with nothing above it "
        "('open_question' on line 28 has 8, 'requires' on line 27 has 4): the fields of one mapping must start "
        "in the same column"),
    "field indented under one that has a value": (
        "  role: Warehouse Manager", "    role: Warehouse Manager",
        "13:5: YAML syntax error: 'role' is indented more than 'name' on line 12, which already has a value, so "
        "YAML reads this line as more of that value: line it up with 'name' (2 spaces in), or, if it belongs "
        "under it, take the value off line 12"),
    "field of a list item lined up with its dash": (
        "    topic: what would actually help the warehouse", "  topic: what would actually help the warehouse",
        "31:3: YAML syntax error: 'topic' lines up with the '- ' of the list item on line 30, so it is outside "
        "that item: indent it 4 spaces to line up with 'id', or, if line 30 is not meant to be a list item, "
        "remove its '- '"),
    "list item among fields": (
        "  role: Warehouse Manager", "  - role: Warehouse Manager",
        "13:3: YAML syntax error: a list item ('- ') among fields: 'name' on line 12 is a field at the same "
        "indentation; remove the '- ', or put the list under a field that ends with ':'"),
    "list item swallowed into the text above": (
        '    examples: ["What would make your week easier?"]',
        "    examples:\n    - What would make your week easier?\n      - What would help most on a Monday?",
        "34:7: discoveries[1].examples[0]: YAML reads this '- ' line as more of the text that begins on line 33, "
        "not as a list item: start every '- ' of a list in the same column, under a field with nothing after "
        "its ':'"),
    "list item without its dash": (
        '    script:\n      - "What happened the last time you did forecasts?"',
        "    script:\n      - What happened the last time?\n      So what went wrong?",
        "62:7: YAML syntax error: this line is neither a field nor a list item: if it is another item of the "
        "list above, start it with '- ' like line 61"),
    "tab": (
        "  tone: blunt", "\ttone: blunt",
        "16:1: YAML syntax error: a tab character: YAML allows only spaces to indent and after ':' or '-'; "
        "replace the tab with spaces"),
    "second colon in a value": (
        "  tone: blunt", "  tone: blunt: really",
        "16:14: YAML syntax error: a second ': ' on this line: YAML cannot tell where the field ends and the text "
        'begins; put the text in quotes (tone: "blunt: really")'),
    "no space after a colon": (
        "  name: Kim Park", "  name:Kim Park",
        "12:8: YAML syntax error: no space after the ':' of 'name': write a space between a field's ':' and its "
        "value"),
    "no colon after a field": (
        "  role: Warehouse Manager", "  role Warehouse Manager",
        "13:3: YAML syntax error: 'role' needs a ':' after it (role: ...)"),
    "unclosed double quote": (
        _OPENING, _OPENING[:-1],
        "17:12: YAML syntax error: the quote (\") opened here is not closed on this line, so YAML reads on to the "
        "next \" (line 24): close it on this line"),
    "apostrophe inside single quotes": (
        _OPENING, "  opening: 'I've got ten minutes.'",
        "17:15: YAML syntax error: text after a closing quote: YAML reads the quoted text as 'I' and cannot "
        "place what follows; write an apostrophe inside '...' as two ('I''ve'), or put the text in double quotes"),
    "text after a closing quote": (
        _OPENING, "  opening: \"I've got ten minutes,\" she says.",
        "17:36: YAML syntax error: text after a closing quote: YAML reads the quoted text as \"I've got ten "
        "minutes,\" and cannot place what follows; write a quote inside \"...\" as \\\", or put text with \" in "
        "it in single quotes"),
    "unclosed brace": (
        "      trust: {min: 30}", "      trust: {min: 30",
        "64:14: YAML syntax error: the '{' opened here is not closed on this line, so YAML reads the lines below "
        "as part of it: end it with '}' on this line"),
    "closing bracket with nothing open": (
        '    examples: ["What would make your week easier?"]', '    examples: "What would make your week easier?"]',
        "32:50: YAML syntax error: a ']' that closes no '[': remove it, or add the '[' it belongs to"),
    "second document": (
        "tags: [test]", "tags: [test]\n---\nid: other",
        "7:1: YAML syntax error: a '---' line here starts a second document, and a scenario file holds one: remove "
        "the '---' (and move anything below it that is another scenario to its own file)"),
    "list started on its field's line": (
        '    examples: ["What would make your week easier?"]', "    examples:- What would make your week easier?",
        "32:14: YAML syntax error: a list cannot start on the same line as its field: put each '- ' item on its own "
        "line below 'examples:', indented further than it"),
    "next list item indented like the fields of the one above": (
        "  - id: real-need", "    - id: real-need",
        "30:5: YAML syntax error: this '- ' item is indented 4 spaces, like the fields of the list item on line 22, "
        "so YAML reads it inside that item: line it up with the '- ' on line 22 (2 spaces in) to start the next item"),
    "value starting with a reserved character": (
        "  company: Park Logistics", "  company: @park",
        "14:12: YAML syntax error: a value cannot start with '@' unless it is in quotes (YAML reserves it): put "
        'the whole value in quotes (company: "@park")'),
    "value starting with a bracket": (
        _OPENING, "  opening: [sighs] Ten minutes.",
        "17:20: YAML syntax error: a value that starts with '[' is read as a list up to its closing bracket, and "
        'the text after it is left over: put the whole value in quotes (opening: "[sighs] Ten minutes.")'),
    "text after >-": (
        "  situation: A warehouse manager who does not do forecasts.",
        "  situation: >- A warehouse manager who does not do forecasts.",
        "8:17: YAML syntax error: text cannot follow '>-' or '|' on the same line: start the text on the next "
        "line, indented further than the field"),
    "folded text not indented": (
        "  situation: A warehouse manager who does not do forecasts.",
        "  situation: >-\n  A warehouse manager who does not do forecasts.",
        "9:3: YAML syntax error: the text of 'situation' (line 8, after '>-') must be indented more than the "
        "field: indent it 4 spaces"),
}


@pytest.mark.parametrize("mistake", sorted(LAYOUT_MISTAKES))
def test_yaml_mistakes_are_explained_in_plain_words_at_the_line_to_fix(mistake):
    old, new, expected = LAYOUT_MISTAKES[mistake]
    text = (VALID / "small.yaml").read_text()
    assert old in text
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text.replace(old, new, 1), "t.yaml")
    assert info.value.messages == [f"t.yaml:{expected}"]


@pytest.mark.parametrize("old,new,expected", [
    # The item's first field again, without its '- ': the next item, most likely.
    ("  - id: real-need", "    id: real-need",
     "t.yaml:30:5: discoveries[0].id: duplicate key 'id' (first at line 22); if this line starts the next item of "
     "the list, begin it with '- '"),
    # A ',' in unquoted text inside {...} cuts the text into an unknown field.
    ('    reveal: ["Knowing two days ahead when the big orders land."]',
     "    reveal:\n      - Knowing two days ahead.\n      - {say: Like I said, two days, if_revealed: [bad-history]}",
     "t.yaml:35:28: discoveries[1].reveal[1].two days: unknown field 'two days' (allowed: say, if_revealed); inside "
     "{...} a ',' ends the text before it: put text with a ',' in quotes"),
])
def test_valid_yaml_that_reads_otherwise_than_meant_says_how_it_was_read(old, new, expected):
    text = (VALID / "small.yaml").read_text().replace("version: 1", "version: 2")
    assert old in text
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text.replace(old, new, 1), "t.yaml")
    assert expected in info.value.messages, info.value.messages


def test_no_parser_words_reach_the_trainer_for_common_mistakes():
    """Whatever the mistake above, none of PyYAML's vocabulary is shown."""
    text = (VALID / "small.yaml").read_text()
    for old, new, _ in LAYOUT_MISTAKES.values():
        with pytest.raises(ScenarioError) as info:
            load_scenario_text(text.replace(old, new, 1), "t.yaml")
        for jargon in ("<block", "token", "simple key", "scanning", "while parsing", "<scalar>"):
            assert jargon not in str(info.value), (jargon, str(info.value))


# -- property: any input gives a Scenario or a ScenarioError, never a traceback


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SMALL_LINES = (VALID / "small.yaml").read_text().splitlines(keepends=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    try:
        load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.messages and all(m.startswith("fuzz.yaml:") for m in exc.messages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_SMALL_LINES) - 1),
            st.sampled_from(["delete", "dup", "indent", "dedent", "junk", "swap"]),
            st.text(max_size=12),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_scenario_never_crashes(edits):
    lines = list(_SMALL_LINES)
    for index, action, junk in edits:
        index %= len(lines)
        if action == "delete":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index].lstrip()
        elif action == "junk":
            lines[index] = lines[index].rstrip("\n") + junk + "\n"
        else:
            lines[index], lines[-1 - index] = lines[-1 - index], lines[index]
        if not lines:
            lines = ["\n"]
    try:
        load_scenario_text("".join(lines), "mut.yaml")
    except ScenarioError as exc:
        assert exc.messages
        for m in exc.messages:
            assert re.match(r"mut\.yaml:\d+:\d+: ", m), m


# -- warnings (coach scenario validate --strict) -----------------------------


def test_warnings_point_at_weak_spots():
    from coach.scenario import scenario_warnings

    path = VALID / "minimal.yaml"
    labels = ", ".join(x for x in LABELS if x not in ("closed_question", "curiosity"))
    assert scenario_warnings(load_scenario(path)) == [
        f"{path}:2:1: tests: warning: no tests: add a consultative and a pushy script under tests:",
        f"{path}:18:5: discoveries[0].examples: warning: only one example: add 2-3 phrasings so paraphrases are recognised",
        f"{path}:21:1: reactions: warning: no lines for {labels}: the buyer answers these with fallback lines",
        f"{path}:22:3: reactions.fallback: warning: only one line: add variants, or the buyer repeats generic acknowledgements",
        f"{path}:23:3: reactions.curt: warning: only one line: add variants, or the buyer repeats generic acknowledgements",
    ]


def test_no_warning_for_reaction_keys_the_rule_buyer_never_says():
    """closed_question and curiosity lines are never said by the rule buyer
    (a closed question is answered by its topic; curiosity earns trust), so
    --strict must not ask for them, nor for a second variant of them."""
    from coach.scenario import lint

    text = (VALID / "small.yaml").read_text()
    said = [x for x in LABELS if x not in ("closed_question", "curiosity")] + ["fallback", "curt", "walkout"]
    reactions = "reactions:\n" + "".join(f'  {x}: ["{x} one.", "{x} two."]\n' for x in said)
    reactions += '  curiosity: ["Only one."]\n'
    start = text.index("reactions:\n")
    end = text.index("\n", text.index("  walkout:", start)) + 1
    found = [loc for loc, _ in lint(load_scenario_text(text[:start] + reactions + text[end:], "t.yaml"))]
    assert not [loc for loc in found if loc[0] == "reactions"], found


def test_warnings_for_short_sessions_and_tests_that_cannot_fail():
    from coach.scenario import lint

    text = (VALID / "small.yaml").read_text().replace("max_turns: 12", "max_turns: 5")
    text = text.replace("    expect:\n      revealed: [bad-history]\n      trust: {min: 30}\n", "")
    found = dict(lint(load_scenario_text(text, "t.yaml")))
    assert found[("ending", "max_turns")] == "the session ends (5 turns) before the brief's expected length (8)"
    assert found[("tests", 0, "expect")] == "expects nothing: this test cannot fail"


def test_it_director_outage_has_no_warnings():
    from coach.scenario import scenario_warnings

    path = next(p for p in builtin_scenarios() if p.stem == "it-director-outage")
    assert scenario_warnings(load_scenario(path)) == []


def test_user_dir_pointing_at_the_builtins_lists_each_once(monkeypatch):
    builtins = builtin_scenarios()
    monkeypatch.setenv("COACH_SCENARIOS", str(builtins[0].parent))
    refs = discover_scenarios()
    assert len(refs) == len(builtins)
    assert all(r.source == "builtin" and r.error is None for r in refs)
