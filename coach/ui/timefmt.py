"""Dates for people: the store keeps UTC ISO timestamps; the app shows local time."""

from __future__ import annotations

from datetime import datetime


def when(stamp: str | None) -> str:
    """``2026-11-23 04:12`` in local time, or "" for a missing or unreadable stamp."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
