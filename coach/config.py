"""The user's settings: who the rep is, and which theme the app uses.

The rep's name comes from, in order: ``--rep NAME`` on the command line, then
``rep = "..."`` in the config file, then the login name. The config file is
``config.toml`` in the user's config directory (``COACH_CONFIG`` overrides the
path), for example::

    rep = "Alex Morgan"
    theme = "textual-light"

Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "coach"


class ConfigError(ValueError):
    """The config file cannot be read; the message is one line naming the file."""


@dataclass(frozen=True)
class Config:
    """Settings read from the config file; every field may be missing."""

    rep: str | None = None
    theme: str | None = None


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
    return Config(**values)


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
