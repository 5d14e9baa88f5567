"""Trained artefacts of the analyser (see MODEL_CARD.md); data only, no code."""
