"""Voice settings on the command line: a bad one is one line and exit 2, before
any model or app loads (no server needed)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coach.cli import cli


@pytest.mark.parametrize("command", [["simulate", "it-director-outage", "--script", "-"], ["scenario", "test"],
                                     ["practice"]], ids=["simulate", "scenario-test", "practice"])
@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--voice-url", "localhost:8080", "--voice-model", "m"], {}, "coach: --voice-url: not an http(s) URL: "),
        (["--voice-url", "http://127.0.0.1:8080/v1"], {}, "coach: --voice-url: a voice URL needs a model"),
        ([], {"COACH_VOICE_URL": "http://h/v1", "COACH_VOICE_MODEL": "m", "COACH_VOICE_KEY_ENV": "NO_SUCH_KEY"},
         "coach: COACH_VOICE_KEY_ENV: the key variable NO_SUCH_KEY is not set"),
    ],
    ids=["url", "model", "key"],
)
def test_a_bad_voice_setting_is_one_line_and_exit_2(command, args, env, says):
    r = CliRunner().invoke(cli, command + args, input="Hello there.\n", env=env)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(says) and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.output
