"""The config file: settings the app saves keep everything else the user wrote."""

from __future__ import annotations

import pytest

from coach.config import ConfigError, load_config, save_setting


def test_saving_the_theme_keeps_other_keys_comments_and_tables(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# who I am\nrep = "Alex Morgan"\ntheme = "textual-dark"\n\n[extra]\ntheme = "kept"\n')
    save_setting("theme", "textual-light", path)
    text = path.read_text()
    assert text.startswith('# who I am\nrep = "Alex Morgan"\ntheme = "textual-light"\n')
    assert '[extra]\ntheme = "kept"' in text
    assert load_config(path).theme == "textual-light" and load_config(path).rep == "Alex Morgan"


def test_saving_into_a_missing_file_creates_it_and_a_new_key_goes_before_tables(tmp_path):
    path = tmp_path / "dir" / "config.toml"
    save_setting("theme", "textual-light", path)
    assert load_config(path).theme == "textual-light"
    path.write_text('rep = "Sam"\n[extra]\nx = 1\n')
    save_setting("theme", "textual-dark", path)
    assert path.read_text() == 'rep = "Sam"\ntheme = "textual-dark"\n[extra]\nx = 1\n'


def test_a_file_that_does_not_parse_is_left_alone_with_a_one_line_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("rep = \n")
    with pytest.raises(ConfigError) as err:
        save_setting("theme", "textual-light", path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert path.read_text() == "rep = \n"


# -- the buyer's language-model voice: [voice], COACH_VOICE_*, --voice-* ------

from coach.config import VoiceSettings, voice_settings  # noqa: E402

VOICE_TOML = '''rep = "Sam"

[voice]
url = "http://127.0.0.1:8080/v1"
model = "from-file"
key_env = "MY_KEY"
timeout = 4
reply_timeout = 12.5
'''


def test_voice_settings_come_from_the_file_then_the_environment_then_the_command_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(VOICE_TOML)
    config = load_config(path)
    env = {"MY_KEY": "sk-file"}
    assert voice_settings(config=config, environ=env) == VoiceSettings(
        url="http://127.0.0.1:8080/v1", model="from-file", api_key="sk-file", key_env="MY_KEY",
        timeout=4.0, reply_timeout=12.5,
    )
    env |= {"COACH_VOICE_URL": "https://llm.example/v1", "COACH_VOICE_MODEL": "from-env",
            "COACH_VOICE_KEY_ENV": "OTHER_KEY", "OTHER_KEY": "sk-env"}
    s = voice_settings(config=config, environ=env)
    assert (s.url, s.model, s.key_env, s.api_key) == ("https://llm.example/v1", "from-env", "OTHER_KEY", "sk-env")
    s = voice_settings(url="http://localhost:11434/v1", model="from-cli", config=config, environ=env)
    assert (s.url, s.model, s.timeout) == ("http://localhost:11434/v1", "from-cli", 4.0)


def test_without_a_url_the_buyer_keeps_the_rule_voice_and_an_empty_one_switches_it_off(tmp_path):
    path = tmp_path / "config.toml"
    assert voice_settings(config=load_config(path), environ={}) is None  # no file at all
    path.write_text(VOICE_TOML)
    config = load_config(path)
    assert voice_settings(config=config, environ={"COACH_VOICE_URL": "", "MY_KEY": "k"}) is None
    assert voice_settings(url="", config=config, environ={"MY_KEY": "k"}) is None
    # a bad URL in the file does not stop the rest, and an empty override still switches it off
    path.write_text('[voice]\nurl = "ftp://x"\nmodel = "m"\n')
    config = load_config(path)
    assert voice_settings(url="", config=config, environ={}) is None
    assert voice_settings(config=config, environ={"COACH_VOICE_URL": ""}) is None
    # a model alone does not switch the voice on
    assert voice_settings(model="m", config=load_config(tmp_path / "none.toml"), environ={}) is None


@pytest.mark.parametrize(
    ("toml", "env", "cli", "says"),
    [
        ('[voice]\nurl = "127.0.0.1:8080"\nmodel = "m"\n', {}, {}, "config.toml: voice.url: not an http(s) URL"),
        ("", {"COACH_VOICE_URL": "ftp://x/v1", "COACH_VOICE_MODEL": "m"}, {}, "COACH_VOICE_URL: not an http(s) URL"),
        ("", {}, {"url": "localhost", "model": "m"}, "--voice-url: not an http(s) URL"),
        ("", {"COACH_VOICE_URL": "http://127.0.0.1:1/v1"}, {}, "COACH_VOICE_URL: a voice URL needs a model"),
        ('[voice]\nurl = "http://h/v1"\nmodel = "m"\nkey_env = "NOPE"\n', {}, {},
         "config.toml: voice.key_env: the key variable NOPE is not set"),
        ("", {"COACH_VOICE_URL": "http://h/v1", "COACH_VOICE_MODEL": "m", "COACH_VOICE_KEY_ENV": "NOPE", "NOPE": " "},
         {}, "COACH_VOICE_KEY_ENV: the key variable NOPE is not set"),
        ('[voice]\ntimeout = "soon"\n', {}, {}, "config.toml: voice.timeout: expected a number of seconds, got 'soon'"),
        ("[voice]\ntimeout = -1\n", {}, {}, "config.toml: voice.timeout: expected a number of seconds between 0 and 3600"),
        ("[voice]\nmodel = 7\n", {}, {}, "config.toml: voice.model: expected a string, got int"),
        ('[voice]\nmodle = "m"\n', {}, {}, "config.toml: voice.modle: unknown setting; did you mean model?"),
        ('voice = "http://h/v1"\n', {}, {}, "config.toml: voice: expected a table ([voice]), got str"),
    ],
    ids=["file-url", "env-url", "cli-url", "no-model", "key-unset", "key-blank", "timeout-word",
         "timeout-negative", "model-type", "misspelt", "not-a-table"],
)
def test_bad_voice_settings_give_one_line_naming_where_the_value_came_from(tmp_path, toml, env, cli, says):
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        voice_settings(**cli, config=load_config(path), environ=env)
    message = str(err.value)
    assert says in message and "\n" not in message


def test_the_api_key_never_shows_in_the_settings_repr():
    s = voice_settings(url="http://h/v1", model="m", config=load_config(), environ={"COACH_VOICE_KEY_ENV": "K", "K": "sk-secret"})
    assert s.api_key == "sk-secret" and "sk-secret" not in repr(s) and "K" in repr(s)
