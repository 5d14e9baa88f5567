"""Real calls in the review database: a transcript read by coach.analysis.readers,
analysed, stored as a session of kind "call" beside the practice sessions.

No Textual, no click: `coach import` and the benchmark call this.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.session import CallRecord

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.readers import Conversation
    from coach.analysis.types import AnalysedTurn
    from coach.store import Store


def call_sha256(conv: Conversation) -> str:
    """What identifies a call: who said what, in order (the speakers as the
    transcript names them, so naming a different rep does not make it new)."""
    said = [[name, turn.text] for name, turn in zip(conv.names, conv.turns)]
    return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def rep_of(conv: Conversation, rep: str | None) -> str | None:
    """The rep's name to store the call under: ``rep`` (--rep) if given, else
    the name the transcript gives the rep; None when it gives none."""
    if rep and rep.strip():
        return rep.strip()
    return conv.rep_name


def store_call(
    store: Store,
    conv: Conversation,
    analysed: Sequence[AnalysedTurn | None],
    summary: dict,
    *,
    rep: str,
    started_at: str | None = None,
) -> tuple[int, bool]:
    """Store one analysed conversation as a call; (session id, whether it is new)."""
    call = CallRecord(
        source=conv.source,
        conversation=conv.name,
        format=conv.format or "jsonl",
        sha256=call_sha256(conv),
        rep_speaker=next((n for n, t in zip(conv.names, conv.turns) if t.speaker == "rep"), rep),
        rep_chosen_by=conv.rep_chosen_by,
        summary=summary,
        imported_at="",
    )
    turns = [(t.speaker, t.text, name, a) for t, name, a in zip(conv.turns, conv.names, analysed)]
    return store.import_call(rep=rep, turns=turns, call=call, started_at=started_at or conv.started_at)
