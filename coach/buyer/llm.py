"""The buyer in its own words: a language-model voice on any OpenAI-compatible endpoint.

The director (coach/buyer/director.py) decides every move; this voice only
phrases it. Its prompt holds who the buyer is (name, role, company,
personality, tone, the situation the rep was briefed on), the conversation so
far, and, last, the move: what to do, ``move.lines`` as the gist and
``move.facts`` as the only facts it may use. Nothing else about the scenario
goes in: no discovery, no topic, no example question, so an unearned discovery
cannot leak. The order keeps the prompt's head the same from turn to turn, so a
server with a prompt cache (llama.cpp, vLLM, the hosted APIs) reuses it.

Replies stream. :class:`ReplyCheck` judges them as they arrive and raises
:class:`~coach.buyer.move.VoiceError` with a short reason for anything the
engine should replace with the rule voice's line: no first word in time, an
error status, a connection that breaks, an empty or far too long reply, words
out of persona or in the seller's mouth, a reply that breaks the move (agreeing
when the move is to push back) or states a figure nothing allowed.

It needs the ``openai`` package (``pip install 'coach[voice]'``), imported only
when a voice is configured: coach runs without it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coach.analysis.language import CARDINALS
from coach.buyer.move import BuyerMove, VoiceContext, VoiceError
from coach.labels import human
from coach.text import clean_text

if TYPE_CHECKING:  # pragma: no cover
    from coach.config import Config, VoiceSettings
    from coach.scenario import Scenario

#: What the buyer is told to do for each kind of move. The gist (move.lines)
#: and the facts (move.facts) follow it in the note.
INSTRUCTIONS: dict[str, str] = {
    "opening": "Open the meeting: greet them briefly and ask what they want to talk about.",
    "reveal": "They asked well, so now you tell them this, which you have not told them before.",
    "volunteer": "You trust them enough to offer this without being asked; you have not told them before.",
    "elaborate": "Say a little more about what you already told them, adding nothing beyond it.",
    "hold": "You are not ready to talk about that. Deflect and give nothing away.",
    "answer": "Answer their question plainly from the facts below, and nothing more.",
    "unknown": "You do not know that offhand: say you would have to check. Do not guess or make up an answer.",
    "surface": "Answer in general terms and tell them nothing specific or new.",
    "confirm": "They summed up what you said: agree briefly that they have understood.",
    "react": "You do not like their {reacting_to}. Push back, cooler than before. Do not agree to anything.",
    "object": "Raise this concern about what they are proposing.",
    "press": "Their answer did not settle your concern. Press it again and do not give in.",
    "concede": "Their answer settles your concern: accept it.",
    "repeat": "They have said nearly the same thing before: point that out, a little impatient.",
    "small_talk": "Reply briefly and politely.",
    "accept": "Agree to the next step they proposed.",
    "decline": "It is too early for the next step they proposed: decline it for now. Do not agree to it.",
    "consider": "They proposed something you have not agreed to: neither agree nor refuse; ask what it would involve.",
    "curt": "You are losing patience: answer in a few cold words. Do not agree to anything.",
    "walkout": "You have had enough: end the meeting now, politely and firmly. Do not ask anything.",
}

#: Said in the seller's place when the conversation starts with the buyer (the
#: opening): chat templates want a user turn first, and it must be the same
#: text every turn so the server's prompt cache still matches.
ARRIVAL = "(The seller arrives for the meeting.)"

#: Replies longer than this many characters are "far too long": scenario lines
#: run to about 250, and a buyer who talks for a page is not a buyer. Short
#: moves get less room.
MAX_CHARS = 600
SHORT_MAX_CHARS: dict[str, int] = {"curt": 150, "walkout": 250, "small_talk": 250, "accept": 300, "decline": 300,
                                   "confirm": 250, "repeat": 250}
#: Sent as max_tokens so that a runaway server stops on its own (about 4
#: characters a token: a little more than MAX_CHARS).
MAX_TOKENS = 200

#: Moves in which the buyer pushes back or holds: agreeing breaks them.
RESISTING_KINDS = frozenset({"react", "press", "decline", "hold", "curt", "walkout", "object"})

#: Stop sequences: a small model that goes on to write the seller's next line
#: is cut there (OpenAI allows four).
STOP = ["\nSeller:", "\nRep:", "\nSalesperson:", "\nUser:"]


def _phrases(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + "|".join(words) + r")(?![\w'])", re.IGNORECASE)


#: Out of persona: the model talks as a model, or reads out its instructions.
_OUT_OF_PERSONA = _phrases(
    r"as an ai", r"an ai (?:language )?model", r"language model", r"i'?m an ai", r"i am an ai", r"ai assistant",
    r"i'?m (?:just )?an assistant", r"how (?:can|may) i (?:help|assist) you", r"i can(?:no|')t assist",
    r"as a buyer", r"role-?play", r"(?:the|this|my) (?:note|prompt|instructions?)", r"not said aloud",
    r"in (?:my|your) own words", r"stage directions?", r"the gist",
    # assistant-speak and narration
    r"i'?m here to help", r"(?:happy|glad) to help", r"sorry for (?:the|any) (?:misunderstanding|confusion)",
    r"the buyer (?:said|says|is|was)", r"i'?m here for you", r"you'?re (?:my|our) (?:only )?customer",
)
#: Stage directions and emotes: "*sighs*", "[pauses]".
_STAGE = re.compile(r"\*[^*\n]{1,40}\*|\[[a-z][^\]\n]{0,40}\]", re.IGNORECASE)
#: The seller's words in the buyer's mouth.
_SELLER = _phrases(
    r"our (?:solution|platform|offering)s?", r"we (?:can|could) help you", r"i (?:can|could) help you",
    r"let me show you", r"(?:book|schedule|set up) a demo", r"would you like (?:a|to see (?:a|our)) demo",
    r"as (?:your|a|the) (?:sales ?(?:rep|person)|salesperson|seller|vendor)", r"i'?m (?:the|your) (?:seller|salesperson)",
    r"thank you for (?:choosing|considering) us",
)
#: A speaker label at the start of a line: "Seller:", "Dana Okafor:".
_LABEL = re.compile(r"^\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2})\s*:\s*", re.MULTILINE)
_SELLER_LABELS = frozenset({"seller", "rep", "sales rep", "salesperson", "sales", "user", "vendor", "you"})
#: Agreeing: breaks a move in which the buyer pushes back or holds.
_AGREE = _phrases(
    r"sounds (?:great|good|perfect)", r"let'?s do (?:it|that)", r"let'?s go ahead", r"count me in",
    r"sign me up", r"you'?ve convinced me", r"(?:it'?s|that'?s|you'?ve got) (?:yourself )?a deal", r"i agree", r"i'?d love to",
    r"(?:happy|ready) to (?:move forward|go ahead|sign)", r"let'?s move forward", r"let'?s (?:schedule|book|set up)",
    r"i'?ll sign", r"send (?:me|over) the contract", r"great idea", r"i'?m in[.!]",
)
#: Refusing: breaks an accept.
_REFUSE = _phrases(r"not interested", r"no,? thanks?", r"no,? thank you", r"not ready", r"not yet", r"i'?ll pass",
                   r"i don'?t think so")
#: A figure: digits (with a decimal part), or a number word other than "one",
#: which is more often a pronoun ("one of them") than a figure.
#: Number words and their values (language.CARDINALS: one to twenty, the tens, hundred).
_NUMBER_WORDS: dict[str, str] = (
    {w: str(i) for i, w in enumerate(CARDINALS[:20], start=1)}
    | {w: str(10 * i) for i, w in enumerate(CARDINALS[20:27], start=3)}
    | {"zero": "0", "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000", "dozen": "12"}
)
_FIGURE = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*"
    r"|(?<![\w'-])(?:" + "|".join(w for w in _NUMBER_WORDS if w != "one") + r")(?![\w'-])",
    re.IGNORECASE,
)


def _figure(found: str) -> str:
    """A figure as a digit string: "two" and "2" alike."""
    return _NUMBER_WORDS.get(found.lower(), found.replace(",", ""))


def _figures(text: str) -> set[str]:
    """The figures a text states, in digits or words."""
    out = {_figure(m.group(0)) for m in _FIGURE.finditer(text)}
    out |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return out


#: Words in a row that make an echo of an earlier turn.
ECHO = 7


def _ngrams(text: str, n: int = ECHO) -> set[tuple[str, ...]]:
    """Every run of ``n`` words in ``text`` (lowercase, punctuation ignored)."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _count_ngrams(text: str, n: int = ECHO) -> int:
    return max(0, len(re.findall(r"[a-z0-9']+", text.lower())) - n + 1)


@dataclass(frozen=True)
class ChatMessage:
    """One message of the prompt, as the chat-completions API takes it."""

    role: str  # "system" | "user" | "assistant"
    content: str

    def to_api(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


def persona(scenario: Scenario) -> str:
    """The system message: who the buyer is and how to speak. The same every
    turn of a session (the head of the prompt the server can cache)."""
    b = scenario.buyer
    return (
        f"You are {b.name}, {b.role} at {b.company}, in a meeting with a salesperson. "
        f"{b.personality.strip()} Your tone: {b.tone}.\n"
        f"The situation, as the salesperson was briefed: {scenario.brief.situation.strip()}\n"
        f"Stay {b.name} throughout: you are the buyer, never the salesperson. Speak only your own words, "
        "in the first person, as plain speech: one to three sentences, no name label, no stage directions, "
        "no lists. Each of their turns ends with a note in brackets that tells you what to do and what you may "
        "say: follow it exactly, and do not mention it. Do not make up figures, names, dates or facts about "
        "your company beyond what the notes and the conversation give you. Never say you are an AI."
    )


def move_note(move: BuyerMove, context: VoiceContext) -> str:
    """The turn's instruction: what to do, the gist to convey, the facts allowed.

    Only ``move.lines`` (the rule voice's own line first) and ``move.facts``
    are quoted: the director has already left out what the rep has not earned.
    """
    b = context.scenario.buyer
    reacting = human(move.reacting_to) if move.reacting_to else "approach"
    parts = [INSTRUCTIONS.get(move.kind, INSTRUCTIONS["surface"]).format(reacting_to=reacting)]
    gist = [line for line in dict.fromkeys((context.rule_line, *move.lines)) if line.strip()]
    if gist:
        parts.append("What you mean, to say in your own way:\n" + "\n".join(f'- "{line.strip()}"' for line in gist))
    if move.facts:
        parts.append("The only facts you may use:\n" + "\n".join(f"- {fact.strip()}" for fact in move.facts))
    parts.append(f"Reply as {b.name}, one to three sentences.")
    return "[Note for you, not said aloud: " + "\n".join(parts) + "]"


def build_messages(move: BuyerMove, context: VoiceContext) -> list[ChatMessage]:
    """The prompt for one buyer turn: persona, then the conversation, then the move.

    The rep's turns are user messages and the buyer's are assistant messages;
    the note goes after the rep's last turn, so everything before it is the
    same as last turn's prompt and a prompt cache reuses it.
    """
    messages = [ChatMessage("system", persona(context.scenario))]
    history = list(context.history)
    if not history or history[0][0] != "rep":
        history.insert(0, ("rep", ARRIVAL))
    for speaker, text in history:
        role = "user" if speaker == "rep" else "assistant"
        if messages[-1].role == role:  # two turns of one side in a row: one message
            messages[-1] = ChatMessage(role, messages[-1].content + "\n\n" + text)
        else:
            messages.append(ChatMessage(role, text))
    note = move_note(move, context)
    if messages[-1].role == "user":
        messages[-1] = ChatMessage("user", messages[-1].content + "\n\n" + note)
    else:
        messages.append(ChatMessage("user", note))
    return messages


class ReplyCheck:
    """Judges a reply, whole or as far as it has arrived, against the move.

    :meth:`problem` returns a short reason, or None for a usable reply. With
    ``final=False`` only what more text cannot mend is judged, so a stream is
    stopped at its first bad word.
    """

    def __init__(self, move: BuyerMove, context: VoiceContext) -> None:
        self.move = move
        b = context.scenario.buyer
        allowed = [b.name, b.role, b.company, b.personality, b.tone, context.scenario.brief.situation,
                   context.rule_line, *move.lines, *move.facts, *(text for _, text in context.history)]
        self.allowed_figures = _figures("\n".join(allowed))
        self.own_labels = {b.name.lower(), b.name.split()[0].lower(), "buyer", b.role.lower()}
        self.max_chars = SHORT_MAX_CHARS.get(move.kind, MAX_CHARS)
        # The rule voice never says a line twice, and a buyer does not read the
        # seller's words back at length: a run of ECHO words from an earlier
        # turn (a small model does both) is not an answer. The gist may be said.
        gist = _ngrams(" ".join((context.rule_line, *move.lines, *move.facts)))
        self.buyer_said = set().union(*(_ngrams(t) for who, t in context.history if who == "buyer")) - gist
        self.rep_said = set().union(*(_ngrams(t) for who, t in context.history if who == "rep")) - gist
        # A trainer's own line may agree on a condition ("get within five percent
        # and I'll sign today"): the move's words are never a broken move.
        self.own_agree = {m.group(0).lower() for x in (context.rule_line, *move.lines) for m in _AGREE.finditer(x or "")}

    def strip_own_label(self, text: str) -> str:
        """A reply that starts with the buyer's own name ("Dana: ...") is the
        buyer speaking: the label goes, the words stay."""
        m = _LABEL.match(text)
        if m and m.group(1).lower() in self.own_labels:
            return text[m.end():]
        return text

    def problem(self, text: str, *, final: bool = True) -> str | None:
        if len(text) > self.max_chars:
            return "far too long"
        # While streaming, judge only whole words: "I'm in" may be "I'm in charge".
        judged = text if final else text[: max(text.rfind(" "), text.rfind("\n"), 0)]
        for m in _LABEL.finditer(text):
            label = m.group(1).lower()
            if label in _SELLER_LABELS:
                return f"spoke as the seller ({m.group(1)}:)"
            if label not in self.own_labels and (final or m.end() < len(text)):
                return f"spoke as someone else ({m.group(1)}:)"
        if m := _OUT_OF_PERSONA.search(judged):
            return f"out of persona: {m.group(0)!r}"
        if m := _STAGE.search(judged):
            return f"out of persona: a stage direction {m.group(0)!r}"
        if m := _SELLER.search(judged):
            return f"spoke as the seller: {m.group(0)!r}"
        kind = self.move.kind
        if kind in RESISTING_KINDS:
            for m in _AGREE.finditer(judged):
                if m.group(0).lower() not in self.own_agree:
                    return f"broke the move ({kind}): agreed: {m.group(0)!r}"
        if kind == "accept" and (m := _REFUSE.search(judged)):
            return f"broke the move (accept): refused: {m.group(0)!r}"
        # (A figure still arriving, "4" of "40", is not in ``judged`` yet.)
        for m in _FIGURE.finditer(judged):
            if _figure(m.group(0)) not in self.allowed_figures:
                return f"told a figure the move does not allow: {m.group(0)!r}"
        said = _ngrams(judged)
        if len(said) < _count_ngrams(judged):
            return "repeated itself"  # a loop: stopped here, not at the length limit
        if said & self.buyer_said:
            return "repeated an earlier turn"
        if said & self.rep_said:
            return "spoke as the seller: read their words back"
        if final:
            if not text.strip():
                return "empty reply"
            if kind == "walkout" and "?" in text:
                return "broke the move (walkout): asked a question"
        return None


def check_reply(text: str, move: BuyerMove, context: VoiceContext) -> str | None:
    """Why a whole reply is unusable for this move, or None if it is usable."""
    return ReplyCheck(move, context).problem(text)


@dataclass
class Timing:
    """How the last reply went: for the benchmark and for anyone curious."""

    #: Seconds from the request to the first word, and to the end of the reply.
    first_token: float | None = None
    total: float | None = None
    #: Tokens in the prompt, and how many of them the server took from its cache.
    prompt_tokens: int | None = None
    cached_tokens: int | None = None


def _status_message(exc: Any) -> str:
    """The server's own words for an error status, without the client's wrapping."""
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    return re.sub(r"^Error code: \d+ - ", "", str(exc.message))


def _short(message: str, limit: int = 80) -> str:
    message = " ".join(str(message).split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


@dataclass
class LLMVoice:
    """A buyer voice served by an OpenAI-compatible chat-completions endpoint.

    ``temperature`` and ``extra_body`` (server-specific request fields, e.g.
    llama.cpp's ``cache_prompt``) are for tests and benchmarks; users set the
    endpoint through :class:`~coach.config.VoiceSettings`.
    """

    settings: VoiceSettings
    temperature: float = 0.7
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    timing: Timing = field(default_factory=Timing, init=False)

    def __post_init__(self) -> None:
        try:
            import openai
        except ImportError:
            raise ImportError(
                "the buyer's language-model voice needs the openai package: pip install 'coach[voice]'"
            ) from None
        s = self.settings
        self.name = f"llm:{s.model}"
        self._openai = openai
        # One read timeout bounds every wait for the server, the first word
        # included; the whole reply is bounded as pieces arrive. No retries: a
        # failed turn falls back to the rule voice at once.
        self._client = openai.OpenAI(
            base_url=s.url,
            # Local servers take any key; the client insists on one.
            api_key=s.api_key or "no-key",
            timeout=openai.Timeout(s.timeout, connect=s.timeout),
            max_retries=0,
        )

    def speak(self, move: BuyerMove, context: VoiceContext) -> Iterator[str]:
        """Yield the reply as it arrives; raise VoiceError when it cannot be used.

        The first few words are held back until the speaker-label check can
        judge them, so a reply in the seller's voice never reaches the screen.
        """
        openai = self._openai
        s = self.settings
        check = ReplyCheck(move, context)
        self.timing = timing = Timing()
        started = time.monotonic()
        stream = None
        raw = ""  # the reply so far, cleaned of control characters
        start = None  # where the words begin once a leading "Dana:" is dropped (fixed once shown)
        shown = 0
        try:
            stream = self._request(move, context)
            for piece in self._pieces(stream, timing, started):
                raw += clean_text(piece)
                text = raw[start:] if start is not None else check.strip_own_label(raw.lstrip())
                if reason := check.problem(text, final=False):
                    raise VoiceError(reason)
                ready = text.rstrip()  # trailing space waits: it may be the last
                if start is None:
                    if len(ready) < 24:
                        continue  # the first words wait until a speaker label would show
                    start = len(raw) - len(text)
                if len(ready) > shown:
                    yield ready[shown:]
                    shown = len(ready)
            text = (raw[start:] if start is not None else check.strip_own_label(raw.lstrip())).rstrip()
            if reason := check.problem(text):
                raise VoiceError(reason)
            timing.total = time.monotonic() - started
            if len(text) > shown:
                yield text[shown:]
        except VoiceError:
            raise
        except openai.APITimeoutError:
            if timing.first_token is None:
                raise VoiceError(f"no first word within {s.timeout:g}s") from None
            raise VoiceError(f"the reply stalled for {s.timeout:g}s") from None
        except openai.APIStatusError as exc:
            raise VoiceError(f"the server answered {exc.status_code}: {_short(_status_message(exc))}") from None
        except openai.APIConnectionError:
            if timing.first_token is None and not raw:
                raise VoiceError(f"cannot reach {s.url}") from None
            raise VoiceError("the reply broke off") from None
        except openai.OpenAIError as exc:
            raise VoiceError(_short(f"the server failed: {exc}")) from None
        finally:
            if stream is not None:
                stream.close()  # stops the server generating for a reply nobody reads

    def _request(self, move: BuyerMove, context: VoiceContext):
        """Open the streamed chat completion for one reply."""
        s = self.settings
        return self._client.chat.completions.create(
            model=s.model,
            messages=[m.to_api() for m in build_messages(move, context)],
            stream=True,
            stream_options={"include_usage": True},
            temperature=self.temperature,
            seed=context.seed,
            max_tokens=MAX_TOKENS,
            stop=STOP,
            extra_body=dict(self.extra_body) or None,
        )

    def _pieces(self, stream, timing: Timing, started: float) -> Iterator[str]:
        """The stream's text pieces, timed; VoiceError on a stall, overrun or break."""
        s = self.settings
        finished = False
        for chunk in stream:
            now = time.monotonic()
            if chunk.usage is not None:
                timing.prompt_tokens = chunk.usage.prompt_tokens
                details = getattr(chunk.usage, "prompt_tokens_details", None)
                timing.cached_tokens = getattr(details, "cached_tokens", None)
            piece = ""
            for choice in chunk.choices:
                if choice.delta is not None and choice.delta.content:
                    piece += choice.delta.content
                if choice.finish_reason == "length":
                    raise VoiceError("far too long")
                finished = finished or bool(choice.finish_reason)
            if piece and timing.first_token is None:
                timing.first_token = now - started
            if timing.first_token is None and now - started > s.timeout:
                raise VoiceError(f"no first word within {s.timeout:g}s")
            if now - started > s.reply_timeout:
                raise VoiceError(f"the reply took over {s.reply_timeout:g}s")
            if piece:
                yield piece
        if not finished:
            # A server killed mid-reply may close the connection cleanly:
            # a reply that never said it was finished is not finished.
            raise VoiceError("the reply broke off")


def resolve_voice(
    url: str | None = None,
    model: str | None = None,
    config: Config | None = None,
    environ: Mapping[str, str] | None = None,
) -> LLMVoice | None:
    """The buyer's language-model voice from the settings (see
    :func:`coach.config.voice_settings`), or None for the rule voice alone.

    Raises ConfigError, one line, for bad settings or a missing openai package.
    """
    from coach.config import ConfigError, voice_settings

    settings = voice_settings(url, model, config=config, environ=dict(environ) if environ is not None else None)
    if settings is None:
        return None
    try:
        return LLMVoice(settings)
    except ImportError as exc:
        raise ConfigError(str(exc)) from None
