"""Text from a file or the database reaches the terminal literally, through
every command: escape sequences and control characters are shown as visible
``\\uXXXX`` escapes, never obeyed, and nothing around them is lost.

The hostile inputs are the ones from issue 19: a scenario title that retitles
the window, clears the screen and turns the text red (YAML's double-quoted
escapes pass the loader's control-character check), the same in an unknown key,
a test name and a rep-script line, and comments and names in the database.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import cli
from coach.cli.output import cell, echo
from coach.store import open_store

FROM_DOCS = Path(__file__).parent / "fixtures" / "scenarios" / "from_docs.yaml"

#: What the terminal would obey: C0 but tab and newline, DEL, C1, line
#: separators, bidi overrides and isolates.
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# As a trainer would write them in YAML (double-quoted escapes) ...
TITLE_YAML = r'"T \e]0;HACKED-TITLE\a \e[2J\e[H \e[31mRED \x9b31m"'
# ... and as coach must print them.
TITLE_SHOWN = r"T \u001b]0;HACKED-TITLE\u0007 \u001b[2J\u001b[H \u001b[31mRED \u009b31m"


def assert_literal(output: str) -> None:
    found = _OBEYED.search(output)
    assert found is None, f"control character {found.group()!r} reached the terminal in {output!r}"


def run(*args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def hostile_scenario(tmp_path) -> Path:
    text = FROM_DOCS.read_text(encoding="utf-8")
    text = text.replace("title: The clinic that can't keep its diary", f"title: {TITLE_YAML}")
    text = text.replace(
        "  - name: pushy rep pitches",
        '  - name: "pushy \\e]0;TESTHACK\\a rep"',
    )
    path = tmp_path / "scenarios" / "hostile.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def hostile_script(tmp_path) -> Path:
    path = tmp_path / "rep.txt"
    path.write_text("Thanks for the time \x1b]0;REPHACK\x07 what is on your plate?\n", encoding="utf-8")
    return path


def test_simulate_shows_a_hostile_title_and_script_line_literally(hostile_scenario, hostile_script):
    r = run("simulate", str(hostile_scenario), "--script", str(hostile_script))
    assert r.exit_code == 0, r.output
    assert_literal(r.output)
    assert r.output.startswith(TITLE_SHOWN + "  (clinic-scheduling, easy)\n")
    assert r"Rep [1]: Thanks for the time \u001b]0;REPHACK\u0007 what is on your plate?" in r.output


def test_simulate_json_escapes_controls_and_keeps_their_value(hostile_scenario, hostile_script):
    r = run("simulate", str(hostile_scenario), "--script", str(hostile_script), "--format", "json")
    assert r.exit_code == 0, r.output
    assert_literal(r.output)
    data = json.loads(r.output)
    assert data["turns"][0]["rep"] == "Thanks for the time \x1b]0;REPHACK\x07 what is on your plate?"


def test_scenarios_lists_a_hostile_title_literally(hostile_scenario):
    env = {"COACH_SCENARIOS": str(hostile_scenario.parent)}
    r = run("scenarios", env=env)
    assert r.exit_code == 0, r.output
    assert_literal(r.output)
    assert TITLE_SHOWN in r.output
    r = run("scenarios", "--json", env=env)
    assert_literal(r.output)
    titles = [s["title"] for s in json.loads(r.stdout)]
    assert "T \x1b]0;HACKED-TITLE\x07 \x1b[2J\x1b[H \x1b[31mRED \x9b31m" in titles


def test_validate_shows_a_hostile_unknown_key_literally(tmp_path):
    text = FROM_DOCS.read_text(encoding="utf-8").replace(
        "difficulty: easy", 'difficulty: easy\n"dif\\e]0;KEYHACK\\a\\e[2J": hard'
    )
    path = tmp_path / "key.yaml"
    path.write_text(text, encoding="utf-8")
    r = run("scenario", "validate", str(path))
    assert r.exit_code == 1
    assert_literal(r.output)
    assert r"unknown field 'dif\u001b]0;KEYHACK\u0007\u001b[2J'" in r.output


def test_scenario_test_shows_a_hostile_test_name_literally(hostile_scenario):
    r = run("scenario", "test", str(hostile_scenario))
    assert_literal(r.output)
    assert r"pushy \u001b]0;TESTHACK\u0007 rep" in r.output


def test_database_text_is_shown_literally_by_every_reader(tmp_path):
    db = tmp_path / "coach.db"
    store = open_store(db)
    sid = store.start_session(
        rep="ana\x1b]0;NAMEHACK\x07", scenario_id="x", scenario_title="Title \x9b2J", scenario_yaml="id: x"
    )
    store.add_turn(sid, speaker="rep", text="What happened \x1b[2J after the outage?")
    store.add_comment(sid, author="mgr\nforged line", text="good \x1b]0;COMMENTHACK\x07 question")
    for args in (["sessions"], ["sessions", "--json"], ["show", str(sid)], ["show", str(sid), "--json"],
                 ["search", "outage"]):
        r = run("--db", str(db), *args)
        assert r.exit_code == 0, r.output
        assert_literal(r.output)
    shown = run("--db", str(db), "show", str(sid)).output
    # Nothing is dropped, and a name cannot start a line of its own.
    assert r"session 1: ana\u001b]0;NAMEHACK\u0007 on Title \u009b2J" in shown
    assert r"What happened \u001b[2J after the outage?" in shown
    assert r"comment 1 by mgr\u000aforged line" in shown
    assert r"good \u001b]0;COMMENTHACK\u0007 question" in shown


def test_an_error_quoting_a_file_is_one_literal_line(tmp_path, hostile_script):
    bad = tmp_path / "bad.yaml"
    text = FROM_DOCS.read_text(encoding="utf-8")
    bad.write_text(text.replace("version: 1\n", 'version: 1\n"x\\e]0;ERRHACK\\a\\nforged": 1\n'), encoding="utf-8")
    r = CliRunner().invoke(cli, ["simulate", str(bad), "--script", str(hostile_script)])
    assert r.exit_code == 2
    assert_literal(r.output)
    assert len(r.stderr.splitlines()) == 1
    assert r"\u001b]0;ERRHACK\u0007" in r.stderr


# -- the output path itself, for any text ---------------------------------------


def _echoed(message: str, **kw) -> str:
    runner = CliRunner()
    with runner.isolation() as (out, _err, _):
        echo(message, **kw)
    return out.getvalue().decode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None)))
def test_any_text_is_printed_with_no_control_character_and_nothing_dropped(text):
    out = _echoed(text)
    assert_literal(out)
    # Every character is either printed or replaced by its escape, in order.
    shown = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), out[:-1])
    assert shown == re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
    assert "\n" not in cell(text) and "\t" not in cell(text) and not _OBEYED.search(cell(text))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec=None)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(_JSON, st.sampled_from([None, 2]))
def test_any_json_document_prints_valid_and_unchanged(value, indent):
    out = _echoed(json.dumps(value, ensure_ascii=False, indent=indent))
    assert_literal(out)
    assert json.loads(out) == value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    # No "[" in the text, so the only colour codes are the ones added here.
    st.text(alphabet=st.characters(codec=None, exclude_characters="["), max_size=20),
    st.sampled_from(["31", "1;32", "0", ""]),
)))
def test_styled_output_keeps_coachs_colours_and_nothing_else(pieces):
    message = "".join(f"\x1b[{code}m{text}" for text, code in pieces)
    out = _echoed(message, styled=True)
    assert _OBEYED.search(re.sub(r"\x1b\[[0-9;]*m", "", out)) is None
    assert re.findall(r"\x1b\[([0-9;]*)m", out) == [code for _, code in pieces]


def test_every_command_prints_through_the_one_output_function():
    """A new command that called click.echo or print directly would bypass the
    literal display; only coach/cli/output.py may write to the terminal."""
    cli_dir = Path(__file__).parent.parent / "coach" / "cli"
    direct = re.compile(r"\bclick\.s?echo\(|\bprint\(|\bsys\.std(out|err)\.write\(")
    offenders = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(cli_dir.glob("*.py"))
        if path.name != "output.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line)
    ]
    assert offenders == []


# -- a failing output: one line and a non-zero exit, never a traceback ----------


def _coach(*args: str, **kw):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "coach", *args], stderr=subprocess.PIPE, **kw)


def test_a_full_disk_closed_pipe_or_closed_stdout_is_one_line_not_a_traceback(tmp_path):
    """`coach ... > /dev/full`, `coach ... | head -1` and `coach ... >&-`, for
    real. analyze and simulate print through the same echo() (a test above
    holds every command to it), so the commands here are the quick ones."""
    import os

    db = tmp_path / "coach.db"
    store = open_store(db)
    store.start_session(rep="ana", scenario_id="x", scenario_title="T", scenario_yaml="id: x")
    commands = {
        "scenarios": ["scenarios"],
        "schema": ["scenario", "schema"],
        "sessions": ["--db", str(db), "sessions"],
        "export": ["--db", str(db), "export"],
        "help": ["--help"],
    }
    started = []
    with open("/dev/full", "wb") as full:
        for name, args in commands.items():
            started.append((name, "full", _coach(*args, stdout=full)))
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line is written
    for name in ("schema", "sessions", "export"):
        started.append((name, "pipe", _coach(*commands[name], stdout=write)))
    os.close(write)
    started.append(("schema", "closed", _coach("scenario", "schema", stdout=None, preexec_fn=lambda: os.close(1))))
    for name, how, proc in started:
        _, err = proc.communicate(timeout=60)
        err = err.decode()
        assert "Traceback" not in err, (name, how, err)
        if how == "pipe":  # nobody is reading: quiet, as `cat | head` is
            assert (proc.returncode, err) == (141, ""), (name, err)
        else:
            assert proc.returncode == 1, (name, how, err)
            reason = "No space left on device" if how == "full" else "standard output is closed"
            assert err == f"coach: cannot write the output: {reason}\n", (name, how, err)
