"""Hostile command lines and inputs get one line and a non-zero exit, never a
traceback (issue 19): integers past 64 bits, a closed stdin, huge numbers in
ignored JSONL keys."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.store import StoreError, open_store

HUGE = "9" * 23
JUST_PAST = str(2**63)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "coach.db"
    store = open_store(path)
    sid = store.start_session(rep="ana", scenario_id="x", scenario_title="T", scenario_yaml="id: x")
    store.add_turn(sid, speaker="rep", text="What happened after the outage?")
    return path


def run(*args: str, input: str | None = None):
    # catch_exceptions=False: an uncaught exception fails the test with its traceback.
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize(
    "args,message",
    [
        (["show", HUGE], "larger than a session id can be"),
        (["show", JUST_PAST], "larger than a session id can be"),
        (["show", "0"], "0 is not a session id"),
        (["comment", HUGE, "hi"], "larger than a session id can be"),
        (["comment", "1", "hi", "--turn", HUGE], "larger than a turn number can be"),
        (["comment", "1", "hi", "--line", HUGE], "larger than a line number can be"),
        (["override", HUGE, "50", "--reason", "x"], "larger than a session id can be"),
        (["comment-edit", HUGE, "hi"], "larger than a comment id can be"),
        (["comment-delete", HUGE], "larger than a comment id can be"),
        (["export", HUGE], "larger than a session id can be"),
        (["assignments", "--remove", HUGE], "larger than an assignment id can be"),
    ],
)
def test_an_id_past_64_bits_is_refused_not_a_traceback(db, args, message):
    r = run("--db", str(db), *args)
    assert r.exit_code == 2
    assert message in r.output


@pytest.mark.parametrize("args", [["sessions", "--limit", HUGE], ["search", "outage", "--limit", JUST_PAST]])
def test_a_limit_past_64_bits_means_all(db, args):
    r = run("--db", str(db), *args)
    assert r.exit_code == 0
    assert "ana" in r.output


def test_the_store_turns_a_number_past_64_bits_into_one_line(db):
    store = open_store(db)
    for call in (
        lambda: store.session(2**64),
        lambda: store.add_comment(2**70, author="m", text="hi"),
        lambda: store.start_session(rep="a", scenario_id="x", scenario_title="T", scenario_yaml="y", seed=2**64),
    ):
        with pytest.raises(StoreError, match="too large for the database"):
            call()


def _coach_without_stdin(*args: str):
    """`coach ARGS <&-`, for real: Python starts with sys.stdin = None."""
    import os
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "coach", *args], stdin=None, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=lambda: os.close(0))


def test_a_closed_stdin_is_one_line_not_a_traceback(tmp_path):
    procs = [
        _coach_without_stdin("analyze", "-"),
        _coach_without_stdin("simulate", "it-director-outage", "--script", "-"),
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, out, err.decode()) == (2, b"", "coach: <stdin>: standard input is closed\n")


def test_a_script_on_stdin_is_checked_as_a_file_is():
    r = CliRunner().invoke(cli, ["simulate", "it-director-outage", "--script", "-"], input=b"\xff\xfe what now?\n")
    assert r.exit_code == 2
    assert r.stderr == "coach: <stdin>:1: not UTF-8 text\n"


def _jsonl_line(**extra_raw: str) -> str:
    return '{"speaker": "rep", "text": "hi"' + "".join(f', "{k}": {v}' for k, v in extra_raw.items()) + "}\n"


def test_a_5000_digit_integer_in_an_ignored_jsonl_key_is_ignored(tmp_path):
    from coach.analysis.readers import TranscriptError, read_conversations

    f = tmp_path / "t.jsonl"
    f.write_text(_jsonl_line(n="9" * 5000), encoding="utf-8")
    [conv] = read_conversations(f)
    assert [t.text for t in conv.turns] == ["hi"]
    # As the conversation's name it is kept as written, like any number there.
    f.write_text(_jsonl_line(conversation="7" * 5000), encoding="utf-8")
    assert [c.name for c in read_conversations(f)] == ["7" * 5000]
    # Where text is needed it is refused as any number is.
    f.write_text('{"speaker": "rep", "text": ' + "9" * 5000 + "}\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match='t.jsonl:1: "text" must be a string, got a number'):
        list(read_conversations(f))


def test_a_5000_digit_integer_in_a_json_session_is_read_like_in_jsonl(tmp_path):
    from coach.analysis.readers import read_conversations

    f = tmp_path / "s.json"
    f.write_text('{"id": ' + "9" * 5000 + ', "turns": [{"speaker": "rep", "text": "How did the outage go?"}]}',
                 encoding="utf-8")
    [conv] = read_conversations(f)  # it raised ValueError (Python's limit on integer digits)
    assert [t.text for t in conv.turns] == ["How did the outage go?"]


def test_a_5000_digit_integer_in_the_config_file_is_one_line(tmp_path):
    from coach.config import ConfigError, load_config, save_setting

    path = tmp_path / "config.toml"
    path.write_text(f"theme = {'9' * 5000}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="too long"):
        load_config(path)
    with pytest.raises(ConfigError, match="not saving rep"):
        save_setting("rep", "ana", path)



@pytest.mark.parametrize("args", [["override", "3", "50", "--reason", "x"], ["comment-edit", "1", "hi"],
                                  ["comment-delete", "1"], ["comment", "1", "hi"], ["assignments", "--remove", "1"]],
                         ids=["override", "comment-edit", "comment-delete", "comment", "assignment-remove"])
def test_a_command_on_rows_that_cannot_exist_creates_no_database(tmp_path, args):
    """A typo in --db must not leave a new empty database (and folders) behind."""
    path = tmp_path / "typo" / "y.db"
    r = run("--db", str(path), *args)
    assert r.exit_code == 2 and "no database yet" in r.stderr
    assert not (tmp_path / "typo").exists()
