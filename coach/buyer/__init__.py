"""The simulated buyer: a director decides each move, a voice phrases it.

- ``Director`` (director.py): the buyer's decisions, deterministic given the
  scenario and the analysed rep turns: trust, what to reveal, hold back,
  answer, object to, and when to end;
- ``BuyerMove`` (move.py): one decision, as data;
- ``RuleVoice`` (voice.py): the embedded voice, the scenario's own lines; any
  ``Voice`` may phrase the same moves (coach/buyer/llm.py, optional).
"""

from coach.buyer.director import BuyerState, Director
from coach.buyer.move import BuyerMove, BuyerTurn, TopicMatch, Voice, VoiceContext, VoiceError
from coach.buyer.voice import RuleVoice

__all__ = ["BuyerMove", "BuyerState", "BuyerTurn", "Director", "RuleVoice", "TopicMatch", "Voice", "VoiceContext",
           "VoiceError"]
