"""The simulated buyer: reads the scenario, reacts to the analysed rep turn.

``Buyer`` is the protocol any buyer implements (``opening``, ``reply``);
``RuleBuyer`` is the embedded, deterministic default.
"""

from coach.buyer.base import Buyer, BuyerState, BuyerTurn, EndReason, ReplyKind
from coach.buyer.rule import RuleBuyer

__all__ = ["Buyer", "BuyerState", "BuyerTurn", "EndReason", "ReplyKind", "RuleBuyer"]
