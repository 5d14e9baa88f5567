"""The user's settings: who the rep is, which theme the app uses, and where
the buyer's optional language-model voice is served.

The rep's name comes from, in order: ``--rep NAME`` on the command line, then
``rep = "..."`` in the config file, then the login name. The config file is
``config.toml`` in the user's config directory (``COACH_CONFIG`` overrides the
path), for example::

    rep = "Alex Morgan"
    theme = "textual-light"

    [voice]                       # optional: the buyer speaks in its own words
    url = "http://127.0.0.1:8080/v1"
    model = "qwen2.5-7b-instruct"
    key_env = "OPENAI_API_KEY"    # the environment variable holding the key, if one is needed
    timeout = 10                  # seconds to the first word before the rule voice takes over
    reply_timeout = 30            # seconds for the whole reply

Each voice setting is overridden by ``COACH_VOICE_URL``, ``COACH_VOICE_MODEL``
and ``COACH_VOICE_KEY_ENV``, then by ``--voice-url`` and ``--voice-model``
(:func:`voice_settings`). Without a URL the buyer keeps its rule voice.

Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "coach"


class ConfigError(ValueError):
    """The config file cannot be read; the message is one line naming the file."""


@dataclass(frozen=True)
class VoiceConfig:
    """The config file's ``[voice]`` table; every field may be missing."""

    #: Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1.
    url: str | None = None
    #: The model name the server knows.
    model: str | None = None
    #: The name of the environment variable that holds the API key (never the key itself).
    key_env: str | None = None
    #: Seconds to wait for the first word of a reply.
    timeout: float | None = None
    #: Seconds to wait for the whole reply.
    reply_timeout: float | None = None


#: The [voice] keys: their types, for one-line errors.
_VOICE_KEYS: dict[str, type] = {"url": str, "model": str, "key_env": str, "timeout": float, "reply_timeout": float}


@dataclass(frozen=True)
class Config:
    """Settings read from the config file; every field may be missing."""

    rep: str | None = None
    theme: str | None = None
    voice: VoiceConfig = VoiceConfig()
    #: The file these settings came from (None if there was none): errors name it.
    path: Path | None = None


@dataclass(frozen=True)
class VoiceSettings:
    """The buyer's language-model voice, resolved from the config file, the
    environment and the command line (:func:`voice_settings`)."""

    url: str
    model: str
    #: The API key's value, read from the variable ``key_env`` names (None: no
    #: key). Kept out of repr so that no log or traceback shows it.
    api_key: str | None = field(default=None, repr=False)
    key_env: str | None = None
    #: Seconds to the first word (also the connect and read timeout), and for the whole reply.
    timeout: float = 10.0
    reply_timeout: float = 30.0


def config_path() -> Path:
    """The config file: ``COACH_CONFIG`` if set, else ``config.toml`` in the user's config directory."""
    if path := os.environ.get("COACH_CONFIG"):
        return Path(path)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file gives an empty Config.

    Raises ConfigError (one line, naming the file and the key) for a file that
    is not valid TOML or holds a key of the wrong type.
    """
    import tomllib

    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except ValueError:  # tomllib's int() refuses more than 4,300 digits
        raise ConfigError(f"{path}: a number in the config file is too long (over 4,300 digits)") from None
    values: dict[str, str | None] = {}
    for key in ("rep", "theme"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: {key}: expected a string, got {type(value).__name__}")
        values[key] = value.strip() if isinstance(value, str) and value.strip() else None
    return Config(**values, voice=_voice_table(data.get("voice"), path), path=path)


def _voice_table(table: object, path: Path) -> VoiceConfig:
    """The [voice] table, typed and checked; ConfigError names the file and the key."""
    if table is None:
        return VoiceConfig()
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: voice: expected a table ([voice]), got {type(table).__name__}")
    values: dict[str, object] = {}
    for key, value in table.items():
        where = f"{path}: voice.{key}"
        kind = _VOICE_KEYS.get(key)
        if kind is None:
            from coach.scenario.checks import did_you_mean

            hint = did_you_mean(key, _VOICE_KEYS)
            known = ", ".join(_VOICE_KEYS)
            raise ConfigError(f"{where}: unknown setting" + (f"; did you mean {hint}?" if hint else f" (known: {known})"))
        if kind is float:
            values[key] = _seconds(value, where)
        elif not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {type(value).__name__}")
        else:
            values[key] = value.strip() or None
    # The URL is checked where it is used (voice_settings): a bad one in the
    # file must not stop commands that never speak, nor an empty override.
    return VoiceConfig(**values)


def _seconds(value: object, where: str) -> float:
    """A positive number of seconds, from TOML (an int, a float, or a string of one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ConfigError(f"{where}: expected a number of seconds, got {type(value).__name__}")
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{where}: expected a number of seconds, got {value!r}") from None
    if not 0 < seconds <= 3600:
        raise ConfigError(f"{where}: expected a number of seconds between 0 and 3600, got {value!r}")
    return seconds


def _check_url(url: str, where: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: not an http(s) URL: {url!r} (e.g. http://127.0.0.1:8080/v1)")
    return url


def voice_settings(
    url: str | None = None,
    model: str | None = None,
    config: Config | None = None,
    environ: dict[str, str] | None = None,
) -> VoiceSettings | None:
    """Where the buyer's language-model voice is served, or None for the rule voice alone.

    Each setting comes from, in order: the command line (``url``, ``model``:
    ``--voice-url``, ``--voice-model``), the environment (``COACH_VOICE_URL``,
    ``COACH_VOICE_MODEL``, ``COACH_VOICE_KEY_ENV``), then the config file's
    ``[voice]`` table. An empty value where one is given (``--voice-url ""`` or
    ``COACH_VOICE_URL=``) switches the voice off, whatever lies below it.

    Raises ConfigError, one line naming where the bad value came from, for a URL
    that is not http(s), a URL without a model, or a key variable that is not set.
    """
    environ = os.environ if environ is None else environ
    config = config if config is not None else load_config()
    file = f"{config.path or config_path()}: voice"

    def pick(cli: str | None, cli_name: str, env: str | None, key: str) -> tuple[str | None, str]:
        if cli is not None:
            return cli.strip() or None, cli_name
        if env is not None and env in environ:
            return environ[env].strip() or None, env
        return getattr(config.voice, key), f"{file}.{key}"

    url, url_from = pick(url, "--voice-url", "COACH_VOICE_URL", "url")
    if not url:
        return None
    _check_url(url, url_from)
    model, _ = pick(model, "--voice-model", "COACH_VOICE_MODEL", "model")
    if not model:
        raise ConfigError(
            f"{url_from}: a voice URL needs a model: set --voice-model, COACH_VOICE_MODEL or model in [voice] of {config.path or config_path()}"
        )
    key_env, key_from = pick(None, "", "COACH_VOICE_KEY_ENV", "key_env")
    api_key = None
    if key_env:
        api_key = environ.get(key_env, "").strip()
        if not api_key:
            raise ConfigError(f"{key_from}: the key variable {key_env} is not set (or is empty)")
    timeouts = {k: v for k in ("timeout", "reply_timeout") if (v := getattr(config.voice, k)) is not None}
    return VoiceSettings(url=url, model=model, api_key=api_key, key_env=key_env, **timeouts)


def login_name() -> str:
    """The login name of the user running coach, or "rep" if there is none."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return "rep"
    return name or "rep"


def rep_name(cli_value: str | None = None, config: Config | None = None) -> str:
    """The rep's name: ``--rep``, then the config file, then the login name."""
    if cli_value and cli_value.strip():
        return cli_value.strip()
    config = config if config is not None else load_config()
    if config.rep:
        return config.rep
    return login_name()


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set ``key = "value"`` in the config file, keeping every other line (and
    comment) as it is; creates the file if needed.

    Raises ConfigError (one line, naming the file) if the file cannot be read,
    written, or would no longer parse.
    """
    import json
    import re
    import tomllib

    if key not in ("rep", "theme"):
        raise ValueError(f"unknown setting {key!r}")
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
    lines = text.splitlines()
    # Only top-level keys count: those before the first [table] header.
    end = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")), len(lines))
    at = next((i for i in range(end) if re.match(rf"\s*{key}\s*=", lines[i])), None)
    if at is not None:
        lines[at] = line
    else:
        lines.insert(end, line)
    new = "\n".join(lines) + "\n"
    try:
        tomllib.loads(new)
    except ValueError as exc:  # TOMLDecodeError, or an int() past 4,300 digits
        raise ConfigError(f"{path}: not saving {key}: the file would not parse ({exc})") from None
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot save the config file: {exc.strerror or exc}") from None
