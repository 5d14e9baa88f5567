"""The analyser: rep turn -> labels, evidence, tips; conversation -> metrics.

Public API (importable without Textual)::

    from coach.analysis import Analyzer, Turn
    analyzer = Analyzer.load()
    conv = analyzer.conversation()
    conv.add_buyer("We lost a week of orders.")
    result = conv.add_rep("A whole week. What did that do to your retail accounts?")
    result.labels  # ("open_question", "curiosity", "follow_up")
"""

from coach.analysis.metrics import summarize
from coach.analysis.readers import Conversation, TranscriptError, read_conversations
from coach.analysis.types import AnalysedTurn, Evidence, Speaker, Turn

__all__ = [
    "AnalysedTurn",
    "Analyzer",
    "Conversation",
    "ConversationAnalysis",
    "Evidence",
    "Speaker",
    "TranscriptError",
    "Turn",
    "read_conversations",
    "summarize",
]


def __getattr__(name: str):
    # Lazy, so that importing coach.analysis (e.g. for the types) stays cheap.
    if name in ("Analyzer", "ConversationAnalysis"):
        from coach.analysis import analyzer

        return getattr(analyzer, name)
    raise AttributeError(f"module 'coach.analysis' has no attribute {name!r}")
