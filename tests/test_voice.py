"""The language-model voice without a server: what its prompt holds, and how
its replies are judged (coach/buyer/llm.py).

The prompt tests use a scenario whose hidden content is tagged with canary
words: a canary in the prompt that the move, the history and the rule line did
not carry would be the model being told something the rep has not earned.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.buyer.llm import (
    ARRIVAL,
    INSTRUCTIONS,
    MAX_CHARS,
    ReplyCheck,
    build_messages,
    check_reply,
)
from coach.buyer.move import BuyerMove, TopicMatch, VoiceContext
from coach.scenario import builtin_scenarios, load_scenario

KINDS = tuple(INSTRUCTIONS)


def _scenario(name: str = "it-director-outage"):
    return load_scenario(next(p for p in builtin_scenarios() if p.stem == name))


def says(lines) -> list[str]:
    """The text of scenario lines (format 2 lines are Said objects)."""
    return [x if isinstance(x, str) else x.say for x in lines]


def _tag(lines, tag: str):
    return [x.model_copy(update={"say": f"{x.say} {tag}{i}"}) for i, x in enumerate(lines)]


def _canary_scenario():
    """The outage scenario with every piece of hidden content tagged:
    CANARY<n>R<i> in reveal lines, G in guarded lines, M in more, T in the topic, E in examples."""
    sc = _scenario()
    tagged = []
    for n, d in enumerate(sc.discoveries):
        tagged.append(d.model_copy(update={
            "topic": f"{d.topic} CANARY{n}T",
            "examples": [f"{x} CANARY{n}E{i}" for i, x in enumerate(d.examples)],
            "reveal": _tag(d.reveal, f"CANARY{n}R"),
            "guarded": _tag(d.guarded, f"CANARY{n}G"),
            "more": _tag(d.reveal, f"CANARY{n}M"),
        }))
    return sc.model_copy(update={"discoveries": tagged})


CANARY = re.compile(r"CANARY\d+[RGMTE]\d*")
SC = _canary_scenario()
HIDDEN = [line for d in SC.discoveries for line in says((*d.reveal, *d.guarded, *d.more))]
SAID = list(SC.reactions.fallback) + list(SC.reactions.pitching) + list(SC.reactions.curiosity)


def _canaries(*texts: str) -> set[str]:
    return {m.group(0) for t in texts for m in CANARY.finditer(t)}


def _prompt_text(messages) -> str:
    return "\n".join(m.content for m in messages)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    lines=st.lists(st.sampled_from(HIDDEN + SAID), max_size=3),
    facts=st.lists(st.sampled_from(HIDDEN + ["Northwind runs two data centres."]), max_size=2),
    history=st.lists(st.tuples(st.sampled_from(["rep", "buyer"]), st.sampled_from(HIDDEN + SAID)), max_size=6),
    revealed=st.lists(st.sampled_from([d.id for d in SC.discoveries]), max_size=2, unique=True),
)
def test_the_prompt_holds_no_hidden_content_the_move_and_history_did_not_carry(kind, lines, facts, history, revealed):
    move = BuyerMove(kind=kind, revealed=tuple(revealed), lines=tuple(lines), facts=tuple(facts),
                     topic=TopicMatch(kind="discovery", id=SC.discoveries[0].id), reacting_to="pitching")
    rule_line = lines[0] if lines else ""
    context = VoiceContext(scenario=SC, history=tuple(history), rule_line=rule_line)
    prompt = _prompt_text(build_messages(move, context))
    carried = _canaries(*lines, *facts, *(t for _, t in history), rule_line)
    assert _canaries(prompt) <= carried
    # Discovery topics and example questions never reach the model, whatever the move.
    assert not re.search(r"CANARY\d+[TE]", prompt)


def test_the_prompt_is_persona_then_conversation_then_the_move():
    sc = _scenario()
    history = (("buyer", sc.buyer.opening), ("rep", "What did the outage cost you?"))
    real_cost = sc.discovery("real-cost")
    reveal = says(real_cost.reveal)
    move = BuyerMove(kind="reveal", revealed=("real-cost",), lines=tuple(reveal))
    messages = build_messages(move, VoiceContext(scenario=sc, history=history, rule_line=reveal[1]))
    assert [m.role for m in messages] == ["system", "user", "assistant", "user"]
    system = messages[0].content
    for part in (sc.buyer.name, sc.buyer.role, sc.buyer.company, sc.buyer.personality.strip(), sc.buyer.tone):
        assert part in system
    assert messages[1].content == ARRIVAL  # chat templates want the user first
    assert messages[2].content == sc.buyer.opening
    last = messages[3].content
    assert last.startswith("What did the outage cost you?\n\n[Note")
    # The rule voice's line comes first in the gist, then the other lines, once each.
    assert last.index(reveal[1]) < last.index(reveal[0])
    assert last.count(reveal[1]) == 1
    assert INSTRUCTIONS["reveal"] in last
    for other in sc.discoveries[1:]:
        for line in (*says(other.reveal), *says(other.guarded), other.topic, *other.examples):
            assert line not in _prompt_text(messages)


def test_each_turns_prompt_starts_with_the_last_turns_so_a_prompt_cache_can_reuse_it():
    sc = _scenario()
    turns = [("rep", "Thanks for making time."), ("buyer", "Go on."), ("rep", "What happened on the day?"),
             ("buyer", "Hardware failed. It happens."), ("rep", "How has all this landed on you?")]
    history: list[tuple[str, str]] = [("buyer", sc.buyer.opening)]
    previous = None
    for speaker, text in turns:
        history.append((speaker, text))
        if speaker != "rep":
            continue
        move = BuyerMove(kind="hold", lines=("Let's keep this professional.",))
        prompt = _prompt_text(build_messages(move, VoiceContext(scenario=sc, history=tuple(history))))
        if previous is not None:
            head = previous[: previous.index("[Note")]
            assert prompt.startswith(head.rstrip())
        previous = prompt


def test_the_opening_has_no_history_and_the_note_follows_the_arrival():
    sc = _scenario()
    move = BuyerMove(kind="opening", lines=(sc.buyer.opening,))
    messages = build_messages(move, VoiceContext(scenario=sc, rule_line=sc.buyer.opening))
    assert [m.role for m in messages] == ["system", "user"]
    assert messages[1].content.startswith(ARRIVAL + "\n\n[Note")


def test_react_names_what_the_buyer_reacts_to():
    sc = _scenario()
    move = BuyerMove(kind="react", reacting_to="pressure", lines=tuple(says(sc.reactions.pressure)))
    note = build_messages(move, VoiceContext(scenario=sc, history=(("rep", "Sign today."),)))[-1].content
    assert "You do not like their pressure." in note


# -- judging replies ----------------------------------------------------------


def _lines_by_kind(sc):
    """Every line a scenario gives the buyer, with the move kind that says it."""
    out = [("opening", sc.buyer.opening)]
    for d in sc.discoveries:
        out += [("reveal", x) for x in says(d.reveal)] + [("hold", x) for x in says(d.guarded)]
        out += [("surface", x) for x in says(d.surface)] + [("elaborate", x) for x in says(d.more)]
    for f in sc.facts:
        out += [("answer", x) for x in says(f.answer)]
    for o in sc.objections:
        out += [("object", x) for x in says(o.lines)] + [("press", x) for x in says(o.press)]
        out += [("concede", x) for x in says(o.concede)]
    r = sc.reactions
    out += [("small_talk", x) for x in r.small_talk] + [("unknown", x) for x in r.unknown]
    out += [("repeat", x) for x in r.repeat]
    for label in ("leading_question", "self_interested", "pitching", "pressure", "checklist"):
        out += [("react", x) for x in r.lines(label)]
    for label in ("open_question", "closed_question", "curiosity", "follow_up", "empathy", "mutual_success", "fallback"):
        out += [("surface", x) for x in r.lines(label)]
    out += [("confirm", x) for x in r.reflection]
    out += [("curt", x) for x in r.curt] + [("walkout", x) for x in r.walkout]
    if sc.ending.next_step:
        out += [("accept", x) for x in sc.ending.next_step.reply]
        out += [("decline", x) for x in sc.ending.next_step.declined]
    return out


@pytest.mark.parametrize("path", builtin_scenarios(), ids=lambda p: p.stem)
def test_every_line_a_trainer_wrote_passes_as_a_reply_for_its_move(path):
    """The checks must not reject the buyer's own words: each built-in line,
    said as a reply to the move it belongs to (and not given as the gist), is usable."""
    sc = load_scenario(path)
    for kind, line in _lines_by_kind(sc):
        move = BuyerMove(kind=kind, lines=(line,), reacting_to="pitching")
        assert check_reply(line, move, VoiceContext(scenario=sc, rule_line=line)) is None, (kind, line)


OUTAGE = _scenario()


@pytest.mark.parametrize(
    ("kind", "reply", "reason"),
    [
        ("surface", "", "empty reply"),
        ("surface", "   \n ", "empty reply"),
        ("surface", "We lost orders. " * 60, "far too long"),
        ("curt", "Right. " + "I have nothing more to say about it. " * 9, "far too long"),
        ("surface", "As an AI language model, I cannot share that.", "out of persona"),
        ("surface", "How can I help you today?", "out of persona"),
        ("hold", "The note says I should not tell you.", "out of persona"),
        ("surface", "*sighs* Fine. Go on.", "out of persona: a stage direction"),
        ("hold", "I'm sorry for the misunderstanding, but I'm here to help you.", "out of persona"),
        ("surface", "The buyer said the outage was a surprise.", "out of persona"),
        ("react", "So what did you want to talk about? I've had a lot of these calls lately.", "repeated an earlier turn"),
        ("react", "Well, I have had a lot of these calls lately myself.", "repeated an earlier turn"),
        ("surface", "You want to know so what happened on the day, I see.", None),
        ("surface", "I'm not here to pitch, I'm here for you.", "out of persona"),
        ("surface", "Look, so what happened on the day is what everyone asks.", "spoke as the seller: read their words back"),
        ("hold", "We lost three weeks of orders.", "told a figure the move does not allow: 'three'"),
        ("hold", "It was one of the worst weeks we've had.", None),
        ("hold", "I'm fine. I'll just have to wait for you. I'm fine. I'll just have to wait for you.", "repeated itself"),
        ("surface", "Fine.\nSeller: Great, so let's talk budget.", "spoke as the seller (Seller:)"),
        ("surface", "Rep: What keeps you up at night?", "spoke as the seller (Rep:)"),
        ("surface", "Fine.\nMarcus: I disagree.", "spoke as someone else (Marcus:)"),
        ("surface", "Our platform handles failover automatically.", "spoke as the seller"),
        ("surface", "We can help you with that, let me show you.", "spoke as the seller"),
        ("react", "Sounds great, let's do it.", "broke the move (react): agreed"),
        ("press", "You've convinced me.", "broke the move (press): agreed"),
        ("decline", "Sure, let's schedule it for Tuesday.", "broke the move (decline): agreed"),
        ("accept", "No thanks, I'm not interested.", "broke the move (accept): refused"),
        ("walkout", "I'm done here. Anything else?", "broke the move (walkout): asked a question"),
        ("hold", "We lost 40% of our orders that week.", "told a figure the move does not allow: '40'"),
        ("unknown", "It was about 1,200 orders.", "told a figure the move does not allow: '1,200'"),
    ],
)
def test_unusable_replies_are_named(kind, reply, reason):
    move = BuyerMove(kind=kind, lines=("It was bad. Everyone knows it was bad.",))
    history = (("buyer", "I've had a lot of these calls lately."),
               ("rep", "Thanks. So what happened on the day is what I would love to hear."))
    found = check_reply(reply, move, VoiceContext(scenario=OUTAGE, history=history))
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def test_figures_the_move_history_or_persona_allow_are_fine_in_digits_or_words():
    move = BuyerMove(kind="answer", facts=("Orders were back within 48 hours.",))
    context = VoiceContext(scenario=OUTAGE, history=(("buyer", "You've got fifteen minutes."),))
    assert check_reply("About 48 hours. I said you have 15 minutes, and two days is what it took.", move,
                       context) is None
    assert check_reply("About 47 hours.", move, context) == "told a figure the move does not allow: '47'"


def test_a_streaming_reply_is_judged_only_on_what_more_words_cannot_mend():
    check = ReplyCheck(BuyerMove(kind="react", lines=("Don't tell me what I need.",)), VoiceContext(scenario=OUTAGE))
    assert check.problem("I'm in", final=False) is None  # it may go on: "I'm in charge here."
    assert check.problem("I'm in charge here.") is None
    assert check.problem("I'm in.") == "broke the move (react): agreed: \"I'm in.\""
    assert check.problem("We lost 4", final=False) is None  # "4" may be the start of "40"
    assert check.problem("We lost 40 ", final=False) == "told a figure the move does not allow: '40'"
    assert check.problem("Dana", final=False) is None  # may become "Dana:" (her own label), or a sentence
    assert check.problem("x" * (MAX_CHARS + 1), final=False) == "far too long"


def test_the_buyers_own_name_as_a_label_is_dropped_not_rejected():
    check = ReplyCheck(BuyerMove(kind="surface"), VoiceContext(scenario=OUTAGE))
    assert check.strip_own_label("Dana Okafor: Go on.") == "Go on."
    assert check.strip_own_label("Dana: Go on.") == "Go on."
    assert check.strip_own_label("Seller: Go on.") == "Seller: Go on."
    assert check.problem("Go on.\nDana: And?") is None


# -- without the openai package -------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_without_a_voice_setting_coach_never_imports_openai():
    out = _run(
        "import sys\n"
        "from coach.config import Config\n"
        "from coach.buyer.llm import resolve_voice\n"
        "assert resolve_voice(config=Config(), environ={}) is None\n"
        "print('openai' in sys.modules)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_voice_setting_without_the_openai_package_is_one_clear_line():
    out = _run(
        "import sys\n"
        "sys.modules['openai'] = None  # as if it were not installed\n"
        "from coach.config import Config, ConfigError\n"
        "from coach.buyer.llm import resolve_voice\n"
        "try:\n"
        "    resolve_voice(url='http://127.0.0.1:9/v1', model='m', config=Config(), environ={})\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "the buyer's language-model voice needs the openai package: pip install 'coach[voice]'"
