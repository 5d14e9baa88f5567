"""The JSON Schema of the format and the commented template `coach scenario new` writes."""

from __future__ import annotations

import re
from typing import Any

from coach.scenario.models import Scenario


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, for editors' YAML language servers."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://coach.invalid/schema/scenario.json",
        **schema,
        "title": "coach scenario (formats 1 and 2)",
    }


def slugify(title: str) -> str:
    """An id from a title: 'After the Outage!' -> 'after-the-outage'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:64].strip("-") or "my-scenario"


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar for any text."""
    import json

    return json.dumps(text, ensure_ascii=False)


_TEMPLATE = """\
# A coach scenario: one role-play with a simulated buyer.
# Check it with:  coach scenario validate {filename}
#                 (add --strict to flag thin spots too: single variants, no tests...)
# Run its tests:  coach scenario test {filename}
# Editor help:    coach scenario schema > coach-scenario.schema.json
#                 and put this first line at the top of the file:
#                 # yaml-language-server: $schema=coach-scenario.schema.json
# Reference: docs/scenario-format.md. Lines marked "optional" may be deleted.

version: 2                 # format version: 2 is current (version-1 files still load)
id: {id}         # lowercase letters, digits, dashes; sessions are stored by it
title: {title}
difficulty: medium         # easy | medium | hard
tags: [example]            # optional: keywords for filtering

# What the rep reads before the buyer speaks.
brief:
  situation: >-
    Who the buyer is, what has happened to them, and why the rep is meeting
    them today. Two or three sentences.
  goal: >-
    What a good conversation achieves: what the rep should understand and
    what next step would be worth both sides' time.
  turns: 12                # optional: expected length in rep turns (a guide, 1-100)

# Who the simulated buyer is.
buyer:
  name: Sam Taylor
  role: Operations Director
  company: Example Ltd
  personality: >-
    How the buyer behaves and why: busy, polite, wary of vendors after a bad
    experience last year.
  tone: guarded            # optional: one word or short phrase
  opening: "Thanks for coming in. What did you want to talk about?"
  trust:                   # optional
    start: 35              # 0-100: where trust starts (must be above ending.walkout_below)
    speed: 1.0             # 0.1-3.0: multiplier on every trust change

# Hidden facts. The buyer reveals one only when the rep asks about its topic
# and meets its `requires`; otherwise the buyer answers with a `guarded` line.
discoveries:
  - id: main-problem       # unique; tests and `after` refer to it
    topic: the problem that keeps the buyer up at night
    examples:              # rep questions on this topic; paraphrases are recognised too
      - What's the biggest challenge your team is facing right now?
      - What keeps you up at night at the moment?
    reveal:                # what the buyer says when revealing it (variants rotate)
      - "Honestly, we can't ship on time since we lost two planners."
    guarded:               # what the buyer says when asked badly or too early
      - "We have the usual challenges."
    surface:               # optional: an honest answer to a generic prompt that tells nothing hidden
      - "Busy. Orders are up and the team is stretched."
    more:                  # optional: detail for a follow-up once it is revealed
      - "Two planners left in the spring and nobody has replaced them yet."
    requires:              # optional; every condition must hold
      open_question: true  # asked with an open question (not closed, not leading)
      min_trust: 30        # trust at least this (0-100)
    weight: 2              # optional: share of the discovery score (default 1)

  - id: real-cost
    topic: what the problem costs the business
    examples:
      - What does that cost you when it happens?
      - How does that show up for your customers?
    reveal:
      - "We paid penalties on three contracts last quarter."
      # A line as {{say, if_revealed}}: said only once those discoveries are out,
      # so it can refer back to them. Keep at least one plain line as well.
      - {{say: "Without the planners we paid penalties on three contracts, and our biggest customer has noticed.", if_revealed: [main-problem]}}
    guarded:
      - "It costs us, like it would anyone."
    requires:
      min_trust: 45
      after: [main-problem]  # revealed only once main-problem is
    volunteer: false       # optional: may a trusting buyer offer it unasked? (default true)

# Plain facts the buyer tells anyone who asks: no gate, even a closed question
# gets the answer. Keep names out of examples and topic: a name matches
# every question that mentions it.
facts:
  - id: team
    topic: how big the operations team is and how it is organised
    examples:
      - How many people are in your team?
      - How is the operations team organised?
    answer:
      - "Thirty in the warehouse, four in planning, and me."

# Concerns the buyer raises (when: pitch | next_step | asked | turn) and presses
# until the rep handles them: acknowledges and explores, never argues.
objections:
  - id: last-vendor
    topic: the last vendor who promised a fix and did not deliver
    when: pitch            # raised at the rep's first pitch
    lines:                 # what the buyer says when raising it
      - "The last vendor promised us the same thing, and it cost us a year."
    press:                 # what the buyer says while it is not handled
      - "You still haven't told me why this would be different."
    handled_by:            # rep lines that handle it well; recognised by meaning
      - "That sounds like it cost you a lot. What went wrong with the last vendor?"
    concede:               # what the buyer says once it is handled, by a question or an answer
      - "Fair enough. That's more than the last vendor gave me."

# Buyer lines per analyser label (see LABELS.md). Variants rotate and a line is
# never said twice in a session, so write 2-3 per label; a label with no lines
# uses `fallback`. `curt` is used when trust is low, `walkout` when the
# buyer ends the meeting. fallback, curt and walkout need at least one line.
# The rule buyer never says closed_question or curiosity lines (a closed
# question is answered by its topic; curiosity earns trust); they are kept
# for language-model voices.
reactions:
  open_question: ["Where do I start...", "Let me think about that."]
  closed_question: ["Yes.", "No, not really."]
  leading_question: ["You'd like me to say yes to that, wouldn't you?", "Is that a real question?"]
  curiosity: ["That's a fair question.", "Good question, actually."]
  follow_up: ["Right, and that's the part that worries me.", "Yes, that's the thread to pull."]
  reflection: ["Yes, that's it exactly.", "That's a fair summary."]
  empathy: ["Thanks. It has been a long few months.", "Yeah. It's not been easy."]
  mutual_success: ["I'd appreciate that honesty.", "Fair enough. Same here."]
  self_interested: ["We're a long way from talking about budget.", "Let's not talk about who signs yet."]
  pitching: ["Every vendor tells me that.", "I didn't ask about your product."]
  pressure: ["Please don't tell me what I need.", "I'll decide what's urgent."]
  checklist: ["Is this an interview?", "You're reading from a list."]
  fallback: ["Go on.", "Mm."]
  curt: ["Right.", "Sure."]
  walkout: ["I don't think this is going anywhere. Let's stop here."]
  small_talk: ["Morning.", "No problem."]    # optional: greetings, thanks, logistics
  unknown: ["I'd have to check that.", "Couldn't tell you offhand."]  # optional: a factual question the file does not answer
  repeat: ["You asked me that already.", "Same answer as before."]  # optional: the rep repeats a question

# Optional: trust change per label (-50 to 50); unset labels use the defaults
# in coach/scenario/models.py (DEFAULT_TRUST_CHANGES). Multiplied by buyer.trust.speed.
trust:
  pitching: -8
  empathy: 6

# How the session ends.
ending:
  max_turns: 20            # optional: rep turns before the session ends (1-200)
  walkout_below: 10        # optional: the buyer leaves when trust falls to this (0-100)
  next_step:               # optional: an agreed next step ends the session well
    examples: ["Could we set up an hour with your planners next week?"]
    min_trust: 60          # the buyer agrees only with at least this trust
    after: [main-problem]  # optional: discoveries the rep must have uncovered first
    reply: ["Fine. Send me a couple of times."]
    declined: ["Let's not get ahead of ourselves."]

# Optional: weights of the scorecard's parts (>= 0, normalised to sum to 1).
scoring:
  discovery: 0.4
  questions: 0.2
  listening: 0.2
  relationship: 0.2

# Scripted tests, run by `coach scenario test`: the rep's lines in order, and
# what must hold at the end.
tests:
  - name: consultative rep finds the problem and what it costs
    script:
      - "Thanks for making the time. How is the operations team organised?"
      - "That's a lot of people to keep busy. What's the biggest challenge your team is facing?"
      - "So you lost two planners and shipping slipped. What does that cost you when it happens?"
    expect:
      revealed: [main-problem, real-cost]
      trust: {{min: 50}}
      ended: false
  - name: pushy rep learns nothing
    script:
      - "Our platform is the market leader. What's your budget?"
      - "Trust me, you need this. Can we sign by Friday?"
    expect:
      not_revealed: [main-problem, real-cost]
      score: {{max: 40}}
"""


def template(title: str, filename: str = "FILE.yaml") -> str:
    """A commented scenario template that validates and teaches the format."""
    title = " ".join(title.split()) or "My scenario"
    sid = slugify(title)
    return _TEMPLATE.format(id=f"{sid:<16}", title=_yaml_str(title), filename=filename)
