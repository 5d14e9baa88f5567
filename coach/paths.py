"""Where coach keeps things on disk: the database, user scenarios, config, cache.

Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"


def data_dir() -> Path:
    """The user's data directory for coach (``COACH_HOME`` overrides it)."""
    if home := os.environ.get("COACH_HOME"):
        return Path(home)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Where coach keeps files it can rebuild, such as an optimized model graph
    (``COACH_CACHE`` overrides it)."""
    if d := os.environ.get("COACH_CACHE"):
        return Path(d)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The database file: ``COACH_DB`` if set, else ``coach.db`` in the data directory."""
    if db := os.environ.get("COACH_DB"):
        return Path(db)
    return data_dir() / "coach.db"


def user_scenarios_dir() -> Path:
    """Where a user's own scenarios live (``COACH_SCENARIOS`` overrides it)."""
    if d := os.environ.get("COACH_SCENARIOS"):
        return Path(d)
    return data_dir() / "scenarios"


def builtin_scenarios_dir() -> Path:
    """The scenarios shipped inside the package."""
    from importlib.resources import files

    return Path(str(files("coach.scenarios")))


def models_dir() -> Path:
    """The trained artefacts shipped inside the package."""
    from importlib.resources import files

    return Path(str(files("coach.models")))
