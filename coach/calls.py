"""Real calls in the review database: a transcript read by coach.analysis.readers,
analysed, stored as a session of kind "call" beside the practice sessions.

No Textual, no click: `coach import` and the benchmark call this.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
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


def rep_speaker(conv: Conversation) -> str | None:
    """The speaker taken as the rep, as the transcript names them."""
    return next((n for n, t in zip(conv.names, conv.turns) if t.speaker == "rep"), None)


def rep_of(conv: Conversation, rep: str | None, stored_as: str | None = None) -> str | None:
    """The rep's name to store the call under: ``stored_as`` (--as) if given,
    else ``rep`` (--rep), else the name the transcript gives the rep; None when
    it gives none, or only a role ("Rep", "Sales")."""
    for name in (stored_as, rep, conv.rep_name):
        if name and name.strip():
            name = name.strip()
            if name.casefold() in ("rep", "buyer") or _ROLE_ONLY.fullmatch(name):
                return None
            return name
    return None


#: A speaker name that is only a role, not who the rep is.
_ROLE_ONLY = re.compile(r"(?i)(sales\s*)?(rep|representative|seller|salesperson|sales|account executive|ae|sdr|bdr)")


def store_call(
    store: Store,
    conv: Conversation,
    analysed: Sequence[AnalysedTurn | None],
    summary: dict,
    *,
    rep: str,
    started_at: str | None = None,
) -> tuple[int, bool]:
    """Store one analysed conversation as a call; (session id, whether it is
    new). A call already stored with another speaker as the rep is relabelled
    in place (its comments stay)."""
    call = CallRecord(
        source=conv.source,
        # A transcript file's conversation is named by its path: the file name says enough.
        conversation=Path(conv.name).name if conv.name == conv.source else conv.name,
        format=conv.format or "jsonl",
        sha256=call_sha256(conv),
        rep_speaker=rep_speaker(conv) or rep,
        rep_chosen_by=conv.rep_chosen_by,
        summary=summary,
        imported_at="",
    )
    turns = [(t.speaker, t.text, name, a) for t, name, a in zip(conv.turns, conv.names, analysed)]
    existing = store.call_session_id(call.sha256)
    if existing is not None:
        if existing[1] != call.rep_speaker:
            store.relabel_call(existing[0], rep=rep, turns=turns, call=call)
        return existing[0], False
    return store.import_call(rep=rep, turns=turns, call=call, started_at=started_at or conv.started_at)
