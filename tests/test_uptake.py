"""What a rep turn takes up of the buyer's last turn: parroting is told from restating."""

from coach.analysis.uptake import PARROT_ECHO, measure

PRESS = "I asked why this would be different. I'm still waiting."


def test_a_short_restatement_made_only_of_the_buyers_words_is_parroting():
    """'So you're still waiting.' is the buyer's line handed back with the
    pronoun turned: too short for a run of copied words, but nothing else."""
    assert measure("So you're still waiting.", PRESS).echo >= PARROT_ECHO
    assert measure("Still waiting.", PRESS).echo >= PARROT_ECHO


def test_a_short_turn_in_the_reps_own_words_is_not_parroting():
    assert measure("So you want proof first.", PRESS).echo < PARROT_ECHO
    assert measure("So waiting still hurts.", PRESS).echo < PARROT_ECHO  # their words, not in their order
