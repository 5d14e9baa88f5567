"""Dates for people: the store keeps UTC ISO timestamps; the app shows local time."""

from __future__ import annotations

from datetime import datetime


def when(stamp: str | None, short: bool = False) -> str:
    """``2026-11-23 04:12`` in local time (``short``: ``23 Nov 04:12``), or "" for
    a missing or unreadable stamp."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d %b %H:%M" if short else "%Y-%m-%d %H:%M")
