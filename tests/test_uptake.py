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


def test_a_number_said_in_words_is_the_same_number_in_digits():
    """Round 35: "the eighteen percent" did not count as the hotel's "18"
    ("Eighteen percent, between you and the cheapest."), so the buyer told
    the rep the figure the rep had just said."""
    from coach.analysis.uptake import numbers

    for words, digits in [("eighteen", "18"), ("sixty", "60"), ("thirteen", "13"), ("ninety", "90"), ("fifteen", "15")]:
        assert set(numbers(f"about {words} percent")) == set(numbers(f"about {digits}%")) == {digits}
    assert measure("So eighteen percent above the cheapest.", "You're 18% above the cheapest bid.").numbers
