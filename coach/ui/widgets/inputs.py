"""Text inputs that follow the app's cursor-blink setting (off in snapshot tests)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


def make_input(app: Any, **kwargs: Any) -> Input:
    """An Input whose cursor blinks unless the app says otherwise."""
    box = Input(**kwargs)
    box.cursor_blink = bool(getattr(app, "input_cursor_blink", True))
    return box
